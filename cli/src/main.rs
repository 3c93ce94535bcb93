//! `kasane`: the work of stakers, operators and AVSs on Kasane from the command line.
//!
//! Calls, storage and runtime APIs are typed from the runtime's metadata
//! (`cli/metadata/kasane.scale`, refreshed by `scripts/refresh-cli-metadata.sh` and checked by
//! `cli/tests/metadata.rs`), so a call the chain would decode differently does not compile, and
//! subxt refuses one whose shape the connected node has changed. Every command prints for people
//! by default and one JSON document with `--json`; exit codes: 0 done, 1 failed (a refused
//! transaction names the pallet error), 2 bad arguments (nothing signed), 3 node unreachable.

mod account;
mod avs;
mod bridge;
mod chain;
mod error;
mod keys;
mod operator;
mod output;
mod restake;
mod stake;
mod status;
mod units;
mod validator;
mod watch;

use clap::{CommandFactory, Parser, Subcommand};

#[subxt::subxt(
	runtime_metadata_path = "metadata/kasane.scale",
	substitute_type(
		path = "kasane_primitives::restaking::OperatorSetId",
		with = "::subxt::utils::Static<::kasane_primitives::restaking::OperatorSetId>"
	),
	substitute_type(
		path = "kasane_primitives::avs::OperatorKey",
		with = "::subxt::utils::Static<::kasane_primitives::avs::OperatorKey>"
	),
	substitute_type(
		path = "kasane_primitives::avs::OperatorSignature",
		with = "::subxt::utils::Static<::kasane_primitives::avs::OperatorSignature>"
	),
	substitute_type(
		path = "kasane_primitives::avs::KeyType",
		with = "::subxt::utils::Static<::kasane_primitives::avs::KeyType>"
	),
	substitute_type(
		path = "kasane_primitives::restaking::StakerView<A, B>",
		with = "::subxt::utils::Static<::kasane_primitives::restaking::StakerView<A, B>>"
	),
	substitute_type(
		path = "kasane_primitives::restaking::OperatorView<B>",
		with = "::subxt::utils::Static<::kasane_primitives::restaking::OperatorView<B>>"
	),
	substitute_type(
		path = "kasane_primitives::slashing::SlashRecord<A, B>",
		with = "::subxt::utils::Static<::kasane_primitives::slashing::SlashRecord<A, B>>"
	),
	substitute_type(
		path = "kasane_runtime::opaque::SessionKeys",
		with = "::subxt::utils::Static<crate::validator::SessionKeyBytes>"
	),
	substitute_type(
		path = "kasane_primitives::bridge::DepositMessage",
		with = "::subxt::utils::Static<::kasane_primitives::bridge::DepositMessage>"
	),
	substitute_type(
		path = "kasane_primitives::bridge::proof::ReceiptProof",
		with = "::subxt::utils::Static<::kasane_primitives::bridge::proof::ReceiptProof>"
	),
	substitute_type(
		path = "kasane_primitives::bridge::beacon::BeaconReceiptProof",
		with = "::subxt::utils::Static<::kasane_primitives::bridge::beacon::BeaconReceiptProof>"
	),
	substitute_type(
		path = "kasane_primitives::slashing::StakerExposure<A, B>",
		with = "::subxt::utils::Static<::kasane_primitives::slashing::StakerExposure<A, B>>"
	)
)]
pub mod kasane {}

