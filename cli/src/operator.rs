//! `kasane operator`: register as an operator, allocate delegated stake to operator sets and
//! join them with an AVS key whose proof of possession is signed here, on this machine.

use crate::{
	error::BadInput,
	kasane,
	keys::{AnyPair, Scheme},
	output::{fields, table},
	restake::{account_or_signer, asset_of},
	units::{format_percent, parse_percent},
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::{avs, restaking::OperatorSetId};
use serde_json::json;
use subxt::utils::Static;

#[derive(Subcommand)]
pub enum OperatorCommand {
	/// Register the signer as an operator stakers can delegate to.
	///
	/// Example: kasane operator register --commission 10 --metadata https://op.example/meta.json
	Register {
		/// Share of its stakers' rewards the operator keeps, in percent.
		#[arg(long, default_value = "10")]
		commission: String,
		#[arg(long, default_value = "")]
		metadata: String,
		/// Stakers need the operator's approval to delegate.
		#[arg(long)]
		approval_required: bool,
	},
	/// An operator's stake per strategy and allocations per operator set.
	///
	/// Example: kasane operator info <address>
	Info { who: Option<String> },
	/// Allocate a share of the operator's stake in an asset to an operator set; increases take
	/// effect after the allocation delay.
	///
	/// Example: kasane operator allocate 3/0 wstETH 25%
	Allocate { set: String, asset: String, percent: String },
	/// Join an operator set with an AVS key (the proof of possession is signed locally).
	///
	/// Example: kasane operator join 3/0 --avs-key //Alice//avs
	Join {
		set: String,
		/// Secret URI of the AVS signing key (not the account's).
		#[arg(long)]
		avs_key: String,
		#[arg(long, value_enum, default_value = "sr25519")]
		scheme: Scheme,
	},
	/// Leave an operator set; the operator stays slashable by it for the deallocation delay.
	///
	/// Example: kasane operator leave 3/0
	Leave { set: String },
}

/// Parses `<avs>/<index>`.
pub fn parse_set(text: &str) -> Result<OperatorSetId, BadInput> {
	let bad = || BadInput(format!("operator set `{text}`: write it as <avs>/<index>, e.g. 3/0"));
	let (avs, index) = text.split_once('/').ok_or_else(bad)?;
	Ok(OperatorSetId {
		avs: avs.trim().parse().map_err(|_| bad())?,
		index: index.trim().parse().map_err(|_| bad())?,
	})
}

pub fn show_set(set: &OperatorSetId) -> String {
	format!("{}/{}", set.avs, set.index)
}

pub async fn run(ctx: &Ctx, command: OperatorCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		OperatorCommand::Register { commission, metadata, approval_required } => {
			// Perbill: 1 % = 10^7 parts per billion.
			let parts = crate::units::parse_amount(commission.trim_end_matches('%'), 7)
				.ok()
				.filter(|p| *p <= 1_000_000_000)
				.ok_or_else(|| {
					BadInput(format!("commission `{commission}`: a percentage from 0 to 100"))
				})?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().restaking().register_operator(
				kasane::runtime_types::sp_arithmetic::per_things::Perbill(parts as u32),
				kasane::runtime_types::bounded_collections::bounded_vec::BoundedVec(
					metadata.into_bytes(),
				),
				approval_required,
			);
			let events = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				events,
				json!({ "operator": chain.show_account(&signer.public_key().to_account_id()) }),
			);
		}
		OperatorCommand::Info { who } => {
			let who = account_or_signer(ctx, who)?;
			let at = chain.at_best().await?;
			let view = at
				.runtime_apis()
				.call(kasane::runtime_apis().restaking_api().operator(who))
				.await?
				.0;
			let assets = chain.assets().await?;
			let now = chain.best_number().await?;
			let stake_rows: Vec<Vec<String>> = view
				.strategies
				.iter()
				.map(|s| {
					let asset = asset_of(&assets, s.strategy);
					vec![
						asset.symbol.clone(),
						asset.show(s.delegated),
						asset.show(s.queued),
						format_percent(s.encumbered),
						format_percent(s.max_magnitude),
					]
				})
				.collect();
			let allocation_rows: Vec<Vec<String>> = view
				.allocations
				.iter()
				.map(|a| {
					let asset = asset_of(&assets, a.strategy);
					let pending = match a.pending {
						Some((target, at)) => format!(
							"{} in {}",
							format_percent(target),
							chain.duration(at.saturating_sub(now))
						),
						None => "-".into(),
					};
					vec![
						show_set(&a.set),
						asset.symbol.clone(),
						format_percent(a.magnitude),
						asset.show(a.allocated_stake),
						pending,
					]
				})
				.collect();
			let json = json!({
				"operator": chain.show_account(&who),
				"is_operator": view.is_operator,
				"commission_perbill": view.commission.deconstruct(),
				"strategies": view.strategies.iter().map(|s| json!({
					"strategy": s.strategy,
					"delegated": s.delegated.to_string(),
					"queued": s.queued.to_string(),
					"max_magnitude": s.max_magnitude.to_string(),
					"encumbered": s.encumbered.to_string(),
				})).collect::<Vec<_>>(),
				"allocations": view.allocations.iter().map(|a| json!({
					"set": show_set(&a.set),
					"strategy": a.strategy,
					"magnitude": a.magnitude.to_string(),
					"allocated_stake": a.allocated_stake.to_string(),
					"pending": a.pending.map(|(target, at)| json!({ "magnitude": target.to_string(), "effective_at": at })),
				})).collect::<Vec<_>>(),
			});
			ctx.out.result(
				|| {
					if !view.is_operator {
						return format!("{} is not an operator", chain.show_account(&who));
					}
					let mut text = fields(&[
						("operator", chain.show_account(&who)),
						("commission", format!("{:?}", view.commission)),
					]);
					if !stake_rows.is_empty() {
						text += "\n\n";
						text += &table(
							&["ASSET", "DELEGATED", "QUEUED", "ALLOCATED", "UNSLASHED"],
							&stake_rows,
						);
					}
					if !allocation_rows.is_empty() {
						text += "\n\n";
						text += &table(
							&["SET", "ASSET", "IN FORCE", "STAKE", "PENDING"],
							&allocation_rows,
						);
					}
					text
				},
				json,
			);
		}
		OperatorCommand::Allocate { set, asset, percent } => {
			let set = parse_set(&set)?;
			let magnitude = parse_percent(&percent)?;
			let asset = chain.asset(&asset).await?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().restaking().modify_allocation(
				Static(set),
				asset.strategy,
				magnitude,
			);
			let events = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let scheduled = events.as_ref().and_then(|e| {
				e.find_first::<kasane::restaking::events::AllocationScheduled>()
					.and_then(|r| r.ok())
			});
			if let (Some(s), false) = (&scheduled, ctx.out.json) {
				let now = chain.best_number().await?;
				eprintln!(
					"{} of {} to {} from block #{} (in {})",
					format_percent(s.to),
					asset.symbol,
					show_set(&set),
					s.effective_at,
					chain.duration(s.effective_at.saturating_sub(now))
				);
			}
			ctx.report(
				events,
				json!({
					"set": show_set(&set),
					"strategy": asset.strategy,
					"magnitude": magnitude.to_string(),
					"effective_at": scheduled.map(|s| s.effective_at),
				}),
			);
		}
		OperatorCommand::Join { set, avs_key, scheme } => {
			let set = parse_set(&set)?;
			let key = AnyPair::from_suri(scheme, &avs_key)?;
			let signer = ctx.signer.keypair()?;
			let operator = signer.public_key().0;
			let genesis = avs::signing_genesis(chain.api.genesis_hash().as_ref());
			let payload = avs::proof_of_possession_payload(&genesis, &set, &operator);
			let (public, proof) = key.operator_key_and_signature(&payload);
			let call = kasane::transactions().avs_registry().register_for_operator_set(
				Static(set),
				Static(public),
				Static(proof),
			);
			let events = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				events,
				json!({ "set": show_set(&set), "key": format!("0x{}", hex::encode(key.public())) }),
			);
		}
		OperatorCommand::Leave { set } => {
			let set = parse_set(&set)?;
			let signer = ctx.signer.keypair()?;
			let call =
				kasane::transactions().avs_registry().deregister_from_operator_set(Static(set));
			let events = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(events, json!({ "set": show_set(&set) }));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn operator_sets_are_avs_slash_index() {
		assert_eq!(parse_set("3/0").unwrap(), OperatorSetId { avs: 3, index: 0 });
		assert_eq!(parse_set(" 12 / 4 ").unwrap(), OperatorSetId { avs: 12, index: 4 });
		for bad in ["3", "3/", "/0", "a/b", "3/0/1", "-1/0"] {
			assert!(parse_set(bad).is_err(), "{bad}");
		}
	}
}
