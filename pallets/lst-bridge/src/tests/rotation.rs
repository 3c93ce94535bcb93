//! The attesters follow the bridge's operator set: a membership change is proposed as a
//! hand-over of the vault, the current attesters sign it, and after the rotation delay the next
//! set takes over. The set must be governed, attesters must keep a minimum allocated stake,
//! and one hand-over changes at most a third of the set (the C-1 takeover).

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, traits::Hooks};
use kasane_primitives::avs::OperatorKey;
use sp_core::{sr25519, Pair, H160, H256};

/// Attester `i`'s signature of the pending hand-over.
fn sign_rotation(i: u8) -> (H256, EthSignature) {
	let view = Bridge::pending_rotation().expect("a hand-over is pending");
	(view.digest, eth_sign(&attester(i), &view.digest.0))
}

fn rotate() -> frame_support::dispatch::DispatchResultWithPostInfo {
	Bridge::rotate_attesters(RuntimeOrigin::signed(relayer()), set_members())
}

fn attest_rotation(i: u8) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let (digest, signature) = sign_rotation(i);
	Bridge::attest_rotation(RuntimeOrigin::signed(relayer()), digest, signature)
}

#[test]
fn a_joining_operator_takes_over_once_the_current_quorum_signs_the_hand_over() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Bridge::rotation_due(), None);
		join(3);
		assert_eq!(Bridge::rotation_due(), Some(set_members().to_vec()));
		let post = rotate().unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		let next = attester_addresses(4);
		assert!(bridge_events().contains(&Event::RotationProposed {
			vault_set_id: VAULT_SET_ID,
			next: next.clone(),
			quorum: 3,
		}));
		assert_eq!(Bridge::rotation_due(), None);
		let view = Bridge::pending_rotation().unwrap();
		assert_eq!(view.digest.0, domain().rotate_digest(VAULT_SET_ID, &next, 3));
		assert_eq!((view.attester_set_id, view.quorum, view.ready), (VAULT_SET_ID, 3, false));

		// Until the hand-over is signed the current set attests; the newcomer does not count.
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(3, &d)),
			Error::<Test>::NotAttester
		);
		attest(&d, &[0]);

		// The newcomer cannot sign the hand-over either; two of the current three can.
		assert_noop!(attest_rotation(3), Error::<Test>::NotAttester);
		let post = attest_rotation(2).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_noop!(attest_rotation(2), Error::<Test>::AlreadySigned);
		assert_ok!(attest_rotation(0));
		let effective_at = System::block_number() + ROTATION_DELAY;
		assert!(bridge_events()
			.contains(&Event::RotationReady { vault_set_id: VAULT_SET_ID, effective_at }));
		assert_eq!(Bridge::pending_rotation(), None);
		// Signed, not yet in force: the current set attests until the delay is over, and no
		// other hand-over can start.
		assert_eq!(Bridge::attesters_view().unwrap().vault_set_id, VAULT_SET_ID);
		let waiting = Bridge::rotation(VAULT_SET_ID).unwrap();
		assert_eq!((waiting.effective_at, waiting.applied), (Some(effective_at), false));
		assert_eq!(waiting.next_stakes, vec![MIN_ATTESTER_STAKE; 4]);
		assert_eq!(Bridge::rotation_due(), None);
		assert_noop!(rotate(), Error::<Test>::RotationWaiting);
		advance(ROTATION_DELAY - 1);
		Bridge::on_initialize(System::block_number());
		assert_eq!(Bridge::attesters_view().unwrap().vault_set_id, VAULT_SET_ID);
		pass_rotation_delay();
		let set = Bridge::attesters_view().unwrap();
		assert_eq!(set.members, next);
		assert_eq!((set.quorum, set.vault_set_id, set.operator_set), (3, 2, Some(BRIDGE_SET)));

		// What the vault's queueRotation takes: the signatures sorted by signer.
		let signed = Bridge::rotation(VAULT_SET_ID).unwrap();
		assert!(signed.ready && signed.applied);
		assert_eq!(signed.effective_at, None);
		assert_eq!(signed.next, next);
		let signers: Vec<_> = signed
			.signatures
			.iter()
			.map(|s| crate::impls::recover(s, &signed.digest.0).unwrap())
			.collect();
		let mut expected = vec![address_of(&attester(0)), address_of(&attester(2))];
		expected.sort();
		assert_eq!(signers, expected);
		assert_eq!(Bridge::rotation(2), None);

		// The next set attests: what the old set collected stops counting, three are needed.
		assert_eq!(Bridge::deposit_status(1), kasane_primitives::bridge::DepositStatus::Unknown);
		attest(&d, &[3, 0]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		attest(&d, &[1]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn withdrawals_signed_by_the_old_set_are_signed_again_for_the_next_vault_set() {
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1]);
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			400,
			H160::repeat_byte(0x42)
		));
		for i in [0, 1] {
			assert_ok!(Bridge::attest_withdrawal(
				RuntimeOrigin::signed(relayer()),
				1,
				sign_withdrawal(i, 1)
			));
		}
		assert!(Bridge::withdrawal_view(1).unwrap().ready);

		join(3);
		assert_ok!(rotate());
		assert_ok!(attest_rotation(0));
		assert_ok!(attest_rotation(1));
		// While the hand-over waits, the withdrawal keeps its signatures of vault set 1.
		assert!(Bridge::withdrawal_view(1).unwrap().ready);
		pass_rotation_delay();

		// The vault takes signatures of its set 2 once the hand-over is executed there.
		let view = Bridge::withdrawal_view(1).unwrap();
		assert_eq!((view.attester_set_id, view.ready), (2, false));
		assert!(view.signatures.is_empty());
		assert_eq!(Bridge::unsigned_withdrawals(1, 10).len(), 1);
		for i in [3, 2, 1] {
			assert_ok!(Bridge::attest_withdrawal(
				RuntimeOrigin::signed(relayer()),
				1,
				sign_withdrawal(i, 1)
			));
		}
		let view = Bridge::withdrawal_view(1).unwrap();
		assert!(view.ready);
		assert_eq!(view.digest.0, domain().release_digest(2, &view.withdrawal));
	});
}

