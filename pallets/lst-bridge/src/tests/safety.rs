//! Caps, the rolling mint limit, pausing: accepted deposits wait and are never lost.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use kasane_primitives::bridge::DepositStatus;
use sp_runtime::DispatchError;

#[test]
fn over_cap_deposit_waits_and_mints_once_room_is_made() {
	ExtBuilder::default().build_and_execute(|| {
		// Fill the cap over several days so the daily limit does not interfere.
		let mut nonce = 0;
		for _ in 0..10 {
			nonce += 1;
			attest(&deposit(nonce, WSTETH, &alice(), DAILY_LIMIT), &[0, 1]);
			advance(24 * HOUR);
		}
		assert_eq!(Tokens::<Test>::get(WSTETH).unwrap().outstanding(), CAP);
		let d = deposit(11, WSTETH, &bob(), 500);
		attest(&d, &[0, 1]);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
		assert_eq!(Bridge::deposit_status(11), DepositStatus::Parked);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 11),
			Error::<Test>::StillOverCap
		);
		// The nonce is spent: attesting it again does nothing.
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(2, &d)),
			Error::<Test>::AlreadyProcessed
		);
		// Room is made by a withdrawal to Ethereum.
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			500,
			sp_core::H160::repeat_byte(5)
		));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(relayer()), 11));
		assert_eq!(balance(WSTETH_ASSET, &bob()), 500);
		assert_eq!(Bridge::deposit_status(11), DepositStatus::Processed);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 11),
			Error::<Test>::NotWaiting
		);
	});
}

#[test]
fn raising_the_cap_releases_a_parked_deposit_and_lowering_it_below_supply_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let mut small = limits();
		small.cap = 1_000;
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small.clone()));
		attest(&deposit(1, RETH, &alice(), 800), &[0, 1]);
		attest(&deposit(2, RETH, &alice(), 800), &[0, 1]);
		assert_eq!(balance(RETH_ASSET, &alice()), 800);
		small.cap = 700;
		assert_noop!(
			Bridge::update_token(RuntimeOrigin::root(), RETH, small.clone()),
			Error::<Test>::CapBelowSupply
		);
		small.cap = 1_600;
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 2));
		assert_eq!(balance(RETH_ASSET, &alice()), 1_600);
	});
}

#[test]
fn paused_bridge_parks_deposits_and_guardian_cannot_resume() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Bridge::pause(RuntimeOrigin::signed(alice())), Error::<Test>::NotGuardian);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		assert_noop!(Bridge::pause(RuntimeOrigin::root()), Error::<Test>::AlreadyInMode);
		attest(&deposit(1, WSTETH, &alice(), 100), &[0, 1]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Parked);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 1),
			Error::<Test>::Paused
		);
		assert_noop!(Bridge::resume(RuntimeOrigin::signed(guardian())), DispatchError::BadOrigin);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 1));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert!(bridge_events().contains(&Event::ModeSet { mode: OperatingMode::Normal }));
	});
}

#[test]
fn a_paused_bridge_burns_nothing_and_changes_no_rate() {
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(1, WSTETH, &alice(), 100), &[0, 1]);
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		assert_noop!(
			Bridge::withdraw_to_ethereum(
				RuntimeOrigin::signed(alice()),
				WSTETH_ASSET,
				50,
				sp_core::H160::repeat_byte(5)
			),
			Error::<Test>::Paused
		);
		let r = rate_report(WSTETH, 1_100_000_000_000_000_000, START_SECS);
		assert_noop!(
			Bridge::attest_rate(RuntimeOrigin::signed(relayer()), r, sign_rate(0, &r)),
			Error::<Test>::Paused
		);
	});
}

#[test]
fn deposits_over_the_daily_limit_wait_the_delay_unless_root_cancels() {
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(1, WSTETH, &alice(), DAILY_LIMIT - 10), &[0, 1]);
		attest(&deposit(2, WSTETH, &bob(), 11), &[0, 1]);
		attest(&deposit(3, WSTETH, &bob(), 22), &[0, 1]);
		let until = System::block_number() + MINT_DELAY;
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Delayed { until });
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 2),
			Error::<Test>::DelayNotOver
		);
		assert_noop!(
			Bridge::cancel_deposit(RuntimeOrigin::signed(alice()), 3),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::cancel_deposit(RuntimeOrigin::root(), 3));
		// Paid back to its depositor by the first outbound withdrawal.
		assert_eq!(Bridge::deposit_status(3), DepositStatus::Refunded { withdrawal: 1 });
		advance(MINT_DELAY);
		// The delay is served: minted although the day's limit is still used up.
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 2));
		assert_eq!(balance(WSTETH_ASSET, &bob()), 11);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 3),
			Error::<Test>::NotWaiting
		);
	});
}

