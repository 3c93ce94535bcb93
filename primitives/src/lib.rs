//! # Kasane primitives
//!
//! Types and cross-pallet traits shared by the runtime, the node and the custom pallets, so that
//! no pallet depends on another pallet's crate: a pallet states what it needs as a trait here,
//! and the runtime names the pallet that provides it.
//!
//! - [`staking`]: what native staking offers the other pallets — reading a validator pool's
//!   stake, slashing a pool by a fraction, and era hooks.
//! - [`restaking`]: operator sets, magnitudes, the registry membership check restaking needs and
//!   the slashing primitive restaking offers.
//! - [`avs`]: operator keys and their proof of possession, the signed AVS message format
//!   (double-sign evidence), slashing terms, and the AVS marketplace runtime API.
//! - [`testing`] (std only): test doubles for the pallets' mock runtimes.
//! - [`bridge`]: the LST bridge's attested message formats and digests (shared with the vault
//!   contract and the relayer), Ethereum signatures, and the bridge runtime API.
//! - [`slashing`]: slash records, the slashing switch, what the slashing pallet needs from the
//!   registry and native staking, and the slashing runtime API.
//! - [`math`]: the fixed-point arithmetic the pallets share (`mul_div`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod avs;
pub mod bridge;
pub mod math;
pub mod restaking;
pub mod slashing;
pub mod staking;
#[cfg(feature = "std")]
pub mod testing;

/// Index of a staking era (a fixed number of sessions).
pub type EraIndex = u32;
