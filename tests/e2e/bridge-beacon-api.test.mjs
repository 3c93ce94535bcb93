// The LST bridge under the beacon light client with a real beacon node's standard HTTP API as
// the relayer's beacon source (issue 23, tier 2b), the API a loopback mock whose blocks and
// states Lodestar's SSZ types build and hash (lib/beacon-api.mjs), every state field filled:
// an implementation of the consensus specs independent of the relayer's.
//
// - `kasane-relayer --beacon-api URL --print-beacon-checkpoint finalized` decodes the block's
//   whole beacon state (SSZ, Electra or Fulu), checks its root against the header's, and
//   prints the checkpoint with the branches it computed; root installs it and the light
//   client verifies the committee and `block_roots` branches against the header's state root.
// - A relayer with `--beacon-api` proves deposits on a beacon chain over anvil's blocks: it
//   finds the beacon block carrying each deposit's block, builds the update (the committee's
//   BLS signature carried by a block, the attested block's finality and committee branches,
//   the finalized block's `block_roots`) and the execution proof (payload branch, ancestry
//   branch) from the blocks and states it reads, and the deposits mint: after a checkpoint
//   late in a committee period (an update that only hands the next committee over first),
//   across two periods in steps, past blocks signed by too few members.
// - `kasane bridge prove --beacon-api` does the same for one deposit, signed by its user, with
//   the beacon node and anvil both behind https:// (a CA of the test's, in SSL_CERT_FILE); a
//   checkpoint read over https:// from a server whose issuer the relayer does not trust fails
//   with nothing read.
// - A relayer reading a beacon node of another chain than its Ethereum node submits nothing.
// - A beacon node that stops answering holds up only the proofs waiting for it: the relayer
//   signs a withdrawal meanwhile, and the deposit mints once the node answers again.
// - One whose finality checkpoints disagree with its states gets nothing submitted.
// - A light client several committee periods behind is brought up in steps it takes, over
//   more than one pass when it needs more updates than a pass sends.
// - Across the Fulu fork (mainnet's since December 2025): deposits on either side mint, one
//   under an update signed at the fork's first slot (verified under the fork before), one
//   under an update signed with Fulu's fork version, the relayer reading Fulu states.
// - A deposit root checkpointed the light client far past is named once, not walked for again
//   each pass while later deposits mint, and mints once root checkpoints back below it.
// - After a checkpoint whose only successor in its period is the period's last block, the
//   next committee is handed over by an update attesting the checkpoint block itself.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, test } from 'node:test';

import { u8aToHex } from '@polkadot/util';

import { submit, until, useDevNode } from './lib/api.mjs';
import { startBeaconApi, startBeaconChain } from './lib/beacon-api.mjs';
import { runKasane } from './lib/cli.mjs';
import { bridgeConfiguration, deployWstethVault, depositTo, ethers, relayerBinary, startAnvil, startRelayer } from './lib/bridge.mjs';
import { sudo } from './lib/slashing.mjs';
import { testCertificates, tlsFront } from './lib/tls.mjs';

const run = promisify(execFile);
// A checkpoint's slot, in the middle of a sync committee period (8192 slots).
const SLOT = 2 * 8192 + 100;

const E = 10n ** 18n;
const WSTETH_ASSET = 100;

let api;
let alice;
let dev;
let anvil;
let relayer;
const mocks = [];
const anvils = [];
const relayers = [];
// A CA of the test's own and a certificate it issued for 127.0.0.1: beacon nodes and anvil
// are served over https:// too, trusted by the relayer and CLI through SSL_CERT_FILE.
const tls = testCertificates();
const trustingTestCa = { ...process.env, SSL_CERT_FILE: tls.caFile };
const trustingSystemRoots = { ...process.env };
delete trustingSystemRoots.SSL_CERT_FILE;
delete trustingSystemRoots.SSL_CERT_DIR;
// Set by the relaying test, for the one after it.
let bridge;

after(async () => {
  for (const r of [relayer, ...relayers]) await r?.remove();
  for (const mock of mocks) await mock.stop();
  for (const a of [anvil, ...anvils]) await a?.stop();
  tls.remove();
});

