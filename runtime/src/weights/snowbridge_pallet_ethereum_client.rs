//! Snowbridge's figures until this runtime's benchmark replaces them
//! (`PALLETS=snowbridge_pallet_ethereum_client scripts/benchmark-pallets.sh`).

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> snowbridge_pallet_ethereum_client::WeightInfo for WeightInfo<T> {
	fn force_checkpoint() -> Weight {
		Weight::from_parts(97_263_571_000, 3501)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(9))
	}
	fn submit() -> Weight {
		Weight::from_parts(26_051_019_000, 93857)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn submit_with_sync_committee() -> Weight {
		Weight::from_parts(122_461_312_000, 93857)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}
