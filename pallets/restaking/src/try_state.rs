//! Every invariant of the pallet, one `check_*` per concern, run after each test and by
//! `try-runtime`.
//!
//! Compiled with `std` as well as `try-runtime`: the runtime's native integration tests and
//! the other pallets' mocks check it without turning on `try-runtime` (which would change the
//! wasm the node embeds); the wasm runtime leaves it out.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::*;
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, pallet_prelude::*, traits::fungible::InspectHold};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::UniqueSaturatedInto, TryRuntimeError};

/// Scaled shares per (operator, strategy).
type PerBook<T> = BTreeMap<(<T as frame_system::Config>::AccountId, StrategyId), u128>;
/// Allocated sets per (operator, strategy).
type PerBookCount<T> = BTreeMap<(<T as frame_system::Config>::AccountId, StrategyId), u32>;
/// Scaled shares or values per strategy.
type PerStrategy = BTreeMap<StrategyId, u128>;
/// Scaled shares of withdrawals per completion bucket (operator, strategy, completion block).
type PerCompletion<T> =
	BTreeMap<(<T as frame_system::Config>::AccountId, StrategyId, BlockNumberFor<T>), u128>;

impl<T: Config> Pallet<T> {
	/// Every check of the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_operators()?;
		Self::check_strategies()?;
		let (active, mut undelegated) = Self::check_positions()?;
		let by_completion = Self::check_withdrawals(&mut undelegated)?;
		let (queued, settled_claims) = Self::check_completion_buckets(by_completion)?;
		let (encumbered, allocated_sets) = Self::check_allocations()?;
		let claims = Self::check_books(active, queued, encumbered, allocated_sets)?;
		Self::check_freezes()?;
		Self::check_set_index()?;
		Self::check_rewards()?;
		Self::check_strategy_backing(undelegated, claims, settled_claims)
	}

	/// Operators: their deposits are held, their counts match.
	fn check_operators() -> Result<(), TryRuntimeError> {
		let approval_reason: T::RuntimeHoldReason = HoldReason::ApprovalDeposit.into();
		let operator_reason: T::RuntimeHoldReason = HoldReason::OperatorDeposit.into();
		for (who, op) in Operators::<T>::iter() {
			ensure!(
				DelegationApprovals::<T>::iter_prefix(&who).count() as u32 == op.approvals,
				"approval count is off"
			);
			ensure!(op.approvals <= T::MaxApprovals::get(), "too many approvals");
			ensure!(
				T::Currency::balance_on_hold(&operator_reason, &who) >= op.deposit,
				"an operator's deposit is not held"
			);
			ensure!(
				T::Currency::balance_on_hold(&approval_reason, &who)
					>= T::ApprovalDeposit::get().saturating_mul(op.approvals.into()),
				"an operator's approval deposits are not held"
			);
		}
		Ok(())
	}

	/// Strategies: ids, uniqueness, exact books of what is held.
	fn check_strategies() -> Result<(), TryRuntimeError> {
		ensure!(Strategies::<T>::count() <= T::MaxStrategies::get(), "too many strategies");
		let next = NextStrategyId::<T>::get();
		for (id, s) in Strategies::<T>::iter() {
			ensure!(id < next, "strategy id at or past NextStrategyId");
			match s.kind {
				StrategyKind::Native => {
					ensure!(NativeStrategy::<T>::get() == Some(id), "native strategy not indexed");
					ensure!(
						s.held == 0 && s.undelegated_scaled == 0,
						"native strategy holds assets"
					);
				}
				StrategyKind::Asset(a) => {
					ensure!(AssetStrategy::<T>::get(a) == Some(id), "asset strategy not indexed")
				}
			}
			ensure!(
				s.held
					== s.total_deposited
						.saturating_sub(s.total_withdrawn)
						.saturating_sub(s.total_slashed),
				"held != deposited - withdrawn - slashed"
			);
		}
		Ok(())
	}

	/// Staker records and positions are kept only while they hold something; returns the
	/// positions' scaled shares per operator book and, for undelegated stakers, per strategy.
	fn check_positions() -> Result<(PerBook<T>, PerStrategy), TryRuntimeError> {
		let mut active = PerBook::<T>::new();
		let mut undelegated = PerStrategy::new();
		for (who, staker) in Stakers::<T>::iter() {
			ensure!(!staker.is_empty(), "empty staker record kept");
			ensure!(
				Self::delegation(&who) == staker.delegated_to,
				"the delegation is not the record's first field"
			);
		}
		for (who, strategy, p) in Positions::<T>::iter() {
			if p.deposit_shares > 0 {
				match Self::delegation(&who) {
					Some(op) => *active.entry((op, strategy)).or_default() += p.scaled_shares,
					None => *undelegated.entry(strategy).or_default() += p.scaled_shares,
				}
			}
			ensure!(!p.is_empty(), "empty position kept");
			ensure!(p.deposit_shares > 0 || p.scaled_shares == 0, "scaled shares without deposit");
			ensure!(
				p.deposit_shares > 0 || p.rewards.iter().all(|e| e.pending > 0),
				"reward snapshot kept without shares"
			);
			ensure!(
				p.rewards.iter().all(|e| e.pending > 0 || e.snapshot > 0),
				"empty reward entry kept"
			);
			ensure!(
				p.rewards
					.iter()
					.enumerate()
					.all(|(i, e)| p.rewards[..i].iter().all(|f| f.asset != e.asset)),
				"reward asset booked twice"
			);
		}
		Ok((active, undelegated))
	}

	/// Withdrawal queues are ordered and well formed; returns the delegated ones' scaled shares
	/// per completion bucket and adds the undelegated ones to `undelegated`.
	fn check_withdrawals(
		undelegated: &mut PerStrategy,
	) -> Result<PerCompletion<T>, TryRuntimeError> {
		let mut by_completion = PerCompletion::<T>::new();
		for (_, staker) in Stakers::<T>::iter() {
			let queue = staker.withdrawals;
			ensure!(queue.windows(2).all(|w| w[0].id < w[1].id), "withdrawal ids not increasing");
			for w in queue {
				let block: u64 = w.queued_at.unique_saturated_into();
				ensure!(w.id >> 16 == block, "withdrawal id not of its queueing block");
				ensure!(w.withdrawable_at >= w.queued_at, "withdrawal before it was queued");
				ensure!(w.deposit_shares > 0, "empty withdrawal");
				match &w.operator {
					Some(_) if w.scaled_shares == 0 => {}
					Some(op) => {
						*by_completion
							.entry((op.clone(), w.strategy, w.withdrawable_at))
							.or_default() += w.scaled_shares
					}
					None => *undelegated.entry(w.strategy).or_default() += w.scaled_shares,
				}
			}
		}
		Ok(by_completion)
	}

	/// Withdrawals add up to their operators' completion buckets (L-8): unsettled ones to the
	/// books' queued shares, settled ones keep the factor they were settled at. Returns the
	/// queued shares per book and the settled claims per strategy.
	fn check_completion_buckets(
		mut by_completion: PerCompletion<T>,
	) -> Result<(PerBook<T>, PerStrategy), TryRuntimeError> {
		let mut queued = PerBook::<T>::new();
		let mut settled_claims = PerStrategy::new();
		for (op, strategy, book) in OperatorStrategies::<T>::iter() {
			let list = &book.maturity;
			ensure!(
				list.windows(2).all(|b| b[0].withdrawable_at < b[1].withdrawable_at),
				"maturity buckets out of order"
			);
			let cutoff = Self::settle_cutoff(&op);
			let mut unsettled = 0u128;
			for b in list.iter() {
				ensure!(b.scaled > 0, "empty maturity bucket kept");
				ensure!(
					by_completion.remove(&(op.clone(), strategy, b.withdrawable_at))
						== Some(b.scaled),
					"maturity bucket != its withdrawals"
				);
				match b.settled_at {
					Some(factor) => {
						ensure!(b.withdrawable_at <= cutoff, "settled within a slash's reach");
						ensure!(factor <= WAD, "settled above one");
						ensure!(factor >= book.max_magnitude, "settled below the factor now");
						*settled_claims.entry(strategy).or_default() +=
							scaled_to_value(b.scaled, factor);
					}
					None => unsettled += b.scaled,
				}
			}
			*queued.entry((op, strategy)).or_default() += unsettled;
		}
		for ((op, strategy, at), (scaled, factor)) in SettledWithdrawals::<T>::iter() {
			ensure!(scaled > 0, "empty settled bucket kept");
			ensure!(
				by_completion.remove(&(op, strategy, at)) == Some(scaled),
				"settled bucket != its withdrawals"
			);
			*settled_claims.entry(strategy).or_default() += scaled_to_value(scaled, factor);
		}
		ensure!(by_completion.is_empty(), "withdrawals without a completion bucket");
		Ok((queued, settled_claims))
	}

	/// Allocations stay within their books' magnitude and pending ones are listed; returns the
	/// magnitude each book has encumbered and the number of sets it is allocated to.
	fn check_allocations() -> Result<(PerBook<T>, PerBookCount<T>), TryRuntimeError> {
		let mut encumbered = PerBook::<T>::new();
		let mut allocated_sets = PerBookCount::<T>::new();
		let mut pending = PerBookCount::<T>::new();
		for ((op, set, strategy), alloc) in Allocations::<T>::iter() {
			*allocated_sets.entry((op.clone(), strategy)).or_default() += 1;
			let book =
				OperatorStrategies::<T>::get(&op, strategy).ok_or("allocation without a book")?;
			ensure!(alloc.magnitude <= book.max_magnitude, "allocation above max magnitude");
			ensure!(
				alloc.encumbers() <= book.max_magnitude,
				"pending allocation above max magnitude"
			);
			if alloc.pending.is_some() {
				ensure!(book.pending_allocations.contains(&set), "pending allocation not listed");
				*pending.entry((op.clone(), strategy)).or_default() += 1;
			}
			*encumbered.entry((op, strategy)).or_default() += alloc.encumbers();
		}
		for (op, strategy, book) in OperatorStrategies::<T>::iter() {
			for set in &book.pending_allocations {
				let alloc = Allocations::<T>::get((&op, set, strategy))
					.ok_or("listed allocation missing")?;
				ensure!(alloc.pending.is_some(), "listed allocation has nothing pending");
			}
			// With both directions above, equal lengths mean no set is listed twice.
			ensure!(
				book.pending_allocations.len() as u32
					== pending.get(&(op.clone(), strategy)).copied().unwrap_or(0),
				"a set listed twice among pending allocations"
			);
		}
		Ok((encumbered, allocated_sets))
	}

	/// Operator books equal the positions, withdrawals and allocations behind them, and a
	/// deregistered operator's are not allocated; returns what each strategy's books can claim.
	fn check_books(
		mut active: PerBook<T>,
		mut queued: PerBook<T>,
		mut encumbered: PerBook<T>,
		mut allocated_sets: PerBookCount<T>,
	) -> Result<PerStrategy, TryRuntimeError> {
		let mut claims = PerStrategy::new();
		for (op, strategy, book) in OperatorStrategies::<T>::iter() {
			ensure!(book.max_magnitude <= WAD, "max magnitude above one");
			ensure!(book.encumbered <= book.max_magnitude, "encumbered above max magnitude");
			ensure!(
				book.active_scaled == active.remove(&(op.clone(), strategy)).unwrap_or(0),
				"operator active shares != positions"
			);
			ensure!(
				book.queued_scaled == queued.remove(&(op.clone(), strategy)).unwrap_or(0),
				"operator queued shares != withdrawals"
			);
			ensure!(
				book.encumbered == encumbered.remove(&(op.clone(), strategy)).unwrap_or(0),
				"encumbered != sum of allocations"
			);
			let sets = allocated_sets.remove(&(op.clone(), strategy)).unwrap_or(0);
			ensure!(book.allocated_sets == sets, "allocated set count != allocation records");
			ensure!(sets <= T::MaxPendingAllocations::get(), "more allocated sets than the bound");
			*claims.entry(strategy).or_default() += book.claims();
		}
		ensure!(active.values().all(|v| *v == 0), "positions behind an operator without a book");
		// A deregistered operator left nothing allocated, and cannot allocate what its
		// remaining stakers deposit since.
		for (op, _, book) in OperatorStrategies::<T>::iter() {
			ensure!(
				Operators::<T>::contains_key(&op)
					|| (book.allocated_sets == 0 && book.pending_allocations.is_empty()),
				"a deregistered operator's stake is allocated"
			);
		}
		ensure!(queued.values().all(|v| *v == 0), "withdrawals behind an operator without a book");
		ensure!(encumbered.is_empty(), "allocations without a book");

		ensure!(allocated_sets.is_empty(), "allocations without a book (count)");
		Ok(claims)
	}

	/// Freezes count pending slashes: per operator, the sum over its sets; none at zero, none
	/// from the future.
	fn check_freezes() -> Result<(), TryRuntimeError> {
		for (_, freeze) in OperatorFreezes::<T>::iter() {
			ensure!(freeze.since <= Self::now(), "frozen since a future block");
		}
		let mut per_operator: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (op, _, count) in SlashFreezes::<T>::iter() {
			ensure!(count > 0, "a freeze of zero kept");
			*per_operator.entry(op).or_default() += count;
		}
		for (op, freeze) in OperatorFreezes::<T>::iter() {
			ensure!(
				per_operator.remove(&op) == Some(freeze.pending),
				"operator freeze != its sets' freezes"
			);
		}
		ensure!(per_operator.is_empty(), "set freezes without an operator freeze");
		Ok(())
	}

	/// Each set's list holds exactly the (operator, strategy) pairs with an allocation record
	/// to it, each once, and no set keeps an empty list.
	fn check_set_index() -> Result<(), TryRuntimeError> {
		let mut listed: BTreeSet<(T::AccountId, OperatorSetId, StrategyId)> = BTreeSet::new();
		for (set, entries) in SetAllocations::<T>::iter() {
			ensure!(!entries.is_empty(), "an empty set allocation list kept");
			for (op, strategy) in entries {
				ensure!(
					Allocations::<T>::contains_key((&op, set, strategy)),
					"set index without allocation"
				);
				ensure!(listed.insert((op, set, strategy)), "an allocation listed twice");
			}
		}
		for ((op, set, strategy), _) in Allocations::<T>::iter() {
			ensure!(listed.remove(&(op, set, strategy)), "allocation not indexed");
		}
		Ok(())
	}

	/// Accumulators are of listed assets; stakers can never claim more rewards than were
	/// taken out of circulation for them.
	fn check_rewards() -> Result<(), TryRuntimeError> {
		let listed = RewardAssetList::<T>::get();
		for (_, _, book) in OperatorStrategies::<T>::iter() {
			ensure!(
				book.reward_per_share.iter().all(|(a, _)| listed.contains(a)),
				"accumulator of an unlisted asset"
			);
		}
		for asset in RewardAssetList::<T>::get() {
			let mut owed = 0u128;
			for (who, strategy) in Positions::<T>::iter_keys() {
				owed = owed.saturating_add(Self::claimable_rewards(&who, strategy, asset.clone()));
			}
			ensure!(
				owed <= RewardsOutstanding::<T>::get(&asset),
				"rewards owed exceed outstanding"
			);
		}
		Ok(())
	}

	/// Undelegated totals match their positions and withdrawals, and an asset strategy holds
	/// at least what all its stakers can claim.
	fn check_strategy_backing(
		mut undelegated: PerStrategy,
		mut claims: PerStrategy,
		mut settled_claims: PerStrategy,
	) -> Result<(), TryRuntimeError> {
		for (id, s) in Strategies::<T>::iter() {
			ensure!(
				s.undelegated_scaled == undelegated.remove(&id).unwrap_or(0),
				"undelegated shares mismatch"
			);
			if let StrategyKind::Asset(_) = s.kind {
				let owed = claims
					.remove(&id)
					.unwrap_or(0)
					.saturating_add(settled_claims.remove(&id).unwrap_or(0))
					.saturating_add(s.undelegated_scaled);
				ensure!(s.held >= owed, "strategy holds less than its stakers can claim");
			}
		}
		Ok(())
	}
}
