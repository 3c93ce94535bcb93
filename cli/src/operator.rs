//! `kasane operator`: register as an operator, allocate delegated stake to operator sets and
//! join them with an AVS key whose proof of possession is signed here, on this machine.

use crate::{
	error::{ensure_fits, BadInput},
	kasane,
	keys::{AnyPair, Scheme},
	output::{fields, table},
	restake::{account_or_signer, asset_of},
	units::{format_percent, parse_percent, FULL_MAGNITUDE},
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::{avs, math::mul_div, restaking::OperatorSetId};
use serde_json::json;
use sp_runtime::Rounding;
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
	/// Change the operator's commission; it takes effect after the chain's commission change
	/// delay, and rises by at most the chain's maximum step each time.
	///
	/// Example: kasane operator set-commission 8
	SetCommission { percent: String },
	/// Change the operator's metadata, or whether stakers need its approval to delegate.
	///
	/// Example: kasane operator update --metadata https://op.example/v2.json --approval-required false
	Update {
		#[arg(long)]
		metadata: Option<String>,
		/// true: only stakers the operator approves may delegate to it from now on.
		#[arg(long)]
		approval_required: Option<bool>,
	},
	/// Let a staker delegate to the signer, an operator that requires approval. Each approval
	/// holds the chain's approval deposit until it is withdrawn or the operator deregisters.
	///
	/// Example: kasane operator approve <staker address>
	Approve { staker: String },
	/// Withdraw a staker's approval: it cannot delegate again, though a delegation it already
	/// made stays. The approval's deposit comes back.
	///
	/// Example: kasane operator revoke <staker address>
	Revoke { staker: String },
	/// Stop being an operator: once no stake is delegated to the signer, queued from it or
	/// allocated by it (allocation decreases that took effect are applied first). Its operator
	/// and approval deposits come back.
	///
	/// Example: kasane operator deregister
	Deregister,
	/// An operator's stake per strategy and allocations per operator set.
	///
	/// Example: kasane operator info <address>
	Info { who: Option<String> },
	/// Set the share of the operator's stake in an asset allocated to an operator set (0
	/// removes it); increases take effect after the allocation delay, decreases after the
	/// deallocation delay, and the old allocation stays slashable until then.
	///
	/// Example: kasane operator allocate 3/0 wstETH 25%
	Allocate { set: String, asset: String, percent: String },
	/// Join an operator set with an AVS key (the proof of possession is signed locally).
	///
	/// Example: KASANE_AVS_SURI=//Alice//avs kasane operator join 3/0
	Join {
		set: String,
		/// Secret URI of the AVS signing key (not the account's). Without it: --avs-key-file,
		/// else the KASANE_AVS_SURI environment variable; prefer those, as arguments are
		/// visible to other users of the machine.
		#[arg(long, conflicts_with = "avs_key_file")]
		avs_key: Option<String>,
		/// A file holding the AVS key's secret URI, readable by its owner only.
		#[arg(long)]
		avs_key_file: Option<std::path::PathBuf>,
		#[arg(long, value_enum, default_value = "sr25519")]
		scheme: Scheme,
	},
	/// Leave an operator set; the operator stays slashable by it for the deallocation delay.
	///
	/// Example: kasane operator leave 3/0
	Leave { set: String },
	/// Remove an operator's record from a set it left, once the set can no longer slash it:
	/// its AVS key is free again. Anyone may; the operator defaults to the signer.
	///
	/// Example: kasane operator purge 3/0
	Purge { set: String, operator: Option<String> },
}

/// A commission in percent as Perbill parts, refused above restaking's maximum.
async fn commission_parts(ctx: &Ctx, text: &str) -> Result<u32> {
	let max = ctx.chain.constant(kasane::constants().restaking().max_commission()).await?.0;
	Ok(commission_within(text, max)?)
}

