// A beacon node's standard HTTP API on loopback, its blocks and full beacon states built and
// hashed by Lodestar's SSZ types (`@lodestar/types`): an implementation of the consensus
// specs independent of the relayer's, so that a layout the relayer got wrong shows as a
// branch Kasane's light client refuses. Sync committees are real BLS keys
// (`@chainsafe/blst`).
//
// - `startBeaconApi`: one finalized block and its state, for checkpoints.
// - `startBeaconChain`: a beacon chain over anvil's blocks, as a beacon node follows its
//   execution client: each anvil block is the payload of a beacon block; each block carries
//   the signature of its parent by the committee of its period (committees change each
//   period); each state names as finalized the block of the anvil block 64 below (anvil's
//   `finalized` tag), holds the roots of the blocks before it, and its period's committee
//   and the next.
//
// Every field of a state holds something other than its default (lists non-empty, vectors
// with values at both ends), so that no field's root coincides with an empty one's.

import { randomBytes } from 'node:crypto';
import http from 'node:http';

import { SecretKey } from '@chainsafe/blst';
import { ssz } from '@lodestar/types';

const hex = (bytes) => `0x${Buffer.from(bytes).toString('hex')}`;
const fromHex = (h) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const COMMITTEE = 512;
const SLOTS_PER_HISTORICAL_ROOT = 8192;
const SLOTS_PER_PERIOD = 8192;

/** The 512 public keys of a committee of keys derived from `seed`, and their aggregate (any
 * valid key: the light client does not check the sum). */
function committee(seed) {
  const pubkeys = [];
  for (let i = 0; i < COMMITTEE; i++) {
    const ikm = new Uint8Array(32);
    new DataView(ikm.buffer).setUint32(0, seed);
    new DataView(ikm.buffer).setUint32(4, i);
    pubkeys.push(SecretKey.fromKeygen(ikm).toPublicKey().toBytes());
  }
  return { pubkeys, aggregatePubkey: pubkeys[0] };
}

/** `value` with each number where `type` has a 64-bit bigint (Lodestar types some `uint64`
 * fields as numbers, others, balances in Gwei say, as bigints). */
function coerce(type, value) {
  const kind = type.constructor.name;
  if (kind === 'UintBigintType') return BigInt(value);
  if (kind === 'ContainerType') {
    for (const [name, field] of Object.entries(type.fields)) value[name] = coerce(field, value[name]);
  } else if (type.elementType && Array.isArray(value)) {
    return value.map((v) => coerce(type.elementType, v));
  }
  return value;
}

/** A state of `fork` at `slot`, every field filled, with `validators` validators (3 unless
 * told: mainnet has ≈ 2 million). */
