//! Weights of upstream pallets, benchmarked in this runtime (`scripts/benchmark-pallets.sh`
//! writes them; Kasane's own pallets keep theirs in `pallets/*/src/weights.rs`).

pub mod snowbridge_pallet_ethereum_client;
