//! Attesters Kasane recorded as contradicting a quorum (`kasane bridge contradictions`), and
//! having one slashed (`kasane bridge report`).
//!
//! When a quorum accepts a deposit for a nonce, or trusts a header for an Ethereum block
//! number, whoever signed other contents for it is recorded (`LstBridge.Contradictions`,
//! `LstBridge.HeaderContradictions`, with the operator set the attesters were drawn from) until
//! someone reports it: the report names the attester's key (`LstBridgeApi.attester_key` finds
//! it among the keys the set may still slash) and slashes the operator that registered it,
//! through that set; it is free when it slashes. Relayers report every record their own
//! Ethereum node confirms; this is for anyone who will not wait for them. While slashing is
//! disabled or log-only in the set, Kasane refuses reports and keeps the records, and an
//! attester past its slashable window has no key to report; the command says so before
//! signing anything. With `--wait none` the report's outcome (`slashed`) is not known when it
//! returns.

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

/// The operator set a record's attesters were drawn from, as the registry names it.
type OperatorSetId = subxt::utils::Static<kasane_primitives::restaking::OperatorSetId>;

/// One recorded round: what it is about, what the recorded attesters signed, what the quorum
/// did, who is still to be reported, and the operator set a report slashes them through.
struct Record {
	kind: RecordKind,
	round: u64,
	odd: [u8; 32],
	accepted: [u8; 32],
	attesters: Vec<H160>,
	operator_set: Option<OperatorSetId>,
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
			operator_set: c.operator_set,
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
			operator_set: c.operator_set,
		});
	}
	records.sort_by_key(|r| (r.kind.name(), r.round));
	Ok(records)
}

fn set_name(set: &OperatorSetId) -> String {
	format!("{}/{}", set.avs, set.index)
}

/// Whether a report of a record made in operator set `set` can slash now, and if not why: the
/// slashing mode in force for the set (the stricter of the global and the set's).
async fn slashing_state(ctx: &Ctx, set: Option<&OperatorSetId>) -> Result<Result<String, String>> {
	let Some(set) = set else {
		return Ok(Err("recorded while root kept the attesters as a list, bound to no \
			operator set: nobody can be slashed"
			.into()));
	};
	let at = ctx.chain.at_best().await?;
	let storage = at.storage();
	let global = storage.fetch(kasane::storage().slashing().global_mode(), ()).await?.decode()?;
	let own = storage
		.try_fetch(kasane::storage().slashing().operator_set_modes(), (set.clone(),))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.unwrap_or(SlashingMode::Enabled);
	let name = format!("operator set {}", set_name(set));
	Ok(match (global, own) {
		(SlashingMode::Disabled, _) | (_, SlashingMode::Disabled) => Err(format!(
			"slashing is disabled for {name}: Kasane refuses reports and keeps the records \
			 until root enables it"
		)),
		(SlashingMode::LogOnly, _) | (_, SlashingMode::LogOnly) => Err(format!(
			"slashing is log-only for {name}: Kasane refuses reports and keeps the records \
			 until root enables it"
		)),
		_ => Ok(format!("enabled in {name}")),
	})
}

/// A compressed secp256k1 key, as the runtime API returns it and the report calls take it.
type AttesterKey = [u8; 33];

/// The registered key of the operator `set` may still slash whose Ethereum address is
/// `attester` (`LstBridgeApi.attester_key`), what a report names.
async fn attester_key(
	ctx: &Ctx,
	set: &OperatorSetId,
	attester: H160,
) -> Result<Option<AttesterKey>> {
	let at = ctx.chain.at_best().await?;
	let call = kasane::runtime_apis().lst_bridge_api().attester_key(set.clone(), attester);
	Ok(at.runtime_apis().call(call).await?)
}

