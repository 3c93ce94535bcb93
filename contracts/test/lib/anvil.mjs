// Starts anvil (from the npm package @foundry-rs/anvil) on a free loopback port and deploys
// contracts from build/ with ethers.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ethers } from 'ethers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The anvil launcher npm installed: in this package's `node_modules/.bin`, or the workspace
 * root's when npm hoisted it there. */
function anvilBinary() {
  for (let dir = root; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'anvil');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error('anvil is not installed: run scripts/setup.sh');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A running anvil: `{ provider, url, stop() }`. Block time: instant unless `blockTime`. */
export async function startAnvil({ blockTime } = {}) {
  const port = await freePort();
  // `--prune-history 64`: a long chain (the beacon tests mine thousands of blocks) would
  // otherwise spill every state to ~/.foundry/anvil/tmp, gigabytes that a killed or stopped
  // anvil leaves behind. 64 states stay in memory: with none, a call at `latest` that a new
  // block overtakes fails (`BlockOutOfRangeError: block height is 979 but requested was 978`).
  const args = ['--host', '127.0.0.1', '--port', String(port), '--silent', '--prune-history', '64'];
  if (blockTime) args.push('--block-time', String(blockTime));
  const child = spawn(anvilBinary(), args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const provider = new ethers.JsonRpcProvider(url, 31337, { staticNetwork: true, polling: true, pollingInterval: 100 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await provider.getBlockNumber();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`anvil did not start on ${url}: ${err.message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    provider,
    url,
    async stop() {
      provider.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The receipt of the transaction `sent` (a promise of it), asked for directly until it is
 * mined. Not ethers' `wait()`: on an anvil that mines a block per transaction, its block poller
 * may start at the very block that mined it and then wait for a next block that only the test's
 * next transaction would bring, for ever. */
export async function mined(sent, timeoutMs = 60_000) {
  const tx = await sent;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await tx.provider.getTransactionReceipt(tx.hash);
    if (receipt) {
      if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
      return receipt;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${tx.hash} not mined within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deploys build/<name>.json with `signer`, constructor `args`. */
export async function deploy(signer, name, ...args) {
  const { abi, bytecode } = JSON.parse(readFileSync(join(root, 'build', `${name}.json`), 'utf8'));
  const contract = await new ethers.ContractFactory(abi, bytecode, signer).deploy(...args);
  // Not `waitForDeployment()`, which waits as `wait()` does (see `mined`).
  await mined(contract.deploymentTransaction());
  return contract;
}