#[test]
fn a_leaving_operator_stops_attesting_after_the_hand_over() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		leave(2);
		assert_ok!(rotate());
		let next = attester_addresses(4)
			.into_iter()
			.filter(|a| *a != address_of(&attester(2)))
			.collect::<Vec<_>>();
		assert_eq!(Bridge::pending_rotation().unwrap().next, next);
		// The leaving operator is still a current attester: its signature counts.
		for i in [2, 0] {
			assert_ok!(attest_rotation(i));
		}
		assert!(PendingRotation::<Test>::exists());
		assert_ok!(attest_rotation(1));
		pass_rotation_delay();
		let set = Attesters::<Test>::get().unwrap();
		assert_eq!((set.members.len(), set.quorum), (3, 2));
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(2, &d)),
			Error::<Test>::NotAttester
		);
		attest(&d, &[0, 3]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn a_newer_membership_replaces_the_hand_over_and_a_reverted_one_drops_it() {
	ExtBuilder::default().build_and_execute(|| {
		join(3);
		assert_ok!(rotate());
		assert_ok!(attest_rotation(0));
		let stale = sign_rotation(1);
		assert_noop!(rotate(), Error::<Test>::AttestersUnchanged);

		// The newcomer is replaced by another before the quorum: a new hand-over, signatures
		// start over.
		leave(3);
		join(4);
		assert_eq!(Bridge::rotation_due(), Some(set_members().to_vec()));
		assert_ok!(rotate());
		let pending = PendingRotation::<Test>::get().unwrap();
		assert_eq!(pending.next.len(), 4);
		assert!(pending.signatures.is_empty());
		assert_noop!(
			Bridge::attest_rotation(RuntimeOrigin::signed(relayer()), stale.0, stale.1),
			Error::<Test>::RotationChanged
		);

		// It leaves again: the current set matches the operator set, nothing to hand over.
		leave(4);
		assert_eq!(Bridge::rotation_due(), Some(set_members().to_vec()));
		assert_ok!(rotate());
		assert!(bridge_events().contains(&Event::RotationDropped { vault_set_id: VAULT_SET_ID }));
		assert_eq!(Bridge::pending_rotation(), None);
		assert_eq!(Bridge::rotation_due(), None);
		assert_noop!(rotate(), Error::<Test>::AttestersUnchanged);
		assert_noop!(attest_rotation_raw(), Error::<Test>::NoRotation);
	});
}

fn attest_rotation_raw() -> frame_support::dispatch::DispatchResultWithPostInfo {
	Bridge::attest_rotation(RuntimeOrigin::signed(relayer()), H256::zero(), EthSignature([0; 65]))
}

#[test]
fn the_member_list_must_be_the_whole_operator_set_sorted() {
	ExtBuilder::default().build_and_execute(|| {
		join(3);
		let all = set_members().to_vec();
		let call = |list: Vec<AccountId>| {
			Bridge::rotate_attesters(RuntimeOrigin::signed(relayer()), list.try_into().unwrap())
		};
		let mut reversed = all.clone();
		reversed.reverse();
		assert_noop!(call(reversed), Error::<Test>::OperatorsNotSorted);
		let mut repeated = all.clone();
		repeated[1] = repeated[0].clone();
		assert_noop!(call(repeated), Error::<Test>::OperatorsNotSorted);
		assert_noop!(call(all[..3].to_vec()), Error::<Test>::IncompleteOperators);
		let mut stranger = all.clone();
		stranger[3] = AccountId::new([0xff; 32]);
		assert_noop!(call(stranger), Error::<Test>::NotOperatorSetMember);
		assert_noop!(call(vec![]), Error::<Test>::NoAttesters);

		// A member whose key is not ecdsa (the registry would not allow it in an ecdsa set).
		SET_MEMBERS.with(|m| {
			m.borrow_mut()
				.insert(operator(3), OperatorKey::Sr25519(sr25519::Public::from_raw([1; 32])))
		});
		assert_noop!(call(all.clone()), Error::<Test>::NotEcdsaKey);
		SET_MEMBERS.with(|m| {
			m.borrow_mut().insert(
				operator(3),
				OperatorKey::Ecdsa(sp_core::ecdsa::Public::from_raw(not_a_point())),
			)
		});
		assert_noop!(call(all), Error::<Test>::NotEcdsaKey);

		// Everyone left: the bridge never hands over to nobody.
		(0..4).for_each(leave);
		assert_eq!(Bridge::rotation_due(), None);
		assert_noop!(call(vec![]), Error::<Test>::NoAttesters);
	});
}

#[test]
fn root_binds_only_suitable_operator_sets_and_resets_the_hand_over() {
	ExtBuilder::default().build_and_execute(|| {
		let members = attester_addresses(3);
		for set in [SR25519_SET, LARGE_SET, OperatorSetId { avs: 9, index: 9 }] {
			assert_noop!(
				Bridge::set_attesters(RuntimeOrigin::root(), members.clone(), 2, 1, Some(set)),
				Error::<Test>::UnsuitableOperatorSet
			);
		}
		join(3);
		assert_ok!(rotate());
		assert_ok!(attest_rotation(0));
		// Root replaces the set (recovery): the hand-over being signed is void.
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), members.clone(), 2, 1, None));
		assert!(!PendingRotation::<Test>::exists());
		assert_noop!(rotate(), Error::<Test>::NoOperatorSet);
		assert_eq!(Bridge::rotation_due(), None);

		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), members, 2, 1, Some(BRIDGE_SET)));
		assert_ok!(rotate());
		// A new endpoint is a new vault: the hand-over is void there too.
		assert_ok!(Bridge::set_endpoint(
			RuntimeOrigin::root(),
			EthereumEndpoint { chain_id: 1, vault: VAULT }
		));
		assert!(!PendingRotation::<Test>::exists());
		assert_noop!(attest_rotation_raw(), Error::<Test>::NoRotation);
	});
}

