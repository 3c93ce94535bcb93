//! `kasane-node`: the Kasane restaking chain node (Aura block production, GRANDPA finality).

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
