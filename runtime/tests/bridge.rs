//! The LST bridge in the real runtime, from the `development` genesis: root configures it, a
//! quorum of attesters mints a mirrored wstETH that restaking accepts as a strategy, a
//! withdrawal collects the signatures the vault checks, and an attester that is a member of the
//! bridge's operator set and signs two deposits for one nonce is slashed by the slashing pallet;
//! an operator joining that set becomes an attester once the current attesters sign the
//! hand-over and its delay has passed. The set is governed (owned by the keyless
//! `AttesterSetOwner` root acts as, allowlisted), so the review's takeover (C-1) fails.

mod common;

use common::with_preset_state;
use frame_support::assert_ok;
use frame_support::traits::{fungible::Mutate, Get, Hooks};
use kasane_primitives::{
	avs::{
		proof_of_possession_payload, KeyType, OperatorKey, OperatorSignature, SlashExecution,
		SlashingTerms,
	},
	bridge::{quorum_of, DepositMessage, EthSignature, EthereumEndpoint},
	restaking::{OperatorSetId, SlashDestination, WAD},
	slashing::{SlashSource, SlashStatus, SlashingMode},
};
use kasane_runtime::{
	configs::bridge::{AttesterSetOwner, MIN_ATTESTER_STAKE},
	currency::UNIT,
	genesis_config_presets::ETHER,
	Assets, AvsRegistry, Balances, LstBridge, OriginCaller, Restaking, Runtime, RuntimeCall,
	RuntimeOrigin, Slashing, Staking, System, Utility,
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

/// What signatures are bound to: the vault and this chain's genesis.
fn domain() -> kasane_primitives::bridge::BridgeDomain {
	endpoint().domain(LstBridge::kasane_genesis())
}

fn address_of(pair: &ecdsa::Pair) -> H160 {
	kasane_primitives::bridge::eth_address_of_compressed(&pair.public().0).unwrap()
}

fn sign(pair: &ecdsa::Pair, d: &DepositMessage) -> EthSignature {
	EthSignature(pair.sign_prehashed(&domain().deposit_digest(d)).0)
}

/// Root registers the mirrored token: cap 1 000, 100 a day, 5% rate moves, 2% haircut.
fn register_token() {
	let limits = TokenLimits {
		cap: 1_000 * ETHER,
		daily_limit: 100 * ETHER,
		max_rate_change: Perbill::from_percent(5),
		haircut: Perbill::from_percent(2),
		min_withdrawal: ETHER / 100,
	};
	assert_ok!(LstBridge::register_token(
		RuntimeOrigin::root(),
		TOKEN,
		MIRRORED,
		18,
		1_000,
		limits
	));
}

/// Vault deposit 1 of `amount` for `to`.
fn deposit_for(to: &sp_runtime::AccountId32, amount: u128) -> DepositMessage {
	DepositMessage {
		nonce: 1,
		token: TOKEN,
		depositor: H160::repeat_byte(0xd0),
		recipient: to.clone().into(),
		amount,
		eth_block_hash: H256::repeat_byte(1),
	}
}

/// Root dispatches `call` as the keyless account that owns the bridge's AVS (governance).
fn as_governance(call: RuntimeCall) {
	let owner = frame_system::RawOrigin::Signed(AttesterSetOwner::get());
	assert_ok!(Utility::dispatch_as(
		RuntimeOrigin::root(),
		Box::new(OriginCaller::system(owner)),
		Box::new(call)
	));
	// `dispatch_as` succeeds whatever the inner call did: check it did not fail.
	assert!(!System::events().iter().any(|r| matches!(
		r.event,
		kasane_runtime::RuntimeEvent::Utility(pallet_utility::Event::DispatchedAs {
			result: Err(_)
		})
	)));
}

/// The bridge AVS, owned by governance: an allowlisted operator set of ecdsa keys accepting
/// native stake, 10% for double signing.
fn bridge_avs(treasury: &sp_runtime::AccountId32) -> kasane_primitives::restaking::StrategyId {
	let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
	Balances::set_balance(&AttesterSetOwner::get(), 1_000 * UNIT);
	as_governance(RuntimeCall::AvsRegistry(pallet_avs_registry::Call::register_avs {
		metadata_uri: b"ipfs://bridge".to_vec(),
	}));
	as_governance(RuntimeCall::AvsRegistry(pallet_avs_registry::Call::create_operator_set {
		avs: 0,
		config: pallet_avs_registry::OperatorSetConfig {
			strategies: vec![(native, 0)].try_into().unwrap(),
			max_operators: 16,
			key_type: KeyType::Ecdsa,
			allowlist: true,
			terms: SlashingTerms {
				mode: SlashExecution::Instant,
				max_slash_per_epoch: WAD / 5,
				slashed_funds: SlashDestination::To(treasury.clone()),
				equivocation_penalty: WAD / 10,
			},
		},
	}));
	native
}

/// Governance allowlists `who` for the bridge set.
fn allowlist(who: &sp_runtime::AccountId32) {
	as_governance(RuntimeCall::AvsRegistry(pallet_avs_registry::Call::set_allowlist {
		set: BRIDGE_SET,
		operator: who.clone(),
		allowed: true,
	}));
}

/// `who` becomes a validator candidate (a native operator) with `bond` of its own.
fn validator(who: &sp_runtime::AccountId32, bond: u128) {
	Balances::set_balance(who, bond + 1_000 * UNIT);
	assert_ok!(Staking::bond(RuntimeOrigin::signed(who.clone()), bond));
	assert_ok!(Staking::validate(RuntimeOrigin::signed(who.clone()), Perbill::zero()));
}

/// `who` allocates `magnitude` of its native stake to the bridge set and the allocation delay
/// passes.
fn allocate(who: &sp_runtime::AccountId32, magnitude: u128) {
	let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
	assert_ok!(Restaking::modify_allocation(
		RuntimeOrigin::signed(who.clone()),
		BRIDGE_SET,
		native,
		magnitude
	));
	let delay: u32 = <Runtime as pallet_restaking::Config>::AllocationDelay::get();
	System::set_block_number(System::block_number() + delay);
}

/// The next block whose `on_initialize` comes after the rotation delay.
fn pass_rotation_delay() {
	let delay: u32 = <Runtime as pallet_lst_bridge::Config>::RotationDelay::get();
	System::set_block_number(System::block_number() + delay);
	LstBridge::on_initialize(System::block_number());
}

/// `who` (a restaking operator, allowlisted) joins the bridge set with the ecdsa key `uri`.
fn join_bridge_set(who: &sp_runtime::AccountId32, uri: &str) -> ecdsa::Pair {
	let key = ecdsa::Pair::from_string(uri, None).unwrap();
	let payload = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &BRIDGE_SET, who);
	assert_ok!(AvsRegistry::register_for_operator_set(
		RuntimeOrigin::signed(who.clone()),
		BRIDGE_SET,
		OperatorKey::Ecdsa(key.public()),
		OperatorSignature::Ecdsa(key.sign(&payload)),
	));
	key
}

