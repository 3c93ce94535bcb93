// The LST bridge end to end on one machine: anvil (1-second blocks) with KasaneVault and mock
// LSTs, `kasane-node --dev`, and three relayer/attester processes (the third behind proxies
// that cut it off from both RPCs and reconnect it). Deposits of wstETH and rETH mint exactly
// on Kasane; the mirrored wstETH is restaked and delegated; half is withdrawn back and released
// by the vault with the attesters' signatures; rate reports change the exposed value and the
// registry's valuation of the restaked asset; replayed and forged attestations are refused;
// over-cap and paused deposits wait, and the relayers mint them once allowed (one retry, by
// the deposit's designated relayer, free); a deposit reorganised away before its
// confirmation depth never mints; a relayer
// survives losing its RPCs and resumes after a restart without resubmitting, and one cut off
// from Ethereum alone still signs withdrawals on Kasane, even restarted; a deposit root
// cancels, or of a token Kasane does not mirror, goes back to its depositor; the releasing
// relayer is paid the withdrawal's fee and a release the vault keeps refusing does not hold
// up later ones; rate reports spammed by anyone do not keep attesters from agreeing; and
// bound to a governed operator set, the attesters follow its membership, Kasane and the
// vault handing over with the same signatures after their time locks, while the review's
// takeover (sybil operators, an owner ejecting honest members, signatures straight to the
// vault) fails; and attesters who signed a deposit or a header Ethereum did not make are
// recorded once a quorum decides, and the relayers have them slashed (a record waits while
// root has slashing disabled).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { dispatchFailure, expectModuleError, until, useDevNode } from './lib/api.mjs';
import { ANVIL_KEYS, deploy, ethers, startAnvil, startProxy, startRelayer } from './lib/bridge.mjs';
import { runKasane } from './lib/cli.mjs';
import { popPayload } from './lib/avs.mjs';
import { depositDigest, headerDigest } from './lib/digests.mjs';
import { allocationInForce, sudo } from './lib/slashing.mjs';

const E = 10n ** 18n;
const RateKind = { None: 0, WstETH: 1, RocketPool: 2, Coinbase: 3 };
const WSTETH_ASSET = 100;
const RETH_ASSET = 101;
const CBETH_ASSET = 102;
// The runtime's rate round (Ethereum blocks) and withdrawal fee.
const RATE_ROUND = 300;
const WITHDRAWAL_FEE = 10n ** 12n;
// Every token's least withdrawal here.
const MIN_WITHDRAWAL = E / 1_000n;
const CONFIRMATIONS = 3;
const PERCENT = 10_000_000; // of a Perbill
const UNIT = 10n ** 12n; // KSN
const NATIVE_STRATEGY = 0;
// What an attester keeps allocated to the bridge's set (runtime's MIN_ATTESTER_STAKE).
const MIN_ATTESTER_STAKE = 100_000n * UNIT;
// The vault's time locks (seconds); anvil's clock is moved past them.
const ROTATION_DELAY = 600n;
const RECOVERY_DELAY = 3_600n;
// The keyless account that owns the bridge's AVS: PalletId(*b"kas/atst") as an account.
const ATTESTER_SET_OWNER = u8aToHex(u8aConcat(stringToU8a('modl'), stringToU8a('kas/atst'), new Uint8Array(20)));

let anvil;
let node;
let api;
let alice;
let bob;
let eve;
let user; // the Ethereum depositor
let vault;
let kasaneGenesis;
let steth;
let wsteth;
let reth;
let attesters; // ethers.Wallet, sorted by address
let newcomer; // the fourth attester's wallet, once it joined
let relayers = [];
let proxies = [];
const latencies = [];
const bridgeEvents = []; // every LstBridge event, in order
let unsubscribeEvents;

let tx;
const root = (call) => sudo(api, call, alice);
const balance = async (asset, who) => {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
};
const status = async (nonce) => (await api.call.lstBridgeApi.depositStatus(nonce)).type;

/** Deposits `amount` of `token` for Eve; returns { nonce, blockHash, minedAt }. */
async function deposit(token, amount) {
  const receipt = await (await vault.connect(user).deposit(await token.getAddress(), amount, u8aToHex(eve.publicKey))).wait();
  const event = receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'Deposited');
  return { nonce: Number(event.args.nonce), blockHash: receipt.blockHash, minedAt: Date.now() };
}

/** Root dispatches `call` as the keyless owner of the bridge's AVS (governance); rejects with
 * `err.moduleError` when the call fails. */
async function asGovernance(call) {
  const events = await root(api.tx.utility.dispatchAs({ system: { Signed: ATTESTER_SET_OWNER } }, call));
  const result = events.find((e) => api.events.utility.DispatchedAs.is(e)).data.result;
  if (result.isErr) throw dispatchFailure(api, result.asErr);
  return events;
}

/** An ecdsa operator set config accepting native stake. */
const ecdsaSetConfig = (allowlist) => ({
  strategies: [[NATIVE_STRATEGY, 0]],
  maxOperators: 16,
  keyType: 'Ecdsa',
  allowlist,
  terms: { mode: 'Instant', maxSlashPerEpoch: E / 5n, slashedFunds: 'Burn', equivocationPenalty: E / 10n },
});

/** Governance registers the bridge AVS with an allowlisted operator set of ecdsa keys
 * accepting native stake; resolves with the set id. */
async function createGovernedSet() {
  await root(api.tx.balances.forceSetBalance(ATTESTER_SET_OWNER, 1_000n * UNIT));
  let events = await asGovernance(api.tx.avsRegistry.registerAvs('ipfs://bridge'));
  const avs = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e)).data.avs.toNumber();
  events = await asGovernance(api.tx.avsRegistry.createOperatorSet(avs, ecdsaSetConfig(true)));
  const created = events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e));
  return { avs, index: created.data.set.index.toNumber() };
}

/** Lets the signed hand-over waiting on Kasane take effect at the next block, as if its day
 * had passed: root rewrites its `effective_at`. */
async function approvedRotationInForce() {
  const approved = (await api.query.lstBridge.approvedRotation()).unwrap();
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const value = api.createType(approved.toRawType(), [approved[0], now + 1]);
  await root(api.tx.system.setStorage([[api.query.lstBridge.approvedRotation.key(), value.toHex()]]));
}

