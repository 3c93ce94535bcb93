//! Releases (the review's M-5): withdrawals have a floor and pay a fee that goes to whoever
//! released them on Ethereum, and released withdrawals are pruned after a retention window.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect as _};
use sp_core::H160;

const ETH_BOB: H160 = H160::repeat_byte(0x42);

/// Alice withdraws 100 mirrored wstETH (withdrawal `nonce`), signed by a quorum.
fn ready_withdrawal(nonce: BridgeNonce) {
	assert_ok!(Bridge::withdraw_to_ethereum(
		RuntimeOrigin::signed(alice()),
		WSTETH_ASSET,
		100,
		ETH_BOB
	));
	for i in [0, 1] {
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			nonce,
			sign_withdrawal(i, nonce)
		));
	}
}

/// Alice holds 1 000 mirrored wstETH and withdraws `count` times 100, each signed by a
/// quorum; returns the nonces.
fn ready_withdrawals(count: u64) -> Vec<BridgeNonce> {
	attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1]);
	(1..=count).inspect(|nonce| ready_withdrawal(*nonce)).collect()
}

fn ksn(who: &AccountId) -> u128 {
	Balances::balance(who)
}

#[test]
fn a_withdrawal_pays_its_fee_to_whoever_released_it() {
	ExtBuilder::default().build_and_execute(|| {
		let (alice_before, bob_before) = (ksn(&alice()), ksn(&bob()));
		ready_withdrawals(1);
		// The fee is held by the bridge until the release is attested.
		assert_eq!(ksn(&alice()), alice_before - WITHDRAWAL_FEE);
		assert_eq!(ksn(&Bridge::account_id()), WITHDRAWAL_FEE);
		assert_eq!(Bridge::withdrawal_view(1).unwrap().fee, WITHDRAWAL_FEE);
		// Bob's relayer released it on Ethereum, naming his Kasane account.
		let r = receipt(1, &bob());
		attest_release(&r, &[2]);
		assert_eq!(ksn(&bob()), bob_before, "not before a quorum");
		let signature = eth_sign(&attester(0), &domain().released_digest(&r));
		let post = Bridge::attest_release(RuntimeOrigin::signed(relayer()), r, signature).unwrap();
		assert_eq!(post.pays_fee, frame_support::dispatch::Pays::No);
		assert_eq!(ksn(&bob()), bob_before + WITHDRAWAL_FEE);
		assert!(bridge_events().contains(&Event::WithdrawalReleased {
			nonce: 1,
			beneficiary: Some(bob()),
			fee: WITHDRAWAL_FEE,
		}));
		// Its signatures are gone; it is no longer anything to sign or release.
		let view = Bridge::withdrawal_view(1).unwrap();
		assert!(view.released && !view.ready && view.signatures.is_empty());
		assert!(Withdrawals::<Test>::get(1).unwrap().signatures.is_empty());
		assert!(Bridge::unsigned_withdrawals(0, 10).is_empty());
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, sign_withdrawal(1, 1)),
			Error::<Test>::AlreadyReleased
		);
		let late = eth_sign(&attester(1), &domain().released_digest(&r));
		assert_noop!(
			Bridge::attest_release(RuntimeOrigin::signed(relayer()), r, late),
			Error::<Test>::AlreadyReleased
		);
	});
}

