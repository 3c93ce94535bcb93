//! The Kasane side: the bridge's runtime API and its calls, signed by the relayer's account.
//!
//! Calls are encoded with the runtime's own types from `kasane-primitives` (the pallet and call
//! are looked up by name in the metadata), so what the relayer signs and submits is exactly
//! what the pallet decodes.

use crate::{within, READ_TIMEOUT, SUBMIT_TIMEOUT};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, DecodeAll, Encode};
use kasane_primitives::bridge::{
	beacon::{updates::FinalityUpdate, BeaconReceiptProof},
	proof::{EthHeader, ReceiptProof},
	AttesterSetView, BridgeNonce, DepositMessage, DepositStatus, EthSignature, EthWithdrawalView,
	HeaderStatus, RateReport, ReleaseReceipt, RotationView,
};
use kasane_primitives::{restaking::OperatorSetId, slashing::SlashingMode};
use sp_core::{H160, H256};
use std::str::FromStr;
use subxt::{
	config::{PolkadotExtrinsicParamsBuilder, RpcConfigFor},
	ext::{scale_encode, scale_type_resolver::TypeResolver},
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, TransactionStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Call arguments already SCALE-encoded with the runtime's types.
pub struct RawArgs(Vec<u8>);

impl scale_encode::EncodeAsFields for RawArgs {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		_fields: &mut dyn scale_encode::FieldIter<'_, R::TypeId>,
		_types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

/// The bridge pallet's name in Kasane's runtime.
pub const BRIDGE_PALLET: &str = "LstBridge";

/// The slashing pallet's name in the runtime: its errors reach the bridge's reports.
pub const SLASHING_PALLET: &str = "Slashing";
/// Most keys of each contradiction map read a step while looking for records a report can
/// slash through (those made under a root-kept list cannot).
pub const CONTRADICTION_KEYS_READ: u32 = 1_024;
/// The beacon light client's name in Kasane's runtime.
pub const BEACON_PALLET: &str = "EthereumBeaconClient";

/// What the bridge acts on inbound, as `LstBridge::Policy` stores it (the pallet's
/// `InboundPolicy`, whose encoding this mirrors: the relayer does not link the pallet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Decode)]
pub enum InboundPolicy {
	#[default]
	Attested,
	Proven,
	Beacon,
	BeaconCoSigned {
		above: u128,
	},
}

impl InboundPolicy {
	/// The policy `LstBridge::Policy` holds (absent: the default), or `None` if its bytes are
	/// not one this mirror knows: a runtime upgrade added a policy this relayer predates, which
	/// it must not guess at (it proves nothing until it is upgraded too).
	pub fn from_storage(bytes: Option<&[u8]>) -> Option<Self> {
		match bytes {
			None => Some(Self::default()),
			Some(bytes) => Self::decode_all(&mut &bytes[..]).ok(),
		}
	}

	/// Receipts under attested headers mint.
	pub fn takes_attested_headers(&self) -> bool {
		matches!(self, Self::Attested | Self::Proven)
	}
}

/// A call of the `LstBridge` pallet (or of the beacon light client the bridge verifies with).
pub struct BridgeCall {
	pallet: &'static str,
	name: &'static str,
	args: RawArgs,
}

impl Payload for BridgeCall {
	type CallData = RawArgs;
	fn pallet_name(&self) -> &str {
		self.pallet
	}
	fn call_name(&self) -> &str {
		self.name
	}
	fn call_data(&self) -> &RawArgs {
		&self.args
	}
}

impl BridgeCall {
	pub fn attest_deposit(deposit: &DepositMessage, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_deposit",
			args: RawArgs((deposit, signature).encode()),
		}
	}
	pub fn attest_rate(report: &RateReport, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_rate",
			args: RawArgs((report, signature).encode()),
		}
	}
	pub fn attest_release(receipt: &ReleaseReceipt, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_release",
			args: RawArgs((receipt, signature).encode()),
		}
	}
	pub fn attest_withdrawal(nonce: BridgeNonce, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_withdrawal",
			args: RawArgs((nonce, signature).encode()),
		}
	}
	/// `operators`: the bridge operator set's members, sorted (as `rotation_due` lists them).
	pub fn rotate_attesters(operators: &[[u8; 32]]) -> Self {
		Self { pallet: BRIDGE_PALLET, name: "rotate_attesters", args: RawArgs(operators.encode()) }
	}
	pub fn attest_rotation(digest: &H256, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_rotation",
			args: RawArgs((digest, signature).encode()),
		}
	}
	pub fn attest_header(header: &EthHeader, signature: &EthSignature) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "attest_header",
			args: RawArgs((header, signature).encode()),
		}
	}
	pub fn prove_deposit(deposit: &DepositMessage, proof: &ReceiptProof) -> Self {
		Self {
			pallet: BRIDGE_PALLET,
			name: "prove_deposit",
			args: RawArgs((deposit, proof).encode()),
		}
	}
	pub fn prove_rate(report: &RateReport, proof: &ReceiptProof) -> Self {
		Self { pallet: BRIDGE_PALLET, name: "prove_rate", args: RawArgs((report, proof).encode()) }
	}
	pub fn prove_deposit_beacon(deposit: &DepositMessage, proof: &BeaconReceiptProof) -> Self {
		let args = RawArgs((deposit, proof).encode());
		Self { pallet: BRIDGE_PALLET, name: "prove_deposit_beacon", args }
	}
	pub fn prove_rate_beacon(report: &RateReport, proof: &BeaconReceiptProof) -> Self {
		let args = RawArgs((report, proof).encode());
		Self { pallet: BRIDGE_PALLET, name: "prove_rate_beacon", args }
	}
	/// Mint a deposit Kasane holds back, once what held it back is over.
	pub fn retry_deposit(nonce: BridgeNonce) -> Self {
		Self { pallet: BRIDGE_PALLET, name: "retry_deposit", args: RawArgs(nonce.encode()) }
	}
	/// A finality update for the beacon light client.
	pub fn beacon_update(update: &FinalityUpdate) -> Self {
		Self { pallet: BEACON_PALLET, name: "submit", args: RawArgs(update.encode()) }
	}
	/// Drop the tally of block `number`'s header, expired without a quorum.
	pub fn drop_header_tally(number: u64) -> Self {
		Self { pallet: BRIDGE_PALLET, name: "drop_header_tally", args: RawArgs(number.encode()) }
	}
	/// Have the attester with compressed secp256k1 key `key`, recorded as contradicting a
	/// quorum's decision, slashed.
	pub fn report(contradicted: Contradicted, key: &[u8; 33]) -> Self {
		let (name, round) = match contradicted {
			Contradicted::Deposit(nonce) => ("report_contradiction", nonce),
			Contradicted::Header(number) => ("report_header_contradiction", number),
		};
		Self { pallet: BRIDGE_PALLET, name, args: RawArgs((round, key).encode()) }
	}
}

