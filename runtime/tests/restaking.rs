//! Restaking and the AVS registry in the real runtime, from the `development` genesis: an AVS
//! registers an operator set, the genesis validator (an operator automatically) joins it with a
//! proof-of-possession key, an LST staker delegates to it, the validator allocates its native
//! pool and the delegated LST to the set, the set slashes it, the AVS's reward budget pays it at
//! the next era, and the runtime APIs report every step.

mod common;

use common::{allocate_now, avs_with_sr25519_set, join_with_sr25519_key, with_preset_state};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::NativeOrWithId, Get, Hooks},
};
use kasane_primitives::{
	avs::{MarketOrder, SlashExecution, SlashingTerms},
	restaking::{OperatorSetId, OperatorSlasher, SlashDestination, WAD},
	staking::NativeStakeProvider,
};
use kasane_runtime::{
	configs::restaking::AssetId,
	genesis_config_presets::{ETHER, VALIDATOR_BOND},
	Assets, AvsRegistry, Restaking, Runtime, RuntimeEvent, RuntimeOrigin, Staking, System, MINUTES,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

const WSTETH: AssetId = 1;
const SET: OperatorSetId = OperatorSetId { avs: 0, index: 0 };

fn advance(blocks: u32) {
	System::set_block_number(System::block_number() + blocks);
}

#[test]
fn lst_and_native_stake_restaked_slashed_rewarded_and_withdrawn() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let treasury = Sr25519Keyring::Ferdie.to_account_id();
		let strategy = pallet_restaking::AssetStrategy::<Runtime>::get(WSTETH).unwrap();
		let native = pallet_restaking::NativeStrategy::<Runtime>::get().unwrap();
		// wstETH stakers opted in to paying slashed funds to the AVS's treasury.
		assert_ok!(Restaking::set_strategy_redistribution(RuntimeOrigin::root(), strategy, true));

		// Dave's AVS creates a set accepting native KSN and wstETH.
		let dave = Sr25519Keyring::Dave.to_account_id();
		let dave_origin = RuntimeOrigin::signed(dave.clone());
		let terms = SlashingTerms {
			mode: SlashExecution::Veto { window: MINUTES },
			max_slash_per_epoch: WAD / 5,
			slashed_funds: SlashDestination::To(treasury.clone()),
			equivocation_penalty: WAD / 10,
		};
		assert_eq!(avs_with_sr25519_set(&dave, &[native, strategy], terms), SET);
		// Not a member yet: restaking refuses the allocation.
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(alice.clone()), SET, native, WAD),
			pallet_restaking::Error::<Runtime>::NotInOperatorSet
		);
		// Alice joins with her AVS key, proving she holds it.
		join_with_sr25519_key(&alice, SET, "//Alice//avs");

		// Bob restakes 10 wstETH with Alice, the genesis validator.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(bob.clone()), strategy, 10 * ETHER));
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(bob.clone()), alice.clone()));

		// Alice allocates half of her native pool and all of Bob's wstETH to the set.
		allocate_now(&alice, SET, &[(native, WAD / 2), (strategy, WAD)]);
		let view = Restaking::operator_view(&alice);
		assert!(view.is_operator);
		assert_eq!(view.allocations.len(), 2);
		assert_eq!(Restaking::allocated_stake(&alice, &SET, native).1, VALIDATOR_BOND / 2);
		assert_eq!(Restaking::allocated_stake(&alice, &SET, strategy).1, 10 * ETHER);

		// The set slashes 10% of what is allocated: 5% of the pool, 1 wstETH of Bob's.
		let slashed = <Restaking as OperatorSlasher<_, _>>::slash_operator(
			&alice,
			&SET,
			WAD / 10,
			&SlashDestination::To(treasury.clone()),
		)
		.unwrap();
		assert_eq!(slashed.len(), 2);
		assert_eq!(Staking::pool_stake(&alice).unwrap().active, VALIDATOR_BOND * 95 / 100);
		assert_eq!(Assets::balance(WSTETH, &treasury) - 1_000 * ETHER, ETHER);
		let staker = Restaking::staker_view(&bob);
		assert_eq!(staker.positions[0].withdrawable, 9 * ETHER);

		// The AVS funds 100 KSN per era; the registry pays it when the next era starts, and the
		// validator pool's share goes to its members.
		let unit = kasane_runtime::currency::UNIT;
		assert_ok!(AvsRegistry::fund_rewards(
			dave_origin,
			SET,
			NativeOrWithId::Native,
			300 * unit,
			100 * unit
		));
		let market = AvsRegistry::operator_sets_view(MarketOrder::SetId, 0, 10);
		assert_eq!((market.len(), market[0].members), (1, 1));
		let era = Staking::active_era();
		pallet_native_staking::ActiveEra::<Runtime>::put(pallet_native_staking::ActiveEraInfo {
			index: era + 1,
			start: None,
		});
		let n = System::block_number();
		AvsRegistry::on_initialize(n);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::AvsRegistry(pallet_avs_registry::Event::RewardsPaid { eras: 1, .. })
		)));
		let security = AvsRegistry::security_view(SET).unwrap();
		// The slash took 10% of the allocated half: 45% of the bond is still allocated.
		assert!(security.native_ksn.abs_diff(VALIDATOR_BOND * 45 / 100) <= 1);
		let bob_rewards = Restaking::claimable_rewards_view(&bob, strategy);
		assert_eq!(bob_rewards.len(), 1);
		assert!(bob_rewards[0].1 > 0);
		assert_ok!(Restaking::claim_rewards(
			RuntimeOrigin::signed(bob.clone()),
			strategy,
			NativeOrWithId::Native
		));

		// Bob moves to Charlie in one call; after the delay Dave completes the move for him and
		// Bob's stake, as the slash left it, is Charlie's.
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(Restaking::register_operator(
			RuntimeOrigin::signed(charlie.clone()),
			Perbill::from_percent(5),
			Default::default(),
			false
		));
		assert_ok!(Restaking::redelegate(RuntimeOrigin::signed(bob.clone()), charlie.clone()));
		let moving = Restaking::staker_view(&bob).withdrawals[0].clone();
		assert!(moving.redeposit);
		assert_eq!(moving.value, 9 * ETHER);
		// The dev chain's delay, rounded up to the next completion time.
		let delay = <Runtime as pallet_restaking::Config>::WithdrawalDelay::get();
		let step = Restaking::maturity_step();
		assert_eq!(delay, 2 * MINUTES);
		assert!(moving.withdrawable_at >= System::block_number() + delay);
		assert!(moving.withdrawable_at < System::block_number() + delay + step);
		assert_eq!(moving.withdrawable_at % step, 0);
		advance(delay - 1);
		assert_noop!(
			Restaking::complete_redeposit(
				RuntimeOrigin::signed(dave.clone()),
				bob.clone(),
				moving.id
			),
			pallet_restaking::Error::<Runtime>::WithdrawalNotReady
		);
		System::set_block_number(moving.withdrawable_at);
		assert_ok!(Restaking::complete_redeposit(
			RuntimeOrigin::signed(dave.clone()),
			bob.clone(),
			moving.id
		));
		let staker = Restaking::staker_view(&bob);
		assert_eq!(staker.delegated_to, Some(charlie.clone()));
		assert!(staker.withdrawals.is_empty());
		assert_eq!(staker.positions[0].withdrawable, 9 * ETHER);
		assert_eq!(Restaking::operator_stake(&charlie, strategy), 9 * ETHER);

		// Bob leaves: the withdrawal waits out the delay and pays what is left.
		let before = Assets::balance(WSTETH, &bob);
		assert_ok!(Restaking::queue_withdrawal(
			RuntimeOrigin::signed(bob.clone()),
			strategy,
			10 * ETHER
		));
		let w = Restaking::staker_view(&bob).withdrawals[0].clone();
		System::set_block_number(w.withdrawable_at);
		let id = w.id;
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(bob.clone()), id));
		assert_eq!(Assets::balance(WSTETH, &bob) - before, 9 * ETHER);
		Restaking::do_try_state().unwrap();
		AvsRegistry::do_try_state().unwrap();
	});
}
