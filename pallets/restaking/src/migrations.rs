//! Storage migrations, one module per storage version they lead to.
//!
//! Each runs only when the pallet's on-chain version is the one it migrates from and sets the
//! version it leads to once it succeeded, so a runtime may keep it in its `Migrations` tuple
//! across several upgrades. Remove one once every live chain has run it.

use super::*;

/// Storage version 1: each operator set's allocations are one list
/// ([`SetAllocations`]: set → `BoundedVec<(operator, strategy)>`) instead of a key per pair
/// with a separate count.
pub mod v1 {
	use super::*;
	use alloc::{collections::BTreeMap, vec::Vec};
	use frame_support::{
		pallet_prelude::*,
		storage_alias,
		traits::{GetStorageVersion, OnRuntimeUpgrade},
	};
	#[cfg(feature = "try-runtime")]
	use sp_runtime::TryRuntimeError;

	/// The items of storage version 0 this migration reads. `storage_alias` takes the item's
	/// name from the alias's own, hence a module of their own with the old names.
	pub mod v0 {
		use super::*;

		/// [`SetAllocations`](crate::SetAllocations) in storage version 0: a key per (set,
		/// (operator, strategy)), under the same prefix as the version 1 map, whose keys are
		/// these keys' first part.
		#[storage_alias]
		pub type SetAllocations<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			OperatorSetId,
			Twox64Concat,
			(<T as frame_system::Config>::AccountId, StrategyId),
			(),
		>;

		/// How many entries each set had in [`SetAllocations`]; gone in version 1.
		#[storage_alias]
		pub type SetAllocationCount<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, OperatorSetId, u32, ValueQuery>;
	}

	/// Moves every set's pairs into one list, in the order the old keys iterate, and removes
	/// the counts; runs only at storage version 0 and then sets version 1. One block: a set
	/// holds at most `MaxAllocationsPerSet` pairs, and a chain at version 0 has few sets
	/// (every live chain at this version is a test network).
	///
	/// If a set holds more pairs than the bound (impossible unless the bound was lowered),
	/// nothing is written and the version stays 0 (logged as an error): cutting a list would
	/// leave allocations that are never paid nor shown again.
	pub struct MigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> MigrateV0ToV1<T> {
		/// Every set's pairs in the old layout, read without changing anything; `None` if a
		/// set holds more than the bound.
		fn lists() -> (Option<BTreeMap<OperatorSetId, SetAllocationListOf<T>>>, u64) {
			let mut lists: BTreeMap<OperatorSetId, Vec<(T::AccountId, StrategyId)>> =
				BTreeMap::new();
			let mut pairs = 0u64;
			for (set, pair, ()) in v0::SetAllocations::<T>::iter() {
				pairs += 1;
				lists.entry(set).or_default().push(pair);
			}
			let bounded = lists
				.into_iter()
				.map(|(set, pairs)| SetAllocationListOf::<T>::try_from(pairs).map(|l| (set, l)))
				.collect::<Result<BTreeMap<_, _>, _>>()
				.ok();
			(bounded, pairs)
		}
	}

	impl<T: Config> OnRuntimeUpgrade for MigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let db = T::DbWeight::get();
			let on_chain = Pallet::<T>::on_chain_storage_version();
			if on_chain != 0 {
				log::warn!(
					target: LOG_TARGET,
					"v1 migration: storage is at version {on_chain:?}; remove the migration"
				);
				return db.reads(1);
			}
			let (lists, pairs) = Self::lists();
			let Some(lists) = lists else {
				log::error!(
					target: LOG_TARGET,
					"v1 migration: a set holds more than MaxAllocationsPerSet allocations; \
					 nothing migrated, storage stays at version 0"
				);
				return db.reads(pairs.saturating_add(1));
			};
			// Every old key goes before a list is written: the version 1 keys are the first
			// part of these, under the same prefix.
			let _ = v0::SetAllocations::<T>::clear(u32::MAX, None);
			let counts = v0::SetAllocationCount::<T>::clear(u32::MAX, None).unique as u64;
			let sets = lists.len() as u64;
			for (set, list) in lists {
				SetAllocations::<T>::insert(set, list);
			}
			StorageVersion::new(1).put::<Pallet<T>>();
			log::info!(
				target: LOG_TARGET,
				"v1 migration: {pairs} set allocations moved into {sets} lists"
			);
			// The version, every pair read and removed, the counts removed, the lists written.
			db.reads_writes(
				pairs.saturating_add(1),
				pairs.saturating_add(counts).saturating_add(sets).saturating_add(1),
			)
		}

		/// Whether it will run, and every (set, operator, strategy) the old layout holds,
		/// sorted.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let runs = Pallet::<T>::on_chain_storage_version() == 0 && Self::lists().0.is_some();
			let mut pairs: Vec<_> = v0::SetAllocations::<T>::iter()
				.map(|(set, (op, strategy), ())| (set, op, strategy))
				.collect();
			pairs.sort();
			Ok((runs, pairs).encode())
		}

		/// The same triples, each listed once, no count left, at version 1.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (runs, before): (bool, Vec<(OperatorSetId, T::AccountId, StrategyId)>) =
				Decode::decode(&mut &state[..]).map_err(|_| "pre-upgrade state does not decode")?;
			if !runs {
				return Ok(());
			}
			ensure!(Pallet::<T>::on_chain_storage_version() == 1, "storage is not at version 1");
			let mut after: Vec<_> = SetAllocations::<T>::iter()
				.flat_map(|(set, list)| list.into_iter().map(move |(op, s)| (set, op, s)))
				.collect();
			after.sort();
			ensure!(before == after, "set allocations changed in the migration");
			ensure!(v0::SetAllocationCount::<T>::iter().next().is_none(), "a set count is left");
			Ok(())
		}
	}
}
