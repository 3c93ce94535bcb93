//! Reward budgets: escrow, per-era payouts paged under a per-block weight, exhaustion, and
//! cancellation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Get};
use sp_runtime::{FixedU128, Weight};

fn escrow() -> AccountId {
	AvsRegistry::escrow_account()
}

/// A set with OP1 (ALICE's 1 000 A behind it, half allocated) as its only member.
fn funded_set() -> OperatorSetId {
	let set = avs_with_set();
	restaking_operator(OP1);
	stake(ALICE, STRAT_A, 1_000, OP1);
	join(OP1, set);
	allocate(OP1, set, STRAT_A, WAD / 2);
	set
}

#[test]
fn funding_escrows_the_budget() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		let fund = |who, amount, per_era| {
			AvsRegistry::fund_rewards(RuntimeOrigin::signed(who), set, REWARD_A, amount, per_era)
		};
		assert_noop!(fund(OP1, 100, 10), Error::<Test>::NotAvsOwner);
		assert_noop!(fund(AVS_OWNER, 0, 10), Error::<Test>::ZeroAmount);
		assert_noop!(fund(AVS_OWNER, 100, 0), Error::<Test>::ZeroAmount);
		assert_noop!(fund(AVS_OWNER, 9, 10), Error::<Test>::BudgetBelowOneEra);
		assert_noop!(fund(AVS_OWNER, INITIAL, 10), sp_runtime::TokenError::FundsUnavailable);
		assert_ok!(fund(AVS_OWNER, 100, 10));
		// The escrow's existential deposit (1) is paid once, by the first budget in the asset.
		assert_eq!(balance(REWARD_A, AVS_OWNER), INITIAL - 101);
		assert_eq!(balance(REWARD_A, escrow()), 101);
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 100);
		assert_eq!(
			registry_events().last(),
			Some(&Event::RewardsFunded {
				set,
				asset: REWARD_A,
				amount: 100,
				per_era: 10,
				remaining: 100
			})
		);
		// Topping up adds and sets the new rate.
		assert_ok!(fund(AVS_OWNER, 50, 15));
		assert_eq!(balance(REWARD_A, escrow()), 151);
		assert_eq!(
			RewardBudgets::<Test>::get(set, REWARD_A),
			Some(Budget { per_era: 15, remaining: 150, last_paid_era: 0 })
		);
		// One budget per asset, up to `MaxBudgetsPerSet`.
		assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), set, KSN, 100, 10));
		let reward_b = frame_support::traits::fungible::NativeOrWithId::WithId(LST_B);
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			reward_b,
			100,
			10
		));
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 9, OP1, true, 1));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), 9, AVS_OWNER, 1_000));
		let reward_c = frame_support::traits::fungible::NativeOrWithId::WithId(9);
		assert_noop!(
			AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), set, reward_c, 100, 10),
			Error::<Test>::TooManyBudgets
		);
		assert_eq!(OperatorSets::<Test>::get(set).unwrap().budgets, 3);
	});
}

#[test]
fn each_era_pays_the_rate_to_the_set() {
	ExtBuilder.build_and_execute(|| {
		let set = funded_set();
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			REWARD_A,
			1_000,
			100
		));
		// Nothing in the era it was funded in.
		advance(3);
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 1_000);
		registry_events_since_last_call();
		next_era();
		assert_eq!(
			registry_events_since_last_call(),
			vec![
				Event::RewardsPaid { set, asset: REWARD_A, amount: 100, eras: 1 },
				Event::EraPayoutsCompleted { era: 1 }
			]
		);
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 900);
		// OP1's 5% commission is paid out; the stakers' 95 waits to be claimed.
		assert_eq!(balance(REWARD_A, OP1), INITIAL + 5);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, REWARD_A), 95);
		// Once per era however many blocks pass.
		advance(5);
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 900);
		next_era();
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 800);
		assert_ok!(Restaking::claim_rewards(RuntimeOrigin::signed(ALICE), STRAT_A, REWARD_A));
		// ALICE's 1 000 A are deposited (out of her account); 190 came back as rewards.
		assert_eq!(balance(REWARD_A, ALICE), INITIAL - 1_000 + 190);
	});
}

#[test]
fn a_set_with_nothing_allocated_is_skipped_and_keeps_its_budget() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		assert_ok!(AvsRegistry::fund_rewards(RuntimeOrigin::signed(AVS_OWNER), set, KSN, 300, 100));
		next_era();
		assert!(registry_events().contains(&Event::RewardPaymentSkipped {
			set,
			asset: KSN,
			error: Error::<Test>::NoStakeAllocated.into()
		}));
		assert_eq!(RewardBudgets::<Test>::get(set, KSN).unwrap().remaining, 300);
		assert_eq!(RewardBudgets::<Test>::get(set, KSN).unwrap().last_paid_era, 1);
	});
}

