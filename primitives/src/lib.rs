//! # Kasane primitives
//!
//! Types and cross-pallet traits shared by the runtime, the node and the custom pallets. They
//! land here with the pallets that need them (see `README.md`), so that no pallet depends on
//! another pallet's crate.

#![cfg_attr(not(feature = "std"), no_std)]
