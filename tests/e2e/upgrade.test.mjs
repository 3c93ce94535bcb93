// A forkless runtime upgrade of a chain with state in every pallet (issue 24, part 2).
//
// The chain starts from the last release's runtime (`runtime/releases/`, spec 100: native
// staking's storage at version 0, elected validators without a `stake`; restaking's at 0, a
// key per allocated (set, operator, strategy)) with the `dev` genesis of this node. Stakers,
// an AVS, a vetoable slash, queued withdrawals and the bridge put state in every pallet;
// Chopsticks forks that live chain with this build's runtime as a wasm
// override and builds a block, the dry run of the migration; then root authorizes the upgrade
// (`system.authorizeUpgrade`) and anyone applies it (`system.applyAuthorizedUpgrade`). Checked:
// the new version is in force, the migration ran as in the dry run, every other storage value
// reads the same across the upgrade block, blocks and finality continue, and the pending slash
// and the withdrawals still complete when they are due.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, xxhashAsHex } from '@polkadot/util-crypto';

import { submit, until, waitBlocks } from './lib/api.mjs';
import { avsKey } from './lib/avs.mjs';
import { nodeBinary, repoRoot, startNode } from './lib/devnode.mjs';
import { allocationInForce, sudo } from './lib/slashing.mjs';
import { configureTestBridge } from './lib/test-bridge.mjs';

const run = promisify(execFile);
const RELEASE = { spec: 100, wasm: join(repoRoot, 'runtime', 'releases', 'kasane-runtime-100.compact.compressed.wasm') };
const WAD = 10n ** 18n;
const E = 10n ** 18n;
const UNIT = 10n ** 12n;
const NATIVE = 0;
const WSTETH = 1;
const BRIDGED_ASSET = 100;
const VETO_WINDOW = 10; // blocks: the dev chain's longest
const SESSION_BLOCKS = 10;

let dir;
let node;
let provider;
let api;
let keyring;
let alice;
let bob;
let charlie;
let dave;
let newCode;
const tx = (call, signer) => submit(api, call, signer);

/** The storage key of a pallet's on-chain storage version. */
const versionKey = (pallet) => xxhashAsHex(pallet, 128) + xxhashAsHex(':__STORAGE_VERSION__:', 128).slice(2);
const storageVersion = async (pallet, at) => {
  const raw = await api.rpc.state.getStorage(versionKey(pallet), ...(at ? [at] : []));
  return raw.isSome ? raw.unwrap().toU8a(true)[0] | (raw.unwrap().toU8a(true)[1] << 8) : 0;
};

/** Preset sections added since the release: the bridge's beacon fork schedule. */
const NEW_GENESIS_SECTIONS = ['lstBridge'];

/** Chain spec text `spec` without the genesis section `key`, cut out as text by its braces. */
function withoutGenesisSection(spec, key) {
  const start = spec.indexOf(`"${key}": {`);
  if (start < 0) return spec;
  let end = spec.indexOf('{', start);
  for (let depth = 0; end < spec.length; end++) {
    if (spec[end] === '{') depth++;
    else if (spec[end] === '}' && --depth === 0) break;
  }
  // With the comma after it, or before it when it is the last section.
  const after = /^\s*,/.exec(spec.slice(end + 1));
  if (after) return spec.slice(0, start) + spec.slice(end + 1 + after[0].length).trimStart();
  const before = /,\s*$/.exec(spec.slice(0, start));
  return spec.slice(0, before ? start - before[0].length : start) + spec.slice(end + 1);
}

