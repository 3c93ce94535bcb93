// End to end against a real `kasane-node --dev`: blocks are produced and finalized, a signed
// transfer submitted through @polkadot/api is finalized and moves exactly its amount, and bad
// extrinsics are rejected over RPC without disturbing block production.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';

import { until, useDevNode } from './lib/api.mjs';

const UNIT = 10n ** 12n;
let node;
let api;
let alice;
let bob;

// The node must also shut down cleanly on SIGTERM: `useDevNode` checks its exit.
useDevNode((dev) => ({ node, api, alice, bob } = dev));

/** The header of the best (or finalized) block once its number is at least `n`. */
const headAtLeast = (n, finalized) =>
  until(async () => {
    // No argument for the best block: an explicit `undefined` is encoded as the zero hash.
    const head = finalized ? await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead()) : await api.rpc.chain.getHeader();
    return head.number.toNumber() >= n && head;
  }, 120_000, () => `${finalized ? 'finalized' : 'best'} block #${n}\n${node.logs().slice(-4000)}`, 250);
const bestAtLeast = (n) => headAtLeast(n, false);
const finalizedAtLeast = (n) => headAtLeast(n, true);

test('the chain describes itself as Kasane with KSN', async () => {
  const [chain, properties, version] = await Promise.all([
    api.rpc.system.chain(),
    api.rpc.system.properties(),
    api.rpc.state.getRuntimeVersion(),
  ]);
  assert.equal(chain.toString(), 'Kasane Development');
  assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'KSN');
  assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 12);
  assert.equal(version.specName.toString(), 'kasane');
  const metadataVersions = await api.call.metadata.metadataVersions();
  assert.ok(metadataVersions.map((v) => v.toNumber()).includes(15), 'metadata v15 is served');
});

test('blocks are produced and finalized', async () => {
  await bestAtLeast(2);
  await finalizedAtLeast(1);
});

test('a signed transfer_keep_alive is finalized and moves exactly its amount', async () => {
  const amount = 1234n * UNIT + 5678n;
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();

  const info = await api.tx.balances.transferKeepAlive(bob.address, amount).paymentInfo(alice);
  assert.ok(info.partialFee.toBigInt() > 0n, 'payment_queryInfo reports a fee');

  const finalizedIn = await new Promise((resolve, reject) => {
    api.tx.balances
      .transferKeepAlive(bob.address, amount)
      .signAndSend(alice, ({ status, dispatchError, events }) => {
        if (dispatchError) reject(new Error(`transfer failed: ${dispatchError.toString()}`));
        if (status.isFinalized) {
          const ok = events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event));
          ok ? resolve(status.asFinalized) : reject(new Error('no ExtrinsicSuccess event'));
        }
      })
      .catch(reject);
  });

  const at = await api.at(finalizedIn);
  const after = (await at.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(after - before, amount);
  assert.equal((await api.rpc.system.accountNextIndex(alice.address)).toNumber(), aliceNonce + 1);
});

test('malformed and badly signed extrinsics are rejected and the chain keeps going', async () => {
  const raw = new WsProvider(node.rpcUrl);
  await raw.isReady;
  try {
    await assert.rejects(raw.send('author_submitExtrinsic', ['0xdeadbeef']), (err) => {
      assert.match(err.message, /Could not decode/);
      return true;
    });

    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const tx = api.tx.balances.transferKeepAlive(bob.address, UNIT);
    await tx.signAsync(alice, { nonce });
    const bytes = Buffer.from(tx.toU8a());
    const signature = Buffer.from(tx.signature.toU8a()).subarray(-64);
    const at = bytes.indexOf(signature);
    assert.ok(at > 0, 'signature found in the encoded extrinsic');
    bytes[at + 10] ^= 0xff;
    await assert.rejects(raw.send('author_submitExtrinsic', [u8aToHex(bytes)]), (err) => {
      assert.match(err.message, /^1010: Invalid Transaction: Transaction has a bad signature/);
      return true;
    });
  } finally {
    await raw.disconnect();
  }

  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  await bestAtLeast(now + 2);
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  await finalizedAtLeast(finalized + 1);
});

test('Prometheus metrics are served on loopback', async () => {
  const res = await fetch(node.prometheusUrl);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /substrate_block_height\{status="finalized"/);
});