useDevNode(async (node) => {
  dev = node;
  ({ api, alice } = dev);
});

/** Mines anvil's next block at the time of `chain`'s `slot` exactly: an interval given to
 * `anvil_mine` would also add the seconds gone by since anvil's last block. */
async function mineAt(chain, slot) {
  const latest = await anvil.provider.send('eth_getBlockByNumber', ['latest', false]);
  await anvil.provider.send('evm_setNextBlockTimestamp', [Number(latest.timestamp) + await chain.secondsUntil(slot)]);
  await anvil.provider.send('evm_mine', []);
  return Number(latest.number) + 1;
}

/** The slot of `chain`'s block carrying anvil's latest block. */
const headSlot = async (chain) => chain.slotOf(Number(await anvil.provider.send('eth_blockNumber', [])));

const printCheckpoint = (mock, id = 'finalized', { url = mock.url, env = trustingSystemRoots } = {}) =>
  run(relayerBinary(), ['--beacon-api', url, '--print-beacon-checkpoint', id], { env });

for (const fork of ['electra', 'fulu']) {
  test(`a checkpoint read from a beacon node's ${fork} state is installed: the light client verifies its branches`, async () => {
    const mock = await startBeaconApi({ fork, slot: SLOT, seed: fork === 'electra' ? 1 : 2 });
    mocks.push(mock);
    const { stdout, stderr } = await printCheckpoint(mock);
    assert.match(stderr, new RegExp(`slot ${SLOT}, root ${mock.finalizedRoot}`));
    // The state was read by its block's slot (several clients serve no finalized state by
    // root; this mock neither), its root checked against the header's.
    assert.ok(mock.requests.includes(`/eth/v2/debug/beacon/states/${SLOT}`), mock.requests.join(', '));
    await sudo(api, api.tx.ethereumBeaconClient.forceCheckpoint(stdout.trim()), alice);
    assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(), mock.finalizedRoot);
    assert.equal((await api.query.ethereumBeaconClient.initialCheckpointRoot()).toHex(), mock.finalizedRoot);
    assert.equal((await api.query.ethereumBeaconClient.validatorsRoot()).toHex(), mock.validatorsRoot);
    // The same block named by its slot or root gives the same checkpoint.
    assert.equal((await printCheckpoint(mock, String(SLOT))).stdout, stdout);
    assert.equal((await printCheckpoint(mock, mock.finalizedRoot)).stdout, stdout);
  });
}

test('a checkpoint is read over https://, the beacon node\'s certificate checked against the roots the relayer trusts', async () => {
  const mock = await startBeaconApi({ slot: SLOT, seed: 3 });
  const front = await tlsFront(mock.url, tls);
  mocks.push(mock, front);
  // Issued by a CA the system does not know: refused before anything is read.
  await assert.rejects(printCheckpoint(mock, 'finalized', { url: front.url }), (e) => {
    assert.equal(e.stdout, '');
    assert.match(e.stderr, /invalid peer certificate: UnknownIssuer/);
    return true;
  });
  assert.equal(mock.requests.length, 0, mock.requests.join(', '));
  // Trusted, but named for another host (the certificate is for 127.0.0.1 only): refused too.
  await assert.rejects(printCheckpoint(mock, 'finalized', { url: front.url.replace('127.0.0.1', 'localhost'), env: trustingTestCa }), (e) => {
    assert.equal(e.stdout, '');
    assert.match(e.stderr, /invalid peer certificate: certificate not valid for name "localhost"/);
    return true;
  });
  assert.equal(mock.requests.length, 0, mock.requests.join(', '));
  // With that CA trusted (SSL_CERT_FILE), the same checkpoint as over http://.
  const secure = await printCheckpoint(mock, 'finalized', { url: front.url, env: trustingTestCa });
  assert.match(secure.stdout, /^0x[0-9a-f]+\n$/);
  assert.equal(secure.stdout, (await printCheckpoint(mock)).stdout);
});

