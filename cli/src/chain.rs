//! The connection to a Kasane node: typed reads, the chain's units and address format, and
//! transactions signed, submitted and followed to the block the user asked to wait for.

use crate::{
	error::{BadInput, Unreachable},
	kasane,
	output::Output,
	units::format_amount,
};
use anyhow::{anyhow, bail, Context, Result};
use sp_core::crypto::{AccountId32 as SpAccountId, Ss58AddressFormat, Ss58Codec};
use std::time::Duration;
use subxt::{
	client::OnlineClientAtBlockImpl,
	config::{PolkadotExtrinsicParamsBuilder, RpcConfigFor},
	extrinsics::ExtrinsicEvents,
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, TransactionStatus},
	utils::AccountId32,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

pub type Client = OnlineClient<PolkadotConfig>;
pub type Events = ExtrinsicEvents<PolkadotConfig>;
/// The client at one block.
pub type AtBlock =
	subxt::client::ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>;

/// How long to wait for the node to answer a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A submitted transaction: its hash, and its events once it is in a block.
pub struct Sent {
	pub hash: subxt::utils::H256,
	pub events: Option<Events>,
}

impl Sent {
	/// The first `E` the transaction caused (none before it is in a block).
	pub fn find<E: subxt::events::DecodeAsEvent>(&self) -> Option<E> {
		self.events.as_ref()?.find_first::<E>()?.ok()
	}
}

/// How far a transaction is followed before the command returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
	/// Return once the node accepted it into its pool (its hash is printed).
	None,
	/// Return once it is in a best block (its events are final unless that block is dropped).
	InBlock,
	/// Return once its block is finalized.
	Finalized,
}

/// A restakable asset as people name it: its strategy, symbol and decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
	pub strategy: u32,
	/// `None` for native KSN (restaked through native staking, never deposited).
	pub asset_id: Option<u32>,
	pub symbol: String,
	pub decimals: u8,
}

impl Asset {
	/// `amount` of this asset with its symbol: `0.25 wstETH`.
	pub fn show(&self, amount: u128) -> String {
		format!("{} {}", format_amount(amount, self.decimals), self.symbol)
	}
}

pub struct Chain {
	pub api: Client,
	pub rpc: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
	/// For the node methods subxt does not wrap (`author_rotateKeysWithOwner`).
	raw: RpcClient,
	pub url: String,
	/// SS58 prefix of Kasane addresses, from the node's chain properties.
	pub ss58: u16,
	/// Milliseconds per block (the Aura slot).
	pub block_ms: u64,
	pub native: Asset,
}

