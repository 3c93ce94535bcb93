//! Double-sign evidence: valid, replayed, forged, the same message twice, another key,
//! different rounds, log-only; one punishment per membership (the operator is ejected), pruned
//! with the membership; free only when it slashes enough (H-2).

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::restaking::SlashDestination;
use sp_core::{ed25519, sr25519, Pair};

fn report(
	set: OperatorSetId,
	a: (AvsMessage, OperatorSignature),
	b: (AvsMessage, OperatorSignature),
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Slashing::report_equivocation(RuntimeOrigin::signed(BOB), set, OP1, a.0, a.1, b.0, b.1)
}

#[test]
fn valid_evidence_slashes_at_once_ejects_and_pays_the_reporter() {
	ExtBuilder.build_and_execute(|| {
		// Veto terms: equivocation skips the window all the same.
		let set = slashable_op1(veto_terms(10));
		// The operator has 1 000 of its own at stake beside Alice's.
		stake(OP1, STRAT_A, 1_000, OP1);
		let pair = member_pair(OP1, set);
		let a = signed(&pair, set, 7, b"price=100");
		let b = signed(&pair, set, 7, b"price=999");
		let bob_before = Assets::balance(LST_A, BOB);
		let treasury_before = Assets::balance(LST_A, TREASURY);
		let info = report(set, a, b).unwrap();
		// It slashed well above the floor: free.
		assert_eq!(info.pays_fee, frame_support::dispatch::Pays::No);
		let id = NextSlashId::<Test>::get() - 1;
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.fraction, WAD / 10);
		// 10% of 2 000 slashed; 10% of the operator's own 100 lost to the reporter, the rest
		// to the treasury.
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(record.amounts[0].reward, 10);
		assert_eq!(Assets::balance(LST_A, BOB), bob_before + 10);
		assert_eq!(Assets::balance(LST_A, TREASURY), treasury_before + 190);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		assert_eq!(Evidence::<Test>::get(set, OP1), Some((7, id)));
		let evidence = Slashing::evidence_id(&set, &OP1, 7);
		assert!(matches!(
			record.source,
			SlashSource::Equivocation { reporter: BOB, round: 7, evidence: e } if e == evidence
		));
		// Out of the set, still slashable for the deallocation delay.
		let membership = pallet_avs_registry::Members::<Test>::get(set, OP1).unwrap();
		assert_eq!(membership.slashable_until, Some(System::block_number() + DEALLOCATION_DELAY));
		assert!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			OP1,
			set,
			WAD / 10,
			reason()
		)
		.is_ok());
	});
}

#[test]
fn an_operator_is_punished_for_equivocation_once_per_membership() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let pair = member_pair(OP1, set);
		let a = signed(&pair, set, 7, b"x");
		let b = signed(&pair, set, 7, b"y");
		assert_ok!(report(set, a.clone(), b.clone()));
		assert_noop!(report(set, a.clone(), b.clone()), Error::<Test>::DuplicateEvidence);
		// Swapped, or a third payload for the same round: the same offence.
		assert_noop!(report(set, b.clone(), a.clone()), Error::<Test>::DuplicateEvidence);
		let c = signed(&pair, set, 7, b"z");
		assert_noop!(report(set, a, c), Error::<Test>::DuplicateEvidence);
		// Another round of the same membership: punished (and ejected) already.
		assert_noop!(
			report(set, signed(&pair, set, 8, b"x"), signed(&pair, set, 8, b"y")),
			Error::<Test>::AlreadyPunished
		);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		assert_eq!(Evidence::<Test>::iter().count(), 1);
	});
}

