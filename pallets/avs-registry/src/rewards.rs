//! Rewards: AVS budgets funded in escrow and paid per era over the sets' allocations, paged
//! under a per-block weight.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
		DefensiveSaturating, Get,
	},
};
use kasane_primitives::EraIndex;
use sp_runtime::{traits::Zero, FixedPointNumber, FixedU128, Weight};

impl<T: Config> Pallet<T> {
	/// Value `strategy`'s unit at `rate`: rewards split across assets by value.
	pub(crate) fn do_set_exchange_rate(strategy: StrategyId, rate: FixedU128) -> DispatchResult {
		ensure!(!rate.is_zero(), Error::<T>::ZeroRate);
		ExchangeRates::<T>::insert(strategy, rate);
		Self::deposit_event(Event::ExchangeRateSet { strategy, rate });
		Ok(())
	}

	/// `amount` of a strategy whose unit is worth `rate` (none set: one), in the common unit.
	pub(crate) fn value_at_rate(rate: Option<FixedU128>, amount: u128) -> u128 {
		rate.map_or(amount, |rate| rate.saturating_mul_int(amount))
	}

	pub(crate) fn do_fund_rewards(
		who: &T::AccountId,
		set: OperatorSetId,
		asset: T::RewardAssetId,
		amount: u128,
		per_era: u128,
	) -> DispatchResult {
		let mut record = Self::owned_set(who, set)?;
		ensure!(amount > 0 && per_era > 0, Error::<T>::ZeroAmount);
		let mut budget = match RewardBudgets::<T>::get(set, &asset) {
			Some(budget) => budget,
			None => {
				ensure!(record.budgets < T::MaxBudgetsPerSet::get(), Error::<T>::TooManyBudgets);
				record.budgets += 1;
				OperatorSets::<T>::insert(set, record);
				// Paid from the next era on.
				Budget { per_era, remaining: 0, last_paid_era: T::CurrentEra::get() }
			}
		};
		budget.remaining = budget.remaining.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		budget.per_era = per_era;
		ensure!(budget.remaining >= per_era, Error::<T>::BudgetBelowOneEra);
		let escrow = Self::escrow_account();
		// The first budget in an asset also pays the escrow's existential deposit, which stays.
		let top_up = T::RewardAssets::minimum_balance(asset.clone())
			.saturating_sub(T::RewardAssets::balance(asset.clone(), &escrow));
		let pay = amount.checked_add(top_up).ok_or(ArithmeticError::Overflow)?;
		T::RewardAssets::transfer(asset.clone(), who, &escrow, pay, Preservation::Preserve)?;
		Escrowed::<T>::mutate(&asset, |e| *e = e.saturating_add(amount));
		let remaining = budget.remaining;
		RewardBudgets::<T>::insert(set, &asset, budget);
		Self::deposit_event(Event::RewardsFunded { set, asset, amount, per_era, remaining });
		Ok(())
	}

	/// Remove a budget, paying what it has left to `to`. Returns that amount.
	pub(crate) fn close_budget(
		set: &OperatorSetId,
		asset: &T::RewardAssetId,
		budget: &Budget,
		to: &T::AccountId,
	) -> Result<u128, DispatchError> {
		if budget.remaining > 0 {
			T::RewardAssets::transfer(
				asset.clone(),
				&Self::escrow_account(),
				to,
				budget.remaining,
				Preservation::Expendable,
			)?;
		}
		RewardBudgets::<T>::remove(set, asset);
		Escrowed::<T>::mutate(asset, |e| e.defensive_saturating_reduce(budget.remaining));
		OperatorSets::<T>::mutate(set, |r| {
			if let Some(r) = r {
				r.budgets -= 1;
			}
		});
		Ok(budget.remaining)
	}

	/// Walk the reward budgets for the current era, from where the last block stopped, until
	/// `limit` would be exceeded or every budget was visited. Returns the weight used.
	pub(crate) fn pay_rewards(limit: Weight) -> Weight {
		let era_read = T::DbWeight::get().reads(1);
		Self::pay_rewards_for(T::CurrentEra::get(), limit.saturating_sub(era_read))
			.saturating_add(era_read)
	}

