//! # Kasane primitives
//!
//! Types and cross-pallet traits shared by the runtime, the node and the custom pallets. They
//! land here with the pallets that need them (see `README.md`), so that no pallet depends on
//! another pallet's crate.
//!
//! - [`staking`]: what native staking offers the other pallets — reading a validator pool's
//!   stake, slashing a pool by a fraction, and era hooks.
//! - [`restaking`]: operator sets, magnitudes, the registry membership check restaking needs and
//!   the slashing primitive restaking offers.
//! - [`avs`]: operator keys and their proof of possession, slashing terms, and the AVS
//!   marketplace runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod avs;
pub mod restaking;
pub mod staking;

/// Index of a staking era (a fixed number of sessions).
pub type EraIndex = u32;
