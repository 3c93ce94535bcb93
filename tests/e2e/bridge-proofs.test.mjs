// The LST bridge minting only what Ethereum proves (issue 23, tier 2a): anvil with KasaneVault,
// `kasane-node --dev` from a chain spec whose genesis sets the bridge's policy to `Proven`
// (`lstBridge.inboundPolicy`: in force from the first block; root never sets it), and two
// relayer/attester processes. Relayers scan to anvil's `finalized` block, sign its header, and
// prove each deposit and rate report with its receipt: a finalized deposit mints exactly, a
// rate report updates the rate, attester-signed contents are refused, a proof under no trusted
// root, a vault log from another contract and a deposit reorganised away before finality never
// mint, and a relayer restart stays idempotent; each deposit is proven once, by its designated
// relayer. An attester at its bound of header attestations waiting for a quorum opens no more
// (nothing refused and paid for) and still completes a quorum. With every relayer
// stopped, a depositor proves its own deposit with `kasane bridge prove`.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, test } from 'node:test';

import { u8aToHex } from '@polkadot/util';

import { expectModuleError, until, useDevNode } from './lib/api.mjs';
import { bridgeConfiguration, deploy, deployWstethVault, depositTo, ethers, mined, startAnvil, startRelayer } from './lib/bridge.mjs';
import { runKasane } from './lib/cli.mjs';
import { depositDigest, encodeReceipt, headerDigest, singleReceiptProof } from './lib/digests.mjs';
import { devChainSpecWith } from './lib/devnode.mjs';
import { sudo } from './lib/slashing.mjs';

const E = 10n ** 18n;
const RateKind = { WstETH: 1 };
const WSTETH_ASSET = 100;
// anvil calls a block finalized 64 blocks below the head.
const FINALITY = 64;

let anvil;
let api;
let alice;
let bob;
let eve;
let keyring;
let user; // the Ethereum depositor
let vault;
let wsteth;
let steth;
let kasaneGenesis;
// Not Bob: the test submits its own forged proofs as Bob.
const RELAYER_SIGNERS = ['//Charlie', '//Dave'];
let attesters; // ethers.Wallet, sorted by address
let relayers = [];
const latencies = [];
const bridgeEvents = [];
let unsubscribeEvents;
let tx;
let rpcUrl;
let specDir; // the temporary directory of the chain spec the node starts from

const root = (call) => sudo(api, call, alice);
const balance = async (asset, who) => {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
};
const status = async (nonce) => (await api.call.lstBridgeApi.depositStatus(nonce)).type;
// Mined with no time between blocks: anvil's clock stays with Kasane's (rates from the future are refused).
const finalize = () => anvil.provider.send('anvil_mine', [ethers.toQuantity(FINALITY + 1), '0x0']);

/** Deposits `amount` of wstETH in `into` (the vault unless given) for Eve. */
async function deposit(amount, into = vault) {
  return { ...(await depositTo(into, user, wsteth, u8aToHex(eve.publicKey), amount)), minedAt: Date.now() };
}

after(async () => {
  try {
    unsubscribeEvents?.();
  } catch {
    // The connection is gone already.
  }
  const sizes = relayers.flatMap((r) => r.lines())
    .filter((l) => l.fields?.message === 'proving deposit')
    .map((l) => `${l.fields.bytes} B in ${l.fields.nodes} node(s)`);
  for (const r of relayers) await r.remove();
  await anvil?.stop();
  if (specDir) rmSync(specDir, { recursive: true, force: true });
  if (latencies.length) console.log(`proven deposit → mint latency from finality (ms): ${latencies.join(', ')}`);
  if (sizes.length) console.log(`deposit proofs submitted: ${[...new Set(sizes)].join(', ')}`);
});