/** Moves anvil's clock `seconds` ahead and mines a block. */
async function elapse(seconds) {
  await anvil.provider.send('evm_increaseTime', [Number(seconds)]);
  await anvil.provider.send('evm_mine', []);
}

/** Resolves with the first LstBridge event `name` matching `match` (a predicate on its data). */
const bridgeEvent = (name, match, what) => until(
  () => bridgeEvents.find((e) => e.method === name && match(e.data)),
  120_000,
  what ?? name,
);

// Registered before the node's hooks, so that (after hooks running in order) the relayers
// stop before the node does.
after(async () => {
  try {
    unsubscribeEvents?.();
  } catch {
    // The connection is gone already.
  }
  for (const r of relayers) await r.remove();
  for (const p of proxies) await p.stop();
  await anvil?.stop();
  if (latencies.length) console.log(`deposit → mint latency (ms): ${latencies.join(', ')}`);
});

// node:test starts a file's top-level `before` hooks without waiting for the previous one, so
// the bridge is set up inside the node fixture's `ready`, once the node is up.
useDevNode(async (dev) => {
  ({ node, api, alice, bob, tx } = dev);
  eve = dev.keyring.addFromUri('//Eve');
  await setUpBridge();
});

async function setUpBridge() {
  anvil = await startAnvil({ blockTime: 1 });
  // Every bridge digest is bound to this chain: the vault is deployed for its genesis.
  kasaneGenesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  unsubscribeEvents = await api.query.system.events((records) => {
    for (const { event } of records) if (event.section === 'lstBridge') bridgeEvents.push(event);
  });

  // Ethereum: the vault with three attesters (anvil accounts 1–3), quorum 2; account 4 holds LSTs.
  const owner = await anvil.provider.getSigner(0);
  user = await anvil.provider.getSigner(4);
  attesters = ANVIL_KEYS.slice(1, 4).map((k) => new ethers.Wallet(k))
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  vault = await deploy(owner, 'KasaneVault', kasaneGenesis, (await anvil.provider.getSigner(5)).address, attesters.map((a) => a.address), 2, ROTATION_DELAY, RECOVERY_DELAY);
  steth = await deploy(owner, 'MockStETH');
  wsteth = await deploy(owner, 'MockWstETH', await steth.getAddress());
  reth = await deploy(owner, 'MockRETH');
  await (await vault.configureToken(await wsteth.getAddress(), RateKind.WstETH, 1_000n * E)).wait();
  await (await vault.configureToken(await reth.getAddress(), RateKind.RocketPool, 1_000n * E)).wait();
  await (await steth.submit(user.address, 100n * E)).wait();
  await (await steth.connect(user).approve(await wsteth.getAddress(), ethers.MaxUint256)).wait();
  await (await wsteth.connect(user).wrap(50n * E)).wait();
  await (await reth.mint(user.address, 50n * E)).wait();
  for (const t of [wsteth, reth]) await (await t.connect(user).approve(await vault.getAddress(), ethers.MaxUint256)).wait();

  // Kasane: root configures the bridge in one batch; the mirrored wstETH becomes restakable.
  const limits = (cap) => ({ cap, dailyLimit: 1_000n * E, maxRateChange: 5 * PERCENT, haircut: 2 * PERCENT, minWithdrawal: MIN_WITHDRAWAL });
  await root(api.tx.utility.batchAll([
    api.tx.lstBridge.setEndpoint({ chainId: 31337, vault: await vault.getAddress() }),
    api.tx.lstBridge.setAttesters(attesters.map((a) => a.address), 2, 1, null),
    api.tx.lstBridge.registerToken(await wsteth.getAddress(), WSTETH_ASSET, 18, 1_000, limits(1_000n * E)),
    api.tx.lstBridge.registerToken(await reth.getAddress(), RETH_ASSET, 18, 1_000, limits(5n * E)),
    api.tx.restaking.addStrategy({ Asset: WSTETH_ASSET }, 1_000n * E, 100n * E),
  ]));

  // Three relayers, each with its attester key and its own Kasane account; the third reaches
  // both chains through proxies the tests cut.
  const kasaneAddress = node.rpcUrl.replace('ws://', '');
  proxies = [await startProxy(anvil.url.replace('http://', '')), await startProxy(kasaneAddress)];
  const signers = ['//Bob', '//Charlie', '//Dave'];
  relayers = attesters.map((a, i) => startRelayer(`relayer-${i + 1}`, {
    'eth-rpc': i === 2 ? `http://${proxies[0].address}` : anvil.url,
    'kasane-rpc': i === 2 ? `ws://${proxies[1].address}` : node.rpcUrl,
    vault: vault.target,
    'attester-key': a.privateKey,
    'eth-sender-key': a.privateKey,
    'kasane-signer': signers[i],
    confirmations: CONFIRMATIONS,
    'start-block': 0,
    'poll-interval-ms': 500,
    'min-attester-stake': MIN_ATTESTER_STAKE,
    'release-retry-secs': 5,
  }));
}

test('wstETH and rETH deposited on Ethereum appear on Kasane with the exact amounts', async () => {
  const w = await deposit(wsteth, 5n * E);
  const r = await deposit(reth, 3n * E);
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === 5n * E, 90_000, 'wstETH minted');
  latencies.push(Date.now() - w.minedAt);
  await until(async () => (await balance(RETH_ASSET, eve.address)) === 3n * E, 60_000, 'rETH minted');
  latencies.push(Date.now() - r.minedAt);
  assert.equal(await status(w.nonce), 'Processed');
  assert.equal(await status(r.nonce), 'Processed');
  const token = (await api.query.lstBridge.tokens(await wsteth.getAddress())).unwrap();
  assert.equal(token.minted.toBigInt(), 5n * E);
});

test('mirrored wstETH is restaked and delegated', async () => {
  const strategy = (await api.query.restaking.assetStrategy(WSTETH_ASSET)).unwrap().toNumber();
  await tx(api.tx.restaking.deposit(strategy, 1n * E), eve);
  await tx(api.tx.restaking.delegateTo(alice.address), eve);
  const staker = await api.call.restakingApi.staker(eve.address);
  assert.equal(staker.delegatedTo.unwrap().toString(), alice.address);
  assert.equal(staker.positions[0].withdrawable.toBigInt(), 1n * E);
  assert.equal(await balance(WSTETH_ASSET, eve.address), 4n * E);
});

