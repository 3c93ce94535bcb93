//! AVS-requested slashes: instant, veto then execute, veto then cancel, who may request, the
//! per-epoch cap, log-only and disabled modes, and paged execution of due slashes.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Weight};

#[test]
fn instant_slash_executes_at_once_and_pays_the_destination() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let treasury_before = Assets::balance(LST_A, TREASURY);
		slashing_events_since_last_call();
		let id = request(set, WAD / 10);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts.len(), 1);
		assert_eq!(record.amounts[0].strategy, Some(STRAT_A));
		assert_eq!(record.amounts[0].amount, 100);
		assert_eq!(record.amounts[0].magnitude, WAD);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		assert_eq!(Assets::balance(LST_A, TREASURY), treasury_before + 100);
		assert!(matches!(
			record.source,
			SlashSource::Request { requester: AVS_OWNER, ref reason_uri } if reason_uri[..] == b"ipfs://evidence"[..]
		));
		assert_eq!(
			slashing_events_since_last_call(),
			vec![Event::SlashExecuted {
				id,
				operator: OP1,
				set: Some(set),
				amounts: record.amounts.to_vec(),
			}]
		);
	});
}

#[test]
fn veto_slash_waits_then_executes_in_on_initialize() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		let now = System::block_number();
		let id = request(set, WAD / 5);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Pending);
		assert_eq!(record.executes_at, now + 10);
		assert_eq!(PendingCount::<Test>::get(), 1);
		// Nothing taken yet; the predicted amount is recorded.
		assert_eq!(withdrawable(ALICE, STRAT_A), 1_000);
		assert_eq!(record.amounts[0].amount, 200);
		// Nobody can execute it early.
		assert_noop!(
			Slashing::execute_slash(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::VetoWindowOpen
		);
		advance(9);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Pending);
		advance(1);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(record.amounts[0].reward, 0);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
		assert_eq!(PendingCount::<Test>::get(), 0);
	});
}

#[test]
fn anyone_may_execute_a_due_slash_for_free_and_a_share() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		// The operator has 1 000 of its own at stake too: the executor's share is of that.
		stake(OP1, STRAT_A, 1_000, OP1);
		let id = request(set, WAD / 5);
		// The block passes without `on_initialize` (as if its budget went elsewhere).
		System::set_block_number(System::block_number() + 10);
		let before = Assets::balance(LST_A, BOB);
		let info = Slashing::execute_slash(RuntimeOrigin::signed(BOB), id).unwrap();
		assert_eq!(info.pays_fee, frame_support::dispatch::Pays::No);
		// 1% of the 200 the operator itself lost goes to the executor, the rest to the
		// treasury.
		assert_eq!(Assets::balance(LST_A, BOB), before + 2);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].reward, 2);
		assert_noop!(
			Slashing::execute_slash(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotPending
		);
		// The queue forgot it: the next `on_initialize` has nothing to do.
		advance(1);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
	});
}

#[test]
fn vetoed_slash_never_executes_and_frees_the_epoch_cap() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		let id = request(set, WAD / 2);
		// The cap (half per epoch) is used up by the pending request.
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::EpochCapExceeded
		);
		assert_noop!(
			Slashing::veto_slash(RuntimeOrigin::signed(AVS_OWNER), id, false),
			DispatchError::BadOrigin
		);
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), id, false));
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Vetoed);
		assert_noop!(
			Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), id, false),
			Error::<Test>::NotPending
		);
		advance(20);
		assert_eq!(withdrawable(ALICE, STRAT_A), 1_000);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Vetoed);
		// The vetoed fraction counts no more.
		request(set, WAD / 2);
	});
}

#[test]
fn only_the_owner_or_its_slasher_may_request() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		assert_noop!(
			Slashing::request_slash(RuntimeOrigin::signed(BOB), OP1, set, WAD / 10, reason()),
			Error::<Test>::NotSlasher
		);
		assert_noop!(
			Slashing::set_slasher(RuntimeOrigin::signed(BOB), set.avs, Some(BOB)),
			Error::<Test>::NotAvsOwner
		);
		assert_noop!(
			Slashing::set_slasher(RuntimeOrigin::signed(AVS_OWNER), 99, Some(BOB)),
			Error::<Test>::UnknownAvs
		);
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(AVS_OWNER), set.avs, Some(BOB)));
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(BOB),
			OP1,
			set,
			WAD / 10,
			reason()
		));
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(AVS_OWNER), set.avs, None));
		assert_noop!(
			Slashing::request_slash(RuntimeOrigin::signed(BOB), OP1, set, WAD / 10, reason()),
			Error::<Test>::NotSlasher
		);
		assert!(slashing_events().contains(&Event::SlasherSet { avs: set.avs, slasher: None }));
	});
}

