// A four-node network on loopback from the committed `chain-specs/local-raw.json`:
// three genesis validators (Alice, Bob, Charlie) produce and finalize blocks; Dave starts a
// node from the same spec with --bootnodes, syncs, bonds, validates, registers keys generated
// by his node (author_rotateKeysWithOwner) and becomes an authority within two eras; Bob is
// killed and finality continues with the other three; Bob restarts from his database and
// catches up. This is the README's "Join as a validator" procedure, run for real.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { nodeBinary, repoRoot, rpc, startNode } from './lib/devnode.mjs';

const UNIT = 10n ** 12n;
const CHAIN_SPEC = join(repoRoot, 'chain-specs', 'local-raw.json');
const baseDir = mkdtempSync(join(tmpdir(), 'kasane-net-'));
const nodes = {};
const apis = {};
let keyring;

function startValidator(name, { bootnode, p2pPort } = {}) {
  const basePath = join(baseDir, name);
  // A validator needs a persistent network key; generate it the way the README says.
  if (!existsSync(basePath)) {
    execFileSync(nodeBinary(), ['key', 'generate-node-key', '--chain', CHAIN_SPEC, '--base-path', basePath], {
      stdio: 'ignore',
    });
  }
  const args = [
    '--chain', CHAIN_SPEC,
    '--base-path', basePath,
    '--name', name,
    // Dev keys of //Alice, //Bob, //Charlie go to the keystore; implies --validator.
    ...(['alice', 'bob', 'charlie'].includes(name) ? [`--${name}`] : ['--validator']),
    ...(bootnode ? ['--bootnodes', bootnode] : []),
  ];
  return startNode(args, { p2pPort });
}

async function connect(name) {
  apis[name] = await ApiPromise.create({
    provider: new WsProvider(nodes[name].rpcUrl),
    noInitWarn: true,
    throwOnConnect: true,
  });
  return apis[name];
}

function logsOf(...names) {
  return names.map((n) => `--- ${n} ---\n${nodes[n]?.logs().slice(-3000)}`).join('\n');
}

/** Polls `check` every second until it returns a truthy value. */
async function eventually(what, check, timeoutMs, logNames = ['alice']) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})\n${logsOf(...logNames)}`);
}

const finalizedNumber = async (api) =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** Signs and sends `tx` as `signer`; resolves with the block hash once it is in a block. */
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (dispatchError) {
        const detail = dispatchError.isModule
          ? JSON.stringify(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`extrinsic failed: ${detail}`));
      } else if (status.isInBlock) {
        resolve(status.asInBlock);
      }
    }).catch(reject);
  });
}

before(async () => {
  nodes.alice = await startValidator('alice');
  const alicePeer = await rpc(nodes.alice.rpcPort, 'system_localPeerId');
  const bootnode = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${alicePeer}`;
  nodes.bootnode = bootnode;
  nodes.bob = await startValidator('bob', { bootnode });
  nodes.charlie = await startValidator('charlie', { bootnode });
  await connect('alice');
  await connect('bob');
  await connect('charlie');
  keyring = new Keyring({ type: 'sr25519', ss58Format: apis.alice.registry.chainSS58 });
});

after(async () => {
  await Promise.all(Object.values(apis).map((api) => api.disconnect().catch(() => {})));
  await Promise.all(
    Object.entries(nodes)
      .filter(([, n]) => typeof n === 'object')
      .map(([, n]) => n.stop('SIGKILL')),
  );
  rmSync(baseDir, { recursive: true, force: true });
});

test('the three genesis validators produce and finalize blocks', async () => {
  const api = apis.alice;
  const validators = (await api.query.session.validators()).map((v) => v.toString());
  const expected = ['//Alice', '//Bob', '//Charlie'].map((s) => keyring.addFromUri(s).address);
  assert.deepEqual([...validators].sort(), [...expected].sort());
  // Every validator authors in turn (Aura), and every node finalizes.
  const authors = await eventually(
    'blocks authored by all three validators',
    async () => {
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      const seen = new Set();
      for (let n = 1; n <= best; n++) {
        const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(n));
        if (header?.author) seen.add(header.author.toString());
      }
      return expected.every((a) => seen.has(a)) && seen;
    },
    120_000,
    ['alice', 'bob', 'charlie'],
  );
  assert.equal(authors.size, 3);
  for (const name of ['alice', 'bob', 'charlie']) {
    await eventually(`${name} finalizing`, async () => (await finalizedNumber(apis[name])) >= 3, 120_000, [name]);
  }
});