#[test]
fn self_made_evidence_spam_pays_its_fee_and_leaves_one_record() {
	// H-2: the review's attack. An AVS owner joins its own set with a key of its own,
	// allocates one magnitude unit and nothing at stake, and double-signs round after round.
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_terms(SlashingTermsOf::<Test> {
			max_slash_per_epoch: WAD,
			equivocation_penalty: WAD / 100,
			slashed_funds: SlashDestination::Burn,
			..terms()
		});
		restaking_operator(AVS_OWNER);
		join(AVS_OWNER, set);
		allocate(AVS_OWNER, set, STRAT_A, 1);
		let pair = member_pair(AVS_OWNER, set);
		let spam = |round: u64| {
			let (a, sa) = signed(&pair, set, round, b"x");
			let (b, sb) = signed(&pair, set, round, b"y");
			Slashing::report_equivocation(RuntimeOrigin::signed(BOB), set, AVS_OWNER, a, sa, b, sb)
		};
		// It slashed nothing worth a free report: the reporter pays.
		let info = spam(0).unwrap();
		assert_eq!(info.pays_fee, frame_support::dispatch::Pays::Yes);
		for round in 1..100 {
			assert_noop!(spam(round), Error::<Test>::AlreadyPunished);
		}
		assert_eq!(Evidence::<Test>::iter().count(), 1);
		assert_eq!(NextSlashId::<Test>::get(), 1);
		// Its own report pays it nothing either.
		assert_eq!(Slashes::<Test>::get(0).unwrap().amounts[0].reward, 0);
	});
}

#[test]
fn evidence_is_kept_while_the_set_can_slash_and_pruned_with_the_membership() {
	// H-2 / L-5: no evidence (nor epoch tally) outlives the membership it is about.
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let pair = member_pair(OP1, set);
		assert_ok!(report(set, signed(&pair, set, 7, b"x"), signed(&pair, set, 7, b"y")));
		assert!(EpochSlashed::<Test>::contains_key(set, OP1));
		advance(DEALLOCATION_DELAY - 1);
		// Still slashable: replays still refused.
		assert_noop!(
			report(set, signed(&pair, set, 7, b"x"), signed(&pair, set, 7, b"y")),
			Error::<Test>::DuplicateEvidence
		);
		assert_noop!(
			AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1),
			pallet_avs_registry::Error::<Test>::StillSlashable
		);
		advance(1);
		assert_ok!(AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1));
		assert!(!Evidence::<Test>::contains_key(set, OP1));
		assert!(!EpochSlashed::<Test>::contains_key(set, OP1));
		// Nobody can slash it there any more.
		assert_noop!(
			report(set, signed(&pair, set, 7, b"x"), signed(&pair, set, 7, b"y")),
			Error::<Test>::NotSlashable
		);
	});
}

#[test]
fn malformed_evidence_is_rejected_with_a_named_error() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let pair = member_pair(OP1, set);
		let a = signed(&pair, set, 7, b"x");
		// The same message twice.
		assert_noop!(report(set, a.clone(), a.clone()), Error::<Test>::SameMessage);
		// Different rounds.
		assert_noop!(
			report(set, a.clone(), signed(&pair, set, 8, b"y")),
			Error::<Test>::DifferentRounds
		);
		// Messages for another set.
		let other = OperatorSetId { avs: set.avs, index: set.index + 1 };
		assert_noop!(
			report(set, signed(&pair, other, 7, b"x"), signed(&pair, other, 7, b"y")),
			Error::<Test>::WrongSet
		);
		// Signed by a key that is not the operator's.
		let stranger = sr25519::Pair::from_seed(&[9; 32]);
		assert_noop!(
			report(set, a.clone(), signed(&stranger, set, 7, b"y")),
			Error::<Test>::InvalidSignature
		);
		// A forged signature: a valid one over other contents.
		let (forged, _) = signed(&pair, set, 7, b"y");
		let (_, sig_z) = signed(&pair, set, 7, b"z");
		assert_noop!(report(set, a.clone(), (forged, sig_z)), Error::<Test>::InvalidSignature);
		// Another scheme than the key's.
		let ed = ed25519::Pair::from_seed(&[3; 32]);
		let (m, _) = signed(&pair, set, 7, b"y");
		let sig =
			OperatorSignature::Ed25519(ed.sign(&m.signing_payload(&AvsRegistry::genesis_hash())));
		assert_noop!(report(set, a.clone(), (m, sig)), Error::<Test>::InvalidSignature);
		// Signed for another chain.
		let (m, _) = signed(&pair, set, 7, b"y");
		let sig = OperatorSignature::Sr25519(pair.sign(&m.signing_payload(&[1; 32])));
		assert_noop!(report(set, a.clone(), (m, sig)), Error::<Test>::InvalidSignature);
		// Against someone who is not in the set.
		let b = signed(&pair, set, 7, b"y");
		assert_noop!(
			Slashing::report_equivocation(RuntimeOrigin::signed(BOB), set, OP2, a.0, a.1, b.0, b.1),
			Error::<Test>::NotSlashable
		);
		assert_eq!(withdrawable(ALICE, STRAT_A), 1_000);
		assert_eq!(NextSlashId::<Test>::get(), 0);
	});
}

