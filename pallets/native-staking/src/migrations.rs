//! Storage migrations, one module per storage version they lead to.
//!
//! Each runs only when the pallet's on-chain version is the one it migrates from and sets the
//! version it leads to once it succeeded, so a runtime may keep it in its `Migrations` tuple
//! across several upgrades. Remove one once every live chain has run it.

use super::*;

/// Storage version 1: every elected validator records the stake it backs its era with
/// ([`ElectedValidator::stake`]).
pub mod v1 {
	use super::*;
	use alloc::vec::Vec;
	use codec::{Decode, DecodeAll, Encode, MaxEncodedLen};
	use frame_support::{
		pallet_prelude::*,
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade},
	};
	use kasane_primitives::math::mul_div;
	use scale_info::TypeInfo;
	#[cfg(feature = "try-runtime")]
	use sp_runtime::TryRuntimeError;
	use sp_runtime::{traits::Zero, Perbill, Rounding, SaturatedConversion, Saturating};

	/// [`ElectedValidator`] in storage version 0.
	#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
	pub struct ElectedValidatorV0<AccountId> {
		pub validator: AccountId,
		pub commission: Perbill,
		pub pool_slashes: u32,
	}

	/// An elected set in storage version 0.
	pub type ElectedSetV0<T> =
		BoundedVec<ElectedValidatorV0<AccountIdOf<T>>, <T as Config>::MaxValidators>;

	/// What one elected set's stored bytes are. Decoded whole: an entry is 56 bytes in
	/// version 1 and 36 in version 0, so a non-empty set reads completely in one layout only.
	enum Stored<T: Config> {
		/// Nothing stored, or the empty set (the same bytes in both layouts).
		Empty,
		V0(ElectedSetV0<T>),
		V1,
		Unreadable,
	}

	fn stored<T: Config>(key: &[u8]) -> Stored<T> {
		let Some(raw) = unhashed::get_raw(key) else { return Stored::Empty };
		match ElectedSetV0::<T>::decode_all(&mut &raw[..]) {
			Ok(set) if set.is_empty() => Stored::Empty,
			Ok(set) => Stored::V0(set),
			Err(_) if ElectedSet::<T>::decode_all(&mut &raw[..]).is_ok() => Stored::V1,
			Err(_) => Stored::Unreadable,
		}
	}

	/// Gives every entry of [`PlannedValidators`] and [`ActiveValidators`] a `stake`.
	///
	/// What each pool had at the election is not in storage any more, only the set's total
	/// ([`PlannedStake`], [`ActiveStake`]). The total is split in proportion to the pools'
	/// active stake at the upgrade (equally if none has any), the last entry taking the
	/// rounding remainder, so the entries sum to the total as `try_state` requires and the
	/// era's inflation, which is computed from the total, does not change.
	///
	/// A set already in the version 1 layout is kept. If either set is in neither layout
	/// nothing is written and the version stays 0 (logged as an error; `try_state` reports
	/// the set, and the next upgrade tries again): guessing would lose who is elected.
	pub struct MigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> MigrateV0ToV1<T> {
		fn with_stakes(old: ElectedSetV0<T>, total: BalanceOf<T>) -> ElectedSet<T> {
			let weights: Vec<u128> = old
				.iter()
				.map(|e| {
					Pools::<T>::get(&e.validator)
						.map(|p| p.active.saturated_into::<u128>())
						.unwrap_or(0)
				})
				.collect();
			let (weights, weight_sum) =
				match weights.iter().fold(0u128, |s, w| s.saturating_add(*w)) {
					0 => (alloc::vec![1u128; old.len()], old.len() as u128),
					sum => (weights, sum),
				};
			let total_u128 = total.saturated_into::<u128>();
			let last = old.len().saturating_sub(1);
			let mut given = BalanceOf::<T>::zero();
			let entries = old.into_iter().zip(weights).enumerate().map(|(i, (e, w))| {
				let stake = if i == last {
					total.saturating_sub(given)
				} else {
					mul_div(total_u128, w, weight_sum, Rounding::Down)
						.unwrap_or(0)
						.saturated_into::<BalanceOf<T>>()
				};
				given.saturating_accrue(stake);
				ElectedValidator {
					validator: e.validator,
					commission: e.commission,
					pool_slashes: e.pool_slashes,
					stake,
				}
			});
			BoundedVec::truncate_from(entries.collect())
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
			let planned = stored::<T>(&PlannedValidators::<T>::hashed_key());
			let active = stored::<T>(&ActiveValidators::<T>::hashed_key());
			if matches!(planned, Stored::Unreadable) || matches!(active, Stored::Unreadable) {
				log::error!(
					target: LOG_TARGET,
					"v1 migration: an elected set is in neither layout; nothing migrated, \
					 storage stays at version 0"
				);
				return db.reads(3);
			}
			let mut pools_read = 0u64;
			let mut writes = 1u64;
			if let Stored::V0(old) = planned {
				pools_read += old.len() as u64;
				writes += 1;
				PlannedValidators::<T>::put(Self::with_stakes(old, PlannedStake::<T>::get()));
			}
			if let Stored::V0(old) = active {
				pools_read += old.len() as u64;
				writes += 1;
				ActiveValidators::<T>::put(Self::with_stakes(old, ActiveStake::<T>::get()));
			}
			StorageVersion::new(1).put::<Pallet<T>>();
			log::info!(target: LOG_TARGET, "v1 migration: elected validators now record their stake");
			// The version, both sets, both totals and one pool per migrated entry.
			db.reads_writes(5u64.saturating_add(pools_read), writes)
		}

		/// The version, both sets' bytes and the totals they must sum to.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let raw = |key: [u8; 32]| unhashed::get_raw(&key).unwrap_or_default();
			Ok((
				Pallet::<T>::on_chain_storage_version() == 0,
				raw(PlannedValidators::<T>::hashed_key()),
				raw(ActiveValidators::<T>::hashed_key()),
				PlannedStake::<T>::get(),
				ActiveStake::<T>::get(),
			)
				.encode())
		}

		/// A version 0 set: same validators, commissions and slash counts in the same order,
		/// stakes that sum to the unchanged total. Any other set: the same bytes.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (ran, planned, active, planned_total, active_total): (
				bool,
				Vec<u8>,
				Vec<u8>,
				BalanceOf<T>,
				BalanceOf<T>,
			) = Decode::decode(&mut &state[..]).map_err(|_| "pre-upgrade state does not decode")?;
			if !ran {
				return Ok(());
			}
			ensure!(Pallet::<T>::on_chain_storage_version() == 1, "storage is not at version 1");
			let check = |before: Vec<u8>, key: [u8; 32], total: BalanceOf<T>| {
				let after = unhashed::get_raw(&key).unwrap_or_default();
				let Ok(old) = ElectedSetV0::<T>::decode_all(&mut &before[..]) else {
					ensure!(after == before, "an elected set not in the v0 layout changed");
					return Ok(());
				};
				let new = ElectedSet::<T>::decode_all(&mut &after[..])
					.map_err(|_| "a migrated set is not in the v1 layout")?;
				ensure!(old.len() == new.len(), "an elected set changed length");
				for (o, n) in old.iter().zip(new.iter()) {
					ensure!(
						o.validator == n.validator
							&& o.commission == n.commission
							&& o.pool_slashes == n.pool_slashes,
						"an elected validator changed"
					);
				}
				let sum = new.iter().fold(BalanceOf::<T>::zero(), |s, e| s.saturating_add(e.stake));
				ensure!(old.is_empty() || sum == total, "elected stakes do not sum to the era's");
				Ok::<(), TryRuntimeError>(())
			};
			ensure!(PlannedStake::<T>::get() == planned_total, "planned stake changed");
			ensure!(ActiveStake::<T>::get() == active_total, "active stake changed");
			check(planned, PlannedValidators::<T>::hashed_key(), planned_total)?;
			check(active, ActiveValidators::<T>::hashed_key(), active_total)?;
			Ok(())
		}
	}
}

pub use v1::MigrateV0ToV1;