test('a state that is not the one its header names is refused, and nothing is printed', async () => {
  const mock = await startBeaconApi({ slot: SLOT, tamper: true });
  mocks.push(mock);
  await assert.rejects(printCheckpoint(mock), (e) => {
    assert.equal(e.stdout, '');
    assert.match(e.stderr, /the beacon state of slot \d+ has the root 0x[0-9a-f]+, not the header's/);
    return true;
  });
});

test('a block the beacon node does not have is named, and nothing is printed', async () => {
  const mock = await startBeaconApi({ slot: SLOT });
  mocks.push(mock);
  await assert.rejects(printCheckpoint(mock, '12345'), (e) => {
    assert.equal(e.stdout, '');
    assert.match(e.stderr, /the beacon node has no block 12345/);
    return true;
  });
});

test('deposits mint through updates and execution proofs the relayer reads off a beacon node', async () => {
  const eve = dev.keyring.addFromUri('//Eve');
  anvil = await startAnvil();
  // The checkpoint 12 slots before the end of a committee period: the light client, which a
  // checkpoint leaves without the next committee, can only be handed it by an update signed
  // in that period, whose finalized block is still the checkpoint's.
  const chain = await startBeaconChain({ provider: anvil.provider, seed: 11, checkpointSlot: 8_180 });
  mocks.push(chain);
  const kasaneGenesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  const { user, attesters, vault, wsteth } = await deployWstethVault(anvil, kasaneGenesis);
  const checkpoint = (await printCheckpoint(chain, String(chain.checkpointSlot))).stdout.trim();
  await sudo(api, api.tx.utility.batchAll([
    ...(await bridgeConfiguration(api, { vault, attesters, wsteth, assetId: WSTETH_ASSET, policy: 'Beacon' })),
    api.tx.ethereumBeaconClient.forceCheckpoint(checkpoint),
  ]), alice);
  relayer = startRelayer('beacon-node', {
    'eth-rpc': anvil.url,
    'kasane-rpc': dev.node.rpcUrl,
    vault: vault.target,
    'attester-key': attesters[0].privateKey,
    'eth-sender-key': attesters[0].privateKey,
    'kasane-signer': '//Charlie',
    'start-block': 0,
    'poll-interval-ms': 500,
    'beacon-api': chain.url,
  });
  const balance = async () => {
    const account = await api.query.assets.account(WSTETH_ASSET, eve.address);
    return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
  };
  // anvil calls a block finalized 64 below its head.
  const finalize = (above = 0) => anvil.provider.send('anvil_mine', [ethers.toQuantity(65 + above), '0x0']);
  const updates = () => relayer.lines().filter((l) => l.fields?.message === 'beacon block finalized on kasane');
  const handOvers = () => relayer.lines().filter((l) => l.fields?.message === 'next sync committee handed over on kasane');

  const first = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 5n * E);
  await finalize();
  await until(async () => (await balance()) === 5n * E, 120_000, 'the first deposit minted');
  // First the next committee, by an update that finalizes nothing new (its finalized block is
  // the checkpoint), then the deposit's block: the block of anvil's finalized block when the
  // relayer read the chain, the deposit's own here, proven with no ancestry branch.
  assert.deepEqual(handOvers().map((l) => l.fields.slot), [chain.checkpointSlot]);
  const [firstUpdate] = updates();
  const submitted = relayer.lines().map((l) => l.fields?.message)
    .filter((m) => m === 'next sync committee handed over on kasane' || m === 'beacon block finalized on kasane');
  assert.equal(submitted[0], 'next sync committee handed over on kasane', 'the hand-over first');
  assert.equal(firstUpdate.fields.slot, await chain.slotOf(first.receipt.blockNumber));
  assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(), chain.rootAt(firstUpdate.fields.slot));

  // Anvil's clock jumps to just before the end of the next committee period: the slots between
  // are empty. A second deposit lands in the period after, finalized with 10 blocks above it
  // (the relayer away meanwhile, so that it reads the chain once mined), the last 2 blocks
  // signed by 341 of the 512 members, one short of the light client's two thirds, the one
  // before by 342, just enough. The light client is brought there in updates no further
  // apart than a state's block roots and each signed in a period it may verify (a step, then
  // the deposit's), each handing the next committee over; the relayer passes over the weak
  // signatures; the deposit is proven through an ancestry branch into the finalized block's
  // roots, across the empty slots.
  await relayer.stop();
  await anvil.provider.send('anvil_mine', ['0x1', ethers.toQuantity(await chain.secondsUntil(2 * 8_192 - 42))]);
  await finalize();
  const second = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 7n * E);
  chain.weaken(second.receipt.blockNumber + 73, second.receipt.blockNumber + 73, 342);
  chain.weaken(second.receipt.blockNumber + 74, second.receipt.blockNumber + 75, 341);
  await finalize(10);
  const secondSlot = await chain.slotOf(second.receipt.blockNumber);
  // Signed by the block of anvil's head - 2 (342 signers), attesting its parent, whose
  // finalized block is 64 below.
  const finalizedSlot = await chain.slotOf(second.receipt.blockNumber + 8);
  assert.ok(secondSlot >= 2 * 8_192, `the second deposit at slot ${secondSlot}`);
  await relayer.restart();
  await until(async () => (await balance()) === 12n * E, 120_000, 'the second deposit minted');
  const slots = updates().map((l) => l.fields.slot);
  assert.equal(slots.at(-1), finalizedSlot, JSON.stringify(updates().map((l) => l.fields)));
  assert.ok(slots.length >= 3, 'a step on the way to the second deposit');
  for (const [i, slot] of slots.entries()) {
    const before = slots[i - 1] ?? chain.checkpointSlot;
    assert.ok(slot > before && slot <= before + 8_192, `update ${i} at ${slot}`);
  }
  assert.equal((await api.query.ethereumBeaconClient.latestSyncCommitteeUpdatePeriod()).toNumber(), 2);
  assert.ok(!relayer.lines().some((l) => /rejected by kasane/.test(l.fields?.message ?? '')), 'nothing refused');
  bridge = { vault, user, wsteth, attesters, eve, balance, finalize, chain };
  // Everything came from the standard API: headers, blocks by root, states by slot, and
  // finality checkpoints to find an update before reading its states.
  assert.ok(chain.requests.some((r) => /^\/eth\/v2\/debug\/beacon\/states\/\d+$/.test(r)));
  assert.ok(chain.requests.some((r) => r.startsWith('/eth/v2/beacon/blocks/0x')));
  assert.ok(chain.requests.some((r) => r.endsWith('/finality_checkpoints')));
});