#[test]
fn bad_requests_get_named_errors_and_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let unknown = OperatorSetId { avs: set.avs, index: 9 };
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				unknown,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::UnknownOperatorSet
		);
		for fraction in [0, WAD + 1] {
			assert_noop!(
				Slashing::request_slash(
					RuntimeOrigin::signed(AVS_OWNER),
					OP1,
					set,
					fraction,
					reason()
				),
				Error::<Test>::InvalidFraction
			);
		}
		// Not a member.
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP2,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::NotSlashable
		);
		// A member with nothing allocated.
		restaking_operator(OP2);
		join(OP2, set);
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP2,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::NothingToSlash
		);
		assert_eq!(NextSlashId::<Test>::get(), 0);
	});
}

#[test]
fn the_epoch_cap_bounds_what_a_set_takes_per_epoch() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		request(set, WAD / 4);
		request(set, WAD / 4);
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::EpochCapExceeded
		);
		// 1000 → 750 → 562 (a quarter of what is left each time, rounded against the staker).
		assert_eq!(withdrawable(ALICE, STRAT_A), 562);
		// The next epoch has a fresh cap.
		let next_epoch = (System::block_number() / EPOCH + 1) * EPOCH;
		advance(next_epoch - System::block_number());
		request(set, WAD / 2);
		assert_eq!(withdrawable(ALICE, STRAT_A), 281);
	});
}

#[test]
fn log_only_records_what_a_slash_would_take_and_takes_nothing() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		// The AVS owner may lower its own set's mode, not raise it.
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			SlashingMode::LogOnly
		));
		assert_noop!(
			Slashing::set_operator_set_mode(
				RuntimeOrigin::signed(AVS_OWNER),
				set,
				SlashingMode::Enabled
			),
			Error::<Test>::CannotRaiseMode
		);
		assert_noop!(
			Slashing::set_operator_set_mode(
				RuntimeOrigin::signed(BOB),
				set,
				SlashingMode::Disabled
			),
			Error::<Test>::NotAvsOwner
		);
		let id = request(set, WAD / 10);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Logged);
		assert_eq!(record.amounts[0].amount, 100);
		assert_eq!(withdrawable(ALICE, STRAT_A), 1_000);
		assert_eq!(Slashing::mode_view(&set).effective, SlashingMode::LogOnly);
		// Root enables it again.
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::root(),
			set,
			SlashingMode::Enabled
		));
		request(set, WAD / 10);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
	});
}

#[test]
fn the_global_mode_overrides_every_set() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(5));
		let id = request(set, WAD / 10);
		assert_noop!(
			Slashing::set_global_mode(RuntimeOrigin::signed(AVS_OWNER), SlashingMode::Disabled),
			DispatchError::BadOrigin
		);
		assert_ok!(Slashing::set_global_mode(RuntimeOrigin::root(), SlashingMode::Disabled));
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::SlashingDisabled
		);
		// A slash pending when slashing was switched off is only logged at its deadline.
		advance(5);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Logged);
		assert_eq!(withdrawable(ALICE, STRAT_A), 1_000);
		assert_ok!(Slashing::set_global_mode(RuntimeOrigin::root(), SlashingMode::LogOnly));
		let logged = request(set, WAD / 10);
		assert_eq!(Slashes::<Test>::get(logged).unwrap().status, SlashStatus::Logged);
		assert_eq!(Slashing::mode_view(&set).effective, SlashingMode::LogOnly);
		assert!(slashing_events().contains(&Event::GlobalModeSet { mode: SlashingMode::LogOnly }));
	});
}

