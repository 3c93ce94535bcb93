//! Deposits: quorum attestation, minting, replay and forgery, conflicts and double signing.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use kasane_primitives::bridge::DepositStatus;
use sp_core::Pair;

#[test]
fn quorum_of_distinct_attesters_mints_exact_amount() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 12_345);
		attest(&d, &[0]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_eq!(
			Bridge::deposit_status(1),
			DepositStatus::Attesting {
				digest: sp_core::H256(endpoint().deposit_digest(&d)),
				signers: vec![address_of(&attester(0))],
				quorum: 2
			}
		);
		attest(&d, &[2]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 12_345);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Processed);
		assert!(bridge_events().contains(&Event::DepositMinted {
			nonce: 1,
			token: WSTETH,
			asset: WSTETH_ASSET,
			recipient: alice(),
			amount: 12_345,
		}));
		assert_eq!(Tokens::<Test>::get(WSTETH).unwrap().minted, 12_345);
	});
}

#[test]
fn counted_attestations_are_free_and_invalid_ones_pay() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let ok = Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d))
			.unwrap();
		assert_eq!(ok.pays_fee, Pays::No);
		// The same attester again: an error, which pays.
		let err = Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d))
			.unwrap_err();
		assert_eq!(err.error, Error::<Test>::AlreadySigned.into());
		assert_eq!(err.post_info.pays_fee, Pays::Yes);
	});
}

#[test]
fn replayed_attestation_of_a_minted_deposit_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		attest(&d, &[0, 1]);
		for i in 0..3 {
			assert_noop!(
				Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(i, &d)),
				Error::<Test>::AlreadyProcessed
			);
		}
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn forged_signatures_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		// A key outside the set.
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(50, &d)),
			Error::<Test>::NotAttester
		);
		// An attester's signature of other contents, shown with these: recovers another signer.
		let other = deposit(1, WSTETH, &bob(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &other)),
			Error::<Test>::NotAttester
		);
		// Malformed: bad v, and the high-s twin of a valid signature.
		let mut bad_v = sign_deposit(0, &d);
		bad_v.0[64] = 5;
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, bad_v),
			Error::<Test>::BadSignature
		);
		let high_s = high_s_twin(sign_deposit(0, &d));
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, high_s),
			Error::<Test>::BadSignature
		);
		// A signature for another vault.
		let other_vault =
			EthereumEndpoint { chain_id: CHAIN_ID, vault: sp_core::H160::repeat_byte(0xbb) };
		let sig = eth_sign(&attester(0), &other_vault.deposit_digest(&d));
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sig),
			Error::<Test>::NotAttester
		);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Unknown);
	});
}

/// `(r, n − s, v ^ 1)`: the same signature in its high-s form.
fn high_s_twin(sig: EthSignature) -> EthSignature {
	const N: [u8; 32] = [
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
		0x41, 0x41,
	];
	let mut out = sig.0;
	let mut borrow = 0i16;
	for i in (0..32).rev() {
		let d = N[i] as i16 - sig.0[32 + i] as i16 - borrow;
		out[32 + i] = d.rem_euclid(256) as u8;
		borrow = if d < 0 { 1 } else { 0 };
	}
	out[64] = if sig.0[64] == 27 { 28 } else { 27 };
	EthSignature(out)
}