/// A commission in percent as Perbill parts, refused above `max` parts.
pub fn commission_within(text: &str, max: u32) -> Result<u32, BadInput> {
	// Perbill: 1 % = 10^7 parts per billion, so the percentage's magnitude / 10^9.
	let parts =
		u32::try_from(parse_percent(text)? / 1_000_000_000).expect("at most 100 %, 10^9 parts");
	if parts > max {
		return Err(BadInput(format!(
			"commission {} is over the chain's maximum of {}",
			format_percent(u128::from(parts) * 1_000_000_000),
			format_percent(u128::from(max) * 1_000_000_000)
		)));
	}
	Ok(parts)
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
			let parts = commission_parts(ctx, &commission).await?;
			let max_len =
				chain.constant(kasane::constants().restaking().max_metadata_len()).await?;
			ensure_fits("--metadata", &metadata, max_len)?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().restaking().register_operator(
				kasane::runtime_types::sp_arithmetic::per_things::Perbill(parts),
				kasane::runtime_types::bounded_collections::bounded_vec::BoundedVec(
					metadata.into_bytes(),
				),
				approval_required,
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "operator": chain.show_account(&signer.public_key().to_account_id()) }),
			);
		}
		OperatorCommand::SetCommission { percent } => {
			let parts = commission_parts(ctx, &percent).await?;
			let signer = ctx.signer.keypair()?;
			let who = signer.public_key().to_account_id();
			let record = chain
				.at_best()
				.await?
				.storage()
				.try_fetch(kasane::storage().restaking().operators(), (who,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| {
					BadInput(
						"the signer is not a registered operator: `kasane operator register`"
							.into(),
					)
				})?;
			// What the chain will compare with: a pending change that has come due counts as
			// applied (restaking matures it first).
			let now = chain.best_number().await?;
			let mut current = record.commission.0;
			if let Some(pending) = &record.pending_commission {
				if pending.effective_at > now {
					return Err(BadInput(format!(
						"a change to {} is pending until block #{} (in {}): one change at a time",
						format_percent(u128::from(pending.commission.0) * 1_000_000_000),
						pending.effective_at,
						chain.duration(pending.effective_at - now)
					))
					.into());
				}
				current = pending.commission.0;
			}
			let step =
				chain.constant(kasane::constants().restaking().max_commission_increase()).await?.0;
			if parts > current.saturating_add(step) {
				return Err(BadInput(format!(
					"a commission rises by at most {} at a time (from {} now)",
					format_percent(u128::from(step) * 1_000_000_000),
					format_percent(u128::from(current) * 1_000_000_000)
				))
				.into());
			}
			let call = kasane::transactions().restaking().update_operator(
				Some(kasane::runtime_types::sp_arithmetic::per_things::Perbill(parts)),
				None,
				None,
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let scheduled = sent
				.find::<kasane::restaking::events::CommissionChangeScheduled>()
				.map(|e| e.effective_at);
			if let Some(at) = scheduled {
				let now = chain.best_number().await?;
				ctx.out.progress(&format!(
					"the new commission applies from block #{at} (in {})",
					chain.duration(at.saturating_sub(now))
				));
				ctx.out.progress_done();
			}
			ctx.report(
				sent,
				json!({ "commission": format_percent(u128::from(parts) * 1_000_000_000), "effective_at": scheduled }),
			);
		}
		OperatorCommand::Update { metadata, approval_required } => {
			if metadata.is_none() && approval_required.is_none() {
				return Err(BadInput(
					"nothing to change: give --metadata, --approval-required, or both (the \
					 commission: `kasane operator set-commission`)"
						.into(),
				)
				.into());
			}
			if let Some(metadata) = &metadata {
				let max_len =
					chain.constant(kasane::constants().restaking().max_metadata_len()).await?;
				ensure_fits("--metadata", metadata, max_len)?;
			}
			let signer = ctx.signer.keypair()?;
			registered_operator(&chain.at_best().await?, signer.public_key().to_account_id())
				.await?;
			let call = kasane::transactions().restaking().update_operator(
				None,
				metadata.clone().map(|m| {
					kasane::runtime_types::bounded_collections::bounded_vec::BoundedVec(
						m.into_bytes(),
					)
				}),
				approval_required,
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "metadata": metadata, "approval_required": approval_required }),
			);
		}
		OperatorCommand::Approve { staker } => set_approval(ctx, &staker, true).await?,
		OperatorCommand::Revoke { staker } => set_approval(ctx, &staker, false).await?,
		OperatorCommand::Deregister => {
			let signer = ctx.signer.keypair()?;
			let operator = signer.public_key().to_account_id();
			let at = chain.at_best().await?;
			let view = registered_operator(&at, operator).await?;
			let record = at
				.storage()
				.try_fetch(kasane::storage().restaking().operators(), (operator,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			// A validator candidate is an operator without a record until it first acts as one.
			let native = record.is_none_or(|r| r.native);
			let now = u32::try_from(at.block_number())?;
			let assets = chain.assets().await?;
			let blockers =
				deregister_blockers(&view, native, now, &assets, |blocks| chain.duration(blocks));
			if !blockers.is_empty() {
				return Err(BadInput(format!(
					"the operator cannot leave yet:\n  - {}",
					blockers.join("\n  - ")
				))
				.into());
			}
			let call = kasane::transactions().restaking().deregister_operator();
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "operator": chain.show_account(&operator) }));
		}
		OperatorCommand::Info { who } => {
			let who = account_or_signer(ctx, who)?;
			let at = chain.at_best().await?;
			let view = at
				.runtime_apis()
				.call(kasane::runtime_apis().restaking_api().operator(who))
				.await?
				.0;
			let record = at
				.storage()
				.try_fetch(kasane::storage().restaking().operators(), (who,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			let assets = chain.assets().await?;
			// The block the view was read at: a change due by then and still pending is held
			// back by a pending slash (the view applies every other due change).
			let now = u32::try_from(at.block_number())?;
			// Allocations as shares of the stake: magnitudes out of the strategy's max magnitude.
			let max_of = |strategy: u32| {
				view.strategies
					.iter()
					.find(|s| s.strategy == strategy)
					.map(|s| s.max_magnitude)
					.unwrap_or(FULL_MAGNITUDE)
			};
			let share = |magnitude: u128, max: u128| {
				format_percent(mul_div(magnitude, FULL_MAGNITUDE, max, Rounding::Down).unwrap_or(0))
			};
			let stake_rows: Vec<Vec<String>> = view
				.strategies
				.iter()
				.map(|s| {
					let asset = asset_of(&assets, s.strategy);
					vec![
						asset.symbol.clone(),
						asset.show(s.delegated),
						asset.show(s.queued),
						share(s.encumbered, s.max_magnitude),
						format_percent(s.max_magnitude),
					]
				})
				.collect();
			let allocation_rows: Vec<Vec<String>> = view
				.allocations
				.iter()
				.map(|a| {
					let asset = asset_of(&assets, a.strategy);
					let max = max_of(a.strategy);
					let pending = match a.pending {
						Some((target, effective_at)) if effective_at <= now => {
							format!("{}, held by a pending slash", share(target, max))
						}
						Some((target, effective_at)) => format!(
							"{} in {}",
							share(target, max),
							chain.duration(effective_at - now)
						),
						None => "-".into(),
					};
					vec![
						show_set(&a.set),
						asset.symbol.clone(),
						share(a.magnitude, max),
						asset.show(a.allocated_stake),
						pending,
					]
				})
				.collect();
			let json = json!({
				"operator": chain.show_account(&who),
				"is_operator": view.is_operator,
				"commission_perbill": view.commission.deconstruct(),
				"commission": format_percent(u128::from(view.commission.deconstruct()) * 1_000_000_000),
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
					"pending": a.pending.map(|(target, effective_at)| json!({
						"magnitude": target.to_string(),
						"effective_at": effective_at,
						"held_by_slash": effective_at <= now,
					})),
				})).collect::<Vec<_>>(),
				"approval_required": record.as_ref().map(|r| r.approval_required),
				"approvals": record.as_ref().map(|r| r.approvals),
				"metadata": record.as_ref().map(|r| String::from_utf8_lossy(&r.metadata.0).into_owned()),
			});
			ctx.out.result(
				|| {
					if !view.is_operator {
						return format!("{} is not an operator", chain.show_account(&who));
					}
					let mut rows = vec![
						("operator", chain.show_account(&who)),
						(
							"commission",
							format_percent(
								u128::from(view.commission.deconstruct()) * 1_000_000_000,
							),
						),
					];
					if let Some(r) = &record {
						rows.push((
							"metadata",
							String::from_utf8_lossy(&r.metadata.0).into_owned(),
						));
						rows.push((
							"delegation",
							if r.approval_required {
								format!("approved stakers only ({} approved)", r.approvals)
							} else {
								"open to every staker".into()
							},
						));
					}
					let mut text = fields(&rows);
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
			let share = parse_percent(&percent)?;
			let asset = chain.asset(&asset).await?;
			let signer = ctx.signer.keypair()?;
			let at = chain.at_best().await?;
			let operator = signer.public_key().to_account_id();
			let view = at
				.runtime_apis()
				.call(kasane::runtime_apis().restaking_api().operator(operator))
				.await?
				.0;
			// Magnitudes count out of the operator's max magnitude, which slashes lower from 100 %:
			// a share of the stake is that share of the max magnitude.
			let max = view
				.strategies
				.iter()
				.find(|s| s.strategy == asset.strategy)
				.map(|s| s.max_magnitude)
				.unwrap_or(FULL_MAGNITUDE);
			let magnitude = mul_div(share, max, FULL_MAGNITUDE, Rounding::Down).unwrap_or(0);
			let call = kasane::transactions().restaking().modify_allocation(
				Static(set),
				asset.strategy,
				magnitude,
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let scheduled = sent.find::<kasane::restaking::events::AllocationScheduled>();
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
				sent,
				json!({
					"set": show_set(&set),
					"strategy": asset.strategy,
					"magnitude": magnitude.to_string(),
					"effective_at": scheduled.map(|s| s.effective_at),
				}),
			);
		}
		OperatorCommand::Join { set, avs_key, avs_key_file, scheme } => {
			let set = parse_set(&set)?;
			let avs_key = match (avs_key, avs_key_file) {
				(Some(suri), _) => suri,
				(None, Some(path)) => crate::keys::read_key_file(&path)?,
				(None, None) => {
					std::env::var("KASANE_AVS_SURI").ok().filter(|s| !s.is_empty()).ok_or_else(
						|| {
							BadInput("give the AVS key with --avs-key-file, KASANE_AVS_SURI or --avs-key".into())
						},
					)?
				}
			};
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
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "set": show_set(&set), "key": format!("0x{}", hex::encode(key.public())) }),
			);
		}
		OperatorCommand::Leave { set } => {
			let set = parse_set(&set)?;
			let signer = ctx.signer.keypair()?;
			let call =
				kasane::transactions().avs_registry().deregister_from_operator_set(Static(set));
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "set": show_set(&set) }));
		}
		OperatorCommand::Purge { set, operator } => {
			let set = parse_set(&set)?;
			let operator = account_or_signer(ctx, operator)?;
			// Refused before signing: the chain would refuse these too, for a fee.
			let at = chain.at_best().await?;
			let membership = at
				.storage()
				.try_fetch(kasane::storage().avs_registry().members(), (Static(set), operator))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| BadInput(format!("no record of it in set {}", show_set(&set))))?;
			let now = u32::try_from(at.block_number())?;
			match membership.slashable_until {
				None => {
					return Err(BadInput(format!(
						"it is a member of set {}: it leaves first (`kasane operator leave`)",
						show_set(&set)
					))
					.into())
				}
				Some(until) if until > now => {
					return Err(BadInput(format!(
						"set {} can slash it until block #{until} (in {})",
						show_set(&set),
						chain.duration(until - now)
					))
					.into())
				}
				Some(_) => {}
			}
			let call = kasane::transactions().avs_registry().purge_departed(Static(set), operator);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "set": show_set(&set), "operator": chain.show_account(&operator) }),
			);
		}
	}
	Ok(())
}