#[test]
fn the_limit_rolls_hour_by_hour() {
	ExtBuilder::default().build_and_execute(|| {
		// Half the limit now, half 12 hours later: the day is full.
		attest(&deposit(1, WSTETH, &alice(), DAILY_LIMIT / 2), &[0, 1]);
		advance(12 * HOUR);
		attest(&deposit(2, WSTETH, &alice(), DAILY_LIMIT / 2), &[0, 1]);
		assert_eq!(Bridge::minted_last_day(&WSTETH), DAILY_LIMIT);
		attest(&deposit(3, WSTETH, &alice(), 1), &[0, 1]);
		assert!(matches!(Bridge::deposit_status(3), DepositStatus::Delayed { .. }));
		// 24 hours after the first mint its bucket leaves the window.
		advance(12 * HOUR);
		assert_eq!(Bridge::minted_last_day(&WSTETH), DAILY_LIMIT / 2);
		attest(&deposit(4, WSTETH, &alice(), DAILY_LIMIT / 2), &[0, 1]);
		assert_eq!(Bridge::deposit_status(4), DepositStatus::Processed);
		// Each token has its own window.
		attest(&deposit(5, RETH, &alice(), DAILY_LIMIT), &[0, 1]);
		assert_eq!(balance(RETH_ASSET, &alice()), DAILY_LIMIT);
	});
}

#[test]
fn retrying_a_parked_deposit_over_the_limit_delays_it() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		attest(&deposit(1, WSTETH, &alice(), DAILY_LIMIT), &[0, 1]);
		attest(&deposit(2, WSTETH, &alice(), 1), &[0, 1]);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 1));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 2));
		assert!(matches!(Bridge::deposit_status(2), DepositStatus::Delayed { .. }));
		advance(MINT_DELAY);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(alice()), 2));
		assert_eq!(balance(WSTETH_ASSET, &alice()), DAILY_LIMIT + 1);
	});
}

#[test]
fn dust_for_a_new_account_waits_instead_of_failing() {
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(1, WSTETH, &bob(), MIN_BALANCE - 1), &[0, 1]);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Parked);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 1),
			Error::<Test>::StillUnmintable
		);
		attest(&deposit(2, WSTETH, &bob(), MIN_BALANCE), &[0, 1]);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 1));
		assert_eq!(balance(WSTETH_ASSET, &bob()), 2 * MIN_BALANCE - 1);
	});
}

#[test]
fn only_the_bridge_mints_its_assets() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Assets::mint(RuntimeOrigin::signed(alice()), WSTETH_ASSET, alice(), 100),
			pallet_assets::Error::<Test>::NoPermission
		);
		let owner = pallet_assets::Asset::<Test>::get(WSTETH_ASSET).unwrap().owner;
		assert_eq!(owner, Bridge::account_id());
	});
}

/// The deposits `retryable_deposits` names, all of them, paging `scan` at a time.
fn retryable(scan: u32) -> Vec<u64> {
	let (mut all, mut after) = Bridge::retryable_deposits(None, scan);
	let mut pages = 1;
	while let Some(cursor) = after {
		let (page, next) = Bridge::retryable_deposits(Some(cursor), scan);
		all.extend(page);
		after = next;
		pages += 1;
		assert!(pages <= 100, "the pages end");
	}
	all.sort();
	all
}

