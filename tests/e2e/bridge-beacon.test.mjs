// The LST bridge minting under the beacon light client (issue 23, tier 2b): anvil with
// KasaneVault, `kasane-node --dev` with the bridge's policy set to `Beacon` and Snowbridge's
// light client started from the checkpoint of a synthetic beacon chain: a sync committee of
// 512 public test BLS keys that a relayer plays over anvil's blocks (each anvil block is the
// payload of a beacon block; the committee signs updates finalizing anvil's finalized block).
// Every check of the real path runs: BLS aggregate signature and supermajority, fork domain,
// finality and committee branches, ancestry branch into a finalized block's roots, execution
// branch, receipt proof, Kasane's own receipt checks. A finalized deposit mints and a rate
// report applies through `prove_*_beacon`; attested contents and receipts under attested
// headers are refused; a beacon chain signed by other keys never mints; deposits further apart
// than a beacon state's roots are reached in steps, each proven under its own; an attester
// relayer without a beacon source proves nothing under this policy.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, test } from 'node:test';

import { u8aToHex } from '@polkadot/util';

import { expectModuleError, until, useDevNode } from './lib/api.mjs';
import { bridgeConfiguration, deployWstethVault, depositTo, ethers, mined, relayerBinary, startAnvil, startRelayer } from './lib/bridge.mjs';
import { depositDigest, encodeReceipt, singleReceiptProof } from './lib/digests.mjs';
import { sudo } from './lib/slashing.mjs';

const E = 10n ** 18n;
const WSTETH_ASSET = 100;
// anvil calls a block finalized 64 blocks below the head.
const FINALITY = 64;
// The synthetic beacon chain: its committee's keys, and the slot of anvil block n (the
// relayer's `beacon::SyntheticSource::slot_of`).
const SEED = 7;
const FORGED_SEED = 8;
const slotOf = (n) => 64 + 1 + n;

let anvil;
let api;
let alice;
let bob;
let eve;
let user; // the Ethereum depositor
let vault;
let wsteth;
let steth;
let kasaneGenesis;
let node;
let attesters; // ethers.Wallet, sorted by address
let beaconRelayer;
let attesterRelayer;
const extra = [];
const latencies = [];
const events = [];
let unsubscribeEvents;
let tx;

const root = (call) => sudo(api, call, alice);
const balance = async (asset, who) => {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
};
const status = async (nonce) => (await api.call.lstBridgeApi.depositStatus(nonce)).type;
const named = (section, method) => events.filter((e) => e.section === section && e.method === method);
// Mined with no time between blocks: anvil's clock stays with Kasane's (rates from the future are refused).
const finalize = () => anvil.provider.send('anvil_mine', [ethers.toQuantity(FINALITY + 1), '0x0']);
const checkpoint = (seed) => execFileSync(relayerBinary(),
  ['--synthetic-beacon-seed', String(seed), '--print-synthetic-checkpoint']).toString().trim();

/** Deposits `amount` of wstETH for Eve. */
const deposit = (amount) => depositTo(vault, user, wsteth, u8aToHex(eve.publicKey), amount);

function relayer(name, attester, signer, seed) {
  return startRelayer(name, {
    'eth-rpc': anvil.url,
    'kasane-rpc': node.rpcUrl,
    vault: vault.target,
    'attester-key': attester.privateKey,
    'eth-sender-key': attester.privateKey,
    'kasane-signer': signer,
    'start-block': 0,
    'poll-interval-ms': 500,
    ...(seed === undefined ? {} : { 'synthetic-beacon-seed': seed }),
  });
}

const messages = (r) => r.lines().map((l) => l.fields?.message ?? '');
/** The beacon relayer's updates the light client took. */
const updates = () => beaconRelayer.lines().filter((l) => l.fields?.message === 'beacon block finalized on kasane');
/** The beacon relayer's submissions of deposit `nonce`'s proof. */
const proofsOf = (nonce) => beaconRelayer.lines().filter((l) => l.fields?.message === 'proving deposit under a beacon-finalized header'
  && l.fields.nonce === nonce);

