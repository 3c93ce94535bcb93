//! The chain under simulation: the `development` genesis with the simulation's accounts
//! endowed, and real blocks: `Executive::initialize_block` with an Aura pre-runtime digest,
//! the timestamp inherent, signed extrinsics through every transaction extension (signature,
//! nonce, weight, fees), `Executive::finalize_block`. An extrinsic the pool would refuse (can
//! not pay, exhausts the block) is rolled back as a block builder drops it.

use codec::Encode;
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::GetCallMetadata,
};
use kasane_runtime::{
	genesis_config_presets::{
		dev_accounts, kasane_genesis, GenesisValidator, DEVNET_ERA_CLOCK, DEV_DELAYS, DEV_ENDOWMENT,
	},
	AccountId, Executive, Header, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig,
	SignedPayload, System, TxExtension, UncheckedExtrinsic, SLOT_DURATION,
};
use serde_json::Value;
use sp_core::{
	ecdsa, ed25519, proof_of_possession::ProofOfPossessionGenerator as _, sr25519, Pair, H256,
};
use sp_io::TestExternalities;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::Header as _,
	transaction_validity::TransactionValidityError,
	DispatchError, MultiSignature,
};

/// Accounts that act, besides Alice (the sudo key and genesis validator).
pub const SIM_ACCOUNTS: usize = 48;

/// Ethereum keys of the bridge's attesters (root sets them up at the start).
pub const ATTESTERS: usize = 3;

/// One actor: its account key and the keys it uses as an operator and a validator.
#[derive(Clone)]
pub struct Actor {
	pub id: AccountId,
	pub pair: sr25519::Pair,
	/// Its AVS key (sr25519 operator sets).
	pub avs: sr25519::Pair,
	pub aura: sr25519::Pair,
	pub grandpa: ed25519::Pair,
}

impl Actor {
	fn new(uri: &str) -> Self {
		let pair = sr25519::Pair::from_string(uri, None).expect("valid uri");
		Self {
			id: pair.public().into(),
			avs: sr25519::Pair::from_string(&format!("{uri}//avs"), None).unwrap(),
			aura: sr25519::Pair::from_string(&format!("{uri}//aura"), None).unwrap(),
			grandpa: ed25519::Pair::from_string(&format!("{uri}//grandpa"), None).unwrap(),
			pair,
		}
	}

	/// Session keys and the proof that this account holds them (`session.set_keys`).
	pub fn session_keys(&self) -> (kasane_runtime::SessionKeys, Vec<u8>) {
		let keys = kasane_runtime::SessionKeys {
			aura: self.aura.public().into(),
			grandpa: self.grandpa.public().into(),
		};
		let owner = self.id.encode();
		let proof = (
			self.aura.clone().generate_proof_of_possession(&owner),
			self.grandpa.clone().generate_proof_of_possession(&owner),
		)
			.encode();
		(keys, proof)
	}
}

/// What became of one extrinsic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	Succeeded,
	/// Included, fee paid, the call failed.
	Failed(DispatchError),
	/// Refused before dispatch (a block builder would drop it): nothing changed.
	Refused(TransactionValidityError),
}

/// The chain: its state and the keys of everyone who acts on it.
pub struct Chain {
	pub ext: TestExternalities,
	/// `actors[0]` is Alice; the others are `//sim//1` … `//sim//48`.
	pub actors: Vec<Actor>,
	pub attesters: Vec<ecdsa::Pair>,
	parent: H256,
	slot: u64,
}

/// The state version of `TestExternalities::new_empty`, which the chain starts from.
const STATE_VERSION: sp_core::storage::StateVersion = sp_core::storage::StateVersion::V1;

/// A chain's committed state and keys, copied: building the genesis and the opening scene
/// once and restoring them for every run is what makes short runs (a fuzzer's) cheap.
pub struct Snapshot {
	raw: Vec<(Vec<u8>, (Vec<u8>, i32))>,
	root: H256,
	actors: Vec<Actor>,
	attesters: Vec<ecdsa::Pair>,
	parent: H256,
	slot: u64,
}

/// Applies `patch` over `base` the way the node merges a preset into the default genesis.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

impl Chain {
	/// The `development` genesis (Alice validates and is sudo, the devnet's era clock and
	/// delays) with the simulation's accounts endowed like the well-known ones.
	pub fn new() -> Self {
		let mut actors = vec![Actor::new("//Alice")];
		actors.extend((1..=SIM_ACCOUNTS).map(|i| Actor::new(&format!("//sim//{i}"))));
		let mut endowed = dev_accounts();
		endowed.extend(actors.iter().skip(1).map(|a| a.id.clone()));
		let patch = kasane_genesis(
			vec![GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
			endowed,
			DEV_ENDOWMENT,
			Sr25519Keyring::Alice.to_account_id(),
			DEVNET_ERA_CLOCK,
			DEV_DELAYS,
		);
		let mut genesis = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		merge(&mut genesis, patch);
		let mut ext = TestExternalities::new_empty();
		let parent = ext.execute_with(|| {
			frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
				serde_json::to_vec(&genesis).unwrap(),
			)
			.expect("genesis builds");
			System::block_hash(0)
		});
		ext.commit_all().expect("genesis commits");
		let attesters = (0..ATTESTERS)
			.map(|i| ecdsa::Pair::from_string(&format!("//sim//attester//{i}"), None).unwrap())
			.collect();
		Self { ext, actors, attesters, parent, slot: 0 }
	}

