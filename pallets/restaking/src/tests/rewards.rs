//! AVS rewards: pro rata to allocated stake, commission first, O(1) claims.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::NativeOrWithId};
use sp_runtime::Perbill;

const A: NativeOrWithId<u32> = NativeOrWithId::WithId(LST_A);
const KSN: NativeOrWithId<u32> = NativeOrWithId::Native;

fn claim(who: AccountId, strategy: StrategyId, asset: NativeOrWithId<u32>) -> u128 {
	let before = balance_of(asset.clone(), who);
	assert_ok!(Restaking::claim_rewards(RuntimeOrigin::signed(who), strategy, asset.clone()));
	balance_of(asset, who) - before
}

fn balance_of(asset: NativeOrWithId<u32>, who: AccountId) -> u128 {
	match asset {
		NativeOrWithId::Native => Balances::free_balance(who),
		NativeOrWithId::WithId(id) => lst(id, who),
	}
}

#[test]
fn rewards_follow_allocated_stake_then_commission_then_shares() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]); // 5% commission
		operator(OP2, &[SET1]);
		stake(ALICE, STRAT_A, 3_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		stake(CAROL, STRAT_A, 4_000, OP2);
		// OP1 allocates 100% of 4 000, OP2 25% of 4 000: 4 000 vs 1 000 at stake.
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, WAD));
		allocate_now(OP2, SET1, STRAT_A, pct(25));
		let (payer_before, op1_before) = (lst(LST_A, PAYER), lst(LST_A, OP1));

		assert_eq!(distribute(SET1, A, 100_000), Ok(100_000));
		assert_eq!(lst(LST_A, PAYER), payer_before - 100_000);
		// OP1: 80 000, 5% commission = 4 000; 76 000 to its stakers 3:1.
		assert_eq!(lst(LST_A, OP1) - op1_before, 4_000);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, A), 57_000);
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_A, A), 19_000);
		// OP2: 20 000, 1 000 commission, 19 000 to Carol.
		assert_eq!(Restaking::claimable_rewards(&CAROL, STRAT_A, A), 19_000);
		assert!(restaking_events().contains(&Event::OperatorRewarded {
			operator: OP1,
			set: SET1,
			strategy: STRAT_A,
			asset: A,
			to_operator: 4_000,
			to_stakers: 76_000,
			native: false
		}));
		assert_eq!(RewardsOutstanding::<Test>::get(A), 95_000);

		// A claim pays every distribution since the last one in one step.
		assert_ok!(distribute(SET1, A, 100_000).map(|_| ()));
		assert_eq!(claim(ALICE, STRAT_A, A), 114_000);
		assert_noop!(
			Restaking::claim_rewards(RuntimeOrigin::signed(ALICE), STRAT_A, A),
			Error::<Test>::NothingToClaim
		);
		assert_eq!(claim(BOB, STRAT_A, A), 38_000);
		assert_eq!(RewardsOutstanding::<Test>::get(A), 190_000 - 152_000);
	});
}

#[test]
fn late_joiners_earn_only_later_rewards_and_leavers_keep_theirs() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		operator(OP2, &[]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(distribute(SET1, A, 10_000).map(|_| ()));
		stake(BOB, STRAT_A, 1_000, OP1);
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_A, A), 0);
		// Alice leaves: what she earned stays claimable; she earns nothing more from OP1.
		assert_ok!(Restaking::redelegate(RuntimeOrigin::signed(ALICE), OP2));
		assert_ok!(distribute(SET1, A, 10_000).map(|_| ()));
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, A), 9_500);
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_A, A), 9_500);
		// Her stake lands with OP2, which has nothing allocated: still 9 500.
		advance(WITHDRAWAL_DELAY);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(claim(ALICE, STRAT_A, A), 9_500);
	});
}

#[test]
fn rewards_outlive_the_position_they_were_earned_on() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(distribute(SET1, A, 10_000).map(|_| ()));
		// Everything withdrawn: no position any more, but the record keeps what is owed.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		let kept = Positions::<Test>::get(ALICE, STRAT_A).expect("owed rewards kept");
		assert_eq!((kept.deposit_shares, kept.scaled_shares), (0, 0));
		assert!(Restaking::staker_view(&ALICE).positions.is_empty());
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1),
			Error::<Test>::NoPosition
		);
		// Later distributions pay it nothing; a new deposit starts from the current accumulator.
		stake(BOB, STRAT_A, 1_000, OP1);
		assert_ok!(distribute(SET1, A, 10_000).map(|_| ()));
		assert_eq!(Restaking::claimable_rewards(&BOB, STRAT_A, A), 9_500);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, A), 9_500);
		stake(ALICE, STRAT_A, 500, OP1);
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, A), 9_500);
		assert_eq!(claim(ALICE, STRAT_A, A), 9_500);
		assert_eq!(Positions::<Test>::get(ALICE, STRAT_A).unwrap().deposit_shares, 500);
		// Withdrawn again and claimed: nothing is left to keep.
		// 1 500 less 5% commission, split 500 : 1 000.
		assert_ok!(distribute(SET1, A, 1_500).map(|_| ()));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 500));
		assert_eq!(claim(ALICE, STRAT_A, A), 475);
		assert!(Positions::<Test>::get(ALICE, STRAT_A).is_none());
	});
}