impl Chain {
	/// Connects to the node at `url`; [`Unreachable`] when it does not answer.
	pub async fn connect(url: &str) -> Result<Self> {
		let unreachable = |reason: String| Unreachable { url: url.to_string(), reason };
		let (rpc, api) = tokio::time::timeout(CONNECT_TIMEOUT, async {
			let rpc =
				RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
			let api = Client::from_rpc_client(rpc.clone())
				.await
				.map_err(|e| unreachable(e.to_string()))?;
			Ok::<_, Unreachable>((rpc, api))
		})
		.await
		.map_err(|_| unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))??;
		let raw = rpc.clone();
		let rpc = LegacyRpcMethods::new(rpc);
		let properties = rpc.system_properties().await.context("reading the chain's properties")?;
		let ss58 = properties
			.get("ss58Format")
			.and_then(|v| v.as_u64())
			.and_then(|v| u16::try_from(v).ok())
			.ok_or_else(|| anyhow!("the node reports no ss58Format"))?;
		let first = |key: &str| {
			let value = properties.get(key)?;
			value.as_array().and_then(|a| a.first().cloned()).or_else(|| Some(value.clone()))
		};
		let symbol = first("tokenSymbol").and_then(|v| v.as_str().map(str::to_string));
		let decimals =
			first("tokenDecimals").and_then(|v| v.as_u64()).and_then(|v| u8::try_from(v).ok());
		let native = Asset {
			// Native stake's strategy, as `assets` reads it from the chain.
			strategy: 0,
			asset_id: None,
			symbol: symbol.unwrap_or_else(|| "KSN".into()),
			decimals: decimals.unwrap_or(12),
		};
		let at = api.at_current_block().await?;
		let slot =
			at.runtime_apis().call(kasane::runtime_apis().aura_api().slot_duration()).await?;
		Ok(Self { api, rpc, raw, url: url.to_string(), ss58, block_ms: slot.0, native })
	}

	/// Calls RPC `method` with the JSON array `params`.
	pub async fn raw_rpc(
		&self,
		method: &str,
		params: serde_json::Value,
	) -> Result<serde_json::Value> {
		let mut rpc_params = subxt::rpcs::client::RpcParams::new();
		for param in params.as_array().into_iter().flatten() {
			rpc_params.push(param)?;
		}
		Ok(self.raw.request(method, rpc_params).await?)
	}

	/// Every restaking strategy with its asset's symbol and decimals, by strategy id.
	pub async fn assets(&self) -> Result<Vec<Asset>> {
		use kasane::runtime_types::pallet_restaking::types::StrategyKind;
		let at = self.at_best().await?;
		let mut strategies =
			at.storage().iter(kasane::storage().restaking().strategies(), ()).await?;
		let mut assets = Vec::new();
		while let Some(entry) = strategies.next().await {
			let entry = entry?;
			let (strategy,) = entry.key()?.decode()?;
			match entry.value().decode()?.kind {
				StrategyKind::Native => assets.push(Asset { strategy, ..self.native.clone() }),
				StrategyKind::Asset(id) => {
					let metadata = at
						.storage()
						.fetch(kasane::storage().assets().metadata(), (id,))
						.await?
						.decode()?;
					assets.push(Asset {
						strategy,
						asset_id: Some(id),
						symbol: String::from_utf8_lossy(&metadata.symbol.0).into_owned(),
						decimals: metadata.decimals,
					});
				}
			}
		}
		assets.sort_by_key(|a| a.strategy);
		Ok(assets)
	}

	/// Refuses (exit 2) when `who` holds less than `amount` of the pallet-assets `asset` at the
	/// best block, naming both.
	pub async fn ensure_holds(&self, asset: &Asset, who: AccountId32, amount: u128) -> Result<()> {
		let id = asset
			.asset_id
			.ok_or_else(|| anyhow!("{} is not a pallet-assets asset", asset.symbol))?;
		let held = self
			.at_best()
			.await?
			.storage()
			.try_fetch(kasane::storage().assets().account(), (id, who))
			.await?
			.map(|v| v.decode())
			.transpose()?
			.map(|a| a.balance)
			.unwrap_or(0);
		if held < amount {
			return Err(BadInput(format!(
				"you hold {} on Kasane, less than the {} asked",
				asset.show(held),
				asset.show(amount)
			))
			.into());
		}
		Ok(())
	}

	/// The asset named `name` (its strategy id, or its symbol in any case when no other
	/// strategy's asset has it).
	pub async fn asset(&self, name: &str) -> Result<Asset> {
		let assets = self.assets().await?;
		match pick_asset(&assets, name, |a| Some(a.strategy), "strategy id")? {
			Some(asset) => Ok(asset.clone()),
			None => {
				let known: Vec<&str> = assets.iter().map(|a| a.symbol.as_str()).collect();
				Err(BadInput(format!(
					"unknown asset `{name}`: Kasane restakes {}",
					known.join(", ")
				))
				.into())
			}
		}
	}

	/// The asset of `strategy`.
	pub async fn strategy_asset(&self, strategy: u32) -> Result<Asset> {
		self.assets()
			.await?
			.into_iter()
			.find(|a| a.strategy == strategy)
			.ok_or_else(|| anyhow!("the chain has no strategy {strategy}"))
	}

	/// Parses an address: Kasane SS58, generic Substrate SS58 (prefix 42) or 32 bytes in hex.
	pub fn parse_account(&self, text: &str) -> Result<AccountId32, BadInput> {
		let text = text.trim();
		if let Some(hex) = text.strip_prefix("0x") {
			let bytes = hex::decode(hex).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
			return bytes
				.map(AccountId32)
				.ok_or_else(|| BadInput(format!("address `{text}`: hex accounts are 32 bytes")));
		}
		let (account, format) = SpAccountId::from_ss58check_with_version(text)
			.map_err(|e| BadInput(format!("address `{text}` is not an SS58 address: {e:?}")))?;
		let prefix = u16::from(format);
		if prefix != self.ss58 && prefix != 42 {
			return Err(BadInput(format!(
				"address `{text}` is for another network (SS58 prefix {prefix}; Kasane's is {})",
				self.ss58
			)));
		}
		Ok(AccountId32(account.into()))
	}

	/// `account` in Kasane's SS58 format.
	pub fn show_account(&self, account: &AccountId32) -> String {
		SpAccountId::from(account.0).to_ss58check_with_version(Ss58AddressFormat::custom(self.ss58))
	}

	/// The client at the best block: what a transaction followed to `--wait in-block` changed
	/// is already there (subxt's current block is the finalized one).
	pub async fn at_best(&self) -> Result<AtBlock> {
		let hash =
			self.rpc.chain_get_block_hash(None).await?.ok_or_else(|| anyhow!("no best block"))?;
		Ok(self.api.at_block(hash).await?)
	}

	/// A runtime constant (the chain's own limits, so arguments past them are refused before
	/// anything is signed).
	pub async fn constant<Addr: subxt::constants::Address>(
		&self,
		address: Addr,
	) -> Result<Addr::Target> {
		Ok(self.at_best().await?.constants().entry(address)?)
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<u32> {
		let header =
			self.rpc.chain_get_header(None).await?.ok_or_else(|| anyhow!("no best header"))?;
		Ok(u32::try_from(header.number)?)
	}

	/// `blocks` from now as a duration (`6 d 23 h`).
	pub fn duration(&self, blocks: u32) -> String {
		crate::units::format_duration(blocks.into(), self.block_ms)
	}

	/// Signs `call` with `signer`, submits it and follows it as far as `wait`. Returns its hash
	/// and, once included, its events; a failed dispatch is an error naming the pallet's error
	/// and quoting its documentation.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		wait: Wait,
		out: &Output,
	) -> Result<Sent> {
		// The pool's next nonce, so that a transaction still only in a best block counts.
		let nonce =
			self.rpc.system_account_next_index(&signer.public_key().to_account_id()).await?;
		let params = PolkadotExtrinsicParamsBuilder::new().nonce(nonce).build();
		let mut txs = self.api.transactions().await?;
		let mut progress = txs
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {e}"))?;
		let hash = progress.extrinsic_hash();
		if wait == Wait::None {
			out.progress("submitted: in the node's pool");
			out.progress_done();
			return Ok(Sent { hash, events: None });
		}
		while let Some(status) = progress.next().await {
			match status? {
				TransactionStatus::Validated => out.progress("ready: in the node's pool"),
				TransactionStatus::Broadcasted => out.progress("broadcast to peers"),
				TransactionStatus::NoLongerInBestBlock => {
					out.progress("its block was retracted; waiting")
				}
				TransactionStatus::InBestBlock(in_block) => {
					let number = self.block_number(in_block.block_hash()).await?;
					out.progress(&format!("in block #{number}"));
					if wait == Wait::InBlock {
						out.progress_done();
						let events = self.outcome(in_block.wait_for_success().await)?;
						return Ok(Sent { hash, events: Some(events) });
					}
				}
				TransactionStatus::InFinalizedBlock(in_block) => {
					let number = self.block_number(in_block.block_hash()).await?;
					out.progress(&format!("finalized in block #{number}"));
					out.progress_done();
					let events = self.outcome(in_block.wait_for_success().await)?;
					return Ok(Sent { hash, events: Some(events) });
				}
				TransactionStatus::Error { message } => bail!("transaction error: {message}"),
				TransactionStatus::Invalid { message } => bail!("transaction invalid: {message}"),
				TransactionStatus::Dropped { message } => bail!("transaction dropped: {message}"),
			}
		}
		bail!("the node stopped reporting the transaction's status")
	}

	/// A call dispatched through `sudo.sudo` succeeds as a transaction even when the call it
	/// wraps fails: the outcome is in `Sudid`. Fails with the inner error, named like any other.
	pub async fn ensure_sudo_succeeded(&self, sent: &Sent) -> Result<()> {
		let Some(events) = &sent.events else { return Ok(()) };
		if events.find_first::<crate::kasane::sudo::events::Sudid>().is_none() {
			// The signer is not the sudo key: the transaction itself failed (reported already),
			// or the chain has no sudo.
			bail!("the chain did not dispatch the call as root (is the signer its sudo key?)");
		}
		// Decode `Sudid` as a bare event to reach its `DispatchError` with the metadata.
		let metadata = self.at_best().await?.metadata();
		for event in events.iter() {
			let event = event?;
			if event.pallet_name() == "Sudo" && event.event_name() == "Sudid" {
				// Result<(), DispatchError>: 0x00 ok, 0x01 followed by the error.
				let bytes = event.field_bytes();
				if bytes.first() == Some(&1) {
					let error = subxt::error::DispatchError::decode_from(
						bytes[1..].to_vec(),
						metadata.clone(),
					)?;
					bail!("{}", describe_dispatch_error(&error));
				}
			}
		}
		Ok(())
	}

	async fn block_number(&self, hash: subxt::utils::H256) -> Result<u32> {
		let header = self.rpc.chain_get_header(Some(hash)).await?;
		Ok(header.map(|h| u32::try_from(h.number)).transpose()?.unwrap_or_default())
	}

	fn outcome(
		&self,
		result: Result<Events, subxt::error::TransactionEventsError>,
	) -> Result<Events> {
		match result {
			Ok(events) => Ok(events),
			Err(subxt::error::TransactionEventsError::ExtrinsicFailed(error)) => {
				Err(anyhow!("{}", describe_dispatch_error(&error)))
			}
			Err(e) => Err(e.into()),
		}
	}
}