#[test]
fn missed_eras_are_paid_together() {
	ExtBuilder.build_and_execute(|| {
		let set = funded_set();
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			REWARD_A,
			1_000,
			100
		));
		// Two eras pass before a block runs the payouts.
		Era::set(&2);
		advance(1);
		assert!(registry_events().contains(&Event::RewardsPaid {
			set,
			asset: REWARD_A,
			amount: 200,
			eras: 2
		}));
	});
}

#[test]
fn an_underfunded_budget_stops_and_refunds() {
	ExtBuilder.build_and_execute(|| {
		let set = funded_set();
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			REWARD_A,
			250,
			100
		));
		let owner_before = balance(REWARD_A, AVS_OWNER);
		next_era();
		registry_events_since_last_call();
		next_era();
		// 50 left: less than an era; the budget stops after paying the era.
		assert_eq!(
			registry_events_since_last_call(),
			vec![
				Event::RewardsPaid { set, asset: REWARD_A, amount: 100, eras: 1 },
				Event::BudgetExhausted { set, asset: REWARD_A, refunded: 50 },
				Event::EraPayoutsCompleted { era: 2 }
			]
		);
		assert!(RewardBudgets::<Test>::get(set, REWARD_A).is_none());
		assert_eq!(balance(REWARD_A, AVS_OWNER), owner_before + 50);
		assert_eq!(Escrowed::<Test>::get(REWARD_A), 0);
		// The escrow keeps only its existential deposit.
		assert_eq!(balance(REWARD_A, escrow()), 1);
		assert_eq!(OperatorSets::<Test>::get(set).unwrap().budgets, 0);
		next_era();
		assert!(!registry_events()
			.iter()
			.any(|e| matches!(e, Event::RewardsPaid { amount, .. } if *amount != 100)));
	});
}

#[test]
fn cancelling_refunds_what_is_unpaid() {
	ExtBuilder.build_and_execute(|| {
		let set = funded_set();
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			REWARD_A,
			1_000,
			100
		));
		next_era();
		assert_noop!(
			AvsRegistry::cancel_rewards(RuntimeOrigin::signed(OP1), set, REWARD_A),
			Error::<Test>::NotAvsOwner
		);
		assert_noop!(
			AvsRegistry::cancel_rewards(RuntimeOrigin::signed(AVS_OWNER), set, KSN),
			Error::<Test>::UnknownBudget
		);
		let before = balance(REWARD_A, AVS_OWNER);
		assert_ok!(AvsRegistry::cancel_rewards(RuntimeOrigin::signed(AVS_OWNER), set, REWARD_A));
		assert_eq!(balance(REWARD_A, AVS_OWNER), before + 900);
		assert_eq!(
			registry_events().last(),
			Some(&Event::BudgetCancelled { set, asset: REWARD_A, refunded: 900 })
		);
	});
}

#[test]
fn payouts_are_paged_under_the_block_limit() {
	ExtBuilder.build_and_execute(|| {
		// Four sets of two AVSs, each funded; OP1 allocates to all of them.
		restaking_operator(OP1);
		stake(ALICE, STRAT_A, 4_000, OP1);
		let mut sets = Vec::new();
		for owner in [AVS_OWNER, OTHER_OWNER] {
			assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(owner), vec![]));
			let avs = NextAvsId::<Test>::get() - 1;
			for index in 0..2 {
				assert_ok!(AvsRegistry::create_operator_set(
					RuntimeOrigin::signed(owner),
					avs,
					set_config(&[STRAT_A])
				));
				let set = OperatorSetId { avs, index };
				join(OP1, set);
				assert_ok!(Restaking::modify_allocation(
					RuntimeOrigin::signed(OP1),
					set,
					STRAT_A,
					WAD / 8
				));
				assert_ok!(AvsRegistry::fund_rewards(
					RuntimeOrigin::signed(owner),
					set,
					KSN,
					1_000,
					100
				));
				sets.push(set);
			}
		}
		advance(ALLOCATION_DELAY);
		// Room for two payments per block.
		let one =
			<() as WeightInfo>::pay_budget().saturating_add(<Restaking as RewardsDistributor<
				_,
				_,
			>>::distribute_rewards_weight(
				&sets[0]
			));
		let limit = one.saturating_mul(2).saturating_add(Weight::from_parts(1, 1)).saturating_add(
			<<Test as frame_system::Config>::DbWeight as Get<
				frame_support::weights::RuntimeDbWeight,
			>>::get()
			.reads_writes(5, 1),
		);
		PayoutWeight::set(&limit);
		Era::set(&1);
		let paid =
			|| registry_events().iter().filter(|e| matches!(e, Event::RewardsPaid { .. })).count();
		let mut per_block = Vec::new();
		for _ in 0..3 {
			let before = paid();
			let n = System::block_number() + 1;
			System::set_block_number(n);
			let used = <AvsRegistry as frame_support::traits::Hooks<u64>>::on_initialize(n);
			assert!(used.all_lte(limit), "{used:?} over {limit:?}");
			per_block.push(paid() - before);
		}
		assert_eq!(per_block, vec![2, 2, 0]);
		assert!(Payouts::<Test>::get().done);
		assert_eq!(
			registry_events()
				.iter()
				.filter(|e| matches!(e, Event::EraPayoutsCompleted { era: 1 }))
				.count(),
			1
		);
		for set in sets {
			assert_eq!(RewardBudgets::<Test>::get(set, KSN).unwrap().remaining, 900);
		}
	});
}

