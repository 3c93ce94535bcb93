//! Restaking in the real runtime, from the `development` genesis: an LST staker delegates to
//! the genesis validator (an operator automatically), the validator allocates its native pool
//! and the delegated LST to an operator set, the set slashes it and pays rewards, and the
//! runtime API reports every step.

mod common;

use common::with_preset_state;
use frame_support::{
	assert_ok,
	traits::{fungible::NativeOrWithId, fungibles::Inspect},
};
use kasane_primitives::{
	restaking::{OperatorSetId, OperatorSlasher, RewardsDistributor, SlashDestination, WAD},
	staking::NativeStakeProvider,
};
use kasane_runtime::{
	configs::restaking::{AssetId, WITHDRAWAL_DELAY},
	genesis_config_presets::{ETHER, VALIDATOR_BOND},
	Assets, Restaking, Runtime, RuntimeOrigin, Staking, System,
};
use sp_keyring::Sr25519Keyring;

const WSTETH: AssetId = 1;
const SET: OperatorSetId = OperatorSetId { avs: 7, index: 0 };

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

		// Bob restakes 10 wstETH with Alice, the genesis validator.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(bob.clone()), strategy, 10 * ETHER));
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(bob.clone()), alice.clone()));

		// Alice allocates half of her native pool and all of Bob's wstETH to the set.
		let alice_origin = RuntimeOrigin::signed(alice.clone());
		assert_ok!(Restaking::modify_allocations(alice_origin.clone(), SET, native, WAD / 2));
		assert_ok!(Restaking::modify_allocations(alice_origin, SET, strategy, WAD));
		advance(kasane_runtime::HOURS);
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

		// The set pays 100 KSN of rewards; the validator pool's share goes to its members.
		let payer = Sr25519Keyring::Dave.to_account_id();
		let unit = kasane_runtime::currency::UNIT;
		assert_ok!(<Restaking as RewardsDistributor<_, _>>::distribute_rewards(
			&payer,
			&SET,
			NativeOrWithId::Native,
			100 * unit,
		));
		let bob_rewards = Restaking::claimable_rewards_view(&bob, strategy);
		assert_eq!(bob_rewards.len(), 1);
		assert!(bob_rewards[0].1 > 0);
		assert_ok!(Restaking::claim_rewards(
			RuntimeOrigin::signed(bob.clone()),
			strategy,
			NativeOrWithId::Native
		));

		// Bob leaves: the withdrawal waits out the delay and pays what is left.
		let before = Assets::balance(WSTETH, &bob);
		assert_ok!(Restaking::queue_withdrawal(
			RuntimeOrigin::signed(bob.clone()),
			strategy,
			10 * ETHER
		));
		advance(WITHDRAWAL_DELAY);
		let id = Restaking::staker_view(&bob).withdrawals[0].id;
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(bob.clone()), id));
		assert_eq!(Assets::balance(WSTETH, &bob) - before, 9 * ETHER);
		Restaking::do_try_state().unwrap();
	});
}
