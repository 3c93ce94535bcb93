// The app's own logic outside React, checked without a browser: AVS keys and their proofs of
// possession against vectors from @polkadot/keyring (sp_core's derivations and signatures, as
// the runtime verifies them), Ethereum addresses (EIP-55's own examples), amounts, an AVS
// owner's terms, funding and slash requests as the pallets check them. The
// TypeScript modules are bundled with esbuild (vite's) into a temporary directory first.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const out = mkdtempSync(join(tmpdir(), 'kasane-app-test-'));
let keys;
let eth;
let units;
let operator;
let native;
let deposit;
let avs;

before(async () => {
  await build({
    entryPoints: ['avsKeys.ts', 'eth.ts', 'units.ts', 'operator.ts', 'native.ts', 'deposit.ts', 'avs.ts'].map((f) => join(src, f)),
    bundle: true,
    format: 'esm',
    platform: 'node',
    outdir: out,
    logLevel: 'warning',
  });
  const load = (name) => import(pathToFileURL(join(out, `${name}.js`)).href);
  [keys, eth, units, operator, native, deposit, avs] = await Promise.all([
    load('avsKeys'),
    load('eth'),
    load('units'),
    load('operator'),
    load('native'),
    load('deposit'),
    load('avs'),
  ]);
});
after(() => rmSync(out, { recursive: true, force: true }));

// What Alice (5Grwva…) signs to join set 3/1 on a chain whose block 0 hash is 0x11…11, and
// the AVS key //Bob//avs of each scheme with its signature of it, from @polkadot/keyring.
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const GENESIS = '0x' + '11'.repeat(32);
const PAYLOAD =
  '0x6b6173616e652f6176732d6b65792d706f702f7631' + '11'.repeat(32) + '0300000001000000' + 'd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
const VECTORS = {
  Sr25519: {
    key: '0x024bfbfdbb6e10ae582a1b3517acfc4f4d999710930cd1fa96d3ffd40a842213',
    proof: '0xfe32c11bebaedabff574f77fa83da8f1b6e07455123bc25fa77e31eb5cc31c7608db201bbe83b7bcfe79ab579ebcf1d41692230cc57af802e32e0ffa7094b58c',
  },
  Ed25519: {
    key: '0xae5a4fdf8aa1352f047c1d00e969e143be1e4fb5c4122618fc4e6a2114102c8f',
    proof: '0xbb5da3027091ad6dd638d233da85e5c961e03e7d31071b84b017f400b4bdd693ad9c815f9434d8d7b680bbfb15e924c717f7859fb6b86f24f063734b42918a00',
  },
  Ecdsa: {
    key: '0x03bd6cd5c40776703d4a362fcdd99af1eec8b356ddc20cbd9eb1778694f6f6b0c7',
    proof: '0x5c4dcbf9b1ea4ff551711122b5bb16b139f9298aac9846345dd9fc5a73916f47330564425057384f1ab443492efee5ed4790b6c868a994e3e183e4ac6128394701',
  },
};

test('the proof-of-possession payload is the runtime’s: domain, genesis, set, operator', () => {
  assert.equal(units.toHex(keys.popPayload(GENESIS, { avs: 3, index: 1 }, ALICE)), PAYLOAD);
});