/// `restaking.InsufficientShares: <the error's documentation>` for a module error; the
/// runtime's description for the others.
pub fn describe_dispatch_error(error: &subxt::error::DispatchError) -> String {
	if let subxt::error::DispatchError::Module(module) = error {
		if let Ok(details) = module.details() {
			let docs = details.variant.docs.join(" ");
			let name = format!("{}.{}", lower_first(details.pallet.name()), details.variant.name);
			return if docs.trim().is_empty() { name } else { format!("{name}: {}", docs.trim()) };
		}
	}
	error.to_string()
}

/// `AvsRegistry` → `avsRegistry`, as polkadot.js and papi name pallets.
pub fn lower_first(name: &str) -> String {
	let mut chars = name.chars();
	chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Events as `pallet.Event { fields }` lines and as JSON, accounts in Kasane's SS58 format.
pub fn describe_events(events: &Events, ss58: u16) -> (Vec<String>, serde_json::Value) {
	let (lines, json): (Vec<String>, Vec<serde_json::Value>) = events
		.iter()
		.flatten()
		.map(|event| {
			let (name, text, fields) = describe_event(&event, ss58);
			(format!("{name} {text}"), serde_json::json!({ "event": name, "fields": fields }))
		})
		.unzip();
	(lines, serde_json::Value::Array(json))
}

/// One event: its name (`restaking.Deposited`), its fields for people and as JSON.
pub fn describe_event(
	event: &subxt::events::Event<'_, PolkadotConfig>,
	ss58: u16,
) -> (String, String, serde_json::Value) {
	use subxt::ext::scale_value::{Composite, Value, ValueDef};
	let name = format!("{}.{}", lower_first(event.pallet_name()), event.event_name());
	match event.decode_fields_unchecked_as::<Composite<()>>() {
		Ok(fields) => {
			let value = Value { value: ValueDef::Composite(fields), context: () };
			(name, render::text(&value, ss58), render::json(&value, ss58))
		}
		Err(e) => (name, format!("(undecodable: {e})"), serde_json::Value::Null),
	}
}

/// Decoded values for people and for JSON: 32-byte accounts as SS58 addresses, other byte
/// arrays as hex, integers in JSON as strings.
mod render {
	use sp_core::crypto::{AccountId32, Ss58AddressFormat, Ss58Codec};
	use subxt::ext::scale_value::{Composite, Primitive, Value, ValueDef};

	/// The bytes of a composite made only of u8-sized integers (a byte array), if it is one.
	fn bytes(composite: &Composite<()>) -> Option<Vec<u8>> {
		let Composite::Unnamed(values) = composite else { return None };
		if values.is_empty() {
			return None;
		}
		values
			.iter()
			.map(|v| match &v.value {
				ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
				_ => None,
			})
			.collect()
	}

	/// An account (a 32-byte array, possibly wrapped in a one-field tuple) or other bytes.
	fn as_bytes(value: &Value<()>, ss58: u16) -> Option<String> {
		let ValueDef::Composite(composite) = &value.value else { return None };
		if let Composite::Unnamed(inner) = composite {
			if inner.len() == 1 {
				if let ValueDef::Composite(c) = &inner[0].value {
					if let Some(b) = bytes(c) {
						return Some(show_bytes(&b, ss58));
					}
				}
			}
		}
		bytes(composite).filter(|b| b.len() > 1).map(|b| show_bytes(&b, ss58))
	}

	fn show_bytes(b: &[u8], ss58: u16) -> String {
		match <[u8; 32]>::try_from(b) {
			Ok(account) => AccountId32::from(account)
				.to_ss58check_with_version(Ss58AddressFormat::custom(ss58)),
			Err(_) => format!("0x{}", hex::encode(b)),
		}
	}

	pub fn text(value: &Value<()>, ss58: u16) -> String {
		if let Some(b) = as_bytes(value, ss58) {
			return b;
		}
		match &value.value {
			ValueDef::Composite(Composite::Named(fields)) => {
				let inner: Vec<String> =
					fields.iter().map(|(k, v)| format!("{k}: {}", text(v, ss58))).collect();
				format!("{{ {} }}", inner.join(", "))
			}
			ValueDef::Composite(Composite::Unnamed(values)) if values.len() == 1 => {
				text(&values[0], ss58)
			}
			ValueDef::Composite(Composite::Unnamed(values)) => {
				let inner: Vec<String> = values.iter().map(|v| text(v, ss58)).collect();
				format!("({})", inner.join(", "))
			}
			ValueDef::Variant(variant) => {
				let inner =
					Value { value: ValueDef::Composite(variant.values.clone()), context: () };
				match &variant.values {
					Composite::Unnamed(v) if v.is_empty() => variant.name.clone(),
					Composite::Named(v) if v.is_empty() => variant.name.clone(),
					_ => format!(
						"{}{}",
						variant.name,
						match text(&inner, ss58) {
							t if t.starts_with('{') || t.starts_with('(') => format!(" {t}"),
							t => format!("({t})"),
						}
					),
				}
			}
			_ => value.to_string(),
		}
	}

	pub fn json(value: &Value<()>, ss58: u16) -> serde_json::Value {
		use serde_json::{json, Value as J};
		if let Some(b) = as_bytes(value, ss58) {
			return J::String(b);
		}
		match &value.value {
			ValueDef::Composite(Composite::Named(fields)) => {
				J::Object(fields.iter().map(|(k, v)| (k.clone(), json(v, ss58))).collect())
			}
			ValueDef::Composite(Composite::Unnamed(values)) if values.len() == 1 => {
				json(&values[0], ss58)
			}
			ValueDef::Composite(Composite::Unnamed(values)) => {
				J::Array(values.iter().map(|v| json(v, ss58)).collect())
			}
			ValueDef::Variant(variant) => {
				let inner =
					Value { value: ValueDef::Composite(variant.values.clone()), context: () };
				match &variant.values {
					Composite::Unnamed(v) if v.is_empty() => J::String(variant.name.clone()),
					Composite::Named(v) if v.is_empty() => J::String(variant.name.clone()),
					_ => json!({ variant.name.clone(): json(&inner, ss58) }),
				}
			}
			ValueDef::Primitive(Primitive::Bool(b)) => J::Bool(*b),
			ValueDef::Primitive(Primitive::String(s)) => J::String(s.clone()),
			ValueDef::Primitive(Primitive::U128(n)) => J::String(n.to_string()),
			ValueDef::Primitive(Primitive::I128(n)) => J::String(n.to_string()),
			_ => J::String(value.to_string()),
		}
	}
}

/// The asset `name` names among `assets`: the one whose id (`id`, a strategy or asset id) it
/// is, else the one whose symbol it is in any case; refused when several share that symbol
/// (an LST and a look-alike an asset's owner named the same), so nobody restakes or withdraws
/// the wrong token by its name.
pub fn pick_asset<'a>(
	assets: &'a [Asset],
	name: &str,
	id: impl Fn(&Asset) -> Option<u32>,
	id_kind: &str,
) -> Result<Option<&'a Asset>, BadInput> {
	if let Ok(wanted) = name.trim().parse::<u32>() {
		if let Some(asset) = assets.iter().find(|a| id(a) == Some(wanted)) {
			return Ok(Some(asset));
		}
	}
	let named: Vec<&Asset> =
		assets.iter().filter(|a| a.symbol.eq_ignore_ascii_case(name.trim())).collect();
	match named.as_slice() {
		[] => Ok(None),
		[asset] => Ok(Some(asset)),
		several => {
			let ids: Vec<String> =
				several.iter().filter_map(|a| id(a)).map(|i| i.to_string()).collect();
			Err(BadInput(format!(
				"{} assets are named {name}: name one by its {id_kind} ({})",
				several.len(),
				ids.join(", ")
			)))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn asset(strategy: u32, symbol: &str) -> Asset {
		Asset { strategy, asset_id: Some(strategy + 10), symbol: symbol.into(), decimals: 18 }
	}

	#[test]
	fn an_asset_is_picked_by_id_or_by_a_symbol_no_other_asset_has() {
		let assets = [asset(0, "KSN"), asset(1, "wstETH"), asset(2, "rETH"), asset(3, "RETH")];
		let strategy = |a: &Asset| Some(a.strategy);
		assert_eq!(
			pick_asset(&assets, "WSTETH", strategy, "strategy id").unwrap().unwrap().strategy,
			1
		);
		assert_eq!(
			pick_asset(&assets, " 2", strategy, "strategy id").unwrap().unwrap().strategy,
			2
		);
		assert!(pick_asset(&assets, "cbETH", strategy, "strategy id").unwrap().is_none());
		let refused = pick_asset(&assets, "reth", strategy, "strategy id").unwrap_err();
		assert_eq!(refused.0, "2 assets are named reth: name one by its strategy id (2, 3)");
		// By asset id, an id that is not one names nothing.
		let by_asset_id = |a: &Asset| a.asset_id;
		assert_eq!(
			pick_asset(&assets, "11", by_asset_id, "asset id").unwrap().unwrap().symbol,
			"wstETH"
		);
		assert!(pick_asset(&assets, "1", by_asset_id, "asset id").unwrap().is_none());
		let refused = pick_asset(&assets, "rETH", by_asset_id, "asset id").unwrap_err();
		assert_eq!(refused.0, "2 assets are named rETH: name one by its asset id (12, 13)");
	}
}