after(async () => {
  try {
    unsubscribeEvents?.();
  } catch {
    // The connection is gone already.
  }
  const sizes = [beaconRelayer, ...extra].filter(Boolean).flatMap((r) => r.lines())
    .filter((l) => l.fields?.message === 'proving deposit under a beacon-finalized header')
    .map((l) => `${l.fields.bytes} B`);
  for (const r of [beaconRelayer, attesterRelayer, ...extra]) await r?.remove();
  await anvil?.stop();
  if (latencies.length) console.log(`beacon-proven deposit → mint latency from finality (ms): ${latencies.join(', ')}`);
  if (sizes.length) console.log(`beacon deposit proofs submitted: ${[...new Set(sizes)].join(', ')}`);
});

useDevNode(async (dev) => {
  ({ api, alice, bob, tx, node } = dev);
  eve = dev.keyring.addFromUri('//Eve');
  anvil = await startAnvil();
  kasaneGenesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  unsubscribeEvents = await api.query.system.events((records) => {
    for (const { event } of records) {
      if (event.section === 'lstBridge' || event.section === 'ethereumBeaconClient') events.push(event);
    }
  });
  ({ user, attesters, vault, steth, wsteth } = await deployWstethVault(anvil, kasaneGenesis));
  await root(api.tx.utility.batchAll([
    ...(await bridgeConfiguration(api, { vault, attesters, wsteth, assetId: WSTETH_ASSET, policy: 'Beacon' })),
    // The dev preset's fork schedule is the devnet one the synthetic chain signs under.
    api.tx.ethereumBeaconClient.forceCheckpoint(checkpoint(SEED)),
  ]));
  assert.ok(!(await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).isEmpty, 'checkpoint installed');
  beaconRelayer = relayer('beacon', attesters[0], '//Charlie', SEED);
  attesterRelayer = relayer('attester', attesters[1], '//Dave');
});

test('a deposit mints once its block is finalized, through a beacon proof', async () => {
  const d = await deposit(5n * E);
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal(await status(d.message.nonce), 'Unknown', 'not proven before finality');
  await finalize();
  const finalizedAt = Date.now();
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === 5n * E, 120_000, 'the beacon-proven deposit minted');
  latencies.push(Date.now() - finalizedAt);
  // One update finalized the beacon block of anvil's finalized block as the relayer read it
  // (at or above the deposit's, as anvil mines the blocks one by one): the deposit's beacon
  // block is that block or its ancestor, proven through the finalized block's roots.
  const imported = named('ethereumBeaconClient', 'BeaconHeaderImported').map((e) => e.data.slot.toNumber())
    .filter((slot) => slot > slotOf(-1)); // the checkpoint's is imported too
  assert.equal(imported.length, 1);
  assert.ok(imported[0] >= slotOf(d.receipt.blockNumber), `a block at or above the deposit's imported: ${imported}`);
  assert.deepEqual(proofsOf(d.message.nonce).map((l) => l.fields.ancestry), [imported[0] > slotOf(d.receipt.blockNumber)]);
  await until(() => named('lstBridge', 'DepositMinted').length === 1, 30_000, 'the mint event');
  assert.deepEqual(named('lstBridge', 'HeaderTrusted'), [], 'no header was attested');
  assert.deepEqual(named('lstBridge', 'DepositAttested'), [], 'no deposit contents were attested');
});

test('a rate report is proven under the beacon chain and applied', async () => {
  await mined(steth.rebase((await steth.totalSupply()) * 101n / 100n));
  const expected = await wsteth.stEthPerToken();
  await mined(vault.reportRate(await wsteth.getAddress()));
  await finalize();
  const rate = await until(async () => {
    const view = await api.call.lstBridgeApi.rate(WSTETH_ASSET);
    return view.isSome ? view.unwrap() : undefined;
  }, 120_000, 'the beacon-proven rate applied');
  assert.equal(rate.rate.toBigInt(), expected);
  assert.deepEqual(named('lstBridge', 'RateAttested'), [], 'no rate was attested');
  // Only the first update hands the next committee to the light client (it knows none after
  // the checkpoint); the rate's, in the same period, does without its costly import.
  assert.deepEqual(updates().map((l) => l.fields.with_committee), [true, false], 'the committee rode on the first update only');
});

