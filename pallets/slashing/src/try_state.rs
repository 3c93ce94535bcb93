//! Every invariant of the pallet, one `check_*` per concern, run after each test and by
//! `try-runtime`.
//!
//! Compiled with `std` as well as `try-runtime`: the runtime's native integration tests check
//! it without turning on `try-runtime` (which would change the wasm the node embeds); the wasm
//! runtime leaves it out.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use kasane_primitives::restaking::AvsId;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let pending = Self::check_records()?;
		Self::check_evidence()?;
		Self::check_due_queue(pending)?;
		Self::check_indexes()
	}

	/// Records are indexed, pending ones counted per AVS, backed by their deposit and queued
	/// at their deadline; the history is bounded. Returns the number of pending records.
	fn check_records() -> Result<u32, TryRuntimeError> {
		let next = NextSlashId::<T>::get();
		let mut pending = 0u32;
		let mut decided = 0u32;
		let mut per_avs: BTreeMap<AvsId, u32> = BTreeMap::new();
		let mut deposits = 0usize;
		for (id, record) in Slashes::<T>::iter() {
			ensure!(record.id == id, "a record is stored under another id");
			ensure!(id < next, "a record has an id not handed out yet");
			ensure!(
				OperatorSlashes::<T>::contains_key(&record.operator, id),
				"a record is missing from its operator's index"
			);
			if let Some(set) = record.set {
				ensure!(
					SetSlashes::<T>::contains_key(set, id),
					"a record is missing from its set's index"
				);
			}
			match (record.status, record.set) {
				(SlashStatus::Pending, Some(set)) => {
					pending += 1;
					*per_avs.entry(set.avs).or_default() += 1;
					if let SlashSource::Request { requester, .. } = &record.source {
						let held = RequestDeposits::<T>::get(id);
						ensure!(
							held.is_some_and(|(who, _)| who == *requester),
							"a pending request without its requester's deposit"
						);
						deposits += 1;
					}
					ensure!(
						Due::<T>::get(record.executes_at).contains(&id),
						"a pending slash is not queued at its deadline"
					);
					ensure!(
						T::Registry::terms(&set).is_some(),
						"a pending slash references an operator set that does not exist"
					);
					ensure!(
						record.executes_at >= DueCursor::<T>::get(),
						"a pending slash is due before the cursor"
					);
				}
				(SlashStatus::Pending, None) => {}
				_ => decided += 1,
			}
		}
		ensure!(pending == PendingCount::<T>::get(), "PendingCount is off");
		for (avs, count) in PendingPerAvs::<T>::iter() {
			ensure!(count <= T::MaxPendingPerAvs::get(), "an AVS has too many pending slashes");
			ensure!(per_avs.remove(&avs) == Some(count), "PendingPerAvs is off");
		}
		ensure!(per_avs.is_empty(), "pending slashes of an AVS not counted");
		ensure!(
			RequestDeposits::<T>::iter().count() == deposits,
			"a deposit held for a request that is not pending"
		);
		ensure!(decided <= T::HistoryDepth::get(), "more decided records than the history keeps");
		Ok(pending)
	}

	/// Evidence points at the equivocation it punished (while that record is kept).
	fn check_evidence() -> Result<(), TryRuntimeError> {
		for (set, operator, (round, id)) in Evidence::<T>::iter() {
			if let Some(record) = Slashes::<T>::get(id) {
				ensure!(
					record.set == Some(set)
						&& record.operator == operator
						&& matches!(record.source, SlashSource::Equivocation { round: r, .. } if r == round),
					"equivocation evidence does not point at its record"
				);
			}
		}
		Ok(())
	}

	/// Each of the `pending` slashes is queued exactly once, and only pending ones are.
	fn check_due_queue(pending: u32) -> Result<(), TryRuntimeError> {
		let mut queued = 0u32;
		for (_, due) in Due::<T>::iter() {
			for id in due {
				queued += 1;
				ensure!(
					Slashes::<T>::get(id).is_some_and(|r| r.status == SlashStatus::Pending),
					"a queued slash is not pending"
				);
			}
		}
		ensure!(queued == pending, "each pending slash is queued exactly once");
		Ok(())
	}

	/// The operator and set indexes point only at records of theirs.
	fn check_indexes() -> Result<(), TryRuntimeError> {
		for (operator, id, ()) in OperatorSlashes::<T>::iter() {
			ensure!(
				Slashes::<T>::get(id).is_some_and(|r| r.operator == operator),
				"an operator index entry points at no record of it"
			);
		}
		for (set, id, ()) in SetSlashes::<T>::iter() {
			ensure!(
				Slashes::<T>::get(id).is_some_and(|r| r.set == Some(set)),
				"a set index entry points at no record of it"
			);
		}
		Ok(())
	}
}
