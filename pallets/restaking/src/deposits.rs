//! Positions and delegation: every write of a staker's position or delegation goes through
//! here (deposits, delegating, leaving an operator).

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate, Unbalanced},
		tokens::{Fortitude, Precision, Preservation},
		DefensiveSaturating,
	},
};

impl<T: Config> Pallet<T> {
	/// Check `staker` may delegate to `operator` (the caller then delegates it).
	pub(crate) fn ensure_may_join(
		staker: &T::AccountId,
		operator: &T::AccountId,
	) -> DispatchResult {
		let op = Self::ensure_operator(operator)?;
		ensure!(
			!op.approval_required
				|| staker == operator
				|| DelegationApprovals::<T>::contains_key(operator, staker),
			Error::<T>::DelegationNotApproved
		);
		Ok(())
	}

	/// `who`'s operator, if it is delegated. Reads only the delegation, the first field of the
	/// staker's record, not the withdrawal queue after it: a deposit needs nothing else.
	pub fn delegation(who: &T::AccountId) -> Option<T::AccountId> {
		let key = Stakers::<T>::hashed_key_for(who);
		let mut head = alloc::vec![0u8; <Option<T::AccountId>>::max_encoded_len()];
		sp_io::storage::read(&key, &mut head, 0)?;
		Option::<T::AccountId>::decode(&mut &head[..]).ok().flatten()
	}

	/// `who`'s positions holding shares (at most one per strategy).
	pub(crate) fn positions_of(who: &T::AccountId) -> Vec<(StrategyId, PositionOf<T>)> {
		Positions::<T>::iter_prefix(who).filter(|(_, p)| p.deposit_shares > 0).collect()
	}

	/// Store `staker`, or drop its record when it has nothing left.
	pub(crate) fn put_staker(who: &T::AccountId, staker: StakerOf<T>) {
		if staker.is_empty() {
			Stakers::<T>::remove(who);
		} else {
			Stakers::<T>::insert(who, staker);
		}
	}

	/// Credit `deposit_shares` worth `value` to `who`'s position in `strategy` under its
	/// operator; returns what the whole position is worth now.
	pub(crate) fn add_to_position(
		who: &T::AccountId,
		operator: Option<&T::AccountId>,
		strategy_id: StrategyId,
		strategy: &mut Strategy<T::AssetId>,
		deposit_shares: u128,
		value: u128,
	) -> Result<u128, DispatchError> {
		let mut position = Positions::<T>::get(who, strategy_id).unwrap_or_default();
		let (scaled, max_magnitude) = match operator {
			Some(op) => {
				let mut book = Self::book(op, strategy_id);
				Self::settle(&mut position, Some(&book.reward_per_share));
				let scaled = value_to_scaled(value, book.max_magnitude)
					.ok_or(Error::<T>::OperatorFullySlashed)?;
				book.active_scaled =
					book.active_scaled.checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
				OperatorStrategies::<T>::insert(op, strategy_id, &book);
				(scaled, book.max_magnitude)
			}
			None => {
				Self::settle(&mut position, None);
				strategy.undelegated_scaled = strategy
					.undelegated_scaled
					.checked_add(value)
					.ok_or(ArithmeticError::Overflow)?;
				(value, WAD)
			}
		};
		position.deposit_shares =
			position.deposit_shares.checked_add(deposit_shares).ok_or(ArithmeticError::Overflow)?;
		position.scaled_shares =
			position.scaled_shares.checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
		Positions::<T>::insert(who, strategy_id, &position);
		Ok(scaled_to_value(position.scaled_shares, max_magnitude))
	}

	/// Store `position`, keeping only what it is owed once it holds no shares, and dropping
	/// the record when nothing is left in it.
	pub(crate) fn put_position(
		who: &T::AccountId,
		strategy: StrategyId,
		mut position: PositionOf<T>,
	) {
		let shares = position.deposit_shares > 0;
		position.rewards.retain(|e| e.pending > 0 || (shares && e.snapshot > 0));
		if position.is_empty() {
			Positions::<T>::remove(who, strategy);
		} else {
			Positions::<T>::insert(who, strategy, position);
		}
	}

	/// What `position` can withdraw under `operator` (or undelegated).
	pub fn position_value(
		operator: Option<&T::AccountId>,
		strategy: StrategyId,
		position: &PositionOf<T>,
	) -> u128 {
		match operator {
			Some(op) => {
				scaled_to_value(position.scaled_shares, Self::book(op, strategy).max_magnitude)
			}
			None => position.scaled_shares,
		}
	}

	pub(crate) fn do_deposit(
		who: &T::AccountId,
		strategy_id: StrategyId,
		amount: u128,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut strategy = Strategies::<T>::get(strategy_id).ok_or(Error::<T>::UnknownStrategy)?;
		let asset = Self::asset_of(&strategy)?;
		ensure!(strategy.status == StrategyStatus::Active, Error::<T>::DepositsPaused);
		let amount = Self::deposit_amount(asset, who, amount);
		let held = strategy.held.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		ensure!(held <= strategy.deposit_cap, Error::<T>::DepositCapExceeded);

		let operator = Self::delegation(who);
		let position_value = Self::add_to_position(
			who,
			operator.as_ref(),
			strategy_id,
			&mut strategy,
			amount,
			amount,
		)?;
		ensure!(position_value <= strategy.per_staker_cap, Error::<T>::StakerCapExceeded);

		// The asset leaves circulation while restaked: burned from the staker now, minted back
		// on withdrawal. `held` is the strategy's exact book of it.
		Self::burn_deposit(asset, who, amount)?;
		strategy.held = held;
		strategy.total_deposited = strategy.total_deposited.saturating_add(amount);
		Strategies::<T>::insert(strategy_id, strategy);
		Self::deposit_event(Event::Deposited {
			staker: who.clone(),
			strategy: strategy_id,
			amount,
			deposit_shares: amount,
		});
		Ok(())
	}