useDevNode(async (dev) => {
  ({ api, alice, bob, tx } = dev);
  assert.equal((await api.query.lstBridge.policy()).type, 'Proven', 'the genesis policy');
  rpcUrl = dev.node.rpcUrl;
  keyring = dev.keyring;
  eve = keyring.addFromUri('//Eve');
  anvil = await startAnvil();
  kasaneGenesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  unsubscribeEvents = await api.query.system.events((records) => {
    for (const { event } of records) if (event.section === 'lstBridge') bridgeEvents.push(event);
  });
  ({ user, attesters, vault, steth, wsteth } = await deployWstethVault(anvil, kasaneGenesis));
  await root(api.tx.utility.batchAll(await bridgeConfiguration(api, { vault, attesters, wsteth, assetId: WSTETH_ASSET })));
  relayers = attesters.map((a, i) => startRelayer(`prover-${i + 1}`, {
    'eth-rpc': anvil.url,
    'kasane-rpc': dev.node.rpcUrl,
    vault: vault.target,
    'attester-key': a.privateKey,
    'eth-sender-key': a.privateKey,
    'kasane-signer': RELAYER_SIGNERS[i],
    'start-block': 0,
    'poll-interval-ms': 500,
  }));
}, async () => {
  const spec = await devChainSpecWith([['"inboundPolicy": "Attested"', '"inboundPolicy": "Proven"']]);
  specDir = dirname(spec);
  return ['--chain', spec];
});

test('a deposit mints only once its block is finalized, through its receipt proof', async () => {
  const d = await deposit(5n * E);
  // Not finalized: the relayers do not even sign its header.
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal(await status(d.message.nonce), 'Unknown');
  assert.ok((await api.call.lstBridgeApi.headerStatus(d.receipt.blockNumber)).isUnknown, 'no header signed');
  assert.equal(await balance(WSTETH_ASSET, eve.address), 0n);
  await finalize();
  const finalizedAt = Date.now();
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === 5n * E, 120_000, 'the proven deposit minted');
  latencies.push(Date.now() - finalizedAt);
  // As JSON: every codec has a `hash` property of its own.
  const header = (await api.call.lstBridgeApi.headerStatus(d.receipt.blockNumber)).toJSON().trusted;
  assert.equal(header.hash, d.receipt.blockHash);
  const block = await anvil.provider.send('eth_getBlockByHash', [d.receipt.blockHash, false]);
  assert.equal(header.receiptsRoot, block.receiptsRoot);
  await until(() => bridgeEvents.some((e) => e.method === 'DepositMinted'), 30_000, 'the mint event');
  const names = bridgeEvents.map((e) => e.method);
  assert.ok(names.includes('HeaderTrusted') && names.includes('DepositMinted'));
  assert.ok(!names.includes('DepositAttested'), 'no deposit contents were attested');
});

test('a rate report is proven and applied', async () => {
  await mined(steth.rebase((await steth.totalSupply()) * 101n / 100n));
  const expected = await wsteth.stEthPerToken();
  await mined(vault.reportRate(await wsteth.getAddress()));
  await finalize();
  const rate = await until(async () => {
    const view = await api.call.lstBridgeApi.rate(WSTETH_ASSET);
    return view.isSome ? view.unwrap() : undefined;
  }, 120_000, 'the proven rate applied');
  assert.equal(rate.rate.toBigInt(), expected);
  await until(() => bridgeEvents.some((e) => e.method === 'RateUpdated'), 30_000, 'the rate event');
  assert.ok(!bridgeEvents.some((e) => e.method === 'RateAttested'), 'no rate was attested');
});