#[test]
fn native_stake_rewards_go_to_the_pool_in_ksn_and_to_the_validator_otherwise() {
	ExtBuilder::default().build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		MockOperatorSets::join(VALIDATOR, SET1);
		allocate_now(VALIDATOR, SET1, NATIVE, WAD);
		// The validator registered automatically with no restaking commission.
		assert_eq!(distribute(SET1, KSN, 5_000), Ok(5_000));
		assert_eq!(MockNativeStake::pool_rewards(VALIDATOR), 5_000);
		assert!(restaking_events().contains(&Event::OperatorRewarded {
			operator: VALIDATOR,
			set: SET1,
			strategy: NATIVE,
			asset: KSN,
			to_operator: 0,
			to_stakers: 5_000,
			native: true
		}));
		// An LST reward for native stake is the validator's to share.
		assert_eq!(distribute(SET1, A, 700), Ok(700));
		assert_eq!(lst(LST_A, VALIDATOR), 700);
	});
}

#[test]
fn nothing_allocated_nothing_distributed() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		// Nobody to pay: nothing is taken (the payer keeps it for a later era).
		let payer = lst(LST_A, PAYER);
		assert_eq!(distribute(SET1, A, 1_000), Ok(0));
		assert_eq!(lst(LST_A, PAYER), payer);
		assert!(RewardAssetList::<Test>::get().is_empty());
		assert_noop!(distribute(SET1, A, 0), Error::<Test>::ZeroAmount);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		// The payer cannot pay: nothing moves.
		assert!(distribute(SET1, A, INITIAL_LST * 2).is_err());
		assert_eq!(RewardsOutstanding::<Test>::get(A), 0);
	});
}

#[test]
fn reward_assets_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		for asset in [A, KSN, NativeOrWithId::WithId(LST_B)] {
			assert_ok!(distribute(SET1, asset, 100).map(|_| ()));
		}
		assert_noop!(
			distribute(SET1, NativeOrWithId::WithId(77), 100),
			Error::<Test>::TooManyRewardAssets
		);
	});
}

/// A new reward asset `id` (minimum balance `min_balance`, 1 000 000 held by `PAYER`) and OP2,
/// at `commission`, allocated whole in `SET1` with Alice's, Bob's and Carol's 1 000 of `STRAT_A`.
fn paid_in_new_asset(id: u32, min_balance: u128, commission: Perbill) -> NativeOrWithId<u32> {
	assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, OP1, true, min_balance));
	assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), id, PAYER, 1_000_000));
	assert_ok!(Restaking::register_operator(
		RuntimeOrigin::signed(OP2),
		commission,
		Default::default(),
		false
	));
	MockOperatorSets::join(OP2, SET1);
	for who in [ALICE, BOB, CAROL] {
		stake(who, STRAT_A, 1_000, OP2);
	}
	allocate_now(OP2, SET1, STRAT_A, WAD);
	NativeOrWithId::WithId(id)
}

#[test]
fn an_operator_that_cannot_receive_its_share_does_not_fail_the_payout() {
	// M-2: the operator's commission is below the reward asset's minimum balance and it
	// holds none of the asset: its part stays with the payer, the stakers are paid.
	ExtBuilder::default().build_and_execute(|| {
		const DUSTY: u32 = 7;
		let dusty = paid_in_new_asset(DUSTY, 10, Perbill::from_parts(5_000_000));
		let payer = lst(DUSTY, PAYER);
		// 1 000 at 0.5% commission: 995 credited to 3 000 shares, 5 left for an operator that
		// cannot hold 5.
		assert_eq!(distribute(SET1, dusty.clone(), 1_000), Ok(995));
		assert_eq!(lst(DUSTY, PAYER), payer - 995);
		assert_eq!(lst(DUSTY, OP2), 0);
		assert!(restaking_events().contains(&Event::OperatorRewarded {
			operator: OP2,
			set: SET1,
			strategy: STRAT_A,
			asset: dusty.clone(),
			to_operator: 0,
			to_stakers: 995,
			native: false,
		}));
		// 331.67 each, rounded down: what the three can claim stays within the 995 credited.
		assert_eq!(Restaking::claimable_rewards(&ALICE, STRAT_A, dusty.clone()), 331);
		assert_eq!(claim(ALICE, STRAT_A, dusty), 331);
	});
}

#[test]
fn claims_never_exceed_what_distributions_credited_across_many_roundings() {
	// Found by the runtime simulation (tests/sim, seed 2): each distribution rounded the
	// stakers' credit down, while each position's claim rounds down only once over all the
	// distributions since it last settled, so four distributions of 1 to 3 000 shares credited
	// 0 but let each of three stakers claim 1. Credits now round up.
	ExtBuilder::default().build_and_execute(|| {
		let tiny = paid_in_new_asset(8, 1, Perbill::zero());
		for _ in 0..4 {
			assert_eq!(distribute(SET1, tiny.clone(), 1), Ok(1));
		}
		let owed: u128 = [ALICE, BOB, CAROL]
			.iter()
			.map(|who| Restaking::claimable_rewards(who, STRAT_A, tiny.clone()))
			.sum();
		assert_eq!(owed, 3);
		assert_eq!(RewardsOutstanding::<Test>::get(&tiny), 4);
		for who in [ALICE, BOB, CAROL] {
			assert_eq!(claim(who, STRAT_A, tiny.clone()), 1);
		}
		assert_eq!(RewardsOutstanding::<Test>::get(&tiny), 1);
	});
}
