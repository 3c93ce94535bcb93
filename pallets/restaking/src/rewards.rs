//! Rewards: distributing an AVS's rewards over the allocations to a set (commission first)
//! and the stakers' O(1) settlement and claims.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::Mutate,
		tokens::{Fortitude, Precision, Preservation},
		DefensiveSaturating,
	},
};
use kasane_primitives::staking::NativeStakeProvider;
use sp_runtime::{Perbill, Rounding};

impl<T: Config> Pallet<T> {
	/// Book what `position` earned since its last settlement under the operator whose
	/// `accumulators` (from its book) are given, and restart its snapshots there (`None`:
	/// undelegated, earns nothing). Call it before the position's shares or its operator
	/// change, with the state before the change. No storage access: the caller has read the
	/// operator's book and writes the position it changes anyway.
	pub(crate) fn settle(
		position: &mut PositionOf<T>,
		accumulators: Option<&[(T::RewardAssetId, u128)]>,
	) {
		position.rewards = Self::settled_book(
			core::mem::take(&mut position.rewards),
			accumulators,
			position.scaled_shares,
		);
	}

	/// `book` brought up to `operator`'s accumulators (see [`Self::settle`]).
	pub(crate) fn settled_book(
		mut book: RewardBookOf<T>,
		accumulators: Option<&[(T::RewardAssetId, u128)]>,
		scaled: u128,
	) -> RewardBookOf<T> {
		let delegated = accumulators.is_some();
		let accs = accumulators.unwrap_or_default();
		// An asset never settled starts from a zero snapshot: the position was there since
		// before the first distribution in it, which `settle` guarantees by being
		// called whenever a position joins an operator. Bounded by the same `MaxRewardAssets`
		// as the accumulators.
		for (asset, _) in accs {
			if !book.iter().any(|e| e.asset == *asset) {
				let _ =
					book.try_push(StakerReward { asset: asset.clone(), snapshot: 0, pending: 0 });
			}
		}
		// Entries of assets this operator never paid restart at zero (its accumulator there).
		for entry in book.iter_mut() {
			let acc = accs.iter().find(|(a, _)| *a == entry.asset).map_or(0, |(_, acc)| *acc);
			if delegated {
				let earned = mul_div(
					scaled,
					acc.saturating_sub(entry.snapshot),
					REWARD_PRECISION,
					Rounding::Down,
				)
				.unwrap_or(0);
				entry.pending = entry.pending.saturating_add(earned);
			}
			entry.snapshot = acc;
		}
		book.retain(|e| e.pending > 0 || e.snapshot > 0);
		book
	}

	/// `who`'s position in `strategy` with its reward book settled to now (not stored).
	pub(crate) fn settled_position(
		who: &T::AccountId,
		strategy: StrategyId,
	) -> Option<PositionOf<T>> {
		let mut position = Positions::<T>::get(who, strategy)?;
		let accumulators =
			Self::delegation(who).map(|op| Self::book(&op, strategy).reward_per_share);
		Self::settle(&mut position, accumulators.as_ref().map(|a| &a[..]));
		Some(position)
	}

	/// What `who` could claim in `strategy` and `asset` now.
	pub fn claimable_rewards(
		who: &T::AccountId,
		strategy: StrategyId,
		asset: T::RewardAssetId,
	) -> u128 {
		Self::settled_position(who, strategy)
			.and_then(|p| p.rewards.into_iter().find(|e| e.asset == asset))
			.map_or(0, |e| e.pending)
	}

	pub(crate) fn do_claim_rewards(
		who: &T::AccountId,
		strategy: StrategyId,
		asset: T::RewardAssetId,
	) -> DispatchResult {
		let mut position =
			Self::settled_position(who, strategy).ok_or(Error::<T>::NothingToClaim)?;
		let entry = position
			.rewards
			.iter_mut()
			.find(|e| e.asset == asset)
			.ok_or(Error::<T>::NothingToClaim)?;
		let amount = core::mem::take(&mut entry.pending);
		ensure!(amount > 0, Error::<T>::NothingToClaim);
		// Distribution took the rewards out of circulation; claiming mints them back.
		T::RewardAssets::mint_into(asset.clone(), who, amount)?;
		RewardsOutstanding::<T>::mutate(&asset, |o| o.defensive_saturating_reduce(amount));
		Self::put_position(who, strategy, position);
		Self::deposit_event(Event::RewardsClaimed { staker: who.clone(), strategy, asset, amount });
		Ok(())
	}

