//! Every invariant of the pallet, checked after each test and by `try-runtime`.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::UniqueSaturatedInto;

impl<T: Config> Pallet<T> {
	/// Every check of the pallet's invariants.
	// Not behind `try-runtime`: the runtime's integration tests check it too.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;

		// Operators: their deposits are held, their counts match.
		{
			use frame_support::traits::fungible::InspectHold;
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
		}

		// Strategies: ids, uniqueness, exact books of what is held.
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

		// Positions and withdrawals add up to the operators' books and the undelegated totals.
		let mut active: BTreeMap<(T::AccountId, StrategyId), u128> = BTreeMap::new();
		let mut queued: BTreeMap<(T::AccountId, StrategyId), u128> = BTreeMap::new();
		let mut undelegated: BTreeMap<StrategyId, u128> = BTreeMap::new();
		for (who, staker) in Stakers::<T>::iter() {
			ensure!(!staker.is_empty(), "empty staker record kept");
			ensure!(
				Self::delegation(&who) == staker.delegated_to,
				"the delegation is not the record's first field"
			);
		}
		for (who, strategy, p) in Positions::<T>::iter().filter(|(_, _, p)| p.deposit_shares > 0) {
			match Self::delegation(&who) {
				Some(op) => *active.entry((op, strategy)).or_default() += p.scaled_shares,
				None => *undelegated.entry(strategy).or_default() += p.scaled_shares,
			}
		}
		for (_, _, p) in Positions::<T>::iter() {
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
		let mut by_completion: BTreeMap<(T::AccountId, StrategyId, BlockNumberFor<T>), u128> =
			BTreeMap::new();
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

		// Withdrawals add up to their operators' completion buckets (L-8): unsettled ones to
		// the books' queued shares, settled ones keep the factor they were settled at.
		let mut settled_claims: BTreeMap<StrategyId, u128> = BTreeMap::new();
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
		for (_, freeze) in OperatorFreezes::<T>::iter() {
			ensure!(freeze.since <= Self::now(), "frozen since a future block");
		}

		let mut encumbered: BTreeMap<(T::AccountId, StrategyId), u128> = BTreeMap::new();
		let mut allocated_sets: BTreeMap<(T::AccountId, StrategyId), u32> = BTreeMap::new();
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
			}
			*encumbered.entry((op, strategy)).or_default() += alloc.encumbers();
		}
		for (op, strategy, book) in OperatorStrategies::<T>::iter() {
			for set in &book.pending_allocations {
				let alloc = Allocations::<T>::get((&op, set, strategy))
					.ok_or("listed allocation missing")?;
				ensure!(alloc.pending.is_some(), "listed allocation has nothing pending");
			}
		}

		let mut claims: BTreeMap<StrategyId, u128> = BTreeMap::new();
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

		// Freezes count pending slashes: per operator, the sum over its sets; none at zero.
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

		// Set index matches the allocations.
		let mut per_set: BTreeMap<OperatorSetId, u32> = BTreeMap::new();
		for (set, (op, strategy), ()) in SetAllocations::<T>::iter() {
			ensure!(
				Allocations::<T>::contains_key((&op, set, strategy)),
				"set index without allocation"
			);
			*per_set.entry(set).or_default() += 1;
		}
		for ((op, set, strategy), _) in Allocations::<T>::iter() {
			ensure!(
				SetAllocations::<T>::contains_key(set, (&op, strategy)),
				"allocation not indexed"
			);
		}
		for (set, count) in SetAllocationCount::<T>::iter() {
			ensure!(per_set.remove(&set).unwrap_or(0) == count, "set allocation count mismatch");
		}
		ensure!(per_set.is_empty(), "set allocations without a count");

		let listed = RewardAssetList::<T>::get();
		for (_, _, book) in OperatorStrategies::<T>::iter() {
			ensure!(
				book.reward_per_share.iter().all(|(a, _)| listed.contains(a)),
				"accumulator of an unlisted asset"
			);
		}

		// Stakers can never claim more rewards than were taken out of circulation for them.
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
