// The AVS registry end to end against a real `kasane-node --dev`: an AVS registers (its
// deposit held) and creates an operator set, the genesis validator joins it with an AVS key
// and a proof of possession signed in JavaScript, the AVS funds a reward budget, the `AvsApi`
// runtime API shows the marketplace and the set's security, and the validator leaves, staying
// slashable for the deallocation delay. Bad input gets the named module error.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectModuleError, useDevNode } from './lib/api.mjs';
import { avsKey, setConfig } from './lib/avs.mjs';

const UNIT = 10n ** 12n;
const NATIVE_STRATEGY = 0;
const WSTETH_STRATEGY = 1;

let api;
let alice;
let bob;
let charlie;
let tx;
let set;

useDevNode((dev) => {
  ({ api, alice, bob, tx } = dev);
  charlie = dev.keyring.addFromUri('//Charlie');
});

test('an AVS registers with a held deposit and creates an operator set', async () => {
  let events = await tx(api.tx.avsRegistry.registerAvs('https://oracle.example/avs.json'), charlie);
  const registered = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e));
  assert.ok(registered, 'AvsRegistered event');
  assert.equal(registered.data.deposit.toBigInt(), 100n * UNIT);
  const account = await api.query.system.account(charlie.address);
  assert.ok(account.data.reserved.toBigInt() >= 100n * UNIT, 'the deposit is held');

  const avs = registered.data.avs.toNumber();
  events = await tx(api.tx.avsRegistry.createOperatorSet(avs, setConfig([NATIVE_STRATEGY, WSTETH_STRATEGY])), charlie);
  const created = events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e));
  set = created.data.set.toJSON();
  assert.deepEqual(set, { avs, index: 0 });

  await expectModuleError(tx(api.tx.avsRegistry.createOperatorSet(avs, setConfig([])), charlie), 'avsRegistry.NoStrategies');
  await expectModuleError(tx(api.tx.avsRegistry.createOperatorSet(avs, setConfig([1])), bob), 'avsRegistry.NotAvsOwner');
});

test('the validator joins with a proof of possession; bad proofs and non-operators are refused', async () => {
  // Signed for another operator: not a proof for Alice.
  const forBob = avsKey(api, '//Alice//avs', set, bob.address);
  await expectModuleError(tx(api.tx.avsRegistry.registerForOperatorSet(set, forBob.key, forBob.proof), alice), 'avsRegistry.InvalidProofOfPossession');
  // Bob is not a restaking operator.
  await expectModuleError(tx(api.tx.avsRegistry.registerForOperatorSet(set, forBob.key, forBob.proof), bob), 'avsRegistry.NotOperator');

  const { key, proof } = avsKey(api, '//Alice//avs', set, alice.address);
  const events = await tx(api.tx.avsRegistry.registerForOperatorSet(set, key, proof), alice);
  assert.ok(events.some((e) => api.events.avsRegistry.OperatorRegistered.is(e)));
  const member = (await api.query.avsRegistry.members(set, alice.address)).unwrap();
  assert.equal(member.key.asSr25519.toHex(), key.Sr25519);
  assert.ok(member.slashableUntil.isNone);
});

test('the validator allocates its native pool; the market and security views show it', async () => {
  await tx(api.tx.restaking.modifyAllocation(set, NATIVE_STRATEGY, 10n ** 17n), alice);
  await tx(api.tx.avsRegistry.fundRewards(set, 'Native', 1_000n * UNIT, 10n * UNIT), charlie);

  const market = await api.call.avsApi.operatorSets({ RewardRate: 'Native' }, 0, 10);
  assert.equal(market.length, 1);
  const view = market[0];
  assert.equal(view.members.toNumber(), 1);
  assert.equal(view.keyType.toString(), 'Sr25519');
  assert.equal(view.terms.mode.asVeto.window.toNumber(), 10);
  assert.equal(view.budgets.length, 1);
  assert.equal(view.budgets[0].perEra.toBigInt(), 10n * UNIT);
  assert.equal(view.budgets[0].remaining.toBigInt(), 1_000n * UNIT);

  const security = (await api.call.avsApi.security(set)).unwrap();
  // `set` is also a Map method on polkadot.js structs: read the field with `get`.
  assert.equal(security.get('set').avs.toNumber(), set.avs);
  // The allocation waits for the allocation delay: nothing is allocated yet.
  assert.equal(security.nativeKsn.toBigInt(), 0n);
  assert.ok((await api.call.avsApi.security({ avs: 99, index: 0 })).isNone);

  // A new budget (in wstETH) that would not cover one era.
  await expectModuleError(tx(api.tx.avsRegistry.fundRewards(set, { WithId: 1 }, 5n * UNIT, 10n * UNIT), charlie), 'avsRegistry.BudgetBelowOneEra');
});

test('leaving keeps the validator slashable for the deallocation delay', async () => {
  const events = await tx(api.tx.avsRegistry.deregisterFromOperatorSet(set), alice);
  const left = events.find((e) => api.events.avsRegistry.OperatorDeregistered.is(e));
  assert.ok(left, 'OperatorDeregistered event');
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  // The dev chain's deallocation delay, a genesis parameter: two minutes of blocks.
  const delay = api.consts.restaking.deallocationDelay.toNumber();
  assert.equal(delay, 20);
  const until = left.data.slashableUntil.toNumber();
  assert.ok(until > now && until <= now + delay, `slashable for the deallocation delay (until #${until}, now #${now})`);
  assert.ok(events.some((e) => api.events.restaking.AllocationScheduled.is(e) && e.data.to.toBigInt() === 0n));
  await expectModuleError(tx(api.tx.avsRegistry.purgeDeparted(set, alice.address), bob), 'avsRegistry.StillSlashable');
  // Nor can the AVS walk away while it can still slash.
  await expectModuleError(tx(api.tx.avsRegistry.deregisterAvs(set.avs), charlie), 'avsRegistry.SetsStillSlashable');
});
