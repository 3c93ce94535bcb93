//! `kasane restake`: a staker deposits LSTs, delegates them to an operator, queues and
//! completes withdrawals, and sees its positions and what pending slashes could take.

use crate::{
	chain::{Asset, Chain},
	error::BadInput,
	kasane,
	output::{fields, table},
	units::parse_amount,
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::{math::mul_div, restaking::StakerView};
use serde_json::json;
use sp_runtime::Rounding;
use subxt::utils::AccountId32;

#[derive(Subcommand)]
pub enum RestakeCommand {
	/// Deposit an LST into its restaking strategy (human units).
	///
	/// Example: kasane restake deposit wstETH 0.25
	Deposit { asset: String, amount: String },
	/// Delegate every position to an operator (its operator sets can then slash it).
	///
	/// Example: kasane restake delegate <operator address>
	Delegate { operator: String },
	/// Move every position to another operator: each is queued as a withdrawal that the new
	/// operator receives after the withdrawal delay (slashable by the old one until then).
	///
	/// Example: kasane restake redelegate <new operator address>
	Redelegate { operator: String },
	/// Leave the operator: every position is queued as a withdrawal that comes back as an
	/// undelegated position after the withdrawal delay (slashable by the operator until then).
	///
	/// Example: kasane restake undelegate
	Undelegate,
	/// Queue, list and complete withdrawals.
	#[command(subcommand)]
	Withdraw(WithdrawCommand),
	/// Rewards claimable per strategy and asset; `--claim` claims them all in one batch.
	///
	/// Example: kasane restake rewards --claim
	Rewards {
		#[arg(conflicts_with = "claim")]
		who: Option<String>,
		/// Claim every claimable reward of the signer (one `utility.batchAll`).
		#[arg(long)]
		claim: bool,
	},
	/// Positions per strategy, queued withdrawals and exposure to pending slashes.
	///
	/// Example: kasane restake position <address>
	Position { who: Option<String> },
}

#[derive(Subcommand)]
pub enum WithdrawCommand {
	/// Queue a withdrawal of `amount` (or `all`) of an asset; it stays slashable until it
	/// completes.
	///
	/// Example: kasane restake withdraw queue wstETH 1.5
	Queue { asset: String, amount: String },
	/// Queued withdrawals with the time left until each can complete.
	///
	/// Example: kasane restake withdraw list
	List { who: Option<String> },
	/// Complete a queued withdrawal whose delay has passed (a redelegation's lands with the
	/// new operator; anyone may land someone's with `--staker`).
	///
	/// Example: kasane restake withdraw complete 3
	Complete {
		id: u64,
		/// Whose redelegation to land (default: the signer's withdrawal).
		#[arg(long)]
		staker: Option<String>,
	},
}

pub async fn run(ctx: &Ctx, command: RestakeCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		RestakeCommand::Deposit { asset, amount } => {
			let asset = chain.asset(&asset).await?;
			if asset.asset_id.is_none() {
				return Err(BadInput(format!(
					"{} is restaked through native staking, not deposited: bond it and let your validator allocate it",
					asset.symbol
				))
				.into());
			}
			let amount = parse_amount(&amount, asset.decimals)?;
			if amount == 0 {
				return Err(BadInput("the amount must be more than zero".into()).into());
			}
			let signer = ctx.signer.keypair()?;
			chain.ensure_holds(&asset, signer.public_key().to_account_id(), amount).await?;
			let call = kasane::transactions().restaking().deposit(asset.strategy, amount);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "strategy": asset.strategy, "asset": asset.symbol, "amount": amount.to_string() }),
			);
		}
		RestakeCommand::Delegate { operator } => {
			let operator = chain.parse_account(&operator)?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().restaking().delegate_to(operator);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "operator": chain.show_account(&operator) }));
		}
		RestakeCommand::Withdraw(WithdrawCommand::Queue { asset, amount }) => {
			let asset = chain.asset(&asset).await?;
			let signer = ctx.signer.keypair()?;
			let view = staker(chain, signer.public_key().to_account_id()).await?;
			let position = view.positions.iter().find(|p| p.strategy == asset.strategy);
			let (shares, withdrawable) =
				position.map(|p| (p.deposit_shares, p.withdrawable)).unwrap_or((0, 0));
			let shares = if amount.eq_ignore_ascii_case("all") {
				shares
			} else {
				let wanted = parse_amount(&amount, asset.decimals)?;
				if wanted > withdrawable {
					return Err(BadInput(format!(
						"you can withdraw at most {} (asked {})",
						asset.show(withdrawable),
						asset.show(wanted)
					))
					.into());
				}
				// A share is worth withdrawable / deposit_shares (less than one unit after slashes).
				// Rounded up so this conversion does not shrink the withdrawal; the pallet rounds
				// the value down, so it can still come out a base unit under the amount.
				if withdrawable == 0 {
					0
				} else {
					mul_div(wanted, shares, withdrawable, Rounding::Up)
						.ok_or_else(|| anyhow::anyhow!("the position's shares overflow"))?
						.min(shares)
				}
			};
			if shares == 0 {
				return Err(BadInput(format!("you have no {} to withdraw", asset.symbol)).into());
			}
			let call = kasane::transactions().restaking().queue_withdrawal(asset.strategy, shares);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let id = sent.find::<kasane::restaking::events::WithdrawalQueued>().map(|q| q.id);
			ctx.report(
				sent,
				json!({ "strategy": asset.strategy, "shares": shares.to_string(), "id": id.map(|i| i.to_string()) }),
			);
		}
		RestakeCommand::Withdraw(WithdrawCommand::List { who }) => {
			let who = account_or_signer(ctx, who)?;
			let view = staker(chain, who).await?;
			let now = chain.best_number().await?;
			let assets = chain.assets().await?;
			let mut rows = Vec::new();
			let mut items = Vec::new();
			for w in &view.withdrawals {
				let asset = asset_of(&assets, w.strategy);
				let left = w.withdrawable_at.saturating_sub(now);
				let when = if left == 0 {
					"ready".to_string()
				} else {
					format!("in {}", chain.duration(left))
				};
				let operator = w
					.operator
					.as_ref()
					.map(|o| chain.show_account(o))
					.unwrap_or_else(|| "-".into());
				rows.push(vec![w.id.to_string(), asset.show(w.value), when, operator]);
				items.push(json!({
					"id": w.id.to_string(),
					"strategy": w.strategy,
					"asset": asset.symbol,
					"value": w.value.to_string(),
					"withdrawable_at": w.withdrawable_at,
					"blocks_left": left,
					"operator": w.operator.as_ref().map(|o| chain.show_account(o)),
					"redeposit": w.redeposit,
				}));
			}
			ctx.out.result(
				|| {
					if rows.is_empty() {
						"no queued withdrawals".into()
					} else {
						table(&["ID", "VALUE", "COMPLETES", "SLASHABLE BY"], &rows)
					}
				},
				json!({ "withdrawals": items }),
			);
		}
		RestakeCommand::Withdraw(WithdrawCommand::Complete { id, staker: owner }) => {
			let signer = ctx.signer.keypair()?;
			let owner = match owner {
				Some(text) => chain.parse_account(&text)?,
				None => signer.public_key().to_account_id(),
			};
			let view = staker(chain, owner).await?;
			let Some(withdrawal) = view.withdrawals.iter().find(|w| w.id == id) else {
				return Err(BadInput(format!(
					"{} has no queued withdrawal {id} (see `kasane restake withdraw list`)",
					chain.show_account(&owner)
				))
				.into());
			};
			// Only a redelegation can be landed for someone else: a plain withdrawal pays its
			// owner, who completes it (ids are per staker, so the signer's own id could match).
			if !withdrawal.redeposit && owner != signer.public_key().to_account_id() {
				return Err(BadInput(format!(
					"withdrawal {id} of {} pays out to its owner, who completes it; --staker lands redelegations only",
					chain.show_account(&owner)
				))
				.into());
			}
			let sent = if withdrawal.redeposit {
				let call = kasane::transactions().restaking().complete_redeposit(owner, id);
				chain.submit(&call, &signer, ctx.wait, &ctx.out).await?
			} else {
				let call = kasane::transactions().restaking().complete_withdrawal(id);
				chain.submit(&call, &signer, ctx.wait, &ctx.out).await?
			};
			ctx.report(
				sent,
				json!({ "id": id.to_string(), "staker": chain.show_account(&owner), "redeposit": withdrawal.redeposit }),
			);
		}
		RestakeCommand::Redelegate { operator } => {
			let operator = chain.parse_account(&operator)?;
			let signer = ctx.signer.keypair()?;
			let view = staker(chain, signer.public_key().to_account_id()).await?;
			if view.delegated_to.is_none() {
				return Err(BadInput(
					"you are not delegated to anyone: use `kasane restake delegate`".into(),
				)
				.into());
			}
			let call = kasane::transactions().restaking().redelegate(operator);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let moving = queued_withdrawals(&sent);
			ctx.report(
				sent,
				json!({ "operator": chain.show_account(&operator), "withdrawals": moving }),
			);
		}
		RestakeCommand::Undelegate => {
			let signer = ctx.signer.keypair()?;
			let view = staker(chain, signer.public_key().to_account_id()).await?;
			let Some(operator) = view.delegated_to else {
				return Err(BadInput("you are not delegated to anyone".into()).into());
			};
			let call = kasane::transactions().restaking().undelegate();
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let queued = queued_withdrawals(&sent);
			ctx.report(
				sent,
				json!({ "operator": chain.show_account(&operator), "withdrawals": queued }),
			);
		}
		RestakeCommand::Rewards { who, claim } => rewards(ctx, who, claim).await?,
		RestakeCommand::Position { who } => {
			let who = account_or_signer(ctx, who)?;
			let view = staker(chain, who).await?;
			let assets = chain.assets().await?;
			let at = chain.at_best().await?;
			let exposure = at
				.runtime_apis()
				.call(kasane::runtime_apis().slashing_api().staker_exposure(who))
				.await?;
			let delegated = view.delegated_to.as_ref().map(|o| chain.show_account(o));
			let mut rows = Vec::new();
			let mut positions = Vec::new();
			for p in &view.positions {
				let asset = asset_of(&assets, p.strategy);
				let queued: u128 = view
					.withdrawals
					.iter()
					.filter(|w| w.strategy == p.strategy)
					.map(|w| w.value)
					.sum();
				rows.push(vec![
					asset.symbol.clone(),
					asset.show(p.withdrawable),
					asset.show(queued),
				]);
				positions.push(json!({
					"strategy": p.strategy,
					"asset": asset.symbol,
					"shares": p.deposit_shares.to_string(),
					"value": p.withdrawable.to_string(),
					"queued": queued.to_string(),
				}));
			}
			let now = chain.best_number().await?;
			let mut exposed_rows = Vec::new();
			let mut exposed = Vec::new();
			for e in exposure.iter() {
				let slash = &e.slash;
				for (strategy, cost) in &e.cost {
					let asset = match strategy {
						Some(s) => asset_of(&assets, *s),
						None => chain.native.clone(),
					};
					let left = slash.executes_at.saturating_sub(now);
					exposed_rows.push(vec![
						slash.id.to_string(),
						chain.show_account(&slash.operator),
						asset.show(*cost),
						format!("executes in {}", chain.duration(left)),
					]);
					exposed.push(json!({
						"slash": slash.id.to_string(),
						"operator": chain.show_account(&slash.operator),
						"strategy": strategy,
						"cost": cost.to_string(),
						"executes_at": slash.executes_at,
						"blocks_left": left,
					}));
				}
			}
			ctx.out.result(
				|| {
					let mut text = fields(&[
						("address", chain.show_account(&who)),
						("delegated to", delegated.clone().unwrap_or_else(|| "nobody".into())),
					]);
					if !rows.is_empty() {
						text += "\n\n";
						text += &table(&["ASSET", "ACTIVE", "QUEUED (SLASHABLE)"], &rows);
					}
					text += "\n\n";
					text += &if exposed_rows.is_empty() {
						"no pending slash reaches this stake".to_string()
					} else {
						table(&["PENDING SLASH", "OPERATOR", "COULD TAKE", "WHEN"], &exposed_rows)
					};
					text
				},
				json!({
					"address": chain.show_account(&who),
					"delegated_to": delegated,
					"positions": positions,
					"exposure": exposed,
				}),
			);
		}
	}
	Ok(())
}