/// `who`'s operator view at `at`, or an error telling it to register first (a validator
/// candidate is an operator already).
async fn registered_operator(
	at: &crate::chain::AtBlock,
	who: subxt::utils::AccountId32,
) -> Result<kasane_primitives::restaking::OperatorView<u32>> {
	let view =
		at.runtime_apis().call(kasane::runtime_apis().restaking_api().operator(who)).await?.0;
	if !view.is_operator {
		return Err(BadInput(
			"the signer is not a registered operator: `kasane operator register`".into(),
		)
		.into());
	}
	Ok(view)
}

/// Approves `staker` to delegate to the signer, or withdraws the approval.
async fn set_approval(ctx: &Ctx, staker: &str, approved: bool) -> Result<()> {
	let chain = &ctx.chain;
	let staker = chain.parse_account(staker)?;
	let signer = ctx.signer.keypair()?;
	let operator = signer.public_key().to_account_id();
	let at = chain.at_best().await?;
	registered_operator(&at, operator).await?;
	// Refused before signing: the chain would refuse it too, for a fee.
	let is_approved = at
		.storage()
		.try_fetch(kasane::storage().restaking().delegation_approvals(), (operator, staker))
		.await?
		.is_some();
	if is_approved == approved {
		let state = if approved { "already" } else { "not" };
		return Err(BadInput(format!("{} is {state} approved", chain.show_account(&staker))).into());
	}
	let call = kasane::transactions().restaking().set_delegation_approval(staker, approved);
	let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
	ctx.report(sent, json!({ "staker": chain.show_account(&staker), "approved": approved }));
	Ok(())
}

