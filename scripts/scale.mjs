// State scale (issue 25): a `--dev` node on a genesis grown by scripts/large-state.mjs, grown
// further through its own extrinsics to a large restaking state, then measured
// (tests/e2e/lib/scale.mjs: the phases, the payouts followed and the views timed).
//   node scripts/scale.mjs [--stakers 100000] [--operators 1000] [--sets 500]
//       [--chunk 10000]          stakers' extrinsics signed and driven at a time
//       [--force-allocations]    bring allocations into force through sudo, not the delay
//                                (for runs that grow faster than the 5-minute dev delay)
//       [--out FILE]             also append the report as one JSON line to FILE
//       [--keep DIR]             build the spec and database in DIR and keep them, so that
//                                `kasane-node benchmark block --chain DIR/large.json
//                                --base-path DIR/db --from A --to B` can re-execute blocks
// Prints progress to stderr and the report as one JSON line to stdout. Loopback only; the
// node is stopped and (without --keep) its database removed at the end.

import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

import { nodeBinary, repoRoot, startNode } from '../tests/e2e/lib/devnode.mjs';
import { growAndMeasure } from '../tests/e2e/lib/scale.mjs';

const { values } = parseArgs({
  options: {
    stakers: { type: 'string', default: '100000' },
    operators: { type: 'string', default: '1000' },
    sets: { type: 'string', default: '500' },
    chunk: { type: 'string', default: '10000' },
    'force-allocations': { type: 'boolean', default: false },
    out: { type: 'string' },
    keep: { type: 'string' },
  },
});
const [stakers, operators, sets, chunk] = ['stakers', 'operators', 'sets', 'chunk'].map((name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${values[name]}`);
  return n;
});
const log = (line) => process.stderr.write(`${line}\n`);
const run = promisify(execFile);

const work = values.keep ?? mkdtempSync(join(tmpdir(), 'kasane-scale-'));
if (values.keep) {
  // A database left by an earlier run would carry its chain on: every run starts from genesis.
  if (existsSync(join(work, 'db'))) throw new Error(`${join(work, 'db')} exists: --keep needs a directory without one`);
  mkdirSync(work, { recursive: true });
}
const cleanUp = () => values.keep || rmSync(work, { recursive: true, force: true });
let node;
// Stopped from outside (a test's timeout, Ctrl-C): stop the node and clean up too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    Promise.resolve(node?.stop()).finally(() => {
      cleanUp();
      process.exit(1);
    });
  });
}
try {
  const started = Date.now();
  const { stdout: dev } = await run(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 << 20 });
  // Stakers, operators and owners hold KSN and one LST each; half the stakers also delegate
  // KSN in native staking, as on a chain where both kinds of stake exist.
  const grown = await new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(repoRoot, 'scripts', 'large-state.mjs'), '--accounts', String(stakers + operators + sets), '--delegators', String(Math.floor(stakers / 2))],
      { maxBuffer: 1 << 30 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
    child.stdin.end(dev);
  });
  const spec = join(work, 'large.json');
  writeFileSync(spec, grown);
  const genesisS = Math.round((Date.now() - started) / 1000);
  log(`genesis spec with ${stakers + operators + sets} accounts in ${genesisS} s`);

  const basePath = join(work, 'db');
  const pool = ['--pool-limit', String(Math.max(8192, 2 * chunk)), '--pool-kbytes', String(Math.max(20480, chunk))];
  node = await startNode(['--dev', '--chain', spec, '--base-path', basePath, ...pool], { rpcTimeoutMs: 600_000 });
  const provider = new WsProvider(node.rpcUrl, 1000, {}, 120_000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  try {
    const report = await growAndMeasure(api, provider, {
      stakers,
      operators,
      sets,
      chunk,
      pid: node.pid,
      logs: node.logs,
      basePath,
      forceAllocations: values['force-allocations'],
      log,
    });
    const line = JSON.stringify({ at: new Date().toISOString(), node: 'kasane-node --dev (large-state genesis)', genesisS, ...report });
    console.log(line);
    if (values.out) appendFileSync(values.out, `${line}\n`);
  } finally {
    await api.disconnect();
  }
} finally {
  await node?.stop();
  cleanUp();
}