/// `restake rewards`: what `RestakingApi::claimable_rewards` reports for each strategy the
/// staker holds, and with `--claim` one batch claiming it all.
async fn rewards(ctx: &Ctx, who: Option<String>, claim: bool) -> Result<()> {
	use kasane::runtime_types::{
		frame_support::traits::tokens::fungible::union_of::NativeOrWithId,
		kasane_runtime::RuntimeCall, pallet_restaking::pallet::Call as RestakingCall,
	};
	let chain = &ctx.chain;
	let who = if claim {
		ctx.signer.keypair()?.public_key().to_account_id()
	} else {
		account_or_signer(ctx, who)?
	};
	let assets = chain.assets().await?;
	let at = chain.at_best().await?;
	let mut rows = Vec::new();
	let mut items = Vec::new();
	let mut calls = Vec::new();
	// Every strategy, not only those held now: rewards earned before a full withdrawal stay.
	for staked in &assets {
		let claimable = at
			.runtime_apis()
			.call(kasane::runtime_apis().restaking_api().claimable_rewards(who, staked.strategy))
			.await?;
		for (asset, amount) in claimable {
			if amount == 0 {
				continue;
			}
			let paid_in = match &asset {
				NativeOrWithId::Native => chain.native.clone(),
				NativeOrWithId::WithId(id) => {
					assets.iter().find(|a| a.asset_id == Some(*id)).cloned().unwrap_or_else(|| {
						Asset {
							strategy: u32::MAX,
							asset_id: Some(*id),
							symbol: format!("asset {id}"),
							decimals: 0,
						}
					})
				}
			};
			rows.push(vec![staked.symbol.clone(), paid_in.show(amount)]);
			items.push(json!({
				"strategy": staked.strategy,
				"staked": staked.symbol,
				"asset": paid_in.symbol,
				"asset_id": paid_in.asset_id,
				"amount": amount.to_string(),
			}));
			calls.push(RuntimeCall::Restaking(RestakingCall::claim_rewards {
				strategy: staked.strategy,
				asset,
			}));
		}
	}
	if !claim {
		ctx.out.result(
			|| {
				if rows.is_empty() {
					"no rewards to claim".into()
				} else {
					table(&["STAKED", "CLAIMABLE"], &rows)
				}
			},
			json!({ "address": chain.show_account(&who), "rewards": items }),
		);
		return Ok(());
	}
	if calls.is_empty() {
		return Err(BadInput("you have no rewards to claim".into()).into());
	}
	let signer = ctx.signer.keypair()?;
	let call = kasane::transactions().utility().batch_all(calls);
	let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
	ctx.report(sent, json!({ "claimed": items }));
	Ok(())
}

