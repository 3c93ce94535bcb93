//! The traits the slashing pallet implements for the other pallets: native staking's slash
//! log and the registry's events.

use crate::*;
use frame_support::{pallet_prelude::*, traits::Get, BoundedVec};
use kasane_primitives::{restaking::AvsId, slashing::RegistryEvents, EraIndex};
use sp_runtime::{PerThing, Perbill};

/// Consensus offences from native staking, recorded in the same history.
impl<T: Config> ConsensusSlashLog<T::AccountId> for Pallet<T> {
	fn offence(
		validator: &T::AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
		apply_era: EraIndex,
	) -> Option<SlashId> {
		let id = Self::next_id();
		let now = Self::now();
		let parts_per_wad = WAD / Perbill::ACCURACY as u128;
		Self::insert_record(SlashRecord {
			id,
			source: SlashSource::Consensus { offence_era, apply_era },
			operator: validator.clone(),
			set: None,
			fraction: fraction.deconstruct() as u128 * parts_per_wad,
			amounts: BoundedVec::new(),
			status: SlashStatus::Pending,
			requested_at: now,
			requested_era: offence_era,
			executes_at: now,
		});
		Self::deposit_event(Event::ConsensusOffenceRecorded {
			id,
			validator: validator.clone(),
			apply_era,
		});
		Some(id)
	}

	fn raised(id: SlashId, fraction: Perbill) {
		let Some(mut record) = Slashes::<T>::get(id) else { return };
		record.fraction = fraction.deconstruct() as u128 * (WAD / Perbill::ACCURACY as u128);
		Slashes::<T>::insert(id, record);
		Self::deposit_event(Event::ConsensusOffenceRaised { id, fraction });
	}

	fn applied(id: SlashId, amount: u128) {
		let Some(mut record) = Slashes::<T>::get(id) else { return };
		record.status = SlashStatus::Executed;
		record.executes_at = Self::now();
		record.amounts = BoundedVec::truncate_from(alloc::vec![SlashAmount {
			strategy: None,
			native: true,
			magnitude: 0,
			amount,
			reward: 0,
		}]);
		Self::deposit_event(Event::SlashExecuted {
			id,
			operator: record.operator.clone(),
			set: None,
			amounts: record.amounts.to_vec(),
		});
		Self::put_decided(record);
	}

	fn cancelled(id: SlashId) {
		let Some(mut record) = Slashes::<T>::get(id) else { return };
		record.status = SlashStatus::Vetoed;
		Self::put_decided(record);
		Self::deposit_event(Event::SlashVetoed { id, forfeited: false });
	}

	fn weight() -> Weight {
		// Next id, the record and its operator index, and the one falling out of the history.
		T::DbWeight::get().reads_writes(3, 6)
	}

	fn history_pruning_weight() -> Weight {
		// The record falling out of the history, and its operator and set indices.
		T::DbWeight::get().reads_writes(1, 3)
	}
}

/// What the registry removes, the slashing pallet forgets: a purged membership's evidence and
/// epoch tally, a deregistered AVS's slasher and set modes.
impl<T: Config> RegistryEvents<T::AccountId> for Pallet<T> {
	fn membership_purged(set: &OperatorSetId, operator: &T::AccountId) {
		Evidence::<T>::remove(set, operator);
		EpochSlashed::<T>::remove(set, operator);
	}

	fn avs_deregistered(avs: AvsId, sets: u32) {
		Slashers::<T>::remove(avs);
		for index in 0..sets {
			OperatorSetModes::<T>::remove(OperatorSetId { avs, index });
		}
	}

	fn weight() -> Weight {
		// A purge writes two items; a deregistration one per set, at most the registry's bound
		// (declared by the registry per set).
		T::DbWeight::get().writes(2)
	}
}