#[test]
fn relayers_are_told_which_waiting_deposits_a_retry_would_move_on() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Bridge::retryable_deposits(None, 10), (vec![], None));
		// Half the day's limit minted, then 2 above what is left (delayed) and 3, dust for a
		// new account (unmintable).
		attest(&deposit(1, WSTETH, &alice(), DAILY_LIMIT / 2), &[0, 1]);
		attest(&deposit(2, WSTETH, &alice(), DAILY_LIMIT), &[0, 1]);
		attest(&deposit(3, WSTETH, &bob(), MIN_BALANCE - 1), &[0, 1]);
		let until = System::block_number() + MINT_DELAY;
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Delayed { until });
		assert_eq!(Bridge::deposit_status(3), DepositStatus::Parked);
		// 4: over rETH's cap.
		let mut small = limits();
		small.cap = 100;
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small.clone()));
		attest(&deposit(4, RETH, &alice(), 101), &[0, 1]);
		// 5 and 6 while paused; 6 is above what is left of the day's limit.
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		attest(&deposit(5, RETH, &alice(), 50), &[0, 1]);
		attest(&deposit(6, WSTETH, &alice(), DAILY_LIMIT / 2 + 1), &[0, 1]);
		assert_eq!(retryable(10), Vec::<u64>::new(), "paused, over the cap, dust, delayed");

		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_eq!(retryable(10), vec![5, 6]);
		// Pages of one (and a scan of 0 is one) name the same.
		assert_eq!(retryable(1), vec![5, 6]);
		assert_eq!(retryable(0), vec![5, 6]);
		let (first, cursor) = Bridge::retryable_deposits(None, 1);
		assert!(first.len() <= 1 && cursor.is_some(), "five wait: a page of one stops short");
		assert_eq!(Bridge::retryable_deposits(None, u32::MAX).1, None, "all five in one page");
		// 5 mints and 6 starts its delay, as the list said both would move on.
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 5));
		assert_eq!(Bridge::deposit_status(5), DepositStatus::Processed);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 6));
		assert_eq!(Bridge::deposit_status(6), DepositStatus::Delayed { until });
		assert_eq!(retryable(10), Vec::<u64>::new());

		// Room under the cap, and a balance of Bob's the dust can join.
		small.cap = 1_000;
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small));
		attest(&deposit(7, WSTETH, &bob(), MIN_BALANCE), &[0, 1]);
		assert_eq!(Bridge::deposit_status(7), DepositStatus::Processed);
		assert_eq!(retryable(10), vec![3, 4]);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 3));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 4));
		assert_eq!(balance(RETH_ASSET, &alice()), 151);
		assert_eq!(retryable(10), Vec::<u64>::new());

		// A retry lands in the next block at the earliest: a delay ending at `until` is named
		// from the block before.
		System::set_block_number(until - 2);
		assert_eq!(retryable(10), Vec::<u64>::new());
		System::set_block_number(until - 1);
		assert_eq!(retryable(10), vec![2, 6]);
		assert_noop!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 2),
			Error::<Test>::DelayNotOver
		);
		// A paused bridge holds back even a deposit whose delay is over.
		System::set_block_number(until);
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		assert_eq!(retryable(10), Vec::<u64>::new());
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_eq!(retryable(1), vec![2, 6]);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 2));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 6));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 2 * DAILY_LIMIT + 1);
		assert_eq!(Bridge::retryable_deposits(None, 10), (vec![], None));
	});
}

#[test]
fn a_retry_that_moves_a_deposit_on_is_free_and_the_list_pages_on_past_what_left_it() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		for nonce in 1..=3 {
			attest(&deposit(nonce, WSTETH, &alice(), 100), &[0, 1]);
		}
		// Refused: the sender pays.
		let refused = Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 1).unwrap_err();
		assert_eq!(
			(refused.error, refused.post_info.pays_fee),
			(Error::<Test>::Paused.into(), Pays::Yes)
		);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		// Minted for someone else: free.
		assert_eq!(
			Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 1).map(|i| i.pays_fee),
			Ok(Pays::No)
		);
		// The first page's last entry is minted before the next page is asked for: the next
		// page starts after where it was.
		let (first, cursor) = Bridge::retryable_deposits(None, 1);
		let Some(gone) = cursor else { panic!("two wait: a page of one stops short") };
		assert_eq!(first, vec![gone]);
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), gone));
		let (rest, end) = Bridge::retryable_deposits(Some(gone), 10);
		assert_eq!(end, None);
		assert_eq!(rest.len(), 1);
		assert!(rest[0] != gone && (2..=3).contains(&rest[0]));
	});
}
