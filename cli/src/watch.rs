//! `kasane watch`: events as blocks arrive, optionally only one pallet's or only those that
//! name one account. With `--json`, one JSON object per event and line (NDJSON).

use crate::{chain::describe_event, Ctx};
use anyhow::Result;
use serde_json::json;

#[derive(clap::Args)]
pub struct WatchArgs {
	/// Only this pallet's events (`restaking`, `avsRegistry`, …; any case).
	#[arg(long)]
	pallet: Option<String>,
	/// Only events that name this account.
	#[arg(long)]
	account: Option<String>,
	/// Follow finalized blocks instead of best blocks.
	#[arg(long)]
	finalized: bool,
	/// Stop after this many blocks (default: until interrupted).
	#[arg(long)]
	blocks: Option<u32>,
}

pub async fn run(ctx: &Ctx, args: WatchArgs) -> Result<()> {
	let chain = &ctx.chain;
	let account =
		args.account.map(|a| chain.parse_account(&a)).transpose()?.map(|a| chain.show_account(&a));
	let pallet = args.pallet.map(|p| p.to_ascii_lowercase());
	let mut blocks = if args.finalized {
		chain.api.stream_blocks().await?
	} else {
		chain.api.stream_best_blocks().await?
	};
	// The stream may open with blocks the node already had (back to genesis): follow from the
	// block that is best (or finalized) now.
	let start = if args.finalized {
		let hash = chain.rpc.chain_get_finalized_head().await?;
		chain.rpc.chain_get_header(Some(hash)).await?.map(|h| h.number).unwrap_or_default()
	} else {
		chain.best_number().await?.into()
	};
	// On stderr, so that scripts reading stdout see only events.
	let kind = if args.finalized { "finalized" } else { "best" };
	eprintln!("following {kind} blocks from #{start}");
	let mut seen = 0u32;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let number = block.number();
		if number < start {
			continue;
		}
		let at = block.at().await?;
		let events = at.events().fetch().await?;
		for event in events.iter() {
			let event = event?;
			if pallet.as_deref().is_some_and(|p| !event.pallet_name().eq_ignore_ascii_case(p)) {
				continue;
			}
			let (name, text, fields) = describe_event(&event, chain.ss58);
			if account.as_deref().is_some_and(|a| !text.contains(a)) {
				continue;
			}
			if ctx.out.json {
				println!("{}", json!({ "block": number, "event": name, "fields": fields }));
			} else {
				println!("#{number:<8} {name} {text}");
			}
		}
		seen += 1;
		if args.blocks.is_some_and(|limit| seen >= limit) {
			break;
		}
	}
	Ok(())
}
