// The state-scale run (scripts/scale.mjs) end to end on a small state: it grows a genesis,
// starts a node on it, makes operators, AVSs with funded sets and delegated stakers through
// extrinsics that all succeed, follows an era's start and reward payouts, has every AVS
// slash an operator, times the views while those slashes wait, follows their execution and
// measures the database. The figures in docs/benchmarks.md come from the full run by hand.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { repoRoot } from './lib/devnode.mjs';

const run = promisify(execFile);

test('scripts/scale.mjs grows a restaking state through extrinsics and measures it', { timeout: 600_000 }, async () => {
  const args = ['--stakers', '300', '--operators', '8', '--sets', '4', '--chunk', '200', '--force-allocations'];
  const { stdout } = await run(process.execPath, [join(repoRoot, 'scripts', 'scale.mjs'), ...args], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 580_000,
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  // Every phase's extrinsics succeeded (the script throws otherwise), in these numbers: 8
  // operators and 4 AVSs registered, 4 sets created and funded, 8 operators joined, 300 stakers
  // in two chunks.
  assert.equal(report.phases.register.extrinsics, 12);
  assert.equal(report.phases.sets.extrinsics, 4);
  assert.equal(report.phases.join.extrinsics, 8);
  assert.equal(report.phases.restake.extrinsics, 300);
  assert.ok(report.phases.restake.blocks >= 2, JSON.stringify(report.phases));
  // Every set has stake allocated in force, so the era's payout pays each budget once.
  assert.equal(report.payouts.budgets, 4, JSON.stringify(report.payouts));
  assert.equal(report.payouts.paid, 4, JSON.stringify(report.payouts));
  assert.equal(report.payouts.skipped, 0);
  assert.ok(report.payouts.eraStart?.number > 0, JSON.stringify(report.payouts));
  assert.ok(report.payouts.maxHookRefTime > 0 && report.payouts.maxHookRefTime <= report.payouts.maxBlockRefTime, JSON.stringify(report.payouts));
  assert.ok(report.payouts.budgetRefTime > 0);
  // Each AVS slashed one operator under veto terms; all four executed after the window.
  assert.equal(report.phases.slash.extrinsics, 4);
  assert.equal(report.slashes.executed, 4, JSON.stringify(report.slashes));
  assert.equal(report.slashes.failed, 0);
  assert.ok(report.slashes.maxHookRefTime > 0 && report.slashes.maxHookRefTime <= report.slashes.maxBlockRefTime, JSON.stringify(report.slashes));
  // Executing slashes stays within its per-block budget on top of what every block's hooks
  // spend (the slashes execute ten blocks after their request, a block or two after the era
  // start: before the next era and away from a session's rotation).
  const idle = report.payouts.idleHookRefTime;
  assert.ok(idle > 0 && idle < report.slashes.budgetRefTime, JSON.stringify(report.payouts));
  assert.ok(report.slashes.maxHookRefTimeAlone > idle, JSON.stringify(report.slashes));
  assert.ok(report.slashes.maxHookRefTimeAlone <= report.slashes.budgetRefTime + idle, JSON.stringify(report.slashes));
  for (const [view, t] of Object.entries(report.views)) {
    assert.ok(t.calls > 0 && t.p50Ms > 0 && t.p95Ms >= t.p50Ms && t.maxMs >= t.p95Ms, `${view}: ${JSON.stringify(t)}`);
  }
  // The exposure view was timed while the slashes were pending: its stakers had one to price
  // (an empty answer is one byte).
  assert.ok(report.views.SlashingApi_staker_exposure.maxBytes > 100, JSON.stringify(report.views));
  assert.ok(report.views['AvsApi_operator_sets(SetId)'].maxBytes > 100, JSON.stringify(report.views));
  assert.ok(report.databaseBytes > 1_000_000, `database of ${report.databaseBytes} bytes`);
});