#[test]
fn malformed_rotation_signatures_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		join(3);
		assert_ok!(rotate());
		let (digest, mut signature) = sign_rotation(0);
		signature.0[64] = 5;
		assert_noop!(
			Bridge::attest_rotation(RuntimeOrigin::signed(relayer()), digest, signature),
			Error::<Test>::InvalidSignature
		);
		assert_noop!(
			Bridge::attest_rotation(RuntimeOrigin::signed(relayer()), H256::zero(), signature),
			Error::<Test>::RotationChanged
		);
		assert_noop!(
			Bridge::rotate_attesters(RuntimeOrigin::none(), set_members()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn compressed_keys_give_the_addresses_their_signatures_recover_to() {
	for i in 0..8 {
		let pair = attester(i);
		let digest = [i; 32];
		let signer = crate::impls::recover(&EthSignature(pair.sign_prehashed(&digest).0), &digest);
		assert_eq!(kasane_primitives::bridge::eth_address_of_compressed(&pair.public().0), signer);
	}
	assert_eq!(kasane_primitives::bridge::eth_address_of_compressed(&not_a_point()), None);
}

/// A compressed key whose x coordinate is not below the field prime.
fn not_a_point() -> [u8; 33] {
	let mut key = [0xff; 33];
	key[0] = 2;
	key
}

#[test]
fn only_a_governed_allowlisted_operator_set_can_hold_the_attesters() {
	ExtBuilder::default().build_and_execute(|| {
		let members = attester_addresses(3);
		let bind = || {
			Bridge::set_attesters(RuntimeOrigin::root(), members.clone(), 2, 1, Some(BRIDGE_SET))
		};
		// An AVS owned by an ordinary account (which could eject honest members and
		// allowlist its own), or a set anyone may join: refused when binding...
		for governance in [(alice(), true), (attester_set_owner(), false)] {
			SET_GOVERNANCE.with(|g| *g.borrow_mut() = governance);
			assert_noop!(bind(), Error::<Test>::UngovernedOperatorSet);
		}
		// ...and when the set stops being governed after binding, nothing is handed over.
		join(3);
		assert_noop!(rotate(), Error::<Test>::UngovernedOperatorSet);
		assert_eq!(Bridge::rotation_due(), None);
		SET_GOVERNANCE.with(|g| *g.borrow_mut() = (attester_set_owner(), true));
		assert_eq!(Bridge::rotation_due(), Some(set_members().to_vec()));
		assert_ok!(rotate());
	});
}

#[test]
fn sybils_joining_the_set_cannot_take_the_vault_in_one_hand_over() {
	// The review's scenario (C-1): three honest attesters, thirteen newcomers.
	ExtBuilder::default().build_and_execute(|| {
		(3..16).for_each(join);
		// Sixteen members, thirteen new: far beyond a third of the three in force.
		assert_noop!(rotate(), Error::<Test>::RotationTooLarge);
		assert_eq!(Bridge::rotation_due(), None);
		assert_eq!(Bridge::pending_rotation(), None);
		// Even if the honest attesters' relayers signed whatever is pending, there is nothing.
		assert_noop!(attest_rotation_raw(), Error::<Test>::NoRotation);
		assert_eq!(Bridge::attesters_view().unwrap().members, attester_addresses(3));

		// The most one hand-over brings in from three is one newcomer: it holds one key of
		// four, the quorum is three.
		(4..16).for_each(leave);
		assert_ok!(rotate());
		let pending = PendingRotation::<Test>::get().unwrap();
		assert_eq!((pending.next.len(), pending.quorum), (4, 3));
	});
}

#[test]
fn a_hand_over_adds_and_removes_at_most_a_third_of_the_attesters() {
	ExtBuilder::default().attesters(6).build_and_execute(|| {
		// A third of six is two each way.
		(6..9).for_each(join);
		assert_noop!(rotate(), Error::<Test>::RotationTooLarge);
		leave(8);
		leave(0);
		leave(1);
		leave(2);
		assert_noop!(rotate(), Error::<Test>::RotationTooLarge);
		join(2);
		assert_ok!(rotate());
		let next = PendingRotation::<Test>::get().unwrap().next;
		assert_eq!(next.len(), 6);
		assert!(Bridge::within_rotation_bound(&attester_addresses(6), &next));
	});
}

#[test]
fn attesters_must_keep_the_minimum_allocated_stake_at_every_hand_over() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		// A newcomer with too little allocated is not an attester: nothing is due.
		join(4);
		set_stake(4, MIN_ATTESTER_STAKE - 1);
		assert_eq!(Bridge::rotation_due(), None);
		assert_noop!(rotate(), Error::<Test>::AttesterStakeTooLow);
		// Listing only the others is the complete eligible list, which is the current set.
		let others: Vec<_> = (0..4).map(operator).collect();
		assert_noop!(
			Bridge::rotate_attesters(RuntimeOrigin::signed(relayer()), others.try_into().unwrap()),
			Error::<Test>::AttestersUnchanged
		);
		// Once it allocates enough it joins at the next hand-over...
		set_stake(4, MIN_ATTESTER_STAKE);
		assert_ok!(rotate());
		for i in [0, 1, 2] {
			assert_ok!(attest_rotation(i));
		}
		pass_rotation_delay();
		assert_eq!(Bridge::attesters_view().unwrap().members.len(), 5);
		// ...and an attester whose allocation falls below the minimum leaves at the next one,
		// though it is still a member of the operator set.
		set_stake(1, MIN_ATTESTER_STAKE / 2);
		let due = Bridge::rotation_due().unwrap();
		assert!(!due.contains(&operator(1)) && due.len() == 4);
		assert_noop!(rotate(), Error::<Test>::AttesterStakeTooLow);
		assert_ok!(Bridge::rotate_attesters(
			RuntimeOrigin::signed(relayer()),
			due.try_into().unwrap()
		));
		assert!(!PendingRotation::<Test>::get().unwrap().next.contains(&address_of(&attester(1))));
	});
}

