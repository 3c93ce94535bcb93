//! The share math every pool and unbond pool uses (`SharePool`): rounding always favours the
//! pool, so no trade dilutes the other holders and the stake always covers the shares.

use crate::{shares::*, UnbondPool};
use sp_runtime::Rounding;

fn pool(stake: u128, shares: u128) -> UnbondPool<u128> {
	UnbondPool { stake, shares }
}

#[test]
fn an_empty_pool_prices_a_share_at_one_unit() {
	let mut p = pool(0, 0);
	assert_eq!(p.value_of(5), 0);
	assert_eq!(p.issue(100), Ok(100));
	assert_eq!(p, pool(100, 100));
}

#[test]
fn issuing_rounds_down_and_taking_rounds_up() {
	// Slashed by a third: 3 shares are worth 2.
	let mut p = pool(200, 300);
	assert_eq!(p.value_of(3), 2);
	assert_eq!(p.value_of(4), 2);
	// 5 units buy 7.5 shares: 7 issued, the half stays with the pool.
	assert_eq!(p.issue(5), Ok(7));
	assert_eq!(p, pool(205, 307));
	// Taking 5 units out of a holding of 100 shares costs 7.49.. shares: 8.
	assert_eq!(p.shares_to_take(100, 5), Ok(8));
	// Taking everything a holding is worth costs exactly the holding.
	let all = p.value_of(100);
	assert_eq!(p.shares_to_take(100, all), Ok(100));
	assert_eq!(p.shares_for(5, Rounding::Up), Ok(8));
	assert_eq!(p.shares_for(5, Rounding::Down), Ok(7));
}

#[test]
fn a_failed_issue_changes_nothing() {
	let mut p = pool(u128::MAX - 1, u128::MAX - 1);
	assert_eq!(p.issue(10), Err(ShareError::Overflow));
	assert_eq!(p, pool(u128::MAX - 1, u128::MAX - 1));
	let mut slashed = pool(0, 10);
	assert_eq!(slashed.issue(10), Err(ShareError::NoStake));
	assert_eq!(slashed, pool(0, 10));
	// Saturating issue is for pools bounded by the issuance: it still refuses to misprice.
	assert_eq!(slashed.issue_saturating(10), Err(ShareError::NoStake));
}

#[test]
fn redeeming_pays_what_the_shares_are_worth() {
	let mut p = pool(200, 300);
	assert_eq!(p.redeem(150), 100);
	assert_eq!(p, pool(100, 150));
	assert_eq!(p.redeem(150), 100);
	assert_eq!(p, pool(0, 0));
}

#[test]
fn a_loss_takes_at_most_what_the_holding_is_worth() {
	let mut p = pool(200, 300);
	// The holding of 30 shares is worth 20: a loss of 50 takes all of it.
	assert_eq!(p.take(30, 50), (20, 30));
	assert_eq!(p, pool(180, 270));
	// A smaller loss takes shares rounded up.
	assert_eq!(p.take(30, 5), (5, 8));
	assert_eq!(p, pool(175, 262));
	// Nothing to take: nothing changes.
	assert_eq!(p.take(0, 5), (0, 0));
	assert_eq!(p.take(30, 0), (0, 0));
	assert_eq!(p, pool(175, 262));
}