/// The pallet's `OpenHeaders`, whose encoding this mirrors: per attester index of set
/// `set_id`, its header attestations waiting for a quorum; bit `i` of `struck`, attester `i`
/// signs no header until the set changes.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct OpenHeaders {
	pub set_id: u32,
	pub counts: [u8; 64],
	pub struck: u64,
}

/// The pallet's `Tally<EthHeader>`, whose encoding this mirrors.
#[derive(Decode)]
struct HeaderCandidate {
	_header: EthHeader,
	_digest: [u8; 32],
	_set_id: u32,
	signers: u64,
}

/// The pallet's `DatedHeaderTally`, whose encoding this mirrors.
#[derive(Decode)]
struct DatedHeaderTally {
	set_id: u32,
	candidates: Vec<HeaderCandidate>,
	opened: u32,
}

/// A header tally waiting for a quorum: block `number`'s, under attester set `set_id`, signed
/// by the attesters whose bits `signers` holds, opened at Kasane block `opened`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenTally {
	pub number: u64,
	pub set_id: u32,
	pub signers: u64,
	pub opened: u32,
}

/// What a quorum decided that recorded attesters signed otherwise: the deposit of a nonce
/// (`LstBridge::Contradictions`) or the header of an Ethereum block number
/// (`LstBridge::HeaderContradictions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode)]
pub enum Contradicted {
	Deposit(BridgeNonce),
	Header(u64),
}

/// The pallet's `Contradiction`, whose encoding this mirrors (the relayer does not link the
/// pallet): what the recorded attesters signed, what the quorum did, who is left to report,
/// and the operator set they were drawn from.
#[derive(Decode)]
struct ContradictionRecord {
	_odd: [u8; 32],
	accepted: [u8; 32],
	attesters: Vec<H160>,
	operator_set: Option<OperatorSetId>,
}

/// A record of attesters contradicting a quorum: what it `decided`, the digest of what it
/// signed, the recorded attesters not reported yet, and the operator set a report slashes
/// them through (`None`: root kept them as a list, nobody is slashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
	pub decided: Contradicted,
	pub accepted: [u8; 32],
	pub attesters: Vec<H160>,
	pub operator_set: Option<OperatorSetId>,
}

/// How a submitted call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
	/// Included and succeeded.
	Done,
	/// Included and failed with this dispatch error.
	Failed(Rejection),
}

