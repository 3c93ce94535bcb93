//! Slashing: freezes while slashes wait for a decision, and the slash of one (operator,
//! set, strategy) — a fall of the operator's max magnitude, O(1) in stakers.

use crate::*;
use frame_support::{pallet_prelude::*, traits::fungibles::Mutate};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::StrategySlash,
	staking::{NativeStakeProvider, PoolShare},
};
use sp_runtime::{traits::Saturating, Rounding};

impl<T: Config> Pallet<T> {
	/// Whether a slash of `operator` for `set` waits for a decision.
	pub fn is_set_frozen(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		SlashFreezes::<T>::contains_key(operator, set)
	}

	/// Whether any slash of `operator` waits for a decision.
	pub fn is_operator_frozen(operator: &T::AccountId) -> bool {
		OperatorFreezes::<T>::contains_key(operator)
	}

	/// How much magnitude a slash of `fraction` (capped by `caps`) takes from `before`.
	pub(crate) fn slashed_magnitude(
		before: Magnitude,
		fraction: Magnitude,
		strategy: StrategyId,
		caps: Option<&[(StrategyId, Magnitude)]>,
	) -> Magnitude {
		let uncapped = kasane_primitives::restaking::slashed_magnitude(before, fraction);
		match caps {
			None => uncapped,
			Some(caps) => {
				caps.iter().find(|(s, _)| *s == strategy).map_or(0, |(_, cap)| uncapped.min(*cap))
			}
		}
	}

	/// The scaled shares `operator` holds behind itself in `strategy` (its own stake there).
	pub(crate) fn own_scaled(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		let delegated_to_self = Self::delegation(operator).as_ref() == Some(operator);
		if !delegated_to_self {
			return 0;
		}
		Positions::<T>::get(operator, strategy).map_or(0, |p| p.scaled_shares)
	}

	/// Mint `amount` of `strategy`'s asset (KSN for `Native`) to `to`; what cannot be minted
	/// (below the asset's minimum balance) stays burned. Returns what was minted.
	pub(crate) fn pay_slashed(
		strategy: &Strategy<T::AssetId>,
		to: &T::AccountId,
		amount: u128,
	) -> u128 {
		if amount == 0 {
			return 0;
		}
		let minted = match strategy.kind {
			StrategyKind::Native => {
				T::RewardAssets::mint_into(T::NativeRewardAsset::get(), to, amount)
			}
			StrategyKind::Asset(asset) => T::Assets::mint_into(asset, to, amount),
		};
		minted.unwrap_or(0)
	}

	pub(crate) fn slash_strategy(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategy_id: StrategyId,
		alloc: Allocation<BlockNumberFor<T>>,
		params: &SlashParams<'_, T::AccountId>,
	) -> Result<Option<StrategySlash<u128>>, DispatchError> {
		let fraction = params.fraction;
		let now = Self::now();
		let key = (operator.clone(), *set, strategy_id);
		let mut book = Self::book(operator, strategy_id);
		let mut current = Self::allocation_at(operator, set, &alloc, now);
		// A change that took effect frees (or had already taken) its magnitude first.
		book.encumbered = book.encumbered.saturating_sub(alloc.released_by(&current));
		if alloc.pending.is_some() && current.pending.is_none() {
			book.pending_allocations.retain(|s| s != set);
		}
		let before = current.magnitude;
		let slashed = Self::slashed_magnitude(before, fraction, strategy_id, params.caps);
		if slashed == 0 {
			if Self::put_allocation(key, current) {
				book.allocated_sets.saturating_dec();
			}
			OperatorStrategies::<T>::insert(operator, strategy_id, book);
			return Ok(None);
		}
		let uncapped = slashed == Self::slashed_magnitude(before, fraction, strategy_id, None);
		current.magnitude = before - slashed;
		if let Some(p) = current.pending.as_mut() {
			if p.target > before {
				// An increase keeps its size on top of the slashed magnitude.
				p.target -= slashed;
			} else if uncapped {
				// A decrease still in its delay loses the same fraction.
				p.target = mul_div(p.target, WAD - fraction, WAD, Rounding::Down)
					.unwrap_or(0)
					.min(current.magnitude);
			} else {
				p.target = mul_div(p.target, before - slashed, before, Rounding::Down)
					.unwrap_or(0)
					.min(current.magnitude);
			}
		}
		// Withdrawals no pending slash was requested before they could complete are out of
		// this one's reach: settled at the factor before it.
		Self::settle_matured(&mut book, Self::settle_cutoff(operator));
		let max_before = book.max_magnitude;
		book.max_magnitude = max_before.saturating_sub(slashed);
		book.encumbered = book.encumbered.saturating_sub(slashed);

		let mut strategy = Strategies::<T>::get(strategy_id).ok_or(Error::<T>::UnknownStrategy)?;
		let native = strategy.kind == StrategyKind::Native;
		// What the operator itself had at stake and lost: what caps a reporter's reward.
		let (amount, own_loss) = match strategy.kind {
			StrategyKind::Native => {
				// Exactly `slashed / max_before` of the pool: everything bonded in it when the
				// slash was requested.
				let share = PoolShare::new(slashed, max_before);
				let since = params.bonded_since.unwrap_or_else(T::NativeStake::active_era);
				let own = T::NativeStake::pool_stake(operator).map_or(0, |p| p.self_bond);
				let amount = T::NativeStake::slash_pool(operator, share, since);
				(amount, mul_div(own, slashed, max_before, Rounding::Down).unwrap_or(0))
			}
			StrategyKind::Asset(_) => {
				let scaled = book.active_scaled.saturating_add(book.queued_scaled);
				let amount = scaled_to_value(scaled, max_before)
					.saturating_sub(scaled_to_value(scaled, book.max_magnitude))
					.min(strategy.held);
				strategy.held -= amount;
				strategy.total_slashed = strategy.total_slashed.saturating_add(amount);
				let own = Self::own_scaled(operator, strategy_id);
				let own_loss = scaled_to_value(own, max_before)
					.saturating_sub(scaled_to_value(own, book.max_magnitude));
				(amount, own_loss)
			}
		};
		// The slashed value left circulation (asset deposits are burned on deposit, a pool
		// slash burns from holds as members settle); paying some of it out mints it. The
		// reward is a share of the operator's own loss, never more than what was slashed.
		let reward = match params.reward {
			Some((to, share)) => Self::pay_slashed(&strategy, to, share * own_loss.min(amount)),
			None => 0,
		};
		// Only a strategy whose stakers opted in pays its slashed funds to an account.
		if let SlashDestination::To(to) = params.destination {
			if !native && strategy.redistributable {
				Self::pay_slashed(&strategy, to, amount.saturating_sub(reward));
			}
		}
		Strategies::<T>::insert(strategy_id, strategy);
		let after = current.magnitude;
		if Self::put_allocation(key, current) {
			book.allocated_sets.saturating_dec();
		}
		OperatorStrategies::<T>::insert(operator, strategy_id, book.clone());
		Self::deposit_event(Event::OperatorSlashed {
			operator: operator.clone(),
			set: *set,
			strategy: strategy_id,
			fraction,
			magnitude_before: before,
			magnitude_after: after,
			max_magnitude_after: book.max_magnitude,
			amount,
			native,
			reward,
		});
		Ok(Some(StrategySlash {
			strategy: strategy_id,
			native,
			magnitude_before: before,
			magnitude_after: after,
			amount,
			reward,
		}))
	}
}