	/// What a deposit of `amount` takes: `amount`, or the whole balance when the rest would
	/// be below the asset's minimum balance. Burning `amount` would reap the account and burn
	/// that rest with it, which no position would hold: the staker would lose it.
	fn deposit_amount(asset: T::AssetId, who: &T::AccountId, amount: u128) -> u128 {
		let balance = T::Assets::balance(asset, who);
		match balance.checked_sub(amount) {
			Some(rest) if rest > 0 && rest < T::Assets::minimum_balance(asset) => balance,
			_ => amount,
		}
	}

	/// Burn `amount` of `asset` from `who`, exactly what `fungibles::Mutate::burn_from` does
	/// (same checks, same issuance change, same `Burned` event) without its up-front
	/// `reducible_balance` and issuance checks, which `decrease_balance` repeats: they cost a
	/// deposit about 6 of its 80 µs (docs/benchmarks.md).
	fn burn_deposit(asset: T::AssetId, who: &T::AccountId, amount: u128) -> DispatchResult {
		let burned = <T::Assets as Unbalanced<_>>::decrease_balance(
			asset,
			who,
			amount,
			Precision::Exact,
			Preservation::Expendable,
			Fortitude::Polite,
		)?;
		// `deposit_amount` leaves no rest below the minimum, so exactly `amount` is burned.
		ensure!(burned == amount, Error::<T>::DepositNotExact);
		let issuance = T::Assets::total_issuance(asset).saturating_sub(burned);
		<T::Assets as Unbalanced<_>>::set_total_issuance(asset, issuance);
		T::Assets::done_burn_from(asset, who, burned);
		Ok(())
	}

	/// Delegate an undelegated staker; returns how many positions moved.
	pub(crate) fn do_delegate_to(
		who: &T::AccountId,
		operator: T::AccountId,
	) -> Result<u32, DispatchError> {
		let mut record = Stakers::<T>::get(who);
		ensure!(record.delegated_to.is_none(), Error::<T>::AlreadyDelegated);
		Self::ensure_may_join(who, &operator)?;
		let positions = Self::positions_of(who);
		for (strategy_id, mut position) in positions.iter().cloned() {
			let mut strategy =
				Strategies::<T>::get(strategy_id).ok_or(Error::<T>::UnknownStrategy)?;
			let mut book = Self::book(&operator, strategy_id);
			// Undelegated shares are worth one unit each.
			let value = position.scaled_shares;
			let scaled = value_to_scaled(value, book.max_magnitude)
				.ok_or(Error::<T>::OperatorFullySlashed)?;
			strategy.undelegated_scaled.defensive_saturating_reduce(value);
			book.active_scaled =
				book.active_scaled.checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
			// Undelegated shares earned nothing; from now on they earn from `operator`.
			position.rewards = Self::settled_book(
				core::mem::take(&mut position.rewards),
				Some(&book.reward_per_share),
				0,
			);
			position.scaled_shares = scaled;
			Positions::<T>::insert(who, strategy_id, position);
			OperatorStrategies::<T>::insert(&operator, strategy_id, book);
			Strategies::<T>::insert(strategy_id, strategy);
		}
		record.delegated_to = Some(operator.clone());
		Stakers::<T>::insert(who, record);
		Self::deposit_event(Event::Delegated { staker: who.clone(), operator });
		Ok(positions.len() as u32)
	}

	/// Leave the current operator for `to` (or for nobody): every position becomes a redeposit
	/// withdrawal. Returns how many positions moved.
	pub(crate) fn do_leave_operator(
		who: &T::AccountId,
		to: Option<T::AccountId>,
	) -> Result<u32, DispatchError> {
		let mut record = Stakers::<T>::get(who);
		let from = record.delegated_to.clone().ok_or(Error::<T>::NotDelegated)?;
		if let Some(to) = &to {
			ensure!(*to != from, Error::<T>::SameOperator);
			Self::ensure_may_join(who, to)?;
		}
		let positions = Self::positions_of(who);
		for (strategy_id, position) in &positions {
			Self::queue(
				who,
				Some(&from),
				&mut record.withdrawals,
				*strategy_id,
				position.deposit_shares,
				WithdrawalKind::Redeposit,
			)?;
		}
		record.delegated_to = to.clone();
		Self::put_staker(who, record);
		match to {
			Some(to) => Self::deposit_event(Event::Redelegated { staker: who.clone(), from, to }),
			None => Self::deposit_event(Event::Undelegated { staker: who.clone(), operator: from }),
		}
		Ok(positions.len() as u32)
	}
}