test('attested contents, proofs under no trusted root and another contract\'s log never mint', async () => {
  const vaultAddress = await vault.getAddress();
  const next = { nonce: 2, token: await wsteth.getAddress(), depositor: user.address, recipient: u8aToHex(eve.publicKey), amount: 100n * E };
  const minted = bridgeEvents.find((e) => e.method === 'HeaderTrusted').data;
  // An attester's signature of the contents: refused, proofs are required.
  const signed = { ...next, ethBlockHash: minted[1].toHex() }; // HeaderTrusted { number, hash, receiptsRoot }
  const signature = attesters[0].signingKey.sign(depositDigest(31337, vaultAddress, kasaneGenesis, signed)).serialized;
  await expectModuleError(tx(api.tx.lstBridge.attestDeposit(signed, signature), bob), 'lstBridge.ProofRequired');
  // A receipt made up for a block Kasane trusts: its root is not the block's.
  const fakeLog = { address: vaultAddress, topics: [ethers.id('Deposited(uint64,address,bytes32,uint256,address)'), ethers.toBeHex(2, 32), ethers.zeroPadValue(next.token, 32), next.recipient], data: ethers.concat([ethers.toBeHex(next.amount, 32), ethers.zeroPadValue(next.depositor, 32)]) };
  const made = singleReceiptProof(encodeReceipt({ status: '0x1', cumulativeGasUsed: '0x5208', logsBloom: ethers.zeroPadValue('0x', 256), logs: [fakeLog], type: '0x2' }), 0);
  await expectModuleError(tx(api.tx.lstBridge.proveDeposit(signed, made.proof), bob), 'lstBridge.NotInTrie');
  // Under a block nobody attested.
  await expectModuleError(tx(api.tx.lstBridge.proveDeposit({ ...next, ethBlockHash: ethers.id('nowhere') }, made.proof), bob), 'lstBridge.UntrustedHeader');

  // The same event from another KasaneVault: its block's header is real and attested (here by
  // the test, which holds the attesters' keys), its receipt proof is true, and the emitter is
  // not the bridge's vault.
  const owner = await anvil.provider.getSigner(0);
  const other = await deploy(owner, 'KasaneVault', kasaneGenesis, (await anvil.provider.getSigner(5)).address, attesters.map((a) => a.address), 2, 600n, 3_600n);
  await mined(other.configureToken(await wsteth.getAddress(), RateKind.WstETH, 1_000n * E));
  await mined(wsteth.connect(user).approve(await other.getAddress(), ethers.MaxUint256));
  await deposit(E, other); // nonce 1 there, spent here already
  const copy = await deposit(E, other); // nonce 2, open here
  const block = await anvil.provider.send('eth_getBlockByHash', [copy.receipt.blockHash, false]);
  const receiptJson = await anvil.provider.send('eth_getTransactionReceipt', [copy.receipt.hash]);
  const { root: receiptsRoot, proof } = singleReceiptProof(encodeReceipt(receiptJson), receiptJson.logs.findIndex((l) => l.address.toLowerCase() === other.target.toLowerCase()));
  assert.equal(receiptsRoot, block.receiptsRoot, 'the block holds only this transaction');
  const header = { number: Number(block.number), hash: block.hash, receiptsRoot };
  for (const a of attesters) {
    await tx(api.tx.lstBridge.attestHeader(header, a.signingKey.sign(headerDigest(31337, vaultAddress, kasaneGenesis, header)).serialized), bob);
  }
  assert.ok((await api.call.lstBridgeApi.headerStatus(header.number)).isTrusted);
  await expectModuleError(tx(api.tx.lstBridge.proveDeposit(copy.message, proof), bob), 'lstBridge.WrongEmitter');
  assert.equal(await status(2), 'Unknown');
  assert.equal(await balance(WSTETH_ASSET, eve.address), 5n * E);
});

test('a deposit reorganised away before finality never mints; its nonce mints what replaced it', async () => {
  const snapshot = await anvil.provider.send('evm_snapshot', []);
  const gone = await deposit(7n * E);
  await anvil.provider.send('anvil_mine', [ethers.toQuantity(FINALITY - 10), '0x0']);
  assert.ok(await anvil.provider.send('evm_revert', [snapshot]));
  const replacement = await deposit(2n * E);
  assert.equal(replacement.message.nonce, gone.message.nonce, 'the vault reused the nonce');
  await finalize();
  await until(async () => (await status(replacement.message.nonce)) === 'Processed', 120_000, 'the replacement minted');
  assert.equal(await balance(WSTETH_ASSET, eve.address), 7n * E);
  assert.ok(!bridgeEvents.some((e) => e.method === 'DepositMinted' && e.data.amount.toBigInt() === 7n * E));
});

