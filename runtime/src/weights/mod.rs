//! Weights benchmarked in this runtime: the block and extrinsic base weights (`benchmark
//! overhead`), the upstream pallets and transaction extensions measured here
//! (`scripts/benchmark-pallets.sh` writes them; Kasane's own pallets keep theirs in
//! `pallets/*/src/weights.rs`), and what a ParityDB read and write cost on a state of 100 000
//! accounts (`scripts/benchmark-storage.sh`).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_assets;
pub mod pallet_balances;
pub mod pallet_grandpa;
pub mod pallet_multisig;
pub mod pallet_proxy;
pub mod pallet_session;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
// The generated file documents the fields of a struct expression, which rustdoc ignores.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;
pub mod snowbridge_pallet_ethereum_client;