test('each scheme: the dev key derives as sp_core does, and proofs verify as the runtime checks them', () => {
  const payload = keys.parseHex(PAYLOAD, PAYLOAD.length / 2 - 1, 'payload');
  for (const [type, v] of Object.entries(VECTORS)) {
    const key = keys.parseHex(v.key, keys.KEY_BYTES[type], 'key');
    const proof = keys.parseHex(v.proof, keys.SIGNATURE_BYTES[type], 'proof');
    const pair = keys.devKey(type, '//Bob//avs');
    assert.equal(units.toHex(pair.publicKey), v.key, `${type} key`);
    assert.equal(keys.verifyProof(type, key, proof, payload), true, `${type}: keyring's signature`);
    assert.equal(keys.verifyProof(type, key, pair.sign(payload), payload), true, `${type}: the app's own signature`);
    // Another payload (another set), another key, a flipped bit: refused.
    assert.equal(keys.verifyProof(type, key, proof, payload.slice(0, -1)), false, `${type}: other payload`);
    assert.equal(keys.verifyProof(type, keys.devKey(type, '//Bob//avs2').publicKey, proof, payload), false, `${type}: other key`);
    const flipped = proof.slice();
    flipped[10] ^= 1;
    assert.equal(keys.verifyProof(type, key, flipped, payload), false, `${type}: flipped bit`);
  }
  // ecdsa signs deterministically (RFC 6979): the app's signature is keyring's, byte for byte.
  assert.equal(units.toHex(keys.devKey('Ecdsa', '//Bob//avs').sign(payload)), VECTORS.Ecdsa.proof);
  // The runtime also takes Ethereum's recovery byte (27/28): so does the page.
  const ethereumStyle = keys.parseHex(VECTORS.Ecdsa.proof, 65, 'proof');
  ethereumStyle[64] += 27;
  assert.equal(keys.verifyProof('Ecdsa', keys.parseHex(VECTORS.Ecdsa.key, 33, 'key'), ethereumStyle, payload), true);
});

