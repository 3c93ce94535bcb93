// The Ethereum half of the bridge tests: anvil with KasaneVault and mock LSTs (from contracts/,
// compiled there with solc-js), relayer processes, and a loopback TCP proxy that can cut a
// relayer off from its RPC endpoints and reconnect it.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ethers } from 'ethers';

import { deploy, mined } from '../../../contracts/test/lib/anvil.mjs';
import { freePort, repoRoot } from './devnode.mjs';

const contractsDir = join(repoRoot, 'contracts');
if (!existsSync(join(contractsDir, 'build', 'KasaneVault.json'))) {
  execFileSync('node', ['scripts/compile.mjs'], { cwd: contractsDir, stdio: 'inherit' });
}
// The contracts package's anvil launcher, deployer and receipt wait; ethers is the workspace's
// one copy.
export { deploy, mined, startAnvil } from '../../../contracts/test/lib/anvil.mjs';
export { ethers };

/** anvil's well-known development keys (mnemonic "test test … junk"), accounts 0–9. */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
];

/** Path of the relayer: $KASANE_RELAYER, else the release build in $CARGO_TARGET_DIR. */
export function relayerBinary() {
  if (process.env.KASANE_RELAYER) return process.env.KASANE_RELAYER;
  const bin = join(process.env.CARGO_TARGET_DIR || join(repoRoot, 'target'), 'release', 'kasane-relayer');
  if (!existsSync(bin)) throw new Error(`${bin} not found: build it with 'cargo build --release -p kasane-relayer'`);
  return bin;
}

/**
 * Starts a relayer with `flags` (an object of --flag values) and its own state file.
 * Returns { logs(), stop(), restart(), stateDir }; the state file survives restarts.
 */
export function startRelayer(name, flags) {
  const stateDir = mkdtempSync(join(tmpdir(), `kasane-${name}-`));
  let child;
  let output = '';
  let exited;
  const launch = () => {
    const args = ['--name', name, '--json-logs', '--state-file', join(stateDir, 'state.json')];
    for (const [k, v] of Object.entries(flags)) args.push(`--${k}`, String(v));
    child = spawn(relayerBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => { output += c.toString(); });
    child.stderr.on('data', (c) => { output += c.toString(); });
    exited = new Promise((r) => child.once('exit', r));
  };
  launch();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    stateDir,
    logs: () => output,
    /** Parsed JSON log lines. */
    lines: () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
    stop,
    async restart() { await stop(); launch(); },
    async remove() { await stop(); rmSync(stateDir, { recursive: true, force: true }); },
  };
}

/** Pipes `client` both ways to a new connection to `host:port`, both kept in `sockets` until
 * either end closes (which closes the other). */
export function pipeOn(client, host, port, sockets) {
  const upstream = tcpConnect(Number(port), host);
  sockets.add(client).add(upstream);
  client.pipe(upstream).pipe(client);
  const close = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
}

/** A loopback TCP proxy to `target` ("host:port"); `cut()` drops every connection and refuses
 * new ones until `restore()`. */
export async function startProxy(target) {
  const [host, port] = target.split(':');
  const listenPort = await freePort();
  const sockets = new Set();
  let server;
  const listen = () => new Promise((resolve) => {
    server = createServer((client) => pipeOn(client, host, port, sockets));
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  await listen();
  return {
    address: `127.0.0.1:${listenPort}`,
    async cut() {
      await new Promise((r) => { server.close(r); for (const s of sockets) s.destroy(); });
    },
    restore: listen,
    async stop() { await this.cut(); },
  };
}

const E = 10n ** 18n;
const WSTETH_RATE_KIND = 1;

/**
 * The proof tests' Ethereum side: KasaneVault for `kasaneGenesis` with two attesters (anvil
 * keys 1 and 2, sorted by address; account 5 the guardian) and mock wstETH over stETH, whose
 * depositor (account 4) holds 50 wstETH approved to the vault.
 * Returns { owner, user, attesters, vault, steth, wsteth }.
 */
export async function deployWstethVault(anvil, kasaneGenesis) {
  const owner = await anvil.provider.getSigner(0);
  const user = await anvil.provider.getSigner(4);
  const attesters = ANVIL_KEYS.slice(1, 3).map((k) => new ethers.Wallet(k))
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const vault = await deploy(owner, 'KasaneVault', kasaneGenesis, (await anvil.provider.getSigner(5)).address, attesters.map((a) => a.address), 2, 600n, 3_600n);
  const steth = await deploy(owner, 'MockStETH');
  const wsteth = await deploy(owner, 'MockWstETH', await steth.getAddress());
  await mined(vault.configureToken(await wsteth.getAddress(), WSTETH_RATE_KIND, 1_000n * E));
  await mined(steth.submit(user.address, 100n * E));
  await mined(steth.connect(user).approve(await wsteth.getAddress(), ethers.MaxUint256));
  await mined(wsteth.connect(user).wrap(50n * E));
  await mined(wsteth.connect(user).approve(await vault.getAddress(), ethers.MaxUint256));
  return { owner, user, attesters, vault, steth, wsteth };
}

/** Root's calls that point Kasane's bridge at `vault` (anvil's chain) with its `attesters`,
 * mirror `wsteth` as asset `assetId` and set the inbound `policy` (if given: else genesis's). */
export async function bridgeConfiguration(api, { vault, attesters, wsteth, assetId, policy }) {
  const PERCENT = 10_000_000; // of a Perbill
  const limits = { cap: 1_000n * E, dailyLimit: 1_000n * E, maxRateChange: 5 * PERCENT, haircut: 2 * PERCENT, minWithdrawal: E / 1_000n };
  return [
    api.tx.lstBridge.setEndpoint({ chainId: 31337, vault: await vault.getAddress() }),
    api.tx.lstBridge.setAttesters(attesters.map((a) => a.address), 2, 1, null),
    api.tx.lstBridge.registerToken(await wsteth.getAddress(), assetId, 18, 1_000, limits),
    ...(policy ? [api.tx.lstBridge.setPolicy(policy)] : []),
  ];
}

/** `user` deposits `amount` of `token` in `vault` for `recipient` (32 bytes, hex); returns the
 * deposit as Kasane's `DepositMessage` and its receipt. */
export async function depositTo(vault, user, token, recipient, amount) {
  const receipt = await mined(vault.connect(user).deposit(await token.getAddress(), amount, recipient));
  const event = receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'Deposited');
  return {
    message: {
      nonce: Number(event.args.nonce),
      token: event.args.token,
      depositor: event.args.depositor,
      recipient: event.args.recipient,
      amount: event.args.amount,
      ethBlockHash: receipt.blockHash,
    },
    receipt,
  };
}