test('kasane bridge prove proves a deposit under the beacon light client from a beacon node, bringing it there first', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  await relayer.stop();
  const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 2n * E);
  // Both endpoints over https://, as hosted ones are: anvil and the beacon node behind TLS.
  const [ethereum, beacon] = [await tlsFront(anvil.url, tls), await tlsFront(chain.url, tls)];
  mocks.push(ethereum, beacon);
  const prove = (args) => runKasane(dev.node.rpcUrl, ['bridge', 'prove', String(d.message.nonce), '--eth-rpc', ethereum.url, ...args], { suri: '//Ferdie', env: { SSL_CERT_FILE: tls.caFile } });
  const without = await prove([]);
  assert.equal(without.code, 2, without.stdout + without.stderr);
  assert.match(without.stderr, /give the beacon node to prove under \(--beacon-api <url>\)/);
  const early = await prove(['--beacon-api', beacon.url]);
  assert.equal(early.code, 2, early.stdout + early.stderr);
  assert.match(early.stderr, new RegExp(`deposit ${d.message.nonce} is in Ethereum block ${d.receipt.blockNumber}, which is not finalized yet`));
  // Finalized with 5 blocks above it: the update the CLI submits finalizes the beacon block
  // of the 5th, and the deposit is proven through an ancestry branch.
  await finalize(5);
  const held = await balance();
  const run = await prove(['--beacon-api', beacon.url, '--json', '--wait', 'in-block']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.json.minted, (2n * E).toString());
  assert.equal(run.json.beacon_slot, await chain.slotOf(d.receipt.blockNumber));
  assert.equal(run.json.ancestry_proof, true);
  assert.ok(run.json.events.some((e) => e.event === 'lstBridge.DepositMinted'), JSON.stringify(run.json.events));
  assert.equal(await balance(), held + 2n * E);
  assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(),
    chain.rootAt(await chain.slotOf(d.receipt.blockNumber + 5)), 'the CLI brought the light client there');
  assert.ok(ethereum.connections() > 0, 'Ethereum read over https://');
  await relayer.restart();
});

