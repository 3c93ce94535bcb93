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

/// Every page of every order is a slice of the whole market sorted as the order says, and each
/// set's value is what restaking reports allocation by allocation: reading only the page's sets,
/// and each operator's book once for all sets, changes no answer.
#[test]
fn every_page_is_a_slice_of_the_whole_sorted_market() {
	ExtBuilder.build_and_execute(|| {
		let [s0, s1, s2] = market();
		assert_ok!(AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(AVS_OWNER),
			0,
			set_config(&[NATIVE, STRAT_A])
		));
		let s3 = OperatorSetId { avs: 0, index: 1 };
		// OP1 also holds 1 000 B (Alice's), allocated in different parts to s1 and s2: two
		// strategies of one operator, and one (operator, strategy) at two magnitudes.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_B, 1_000));
		join(OP1, s2);
		allocate(OP1, s1, STRAT_B, WAD / 4);
		allocate(OP1, s2, STRAT_B, WAD / 2);
		// A validator-operator in two sets with native stake; an increase not in force yet.
		MockNativeStake::set_pool(VALIDATOR, 6_000);
		join(VALIDATOR, s0);
		join(VALIDATOR, s3);
		allocate(VALIDATOR, s3, NATIVE, WAD / 2);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(VALIDATOR),
			s0,
			NATIVE,
			WAD / 4
		));
		// OP1's decrease in s0 is not in force yet, so s0 keeps WAD / 2 of its A.
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), s0, STRAT_A, WAD / 4));
		assert_ok!(AvsRegistry::set_exchange_rate(
			RuntimeOrigin::root(),
			STRAT_B,
			FixedU128::from_rational(3, 2)
		));
		assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(OTHER_OWNER), s2, KSN, 500, 50));
		assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), s3, KSN, 900, 300));

		// Each set's value, allocation by allocation, through restaking's own answer.
		let value_of = |set: OperatorSetId| -> u128 {
			pallet_restaking::SetAllocations::<Test>::get(set)
				.into_iter()
				.map(|(op, strategy)| {
					let stake = Restaking::allocated_stake(&op, &set, strategy).1;
					<AvsRegistry as StakeValuation>::value(strategy, stake)
				})
				.sum()
		};
		let sets = [s0, s1, s2, s3];
		let values: Vec<u128> = sets.iter().map(|s| value_of(*s)).collect();
		// s0: 1 000 A (the native increase is not in force); s1: 1 000 A, and 3 000 + 250 B at
		// 1.5; s2: 500 B at 1.5; s3: 6 000 × ½ native.
		assert_eq!(values, vec![1_000, 5_875, 750, 3_000]);
		let rate = |i: usize, per_era: u128| (per_era * WAD).checked_div(values[i]).unwrap_or(0);
		let rates = [rate(0, 100), rate(1, 200), rate(2, 50), rate(3, 300)];

		let by = |key: &dyn Fn(usize) -> u128| {
			let mut order: Vec<usize> = (0..sets.len()).collect();
			order.sort_by(|a, b| key(*b).cmp(&key(*a)).then(sets[*a].cmp(&sets[*b])));
			order.into_iter().map(|i| sets[i]).collect::<Vec<_>>()
		};
		let expected = [
			(MarketOrder::SetId, vec![s0, s3, s1, s2]),
			(MarketOrder::AllocatedValue, by(&|i| values[i])),
			(MarketOrder::RewardRate(KSN), by(&|i| rates[i])),
		];
		assert_eq!(expected[1].1, vec![s1, s3, s0, s2]);
		// s0 and s3 both pay 0.1 per unit: set id breaks the tie.
		assert_eq!(expected[2].1, vec![s0, s3, s2, s1]);
		for (order, ids) in expected {
			let whole = AvsRegistry::operator_sets_view(order.clone(), 0, 100);
			assert_eq!(whole.iter().map(|v| v.set).collect::<Vec<_>>(), ids, "{order:?}");
			for view in &whole {
				let i = sets.iter().position(|s| *s == view.set).unwrap();
				assert_eq!(view.total_value, values[i], "{order:?}");
				let ksn = view.budgets.iter().find(|b| b.asset == KSN);
				assert_eq!(ksn.map_or(0, |b| b.rate_per_unit), rates[i], "{order:?}");
				// The page's stake by strategy is the one-set view's.
				assert_eq!(view.stake, AvsRegistry::security_view(view.set).unwrap().stake);
			}
			let s1_view = whole.iter().find(|v| v.set == s1).unwrap();
			assert_eq!(
				s1_view.stake,
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
						allocated: 3_250,
						value: 4_875,
						operators: 2
					},
				]
			);
			assert_eq!(AvsRegistry::operator_sets_view(order.clone(), 0, 0), vec![]);
			assert_eq!(AvsRegistry::operator_sets_view(order.clone(), 0, 1_000), whole);
			for limit in 1..=3u32 {
				for offset in 0..=5u32 {
					let page = AvsRegistry::operator_sets_view(order.clone(), offset, limit);
					let slice: Vec<_> =
						whole.iter().skip(offset as usize).take(limit as usize).cloned().collect();
					assert_eq!(page, slice, "{order:?} offset {offset} limit {limit}");
				}
			}
		}
	});
}