#[test]
fn receipts_must_be_of_the_withdrawal_and_one_per_attester() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		ready_withdrawals_of_four();
		let o = || RuntimeOrigin::signed(relayer());
		let r = receipt(1, &bob());
		let sign = |i: u8, r: &ReleaseReceipt| eth_sign(&attester(i), &domain().released_digest(r));
		let mut other = r;
		other.withdrawal.amount += 1;
		assert_noop!(
			Bridge::attest_release(o(), other, sign(0, &other)),
			Error::<Test>::ReceiptMismatch
		);
		let mut unknown = r;
		unknown.withdrawal.nonce = 9;
		assert_noop!(
			Bridge::attest_release(o(), unknown, sign(0, &unknown)),
			Error::<Test>::UnknownWithdrawal
		);
		assert_noop!(
			Bridge::attest_release(o(), r, eth_sign(&attester(40), &domain().released_digest(&r))),
			Error::<Test>::NotAttester
		);
		// One attester names another beneficiary (itself, say): it backs that receipt only,
		// and cannot keep the honest ones from their quorum.
		let mut greedy = r;
		greedy.beneficiary = alice().into();
		assert_ok!(Bridge::attest_release(o(), greedy, sign(3, &greedy)));
		assert_noop!(Bridge::attest_release(o(), r, sign(3, &r)), Error::<Test>::AlreadySigned);
		let bob_before = ksn(&bob());
		attest_release(&r, &[0, 1]);
		assert!(Withdrawals::<Test>::get(1).unwrap().released_at.is_none(), "2 of 4 is short");
		attest_release(&r, &[2]);
		assert_eq!(ksn(&bob()), bob_before + WITHDRAWAL_FEE);
		assert!(!ReleaseVotes::<Test>::contains_key(1));
	});
}

/// With four attesters (quorum three): Alice's one withdrawal, ready.
fn ready_withdrawals_of_four() {
	attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1, 2]);
	assert_ok!(Bridge::withdraw_to_ethereum(
		RuntimeOrigin::signed(alice()),
		WSTETH_ASSET,
		100,
		ETH_BOB
	));
	for i in [0, 1, 2] {
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			1,
			sign_withdrawal(i, 1)
		));
	}
}

#[test]
fn released_withdrawals_are_pruned_after_the_retention_window() {
	ExtBuilder::default().build_and_execute(|| {
		let nonces = ready_withdrawals(4);
		// Three released now, the fourth after the retention window.
		for nonce in &nonces[..3] {
			attest_release(&receipt(*nonce, &bob()), &[0, 1]);
		}
		assert_eq!(ReleasedQueueBounds::<Test>::get(), (0, 3));
		advance(RELEASED_RETENTION - 1);
		attest_release(&receipt(4, &bob()), &[0, 1]);
		// Not yet: the records are kept for the window.
		assert!(nonces.iter().all(Withdrawals::<Test>::contains_key));
		assert_eq!(ReleasedQueueBounds::<Test>::get(), (0, 4));
		// A receipt prunes at most two expired records; the rest follow with later ones.
		advance(1);
		ready_withdrawal(5);
		attest_release(&receipt(5, &bob()), &[0, 1]);
		assert!(!Withdrawals::<Test>::contains_key(1) && !Withdrawals::<Test>::contains_key(2));
		assert!(Withdrawals::<Test>::contains_key(3));
		assert_eq!(ReleasedQueueBounds::<Test>::get(), (2, 5));
		// A pruned withdrawal is simply gone; the vault's `released` is the lasting record.
		assert_eq!(Bridge::withdrawal_view(1), None);
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, sign_withdrawal(0, 3)),
			Error::<Test>::UnknownWithdrawal
		);
	});
}

#[test]
fn the_fee_is_taken_in_ksn_and_a_poor_account_cannot_withdraw() {
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1]);
		// Alice keeps exactly the fee: paying it would reap her account.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(alice()),
			bob(),
			ksn(&alice()) - WITHDRAWAL_FEE
		));
		let withdraw = || {
			Bridge::withdraw_to_ethereum(RuntimeOrigin::signed(alice()), WSTETH_ASSET, 100, ETH_BOB)
		};
		assert_noop!(withdraw(), sp_runtime::TokenError::NotExpendable);
		// With less than the fee she cannot pay it at all.
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(alice()), bob(), 1));
		assert_noop!(withdraw(), sp_runtime::TokenError::FundsUnavailable);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 1_000);
	});
}
