// Slashing end to end against a real `kasane-node --dev`: an AVS creates an operator set with a
// short veto window and designates a slasher; the genesis validator joins and allocates its
// native pool; a requested slash is vetoed by root, another executes by itself when its window
// ends; double-sign evidence signed in JavaScript with the validator's AVS key slashes at once
// and pays the reporter a share of what the validator itself lost, ejects it from the set, and
// cannot be replayed; a pending request holds its requester's deposit until it is decided; the
// `SlashingApi` runtime API reports the history, what a staker stands to lose and the slashing
// mode. Bad input gets a named error.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectModuleError, useDevNode, waitBlocks } from './lib/api.mjs';
import { avsKey } from './lib/avs.mjs';
import { allocationInForce, signedMessage, sudo } from './lib/slashing.mjs';

const WAD = 10n ** 18n;
const NATIVE_STRATEGY = 0;
const WINDOW = 3;

let api;
let alice;
let bob;
let charlie;
let dave;
let tx;
let set;

useDevNode((dev) => {
  ({ api, alice, bob, tx } = dev);
  charlie = dev.keyring.addFromUri('//Charlie');
  dave = dev.keyring.addFromUri('//Dave');
});
const request = (fraction, signer = dave) =>
  tx(api.tx.slashing.requestSlash(alice.address, set, fraction, 'ipfs://evidence'), signer);
const record = async (id) => (await api.call.slashingApi.slash(id)).unwrap();

test('an AVS with a veto window designates a slasher; the validator allocates its pool', async () => {
  let events = await tx(api.tx.avsRegistry.registerAvs('ipfs://oracle'), charlie);
  const avs = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e)).data.avs.toNumber();
  const config = {
    strategies: [[NATIVE_STRATEGY, 0]],
    maxOperators: 16,
    keyType: 'Sr25519',
    allowlist: false,
    terms: {
      mode: { Veto: { window: WINDOW } },
      maxSlashPerEpoch: WAD / 2n,
      slashedFunds: 'Burn',
      equivocationPenalty: WAD / 10n,
    },
  };
  events = await tx(api.tx.avsRegistry.createOperatorSet(avs, config), charlie);
  set = events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e)).data.set.toJSON();

  await expectModuleError(tx(api.tx.slashing.setSlasher(avs, dave.address), bob), 'slashing.NotAvsOwner');
  await tx(api.tx.slashing.setSlasher(avs, dave.address), charlie);
  // Kept with the owner that designated it: it ends with a change of ownership.
  const [by, slasher] = (await api.query.slashing.slashers(avs)).unwrap();
  assert.deepEqual([by.toString(), slasher.toString()], [charlie.address, dave.address]);

  const { key, proof } = avsKey(api, '//Alice//avs', set, alice.address);
  await tx(api.tx.avsRegistry.registerForOperatorSet(set, key, proof), alice);
  // Nothing in force yet: nothing to slash.
  await tx(api.tx.restaking.modifyAllocation(set, NATIVE_STRATEGY, WAD / 2n), alice);
  await expectModuleError(request(WAD / 10n), 'slashing.NothingToSlash');
  await allocationInForce(api, alice, alice.address, set, NATIVE_STRATEGY);
});

test('root vetoes a pending slash; the next one executes when its window ends', async () => {
  await expectModuleError(request(WAD / 10n, bob), 'slashing.NotSlasher');
  await expectModuleError(request(WAD), 'slashing.EpochCapExceeded');

  await expectModuleError(request(1n), 'slashing.FractionTooSmall');
  const held = async () => (await api.query.system.account(dave.address)).data.reserved.toBigInt();
  const heldBefore = await held();
  let events = await request(WAD / 10n);
  const requested = events.find((e) => api.events.slashing.SlashRequested.is(e));
  const vetoed = requested.data.id.toNumber();
  assert.equal((await record(vetoed)).status.toString(), 'Pending');
  // The requester holds a deposit while its request is pending.
  assert.equal(await held(), heldBefore + 10n * 10n ** 12n);
  // Alice's own bond is in her pool: she sees what the slash would cost her.
  const exposure = await api.call.slashingApi.stakerExposure(alice.address);
  assert.equal(exposure.length, 1);
  assert.ok(exposure[0].cost[0][1].toBigInt() > 0n);

  await expectModuleError(tx(api.tx.slashing.vetoSlash(vetoed, false), bob), 'dispatch.BadOrigin');
  await sudo(api, api.tx.slashing.vetoSlash(vetoed, false), alice);
  assert.equal((await record(vetoed)).status.toString(), 'Vetoed');
  assert.equal(await held(), heldBefore, 'the deposit came back');

  const poolBefore = (await api.query.staking.pools(alice.address)).unwrap().active.toBigInt();
  events = await request(WAD / 10n);
  const id = events.find((e) => api.events.slashing.SlashRequested.is(e)).data.id.toNumber();
  const executesAt = (await record(id)).executesAt.toNumber();
  await expectModuleError(tx(api.tx.slashing.executeSlash(id), bob), 'slashing.VetoWindowOpen');
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitBlocks(api, Math.max(executesAt - now, 0) + 1);
  const done = await record(id);
  assert.equal(done.status.toString(), 'Executed');
  const taken = done.amounts[0].amount.toBigInt();
  // 10% of the half allocated: 5% of the pool.
  assert.equal(taken, poolBefore / 20n);
  const poolAfter = (await api.query.staking.pools(alice.address)).unwrap().active.toBigInt();
  assert.equal(poolAfter, poolBefore - taken);
});