	/// The body of [`RewardsDistributor::distribute_rewards`]; also returns how many
	/// allocations it went through (for weight).
	pub(crate) fn do_distribute_rewards(
		payer: &T::AccountId,
		set: &OperatorSetId,
		asset: T::RewardAssetId,
		amount: u128,
	) -> Result<(u128, u32), DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let native_strategy = NativeStrategy::<T>::get();
		let entries: Vec<(T::AccountId, StrategyId, u128)> = SetAllocations::<T>::get(set)
			.into_iter()
			.map(|(op, strategy)| {
				let (_, stake) = Self::allocated_stake(&op, set, strategy);
				(op, strategy, T::StakeValuation::value(strategy, stake))
			})
			.collect();
		let seen = entries.len() as u32;
		let total: u128 = entries.iter().fold(0u128, |t, (_, _, v)| t.saturating_add(*v));
		// Nobody to pay: nothing is taken (the payer keeps the money for a later era).
		if total == 0 {
			return Ok((0, seen));
		}
		let mut assets = RewardAssetList::<T>::get();
		if !assets.contains(&asset) {
			assets.try_push(asset.clone()).map_err(|_| Error::<T>::TooManyRewardAssets)?;
			RewardAssetList::<T>::put(assets);
		}

		let now = Self::now();
		let (mut burned, mut paid) = (0u128, 0u128);
		for (op, strategy, value) in entries {
			let portion = mul_div(amount, value, total, Rounding::Down).unwrap_or(0);
			if portion == 0 {
				continue;
			}
			let commission = Operators::<T>::get(&op)
				.map_or(Perbill::zero(), |o| o.commission_at(now))
				.mul_floor(portion);
			let for_stakers = portion - commission;
			let native = native_strategy == Some(strategy);
			let credited = if native {
				if asset == T::NativeRewardAsset::get() {
					T::NativeStake::reward_pool(&op, for_stakers).min(for_stakers)
				} else {
					// Native pools are paid in KSN only; other assets go to the validator.
					0
				}
			} else {
				let mut book = Self::book(&op, strategy);
				match mul_div(for_stakers, REWARD_PRECISION, book.active_scaled, Rounding::Down) {
					Some(per_share) if per_share > 0 => {
						let accs = &mut book.reward_per_share;
						match accs.iter_mut().find(|(a, _)| *a == asset) {
							Some((_, acc)) => *acc = acc.saturating_add(per_share),
							// The global list bounds how many assets exist at all.
							None => {
								let _ = accs.try_push((asset.clone(), per_share));
							}
						}
						OperatorStrategies::<T>::insert(&op, strategy, &book);
						// What the stakers can claim. Rounded up: each position's claim rounds
						// down over all the distributions since it last settled, which can add
						// up to more than the distributions' own rounded-down credits did (one
						// unit per distribution), and the sum of claims must never exceed what
						// was taken out of circulation for them. Never above `for_stakers`, as
						// `per_share` was rounded down from it.
						mul_div(per_share, book.active_scaled, REWARD_PRECISION, Rounding::Up)
							.unwrap_or(0)
							.min(for_stakers)
					}
					_ => 0,
				}
			};
			let mut to_operator = portion - credited;
			// What the operator cannot receive (below the asset's minimum balance, for one)
			// stays with the payer: it never fails the other operators' payment.
			if to_operator > 0
				&& T::RewardAssets::transfer(
					asset.clone(),
					payer,
					&op,
					to_operator,
					Preservation::Expendable,
				)
				.is_err()
			{
				to_operator = 0;
			}
			if credited > 0 && !native {
				RewardsOutstanding::<T>::mutate(&asset, |o| *o = o.saturating_add(credited));
			}
			burned = burned.saturating_add(credited);
			paid = paid.saturating_add(to_operator);
			Self::deposit_event(Event::OperatorRewarded {
				operator: op,
				set: *set,
				strategy,
				asset: asset.clone(),
				to_operator,
				to_stakers: credited,
				native,
			});
		}
		if burned > 0 {
			T::RewardAssets::burn_from(
				asset.clone(),
				payer,
				burned,
				Preservation::Expendable,
				Precision::Exact,
				Fortitude::Polite,
			)?;
		}
		let spent = burned.saturating_add(paid);
		Self::deposit_event(Event::RewardsDistributed {
			set: *set,
			asset,
			payer: payer.clone(),
			amount: spent,
		});
		Ok((spent, seen))
	}
}