#[derive(Parser)]
#[command(name = "kasane", version, about = "Restake, operate and secure AVSs on Kasane", long_about = None)]
struct Cli {
	/// WebSocket RPC endpoint of a Kasane node [default: KASANE_URL, else ws://127.0.0.1:9944].
	#[arg(long, global = true)]
	url: Option<String>,
	/// One JSON document on stdout instead of text (integers as strings).
	#[arg(long, global = true)]
	json: bool,
	/// How far to follow a transaction before returning.
	#[arg(long, value_enum, default_value = "finalized", global = true)]
	wait: chain::Wait,
	#[command(flatten)]
	signer: keys::SignerArgs,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// The chain: runtime, blocks, era and session, validators, bridge and slashing modes.
	///
	/// Example: kasane status
	Status,
	/// Balances and transfers of KSN.
	#[command(subcommand)]
	Account(account::AccountCommand),
	/// Generate or inspect keys (sr25519, ed25519, ecdsa) without echoing secrets.
	#[command(subcommand)]
	Key(account::KeyCommand),
	/// Become a validator, leave, and see where an account stands in the elections.
	#[command(subcommand)]
	Validator(validator::ValidatorCommand),
	/// Native staking of KSN: bond, delegate to a validator's pool, unbond, withdraw, claim.
	#[command(subcommand)]
	Stake(stake::StakeCommand),
	/// A staker's restaking: deposit LSTs, delegate, withdraw, see positions and exposure.
	#[command(subcommand)]
	Restake(restake::RestakeCommand),
	/// An operator's work: register, allocate stake to operator sets, join them.
	#[command(subcommand)]
	Operator(operator::OperatorCommand),
	/// An AVS's work: register, create operator sets, fund rewards, request, veto and execute
	/// slashes.
	#[command(subcommand)]
	Avs(avs::AvsCommand),
	/// The LST bridge: status, rates, deposits from Ethereum, withdrawals to it and their release
	/// signatures.
	#[command(subcommand)]
	Bridge(bridge::BridgeCommand),
	/// Follow events live, filtered by pallet or account.
	///
	/// Example: kasane watch --pallet slashing --account <address>
	Watch(watch::WatchArgs),
	/// Print a shell completion script.
	///
	/// Example: kasane completions bash > /etc/bash_completion.d/kasane
	Completions {
		#[arg(value_enum)]
		shell: clap_complete::Shell,
	},
}

/// A node on this machine, as `scripts/devnet.sh` starts it.
const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

/// What every command gets.
pub struct Ctx {
	pub chain: chain::Chain,
	pub out: output::Output,
	pub wait: chain::Wait,
	pub signer: keys::SignerArgs,
}

impl Ctx {
	/// Prints a submitted transaction's outcome: its hash, its events (once included) and
	/// `summary`.
	pub fn report(&self, sent: chain::Sent, summary: serde_json::Value) {
		let (lines, json_events) = match &sent.events {
			Some(events) => chain::describe_events(events, self.chain.ss58),
			None => (Vec::new(), serde_json::Value::Null),
		};
		let hash = format!("{:?}", sent.hash);
		let mut json = summary;
		if let serde_json::Value::Object(map) = &mut json {
			map.insert("extrinsic".into(), serde_json::json!(hash));
			map.insert("events".into(), json_events);
		}
		self.out.result(
			|| {
				std::iter::once(format!("extrinsic {hash}"))
					.chain(lines)
					.collect::<Vec<_>>()
					.join("\n")
			},
			json,
		);
	}
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let out = output::Output { json: cli.json };
	if let Err(error) = run(cli, out).await {
		let code = error::exit_code(&error);
		if out.json {
			println!(
				"{:#}",
				serde_json::json!({ "error": format!("{error:#}"), "exit_code": code })
			);
		} else {
			eprintln!("error: {error:#}");
		}
		std::process::exit(code);
	}
}

async fn run(cli: Cli, out: output::Output) -> anyhow::Result<()> {
	// Commands that need no node.
	match &cli.command {
		Command::Completions { shell } => {
			clap_complete::generate(*shell, &mut Cli::command(), "kasane", &mut std::io::stdout());
			return Ok(());
		}
		Command::Key(command) => return account::key(command, &cli.signer, out),
		_ => {}
	}
	let url = cli.url.or_else(|| std::env::var("KASANE_URL").ok().filter(|u| !u.is_empty()));
	let chain = chain::Chain::connect(url.as_deref().unwrap_or(DEFAULT_URL)).await?;
	let ctx = Ctx { chain, out, wait: cli.wait, signer: cli.signer };
	match cli.command {
		Command::Status => status::run(&ctx).await,
		Command::Account(command) => account::run(&ctx, command).await,
		Command::Stake(command) => stake::run(&ctx, command).await,
		Command::Restake(command) => restake::run(&ctx, command).await,
		Command::Operator(command) => operator::run(&ctx, command).await,
		Command::Avs(command) => avs::run(&ctx, command).await,
		Command::Bridge(command) => bridge::run(&ctx, command).await,
		Command::Validator(command) => validator::run(&ctx, command).await,
		Command::Watch(args) => watch::run(&ctx, args).await,
		Command::Completions { .. } | Command::Key(_) => unreachable!("handled above"),
	}
}