/** Every key and value of the state at `hash`. */
async function snapshot(hash) {
  const keys = [];
  for (let start = null; ;) {
    const page = await api.rpc.state.getKeysPaged('0x', 1000, start, hash);
    keys.push(...page.map((k) => k.toHex()));
    if (page.length < 1000) break;
    start = page[page.length - 1];
  }
  const values = new Map();
  for (let i = 0; i < keys.length; i += 200) {
    // Raw JSON-RPC: @polkadot/api would decode the values, and only the bytes matter here.
    const [{ changes }] = await provider.send('state_queryStorageAt', [keys.slice(i, i + 200), hash.toHex()]);
    for (const [key, value] of changes) values.set(key, value);
  }
  return values;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kasane-upgrade-'));
  // This node's `dev` chain spec, with the release's runtime in place of this build's: the
  // genesis the release would build from the same preset.
  const { stdout } = await run(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 << 20 });
  // Swapped as text: the preset's 128-bit balances do not survive JSON.parse.
  const code = /"code": "(0x[0-9a-f]+)"/.exec(stdout);
  assert.ok(code, 'the dev chain spec has its runtime code');
  newCode = code[1];
  // Genesis sections this tree's preset has and the release's runtime does not know: a live
  // chain never builds genesis again, so the upgraded runtime starts without them.
  const releaseSpec = NEW_GENESIS_SECTIONS.reduce(withoutGenesisSection, stdout);
  writeFileSync(join(dir, 'release.json'), releaseSpec.replace(code[0], `"code": "${u8aToHex(readFileSync(RELEASE.wasm))}"`));
  const raw = await run(nodeBinary(), ['export-chain-spec', '--chain', join(dir, 'release.json'), '--raw'], { maxBuffer: 64 << 20 });
  writeFileSync(join(dir, 'release-raw.json'), raw.stdout);

  node = await startNode(['--chain', join(dir, 'release-raw.json'), '--alice', '--validator', '--force-authoring', '--tmp', '--node-key', '1'.padStart(64, '0')]);
  provider = new WsProvider(node.rpcUrl);
  api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
});

