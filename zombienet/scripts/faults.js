// Network faults beyond one paused node, each step bounded by its `within` in the zndsl:
// - "settle": every block seen so far is finalized (the four-validator set is enacted);
// - "finality-stalls" (Charlie and Dave paused, 2 of 4 GRANDPA voters left, below 2/3): blocks
//   go on but none authored after the pause is finalized;
// - "finality-resumes" (both resumed): the outage's blocks are finalized and all four nodes
//   hold the same finalized hash;
// - "snapshot" then, after all four were paused (within milliseconds of each other), killed and
//   restarted from their databases one after another, "continues": every node still holds the snapshot's block
//   with the same header (state root) and every key of its state reads the same, and the
//   network finalizes past where each node stood, all agreeing;
// - "wipe,<node>" (the node paused): delete its chain database, keep its keystore (the session
//   keys it rotated when it joined) and network key; "resynced" (on that node after its
//   restart): it syncs the chain from its peers, agrees with them and authors again.
const fs = require('fs');
const path = require('path');
const { account, connect, eventually, finalizedNumber, rpc, state } = require('./common.js');

const NODES = ['alice', 'bob', 'charlie', 'dave'];
const CHAIN_ID = 'kasane_local';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function header(nodeName, networkInfo, hash) {
  return rpc(nodeName, networkInfo, 'chain_getHeader', hash ? [hash] : []);
}

async function bestNumber(nodeName, networkInfo) {
  return parseInt((await header(nodeName, networkInfo)).number, 16);
}

async function finalized(nodeName, networkInfo) {
  const hash = await rpc(nodeName, networkInfo, 'chain_getFinalizedHead', []);
  return { hash, number: parseInt((await header(nodeName, networkInfo, hash)).number, 16) };
}

async function hashAt(nodeName, networkInfo, number) {
  return rpc(nodeName, networkInfo, 'chain_getBlockHash', [number]);
}

/** Every key and value of the state at `hash`, read over RPC page by page. */
async function stateAt(nodeName, networkInfo, hash) {
  const entries = [];
  let startKey = null;
  for (;;) {
    const keys = await rpc(nodeName, networkInfo, 'state_getKeysPaged', ['0x', 500, startKey, hash]);
    if (keys.length === 0) break;
    const [changeSet] = await rpc(nodeName, networkInfo, 'state_queryStorageAt', [keys, hash]);
    entries.push(...changeSet.changes);
    if (keys.length < 500) break;
    startKey = keys[keys.length - 1];
  }
  return entries;
}

/** Waits until `node`'s RPC answers (after a restart it opens a moment after zombienet's check). */
async function reachable(node, networkInfo) {
  await eventually(() => rpc(node, networkInfo, 'system_health', []).catch(() => false));
}

/** Waits until all four nodes have finalized `number` and hold the same hash there. */
async function allAgreeAt(networkInfo, number) {
  const hashes = [];
  for (const node of NODES) {
    await eventually(async () => (await finalized(node, networkInfo)).number >= number);
    hashes.push(await hashAt(node, networkInfo, number));
  }
  if (new Set(hashes).size !== 1) {
    throw new Error(`nodes disagree on finalized #${number}: ${NODES.map((n, i) => `${n} ${hashes[i]}`).join(', ')}`);
  }
  return hashes[0];
}

async function settle(nodeName, networkInfo) {
  const api = await connect(nodeName, networkInfo);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await eventually(async () => (await finalizedNumber(api)) >= best);
  await api.disconnect();
}

async function finalityStalls(nodeName, networkInfo) {
  // Charlie and Dave are paused: a block above `atPause` was authored after the pause, so
  // they never saw it and it cannot gather 3 of 4 GRANDPA votes.
  const atPause = await bestNumber(nodeName, networkInfo);
  // Alice and Bob keep their Aura slots (2 of 4): one block per two slots on average.
  await eventually(async () => (await bestNumber(nodeName, networkInfo)) >= atPause + 3);
  // A few GRANDPA rounds more, so that finality would have moved if it could.
  await sleep(10000);
  const { number } = await finalized(nodeName, networkInfo);
  if (number > atPause) {
    throw new Error(`#${number} finalized with 2 of 4 voters (best at the pause: #${atPause})`);
  }
  state.stalledBest = await bestNumber(nodeName, networkInfo);
  console.log(`finality stalled at #${number} while blocks went on from #${atPause} to #${state.stalledBest}`);
}

