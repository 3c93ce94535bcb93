//! A client of a beacon node's standard HTTP API (the Ethereum Beacon APIs), for what the
//! light client's evidence is built from: headers, and blocks and states as SSZ.
//!
//! A state is read by its block's slot (`/eth/v2/debug/beacon/states/{slot}`: the node needs
//! its debug namespace on; several clients serve no finalized state by root), and its root is
//! computed again and checked against the header's before anything is taken from it
//! ([`StateProofs::new`]). A header is checked against the root or slot it was asked by. On
//! mainnet a state is ≈ 280 MB of SSZ: two are read per light-client update, none per deposit
//! beyond its anchor's.

use super::ssz::{BeaconState, BlockProofs, ConsensusFork, SignedBeaconBlock, StateProofs};
use anyhow::{bail, Context, Result};
use kasane_primitives::bridge::beacon::{updates::Checkpoint, BeaconHeader};
use serde::{de::DeserializeOwned, Deserialize};
use sp_core::H256;
use std::time::Duration;

/// How long one request may take: a mainnet state is hundreds of megabytes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// Most bytes read of an answer: a state (mainnet's ≈ 280 MB with 2 million validators), a
/// block (at most a few MB), anything else (JSON). A node sending more is refused, not
/// followed.
const MAX_STATE_BYTES: usize = 1 << 30;
const MAX_BLOCK_BYTES: usize = 16 << 20;
const MAX_JSON_BYTES: usize = 1 << 20;

/// A beacon node's HTTP API at a base URL (`http://127.0.0.1:5052`, say).
pub struct BeaconApi {
	http: reqwest::Client,
	base: String,
}

/// The beacon API's envelope: `{ "data": … }`.
#[derive(Deserialize)]
struct Data<T> {
	data: T,
}

#[derive(Deserialize)]
struct GenesisJson {
	genesis_time: String,
	genesis_validators_root: H256,
}

#[derive(Deserialize)]
struct HeaderJson {
	root: H256,
	header: SignedHeaderJson,
}

#[derive(Deserialize)]
struct SignedHeaderJson {
	message: HeaderMessageJson,
}

#[derive(Deserialize)]
struct HeaderMessageJson {
	slot: String,
	proposer_index: String,
	parent_root: H256,
	state_root: H256,
	body_root: H256,
}

/// The beacon chain's genesis, as a node reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Genesis {
	pub time: u64,
	pub validators_root: H256,
}

/// A block's header and its root.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotHeader {
	pub root: H256,
	pub header: BeaconHeader,
}

fn number(field: &str, value: &str) -> Result<u64> {
	value.parse().with_context(|| format!("the beacon node's {field} {value:?} is not a number"))
}

impl BeaconApi {
	pub fn new(base: &str) -> Result<Self> {
		if !(base.starts_with("http://") || base.starts_with("https://")) {
			bail!("the beacon API {base:?} is not an http:// or https:// URL");
		}
		let http = crate::http_client(reqwest::Client::builder().timeout(REQUEST_TIMEOUT))?;
		Ok(Self { http, base: base.trim_end_matches('/').to_owned() })
	}