/// A dispatch error as the chain's metadata names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
	/// Pallet and variant of a module error (`("LstBridge", "AlreadySigned")`); `None` for the
	/// other dispatch errors (bad origin, token and arithmetic errors, …).
	pub module: Option<(String, String)>,
	/// The error as the node's metadata describes it, for logs.
	pub message: String,
}

impl Rejection {
	/// Whether this is the bridge pallet's error `variant`.
	pub fn is_bridge_error(&self, variant: &str) -> bool {
		self.module.as_ref().is_some_and(|(p, v)| p == BRIDGE_PALLET && v == variant)
	}

	/// Whether `pallet` refused the call, with any of its errors.
	pub fn is_from_pallet(&self, pallet: &str) -> bool {
		self.module.as_ref().is_some_and(|(p, _)| p == pallet)
	}

	fn from_dispatch_error(error: &subxt::error::DispatchError) -> Self {
		let module = match error {
			subxt::error::DispatchError::Module(e) => {
				e.details().ok().map(|d| (d.pallet.name().to_string(), d.variant.name.to_string()))
			}
			_ => None,
		};
		Self { module, message: error.to_string() }
	}
}

impl core::fmt::Display for Rejection {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.message)
	}
}

/// Cheap to clone: the clones share one connection.
#[derive(Clone)]
pub struct Kasane {
	api: OnlineClient<PolkadotConfig>,
	rpc: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
	signer: Keypair,
	/// The chain's genesis hash: every bridge digest is bound to it.
	pub genesis: H256,
	/// `LstBridge::RateRound`: Ethereum blocks per rate round.
	pub rate_round: u64,
	/// `LstBridge::MaxOpenHeaders` and `LstBridge::HeaderTallyExpiry`, if the runtime has
	/// them: how many header attestations an attester may have waiting for a quorum, and how
	/// many Kasane blocks before anyone may drop one.
	pub open_headers: Option<(u32, u32)>,
}

