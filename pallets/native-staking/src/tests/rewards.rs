//! Era inflation, commission, the reward-per-share accumulator and claims.

use crate::{mock::*, ActiveStake, Error, Event, RewardDestination, MILLISECONDS_PER_YEAR};
use frame_support::{assert_noop, assert_ok};
use pallet_authorship::EventHandler;
use sp_runtime::Perbill;

/// The inflation era `era` pays: 10% a year of `staked`, pro rata to the era's duration
/// (from its first block's timestamp to the timestamp seen when the next era starts).
fn expected_payout(staked: Balance) -> Balance {
	let era_blocks = Period::get() * SessionsPerEra::get() as u64;
	// Era 0's clock starts at block 1; later eras at their first block. The next era starts
	// in `on_initialize`, which still sees the previous block's timestamp.
	let duration = (era_blocks - 2) * BLOCK_TIME;
	YearlyInflation::get().mul_floor(staked) * duration as u128 / MILLISECONDS_PER_YEAR as u128
}

fn author(who: AccountId, blocks: u32) {
	for _ in 0..blocks {
		Staking::note_author(who);
	}
}

#[test]
fn era_payout_is_split_by_points_then_commission_then_shares() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000_000));
		// Era 0 pays on the stake elected for it, before this delegation.
		let staked = ActiveStake::<Test>::get();
		assert_eq!(staked, pooled() - 1_000_000);
		author(11, 3);
		author(21, 1);
		let (free_11, free_21, issuance_before) = (free(11), free(21), issuance());
		staking_events_since_last_call();
		start_era(1);
		let payout = expected_payout(staked);
		assert!(payout > 100, "the test needs a visible payout, got {payout}");
		let reward_11 = payout * 3 / 4;
		let reward_21 = payout / 4;
		let commission_11 = Perbill::from_percent(10).mul_floor(reward_11);
		let commission_21 = Perbill::from_percent(10).mul_floor(reward_21);
		// The next set is elected, then era 0 is paid (validators in order, each by its points,
		// then the era's total), then era 1 starts.
		assert_eq!(
			staking_events_since_last_call(),
			vec![
				Event::ValidatorsElected { era: 1, validators: vec![11, 21, 31] },
				Event::ValidatorRewarded {
					era: 0,
					validator: 11,
					commission: commission_11,
					pool_reward: reward_11 - commission_11,
				},
				Event::ValidatorRewarded {
					era: 0,
					validator: 21,
					commission: commission_21,
					pool_reward: reward_21 - commission_21,
				},
				Event::EraPaid {
					era: 0,
					payout: reward_11 + reward_21,
					points: 4 * crate::POINTS_PER_BLOCK
				},
				Event::EraStarted { era: 1 },
			]
		);
		// Commission is paid at once; pool rewards are minted when claimed.
		assert_eq!(free(11), free_11 + commission_11);
		assert_eq!(free(21), free_21 + commission_21);
		assert_eq!(issuance(), issuance_before + commission_11 + commission_21);
		// Owner and delegator hold equal shares of pool 11: equal rewards (rounding down).
		let pool_reward_11 = reward_11 - commission_11;
		assert!(pool_reward_11 / 2 - Staking::claimable_rewards(&1) <= 1);
		assert_eq!(Staking::claimable_rewards(&1), Staking::claimable_rewards(&11));
		assert_eq!(Staking::claimable_rewards(&31), 0);
		let owed = Staking::claimable_rewards(&1);
		assert_ok!(Staking::claim_rewards(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT - 1_000_000 + owed);
		assert!(staking_events().contains(&Event::RewardsClaimed {
			who: 1,
			amount: owed,
			destination: RewardDestination::Free
		}));
		assert_noop!(
			Staking::claim_rewards(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Staking::claim_rewards(RuntimeOrigin::signed(2)), Error::<Test>::NotBonded);
	});
}