#[test]
fn the_attesters_follow_the_bridge_operator_set_and_hand_the_vault_over() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let root = || RuntimeOrigin::root();
		bridge_avs(&Sr25519Keyring::Ferdie.to_account_id());
		allowlist(&alice);
		let alice_key = join_bridge_set(&alice, "//Alice//bridge");
		allocate(&alice, WAD);

		// Root binds the bridge to the set with Alice's key as the vault's first attester.
		assert_ok!(LstBridge::set_endpoint(root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(
			root(),
			vec![address_of(&alice_key)],
			1,
			1,
			Some(BRIDGE_SET)
		));
		assert_eq!(LstBridge::rotation_due(), None);

		// Bob, a validator candidate, is allowlisted and joins: until he allocates the
		// minimum stake he is no attester.
		validator(&bob, 2 * MIN_ATTESTER_STAKE);
		allowlist(&bob);
		let bob_key = join_bridge_set(&bob, "//Bob//bridge");
		assert_eq!(LstBridge::rotation_due(), None);
		allocate(&bob, WAD / 2);
		let mut operators = vec![alice.clone(), bob.clone()];
		operators.sort();
		// The registry's compressed key gives his address.
		assert_eq!(LstBridge::rotation_due(), Some(operators.clone()));
		assert_ok!(LstBridge::rotate_attesters(
			RuntimeOrigin::signed(eve.clone()),
			operators.try_into().unwrap()
		));
		let mut next = vec![address_of(&alice_key), address_of(&bob_key)];
		next.sort();
		let view = LstBridge::pending_rotation().unwrap();
		assert_eq!((view.next.clone(), view.quorum), (next.clone(), 2));
		assert_eq!(view.digest.0, domain().rotate_digest(1, &next, 2));

		// Alice, the whole current set, signs: the vault can queue it, Kasane hands over a day
		// later.
		let sig = EthSignature(alice_key.sign_prehashed(&view.digest.0).0);
		assert_ok!(LstBridge::attest_rotation(
			RuntimeOrigin::signed(eve.clone()),
			view.digest,
			sig
		));
		assert_eq!(pallet_lst_bridge::Attesters::<Runtime>::get().unwrap().vault_set_id, 1);
		pass_rotation_delay();
		let set = pallet_lst_bridge::Attesters::<Runtime>::get().unwrap();
		assert_eq!((set.members.to_vec(), set.quorum, set.vault_set_id), (next, 2, 2));
		assert!(LstBridge::rotation(1).unwrap().ready);
		assert_eq!(LstBridge::rotation_due(), None);

		// Both attest a deposit under the new set.
		register_token();
		let d = deposit_for(&eve, ETHER);
		for key in [&alice_key, &bob_key] {
			assert_ok!(LstBridge::attest_deposit(
				RuntimeOrigin::signed(eve.clone()),
				d,
				sign(key, &d)
			));
		}
		assert_eq!(Assets::balance(MIRRORED, &eve), ETHER);
		LstBridge::do_try_state().unwrap();
		AvsRegistry::do_try_state().unwrap();
	});
}