impl Kasane {
	pub async fn connect(url: &str, signer_uri: &str) -> Result<Self> {
		let (rpc, api) = within("connecting to kasane", READ_TIMEOUT, async {
			let rpc = RpcClient::from_insecure_url(url)
				.await
				.with_context(|| format!("connecting to {url}"))?;
			let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone()).await?;
			Ok((rpc, api))
		})
		.await?;
		let rpc = LegacyRpcMethods::new(rpc);
		let uri = SecretUri::from_str(signer_uri).map_err(|e| anyhow!("signer URI: {e}"))?;
		let signer = Keypair::from_uri(&uri).map_err(|e| anyhow!("signer: {e}"))?;
		let genesis = H256::from_slice(api.genesis_hash().as_ref());
		let at = within("reading kasane metadata", READ_TIMEOUT, async {
			Ok(api.at_current_block().await?)
		})
		.await?;
		let rate_round = at
			.metadata_ref()
			.pallet_by_name(BRIDGE_PALLET)
			.and_then(|p| p.constant_by_name("RateRound"))
			.map(|c| u64::decode(&mut c.value()))
			.ok_or_else(|| anyhow!("the runtime has no LstBridge::RateRound"))?
			.context("decoding LstBridge::RateRound")?;
		if rate_round == 0 {
			bail!("LstBridge::RateRound is zero");
		}
		let constant = |name: &str| {
			at.metadata_ref()
				.pallet_by_name(BRIDGE_PALLET)
				.and_then(|p| p.constant_by_name(name))
				.and_then(|c| u32::decode(&mut c.value()).ok())
		};
		let open_headers = constant("MaxOpenHeaders").zip(constant("HeaderTallyExpiry"));
		Ok(Self { api, rpc, signer, genesis, rate_round, open_headers })
	}

	/// The relayer's Kasane account, as the vault's `release` names it for the fee.
	pub fn account_bytes(&self) -> [u8; 32] {
		self.signer.public_key().0
	}

	async fn runtime_api<R: Decode>(&self, method: &str, args: Vec<u8>) -> Result<R> {
		let name = format!("LstBridgeApi_{method}");
		// At the best block, not the finalized one: what this relayer submitted a block ago
		// must already count, or it would submit it again.
		let bytes = within(&name, READ_TIMEOUT, async {
			Ok(self.rpc.state_call(&name, Some(&args), None).await?)
		})
		.await?;
		R::decode(&mut &bytes[..]).with_context(|| format!("decoding {name}"))
	}

	pub async fn deposit_status(&self, nonce: BridgeNonce) -> Result<DepositStatus<u32>> {
		self.runtime_api("deposit_status", nonce.encode()).await
	}

	pub async fn withdrawal(
		&self,
		nonce: BridgeNonce,
	) -> Result<Option<EthWithdrawalView<[u8; 32]>>> {
		self.runtime_api("withdrawal", nonce.encode()).await
	}

	pub async fn unsigned_withdrawals(
		&self,
		from: BridgeNonce,
		limit: u32,
	) -> Result<Vec<EthWithdrawalView<[u8; 32]>>> {
		self.runtime_api("unsigned_withdrawals", (from, limit).encode()).await
	}

	pub async fn attesters(&self) -> Result<Option<AttesterSetView>> {
		self.runtime_api("attesters", Vec::new()).await
	}

	/// The registered key of the operator `set` may still slash whose Ethereum address is
	/// `attester` (`LstBridgeApi::attester_key`): what a report of it takes.
	pub async fn attester_key(
		&self,
		set: &OperatorSetId,
		attester: &H160,
	) -> Result<Option<[u8; 33]>> {
		self.runtime_api("attester_key", (set, attester).encode()).await
	}

	/// Whether `who` is in the attester set in force.
	pub async fn is_attester(&self, who: &sp_core::H160) -> Result<bool> {
		Ok(self.seat(who).await?.is_some())
	}

	/// `who`'s place in the attester set in force, if it is an attester.
	pub async fn seat(&self, who: &sp_core::H160) -> Result<Option<crate::turns::Seat>> {
		Ok(self.seat_in_set(who).await?.map(|(_, seat)| seat))
	}

	/// `who`'s seat among the attesters, with the set's id, if it is one of them.
	pub async fn seat_in_set(&self, who: &H160) -> Result<Option<(u32, crate::turns::Seat)>> {
		Ok(self
			.attesters()
			.await?
			.and_then(|set| crate::turns::Seat::of(&set.members, who).map(|seat| (set.id, seat))))
	}

	pub async fn rotation_due(&self) -> Result<Option<Vec<[u8; 32]>>> {
		self.runtime_api("rotation_due", Vec::new()).await
	}

	pub async fn pending_rotation(&self) -> Result<Option<RotationView>> {
		self.runtime_api("pending_rotation", Vec::new()).await
	}

	/// The signed hand-over away from the vault's attester set `vault_set_id`.
	pub async fn rotation(&self, vault_set_id: u64) -> Result<Option<RotationView>> {
		self.runtime_api("rotation", vault_set_id.encode()).await
	}

	/// Whether the bridge acts only on proven messages (`LstBridge::Policy` is `Proven`):
	/// deposits and rates are then proven under attested headers instead of attested.
	pub async fn proofs_required(&self) -> Result<bool> {
		self.runtime_api("proofs_required", Vec::new()).await
	}

	/// Where the header of Ethereum block `number` stands.
	pub async fn header_status(&self, number: u64) -> Result<HeaderStatus> {
		self.runtime_api("header_status", number.encode()).await
	}

	/// The waiting deposits a retry in the next block would move on, among up to `scan` after
	/// deposit `after`'s entry; with where the next page starts, while there are more.
	pub async fn retryable_deposits(
		&self,
		after: Option<BridgeNonce>,
		scan: u32,
	) -> Result<(Vec<BridgeNonce>, Option<BridgeNonce>)> {
		self.runtime_api("retryable_deposits", (after, scan).encode()).await
	}

	/// A storage value at the best block, by its raw key.
	async fn storage_raw(&self, what: &str, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
		within(what, READ_TIMEOUT, async { Ok(self.rpc.state_get_storage(&key, None).await?) })
			.await
	}

	async fn storage<R: Decode>(&self, what: &str, key: Vec<u8>) -> Result<Option<R>> {
		self.storage_raw(what, key)
			.await?
			.map(|b| R::decode(&mut &b[..]).with_context(|| format!("decoding {what}")))
			.transpose()
	}

	fn storage_key(pallet: &str, item: &str) -> Vec<u8> {
		[sp_io::hashing::twox_128(pallet.as_bytes()), sp_io::hashing::twox_128(item.as_bytes())]
			.concat()
	}

	/// The slashing mode in force in operator `set`: the stricter of the global mode and the
	/// set's own (`Slashing::GlobalMode`, `Slashing::OperatorSetModes`; absent, `Enabled`).
	/// Kasane refuses a report while it is not `Enabled`, and keeps the record.
	pub async fn slashing_mode(&self, set: &OperatorSetId) -> Result<SlashingMode> {
		let global: Option<SlashingMode> = self
			.storage("the global slashing mode", Self::storage_key(SLASHING_PALLET, "GlobalMode"))
			.await?;
		let encoded = set.encode();
		let key = [
			Self::storage_key(SLASHING_PALLET, "OperatorSetModes"),
			sp_io::hashing::twox_64(&encoded).to_vec(),
			encoded,
		]
		.concat();
		let own: Option<SlashingMode> =
			self.storage("an operator set's slashing mode", key).await?;
		let strictness = |mode: &SlashingMode| match mode {
			SlashingMode::Disabled => 0,
			SlashingMode::LogOnly => 1,
			SlashingMode::Enabled => 2,
		};
		Ok([global.unwrap_or_default(), own.unwrap_or_default()]
			.into_iter()
			.min_by_key(strictness)
			.unwrap_or_default())
	}

	/// The header attestations waiting for a quorum, per attester (`LstBridge::OpenHeaderCounts`).
	pub async fn open_header_counts(&self) -> Result<Option<OpenHeaders>> {
		let key = Self::storage_key(BRIDGE_PALLET, "OpenHeaderCounts");
		self.storage("LstBridge::OpenHeaderCounts", key).await
	}

	/// Every header tally waiting for a quorum (`LstBridge::HeaderTallies`: at most
	/// `MaxOpenHeaders` per attester of a set, and those of earlier sets until dropped), read
	/// `page` at a time.
	pub async fn header_tallies(&self, page: u32) -> Result<Vec<OpenTally>> {
		let prefix = Self::storage_key(BRIDGE_PALLET, "HeaderTallies");
		let mut tallies = Vec::new();
		let mut start: Option<Vec<u8>> = None;
		loop {
			let keys = within("listing header tallies", READ_TIMEOUT, async {
				Ok(self.rpc.state_get_keys_paged(&prefix, page, start.as_deref(), None).await?)
			})
			.await?;
			let values = within("reading header tallies", READ_TIMEOUT, async {
				Ok(self.rpc.state_query_storage_at(keys.iter().map(|k| &k[..]), None).await?)
			})
			.await?;
			for (key, value) in values.into_iter().flat_map(|set| set.changes) {
				let number =
					round_of(&prefix, &key.0).context("a key of LstBridge::HeaderTallies")?;
				let Some(value) = value else { continue };
				let tally = DatedHeaderTally::decode(&mut &value.0[..])
					.context("decoding a header tally")?;
				let signers = tally.candidates.iter().fold(0, |bits, c| bits | c.signers);
				tallies.push(OpenTally {
					number,
					set_id: tally.set_id,
					signers,
					opened: tally.opened,
				});
			}
			if (keys.len() as u32) < page {
				return Ok(tallies);
			}
			start = keys.last().cloned();
		}
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<u32> {
		let header = within("reading the best header", READ_TIMEOUT, async {
			Ok(self.rpc.chain_get_header(None).await?)
		})
		.await?
		.context("no best header")?;
		Ok(header.number as u32)
	}

	/// Up to `limit` records of each kind of attesters contradicting a quorum, not reported
	/// yet, that a report can slash through an operator set (each names at most the attester
	/// set's size). Records made while root kept the attesters as a list (nobody to slash)
	/// are skipped, reading on in pages so that they hide no later record, at most
	/// [`CONTRADICTION_KEYS_READ`] keys per kind.
	pub async fn contradictions(&self, limit: u32) -> Result<Vec<Contradiction>> {
		let mut found = Vec::new();
		for (item, kind) in [
			("Contradictions", Contradicted::Deposit as fn(u64) -> Contradicted),
			("HeaderContradictions", Contradicted::Header),
		] {
			let prefix = Self::storage_key(BRIDGE_PALLET, item);
			let (mut kept, mut read, mut start) = (0, 0, None::<Vec<u8>>);
			while kept < limit && read < CONTRADICTION_KEYS_READ {
				let keys = within("listing contradictions", READ_TIMEOUT, async {
					Ok(self
						.rpc
						.state_get_keys_paged(&prefix, limit, start.as_deref(), None)
						.await?)
				})
				.await?;
				read += keys.len() as u32;
				let last_page = keys.len() < limit as usize;
				start = keys.last().cloned();
				for key in keys {
					let round = round_of(&prefix, &key)
						.with_context(|| format!("a key of LstBridge::{item}"))?;
					let record: Option<ContradictionRecord> =
						self.storage("a recorded contradiction", key).await?;
					let Some(record) = record.filter(|r| r.operator_set.is_some()) else {
						continue;
					};
					if kept < limit {
						kept += 1;
						found.push(Contradiction {
							decided: kind(round),
							accepted: record.accepted,
							attesters: record.attesters,
							operator_set: record.operator_set,
						});
					}
				}
				if last_page {
					break;
				}
			}
		}
		Ok(found)
	}

	/// What the bridge acts on inbound (`LstBridge::Policy`); `None` for a policy this relayer
	/// does not know (see [`InboundPolicy::from_storage`]).
	pub async fn policy(&self) -> Result<Option<InboundPolicy>> {
		let key = Self::storage_key(BRIDGE_PALLET, "Policy");
		Ok(InboundPolicy::from_storage(
			self.storage_raw("LstBridge::Policy", key).await?.as_deref(),
		))
	}

	/// The root and slot of the beacon block the light client finalized last, if it has a
	/// checkpoint.
	pub async fn beacon_latest_finalized(&self) -> Result<Option<(H256, u64)>> {
		let key = Self::storage_key(BEACON_PALLET, "LatestFinalizedBlockRoot");
		let root: Option<H256> = self.storage("the light client's latest root", key).await?;
		match root {
			Some(root) if !root.is_zero() => {
				Ok(self.beacon_slot_of(root).await?.map(|slot| (root, slot)))
			}
			_ => Ok(None),
		}
	}

	/// The root of the light client's checkpoint (`InitialCheckpointRoot`): root installing
	/// another one changes it.
	pub async fn beacon_checkpoint_root(&self) -> Result<H256> {
		let key = Self::storage_key(BEACON_PALLET, "InitialCheckpointRoot");
		Ok(self.storage("the light client's checkpoint", key).await?.unwrap_or_default())
	}

	/// The beacon blocks the light client finalized at or above `slot` since its checkpoint
	/// and still holds, highest first, as (root, slot): its ring buffer of finalized states
	/// (`FinalizedBeaconStateMapping`, the newest at `FinalizedBeaconStateIndex`) read back
	/// from the newest entry ([`finalized_since`]). Any of them at most a `block_roots` vector
	/// above a block anchors its proof.
	pub async fn beacon_finalized_since(&self, slot: u64) -> Result<Vec<(H256, u64)>> {
		let key = Self::storage_key(BEACON_PALLET, "FinalizedBeaconStateIndex");
		let newest: u32 = self.storage("the light client's ring index", key).await?.unwrap_or(0);
		finalized_since(slot, |back| async move {
			let index = (newest % FINALIZED_RING + FINALIZED_RING - back) % FINALIZED_RING;
			let key = [
				Self::storage_key(BEACON_PALLET, "FinalizedBeaconStateMapping"),
				index.to_le_bytes().to_vec(),
			]
			.concat();
			let root: Option<H256> = self.storage("a finalized root", key).await?;
			let Some(root) = root.filter(|root| !root.is_zero()) else { return Ok(None) };
			Ok(Some((root, self.beacon_slot_of(root).await?)))
		})
		.await
	}

	/// Whether the light client knows the next sync committee (`NextSyncCommittee` is set:
	/// a checkpoint clears it, an update handing the committee on sets it).
	pub async fn beacon_next_committee_known(&self) -> Result<bool> {
		let key = Self::storage_key(BEACON_PALLET, "NextSyncCommittee");
		Ok(self.storage_raw("the light client's next committee", key).await?.is_some())
	}

	/// The slot of the finalized beacon block `root`, if the light client holds it.
	pub async fn beacon_slot_of(&self, root: H256) -> Result<Option<u64>> {
		// `FinalizedBeaconState`: an `Identity`-hashed map of `CompactBeaconState`, whose first
		// field is the compact slot.
		let key =
			[Self::storage_key(BEACON_PALLET, "FinalizedBeaconState"), root.0.to_vec()].concat();
		let state: Option<(codec::Compact<u64>, H256)> =
			self.storage("a finalized beacon state", key).await?;
		Ok(state.map(|(slot, _)| slot.0))
	}

	/// Signs, submits and waits until `call` is in a block.
	pub async fn submit(&self, call: BridgeCall) -> Result<Outcome> {
		let name = call.name;
		self.submit_all(vec![call])
			.await
			.pop()
			.unwrap_or_else(|| Err(anyhow!("{name}: not submitted")))
	}

	/// Signs and submits `calls` together, on consecutive nonces so that they can share a
	/// block, then waits until each is in a block: an outcome per call submitted. Submitting
	/// stops at the first call the node refuses (the later nonces could never be included),
	/// whose error ends the list.
	pub async fn submit_all(&self, calls: Vec<BridgeCall>) -> Vec<Result<Outcome>> {
		if calls.is_empty() {
			return Vec::new();
		}
		let mut outcomes = Vec::with_capacity(calls.len());
		let mut progress = Vec::with_capacity(calls.len());
		// Until the node holds these, no other task reads this account's next nonce.
		let turn = SUBMITTING.lock().await;
		let submitted = within("submitting", SUBMIT_TIMEOUT, async {
			// The pool's next nonce: the client's own would be read at the finalized block and
			// repeat the nonce of a transaction still only in a best block.
			let first = self
				.rpc
				.system_account_next_index(&self.signer.public_key().to_account_id())
				.await?;
			let mut txs = self.api.transactions().await?;
			for (i, call) in calls.iter().enumerate() {
				let params = PolkadotExtrinsicParamsBuilder::new().nonce(first + i as u64).build();
				let watch = txs
					.sign_and_submit_then_watch(call, &self.signer, params)
					.await
					.with_context(|| format!("submitting {}", call.name))?;
				progress.push((call.name, watch));
			}
			Ok(())
		})
		.await;
		drop(turn);
		let included = progress.into_iter().map(|(name, mut progress)| {
			within(name, SUBMIT_TIMEOUT, async move {
				while let Some(status) = progress.next().await {
					match status? {
						TransactionStatus::InBestBlock(in_block)
						| TransactionStatus::InFinalizedBlock(in_block) => {
							return match in_block.wait_for_success().await {
								Ok(_) => Ok(Outcome::Done),
								Err(subxt::error::TransactionEventsError::ExtrinsicFailed(e)) => {
									Ok(Outcome::Failed(Rejection::from_dispatch_error(&e)))
								}
								Err(e) => Err(e.into()),
							}
						}
						TransactionStatus::Error { message }
						| TransactionStatus::Invalid { message }
						| TransactionStatus::Dropped { message } => bail!("{name}: {message}"),
						_ => continue,
					}
				}
				bail!("{name}: the node stopped reporting the transaction's status")
			})
		});
		outcomes.extend(futures::future::join_all(included).await);
		if let Err(e) = submitted {
			outcomes.push(Err(e));
		}
		outcomes
	}
}