#[test]
fn due_slashes_execute_under_a_per_block_weight_and_carry_over() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		let mut ids = Vec::new();
		for _ in 0..4 {
			ids.push(request(set, WAD / 10));
		}
		// Room for the bookkeeping and two executions per block.
		let per_slash =
			<() as WeightInfo>::execute_slash(kasane_primitives::slashing::MAX_SLASH_STRATEGIES);
		let db = <Test as frame_system::Config>::DbWeight::get();
		ExecutionWeight::set(
			&(db.reads(2).saturating_add(db.reads_writes(2, 2)) + per_slash.saturating_mul(2)),
		);
		advance(10);
		let executed = |ids: &[SlashId]| {
			ids.iter()
				.filter(|id| Slashes::<Test>::get(**id).unwrap().status == SlashStatus::Executed)
				.count()
		};
		assert_eq!(executed(&ids), 2);
		assert_eq!(PendingCount::<Test>::get(), 2);
		advance(1);
		assert_eq!(executed(&ids), 4);
		assert_eq!(PendingCount::<Test>::get(), 0);
		// Nothing pending: one read per block.
		assert_eq!(Slashing::execute_due(System::block_number(), Weight::MAX), db.reads(1));
	});
}

#[test]
fn a_full_due_block_moves_the_slash_to_the_next_with_room() {
	ExtBuilder.build_and_execute(|| {
		let set =
			slashable_op1(SlashingTermsOf::<Test> { max_slash_per_epoch: WAD, ..veto_terms(10) });
		let other = other_avs_slashable_op2();
		let deadline = System::block_number() + 10;
		let ids: Vec<_> = (0..4).map(|_| request(set, WAD / 100)).collect();
		assert!(ids.iter().all(|id| Slashes::<Test>::get(id).unwrap().executes_at == deadline));
		// Four due at the deadline fill it: the fifth (another AVS's) is due a block later.
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(OTHER_OWNER),
			OP2,
			other,
			WAD / 100,
			reason()
		));
		let fifth = NextSlashId::<Test>::get() - 1;
		assert_eq!(Slashes::<Test>::get(fifth).unwrap().executes_at, deadline + 1);
		advance(11);
		assert!(ids
			.iter()
			.chain([&fifth])
			.all(|id| Slashes::<Test>::get(id).unwrap().status == SlashStatus::Executed));
	});
}

/// `OTHER_OWNER`'s AVS with a veto set in which `OP2` has `BOB`'s 1 000 of LST B allocated.
fn other_avs_slashable_op2() -> OperatorSetId {
	assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(OTHER_OWNER), b"x".to_vec()));
	let avs = NextAvsId::<Test>::get() - 1;
	let mut config = set_config(&[STRAT_B]);
	config.terms = SlashingTermsOf::<Test> { max_slash_per_epoch: WAD, ..veto_terms(10) };
	assert_ok!(AvsRegistry::create_operator_set(RuntimeOrigin::signed(OTHER_OWNER), avs, config));
	let set = OperatorSetId { avs, index: 0 };
	restaking_operator(OP2);
	join(OP2, set);
	stake(BOB, STRAT_B, 1_000, OP2);
	allocate(OP2, set, STRAT_B, WAD);
	set
}

#[test]
fn one_avs_filling_its_pending_bound_blocks_no_other() {
	// H-3: the review's test. AVS A (the attacker) makes as many veto requests of fraction
	// the minimum as it may; AVS B's request still goes through.
	ExtBuilder.build_and_execute(|| {
		let set =
			slashable_op1(SlashingTermsOf::<Test> { max_slash_per_epoch: WAD, ..veto_terms(10) });
		let other = other_avs_slashable_op2();
		for _ in 0..4 {
			request(set, MIN_SLASH);
			advance(1);
		}
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::TooManyPending
		);
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(OTHER_OWNER),
			OP2,
			other,
			WAD / 10,
			reason()
		));
		assert_eq!(PendingPerAvs::<Test>::get(set.avs), 4);
		assert_eq!(PendingPerAvs::<Test>::get(other.avs), 1);
		// Below the minimum fraction nothing is requested at all.
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(OTHER_OWNER),
				OP2,
				other,
				MIN_SLASH - 1,
				reason()
			),
			Error::<Test>::FractionTooSmall
		);
		// Decided, a request frees its place.
		advance(10);
		request(set, MIN_SLASH);
	});
}