test('half withdrawn back is released by the vault; both sides agree', async () => {
  const ethRecipient = ethers.Wallet.createRandom().address;
  const events = await tx(api.tx.lstBridge.withdrawToEthereum(WSTETH_ASSET, 2n * E + E / 2n, ethRecipient), eve);
  const requested = events.find((e) => api.events.lstBridge.WithdrawalRequested.is(e));
  const nonce = requested.data.nonce.toNumber();
  await until(async () => (await wsteth.balanceOf(ethRecipient)) === 2n * E + E / 2n, 90_000, 'release on Ethereum');
  assert.ok(await vault.released(nonce));
  // The attesters carry the vault's `Released` back: the relayer that released it is paid the
  // fee Eve paid, and the withdrawal is marked released (pruned a week later).
  const paid = await bridgeEvent('WithdrawalReleased', (d) => d.nonce.toNumber() === nonce, 'the release receipt');
  const relayerAccounts = ['//Bob', '//Charlie', '//Dave'].map((u) => new Keyring({ type: 'sr25519' }).addFromUri(u).address);
  const beneficiary = paid.data.beneficiary.unwrap().toString();
  assert.ok(relayerAccounts.map((a) => api.createType('AccountId', a).toString()).includes(beneficiary));
  assert.equal(paid.data.fee.toBigInt(), WITHDRAWAL_FEE);
  const view = (await api.call.lstBridgeApi.withdrawal(nonce)).unwrap();
  assert.ok(view.released.isTrue && view.signatures.length === 0);
  assert.equal(view.fee.toBigInt(), WITHDRAWAL_FEE);
  // Kasane: 5 minted − 2.5 burned = 1.5 held by Eve + 1 restaked; Ethereum: 2.5 still locked.
  const token = (await api.query.lstBridge.tokens(await wsteth.getAddress())).unwrap();
  assert.equal(token.minted.toBigInt() - token.burned.toBigInt(), 2n * E + E / 2n);
  assert.equal(await balance(WSTETH_ASSET, eve.address), E + E / 2n);
  assert.equal((await vault.tokens(await wsteth.getAddress())).locked, 2n * E + E / 2n);
});