#[test]
fn attesters_mint_restakable_lsts_and_a_double_signing_member_is_slashed() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let treasury = Sr25519Keyring::Ferdie.to_account_id();
		let root = || RuntimeOrigin::root();

		bridge_avs(&treasury);
		// Alice, the genesis validator, joins with the key she attests with and allocates half
		// her native pool to the set.
		allowlist(&alice);
		let alice_key = join_bridge_set(&alice, "//Alice//bridge");
		allocate(&alice, WAD / 2);

		// Root configures the bridge: three attesters (Alice's key among them), one token.
		let others = [ecdsa::Pair::from_seed(&[1; 32]), ecdsa::Pair::from_seed(&[2; 32])];
		let mut members =
			vec![address_of(&alice_key), address_of(&others[0]), address_of(&others[1])];
		members.sort();
		assert_ok!(LstBridge::set_endpoint(root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(root(), members, quorum_of(3), 1, Some(BRIDGE_SET)));
		register_token();

		// A deposit for Eve, attested by two of three.
		let d = deposit_for(&eve, 5 * ETHER);
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
			eth_block_number: 1,
			eth_block_hash: H256::repeat_byte(9),
		};
		for key in [&alice_key, &others[0]] {
			let sig = EthSignature(key.sign_prehashed(&domain().rate_digest(&report)).0);
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

#[test]
fn under_the_proven_policy_receipts_mint_and_a_member_double_signing_headers_is_slashed() {
	use kasane_primitives::bridge::proof::{encode, EthHeader};
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let root = || RuntimeOrigin::root();
		bridge_avs(&Sr25519Keyring::Ferdie.to_account_id());
		allowlist(&alice);
		let alice_key = join_bridge_set(&alice, "//Alice//bridge");
		allocate(&alice, WAD / 2);
		let other = ecdsa::Pair::from_seed(&[1; 32]);
		let mut members = vec![address_of(&alice_key), address_of(&other)];
		members.sort();
		assert_ok!(LstBridge::set_endpoint(root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(root(), members, 2, 1, Some(BRIDGE_SET)));
		register_token();
		assert_ok!(LstBridge::set_policy(root(), pallet_lst_bridge::InboundPolicy::Proven));

		// The vault's deposit for Eve in Ethereum block 70: attested contents are refused, the
		// block's header is attested, and anyone (Bob) proves the deposit with its receipt.
		let d =
			DepositMessage { eth_block_hash: H256::repeat_byte(70), ..deposit_for(&eve, ETHER) };
		assert_eq!(
			LstBridge::attest_deposit(RuntimeOrigin::signed(bob.clone()), d, sign(&alice_key, &d))
				.map_err(|e| e.error),
			Err(pallet_lst_bridge::Error::<Runtime>::ProofRequired.into())
		);
		let receipt = encode::encode_receipt(
			2,
			true,
			80_000,
			&[0; 256],
			&[encode::deposit_log(&endpoint().vault, &d)],
		);
		let (receipts_root, proof) = encode::single_receipt_block(4, 0, &receipt).unwrap();
		let header = EthHeader { number: 70, hash: d.eth_block_hash, receipts_root };
		let sign_header = |key: &ecdsa::Pair, h: &EthHeader| {
			EthSignature(key.sign_prehashed(&domain().header_digest(h)).0)
		};
		for key in [&alice_key, &other] {
			assert_ok!(LstBridge::attest_header(
				RuntimeOrigin::signed(bob.clone()),
				header,
				sign_header(key, &header)
			));
		}
		assert_ok!(LstBridge::prove_deposit(RuntimeOrigin::signed(bob.clone()), d, proof.clone()));
		assert_eq!(Assets::balance(MIRRORED, &eve), ETHER);
		assert!(LstBridge::prove_deposit(RuntimeOrigin::signed(bob.clone()), d, proof).is_err());

		// Alice's key signs two headers for block 71: Bob, who shows the second, has her
		// slashed through the bridge's operator set.
		let (a, b) = (
			EthHeader {
				number: 71,
				hash: H256::repeat_byte(71),
				receipts_root: H256::repeat_byte(1),
			},
			EthHeader {
				number: 71,
				hash: H256::repeat_byte(72),
				receipts_root: H256::repeat_byte(2),
			},
		);
		for h in [a, b] {
			assert_ok!(LstBridge::attest_header(
				RuntimeOrigin::signed(bob.clone()),
				h,
				sign_header(&alice_key, &h)
			));
		}
		assert!(pallet_lst_bridge::HaltedHeaders::<Runtime>::contains_key(71));
		let id = pallet_slashing::NextSlashId::<Runtime>::get() - 1;
		let record = pallet_slashing::Slashes::<Runtime>::get(id).unwrap();
		assert_eq!(record.operator, alice);
		assert!(
			matches!(record.source, SlashSource::Equivocation { ref reporter, round: 71, .. } if *reporter == bob)
		);
		LstBridge::do_try_state().unwrap();
		Slashing::do_try_state().unwrap();
		Restaking::do_try_state().unwrap();
	});
}