/// Held from reading the signer's next nonce until the node has the transactions signed on
/// it: the relayer's tasks (the beacon source's updates, the main loop's proofs and
/// signatures) submit from its one account, and two reading the same nonce would have one
/// transaction replace or shut out the other. One for the process: it has one signer.
static SUBMITTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The u64 a `Twox64Concat` map's `key` under `prefix` is for: 8 bytes of hash, then the u64.
fn round_of(prefix: &[u8], key: &[u8]) -> Option<u64> {
	key.strip_prefix(prefix)?.get(8..)?.try_into().ok().map(u64::from_le_bytes)
}

/// The light client's ring of finalized states holds `MaxFinalizedHeadersToKeep` of them:
/// 256 epochs of a period times 20 (mainnet preset).
const FINALIZED_RING: u32 = 256 * 20;

/// Ring entries read at once: the first page usually holds every block a proof needs.
const RING_PAGE: u32 = 16;

/// The entries at or above `slot` of a ring of finalized blocks that `entry(back)` reads
/// newest first (`back` 0 the newest): `None` past the oldest written, a root with slot
/// `None` once its state is pruned. They come out highest first, read a page at a time until
/// the first below `slot` or the first not below the one read before: the light client
/// finalizes ever higher blocks, so a higher one further back was stored before a checkpoint
/// (of another chain, or an earlier block of this one) and what precedes it is not followed.
async fn finalized_since<F, Fut>(slot: u64, entry: F) -> Result<Vec<(H256, u64)>>
where
	F: Fn(u32) -> Fut,
	Fut: std::future::Future<Output = Result<Option<(H256, Option<u64>)>>>,
{
	use futures::{stream, StreamExt, TryStreamExt};
	let mut found = Vec::new();
	let mut newer = u64::MAX;
	for page in (0..FINALIZED_RING).step_by(RING_PAGE as usize) {
		let entries: Vec<_> = stream::iter(page..(page + RING_PAGE).min(FINALIZED_RING))
			.map(&entry)
			.buffered(RING_PAGE as usize)
			.try_collect()
			.await?;
		for entry in entries {
			match entry {
				None => return Ok(found),
				Some((_, None)) => {}
				Some((root, Some(finalized))) if (slot..newer).contains(&finalized) => {
					found.push((root, finalized));
					newer = finalized;
				}
				Some(_) => return Ok(found),
			}
		}
	}
	Ok(found)
}