#[test]
fn exchange_rates_value_stake_for_the_split() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		restaking_operator(OP2);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_B, 1_000, OP2);
		join(OP1, set);
		join(OP2, set);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, WAD));
		allocate(OP2, set, STRAT_B, WAD);
		assert_noop!(
			AvsRegistry::set_exchange_rate(RuntimeOrigin::signed(OP1), STRAT_B, FixedU128::from(3)),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			AvsRegistry::set_exchange_rate(RuntimeOrigin::root(), STRAT_B, FixedU128::from(0)),
			Error::<Test>::ZeroRate
		);
		// One B is worth three A: OP2's stake earns three quarters.
		assert_ok!(AvsRegistry::set_exchange_rate(
			RuntimeOrigin::root(),
			STRAT_B,
			FixedU128::from(3)
		));
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			KSN,
			4_000,
			4_000
		));
		next_era();
		// Each operator holds its 10 KSN registration deposit.
		assert_eq!(Balances::free_balance(OP1), INITIAL - 10 + 50);
		assert_eq!(Balances::free_balance(OP2), INITIAL - 10 + 150);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, KSN), 950);
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_B, KSN), 2_850);
	});
}

#[test]
fn budgets_not_yet_due_cost_reads_within_the_limit() {
	ExtBuilder.build_and_execute(|| {
		// Twelve budgets funded this era: looked at by this era's pass, none due.
		for owner in [AVS_OWNER, OTHER_OWNER, BOB] {
			assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(owner), vec![]));
			let avs = NextAvsId::<Test>::get() - 1;
			for index in 0..4 {
				assert_ok!(AvsRegistry::create_operator_set(
					RuntimeOrigin::signed(owner),
					avs,
					set_config(&[STRAT_A])
				));
				let set = OperatorSetId { avs, index };
				assert_ok!(AvsRegistry::fund_rewards(
					RuntimeOrigin::signed(owner),
					set,
					KSN,
					100,
					10
				));
			}
		}
		// Room for the era, the progress record and four looks per block.
		let db = <<Test as frame_system::Config>::DbWeight as Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get();
		let limit = db.reads_writes(6, 1);
		PayoutWeight::set(&limit);
		let mut blocks = 0;
		while !Payouts::<Test>::get().done || blocks == 0 {
			let n = System::block_number() + 1;
			System::set_block_number(n);
			let used = <AvsRegistry as frame_support::traits::Hooks<u64>>::on_initialize(n);
			assert!(used.all_lte(limit), "{used:?} over {limit:?}");
			blocks += 1;
			assert!(blocks < 10);
		}
		// 12 budgets and the final empty look, four per block (the era and progress records
		// take the rest).
		assert_eq!(blocks, 4);
		assert!(!registry_events().iter().any(|e| matches!(e, Event::RewardsPaid { .. })));
	});
}

#[test]
fn a_failed_payment_does_not_mark_the_era_paid() {
	// M-2: a payment that fails keeps its eras due (paid with a later one), instead of losing
	// them. Here restaking already distributes in as many assets as it books (3), so a fourth
	// asset's payment fails.
	ExtBuilder.build_and_execute(|| {
		let set = funded_set();
		let reward_b = frame_support::traits::fungible::NativeOrWithId::WithId(LST_B);
		for asset in [KSN, REWARD_A, reward_b] {
			assert_ok!(AvsRegistry::fund_rewards(
				RuntimeOrigin::signed(AVS_OWNER),
				set,
				asset,
				1_000,
				100
			));
		}
		next_era();
		let other = avs_with_set();
		restaking_operator(OP2);
		stake(BOB, STRAT_A, 1_000, OP2);
		join(OP2, other);
		allocate(OP2, other, STRAT_A, WAD);
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 9, OP1, true, 1));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), 9, AVS_OWNER, 10_000));
		let reward_c = frame_support::traits::fungible::NativeOrWithId::WithId(9);
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			other,
			reward_c.clone(),
			1_000,
			100
		));
		let funded_in = RewardBudgets::<Test>::get(other, &reward_c).unwrap().last_paid_era;
		next_era();
		assert!(registry_events().iter().any(|e| matches!(
			e,
			Event::RewardPaymentSkipped { set: s, asset, .. } if *s == other && *asset == reward_c
		)));
		let budget = RewardBudgets::<Test>::get(other, &reward_c).unwrap();
		assert_eq!((budget.last_paid_era, budget.remaining), (funded_in, 1_000));
	});
}