function fullState(fork, slot, seed, validators = 3) {
  const types = ssz[fork];
  const s = types.BeaconState.defaultValue();
  const root = () => randomBytes(32);
  s.genesisTime = 1_606_824_023;
  s.genesisValidatorsRoot = root();
  s.slot = slot;
  s.fork = { previousVersion: fromHex('0x04000000'), currentVersion: fromHex('0x05000000'), epoch: 10 };
  s.latestBlockHeader = { slot: slot - 1, proposerIndex: 4, parentRoot: root(), stateRoot: root(), bodyRoot: root() };
  for (let i = 0; i < SLOTS_PER_HISTORICAL_ROOT; i++) s.blockRoots[i] = root();
  s.stateRoots[0] = root();
  s.stateRoots[SLOTS_PER_HISTORICAL_ROOT - 1] = root();
  s.historicalRoots = [root(), root()];
  s.eth1Data = { depositRoot: root(), depositCount: 9, blockHash: root() };
  s.eth1DataVotes = [{ depositRoot: root(), depositCount: 8, blockHash: root() }];
  s.eth1DepositIndex = 9;
  const validator = (i) => ({
    pubkey: randomBytes(48), withdrawalCredentials: root(), effectiveBalance: 32e9 + i, slashed: i === 1,
    activationEligibilityEpoch: i, activationEpoch: i + 1, exitEpoch: 2 ** 40, withdrawableEpoch: 2 ** 41,
  });
  s.validators = Array.from({ length: validators }, (_, i) => validator(i));
  s.balances = Array.from({ length: validators }, (_, i) => 32e9 + i);
  s.randaoMixes[0] = root();
  s.randaoMixes[s.randaoMixes.length - 1] = root();
  s.slashings[0] = 5;
  s.slashings[s.slashings.length - 1] = 6;
  s.previousEpochParticipation = Array.from({ length: validators }, (_, i) => i % 8);
  s.currentEpochParticipation = Array.from({ length: validators }, () => 7);
  s.justificationBits.set(1, true);
  s.previousJustifiedCheckpoint = { epoch: 20, root: root() };
  s.currentJustifiedCheckpoint = { epoch: 21, root: root() };
  s.finalizedCheckpoint = { epoch: 19, root: root() };
  s.inactivityScores = Array.from({ length: validators }, (_, i) => i % 5);
  s.currentSyncCommittee = committee(seed);
  s.nextSyncCommittee = committee(seed + 1);
  Object.assign(s.latestExecutionPayloadHeader, {
    parentHash: root(), feeRecipient: randomBytes(20), stateRoot: root(), receiptsRoot: root(),
    logsBloom: randomBytes(256), prevRandao: root(), blockNumber: 1234, gasLimit: 30e6, gasUsed: 21e3,
    timestamp: 1_700_000_000, extraData: randomBytes(7), baseFeePerGas: 10n ** 9n, blockHash: root(),
    transactionsRoot: root(), withdrawalsRoot: root(), blobGasUsed: 131072, excessBlobGas: 3,
  });
  s.nextWithdrawalIndex = 77;
  s.nextWithdrawalValidatorIndex = 2;
  s.historicalSummaries = [{ blockSummaryRoot: root(), stateSummaryRoot: root() }];
  s.depositRequestsStartIndex = 2 ** 40;
  s.depositBalanceToConsume = 11;
  s.exitBalanceToConsume = 12;
  s.earliestExitEpoch = 13;
  s.consolidationBalanceToConsume = 14;
  s.earliestConsolidationEpoch = 15;
  s.pendingDeposits = [{ pubkey: randomBytes(48), withdrawalCredentials: root(), amount: 1e9, signature: randomBytes(96), slot: 3 }];
  s.pendingPartialWithdrawals = [{ validatorIndex: 1, amount: 2, withdrawableEpoch: 3 }];
  s.pendingConsolidations = [{ sourceIndex: 0, targetIndex: 2 }];
  if ('proposerLookahead' in s) {
    s.proposerLookahead[0] = 1;
    s.proposerLookahead[s.proposerLookahead.length - 1] = 2;
  }
  return coerce(types.BeaconState, s);
}


const DOMAIN_SYNC_COMMITTEE = Uint8Array.from([7, 0, 0, 0]);
// The devnet fork schedule of Kasane's dev and local presets: Electra from epoch 0, and Fulu's
// version (its epoch far off there, set by `fulu(epoch)` to cross the fork).
const FORK_VERSIONS = { electra: Uint8Array.from([5, 0, 0, 0]), fulu: Uint8Array.from([6, 0, 0, 0]) };
const WEAK_SIGNERS = 300;
const scalar = (n) => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));

/** One of each operation a block body lists, and a transaction and a withdrawal in its
 * payload, so that the relayer's layout of every element is checked against Lodestar's. */
