//! AVSs: ownership and its transfer, deregistration; and the lookups every concern shares
//! (the block, the rewards escrow, the genesis hash keys are bound to).

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{restaking::AvsId, slashing::RegistryEvents};
use sp_runtime::traits::{AccountIdConversion, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The account reward budgets are escrowed in.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The chain's genesis hash, as proofs of possession sign it.
	pub fn genesis_hash() -> [u8; 32] {
		kasane_primitives::avs::signing_genesis(
			frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()).as_ref(),
		)
	}

	pub(crate) fn owned_set(
		who: &T::AccountId,
		set: OperatorSetId,
	) -> Result<OperatorSetOf<T>, DispatchError> {
		Self::owned_avs(who, set.avs)?;
		OperatorSets::<T>::get(set).ok_or_else(|| Error::<T>::UnknownOperatorSet.into())
	}

	pub(crate) fn do_accept_ownership(who: T::AccountId, avs: AvsId) -> DispatchResult {
		let mut record = AvsRecords::<T>::get(avs).ok_or(Error::<T>::UnknownAvs)?;
		ensure!(record.pending_owner.as_ref() == Some(&who), Error::<T>::NotPendingOwner);
		let reason = HoldReason::AvsDeposit.into();
		T::Currency::hold(&reason, &who, record.deposit)?;
		T::Currency::release(&reason, &record.owner, record.deposit, Precision::BestEffort)?;
		let from = core::mem::replace(&mut record.owner, who.clone());
		record.pending_owner = None;
		AvsRecords::<T>::insert(avs, record);
		Self::deposit_event(Event::AvsOwnershipTransferred { avs, from, to: who });
		Ok(())
	}

	/// Returns how many sets were removed, for weight.
	pub(crate) fn do_deregister_avs(who: &T::AccountId, avs: AvsId) -> Result<u32, DispatchError> {
		let record = Self::owned_avs(who, avs)?;
		let ids: Vec<OperatorSetId> =
			(0..record.sets).map(|index| OperatorSetId { avs, index }).collect();
		for id in &ids {
			if let Some(set) = OperatorSets::<T>::get(id) {
				ensure!(set.members == 0 && set.departed == 0, Error::<T>::SetsStillSlashable);
			}
		}
		for id in &ids {
			let budgets: Vec<_> = RewardBudgets::<T>::iter_prefix(id).collect();
			for (asset, budget) in budgets {
				let refunded = Self::close_budget(id, &asset, &budget, who)?;
				Self::deposit_event(Event::BudgetCancelled { set: *id, asset, refunded });
			}
			if let Some(set) = OperatorSets::<T>::take(id) {
				let _ = Allowlist::<T>::clear_prefix(id, set.allowlisted, None);
			}
		}
		T::Currency::release(
			&HoldReason::AvsDeposit.into(),
			who,
			record.deposit,
			Precision::BestEffort,
		)?;
		AvsRecords::<T>::remove(avs);
		T::Events::avs_deregistered(avs, record.sets);
		Self::deposit_event(Event::AvsDeregistered { avs, owner: who.clone() });
		Ok(record.sets)
	}
}
