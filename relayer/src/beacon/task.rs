//! The beacon source in a task of its own, so that a beacon node answering slowly (a state of
//! hundreds of megabytes per update on mainnet) or not at all holds up only the proofs waiting
//! for it: the relayer's other duties (signing withdrawals and headers, relaying the vault's
//! events, releasing) go on meanwhile.
//!
//! Each step the relayer hands the task what it wants ([`Wanted`]: the Ethereum blocks of its
//! open deposits and rate reports, the newest final block, its connections) and takes the
//! execution proofs the task has ready, by Ethereum block, without waiting for any. The task
//! works through the blocks lowest first ([`crate::beacon`] says why), bringing the light
//! client up to each and building its proof. A proof is kept while the light client keeps the
//! block it is anchored under, and dropped once its block is no longer wanted. Updates and
//! proofs are signed by one account from both sides: Kasane's client takes the nonce for each
//! in turn.

use super::Beacon;
use crate::{ethereum::Ethereum, kasane::Kasane};
use futures::FutureExt;
use kasane_primitives::bridge::beacon::ExecutionProof;
use sp_core::H256;
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::{Arc, Mutex, MutexGuard, PoisonError},
};
use tokio::{
	sync::watch,
	task::{coop::unconstrained, JoinHandle},
};
use tracing::{warn, Instrument};

/// What the relayer wants proven under the beacon chain, and the connections to do it with.
#[derive(Clone)]
pub struct Wanted {
	pub eth: Ethereum,
	pub kasane: Kasane,
	/// Ethereum blocks, none above `finalized`.
	pub blocks: BTreeSet<u64>,
	/// The newest block Ethereum calls final.
	pub finalized: u64,
}

/// Execution proofs ready, by Ethereum block.
type Ready = Arc<Mutex<BTreeMap<u64, ExecutionProof>>>;

/// A relayer's beacon source, working in its own task from the first [`Self::want`] on.
pub struct BeaconTask {
	/// The source, until the task takes it.
	idle: Option<Beacon>,
	wanted: watch::Sender<Option<Wanted>>,
	ready: Ready,
	task: Option<JoinHandle<()>>,
}

impl BeaconTask {
	pub fn new(beacon: Beacon) -> Self {
		Self {
			idle: Some(beacon),
			wanted: watch::Sender::new(None),
			ready: Ready::default(),
			task: None,
		}
	}

	/// Hands the task what is wanted now, in place of what was; the first call starts it, in
	/// the caller's span.
	pub fn want(&mut self, wanted: Wanted) {
		self.raise_panic();
		if let Some(beacon) = self.idle.take() {
			let changes = self.wanted.subscribe();
			let work = run(beacon, changes, self.ready.clone());
			self.task = Some(tokio::spawn(work.in_current_span()));
		}
		self.wanted.send_replace(Some(wanted));
	}

	/// A panic in the task is the relayer's, as it was when the source ran in its step: raised
	/// again here rather than leaving every proof waiting for a task that is gone.
	fn raise_panic(&mut self) {
		let Some(task) = self.task.as_mut().filter(|task| task.is_finished()) else {
			return;
		};
		// Unconstrained: a spent cooperative budget would leave a finished task unread.
		match unconstrained(task).now_or_never() {
			None => {}
			Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
			Some(_) => panic!("the beacon task ended: it runs as long as the relayer"),
		}
	}

	/// The execution proof of Ethereum block `number`, if the task has one ready.
	pub fn proof(&self, number: u64) -> Option<ExecutionProof> {
		lock(&self.ready).get(&number).cloned()
	}

	/// Drops the proof of Ethereum block `number`: the task's next pass builds another.
	pub fn discard(&self, number: u64) {
		lock(&self.ready).remove(&number);
	}
}

impl Drop for BeaconTask {
	fn drop(&mut self) {
		if let Some(task) = &self.task {
			task.abort();
		}
	}
}

/// A pass over what is wanted each time it changes, until the relayer is gone.
async fn run(mut beacon: Beacon, mut changes: watch::Receiver<Option<Wanted>>, ready: Ready) {
	loop {
		let wanted = changes.borrow_and_update().clone();
		if let Some(wanted) = wanted {
			pass(&mut beacon, &wanted, &changes, &ready).await;
		}
		if changes.changed().await.is_err() {
			return;
		}
	}
}

/// The root of the finalized block `proof` is anchored under.
fn anchor_of(proof: &ExecutionProof) -> Option<H256> {
	match &proof.ancestry_proof {
		Some(ancestry) => Some(ancestry.finalized_block_root),
		None => proof.header.hash_tree_root().ok(),
	}
}

/// The proofs ready, whoever panicked holding them (nothing is left half-written in a map).
fn lock(ready: &Ready) -> MutexGuard<'_, BTreeMap<u64, ExecutionProof>> {
	ready.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Brings a proof of each block wanted, lowest first, unless one ready still holds; a block
/// the relayer stopped wanting meanwhile (settled during a long pass) is passed over.
async fn pass(
	beacon: &mut Beacon,
	wanted: &Wanted,
	changes: &watch::Receiver<Option<Wanted>>,
	ready: &Ready,
) {
	lock(ready).retain(|number, _| wanted.blocks.contains(number));
	for &number in &wanted.blocks {
		if !changes.borrow().as_ref().is_some_and(|now| now.blocks.contains(&number)) {
			continue;
		}
		let held = lock(ready).get(&number).and_then(anchor_of);
		if let Some(anchor) = held {
			match wanted.kasane.beacon_slot_of(anchor).await {
				Ok(Some(_)) => continue,
				// Its anchor is gone: not served while another is built.
				Ok(None) => {
					lock(ready).remove(&number);
				}
				Err(e) => {
					warn!(error = format!("{e:#}"), "the light client's finalized block not read");
					return;
				}
			}
		}
		match beacon.execution_proof(&wanted.eth, &wanted.kasane, number, wanted.finalized).await {
			Some(proof) => lock(ready).insert(number, proof),
			None => lock(ready).remove(&number),
		};
	}
}