#[test]
fn one_claim_pays_every_era_since_the_last() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 21, 500_000));
		let mut owed_per_era = vec![];
		for era in 1..=6 {
			let before = Staking::claimable_rewards(&1);
			author(21, 5);
			start_era(era);
			owed_per_era.push(Staking::claimable_rewards(&1) - before);
		}
		assert!(owed_per_era.iter().all(|o| *o > 0));
		let total: Balance = owed_per_era.iter().sum();
		assert_eq!(Staking::claimable_rewards(&1), total);
		let before = free(1);
		assert_ok!(Staking::claim_rewards(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), before + total);
	});
}

#[test]
fn late_joiners_do_not_share_earlier_rewards() {
	ExtBuilder::default().build_and_execute(|| {
		author(11, 5);
		start_era(1);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000_000));
		assert_eq!(Staking::claimable_rewards(&1), 0);
		assert!(Staking::claimable_rewards(&11) > 0);
	});
}

#[test]
fn stake_destination_compounds_into_the_pool() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000_000));
		assert_ok!(Staking::set_reward_destination(
			RuntimeOrigin::signed(1),
			RewardDestination::Stake
		));
		assert!(staking_events().contains(&Event::RewardDestinationSet {
			who: 1,
			destination: RewardDestination::Stake
		}));
		author(11, 5);
		start_era(1);
		let owed = Staking::claimable_rewards(&1);
		assert!(owed > 0);
		let free_before = free(1);
		assert_ok!(Staking::claim_rewards(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), free_before);
		assert_eq!(held(1), 1_000_000 + owed);
		assert_eq!(Staking::active_stake_of(&1), 1_000_000 + owed);
		assert_noop!(
			Staking::set_reward_destination(RuntimeOrigin::signed(2), RewardDestination::Stake),
			Error::<Test>::NotBonded
		);
	});
}

#[test]
fn no_points_no_inflation() {
	ExtBuilder::default().build_and_execute(|| {
		let before = issuance();
		start_era(1);
		assert!(staking_events().contains(&Event::EraPaid { era: 0, payout: 0, points: 0 }));
		assert_eq!(issuance(), before);
	});
}

#[test]
fn leaving_pays_out_unclaimed_rewards() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000_000));
		author(11, 5);
		start_era(1);
		let owed = Staking::claimable_rewards(&1);
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		start_era(1 + BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT + owed);
	});
}

#[test]
fn calls_refund_the_settlement_weight_they_did_not_use() {
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		let call = crate::Call::<Test>::bond_extra { value: 1_000 };
		let declared = call.get_dispatch_info().call_weight;
		let actual =
			Staking::bond_extra(RuntimeOrigin::signed(1), 1_000).unwrap().actual_weight.unwrap();
		// An empty ledger is charged the call's own benchmark only.
		assert_eq!(actual, <() as crate::WeightInfo>::bond_extra());
		assert!(actual.ref_time() < declared.ref_time());
		// With queued chunks the charge grows by the settlement of each.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		let with_chunk =
			Staking::bond_extra(RuntimeOrigin::signed(1), 1_000).unwrap().actual_weight.unwrap();
		assert_eq!(
			with_chunk,
			<() as crate::WeightInfo>::bond_extra().saturating_add(Staking::settle_extra(1))
		);
		assert!(with_chunk.ref_time() <= declared.ref_time());
	});
}

#[test]
fn other_pallets_can_reward_a_pool_pro_rata_to_shares() {
	use kasane_primitives::staking::NativeStakeProvider;
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 21, 500_000));
		let pool = Staking::pool_stake(&21).unwrap();
		let (owed_1, owed_21) = (Staking::claimable_rewards(&1), Staking::claimable_rewards(&21));
		assert_eq!(Staking::reward_pool(&21, 900_000), 900_000);
		assert!(staking_events().contains(&Event::PoolRewarded { validator: 21, amount: 900_000 }));
		// Each member is owed its share of the pool (rounded down).
		let got_1 = Staking::claimable_rewards(&1) - owed_1;
		let got_21 = Staking::claimable_rewards(&21) - owed_21;
		assert_eq!(got_1, 900_000 * 500_000 / pool.shares);
		assert!(got_1 + got_21 <= 900_000 && got_1 + got_21 >= 900_000 - 2);
		// No pool, nothing credited.
		assert_eq!(Staking::reward_pool(&999, 1_000), 0);
	});
}