	/// The chain as it stands between blocks, to start runs from (see [`Snapshot`]).
	pub fn snapshot(&mut self) -> Snapshot {
		let ext = core::mem::replace(&mut self.ext, TestExternalities::new_empty());
		let (raw, root) = ext.into_raw_snapshot();
		self.ext = TestExternalities::from_raw_snapshot(raw.clone(), root, STATE_VERSION);
		Snapshot {
			raw,
			root,
			actors: self.actors.clone(),
			attesters: self.attesters.clone(),
			parent: self.parent,
			slot: self.slot,
		}
	}

	/// A chain in the state `snapshot` holds, with its keys.
	pub fn restore(snapshot: &Snapshot) -> Self {
		Self {
			ext: TestExternalities::from_raw_snapshot(
				snapshot.raw.clone(),
				snapshot.root,
				STATE_VERSION,
			),
			actors: snapshot.actors.clone(),
			attesters: snapshot.attesters.clone(),
			parent: snapshot.parent,
			slot: snapshot.slot,
		}
	}

	/// Produces the next block, `skip_slots` empty slots after the last one (time passes,
	/// block numbers do not): `body` runs inside it after the inherents and submits its
	/// extrinsics; then the block is finalized and its state committed.
	pub fn block<R>(&mut self, skip_slots: u64, body: impl FnOnce(&mut Block<'_>) -> R) -> R {
		let Chain { ext, actors, attesters, parent, slot } = self;
		*slot += 1 + skip_slots;
		let (result, header) = ext.execute_with(|| {
			// A disabled validator (after an offence) does not author: its slots pass empty,
			// as on a real network (Aura panics on a block from one).
			let authorities = pallet_aura::Authorities::<Runtime>::get().len() as u64;
			let disabled = pallet_session::Pallet::<Runtime>::disabled_validators();
			for _ in 0..authorities {
				if !disabled.contains(&((*slot % authorities) as u32)) {
					break;
				}
				*slot += 1;
			}
			let number = System::block_number() + 1;
			let digest = Digest {
				logs: vec![DigestItem::PreRuntime(
					sp_consensus_aura::AURA_ENGINE_ID,
					sp_consensus_aura::Slot::from(*slot).encode(),
				)],
			};
			Executive::initialize_block(&Header::new(
				number,
				Default::default(),
				Default::default(),
				*parent,
				digest,
			));
			let now = *slot * SLOT_DURATION;
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
					now,
				}));
			Executive::apply_extrinsic(inherent)
				.expect("the timestamp inherent is valid")
				.expect("the timestamp inherent succeeds");
			let mut block = Block { actors, attesters, submitted: Vec::new() };
			let result = body(&mut block);
			(result, Executive::finalize_block())
		});
		ext.commit_all().expect("block state commits");
		*parent = header.hash();
		result
	}

	/// Runs `f` against the state between blocks (reads and checks: anything it wrote would be
	/// committed with the next block).
	pub fn read<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}
}

impl Default for Chain {
	fn default() -> Self {
		Self::new()
	}
}

/// The block being built.
pub struct Block<'a> {
	pub actors: &'a [Actor],
	pub attesters: &'a [ecdsa::Pair],
	/// (pallet, call, outcome) of each extrinsic submitted, in order.
	pub submitted: Vec<(&'static str, &'static str, Outcome)>,
}

impl Block<'_> {
	/// Signs `call` as actor `signer` (next nonce, immortal, no tip) and applies it.
	pub fn submit(&mut self, signer: usize, call: RuntimeCall) -> Outcome {
		let actor = &self.actors[signer];
		let nonce = System::account_nonce(&actor.id);
		let tx_ext: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let metadata = call.get_call_metadata();
		let sudo_inner = match &call {
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call }) => Some(call.get_call_metadata()),
			_ => None,
		};
		let payload = SignedPayload::new(call.clone(), tx_ext.clone()).expect("implicit data");
		let signature = payload.using_encoded(|bytes| actor.pair.sign(bytes));
		let xt = UncheckedExtrinsic::new_signed(
			call,
			actor.id.clone().into(),
			MultiSignature::Sr25519(signature),
			tx_ext,
		);
		let applied = with_transaction(|| {
			let applied = Executive::apply_extrinsic(xt);
			if applied.is_ok() {
				TransactionOutcome::Commit(Ok::<_, DispatchError>(applied))
			} else {
				TransactionOutcome::Rollback(Ok(applied))
			}
		})
		.expect("the transaction layer never fails here");
		let mut outcome = match applied {
			Ok(Ok(())) => Outcome::Succeeded,
			Ok(Err(error)) => Outcome::Failed(error),
			Err(refused) => Outcome::Refused(refused),
		};
		let (mut pallet, mut function) = (metadata.pallet_name, metadata.function_name);
		// Sudo succeeds whatever root's call did: report the call and how it ended.
		if let (Some(inner), Outcome::Succeeded) = (&sudo_inner, &outcome) {
			(pallet, function) = (inner.pallet_name, inner.function_name);
			let result = System::read_events_no_consensus().filter_map(|r| match r.event {
				RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(sudo_result),
				_ => None,
			});
			if let Some(Err(error)) = result.last() {
				outcome = Outcome::Failed(error);
			}
		}
		self.submitted.push((pallet, function, outcome.clone()));
		outcome
	}
}
