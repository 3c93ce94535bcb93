//! Each invariant check fails, with its own message, on the storage corruption it guards
//! against. Built without `build_and_execute`: the storage is left broken on purpose.

use crate::{mock::*, *};
use frame_support::assert_ok;
use sp_core::H160;

/// Alice minted 1 000 wstETH and withdrew 400 (withdrawal 1), deposit 2 has one attestation
/// and a rate report one; then `corrupt`, and `do_try_state` names what broke.
fn fails_with(corrupt: impl FnOnce(), message: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1]);
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			400,
			H160::repeat_byte(0x42)
		));
		attest(&deposit(2, WSTETH, &bob(), 10), &[0]);
		attest_rate(&rate_report(WSTETH, 1_200_000_000_000_000_000, START_SECS - 10), &[0]);
		assert!(DepositTallies::<Test>::contains_key(2));
		assert!(RateTallies::<Test>::contains_key(WSTETH));
		assert_ok!(Bridge::do_try_state());
		corrupt();
		assert_eq!(Bridge::do_try_state(), Err(message.into()));
	});
}

fn set_attesters(f: impl FnOnce(&mut AttesterSet<<Test as Config>::MaxAttesters>)) {
	Attesters::<Test>::mutate(|a| f(a.as_mut().unwrap()));
}

fn set_token(f: impl FnOnce(&mut TokenInfo<u32>)) {
	Tokens::<Test>::mutate(WSTETH, |t| f(t.as_mut().unwrap()));
}

#[test]
fn the_attester_set_is_sorted_with_a_quorum_in_range() {
	fails_with(|| set_attesters(|a| a.quorum = 0), "quorum out of range");
	fails_with(
		|| {
			set_attesters(|a| {
				a.members = a.members.iter().rev().copied().collect::<Vec<_>>().try_into().unwrap()
			})
		},
		"attesters not sorted and unique",
	);
}

#[test]
fn tokens_mirror_their_assets_within_the_cap() {
	fails_with(|| set_token(|t| t.burned = t.minted + 1), "burned more than minted");
	fails_with(|| set_token(|t| t.cap = 1), "outstanding supply above cap");
	fails_with(|| set_token(|t| t.minted -= 1), "mirrored supply above minted − burned");
	fails_with(|| AssetTokens::<Test>::remove(WSTETH_ASSET), "asset not mapped to token");
}

#[test]
fn deposit_nonces_are_where_the_window_says() {
	fails_with(|| Halted::<Test>::insert(2, ([1; 32], [2; 32])), "halted nonce still tallied");
	fails_with(|| Halted::<Test>::insert(1, ([1; 32], [2; 32])), "halted nonce was processed");
	fails_with(
		|| DepositTallies::<Test>::mutate(2, |t| t.as_mut().unwrap().candidates.clear()),
		"empty tally kept",
	);
	fails_with(
		|| {
			let tally = DepositTallies::<Test>::take(2).unwrap();
			DepositTallies::<Test>::insert(3, tally);
		},
		"candidate of another nonce or set",
	);
	fails_with(
		|| {
			let mut tally = DepositTallies::<Test>::take(2).unwrap();
			let beyond = 3 + MAX_NONCES_AHEAD;
			tally.candidates.iter_mut().for_each(|c| c.message.nonce = beyond);
			DepositTallies::<Test>::insert(beyond, tally);
		},
		"tally beyond the window",
	);
}

#[test]
fn withdrawals_are_numbered_within_the_issued_nonces() {
	fails_with(|| LastWithdrawalNonce::<Test>::put(0), "withdrawal nonce");
	fails_with(
		|| Withdrawals::<Test>::mutate(1, |w| w.as_mut().unwrap().released_at = Some(1)),
		"released withdrawal not queued for pruning",
	);
}

#[test]
fn the_released_queue_is_in_order() {
	fails_with(|| ReleasedQueueBounds::<Test>::put((1, 0)), "released queue bounds crossed");
	fails_with(|| ReleasedQueueBounds::<Test>::put((0, 1)), "released queue gap");
}

#[test]
fn votes_are_of_the_set_in_force() {
	fails_with(
		|| RateTallies::<Test>::mutate(WSTETH, |v| v.as_mut().unwrap().set_id += 1),
		"candidate of another attester set",
	);
	fails_with(
		|| RateTallies::<Test>::mutate(WSTETH, |v| v.as_mut().unwrap().candidates[0].signers = 0),
		"unbacked candidate kept",
	);
}