#[test]
fn a_pending_request_holds_a_deposit_returned_when_decided_and_burned_for_abuse() {
	// H-3: spamming requests costs a deposit per pending request.
	ExtBuilder.build_and_execute(|| {
		let set =
			slashable_op1(SlashingTermsOf::<Test> { max_slash_per_epoch: WAD, ..veto_terms(10) });
		let held = || {
			<Balances as frame_support::traits::fungible::InspectHold<AccountId>>::balance_on_hold(
				&RuntimeHoldReason::Slashing(HoldReason::SlashRequest),
				&AVS_OWNER,
			)
		};
		let issuance = Balances::total_issuance();
		let executed = request(set, WAD / 10);
		let vetoed = request(set, WAD / 10);
		let abusive = request(set, WAD / 10);
		assert_eq!(held(), 3 * REQUEST_DEPOSIT);
		assert_eq!(RequestDeposits::<Test>::get(abusive), Some((AVS_OWNER, REQUEST_DEPOSIT)));
		slashing_events_since_last_call();
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), vetoed, false));
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), abusive, true));
		assert_eq!(
			slashing_events_since_last_call(),
			vec![
				Event::SlashVetoed { id: vetoed, forfeited: false },
				Event::SlashVetoed { id: abusive, forfeited: true }
			]
		);
		assert_eq!(held(), REQUEST_DEPOSIT);
		assert_eq!(Balances::total_issuance(), issuance - REQUEST_DEPOSIT);
		advance(10);
		assert_eq!(Slashes::<Test>::get(executed).unwrap().status, SlashStatus::Executed);
		assert_eq!(held(), 0);
		assert_eq!(Balances::free_balance(AVS_OWNER), INITIAL - AVS_DEPOSIT - REQUEST_DEPOSIT);
		// Without the deposit, no request.
		let broke = 555;
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(AVS_OWNER), set.avs, Some(broke)));
		assert!(Slashing::request_slash(
			RuntimeOrigin::signed(broke),
			OP1,
			set,
			WAD / 10,
			reason()
		)
		.is_err());
	});
}

#[test]
fn a_slasher_designation_ends_with_the_ownership() {
	// L-2: the previous owner's bot cannot request slashes on the new owner's sets.
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(AVS_OWNER), set.avs, Some(BOB)));
		assert_ok!(AvsRegistry::transfer_avs_ownership(
			RuntimeOrigin::signed(AVS_OWNER),
			set.avs,
			OTHER_OWNER
		));
		assert_ok!(AvsRegistry::accept_avs_ownership(RuntimeOrigin::signed(OTHER_OWNER), set.avs));
		assert_noop!(
			Slashing::request_slash(RuntimeOrigin::signed(BOB), OP1, set, WAD / 10, reason()),
			Error::<Test>::NotSlasher
		);
		// The new owner designates its own.
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(OTHER_OWNER), set.avs, Some(BOB)));
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(BOB),
			OP1,
			set,
			WAD / 10,
			reason()
		));
	});
}

#[test]
fn neither_the_operator_nor_the_avs_owner_is_paid_for_executing() {
	// H-4: nobody profits from slashing stake it controls.
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		stake(OP1, STRAT_A, 1_000, OP1);
		let by_owner = request(set, WAD / 10);
		let by_operator = request(set, WAD / 10);
		System::set_block_number(System::block_number() + 10);
		let (owner, operator) = (Assets::balance(LST_A, AVS_OWNER), Assets::balance(LST_A, OP1));
		assert_ok!(Slashing::execute_slash(RuntimeOrigin::signed(AVS_OWNER), by_owner));
		assert_ok!(Slashing::execute_slash(RuntimeOrigin::signed(OP1), by_operator));
		assert_eq!(Slashes::<Test>::get(by_owner).unwrap().amounts[0].reward, 0);
		assert_eq!(Slashes::<Test>::get(by_operator).unwrap().amounts[0].reward, 0);
		assert_eq!(Assets::balance(LST_A, AVS_OWNER), owner);
		assert_eq!(Assets::balance(LST_A, OP1), operator);
	});
}