#[cfg(test)]
mod tests {
	use super::{finalized_since, InboundPolicy, FINALIZED_RING, RING_PAGE};
	use anyhow::anyhow;
	use sp_core::H256;
	use std::sync::atomic::{AtomicU32, Ordering};

	/// Reads `finalized_since(slot)` from `ring` (newest first), and how many entries it read.
	async fn walk(ring: &[Option<(H256, Option<u64>)>], slot: u64) -> (Vec<(H256, u64)>, u32) {
		let reads = AtomicU32::new(0);
		let found = finalized_since(slot, |back| {
			reads.fetch_add(1, Ordering::Relaxed);
			let entry = ring.get(back as usize).copied().flatten();
			async move { Ok(entry) }
		})
		.await
		.unwrap();
		(found, reads.into_inner())
	}

	/// A light client that finalized `count` blocks 10 slots apart from slot 1 000, newest
	/// first, then nothing written.
	fn ring(count: u64) -> Vec<Option<(H256, Option<u64>)>> {
		(0..count)
			.rev()
			.map(|i| Some((H256::from_low_u64_be(i + 1), Some(1_000 + 10 * i))))
			.collect()
	}

	#[tokio::test]
	async fn every_held_block_at_or_above_the_slot_is_found_however_far_back() {
		// 300 finalized blocks, 250 of them at or above slot 1 500: far more than a page,
		// and than the 64 the relayer used to look at.
		let (found, reads) = walk(&ring(300), 1_500).await;
		assert_eq!(found.len(), 250);
		assert_eq!(found.first().map(|f| f.1), Some(1_000 + 10 * 299), "newest first");
		assert_eq!(found.last().map(|f| f.1), Some(1_500), "down to the slot itself");
		// Read up to the first entry below the slot, and no further than its page.
		assert!((251..=251 + RING_PAGE).contains(&reads), "{reads} reads");
	}