test('a beacon node following another chain than the Ethereum node proves nothing, and the relayer goes on', async () => {
  const { vault, user, wsteth, attesters, eve, balance, finalize } = bridge;
  // Another anvil, long enough to hold every block number of the bridge's, and a beacon
  // chain over it: a beacon node whose execution client is not the relayer's Ethereum node.
  const other = await startAnvil();
  anvils.push(other);
  await other.provider.send('anvil_mine', [ethers.toQuantity(1_000), '0x0']);
  const stray = await startBeaconChain({ provider: other.provider, seed: 11 });
  mocks.push(stray);
  await relayer.stop();
  const misled = startRelayer('misled', {
    'eth-rpc': anvil.url,
    'kasane-rpc': dev.node.rpcUrl,
    vault: vault.target,
    'attester-key': attesters[1].privateKey,
    'eth-sender-key': attesters[1].privateKey,
    'kasane-signer': '//Dave',
    'start-block': 0,
    'poll-interval-ms': 500,
    'beacon-api': stray.url,
  });
  relayers.push(misled);
  const held = await balance();
  const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  await finalize();
  const failed = () => misled.lines().find((l) => l.fields?.message?.startsWith('the beacon source failed'));
  await until(() => failed(), 60_000, 'the misled relayer named the other chain');
  assert.match(failed().fields.error, /carries Ethereum block \d+ 0x[0-9a-f]+, not 0x[0-9a-f]+: the beacon node follows another chain than the Ethereum node/);
  assert.equal(failed().fields.retry_in_ms, 30_000);
  assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Unknown');
  assert.ok(!misled.lines().some((l) => /beacon block finalized|handed over|proving deposit/.test(l.fields?.message ?? '')), 'nothing submitted');
  // Its other duties went on: the step did not fail.
  assert.ok(!misled.lines().some((l) => /step failed|ethereum side failed/.test(l.fields?.message ?? '')));
  await misled.stop();
  await relayer.restart();
  await until(async () => (await balance()) === held + 1n * E, 120_000, 'minted once the relayer reads the right beacon node');
});

test('a beacon node that stops answering holds up only the proofs waiting for it: the relayer signs a withdrawal meanwhile', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  const from = relayer.lines().length;
  const start = await balance();
  chain.stall();
  try {
    const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
    await finalize();
    await until(() => chain.held() > 0, 60_000, 'the relayer waiting on the beacon node for the deposit');
    // Each request it makes now waits (up to its 5-minute timeout): the relayer's step must not.
    const events = await submit(api, api.tx.lstBridge.withdrawToEthereum(WSTETH_ASSET, E, ethers.Wallet.createRandom().address), eve);
    const nonce = events.find((e) => api.events.lstBridge.WithdrawalRequested.is(e)).data.nonce.toNumber();
    const signatures = async () => (await api.call.lstBridgeApi.withdrawal(nonce)).unwrap().signatures.length;
    await until(async () => (await signatures()) === 1, 60_000, 'the withdrawal signed while the beacon node is silent');
    assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Unknown');
    assert.equal(await balance(), start - E, 'the withdrawal burned 1, nothing minted');
  } finally {
    chain.resume();
  }
  await until(async () => (await balance()) === start, 120_000, 'the deposit minted once the beacon node answers');
  const since = relayer.lines().slice(from).map((l) => l.fields?.message ?? '');
  assert.ok(!since.some((m) => /step failed|ethereum side failed|rejected by kasane/.test(m)), since.join('\n'));
});

test('a beacon node whose finality checkpoints disagree with its states gets nothing submitted, and the relayer says why', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  const held = await balance();
  const from = relayer.lines().length;
  const since = () => relayer.lines().slice(from).map((l) => l.fields ?? {});
  chain.misreport(true);
  const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  await finalize();
  const failed = () => since().find((f) => f.message?.startsWith('the beacon source failed'));
  await until(() => failed(), 60_000, 'the relayer named the disagreement');
  assert.match(failed().error, /the beacon node's finality checkpoints of slot \d+ name 0x[0-9a-f]+, its state 0x[0-9a-f]+/);
  assert.ok(!since().some((f) => /beacon block finalized|handed over|proving deposit|rejected by kasane/.test(f.message ?? '')), 'nothing submitted');
  assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Unknown');
  // Once its answers agree again, after the source's rest, the deposit mints.
  chain.misreport(false);
  await until(async () => (await balance()) === held + 1n * E, 120_000, 'minted once the node agrees with itself');
});

