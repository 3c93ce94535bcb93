//! Withdrawals: queueing, the operators' completion lists (buckets by completion time,
//! settled once out of every pending slash's reach) and completion.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungibles::Mutate, DefensiveSaturating},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	Rounding,
};

impl<T: Config> Pallet<T> {
	/// Blocks between two completion times: `WithdrawalDelay / MaturityBuckets`, rounded up.
	pub fn maturity_step() -> BlockNumberFor<T> {
		let buckets: BlockNumberFor<T> = T::MaturityBuckets::get().max(1).into();
		let delay = T::WithdrawalDelay::get();
		let step = delay / buckets;
		let step = if (step * buckets) < delay { step + One::one() } else { step };
		step.max(One::one())
	}

	/// When a withdrawal queued at `now` can complete: the withdrawal delay later, rounded up
	/// to a completion time.
	pub fn completable_at(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let step = Self::maturity_step();
		let at = now.saturating_add(T::WithdrawalDelay::get());
		let late = at % step;
		if late.is_zero() {
			at
		} else {
			at.saturating_add(step - late)
		}
	}

	/// The last completion time no slash of `operator` can reach any more: now, or while
	/// slashes of it are pending, the block the first of them was requested.
	pub(crate) fn settle_cutoff(operator: &T::AccountId) -> BlockNumberFor<T> {
		OperatorFreezes::<T>::get(operator).map_or_else(Self::now, |f| f.since)
	}

	/// Settle the buckets of `book` completable by `cutoff` (see [`Self::settle_cutoff`]) at
	/// its factor now: they leave `queued_scaled`. Returns whether any did. Called before
	/// anything changes the factor, and before a bucket is moved out of a full list.
	pub(crate) fn settle_matured(
		book: &mut OperatorStrategyOf<T>,
		cutoff: BlockNumberFor<T>,
	) -> bool {
		let mut settled = false;
		let factor = book.max_magnitude;
		for bucket in book.maturity.iter_mut().take_while(|b| b.withdrawable_at <= cutoff) {
			if bucket.settled_at.is_none() {
				bucket.settled_at = Some(factor);
				book.queued_scaled.defensive_saturating_reduce(bucket.scaled);
				settled = true;
			}
		}
		settled
	}

	/// Scaled shares of `book`'s (of `operator`) withdrawals that the next touch settles
	/// (what a slash now would not reach although `queued_scaled` still counts them).
	pub(crate) fn settleable_scaled(operator: &T::AccountId, book: &OperatorStrategyOf<T>) -> u128 {
		let cutoff = Self::settle_cutoff(operator);
		book.maturity
			.iter()
			.take_while(|b| b.withdrawable_at <= cutoff)
			.filter(|b| b.settled_at.is_none())
			.fold(0, |sum, b| sum.saturating_add(b.scaled))
	}

	/// Add `scaled` shares completing at `at` to `operator`'s `book` in `strategy`, making
	/// room from the oldest settled bucket if the list is full. The caller has settled what
	/// was due ([`Self::settle_matured`]), so settled buckets lead the list.
	pub(crate) fn add_to_maturity(
		operator: &T::AccountId,
		strategy: StrategyId,
		book: &mut OperatorStrategyOf<T>,
		at: BlockNumberFor<T>,
		scaled: u128,
	) -> DispatchResult {
		let list = &mut book.maturity;
		match list.binary_search_by_key(&at, |b| b.withdrawable_at) {
			Ok(i) => list[i].scaled = list[i].scaled.saturating_add(scaled),
			Err(mut i) => {
				if list.is_full() {
					let oldest = list
						.first()
						.and_then(|b| {
							b.settled_at.map(|factor| (b.withdrawable_at, b.scaled, factor))
						})
						.ok_or(Error::<T>::MaturityFull)?;
					list.remove(0);
					i = i.saturating_sub(1);
					SettledWithdrawals::<T>::insert(
						(operator, strategy, oldest.0),
						(oldest.1, oldest.2),
					);
				}
				list.try_insert(
					i,
					MaturityBucket { withdrawable_at: at, scaled, settled_at: None },
				)
				.map_err(|_| Error::<T>::MaturityFull)?;
			}
		}
		book.queued_scaled = book.queued_scaled.saturating_add(scaled);
		Ok(())
	}

