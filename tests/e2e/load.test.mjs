// The load generator (scripts/load.sh) against a dev node, and its command line against the
// four-node local network: every pre-signed extrinsic ends up in a block, no block is charged
// beyond its normal-class ceiling, and the report carries the nodes' proposal and import times
// and memory. Small loads: the figures in docs/benchmarks.md come from
// full runs by hand.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { LOCAL_NODES, repoRoot, startDevNode } from './lib/devnode.mjs';
import { runLoad } from './lib/load.mjs';

let node;
before(async () => {
  node = await startDevNode();
});
after(async () => {
  await node?.stop();
});

const run = promisify(execFile);
const load = (options) => runLoad({ rpcUrl: node.rpcUrl, pid: node.pid, logs: node.logs, ...options });

test('a transfer load is included whole, within the weight ceiling, with its measurements', async () => {
  const { summary, blocks } = await load({ workload: 'transfers', senders: 4, count: 400 });
  assert.equal(summary.rejected, 0, JSON.stringify(summary.rejections));
  assert.equal(summary.included, 400);
  assert.equal(summary.succeeded, 400);
  assert.equal(summary.failed, 0);
  assert.deepEqual(summary.calls, { 'balances.transferKeepAlive': 400 });
  const loaded = blocks.filter((b) => b.extrinsics > 0);
  assert.equal(loaded.reduce((n, b) => n + b.extrinsics, 0), 400);
  for (const b of blocks) {
    assert.ok(b.normalRefTime <= summary.normalRefTimeCeiling, `#${b.number} over the ceiling`);
    assert.ok(b.fullness >= 0 && b.fullness <= 1);
    assert.ok(b.finalityLag >= 0);
  }
  assert.ok(loaded.every((b) => typeof b.proposalMs === 'number'), 'proposal times from the log');
  assert.ok(summary.maxRssMiB > 0);
  assert.equal(summary.timedOut, false);
  assert.equal(summary.maxPerBlock, Math.max(...loaded.map((b) => b.extrinsics)));
  // Blocks are measured by number, each once, in order.
  assert.deepEqual(blocks.map((b) => b.number), blocks.map((_, i) => blocks[0].number + i));
});

test('a restaking mix is included whole and every call in it succeeds', { timeout: 900_000 }, async () => {
  // Its set-up waits for the withdrawals it queued to be due and an era's AVS rewards to be
  // paid: about two minutes of dev-chain blocks.
  const { summary } = await load({ workload: 'mix', senders: 4, count: 100 });
  assert.equal(summary.included, 100);
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(summary.succeeded, 100);
  // 25 calls per sender in the mix's cycle of six: the two claimers claim what the AVS paid,
  // the two others delegate; each completes the 4 withdrawals queued at set-up, queues 4,
  // transfers 4 times and updates its AVS's metadata 4 times; the rest are deposits.
  assert.deepEqual(summary.calls, {
    'avsRegistry.updateAvsMetadata': 16,
    'balances.transferKeepAlive': 16,
    'restaking.claimRewards': 2,
    'restaking.completeWithdrawal': 16,
    'restaking.delegateTo': 2,
    'restaking.deposit': 32,
    'restaking.queueWithdrawal': 16,
  });
});

test('scripts/load.sh loads the four-node local network and reports each node', { timeout: 300_000 }, async () => {
  // The command line end to end: it starts the four nodes, loads Alice, stops them all.
  const { stdout } = await run(process.execPath, [join(repoRoot, 'scripts', 'load.mjs'), '--network', 'local', '--count', '200', '--senders', '4'], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 280_000,
  });
  const summary = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.equal(summary.included, 200, JSON.stringify(summary));
  // Submitted round the four nodes' RPC servers.
  assert.equal(summary.submittedTo, 4);
  assert.equal(summary.succeeded, 200);
  assert.equal(summary.timedOut, false);
  assert.deepEqual(summary.nodes.map((n) => n.name), LOCAL_NODES);
  // Three validators share the slots, so every node imports blocks the others authored, and
  // Dave, who authors none, imports them all.
  for (const n of summary.nodes) {
    assert.ok(n.imported > 0, `${n.name} imported nothing: ${JSON.stringify(summary.nodes)}`);
    assert.ok(n.meanImportMs > 0, JSON.stringify(n));
    assert.ok(n.rssMiB > 0, JSON.stringify(n));
  }
  const dave = summary.nodes.find((n) => n.name === 'dave');
  assert.ok(dave.imported >= Math.max(...summary.nodes.map((n) => n.imported)), JSON.stringify(summary.nodes));
});
