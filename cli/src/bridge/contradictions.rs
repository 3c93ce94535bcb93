//! Attesters Kasane recorded as contradicting a quorum (`kasane bridge contradictions`), and
//! having one slashed (`kasane bridge report`).
//!
//! When a quorum accepts a deposit for a nonce, or trusts a header for an Ethereum block
//! number, whoever signed other contents for it is recorded (`LstBridge.Contradictions`,
//! `LstBridge.HeaderContradictions`) until someone reports it: the report slashes the
//! operator whose registered key signed, through the bridge's operator set, and is free when it
//! slashes. Relayers report every record their own Ethereum node confirms; this is for anyone
//! who will not wait for them. While slashing is disabled or log-only in the bridge's set,
//! Kasane refuses reports and keeps the records, so the command says so before signing
//! anything. With `--wait none` the report's outcome (`slashed`) is not known when it returns.

use crate::{
	bridge::parse_eth_address,
	error::BadInput,
	kasane::{self, runtime_types::kasane_primitives::slashing::SlashingMode},
	output::{fields, table},
	Ctx,
};
use anyhow::Result;
use serde_json::json;
use subxt::utils::H160;

/// What a record is about: a deposit nonce or an Ethereum block number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordKind {
	/// A deposit another content than the accepted one was signed for (by vault nonce).
	Deposit,
	/// A block another header than the trusted one was signed for (by block number).
	Header,
}

impl RecordKind {
	fn name(self) -> &'static str {
		match self {
			Self::Deposit => "deposit",
			Self::Header => "header",
		}
	}
}

/// One recorded round: what it is about, what the recorded attesters signed, what the quorum
/// did, and who is still to be reported.
struct Record {
	kind: RecordKind,
	round: u64,
	odd: [u8; 32],
	accepted: [u8; 32],
	attesters: Vec<H160>,
}

async fn records(ctx: &Ctx) -> Result<Vec<Record>> {
	let at = ctx.chain.at_best().await?;
	let storage = at.storage();
	let mut records = Vec::new();
	let mut deposits = storage.iter(kasane::storage().lst_bridge().contradictions(), ()).await?;
	while let Some(entry) = deposits.next().await {
		let entry = entry?;
		let (round,) = entry.key()?.decode()?;
		let c = entry.value().decode()?;
		records.push(Record {
			kind: RecordKind::Deposit,
			round,
			odd: c.odd,
			accepted: c.accepted,
			attesters: c.attesters.0,
		});
	}
	let mut headers =
		storage.iter(kasane::storage().lst_bridge().header_contradictions(), ()).await?;
	while let Some(entry) = headers.next().await {
		let entry = entry?;
		let (round,) = entry.key()?.decode()?;
		let c = entry.value().decode()?;
		records.push(Record {
			kind: RecordKind::Header,
			round,
			odd: c.odd,
			accepted: c.accepted,
			attesters: c.attesters.0,
		});
	}
	records.sort_by_key(|r| (r.kind.name(), r.round));
	Ok(records)
}

/// Whether a report can slash now, and if not why: the attesters' operator set and the
/// slashing mode in force for it (the stricter of the global and the set's).
async fn slashing_state(ctx: &Ctx) -> Result<Result<String, String>> {
	let at = ctx.chain.at_best().await?;
	let attesters =
		at.runtime_apis().call(kasane::runtime_apis().lst_bridge_api().attesters()).await?;
	let Some(set) = attesters.and_then(|a| a.operator_set) else {
		return Ok(Err("the attesters are a list root keeps, bound to no operator set: \
			nobody can be slashed"
			.into()));
	};
	let storage = at.storage();
	let global = storage.fetch(kasane::storage().slashing().global_mode(), ()).await?.decode()?;
	let own = storage
		.try_fetch(kasane::storage().slashing().operator_set_modes(), (set.clone(),))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.unwrap_or(SlashingMode::Enabled);
	let name = format!("operator set {}/{}", set.avs, set.index);
	Ok(match (global, own) {
		(SlashingMode::Disabled, _) | (_, SlashingMode::Disabled) => Err(format!(
			"slashing is disabled for the bridge's {name}: Kasane refuses reports and keeps \
			 the records until root enables it"
		)),
		(SlashingMode::LogOnly, _) | (_, SlashingMode::LogOnly) => Err(format!(
			"slashing is log-only for the bridge's {name}: Kasane refuses reports and keeps \
			 the records until root enables it"
		)),
		_ => Ok(format!("enabled in the bridge's {name}")),
	})
}

pub async fn list(ctx: &Ctx) -> Result<()> {
	let records = records(ctx).await?;
	let slashing = slashing_state(ctx).await?;
	let hex = |d: &[u8; 32]| format!("0x{}", hex::encode(d));
	let rows: Vec<Vec<String>> = records
		.iter()
		.flat_map(|r| {
			r.attesters.iter().map(move |a| {
				vec![r.kind.name().to_string(), r.round.to_string(), format!("{a:?}")]
			})
		})
		.collect();
	let slashing_line = match &slashing {
		Ok(state) | Err(state) => state.clone(),
	};
	ctx.out.result(
		|| {
			let mut text = fields(&[("slashing", slashing_line.clone())]);
			text += "\n\n";
			if rows.is_empty() {
				text += "No attester is recorded as contradicting a quorum.";
			} else {
				text += &table(&["KIND", "ROUND", "ATTESTER"], &rows);
				text += "\n\nReport one: kasane bridge report <kind> <round> <attester>";
			}
			text
		},
		json!({
			"slashing": slashing_line,
			"reportable": slashing.is_ok(),
			"records": records.iter().map(|r| json!({
				"kind": r.kind.name(),
				"round": r.round,
				"signed": hex(&r.odd),
				"accepted": hex(&r.accepted),
				"attesters": r.attesters.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>(),
			})).collect::<Vec<_>>(),
		}),
	);
	Ok(())
}

pub async fn report(ctx: &Ctx, kind: RecordKind, round: u64, attester: &str) -> Result<()> {
	let attester = parse_eth_address(attester)?;
	let recorded = records(ctx)
		.await?
		.into_iter()
		.any(|r| r.kind == kind && r.round == round && r.attesters.contains(&attester));
	if !recorded {
		return Err(BadInput(format!(
			"{attester:?} is not recorded as contradicting the {} of {round} (or was reported \
			 already): `kasane bridge contradictions` lists who is",
			kind.name()
		))
		.into());
	}
	if let Err(why) = slashing_state(ctx).await? {
		return Err(BadInput(why).into());
	}
	let signer = ctx.signer.keypair()?;
	let bridge = kasane::transactions().lst_bridge();
	let sent = match kind {
		RecordKind::Deposit => {
			ctx.chain
				.submit(&bridge.report_contradiction(round, attester), &signer, ctx.wait, &ctx.out)
				.await?
		}
		RecordKind::Header => {
			ctx.chain
				.submit(
					&bridge.report_header_contradiction(round, attester),
					&signer,
					ctx.wait,
					&ctx.out,
				)
				.await?
		}
	};
	let slashed = match kind {
		RecordKind::Deposit => {
			sent.find::<kasane::lst_bridge::events::AttesterContradicted>().map(|e| e.slashed)
		}
		RecordKind::Header => {
			sent.find::<kasane::lst_bridge::events::HeaderSignerContradicted>().map(|e| e.slashed)
		}
	};
	ctx.report(
		sent,
		json!({
			"kind": kind.name(),
			"round": round,
			"attester": format!("{attester:?}"),
			"slashed": slashed,
		}),
	);
	Ok(())
}
