// Command line of the load generator (tests/e2e/lib/load.mjs); run it through scripts/load.sh.
//   --workload transfers|deposits|mix   (default transfers)
//   --count N --senders S --concurrency C   (defaults 8000, 16, 256)
//   --url ws://127.0.0.1:PORT   measure a running node instead of starting `--dev --tmp`
//   --out FILE   also append the summary as one JSON line to FILE
// Prints each block to stderr and the summary as one JSON line to stdout.

import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startDevNode } from '../tests/e2e/lib/devnode.mjs';
import { runLoad } from '../tests/e2e/lib/load.mjs';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'transfers' },
    count: { type: 'string', default: '8000' },
    senders: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '256' },
    url: { type: 'string' },
    out: { type: 'string' },
  },
});
const count = Number(values.count);
// A node started here: loopback only, a pool that takes the whole load at once.
const node = values.url
  ? null
  : await startDevNode(['--pool-limit', String(Math.max(8192, 2 * count)), '--pool-kbytes', String(Math.max(20480, count * 2))]);
try {
  const { summary, blocks } = await runLoad({
    rpcUrl: values.url ?? node.rpcUrl,
    pid: node?.pid,
    logs: node?.logs,
    workload: values.workload,
    count,
    senders: Number(values.senders),
    concurrency: Number(values.concurrency),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const line = JSON.stringify({ at: new Date().toISOString(), node: values.url ?? 'kasane-node --dev', ...summary, blocks });
  console.log(JSON.stringify(summary));
  if (values.out) appendFileSync(values.out, `${line}\n`);
} finally {
  await node?.stop();
}