#[test]
fn root_refuses_a_hand_over_while_it_waits_and_a_paused_bridge_holds_it() {
	ExtBuilder::default().build_and_execute(|| {
		join(3);
		assert_ok!(rotate());
		assert_ok!(attest_rotation(0));
		assert_ok!(attest_rotation(1));
		// The guardian pauses: the delay passes, the hand-over waits.
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		pass_rotation_delay();
		assert_eq!(Bridge::attesters_view().unwrap().vault_set_id, VAULT_SET_ID);
		assert!(ApprovedRotation::<Test>::exists());
		// Root refuses it: the current attesters stay, nothing is kept for the vault.
		assert_noop!(
			Bridge::refuse_rotation(RuntimeOrigin::signed(guardian())),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Bridge::refuse_rotation(RuntimeOrigin::root()));
		assert!(bridge_events().contains(&Event::RotationRefused { vault_set_id: VAULT_SET_ID }));
		assert_eq!(Bridge::rotation(VAULT_SET_ID), None);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		pass_rotation_delay();
		assert_eq!(Bridge::attesters_view().unwrap().members, attester_addresses(3));
		assert_noop!(Bridge::refuse_rotation(RuntimeOrigin::root()), Error::<Test>::NoRotation);
		// A pending (unsigned) hand-over can be refused too; the operator set may propose again.
		assert_ok!(rotate());
		assert_ok!(Bridge::refuse_rotation(RuntimeOrigin::root()));
		assert_eq!(Bridge::pending_rotation(), None);
		assert_eq!(Bridge::rotation_due(), Some(set_members().to_vec()));
	});
}
