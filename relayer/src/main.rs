use anyhow::Result;
use clap::Parser;
use kasane_relayer::{
	config::{Config, FileConfig, Flags},
	relay::{EthereumSide, Relayer},
	MAX_BACKOFF,
};
use tracing::{error, info, info_span, Instrument};

#[tokio::main]
async fn main() -> Result<()> {
	let flags = Flags::parse();
	if flags.print_synthetic_checkpoint || flags.print_beacon_checkpoint.is_some() {
		return print_checkpoint(&flags).await;
	}
	let config = Config::load(flags)?;
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	if config.json_logs {
		tracing_subscriber::fmt().json().with_env_filter(filter).init();
	} else {
		tracing_subscriber::fmt().with_env_filter(filter).init();
	}
	let name = config.name.clone();
	let mut relayer = Relayer::new(config)?;
	info!(
		attester = ?relayer.attester.address(),
		next_eth_block = relayer.state.next_eth_block,
		"relayer started"
	);
	let mut backoff = relayer.config.poll_interval;
	let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
	let run = async {
		loop {
			match relayer.step().await {
				Ok(ethereum) => {
					backoff = relayer.config.poll_interval;
					if let EthereumSide::Failed { error, retry_in } = ethereum {
						error!(
							error = format!("{error:#}"),
							retry_in_ms = retry_in.as_millis() as u64,
							"ethereum side failed; kasane's duties done"
						);
					}
				}
				Err(e) => {
					error!(
						error = format!("{e:#}"),
						retry_in_ms = backoff.as_millis() as u64,
						"step failed"
					);
					backoff = (backoff * 2).min(MAX_BACKOFF);
				}
			}
			tokio::select! {
				_ = tokio::time::sleep(backoff) => {},
				_ = tokio::signal::ctrl_c() => break,
				_ = terminate.recv() => break,
			}
		}
	};
	run.instrument(info_span!("relayer", name)).await;
	info!("relayer stopped");
	Ok(())
}

/// `--print-synthetic-checkpoint` or `--print-beacon-checkpoint`: the checkpoint as the hex of
/// `EthereumBeaconClient.force_checkpoint`'s argument, from the flags or the config file.
async fn print_checkpoint(flags: &Flags) -> Result<()> {
	let file = FileConfig::read(flags.config.as_deref())?;
	let checkpoint = if let Some(id) = &flags.print_beacon_checkpoint {
		let Some(url) = flags.beacon_api.clone().or(file.beacon_api) else {
			anyhow::bail!(
				"--print-beacon-checkpoint needs --beacon-api (or `beacon_api` in --config)"
			);
		};
		let checkpoint = kasane_relayer::beacon::api::BeaconApi::new(&url)?.checkpoint(id).await?;
		eprintln!(
			"beacon block {id}: slot {}, root {:?}, genesis validators root {:?}",
			checkpoint.header.slot,
			checkpoint.header.hash_tree_root().map_err(|e| anyhow::anyhow!("{e:?}"))?,
			checkpoint.validators_root
		);
		checkpoint
	} else {
		let seed = flags.synthetic_beacon_seed.or(file.synthetic_beacon_seed);
		let Some(seed) = seed.filter(|seed| *seed > 0) else {
			anyhow::bail!("--print-synthetic-checkpoint needs a non-zero --synthetic-beacon-seed");
		};
		eprintln!(
			"warning: this checkpoint's sync committee keys are public test keys: install it only \
			 on a test network that holds nothing of value"
		);
		kasane_relayer::beacon::SyntheticSource::new(seed).checkpoint()
	};
	println!("0x{}", hex::encode(codec::Encode::encode(&checkpoint)));
	Ok(())
}
