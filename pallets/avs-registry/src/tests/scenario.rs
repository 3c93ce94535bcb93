//! The whole path with the real restaking pallet: an AVS registers, two operators join,
//! stakers delegate and operators allocate, rewards flow for three eras and are claimed, an
//! operator leaves and its stake stays slashable for the deallocation delay.

use crate::{mock::*, *};
use frame_support::assert_ok;
use kasane_primitives::{
	avs::MarketOrder,
	restaking::{OperatorSlasher, SlashDestination},
};

#[test]
fn avs_operators_stakers_rewards_and_departure() {
	ExtBuilder.build_and_execute(|| {
		// An oracle AVS with one set accepting both LSTs.
		assert_ok!(AvsRegistry::register_avs(
			RuntimeOrigin::signed(AVS_OWNER),
			b"https://oracle.example/avs.json".to_vec()
		));
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			set_config(&[STRAT_A, STRAT_B])
		));
		let set = OperatorSetId { avs: 0, index: 0 };

		// Two operators join with their AVS keys.
		for op in [OP1, OP2] {
			restaking_operator(op);
			join(op, set);
		}
		// Stakers delegate; operators allocate 40% and 100%.
		stake(ALICE, STRAT_A, 10_000, OP1);
		stake(BOB, STRAT_B, 5_000, OP2);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			set,
			STRAT_A,
			WAD / 10 * 4
		));
		allocate(OP2, set, STRAT_B, WAD);
		let security = AvsRegistry::security_view(set).unwrap();
		assert_eq!(security.lst_eth, 4_000 + 5_000);

		// The AVS pays 900 KSN per era.
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			KSN,
			2_700,
			900
		));
		let market = AvsRegistry::operator_sets_view(MarketOrder::RewardRate(KSN), 0, 10);
		assert_eq!(market[0].budgets[0].rate_per_unit, 900 * WAD / 9_000);

		let (op1_before, op2_before) = (Balances::free_balance(OP1), Balances::free_balance(OP2));
		for _ in 0..3 {
			next_era();
		}
		// 4 000 : 5 000 of the value: 400 and 500 per era, 5% commission each.
		assert_eq!(Balances::free_balance(OP1) - op1_before, 3 * 20);
		assert_eq!(Balances::free_balance(OP2) - op2_before, 3 * 25);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, KSN), 3 * 380);
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_B, KSN), 3 * 475);
		let (alice_before, bob_before) =
			(Balances::free_balance(ALICE), Balances::free_balance(BOB));
		assert_ok!(Restaking::claim_rewards(RuntimeOrigin::signed(ALICE), STRAT_A, KSN));
		assert_ok!(Restaking::claim_rewards(RuntimeOrigin::signed(BOB), STRAT_B, KSN));
		assert_eq!(Balances::free_balance(ALICE) - alice_before, 1_140);
		assert_eq!(Balances::free_balance(BOB) - bob_before, 1_425);
		// The budget is spent exactly and stopped.
		assert!(RewardBudgets::<Test>::get(set, KSN).is_none());
		assert!(registry_events().contains(&Event::BudgetExhausted {
			set,
			asset: KSN,
			refunded: 0
		}));

		// OP2 leaves: its stake stays slashable for the deallocation delay.
		assert_ok!(AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP2), set));
		advance(DEALLOCATION_DELAY / 2);
		assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_slashable(&OP2, &set));
		let slashed = <Restaking as OperatorSlasher<AccountId, u128>>::slash_operator(
			&OP2,
			&set,
			WAD / 10,
			&SlashDestination::To(TREASURY),
		)
		.unwrap();
		assert_eq!(slashed[0].amount, 500);
		// LST B's stakers did not opt in to redistribution: burned, not paid to the treasury.
		assert_eq!(lst_balance(LST_B, TREASURY), 0);
		assert_eq!(Restaking::staker_view(&BOB).positions[0].withdrawable, 4_500);
		advance(DEALLOCATION_DELAY / 2);
		assert!(!<AvsRegistry as OperatorSetRegistry<_>>::is_slashable(&OP2, &set));
		assert_eq!(Restaking::allocated_stake(&OP2, &set, STRAT_B).1, 0);
		assert_ok!(AvsRegistry::purge_departed(RuntimeOrigin::signed(ALICE), set, OP2));
		// OP1 is still serving.
		assert!(<AvsRegistry as OperatorSetRegistry<_>>::is_member(&OP1, &set));
		assert_eq!(AvsRegistry::security_view(set).unwrap().lst_eth, 4_000);
	});
}

fn lst_balance(asset: u32, who: AccountId) -> u128 {
	balance(frame_support::traits::fungible::NativeOrWithId::WithId(asset), who)
}
