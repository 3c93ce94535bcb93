//! Registering AVSs, their deposit, ownership and deregistration.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::AvsRegistry(HoldReason::AvsDeposit), &who)
}

#[test]
fn register_holds_the_deposit() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(AvsRegistry::register_avs(
			RuntimeOrigin::signed(AVS_OWNER),
			b"ipfs://a".to_vec()
		));
		assert_eq!(held(AVS_OWNER), AVS_DEPOSIT);
		assert_eq!(Balances::free_balance(AVS_OWNER), INITIAL - AVS_DEPOSIT);
		let avs = AvsRecords::<Test>::get(0).unwrap();
		assert_eq!(avs.owner, AVS_OWNER);
		assert_eq!(avs.metadata_uri.to_vec(), b"ipfs://a".to_vec());
		assert_eq!(
			registry_events(),
			vec![Event::AvsRegistered { avs: 0, owner: AVS_OWNER, deposit: AVS_DEPOSIT }]
		);
		// Ids are never reused.
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![]));
		assert_eq!(NextAvsId::<Test>::get(), 2);
	});
}

#[test]
fn register_fails_cleanly() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), vec![0; 65]),
			Error::<Test>::MetadataTooLong
		);
		// Cannot afford the deposit.
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), 77, AVS_DEPOSIT - 1);
		assert!(AvsRegistry::register_avs(RuntimeOrigin::signed(77), vec![]).is_err());
		assert_eq!(AvsRecords::<Test>::count(), 0);
	});
}

#[test]
fn metadata_is_updated_by_the_owner_only() {
	ExtBuilder.build_and_execute(|| {
		avs_with_set();
		assert_noop!(
			AvsRegistry::update_avs_metadata(RuntimeOrigin::signed(OP1), 0, b"x".to_vec()),
			Error::<Test>::NotAvsOwner
		);
		assert_noop!(
			AvsRegistry::update_avs_metadata(RuntimeOrigin::signed(AVS_OWNER), 9, b"x".to_vec()),
			Error::<Test>::UnknownAvs
		);
		assert_noop!(
			AvsRegistry::update_avs_metadata(RuntimeOrigin::signed(AVS_OWNER), 0, vec![1; 65]),
			Error::<Test>::MetadataTooLong
		);
		assert_ok!(AvsRegistry::update_avs_metadata(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			b"ipfs://b".to_vec()
		));
		assert_eq!(AvsRecords::<Test>::get(0).unwrap().metadata_uri.to_vec(), b"ipfs://b".to_vec());
		assert_eq!(registry_events().last(), Some(&Event::AvsMetadataUpdated { avs: 0 }));
	});
}

#[test]
fn ownership_moves_in_two_steps_with_the_deposit() {
	ExtBuilder.build_and_execute(|| {
		avs_with_set();
		assert_noop!(
			AvsRegistry::transfer_avs_ownership(RuntimeOrigin::signed(AVS_OWNER), 0, AVS_OWNER),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			AvsRegistry::accept_avs_ownership(RuntimeOrigin::signed(OTHER_OWNER), 0),
			Error::<Test>::NotPendingOwner
		);
		assert_ok!(AvsRegistry::transfer_avs_ownership(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			OTHER_OWNER
		));
		// Still the old owner's until accepted.
		assert_eq!(AvsRecords::<Test>::get(0).unwrap().owner, AVS_OWNER);
		assert_noop!(
			AvsRegistry::accept_avs_ownership(RuntimeOrigin::signed(OP1), 0),
			Error::<Test>::NotPendingOwner
		);
		assert_ok!(AvsRegistry::accept_avs_ownership(RuntimeOrigin::signed(OTHER_OWNER), 0));
		let avs = AvsRecords::<Test>::get(0).unwrap();
		assert_eq!((avs.owner, avs.pending_owner), (OTHER_OWNER, None));
		assert_eq!((held(AVS_OWNER), held(OTHER_OWNER)), (0, AVS_DEPOSIT));
		assert_eq!(
			registry_events().last(),
			Some(&Event::AvsOwnershipTransferred { avs: 0, from: AVS_OWNER, to: OTHER_OWNER })
		);
		// The old owner has no rights left.
		assert_noop!(
			AvsRegistry::update_avs_metadata(RuntimeOrigin::signed(AVS_OWNER), 0, vec![]),
			Error::<Test>::NotAvsOwner
		);
	});
}

#[test]
fn deregister_waits_until_nothing_is_slashable() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		join(OP1, set);
		assert_ok!(AvsRegistry::set_allowlist(RuntimeOrigin::signed(AVS_OWNER), set, OP2, true));
		assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), set, KSN, 500, 100));
		assert_noop!(
			AvsRegistry::deregister_avs(RuntimeOrigin::signed(OP1), 0),
			Error::<Test>::NotAvsOwner
		);
		// A member.
		assert_noop!(
			AvsRegistry::deregister_avs(RuntimeOrigin::signed(AVS_OWNER), 0),
			Error::<Test>::SetsStillSlashable
		);
		assert_ok!(AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP1), set));
		// A departed member, still slashable.
		assert_noop!(
			AvsRegistry::deregister_avs(RuntimeOrigin::signed(AVS_OWNER), 0),
			Error::<Test>::SetsStillSlashable
		);
		advance(DEALLOCATION_DELAY);
		assert_ok!(AvsRegistry::purge_departed(RuntimeOrigin::signed(BOB), set, OP1));
		let before = Balances::free_balance(AVS_OWNER);
		assert_ok!(AvsRegistry::deregister_avs(RuntimeOrigin::signed(AVS_OWNER), 0));
		// Deposit and the unpaid budget come back; every record is gone.
		assert_eq!(Balances::free_balance(AVS_OWNER), before + AVS_DEPOSIT + 500);
		assert_eq!(held(AVS_OWNER), 0);
		assert!(AvsRecords::<Test>::get(0).is_none());
		assert!(OperatorSets::<Test>::get(set).is_none());
		assert!(!Allowlist::<Test>::contains_key(set, OP2));
		assert!(RewardBudgets::<Test>::get(set, KSN).is_none());
		assert_eq!(Escrowed::<Test>::get(KSN), 0);
		let events = registry_events();
		assert!(events.contains(&Event::BudgetCancelled { set, asset: KSN, refunded: 500 }));
		assert_eq!(events.last(), Some(&Event::AvsDeregistered { avs: 0, owner: AVS_OWNER }));
		// Slashing forgets the purged membership and the AVS's sets (L-5).
		assert_eq!(PurgedMemberships::get(), vec![(set, OP1)]);
		assert_eq!(DeregisteredAvsList::get(), vec![(0, 1)]);
	});
}

#[test]
fn integrity_test_passes() {
	ExtBuilder.build_and_execute(|| {
		<AvsRegistry as frame_support::traits::Hooks<u64>>::integrity_test();
	});
}