async function finalityResumes(nodeName, networkInfo) {
  const hash = await allAgreeAt(networkInfo, state.stalledBest);
  console.log(`after the outage all four finalized #${state.stalledBest} ${hash}`);
}

async function snapshot(nodeName, networkInfo) {
  await settle(nodeName, networkInfo);
  const number = (await finalized(nodeName, networkInfo)).number;
  const hash = await allAgreeAt(networkInfo, number);
  state.snapshot = {
    number,
    hash,
    stateRoot: (await header(nodeName, networkInfo, hash)).stateRoot,
    state: JSON.stringify(await stateAt(nodeName, networkInfo, hash)),
  };
  console.log(`snapshot of #${number} ${hash}: ${JSON.parse(state.snapshot.state).length} keys`);
}

async function continues(nodeName, networkInfo) {
  const snap = state.snapshot;
  let highest = snap.number;
  for (const node of NODES) {
    await reachable(node, networkInfo);
    const hash = await hashAt(node, networkInfo, snap.number);
    if (hash !== snap.hash) throw new Error(`${node} lost finalized #${snap.number} (holds ${hash})`);
    const { stateRoot } = await header(node, networkInfo, hash);
    if (stateRoot !== snap.stateRoot) throw new Error(`${node}: #${snap.number} state root ${stateRoot}, was ${snap.stateRoot}`);
    if (JSON.stringify(await stateAt(node, networkInfo, hash)) !== snap.state) {
      throw new Error(`${node}: the state at #${snap.number} reads differently after the restart`);
    }
    highest = Math.max(highest, await bestNumber(node, networkInfo));
  }
  // Past every block any node held after its restart: the network built on it and finalized.
  const hash = await allAgreeAt(networkInfo, highest + 2);
  console.log(`restarted from their databases: #${snap.number} intact on all four, #${highest + 2} ${hash} finalized by all`);
}

async function wipe(nodeName, networkInfo, victim) {
  const chainDir = path.join(networkInfo.tmpDir, victim, 'data', 'chains', CHAIN_ID);
  const databases = ['paritydb', 'db'].map((d) => path.join(chainDir, d)).filter((d) => fs.existsSync(d));
  if (databases.length === 0) throw new Error(`no database under ${chainDir}`);
  if (!fs.existsSync(path.join(chainDir, 'keystore'))) throw new Error(`no keystore under ${chainDir}`);
  for (const dir of databases) fs.rmSync(dir, { recursive: true });
  state.wiped = { victim, finalized: await finalized(nodeName, networkInfo) };
  console.log(`wiped ${databases.join(', ')} at finalized #${state.wiped.finalized.number}`);
}

async function resynced(nodeName, networkInfo) {
  const { finalized: before } = state.wiped;
  await reachable(nodeName, networkInfo);
  // Synced from peers: it finalizes past the wipe and holds the same blocks as Alice.
  await eventually(async () => (await finalized(nodeName, networkInfo)).number > before.number);
  const hash = await hashAt(nodeName, networkInfo, before.number);
  if (hash !== before.hash) throw new Error(`${nodeName} synced #${before.number} as ${hash}, not ${before.hash}`);
  const api = await connect(nodeName, networkInfo);
  const me = account(`//${nodeName[0].toUpperCase()}${nodeName.slice(1)}`, api).address;
  if (!(await api.query.session.validators()).some((v) => v.toString() === me)) {
    throw new Error(`${nodeName} is no longer in the session's validators`);
  }
  // An authority again: it authors a block above the wipe with the keys its keystore kept.
  let from = before.number + 1;
  const authored = await eventually(async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; from <= best; from++) {
      const h = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(from));
      if (h && h.author && h.author.toString() === me) return from;
    }
    return 0;
  });
  const authoredHash = (await api.rpc.chain.getBlockHash(authored)).toHex();
  await api.disconnect();
  // Its block is the one all four finalized at that height.
  const finalizedHash = await allAgreeAt(networkInfo, authored);
  if (finalizedHash !== authoredHash) {
    throw new Error(`${nodeName}'s #${authored} ${authoredHash} was not finalized (${finalizedHash} was)`);
  }
  console.log(`${nodeName} re-synced from its peers and authored #${authored}, finalized by all`);
}

async function run(nodeName, networkInfo, args) {
  const [step, arg] = args;
  const steps = { settle, 'finality-stalls': finalityStalls, 'finality-resumes': finalityResumes, snapshot, continues, wipe, resynced };
  if (!steps[step]) throw new Error(`unknown step ${step}`);
  await steps[step](nodeName, networkInfo, arg);
  return 1;
}

module.exports = { run };