after(async () => {
  await api?.disconnect();
  const exit = await node?.stop();
  if (exit) assert.ok(exit.code === 0 || exit.signal === 'SIGTERM', `node exit: ${JSON.stringify(exit)}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the chain runs the release runtime with native staking at storage version 0', async () => {
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), RELEASE.spec);
  assert.equal(await storageVersion('Staking'), 0);
  assert.notEqual(newCode, u8aToHex(readFileSync(RELEASE.wasm)), 'this build is not the release');
});

let set;
let avs;
let attesters;
let bridgeWithdrawal;
const T = 10n ** 6n; // the bridged token has 6 decimals

test('state in every pallet: delegations and unbonding, restaked positions, an AVS with a budget and allocations, the bridge', async () => {
  // Native staking: two delegators to the genesis validator, one of them unbonding part.
  await tx(api.tx.staking.delegate(alice.address, 1_000n * UNIT), charlie);
  await tx(api.tx.staking.delegate(alice.address, 500n * UNIT), dave);
  await tx(api.tx.staking.unbond(100n * UNIT), dave);

  // Restaking: Bob deposits wstETH and delegates to Alice, the genesis operator.
  await tx(api.tx.restaking.deposit(WSTETH, 5n * E), bob);
  await tx(api.tx.restaking.delegateTo(alice.address), bob);

  // AVS registry and slashing: a set with the longest veto window, a reward budget, a
  // designated slasher; Alice joins and allocates half of both strategies, in force now.
  let events = await tx(api.tx.avsRegistry.registerAvs('ipfs://upgrade'), charlie);
  avs = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e)).data.avs.toNumber();
  const config = {
    strategies: [[NATIVE, 0], [WSTETH, 0]],
    maxOperators: 16,
    keyType: 'Sr25519',
    allowlist: false,
    terms: { mode: { Veto: { window: VETO_WINDOW } }, maxSlashPerEpoch: WAD / 2n, slashedFunds: 'Burn', equivocationPenalty: WAD / 10n },
  };
  events = await tx(api.tx.avsRegistry.createOperatorSet(avs, config), charlie);
  set = events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e)).data.set.toJSON();
  await tx(api.tx.avsRegistry.fundRewards(set, 'Native', 1_000n * UNIT, 10n * UNIT), charlie);
  await tx(api.tx.slashing.setSlasher(avs, dave.address), charlie);
  const { key, proof } = avsKey(api, '//Alice//avs', set, alice.address);
  await tx(api.tx.avsRegistry.registerForOperatorSet(set, key, proof), alice);
  for (const strategy of [NATIVE, WSTETH]) {
    await tx(api.tx.restaking.modifyAllocation(set, strategy, WAD / 2n), alice);
    await allocationInForce(api, alice, alice.address, set, strategy);
  }

  // The bridge: root configures a vault with three attesters and mirrors a token; deposit 1
  // is minted to Dave, deposit 2 has one of its two signatures; Dave withdraws part of his to
  // Ethereum and one attester signs the release.
  let deposit;
  let attest;
  ({ attesters, deposit, attest } = await configureTestBridge(api, alice, BRIDGED_ASSET));
  await attest(deposit(1, 10n * T, dave), attesters[0]);
  await attest(deposit(1, 10n * T, dave), attesters[1]);
  await attest(deposit(2, 3n * T, dave), attesters[2]);
  // Deposit 3: attester 2 signs other contents first, then a quorum signs the real ones:
  // attester 2 is recorded as contradicting it, in the release's layout.
  await attest(deposit(3, 5n * T, charlie), attesters[2]);
  await attest(deposit(3, 2n * T, charlie), attesters[0]);
  await attest(deposit(3, 2n * T, charlie), attesters[1]);
  assert.ok((await api.query.lstBridge.contradictions(3)).isSome, 'a contradiction recorded');
  await tx(api.tx.lstBridge.withdrawToEthereum(BRIDGED_ASSET, 4n * T, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'), dave);
  bridgeWithdrawal = (await api.query.lstBridge.lastWithdrawalNonce()).toNumber();
  const { digest } = (await api.call.lstBridgeApi.withdrawal(bridgeWithdrawal)).unwrap();
  await tx(api.tx.lstBridge.attestWithdrawal(bridgeWithdrawal, attesters[0].signingKey.sign(digest.toHex()).serialized), alice);
  assert.equal((await api.call.lstBridgeApi.withdrawal(bridgeWithdrawal)).unwrap().ready.isTrue, false);
});

/** The storage prefix of `pallet.item`. */
const itemPrefix = (pallet, item) => xxhashAsHex(pallet, 128) + xxhashAsHex(item, 128).slice(2);
/** What a block changes whatever the runtime: its header, events, weight, slot and time, the
 * author's points, the fee multiplier and the slashing cursor. `System.Account` is not among them: no transaction
 * is in the block after the upgrade. */
const PER_BLOCK = [
  ...['Number', 'ParentHash', 'Digest', 'BlockHash', 'Events', 'EventCount', 'EventTopics', 'BlockWeight',
    'AllExtrinsicsLen', 'ExtrinsicCount', 'InherentsApplied', 'BlockSize'].map((item) => itemPrefix('System', item)),
  itemPrefix('Timestamp', 'Now'),
  itemPrefix('Aura', 'CurrentSlot'),
  itemPrefix('TransactionPayment', 'NextFeeMultiplier'),
  itemPrefix('Staking', 'ActiveEraPoints'),
  // The slashing pallet's cursor over blocks with due slashes, moved to the current block.
  itemPrefix('Slashing', 'DueCursor'),
];
/** What the upgrade itself changes: the version record, and what the migration rewrites
 * (checked against the dry run and decoded below). */
const MIGRATED = [
  itemPrefix('System', 'LastRuntimeUpgrade'),
  // Pallets the upgrade adds: frame writes their storage version before any migration.
  versionKey('EthereumBeaconClient'),
  versionKey('Staking'),
  itemPrefix('Staking', 'PlannedValidators'),
  itemPrefix('Staking', 'ActiveValidators'),
  // Restaking v1: each set's (operator, strategy) keys and its count become one list.
  versionKey('Restaking'),
  itemPrefix('Restaking', 'SetAllocations'),
  itemPrefix('Restaking', 'SetAllocationCount'),
  // LstBridge v1: each contradiction record keeps the operator set its attesters follow.
  versionKey('LstBridge'),
  itemPrefix('LstBridge', 'Contradictions'),
  itemPrefix('LstBridge', 'HeaderContradictions'),
];

/** The key of `set`'s allocation list in restaking v1: the prefix its v0 keys share (the
 * first key of the old double map, hashed the same way). From the release's metadata: call
 * it before the upgrade. */
const setListKey = (set) => api.query.restaking.setAllocations.keyPrefix(set);
let listKey;
/** The key of deposit 3's contradiction record (the same in both layouts). */
let contradictionKey;

let dryRun;

/** Forks the live chain at its head with this build's runtime as a wasm override, builds one
 * block there (the first with the new code runs the upgrade's migrations), and returns what
 * the migration wrote. Nothing reaches the live chain. */
async function chopsticksDryRun() {
  const { setupWithServer, destroyWorker } = await import('@acala-network/chopsticks');
  const wasm = join(dir, 'new.compact.compressed.wasm');
  writeFileSync(wasm, Buffer.from(newCode.slice(2), 'hex'));
  const fork = await setupWithServer({
    endpoint: node.rpcUrl,
    host: '127.0.0.1',
    port: 0,
    'wasm-override': wasm,
    'build-block-mode': 'Manual',
    'runtime-log-level': 0,
  });
  try {
    await fork.chain.newBlock();
    const head = fork.chain.head;
    const read = async (key) => (await head.get(key)) ?? null;
    const versionOf = async (pallet) => {
      const version = await read(versionKey(pallet));
      return version ? parseInt(version.slice(2, 4), 16) + (parseInt(version.slice(4, 6), 16) << 8) : 0;
    };
    return {
      specVersion: (await head.runtimeVersion).specVersion,
      stakingVersion: await versionOf('Staking'),
      restakingVersion: await versionOf('Restaking'),
      PlannedValidators: await read(itemPrefix('Staking', 'PlannedValidators')),
      ActiveValidators: await read(itemPrefix('Staking', 'ActiveValidators')),
      SetAllocations: await read(listKey),
      bridgeVersion: await versionOf('LstBridge'),
      Contradiction: await read(contradictionKey),
    };
  } finally {
    await fork.close();
    // The wasm executor's worker thread keeps the process alive otherwise.
    await destroyWorker();
  }
}
let slashId;
let slashDue;
let restakingWithdrawal;
let upgradeBlock;

test('the upgrade, applied by anyone once root authorized it: the migration runs and nothing else changes', async () => {
  listKey = setListKey(set);
  contradictionKey = api.query.lstBridge.contradictions.key(3);
  await sudo(api, api.tx.system.authorizeUpgrade(blake2AsHex(newCode)), alice);
  // The dry run first: nothing between it and the upgrade changes what the migration reads
  // (the elected sets, the era totals, the pools).
  const dryRunStart = Date.now();
  dryRun = await chopsticksDryRun();
  const dryRunMs = Date.now() - dryRunStart;
  assert.ok(dryRun.specVersion > RELEASE.spec, 'the fork runs the new version');
  assert.equal(dryRun.stakingVersion, 1, 'the migration ran in the fork');
  assert.equal(dryRun.restakingVersion, 1, 'the restaking migration ran in the fork');
  assert.equal(dryRun.bridgeVersion, 1, 'the bridge migration ran in the fork');

  // Right after a session starts, so that neither the upgrade block nor the next one rotates.
  const session = async () => (await api.query.session.currentIndex()).toNumber();
  const started = await session();
  await until(async () => (await session()) > started, 3 * SESSION_BLOCKS * 6_000, 'a new session');

  // Due after the upgrade, both in the session's next block: a queued restaking withdrawal
  // and a vetoable slash.
  const [, requested] = await Promise.all([
    tx(api.tx.restaking.queueWithdrawal(WSTETH, E), bob),
    tx(api.tx.slashing.requestSlash(alice.address, set, WAD / 10n, 'ipfs://evidence'), dave),
  ]);
  restakingWithdrawal = (await api.call.restakingApi.staker(bob.address)).withdrawals.at(-1).toJSON();
  slashId = requested.find((e) => api.events.slashing.SlashRequested.is(e)).data.id.toNumber();
  const slash = (await api.call.slashingApi.slash(slashId)).unwrap();
  assert.equal(slash.status.toString(), 'Pending');
  slashDue = slash.executesAt.toNumber();

  const events = await tx(api.tx.system.applyAuthorizedUpgrade(newCode), bob);
  // The block's state holds the new code (state_getStorageHash is blake2-256 of the value).
  const codeHash = await api.rpc.state.getStorageHash('0x3a636f6465', events.blockHash);
  assert.equal(codeHash.toHex(), blake2AsHex(newCode),
    `the code was updated; events: ${events.map((e) => `${e.section}.${e.method}${JSON.stringify(e.data.toHuman())}`).join(', ')}`);
  upgradeBlock = (await api.rpc.chain.getHeader(events.blockHash)).number.toNumber();
  assert.ok(slash.executesAt.toNumber() > upgradeBlock + 1, 'the slash is still pending after the upgrade');
  await waitBlocks(api, 1);
  const before = await api.rpc.chain.getBlockHash(upgradeBlock);
  const after = await api.rpc.chain.getBlockHash(upgradeBlock + 1);
  const sessionAt = async (hash) => (await api.rpc.state.getStorage(itemPrefix('Session', 'CurrentIndex'), hash)).toHex();
  assert.equal(await sessionAt(before), await sessionAt(after), 'no session rotation in the compared blocks');

  // The upgrade block runs the release and leaves the new code in its state; the next block
  // runs the new code, its migrations first.
  const executedBy = async (hash) => (await api.rpc.state.getRuntimeVersion((await api.rpc.chain.getHeader(hash)).parentHash)).specVersion.toNumber();
  assert.equal(await executedBy(before), RELEASE.spec);
  assert.ok((await executedBy(after)) > RELEASE.spec);
  assert.equal(await storageVersion('Staking', before), 0);
  assert.equal(await storageVersion('Staking', after), 1);
  assert.equal(await storageVersion('Restaking', before), 0);
  assert.equal(await storageVersion('Restaking', after), 1);
  assert.equal(await storageVersion('LstBridge', before), 0);
  assert.equal(await storageVersion('LstBridge', after), 1);

  // Every value the release wrote reads the same after the upgrade, but what blocks always
  // change and what the migration rewrote.
  const [pre, post] = [await snapshot(before), await snapshot(after)];
  const allowed = (key) => [...PER_BLOCK, ...MIGRATED].some((prefix) => key.startsWith(prefix));
  const changed = [...new Set([...pre.keys(), ...post.keys()])].filter((key) => pre.get(key) !== post.get(key) && !allowed(key));
  assert.deepEqual(changed, [], 'storage the upgrade should not have touched changed');
  for (const pallet of ['Staking', 'Restaking', 'AvsRegistry', 'Slashing', 'LstBridge', 'ChainParameters', 'Assets', 'Balances']) {
    const prefix = xxhashAsHex(pallet, 128);
    const keys = [...pre.keys()].filter((key) => key.startsWith(prefix) && key !== versionKey(pallet));
    assert.ok(keys.length > 0, `${pallet} has state to carry across the upgrade`);
  }
  console.log(`upgrade: ${pre.size} keys compared across block #${upgradeBlock}; code ${(newCode.length - 2) / 2} bytes; dry run ${dryRunMs} ms`);

  // The migration, as the dry run predicted it.
  for (const item of ['PlannedValidators', 'ActiveValidators']) {
    assert.equal(post.get(itemPrefix('Staking', item)), dryRun[item], `${item} as in the dry run`);
  }
  // Restaking: the set's two (operator, strategy) keys and its count before; one list after,
  // as in the dry run, and nothing else under either item.
  const under = (state, prefix) => [...state.keys()].filter((key) => key.startsWith(prefix));
  assert.equal(under(pre, listKey).length, 2);
  assert.ok(under(pre, itemPrefix('Restaking', 'SetAllocations')).every((key) => key.length > listKey.length), 'v0: a key per pair');
  assert.ok(under(pre, itemPrefix('Restaking', 'SetAllocationCount')).length > 0);
  assert.deepEqual(under(post, listKey), [listKey]);
  assert.ok(under(post, itemPrefix('Restaking', 'SetAllocations')).every((key) => key.length === listKey.length), 'v1: a key per set');
  assert.deepEqual(under(post, itemPrefix('Restaking', 'SetAllocationCount')), []);
  assert.ok(dryRun.SetAllocations, 'the dry run wrote the list');
  assert.equal(post.get(listKey), dryRun.SetAllocations, 'SetAllocations as in the dry run');
  // LstBridge: the record grew by its operator set (`None`, one byte: root keeps the attesters
  // as a list), as in the dry run.
  assert.equal((post.get(contradictionKey).length - pre.get(contradictionKey).length) / 2, 1);
  assert.equal(post.get(contradictionKey), dryRun.Contradiction, 'the record as in the dry run');
});

test('after the upgrade: blocks and finality go on, the elected sets carry their stake, the slash and the withdrawals complete', async () => {
  // A fresh connection reads the new metadata.
  await api.disconnect();
  api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true, throwOnConnect: true });
  const version = await api.rpc.state.getRuntimeVersion();
  assert.ok(version.specVersion.toNumber() > RELEASE.spec);
  await until(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() > upgradeBlock + 1,
    120_000, 'finality past the upgrade');

  // Restaking's migrated list holds exactly the set's allocation records.
  const listed = (await api.query.restaking.setAllocations(set)).map(([op, strategy]) => `${op}/${strategy}`).sort();
  const records = (await api.query.restaking.allocations.keys())
    .map(({ args: [op, s, strategy] }) => ({ op: op.toString(), s: s.toJSON(), strategy: strategy.toNumber() }))
    .filter(({ s }) => s.avs === set.avs && s.index === set.index)
    .map(({ op, strategy }) => `${op}/${strategy}`)
    .sort();
  assert.deepEqual(listed, [`${alice.address}/${NATIVE}`, `${alice.address}/${WSTETH}`].sort());
  assert.deepEqual(listed, records);
  assert.equal(api.query.restaking.setAllocationCount, undefined, 'the count is gone from the metadata');
  // The bridge's migrated record names the same attester, and no operator set (a list).
  const record = (await api.query.lstBridge.contradictions(3)).unwrap();
  assert.deepEqual(
    [record.attesters.map((a) => a.toHex()), record.operatorSet.isNone],
    [[attesters[2].address.toLowerCase()], true],
  );

  for (const [item, total] of [['plannedValidators', 'plannedStake'], ['activeValidators', 'activeStake']]) {
    const elected = await api.query.staking[item]();
    assert.ok(elected.length > 0);
    assert.deepEqual(elected.map((e) => e.validator.toString()), [alice.address]);
    const sum = elected.reduce((s, e) => s + e.stake.toBigInt(), 0n);
    assert.equal(sum, (await api.query.staking[total]()).toBigInt(), `${item} sum to ${total}`);
  }

  // The slash requested before the upgrade executes at its deadline.
  const slash = await until(async () => {
    const record = (await api.call.slashingApi.slash(slashId)).unwrap();
    return record.status.toString() !== 'Pending' && record;
  }, 3 * VETO_WINDOW * 6_000, 'the pending slash decided');
  assert.equal(slash.status.toString(), 'Executed');
  assert.ok(slash.amounts.length > 0);
  // In the very block it was due in, by the new runtime's hooks.
  const executedIn = await api.query.system.events.at(await api.rpc.chain.getBlockHash(slashDue));
  assert.ok(executedIn.some(({ event }) => api.events.slashing.SlashExecuted.is(event) && event.data.id.toNumber() === slashId),
    `slash ${slashId} executed in block #${slashDue}, its deadline`);

  // The restaking withdrawal queued before the upgrade completes when due.
  const due = restakingWithdrawal.withdrawableAt;
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= due, 4 * 20 * 6_000, `block #${due}`);
  const assetBefore = (await api.query.assets.account(1, bob.address)).unwrap().balance.toBigInt();
  const events = await tx(api.tx.restaking.completeWithdrawal(restakingWithdrawal.id), bob);
  assert.ok(events.some((e) => api.events.restaking.WithdrawalCompleted.is(e)));
  assert.ok((await api.query.assets.account(1, bob.address)).unwrap().balance.toBigInt() > assetBefore);

  // The bridge withdrawal signed once before the upgrade gets its second signature after it.
  const { digest } = (await api.call.lstBridgeApi.withdrawal(bridgeWithdrawal)).unwrap();
  await tx(api.tx.lstBridge.attestWithdrawal(bridgeWithdrawal, attesters[1].signingKey.sign(digest.toHex()).serialized), alice);
  assert.equal((await api.call.lstBridgeApi.withdrawal(bridgeWithdrawal)).unwrap().ready.isTrue, true);
});
