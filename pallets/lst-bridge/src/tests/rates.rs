//! Rates: attested, bounded, fresh, and valued with the haircut.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};

const ONE: u128 = 1_000_000_000_000_000_000;

#[test]
fn quorum_sets_the_rate_and_the_view_applies_the_haircut() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Bridge::rate_view(WSTETH_ASSET), None);
		let r = rate_report(WSTETH, 1_200 * ONE / 1_000, START_SECS - 10);
		attest_rate(&r, &[0]);
		assert_eq!(Rates::<Test>::get(WSTETH), None);
		attest_rate(&r, &[1]);
		assert_eq!(
			Rates::<Test>::get(WSTETH),
			Some(Rate {
				rate: 1_200 * ONE / 1_000,
				reported_at: START_SECS - 10,
				round: (START_SECS - 10) / RATE_ROUND
			})
		);
		let view = Bridge::rate_view(WSTETH_ASSET).unwrap();
		// 10% haircut.
		assert_eq!(view.haircut_rate, 1_080 * ONE / 1_000);
		assert!(!view.stale);
		assert_eq!(Bridge::value_in_eth(WSTETH_ASSET, 10 * ONE), Some(108 * ONE / 10));
		// It goes stale with time.
		set_now_secs(START_SECS + MAX_RATE_AGE);
		assert!(Bridge::rate_view(WSTETH_ASSET).unwrap().stale);
	});
}

#[test]
fn stale_future_and_out_of_bound_reports_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let o = || RuntimeOrigin::signed(relayer());
		let too_old = rate_report(WSTETH, ONE, START_SECS - MAX_RATE_AGE - 1);
		assert_noop!(
			Bridge::attest_rate(o(), too_old, sign_rate(0, &too_old)),
			Error::<Test>::RateTooOld
		);
		let future = rate_report(WSTETH, ONE, START_SECS + 61);
		assert_noop!(
			Bridge::attest_rate(o(), future, sign_rate(0, &future)),
			Error::<Test>::RateFromFuture
		);
		let zero = rate_report(WSTETH, 0, START_SECS);
		assert_noop!(Bridge::attest_rate(o(), zero, sign_rate(0, &zero)), Error::<Test>::ZeroRate);
		attest_rate(&rate_report(WSTETH, ONE, START_SECS - 100), &[0, 1]);
		let older = rate_report(WSTETH, ONE, START_SECS - 100);
		assert_noop!(
			Bridge::attest_rate(o(), older, sign_rate(2, &older)),
			Error::<Test>::RateNotNewer
		);
		// Another report of the accepted one's round is not newer either.
		let same_round = rate_report(WSTETH, ONE + 1, START_SECS - 99);
		assert_noop!(
			Bridge::attest_rate(o(), same_round, sign_rate(2, &same_round)),
			Error::<Test>::RateNotNewer
		);
		// 5% allowed; 5.1% is not.
		let jump = rate_report(WSTETH, ONE + ONE / 1_000 * 51, START_SECS - 50);
		assert_noop!(
			Bridge::attest_rate(o(), jump, sign_rate(0, &jump)),
			Error::<Test>::RateOutOfBounds
		);
		let drop = rate_report(WSTETH, ONE - ONE / 1_000 * 51, START_SECS - 50);
		assert_noop!(
			Bridge::attest_rate(o(), drop, sign_rate(0, &drop)),
			Error::<Test>::RateOutOfBounds
		);
		let step = rate_report(WSTETH, ONE + ONE / 20, START_SECS - 50);
		attest_rate(&step, &[0, 2]);
		assert_eq!(Rates::<Test>::get(WSTETH).unwrap().rate, ONE + ONE / 20);
		let unknown = rate_report(sp_core::H160::repeat_byte(0x77), ONE, START_SECS);
		assert_noop!(
			Bridge::attest_rate(o(), unknown, sign_rate(0, &unknown)),
			Error::<Test>::UnknownToken
		);
	});
}

