//! Slashing in the real runtime, from the `development` genesis: an AVS's operator set with a
//! veto window slashes the genesis validator's restaked stake (a request the veto council
//! cancels, one that executes when due, one proven by double-sign evidence), a GRANDPA-style
//! consensus offence lands in the same history, and the slashing API reports every step.

mod common;

use common::{allocate_now, avs_with_sr25519_set, join_with_sr25519_key, with_preset_state};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use kasane_primitives::{
	avs::{AvsMessage, OperatorSignature, SlashExecution, SlashingTerms},
	restaking::{OperatorSetId, SlashDestination, WAD},
	slashing::{SlashSource, SlashStatus, SlashingMode},
	staking::NativeStakeProvider,
};
use kasane_runtime::{
	configs::restaking::AssetId,
	currency::UNIT,
	genesis_config_presets::{ETHER, VALIDATOR_BOND},
	Assets, AvsRegistry, Balances, Restaking, Runtime, RuntimeOrigin, Session, Slashing, Staking,
	System, MINUTES,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

const WSTETH: AssetId = 1;
const SET: OperatorSetId = OperatorSetId { avs: 0, index: 0 };

/// Run blocks up to `until`, with the slashing pallet's `on_initialize` in each.
fn run_to(until: u32) {
	while System::block_number() < until {
		let n = System::block_number() + 1;
		System::set_block_number(n);
		Slashing::on_initialize(n);
	}
}

fn last_id() -> u64 {
	pallet_slashing::NextSlashId::<Runtime>::get() - 1
}

#[test]
fn avs_requests_vetoes_double_signing_and_consensus_offences_share_one_history() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let treasury = Sr25519Keyring::Ferdie.to_account_id();
		let strategy = pallet_restaking::AssetStrategy::<Runtime>::get(WSTETH).unwrap();
		let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
		// wstETH stakers opted in to paying slashed funds to the AVS's treasury.
		assert_ok!(Restaking::set_strategy_redistribution(RuntimeOrigin::root(), strategy, true));

		// Dave's oracle AVS: a one-minute veto window, 20% per day at most, 10% for double signing.
		let dave_origin = RuntimeOrigin::signed(dave.clone());
		let terms = SlashingTerms {
			mode: SlashExecution::Veto { window: MINUTES },
			max_slash_per_epoch: WAD / 5,
			slashed_funds: SlashDestination::To(treasury.clone()),
			equivocation_penalty: WAD / 10,
		};
		assert_eq!(avs_with_sr25519_set(&dave, &[native, strategy], terms), SET);
		// Alice, the genesis validator, joins; Bob restakes 10 wstETH with her; she allocates
		// all of it and half of her native pool.
		let avs_key = join_with_sr25519_key(&alice, SET, "//Alice//avs");
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(bob.clone()), strategy, 10 * ETHER));
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(bob.clone()), alice.clone()));
		allocate_now(&alice, SET, &[(native, WAD / 2), (strategy, WAD)]);

		// Dave lets Charlie, his monitoring bot, request slashes.
		assert_ok!(Slashing::set_slasher(dave_origin, 0, Some(charlie.clone())));
		let reason = || b"ipfs://bad-price".to_vec().try_into().unwrap();
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(charlie.clone()),
			alice.clone(),
			SET,
			WAD / 10,
			reason()
		));
		let vetoed = last_id();
		// Bob sees what it would cost him: 1 wstETH.
		let exposure = Slashing::staker_exposure(&bob);
		assert_eq!(exposure.len(), 1);
		assert_eq!(exposure[0].cost, vec![(Some(strategy), ETHER)]);
		// The veto council (root on a devnet) cancels it.
		assert_noop!(
			Slashing::veto_slash(RuntimeOrigin::signed(bob.clone()), vetoed, false),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::root(), vetoed, false));

		// A second request is not vetoed and executes by itself when the window ends.
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(charlie),
			alice.clone(),
			SET,
			WAD / 10,
			reason()
		));
		let executed = last_id();
		let due = pallet_slashing::Slashes::<Runtime>::get(executed).unwrap().executes_at;
		run_to(due - 1);
		assert_eq!(Restaking::staker_view(&bob).positions[0].withdrawable, 10 * ETHER);
		run_to(due);
		let record = pallet_slashing::Slashes::<Runtime>::get(executed).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts.len(), 2);
		assert_eq!(Restaking::staker_view(&bob).positions[0].withdrawable, 9 * ETHER);
		assert_eq!(Staking::pool_stake(&alice).unwrap().active, VALIDATOR_BOND * 95 / 100);
		assert_eq!(Assets::balance(WSTETH, &treasury) - 1_000 * ETHER, ETHER);

		// Eve catches Alice's AVS key signing two prices for round 42.
		let genesis = AvsRegistry::genesis_hash();
		let sign = |price: &[u8]| {
			let message =
				AvsMessage { set: SET, round: 42, payload_hash: sp_io::hashing::blake2_256(price) };
			let signature = avs_key.sign(&message.signing_payload(&genesis));
			(message, OperatorSignature::Sr25519(signature))
		};
		let (a, sa) = sign(b"ETH/USD=3000");
		let (b, sb) = sign(b"ETH/USD=9000");
		let eve_wsteth = Assets::balance(WSTETH, &eve);
		let eve_ksn = Balances::free_balance(&eve);
		assert_ok!(Slashing::report_equivocation(
			RuntimeOrigin::signed(eve.clone()),
			SET,
			alice.clone(),
			a,
			sa.clone(),
			b,
			sb.clone()
		));
		let proven = last_id();
		let record = pallet_slashing::Slashes::<Runtime>::get(proven).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		// 10% of Bob's remaining 9 wstETH and of Alice's pool. Eve is paid 10% of what Alice
		// herself lost (her pool is all her own bond), nothing of Bob's wstETH.
		assert_eq!(Assets::balance(WSTETH, &eve), eve_wsteth);
		assert_eq!(Restaking::staker_view(&bob).positions[0].withdrawable, 81 * ETHER / 10);
		let native_part = record.amounts.iter().find(|a| a.native).unwrap();
		assert!(native_part.reward > 0 && native_part.reward <= native_part.amount / 10);
		assert_eq!(Balances::free_balance(&eve) - eve_ksn, native_part.reward);
		// Alice is out of the set, slashable for the deallocation delay.
		assert!(pallet_avs_registry::Members::<Runtime>::get(SET, &alice)
			.unwrap()
			.slashable_until
			.is_some());
		assert_noop!(
			Slashing::report_equivocation(
				RuntimeOrigin::signed(eve),
				SET,
				alice.clone(),
				a,
				sa,
				b,
				sb
			),
			pallet_slashing::Error::<Runtime>::DuplicateEvidence
		);
		// The day's cap (20%) is spent: a further request waits for the next epoch.
		assert_ok!(Slashing::set_slasher(RuntimeOrigin::signed(dave.clone()), 0, None));
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(dave.clone()),
				alice.clone(),
				SET,
				WAD / 100,
				reason()
			),
			pallet_slashing::Error::<Runtime>::EpochCapExceeded
		);
		// Dave puts his set in log-only mode; only root can enable it again.
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::signed(dave.clone()),
			SET,
			SlashingMode::LogOnly
		));
		assert_eq!(Slashing::mode_view(&SET).effective, SlashingMode::LogOnly);

		// A consensus offence of Alice (as GRANDPA equivocation reports deliver it) is recorded
		// in the same history, and cancelling the deferred slash marks it vetoed.
		let session = Session::current_index();
		<Staking as OnOffenceHandler<_, _, _>>::on_offence(
			&[OffenceDetails { offender: (alice.clone(), ()), reporters: vec![] }],
			&[Perbill::from_percent(10)],
			session,
		);
		let consensus = last_id();
		let record = pallet_slashing::Slashes::<Runtime>::get(consensus).unwrap();
		assert_eq!(record.status, SlashStatus::Pending);
		assert!(matches!(record.source, SlashSource::Consensus { .. }));
		assert_eq!(record.fraction, WAD / 10);
		// Reported again at a higher fraction (one more offender of the round): the queued
		// slash and its record are raised in place, no second record.
		<Staking as OnOffenceHandler<_, _, _>>::on_offence(
			&[OffenceDetails { offender: (alice.clone(), ()), reporters: vec![] }],
			&[Perbill::from_percent(20)],
			session,
		);
		assert_eq!(last_id(), consensus);
		let record = pallet_slashing::Slashes::<Runtime>::get(consensus).unwrap();
		assert_eq!(record.fraction, WAD / 5);
		let SlashSource::Consensus { apply_era, .. } = record.source else { unreachable!() };
		assert_eq!(pallet_native_staking::UnappliedSlashes::<Runtime>::get(apply_era).len(), 1);
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), apply_era, vec![0]));
		let record = pallet_slashing::Slashes::<Runtime>::get(consensus).unwrap();
		assert_eq!(record.status, SlashStatus::Vetoed);

		// Alice's history, newest first: the consensus offence, the equivocation, the executed
		// and the vetoed request.
		let history: Vec<_> =
			Slashing::operator_slashes(&alice, 10).into_iter().map(|r| (r.id, r.status)).collect();
		assert_eq!(
			history,
			vec![
				(consensus, SlashStatus::Vetoed),
				(proven, SlashStatus::Executed),
				(executed, SlashStatus::Executed),
				(vetoed, SlashStatus::Vetoed),
			]
		);
		assert_eq!(Slashing::set_slashes(&SET, 10).len(), 3);
		Slashing::do_try_state().unwrap();
		Restaking::do_try_state().unwrap();
	});
}