/// What keeps an operator from deregistering, in words, from its view read at block `now`
/// (`native`: a validator's operator, registered by native staking for good). The view leaves out
/// withdrawals past their delay and applies due allocation changes, as deregistering does;
/// the chain has the last word.
fn deregister_blockers(
	view: &kasane_primitives::restaking::OperatorView<u32>,
	native: bool,
	now: u32,
	assets: &[crate::chain::Asset],
	duration: impl Fn(u32) -> String,
) -> Vec<String> {
	let mut blockers = Vec::new();
	if native {
		blockers.push(
			"it is a validator's operator, registered by native staking: such a record is never \
			 deregistered"
				.to_string(),
		);
	}
	for s in &view.strategies {
		let asset = asset_of(assets, s.strategy);
		if s.delegated > 0 {
			blockers.push(format!(
				"{} is delegated to it: its stakers must undelegate or redelegate",
				asset.show(s.delegated)
			));
		}
		if s.queued > 0 {
			blockers.push(format!(
				"{} is queued for withdrawal from it and still slashable",
				asset.show(s.queued)
			));
		}
	}
	for a in &view.allocations {
		let symbol = asset_of(assets, a.strategy).symbol;
		let set = show_set(&a.set);
		let to_zero = format!(
			"`kasane operator allocate {set} {symbol} 0`, then wait the deallocation delay"
		);
		match a.pending {
			Some((_, effective_at)) if effective_at <= now => blockers.push(format!(
				"its change of {symbol} to set {set} is held back by a pending slash of that set"
			)),
			Some((0, effective_at)) => blockers.push(format!(
				"its {symbol} allocation to set {set} ends in {} (block #{effective_at})",
				duration(effective_at - now)
			)),
			Some((_, effective_at)) => blockers.push(format!(
				"a change of its {symbol} allocation to set {set} applies in {}: then {to_zero}",
				duration(effective_at - now)
			)),
			// Ended, and not applied yet: deregistering applies it.
			None if a.magnitude == 0 => {}
			None => blockers.push(format!("it allocates {symbol} to set {set}: {to_zero}")),
		}
	}
	blockers
}