#[test]
fn bad_messages_get_named_errors_and_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let o = || RuntimeOrigin::signed(relayer());
		let d = deposit(0, WSTETH, &alice(), 100);
		assert_noop!(Bridge::attest_deposit(o(), d, sign_deposit(0, &d)), Error::<Test>::ZeroNonce);
		let d = deposit(1, sp_core::H160::repeat_byte(0x99), &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(o(), d, sign_deposit(0, &d)),
			Error::<Test>::UnknownToken
		);
		let d = deposit(1, WSTETH, &alice(), 0);
		assert_noop!(
			Bridge::attest_deposit(o(), d, sign_deposit(0, &d)),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn nothing_is_attested_before_root_configures_the_bridge() {
	ExtBuilder::default().unconfigured().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn reorged_contents_halt_the_nonce_until_root_clears_it() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let mut reorged = d;
		reorged.eth_block_hash = sp_core::H256::repeat_byte(0xee);
		attest(&d, &[0]);
		// Another attester signs different contents for the same nonce: halt, no slash.
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			reorged,
			sign_deposit(1, &reorged)
		));
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Halted);
		assert!(REPORTED.with(|r| r.borrow().is_empty()));
		assert!(DoubleSigns::<Test>::iter().next().is_none());
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(2, &d)),
			Error::<Test>::NonceHalted
		);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_noop!(
			Bridge::clear_halt(RuntimeOrigin::signed(alice()), 1),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Bridge::clear_halt(RuntimeOrigin::root(), 1));
		assert_noop!(Bridge::clear_halt(RuntimeOrigin::root(), 1), Error::<Test>::NotHalted);
		attest(&d, &[0, 2]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn an_attester_signing_two_deposits_for_one_nonce_is_reported_once() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let forged = deposit(1, WSTETH, &bob(), 1_000);
		attest(&d, &[SLASHABLE]);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(bob()),
			forged,
			sign_deposit(SLASHABLE, &forged)
		));
		let who = address_of(&attester(SLASHABLE));
		assert!(DoubleSigns::<Test>::contains_key(1, who));
		let reported = REPORTED.with(|r| r.borrow().clone());
		assert_eq!(reported, vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 1)]);
		assert!(bridge_events().contains(&Event::AttesterDoubleSigned {
			nonce: 1,
			attester: who,
			slashed: true
		}));
		// The halted nonce takes no more evidence.
		assert_noop!(
			Bridge::attest_deposit(
				RuntimeOrigin::signed(bob()),
				forged,
				sign_deposit(SLASHABLE, &forged)
			),
			Error::<Test>::NonceHalted
		);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
	});
}

#[test]
fn attestations_of_an_earlier_set_stop_counting() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		attest(&d, &[0]);
		// A new set (same members): what was collected is void.
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), attester_addresses(3), 2, 2, None));
		attest(&d, &[1]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		attest(&d, &[0]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn larger_sets_need_two_thirds() {
	ExtBuilder::default().attesters(64).build_and_execute(|| {
		assert_eq!(Attesters::<Test>::get().unwrap().quorum, 43);
		let d = deposit(7, RETH, &bob(), 5_000);
		let signers: Vec<u8> = (0..43).collect();
		attest(&d, &signers[..42]);
		assert_eq!(balance(RETH_ASSET, &bob()), 0);
		attest(&d, &signers[42..]);
		assert_eq!(balance(RETH_ASSET, &bob()), 5_000);
	});
}

#[test]
fn nonces_are_independent_and_processed_once() {
	ExtBuilder::default().build_and_execute(|| {
		for nonce in [1u64, 2, 127, 128, 129, 1_000_000] {
			let d = deposit(nonce, WSTETH, &alice(), 10);
			attest(&d, &[0, 1]);
			assert!(Bridge::is_processed(nonce));
		}
		assert!(!Bridge::is_processed(3));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 60);
	});
}

#[test]
fn double_signing_in_a_root_managed_list_is_recorded_not_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), attester_addresses(3), 2, 1, None));
		let d = deposit(1, WSTETH, &alice(), 100);
		let forged = deposit(1, WSTETH, &bob(), 100);
		attest(&d, &[0]);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(bob()),
			forged,
			sign_deposit(0, &forged)
		));
		assert!(DoubleSigns::<Test>::contains_key(1, address_of(&attester(0))));
		assert!(REPORTED.with(|r| r.borrow().is_empty()));
		assert!(bridge_events().contains(&Event::AttesterDoubleSigned {
			nonce: 1,
			attester: address_of(&attester(0)),
			slashed: false
		}));
	});
}