test('a fourth node syncs from the chain spec, bonds, validates and becomes an authority within two eras', async () => {
  nodes.dave = await startValidator('dave', { bootnode: nodes.bootnode });
  const daveApi = await connect('dave');
  const target = await finalizedNumber(apis.alice);
  await eventually('dave to sync', async () => (await daveApi.rpc.chain.getHeader()).number.toNumber() >= target, 120_000, ['dave']);

  const dave = keyring.addFromUri('//Dave');
  // Keys are generated in Dave's own keystore; the proof shows Dave's account owns them.
  const { keys, proof } = await rpc(nodes.dave.rpcPort, 'author_rotateKeysWithOwner', [u8aToHex(dave.publicKey)]);
  assert.ok(proof, 'the runtime proves key ownership');
  assert.equal(await rpc(nodes.dave.rpcPort, 'author_hasSessionKeys', [keys]), true);

  const api = apis.alice;
  const bond = 50_000n * UNIT;
  const tx = api.tx.utility.batchAll([
    api.tx.staking.bond(bond),
    api.tx.staking.validate(50_000_000), // 5% commission (Perbill parts)
    api.tx.session.setKeys(keys, proof),
  ]);
  const inBlock = await submit(api, tx, dave);
  const at = await api.at(inBlock);
  const eraAtJoin = (await at.query.staking.activeEra()).unwrap().index.toNumber();
  assert.ok((await at.query.staking.validators(dave.address)).isSome, 'dave is a candidate');
  assert.equal((await at.query.staking.ledgers(dave.address)).unwrap().held.toBigInt(), bond);

  const sessionsPerEra = (await api.query.staking.sessionsPerEra()).toNumber();
  const sessionLength = (await api.query.staking.sessionLength()).toNumber();
  const twoErasMs = 2 * sessionsPerEra * sessionLength * 6_000;
  await eventually(
    'dave in session.validators',
    async () => (await api.query.session.validators()).map((v) => v.toString()).includes(dave.address),
    twoErasMs + 60_000,
    ['alice', 'dave'],
  );
  const eraNow = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  assert.ok(eraNow <= eraAtJoin + 2, `dave joined in era ${eraAtJoin}, authority in era ${eraNow}`);
  // Dave authors blocks and earns era points from his own node.
  await eventually(
    'dave to author a block',
    async () => {
      const points = await api.query.staking.activeEraPoints();
      return points.individual.toJSON()[dave.address] > 0;
    },
    120_000,
    ['alice', 'dave'],
  );
});

test('finality continues when one of four validators is killed, and it catches up on restart', async () => {
  const api = apis.alice;
  // Let the authority set that includes Dave be finalized first.
  const start = await finalizedNumber(api);
  await eventually('finality with four validators', async () => (await finalizedNumber(api)) >= start + 3, 120_000);

  const bobFinalized = await finalizedNumber(apis.bob);
  const bobFinalizedHash = (await apis.bob.rpc.chain.getBlockHash(bobFinalized)).toHex();
  await apis.bob.disconnect();
  delete apis.bob;
  const p2pPort = nodes.bob.p2pPort;
  await nodes.bob.stop('SIGKILL');

  const afterKill = await finalizedNumber(api);
  await eventually('finality without bob', async () => (await finalizedNumber(api)) >= afterKill + 3, 120_000, ['alice', 'charlie', 'dave']);

  nodes.bob = await startValidator('bob', { bootnode: nodes.bootnode, p2pPort });
  const bob = await connect('bob');
  // Nothing Bob had finalized was lost...
  assert.equal((await bob.rpc.chain.getBlockHash(bobFinalized)).toHex(), bobFinalizedHash);
  // ...and he catches up with the others.
  const target = await finalizedNumber(api);
  await eventually('bob to catch up', async () => (await finalizedNumber(bob)) >= target, 120_000, ['bob']);
});
