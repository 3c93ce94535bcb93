//! Allocations: scheduling changes of an operator's magnitude per operator set, applying
//! the ones whose delay has passed, and the stake an allocation stands for.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{restaking::OperatorSetRegistry, staking::NativeStakeProvider};
use sp_runtime::{traits::Saturating, Rounding};

impl<T: Config> Pallet<T> {
	/// `alloc` (of `operator` to `set`) as it stands at `now`: a change that is due applies,
	/// except a decrease while a slash of the operator for the set waits for a decision (what
	/// the slash reached stays in force until it is decided).
	pub(crate) fn allocation_at(
		operator: &T::AccountId,
		set: &OperatorSetId,
		alloc: &Allocation<BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> Allocation<BlockNumberFor<T>> {
		let decrease = alloc.pending.as_ref().is_some_and(|p| p.target < alloc.magnitude);
		if decrease && Self::is_set_frozen(operator, set) {
			return alloc.clone();
		}
		alloc.at(now)
	}

	/// Apply `operator`'s allocation changes in `strategy` that have taken effect. Returns how
	/// many pending entries were looked at.
	pub(crate) fn mature_allocations(operator: &T::AccountId, strategy: StrategyId) -> u32 {
		let mut book = Self::book(operator, strategy);
		let seen = Self::mature_book(operator, strategy, &mut book);
		if seen > 0 {
			OperatorStrategies::<T>::insert(operator, strategy, book);
		}
		seen
	}

	/// [`Self::mature_allocations`] on a `book` the caller holds and stores.
	pub(crate) fn mature_book(
		operator: &T::AccountId,
		strategy: StrategyId,
		book: &mut OperatorStrategyOf<T>,
	) -> u32 {
		let seen = book.pending_allocations.len() as u32;
		if seen == 0 {
			return 0;
		}
		let now = Self::now();
		let mut pending = core::mem::take(&mut book.pending_allocations);
		pending.retain(|set| {
			let key = (operator.clone(), *set, strategy);
			let Some(alloc) = Allocations::<T>::get(&key) else { return false };
			let matured = Self::allocation_at(operator, set, &alloc, now);
			if matured.pending.is_some() {
				return true;
			}
			book.encumbered = book.encumbered.saturating_sub(alloc.released_by(&matured));
			if Self::put_allocation(key, matured) {
				book.allocated_sets.saturating_dec();
			}
			false
		});
		book.pending_allocations = pending;
		seen
	}

	/// What `book` (of `operator` in `strategy`) encumbers at `now`: what [`Self::mature_book`]
	/// would leave, without writing. A book applies its due changes only when next touched,
	/// so the stored figure can still count a decrease that took effect.
	pub(crate) fn encumbered_at(
		operator: &T::AccountId,
		strategy: StrategyId,
		book: &OperatorStrategyOf<T>,
		now: BlockNumberFor<T>,
	) -> Magnitude {
		book.pending_allocations.iter().fold(book.encumbered, |encumbered, set| {
			let Some(alloc) = Allocations::<T>::get((operator.clone(), *set, strategy)) else {
				return encumbered;
			};
			let matured = Self::allocation_at(operator, set, &alloc, now);
			if matured.pending.is_some() {
				return encumbered;
			}
			encumbered.saturating_sub(alloc.released_by(&matured))
		})
	}

	/// Store an allocation, or remove its record once it is zero with nothing pending; returns
	/// whether the record went (the caller's book counts one set less).
	pub(crate) fn put_allocation(
		key: (T::AccountId, OperatorSetId, StrategyId),
		alloc: Allocation<BlockNumberFor<T>>,
	) -> bool {
		if alloc.magnitude == 0 && alloc.pending.is_none() {
			let (operator, set, strategy) = &key;
			SetAllocations::<T>::mutate_exists(set, |list| {
				if let Some(entries) = list {
					entries.retain(|(op, s)| !(op == operator && s == strategy));
					if entries.is_empty() {
						*list = None;
					}
				}
			});
			Allocations::<T>::take(key).is_some()
		} else {
			Allocations::<T>::insert(key, alloc);
			false
		}
	}

	/// Schedule `operator`'s allocation to `set` in `strategy` to become `magnitude`. Returns
	/// how many pending entries were matured on the way.
	pub(crate) fn do_modify_allocation(
		operator: &T::AccountId,
		set: OperatorSetId,
		strategy: StrategyId,
		magnitude: Magnitude,
	) -> Result<u32, DispatchError> {
		Self::ensure_operator(operator)?;
		let native = Strategies::<T>::get(strategy).ok_or(Error::<T>::UnknownStrategy)?.kind
			== StrategyKind::Native;
		ensure!(magnitude <= WAD, Error::<T>::MagnitudeOverOne);
		let mut book = Self::book(operator, strategy);
		let seen = Self::mature_book(operator, strategy, &mut book);

		let key = (operator.clone(), set, strategy);
		let existing = Allocations::<T>::get(&key);
		let current = existing.clone().unwrap_or(Allocation { magnitude: 0, pending: None });
		ensure!(current.pending.is_none(), Error::<T>::AllocationChangePending);
		ensure!(magnitude != current.magnitude, Error::<T>::AllocationUnchanged);
		if existing.is_none() {
			ensure!(
				book.allocated_sets < T::MaxPendingAllocations::get(),
				Error::<T>::TooManyAllocatedSets
			);
			book.allocated_sets += 1;
		}
		let now = Self::now();
		let effective_at = if magnitude > current.magnitude {
			ensure!(T::OperatorSets::is_member(operator, &set), Error::<T>::NotInOperatorSet);
			ensure!(
				T::OperatorSets::accepts_strategy(&set, strategy),
				Error::<T>::StrategyNotAccepted
			);
			let increase = magnitude - current.magnitude;
			ensure!(increase <= book.free_magnitude(), Error::<T>::InsufficientMagnitude);
			book.encumbered += increase;
			now.saturating_add(T::AllocationDelay::get())
		} else {
			now.saturating_add(T::DeallocationDelay::get())
		};
		book.pending_allocations
			.try_push(set)
			.map_err(|_| Error::<T>::TooManyPendingAllocations)?;
		// A record exists exactly when the pair is in the set's list (`try_state`).
		if existing.is_none() {
			SetAllocations::<T>::try_append(set, (operator.clone(), strategy))
				.map_err(|_| Error::<T>::SetAllocationsFull)?;
		}
		Allocations::<T>::insert(
			&key,
			Allocation {
				magnitude: current.magnitude,
				pending: Some(PendingAllocation { target: magnitude, effective_at }),
			},
		);
		OperatorStrategies::<T>::insert(operator, strategy, book);
		Self::deposit_event(Event::AllocationScheduled {
			operator: operator.clone(),
			set,
			strategy,
			from: current.magnitude,
			to: magnitude,
			effective_at,
			native,
		});
		Ok(seen)
	}

	/// [`OperatorSetStake::deallocate_all`]: every allocation of `operator` to `set` goes to
	/// zero after the deallocation delay; a pending increase is dropped (it was never in
	/// force), what is in force stays slashable until the decrease takes effect.
	///
	/// Only the set's own allocations are brought up to date, not the whole book: maturing
	/// every other due change too would make leaving a set cost up to
	/// `MaxPendingAllocations` removals per strategy. Those wait for the book's next touch.
	pub(crate) fn do_deallocate_all(
		operator: &T::AccountId,
		set: &OperatorSetId,
	) -> DispatchResult {
		let now = Self::now();
		let effective_at = now.saturating_add(T::DeallocationDelay::get());
		let strategies: Vec<StrategyId> =
			Allocations::<T>::iter_key_prefix((operator, set)).collect();
		let native_strategy = NativeStrategy::<T>::get();
		for strategy in strategies {
			let key = (operator.clone(), *set, strategy);
			let Some(stored) = Allocations::<T>::get(&key) else { continue };
			let alloc = Self::allocation_at(operator, set, &stored, now);
			if matches!(&alloc.pending, Some(p) if p.target == 0) {
				// Already winding down (so not yet due): nothing changes.
				continue;
			}
			let mut book = Self::book(operator, strategy);
			let matured = stored.pending.is_some() && alloc.pending.is_none();
			let in_force = alloc.magnitude;
			// What neither stays in force nor waits to wind down is free again.
			book.encumbered =
				book.encumbered.saturating_sub(stored.encumbers().saturating_sub(in_force));
			if in_force == 0 {
				// A dropped increase, or a decrease to zero that took effect: gone at once.
				book.pending_allocations.retain(|s| s != set);
				if Self::put_allocation(key, Allocation { magnitude: 0, pending: None }) {
					book.allocated_sets.saturating_dec();
				}
				OperatorStrategies::<T>::insert(operator, strategy, &book);
				if !matured {
					Self::deposit_event(Event::AllocationScheduled {
						operator: operator.clone(),
						set: *set,
						strategy,
						from: 0,
						to: 0,
						effective_at: now,
						native: native_strategy == Some(strategy),
					});
				}
				continue;
			}
			if alloc.pending.is_none() && !matured {
				// Never full: the list holds at most one entry per allocated set, and the
				// sets are bounded by its capacity (`TooManyAllocatedSets`).
				book.pending_allocations
					.try_push(*set)
					.map_err(|_| Error::<T>::TooManyPendingAllocations)?;
			}
			Allocations::<T>::insert(
				&key,
				Allocation {
					magnitude: in_force,
					pending: Some(PendingAllocation { target: 0, effective_at }),
				},
			);
			OperatorStrategies::<T>::insert(operator, strategy, book);
			Self::deposit_event(Event::AllocationScheduled {
				operator: operator.clone(),
				set: *set,
				strategy,
				from: in_force,
				to: 0,
				effective_at,
				native: native_strategy == Some(strategy),
			});
		}
		Ok(())
	}

	/// The stake of `operator` in `strategy`: its native pool for the `Native` strategy, its
	/// delegated shares' value otherwise.
	pub fn operator_stake(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		let native = NativeStrategy::<T>::get();
		Self::operator_stake_in(operator, strategy, &Self::book(operator, strategy), native)
	}

	/// [`Self::operator_stake`] with the operator's `book` in `strategy` and the `native`
	/// strategy already read.
	fn operator_stake_in(
		operator: &T::AccountId,
		strategy: StrategyId,
		book: &OperatorStrategyOf<T>,
		native: Option<StrategyId>,
	) -> u128 {
		if native == Some(strategy) {
			T::NativeStake::pool_stake(operator).map_or(0, |p| p.active)
		} else {
			book.delegated()
		}
	}

	/// The magnitude of `operator`'s allocation to `set` in `strategy` in force at `now`.
	fn magnitude_in_force(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategy: StrategyId,
		now: BlockNumberFor<T>,
	) -> Magnitude {
		Allocations::<T>::get((operator, set, strategy))
			.map_or(0, |a| Self::allocation_at(operator, set, &a, now).magnitude)
	}

	/// What `operator` has allocated to `set` in `strategy` now: (magnitude in force, stake it
	/// represents).
	pub fn allocated_stake(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategy: StrategyId,
	) -> (Magnitude, u128) {
		let magnitude = Self::magnitude_in_force(operator, set, strategy, Self::now());
		let (stake, max_magnitude) =
			Self::stake_and_max_magnitude(operator, strategy, NativeStrategy::<T>::get());
		(magnitude, Self::stake_of_magnitude(stake, magnitude, max_magnitude))
	}

	/// `operator`'s stake in `strategy` and its book's maximum magnitude: what an allocated
	/// magnitude is a part of. `native` is the native strategy, read once by the caller.
	fn stake_and_max_magnitude(
		operator: &T::AccountId,
		strategy: StrategyId,
		native: Option<StrategyId>,
	) -> (u128, Magnitude) {
		let book = Self::book(operator, strategy);
		(Self::operator_stake_in(operator, strategy, &book, native), book.max_magnitude)
	}

	/// The part `magnitude` of `max_magnitude` is of an operator's `stake`.
	fn stake_of_magnitude(stake: u128, magnitude: Magnitude, max_magnitude: Magnitude) -> u128 {
		mul_div(stake, magnitude, max_magnitude, Rounding::Down).unwrap_or(0)
	}

	/// Calls `visit(i, operator, strategy, stake)` for everything allocated to `sets[i]` now
	/// with a stake above zero, set after set. An operator is in several sets, so each
	/// (operator, strategy) book and stake is read once for all of them: a view over every set
	/// reads O(allocations + books) entries, not four per allocation, and holds none of them.
	pub fn for_each_set_allocation(
		sets: &[OperatorSetId],
		mut visit: impl FnMut(usize, T::AccountId, StrategyId, u128),
	) {
		let now = Self::now();
		let native = NativeStrategy::<T>::get();
		// (operator, strategy) → (operator's stake, book's maximum magnitude).
		let mut books: BTreeMap<(T::AccountId, StrategyId), (u128, Magnitude)> = BTreeMap::new();
		for (i, set) in sets.iter().enumerate() {
			for (operator, strategy) in SetAllocations::<T>::get(set) {
				let magnitude = Self::magnitude_in_force(&operator, set, strategy, now);
				if magnitude == 0 {
					continue;
				}
				let (stake, max_magnitude) = *books
					.entry((operator.clone(), strategy))
					.or_insert_with(|| Self::stake_and_max_magnitude(&operator, strategy, native));
				let allocated = Self::stake_of_magnitude(stake, magnitude, max_magnitude);
				if allocated > 0 {
					visit(i, operator, strategy, allocated);
				}
			}
		}
	}
}
