//! Storage migrations, one module per storage version they lead to.
//!
//! Each is a [`VersionedMigration`]: it runs only when the pallet's on-chain version is the one
//! it migrates from, then sets the version it leads to, so a runtime may keep it in its
//! `Migrations` tuple across several upgrades. Remove one once every live chain has run it.

use super::*;
use frame_support::migrations::VersionedMigration;

/// Storage version 1: every elected validator records the stake it backs its era with
/// ([`ElectedValidator::stake`]).
pub mod v1 {
	use super::*;
	use alloc::vec::Vec;
	use codec::{Decode, Encode, MaxEncodedLen};
	use frame_support::{pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
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

	/// Gives every entry of [`PlannedValidators`] and [`ActiveValidators`] a `stake`.
	///
	/// What each pool had at the election is not in storage any more, only the set's total
	/// ([`PlannedStake`], [`ActiveStake`]). The total is split in proportion to the pools'
	/// active stake at the upgrade (equally if none has any), the last entry taking the
	/// rounding remainder, so the entries sum to the total as `try_state` requires and the
	/// era's inflation, which is computed from the total, does not change.
	pub struct UncheckedMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedMigrateV0ToV1<T> {
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

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut pools_read = 0u64;
			let planned_total = PlannedStake::<T>::get();
			let active_total = ActiveStake::<T>::get();
			let planned = PlannedValidators::<T>::translate::<ElectedSetV0<T>, _>(|old| {
				let old = old?;
				pools_read += old.len() as u64;
				Some(Self::with_stakes(old, planned_total))
			});
			let active = ActiveValidators::<T>::translate::<ElectedSetV0<T>, _>(|old| {
				let old = old?;
				pools_read += old.len() as u64;
				Some(Self::with_stakes(old, active_total))
			});
			if planned.is_err() || active.is_err() {
				// Not in the v0 layout: left as they are, for `try_state` to report.
				log::error!(
					target: LOG_TARGET,
					"v1 migration: an elected set does not decode as v0 (planned ok: {}, \
					 active ok: {})",
					planned.is_ok(),
					active.is_ok()
				);
			}
			log::info!(target: LOG_TARGET, "v1 migration: elected validators now record their stake");
			T::DbWeight::get().reads_writes(4u64.saturating_add(pools_read), 2)
		}

		/// The old sets and the totals they must sum to.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let read = |key: [u8; 32]| -> Result<ElectedSetV0<T>, TryRuntimeError> {
				match frame_support::storage::unhashed::get_raw(&key) {
					None => Ok(Default::default()),
					Some(raw) => ElectedSetV0::<T>::decode(&mut &raw[..])
						.map_err(|_| "an elected set is not in the v0 layout".into()),
				}
			};
			let planned = read(PlannedValidators::<T>::hashed_key())?;
			let active = read(ActiveValidators::<T>::hashed_key())?;
			Ok((planned, active, PlannedStake::<T>::get(), ActiveStake::<T>::get()).encode())
		}

		/// Same validators, commissions and slash counts in the same order; stakes that sum to
		/// the unchanged totals.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (planned, active, planned_total, active_total): (
				ElectedSetV0<T>,
				ElectedSetV0<T>,
				BalanceOf<T>,
				BalanceOf<T>,
			) = Decode::decode(&mut &state[..]).map_err(|_| "pre-upgrade state does not decode")?;
			let check = |old: ElectedSetV0<T>,
			             new: ElectedSet<T>,
			             total: BalanceOf<T>|
			 -> Result<(), TryRuntimeError> {
				frame_support::ensure!(old.len() == new.len(), "an elected set changed length");
				for (o, n) in old.iter().zip(new.iter()) {
					frame_support::ensure!(
						o.validator == n.validator
							&& o.commission == n.commission
							&& o.pool_slashes == n.pool_slashes,
						"an elected validator changed"
					);
				}
				let sum = new.iter().fold(BalanceOf::<T>::zero(), |s, e| s.saturating_add(e.stake));
				frame_support::ensure!(sum == total, "elected stakes do not sum to the era's");
				Ok(())
			};
			frame_support::ensure!(
				PlannedStake::<T>::get() == planned_total,
				"planned stake changed"
			);
			frame_support::ensure!(ActiveStake::<T>::get() == active_total, "active stake changed");
			check(planned, PlannedValidators::<T>::get(), planned_total)?;
			check(active, ActiveValidators::<T>::get(), active_total)?;
			Ok(())
		}
	}
}

/// Storage version 0 → 1 ([`v1::UncheckedMigrateV0ToV1`]), once.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	v1::UncheckedMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