#[test]
fn a_member_that_signed_another_header_than_the_trusted_one_is_slashed_once_reported() {
	use kasane_primitives::bridge::proof::EthHeader;
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let root = || RuntimeOrigin::root();
		bridge_avs(&Sr25519Keyring::Ferdie.to_account_id());
		allowlist(&alice);
		let alice_key = join_bridge_set(&alice, "//Alice//bridge");
		allocate(&alice, WAD / 2);
		let (other, third) = (ecdsa::Pair::from_seed(&[1; 32]), ecdsa::Pair::from_seed(&[2; 32]));
		let mut members = vec![address_of(&alice_key), address_of(&other), address_of(&third)];
		members.sort();
		assert_ok!(LstBridge::set_endpoint(root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(root(), members, 2, 1, Some(BRIDGE_SET)));
		let sign_header = |key: &ecdsa::Pair, h: &EthHeader| {
			EthSignature(key.sign_prehashed(&domain().header_digest(h)).0)
		};
		// Alice's key signs a header of block 80 that Ethereum did not finalize; the two other
		// attesters sign the real one, which a quorum then trusts.
		let real = EthHeader {
			number: 80,
			hash: H256::repeat_byte(80),
			receipts_root: H256::repeat_byte(1),
		};
		let wrong = EthHeader { receipts_root: H256::repeat_byte(2), ..real };
		assert_ok!(LstBridge::attest_header(
			RuntimeOrigin::signed(bob.clone()),
			wrong,
			sign_header(&alice_key, &wrong)
		));
		for key in [&other, &third] {
			assert_ok!(LstBridge::attest_header(
				RuntimeOrigin::signed(bob.clone()),
				real,
				sign_header(key, &real)
			));
		}
		assert!(pallet_lst_bridge::TrustedHeaders::<Runtime>::contains_key(real.hash));
		let recorded = pallet_lst_bridge::HeaderContradictions::<Runtime>::get(80).unwrap();
		assert_eq!(recorded.attesters.to_vec(), vec![address_of(&alice_key)]);
		let slashes = pallet_slashing::NextSlashId::<Runtime>::get();
		// Alice leaves the bridge's set (her stake stays slashable for the deallocation delay)
		// and reports herself while root has slashing disabled, then log-only (which would log
		// it and make her immune for her membership): refused, the record kept.
		assert_ok!(AvsRegistry::deregister_from_operator_set(
			RuntimeOrigin::signed(alice.clone()),
			BRIDGE_SET
		));
		for mode in [SlashingMode::Disabled, SlashingMode::LogOnly] {
			assert_ok!(Slashing::set_global_mode(root(), mode));
			assert_eq!(
				LstBridge::report_header_contradiction(
					RuntimeOrigin::signed(alice.clone()),
					80,
					alice_key.public(),
				)
				.map_err(|e| e.error),
				Err(pallet_slashing::Error::<Runtime>::SlashingDisabled.into()),
				"{mode:?}"
			);
			assert_eq!(
				pallet_lst_bridge::HeaderContradictions::<Runtime>::get(80)
					.map(|r| r.attesters.len()),
				Some(1)
			);
		}
		assert_eq!(pallet_slashing::NextSlashId::<Runtime>::get(), slashes);
		assert_ok!(Slashing::set_global_mode(root(), SlashingMode::Enabled));
		// The view finds the key of the departed member, for reporters.
		assert_eq!(
			LstBridge::attester_key(&BRIDGE_SET, &address_of(&alice_key)),
			Some(alice_key.public())
		);
		// Root keeping the attesters as a list from now on changes nothing for the record: it
		// is slashed through the set its attesters were drawn from.
		let mut members = vec![address_of(&alice_key), address_of(&other), address_of(&third)];
		members.sort();
		assert_ok!(LstBridge::set_attesters(root(), members, 2, 1, None));
		// Bob reports it: free, and Alice, departed but still slashable, is slashed through the
		// bridge's operator set.
		let post = LstBridge::report_header_contradiction(
			RuntimeOrigin::signed(bob.clone()),
			80,
			alice_key.public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, frame_support::dispatch::Pays::No);
		assert_eq!(pallet_slashing::NextSlashId::<Runtime>::get(), slashes + 1);
		let record = pallet_slashing::Slashes::<Runtime>::get(slashes).unwrap();
		assert_eq!(record.operator, alice);
		assert!(
			matches!(record.source, SlashSource::Equivocation { ref reporter, round: 80, .. } if *reporter == bob)
		);
		assert!(!pallet_lst_bridge::HeaderContradictions::<Runtime>::contains_key(80));
		LstBridge::do_try_state().unwrap();
		Slashing::do_try_state().unwrap();
		Restaking::do_try_state().unwrap();
	});
}