/** The relayers' `lstBridge.proveDeposit` extrinsics in blocks 1..best, as `signer/nonce`. */
async function relayersProofs() {
  // In the chain's own address format, as the extrinsics' signers print.
  const relayerAccounts = new Set(RELAYER_SIGNERS.map((uri) =>
    api.registry.createType('AccountId32', keyring.addFromUri(uri).publicKey).toString()));
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const proofs = [];
  for (let n = 1; n <= best; n++) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    for (const ex of block.block.extrinsics) {
      if (ex.method.section === 'lstBridge' && ex.method.method === 'proveDeposit'
        && relayerAccounts.has(ex.signer.toString())) {
        proofs.push(`${ex.signer.toString()}/${ex.method.args[0].nonce.toNumber()}`);
      }
    }
  }
  return proofs;
}

test('a relayer restarted while a deposit waits for finality resumes without proving anything twice', async () => {
  const d = await deposit(3n * E);
  // Scanned (not finalized yet, so not proven): restart with it pending.
  await new Promise((r) => setTimeout(r, 2_000));
  const before = relayers[0].lines().length;
  await relayers[0].restart();
  await finalize();
  await until(async () => (await status(d.message.nonce)) === 'Processed', 120_000, 'minted after the restart');
  await new Promise((r) => setTimeout(r, 3_000));
  // The restarted relayer resumed from its state file, not from its start block.
  const scanned = relayers[0].lines().slice(before).find((l) => l.fields?.message === 'ethereum blocks relayed');
  assert.ok(scanned && scanned.fields.from > 0, `resumed scanning where it stopped: ${JSON.stringify(scanned)}`);
  // One proof paid per deposit, by its designated relayer (the attester at index nonce mod 2).
  const proofs = await relayersProofs();
  const designated = (nonce) => api.registry.createType('AccountId32',
    keyring.addFromUri(RELAYER_SIGNERS[nonce % attesters.length]).publicKey).toString();
  assert.deepEqual(proofs, [1, 2, 3].map((nonce) => `${designated(nonce)}/${nonce}`));
  const mints = bridgeEvents.filter((e) => e.method === 'DepositMinted').map((e) => e.data.nonce.toNumber());
  assert.deepEqual(mints, [1, 2, 3], 'each deposit minted once');
  assert.equal(await balance(WSTETH_ASSET, eve.address), 10n * E);
  for (const r of relayers) {
    const rejected = r.lines().filter((l) => l.level === 'WARN' && /rejected by kasane/.test(l.fields?.message ?? ''));
    assert.deepEqual(rejected, [], `${r.stateDir}: nothing refused for good`);
  }
});

test('an attester at its bound of open header attestations opens no more, and still completes a quorum', async () => {
  // Attester 0's key (held by the test) signs headers of blocks Ethereum never made, as many as
  // the runtime lets one attester have waiting for a quorum.
  const max = api.consts.lstBridge.maxOpenHeaders.toNumber();
  const vaultAddress = await vault.getAddress();
  const sign = (wallet, h) => wallet.signingKey.sign(headerDigest(31337, vaultAddress, kasaneGenesis, h)).serialized;
  const fakes = Array.from({ length: max }, (_, i) => ({ number: 1_000_000 + i, hash: ethers.id(`fake block ${i}`), receiptsRoot: ethers.id(`fake root ${i}`) }));
  await tx(api.tx.utility.batchAll(fakes.map((h) => api.tx.lstBridge.attestHeader(h, sign(attesters[0], h)))), bob);
  const set = (await api.call.lstBridgeApi.attesters()).unwrap();
  const index = set.members.findIndex((m) => ethers.getAddress(m.toHex()) === attesters[0].address);
  const open = async () => (await api.query.lstBridge.openHeaderCounts()).unwrap().counts[index]; // `[u8; 64]`: bytes
  assert.equal(await open(), max);
  const [relayer, other] = relayers; // attester 0's, attester 1's
  const since = relayer.lines().length;
  const logged = (pattern) => relayer.lines().slice(since).filter((l) => pattern.test(l.fields?.message ?? ''));
  // With the other attester's relayer stopped, attester 0's would be the first signature of a
  // new block's header: it signs nothing (none of its tallies is a day old to drop).
  await other.stop();
  const held = await balance(WSTETH_ASSET, eve.address);
  const d = await deposit(2n * E);
  await finalize();
  await until(() => logged(/^at the bound of header attestations/).length > 0, 60_000, 'the relayer saw it is at its bound');
  await new Promise((r) => setTimeout(r, 5_000));
  assert.ok((await api.call.lstBridgeApi.headerStatus(d.receipt.blockNumber)).isUnknown, 'no header signed');
  assert.equal(await balance(WSTETH_ASSET, eve.address), held);
  // The other relayer back, its signature is the first; attester 0's completes the quorum,
  // which takes no room, and the deposit mints.
  await other.restart();
  await until(async () => (await balance(WSTETH_ASSET, eve.address)) === held + 2n * E, 120_000, 'minted once the other attester signed');
  const signers = bridgeEvents.filter((e) => e.method === 'HeaderAttested' && e.data.number.toNumber() === d.receipt.blockNumber)
    .map((e) => ethers.getAddress(e.data.attester.toHex()));
  assert.deepEqual(signers, [attesters[1].address, attesters[0].address]);
  assert.equal(await open(), max, 'still at its bound');
  assert.deepEqual(logged(/rejected by kasane/), [], 'no header attestation refused and paid for');
  // The other attester's key completes two of the fake headers: attester 0 has room again.
  await tx(api.tx.utility.batchAll(fakes.slice(0, 2).map((h) => api.tx.lstBridge.attestHeader(h, sign(attesters[1], h)))), bob);
  assert.equal(await open(), max - 2);
});

