// Command line of the load generator (tests/e2e/lib/load.mjs); run it through scripts/load.sh.
//   --workload transfers|deposits|mix   (default transfers)
//   --count N --senders S --concurrency C   (defaults 8000, 16, 256)
//   --network dev|local   start `--dev` (default) or the four nodes of `--chain local`
//                         (Alice, Bob, Charlie validating, Dave following), submit to all
//                         four in turn and follow the blocks on Alice
//   --url ws://127.0.0.1:PORT   measure a running node instead of starting any
//   --out FILE   also append the summary as one JSON line to FILE
//   --base-path DIR   keep the `--dev` node's database in DIR (not `--tmp`), so that
//                     `kasane-node benchmark block --dev --base-path DIR --from A --to B` can
//                     re-execute the loaded blocks and compare their time with their weight
// Prints each block to stderr and the summary as one JSON line to stdout.

import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { LOCAL_NODES, rpcCall, startLocalNetwork, startNode } from '../tests/e2e/lib/devnode.mjs';
import { runLoad } from '../tests/e2e/lib/load.mjs';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'transfers' },
    count: { type: 'string', default: '8000' },
    senders: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '256' },
    network: { type: 'string', default: 'dev' },
    url: { type: 'string' },
    out: { type: 'string' },
    'base-path': { type: 'string' },
  },
});
const count = Number(values.count);
if (!['dev', 'local'].includes(values.network)) throw new Error(`unknown network ${values.network} (dev or local)`);
if (values['base-path'] && values.network !== 'dev') throw new Error('--base-path keeps the --dev node\'s database only');
// Nodes started here: loopback only, pools that take the whole load at once, in their future
// queues too. The fork-aware pool hands its mempool to each new block's view in hash order, so
// a sender's later nonces often reach the view before its earlier ones and wait as future
// transactions; the future queue holds a tenth of `--pool-limit`, and what overflows it leaves
// the pool for good (a burst of long nonce chains from a few senders, as here, lost up to
// three in four of 8 000 transfers on four nodes with a limit of twice the count).
const pool = ['--pool-limit', String(Math.max(8192, 10 * count)), '--pool-kbytes', String(Math.max(20480, 10 * count))];
const database = values['base-path'] ? ['--base-path', values['base-path']] : ['--tmp'];
let nodes = [];
// Stopped from outside (a test's timeout, Ctrl-C): stop the nodes too, which `finally` would
// not do on a signal.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    Promise.all(nodes.map((n) => n.stop())).finally(() => process.exit(1));
  });
}
if (!values.url) {
  nodes = values.network === 'local' ? await startLocalNetwork(pool) : [await startNode(['--dev', ...database, ...pool])];
}
try {
  const before = values.network === 'local' ? await importTimesInStep(nodes, 0) : [];
  const { summary, blocks } = await runLoad({
    rpcUrl: values.url ?? nodes[0].rpcUrl,
    // On four nodes, submissions are spread over all of their RPC servers.
    submitUrls: values.url ? [values.url] : nodes.map((n) => n.rpcUrl),
    pid: nodes[0]?.pid,
    // Blocks are proposed by whichever validator's slot it is.
    logs: nodes.length ? () => nodes.map((n) => n.logs()).join('\n') : undefined,
    workload: values.workload,
    count,
    senders: Number(values.senders),
    concurrency: Number(values.concurrency),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.network === 'local' && nodes.length) {
    // Per node: blocks it imported from the others during the run and their mean import
    // time (block verification and import, Prometheus), and its memory at the end.
    const after = await importTimesInStep(nodes, blocks.at(-1)?.number ?? 0);
    summary.nodes = nodes.map((n, i) => {
      const imported = after[i].count - before[i].count;
      return {
        name: LOCAL_NODES[i],
        imported,
        meanImportMs: imported ? Math.round(((after[i].sum - before[i].sum) / imported) * 10000) / 10 : null,
        rssMiB: rssMiB(n.pid),
      };
    });
  }
  const node = values.url ?? (values.network === 'local' ? 'kasane-node --chain local (4 nodes)' : 'kasane-node --dev');
  const line = JSON.stringify({ at: new Date().toISOString(), node, ...summary, blocks });
  console.log(JSON.stringify(summary));
  if (values.out) appendFileSync(values.out, `${line}\n`);
} finally {
  await Promise.all(nodes.map((n) => n.stop()));
}

/**
 * Every node's import times, read once all of them are at the same best block, at least
 * `atLeast`: so that no node's count includes a block another's does not yet.
 */
async function importTimesInStep(nodes, atLeast) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const bests = await Promise.all(nodes.map(async (n) => Number.parseInt((await rpcCall(n.rpcPort, 'chain_getHeader')).number, 16)));
    if (bests.every((b) => b === bests[0] && b >= atLeast)) {
      const times = await Promise.all(nodes.map(importTimes));
      // A block imported while the counters were read would put the nodes out of step again.
      const again = await Promise.all(nodes.map(async (n) => Number.parseInt((await rpcCall(n.rpcPort, 'chain_getHeader')).number, 16)));
      if (again.every((b) => b === bests[0])) return times;
    }
    if (Date.now() > deadline) throw new Error(`the nodes did not reach one best block (at least ${atLeast}) within a minute: ${bests}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sum (seconds) and count of a node's `substrate_block_verification_and_import_time`. */
async function importTimes(node) {
  const text = await (await fetch(node.prometheusUrl)).text();
  const read = (suffix) => Number(new RegExp(`^substrate_block_verification_and_import_time_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sum: read('sum'), count: read('count') };
}

function rssMiB(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}
