//! Slash records: every record write goes through here (indexes by operator, set and due
//! block), with the per-epoch budget of each (set, operator) and the slashing mode.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{slashing::MAX_SLASH_STRATEGIES, staking::NativeStakeProvider};
use sp_runtime::SaturatedConversion;

pub(crate) type Amounts = BoundedVec<SlashAmount, ConstU32<MAX_SLASH_STRATEGIES>>;

/// What each strategy lost, as recorded.
pub(crate) fn amounts_of(
	slashes: Vec<kasane_primitives::restaking::StrategySlash<u128>>,
) -> Amounts {
	BoundedVec::truncate_from(slashes.into_iter().map(SlashAmount::from).collect())
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// What executing a pending slash reaching `strategies` strategies weighs, its native pool
	/// slash included.
	pub fn execute_weight(strategies: u32) -> Weight {
		T::WeightInfo::execute_slash(strategies).saturating_add(T::NativeStake::slash_pool_weight())
	}

	/// The slashing epoch `at` falls in.
	pub fn epoch(at: BlockNumberFor<T>) -> u32 {
		(at / T::EpochLength::get()).saturated_into()
	}

	/// `set`'s own mode.
	pub fn operator_set_mode(set: &OperatorSetId) -> SlashingMode {
		OperatorSetModes::<T>::get(set).unwrap_or(SlashingMode::Enabled)
	}

	/// The mode that applies to `set`: the stricter of the global and the set's.
	pub fn effective_mode(set: &OperatorSetId) -> SlashingMode {
		GlobalMode::<T>::get().min(Self::operator_set_mode(set))
	}

	/// What `set` may still slash `operator` for in the current epoch.
	pub fn epoch_room(set: &OperatorSetId, operator: &T::AccountId, cap: Magnitude) -> Magnitude {
		let epoch = Self::epoch(Self::now());
		let used = match EpochSlashed::<T>::get(set, operator) {
			Some((e, used)) if e == epoch => used,
			_ => 0,
		};
		cap.saturating_sub(used)
	}

	pub(crate) fn add_to_epoch(set: &OperatorSetId, operator: &T::AccountId, fraction: Magnitude) {
		let epoch = Self::epoch(Self::now());
		EpochSlashed::<T>::mutate(set, operator, |tally| {
			let used = match tally {
				Some((e, used)) if *e == epoch => *used,
				_ => 0,
			};
			*tally = Some((epoch, used.saturating_add(fraction)));
		});
	}

	/// Give a vetoed request's fraction back to its epoch's tally (if that epoch is current).
	pub(crate) fn refund_epoch(record: &SlashRecordOf<T>) {
		let Some(set) = record.set else { return };
		let epoch = Self::epoch(record.requested_at);
		EpochSlashed::<T>::mutate_exists(set, &record.operator, |tally| {
			if let Some((e, used)) = tally {
				if *e == epoch {
					*used = used.saturating_sub(record.fraction);
				}
				if *used == 0 {
					*tally = None;
				}
			}
		});
	}

	/// Store a new record, indexed, and drop the one that falls out of the history.
	pub(crate) fn insert_record(record: SlashRecordOf<T>) {
		let id = record.id;
		OperatorSlashes::<T>::insert(&record.operator, id, ());
		if let Some(set) = record.set {
			SetSlashes::<T>::insert(set, id, ());
		}
		Slashes::<T>::insert(id, record);
		let depth = T::HistoryDepth::get() as SlashId;
		if let Some(old) = id.checked_sub(depth) {
			if Slashes::<T>::get(old).is_some_and(|r| r.status != SlashStatus::Pending) {
				Self::remove_record(old);
			}
		}
	}

	pub(crate) fn remove_record(id: SlashId) {
		if let Some(record) = Slashes::<T>::take(id) {
			OperatorSlashes::<T>::remove(&record.operator, id);
			if let Some(set) = record.set {
				SetSlashes::<T>::remove(set, id);
			}
		}
	}

	/// Store a decided record, or drop it when it is already older than the history keeps.
	pub(crate) fn put_decided(record: SlashRecordOf<T>) {
		let depth = T::HistoryDepth::get() as SlashId;
		if record.id.saturating_add(depth) < NextSlashId::<T>::get() {
			Self::remove_record(record.id);
		} else {
			Slashes::<T>::insert(record.id, record);
		}
	}

	pub(crate) fn next_id() -> SlashId {
		NextSlashId::<T>::mutate(|n| {
			let id = *n;
			*n = n.saturating_add(1);
			id
		})
	}
}
