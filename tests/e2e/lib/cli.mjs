// Runs the `kasane` CLI binary the README test command built (KASANE_CLI) against a node.

import { execFile } from 'node:child_process';

export const KASANE_CLI = process.env.KASANE_CLI;

/** Runs `kasane args…` against the node at `url`, signed by `suri` if given (through
 * KASANE_SURI, never an argument), with no ETH_RPC_URL from this process, killed after `timeout` ms; resolves with { code, stdout, stderr, json }. */
export function runKasane(url, args, { suri, timeout = 120_000, env: extra = {} } = {}) {
  const env = { ...process.env, ...extra, KASANE_URL: url };
  delete env.KASANE_SURI;
  // Nor an Ethereum node of the caller's: a test names the one it means.
  delete env.ETH_RPC_URL;
  if (suri) env.KASANE_SURI = suri;
  return new Promise((resolve) => {
    execFile(KASANE_CLI, args, { env, timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}
