// Native staking's hold on an elected validator, end to end against a real `kasane-node --dev`:
// the genesis validator (Alice) keeps its session keys and its self-bond for as long as it is
// in the active or planned set, whatever route it tries; an account that is not elected (Bob)
// sets keys with the node's own proof of ownership and gets its key deposit back with
// `staking.purgeKeys`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';

import { expectModuleError, submit, useDevNode } from './lib/api.mjs';

let node;
let api;
let alice;
let bob;

useDevNode((dev) => ({ node, api, alice, bob } = dev));

/** The amount `who` holds for session keys (0 if none). */
async function keyDeposit(who) {
  const holds = await api.query.balances.holds(who);
  const hold = holds.find((h) => h.id.toJSON().session === 'Keys');
  return hold ? hold.amount.toBigInt() : 0n;
}

test('an elected validator cannot purge its session keys by any route', async () => {
  assert.ok((await api.query.session.nextKeys(alice.address)).isSome);
  await expectModuleError(submit(api, api.tx.staking.purgeKeys(), alice), 'staking.StillElected');
  await expectModuleError(submit(api, api.tx.session.purgeKeys(), alice), 'system.CallFiltered');
  await expectModuleError(submit(api, api.tx.utility.batchAll([api.tx.session.purgeKeys()]), alice), 'system.CallFiltered');
  assert.ok((await api.query.session.nextKeys(alice.address)).isSome);
});

test('an account that is not elected purges its keys and gets the deposit back', async () => {
  const raw = new WsProvider(node.rpcUrl);
  await raw.isReady;
  let keys;
  let proof;
  try {
    ({ keys, proof } = await raw.send('author_rotateKeysWithOwner', [u8aToHex(bob.publicKey)]));
  } finally {
    await raw.disconnect();
  }
  const consumersBefore = (await api.query.system.account(bob.address)).consumers.toNumber();
  await submit(api, api.tx.session.setKeys(keys, proof), bob);
  assert.ok((await api.query.session.nextKeys(bob.address)).isSome);
  const deposit = await keyDeposit(bob.address);
  assert.ok(deposit > 0n, 'setting keys holds a deposit');
  assert.ok((await api.query.system.account(bob.address)).consumers.toNumber() > consumersBefore);

  const events = await submit(api, api.tx.staking.purgeKeys(), bob);
  const purged = events.find((e) => api.events.staking.SessionKeysPurged.is(e));
  assert.equal(purged?.data.who.toString(), bob.address);
  assert.ok((await api.query.session.nextKeys(bob.address)).isNone);
  assert.equal(await keyDeposit(bob.address), 0n);
  // Everything setting the keys took is back: the deposit and the consumer references.
  assert.equal((await api.query.system.account(bob.address)).consumers.toNumber(), consumersBefore);
  await expectModuleError(submit(api, api.tx.staking.purgeKeys(), bob), 'session.NoKeys');
});

test('a chilled validator keeps its self-bond while it is still elected', async () => {
  await submit(api, api.tx.staking.chill(), alice);
  assert.ok((await api.query.staking.validators(alice.address)).isNone);
  const bond = (await api.query.staking.ledgers(alice.address)).unwrap().held.toBigInt();
  await expectModuleError(submit(api, api.tx.staking.unbond(bond), alice), 'staking.StillElected');
  // Chilling takes effect at the next election (on this one-validator chain that election is
  // skipped and the set kept); until then Alice validates with her bond and keys.
  const active = (await api.query.staking.activeValidators()).map((e) => e.validator.toString());
  assert.deepEqual(active, [alice.address]);
});
