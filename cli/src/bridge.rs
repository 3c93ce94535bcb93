//! `kasane bridge`: the LST bridge from Kasane's side: its mode, attesters and mirrored
//! tokens, an LST's attested rate, where a vault deposit stands (minting one that waits, or
//! proving one by its receipt), withdrawals to Ethereum, what `KasaneVault.release` needs
//! to pay one out, and attesters recorded as contradicting a quorum (reporting one).

mod contradictions;
mod deposit;
mod prove;

use crate::{
	chain::{pick_asset, Asset},
	error::BadInput,
	kasane,
	output::{fields, table},
	units::{format_amount, format_percent, parse_amount},
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::math::mul_div;
use serde_json::json;
use sp_runtime::Rounding;
use subxt::utils::H160;

/// Wei per ETH, and the base units a bridge rate is quoted for.
const ETHER: u128 = 1_000_000_000_000_000_000;

#[derive(Subcommand)]
pub enum BridgeCommand {
	/// The bridge's mode, Ethereum vault, attesters and mirrored tokens with their caps.
	///
	/// Example: kasane bridge status
	Status,
	/// An LST's exchange rate to ETH as the attesters reported it, with its haircut (an asset
	/// by symbol or asset id).
	///
	/// Example: kasane bridge rate wstETH
	Rate { asset: String },
	/// Where a vault deposit stands on Kasane (by the nonce of its `Deposited` event), and what
	/// it waits for if it is not minted.
	///
	/// Example: kasane bridge deposit 12
	Deposit { nonce: u64 },
	/// Mint a deposit that waits (the bridge was paused, the token's cap was reached, the
	/// recipient could not receive it, or it was above the 24-hour limit) once what held it back
	/// is over. Anyone may.
	///
	/// Example: kasane bridge retry 12
	Retry { nonce: u64 },
	/// Mint a vault deposit by the proof of its receipt, without waiting for a relayer to prove
	/// it: found on Ethereum by its nonce, under a finalized block whose header the attesters
	/// signed, or under a beacon policy a block the beacon light client finalized (with
	/// --beacon-api). Anyone may; Kasane checks the proof against the header it trusts.
	///
	/// Example: kasane bridge prove 12 --eth-rpc http://127.0.0.1:8545
	Prove {
		nonce: u64,
		/// Ethereum JSON-RPC URL (http:// or https://) [default: ETH_RPC_URL].
		#[arg(long)]
		eth_rpc: Option<String>,
		/// The Ethereum block the deposit is in (else it is searched for).
		#[arg(long)]
		block: Option<u64>,
		/// The first Ethereum block searched [default: 100 000 blocks below the head].
		#[arg(long)]
		from_block: Option<u64>,
		/// Under a beacon policy: the beacon node (standard Beacon API, debug namespace on,
		/// http:// or https://) whose blocks the deposit is proven under. The light-client
		/// updates it needs are submitted first, by the same account.
		#[arg(long)]
		beacon_api: Option<String>,
	},
	/// Attesters Kasane recorded as signing other contents than a quorum decided (a deposit
	/// nonce, or a header of an Ethereum block), each waiting to be reported and slashed, and
	/// whether slashing can follow now.
	///
	/// Example: kasane bridge contradictions
	Contradictions,
	/// Have a recorded attester slashed through the operator set it was drawn from when it
	/// signed (the operator whose registered key signed). Anyone may; free when it slashes.
	/// Relayers do it too.
	///
	/// Example: kasane bridge report header 19000000 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
	Report {
		kind: contradictions::RecordKind,
		/// The deposit nonce, or the Ethereum block number.
		round: u64,
		/// The attester's Ethereum address, as the record lists it.
		attester: String,
	},
	/// Burn a mirrored LST on Kasane to have the vault release it to an Ethereum address
	/// (once the attesters signed it: see `kasane bridge withdrawal <nonce>`).
	///
	/// Example: kasane bridge withdraw wstETH 1.5 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
	Withdraw { asset: String, amount: String, recipient: String },
	/// A withdrawal's release message and attester signatures, and the `cast send` line that
	/// pays it out on Ethereum once they reach the vault's quorum.
	///
	/// Example: kasane bridge withdrawal 4 --beneficiary <your Kasane address>
	Withdrawal {
		nonce: u64,
		/// The Kasane account owed the withdrawal's fee for releasing it (default: the
		/// signer's account).
		#[arg(long)]
		beneficiary: Option<String>,
	},
}

pub async fn run(ctx: &Ctx, command: BridgeCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		BridgeCommand::Status => status(ctx).await?,
		BridgeCommand::Rate { asset } => {
			let asset = lst(ctx, &asset).await?;
			let id = asset.asset_id.expect("an LST has an asset id");
			let at = chain.at_best().await?;
			let rate = at
				.runtime_apis()
				.call(kasane::runtime_apis().lst_bridge_api().rate(id))
				.await?
				.ok_or_else(|| anyhow::anyhow!("no rate was ever reported for {}", asset.symbol))?;
			// Rates are ETH (wei) per 10^18 base units: shown as ETH per whole token.
			let unit = 10u128.checked_pow(asset.decimals.into()).unwrap_or(u128::MAX);
			let per_token =
				|rate: u128| mul_div(rate, unit, ETHER, Rounding::Down).unwrap_or(u128::MAX);
			ctx.out.result(
				|| {
					fields(&[
						("asset", asset.symbol.clone()),
						(
							"rate",
							format!(
								"{} ETH per {}",
								format_amount(per_token(rate.rate), 18),
								asset.symbol
							),
						),
						(
							"valued at",
							format!(
								"{} ETH (after the haircut)",
								format_amount(per_token(rate.haircut_rate), 18)
							),
						),
						("reported at", format!("Ethereum time {} s", rate.reported_at)),
						(
							"fresh",
							if rate.stale {
								"no: stale, deposits of it wait".into()
							} else {
								"yes".into()
							},
						),
					])
				},
				json!({
					"asset": asset.symbol,
					"asset_id": id,
					"rate": rate.rate.to_string(),
					"haircut_rate": rate.haircut_rate.to_string(),
					"reported_at": rate.reported_at,
					"stale": rate.stale,
				}),
			);
		}
		BridgeCommand::Withdraw { asset, amount, recipient } => {
			let recipient = parse_eth_address(&recipient)?;
			if recipient == H160::zero() {
				return Err(BadInput("the zero address cannot receive a release".into()).into());
			}
			let asset = lst(ctx, &asset).await?;
			let id = asset.asset_id.expect("an LST has an asset id");
			let amount = parse_amount(&amount, asset.decimals)?;
			let signer = ctx.signer.keypair()?;
			chain.ensure_holds(&asset, signer.public_key().to_account_id(), amount).await?;
			let at = chain.at_best().await?;
			let token = at
				.storage()
				.try_fetch(kasane::storage().lst_bridge().asset_tokens(), (id,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| {
					BadInput(format!("{} is not bridged from Ethereum", asset.symbol))
				})?;
			let info = at
				.storage()
				.fetch(kasane::storage().lst_bridge().tokens(), (token,))
				.await?
				.decode()?;
			if amount == 0 || amount < info.min_withdrawal {
				return Err(BadInput(format!(
					"a withdrawal to Ethereum takes at least {} (each costs a release transaction there)",
					asset.show(info.min_withdrawal)
				))
				.into());
			}
			let call =
				kasane::transactions().lst_bridge().withdraw_to_ethereum(id, amount, recipient);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let nonce =
				sent.find::<kasane::lst_bridge::events::WithdrawalRequested>().map(|e| e.nonce);
			ctx.report(
				sent,
				json!({
					"nonce": nonce.map(|n| n.to_string()),
					"asset": asset.symbol,
					"amount": amount.to_string(),
					"recipient": format!("{recipient:?}"),
				}),
			);
		}
		BridgeCommand::Contradictions => contradictions::list(ctx).await?,
		BridgeCommand::Report { kind, round, attester } => {
			contradictions::report(ctx, kind, round, &attester).await?
		}
		BridgeCommand::Deposit { nonce } => deposit::show(ctx, nonce).await?,
		BridgeCommand::Retry { nonce } => deposit::retry(ctx, nonce).await?,
		BridgeCommand::Prove { nonce, eth_rpc, block, from_block, beacon_api } => {
			prove::run(ctx, nonce, eth_rpc, block, from_block, beacon_api).await?
		}
		BridgeCommand::Withdrawal { nonce, beneficiary } => {
			withdrawal(ctx, nonce, beneficiary).await?
		}
	}
	Ok(())
}

/// A token the bridge mirrors, by its symbol or asset id (native KSN never crosses it).
async fn lst(ctx: &Ctx, name: &str) -> Result<Asset> {
	let chain = &ctx.chain;
	let at = chain.at_best().await?;
	let mut tokens = at.storage().iter(kasane::storage().lst_bridge().tokens(), ()).await?;
	let mut mirrored = Vec::new();
	while let Some(entry) = tokens.next().await {
		let info = entry?.value().decode()?;
		let symbol = at
			.storage()
			.try_fetch(kasane::storage().assets().metadata(), (info.asset,))
			.await?
			.map(|v| v.decode())
			.transpose()?
			.map(|m| String::from_utf8_lossy(&m.symbol.0).into_owned())
			.filter(|s| !s.is_empty())
			.unwrap_or_else(|| format!("asset {}", info.asset));
		mirrored.push(Asset {
			strategy: u32::MAX,
			asset_id: Some(info.asset),
			symbol,
			decimals: info.decimals,
		});
	}
	if let Some(asset) = pick_asset(&mirrored, name, |a| a.asset_id, "asset id")? {
		return Ok(asset.clone());
	}
	if name.eq_ignore_ascii_case(&chain.native.symbol) {
		return Err(BadInput(format!(
			"{} is Kasane's own token: it does not cross the bridge",
			chain.native.symbol
		))
		.into());
	}
	let known = if mirrored.is_empty() {
		"nothing yet".to_string()
	} else {
		mirrored.iter().map(|a| a.symbol.as_str()).collect::<Vec<_>>().join(", ")
	};
	Err(BadInput(format!("{name} is not bridged from Ethereum (the bridge mirrors {known})"))
		.into())
}

/// Mirrored asset `id` as `assets` (the restakable ones) name it, else by its id.
fn mirrored_asset(assets: &[Asset], id: u32, decimals: u8) -> Asset {
	assets.iter().find(|a| a.asset_id == Some(id)).cloned().unwrap_or(Asset {
		strategy: u32::MAX,
		asset_id: Some(id),
		symbol: format!("asset {id}"),
		decimals,
	})
}

/// Why the bridge API shows no withdrawal `nonce`: it is `stored` but the bridge lacks an
/// endpoint or attesters, was never requested (`last` is the latest nonce), or was released
/// and pruned.
fn missing_withdrawal(nonce: u64, stored: bool, last: u64) -> String {
	if stored {
		format!(
			"withdrawal {nonce} waits for the bridge to be configured (an Ethereum endpoint and \
			 attesters)"
		)
	} else if nonce == 0 || nonce > last {
		format!("no withdrawal {nonce} was ever requested (the latest is {last})")
	} else {
		format!("withdrawal {nonce} was released on Ethereum and has been pruned since")
	}
}

/// `0x` and 40 hex digits.
pub fn parse_eth_address(text: &str) -> Result<H160, BadInput> {
	let bad = || BadInput(format!("Ethereum address `{text}`: write 0x and 40 hex digits"));
	let hex = text.trim().strip_prefix("0x").ok_or_else(bad)?;
	let bytes = hex::decode(hex).map_err(|_| bad())?;
	let bytes = <[u8; 20]>::try_from(bytes).map_err(|_| bad())?;
	Ok(H160(bytes))
}

async fn status(ctx: &Ctx) -> Result<()> {
	let chain = &ctx.chain;
	let at = chain.at_best().await?;
	let storage = at.storage();
	let mode = storage.fetch(kasane::storage().lst_bridge().mode(), ()).await?.decode()?;
	let endpoint = storage
		.try_fetch(kasane::storage().lst_bridge().endpoint(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let guardian = storage
		.try_fetch(kasane::storage().lst_bridge().guardian(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let last_withdrawal = storage
		.fetch(kasane::storage().lst_bridge().last_withdrawal_nonce(), ())
		.await?
		.decode()?;
	let attesters =
		at.runtime_apis().call(kasane::runtime_apis().lst_bridge_api().attesters()).await?;
	let assets = chain.assets().await?;
	let mut tokens = storage.iter(kasane::storage().lst_bridge().tokens(), ()).await?;
	let mut rows = Vec::new();
	let mut items = Vec::new();
	while let Some(entry) = tokens.next().await {
		let entry = entry?;
		let (token,) = entry.key()?.decode()?;
		let info = entry.value().decode()?;
		let asset = mirrored_asset(&assets, info.asset, info.decimals);
		let outstanding = info.minted.saturating_sub(info.burned);
		rows.push(vec![
			asset.symbol.clone(),
			format!("{token:?}"),
			asset.show(outstanding),
			asset.show(info.cap),
			asset.show(info.daily_limit),
			format_percent(u128::from(info.haircut.0) * 1_000_000_000),
		]);
		items.push(json!({
			"asset": asset.symbol,
			"asset_id": info.asset,
			"token": format!("{token:?}"),
			"outstanding": outstanding.to_string(),
			"cap": info.cap.to_string(),
			"daily_limit": info.daily_limit.to_string(),
			"min_withdrawal": info.min_withdrawal.to_string(),
			"haircut": format_percent(u128::from(info.haircut.0) * 1_000_000_000),
		}));
	}
	let mode = format!("{mode:?}");
	let vault = endpoint.as_ref().map(|e| format!("{:?} on chain {}", e.vault, e.chain_id));
	let attester_line = attesters.as_ref().map(|a| {
		format!(
			"{} (quorum {}, vault set {}{})",
			a.members.len(),
			a.quorum,
			a.vault_set_id,
			a.operator_set
				.as_ref()
				.map(|s| format!(", operator set {}/{}", s.avs, s.index))
				.unwrap_or_default()
		)
	});
	ctx.out.result(
		|| {
			let mut text = fields(&[
				("mode", mode.clone()),
				("vault", vault.clone().unwrap_or_else(|| "not set".into())),
				("attesters", attester_line.clone().unwrap_or_else(|| "none".into())),
				("guardian", guardian.as_ref().map(|g| chain.show_account(g)).unwrap_or_else(|| "none".into())),
				("withdrawals", format!("{last_withdrawal} so far")),
			]);
			if !rows.is_empty() {
				text += "\n\n";
				text += &table(&["ASSET", "ETHEREUM TOKEN", "OUTSTANDING", "CAP", "PER 24 H", "HAIRCUT"], &rows);
			}
			text
		},
		json!({
			"mode": mode,
			"chain_id": endpoint.as_ref().map(|e| e.chain_id),
			"vault": endpoint.as_ref().map(|e| format!("{:?}", e.vault)),
			"attesters": attesters.as_ref().map(|a| a.members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>()),
			"quorum": attesters.as_ref().map(|a| a.quorum),
			"vault_set_id": attesters.as_ref().map(|a| a.vault_set_id),
			"guardian": guardian.as_ref().map(|g| chain.show_account(g)),
			"last_withdrawal": last_withdrawal.to_string(),
			"tokens": items,
		}),
	);
	Ok(())
}

async fn withdrawal(ctx: &Ctx, nonce: u64, beneficiary: Option<String>) -> Result<()> {
	let chain = &ctx.chain;
	let beneficiary = match beneficiary {
		Some(text) => Some(chain.parse_account(&text)?),
		None if ctx.signer.is_given() => Some(ctx.signer.keypair()?.public_key().to_account_id()),
		None => None,
	};
	let at = chain.at_best().await?;
	let Some(view) =
		at.runtime_apis().call(kasane::runtime_apis().lst_bridge_api().withdrawal(nonce)).await?
	else {
		let stored = at
			.storage()
			.try_fetch(kasane::storage().lst_bridge().withdrawals(), (nonce,))
			.await?
			.is_some();
		let last: u64 = at
			.storage()
			.fetch(kasane::storage().lst_bridge().last_withdrawal_nonce(), ())
			.await?
			.decode()?;
		return Err(BadInput(missing_withdrawal(nonce, stored, last)).into());
	};
	let endpoint = at
		.storage()
		.try_fetch(kasane::storage().lst_bridge().endpoint(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let w = &view.withdrawal;
	let signatures: Vec<String> =
		view.signatures.iter().map(|s| format!("0x{}", hex::encode(s.0))).collect();
	let state = if view.released {
		"released on Ethereum"
	} else if view.ready {
		"ready: release it on Ethereum"
	} else {
		"waiting for attester signatures"
	};
	// `release((uint64,address,address,uint256),bytes[],bytes32)`; the beneficiary is the
	// Kasane account (32 bytes) owed the fee once the release is attested back.
	let cast = match (&endpoint, &beneficiary) {
		(Some(endpoint), Some(beneficiary)) if view.ready && !view.released => Some(format!(
			"cast send {:?} 'release((uint64,address,address,uint256),bytes[],bytes32)' '({},{:?},{:?},{})' '[{}]' 0x{} --rpc-url \"$ETH_RPC_URL\" --private-key \"$ETH_PRIVATE_KEY\"",
			endpoint.vault,
			w.nonce,
			w.token,
			w.recipient,
			w.amount,
			signatures.join(","),
			hex::encode(beneficiary.0),
		)),
		_ => None,
	};
	let needs_beneficiary = view.ready && !view.released && beneficiary.is_none();
	ctx.out.result(
		|| {
			let mut text = fields(&[
				("nonce", w.nonce.to_string()),
				("token", format!("{:?}", w.token)),
				("recipient", format!("{:?}", w.recipient)),
				("amount", format!("{} (base units)", w.amount)),
				(
					"fee",
					format!(
						"{} {}",
						format_amount(view.fee, chain.native.decimals),
						chain.native.symbol
					),
				),
				("attester set", view.attester_set_id.to_string()),
				("digest", format!("{:?}", view.digest)),
				("signatures", signatures.len().to_string()),
				("state", state.into()),
			]);
			if let Some(cast) = &cast {
				text += "\n\n";
				text += cast;
			} else if needs_beneficiary {
				text += "\n\ngive --beneficiary <your Kasane address> (or a signer) for the `cast send` line";
			}
			text
		},
		json!({
			"nonce": w.nonce.to_string(),
			"token": format!("{:?}", w.token),
			"recipient": format!("{:?}", w.recipient),
			"amount": w.amount.to_string(),
			"fee": view.fee.to_string(),
			"attester_set_id": view.attester_set_id,
			"digest": format!("{:?}", view.digest),
			"signatures": signatures,
			"ready": view.ready,
			"released": view.released,
			"beneficiary": beneficiary.as_ref().map(|b| format!("0x{}", hex::encode(b.0))),
			"cast": cast,
		}),
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_missing_withdrawal_says_why() {
		assert_eq!(
			missing_withdrawal(3, false, 2),
			"no withdrawal 3 was ever requested (the latest is 2)"
		);
		assert_eq!(
			missing_withdrawal(0, false, 2),
			"no withdrawal 0 was ever requested (the latest is 2)"
		);
		assert_eq!(
			missing_withdrawal(2, false, 2),
			"withdrawal 2 was released on Ethereum and has been pruned since"
		);
		assert_eq!(
			missing_withdrawal(2, true, 2),
			"withdrawal 2 waits for the bridge to be configured (an Ethereum endpoint and attesters)"
		);
	}
}