#[test]
fn a_delegator_cannot_escape_a_pending_slash_of_its_validator() {
	// H-1: the review's runtime test. A veto slash of Alice's restaked pool is pending; Bob,
	// her delegator, cannot redelegate away, and what he unbonds stays in reach.
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
		// Charlie becomes a candidate Bob could move to.
		assert_ok!(Staking::bond(RuntimeOrigin::signed(charlie.clone()), 20_000 * UNIT));
		assert_ok!(Staking::validate(RuntimeOrigin::signed(charlie.clone()), Perbill::zero()));
		assert_ok!(Staking::delegate(
			RuntimeOrigin::signed(bob.clone()),
			alice.clone(),
			100_000 * UNIT
		));
		let dave_origin = RuntimeOrigin::signed(dave.clone());
		let terms = SlashingTerms {
			mode: SlashExecution::Veto { window: MINUTES },
			max_slash_per_epoch: WAD / 5,
			slashed_funds: SlashDestination::Burn,
			equivocation_penalty: WAD / 10,
		};
		assert_eq!(avs_with_sr25519_set(&dave, &[native], terms), SET);
		join_with_sr25519_key(&alice, SET, "//Alice//avs");
		allocate_now(&alice, SET, &[(native, WAD)]);

		assert_ok!(Slashing::request_slash(
			dave_origin,
			alice.clone(),
			SET,
			WAD / 10,
			b"ipfs://fault".to_vec().try_into().unwrap()
		));
		let id = last_id();
		assert_noop!(
			Staking::redelegate(RuntimeOrigin::signed(bob.clone()), charlie),
			pallet_native_staking::Error::<Runtime>::SlashPending
		);
		// Unbonding is allowed: the chunk stays in the pool's reach.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(bob.clone()), 100_000 * UNIT));
		let due = pallet_slashing::Slashes::<Runtime>::get(id).unwrap().executes_at;
		run_to(due);
		assert_eq!(
			pallet_slashing::Slashes::<Runtime>::get(id).unwrap().status,
			SlashStatus::Executed
		);
		// Bob's unbonding stake bore the slash: a tenth of it.
		assert_ok!(Staking::settle(RuntimeOrigin::signed(dave.clone()), bob.clone()));
		let held = pallet_native_staking::Ledgers::<Runtime>::get(&bob).unwrap().held;
		assert_eq!(held, 90_000 * UNIT);
		Slashing::do_try_state().unwrap();
		Restaking::do_try_state().unwrap();
	});
}
