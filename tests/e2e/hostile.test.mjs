// Hostile input against a live `kasane-node --dev`, over its JSON-RPC port: every custom
// runtime API called through `state_call` with empty, truncated, random and oversized SCALE
// and with extreme arguments (u32::MAX limits and offsets, unknown ids) answers with an error
// or a bounded result quickly; malformed JSON-RPC and an oversized request get JSON-RPC (or
// HTTP) errors or a closed connection; a burst of invalid extrinsics (bad signatures, unfunded
// senders, stale nonces, a batch nested 200 deep at a stale nonce, an oversized call, batches
// nested past the decoder's depth limit) is
// refused by the pool while blocks keep coming, a far-future nonce waits without being
// included, and a valid transfer sent after it all lands. The node keeps authoring throughout.
// Prints the worst runtime-API latency and what the burst sent. The random inputs come from a
// seed it prints (KASANE_HOSTILE_SEED=<seed> replays them).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { submit, until, useDevNode, waitBlocks } from './lib/api.mjs';
import { createAvsWithSet } from './lib/avs.mjs';

let node;
let api;
let alice;
let bob;
let httpUrl;

let set;

useDevNode(async (dev) => {
  ({ node, api, alice, bob } = dev);
  httpUrl = node.rpcUrl.replace(/^ws/, 'http');
  // Something for the views to list: an AVS with an operator set accepting native stake.
  set = await createAvsWithSet(api, alice, [0]);
});