	/// Take completable withdrawal `w`'s shares (queued from `operator`) out of its bucket,
	/// in `book` or moved out of it to [`SettledWithdrawals`]; returns the factor it bears
	/// and whether `book` changed. Only its own bucket is touched: one still in the list and
	/// not settled is settled now if no pending slash was requested before it could complete
	/// (the operator's factor has not changed since it became settleable: a slash settles
	/// first), or the withdrawal waits.
	pub(crate) fn take_from_bucket(
		operator: &T::AccountId,
		book: &mut OperatorStrategyOf<T>,
		w: &WithdrawalOf<T>,
	) -> Result<(Magnitude, bool), DispatchError> {
		let list = &mut book.maturity;
		let Ok(i) = list.binary_search_by_key(&w.withdrawable_at, |b| b.withdrawable_at) else {
			let key = (operator, w.strategy, w.withdrawable_at);
			let (scaled, factor) =
				SettledWithdrawals::<T>::get(key).ok_or(Error::<T>::UnknownWithdrawal)?;
			match scaled.saturating_sub(w.scaled_shares) {
				0 => SettledWithdrawals::<T>::remove(key),
				left => SettledWithdrawals::<T>::insert(key, (left, factor)),
			}
			return Ok((factor, false));
		};
		let factor = match list[i].settled_at {
			Some(factor) => factor,
			None => {
				ensure!(
					w.withdrawable_at <= Self::settle_cutoff(operator),
					Error::<T>::SlashPending
				);
				list[i].settled_at = Some(book.max_magnitude);
				book.queued_scaled.defensive_saturating_reduce(list[i].scaled);
				book.max_magnitude
			}
		};
		list[i].scaled.defensive_saturating_reduce(w.scaled_shares);
		if list[i].scaled == 0 {
			list.remove(i);
		}
		Ok((factor, true))
	}

	pub(crate) fn do_queue_withdrawal(
		who: &T::AccountId,
		strategy_id: StrategyId,
		shares: u128,
		kind: WithdrawalKind,
	) -> Result<WithdrawalId, DispatchError> {
		let mut record = Stakers::<T>::get(who);
		let operator = record.delegated_to.clone();
		let id = Self::queue(
			who,
			operator.as_ref(),
			&mut record.withdrawals,
			strategy_id,
			shares,
			kind,
		)?;
		Stakers::<T>::insert(who, record);
		Ok(id)
	}

	/// Move `shares` deposit shares of `who`'s position (delegated to `operator`) into a
	/// withdrawal appended to `queue`. The caller stores `queue`.
	pub(crate) fn queue(
		who: &T::AccountId,
		operator: Option<&T::AccountId>,
		queue: &mut WithdrawalQueueOf<T>,
		strategy_id: StrategyId,
		shares: u128,
		kind: WithdrawalKind,
	) -> Result<WithdrawalId, DispatchError> {
		ensure!(shares > 0, Error::<T>::ZeroAmount);
		let mut position = Positions::<T>::get(who, strategy_id)
			.filter(|p| p.deposit_shares > 0)
			.ok_or(Error::<T>::NoPosition)?;
		ensure!(shares <= position.deposit_shares, Error::<T>::InsufficientShares);
		ensure!(
			(queue.len() as u32) < T::MaxQueuedWithdrawals::get(),
			Error::<T>::TooManyQueuedWithdrawals
		);
		let mut book = operator.map(|op| Self::book(op, strategy_id));
		Self::settle(&mut position, book.as_ref().map(|b| &b.reward_per_share[..]));
		// A part of the position takes its share of scaled shares, rounded down: what the
		// withdrawal does not take stays with the staker, nothing is created.
		let scaled = if shares == position.deposit_shares {
			position.scaled_shares
		} else {
			mul_div(position.scaled_shares, shares, position.deposit_shares, Rounding::Down)
				.ok_or(ArithmeticError::Overflow)?
		};
		let now = Self::now();
		let withdrawable_at = Self::completable_at(now);
		if let (Some(op), Some(book)) = (operator, book.as_mut()) {
			// Shares worth nothing (a position slashed to zero) need no completion bucket.
			if scaled > 0 {
				Self::settle_matured(book, Self::settle_cutoff(op));
				Self::add_to_maturity(op, strategy_id, book, withdrawable_at, scaled)?;
			}
			book.active_scaled.defensive_saturating_reduce(scaled);
			OperatorStrategies::<T>::insert(op, strategy_id, &*book);
		}
		position.deposit_shares -= shares;
		position.scaled_shares -= scaled;
		Self::put_position(who, strategy_id, position);

		let earlier = queue.iter().rev().take_while(|w| w.queued_at == now).count() as u32;
		let id = withdrawal_id(now.unique_saturated_into(), earlier);
		queue
			.try_push(Withdrawal {
				id,
				operator: operator.cloned(),
				strategy: strategy_id,
				deposit_shares: shares,
				scaled_shares: scaled,
				queued_at: now,
				withdrawable_at,
				kind,
			})
			.map_err(|_| Error::<T>::TooManyQueuedWithdrawals)?;
		Self::deposit_event(Event::WithdrawalQueued {
			id,
			staker: who.clone(),
			operator: operator.cloned(),
			strategy: strategy_id,
			deposit_shares: shares,
			withdrawable_at,
			kind,
		});
		Ok(id)
	}