function fillOperations(body) {
  const root = () => randomBytes(32);
  const checkpoint = () => ({ epoch: 3, root: root() });
  const data = () => ({ slot: 9, index: 0, beaconBlockRoot: root(), source: checkpoint(), target: checkpoint() });
  const signedHeader = () => ({ message: { slot: 9, proposerIndex: 1, parentRoot: root(), stateRoot: root(), bodyRoot: root() }, signature: randomBytes(96) });
  const indexed = () => ({ attestingIndices: [1, 5, 9], data: data(), signature: randomBytes(96) });
  const types = ssz.electra.BeaconBlockBody.fields;
  const attestation = types.attestations.elementType.defaultValue();
  attestation.aggregationBits = ssz.electra.Attestation.fields.aggregationBits.defaultValue();
  Object.assign(attestation, { data: data(), signature: randomBytes(96) });
  attestation.committeeBits.set(2, true);
  Object.assign(body, {
    eth1Data: { depositRoot: root(), depositCount: 4, blockHash: root() },
    proposerSlashings: [{ signedHeader1: signedHeader(), signedHeader2: signedHeader() }],
    attesterSlashings: [{ attestation1: indexed(), attestation2: indexed() }],
    attestations: [attestation],
    deposits: [{ proof: Array.from({ length: 33 }, root), data: { pubkey: randomBytes(48), withdrawalCredentials: root(), amount: 32e9, signature: randomBytes(96) } }],
    voluntaryExits: [{ message: { epoch: 2, validatorIndex: 7 }, signature: randomBytes(96) }],
    blsToExecutionChanges: [{ message: { validatorIndex: 3, fromBlsPubkey: randomBytes(48), toExecutionAddress: randomBytes(20) }, signature: randomBytes(96) }],
    blobKzgCommitments: [randomBytes(48), randomBytes(48)],
    executionRequests: {
      deposits: [{ pubkey: randomBytes(48), withdrawalCredentials: root(), amount: 1e9, signature: randomBytes(96), index: 4 }],
      withdrawals: [{ sourceAddress: randomBytes(20), validatorPubkey: randomBytes(48), amount: 5 }],
      consolidations: [{ sourceAddress: randomBytes(20), sourcePubkey: randomBytes(48), targetPubkey: randomBytes(48) }],
    },
  });
  body.executionPayload.transactions = [randomBytes(120)];
  body.executionPayload.withdrawals = [{ index: 1, validatorIndex: 2, address: randomBytes(20), amount: 3 }];
  coerce(ssz.electra.BeaconBlockBody, body);
}

/** Serves `source` (see `startBeaconApi`) on loopback; `source.sync()` runs before each
 * answer, one at a time. `stall()` holds every answer back until `resume()`, as a beacon
 * node that stopped answering. */
