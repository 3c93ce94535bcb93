//! Operators: registration, commission, delegation approvals, deregistration; and the
//! lookups every concern shares (the block, an operator's book in a strategy).

use crate::*;
use frame_support::dispatch::DispatchErrorWithPostInfo;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, DefensiveSaturating},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::staking::NativeStakeProvider;
use sp_runtime::{traits::Saturating, Perbill};

impl<T: Config> Pallet<T> {
	/// The current block.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
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
			op.approvals.defensive_saturating_dec();
			DelegationApprovals::<T>::remove(&operator, &staker);
		}
		Operators::<T>::insert(&operator, op);
		Self::deposit_event(Event::DelegationApprovalSet { operator, staker, approved });
		Ok(())
	}

	/// What `deregister_operator` costs an operator with `approvals` approvals and `books`
	/// books (one per strategy it ever held stake in), `touched` being what bringing those
	/// books up to date cost (each book's changes applied and withdrawals settled first).
	pub fn deregister_operator_weight(approvals: u32, books: u32, touched: Weight) -> Weight {
		// The operator's freeze, read once for the settlement cutoff.
		let leave = T::WeightInfo::deregister_operator(books)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(touched);
		// Without approvals nothing is released (`release_approvals` returns at once), so its
		// fixed cost of a hold release is not charged.
		if approvals == 0 {
			leave
		} else {
			leave.saturating_add(T::WeightInfo::release_approvals(approvals))
		}
	}

	/// The most bringing an operator's books up to date can cost: every book with a full list
	/// of pending allocation changes.
	pub fn deregister_touch_weight_max() -> Weight {
		T::WeightInfo::clear_pending_allocations(T::MaxPendingAllocations::get())
			.saturating_mul(T::MaxStrategies::get().into())
	}

	/// Forget `operator`'s `approvals` delegation approvals and release their deposits.
	/// Benchmarked apart from `deregister_operator`, so that neither regression's intercept
	/// carries the other's slope.
	pub(crate) fn release_approvals(operator: &T::AccountId, approvals: u32) -> DispatchResult {
		if approvals == 0 {
			return Ok(());
		}
		let _ = DelegationApprovals::<T>::clear_prefix(operator, approvals, None);
		T::Currency::release(
			&HoldReason::ApprovalDeposit.into(),
			operator,
			T::ApprovalDeposit::get().saturating_mul(approvals.into()),
			Precision::BestEffort,
		)?;
		Ok(())
	}

	/// Deregisters `who`, charged for the books it read and brought up to date, also when
	/// refused.
	///
	/// Books are at most one per strategy. A book applies its due allocation changes and
	/// settles its due withdrawals only when touched, so each book is brought up to date first
	/// (as `clear_pending_allocations` and any queueing would): decreases to zero that took
	/// effect after the operator left its sets stop counting as allocated, and withdrawals past
	/// their delay as queued, without asking anyone to touch the book first. A change not due
	/// yet, or one a pending slash holds back (its decrease, and its withdrawals past the
	/// freeze), still counts; a refusal rolls everything back.
	pub(crate) fn do_deregister_operator(who: T::AccountId) -> DispatchResultWithPostInfo {
		let refused =
			|books: u32, touched: Weight, error: DispatchError| DispatchErrorWithPostInfo {
				post_info: Some(Self::deregister_operator_weight(0, books, touched)).into(),
				error,
			};
		let op = Operators::<T>::get(&who)
			.ok_or_else(|| refused(0, Weight::zero(), Error::<T>::NotOperator.into()))?;
		if op.native || T::NativeStake::is_validator_candidate(&who) {
			return Err(refused(0, Weight::zero(), Error::<T>::OperatorInUse.into()));
		}
		let books: alloc::vec::Vec<_> = OperatorStrategies::<T>::iter_prefix(&who).collect();
		let cutoff = Self::settle_cutoff(&who);
		let mut touched = Weight::zero();
		let mut in_use = false;
		for (strategy, mut book) in books.iter().cloned() {
			let seen = Self::mature_book(&who, strategy, &mut book);
			let settled = Self::settle_matured(&mut book, cutoff);
			if seen > 0 || settled {
				OperatorStrategies::<T>::insert(&who, strategy, &book);
				touched = touched.saturating_add(T::WeightInfo::clear_pending_allocations(seen));
			}
			in_use |= book.active_scaled > 0 || book.queued_scaled > 0 || book.allocated_sets > 0;
		}
		let books_read = books.len() as u32;
		if in_use {
			return Err(refused(books_read, touched, Error::<T>::OperatorInUse.into()));
		}
		Self::release_approvals(&who, op.approvals)?;
		T::Currency::release(
			&HoldReason::OperatorDeposit.into(),
			&who,
			op.deposit,
			Precision::BestEffort,
		)?;
		Operators::<T>::remove(&who);
		Self::deposit_event(Event::OperatorDeregistered { operator: who, approvals: op.approvals });
		Ok(Some(Self::deregister_operator_weight(op.approvals, books_read, touched)).into())
	}
}