	#[tokio::test]
	async fn the_walk_stops_at_the_first_lower_block_a_checkpoint_back_or_the_ring_start() {
		// The newest block is already below the slot: one page read, nothing found.
		let (found, reads) = walk(&ring(300), 5_000).await;
		assert!(found.is_empty());
		assert_eq!(reads, RING_PAGE);
		// All of a ring not full yet: it ends at the first unwritten entry.
		let (found, reads) = walk(&ring(20), 0).await;
		assert_eq!((found.len(), reads), (20, 2 * RING_PAGE));
		// Past a checkpoint back to a lower block (of this chain or another), the blocks
		// finalized before it, higher, are not followed: not one is taken.
		let mut entries = ring(5);
		entries.extend(ring(40).into_iter().map(|e| e.map(|(r, s)| (r, s.map(|s| s + 9_000)))));
		let (found, reads) = walk(&entries, 1_000).await;
		assert_eq!(
			found.iter().map(|f| f.1).collect::<Vec<_>>(),
			[1_040, 1_030, 1_020, 1_010, 1_000]
		);
		assert_eq!(reads, RING_PAGE);
		// After a checkpoint forward, the blocks before it (lower) still count.
		let mut entries = ring(3)
			.into_iter()
			.map(|e| e.map(|(r, s)| (r, s.map(|s| s + 9_000))))
			.collect::<Vec<_>>();
		entries.extend(ring(5));
		let (found, _) = walk(&entries, 1_000).await;
		assert_eq!(found.len(), 8);
	}

