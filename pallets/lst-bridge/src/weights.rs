//! Weights for `pallet_lst_bridge`: provisional upper estimates until
//! `scripts/benchmark-pallets.sh` generates them from the benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight functions of `pallet_lst_bridge`.
pub trait WeightInfo {
	fn attest_deposit_counted() -> Weight;
	fn attest_deposit_minted() -> Weight;
	fn attest_deposit_conflict() -> Weight;
	fn attest_rate_counted() -> Weight;
	fn attest_rate_applied() -> Weight;
	fn withdraw_to_ethereum() -> Weight;
	fn attest_withdrawal() -> Weight;
	fn retry_deposit() -> Weight;
	fn register_token() -> Weight;
	fn update_token() -> Weight;
	fn set_endpoint() -> Weight;
	fn set_attesters(n: u32, ) -> Weight;
	fn set_guardian() -> Weight;
	fn pause() -> Weight;
	fn resume() -> Weight;
	fn clear_halt() -> Weight;
	fn cancel_deposit() -> Weight;
	fn force_set_rate() -> Weight;
}

/// Measured weights, with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn attest_deposit_counted() -> Weight {
		Weight::from_parts(120_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn attest_deposit_minted() -> Weight {
		Weight::from_parts(200_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn attest_deposit_conflict() -> Weight {
		Weight::from_parts(180_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn attest_rate_counted() -> Weight {
		Weight::from_parts(120_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn attest_rate_applied() -> Weight {
		Weight::from_parts(130_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn withdraw_to_ethereum() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn attest_withdrawal() -> Weight {
		Weight::from_parts(110_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn retry_deposit() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn register_token() -> Weight {
		Weight::from_parts(40_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn update_token() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_endpoint() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_attesters(n: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(Weight::from_parts(200_000, 20).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_guardian() -> Weight {
		Weight::from_parts(10_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn pause() -> Weight {
		Weight::from_parts(12_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn resume() -> Weight {
		Weight::from_parts(12_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn clear_halt() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn cancel_deposit() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn force_set_rate() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn attest_deposit_counted() -> Weight {
		Weight::from_parts(120_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn attest_deposit_minted() -> Weight {
		Weight::from_parts(200_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn attest_deposit_conflict() -> Weight {
		Weight::from_parts(180_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn attest_rate_counted() -> Weight {
		Weight::from_parts(120_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn attest_rate_applied() -> Weight {
		Weight::from_parts(130_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn withdraw_to_ethereum() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn attest_withdrawal() -> Weight {
		Weight::from_parts(110_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn retry_deposit() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(7_u64))
	}
	fn register_token() -> Weight {
		Weight::from_parts(40_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn update_token() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_endpoint() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn set_attesters(n: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(Weight::from_parts(200_000, 20).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_guardian() -> Weight {
		Weight::from_parts(10_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn pause() -> Weight {
		Weight::from_parts(12_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn resume() -> Weight {
		Weight::from_parts(12_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn clear_halt() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn cancel_deposit() -> Weight {
		Weight::from_parts(15_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn force_set_rate() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
}
