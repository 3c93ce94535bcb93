//! Weights benchmarked in this runtime: the block and extrinsic base weights (`benchmark
//! overhead`) and the upstream pallets measured here (`scripts/benchmark-pallets.sh` writes them;
//! Kasane's own pallets keep theirs in `pallets/*/src/weights.rs`).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod snowbridge_pallet_ethereum_client;