const given = process.env.KASANE_HOSTILE_SEED;
if (given !== undefined && !/^\d+$/.test(given)) throw new Error(`KASANE_HOSTILE_SEED must be a number, not ${given}`);
const SEED = Number(given ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
console.log(`hostile input seed: ${SEED} (replay: KASANE_HOSTILE_SEED=${SEED})`);
let state = SEED;
/** `n` bytes from the seeded generator (mulberry32). */
function randomBytes(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}

const U32_MAX = 0xffff_ffff;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
// A runtime API answer larger than this is not "bounded" for a UI or an indexer.
const MAX_ANSWER_BYTES = 1 << 20;
// What a runtime API may take to answer anything (generous: two cores shared with other test
// files' nodes and a browser; alone the worst is about 0.2 s).
const MAX_LATENCY_MS = 5_000;

/** One JSON-RPC request over HTTP: `{ status, body }` (body parsed when it is JSON). */
async function rpc(payload, { raw = false } = {}) {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? payload : JSON.stringify({ jsonrpc: '2.0', id: 1, ...payload }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const enc = (type, value) => api.createType(type, value).toU8a();
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Each custom runtime API method with arguments at their extremes: unknown accounts and ids,
 * u32::MAX limits and offsets. */
function extremeCalls() {
  const nobody = randomBytes(32);
  const set = enc('(u32, u32)', [U32_MAX, U32_MAX]);
  return {
    RestakingApi_staker: nobody,
    RestakingApi_operator: nobody,
    RestakingApi_claimable_rewards: concat(nobody, enc('u32', U32_MAX)),
    SlashingApi_operator_slashes: concat(alice.publicKey, enc('u32', U32_MAX)),
    SlashingApi_set_slashes: concat(set, enc('u32', U32_MAX)),
    SlashingApi_staker_exposure: alice.publicKey,
    SlashingApi_slash: enc('u64', U64_MAX),
    SlashingApi_mode: set,
    // MarketOrder::AllocatedValue, offset and limit u32::MAX; then from offset 0.
    AvsApi_operator_sets: concat([2], enc('u32', U32_MAX), enc('u32', U32_MAX)),
    AvsApi_security: set,
    LstBridgeApi_rate: enc('u32', U32_MAX),
    LstBridgeApi_value_in_eth: concat(enc('u32', 1), enc('u128', (1n << 128n) - 1n)),
    LstBridgeApi_deposit_status: enc('u64', U64_MAX),
    LstBridgeApi_withdrawal: enc('u64', U64_MAX),
    LstBridgeApi_unsigned_withdrawals: concat(enc('u64', 0), enc('u32', U32_MAX)),
    LstBridgeApi_attesters: new Uint8Array(),
    LstBridgeApi_rotation_due: new Uint8Array(),
    LstBridgeApi_pending_rotation: new Uint8Array(),
    LstBridgeApi_rotation: enc('u64', U64_MAX),
    LstBridgeApi_proofs_required: new Uint8Array(),
    LstBridgeApi_header_status: enc('u64', U64_MAX),
    LstBridgeApi_retryable_deposits: concat(enc('Option<u64>', U64_MAX), enc('u32', U32_MAX)),
    // An unknown set and an address nobody registered.
    LstBridgeApi_attester_key: concat(set, randomBytes(20)),
  };
}

test('every custom runtime API answers garbage and extremes with an error or a bounded result, quickly', async () => {
  const calls = extremeCalls();
  // Every method of the runtime's custom APIs is covered: a new one must be added here.
  const declared = api.runtimeMetadata.asLatest.apis
    .filter((a) => ['RestakingApi', 'SlashingApi', 'AvsApi', 'LstBridgeApi'].includes(a.name.toString()))
    .flatMap((a) => a.methods.map((m) => `${a.name}_${m.name}`));
  assert.deepEqual([...declared].sort(), Object.keys(calls).sort());

  // From the first block on, so that the node is authoring while it answers.
  await waitBlocks(api, 1, 60_000);
  const before = await best();
  let worst = { ms: 0 };
  let answered = 0;
  let refused = 0;
  for (const [method, valid] of Object.entries(calls)) {
    const inputs = {
      extreme: valid,
      empty: new Uint8Array(),
      truncated: valid.slice(0, Math.max(0, valid.length - 1)),
      random64: randomBytes(64),
      random1k: randomBytes(1024),
      oversized: new Uint8Array(1 << 20).fill(0xff),
    };
    for (const [kind, bytes] of Object.entries(inputs)) {
      const started = performance.now();
      const { status, body } = await rpc({ method: 'state_call', params: [method, u8aToHex(bytes)] });
      const ms = performance.now() - started;
      if (ms > worst.ms) worst = { ms, method, kind };
      const what = `${method} ${kind} (seed ${SEED})`;
      assert.equal(status, 200, `${what}: HTTP ${status}`);
      assert.ok(body.result !== undefined || body.error !== undefined, `${what}: ${JSON.stringify(body).slice(0, 200)}`);
      if (body.result !== undefined) {
        answered += 1;
        assert.ok((body.result.length - 2) / 2 <= MAX_ANSWER_BYTES, `${what}: ${(body.result.length - 2) / 2} bytes`);
      } else {
        refused += 1;
        assert.equal(typeof body.error.message, 'string');
      }
      assert.ok(ms < MAX_LATENCY_MS, `${what} took ${ms.toFixed(0)} ms`);
    }
    // Valid extremes decode: they must answer, not fail.
    const { body } = await rpc({ method: 'state_call', params: [method, u8aToHex(valid)] });
    assert.ok(body.result !== undefined, `${method} with extreme but valid arguments: ${JSON.stringify(body.error)}`);
  }
  // A u32::MAX limit from the start lists what there is, no more.
  const sets = await api.call.avsApi.operatorSets('AllocatedValue', 0, U32_MAX);
  assert.deepEqual(sets.map((s) => [s.get('set').avs.toNumber(), s.get('set').index.toNumber()]), [[set.avs, set.index]]);
  console.log(
    `runtime APIs: ${answered} answered, ${refused} refused; worst ${worst.ms.toFixed(1)} ms (${worst.method}, ${worst.kind} input); blocks #${before} → #${await best()}`,
  );
  await waitBlocks(api, 1, 30_000);
});

test('malformed and oversized JSON-RPC requests get errors, and the server keeps answering', async () => {
  const parse = await rpc('{"jsonrpc": "2.0", "id": 1, "method": ', { raw: true });
  assert.equal(parse.body.error.code, -32700, JSON.stringify(parse.body));
  const unknown = await rpc({ method: 'kasane_noSuchMethod', params: [] });
  assert.equal(unknown.body.error.code, -32601, JSON.stringify(unknown.body));
  const params = await rpc({ method: 'state_call', params: [1, 2, 3] });
  assert.equal(params.body.error.code, -32602, JSON.stringify(params.body));
  const notObject = await rpc('[1, "two", null]', { raw: true });
  assert.ok(Array.isArray(notObject.body) && notObject.body.every((r) => r.error), JSON.stringify(notObject.body));
  // Above the server's request limit (15 MiB by default): refused before it is parsed, by an
  // HTTP or JSON-RPC error or by closing the connection mid-upload.
  const huge = await rpc(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_name', params: ['x'.repeat(16 << 20)] }), { raw: true }).catch((e) => ({ closed: e.cause?.code ?? e.message }));
  assert.ok(huge.closed || huge.status === 413 || huge.body?.error, `oversized request answered: HTTP ${huge.status} ${String(huge.body).slice(0, 200)}`);
  const name = await rpc({ method: 'system_name', params: [] });
  assert.equal(name.body.result, 'Kasane Node');
});

/** `tx` signed by `pair` (at `nonce` when given), as hex. */
async function signedHex(tx, pair, nonce) {
  const signed = await tx.signAsync(pair, nonce === undefined ? {} : { nonce });
  return signed.toHex();
}

/** `author_submitExtrinsic` of `hex`: the JSON-RPC error it got (or undefined when accepted). */
async function submitRaw(hex) {
  const { body } = await rpc({ method: 'author_submitExtrinsic', params: [hex] });
  return body.error;
}

test('invalid extrinsics are refused by the pool, in a burst, while blocks keep coming', async () => {
  // Alice's first transaction makes nonce 0 stale.
  await submit(api, api.tx.balances.transferKeepAlive(bob.address, 1n), alice);
  const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const keyring = new Keyring({ type: 'sr25519' });
  const pauper = keyring.addFromUri(`//Pauper${Date.now()}`);

  /** Alice's transfer with one byte of its signature flipped. */
  const badSignature = async (i) => {
    const bytes = (await api.tx.system.remark(`bad signature ${i}`).signAsync(alice)).toU8a();
    const at = bytes.findIndex((_, k) => alice.publicKey.every((b, j) => bytes[k + j] === b));
    // After the 32-byte key: the signature's scheme byte, then the signature.
    bytes[at + 32 + 1 + 5] ^= 0xff;
    return u8aToHex(bytes);
  };
  const nest = (depth, tag = 0) => {
    let call = api.tx.system.remark(`deep ${depth} ${tag}`);
    for (let d = 0; d < depth; d += 1) call = api.tx.utility.batch([call]);
    return call;
  };
  const nested = nest(300);

  const cases = [
    ['bad signature', await badSignature(0), /bad signature/i],
    ['unfunded sender', await signedHex(api.tx.system.remark('no funds'), pauper), /pay some fees|balance too low/i],
    ['stale nonce', await signedHex(api.tx.system.remark('stale'), alice, 0), /outdated/i],
    // 6 MiB: more than a block holds (5 MiB). (Hex, as @polkadot/api reads a Uint8Array as
    // already length-prefixed.)
    ['oversized call', await signedHex(api.tx.system.remark(`0x${'00'.repeat(6 << 20)}`), alice, nonce), /exhaust/i],
    ['nested past the depth limit', await signedHex(nested, alice, nonce), /decode|invalid/i],
  ];
  for (const [what, hex, message] of cases) {
    const error = await submitRaw(hex);
    assert.ok(error, `${what} was accepted`);
    assert.match(`${error.message} ${error.data ?? ''}`, message, `${what}: ${JSON.stringify(error)}`);
  }

  // A burst of every kind, 8 at a time, for three slots, each transaction new (the pool bans
  // the hash of one it refused): a batch nested 200 deep (within the decoder's limit, so the
  // pool decodes all of it before the stale nonce refuses it), one nested past the limit, and
  // a 6 MiB call (every 50th, to keep the burst's upload bounded).
  const kinds = [
    ['bad signature', (i) => badSignature(i), /bad signature/i],
    ['unfunded sender', (i) => signedHex(api.tx.system.remark(`burst ${i}`), pauper), /pay some fees|balance too low/i],
    ['stale nonce', (i) => signedHex(api.tx.system.remark(`stale ${i}`), alice, 0), /outdated/i],
    ['200-deep batch at a stale nonce', (i) => signedHex(nest(200, i), alice, 0), /outdated/i],
    ['nested past the depth limit', (i) => signedHex(nest(300, i), alice, nonce), /decode|invalid/i],
  ];
  const oversized = (i) => signedHex(api.tx.system.remark(`0x${i.toString(16).padStart(8, '0')}${'00'.repeat(6 << 20)}`), alice, nonce);
  const start = await best();
  const started = Date.now();
  const sent = {};
  let accepted = 0;
  const worker = async (w) => {
    for (let i = w; Date.now() - started < 18_000; i += 8) {
      const [what, make, message] = i % 50 === 7 ? ['oversized call', oversized, /exhaust/i] : kinds[i % kinds.length];
      const error = await submitRaw(await make(i));
      sent[what] = (sent[what] ?? 0) + 1;
      if (!error) accepted += 1;
      else assert.match(`${error.message} ${error.data ?? ''}`, message, `burst, ${what}: ${JSON.stringify(error)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  const elapsed = Date.now() - started;
  const produced = (await best()) - start;
  const total = Object.values(sent).reduce((a, b) => a + b, 0);
  console.log(`invalid extrinsic burst: ${total} sent in ${(elapsed / 1000).toFixed(1)} s (${Object.entries(sent).map(([k, n]) => `${k} ${n}`).join(', ')}), ${accepted} accepted, ${produced} blocks meanwhile`);
  assert.equal(accepted, 0, 'every invalid extrinsic was refused');
  for (const [what] of [...kinds, ['oversized call']]) assert.ok(sent[what] > 0, `the burst sent no ${what}`);
  // Every 6-second slot gets its block; one may be missed at the edges of the window.
  assert.ok(produced >= Math.floor(elapsed / 6_000) - 1, `${produced} blocks in ${elapsed} ms`);

  // Nothing of it is pending.
  assert.equal((await api.rpc.author.pendingExtrinsics()).length, 0);

  // A nonce far ahead waits in the pool's future queue (it may become valid), outside the
  // ready set, and no block includes it meanwhile.
  const ahead = await signedHex(api.tx.system.remark('from the future'), alice, nonce + 1_000);
  assert.equal(await submitRaw(ahead), undefined, 'a future nonce is held, not refused');
  const atSubmit = await best();
  await waitBlocks(api, 2, 60_000);
  assert.equal((await api.rpc.author.pendingExtrinsics()).length, 0, 'not ready');
  for (let n = atSubmit; n <= (await best()); n += 1) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    assert.ok(!block.block.extrinsics.some((x) => x.toHex() === ahead), `block #${n} included the future transaction`);
  }

  // A valid transfer sent now lands.
  const free = async () => (await api.query.system.account(bob.address)).data.free.toBigInt();
  const before = await free();
  await submit(api, api.tx.balances.transferKeepAlive(bob.address, 7n), alice);
  assert.equal(await free(), before + 7n);
  await until(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() >= start + 2, 60_000, 'finality to move on');
});
