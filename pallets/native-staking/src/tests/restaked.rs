//! What an AVS slash of a validator's pool reaches (the pool is restaked through restaking):
//! everything still locked in the era the slash was requested in, exactly in the pool's units,
//! while the slash is pending nothing it reaches leaves, and share arithmetic never donates
//! value by rounding to nothing.

use super::super::mock::*;
use crate::*;
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::{
	staking::{NativeStakeProvider, PoolShare},
	EraIndex,
};
use sp_runtime::ArithmeticError;

fn slash_pool(validator: AccountId, parts: u128, whole: u128, requested_in: EraIndex) -> Balance {
	<Staking as NativeStakeProvider<AccountId, Balance>>::slash_pool(
		&validator,
		PoolShare::new(parts, whole),
		requested_in,
	)
}

#[test]
fn a_slash_reaches_stake_that_unbonded_after_its_request_was_made() {
	// H-1: the review's test. The request is made in era 1; the delegator unbonds in era 1,
	// and an era later the slash executes: the unbonding chunk was bonded at the request.
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000));
		start_era(1);
		let requested_in = active_era();
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		let unlock = requested_in + BondingDuration::get();
		start_era(2);
		slash_pool(11, 1, 2, requested_in);
		assert_eq!(UnbondPools::<Test>::get(11, unlock).unwrap().stake, 500);
		start_era(unlock);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT - 500);
	});
}

#[test]
fn a_slash_reaches_a_redelegation_made_after_its_request() {
	// H-1: moving to another pool does not escape; the obligation stays in the old one.
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		start_era(1);
		let requested_in = active_era();
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(1), 21));
		start_era(2);
		slash_pool(11, 1, 2, requested_in);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_eq!(Staking::active_stake_of(&1), 50_000);
		assert_eq!(held(1), 50_000);
	});
}

#[test]
fn a_slash_reaches_stake_still_unbonding_when_it_was_requested_but_not_what_left_before() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 11, 1_000));
		// Delegator 1 unbonds in era 0 (unlocks at 3), delegator 2 in era 1 (unlocks at 4).
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		start_era(1);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(2), 1_000));
		start_era(3);
		// Delegator 1's chunk unlocked in era 3 and is withdrawn; a slash requested in era 3
		// reaches only what was still locked then.
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		slash_pool(11, 1, 10, 3);
		assert_eq!(free(1), ENDOWMENT);
		assert_eq!(UnbondPools::<Test>::get(11, 4).unwrap().stake, 900);
	});
}

#[test]
fn nothing_a_pending_slash_reaches_leaves_the_pool() {
	// H-1: native withdrawals and redelegations honour restaking's pending-slash freezes.
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 11, 1_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		FrozenPools::set(vec![11]);
		start_era(BondingDuration::get());
		assert_pool_stake_held(1, 2, 21);
		// Unbonding stays allowed: the chunk stays in reach.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(2), 1_000));
		FrozenPools::set(vec![]);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT);
	});
}

#[test]
fn an_obligation_a_pending_slash_reaches_is_kept_until_the_slash_is_decided() {
	// H-1 for redelegated stake: settling does not release a matured obligation to a frozen
	// pool, so the slash still reaches what the staker owes it.
	// Nor does a withdrawal let out the stake that pays for it: here all of it, unbonded from
	// the new pool and unlocked in the obligation's era.
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 11, 1_000));
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(3), 21));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(3), 1_000));
		FrozenPools::set(vec![11]);
		start_era(BondingDuration::get());
		assert_ok!(Staking::settle(RuntimeOrigin::signed(4), 3));
		assert_eq!(Ledgers::<Test>::get(3).unwrap().redelegations.len(), 1);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(3)),
			Error::<Test>::SlashPending
		);
		slash_pool(11, 1, 10, 0);
		FrozenPools::set(vec![]);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(3)));
		assert!(!Ledgers::<Test>::contains_key(3));
		assert_eq!(free(3), ENDOWMENT - 100);
	});
}

#[test]
fn a_pool_slash_is_exact_in_the_pools_units() {
	// M-1: a share of 10⁻¹⁸ of a 10⁶ pool takes one unit (rounded up), not a part per billion.
	ExtBuilder::default().build_and_execute(|| {
		let taken = slash_pool(11, 1, 1_000_000_000_000_000_000, 0);
		assert_eq!(taken, 1);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 999_999);
		assert!(staking_events().contains(&Event::PoolSlashed {
			validator: 11,
			parts: 1,
			whole: 1_000_000_000_000_000_000,
			amount: 1,
		}));
		// A whole share keeps the remnant that gives the pool's shares a price.
		slash_pool(11, 1, 1, 0);
		assert!(Pools::<Test>::get(11).unwrap().active > 0);
	});
}

#[test]
fn shares_that_do_not_fit_are_refused_not_donated() {
	// L-7: an unbond pool slashed near to nothing prices a share near zero: `value × shares /
	// stake` no longer fits. That is an error, never zero shares (which would give the value
	// to the chunk's other holders).
	use crate::shares::{ShareError, SharePool};
	let down = sp_runtime::Rounding::Down;
	let pool = |stake, shares| UnbondPool::<u128> { stake, shares };
	assert_eq!(
		pool(1, 10u128.pow(36)).shares_for(1_000_000, down),
		Err(ShareError::Unrepresentable)
	);
	assert_eq!(pool(0, 5).shares_for(1, down), Err(ShareError::NoStake));
	assert_eq!(pool(10, 20).shares_for(5, down), Ok(10));
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 11, 1_000));
		let era = active_era() + BondingDuration::get();
		// What two near-total slashes leave of the era's unbond pool.
		UnbondPools::<Test>::insert(11, era, UnbondPool { stake: 1, shares: 10u128.pow(36) });
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(2), 1_000), ArithmeticError::Overflow);
		assert_noop!(Staking::redelegate(RuntimeOrigin::signed(2), 21), ArithmeticError::Overflow);
		UnbondPools::<Test>::remove(11, era);
	});
}