pub async fn list(ctx: &Ctx) -> Result<()> {
	let records = records(ctx).await?;
	// One state per operator set the records name (few: the bridge's, and earlier ones).
	let mut states: Vec<(Option<OperatorSetId>, Result<String, String>)> = Vec::new();
	for record in &records {
		if !states.iter().any(|(set, _)| *set == record.operator_set) {
			let state = slashing_state(ctx, record.operator_set.as_ref()).await?;
			states.push((record.operator_set.clone(), state));
		}
	}
	let state_of = |r: &Record| {
		states.iter().find(|(set, _)| *set == r.operator_set).map(|(_, state)| state.clone())
	};
	// Recorded attesters whose key the set may no longer slash (left past their window): a
	// report of them would slash nobody.
	let mut without_key = Vec::new();
	for record in &records {
		let Some(set) = &record.operator_set else { continue };
		for attester in &record.attesters {
			if attester_key(ctx, set, *attester).await?.is_none() {
				without_key.push((record.kind, record.round, *attester));
			}
		}
	}
	let keyless = |r: &Record, a: &H160| without_key.contains(&(r.kind, r.round, *a));
	let hex = |d: &[u8; 32]| format!("0x{}", hex::encode(d));
	let set_text = |r: &Record| r.operator_set.as_ref().map_or("-".to_string(), set_name);
	let rows: Vec<Vec<String>> = records
		.iter()
		.flat_map(|r| {
			let enabled = state_of(r).is_some_and(|s| s.is_ok());
			r.attesters.iter().map(move |a| {
				let reportable = match (enabled, keyless(r, a)) {
					(false, _) => "no",
					(true, true) => "no: no slashable key",
					(true, false) => "yes",
				};
				vec![
					r.kind.name().to_string(),
					r.round.to_string(),
					format!("{a:?}"),
					set_text(r),
					reportable.to_string(),
				]
			})
		})
		.collect();
	ctx.out.result(
		|| {
			if rows.is_empty() {
				return "No attester is recorded as contradicting a quorum.".to_string();
			}
			let mut text =
				table(&["KIND", "ROUND", "ATTESTER", "OPERATOR SET", "REPORTABLE"], &rows);
			text += "\n\n";
			let reasons: Vec<(&str, String)> = states
				.iter()
				.map(|(_, state)| match state {
					Ok(why) | Err(why) => ("slashing", why.clone()),
				})
				.collect();
			text += &fields(&reasons);
			text += "\n\nReport one: kasane bridge report <kind> <round> <attester>";
			text
		},
		json!({
			"records": records.iter().map(|r| {
				let state = state_of(r).unwrap_or_else(|| Err(String::new()));
				json!({
					"kind": r.kind.name(),
					"round": r.round,
					"signed": hex(&r.odd),
					"accepted": hex(&r.accepted),
					"attesters": r.attesters.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>(),
					"operator_set": r.operator_set.as_ref().map(set_name),
					"reportable": state.is_ok(),
					"without_key": r.attesters.iter().filter(|a| keyless(r, a))
						.map(|a| format!("{a:?}")).collect::<Vec<_>>(),
					"slashing": match state { Ok(s) | Err(s) => s },
				})
			}).collect::<Vec<_>>(),
		}),
	);
	Ok(())
}

pub async fn report(ctx: &Ctx, kind: RecordKind, round: u64, attester: &str) -> Result<()> {
	let attester = parse_eth_address(attester)?;
	let record = records(ctx)
		.await?
		.into_iter()
		.find(|r| r.kind == kind && r.round == round && r.attesters.contains(&attester));
	let Some(record) = record else {
		return Err(BadInput(format!(
			"{attester:?} is not recorded as contradicting the {} of {round} (or was reported \
			 already): `kasane bridge contradictions` lists who is",
			kind.name()
		))
		.into());
	};
	if let Err(why) = slashing_state(ctx, record.operator_set.as_ref()).await? {
		return Err(BadInput(why).into());
	}
	let set = record.operator_set.expect("a record with no set has no slashing state");
	// The report names the attester's key; Kasane has it while the set may still slash it.
	let Some(key) = attester_key(ctx, &set, attester).await? else {
		return Err(BadInput(format!(
			"{attester:?} has no key operator set {} may still slash (it left the set and its \
			 slashable window passed): a report would slash nobody and pay its fee",
			set_name(&set)
		))
		.into());
	};
	let signer = ctx.signer.keypair()?;
	let bridge = kasane::transactions().lst_bridge();
	let sent = match kind {
		RecordKind::Deposit => {
			ctx.chain
				.submit(&bridge.report_contradiction(round, key), &signer, ctx.wait, &ctx.out)
				.await?
		}
		RecordKind::Header => {
			ctx.chain
				.submit(
					&bridge.report_header_contradiction(round, key),
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
			"operator_set": set_name(&set),
			"slashed": slashed,
		}),
	);
	Ok(())
}