test('under the beacon policy, attested contents and receipts under attested headers are refused', async () => {
  const vaultAddress = await vault.getAddress();
  const next = { nonce: 2, token: await wsteth.getAddress(), depositor: user.address, recipient: u8aToHex(eve.publicKey), amount: 100n * E, ethBlockHash: ethers.id('nowhere') };
  const signature = attesters[0].signingKey.sign(depositDigest(31337, vaultAddress, kasaneGenesis, next)).serialized;
  await expectModuleError(tx(api.tx.lstBridge.attestDeposit(next, signature), bob), 'lstBridge.ProofRequired');
  const fakeLog = { address: vaultAddress, topics: [ethers.id('Deposited(uint64,address,bytes32,uint256,address)'), ethers.toBeHex(2, 32), ethers.zeroPadValue(next.token, 32), next.recipient], data: ethers.concat([ethers.toBeHex(next.amount, 32), ethers.zeroPadValue(next.depositor, 32)]) };
  const made = singleReceiptProof(encodeReceipt({ status: '0x1', cumulativeGasUsed: '0x5208', logsBloom: ethers.zeroPadValue('0x', 256), logs: [fakeLog], type: '0x2' }), 0);
  await expectModuleError(tx(api.tx.lstBridge.proveDeposit(next, made.proof), bob), 'lstBridge.BeaconProofRequired');
  // The attester relayer has no beacon source: it signed no header and proved nothing.
  const proofs = messages(attesterRelayer).filter((m) => /proving|header/.test(m));
  assert.deepEqual(proofs, [], 'the attester relayer stayed out of proving');
  assert.equal(await status(2), 'Unknown');
});

test('a beacon chain signed by other keys never mints; the real committee\'s does', async () => {
  await beaconRelayer.stop();
  const forger = relayer('forger', attesters[1], '//Ferdie', FORGED_SEED);
  extra.push(forger);
  const d = await deposit(2n * E);
  await finalize();
  await until(() => forger.lines().some((l) => l.fields?.message === 'beacon update rejected by kasane'), 120_000, 'the forged update refused');
  const refusal = forger.lines().find((l) => l.fields?.message === 'beacon update rejected by kasane');
  // Its update hands over a committee that is not the one the light client follows (refused
  // before the signature is checked), and its signature is not that committee's.
  assert.match(refusal.fields.error, /InvalidSyncCommitteeUpdate|BLSVerificationFailed/);
  assert.equal(await status(d.message.nonce), 'Unknown');
  await forger.stop();
  await beaconRelayer.restart();
  await until(async () => (await status(d.message.nonce)) === 'Processed', 120_000, 'minted under the committee\'s chain');
  assert.equal(await balance(WSTETH_ASSET, eve.address), 7n * E);
  const mints = named('lstBridge', 'DepositMinted').map((e) => e.data.nonce.toNumber());
  assert.deepEqual(mints, [1, 2], 'each deposit minted once');
  const rejected = beaconRelayer.lines().filter((l) => l.level === 'WARN' && /rejected by kasane/.test(l.fields?.message ?? ''));
  assert.deepEqual(rejected, [], 'the committee\'s relayer had nothing refused');
});