#[test]
fn the_review_takeover_of_the_vault_fails_at_every_step() {
	// C-1: three honest attesters bound to the bridge set; thirteen sybils (and the AVS owner
	// of an ordinary set) try to become the vault's next attester set.
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		bridge_avs(&Sr25519Keyring::Ferdie.to_account_id());
		let honest = [alice.clone(), Sr25519Keyring::Bob.into(), Sr25519Keyring::Charlie.into()];
		let mut keys = Vec::new();
		for (i, who) in honest.iter().enumerate() {
			if i > 0 {
				validator(who, 2 * MIN_ATTESTER_STAKE);
			}
			allowlist(who);
			keys.push(join_bridge_set(who, &format!("//honest//{i}")));
			allocate(who, WAD);
		}
		let mut members: Vec<H160> = keys.iter().map(address_of).collect();
		members.sort();
		assert_ok!(LstBridge::set_endpoint(RuntimeOrigin::root(), endpoint()));
		assert_ok!(LstBridge::set_attesters(
			RuntimeOrigin::root(),
			members.clone(),
			2,
			1,
			Some(BRIDGE_SET)
		));

		// 1. Sybils register as restaking operators (free) but cannot join: the set takes only
		//    operators governance allowlisted.
		let sybils: Vec<sp_runtime::AccountId32> =
			(0..13u8).map(|i| sp_runtime::AccountId32::new([0x50 + i; 32])).collect();
		for (i, who) in sybils.iter().enumerate() {
			validator(who, 2 * MIN_ATTESTER_STAKE);
			let key = ecdsa::Pair::from_string(&format!("//sybil//{i}"), None).unwrap();
			let payload =
				proof_of_possession_payload(&AvsRegistry::genesis_hash(), &BRIDGE_SET, who);
			assert_eq!(
				AvsRegistry::register_for_operator_set(
					RuntimeOrigin::signed(who.clone()),
					BRIDGE_SET,
					OperatorKey::Ecdsa(key.public()),
					OperatorSignature::Ecdsa(key.sign(&payload)),
				),
				Err(pallet_avs_registry::Error::<Runtime>::NotAllowlisted.into())
			);
		}
		// 2. Nobody but governance ejects honest members or allowlists its own.
		assert_eq!(
			AvsRegistry::eject_operator(
				RuntimeOrigin::signed(dave.clone()),
				BRIDGE_SET,
				alice.clone()
			),
			Err(pallet_avs_registry::Error::<Runtime>::NotAvsOwner.into())
		);
		// 3. An attacker's own set (its owner ejects and allowlists at will) cannot hold the
		//    attesters.
		assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(dave.clone()), b"x".to_vec()));
		let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(dave.clone()),
			1,
			pallet_avs_registry::OperatorSetConfig {
				strategies: vec![(native, 0)].try_into().unwrap(),
				max_operators: 16,
				key_type: KeyType::Ecdsa,
				allowlist: true,
				terms: SlashingTerms {
					mode: SlashExecution::Instant,
					max_slash_per_epoch: WAD / 5,
					slashed_funds: SlashDestination::Burn,
					equivocation_penalty: WAD / 10,
				},
			}
		));
		assert_eq!(
			LstBridge::set_attesters(
				RuntimeOrigin::root(),
				members.clone(),
				2,
				1,
				Some(OperatorSetId { avs: 1, index: 0 })
			),
			Err(pallet_lst_bridge::Error::<Runtime>::UngovernedOperatorSet.into())
		);
		// 4. Even if governance allowlisted all thirteen (each with enough stake), one
		//    hand-over takes in at most one of them: nothing is proposed for the honest
		//    relayers to sign.
		let mut sybil_keys = Vec::new();
		for (i, who) in sybils.iter().enumerate() {
			allowlist(who);
			sybil_keys.push(join_bridge_set(who, &format!("//sybil//{i}")));
			allocate(who, WAD);
		}
		let mut all: Vec<_> = honest.iter().chain(sybils.iter()).cloned().collect();
		all.sort();
		assert_eq!(LstBridge::rotation_due(), None);
		assert_eq!(
			LstBridge::rotate_attesters(
				RuntimeOrigin::signed(eve.clone()),
				all.try_into().unwrap()
			),
			Err(pallet_lst_bridge::Error::<Runtime>::RotationTooLarge.into())
		);
		assert_eq!(LstBridge::pending_rotation(), None);
		let set = pallet_lst_bridge::Attesters::<Runtime>::get().unwrap();
		assert_eq!((set.members.to_vec(), set.quorum, set.vault_set_id), (members, 2, 1));
		// 5. Eleven sybil signatures over a release are worthless: the vault's set is still the
		//    honest three (the contract test checks the vault rejects them).
		assert!(sybil_keys.iter().all(|k| set.index_of(&address_of(k)).is_none()));
		LstBridge::do_try_state().unwrap();
		AvsRegistry::do_try_state().unwrap();
	});
}