test('with no relayer running, the depositor proves its own deposit with `kasane bridge prove`', async () => {
  for (const r of relayers) await r.stop();
  const d = await deposit(4n * E);
  const { nonce } = d.message;
  const vaultAddress = await vault.getAddress();
  const ferdie = keyring.addFromUri('//Ferdie');
  const ferdieNonce = async () => (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber();
  const before = await ferdieNonce();
  /** `kasane bridge prove` refused before signing with `message`. */
  const refused = async (args, message) => {
    const run = await runKasane(rpcUrl, ['bridge', 'prove', String(nonce), ...args], { suri: '//Ferdie' });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, message);
  };
  await refused(['--eth-rpc', anvil.url], new RegExp(`deposit ${nonce} is in Ethereum block ${d.receipt.blockNumber}, which is not finalized yet`));
  await finalize();
  await refused(['--eth-rpc', anvil.url], new RegExp(`Ethereum block ${d.receipt.blockNumber}'s header is not attested on Kasane`));
  await refused([], /give the Ethereum node: --eth-rpc <url> or ETH_RPC_URL/);
  // The attesters sign the block's header (here the test, which holds their keys; no relayer
  // proves anything meanwhile).
  const block = await anvil.provider.send('eth_getBlockByHash', [d.receipt.blockHash, false]);
  const header = { number: Number(block.number), hash: block.hash, receiptsRoot: block.receiptsRoot };
  const quorum = (await api.call.lstBridgeApi.attesters()).unwrap().quorum.toNumber();
  for (const a of attesters.slice(0, quorum)) {
    await tx(api.tx.lstBridge.attestHeader(header, a.signingKey.sign(headerDigest(31337, vaultAddress, kasaneGenesis, header)).serialized), bob);
  }
  assert.ok((await api.call.lstBridgeApi.headerStatus(header.number)).isTrusted);
  assert.equal(await status(nonce), 'Unknown');
  assert.equal(await ferdieNonce(), before, 'nothing signed while it could not be proven');

  const held = await balance(WSTETH_ASSET, eve.address);
  const run = await runKasane(rpcUrl, ['bridge', 'prove', String(nonce), '--eth-rpc', anvil.url, '--json', '--wait', 'in-block'], { suri: '//Ferdie' });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.json.eth_block, header.number);
  assert.equal(run.json.minted, (4n * E).toString());
  assert.ok(run.json.proof_bytes > 0);
  assert.ok(run.json.events.some((e) => e.event === 'lstBridge.DepositMinted'), JSON.stringify(run.json.events));
  assert.equal(await status(nonce), 'Processed');
  assert.equal(await balance(WSTETH_ASSET, eve.address), held + 4n * E);
  await refused(['--eth-rpc', anvil.url, '--block', String(header.number)], new RegExp(`deposit ${nonce} cannot be proven: minted on Kasane`));
});