	/// What withdrawal `w` is worth now: after every slash of its operator that reached it
	/// (those requested before it could complete).
	pub fn withdrawal_value(w: &WithdrawalOf<T>) -> u128 {
		let Some(op) = &w.operator else { return w.scaled_shares };
		let book = Self::book(op, w.strategy);
		let list = &book.maturity;
		let factor = match list.binary_search_by_key(&w.withdrawable_at, |b| b.withdrawable_at) {
			Ok(i) => list[i].settled_at,
			Err(_) => SettledWithdrawals::<T>::get((op, w.strategy, w.withdrawable_at))
				.map(|(_, factor)| factor),
		};
		// Not settled yet: worth what the operator's factor says (nothing changed it since it
		// became settleable, or it would have been settled then).
		scaled_to_value(w.scaled_shares, factor.unwrap_or(book.max_magnitude))
	}

	/// Complete `staker`'s withdrawal `id` for `caller`; returns its kind (for weight).
	pub(crate) fn do_complete_withdrawal(
		caller: &T::AccountId,
		staker: &T::AccountId,
		id: WithdrawalId,
	) -> Result<WithdrawalKind, DispatchError> {
		let mut record = Stakers::<T>::get(staker);
		let index = record
			.withdrawals
			.iter()
			.position(|w| w.id == id)
			.ok_or(Error::<T>::UnknownWithdrawal)?;
		let w = record.withdrawals.remove(index);
		if w.kind == WithdrawalKind::Tokens {
			ensure!(caller == staker, Error::<T>::NotWithdrawalOwner);
		}
		ensure!(Self::now() >= w.withdrawable_at, Error::<T>::WithdrawalNotReady);
		let stored = Strategies::<T>::get(w.strategy).ok_or(Error::<T>::UnknownStrategy)?;
		let mut strategy = stored.clone();
		// What the withdrawal is worth after every slash of its operator so far.
		let mut value = w.scaled_shares;
		match &w.operator {
			Some(_) if w.scaled_shares == 0 => value = 0,
			Some(op) => {
				// Out of reach of every pending slash of its operator (all requested after it
				// could complete), or it waits for them to be decided. Written before a
				// redeposit reads the book again (the staker may be back with this operator).
				let mut book = Self::book(op, w.strategy);
				let (factor, changed) = Self::take_from_bucket(op, &mut book, &w)?;
				if changed {
					OperatorStrategies::<T>::insert(op, w.strategy, &book);
				}
				value = scaled_to_value(w.scaled_shares, factor);
			}
			None => {
				strategy.undelegated_scaled.defensive_saturating_reduce(w.scaled_shares);
			}
		}
		match w.kind {
			WithdrawalKind::Tokens => {
				let asset = Self::asset_of(&strategy)?;
				if value > 0 {
					T::Assets::mint_into(asset, staker, value)?;
				}
				strategy.held.defensive_saturating_reduce(value);
				strategy.total_withdrawn = strategy.total_withdrawn.saturating_add(value);
			}
			WithdrawalKind::Redeposit => {
				Self::add_to_position(
					staker,
					record.delegated_to.as_ref(),
					w.strategy,
					&mut strategy,
					w.deposit_shares,
					value,
				)?;
			}
		}
		// A redeposit between operators leaves the strategy's totals as they were.
		if strategy != stored {
			Strategies::<T>::insert(w.strategy, strategy);
		}
		Self::put_staker(staker, record);
		Self::deposit_event(Event::WithdrawalCompleted {
			id,
			staker: staker.clone(),
			strategy: w.strategy,
			amount: value,
			kind: w.kind,
		});
		Ok(w.kind)
	}
}