test('a light client periods behind is brought up in steps the light client takes, each within a state\'s block roots', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  const light = api.query.ethereumBeaconClient;
  const latestSlot = async () => (await light.finalizedBeaconState(await light.latestFinalizedBlockRoot())).unwrap().slot.toNumber();
  const period = async () => (await light.latestSyncCommitteeUpdatePeriod()).toNumber();
  await relayer.stop();
  const from = relayer.lines().length;
  const [startSlot, startPeriod] = [await latestSlot(), await period()];
  // A block every 120 slots (1 440 s) for about eight and a half committee periods, then a
  // deposit: each update may finalize at most 8 192 slots above the one before, signed in a
  // period the light client knows the committee of, so that more updates are needed than a
  // pass sends (8): the next pass goes on from there. The relayer reads slots one by one for
  // 64 below the one it would sign at; where that finds no block (the period's end is more
  // than 64 slots past the last one), it takes the parent of the block above.
  await anvil.provider.send('anvil_mine', [ethers.toQuantity(580), ethers.toQuantity(1_440)]);
  const held = await balance();
  const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  await finalize();
  // The mock builds its ~650 new beacon blocks now, not while the relayer waits on it.
  await chain.slotOf(d.receipt.blockNumber + 65);
  await relayer.restart();
  await until(async () => (await balance()) === held + 1n * E, 360_000, 'minted once the light client is brought up');
  const lines = relayer.lines().slice(from);
  const since = lines.map((l) => l.fields ?? {});
  const slots = since.filter((f) => f.message === 'beacon block finalized on kasane').map((f) => f.slot);
  assert.ok(slots.length >= 9, JSON.stringify(slots));
  assert.ok(since.some((f) => f.message?.startsWith('the light client is still short of this block') && f.updates === 8));
  let previous = startSlot;
  for (const slot of slots) {
    assert.ok(slot > previous && slot <= previous + 8_192, `${slot} after ${previous}: ${JSON.stringify(slots)}`);
    previous = slot;
  }
  assert.ok((await period()) >= startPeriod + 8, `period ${await period()} from ${startPeriod}`);
  assert.ok(!since.some((f) => /rejected by kasane|step failed/.test(f.message ?? '')), JSON.stringify(lines.filter((l) => l.level !== 'INFO').map((l) => l.fields)));
  assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Processed');
});

