//! pallet-session's calls measured in this runtime, with its two session keys and their real
//! ownership proof. Upstream's benchmarks (`pallet-session-benchmarking`) need pallet-staking,
//! which this runtime does not have; Polkadot's figures are for six keys.

use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use pallet_session::{Call, NextKeys};
use sp_runtime::traits::Convert;

/// The pallet the benchmarks below measure: pallet-session.
pub struct Pallet<T: Config>(pallet_session::Pallet<T>);

/// What the benchmarks need from the runtime.
pub trait Config: pallet_session::Config {
	/// New session keys (in the benchmark's keystore) and the proof that `owner` holds them.
	fn keys_and_proof(owner: &Self::AccountId) -> (Self::Keys, Vec<u8>);
}

impl Config for crate::Runtime {
	fn keys_and_proof(owner: &crate::AccountId) -> (crate::SessionKeys, Vec<u8>) {
		let generated = crate::SessionKeys::generate(&owner.encode(), None);
		(generated.keys, generated.proof.encode())
	}
}

/// An account that can hold the key deposit and stay alive: the signer, whose account the
/// transaction extensions already charge (whitelisted, as `whitelisted_caller` is).
fn funded<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let who: T::AccountId = whitelisted_caller();
	pallet_session::Pallet::<T>::ensure_can_pay_key_deposit(&who)?;
	T::Currency::mint_into(&who, T::Currency::minimum_balance())?;
	Ok(who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// An account's first keys: both proofs checked, both keys' owners recorded, the key
	/// deposit held and a consumer reference added. The costlier of the two cases `set_keys`
	/// is charged for (`set_keys_replacing` measures the other).
	#[benchmark]
	fn set_keys() -> Result<(), BenchmarkError> {
		let caller = funded::<T>()?;
		let (keys, proof) = T::keys_and_proof(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), keys, proof);

		let id = T::ValidatorIdOf::convert(caller).ok_or("no validator id")?;
		assert!(NextKeys::<T>::contains_key(&id));
		Ok(())
	}

	/// Replacing an account's keys with new ones: both proofs checked, the old keys' owners
	/// removed and the new ones' written, nothing held. Extra (`--extra`): it measures the
	/// other case `set_keys` is charged for, to show which of the two costs more.
	#[benchmark(extra)]
	fn set_keys_replacing() -> Result<(), BenchmarkError> {
		let caller = funded::<T>()?;
		let (first, proof) = T::keys_and_proof(&caller);
		pallet_session::Pallet::<T>::set_keys(
			RawOrigin::Signed(caller.clone()).into(),
			first,
			proof,
		)?;
		let (keys, proof) = T::keys_and_proof(&caller);

		#[extrinsic_call]
		set_keys(RawOrigin::Signed(caller.clone()), keys.clone(), proof);

		let id = T::ValidatorIdOf::convert(caller).ok_or("no validator id")?;
		assert!(NextKeys::<T>::get(&id) == Some(keys));
		Ok(())
	}

	/// Removing them again (the runtime filters this call out: native staking's `purge_keys`
	/// replaces it; its weight is still part of pallet-session's `WeightInfo`).
	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		let caller = funded::<T>()?;
		let (keys, proof) = T::keys_and_proof(&caller);
		pallet_session::Pallet::<T>::set_keys(
			RawOrigin::Signed(caller.clone()).into(),
			keys,
			proof,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		let id = T::ValidatorIdOf::convert(caller).ok_or("no validator id")?;
		assert!(!NextKeys::<T>::contains_key(&id));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, tests::new_test_ext(), crate::Runtime);
}

#[cfg(test)]
pub(crate) mod tests {
	use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
	use sp_runtime::BuildStorage;

	/// The runtime's default genesis, with a keystore for the keys the benchmarks generate
	/// (`kasane-node benchmark pallet` registers one too).
	pub fn new_test_ext() -> sp_io::TestExternalities {
		let storage = crate::RuntimeGenesisConfig::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
		ext
	}
}