/// The review's L-9: anyone can make the vault report, so a spammer reporting every block
/// made attesters that scan at different moments sign different "newest" reports, a newer
/// candidate replacing the older one's signatures, and no quorum ever formed. Attesters now
/// sign the first report of each round, and each signature backs one report: an attester
/// that moved on to the next round does not erase the others' signatures.
#[test]
fn reports_spammed_every_block_cannot_keep_attesters_from_a_quorum() {
	ExtBuilder::default().build_and_execute(|| {
		let round_start = (START_SECS - 40) / RATE_ROUND * RATE_ROUND;
		// The first report of the round and the spammer's reports after it.
		let first = rate_report(RETH, ONE, round_start);
		let spam: Vec<_> =
			(1..RATE_ROUND).map(|i| rate_report(RETH, ONE + i as u128, round_start + i)).collect();
		// Attester 0 scanned the round: it signs its first report.
		attest_rate(&first, &[0]);
		// Attester 1 stepped later, past the round: it signs the next round's first report.
		let next = rate_report(RETH, ONE + 100, round_start + RATE_ROUND);
		attest_rate(&next, &[1]);
		// Attester 2 scanned the same round as 0: same first report, quorum.
		attest_rate(&first, &[2]);
		assert_eq!(Rates::<Test>::get(RETH).unwrap().rate, ONE);
		// The accepted round is forgotten; 1's signature of the next round still counts.
		let votes = RateTallies::<Test>::get(RETH).unwrap();
		assert_eq!(votes.candidates.len(), 1);
		assert_eq!(votes.candidates[0].message, next);
		// Nobody signs the spam; an attester that does gains nothing but an error on its
		// second report of the round.
		assert_noop!(
			Bridge::attest_rate(RuntimeOrigin::signed(relayer()), spam[0], sign_rate(0, &spam[0])),
			Error::<Test>::RateNotNewer
		);
		attest_rate(&next, &[0]);
		assert_eq!(Rates::<Test>::get(RETH).unwrap().rate, ONE + 100);
		assert!(!RateTallies::<Test>::contains_key(RETH));
	});
}

#[test]
fn an_attester_backs_one_report_and_moves_only_to_a_later_round() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		let o = || RuntimeOrigin::signed(relayer());
		let a = rate_report(RETH, ONE, START_SECS - 45);
		let same_round = rate_report(RETH, ONE + 1, START_SECS - 44);
		let later = rate_report(RETH, ONE + 2, START_SECS - 25);
		attest_rate(&a, &[0]);
		assert_noop!(Bridge::attest_rate(o(), a, sign_rate(0, &a)), Error::<Test>::AlreadySigned);
		assert_noop!(
			Bridge::attest_rate(o(), same_round, sign_rate(0, &same_round)),
			Error::<Test>::RoundAttested
		);
		// Moving to a later round leaves `a`, which nobody backs any more.
		attest_rate(&later, &[0]);
		let votes = RateTallies::<Test>::get(RETH).unwrap();
		assert_eq!(votes.candidates.len(), 1);
		assert_eq!(votes.candidates[0].message, later);
		assert_noop!(Bridge::attest_rate(o(), a, sign_rate(0, &a)), Error::<Test>::RoundAttested);
		// A slower attester's older round still collects (quorum of 4 is 3).
		attest_rate(&a, &[1, 2]);
		assert_eq!(Rates::<Test>::get(RETH), None);
		attest_rate(&later, &[1, 3]);
		assert_eq!(Rates::<Test>::get(RETH).unwrap().rate, ONE + 2);
		// `a`, of an earlier round, is gone with the accepted one.
		assert!(!RateTallies::<Test>::contains_key(RETH));
	});
}

#[test]
fn root_forces_a_rate_outside_the_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		attest_rate(&rate_report(RETH, ONE, START_SECS - 30), &[0, 1]);
		assert_noop!(
			Bridge::force_set_rate(RuntimeOrigin::signed(alice()), RETH, 2 * ONE),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Bridge::force_set_rate(RuntimeOrigin::root(), RETH, 2 * ONE));
		// Forced, it keeps the attested round: the next report must be of a later one.
		assert_eq!(
			Rates::<Test>::get(RETH),
			Some(Rate {
				rate: 2 * ONE,
				reported_at: START_SECS,
				round: (START_SECS - 30) / RATE_ROUND
			})
		);
		assert_noop!(
			Bridge::force_set_rate(RuntimeOrigin::root(), RETH, 0),
			Error::<Test>::ZeroRate
		);
	});
}

#[test]
fn every_new_rate_and_haircut_is_handed_on_after_the_haircut() {
	ExtBuilder::default().build_and_execute(|| {
		attest_rate(&rate_report(WSTETH, ONE, START_SECS - 30), &[0]);
		assert!(RATES.with(|r| r.borrow().is_empty()), "not before the quorum");
		attest_rate(&rate_report(WSTETH, ONE, START_SECS - 30), &[1]);
		assert_ok!(Bridge::force_set_rate(RuntimeOrigin::root(), WSTETH, 2 * ONE));
		let mut l = limits();
		l.haircut = sp_runtime::Perbill::from_percent(50);
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), WSTETH, l.clone()));
		// No rate yet for rETH: nothing to hand on.
		assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, l));
		assert_eq!(
			RATES.with(|r| r.borrow().clone()),
			vec![
				(WSTETH_ASSET, ONE / 10 * 9),
				(WSTETH_ASSET, 2 * ONE / 10 * 9),
				(WSTETH_ASSET, ONE)
			]
		);
	});
}
