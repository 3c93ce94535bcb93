//! `kasane-node`: the Kasane restaking chain node (Aura block production, GRANDPA finality).

// Every command returns upstream's `sc_cli::Error` (176 bytes), as polkadot-sdk's nodes do.
#![allow(clippy::result_large_err)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
