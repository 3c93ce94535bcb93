//! The accounting behind the calls, the slashing primitive and the state checks.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::MutateHold,
		fungibles::Mutate,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{OperatorSetRegistry, OperatorSetStake, StrategySlash},
	staking::{NativeStakeProvider, PoolShare},
};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	Perbill, Rounding,
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Whether a slash of `operator` for `set` waits for a decision.
	pub fn is_set_frozen(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		SlashFreezes::<T>::contains_key(operator, set)
	}

	/// Whether any slash of `operator` waits for a decision.
	pub fn is_operator_frozen(operator: &T::AccountId) -> bool {
		OperatorFreezes::<T>::contains_key(operator)
	}

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
	fn settle_cutoff(operator: &T::AccountId) -> BlockNumberFor<T> {
		OperatorFreezes::<T>::get(operator).map_or_else(Self::now, |f| f.since)
	}

	/// Settle the buckets of `book` completable by `cutoff` (see [`Self::settle_cutoff`]) at
	/// its factor now: they leave `queued_scaled`. Returns whether any did. Called before
	/// anything changes the factor, and before a bucket is moved out of a full list.
	fn settle_matured(book: &mut OperatorStrategyOf<T>, cutoff: BlockNumberFor<T>) -> bool {
		let mut settled = false;
		let factor = book.max_magnitude;
		for bucket in book.maturity.iter_mut().take_while(|b| b.withdrawable_at <= cutoff) {
			if bucket.settled_at.is_none() {
				bucket.settled_at = Some(factor);
				book.queued_scaled = book.queued_scaled.saturating_sub(bucket.scaled);
				settled = true;
			}
		}
		settled
	}

	/// Scaled shares of `book`'s (of `operator`) withdrawals that the next touch settles
	/// (what a slash now would not reach although `queued_scaled` still counts them).
	fn settleable_scaled(operator: &T::AccountId, book: &OperatorStrategyOf<T>) -> u128 {
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
	fn add_to_maturity(
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
	fn take_from_bucket(
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
				book.queued_scaled = book.queued_scaled.saturating_sub(list[i].scaled);
				book.max_magnitude
			}
		};
		list[i].scaled = list[i].scaled.saturating_sub(w.scaled_shares);
		if list[i].scaled == 0 {
			list.remove(i);
		}
		Ok((factor, true))
	}

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

	/// The operator record of `who`, registering it as a native validator-operator on first use
	/// when it is a validator candidate of native staking.
	pub(crate) fn ensure_operator(who: &T::AccountId) -> Result<OperatorOf<T>, DispatchError> {
		if let Some(op) = Operators::<T>::get(who) {
			return Ok(op);
		}
		ensure!(T::NativeStake::is_validator_candidate(who), Error::<T>::NotOperator);
		let op = Operator {
			commission: Perbill::zero(),
			pending_commission: None,
			metadata: Default::default(),
			approval_required: false,
			native: true,
			deposit: 0,
			approvals: 0,
			delegators: 0,
		};
		Operators::<T>::insert(who, &op);
		Self::deposit_event(Event::OperatorRegistered {
			operator: who.clone(),
			commission: op.commission,
			native: true,
		});
		Ok(op)
	}

	/// Whether `who` is an operator (registered, or a validator candidate).
	pub fn is_operator(who: &T::AccountId) -> bool {
		Operators::<T>::contains_key(who) || T::NativeStake::is_validator_candidate(who)
	}

	/// `operator`'s book for `strategy`; a fresh book (factor 1) if it never had stake there.
	/// Books are never deleted, so a slashed factor is never forgotten.
	pub fn book(operator: &T::AccountId, strategy: StrategyId) -> OperatorStrategyOf<T> {
		OperatorStrategies::<T>::get(operator, strategy).unwrap_or_default()
	}

	pub(crate) fn do_add_strategy(
		kind: StrategyKind<T::AssetId>,
		deposit_cap: u128,
		per_staker_cap: u128,
	) -> Result<StrategyId, DispatchError> {
		ensure!(Strategies::<T>::count() < T::MaxStrategies::get(), Error::<T>::TooManyStrategies);
		let id = NextStrategyId::<T>::get();
		match kind {
			StrategyKind::Native => {
				ensure!(NativeStrategy::<T>::get().is_none(), Error::<T>::NativeStrategyExists);
				NativeStrategy::<T>::put(id);
			}
			StrategyKind::Asset(asset) => {
				ensure!(
					!AssetStrategy::<T>::contains_key(asset),
					Error::<T>::AssetAlreadyHasStrategy
				);
				AssetStrategy::<T>::insert(asset, id);
			}
		}
		Strategies::<T>::insert(
			id,
			Strategy {
				kind,
				status: StrategyStatus::Active,
				deposit_cap,
				per_staker_cap,
				held: 0,
				undelegated_scaled: 0,
				total_deposited: 0,
				total_withdrawn: 0,
				total_slashed: 0,
				redistributable: false,
			},
		);
		NextStrategyId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Self::deposit_event(Event::StrategyAdded {
			strategy: id,
			kind,
			deposit_cap,
			per_staker_cap,
		});
		Ok(id)
	}

	pub(crate) fn do_register_operator(
		who: T::AccountId,
		commission: Perbill,
		metadata: BoundedVec<u8, T::MaxMetadataLen>,
		approval_required: bool,
	) -> DispatchResult {
		ensure!(!Operators::<T>::contains_key(&who), Error::<T>::AlreadyOperator);
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		let deposit = T::OperatorDeposit::get();
		T::Currency::hold(&HoldReason::OperatorDeposit.into(), &who, deposit)?;
		Operators::<T>::insert(
			&who,
			Operator {
				commission,
				pending_commission: None,
				metadata,
				approval_required,
				native: false,
				deposit,
				approvals: 0,
				delegators: 0,
			},
		);
		Self::deposit_event(Event::OperatorRegistered { operator: who, commission, native: false });
		Ok(())
	}

	pub(crate) fn do_update_operator(
		who: T::AccountId,
		commission: Option<Perbill>,
		metadata: Option<BoundedVec<u8, T::MaxMetadataLen>>,
		approval_required: Option<bool>,
	) -> DispatchResult {
		ensure!(
			commission.is_some() || metadata.is_some() || approval_required.is_some(),
			Error::<T>::NothingToUpdate
		);
		let mut op = Self::ensure_operator(&who)?;
		let now = Self::now();
		op.mature(now);
		if let Some(new) = commission {
			ensure!(op.pending_commission.is_none(), Error::<T>::CommissionChangePending);
			ensure!(new <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
			ensure!(
				new.saturating_sub(op.commission) <= T::MaxCommissionIncrease::get(),
				Error::<T>::CommissionIncreaseTooLarge
			);
			let effective_at = now.saturating_add(T::CommissionChangeDelay::get());
			op.pending_commission = Some(CommissionChange { commission: new, effective_at });
			Self::deposit_event(Event::CommissionChangeScheduled {
				operator: who.clone(),
				commission: new,
				effective_at,
			});
		}
		if let Some(metadata) = metadata {
			op.metadata = metadata;
			Self::deposit_event(Event::OperatorMetadataUpdated { operator: who.clone() });
		}
		if let Some(approval_required) = approval_required {
			op.approval_required = approval_required;
			Self::deposit_event(Event::DelegationApprovalPolicy {
				operator: who.clone(),
				approval_required,
			});
		}
		Operators::<T>::insert(&who, op);
		Ok(())
	}

	pub(crate) fn do_set_delegation_approval(
		operator: T::AccountId,
		staker: T::AccountId,
		approved: bool,
	) -> DispatchResult {
		let mut op = Self::ensure_operator(&operator)?;
		ensure!(
			DelegationApprovals::<T>::contains_key(&operator, &staker) != approved,
			Error::<T>::ApprovalUnchanged
		);
		let reason = HoldReason::ApprovalDeposit.into();
		let deposit = T::ApprovalDeposit::get();
		if approved {
			ensure!(op.approvals < T::MaxApprovals::get(), Error::<T>::TooManyApprovals);
			T::Currency::hold(&reason, &operator, deposit)?;
			op.approvals += 1;
			DelegationApprovals::<T>::insert(&operator, &staker, ());
		} else {
			T::Currency::release(&reason, &operator, deposit, Precision::BestEffort)?;
			op.approvals = op.approvals.saturating_sub(1);
			DelegationApprovals::<T>::remove(&operator, &staker);
		}
		Operators::<T>::insert(&operator, op);
		Self::deposit_event(Event::DelegationApprovalSet { operator, staker, approved });
		Ok(())
	}

	/// `deregister_operator`; returns how many approvals were removed (for weight).
	pub(crate) fn do_deregister_operator(who: T::AccountId) -> Result<u32, DispatchError> {
		let op = Operators::<T>::get(&who).ok_or(Error::<T>::NotOperator)?;
		ensure!(
			!op.native && !T::NativeStake::is_validator_candidate(&who) && op.delegators == 0,
			Error::<T>::OperatorInUse
		);
		// Books are at most one per strategy: nothing delegated, queued or allocated.
		let in_use = OperatorStrategies::<T>::iter_prefix_values(&who)
			.any(|b| b.active_scaled > 0 || b.queued_scaled > 0 || b.allocated_sets > 0);
		ensure!(!in_use, Error::<T>::OperatorInUse);
		let _ = DelegationApprovals::<T>::clear_prefix(&who, op.approvals, None);
		T::Currency::release(
			&HoldReason::ApprovalDeposit.into(),
			&who,
			T::ApprovalDeposit::get().saturating_mul(op.approvals.into()),
			Precision::BestEffort,
		)?;
		T::Currency::release(
			&HoldReason::OperatorDeposit.into(),
			&who,
			op.deposit,
			Precision::BestEffort,
		)?;
		Operators::<T>::remove(&who);
		Self::deposit_event(Event::OperatorDeregistered { operator: who, approvals: op.approvals });
		Ok(op.approvals)
	}

	/// Check `staker` may delegate to `operator`, and count it among the operator's
	/// delegators (the caller then delegates it).
	fn join_operator(staker: &T::AccountId, operator: &T::AccountId) -> DispatchResult {
		let mut op = Self::ensure_operator(operator)?;
		ensure!(
			!op.approval_required
				|| staker == operator
				|| DelegationApprovals::<T>::contains_key(operator, staker),
			Error::<T>::DelegationNotApproved
		);
		op.delegators = op.delegators.saturating_add(1);
		Operators::<T>::insert(operator, op);
		Ok(())
	}

	/// A staker delegated to `operator` left it.
	fn leave_operator(operator: &T::AccountId) {
		Operators::<T>::mutate(operator, |op| {
			if let Some(op) = op {
				op.delegators = op.delegators.saturating_sub(1);
			}
		});
	}

	/// `who`'s operator, if it is delegated.
	pub fn delegation(who: &T::AccountId) -> Option<T::AccountId> {
		Stakers::<T>::get(who).and_then(|s| s.delegated_to)
	}

	/// `who`'s positions holding shares (at most one per strategy).
	fn positions_of(who: &T::AccountId) -> Vec<(StrategyId, PositionOf<T>)> {
		Positions::<T>::iter_prefix(who).filter(|(_, p)| p.deposit_shares > 0).collect()
	}

	/// Store `staker`, or drop its record when it is not delegated.
	fn put_staker(who: &T::AccountId, staker: StakerOf<T>) {
		if staker.delegated_to.is_none() {
			Stakers::<T>::remove(who);
		} else {
			Stakers::<T>::insert(who, staker);
		}
	}

	fn asset_of(strategy: &Strategy<T::AssetId>) -> Result<T::AssetId, DispatchError> {
		match strategy.kind {
			StrategyKind::Asset(asset) => Ok(asset),
			StrategyKind::Native => Err(Error::<T>::NativeStrategyDeposit.into()),
		}
	}

	/// Credit `deposit_shares` worth `value` to `who`'s position in `strategy` under its
	/// operator; returns what the whole position is worth now.
	fn add_to_position(
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
					book.active_scaled.checked_add(scaled).ok_or(Error::<T>::Overflow)?;
				OperatorStrategies::<T>::insert(op, strategy_id, &book);
				(scaled, book.max_magnitude)
			}
			None => {
				Self::settle(&mut position, None);
				strategy.undelegated_scaled =
					strategy.undelegated_scaled.checked_add(value).ok_or(Error::<T>::Overflow)?;
				(value, WAD)
			}
		};
		position.deposit_shares =
			position.deposit_shares.checked_add(deposit_shares).ok_or(Error::<T>::Overflow)?;
		position.scaled_shares =
			position.scaled_shares.checked_add(scaled).ok_or(Error::<T>::Overflow)?;
		Positions::<T>::insert(who, strategy_id, &position);
		Ok(scaled_to_value(position.scaled_shares, max_magnitude))
	}

	/// Store `position`, keeping only what it is owed once it holds no shares, and dropping
	/// the record when nothing is left in it.
	fn put_position(who: &T::AccountId, strategy: StrategyId, mut position: PositionOf<T>) {
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
		let held = strategy.held.checked_add(amount).ok_or(Error::<T>::Overflow)?;
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
		T::Assets::burn_from(
			asset,
			who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
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

	/// Delegate an undelegated staker; returns how many positions moved.
	pub(crate) fn do_delegate_to(
		who: &T::AccountId,
		operator: T::AccountId,
	) -> Result<u32, DispatchError> {
		ensure!(!Stakers::<T>::contains_key(who), Error::<T>::AlreadyDelegated);
		Self::join_operator(who, &operator)?;
		let positions = Self::positions_of(who);
		for (strategy_id, mut position) in positions.iter().cloned() {
			let mut strategy =
				Strategies::<T>::get(strategy_id).ok_or(Error::<T>::UnknownStrategy)?;
			let mut book = Self::book(&operator, strategy_id);
			// Undelegated shares are worth one unit each.
			let value = position.scaled_shares;
			let scaled = value_to_scaled(value, book.max_magnitude)
				.ok_or(Error::<T>::OperatorFullySlashed)?;
			strategy.undelegated_scaled = strategy.undelegated_scaled.saturating_sub(value);
			book.active_scaled =
				book.active_scaled.checked_add(scaled).ok_or(Error::<T>::Overflow)?;
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
		Stakers::<T>::insert(who, Staker { delegated_to: Some(operator.clone()) });
		Self::deposit_event(Event::Delegated { staker: who.clone(), operator });
		Ok(positions.len() as u32)
	}

	/// Leave the current operator for `to` (or for nobody): every position becomes a redeposit
	/// withdrawal. Returns how many positions moved.
	pub(crate) fn do_leave_operator(
		who: &T::AccountId,
		to: Option<T::AccountId>,
	) -> Result<u32, DispatchError> {
		let from = Self::delegation(who).ok_or(Error::<T>::NotDelegated)?;
		if let Some(to) = &to {
			ensure!(*to != from, Error::<T>::SameOperator);
			Self::join_operator(who, to)?;
		}
		Self::leave_operator(&from);
		let positions = Self::positions_of(who);
		let mut queue = Withdrawals::<T>::get(who);
		for (strategy_id, position) in &positions {
			Self::queue(
				who,
				Some(&from),
				&mut queue,
				*strategy_id,
				position.deposit_shares,
				WithdrawalKind::Redeposit,
			)?;
		}
		if !positions.is_empty() {
			Withdrawals::<T>::insert(who, queue);
		}
		Self::put_staker(who, Staker { delegated_to: to.clone() });
		match to {
			Some(to) => Self::deposit_event(Event::Redelegated { staker: who.clone(), from, to }),
			None => Self::deposit_event(Event::Undelegated { staker: who.clone(), operator: from }),
		}
		Ok(positions.len() as u32)
	}

	pub(crate) fn do_queue_withdrawal(
		who: &T::AccountId,
		strategy_id: StrategyId,
		shares: u128,
		kind: WithdrawalKind,
	) -> Result<WithdrawalId, DispatchError> {
		let operator = Self::delegation(who);
		let mut queue = Withdrawals::<T>::get(who);
		let id = Self::queue(who, operator.as_ref(), &mut queue, strategy_id, shares, kind)?;
		Withdrawals::<T>::insert(who, queue);
		Ok(id)
	}

	/// Move `shares` deposit shares of `who`'s position (delegated to `operator`) into a
	/// withdrawal appended to `queue`. The caller stores `queue`.
	fn queue(
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
				.ok_or(Error::<T>::Overflow)?
		};
		let now = Self::now();
		let withdrawable_at = Self::completable_at(now);
		if let (Some(op), Some(book)) = (operator, book.as_mut()) {
			// Shares worth nothing (a position slashed to zero) need no completion bucket.
			if scaled > 0 {
				Self::settle_matured(book, Self::settle_cutoff(op));
				Self::add_to_maturity(op, strategy_id, book, withdrawable_at, scaled)?;
			}
			book.active_scaled = book.active_scaled.saturating_sub(scaled);
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
		let mut queue = Withdrawals::<T>::get(staker);
		let index = queue.iter().position(|w| w.id == id).ok_or(Error::<T>::UnknownWithdrawal)?;
		let w = queue.remove(index);
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
				strategy.undelegated_scaled =
					strategy.undelegated_scaled.saturating_sub(w.scaled_shares);
			}
		}
		match w.kind {
			WithdrawalKind::Tokens => {
				let asset = Self::asset_of(&strategy)?;
				if value > 0 {
					T::Assets::mint_into(asset, staker, value)?;
				}
				strategy.held = strategy.held.saturating_sub(value);
				strategy.total_withdrawn = strategy.total_withdrawn.saturating_add(value);
			}
			WithdrawalKind::Redeposit => {
				let operator = Self::delegation(staker);
				Self::add_to_position(
					staker,
					operator.as_ref(),
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
		if queue.is_empty() {
			Withdrawals::<T>::remove(staker);
		} else {
			Withdrawals::<T>::insert(staker, queue);
		}
		Self::deposit_event(Event::WithdrawalCompleted {
			id,
			staker: staker.clone(),
			strategy: w.strategy,
			amount: value,
			kind: w.kind,
		});
		Ok(w.kind)
	}

	/// Apply `operator`'s allocation changes in `strategy` that have taken effect. Returns how
	/// many pending entries were looked at.
	pub(crate) fn mature_allocations(operator: &T::AccountId, strategy: StrategyId) -> u32 {
		let now = Self::now();
		let pending = PendingAllocations::<T>::get(operator, strategy);
		let seen = pending.len() as u32;
		if pending.is_empty() {
			return 0;
		}
		let mut book = Self::book(operator, strategy);
		let mut kept = BoundedVec::<OperatorSetId, T::MaxPendingAllocations>::default();
		for set in pending {
			let key = (operator.clone(), set, strategy);
			let Some(alloc) = Allocations::<T>::get(&key) else { continue };
			let matured = Self::allocation_at(operator, &set, &alloc, now);
			if matured.pending.is_some() {
				// Still waiting; capacity is the bound the list came from.
				let _ = kept.try_push(set);
				continue;
			}
			book.encumbered = book
				.encumbered
				.saturating_sub(alloc.encumbers().saturating_sub(matured.encumbers()));
			if Self::put_allocation(key, matured) {
				book.allocated_sets.saturating_dec();
			}
		}
		OperatorStrategies::<T>::insert(operator, strategy, book);
		if kept.is_empty() {
			PendingAllocations::<T>::remove(operator, strategy);
		} else {
			PendingAllocations::<T>::insert(operator, strategy, kept);
		}
		seen
	}

	/// Store an allocation, or remove its record once it is zero with nothing pending; returns
	/// whether the record went (the caller's book counts one set less).
	fn put_allocation(
		key: (T::AccountId, OperatorSetId, StrategyId),
		alloc: Allocation<BlockNumberFor<T>>,
	) -> bool {
		if alloc.magnitude == 0 && alloc.pending.is_none() {
			let (operator, set, strategy) = &key;
			if SetAllocations::<T>::take(set, (operator, strategy)).is_some() {
				SetAllocationCount::<T>::mutate(set, |c| *c = c.saturating_sub(1));
			}
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
		ensure!(Strategies::<T>::contains_key(strategy), Error::<T>::UnknownStrategy);
		ensure!(magnitude <= WAD, Error::<T>::MagnitudeOverOne);
		let seen = Self::mature_allocations(operator, strategy);

		let key = (operator.clone(), set, strategy);
		let existing = Allocations::<T>::get(&key);
		let current = existing.clone().unwrap_or(Allocation { magnitude: 0, pending: None });
		ensure!(current.pending.is_none(), Error::<T>::AllocationChangePending);
		ensure!(magnitude != current.magnitude, Error::<T>::AllocationUnchanged);
		let mut book = Self::book(operator, strategy);
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
		PendingAllocations::<T>::try_mutate(operator, strategy, |list| list.try_push(set))
			.map_err(|_| Error::<T>::TooManyPendingAllocations)?;
		if !SetAllocations::<T>::contains_key(set, (operator, strategy)) {
			let count = SetAllocationCount::<T>::get(set);
			ensure!(count < T::MaxAllocationsPerSet::get(), Error::<T>::SetAllocationsFull);
			SetAllocations::<T>::insert(set, (operator, strategy), ());
			SetAllocationCount::<T>::insert(set, count + 1);
		}
		Allocations::<T>::insert(
			&key,
			Allocation {
				magnitude: current.magnitude,
				pending: Some(PendingAllocation { target: magnitude, effective_at }),
			},
		);
		OperatorStrategies::<T>::insert(operator, strategy, book);
		let native = NativeStrategy::<T>::get() == Some(strategy);
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
	pub(crate) fn do_deallocate_all(
		operator: &T::AccountId,
		set: &OperatorSetId,
	) -> DispatchResult {
		let effective_at = Self::now().saturating_add(T::DeallocationDelay::get());
		let strategies: Vec<StrategyId> =
			Allocations::<T>::iter_key_prefix((operator, set)).collect();
		for strategy in strategies {
			Self::mature_allocations(operator, strategy);
			let key = (operator.clone(), *set, strategy);
			let Some(alloc) = Allocations::<T>::get(&key) else { continue };
			if matches!(&alloc.pending, Some(p) if p.target == 0) {
				continue;
			}
			let mut book = Self::book(operator, strategy);
			let in_force = alloc.magnitude;
			book.encumbered =
				book.encumbered.saturating_sub(alloc.encumbers().saturating_sub(in_force));
			// A dropped increase ends at once; what is in force winds down over the delay.
			let mut effective_at = effective_at;
			if in_force == 0 {
				effective_at = Self::now();
				PendingAllocations::<T>::mutate(operator, strategy, |list| {
					list.retain(|s| s != set)
				});
				if Self::put_allocation(key, Allocation { magnitude: 0, pending: None }) {
					book.allocated_sets.saturating_dec();
				}
			} else {
				if alloc.pending.is_none() {
					// Never full: the list holds at most one entry per allocated set, and the
					// sets are bounded by its capacity (`TooManyAllocatedSets`).
					PendingAllocations::<T>::try_mutate(operator, strategy, |list| {
						list.try_push(*set)
					})
					.map_err(|_| Error::<T>::TooManyPendingAllocations)?;
				}
				Allocations::<T>::insert(
					&key,
					Allocation {
						magnitude: in_force,
						pending: Some(PendingAllocation { target: 0, effective_at }),
					},
				);
			}
			OperatorStrategies::<T>::insert(operator, strategy, book);
			Self::deposit_event(Event::AllocationScheduled {
				operator: operator.clone(),
				set: *set,
				strategy,
				from: in_force,
				to: 0,
				effective_at,
				native: NativeStrategy::<T>::get() == Some(strategy),
			});
		}
		Ok(())
	}

	/// The stake of `operator` in `strategy`: its native pool for the `Native` strategy, its
	/// delegated shares' value otherwise.
	pub fn operator_stake(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		if NativeStrategy::<T>::get() == Some(strategy) {
			T::NativeStake::pool_stake(operator).map_or(0, |p| p.active)
		} else {
			Self::book(operator, strategy).delegated()
		}
	}

	/// What `operator` has allocated to `set` in `strategy` now: (magnitude in force, stake it
	/// represents).
	pub fn allocated_stake(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategy: StrategyId,
	) -> (Magnitude, u128) {
		let now = Self::now();
		let magnitude = Allocations::<T>::get((operator, set, strategy))
			.map_or(0, |a| Self::allocation_at(operator, set, &a, now).magnitude);
		let book = Self::book(operator, strategy);
		let stake = mul_div(
			Self::operator_stake(operator, strategy),
			magnitude,
			book.max_magnitude,
			Rounding::Down,
		)
		.unwrap_or(0);
		(magnitude, stake)
	}

	/// How much magnitude a slash of `fraction` (capped by `caps`) takes from `before`.
	fn slashed_magnitude(
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
	fn own_scaled(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		let delegated_to_self =
			Stakers::<T>::get(operator).is_some_and(|s| s.delegated_to.as_ref() == Some(operator));
		if !delegated_to_self {
			return 0;
		}
		Positions::<T>::get(operator, strategy).map_or(0, |p| p.scaled_shares)
	}

	/// Mint `amount` of `strategy`'s asset (KSN for `Native`) to `to`; what cannot be minted
	/// (below the asset's minimum balance) stays burned. Returns what was minted.
	fn pay_slashed(strategy: &Strategy<T::AssetId>, to: &T::AccountId, amount: u128) -> u128 {
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

	fn slash_strategy(
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
		book.encumbered =
			book.encumbered.saturating_sub(alloc.encumbers().saturating_sub(current.encumbers()));
		if alloc.pending.is_some() && current.pending.is_none() {
			PendingAllocations::<T>::mutate(operator, strategy_id, |l| l.retain(|s| s != set));
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
	fn settled_book(
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
	fn settled_position(who: &T::AccountId, strategy: StrategyId) -> Option<PositionOf<T>> {
		let mut position = Positions::<T>::get(who, strategy)?;
		let accumulators = Stakers::<T>::get(who)
			.and_then(|s| s.delegated_to)
			.map(|op| Self::book(&op, strategy).reward_per_share);
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
		RewardsOutstanding::<T>::mutate(&asset, |o| *o = o.saturating_sub(amount));
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
		let entries: Vec<(T::AccountId, StrategyId, u128)> =
			SetAllocations::<T>::iter_key_prefix(set)
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
						// What the stakers can claim, rounded down; the rest is the operator's.
						mul_div(per_share, book.active_scaled, REWARD_PRECISION, Rounding::Down)
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
		let mut delegators: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, staker) in Stakers::<T>::iter() {
			let op = staker.delegated_to.ok_or("staker record without a delegation")?;
			ensure!(Operators::<T>::contains_key(&op), "delegated to a non-operator");
			*delegators.entry(op).or_default() += 1;
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
		for (_, queue) in Withdrawals::<T>::iter() {
			ensure!(!queue.is_empty(), "empty withdrawal queue kept");
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
				ensure!(
					PendingAllocations::<T>::get(&op, strategy).contains(&set),
					"pending allocation not listed"
				);
			}
			*encumbered.entry((op, strategy)).or_default() += alloc.encumbers();
		}
		for ((op, strategy), sets) in PendingAllocations::<T>::iter().map(|(o, s, l)| ((o, s), l)) {
			for set in sets {
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
		for (who, op) in Operators::<T>::iter() {
			ensure!(
				op.delegators == delegators.remove(&who).unwrap_or(0),
				"an operator's delegator count is off"
			);
		}
		ensure!(delegators.is_empty(), "stakers delegated to an operator without a record");
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

impl<T: Config> OperatorSlasher<T::AccountId, u128> for Pallet<T> {
	fn slash(
		operator: &T::AccountId,
		set: &OperatorSetId,
		params: SlashParams<'_, T::AccountId>,
	) -> Result<Vec<StrategySlash<u128>>, DispatchError> {
		let fraction = params.fraction;
		ensure!(fraction > 0 && fraction <= WAD, Error::<T>::InvalidSlashFraction);
		with_storage_layer(|| {
			let allocations: Vec<_> = Allocations::<T>::iter_prefix((operator, set)).collect();
			let mut out = Vec::with_capacity(allocations.len());
			for (strategy, alloc) in allocations {
				if let Some(s) = Self::slash_strategy(operator, set, strategy, alloc, &params)? {
					out.push(s);
				}
			}
			Ok(out)
		})
	}

	fn preview(
		operator: &T::AccountId,
		set: &OperatorSetId,
		fraction: Magnitude,
		caps: Option<&[(StrategyId, Magnitude)]>,
		staker: Option<&T::AccountId>,
	) -> Vec<StrategySlash<u128>> {
		let now = Self::now();
		let native_strategy = NativeStrategy::<T>::get();
		let delegated = staker.map(|s| {
			Stakers::<T>::get(s).and_then(|st| st.delegated_to).as_ref() == Some(operator)
		});
		let mut out = Vec::new();
		for (strategy, alloc) in Allocations::<T>::iter_prefix((operator, set)) {
			let before = Self::allocation_at(operator, set, &alloc, now).magnitude;
			let slashed = Self::slashed_magnitude(before, fraction, strategy, caps);
			if slashed == 0 {
				continue;
			}
			let max = Self::book(operator, strategy).max_magnitude;
			let loss = |value_at_max: u128| {
				// What a stake worth `value_at_max` at factor `max` loses when it falls by
				// `slashed`.
				value_at_max.saturating_sub(
					mul_div(value_at_max, max.saturating_sub(slashed), max, Rounding::Down)
						.unwrap_or(0),
				)
			};
			let native = native_strategy == Some(strategy);
			let amount = match (staker, native) {
				(None, true) => loss(T::NativeStake::pool_stake(operator).map_or(0, |p| p.active)),
				(None, false) => {
					let book = Self::book(operator, strategy);
					let queued =
						book.queued_scaled.saturating_sub(Self::settleable_scaled(operator, &book));
					loss(scaled_to_value(book.active_scaled.saturating_add(queued), max))
				}
				(Some(who), true) => match T::NativeStake::pool_member(who) {
					Some((pool, stake)) if pool == *operator => loss(stake),
					_ => 0,
				},
				(Some(who), false) => {
					let active = if delegated == Some(true) {
						Positions::<T>::get(who, strategy)
							.map_or(0, |p| scaled_to_value(p.scaled_shares, max))
					} else {
						0
					};
					let cutoff = Self::settle_cutoff(operator);
					let queued: u128 = Withdrawals::<T>::get(who)
						.into_iter()
						.filter(|w| w.strategy == strategy && w.operator.as_ref() == Some(operator))
						.filter(|w| w.withdrawable_at > cutoff)
						.map(|w| Self::withdrawal_value(&w))
						.fold(0, u128::saturating_add);
					loss(active.saturating_add(queued))
				}
			};
			if staker.is_some() && amount == 0 {
				// Not exposed through this strategy.
				continue;
			}
			out.push(StrategySlash {
				strategy,
				native,
				magnitude_before: before,
				magnitude_after: before - slashed,
				amount,
				reward: 0,
			});
		}
		out
	}

	fn freeze(operator: &T::AccountId, set: &OperatorSetId) {
		SlashFreezes::<T>::mutate(operator, set, |c| *c = Some(c.unwrap_or(0).saturating_add(1)));
		OperatorFreezes::<T>::mutate(operator, |f| {
			let f = f.get_or_insert(Freeze { pending: 0, since: Self::now() });
			f.pending = f.pending.saturating_add(1);
		});
	}

	fn unfreeze(operator: &T::AccountId, set: &OperatorSetId) {
		SlashFreezes::<T>::mutate_exists(operator, set, |c| {
			*c = c.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		OperatorFreezes::<T>::mutate_exists(operator, |f| {
			*f = f
				.map(|f| Freeze { pending: f.pending.saturating_sub(1), ..f })
				.filter(|f| f.pending > 0);
		});
	}

	fn staker_operators(staker: &T::AccountId) -> Vec<T::AccountId> {
		let mut out: Vec<T::AccountId> =
			Stakers::<T>::get(staker).and_then(|s| s.delegated_to).into_iter().collect();
		if let Some((pool, _)) = T::NativeStake::pool_member(staker) {
			if !out.contains(&pool) {
				out.push(pool);
			}
		}
		out
	}
}

/// A validator's native pool is reached by every pending slash of it as an operator: native
/// staking keeps its stake in until they are decided.
impl<T: Config> kasane_primitives::staking::PoolFreeze<T::AccountId> for Pallet<T> {
	fn is_frozen(validator: &T::AccountId) -> bool {
		Self::is_operator_frozen(validator)
	}
}

/// What the runtime API reports.
impl<T: Config> Pallet<T> {
	/// [`kasane_primitives::restaking::RestakingApi::staker`].
	pub fn staker_view(
		who: &T::AccountId,
	) -> kasane_primitives::restaking::StakerView<T::AccountId, BlockNumberFor<T>> {
		use kasane_primitives::restaking::{PositionView, StakerView, WithdrawalView};
		let delegated_to = Stakers::<T>::get(who).and_then(|s| s.delegated_to);
		let positions = Positions::<T>::iter_prefix(who)
			.filter(|(_, p)| p.deposit_shares > 0)
			.map(|(strategy, p)| PositionView {
				strategy,
				deposit_shares: p.deposit_shares,
				withdrawable: Self::position_value(delegated_to.as_ref(), strategy, &p),
			})
			.collect();
		let withdrawals = Withdrawals::<T>::get(who)
			.into_iter()
			.map(|w| WithdrawalView {
				id: w.id,
				strategy: w.strategy,
				value: Self::withdrawal_value(&w),
				operator: w.operator,
				withdrawable_at: w.withdrawable_at,
				redeposit: w.kind == WithdrawalKind::Redeposit,
			})
			.collect();
		StakerView { delegated_to, positions, withdrawals }
	}

	/// [`kasane_primitives::restaking::RestakingApi::operator`].
	pub fn operator_view(
		operator: &T::AccountId,
	) -> kasane_primitives::restaking::OperatorView<BlockNumberFor<T>> {
		use kasane_primitives::restaking::{AllocationView, OperatorStrategyView, OperatorView};
		let now = Self::now();
		let mut strategies: Vec<OperatorStrategyView> =
			OperatorStrategies::<T>::iter_prefix(operator)
				.map(|(strategy, book)| OperatorStrategyView {
					strategy,
					delegated: Self::operator_stake(operator, strategy),
					// Still slashable: settleable buckets are out of reach already.
					queued: scaled_to_value(
						book.queued_scaled.saturating_sub(Self::settleable_scaled(operator, &book)),
						book.max_magnitude,
					),
					max_magnitude: book.max_magnitude,
					encumbered: book.encumbered,
				})
				.collect();
		// A validator's native pool is its `Native` stake even before it allocates any.
		if let Some(native) = NativeStrategy::<T>::get() {
			if !strategies.iter().any(|s| s.strategy == native) {
				if let Some(pool) = T::NativeStake::pool_stake(operator) {
					strategies.push(OperatorStrategyView {
						strategy: native,
						delegated: pool.active,
						queued: 0,
						max_magnitude: WAD,
						encumbered: 0,
					});
				}
			}
		}
		let allocations = Allocations::<T>::iter_prefix((operator,))
			.map(|((set, strategy), alloc)| {
				let current = Self::allocation_at(operator, &set, &alloc, now);
				AllocationView {
					set,
					strategy,
					magnitude: current.magnitude,
					allocated_stake: Self::allocated_stake(operator, &set, strategy).1,
					pending: current.pending.map(|p| (p.target, p.effective_at)),
				}
			})
			.collect();
		OperatorView {
			is_operator: Self::is_operator(operator),
			commission: Operators::<T>::get(operator)
				.map_or(Perbill::zero(), |o| o.commission_at(now)),
			strategies,
			allocations,
		}
	}

	/// [`kasane_primitives::restaking::RestakingApi::claimable_rewards`], per listed asset.
	pub fn claimable_rewards_view(
		who: &T::AccountId,
		strategy: StrategyId,
	) -> Vec<(T::RewardAssetId, u128)> {
		RewardAssetList::<T>::get()
			.into_iter()
			.map(|asset| (asset.clone(), Self::claimable_rewards(who, strategy, asset)))
			.filter(|(_, amount)| *amount > 0)
			.collect()
	}
}

impl<T: Config> RewardsDistributor<T::AccountId, T::RewardAssetId> for Pallet<T> {
	fn distribute_rewards(
		payer: &T::AccountId,
		set: &OperatorSetId,
		asset: T::RewardAssetId,
		amount: u128,
	) -> Result<u128, DispatchError> {
		with_storage_layer(|| {
			Self::do_distribute_rewards(payer, set, asset, amount).map(|(spent, _)| spent)
		})
	}

	fn distribute_rewards_weight(set: &OperatorSetId) -> Weight {
		// Reading the count is part of the cost.
		T::WeightInfo::distribute_rewards(SetAllocationCount::<T>::get(set))
			.saturating_add(T::DbWeight::get().reads(1))
	}

	fn max_distribute_rewards_weight() -> Weight {
		T::WeightInfo::distribute_rewards(T::MaxAllocationsPerSet::get())
			.saturating_add(T::DbWeight::get().reads(1))
	}
}

impl<T: Config> OperatorSetStake<T::AccountId> for Pallet<T> {
	fn is_operator(who: &T::AccountId) -> bool {
		Self::is_operator(who)
	}

	fn operator_stake(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		Self::operator_stake(operator, strategy)
	}

	fn allocated_stake(operator: &T::AccountId, set: &OperatorSetId, strategy: StrategyId) -> u128 {
		Self::allocated_stake(operator, set, strategy).1
	}

	fn native_strategy() -> Option<StrategyId> {
		NativeStrategy::<T>::get()
	}

	fn deallocate_all(operator: &T::AccountId, set: &OperatorSetId) -> DispatchResult {
		with_storage_layer(|| Self::do_deallocate_all(operator, set))
	}

	fn set_allocations(set: &OperatorSetId) -> Vec<(T::AccountId, StrategyId, u128)> {
		SetAllocations::<T>::iter_key_prefix(set)
			.map(|(op, strategy)| {
				let stake = Self::allocated_stake(&op, set, strategy).1;
				(op, strategy, stake)
			})
			.filter(|(_, _, stake)| *stake > 0)
			.collect()
	}
}

/// The balance of `who` in `asset`, for tests.
#[cfg(test)]
pub fn asset_balance<T: Config>(asset: T::AssetId, who: &T::AccountId) -> u128 {
	<T::Assets as frame_support::traits::fungibles::Inspect<_>>::balance(asset, who)
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// `operator`, a member of `set`, with `strategies` fresh asset strategies each allocated
	/// half to `set`, and `stakers` stakers delegated to it in the first one (written directly:
	/// a real deposit each would only slow a benchmark's setup down). For other pallets'
	/// benchmarks.
	pub fn benchmark_slashable_operator(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategies: u32,
		stakers: u32,
	) -> Vec<StrategyId> {
		const STAKE: u128 = 1_000_000_000_000;
		// The set accepts exactly the strategies made here: earlier ones make way.
		if Strategies::<T>::count() > 0 {
			let _ = Strategies::<T>::clear(u32::MAX, None);
			let _ = AssetStrategy::<T>::clear(u32::MAX, None);
			NativeStrategy::<T>::kill();
		}
		if !Self::is_operator(operator) {
			use frame_support::traits::fungible::{Inspect, Mutate};
			let funds = T::OperatorDeposit::get().saturating_add(T::Currency::minimum_balance());
			T::Currency::set_balance(operator, funds.saturating_mul(2));
			Self::do_register_operator(
				operator.clone(),
				Perbill::from_percent(5),
				Default::default(),
				false,
			)
			.expect("a new operator");
		}
		let base = NextStrategyId::<T>::get();
		let ids: Vec<StrategyId> = (0..strategies)
			.map(|i| {
				let asset = T::BenchmarkHelper::create_asset(base.saturating_add(i));
				Self::do_add_strategy(StrategyKind::Asset(asset), u128::MAX, u128::MAX)
					.expect("strategy slots left")
			})
			.collect();
		T::BenchmarkHelper::join_operator_set(operator, set);
		for (i, strategy) in ids.iter().enumerate() {
			let count = if i == 0 { stakers.max(1) } else { 1 };
			for s in 0..count {
				let who: T::AccountId = frame_benchmarking::account("slash-staker", s, i as u32);
				Positions::<T>::insert(
					&who,
					strategy,
					Position { deposit_shares: STAKE, scaled_shares: STAKE, ..Default::default() },
				);
				Stakers::<T>::insert(&who, Staker { delegated_to: Some(operator.clone()) });
			}
			let total = STAKE * count as u128;
			// A full completion list, decoded and written with the book by the slash.
			let maturity = (1..=MaturityCapacity::<T>::get())
				.map(|at| MaturityBucket {
					withdrawable_at: at.into(),
					scaled: STAKE,
					settled_at: Some(WAD),
				})
				.collect::<Vec<_>>();
			OperatorStrategies::<T>::insert(
				operator,
				strategy,
				OperatorStrategy {
					active_scaled: total,
					maturity: BoundedVec::truncate_from(maturity),
					..Default::default()
				},
			);
			Strategies::<T>::mutate(strategy, |s| {
				if let Some(s) = s {
					s.held = total;
					s.total_deposited = total;
				}
			});
			Self::do_modify_allocation(operator, *set, *strategy, WAD / 2)
				.expect("allocation accepted");
		}
		let now = Self::now();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::AllocationDelay::get()));
		for strategy in &ids {
			Self::mature_allocations(operator, *strategy);
		}
		ids
	}
}
