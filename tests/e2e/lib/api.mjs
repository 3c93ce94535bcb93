// What every end-to-end test file shares: one dev node per file (`useDevNode`), one way to
// submit a transaction (`submit`), one way to expect a named dispatch error
// (`expectModuleError`) and one poller (`until`).

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

import { startDevNode } from './devnode.mjs';

/** An `ApiPromise` connected to `node` (from `startDevNode`), plus Alice and Bob. */
export async function connect(node) {
  const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  return { api, alice: keyring.addFromUri('//Alice'), bob: keyring.addFromUri('//Bob') };
}

/**
 * Starts a `kasane-node --dev` (with `extraArgs`, or what the async function `extraArgs`
 * returns then) before the file's tests and connects to it;
 * after them disconnects and stops the node, which must exit cleanly on SIGTERM. Hands
 * `{ node, api, keyring, alice, bob, tx }` to `ready` once connected (`tx(call, signer)` is
 * `submit` bound to this node's api). Put further setup in `ready` (it is awaited): node:test
 * does not wait for one top-level `before` hook before starting the next.
 */
export function useDevNode(ready, extraArgs = []) {
  let node;
  let api;
  before(async () => {
    node = await startDevNode(typeof extraArgs === 'function' ? await extraArgs() : extraArgs);
    const connected = await connect(node);
    api = connected.api;
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    await ready({ node, ...connected, keyring, tx: (call, signer) => submit(api, call, signer) });
  });
  after(async () => {
    await api?.disconnect();
    const exit = await node?.stop();
    if (exit) assert.ok(exit.code === 0 || exit.signal === 'SIGTERM', `node exit: ${JSON.stringify(exit)}`);
  });
}

/** An `Error` naming a failed dispatch as `section.Name` (`err.moduleError`), e.g.
 * `restaking.InsufficientShares`, or `dispatch.BadOrigin` for errors outside a pallet. */
export function dispatchFailure(api, dispatchError) {
  const { section, name } = dispatchError.isModule
    ? api.registry.findMetaError(dispatchError.asModule)
    : { section: 'dispatch', name: dispatchError.toString() };
  return Object.assign(new Error(`${section}.${name}`), { moduleError: `${section}.${name}` });
}

/** Signs and submits `tx`, resolving with the events of its block once it is in one (the
 * array's `blockHash` names that block); a failed dispatch rejects with `dispatchFailure`. */
export function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError, events }) => {
      if (!status.isInBlock) return;
      if (dispatchError) {
        reject(dispatchFailure(api, dispatchError));
        return;
      }
      resolve(Object.assign(events.map(({ event }) => event), { blockHash: status.asInBlock }));
    }).catch(reject);
  });
}

/** Asserts that `promise` rejects with the dispatch error `name` (`section.Name`). */
export async function expectModuleError(promise, name) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.moduleError, name, `expected ${name}, got: ${err.stack ?? err}`);
    return true;
  });
}

/** Polls `check` (async, truthy when done) every `interval` ms for up to `ms`; returns its
 * value. The one way the tests wait for something. `what` names it in the timeout error (a
 * function is called then, e.g. for the node's latest logs). */
export async function until(check, ms, what, interval = 200) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Resolves with the best block number once the chain has imported `count` more blocks. */
export async function waitBlocks(api, count, ms = 120_000) {
  const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const target = (await best()) + count;
  return until(async () => {
    const n = await best();
    return n >= target && n;
  }, ms, `block #${target}`);
}