	/// GETs `path`; `None` if the node has nothing there (404).
	async fn get(&self, path: &str, accept: &str) -> Result<Option<reqwest::Response>> {
		let url = format!("{}{path}", self.base);
		let response = self
			.http
			.get(&url)
			.header(reqwest::header::ACCEPT, accept)
			.send()
			.await
			.with_context(|| format!("GET {url}"))?;
		let status = response.status();
		if status == reqwest::StatusCode::NOT_FOUND {
			return Ok(None);
		}
		if !status.is_success() {
			let body = Self::read(response, MAX_JSON_BYTES, &url).await.unwrap_or_default();
			bail!("GET {url}: {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]));
		}
		Ok(Some(response))
	}

	/// The body of `response`, refused past `limit` bytes (before reading, when the node says
	/// its length).
	async fn read(mut response: reqwest::Response, limit: usize, what: &str) -> Result<Vec<u8>> {
		let announced = response.content_length().unwrap_or(0);
		if announced > limit as u64 {
			bail!("{what}: the beacon node's answer is over {limit} bytes");
		}
		let mut body = Vec::with_capacity(announced as usize);
		while let Some(chunk) = response.chunk().await.with_context(|| format!("reading {what}"))? {
			if body.len() + chunk.len() > limit {
				bail!("{what}: the beacon node's answer is over {limit} bytes");
			}
			body.extend_from_slice(&chunk);
		}
		Ok(body)
	}

	async fn json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>> {
		let Some(response) = self.get(path, "application/json").await? else {
			return Ok(None);
		};
		let bytes = Self::read(response, MAX_JSON_BYTES, path).await?;
		let data: Data<T> = serde_json::from_slice(&bytes)
			.with_context(|| format!("the beacon node's answer to {path}"))?;
		Ok(Some(data.data))
	}

	/// SSZ bytes at `path` (at most `limit`) and the fork they are of (`Eth-Consensus-Version`).
	async fn ssz(&self, path: &str, limit: usize) -> Result<Option<(ConsensusFork, Vec<u8>)>> {
		let Some(response) = self.get(path, "application/octet-stream").await? else {
			return Ok(None);
		};
		let fork = response
			.headers()
			.get("eth-consensus-version")
			.and_then(|v| v.to_str().ok())
			.map(ConsensusFork::from_name)
			.transpose()?
			.with_context(|| format!("{path}: the beacon node names no Eth-Consensus-Version"))?;
		Ok(Some((fork, Self::read(response, limit, path).await?)))
	}

	pub async fn genesis(&self) -> Result<Genesis> {
		let genesis: GenesisJson = self
			.json("/eth/v1/beacon/genesis")
			.await?
			.context("the beacon node has no genesis yet")?;
		Ok(Genesis {
			time: number("genesis_time", &genesis.genesis_time)?,
			validators_root: genesis.genesis_validators_root,
		})
	}

	/// The header of block `id` (`head`, `finalized`, a slot or a root), if the node has it.
	/// Its root is computed here, not taken from the node.
	pub async fn header(&self, id: &str) -> Result<Option<SlotHeader>> {
		let Some(json) = self.json::<HeaderJson>(&format!("/eth/v1/beacon/headers/{id}")).await?
		else {
			return Ok(None);
		};
		let m = json.header.message;
		let header = BeaconHeader {
			slot: number("slot", &m.slot)?,
			proposer_index: number("proposer_index", &m.proposer_index)?,
			parent_root: m.parent_root,
			state_root: m.state_root,
			body_root: m.body_root,
		};
		let root = header
			.hash_tree_root()
			.map_err(|e| anyhow::anyhow!("a beacon header's root: {e:?}"))?;
		if root != json.root {
			bail!(
				"the beacon node says block {id} has the root {:?}, its header's is {root:?}",
				json.root
			);
		}
		if id.starts_with("0x") && !format!("{root:?}").eq_ignore_ascii_case(id) {
			bail!("asked for the block {id}, the beacon node answered {root:?}");
		}
		if id.parse::<u64>().is_ok_and(|slot| slot != header.slot) {
			bail!(
				"asked for the block at slot {id}, the beacon node answered one at slot {}",
				header.slot
			);
		}
		Ok(Some(SlotHeader { root, header }))
	}

	/// The seconds between slots (`SECONDS_PER_SLOT` of `/eth/v1/config/spec`): with the
	/// genesis time, the slot of the beacon block carrying an Ethereum block of a given
	/// timestamp.
	pub async fn seconds_per_slot(&self) -> Result<u64> {
		let spec: std::collections::BTreeMap<String, serde_json::Value> =
			self.json("/eth/v1/config/spec").await?.context("the beacon node serves no spec")?;
		let value = spec
			.get("SECONDS_PER_SLOT")
			.and_then(|v| v.as_str())
			.context("the beacon node's spec has no SECONDS_PER_SLOT")?;
		let seconds = number("SECONDS_PER_SLOT", value)?;
		anyhow::ensure!(seconds > 0, "the beacon node's SECONDS_PER_SLOT is 0");
		Ok(seconds)
	}

	/// The block of root `root`, checked against it.
	pub async fn block(&self, root: H256) -> Result<Option<BlockProofs>> {
		let path = format!("/eth/v2/beacon/blocks/{root:?}");
		let Some((_, bytes)) = self.ssz(&path, MAX_BLOCK_BYTES).await? else {
			return Ok(None);
		};
		blocking(move || BlockProofs::new(SignedBeaconBlock::decode(&bytes)?, root)).await.map(Some)
	}

	/// The state after the block at `slot`, which must have the root `root` (the block
	/// header's `state_root`). Read by slot, not root: several clients serve finalized states
	/// by slot only.
	pub async fn state(&self, slot: u64, root: H256) -> Result<Option<StateProofs>> {
		let path = format!("/eth/v2/debug/beacon/states/{slot}");
		let Some((fork, bytes)) = self.ssz(&path, MAX_STATE_BYTES).await? else {
			return Ok(None);
		};
		blocking(move || StateProofs::new(BeaconState::decode(fork, &bytes)?, root)).await.map(Some)
	}

	/// The root of the finalized checkpoint the state at `slot` names, read without the state
	/// (`/eth/v1/beacon/states/{slot}/finality_checkpoints`); checked once the state is read.
	pub async fn finalized_root_named_at(&self, slot: u64) -> Result<Option<H256>> {
		#[derive(Deserialize)]
		struct Checkpoints {
			finalized: CheckpointJson,
		}
		#[derive(Deserialize)]
		struct CheckpointJson {
			root: H256,
		}
		let path = format!("/eth/v1/beacon/states/{slot}/finality_checkpoints");
		Ok(self.json::<Checkpoints>(&path).await?.map(|c| c.finalized.root))
	}

	/// What root installs in the light client (`force_checkpoint`) to follow the beacon chain
	/// from block `id` on (`finalized`, say: a checkpoint should be final): the block's header,
	/// its state's current sync committee and `block_roots`, each with its branch.
	pub async fn checkpoint(&self, id: &str) -> Result<Checkpoint> {
		let block =
			self.header(id).await?.with_context(|| format!("the beacon node has no block {id}"))?;
		let state = self
			.state(block.header.slot, block.header.state_root)
			.await?
			.with_context(|| format!("the beacon node has no state of block {id}"))?;
		Ok(Checkpoint {
			header: block.header,
			current_sync_committee: state.current_sync_committee,
			current_sync_committee_branch: state.current_sync_committee_branch,
			validators_root: state.genesis_validators_root,
			block_roots_root: state.block_roots_root,
			block_roots_branch: state.block_roots_branch,
		})
	}
}

/// Runs `work` (decoding and hashing a state or block: CPU for seconds on mainnet) off the
/// async workers.
async fn blocking<T: Send + 'static>(
	work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
	tokio::task::spawn_blocking(work).await.context("decoding on a blocking thread")?
}