test('double-sign evidence slashes at once, pays the reporter and never slashes twice', async () => {
  const a = signedMessage(api, '//Alice//avs', set, 7, 'ETH/USD=3000');
  const b = signedMessage(api, '//Alice//avs', set, 7, 'ETH/USD=9000');
  const report = (x, y, signer = bob) =>
    tx(api.tx.slashing.reportEquivocation(set, alice.address, x.message, x.signature, y.message, y.signature), signer);

  await expectModuleError(report(a, a), 'slashing.SameMessage');
  const forged = signedMessage(api, '//Mallory', set, 7, 'ETH/USD=9000');
  await expectModuleError(report(a, forged), 'slashing.InvalidSignature');
  const otherRound = signedMessage(api, '//Alice//avs', set, 8, 'ETH/USD=9000');
  await expectModuleError(report(a, otherRound), 'slashing.DifferentRounds');

  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const events = await report(a, b);
  const reported = events.find((e) => api.events.slashing.EquivocationReported.is(e));
  assert.ok(reported, 'EquivocationReported event');
  const id = reported.data.id.toNumber();
  const proven = await record(id);
  assert.equal(proven.status.toString(), 'Executed');
  assert.equal(proven.source.asEquivocation.round.toNumber(), 7);
  // 10% of what Alice herself lost: her pool is all her own bond, so about a tenth of it.
  const reward = proven.amounts[0].reward.toBigInt();
  const amount = proven.amounts[0].amount.toBigInt();
  assert.ok(reward > 0n && reward <= amount / 10n && reward >= amount / 10n - 1n, `${reward} of ${amount}`);
  // A valid report is free: Bob ends up exactly the reward richer.
  const bobAfter = (await api.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(bobAfter - bobBefore, reward);

  await expectModuleError(report(a, b, charlie), 'slashing.DuplicateEvidence');
  // Punished once per membership: another round is refused, and Alice left the set (she stays
  // slashable for the deallocation delay).
  const c = signedMessage(api, '//Alice//avs', set, 9, 'ETH/USD=1');
  const d = signedMessage(api, '//Alice//avs', set, 9, 'ETH/USD=2');
  await expectModuleError(report(c, d), 'slashing.AlreadyPunished');
  const membership = (await api.query.avsRegistry.members(set, alice.address)).unwrap();
  assert.ok(membership.slashableUntil.isSome);
});

test('the slashing API lists the history newest first; root switches slashing to log-only', async () => {
  const history = await api.call.slashingApi.operatorSlashes(alice.address, 10);
  assert.deepEqual(
    history.map((r) => r.status.toString()),
    ['Executed', 'Executed', 'Vetoed'],
  );
  assert.deepEqual(
    history.map((r) => Object.keys(r.source.toJSON())[0]),
    ['equivocation', 'request', 'request'],
  );
  assert.equal((await api.call.slashingApi.setSlashes(set, 10)).length, 3);

  await expectModuleError(tx(api.tx.slashing.setGlobalMode('LogOnly'), bob), 'dispatch.BadOrigin');
  await sudo(api, api.tx.slashing.setGlobalMode('LogOnly'), alice);
  const mode = await api.call.slashingApi.mode(set);
  assert.equal(mode.effective.toString(), 'LogOnly');
  const events = await request(WAD / 100n);
  assert.ok(events.some((e) => api.events.slashing.SlashRequested.is(e)) === false);
  const logged = events.find((e) => api.events.slashing.SlashLogged.is(e));
  assert.ok(logged, 'SlashLogged event: recorded, nothing taken');
});
