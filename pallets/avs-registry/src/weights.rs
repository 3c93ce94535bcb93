//! Weights for `pallet_avs_registry`: provisional figures until `scripts/benchmark-pallets.sh`
//! generates them (see `docs/benchmarks.md`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight functions of `pallet_avs_registry`.
pub trait WeightInfo {
	fn register_avs() -> Weight;
	fn update_avs_metadata() -> Weight;
	fn transfer_avs_ownership() -> Weight;
	fn accept_avs_ownership() -> Weight;
	fn deregister_avs(s: u32, a: u32, ) -> Weight;
	fn create_operator_set(s: u32, ) -> Weight;
	fn update_slashing_terms() -> Weight;
	fn set_allowlist() -> Weight;
	fn register_for_operator_set(s: u32, ) -> Weight;
	fn deregister_from_operator_set() -> Weight;
	fn purge_departed() -> Weight;
	fn fund_rewards() -> Weight;
	fn cancel_rewards() -> Weight;
	fn set_exchange_rate() -> Weight;
	fn pay_budget() -> Weight;
}

/// Measured weights, with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_avs() -> Weight {
		Weight::from_parts(40_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn update_avs_metadata() -> Weight {
		Weight::from_parts(20_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn transfer_avs_ownership() -> Weight {
		Weight::from_parts(20_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn accept_avs_ownership() -> Weight {
		Weight::from_parts(60_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn deregister_avs(s: u32, a: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64.saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads(3_u64.saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64.saturating_mul(a.into())))
	}
	fn create_operator_set(s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64.saturating_mul(s.into())))
	}
	fn update_slashing_terms() -> Weight {
		Weight::from_parts(25_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_allowlist() -> Weight {
		Weight::from_parts(25_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn register_for_operator_set(s: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64.saturating_mul(s.into())))
	}
	fn deregister_from_operator_set() -> Weight {
		Weight::from_parts(80_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn purge_departed() -> Weight {
		Weight::from_parts(30_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn fund_rewards() -> Weight {
		Weight::from_parts(80_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn cancel_rewards() -> Weight {
		Weight::from_parts(70_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn set_exchange_rate() -> Weight {
		Weight::from_parts(10_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn pay_budget() -> Weight {
		Weight::from_parts(200_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
}

/// The same figures with ParityDB weights, for tests and mocks.
impl WeightInfo for () {
	fn register_avs() -> Weight {
		Weight::from_parts(40_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn update_avs_metadata() -> Weight {
		Weight::from_parts(20_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn transfer_avs_ownership() -> Weight {
		Weight::from_parts(20_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn accept_avs_ownership() -> Weight {
		Weight::from_parts(60_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn deregister_avs(s: u32, a: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(a.into()))
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
			.saturating_add(ParityDbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes(3_u64.saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().reads(3_u64.saturating_mul(a.into())))
			.saturating_add(ParityDbWeight::get().writes(3_u64.saturating_mul(a.into())))
	}
	fn create_operator_set(s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
			.saturating_add(ParityDbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes(3_u64.saturating_mul(s.into())))
	}
	fn update_slashing_terms() -> Weight {
		Weight::from_parts(25_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_allowlist() -> Weight {
		Weight::from_parts(25_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn register_for_operator_set(s: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 10000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(s.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(ParityDbWeight::get().reads(3_u64.saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes(3_u64.saturating_mul(s.into())))
	}
	fn deregister_from_operator_set() -> Weight {
		Weight::from_parts(80_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn purge_departed() -> Weight {
		Weight::from_parts(30_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn fund_rewards() -> Weight {
		Weight::from_parts(80_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn cancel_rewards() -> Weight {
		Weight::from_parts(70_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn set_exchange_rate() -> Weight {
		Weight::from_parts(10_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn pay_budget() -> Weight {
		Weight::from_parts(200_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(20_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
}