async function serve(source) {
  const requests = [];
  let syncing = Promise.resolve();
  // While stalled: the promise answers wait for, and how to end the wait.
  let stall = null;
  let held = 0;
  const server = http.createServer(async (req, res) => {
    requests.push(req.url);
    if (stall) {
      held += 1;
      await stall.over;
    }
    const json = (data) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data }));
    };
    const sendSsz = (fork, bytes) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'eth-consensus-version': fork });
      res.end(Buffer.from(bytes));
    };
    try {
      syncing = syncing.then(() => source.sync?.());
      await syncing;
      const headerId = req.url.match(/^\/eth\/v1\/beacon\/headers\/([^/?]+)$/)?.[1];
      const blockId = req.url.match(/^\/eth\/v2\/beacon\/blocks\/([^/?]+)$/)?.[1];
      const stateId = req.url.match(/^\/eth\/v2\/debug\/beacon\/states\/([^/?]+)$/)?.[1];
      const checkpointsId = req.url.match(/^\/eth\/v1\/beacon\/states\/([^/?]+)\/finality_checkpoints$/)?.[1];
      const block = source.block(headerId ?? blockId);
      // States by slot only: several clients serve no finalized state by root.
      const stateBlock = /^\d+$/.test(stateId ?? checkpointsId ?? '') ? source.block(stateId ?? checkpointsId) : undefined;
      const state = stateId && stateBlock && source.state(stateBlock);
      if (req.url === '/eth/v1/beacon/genesis') {
        json({ genesis_time: String(source.genesisTime), genesis_validators_root: hex(source.validatorsRoot), genesis_fork_version: '0x00000000' });
      } else if (req.url === '/eth/v1/config/spec') {
        json({ SECONDS_PER_SLOT: String(source.secondsPerSlot), SLOTS_PER_EPOCH: '32' });
      } else if (headerId && block) {
        const h = block.header;
        json({
          root: hex(block.root),
          canonical: true,
          header: {
            message: {
              slot: String(h.slot), proposer_index: String(h.proposerIndex), parent_root: hex(h.parentRoot),
              state_root: hex(h.stateRoot), body_root: hex(h.bodyRoot),
            },
            signature: hex(new Uint8Array(96)),
          },
        });
      } else if (blockId && block?.signed) {
        const fork = block.fork ?? 'electra';
        sendSsz(fork, ssz[fork].SignedBeaconBlock.serialize(block.signed));
      } else if (state) {
        sendSsz(state.fork, state.bytes());
      } else if (checkpointsId && stateBlock?.stateView) {
        const checkpoint = (c) => ({ epoch: String(c.epoch), root: hex(c.root) });
        const view = stateBlock.stateView;
        json({
          previous_justified: checkpoint(view.previousJustifiedCheckpoint),
          current_justified: checkpoint(view.currentJustifiedCheckpoint),
          finalized: checkpoint(source.finalityOf?.(stateBlock) ?? view.finalizedCheckpoint),
        });
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 404, message: 'not found' }));
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 500, message: String(e?.stack ?? e) }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const resume = () => {
    stall?.end();
    stall = null;
  };
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stall() {
      if (!stall) {
        let end;
        const over = new Promise((resolve) => { end = resolve; });
        stall = { over, end };
      }
    },
    resume,
    /** How many requests had to wait for a `resume()`. */
    held: () => held,
    stop: () => {
      resume();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A block by the API's block ids: `head`, `finalized`, a slot or a root. */
function lookup(blocks, head, finalized) {
  return (id) => {
    if (id === undefined) return undefined;
    if (id === 'head') return head();
    if (id === 'finalized') return finalized();
    if (/^\d+$/.test(id)) return blocks.find((b) => b.header.slot === Number(id));
    return blocks.find((b) => hex(b.root) === id);
  };
}

/**
 * Starts the API with one finalized block at `slot` whose state is of `fork` (`electra` or
 * `fulu`) with `validators` validators. `tamper: true` serves a state one byte off the one the
 * header names.
 * Returns { url, finalizedRoot, stateRoot, validatorsRoot, requests, stall(), resume(), held(),
 * stop() }.
 */
export async function startBeaconApi({ fork = 'electra', slot, seed = 1, tamper = false, validators }) {
  const state = fullState(fork, slot, seed, validators);
  const stateType = ssz[fork].BeaconState;
  const stateRoot = stateType.hashTreeRoot(state);
  const stateBytes = stateType.serialize(state);
  if (tamper) stateBytes[stateBytes.length - 1] ^= 1; // the last pending consolidation's target
  const header = {
    slot,
    proposerIndex: 2,
    parentRoot: state.blockRoots[(slot - 1) % SLOTS_PER_HISTORICAL_ROOT],
    stateRoot,
    bodyRoot: randomBytes(32),
  };
  const block = { header, root: ssz.phase0.BeaconBlockHeader.hashTreeRoot(header) };
  const server = await serve({
    genesisTime: state.genesisTime,
    validatorsRoot: state.genesisValidatorsRoot,
    secondsPerSlot: 12,
    block: lookup([block], () => block, () => block),
    state: (b) => (b === block ? { fork, bytes: () => stateBytes } : undefined),
  });
  return {
    ...server,
    finalizedRoot: hex(block.root),
    stateRoot: hex(stateRoot),
    stateBytes: stateBytes.length,
    validatorsRoot: hex(state.genesisValidatorsRoot),
  };
}

/** A sync committee of the keys `seed + i`: the signature of its first `signers` members is
 * one by the sum of their keys. */
function keyedCommittee(seed) {
  const pubkeys = [];
  for (let i = 0; i < COMMITTEE; i++) pubkeys.push(SecretKey.fromBytes(scalar(BigInt(seed + i))).toPublicKey().toBytes());
  const keyOfFirst = (signers) => {
    const n = BigInt(signers);
    return SecretKey.fromBytes(scalar(BigInt(seed) * n + (n * (n - 1n)) / 2n));
  };
  return { committee: { pubkeys, aggregatePubkey: keyOfFirst(COMMITTEE).toPublicKey().toBytes() }, keyOfFirst };
}

/**
 * Starts a beacon chain over the anvil chain `provider` reads (see the module docs), its
 * checkpoint block at slot `checkpointSlot`. Anvil block n goes at the slot of its timestamp
 * (12-second slots, block 0 right after the checkpoint), or the slot after the block before
 * when anvil gave it the same second: so a jump in anvil's clock leaves empty slots, as on
 * Ethereum. The committee of period p has the keys `seed + 1000 p + i`. Blocks are Electra's
 * until `fulu(epoch)` moves the chain to Fulu at that epoch: from there its states are Fulu's
 * (the Electra state with `proposer_lookahead` added), and signatures whose slot before is in
 * it are signed under Fulu's fork version, as the light client verifies them.
 * Returns { url, checkpointSlot, slotOf(n), rootAt(slot), secondsUntil(slot),
 * weaken(from, to, signers), misreport(on), fulu(epoch), requests, stall(), resume(), held(),
 * stop() }.
 */
export async function startBeaconChain({ provider, seed = 11, checkpointSlot = 64 }) {
  const committees = new Map();
  const committeeOf = (slot) => {
    const period = Math.floor(slot / SLOTS_PER_PERIOD);
    if (!committees.has(period)) committees.set(period, keyedCommittee(seed + 1000 * period));
    return committees.get(period);
  };
  const base = fullState('electra', checkpointSlot, 1);
  for (let i = 0; i < SLOTS_PER_HISTORICAL_ROOT; i++) base.blockRoots[i] = new Uint8Array(32);
  base.finalizedCheckpoint = { epoch: 0, root: new Uint8Array(32) };
  const validatorsRoot = base.genesisValidatorsRoot;
  const domains = {};
  for (const [fork, currentVersion] of Object.entries(FORK_VERSIONS)) {
    const forkDataRoot = ssz.phase0.ForkData.hashTreeRoot({ currentVersion, genesisValidatorsRoot: validatorsRoot });
    domains[fork] = new Uint8Array(32);
    domains[fork].set(DOMAIN_SYNC_COMMITTEE);
    domains[fork].set(forkDataRoot.subarray(0, 28), 4);
  }
  let fuluEpoch = Infinity;
  const forkAt = (slot) => (Math.floor(slot / 32) >= fuluEpoch ? 'fulu' : 'electra');
  const genesis = await provider.send('eth_getBlockByNumber', ['0x0', false]);
  const secondsPerSlot = 12;
  const genesisTime = Number(genesis.timestamp) - (checkpointSlot + 1) * secondsPerSlot;

  const blocks = [];
  // Anvil blocks whose beacon block carries a signature of fewer members (`weaken`): how many.
  const weak = new Map();
  // Whether `finality_checkpoints` names the block after the one a state names (`misreport`).
  let misreporting = false;
  /** Adds the block at `slot` carrying `payload` (an Electra execution payload, or none). */
  function push(slot, payload, finalized) {
    const parent = blocks.at(-1);
    const fork = forkAt(slot);
    let state;
    if (!parent) {
      state = ssz.electra.BeaconState.toViewDU(base);
    } else if (parent.fork === fork) {
      state = parent.stateView.clone();
    } else {
      // The fork's upgrade: the Electra state, and the proposers of the next two epochs.
      const upgraded = parent.stateView.toValue();
      upgraded.proposerLookahead = Array.from({ length: 64 }, (_, i) => (slot + i) % 3);
      state = ssz.fulu.BeaconState.toViewDU(upgraded);
    }
    state.slot = slot;
    const period = Math.floor(slot / SLOTS_PER_PERIOD);
    state.currentSyncCommittee = ssz.altair.SyncCommittee.toViewDU(committeeOf(slot).committee);
    state.nextSyncCommittee = ssz.altair.SyncCommittee.toViewDU(committeeOf((period + 1) * SLOTS_PER_PERIOD).committee);
    if (parent) {
      // The roots of the slots since the parent's (empty ones repeat it).
      for (let s = Math.max(parent.header.slot, slot - SLOTS_PER_HISTORICAL_ROOT); s < slot; s++) {
        state.blockRoots.set(s % SLOTS_PER_HISTORICAL_ROOT, parent.root);
      }
      state.finalizedCheckpoint = ssz.phase0.Checkpoint.toViewDU({ epoch: Math.floor(finalized.header.slot / 32), root: finalized.root });
    }
    state.commit();
    const body = ssz.electra.BeaconBlockBody.defaultValue();
    body.randaoReveal = randomBytes(96);
    body.graffiti = Buffer.alloc(32, 'kasane-mock-beacon');
    if (payload) body.executionPayload = coerce(ssz.electra.ExecutionPayload, payload);
    if (parent) fillOperations(body);
    if (parent) {
      // The committee of this slot's period signs the parent, under the fork of the slot before.
      const domain = domains[forkAt(slot - 1)];
      const signingRoot = ssz.phase0.SigningData.hashTreeRoot({ objectRoot: parent.root, domain });
      const signers = weak.get(payload?.blockNumber) ?? COMMITTEE;
      body.syncAggregate.syncCommitteeSignature = committeeOf(slot).keyOfFirst(signers).sign(signingRoot).toBytes();
      for (let i = 0; i < signers; i++) body.syncAggregate.syncCommitteeBits.set(i, true);
    }
    const message = {
      slot,
      proposerIndex: slot % 3,
      parentRoot: parent ? parent.root : new Uint8Array(32),
      stateRoot: state.hashTreeRoot(),
      body,
    };
    const header = { ...message, bodyRoot: ssz.electra.BeaconBlockBody.hashTreeRoot(body) };
    delete header.body;
    const root = ssz.phase0.BeaconBlockHeader.hashTreeRoot(header);
    blocks.push({ header, root, fork, stateView: state, signed: { message, signature: new Uint8Array(96) }, number: payload?.blockNumber });
  }
  push(checkpointSlot);

  const byNumber = (n) => blocks.find((b) => b.number === n);
  async function sync() {
    const latest = Number(await provider.send('eth_blockNumber', []));
    for (let n = (blocks.at(-1).number ?? -1) + 1; n <= latest; n++) {
      const b = await provider.send('eth_getBlockByNumber', [`0x${n.toString(16)}`, false]);
      const payload = {
        parentHash: fromHex(b.parentHash), feeRecipient: fromHex(b.miner), stateRoot: fromHex(b.stateRoot),
        receiptsRoot: fromHex(b.receiptsRoot), logsBloom: fromHex(b.logsBloom), prevRandao: fromHex(b.mixHash),
        blockNumber: n, gasLimit: Number(b.gasLimit), gasUsed: Number(b.gasUsed), timestamp: Number(b.timestamp),
        extraData: fromHex(b.extraData), baseFeePerGas: BigInt(b.baseFeePerGas), blockHash: fromHex(b.hash),
        transactions: [], withdrawals: [], blobGasUsed: BigInt(b.blobGasUsed ?? 0), excessBlobGas: BigInt(b.excessBlobGas ?? 0),
      };
      const slot = Math.max(blocks.at(-1).header.slot + 1, Math.floor((Number(b.timestamp) - genesisTime) / secondsPerSlot));
      // Anvil's finalized block is 64 below its head: its beacon block is this one's finalized.
      push(slot, payload, n >= 64 ? byNumber(n - 64) : blocks[0]);
    }
  }
  const head = () => blocks.at(-1);
  const server = await serve({
    genesisTime,
    validatorsRoot,
    secondsPerSlot,
    sync,
    block: lookup(blocks, head, () => {
      const root = hex(head().stateView.finalizedCheckpoint.root);
      return blocks.find((b) => hex(b.root) === root) ?? blocks[0];
    }),
    state: (block) => ({ fork: block.fork, bytes: () => block.stateView.serialize() }),
    finalityOf: (block) => {
      const named = block.stateView.finalizedCheckpoint;
      const index = blocks.findIndex((b) => hex(b.root) === hex(named.root));
      const after = misreporting && index >= 0 ? blocks[index + 1] : undefined;
      return after ? { epoch: Math.floor(after.header.slot / 32), root: after.root } : named;
    },
  });
  return {
    ...server,
    checkpointSlot,
    async slotOf(n) {
      await sync();
      return byNumber(n)?.header.slot;
    },
    /** The beacon blocks of anvil blocks `from` to `to` will carry the signature of
     * `signers` of the 512 members only (300: less than the light client's supermajority). */
    weaken(from, to, signers = WEAK_SIGNERS) {
      for (let n = from; n <= to; n++) weak.set(n, signers);
    },
    /** While `on`, `finality_checkpoints` names the block after the finalized one its state
     * names: a node whose answers disagree. */
    misreport(on) {
      misreporting = on;
    },
    /** Fulu from `epoch` on, for blocks not built yet. */
    fulu(epoch) {
      fuluEpoch = epoch;
    },
    rootAt: (slot) => {
      const block = blocks.find((b) => b.header.slot === slot);
      return block && hex(block.root);
    },
    /** Seconds from anvil's latest block to the time of `slot`: the interval to mine the next
     * block at `slot` with. */
    async secondsUntil(slot) {
      const latest = await provider.send('eth_getBlockByNumber', ['latest', false]);
      return genesisTime + slot * secondsPerSlot - Number(latest.timestamp);
    },
  };
}
