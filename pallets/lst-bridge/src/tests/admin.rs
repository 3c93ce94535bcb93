//! Root configuration: endpoint, attesters, tokens, guardian.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_core::H160;
use sp_runtime::{DispatchError, Perbill};

#[test]
fn attester_sets_must_be_sorted_unique_with_a_two_thirds_quorum() {
	ExtBuilder::default().build_and_execute(|| {
		let root = || RuntimeOrigin::root();
		let sorted = attester_addresses(4);
		let mut unsorted = sorted.clone();
		unsorted.swap(0, 1);
		assert_noop!(
			Bridge::set_attesters(root(), unsorted, 3, 2, None),
			Error::<Test>::InvalidAttesterSet
		);
		let mut dup = sorted.clone();
		dup[1] = dup[0];
		assert_noop!(
			Bridge::set_attesters(root(), dup, 3, 2, None),
			Error::<Test>::InvalidAttesterSet
		);
		assert_noop!(
			Bridge::set_attesters(root(), vec![], 0, 2, None),
			Error::<Test>::InvalidAttesterSet
		);
		assert_noop!(
			Bridge::set_attesters(root(), vec![H160::zero(), sorted[0]], 2, 2, None),
			Error::<Test>::InvalidAttesterSet
		);
		assert_noop!(
			Bridge::set_attesters(root(), sorted.clone(), 2, 2, None),
			Error::<Test>::InvalidQuorum
		);
		assert_noop!(
			Bridge::set_attesters(root(), sorted.clone(), 5, 2, None),
			Error::<Test>::InvalidQuorum
		);
		let too_many: Vec<_> = (1..=65u64).map(H160::from_low_u64_be).collect();
		assert_noop!(
			Bridge::set_attesters(root(), too_many, 65, 2, None),
			Error::<Test>::InvalidAttesterSet
		);
		assert_noop!(
			Bridge::set_attesters(RuntimeOrigin::signed(alice()), sorted.clone(), 3, 2, None),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::set_attesters(root(), sorted.clone(), 4, 2, None));
		let set = Attesters::<Test>::get().unwrap();
		assert_eq!((set.members.to_vec(), set.quorum, set.vault_set_id), (sorted, 4, 2));
	});
}

#[test]
fn tokens_register_once_with_a_fresh_asset_owned_by_the_bridge() {
	ExtBuilder::default().build_and_execute(|| {
		let root = || RuntimeOrigin::root();
		let cbeth = H160::repeat_byte(0x33);
		assert_noop!(
			Bridge::register_token(root(), WSTETH, 9, 18, 1, limits()),
			Error::<Test>::TokenExists
		);
		assert_noop!(
			Bridge::register_token(root(), cbeth, WSTETH_ASSET, 18, 1, limits()),
			Error::<Test>::AssetExists
		);
		assert_noop!(
			Bridge::register_token(RuntimeOrigin::signed(alice()), cbeth, 3, 18, 1, limits()),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::register_token(root(), cbeth, 3, 18, 1, limits()));
		assert_eq!(AssetTokens::<Test>::get(3), Some(cbeth));
		assert!(bridge_events().contains(&Event::TokenRegistered {
			token: cbeth,
			asset: 3,
			decimals: 18,
			limits: limits()
		}));
		let mut l = limits();
		l.haircut = Perbill::from_percent(20);
		assert_noop!(
			Bridge::update_token(root(), H160::repeat_byte(0x44), l.clone()),
			Error::<Test>::UnknownToken
		);
		assert_ok!(Bridge::update_token(root(), cbeth, l.clone()));
		assert_eq!(Tokens::<Test>::get(cbeth).unwrap().haircut, Perbill::from_percent(20));
	});
}

#[test]
fn a_new_endpoint_voids_collected_attestations() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		attest(&d, &[0]);
		assert_ok!(Bridge::set_endpoint(RuntimeOrigin::root(), endpoint()));
		attest(&d, &[1]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		attest(&d, &[2]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn the_guardian_is_root_s_choice() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Bridge::set_guardian(RuntimeOrigin::signed(guardian()), Some(alice())),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::set_guardian(RuntimeOrigin::root(), None));
		assert_noop!(Bridge::pause(RuntimeOrigin::signed(guardian())), Error::<Test>::NotGuardian);
		assert_noop!(Bridge::resume(RuntimeOrigin::root()), Error::<Test>::AlreadyInMode);
	});
}

#[test]
fn integrity_holds() {
	use frame_support::traits::Hooks;
	ExtBuilder::default().build_and_execute(|| {
		<Bridge as Hooks<u64>>::integrity_test();
	});
}