#[test]
fn equivocation_respects_the_epoch_cap() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let pair = member_pair(OP1, set);
		// The AVS used up all but 5% of this epoch's cap: the penalty shrinks to fit.
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			OP1,
			set,
			WAD / 2 - WAD / 20,
			reason()
		));
		assert_ok!(report(set, signed(&pair, set, 1, b"x"), signed(&pair, set, 1, b"y")));
		let id = NextSlashId::<Test>::get() - 1;
		assert_eq!(Slashes::<Test>::get(id).unwrap().fraction, WAD / 20);
		// Used up entirely: nothing left for evidence against another operator this epoch.
		restaking_operator(OP2);
		join(OP2, set);
		stake(BOB, STRAT_B, 1_000, OP2);
		allocate(OP2, set, STRAT_B, WAD);
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			OP2,
			set,
			WAD / 2,
			reason()
		));
		let pair2 = member_pair(OP2, set);
		let (a, sa) = signed(&pair2, set, 1, b"x");
		let (b, sb) = signed(&pair2, set, 1, b"y");
		assert_noop!(
			Slashing::report_equivocation(RuntimeOrigin::signed(ALICE), set, OP2, a, sa, b, sb),
			Error::<Test>::EpochCapExceeded
		);
	});
}

#[test]
fn log_only_records_evidence_and_takes_nothing() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let pair = member_pair(OP1, set);
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::root(),
			set,
			SlashingMode::LogOnly
		));
		let before = withdrawable(ALICE, STRAT_A);
		assert_ok!(report(set, signed(&pair, set, 2, b"x"), signed(&pair, set, 2, b"y")));
		let id = NextSlashId::<Test>::get() - 1;
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Logged);
		assert_eq!(withdrawable(ALICE, STRAT_A), before);
		// Recorded (never reportable again) but not ejected: nothing executes in log-only.
		assert!(pallet_avs_registry::Members::<Test>::get(set, OP1)
			.unwrap()
			.slashable_until
			.is_none());
		assert_noop!(
			report(set, signed(&pair, set, 2, b"x"), signed(&pair, set, 2, b"y")),
			Error::<Test>::DuplicateEvidence
		);
		// Disabled: not even recorded.
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::root(),
			set,
			SlashingMode::Disabled
		));
		assert_noop!(
			report(set, signed(&pair, set, 3, b"x"), signed(&pair, set, 3, b"y")),
			Error::<Test>::SlashingDisabled
		);
	});
}

#[test]
fn a_set_without_an_equivocation_penalty_rejects_evidence() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(SlashingTermsOf::<Test> { equivocation_penalty: 0, ..terms() });
		let pair = member_pair(OP1, set);
		assert_noop!(
			report(set, signed(&pair, set, 1, b"x"), signed(&pair, set, 1, b"y")),
			Error::<Test>::NoEquivocationPenalty
		);
	});
}

#[test]
fn evidence_verified_elsewhere_slashes_once_through_slash_equivocation() {
	ExtBuilder.build_and_execute(|| {
		// What the LST bridge does with an attester's conflicting signatures for nonce 7.
		let set = slashable_op1(terms());
		stake(OP1, STRAT_A, 1_000, OP1);
		let id = Slashing::slash_equivocation(BOB, set, OP1, 7).unwrap();
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		assert_eq!(Assets::balance(LST_A, BOB), INITIAL + 10);
		assert_noop!(
			Slashing::slash_equivocation(BOB, set, OP1, 7),
			Error::<Test>::DuplicateEvidence
		);
		// The same round shown as signed AVS messages is the same offence.
		let pair = member_pair(OP1, set);
		assert_noop!(
			report(set, signed(&pair, set, 7, b"x"), signed(&pair, set, 7, b"y")),
			Error::<Test>::DuplicateEvidence
		);
		assert_noop!(Slashing::slash_equivocation(BOB, set, OP2, 8), Error::<Test>::NotSlashable);
	});
}
