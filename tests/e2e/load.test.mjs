// The load generator (scripts/load.sh) against a dev node: every pre-signed extrinsic ends up
// in a block, no block is charged beyond its normal-class ceiling, and the report carries the
// node's proposal times and memory. Small loads: the figures in docs/benchmarks.md come from
// full runs by hand.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startDevNode } from './lib/devnode.mjs';
import { runLoad } from './lib/load.mjs';

let node;
before(async () => {
  node = await startDevNode();
});
after(async () => {
  await node?.stop();
});

const load = (options) => runLoad({ rpcUrl: node.rpcUrl, pid: node.pid, logs: node.logs, ...options });

test('a transfer load is included whole, within the weight ceiling, with its measurements', async () => {
  const { summary, blocks } = await load({ workload: 'transfers', senders: 4, count: 400 });
  assert.equal(summary.rejected, 0, JSON.stringify(summary.rejections));
  assert.equal(summary.included, 400);
  assert.equal(summary.succeeded, 400);
  assert.equal(summary.failed, 0);
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

test('a restaking mix is included whole; its calls succeed where they can', async () => {
  const { summary } = await load({ workload: 'mix', senders: 4, count: 100 });
  assert.equal(summary.included, 100);
  // Per sender: deposits, the delegation, queued withdrawals and transfers succeed; claiming
  // rewards before any were paid fails (`NothingToClaim`): one call in five.
  assert.equal(summary.failed, 20, JSON.stringify(summary));
  assert.deepEqual(summary.failures, { 'restaking.NothingToClaim': 20 });
  assert.equal(summary.succeeded, 80);
});
