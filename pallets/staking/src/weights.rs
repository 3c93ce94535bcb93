//! Weights for `pallet_native_staking`.
//!
//! Placeholder figures until `kasane-node benchmark pallet` output replaces this file (see
//! `docs/benchmarks.md`); the per-component slopes are conservative upper estimates.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_native_staking`.
pub trait WeightInfo {
	fn bond() -> Weight;
	fn bond_extra() -> Weight;
	fn unbond() -> Weight;
	fn rebond(c: u32) -> Weight;
	fn withdraw_unbonded(c: u32) -> Weight;
	fn validate() -> Weight;
	fn chill() -> Weight;
	fn delegate() -> Weight;
	fn redelegate() -> Weight;
	fn claim_rewards() -> Weight;
	fn set_reward_destination() -> Weight;
	fn settle(c: u32) -> Weight;
	fn cancel_deferred_slash(s: u32) -> Weight;
	fn new_era(c: u32) -> Weight;
	fn end_era(v: u32) -> Weight;
	fn apply_slash() -> Weight;
	fn report_offence() -> Weight;
}

/// Weights for `pallet_native_staking` using the Kasane node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn bond() -> Weight {
		Weight::from_parts(45000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn rebond(c: u32) -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn validate() -> Weight {
		Weight::from_parts(50000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn chill() -> Weight {
		Weight::from_parts(20000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn delegate() -> Weight {
		Weight::from_parts(50000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn redelegate() -> Weight {
		Weight::from_parts(80000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn set_reward_destination() -> Weight {
		Weight::from_parts(15000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn settle(c: u32) -> Weight {
		Weight::from_parts(40000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn cancel_deferred_slash(s: u32) -> Weight {
		Weight::from_parts(20000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(s.into())))
	}
	fn new_era(c: u32) -> Weight {
		Weight::from_parts(100000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(10_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn end_era(v: u32) -> Weight {
		Weight::from_parts(100000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(10_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(v.into())))
	}
	fn apply_slash() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(30_u64))
			.saturating_add(T::DbWeight::get().writes(30_u64))
	}
	fn report_offence() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn bond() -> Weight {
		Weight::from_parts(45000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn rebond(c: u32) -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn validate() -> Weight {
		Weight::from_parts(50000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn chill() -> Weight {
		Weight::from_parts(20000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn delegate() -> Weight {
		Weight::from_parts(50000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn redelegate() -> Weight {
		Weight::from_parts(80000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(70000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn set_reward_destination() -> Weight {
		Weight::from_parts(15000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn settle(c: u32) -> Weight {
		Weight::from_parts(40000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn cancel_deferred_slash(s: u32) -> Weight {
		Weight::from_parts(20000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(s.into())))
	}
	fn new_era(c: u32) -> Weight {
		Weight::from_parts(100000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(c.into())))
	}
	fn end_era(v: u32) -> Weight {
		Weight::from_parts(100000000, 3_600)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(v.into())))
	}
	fn apply_slash() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(30_u64))
			.saturating_add(RocksDbWeight::get().writes(30_u64))
	}
	fn report_offence() -> Weight {
		Weight::from_parts(60000000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
	}
}