	#[tokio::test]
	async fn pruned_states_are_passed_over_and_a_whole_ring_is_read_at_most() {
		let mut entries = ring(10);
		entries[3] = entries[3].map(|(root, _)| (root, None));
		let (found, _) = walk(&entries, 0).await;
		assert_eq!(found.len(), 9);
		// A full ring of blocks all at or above the slot: each entry read once, no more.
		let (found, reads) = walk(&ring(FINALIZED_RING as u64 + 100), 0).await;
		assert_eq!((found.len() as u32, reads), (FINALIZED_RING, FINALIZED_RING));
	}

	#[tokio::test]
	async fn a_failed_read_fails_the_walk() {
		let failed = finalized_since(0, |back| async move {
			if back == 20 {
				Err(anyhow!("connection lost"))
			} else {
				Ok::<_, anyhow::Error>(Some((H256::repeat_byte(1), Some(10_000 - u64::from(back)))))
			}
		})
		.await;
		assert!(failed.is_err());
	}

	#[test]
	fn the_policy_mirror_decodes_the_pallets_encoding() {
		// The bytes `pallet-lst-bridge`'s `the_policy_encoding_relayers_read_from_storage_is_pinned`
		// pins for its `InboundPolicy`.
		let decode = |bytes: &[u8]| InboundPolicy::from_storage(Some(bytes));
		assert_eq!(decode(&[0]), Some(InboundPolicy::Attested));
		assert_eq!(decode(&[1]), Some(InboundPolicy::Proven));
		assert_eq!(decode(&[2]), Some(InboundPolicy::Beacon));
		let mut co_signed = vec![3];
		co_signed.extend_from_slice(&5u128.to_le_bytes());
		assert_eq!(decode(&co_signed), Some(InboundPolicy::BeaconCoSigned { above: 5 }));
		assert_eq!(decode(&[4]), None, "an unknown policy is never guessed at");
		assert_eq!(decode(&[2, 0]), None, "nor one with bytes left over");
		assert_eq!(InboundPolicy::from_storage(None), Some(InboundPolicy::Attested));
	}
}
