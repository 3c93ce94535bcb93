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
			Some(Rate { rate: 1_200 * ONE / 1_000, reported_at: START_SECS - 10 })
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

#[test]
fn a_newer_report_replaces_the_candidate_and_an_older_one_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let first = rate_report(RETH, ONE, START_SECS - 30);
		let newer = rate_report(RETH, ONE + 1, START_SECS - 20);
		attest_rate(&newer, &[0]);
		assert_noop!(
			Bridge::attest_rate(RuntimeOrigin::signed(relayer()), first, sign_rate(1, &first)),
			Error::<Test>::RateSuperseded
		);
		let newest = rate_report(RETH, ONE + 2, START_SECS - 10);
		attest_rate(&newest, &[1]);
		// The candidate is now `newest`: one more signature applies it.
		attest_rate(&newest, &[2]);
		assert_eq!(Rates::<Test>::get(RETH).unwrap().rate, ONE + 2);
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
		assert_eq!(Rates::<Test>::get(RETH), Some(Rate { rate: 2 * ONE, reported_at: START_SECS }));
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