test('deposits on either side of the Fulu fork mint: an update signed at the fork\'s first slot is verified under the fork before, the next under Fulu, its states Fulu\'s', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  await relayer.stop();
  const held = await balance();
  const from = relayer.lines().length;
  const requestsFrom = chain.requests.length;
  // A deposit and 64 blocks, then Fulu from the epoch after the last of them, on Kasane
  // (root's fork schedule, which the light client picks each signature's domain from) and on
  // the beacon chain; then a block at the fork's first slot: anvil's head, whose sync
  // aggregate signs its parent, which names the deposit's block finalized. The only update
  // that finalizes that block is signed there, and the light client verifies it under the
  // fork version of the slot before, Electra's (as the light client specs say), not Fulu's.
  const before = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  await anvil.provider.send('anvil_mine', [ethers.toQuantity(64), '0x0']);
  const epoch = Math.floor((await chain.slotOf(before.receipt.blockNumber + 64)) / 32) + 1;
  const forkSlot = epoch * 32;
  const forks = (await api.query.lstBridge.beaconForks()).unwrap().toJSON();
  forks.fulu.epoch = epoch;
  await sudo(api, api.tx.lstBridge.setBeaconForks(forks), alice);
  chain.fulu(epoch);
  const signer = await mineAt(chain, forkSlot);
  assert.equal(signer, before.receipt.blockNumber + 65);
  assert.equal(await chain.slotOf(signer), forkSlot);
  assert.ok((await chain.slotOf(signer - 1)) < forkSlot);
  const beforeSlot = await chain.slotOf(before.receipt.blockNumber);
  // The signing block must still be anvil's head when the relayer builds its update: nothing
  // else mines meanwhile (no Ethereum transaction of the relayer's is due).
  await relayer.restart();
  await until(async () => (await balance()) === held + 1n * E, 120_000, 'the deposit before the fork minted');
  const finalizedOnKasane = () => relayer.lines().slice(from).map((l) => l.fields ?? {})
    .filter((f) => f.message === 'beacon block finalized on kasane').map((f) => f.slot);
  assert.deepEqual(finalizedOnKasane(), [beforeSlot]);
  assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(), chain.rootAt(beforeSlot));
  // A deposit after the fork, proven under an update signed in Fulu, of Fulu blocks.
  const after = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 2n * E);
  const afterSlot = await chain.slotOf(after.receipt.blockNumber);
  assert.ok(afterSlot > forkSlot, `the deposit after the fork at ${afterSlot}, Fulu from ${forkSlot}`);
  await finalize();
  await until(async () => (await balance()) === held + 3n * E, 120_000, 'the deposit after the fork minted');
  // The last update finalized a Fulu block, signed in Fulu: under Electra's domain the light
  // client would have refused it. (Kasane's schedule and the mock stay in Fulu after this.)
  const slots = finalizedOnKasane();
  assert.ok(slots.length >= 2 && slots.at(-1) > forkSlot, JSON.stringify(slots));
  assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(), chain.rootAt(slots.at(-1)));
  const states = chain.requests.slice(requestsFrom)
    .map((r) => Number(r.match(/^\/eth\/v2\/debug\/beacon\/states\/(\d+)$/)?.[1]))
    .filter((slot) => slot >= forkSlot);
  assert.ok(states.length >= 2, 'the attested and finalized blocks\' Fulu states were read');
  const since = relayer.lines().slice(from).map((l) => l.fields ?? {});
  assert.ok(!since.some((f) => /rejected by kasane|step failed|beacon source failed/.test(f.message ?? '')), JSON.stringify(since.filter((f) => f.message && !/finalized on kasane|proving/.test(f.message))));
  for (const d of [before, after]) {
    assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Processed');
  }
});

