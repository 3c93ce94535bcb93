//! Operators joining and leaving operator sets: proofs of possession, unique keys, limits,
//! and the slashable window after leaving.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::{
	avs::{proof_of_possession_payload, OperatorSetMembers},
	restaking::{OperatorSlasher, SlashDestination},
};
use sp_core::Pair;

fn register(
	op: AccountId,
	set: OperatorSetId,
	key: OperatorKey,
	proof: OperatorSignature,
) -> sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo> {
	AvsRegistry::register_for_operator_set(RuntimeOrigin::signed(op), set, key, proof)
}

fn set_with_key_type(key_type: KeyType) -> OperatorSetId {
	let set = avs_with_set();
	OperatorSets::<Test>::mutate(set, |s| s.as_mut().unwrap().config.key_type = key_type);
	set
}

#[test]
fn every_key_scheme_proves_possession() {
	for key_type in [KeyType::Sr25519, KeyType::Ed25519, KeyType::Ecdsa] {
		ExtBuilder.build_and_execute(|| {
			let set = set_with_key_type(key_type);
			restaking_operator(OP1);
			let (key, proof) = key_and_proof(key_type, OP1, set, 3);
			assert_ok!(register(OP1, set, key.clone(), proof));
			let m = Members::<Test>::get(set, OP1).unwrap();
			assert_eq!((m.key.clone(), m.slashable_until), (key.clone(), None));
			assert_eq!(KeyOwners::<Test>::get(&key), Some((set, OP1)));
			assert_eq!(OperatorSets::<Test>::get(set).unwrap().members, 1);
			assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_member(&OP1, &set));
			assert_eq!(
				registry_events().last(),
				Some(&Event::OperatorRegistered { set, operator: OP1, key })
			);
		});
	}
}

#[test]
fn bad_proofs_are_rejected() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		let other_set = OperatorSetId { avs: 0, index: 1 };
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			set_config(&[STRAT_A])
		));
		restaking_operator(OP1);
		restaking_operator(OP2);
		// Signed for another set, for another operator, or for another chain.
		let (key, for_other_set) = key_and_proof(KeyType::Sr25519, OP1, other_set, 1);
		assert_noop!(
			register(OP1, set, key.clone(), for_other_set),
			Error::<Test>::InvalidProofOfPossession
		);
		let (_, for_op2) = key_and_proof(KeyType::Sr25519, OP2, set, 1);
		assert_noop!(
			register(OP1, set, key.clone(), for_op2),
			Error::<Test>::InvalidProofOfPossession
		);
		let pair = sr_pair(OP1, 1);
		let other_chain = proof_of_possession_payload(&[1u8; 32], &set, &OP1);
		assert_noop!(
			register(OP1, set, key.clone(), OperatorSignature::Sr25519(pair.sign(&other_chain))),
			Error::<Test>::InvalidProofOfPossession
		);
		// A signature by another key.
		let (_, by_other_key) = key_and_proof(KeyType::Sr25519, OP1, set, 2);
		assert_noop!(
			register(OP1, set, key.clone(), by_other_key),
			Error::<Test>::InvalidProofOfPossession
		);
		// Scheme mismatches.
		let (ed_key, ed_proof) = key_and_proof(KeyType::Ed25519, OP1, set, 1);
		assert_noop!(register(OP1, set, ed_key, ed_proof.clone()), Error::<Test>::WrongKeyType);
		assert_noop!(
			register(OP1, set, key.clone(), ed_proof),
			Error::<Test>::InvalidProofOfPossession
		);
		assert_eq!(OperatorSets::<Test>::get(set).unwrap().members, 0);
	});
}

#[test]
fn a_key_belongs_to_one_membership() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			set_config(&[STRAT_A])
		));
		let second = OperatorSetId { avs: 0, index: 1 };
		restaking_operator(OP1);
		restaking_operator(OP2);
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP1, set, 1);
		assert_ok!(register(OP1, set, key.clone(), proof));
		assert_noop!(
			AvsRegistry::register_for_operator_set(
				RuntimeOrigin::signed(OP1),
				set,
				key.clone(),
				key_and_proof(KeyType::Sr25519, OP1, set, 1).1
			),
			Error::<Test>::AlreadyMember
		);
		// The same key for another set, even by its holder, or claimed by another operator
		// (who cannot prove possession anyway).
		let pair = sr_pair(OP1, 1);
		let for_second = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &second, &OP1);
		assert_noop!(
			register(OP1, second, key.clone(), OperatorSignature::Sr25519(pair.sign(&for_second))),
			Error::<Test>::KeyAlreadyClaimed
		);
		let for_op2 = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, &OP2);
		assert_noop!(
			register(OP2, set, key, OperatorSignature::Sr25519(pair.sign(&for_op2))),
			Error::<Test>::KeyAlreadyClaimed
		);
	});
}

#[test]
fn joining_needs_an_operator_room_and_stake() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![]));
		let mut config = set_config(&[STRAT_A, STRAT_B]);
		config.strategies = vec![(STRAT_A, 1_000), (STRAT_B, 0)].try_into().unwrap();
		config.max_operators = 1;
		assert_ok!(AvsRegistry::create_operator_set(RuntimeOrigin::signed(AVS_OWNER), 0, config));
		let set = OperatorSetId { avs: 0, index: 0 };
		let unknown = OperatorSetId { avs: 0, index: 3 };
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP1, unknown, 1);
		assert_noop!(register(OP1, unknown, key, proof), Error::<Test>::UnknownOperatorSet);
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP1, set, 1);
		assert_noop!(register(OP1, set, key.clone(), proof.clone()), Error::<Test>::NotOperator);
		restaking_operator(OP1);
		stake(ALICE, STRAT_A, 999, OP1);
		assert_noop!(
			register(OP1, set, key.clone(), proof.clone()),
			Error::<Test>::InsufficientStake
		);
		stake(ALICE, STRAT_A, 1, OP1);
		assert_ok!(register(OP1, set, key, proof));
		restaking_operator(OP2);
		stake(BOB, STRAT_A, 5_000, OP2);
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP2, set, 1);
		assert_noop!(register(OP2, set, key, proof), Error::<Test>::SetFull);
	});
}

