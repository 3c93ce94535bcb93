// Starts throwaway `kasane-node` processes on free loopback ports and stops them again.
// Every e2e test uses this, so networking stays on 127.0.0.1 and no node outlives its test.

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Path of the node binary: $KASANE_NODE, else the release build in $CARGO_TARGET_DIR. */
export function nodeBinary() {
  if (process.env.KASANE_NODE) return process.env.KASANE_NODE;
  const targetDir = process.env.CARGO_TARGET_DIR || join(repoRoot, 'target');
  const bin = join(targetDir, 'release', 'kasane-node');
  if (!existsSync(bin)) {
    throw new Error(`${bin} not found: build it with 'cargo build --release -p kasane-node' or set KASANE_NODE`);
  }
  return bin;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `kasane-node --dev --tmp` listening only on loopback.
 * Returns { rpcUrl, prometheusUrl, logs(), stop() }; stop() is idempotent and waits for exit.
 */
export async function startDevNode(extraArgs = []) {
  return startNode(['--dev', '--tmp', ...extraArgs]);
}

/**
 * The node's `dev` chain spec with each `[from, to]` of `edits` made to its text (each must
 * be there), written to a new temporary directory; returns the file's path, for `--chain` (the
 * caller removes the directory). Edited as text: the preset's 128-bit balances do not survive
 * `JSON.parse`.
 */
export async function devChainSpecWith(edits) {
  const { stdout } = await promisify(execFile)(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 << 20 });
  let spec = stdout;
  for (const [from, to] of edits) {
    if (!spec.includes(from)) throw new Error(`the dev chain spec has no ${from}`);
    spec = spec.replace(from, to);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'kasane-spec-')), 'dev.json');
  writeFileSync(path, spec);
  return path;
}

/**
 * Starts `kasane-node <args>` on free loopback ports (RPC, p2p, Prometheus).
 * `p2pPort` may be given to restart a node at the same address; `rpcTimeoutMs` is how long it
 * may take to serve RPC (building a large genesis takes longer). Returns
 * { rpcUrl, rpcPort, p2pPort, prometheusUrl, pid, logs(), stop(signal), exited }.
 */
export async function startNode(args, { p2pPort, rpcTimeoutMs } = {}) {
  const rpcPort = await freePort();
  const prometheusPort = await freePort();
  p2pPort ??= await freePort();
  const fullArgs = [
    ...args,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--prometheus-port', String(prometheusPort),
    '--no-mdns',
    '--no-telemetry',
  ];
  const child = spawn(nodeBinary(), fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    // Keep the tail only: enough to diagnose a failure without unbounded memory.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const stop = async (signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  // A failing test must not leave a node behind.
  process.once('exit', () => child.kill('SIGKILL'));

  await waitForRpc(rpcPort, child, () => output, rpcTimeoutMs);
  return {
    rpcUrl: `ws://127.0.0.1:${rpcPort}`,
    rpcPort,
    p2pPort,
    prometheusUrl: `http://127.0.0.1:${prometheusPort}/metrics`,
    pid: child.pid,
    logs: () => output,
    stop,
    exited,
  };
}

async function waitForRpc(port, child, logs, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`kasane-node exited with ${child.exitCode} before serving RPC:\n${logs()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`kasane-node did not serve RPC on ${port} within ${timeoutMs} ms:\n${logs()}`);
}

/** The validators of the `local` chain (genesis: Alice, Bob, Charlie) and Dave, who may join. */
export const LOCAL_NODES = ['alice', 'bob', 'charlie', 'dave'];

/**
 * Starts four nodes of `--chain local` on loopback, each with its dev keys (`--alice`, …) and its
 * own temporary database, Bob to Dave booting from Alice. `extraArgs` go to every node.
 * Resolves once every node has three peers; returns the nodes in `LOCAL_NODES` order.
 */
export async function startLocalNetwork(extraArgs = [], { timeoutMs = 120_000 } = {}) {
  const nodes = [];
  try {
    // A validator outside `--dev` needs a network key: a fixed one per node.
    const start = (name, more = []) => {
      const nodeKey = (LOCAL_NODES.indexOf(name) + 1).toString(16).padStart(64, '0');
      return startNode(['--chain', 'local', `--${name}`, '--validator', '--tmp', '--node-key', nodeKey, ...more, ...extraArgs]);
    };
    nodes.push(await start(LOCAL_NODES[0]));
    const peerId = await rpcCall(nodes[0].rpcPort, 'system_localPeerId');
    const bootnode = `/ip4/127.0.0.1/tcp/${nodes[0].p2pPort}/p2p/${peerId}`;
    const others = await Promise.allSettled(LOCAL_NODES.slice(1).map((name) => start(name, ['--bootnodes', bootnode])));
    for (const o of others) if (o.status === 'fulfilled') nodes.push(o.value);
    const failed = others.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    const deadline = Date.now() + timeoutMs;
    for (const node of nodes) {
      while ((await rpcCall(node.rpcPort, 'system_health')).peers < LOCAL_NODES.length - 1) {
        if (Date.now() > deadline) throw new Error(`the local network did not connect within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return nodes;
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
}

/** One JSON-RPC call over HTTP to a node on 127.0.0.1. */
export async function rpcCall(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}