test('bad keys, proofs and secret URIs are refused with what is wrong', () => {
  assert.throws(() => keys.parseHex('0x12', 32, 'Sr25519 public key'), /has 1 bytes; this set's keys need 32/);
  assert.throws(() => keys.parseHex('0xzz', 32, 'proof'), /The proof is not hex/);
  assert.throws(() => keys.parseHex('0x123', 32, 'proof'), /not hex/);
  assert.throws(() => keys.devKey('Sr25519', '//Bob/soft'), /Only hard derivations/);
  assert.throws(() => keys.devKey('Sr25519', ''), /secret URI/);
});

test('Ethereum addresses: EIP-55 checksums, all-lower and all-upper case, zero and malformed refused', () => {
  for (const good of [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ]) {
    assert.equal(eth.checkEthAddress(good).address, good.toLowerCase(), good);
    assert.equal(eth.checkEthAddress(good.toLowerCase()).address, good.toLowerCase());
    assert.equal(eth.checkEthAddress('0x' + good.slice(2).toUpperCase()).address, good.toLowerCase());
  }
  assert.match(eth.checkEthAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD').problem, /checksum \(EIP-55\)/);
  assert.match(eth.checkEthAddress('0x' + '0'.repeat(40)).problem, /zero address/);
  for (const bad of ['5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0x5aAeb6', '0xgaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed']) {
    assert.match(eth.checkEthAddress(bad).problem, /0x and 40 hex digits/, bad);
  }
});

test('amounts: decimals, grouping and rounding as the forms use them', () => {
  assert.equal(units.parseAmount('1.5', 18, 'wstETH'), 1_500_000_000_000_000_000n);
  assert.equal(units.parseAmount('1_000', 12, 'KSN'), 1_000_000_000_000_000n);
  assert.throws(() => units.parseAmount('1.1234567890123', 12, 'KSN'), /KSN has 12 decimals: “1.1234567890123” has 13/);
  assert.throws(() => units.parseAmount('1.2.3', 12, 'KSN'), /is not an amount/);
  assert.equal(units.checkAmount('0', 12, 'KSN').problem, 'The amount must be more than zero.');
  assert.equal(units.formatAmount(1_234_567_890_000_000n, 12), '1,234.5678');
  assert.equal(units.formatAmount(1n, 12), '< 0.0001');
  assert.equal(units.formatDuration(3_600 / 6 + 10, 6_000), '1 h 1 min');
  assert.equal(units.mulDiv(10n, 3n, 4n, true), 8n);
});

test('accounts: the chain’s prefix or the generic one, re-encoded; other networks, typos and junk refused', () => {
  const ALICE_DOT = '15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5';
  assert.deepEqual(units.checkAccount(` ${ALICE} `, 42), { address: ALICE });
  assert.deepEqual(units.checkAccount(ALICE, 0), { address: ALICE_DOT });
  assert.match(units.checkAccount(ALICE_DOT, 42).problem, /another network \(prefix 0; this one uses 42\)/);
  assert.match(units.checkAccount(ALICE.slice(0, -1) + 'Z', 42).problem, /is not an SS58 address/);
  assert.match(units.checkAccount('hello', 42).problem, /is not an SS58 address/);
  assert.equal(units.sameAccount(ALICE, ALICE_DOT), true);
  assert.equal(units.sameAccount(ALICE, units.checkAccount('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', 42).address), false);
});

test('allocation changes: held by a slash when due by the read, in force when due since, else waiting', () => {
  const change = [5n, 100];
  assert.deepEqual(operator.allocationState(30n, undefined, 90, 95), { inForce: 30n });
  assert.deepEqual(operator.allocationState(30n, change, 90, 95), { inForce: 30n, waiting: change });
  // Came due after the view was read: restaking applies it before the next change.
  assert.deepEqual(operator.allocationState(30n, change, 99, 100), { inForce: 5n });
  // Due by the read and still pending: a pending slash of the set holds it back.
  assert.deepEqual(operator.allocationState(30n, change, 100, 100), { inForce: 30n, held: change });
  assert.deepEqual(operator.allocationState(30n, change, 120, 125), { inForce: 30n, held: change });
});

test('what keeps an operator from deregistering, in words; nothing once its allocations ended', () => {
  const say = { amount: (s, v) => `${v} of ${s}`, symbol: (s) => `asset ${s}`, duration: (b) => `${b} blocks` };
  const set = { avs: 3, index: 0 };
  const view = (strategies, allocations) => ({ strategies, allocations });
  assert.deepEqual(operator.deregisterBlockers(view([{ strategy: 1, delegated: 0n, queued: 0n }], []), false, 10, 10, say), []);
  assert.deepEqual(
    operator.deregisterBlockers(view([{ strategy: 1, delegated: 7n, queued: 2n }], []), false, 10, 10, say),
    ['7 of 1 is delegated to you: your stakers must undelegate or redelegate first.', '2 of 1 is queued for withdrawal from you and still slashable.'],
  );
  const ending = { set, strategy: 1, magnitude: 30n, pending: [0n, 20] };
  assert.deepEqual(operator.deregisterBlockers(view([], [ending]), false, 10, 12, say), ['Your asset 1 allocation to AVS 3 · set 0 ends in 8 blocks.']);
  // Ended since the view was read: deregistering applies it.
  assert.deepEqual(operator.deregisterBlockers(view([], [ending]), false, 19, 20, say), []);
  assert.deepEqual(operator.deregisterBlockers(view([], [ending]), false, 20, 20, say), ['Your change of asset 1 to AVS 3 · set 0 is held back by a pending slash of that set.']);
  const inForce = { set, strategy: 2, magnitude: 30n };
  assert.match(operator.deregisterBlockers(view([], [inForce]), false, 10, 10, say)[0], /^You allocate asset 2 to AVS 3 · set 0: set it to 0 % first/);
  // A decrease to a non-zero share still leaves an allocation, once it applies.
  assert.deepEqual(operator.deregisterBlockers(view([], [{ ...inForce, pending: [5n, 20] }]), false, 10, 12, say), [
    'A change of your asset 2 allocation to AVS 3 · set 0 applies in 8 blocks: then set it to 0 % and wait for the deallocation delay.',
  ]);
  // The view's shape of a decrease to zero that took effect and nobody applied: no blocker.
  assert.deepEqual(operator.deregisterBlockers(view([], [{ set, strategy: 1, magnitude: 0n }]), false, 10, 10, say), []);
  assert.match(operator.deregisterBlockers(view([], []), true, 10, 10, say)[0], /^You operate as a validator/);
});

test('native stake: only what unbonds from the current pool and has not unlocked rebonds; each chunk withdraws unless its own pool is held, and none while a held pool is owed; an own pool or an empty delegation does not move, a held pool only leaves', () => {
  const chunk = (pool, era, value, blocksLeft = 0) => ({ pool, era, value, blocksLeft });
  const chunks = [chunk('alice', 9, 10n, 20), chunk('alice', 7, 20n), chunk('bob', 9, 40n, 20), chunk('alice', 8, 5n, 5), chunk('bob', 6, 1n)];
  // Era 7: the era-7 chunk unlocked (withdrawn, not rebonded); Bob's pool was left.
  assert.equal(native.rebondable(chunks, 'alice', 7), 15n);
  assert.equal(native.rebondable(chunks, 'bob', 7), 40n);
  assert.equal(native.rebondable(chunks, 'alice', 9), 0n);
  assert.equal(native.rebondable([], 'alice', 0), 0n);
  // Unlocked in era 7: Alice's 20 and Bob's 1; a freeze holds only its own pool's chunks.
  assert.equal(native.withdrawable(chunks, [], 7, () => false), 21n);
  assert.equal(native.withdrawable(chunks, [], 7, (pool) => pool === 'bob'), 20n);
  assert.equal(native.withdrawable(chunks, [], 7, (pool) => pool === 'alice'), 1n);
  // Stake moved from Carol's pool: answerable until era 7, then released unless a slash holds
  // Carol's pool, and while it is kept every unlocked chunk pays for it.
  const owed = [{ from: 'carol', era: 7, value: 30n }];
  const carolHeld = (pool) => pool === 'carol';
  assert.equal(native.owesHeldPool(owed, 7, carolHeld), true);
  assert.equal(native.withdrawable(chunks, owed, 7, carolHeld), 0n);
  assert.equal(native.owesHeldPool(owed, 6, carolHeld), false, 'not matured: answerable, not kept');
  assert.equal(native.withdrawable(chunks, owed, 6, carolHeld), 1n, 'era 6: only Bob\'s chunk unlocked, and kept by nothing');
  assert.equal(native.heldBySlash(chunks[1], 7, true, () => false), true, 'it backs the obligation');
  assert.equal(native.heldBySlash(chunks[1], 6, true, () => true), false, 'not unlocked: not withdrawable anyway');
  assert.equal(native.heldBySlash(chunks[4], 7, false, (pool) => pool === 'bob'), true);
  assert.equal(native.owesHeldPool(owed, 7, () => false), false, 'matured and free: released');
  assert.equal(native.withdrawable(chunks, owed, 7, () => false), 21n);
  assert.equal(native.leaveBlocker('me', 'alice', 5n), undefined);
  assert.equal(native.moveBlocker('me', 'alice', 5n, false), undefined);
  assert.match(native.leaveBlocker('me', 'me', 5n), /your own validator pool/);
  assert.match(native.moveBlocker('me', 'me', 5n, true), /your own validator pool/);
  assert.match(native.leaveBlocker('me', 'alice', 0n), /Nothing is delegated/);
  assert.match(native.moveBlocker('me', 'alice', 0n, false), /Nothing is delegated/);
  // A pending slash stops moving, not leaving (the unbonding stake stays slashable).
  assert.equal(native.leaveBlocker('me', 'alice', 5n), undefined);
  assert.match(native.moveBlocker('me', 'alice', 5n, true), /is due or waits for a decision/);
});

test('a vault deposit: only one whose hold is over may be retried; a paused bridge holds every one; not on Kasane yet is worded by the policy', () => {
  const look = (status, reason, { paused = false, attested = true, overCap = false } = {}) =>
    deposit.depositOutlook({ status, reason, attested, paused, overCap, best: 100 });
  const parked = { type: 'Parked' };
  for (const reason of ['OverCap', 'Unmintable', 'Paused']) assert.equal(look(parked, reason).retry, true);
  assert.match(look(parked, 'OverCap').text, /exceed the token’s cap/);
  assert.match(look(parked, 'OverCap', { paused: true }).retry, /The bridge is paused/);
  const delayed = (until) => ({ type: 'Delayed', value: { until } });
  assert.deepEqual(look(delayed(130), 'Delayed'), { text: 'Accepted above the 24-hour mint limit: mintable', until: 130, retry: 'Its delay is not over yet.' });
  assert.equal(look(delayed(100), 'Delayed').retry, true);
  // The next block reaches it; one more does not.
  assert.equal(look(delayed(101), 'Delayed').retry, true);
  assert.equal(look(delayed(102), 'Delayed').retry, 'Its delay is not over yet.');
  // Still over the cap: refused, whatever parked or delayed it.
  assert.match(look(parked, 'OverCap', { overCap: true }).retry, /would still exceed the token’s cap/);
  assert.match(look(delayed(90), 'Delayed', { overCap: true }).retry, /would still exceed/);
  assert.match(look(delayed(100), 'Delayed', { paused: true }).retry, /paused/);
  for (const [status, why] of [
    [{ type: 'Unknown' }, /not on Kasane yet/],
    [{ type: 'Attesting', value: { signers: [1], quorum: 2 } }, /still being attested/],
    [{ type: 'Halted' }, /halted/],
    [{ type: 'Processed' }, /minted already/],
    [{ type: 'Refunded', value: { withdrawal: 3n } }, /paid back/],
  ]) {
    assert.match(look(status).retry, why);
  }
  assert.match(look({ type: 'Unknown' }).text, /^Not attested yet/);
  assert.match(look({ type: 'Unknown' }, undefined, { attested: false }).text, /^Not proven yet/);
  assert.match(look({ type: 'Halted' }).text, /Governance must clear it/);
  assert.match(look({ type: 'Halted' }, undefined, { attested: false }).text, /A proof of its receipt settles it/);
  assert.equal(look({ type: 'Attesting', value: { signers: [1], quorum: 2 } }).text, 'Being attested: 1 of the 2 signatures it needs.');
});

test('an AVS owner\'s input as the chain checks it: terms (zero penalty, least penalty, veto bounds), funding a new or existing budget, slash shares, reason length', () => {
  const WAD = 10n ** 18n;
  const bounds = { maxOperators: 256, maxVetoWindow: 1_200, minEquivocationPenalty: WAD / 100n };
  const duration = (blocks) => `${blocks} blocks`;
  const terms = (over) => avs.checkTerms({ maxOperators: '16', vetoWindow: '0', maxSlashPerEpoch: '20', equivocationPenalty: '5', accepted: [1], ...over }, bounds, duration);
  const fine = terms({});
  assert.deepEqual(fine.problems, {});
  assert.deepEqual([fine.maxOperators, fine.vetoWindow, fine.maxSlashPerEpoch, fine.equivocationPenalty], [16, 0, WAD / 5n, WAD / 20n]);
  // Zero slashes nothing for double-signing (the chain takes it); under the least otherwise is refused.
  assert.equal(terms({ equivocationPenalty: '0' }).equivocationPenalty, 0n);
  assert.deepEqual(terms({ equivocationPenalty: '0' }).problems, {});
  assert.equal(terms({ equivocationPenalty: '0.5' }).problems.equivocationPenalty, '0 (double-signing is not slashed) or at least 1.00 %.');
  assert.deepEqual(terms({ equivocationPenalty: '1', maxSlashPerEpoch: '0' }).problems, {});
  assert.equal(terms({ maxSlashPerEpoch: '100.5' }).problems.maxSlashPerEpoch, 'The most slashed per epoch is at most 100 %.');
  assert.match(terms({ maxSlashPerEpoch: '1e2' }).problems.maxSlashPerEpoch, /is not a percentage/);
  assert.equal(terms({ maxSlashPerEpoch: '0.0000000000000001' }).maxSlashPerEpoch, 1n, 'sixteen decimals: a percent is 10^16 of WAD');
  assert.equal(terms({ vetoWindow: '1200' }).problems.vetoWindow, undefined);
  assert.equal(terms({ vetoWindow: '1201' }).problems.vetoWindow, 'From 0 (slashes execute at once) to 1200 blocks (1200 blocks).');
  assert.ok(terms({ vetoWindow: '-1' }).problems.vetoWindow);
  assert.equal(terms({ maxOperators: '0' }).problems.maxOperators, 'From 1 to 256 operators.');
  assert.ok(terms({ maxOperators: '257' }).problems.maxOperators);
  assert.equal(terms({ accepted: [] }).problems.accepted, 'Accept at least one asset.');
  assert.equal(avs.wadPercentText(WAD / 100n), '1');
  assert.equal(avs.wadPercentText(10n ** 13n), '0.001');

  // A new budget must cover an era by itself; a top-up counts what is left; a fifth asset is refused.
  const fund = (over) => avs.fundingProblem({ amount: 100n, perEra: 10n, budgets: 1, maxBudgets: 4, ...over });
  assert.equal(fund({}), undefined);
  assert.equal(fund({ amount: 5n }), 'The budget must cover at least one era.');
  assert.equal(fund({ amount: 5n, perEra: 20n, remaining: 100n }), undefined);
  assert.equal(fund({ amount: 5n, perEra: 200n, remaining: 100n }), 'What is left with this amount must cover at least one era at this pay.');
  assert.equal(fund({ budgets: 4 }), 'The set pays in the most assets the chain allows (4): fund one of them.');
  assert.equal(fund({ budgets: 4, remaining: 1n }), undefined, 'topping up one of the four');

  // Slash shares: at least the chain's least, at most what the set's cap leaves this epoch.
  const least = 10n ** 13n;
  const cap = WAD / 5n;
  assert.equal(avs.slashProblem(WAD / 20n, least, cap, cap), undefined);
  assert.equal(avs.slashProblem(cap, least, cap, cap), undefined);
  assert.equal(avs.slashProblem(cap + 1n, least, cap, cap), "The set's terms allow at most 20.00 % per epoch.");
  assert.equal(avs.slashProblem(least - 1n, least, cap, cap), 'At least 0.001 %.');
  assert.equal(avs.slashProblem(0n, 0n, WAD, WAD), 'At least 0 %.');
  // 15 % requested in this epoch (blocks 14 400–28 799) leaves 5 %; last epoch's tally counts nothing.
  const room = avs.epochRoom(cap, [1, (WAD * 15n) / 100n], 20_000, 14_400);
  assert.equal(room, WAD / 20n);
  assert.equal(avs.epochRoom(cap, [0, (WAD * 15n) / 100n], 20_000, 14_400), cap);
  assert.equal(avs.epochRoom(cap, undefined, 20_000, 14_400), cap);
  assert.equal(avs.epochRoom(cap, [1, WAD], 20_000, 14_400), 0n);
  assert.equal(avs.slashProblem(WAD / 10n, least, room, cap), "The set's terms allow 20.00 % per epoch, and 5.00 % is left of it this epoch.");
  assert.equal(avs.slashProblem(WAD / 20n, least, room, cap), undefined);
  // A member that left is slashable before its `until` only, and a request lands a block after the read.
  assert.equal(avs.stillSlashable(undefined, 100), true);
  assert.equal(avs.stillSlashable(102, 100), true);
  assert.equal(avs.stillSlashable(101, 100), false);
  assert.equal(avs.stillSlashable(100, 100), false);
  assert.equal(avs.reasonProblem(256), undefined);
  assert.equal(avs.reasonProblem(257), 'At most 256 bytes (this is 257).');
});