#[test]
fn restaking_allocates_only_to_members_and_accepted_strategies() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![]));
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			set_config(&[STRAT_A])
		));
		let set = OperatorSetId { avs: 0, index: 0 };
		restaking_operator(OP1);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, WAD / 2),
			pallet_restaking::Error::<Test>::NotInOperatorSet
		);
		join(OP1, set);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_B, WAD / 2),
			pallet_restaking::Error::<Test>::StrategyNotAccepted
		);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, WAD / 2));
	});
}

#[test]
fn leaving_winds_allocations_down_and_stays_slashable_for_the_delay() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		stake(ALICE, STRAT_A, 1_000, OP1);
		join(OP1, set);
		allocate(OP1, set, STRAT_A, WAD / 2);
		// A pending increase in another strategy is dropped on leaving.
		stake(ALICE, STRAT_B, 1_000, OP1);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_B, WAD / 4));
		assert_noop!(
			AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP2), set),
			Error::<Test>::NotMember
		);
		assert_ok!(AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP1), set));
		let now = System::block_number();
		let until = now + DEALLOCATION_DELAY;
		assert_eq!(
			registry_events().last(),
			Some(&Event::OperatorDeregistered {
				set,
				operator: OP1,
				slashable_until: until,
				ejected: false
			})
		);
		let record = OperatorSets::<Test>::get(set).unwrap();
		assert_eq!((record.members, record.departed), (0, 1));
		assert!(!<AvsRegistry as OperatorSetRegistry<_>>::is_member(&OP1, &set));
		assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_slashable(&OP1, &set));
		// Not a member, but its key is still one the set may slash (the bridge finds attesters
		// by it).
		let member_key = Members::<Test>::get(set, OP1).unwrap().key;
		assert!(<AvsRegistry as OperatorSetMembers<_>>::members(&set).is_empty());
		assert_eq!(
			<AvsRegistry as OperatorSetMembers<_>>::slashable_keys(&set),
			vec![member_key.clone()]
		);
		// No new allocation once gone.
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_B, WAD / 4),
			pallet_restaking::Error::<Test>::NotInOperatorSet
		);
		// The magnitude in force stays until the deallocation delay; the pending increase is gone.
		let (magnitude, stake_a) = Restaking::allocated_stake(&OP1, &set, STRAT_A);
		assert_eq!((magnitude, stake_a), (WAD / 2, 500));
		assert_eq!(Restaking::allocated_stake(&OP1, &set, STRAT_B), (0, 0));
		assert_eq!(Restaking::book(&OP1, STRAT_B).encumbered, 0);
		// Rejoining waits for the purge.
		let (key, proof) = key_and_proof(KeyType::Sr25519, OP1, set, 9);
		assert_noop!(
			AvsRegistry::register_for_operator_set(RuntimeOrigin::signed(OP1), set, key, proof),
			Error::<Test>::StillDeparting
		);
		// Still slashable within the window: the set takes its share.
		advance(DEALLOCATION_DELAY - 1);
		assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_slashable(&OP1, &set));
		assert_noop!(
			AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1),
			Error::<Test>::StillSlashable
		);
		let slashed = <Restaking as OperatorSlasher<AccountId, u128>>::slash_operator(
			&OP1,
			&set,
			WAD / 2,
			&SlashDestination::To(TREASURY),
		)
		.unwrap();
		assert_eq!(slashed.iter().map(|s| s.amount).sum::<u128>(), 250);
		advance(1);
		assert!(!<AvsRegistry as OperatorSetRegistry<_>>::is_slashable(&OP1, &set));
		assert!(<AvsRegistry as OperatorSetMembers<_>>::slashable_keys(&set).is_empty());
		assert_eq!(Restaking::allocated_stake(&OP1, &set, STRAT_A), (0, 0));
		assert_noop!(
			AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP2),
			Error::<Test>::NotMember
		);
		assert_ok!(AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1));
		assert!(KeyOwners::<Test>::get(&member_key).is_none());
		assert_eq!(OperatorSets::<Test>::get(set).unwrap().departed, 0);
		assert_eq!(
			registry_events().last(),
			Some(&Event::DepartedOperatorPurged { set, operator: OP1 })
		);
		// And it can join again.
		join(OP1, set);
	});
}

#[test]
fn purge_needs_a_departed_member() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		join(OP1, set);
		assert_noop!(
			AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1),
			Error::<Test>::NotDeparted
		);
	});
}

#[test]
fn the_avs_can_eject_an_operator() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		join(OP1, set);
		assert_noop!(
			AvsRegistry::eject_operator(RuntimeOrigin::signed(OP2), set, OP1),
			Error::<Test>::NotAvsOwner
		);
		assert_ok!(AvsRegistry::eject_operator(RuntimeOrigin::signed(AVS_OWNER), set, OP1));
		assert_eq!(
			registry_events().last(),
			Some(&Event::OperatorDeregistered {
				set,
				operator: OP1,
				slashable_until: 1 + DEALLOCATION_DELAY,
				ejected: true
			})
		);
		assert_noop!(
			AvsRegistry::eject_operator(RuntimeOrigin::signed(AVS_OWNER), set, OP1),
			Error::<Test>::NotMember
		);
	});
}