#[cfg(test)]
mod tests {
	use super::*;
	use kasane_primitives::restaking::{AllocationView, OperatorStrategyView, OperatorView};

	#[test]
	fn deregistering_waits_for_stake_and_allocations_but_not_for_an_ended_one() {
		let assets = [crate::chain::Asset {
			strategy: 1,
			asset_id: Some(1),
			symbol: "wstETH".into(),
			decimals: 18,
		}];
		let set = OperatorSetId { avs: 3, index: 0 };
		let allocation = |magnitude, pending| AllocationView {
			set,
			strategy: 1,
			magnitude,
			allocated_stake: 0,
			pending,
		};
		let view = |delegated, queued, allocations| OperatorView {
			is_operator: true,
			commission: sp_runtime::Perbill::zero(),
			strategies: vec![OperatorStrategyView {
				strategy: 1,
				delegated,
				queued,
				max_magnitude: FULL_MAGNITUDE,
				encumbered: 0,
			}],
			allocations,
		};
		let blockers = |view: &OperatorView<u32>, native| {
			deregister_blockers(view, native, 100, &assets, |blocks| format!("{blocks} blocks"))
		};
		assert!(blockers(&view(0, 0, vec![]), false).is_empty());
		// A decrease to zero that took effect and nobody applied: the view shows it ended.
		assert!(blockers(&view(0, 0, vec![allocation(0, None)]), false).is_empty());
		assert_eq!(
			blockers(&view(5 * 10u128.pow(18), 10u128.pow(18), vec![]), true),
			[
				"it is a validator's operator, registered by native staking: such a record is \
				 never deregistered",
				"5 wstETH is delegated to it: its stakers must undelegate or redelegate",
				"1 wstETH is queued for withdrawal from it and still slashable",
			]
		);
		let one = |alloc| blockers(&view(0, 0, vec![alloc]), false).join("");
		assert_eq!(
			one(allocation(7, Some((0, 130)))),
			"its wstETH allocation to set 3/0 ends in 30 blocks (block #130)"
		);
		assert_eq!(
			one(allocation(7, Some((0, 100)))),
			"its change of wstETH to set 3/0 is held back by a pending slash of that set"
		);
		assert!(one(allocation(7, None)).starts_with(
			"it allocates wstETH to set 3/0: `kasane operator allocate 3/0 wstETH 0`"
		));
		assert!(one(allocation(7, Some((9, 110)))).starts_with(
			"a change of its wstETH allocation to set 3/0 applies in 10 blocks: then"
		));
	}

	#[test]
	fn operator_sets_are_avs_and_index() {
		assert_eq!(parse_set("3/0").unwrap(), OperatorSetId { avs: 3, index: 0 });
		assert_eq!(parse_set(" 12 / 4 ").unwrap(), OperatorSetId { avs: 12, index: 4 });
		for bad in ["3", "3/", "/0", "a/b", "3/0/1", "-1/0"] {
			assert!(parse_set(bad).is_err(), "{bad}");
		}
	}
}
