//! Weights for `pallet_restaking`.
//!
//! PROVISIONAL: estimated by hand (reads and writes counted from the code, execution time
//! scaled from `pallet_native_staking`'s measured calls) until `scripts/benchmark-pallets.sh`
//! regenerates this file from the benchmarks in `benchmarking.rs`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight functions of `pallet_restaking`.
pub trait WeightInfo {
	fn add_strategy() -> Weight;
	fn set_strategy_status() -> Weight;
	fn register_operator() -> Weight;
	fn update_operator() -> Weight;
	fn set_delegation_approval() -> Weight;
	fn deposit() -> Weight;
	fn delegate_to(s: u32, ) -> Weight;
	fn redelegate(s: u32, ) -> Weight;
	fn queue_withdrawal() -> Weight;
	fn complete_withdrawal() -> Weight;
	fn modify_allocations(p: u32, ) -> Weight;
	fn clear_pending_allocations(p: u32, ) -> Weight;
	fn slash_operator(s: u32, ) -> Weight;
	fn slash_operator_stakers(n: u32, ) -> Weight;
	fn claim_rewards() -> Weight;
	fn distribute_rewards(a: u32, ) -> Weight;
}

/// Weights with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_strategy() -> Weight {
		Weight::from_parts(40_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn set_strategy_status() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn register_operator() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn update_operator() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_delegation_approval() -> Weight {
		Weight::from_parts(25_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn deposit() -> Weight {
		Weight::from_parts(90_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn delegate_to(s: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(40_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(s.into())))
	}
	fn redelegate(s: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(60_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(s.into())))
	}
	fn queue_withdrawal() -> Weight {
		Weight::from_parts(70_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn complete_withdrawal() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn modify_allocations(p: u32, ) -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn clear_pending_allocations(p: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(90_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn distribute_rewards(a: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(80_000_000, 6000).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads((8_u64).saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(a.into())))
	}
	fn slash_operator_stakers(_n: u32, ) -> Weight {
		Self::slash_operator(1)
	}
	fn slash_operator(s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(90_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(s.into())))
	}
}

// For tests: the same figures with ParityDB weights.
impl WeightInfo for () {
	fn add_strategy() -> Weight {
		Weight::from_parts(40_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn set_strategy_status() -> Weight {
		Weight::from_parts(20_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn register_operator() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn update_operator() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_delegation_approval() -> Weight {
		Weight::from_parts(25_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn deposit() -> Weight {
		Weight::from_parts(90_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn delegate_to(s: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(40_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(ParityDbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes((3_u64).saturating_mul(s.into())))
	}
	fn redelegate(s: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(60_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(ParityDbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes((4_u64).saturating_mul(s.into())))
	}
	fn queue_withdrawal() -> Weight {
		Weight::from_parts(70_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn complete_withdrawal() -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn modify_allocations(p: u32, ) -> Weight {
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn clear_pending_allocations(p: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(90_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn distribute_rewards(a: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(80_000_000, 6000).saturating_mul(a.into()))
			.saturating_add(ParityDbWeight::get().reads((8_u64).saturating_mul(a.into())))
			.saturating_add(ParityDbWeight::get().writes((3_u64).saturating_mul(a.into())))
	}
	fn slash_operator_stakers(_n: u32, ) -> Weight {
		Self::slash_operator(1)
	}
	fn slash_operator(s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(90_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(s.into())))
			.saturating_add(ParityDbWeight::get().writes((4_u64).saturating_mul(s.into())))
	}
}