test('rate reports change the value Kasane gives the mirrored asset, within bounds', async () => {
  const rateOf = async () => {
    const r = await api.call.lstBridgeApi.rate(WSTETH_ASSET);
    return r.isSome ? r.unwrap() : null;
  };
  // stETH rebases +1% twice; each time the vault reports wstETH's rate, in a new rate round
  // (anvil mines the round's blocks at once, its clock barely moving). Right after each
  // report, a spammer rebases a little more and calls `reportRate` again and again: the
  // attesters still all sign the round's first report, and only it is applied.
  const spammer = await anvil.provider.getSigner(6);
  for (const step of [1, 2]) {
    await anvil.provider.send('anvil_mine', [ethers.toQuantity(RATE_ROUND), '0x0']);
    const before = await wsteth.stEthPerToken();
    const totalPooled = (await steth.totalSupply()) * 101n / 100n;
    await (await steth.rebase(totalPooled)).wait();
    const expected = await wsteth.stEthPerToken();
    assert.ok(expected > before);
    await (await vault.reportRate(await wsteth.getAddress())).wait();
    await (await steth.rebase(totalPooled * 1002n / 1000n)).wait();
    for (let i = 0; i < 3; i++) await (await vault.connect(spammer).reportRate(await wsteth.getAddress())).wait();
    const view = await until(async () => {
      const r = await rateOf();
      return r && r.rate.toBigInt() === expected ? r : null;
    }, 90_000, `rate report ${step}`);
    assert.equal(view.haircutRate.toBigInt(), expected - (expected * 2n + 99n) / 100n);
    // The AVS registry values the restaking strategy at the haircut rate (FixedU128, 18 decimals).
    const strategy = (await api.query.restaking.assetStrategy(WSTETH_ASSET)).unwrap();
    const registryRate = (await api.query.avsRegistry.exchangeRates(strategy)).unwrap();
    assert.equal(registryRate.toBigInt(), view.haircutRate.toBigInt());
    const value = await api.call.lstBridgeApi.valueInEth(WSTETH_ASSET, 10n * E);
    assert.equal(value.unwrap().toBigInt(), view.haircutRate.toBigInt() * 10n);
    const shown = await runKasane(node.rpcUrl, ['bridge', 'rate', String(WSTETH_ASSET), '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.json.rate, expected.toString());
    assert.equal(shown.json.haircut_rate, view.haircutRate.toString());
    assert.equal(shown.json.stale, false);
  }
});

test('replayed and forged attestations are refused', async () => {
  const chainId = 31337;
  const vaultAddress = await vault.getAddress();
  const minted = {
    nonce: 1,
    token: await wsteth.getAddress(),
    depositor: user.address,
    recipient: u8aToHex(eve.publicKey),
    amount: 5n * E,
    ethBlockHash: (await anvil.provider.getLogs({ address: vaultAddress, fromBlock: 0, topics: [vault.interface.getEvent('Deposited').topicHash, ethers.zeroPadValue('0x01', 32)] }))[0].blockHash,
  };
  const sign = (wallet, d) => wallet.signingKey.sign(depositDigest(chainId, vaultAddress, kasaneGenesis, d)).serialized;
  await expectModuleError(tx(api.tx.lstBridge.attestDeposit(minted, sign(attesters[0], minted)), bob), 'lstBridge.AlreadyProcessed');
  const forged = { ...minted, nonce: 999, recipient: u8aToHex(bob.publicKey), amount: 1_000n * E };
  const stranger = ethers.Wallet.createRandom();
  await expectModuleError(tx(api.tx.lstBridge.attestDeposit(forged, sign(stranger, forged)), bob), 'lstBridge.NotAttester');
  // An attester's real signature shown with other contents recovers to someone else.
  await expectModuleError(tx(api.tx.lstBridge.attestDeposit(forged, sign(attesters[0], minted)), bob), 'lstBridge.NotAttester');
  assert.equal(await status(999), 'Unknown');
  assert.equal(await balance(WSTETH_ASSET, bob.address), 0n);
});

/** The relayers' log lines about retrying waiting deposit `nonce`, as [relayer index, message]. */
const retries = (nonce) => relayers.flatMap((r, i) => r.lines()
  .filter((l) => l.fields?.nonce === nonce && /waiting deposit/.test(l.fields?.message ?? ''))
  .map((l) => [i, l.fields.message]));

/** Waits until the relayers minted waiting deposit `nonce` by themselves; checks that one retry
 * was paid, by the relayer whose attester is designated for it (index `nonce` mod the set). */
async function mintedByRelayers(nonce, what) {
  await until(async () => (await status(nonce)) === 'Processed', 90_000, `${what}: minted by a relayer`);
  await until(async () => retries(nonce).length > 0, 10_000, `${what}: the relayer's log`);
  // A second retry would land within a block of the first, and log within a step.
  await new Promise((r) => setTimeout(r, 8_000));
  assert.deepEqual(retries(nonce), [[nonce % attesters.length, 'waiting deposit retried']]);
}

test('an over-cap deposit waits, loses nothing, and the relayers mint it once the cap is raised', async () => {
  const d = await deposit(reth, 4n * E); // 3 + 4 > the cap of 5
  await until(async () => (await status(d.nonce)) === 'Parked', 90_000, 'parked over cap');
  assert.equal(await balance(RETH_ASSET, eve.address), 3n * E);
  // Still over the cap: no relayer retries it (a retry would fail), and one by hand fails.
  assert.deepEqual((await api.call.lstBridgeApi.retryableDeposits(null, 1_000)).toJSON(), [[], null]);
  await expectModuleError(tx(api.tx.lstBridge.retryDeposit(d.nonce), bob), 'lstBridge.StillOverCap');
  await root(api.tx.lstBridge.updateToken(await reth.getAddress(), {
    cap: 10n * E, dailyLimit: 1_000n * E, maxRateChange: 5 * PERCENT, haircut: 2 * PERCENT,
  }));
  await mintedByRelayers(d.nonce, 'over cap');
  assert.equal(await balance(RETH_ASSET, eve.address), 7n * E);
});

test('a deposit made while the bridge is paused waits and the relayers mint it after root resumes it', async () => {
  await root(api.tx.lstBridge.pause());
  const d = await deposit(wsteth, 1n * E);
  await until(async () => (await status(d.nonce)) === 'Parked', 90_000, 'parked while paused');
  const held = await balance(WSTETH_ASSET, eve.address);
  await expectModuleError(tx(api.tx.lstBridge.withdrawToEthereum(WSTETH_ASSET, 1n, ethers.Wallet.createRandom().address), eve), 'lstBridge.Paused');
  assert.deepEqual(retries(d.nonce), [], 'nothing retried while paused');
  await root(api.tx.lstBridge.resume());
  await mintedByRelayers(d.nonce, 'paused');
  assert.equal(await balance(WSTETH_ASSET, eve.address), held + 1n * E);
});

test('a deposit reorganised away before its confirmation depth never mints', async () => {
  const held = await balance(WSTETH_ASSET, eve.address);
  const snapshot = await anvil.provider.send('evm_snapshot', []);
  const gone = await deposit(wsteth, 7n * E);
  // Back to before the deposit, well within the confirmation depth.
  assert.ok(await anvil.provider.send('evm_revert', [snapshot]));
  // The next deposit takes the same vault nonce with other contents.
  const d = await deposit(wsteth, E / 2n);
  assert.equal(d.nonce, gone.nonce);
  await until(async () => (await status(d.nonce)) === 'Processed', 90_000, 'the canonical deposit minted');
  assert.equal(await balance(WSTETH_ASSET, eve.address), held + E / 2n);
  assert.equal((await api.query.lstBridge.halted(d.nonce)).isNone, true, 'no attester signed the reorged deposit');
});

test('a deposit root cancels goes back to its depositor on Ethereum', async () => {
  // Over rETH's cap (10 since it was raised; 7 minted): it waits, and root cancels it.
  const rethAddress = await reth.getAddress();
  const heldOnEthereum = await reth.balanceOf(user.address);
  const locked = (await vault.tokens(rethAddress)).locked;
  const d = await deposit(reth, 5n * E);
  await until(async () => (await status(d.nonce)) === 'Parked', 90_000, 'parked over cap');
  await root(api.tx.lstBridge.cancelDeposit(d.nonce));
  const refunded = await api.call.lstBridgeApi.depositStatus(d.nonce);
  assert.equal(refunded.type, 'Refunded');
  const withdrawal = refunded.asRefunded.withdrawal.toNumber();
  // The attesters sign the refund like any withdrawal, and a relayer releases it.
  await until(async () => (await reth.balanceOf(user.address)) === heldOnEthereum, 90_000, 'the refund released');
  assert.ok(await vault.released(withdrawal));
  assert.equal((await vault.tokens(rethAddress)).locked, locked, 'nothing stays locked for it');
  assert.equal(await balance(RETH_ASSET, eve.address), 7n * E, 'nothing minted for it');
});

test('a deposit of a token Kasane does not mirror is paid back', async () => {
  // The vault allows a token Kasane never registered.
  const stray = await deploy(await anvil.provider.getSigner(0), 'MockRETH');
  await (await vault.configureToken(await stray.getAddress(), RateKind.RocketPool, 100n * E)).wait();
  await (await stray.mint(user.address, 2n * E)).wait();
  await (await stray.connect(user).approve(vault.target, ethers.MaxUint256)).wait();
  const d = await deposit(stray, 2n * E);
  assert.equal(await stray.balanceOf(user.address), 0n);
  await until(async () => (await status(d.nonce)) === 'Refunded', 90_000, 'refused and refunded');
  await until(async () => (await stray.balanceOf(user.address)) === 2n * E, 90_000, 'paid back on Ethereum');
  assert.equal((await vault.tokens(await stray.getAddress())).locked, 0n);
});

test('dust is refused, and a release the vault keeps refusing does not hold up later ones', async () => {
  // cbETH, which can blacklist addresses, mirrored on Kasane.
  const cbeth = await deploy(await anvil.provider.getSigner(0), 'MockCbETH');
  const cbethAddress = await cbeth.getAddress();
  await (await vault.configureToken(cbethAddress, RateKind.Coinbase, 100n * E)).wait();
  await root(api.tx.lstBridge.registerToken(cbethAddress, CBETH_ASSET, 18, 1_000, {
    cap: 100n * E, dailyLimit: 1_000n * E, maxRateChange: 5 * PERCENT, haircut: 2 * PERCENT, minWithdrawal: MIN_WITHDRAWAL,
  }));
  await (await cbeth.mint(user.address, 4n * E)).wait();
  await (await cbeth.connect(user).approve(vault.target, ethers.MaxUint256)).wait();
  await deposit(cbeth, 4n * E);
  await until(async () => (await balance(CBETH_ASSET, eve.address)) === 4n * E, 90_000, 'cbETH minted');
  // Each withdrawal costs a release on Ethereum: dust is refused.
  await expectModuleError(tx(api.tx.lstBridge.withdrawToEthereum(CBETH_ASSET, MIN_WITHDRAWAL - 1n, ethers.Wallet.createRandom().address), eve), 'lstBridge.BelowMinWithdrawal');
  // The review's stall: a withdrawal to an address the token blacklisted, then a normal one.
  const blocked = ethers.Wallet.createRandom().address;
  const fine = ethers.Wallet.createRandom().address;
  await (await cbeth.setBlacklisted(blocked, true)).wait();
  const nonceOf = (events) => events.find((e) => api.events.lstBridge.WithdrawalRequested.is(e)).data.nonce.toNumber();
  const stuck = nonceOf(await tx(api.tx.lstBridge.withdrawToEthereum(CBETH_ASSET, E, blocked), eve));
  // The later one by CLI: the asset by its id (the test's assets have no symbol).
  const cliWithdrawal = await runKasane(node.rpcUrl, ['bridge', 'withdraw', String(CBETH_ASSET), '1', fine, '--json', '--wait', 'in-block'], { suri: '//Eve' });
  assert.equal(cliWithdrawal.code, 0, cliWithdrawal.stderr);
  assert.equal(cliWithdrawal.json.amount, E.toString());
  assert.equal(cliWithdrawal.json.recipient, fine.toLowerCase());
  const later = Number(cliWithdrawal.json.nonce);
  assert.ok(later > stuck);
  await until(async () => (await cbeth.balanceOf(fine)) === E, 120_000, 'the later withdrawal released').catch((e) => {
    for (const r of relayers) console.log(r.logs().split('\n').filter((l) => /release|withdrawal|step failed/.test(l)).slice(-15).join('\n'));
    throw e;
  });
  assert.ok(await vault.released(later));
  assert.equal(await vault.released(stuck), false);
  // `kasane bridge withdrawal` shows what `KasaneVault.release` needs for the stuck one: the
  // signatures Kasane holds and a ready `cast send` line naming Eve as the fee's beneficiary.
  const shown = await runKasane(node.rpcUrl, ['bridge', 'withdrawal', String(stuck), '--beneficiary', eve.address, '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  const stuckView = (await api.call.lstBridgeApi.withdrawal(stuck)).unwrap();
  assert.equal(shown.json.ready, true);
  assert.equal(shown.json.released, false);
  assert.deepEqual(shown.json.signatures, stuckView.signatures.map((sig) => sig.toHex()));
  assert.equal(shown.json.recipient, blocked.toLowerCase());
  assert.equal(shown.json.beneficiary, u8aToHex(eve.publicKey));
  const vaultAddress = (await vault.getAddress()).toLowerCase();
  assert.ok(
    shown.json.cast.startsWith(`cast send ${vaultAddress} 'release((uint64,address,address,uint256),bytes[],bytes32)' '(${stuck},${cbethAddress.toLowerCase()},${blocked.toLowerCase()},${E})' '[${shown.json.signatures.join(',')}]' ${u8aToHex(eve.publicKey)} `),
    shown.json.cast,
  );
  // `kasane bridge status` agrees with the chain on the vault and on what is outstanding.
  const status = await runKasane(node.rpcUrl, ['bridge', 'status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.equal(status.json.vault, vaultAddress);
  const listed = status.json.tokens.find((t) => t.token === cbethAddress.toLowerCase());
  const cbethOnChain = (await api.query.lstBridge.tokens(cbethAddress)).unwrap();
  assert.equal(BigInt(listed.outstanding), cbethOnChain.minted.toBigInt() - cbethOnChain.burned.toBigInt());
  assert.equal(status.json.quorum, (await api.call.lstBridgeApi.attesters()).unwrap().quorum.toNumber());
  assert.ok(relayers.some((r) => r.lines().some((l) => l.fields?.nonce === stuck && /keeps refusing this release/.test(l.fields?.message ?? ''))));
  // Once the token lets the recipient receive again, a retry releases the skipped one.
  await (await cbeth.setBlacklisted(blocked, false)).wait();
  await until(async () => (await cbeth.balanceOf(blocked)) === E, 120_000, 'the skipped release retried');
  assert.ok(await vault.released(stuck));
});

test('a relayer cut off from both RPCs recovers, and a restarted relayer resubmits nothing', async () => {
  const cut = relayers[2];
  const cutAt = Date.now();
  await Promise.all(proxies.map((p) => p.cut()));
  const d = await deposit(wsteth, E / 4n);
  // The other two attest it alone.
  await until(async () => (await status(d.nonce)) === 'Processed', 90_000, 'minted by two relayers');
  await until(() => cut.lines().some((l) => l.fields?.message === 'step failed' && Date.parse(l.timestamp) > cutAt), 30_000, 'the cut relayer notices');
  await Promise.all(proxies.map((p) => p.restore()));
  const restoredAt = Date.now();
  await until(
    () => cut.lines().some((l) => l.fields?.message === 'deposit accepted by kasane' && l.fields?.nonce === d.nonce
      && Date.parse(l.timestamp) > restoredAt),
    90_000,
    'the reconnected relayer catching up',
  ).catch((e) => {
    console.log(cut.logs().split('\n').filter((l) => !l.includes('blocks relayed')).slice(-40).join('\n'));
    throw e;
  });

  // Relayer 1 restarts from its state file: it resumes after the blocks it relayed.
  const first = relayers[0];
  const relayed = first.lines().filter((l) => l.fields?.message === 'ethereum blocks relayed');
  const lastTo = relayed.at(-1).fields.to;
  const submittedBefore = first.lines().filter((l) => /attested$/.test(l.fields?.message ?? '')).length;
  await first.restart();
  await until(() => first.lines().some((l) => l.fields?.message === 'relayer started' && l.fields?.next_eth_block > lastTo), 30_000, 'restart from the state file');
  await until(() => first.lines().filter((l) => l.fields?.message === 'ethereum blocks relayed').length > relayed.length + 1, 30_000, 'relaying again');
  const submittedAfter = first.lines().filter((l) => /attested$/.test(l.fields?.message ?? '')).length;
  assert.equal(submittedAfter, submittedBefore, 'nothing submitted again after the restart');
});

test('a relayer cut off from Ethereum alone still signs withdrawals on Kasane, restarted during the outage too', async () => {
  const cut = relayers[2];
  const [ethProxy] = proxies;
  // With relayer 2 stopped, no quorum forms without the cut relayer's signature.
  await relayers[1].stop();
  await ethProxy.cut();
  const cutAt = Date.now();
  const since = (message) => cut.lines().filter((l) => l.fields?.message === message && Date.parse(l.timestamp) > cutAt);
  let nonce;
  try {
    nonce = await cutOffFromEthereum(cut, since);
  } finally {
    // Whatever happened, the later tests need every relayer on both chains.
    await ethProxy.restore();
    await relayers[1].restart();
  }
  // Back on Ethereum, the cut relayer and relayer 2 carry the release receipt back.
  await bridgeEvent('WithdrawalReleased', (d) => d.nonce.toNumber() === nonce, 'the release receipt');
  await until(() => since('connected to ethereum').length > 0, 60_000, 'the cut relayer reconnects');
});

/** The part of the test above that runs with relayer 2 stopped and `cut` off Ethereum; resolves
 * with the withdrawal's nonce. */
async function cutOffFromEthereum(cut, since) {
  // Restarted while Ethereum is unreachable, it signs under the chain id its state file kept.
  await cut.restart();
  await until(() => since("ethereum side failed; kasane's duties done").length > 0, 30_000, 'the cut relayer notices');
  const recipient = ethers.Wallet.createRandom().address;
  const events = await tx(api.tx.lstBridge.withdrawToEthereum(WSTETH_ASSET, E / 2n, recipient), eve);
  const nonce = events.find((e) => api.events.lstBridge.WithdrawalRequested.is(e)).data.nonce.toNumber();
  await until(async () => (await wsteth.balanceOf(recipient)) === E / 2n, 90_000, "released with the cut relayer's signature")
    .catch((e) => {
      console.log(cut.logs().split('\n').slice(-30).join('\n'));
      throw e;
    });
  assert.ok(since('withdrawal signature attested').some((l) => l.fields.id === nonce), 'signed by the cut relayer');
  assert.deepEqual(since('connected to ethereum'), [], 'Ethereum stayed out of reach');
  // Its Ethereum retries back off instead of failing every step.
  const failures = since("ethereum side failed; kasane's duties done").map((l) => l.fields.retry_in_ms);
  assert.ok(failures.length >= 2 && failures.at(-1) > failures[0], `growing waits: ${failures}`);
  return nonce;
}

let bridgeSet; // the governed operator set the attesters follow

test('an operator joining the bridge operator set becomes an attester: Kasane and the vault hand over with the same signatures', async () => {
  // The bridge AVS is governance's: an allowlisted operator set of ecdsa keys accepting native
  // stake. The three relayers' Kasane accounts become validator candidates (native operators),
  // are allowlisted, register the key their relayer attests with and allocate their pool.
  const owner = await anvil.provider.getSigner(0);
  const ecdsa = new Keyring({ type: 'ecdsa' });
  const set = await createGovernedSet();
  bridgeSet = set;
  const operators = ['//Bob', '//Charlie', '//Dave'].map((uri) => new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri(uri));
  const join = async (operator, wallet) => {
    await tx(api.tx.utility.batchAll([
      api.tx.staking.bond(2n * MIN_ATTESTER_STAKE),
      api.tx.staking.validate(0),
    ]), operator);
    await asGovernance(api.tx.avsRegistry.setAllowlist(set, operator.address, true));
    const pair = ecdsa.addFromSeed(ethers.getBytes(wallet.privateKey));
    await tx(api.tx.utility.batchAll([
      api.tx.avsRegistry.registerForOperatorSet(set, { Ecdsa: u8aToHex(pair.publicKey) },
        { Ecdsa: u8aToHex(pair.sign(popPayload(api, set, operator.address))) }),
      api.tx.restaking.modifyAllocation(set, NATIVE_STRATEGY, E),
    ]), operator);
    await allocationInForce(api, alice, operator.address, set, NATIVE_STRATEGY);
  };
  for (const [i, operator] of operators.entries()) await join(operator, attesters[i]);
  // Root binds the attesters (the vault's set 1) to the set: membership matches, nothing due.
  await root(api.tx.lstBridge.setAttesters(attesters.map((a) => a.address), 2, 1, set));
  assert.ok((await api.call.lstBridgeApi.rotationDue()).isNone);

  // Ferdie joins with a new key and runs a fourth relayer with it.
  const ferdie = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri('//Ferdie');
  newcomer = ethers.Wallet.createRandom();
  await (await owner.sendTransaction({ to: newcomer.address, value: E })).wait();
  relayers.push(startRelayer('relayer-4', {
    'eth-rpc': anvil.url,
    'kasane-rpc': node.rpcUrl,
    vault: vault.target,
    'attester-key': newcomer.privateKey,
    'eth-sender-key': newcomer.privateKey,
    'kasane-signer': '//Ferdie',
    confirmations: CONFIRMATIONS,
    'start-block': await anvil.provider.getBlockNumber(),
    'poll-interval-ms': 500,
  }));
  await join(ferdie, newcomer);

  // The relayers propose the hand-over and the current three sign it (their policy allows
  // one newcomer with stake); one of them queues it in the vault. Neither side switches
  // before its time lock: Kasane's day (root shortens it here) and the vault's delay.
  const next = [...attesters.map((a) => a.address), newcomer.address]
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  await until(async () => (await vault.pendingRotation()).eta > 0n, 120_000, 'the hand-over queued in the vault');
  assert.equal(await vault.attesterSetId(), 1n);
  assert.equal((await api.call.lstBridgeApi.attesters()).unwrap().vaultSetId.toNumber(), 1);
  const waiting = (await api.call.lstBridgeApi.rotation(1)).unwrap();
  assert.ok(waiting.effectiveAt.isSome && waiting.applied.isFalse);
  assert.ok(waiting.nextStakes.every((s) => s.toBigInt() >= MIN_ATTESTER_STAKE));
  await approvedRotationInForce();
  await elapse(ROTATION_DELAY);
  await until(async () => (await vault.attesterSetId()) === 2n, 120_000, 'the vault rotated');
  assert.deepEqual([...(await vault.attesters())], next);
  assert.equal(await vault.quorum(), 3n);
  // Kasane switches at the first block after its (shortened) delay.
  const kasaneSet = await until(async () => {
    const set = (await api.call.lstBridgeApi.attesters()).unwrap();
    return set.vaultSetId.toNumber() === 2 ? set : null;
  }, 60_000, 'Kasane switched');
  assert.deepEqual(kasaneSet.members.map((m) => ethers.getAddress(m.toHex())), next);
  assert.equal(kasaneSet.quorum.toNumber(), 3);
  assert.equal(kasaneSet.vaultSetId.toNumber(), 2);
  const signed = (await api.call.lstBridgeApi.rotation(1)).unwrap();
  assert.ok(signed.ready.isTrue && signed.applied.isTrue);
  assert.ok(signed.signatures.length >= 2);

  // The next set works both ways: a deposit mints with three of four, the newcomer among the
  // signers, and a withdrawal is released with signatures of the vault's set 2.
  const held = await balance(WSTETH_ASSET, eve.address);
  const d = await deposit(wsteth, E);
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === held + E, 90_000, 'minted by the new set');
  await until(() => relayers[3].lines().some((l) => l.fields?.message === 'deposit accepted by kasane' && l.fields?.nonce === d.nonce), 30_000, 'the newcomer saw it');
  const ethRecipient = ethers.Wallet.createRandom().address;
  const events = await tx(api.tx.lstBridge.withdrawToEthereum(WSTETH_ASSET, E / 2n, ethRecipient), eve);
  const nonce = events.find((e) => api.events.lstBridge.WithdrawalRequested.is(e)).data.nonce.toNumber();
  await until(async () => (await wsteth.balanceOf(ethRecipient)) === E / 2n, 90_000, 'release with the new set');
  const view = (await api.call.lstBridgeApi.withdrawal(nonce)).unwrap();
  assert.equal(view.attesterSetId.toNumber(), 2);
  assert.ok(await vault.released(nonce));
});

test('the review takeover fails: sybils cannot join, an ordinary AVS cannot hold the attesters, and their signatures move nothing in the vault', async () => {
  // C-1. Thirteen sybil accounts become restaking operators (free) and try to join the
  // bridge's set: it takes only operators governance allowlisted.
  const sr = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const sybils = Array.from({ length: 13 }, (_, i) => sr.addFromUri(`//Sybil${i}`));
  const wallets = sybils.map(() => ethers.Wallet.createRandom());
  await tx(api.tx.utility.batchAll(sybils.map((s) => api.tx.balances.transferKeepAlive(s.address, 10n * UNIT))), alice);
  const ecdsa = new Keyring({ type: 'ecdsa' });
  const joins = await Promise.allSettled(sybils.map(async (sybil, i) => {
    await tx(api.tx.restaking.registerOperator(0, '0x', false), sybil);
    const pair = ecdsa.addFromSeed(ethers.getBytes(wallets[i].privateKey));
    return tx(api.tx.avsRegistry.registerForOperatorSet(bridgeSet, { Ecdsa: u8aToHex(pair.publicKey) },
      { Ecdsa: u8aToHex(pair.sign(popPayload(api, bridgeSet, sybil.address))) }), sybil);
  }));
  for (const j of joins) {
    assert.equal(j.status, 'rejected');
    assert.equal(j.reason.moduleError, 'avsRegistry.NotAllowlisted');
  }
  // The owner of an ordinary AVS cannot eject the bridge set's honest members...
  await expectModuleError(tx(api.tx.avsRegistry.ejectOperator(bridgeSet, bob.address), eve), 'avsRegistry.NotAvsOwner');
  // ...and its own set, whose membership it controls, cannot hold the attesters.
  let events = await tx(api.tx.avsRegistry.registerAvs('ipfs://evil'), eve);
  const avs = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e)).data.avs.toNumber();
  events = await tx(api.tx.avsRegistry.createOperatorSet(avs, ecdsaSetConfig(true)), eve);
  const evilSet = { avs, index: events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e)).data.set.index.toNumber() };
  const sortedAddresses = wallets.map((w) => w.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  await expectModuleError(root(api.tx.lstBridge.setAttesters(sortedAddresses, 9, 2, evilSet)), 'lstBridge.UngovernedOperatorSet');
  assert.ok((await api.call.lstBridgeApi.pendingRotation()).isNone);
  assert.ok((await api.call.lstBridgeApi.rotationDue()).isNone);

  // Straight to the vault: eleven sybil signatures neither hand it over nor release anything.
  const sorted = [...wallets].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const next = sorted.map((w) => w.address);
  const signWith = (digest, ws) => ws.map((w) => w.signingKey.sign(digest).serialized);
  const rotateDigest = await vault.rotateDigest(next, 9);
  await assert.rejects(vault.queueRotation.staticCall(next, 9, signWith(rotateDigest, sorted.slice(0, 11))));
  const token = await wsteth.getAddress();
  const locked = (await vault.tokens(token)).locked;
  const drain = { nonce: 2n ** 60n, token, recipient: sorted[0].address, amount: locked };
  await assert.rejects(vault.release.staticCall(drain, signWith(await vault.releaseDigest(drain), sorted.slice(0, 11)), ethers.ZeroHash));
  assert.equal((await vault.tokens(token)).locked, locked);
  assert.equal((await vault.pendingRotation()).eta, 0n);
  assert.equal(await vault.attesterSetId(), 2n);
});

test('attesters who sign what Ethereum did not do are recorded, and the relayers have them slashed', async () => {
  // The newcomer's relayer is stopped; its key (held by the test) signs a deposit that never
  // happened for the vault's next nonce, before the real one is made.
  await relayers[3].stop();
  const chainId = 31337;
  const vaultAddress = await vault.getAddress();
  const next = Number(await vault.depositNonce()) + 1;
  const bogus = {
    nonce: next,
    token: await wsteth.getAddress(),
    depositor: user.address,
    recipient: u8aToHex(eve.publicKey),
    amount: 7n * E,
    ethBlockHash: ethers.id('no such block'),
  };
  await tx(api.tx.lstBridge.attestDeposit(bogus, newcomer.signingKey.sign(depositDigest(chainId, vaultAddress, kasaneGenesis, bogus)).serialized), eve);
  const held = await balance(WSTETH_ASSET, eve.address);
  const d = await deposit(wsteth, E / 10n);
  assert.equal(d.nonce, next);
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === held + E / 10n, 90_000, 'the real deposit minted by three of four');
  const address = (a) => ethers.getAddress(a.toHex());
  const recorded = await bridgeEvent('DepositContradicted', (data) => data.nonce.toNumber() === next);
  assert.deepEqual(recorded.data.attesters.map(address), [newcomer.address]);
  const reported = await bridgeEvent('AttesterContradicted', (data) => data.nonce.toNumber() === next, 'a relayer reported the false deposit\'s signer');
  assert.equal(address(reported.data.attester), newcomer.address);
  assert.ok(reported.data.slashed.isTrue, 'slashed through the bridge operator set');

  // Headers too, whatever the policy: Bob's attester key signs the deposit's block with another
  // receipts root, and the three others sign the real header. Root has disabled slashing in the
  // bridge's set meanwhile: the relayers' reports are refused and the record is kept.
  await root(api.tx.slashing.setOperatorSetMode(bridgeSet, 'Disabled'));
  const block = await anvil.provider.send('eth_getBlockByHash', [d.blockHash, false]);
  const real = { number: Number(block.number), hash: block.hash, receiptsRoot: block.receiptsRoot };
  const wrong = { ...real, receiptsRoot: ethers.id('no such receipts') };
  const signHeader = (wallet, h) => wallet.signingKey.sign(headerDigest(chainId, vaultAddress, kasaneGenesis, h)).serialized;
  const liar = attesters[0];
  await tx(api.tx.lstBridge.attestHeader(wrong, signHeader(liar, wrong)), eve);
  for (const w of [attesters[1], attesters[2], newcomer]) await tx(api.tx.lstBridge.attestHeader(real, signHeader(w, real)), eve);
  assert.ok((await api.call.lstBridgeApi.headerStatus(real.number)).isTrusted);
  const headerRecorded = await bridgeEvent('HeaderContradicted', (data) => data.number.toNumber() === real.number);
  assert.deepEqual(headerRecorded.data.attesters.map(address), [liar.address]);
  // Each running relayer's turn comes (the last after three graces) and is held back by the
  // slashing pallet's refusal, for long; anyone reporting meanwhile is refused too.
  const heldBack = () => relayers.slice(0, 3).flatMap((r) => r.lines())
    .filter((l) => l.fields?.message === 'slashing holds the report back; reporting again later' && l.fields.contradicted === `Header(${real.number})`);
  await until(() => heldBack().length === 3, 150_000, 'every running relayer held back');
  // Each read the set's slashing mode and submitted nothing: a refusal would pay a fee.
  assert.ok(heldBack().every((l) => l.fields.error.includes('slashing is Disabled')), JSON.stringify(heldBack()));
  assert.ok(!relayers.slice(0, 3).flatMap((r) => r.lines()).some((l) => l.fields?.message === 'report rejected by kasane'));
  // A report names the attester's key, which the runtime API finds for the recorded address.
  const liarKey = (await api.call.lstBridgeApi.attesterKey(bridgeSet, liar.address)).unwrap().toHex();
  assert.equal(liarKey, liar.signingKey.compressedPublicKey);
  await expectModuleError(tx(api.tx.lstBridge.reportHeaderContradiction(real.number, liarKey), eve), 'slashing.SlashingDisabled');
  assert.deepEqual((await api.query.lstBridge.headerContradictions(real.number)).unwrap().attesters.map(address), [liar.address]);
  assert.ok(!bridgeEvents.some((e) => e.method === 'HeaderSignerContradicted'), 'nothing consumed the record');
  // `kasane bridge contradictions` lists it and says why it waits; `kasane bridge report`
  // refuses before signing.
  let listed = await runKasane(node.rpcUrl, ['bridge', 'contradictions', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const headerRecord = listed.json.records.find((r) => r.kind === 'header' && r.round === real.number);
  assert.deepEqual(headerRecord.attesters.map((a) => ethers.getAddress(a)), [liar.address]);
  assert.equal(headerRecord.operator_set, `${bridgeSet.avs}/${bridgeSet.index}`);
  assert.equal(headerRecord.reportable, false);
  assert.deepEqual(headerRecord.without_key, [], 'a member: its key is slashable');
  assert.match(headerRecord.slashing, /disabled/);
  const refused = await runKasane(node.rpcUrl, ['bridge', 'report', 'header', String(real.number), liar.address, '--json'], { suri: '//Eve' });
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stdout + refused.stderr, /slashing is disabled/);
  // Root enables slashing again; the record is still there for anyone to report: Eve does,
  // with the CLI.
  await root(api.tx.slashing.setOperatorSetMode(bridgeSet, 'Enabled'));
  const cliReport = await runKasane(node.rpcUrl, ['bridge', 'report', 'header', String(real.number), liar.address, '--json', '--wait', 'in-block'], { suri: '//Eve' });
  assert.equal(cliReport.code, 0, cliReport.stdout + cliReport.stderr);
  assert.equal(cliReport.json.slashed, true);
  listed = await runKasane(node.rpcUrl, ['bridge', 'contradictions', '--json']);
  assert.deepEqual(listed.json.records.filter((r) => r.kind === 'header'), []);
  const headerReported = await bridgeEvent('HeaderSignerContradicted', (data) => data.number.toNumber() === real.number, 'the false header\'s signer reported');
  assert.equal(address(headerReported.data.attester), liar.address);
  assert.ok(headerReported.data.slashed.isTrue, 'slashed through the bridge operator set');
  assert.ok((await api.query.lstBridge.contradictions(next)).isNone);
  assert.ok((await api.query.lstBridge.headerContradictions(real.number)).isNone);
  // Logged once the report's block is in: after its event, which the test saw first.
  const reports = () => relayers.slice(0, 3).flatMap((r) => r.lines()).filter((l) => l.fields?.message === 'contradicting attester reported');
  await until(() => reports().length === 1, 30_000, 'the deposit report logged');
  await new Promise((r) => setTimeout(r, 3_000));
  assert.deepEqual(reports().map((l) => l.fields.contradicted), [`Deposit(${next})`]);
});
