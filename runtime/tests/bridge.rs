//! The LST bridge in the real runtime, from the `development` genesis: root configures it, a
//! quorum of attesters mints a mirrored wstETH that restaking accepts as a strategy, a
//! withdrawal collects the signatures the vault checks, and an attester that is a member of the
//! bridge's operator set and signs two deposits for one nonce is slashed by the slashing pallet.

mod common;

use common::with_preset_state;
use frame_support::assert_ok;
use kasane_primitives::{
	avs::{
		proof_of_possession_payload, KeyType, OperatorKey, OperatorSignature, SlashExecution,
		SlashingTerms,
	},
	bridge::{quorum_of, DepositMessage, EthSignature, EthereumEndpoint},
	restaking::{OperatorSetId, SlashDestination, WAD},
	slashing::{SlashSource, SlashStatus},
};
use kasane_runtime::{
	genesis_config_presets::ETHER, Assets, AvsRegistry, LstBridge, Restaking, Runtime,
	RuntimeOrigin, Slashing, System, HOURS,
};
use pallet_lst_bridge::TokenLimits;
use sp_core::{ecdsa, Pair, H160, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

const BRIDGE_SET: OperatorSetId = OperatorSetId { avs: 0, index: 0 };
const TOKEN: H160 = H160::repeat_byte(0x11);
const MIRRORED: u32 = 100;

fn endpoint() -> EthereumEndpoint {
	EthereumEndpoint { chain_id: 31337, vault: H160::repeat_byte(0xaa) }
}

fn address_of(pair: &ecdsa::Pair) -> H160 {
	let digest = [3u8; 32];
	let sig = EthSignature(pair.sign_prehashed(&digest).0);
	sig.recover_with(&digest, sp_io::crypto::secp256k1_ecdsa_recover).unwrap()
}

fn sign(pair: &ecdsa::Pair, d: &DepositMessage) -> EthSignature {
	EthSignature(pair.sign_prehashed(&endpoint().deposit_digest(d)).0)
}

#[test]
fn attesters_mint_restakable_lsts_and_a_double_signing_member_is_slashed() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let treasury = Sr25519Keyring::Ferdie.to_account_id();
		let root = || RuntimeOrigin::root();

		// The bridge AVS: an operator set of ecdsa keys, 10% for double signing.
		let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
		assert_ok!(AvsRegistry::register_avs(
			RuntimeOrigin::signed(dave.clone()),
			b"ipfs://bridge".to_vec()
		));
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(dave.clone()),
			0,
			pallet_avs_registry::OperatorSetConfig {
				strategies: vec![(native, 0)].try_into().unwrap(),
				max_operators: 16,
				key_type: KeyType::Ecdsa,
				allowlist: false,
				terms: SlashingTerms {
					mode: SlashExecution::Instant,
					max_slash_per_epoch: WAD / 5,
					slashed_funds: SlashDestination::To(treasury.clone()),
					equivocation_penalty: WAD / 10,
				},
			}
		));
		// Alice, the genesis validator, joins with the key she attests with and allocates half
		// her native pool to the set.
		let alice_key = ecdsa::Pair::from_string("//Alice//bridge", None).unwrap();
		let payload =
			proof_of_possession_payload(&AvsRegistry::genesis_hash(), &BRIDGE_SET, &alice);
		assert_ok!(AvsRegistry::register_for_operator_set(
			RuntimeOrigin::signed(alice.clone()),
			BRIDGE_SET,
			OperatorKey::Ecdsa(alice_key.public()),
			OperatorSignature::Ecdsa(alice_key.sign(&payload)),
		));
		assert_ok!(Restaking::modify_allocations(
			RuntimeOrigin::signed(alice.clone()),
			BRIDGE_SET,
			native,
			WAD / 2
		));
		System::set_block_number(System::block_number() + HOURS);

		// Root configures the bridge: three attesters (Alice's key among them), one token.
		let others = [ecdsa::Pair::from_seed(&[1; 32]), ecdsa::Pair::from_seed(&[2; 32])];
		let mut members =
			vec![address_of(&alice_key), address_of(&others[0]), address_of(&others[1])];
		members.sort();
		assert_ok!(LstBridge::set_endpoint(root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(root(), members, quorum_of(3), 1, Some(BRIDGE_SET)));
		let limits = TokenLimits {
			cap: 1_000 * ETHER,
			daily_limit: 100 * ETHER,
			max_rate_change: Perbill::from_percent(5),
			haircut: Perbill::from_percent(2),
		};
		assert_ok!(LstBridge::register_token(root(), TOKEN, MIRRORED, 18, 1_000, limits));

		// A deposit for Eve, attested by two of three.
		let d = DepositMessage {
			nonce: 1,
			token: TOKEN,
			recipient: eve.clone().into(),
			amount: 5 * ETHER,
			eth_block_hash: H256::repeat_byte(1),
		};
		for key in [&alice_key, &others[0]] {
			assert_ok!(LstBridge::attest_deposit(
				RuntimeOrigin::signed(bob.clone()),
				d,
				sign(key, &d)
			));
		}
		assert_eq!(Assets::balance(MIRRORED, &eve), 5 * ETHER);

		// Root makes it a restaking strategy; Eve restakes part of it.
		assert_ok!(Restaking::add_strategy(
			root(),
			pallet_restaking::StrategyKind::Asset(MIRRORED),
			1_000 * ETHER,
			100 * ETHER
		));
		let strategy = pallet_restaking::AssetStrategy::<Runtime>::get(MIRRORED).unwrap();
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(eve.clone()), strategy, 2 * ETHER));
		assert_eq!(Assets::balance(MIRRORED, &eve), 3 * ETHER);

		// Two attesters report wstETH at 1.1 ETH: less the 2% haircut, the registry values
		// the restaking strategy at 1.078.
		let report = kasane_primitives::bridge::RateReport {
			token: TOKEN,
			rate: 11 * ETHER / 10,
			timestamp: 1,
			eth_block_hash: H256::repeat_byte(9),
		};
		for key in [&alice_key, &others[0]] {
			let sig = EthSignature(key.sign_prehashed(&endpoint().rate_digest(&report)).0);
			assert_ok!(LstBridge::attest_rate(RuntimeOrigin::signed(bob.clone()), report, sig));
		}
		assert_eq!(
			pallet_avs_registry::ExchangeRates::<Runtime>::get(strategy),
			Some(sp_runtime::FixedU128::from_inner(11 * ETHER / 10 - 11 * ETHER / 10 * 2 / 100))
		);

		// Eve withdraws 1 back to Ethereum; two attesters sign the vault's release digest.
		let eth_eve = H160::repeat_byte(0xee);
		assert_ok!(LstBridge::withdraw_to_ethereum(
			RuntimeOrigin::signed(eve.clone()),
			MIRRORED,
			ETHER,
			eth_eve
		));
		let view = LstBridge::withdrawal_view(1).unwrap();
		for key in [&others[0], &others[1]] {
			let sig = EthSignature(key.sign_prehashed(&view.digest.0).0);
			assert_ok!(LstBridge::attest_withdrawal(RuntimeOrigin::signed(bob.clone()), 1, sig));
		}
		assert!(LstBridge::withdrawal_view(1).unwrap().ready);

		// Alice's key signs two different deposits for nonce 2: Bob, who shows the second, has
		// her slashed by the set's penalty and gets the reporter's share.
		let honest = DepositMessage { nonce: 2, ..d };
		let forged = DepositMessage { nonce: 2, recipient: bob.clone().into(), ..d };
		assert_ok!(LstBridge::attest_deposit(
			RuntimeOrigin::signed(bob.clone()),
			honest,
			sign(&alice_key, &honest)
		));
		assert_ok!(LstBridge::attest_deposit(
			RuntimeOrigin::signed(bob.clone()),
			forged,
			sign(&alice_key, &forged)
		));
		assert!(pallet_lst_bridge::Halted::<Runtime>::contains_key(2));
		let id = pallet_slashing::NextSlashId::<Runtime>::get() - 1;
		let record = pallet_slashing::Slashes::<Runtime>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.operator, alice);
		assert_eq!(record.set, Some(BRIDGE_SET));
		assert!(
			matches!(record.source, SlashSource::Equivocation { ref reporter, round: 2, .. } if *reporter == bob)
		);
		assert!(record.amounts.iter().any(|a| a.amount > 0));
		assert_eq!(Assets::balance(MIRRORED, &bob), 0);

		LstBridge::do_try_state().unwrap();
		Slashing::do_try_state().unwrap();
		Restaking::do_try_state().unwrap();
		AvsRegistry::do_try_state().unwrap();
	});
}