/// The ids of the withdrawals a transaction queued (none before it is in a block).
fn queued_withdrawals(sent: &crate::chain::Sent) -> Vec<String> {
	sent.events
		.iter()
		.flat_map(|events| events.find::<kasane::restaking::events::WithdrawalQueued>())
		.filter_map(|e| e.ok())
		.map(|e| e.id.to_string())
		.collect()
}

/// The account named on the command line, or else the signer's.
pub fn account_or_signer(ctx: &Ctx, who: Option<String>) -> Result<AccountId32> {
	Ok(match who {
		Some(text) => ctx.chain.parse_account(&text)?,
		None if ctx.signer.is_given() => ctx.signer.keypair()?.public_key().to_account_id(),
		None => {
			return Err(BadInput(
				"whose? give an address, or your account with --suri, --key-file or KASANE_SURI"
					.into(),
			)
			.into())
		}
	})
}

/// `RestakingApi::staker` at the best block.
pub async fn staker(chain: &Chain, who: AccountId32) -> Result<StakerView<AccountId32, u32>> {
	let at = chain.at_best().await?;
	Ok(at.runtime_apis().call(kasane::runtime_apis().restaking_api().staker(who)).await?.0)
}

/// The asset of `strategy` in `assets`, or a placeholder naming the strategy.
pub fn asset_of(assets: &[Asset], strategy: u32) -> Asset {
	assets.iter().find(|a| a.strategy == strategy).cloned().unwrap_or(Asset {
		strategy,
		asset_id: None,
		symbol: format!("strategy {strategy}"),
		decimals: 0,
	})
}
