// What a relayer's beacon-node source costs per beacon state it reads (issue 23): a loopback
// Beacon API (tests/e2e/lib/beacon-api.mjs) serves an Electra state with N validators, as
// large as mainnet's with N ≈ 2 million, and `kasane-relayer --print-beacon-checkpoint`
// reads it, decodes it, hashes it whole and prints the checkpoint, under /usr/bin/time.
//   node scripts/bench-beacon-checkpoint.mjs [--validators 1000000]
// Prints one JSON line: validators, state bytes, the relayer's wall time and peak RSS.

import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';

import { startBeaconApi } from '../tests/e2e/lib/beacon-api.mjs';
import { relayerBinary } from '../tests/e2e/lib/bridge.mjs';

const { values } = parseArgs({ options: { validators: { type: 'string', default: '1000000' } } });
const validators = Number(values.validators);
const started = Date.now();
const api = await startBeaconApi({ slot: 2 * 8192 + 100, validators });
process.stderr.write(`state of ${validators} validators built in ${Date.now() - started} ms\n`);
try {
  const { stderr } = await promisify(execFile)('/usr/bin/time',
    ['-f', 'elapsed=%e rss_kb=%M', relayerBinary(), '--beacon-api', api.url, '--print-beacon-checkpoint', 'finalized'],
    { maxBuffer: 1 << 26 });
  const elapsed = Number(stderr.match(/elapsed=([\d.]+)/)[1]);
  const rssKb = Number(stderr.match(/rss_kb=(\d+)/)[1]);
  console.log(JSON.stringify({ validators, state_bytes: api.stateBytes, relayer_seconds: elapsed, relayer_peak_rss_mb: Math.round(rssKb / 1024) }));
} finally {
  await api.stop();
}