test('deposits further apart than a beacon state\'s roots are reached in steps, each proven under its own', async () => {
  const before = await balance(WSTETH_ASSET, eve.address);
  const earlier = updates().length;
  const latest = (await api.query.ethereumBeaconClient.finalizedBeaconState(
    await api.query.ethereumBeaconClient.latestFinalizedBlockRoot())).unwrap().slot.toNumber();
  // One deposit, then anvil runs on past the 8 192 slots whose roots a beacon state keeps
  // and into the next committee period, then another: no single update reaches the second,
  // and the one that reaches it leaves the first out of its roots. The relayers are away
  // meanwhile: anvil mines these blocks one by one (~9 ms each), and mining while they read
  // the chain hung anvil.
  await Promise.all([beaconRelayer.stop(), attesterRelayer.stop()]);
  const first = await deposit(3n * E);
  const mining = Date.now();
  for (let mined = 0; mined < 8_192 + 200; mined += 512) {
    await anvil.provider.send('anvil_mine', [ethers.toQuantity(Math.min(512, 8_192 + 200 - mined)), '0x0']);
  }
  console.log(`anvil mined 8 392 blocks in ${Date.now() - mining} ms`);
  const second = await deposit(4n * E);
  await finalize();
  await Promise.all([beaconRelayer.restart(), attesterRelayer.restart()]);
  for (const d of [first, second]) {
    await until(async () => (await status(d.message.nonce)) === 'Processed', 240_000, `deposit ${d.message.nonce} minted`);
  }
  assert.equal(await balance(WSTETH_ASSET, eve.address), before + 7n * E);
  // The light client moves at most the roots vector's length per update and is handed the
  // next committee as it enters the next period: the first step covers the first deposit, the
  // second the other; the first deposit is proven under the first step, below the latest.
  const steps = updates().slice(earlier).map((l) => l.fields);
  assert.deepEqual(steps.map((s) => [s.slot - latest, s.with_committee]).slice(0, 1), [[8_192, true]], JSON.stringify(steps));
  assert.equal(steps.length, 2, JSON.stringify(steps));
  assert.equal(steps[1].with_committee, false);
  assert.ok(steps[0].slot >= slotOf(first.receipt.blockNumber));
  assert.ok(steps[1].slot - slotOf(first.receipt.blockNumber) > 8_192, 'the latest block no longer holds the first');
  assert.ok(steps[1].slot >= slotOf(second.receipt.blockNumber));
  assert.deepEqual(proofsOf(first.message.nonce).map((l) => l.fields.ancestry), [true]);
  assert.deepEqual(proofsOf(second.message.nonce).map((l) => l.fields.ancestry), [steps[1].slot > slotOf(second.receipt.blockNumber)]);
  const extended = beaconRelayer.lines().filter((l) => l.fields?.message === 'beacon chain extended over ethereum\'s blocks')
    .map((l) => l.fields).sort((x, y) => (y.to - y.from) - (x.to - x.from))[0];
  console.log(`synthetic beacon chain extended over ${extended.to - extended.from + 1} anvil blocks in ${extended.ms} ms`);
});

test('under BeaconCoSigned a large deposit waits for the attesters\' co-sign of its header, a small one does not', async () => {
  // Only the beacon relayer's attester signs headers for now: one of the two the quorum needs.
  await attesterRelayer.stop();
  await root(api.tx.lstBridge.setPolicy({ BeaconCoSigned: { above: 10n * E } }));
  const before = await balance(WSTETH_ASSET, eve.address);
  const small = await deposit(1n * E);
  const large = await deposit(20n * E);
  await finalize();
  await until(async () => (await status(small.message.nonce)) === 'Processed', 120_000, 'the small deposit minted on the beacon proof alone');
  const refusals = () => beaconRelayer.lines().filter((l) => l.fields?.message === 'deposit beacon proof rejected by kasane'
    && l.fields.id === large.message.nonce);
  await until(() => refusals().length > 0, 60_000, 'the large deposit refused for want of a co-sign');
  assert.match(refusals()[0].fields.error, /CoSignRequired/);
  // Many relayer steps (500 ms apart) later it has not been submitted again: nothing changed for it.
  const submissions = () => proofsOf(large.message.nonce);
  await new Promise((r) => setTimeout(r, 6_000));
  assert.equal(submissions().length, 1, 'the refused proof was not paid for again');
  assert.equal(await status(large.message.nonce), 'Unknown');
  // The second attester signs the header: trusted at quorum, and the proof goes through.
  await attesterRelayer.restart();
  await until(async () => (await status(large.message.nonce)) === 'Processed', 120_000, 'the co-signed large deposit minted');
  assert.equal(await balance(WSTETH_ASSET, eve.address), before + 21n * E);
  assert.ok(named('lstBridge', 'HeaderTrusted').length >= 1, 'the header was attested');
  assert.equal(refusals().length, 1);
  assert.equal(submissions().length, 2, 'proven again once, after the co-sign');
});