test('a deposit the light client was checkpointed far past is not walked for again each pass, and mints once root checkpoints back below it', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  const light = api.query.ethereumBeaconClient;
  await relayer.stop();
  const from = relayer.lines().length;
  const held = await balance();
  // A block 10 slots into the next committee period, where root will take the light client
  // back to, and the deposit right after it.
  const period = Math.floor((await headSlot(chain)) / 8_192) + 1;
  await anvil.provider.send('anvil_mine', ['0x1', ethers.toQuantity(await chain.secondsUntil(period * 8_192 + 10))]);
  const backSlot = await headSlot(chain);
  assert.equal(Math.floor(backSlot / 8_192), period);
  const back = (await printCheckpoint(chain, String(backSlot))).stdout.trim();
  const stranded = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  const strandedSlot = await chain.slotOf(stranded.receipt.blockNumber);
  // Then a block every 50 slots, further past the deposit than a state's block roots reach
  // (8 192 slots), and root checkpoints the light client at the last: neither it nor any
  // block it finalizes from there can anchor the deposit.
  await anvil.provider.send('anvil_mine', [ethers.toQuantity(175), ethers.toQuantity(600)]);
  const farSlot = await headSlot(chain);
  assert.ok(farSlot > strandedSlot + 8_192, `${farSlot} after ${strandedSlot}`);
  await finalize();
  const far = (await printCheckpoint(chain, String(farSlot))).stdout.trim();
  await sudo(api, api.tx.ethereumBeaconClient.forceCheckpoint(far), alice);
  assert.equal((await light.initialCheckpointRoot()).toHex(), chain.rootAt(farSlot));
  await relayer.restart();
  // The warning (not the debug line of a block found passed over before).
  const passedOver = () => relayer.lines().slice(from)
    .filter((l) => l.level === 'WARN' && l.fields?.message?.startsWith('the light client moved past this block') && l.fields.number === stranded.receipt.blockNumber);
  await until(() => passedOver().length > 0, 60_000, 'the relayer found the deposit passed over');
  assert.equal(passedOver()[0].fields.latest, farSlot);
  assert.equal(passedOver()[0].fields.for_good, true);
  // A deposit above the checkpoint mints meanwhile, in passes that each go over the stranded
  // deposit first (lowest first): it is not walked for again, nor named again.
  const later = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 2n * E);
  await finalize();
  await until(async () => (await balance()) === held + 2n * E, 120_000, 'the deposit above the checkpoint minted');
  assert.equal((await api.call.lstBridgeApi.depositStatus(later.message.nonce)).type, 'Processed');
  assert.equal((await api.call.lstBridgeApi.depositStatus(stranded.message.nonce)).type, 'Unknown');
  assert.equal(passedOver().length, 1, JSON.stringify(passedOver().map((l) => l.fields)));
  // Root takes the light client back to the block before the deposit: another checkpoint, so
  // the relayer looks at the deposit again, brings the light client up to it and proves it.
  await sudo(api, api.tx.ethereumBeaconClient.forceCheckpoint(back), alice);
  await until(async () => (await balance()) === held + 3n * E, 120_000, 'the stranded deposit minted after the checkpoint back');
  assert.equal((await api.call.lstBridgeApi.depositStatus(stranded.message.nonce)).type, 'Processed');
  assert.equal(passedOver().length, 1);
  const since = relayer.lines().slice(from).map((l) => l.fields ?? {});
  assert.ok(!since.some((f) => /rejected by kasane|step failed|beacon source failed/.test(f.message ?? '')), JSON.stringify(since.filter((f) => f.message && !/finalized on kasane|proving|relayed/.test(f.message))));
});

test('after a checkpoint whose only successor in its period is that period\'s last block, the next committee is handed over by an update attesting the checkpoint block itself', async () => {
  const { vault, user, wsteth, eve, balance, finalize, chain } = bridge;
  await relayer.stop();
  const from = relayer.lines().length;
  const held = await balance();
  // 71 blocks from 10 slots into the next period, so that the blocks after them name one of
  // them finalized (64 blocks below); then the checkpoint block 3 slots before the period's
  // end, and the period's last block, whose sync aggregate signs it; then a deposit in the
  // period after.
  const period = Math.floor((await headSlot(chain)) / 8_192) + 1;
  await mineAt(chain, period * 8_192 + 10);
  await anvil.provider.send('anvil_mine', [ethers.toQuantity(70), '0x0']);
  const end = (period + 1) * 8_192 - 1;
  const checkpointBlock = await mineAt(chain, end - 3);
  assert.equal(await mineAt(chain, end), checkpointBlock + 1);
  const d = await depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), 1n * E);
  assert.ok((await chain.slotOf(d.receipt.blockNumber)) > end);
  await finalize();
  await sudo(api, api.tx.ethereumBeaconClient.forceCheckpoint((await printCheckpoint(chain, String(end - 3))).stdout.trim()), alice);
  await relayer.restart();
  await until(async () => (await balance()) === held + 1n * E, 120_000, 'the deposit after the period minted');
  assert.equal((await api.call.lstBridgeApi.depositStatus(d.message.nonce)).type, 'Processed');
  // The light client knew its period's committee only, so the one update it could take first
  // is signed in that period, by its last block: attesting the checkpoint block (the light
  // client's latest, not above it) and finalizing the block that block's state names, 64
  // below it, with the next committee.
  const since = relayer.lines().slice(from).map((l) => l.fields ?? {});
  const handOvers = since.filter((f) => f.message === 'next sync committee handed over on kasane');
  assert.deepEqual(handOvers.map((f) => f.slot), [await chain.slotOf(checkpointBlock - 64)]);
  assert.ok(!since.some((f) => /rejected by kasane|step failed|beacon source failed/.test(f.message ?? '')), JSON.stringify(since.filter((f) => f.message && !/finalized on kasane|proving|relayed/.test(f.message))));
});
