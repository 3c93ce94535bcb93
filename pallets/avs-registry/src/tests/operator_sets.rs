//! Creating operator sets, slashing-terms changes and allowlists.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::restaking::SlashDestination;

fn create(config: OperatorSetConfigOf<Test>) -> sp_runtime::DispatchResult {
	AvsRegistry::create_operator_set(RuntimeOrigin::signed(AVS_OWNER), 0, config)
}

#[test]
fn create_checks_the_config() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![]));
		assert_noop!(
			AvsRegistry::create_operator_set(RuntimeOrigin::signed(OP1), 0, set_config(&[1])),
			Error::<Test>::NotAvsOwner
		);
		assert_noop!(create(set_config(&[])), Error::<Test>::NoStrategies);
		assert_noop!(create(set_config(&[1, 2, 1])), Error::<Test>::DuplicateStrategy);
		let mut c = set_config(&[1]);
		c.max_operators = 0;
		assert_noop!(create(c.clone()), Error::<Test>::InvalidMaxOperators);
		c.max_operators = 9;
		assert_noop!(create(c), Error::<Test>::InvalidMaxOperators);
		let mut c = set_config(&[1]);
		c.terms.max_slash_per_epoch = WAD + 1;
		assert_noop!(create(c), Error::<Test>::SlashFractionOverOne);
		let mut c = set_config(&[1]);
		c.terms.equivocation_penalty = WAD + 1;
		assert_noop!(create(c), Error::<Test>::SlashFractionOverOne);
		// H-2: a penalty so small that evidence costs more to keep than it slashes.
		let mut c = set_config(&[1]);
		c.terms.equivocation_penalty = WAD / 100 - 1;
		assert_noop!(create(c.clone()), Error::<Test>::PenaltyTooSmall);
		c.terms.equivocation_penalty = 1;
		assert_noop!(create(c), Error::<Test>::PenaltyTooSmall);
		let mut c = set_config(&[1]);
		c.terms.mode = SlashExecution::Veto { window: 0 };
		assert_noop!(create(c.clone()), Error::<Test>::InvalidVetoWindow);
		c.terms.mode = SlashExecution::Veto { window: MAX_VETO_WINDOW + 1 };
		assert_noop!(create(c.clone()), Error::<Test>::InvalidVetoWindow);
		c.terms.mode = SlashExecution::Veto { window: MAX_VETO_WINDOW };
		assert_ok!(create(c.clone()));
		let set = OperatorSetId { avs: 0, index: 0 };
		assert_eq!(OperatorSets::<Test>::get(set).unwrap().config, c);
		assert_eq!(registry_events().last(), Some(&Event::OperatorSetCreated { set }));
		for _ in 1..4 {
			assert_ok!(create(set_config(&[1])));
		}
		assert_noop!(create(set_config(&[1])), Error::<Test>::TooManySets);
		assert_eq!(AvsRecords::<Test>::get(0).unwrap().sets, 4);
	});
}

#[test]
fn terms_change_only_after_the_delay() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		let mut harsher = terms();
		harsher.max_slash_per_epoch = WAD;
		harsher.slashed_funds = SlashDestination::Burn;
		assert_noop!(
			AvsRegistry::update_slashing_terms(RuntimeOrigin::signed(OP1), set, harsher.clone()),
			Error::<Test>::NotAvsOwner
		);
		let mut bad = harsher.clone();
		bad.mode = SlashExecution::Veto { window: 0 };
		assert_noop!(
			AvsRegistry::update_slashing_terms(RuntimeOrigin::signed(AVS_OWNER), set, bad),
			Error::<Test>::InvalidVetoWindow
		);
		assert_ok!(AvsRegistry::update_slashing_terms(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			harsher.clone()
		));
		let effective_at = 1 + TERMS_DELAY;
		const { assert!(TERMS_DELAY >= WITHDRAWAL_DELAY) };
		assert_eq!(
			registry_events().last(),
			Some(&Event::SlashingTermsScheduled { set, effective_at })
		);
		let record = OperatorSets::<Test>::get(set).unwrap();
		assert_eq!(record.terms_at(effective_at - 1), &terms());
		assert_eq!(record.terms_at(effective_at), &harsher);
		advance(TERMS_DELAY - 1);
		let view =
			&AvsRegistry::operator_sets_view(kasane_primitives::avs::MarketOrder::SetId, 0, 10)[0];
		assert_eq!(view.terms, terms());
		assert_eq!(view.pending_terms, Some((harsher.clone(), effective_at)));
		advance(1);
		let view =
			&AvsRegistry::operator_sets_view(kasane_primitives::avs::MarketOrder::SetId, 0, 10)[0];
		assert_eq!((view.terms.clone(), view.pending_terms.clone()), (harsher, None));
	});
}

#[test]
fn a_new_terms_change_restarts_the_delay() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		let mut t1 = terms();
		t1.equivocation_penalty = WAD / 5;
		assert_ok!(AvsRegistry::update_slashing_terms(RuntimeOrigin::signed(AVS_OWNER), set, t1));
		advance(10);
		let mut t2 = terms();
		t2.equivocation_penalty = WAD / 4;
		assert_ok!(AvsRegistry::update_slashing_terms(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			t2.clone()
		));
		let record = OperatorSets::<Test>::get(set).unwrap();
		assert_eq!(record.pending_terms, Some((t2, 11 + TERMS_DELAY)));
		assert_eq!(record.terms_at(1 + TERMS_DELAY), &terms());
	});
}

#[test]
fn allowlist_gates_joining() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![]));
		let mut c = set_config(&[STRAT_A]);
		c.allowlist = true;
		assert_ok!(create(c));
		let set = OperatorSetId { avs: 0, index: 0 };
		restaking_operator(OP1);
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP1, set, 1);
		assert_noop!(
			AvsRegistry::register_for_operator_set(
				RuntimeOrigin::signed(OP1),
				set,
				key.clone(),
				proof.clone()
			),
			Error::<Test>::NotAllowlisted
		);
		assert_noop!(
			AvsRegistry::set_allowlist(RuntimeOrigin::signed(OP1), set, OP1, true),
			Error::<Test>::NotAvsOwner
		);
		assert_noop!(
			AvsRegistry::set_allowlist(RuntimeOrigin::signed(AVS_OWNER), set, OP1, false),
			Error::<Test>::AllowlistUnchanged
		);
		assert_ok!(AvsRegistry::set_allowlist(RuntimeOrigin::signed(AVS_OWNER), set, OP1, true));
		assert_eq!(
			registry_events().last(),
			Some(&Event::AllowlistUpdated { set, operator: OP1, allowed: true })
		);
		assert_ok!(AvsRegistry::register_for_operator_set(
			RuntimeOrigin::signed(OP1),
			set,
			key,
			proof
		));
		// Taking it off the list does not end the membership.
		assert_ok!(AvsRegistry::set_allowlist(RuntimeOrigin::signed(AVS_OWNER), set, OP1, false));
		assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_member(&OP1, &set));
		for op in 1..=8u64 {
			assert_ok!(AvsRegistry::set_allowlist(
				RuntimeOrigin::signed(AVS_OWNER),
				set,
				1_000 + op,
				true
			));
		}
		assert_noop!(
			AvsRegistry::set_allowlist(RuntimeOrigin::signed(AVS_OWNER), set, 2_000, true),
			Error::<Test>::AllowlistFull
		);
	});
}