	/// [`Self::pay_rewards`] for `era`.
	pub(crate) fn pay_rewards_for(era: EraIndex, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		// The progress record is read now and written at the end.
		let mut used = db.reads_writes(1, 1);
		let mut progress = Payouts::<T>::get();
		if progress.era != era {
			// A pass left unfinished by an era change restarts; budgets it did not reach are
			// paid for both eras (a budget pays every era since it was last paid).
			progress = PayoutProgress { era, last_key: None, done: false };
		}
		if progress.done {
			return db.reads(1);
		}
		let mut visited = 0u32;
		loop {
			// Every look at a budget costs a read, due or not: the limit bounds both.
			if visited > 0 && used.saturating_add(db.reads(1)).any_gt(limit) {
				break;
			}
			let next = match &progress.last_key {
				Some(key) => RewardBudgets::<T>::iter_from(key.to_vec()).next(),
				None => RewardBudgets::<T>::iter().next(),
			};
			used.saturating_accrue(db.reads(1));
			let Some((set, asset, budget)) = next else {
				progress.done = true;
				progress.last_key = None;
				Self::deposit_event(Event::EraPayoutsCompleted { era });
				break;
			};
			let due = budget.last_paid_era < era;
			let cost = if due {
				T::WeightInfo::pay_budget()
					.saturating_add(T::Rewards::distribute_rewards_weight(&set))
			} else {
				Weight::zero()
			};
			if visited > 0 && used.saturating_add(cost).any_gt(limit) {
				break;
			}
			used.saturating_accrue(cost);
			visited += 1;
			// The key length is bounded (checked in `integrity_test`).
			progress.last_key =
				Some(BoundedVec::truncate_from(RewardBudgets::<T>::hashed_key_for(set, &asset)));
			if due {
				Self::pay_budget(set, asset, budget, era);
			}
		}
		Payouts::<T>::put(progress);
		used
	}

	/// Pay one budget every era it is due for (as many as it can afford).
	pub(crate) fn pay_budget(
		set: OperatorSetId,
		asset: T::RewardAssetId,
		mut budget: Budget,
		era: EraIndex,
	) {
		let due = era.saturating_sub(budget.last_paid_era);
		let affordable = budget.remaining / budget.per_era.max(1);
		let eras = (due as u128).min(affordable) as EraIndex;
		if eras > 0 {
			let amount = budget.per_era.saturating_mul(eras as u128);
			match T::Rewards::distribute_rewards(
				&Self::escrow_account(),
				&set,
				asset.clone(),
				amount,
			) {
				// Nothing allocated: the era is skipped, the budget keeps its money.
				Ok(0) => Self::deposit_event(Event::RewardPaymentSkipped {
					set,
					asset: asset.clone(),
					error: Error::<T>::NoStakeAllocated.into(),
				}),
				Ok(spent) => {
					budget.remaining = budget.remaining.saturating_sub(spent);
					Escrowed::<T>::mutate(&asset, |e| e.defensive_saturating_reduce(spent));
					Self::deposit_event(Event::RewardsPaid {
						set,
						asset: asset.clone(),
						amount: spent,
						eras,
					});
				}
				// It failed: the eras stay due and are paid with a later one.
				Err(error) => {
					Self::deposit_event(Event::RewardPaymentSkipped {
						set,
						asset: asset.clone(),
						error,
					});
					RewardBudgets::<T>::insert(set, &asset, budget);
					return;
				}
			}
		}
		budget.last_paid_era = era;
		if budget.remaining >= budget.per_era {
			RewardBudgets::<T>::insert(set, &asset, budget);
			return;
		}
		let owner = AvsRecords::<T>::get(set.avs).map(|a| a.owner);
		match owner.ok_or(Error::<T>::UnknownAvs.into()).and_then(|owner| {
			frame_support::storage::with_storage_layer(|| {
				Self::close_budget(&set, &asset, &budget, &owner)
			})
		}) {
			Ok(refunded) => Self::deposit_event(Event::BudgetExhausted { set, asset, refunded }),
			Err(error) => {
				// Kept (and retried next era) rather than lost.
				RewardBudgets::<T>::insert(set, &asset, budget);
				Self::deposit_event(Event::RewardPaymentSkipped { set, asset, error });
			}
		}
	}
}
