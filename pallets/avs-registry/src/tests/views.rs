//! The marketplace list and the security view (`AvsApi`).

use crate::{mock::*, *};
use frame_support::assert_ok;
use kasane_primitives::avs::{CorruptionCost, MarketOrder, StrategyStake};
use sp_runtime::FixedU128;

/// Three sets: set 0 (OP1: 1 000 A), set 1 (OP1 + OP2: 1 000 A + 3 000 B), set 2 (empty).
fn market() -> [OperatorSetId; 3] {
	let s0 = avs_with_set();
	assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(OTHER_OWNER), b"da".to_vec()));
	for _ in 0..2 {
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(OTHER_OWNER),
			1,
			set_config(&[STRAT_A, STRAT_B])
		));
	}
	let (s1, s2) = (OperatorSetId { avs: 1, index: 0 }, OperatorSetId { avs: 1, index: 1 });
	restaking_operator(OP1);
	restaking_operator(OP2);
	stake(ALICE, STRAT_A, 2_000, OP1);
	stake(BOB, STRAT_B, 3_000, OP2);
	join(OP1, s0);
	join(OP1, s1);
	join(OP2, s1);
	assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), s0, STRAT_A, WAD / 2));
	assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), s1, STRAT_A, WAD / 2));
	allocate(OP2, s1, STRAT_B, WAD);
	assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), s0, KSN, 1_000, 100));
	assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(OTHER_OWNER), s1, KSN, 1_000, 200));
	[s0, s1, s2]
}

#[test]
fn the_market_is_sorted_and_paged() {
	ExtBuilder.build_and_execute(|| {
		let [s0, s1, s2] = market();
		let ids = |order, offset, limit| {
			AvsRegistry::operator_sets_view(order, offset, limit)
				.into_iter()
				.map(|v| v.set)
				.collect::<Vec<_>>()
		};
		assert_eq!(ids(MarketOrder::SetId, 0, 10), vec![s0, s1, s2]);
		assert_eq!(ids(MarketOrder::SetId, 1, 1), vec![s1]);
		assert_eq!(ids(MarketOrder::SetId, 3, 10), vec![]);
		// s0: 100 per 1 000 allocated; s1: 200 per 4 000.
		assert_eq!(ids(MarketOrder::RewardRate(KSN), 0, 10), vec![s0, s1, s2]);
		assert_eq!(ids(MarketOrder::AllocatedValue, 0, 10), vec![s1, s0, s2]);
		let v = &AvsRegistry::operator_sets_view(MarketOrder::SetId, 1, 1)[0];
		assert_eq!(v.metadata_uri, b"da".to_vec());
		assert_eq!((v.members, v.max_operators, v.total_value), (2, 8, 4_000));
		assert_eq!(v.budgets[0].rate_per_unit, 200 * WAD / 4_000);
		assert_eq!(v.strategies, vec![(STRAT_A, 0), (STRAT_B, 0)]);
		// The terms an operator would accept.
		assert_eq!(v.terms, terms());
	});
}

#[test]
fn security_values_stake_and_the_cost_to_corrupt() {
	ExtBuilder.build_and_execute(|| {
		let [_, s1, s2] = market();
		// One B is worth 1.5 ETH.
		assert_ok!(AvsRegistry::set_exchange_rate(
			RuntimeOrigin::root(),
			STRAT_B,
			FixedU128::from_rational(3, 2)
		));
		let v = AvsRegistry::security_view(s1).unwrap();
		assert_eq!(
			v.stake,
			vec![
				StrategyStake {
					strategy: STRAT_A,
					native: false,
					allocated: 1_000,
					value: 1_000,
					operators: 1
				},
				StrategyStake {
					strategy: STRAT_B,
					native: false,
					allocated: 3_000,
					value: 4_500,
					operators: 1
				},
			]
		);
		assert_eq!((v.native_ksn, v.lst_eth), (0, 5_500));
		// OP2 alone holds 4 500 of 5 500: over ⅓ and over ⅔.
		assert_eq!(
			v.to_control_third,
			CorruptionCost { native_ksn: 0, lst_eth: 2_750, operators: Some(1) }
		);
		assert_eq!(
			v.to_control_two_thirds,
			CorruptionCost { native_ksn: 0, lst_eth: 11_000, operators: Some(1) }
		);
		let empty = AvsRegistry::security_view(s2).unwrap();
		assert_eq!(empty.to_control_third, CorruptionCost::default());
		assert!(AvsRegistry::security_view(OperatorSetId { avs: 7, index: 0 }).is_none());
	});
}

#[test]
fn native_stake_is_valued_in_ksn() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		MockNativeStake::set_pool(VALIDATOR, 6_000);
		join(VALIDATOR, set);
		allocate(VALIDATOR, set, NATIVE, WAD / 2);
		restaking_operator(OP1);
		join(OP1, set);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate(OP1, set, STRAT_A, WAD);
		assert_ok!(AvsRegistry::set_exchange_rate(
			RuntimeOrigin::root(),
			NATIVE,
			FixedU128::from_rational(1, 100)
		));
		let v = AvsRegistry::security_view(set).unwrap();
		assert_eq!((v.native_ksn, v.lst_eth), (3_000, 1_000));
		assert_eq!(
			v.stake[0],
			StrategyStake {
				strategy: NATIVE,
				native: true,
				allocated: 3_000,
				value: 3_000,
				operators: 1
			}
		);
		// Valued together (3 000 KSN = 30 ETH), OP1 alone passes ⅔.
		assert_eq!(v.to_control_third.native_ksn, 1_500);
		assert_eq!(v.to_control_two_thirds.operators, Some(1));
	});
}
