//! `kasane stake`: native staking of KSN. A staker's active stake is shares of one validator's
//! pool; unbonding stake waits in the pool's unbond pool for its era; rewards are claimed.

use crate::{
	kasane,
	output::{fields, table},
	restake::account_or_signer,
	units::parse_amount,
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::math::mul_div;
use serde_json::json;
use sp_runtime::Rounding;

/// One in `FixedU128`.
const FIXED_ONE: u128 = 1_000_000_000_000_000_000;

#[derive(Subcommand)]
pub enum StakeCommand {
	/// Bond KSN as the signer's own self-bond (`kasane validator join` bonds, validates and
	/// sets session keys in one go).
	///
	/// Example: kasane stake bond 10000
	Bond { amount: String },
	/// Delegate KSN to a validator's pool.
	///
	/// Example: kasane stake delegate <validator address> 100
	Delegate { validator: String, amount: String },
	/// Start unbonding KSN; it stays slashable and can be withdrawn after the bonding duration.
	///
	/// Example: kasane stake unbond 40
	Unbond { amount: String },
	/// Withdraw every unbonded chunk whose era has come.
	///
	/// Example: kasane stake withdraw
	Withdraw,
	/// Claim settled staking rewards.
	///
	/// Example: kasane stake claim
	Claim,
	/// A validator's pool: stake, self-bond, members, commission, slashes and election state.
	///
	/// Example: kasane stake pool <validator address>
	Pool { validator: String },
	/// A staker's pool, active stake, unbonding chunks and unclaimed rewards.
	///
	/// Example: kasane stake info <address>
	Info { who: Option<String> },
}

pub async fn run(ctx: &Ctx, command: StakeCommand) -> Result<()> {
	let chain = &ctx.chain;
	let decimals = chain.native.decimals;
	let staking = || kasane::transactions().staking();
	match command {
		StakeCommand::Bond { amount } => {
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let sent = chain.submit(&staking().bond(amount), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "amount": amount.to_string() }));
		}
		StakeCommand::Delegate { validator, amount } => {
			let validator = chain.parse_account(&validator)?;
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let call = staking().delegate(validator, amount);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "validator": chain.show_account(&validator), "amount": amount.to_string() }),
			);
		}
		StakeCommand::Unbond { amount } => {
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let sent = chain.submit(&staking().unbond(amount), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "amount": amount.to_string() }));
		}
		StakeCommand::Withdraw => {
			let signer = ctx.signer.keypair()?;
			let sent =
				chain.submit(&staking().withdraw_unbonded(), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({}));
		}
		StakeCommand::Claim => {
			let signer = ctx.signer.keypair()?;
			let sent =
				chain.submit(&staking().claim_rewards(), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({}));
		}
		StakeCommand::Pool { validator } => {
			let validator = chain.parse_account(&validator)?;
			let at = chain.at_best().await?;
			let storage = at.storage();
			let pool = storage
				.try_fetch(kasane::storage().staking().pools(), (validator,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| {
					crate::error::BadInput(format!(
						"{} has no pool: it never bonded as a validator",
						chain.show_account(&validator)
					))
				})?;
			let prefs = storage
				.try_fetch(kasane::storage().staking().validators(), (validator,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			let active = storage
				.fetch(kasane::storage().staking().active_validators(), ())
				.await?
				.decode()?;
			let elected = active.0.iter().any(|e| e.validator == validator);
			let self_bond = if pool.shares == 0 {
				0
			} else {
				mul_div(pool.owner_shares, pool.active, pool.shares, Rounding::Down).unwrap_or(0)
			};
			let commission = prefs.as_ref().or(pool.prefs.as_ref()).map(|p| p.commission.0);
			let show = |amount: u128| {
				format!("{} {}", crate::units::format_amount(amount, decimals), chain.native.symbol)
			};
			let percent =
				|parts: u32| crate::units::format_percent(u128::from(parts) * 1_000_000_000);
			ctx.out.result(
				|| {
					fields(&[
						("validator", chain.show_account(&validator)),
						("stake", show(pool.active)),
						("self-bond", show(self_bond)),
						("delegated", show(pool.active.saturating_sub(self_bond))),
						("members", pool.members.to_string()),
						("commission", commission.map(percent).unwrap_or_else(|| "-".into())),
						("candidate", if prefs.is_some() { "yes" } else { "no (chilled)" }.into()),
						("validating this era", if elected { "yes" } else { "no" }.into()),
						("slashes", pool.slashes.to_string()),
					])
				},
				json!({
					"validator": chain.show_account(&validator),
					"stake": pool.active.to_string(),
					"self_bond": self_bond.to_string(),
					"shares": pool.shares.to_string(),
					"members": pool.members,
					"commission": commission.map(percent),
					"candidate": prefs.is_some(),
					"active": elected,
					"slashes": pool.slashes,
				}),
			);
		}
		StakeCommand::Info { who } => {
			let who = account_or_signer(ctx, who)?;
			let at = chain.at_best().await?;
			let storage = at.storage();
			let ledger = storage
				.try_fetch(kasane::storage().staking().ledgers(), (who,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			let Some(ledger) = ledger else {
				ctx.out.result(
					|| format!("{} does not stake", chain.show_account(&who)),
					json!({ "address": chain.show_account(&who), "staking": false }),
				);
				return Ok(());
			};
			let pool = storage
				.fetch(kasane::storage().staking().pools(), (ledger.pool,))
				.await?
				.decode()?;
			// Shares are worth the pool's active stake pro rata; down, as the pallet pays.
			let active =
				mul_div(ledger.shares, pool.active, pool.shares, Rounding::Down).unwrap_or(0);
			// What a claim pays: rewards settled into the ledger, plus those accrued per share
			// since its snapshot (FixedU128, 10^18 = 1), as the pallet's `claimable_rewards`.
			let accrued_per_share =
				pool.reward_per_share.0.saturating_sub(ledger.reward_snapshot.0);
			let unclaimed = ledger.pending_rewards.saturating_add(
				mul_div(accrued_per_share, ledger.shares, FIXED_ONE, Rounding::Down).unwrap_or(0),
			);
			let era = storage
				.try_fetch(kasane::storage().staking().active_era(), ())
				.await?
				.map(|v| v.decode())
				.transpose()?
				.map(|e| e.index)
				.unwrap_or(0);
			let mut chunks = Vec::new();
			for chunk in &ledger.unbonding.0 {
				let unbond_pool = storage
					.try_fetch(kasane::storage().staking().unbond_pools(), (chunk.pool, chunk.era))
					.await?
					.map(|v| v.decode())
					.transpose()?;
				let value = unbond_pool
					.map(|p| mul_div(chunk.shares, p.stake, p.shares, Rounding::Down).unwrap_or(0))
					.unwrap_or(0);
				chunks.push((chunk.era, value));
			}
			// When an unlock era starts, from the era clock: eras are whole sessions of
			// `session_length` blocks, rotating at multiples of it.
			let staking = kasane::storage().staking();
			let length: u32 = storage.fetch(staking.session_length(), ()).await?.decode()?;
			let per_era: u32 = storage.fetch(staking.sessions_per_era(), ()).await?.decode()?;
			let session: u32 =
				storage.fetch(kasane::storage().session().current_index(), ()).await?.decode()?;
			let era_start = storage
				.try_fetch(staking.eras_start_session_index(), (era,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.unwrap_or(session);
			let best: u32 =
				storage.fetch(kasane::storage().system().number(), ()).await?.decode()?;
			let into_era = session
				.saturating_sub(era_start)
				.saturating_mul(length)
				.saturating_add(best % length.max(1));
			let blocks_to = |unlock: u32| {
				unlock
					.saturating_sub(era)
					.saturating_mul(per_era)
					.saturating_mul(length)
					.saturating_sub(into_era)
			};
			let native = &chain.native;
			let rows: Vec<Vec<String>> = chunks
				.iter()
				.map(|(unlock, value)| {
					let when = if *unlock <= era {
						"withdrawable".to_string()
					} else {
						format!("era {unlock} (≈ {})", chain.duration(blocks_to(*unlock)))
					};
					vec![native.show(*value), when]
				})
				.collect();
			let json = json!({
				"address": chain.show_account(&who),
				"staking": true,
				"pool": chain.show_account(&ledger.pool),
				"shares": ledger.shares.to_string(),
				"active": active.to_string(),
				"held": ledger.held.to_string(),
				"unclaimed_rewards": unclaimed.to_string(),
				"era": era,
				"unbonding": chunks.iter().map(|(unlock, value)| json!({
					"unlock_era": unlock,
					"unlocks_in_blocks": blocks_to(*unlock),
					"value": value.to_string(),
				})).collect::<Vec<_>>(),
			});
			ctx.out.result(
				|| {
					let mut text = fields(&[
						("address", chain.show_account(&who)),
						("pool", chain.show_account(&ledger.pool)),
						("active", native.show(active)),
						("held", native.show(ledger.held)),
						("unclaimed rewards", native.show(unclaimed)),
					]);
					if !rows.is_empty() {
						text += "\n\n";
						text += &table(&["UNBONDING", "UNLOCKS"], &rows);
					}
					text
				},
				json,
			);
		}
	}
	Ok(())
}
