//! Storage migrations, one module per storage version they lead to.
//!
//! Each runs only when the pallet's on-chain version is the one it migrates from and sets the
//! version it leads to once it succeeded, so a runtime may keep it in its `Migrations` tuple
//! across several upgrades. Remove one once every live chain has run it.

use super::*;

/// Storage version 1: a contradiction record ([`Contradiction`]) keeps the operator set its
/// attesters were drawn from, so that they are slashed through it whatever the attesters
/// follow when reported.
pub mod v1 {
	use super::*;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, storage_alias,
		traits::UncheckedOnRuntimeUpgrade,
	};
	#[cfg(feature = "try-runtime")]
	use {alloc::vec::Vec, sp_runtime::TryRuntimeError};

	const LOG_TARGET: &str = "runtime::lst-bridge";

	/// The items of storage version 0 this migration reads.
	pub mod v0 {
		use super::*;

		/// [`Contradiction`](crate::Contradiction) in storage version 0: no operator set.
		#[derive(
			frame_support::CloneNoBound,
			frame_support::PartialEqNoBound,
			frame_support::EqNoBound,
			Encode,
			Decode,
			MaxEncodedLen,
			TypeInfo,
			frame_support::DebugNoBound,
		)]
		#[scale_info(skip_type_params(MaxAttesters))]
		pub struct Contradiction<MaxAttesters: Get<u32>> {
			pub odd: [u8; 32],
			pub accepted: [u8; 32],
			pub attesters: BoundedVec<EthAddress, MaxAttesters>,
		}

		/// [`Contradictions`](crate::Contradictions) in storage version 0.
		#[storage_alias]
		pub type Contradictions<T: Config> = StorageMap<
			Pallet<T>,
			Twox64Concat,
			BridgeNonce,
			Contradiction<<T as Config>::MaxAttesters>,
		>;

		/// [`HeaderContradictions`](crate::HeaderContradictions) in storage version 0.
		#[storage_alias]
		pub type HeaderContradictions<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, u64, Contradiction<<T as Config>::MaxAttesters>>;
	}

	/// Gives every record the operator set the attesters follow at the upgrade: the set a
	/// version 0 report would have slashed through. One block: header records are bounded by
	/// [`Config::MaxTrustedHeaders`], and deposit records are few (one per contradicted nonce,
	/// until reported; every live chain at this version is a test network). Runs only at
	/// storage version 0 and then sets version 1 ([`VersionedMigration`]).
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		version_unchecked::MigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The migration without its version check, private so that no runtime runs it
	/// unchecked.
	mod version_unchecked {
		use super::*;

		pub struct MigrateV0ToV1<T>(core::marker::PhantomData<T>);

		impl<T: Config> MigrateV0ToV1<T> {
			pub(super) fn upgraded(
				old: v0::Contradiction<T::MaxAttesters>,
				operator_set: Option<OperatorSetId>,
			) -> Contradiction<T::MaxAttesters> {
				Contradiction {
					odd: old.odd,
					accepted: old.accepted,
					attesters: old.attesters,
					operator_set,
				}
			}
		}

		impl<T: Config> UncheckedOnRuntimeUpgrade for MigrateV0ToV1<T> {
			fn on_runtime_upgrade() -> Weight {
				let operator_set = Attesters::<T>::get().and_then(|set| set.operator_set);
				let mut records = 0u64;
				Contradictions::<T>::translate::<v0::Contradiction<T::MaxAttesters>, _>(
					|_, old| {
						records += 1;
						Some(Self::upgraded(old, operator_set))
					},
				);
				HeaderContradictions::<T>::translate::<v0::Contradiction<T::MaxAttesters>, _>(
					|_, old| {
						records += 1;
						Some(Self::upgraded(old, operator_set))
					},
				);
				log::info!(
					target: LOG_TARGET,
					"v1 migration: {records} contradiction records bound to {operator_set:?}"
				);
				// The attesters read, each record read and written.
				T::DbWeight::get().reads_writes(records.saturating_add(1), records)
			}

			/// The attesters' operator set, and every record as version 0 holds it.
			#[cfg(feature = "try-runtime")]
			fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
				let operator_set = Attesters::<T>::get().and_then(|set| set.operator_set);
				let deposits: Vec<_> = v0::Contradictions::<T>::iter().collect();
				let headers: Vec<_> = v0::HeaderContradictions::<T>::iter().collect();
				Ok((operator_set, deposits, headers).encode())
			}

			/// The same records, each bound to that set, at version 1.
			#[cfg(feature = "try-runtime")]
			fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
				use frame_support::traits::GetStorageVersion;
				type Records<K, M> = Vec<(K, v0::Contradiction<M>)>;
				let (operator_set, deposits, headers): (
					Option<OperatorSetId>,
					Records<BridgeNonce, T::MaxAttesters>,
					Records<u64, T::MaxAttesters>,
				) = Decode::decode(&mut &state[..])
					.map_err(|_| "pre-upgrade state does not decode")?;
				ensure!(
					Pallet::<T>::on_chain_storage_version() == 1,
					"storage is not at version 1"
				);
				ensure!(
					Contradictions::<T>::iter().count() == deposits.len()
						&& HeaderContradictions::<T>::iter().count() == headers.len(),
					"a contradiction record was lost"
				);
				for (nonce, old) in deposits {
					ensure!(
						Contradictions::<T>::get(nonce) == Some(Self::upgraded(old, operator_set)),
						"a deposit contradiction changed"
					);
				}
				for (number, old) in headers {
					ensure!(
						HeaderContradictions::<T>::get(number)
							== Some(Self::upgraded(old, operator_set)),
						"a header contradiction changed"
					);
				}
				Ok(())
			}
		}
	}
}
