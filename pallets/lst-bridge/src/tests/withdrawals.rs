//! Withdrawals to Ethereum: burn, signatures over the vault's release digest, readiness.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_core::{H160, H256};

fn funded() {
	attest(&deposit(1, WSTETH, &alice(), 1_000), &[0, 1]);
}

const ETH_BOB: H160 = H160::repeat_byte(0x42);

#[test]
fn withdrawal_burns_and_collects_sorted_signatures_up_to_quorum() {
	ExtBuilder::default().build_and_execute(|| {
		funded();
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			400,
			ETH_BOB
		));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 600);
		assert_eq!(Tokens::<Test>::get(WSTETH).unwrap().burned, 400);
		let view = Bridge::withdrawal_view(1).unwrap();
		assert_eq!(
			view.withdrawal,
			ReleaseMessage { nonce: 1, token: WSTETH, recipient: ETH_BOB, amount: 400 }
		);
		assert!(!view.ready);
		assert_eq!(Bridge::unsigned_withdrawals(0, 10).len(), 1);

		let post =
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, sign_withdrawal(2, 1))
				.unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, sign_withdrawal(2, 1)),
			Error::<Test>::AlreadySigned
		);
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			1,
			sign_withdrawal(0, 1)
		));
		assert!(bridge_events().contains(&Event::WithdrawalReady { nonce: 1 }));
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, sign_withdrawal(1, 1)),
			Error::<Test>::WithdrawalReadyAlready
		);
		let view = Bridge::withdrawal_view(1).unwrap();
		assert!(view.ready);
		assert_eq!(view.attester_set_id, VAULT_SET_ID);
		// Sorted by signer, as the vault requires; each recovers from the digest.
		let signers: Vec<_> = view
			.signatures
			.iter()
			.map(|s| crate::impls::recover(s, &view.digest.0).unwrap())
			.collect();
		let mut sorted = signers.clone();
		sorted.sort();
		assert_eq!(signers, sorted);
		assert!(Bridge::unsigned_withdrawals(0, 10).is_empty());
	});
}

#[test]
fn release_digest_matches_the_vault_formula() {
	// keccak256(abi.encode(keccak256("kasane/vault/release/v2"), 31337, vault, genesis, 1, 1,
	// token, recipient, 400)), computed independently from the ABI layout.
	let genesis = H256::repeat_byte(0x6e);
	let e = endpoint().domain(genesis);
	let m = ReleaseMessage { nonce: 1, token: WSTETH, recipient: ETH_BOB, amount: 400 };
	let mut bytes = Vec::new();
	bytes.extend_from_slice(&kasane_primitives::bridge::keccak_256(b"kasane/vault/release/v2"));
	let word = |v: u128| {
		let mut w = [0u8; 32];
		w[16..].copy_from_slice(&v.to_be_bytes());
		w
	};
	let addr = |a: H160| {
		let mut w = [0u8; 32];
		w[12..].copy_from_slice(a.as_bytes());
		w
	};
	bytes.extend_from_slice(&word(31337));
	bytes.extend_from_slice(&addr(VAULT));
	bytes.extend_from_slice(genesis.as_bytes());
	bytes.extend_from_slice(&word(1));
	bytes.extend_from_slice(&word(1));
	bytes.extend_from_slice(&addr(WSTETH));
	bytes.extend_from_slice(&addr(ETH_BOB));
	bytes.extend_from_slice(&word(400));
	assert_eq!(e.release_digest(1, &m), kasane_primitives::bridge::keccak_256(&bytes));
}

#[test]
fn a_new_vault_set_voids_collected_signatures() {
	ExtBuilder::default().build_and_execute(|| {
		funded();
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			100,
			ETH_BOB
		));
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			1,
			sign_withdrawal(0, 1)
		));
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			attester_addresses(3),
			2,
			VAULT_SET_ID + 1,
			Some(BRIDGE_SET)
		));
		let view = Bridge::withdrawal_view(1).unwrap();
		assert!(view.signatures.is_empty());
		assert_eq!(view.attester_set_id, VAULT_SET_ID + 1);
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			1,
			sign_withdrawal(0, 1)
		));
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			1,
			sign_withdrawal(1, 1)
		));
		assert!(Bridge::withdrawal_view(1).unwrap().ready);
	});
}

#[test]
fn a_withdrawal_leaving_dust_releases_the_dust_too() {
	ExtBuilder::default().build_and_execute(|| {
		funded();
		// 995 of 1 000 would leave 5, below the asset's minimum of 10: the account is reaped
		// and all 1 000 go, so all 1 000 are released rather than 5 locked in the vault.
		assert_ok!(Bridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(alice()),
			WSTETH_ASSET,
			1_000 - MIN_BALANCE / 2,
			ETH_BOB
		));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_eq!(Tokens::<Test>::get(WSTETH).unwrap().burned, 1_000);
		assert_eq!(Bridge::withdrawal_view(1).unwrap().withdrawal.amount, 1_000);
		assert!(bridge_events().contains(&Event::WithdrawalRequested {
			nonce: 1,
			from: alice(),
			asset: WSTETH_ASSET,
			token: WSTETH,
			recipient: ETH_BOB,
			amount: 1_000,
		}));
	});
}

#[test]
fn bad_withdrawals_get_named_errors_and_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		funded();
		let o = || RuntimeOrigin::signed(alice());
		assert_noop!(
			Bridge::withdraw_to_ethereum(o(), 99, 1, ETH_BOB),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, 0, ETH_BOB),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, 1, H160::zero()),
			Error::<Test>::ZeroEthRecipient
		);
		assert_noop!(
			Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, 1_001, ETH_BOB),
			sp_runtime::TokenError::FundsUnavailable
		);
		assert_noop!(
			Bridge::withdraw_to_ethereum(
				RuntimeOrigin::signed(bob()),
				WSTETH_ASSET,
				MIN_WITHDRAWAL,
				ETH_BOB
			),
			sp_runtime::TokenError::FundsUnavailable
		);
		// Dust costs the relayers a release on Ethereum each: refused.
		assert_noop!(
			Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, MIN_WITHDRAWAL - 1, ETH_BOB),
			Error::<Test>::BelowMinWithdrawal
		);
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 7, EthSignature([0; 65])),
			Error::<Test>::UnknownWithdrawal
		);
		assert_ok!(Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, 10, ETH_BOB));
		let stranger = eth_sign(&attester(40), &[0; 32]);
		assert_noop!(
			Bridge::attest_withdrawal(RuntimeOrigin::signed(relayer()), 1, stranger),
			Error::<Test>::NotAttester
		);
		// Everything can leave: the account may be emptied.
		assert_ok!(Bridge::withdraw_to_ethereum(o(), WSTETH_ASSET, 990, ETH_BOB));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_eq!(LastWithdrawalNonce::<Test>::get(), 2);
	});
}
