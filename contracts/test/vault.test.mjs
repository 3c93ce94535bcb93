// KasaneVault against a real EVM (anvil): deposits of wstETH, rETH, cbETH and stETH shares,
// caps, pausing, rate reports from each token's own rate function, releases signed by a quorum
// of secp256k1 attesters (sorted, unique, current set only, each withdrawal once), attester-set
// hand-overs only through a quorum-signed message and a time lock the guardian can cancel, the
// owner's time-locked recovery of a compromised set, and no re-entry into deposits.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ethers } from 'ethers';

import { deploy, mined, startAnvil } from './lib/anvil.mjs';

const E = 10n ** 18n;
const RateKind = { None: 0, WstETH: 1, RocketPool: 2, Coinbase: 3, StEthShares: 4 };
const RECIPIENT = ethers.hexlify(ethers.randomBytes(32));
// The Kasane network the vault serves, and the Kasane account a releaser names for its fee.
const KASANE_GENESIS = ethers.hexlify(ethers.randomBytes(32));
const BENEFICIARY = ethers.hexlify(ethers.randomBytes(32));
const ROTATION_DELAY = 3_600n;
const RECOVERY_DELAY = 7n * 24n * 3_600n;

let anvil;
let owner;
let guardian;
let user;
let vault;
let steth;
let wsteth;
let reth;
let cbeth;
let attesters; // ethers.Wallet[], sorted by address
let nextNonce = 1n;

/** `promise` (a `staticCall`: a reverting call fails the same way sent) reverts with the
 * vault's custom error `name`. */
const reverts = (promise, name) => assert.rejects(promise, (err) => {
  const got = err.revert?.name ?? (err.data ? vault.interface.parseError(err.data)?.name : undefined);
  assert.equal(got, name, `expected ${name}, got ${got ?? err.shortMessage}`);
  return true;
});

/** Signatures of `wallets` over `digest`, ordered by signer address as the vault requires. */
function sign(digest, wallets) {
  return [...wallets]
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
    .map((w) => w.signingKey.sign(digest).serialized);
}

function newAttesters(n) {
  return Array.from({ length: n }, () => ethers.Wallet.createRandom())
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

async function depositedEvent(tx) {
  const receipt = await mined(tx);
  return receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'Deposited');
}

before(async () => {
  anvil = await startAnvil();
  [owner, guardian, user] = await Promise.all([0, 1, 2].map((i) => anvil.provider.getSigner(i)));
  attesters = newAttesters(3);
  // A recovery faster than a hand-over would let the owner outrun the attesters' time lock.
  await assert.rejects(
    deploy(owner, 'KasaneVault', KASANE_GENESIS, guardian.address, attesters.map((a) => a.address), 2, ROTATION_DELAY, ROTATION_DELAY - 1n),
  );
  vault = await deploy(owner, 'KasaneVault', KASANE_GENESIS, guardian.address, attesters.map((a) => a.address), 2, ROTATION_DELAY, RECOVERY_DELAY);
  steth = await deploy(owner, 'MockStETH');
  wsteth = await deploy(owner, 'MockWstETH', await steth.getAddress());
  reth = await deploy(owner, 'MockRETH');
  cbeth = await deploy(owner, 'MockCbETH');
  await mined(vault.configureToken(await wsteth.getAddress(), RateKind.WstETH, 100n * E));
  await mined(vault.configureToken(await reth.getAddress(), RateKind.RocketPool, 100n * E));
  await mined(vault.configureToken(await cbeth.getAddress(), RateKind.Coinbase, 100n * E));
  await mined(vault.configureToken(await steth.getAddress(), RateKind.StEthShares, 100n * E));
  // The user stakes 300 ETH in stETH and wraps 100 of it.
  const u = (c) => c.connect(user);
  await mined(steth.submit(user.address, 300n * E));
  await mined(u(steth).approve(await wsteth.getAddress(), ethers.MaxUint256));
  await mined(u(wsteth).wrap(100n * E));
  await mined(reth.mint(user.address, 100n * E));
  await mined(cbeth.mint(user.address, 100n * E));
  for (const t of [wsteth, reth, cbeth, steth]) {
    await mined(u(t).approve(await vault.getAddress(), ethers.MaxUint256));
  }
});

after(async () => {
  await anvil?.stop();
});

test('deposits lock the token and report what arrived under increasing nonces', async () => {
  const v = vault.connect(user);
  let ev = await depositedEvent(await v.deposit(await wsteth.getAddress(), 10n * E, RECIPIENT));
  assert.equal(ev.args.nonce, 1n);
  assert.equal(ev.args.token, await wsteth.getAddress());
  assert.equal(ev.args.recipient, RECIPIENT);
  assert.equal(ev.args.amount, 10n * E);
  assert.equal(ev.args.depositor, user.address, 'who is refunded if Kasane refuses it');
  ev = await depositedEvent(await v.deposit(await reth.getAddress(), 5n * E, RECIPIENT));
  assert.equal(ev.args.nonce, 2n);
  assert.equal(await reth.balanceOf(await vault.getAddress()), 5n * E);
  assert.equal((await vault.tokens(await wsteth.getAddress())).locked, 10n * E);
});

test('stETH crosses only as shares: a rebase changes neither the shares locked nor the report', async () => {
  const v = vault.connect(user);
  const ev = await depositedEvent(await v.deposit(await steth.getAddress(), 50n * E, RECIPIENT));
  assert.equal(ev.args.amount, 50n * E, 'the amount is shares');
  const locked = (await vault.tokens(await steth.getAddress())).locked;
  await mined(steth.rebase(330n * E));
  assert.equal((await vault.tokens(await steth.getAddress())).locked, locked);
  assert.equal(await steth.sharesOf(await vault.getAddress()), 50n * E);
  // The balance rebased, the shares did not.
  assert.ok((await steth.balanceOf(await vault.getAddress())) > 50n * E);
});

test('bad deposits revert with a named error and move nothing', async () => {
  const v = vault.connect(user);
  const token = await wsteth.getAddress();
  await reverts(v.deposit.staticCall(token, 0n, RECIPIENT), 'ZeroAmount');
  await reverts(v.deposit.staticCall(token, E, ethers.ZeroHash), 'ZeroRecipient');
  await reverts(v.deposit.staticCall(await user.getAddress(), E, RECIPIENT), 'TokenNotAllowed');
  await mined(vault.configureToken(token, RateKind.WstETH, 15n * E));
  await reverts(v.deposit.staticCall(token, 6n * E, RECIPIENT), 'OverCap');
  await mined(vault.configureToken(token, RateKind.WstETH, 100n * E));
  await reverts(vault.connect(user).pause.staticCall(), 'NotGuardian');
  await mined(vault.connect(guardian).pause());
  await reverts(v.deposit.staticCall(token, E, RECIPIENT), 'IsPaused');
  await reverts(vault.connect(guardian).resume.staticCall(), 'NotOwner');
  await mined(vault.resume());
  assert.equal((await vault.tokens(token)).locked, 10n * E);
});

test('rates come from each token\'s own rate function', async () => {
  const report = async (token) => {
    const receipt = await mined(vault.reportRate(await token.getAddress()));
    const ev = receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'RateReported');
    return ev.args.rate;
  };
  assert.equal(await report(reth), 11n * E / 10n);
  await mined(reth.setExchangeRate(112n * E / 100n));
  assert.equal(await report(reth), 112n * E / 100n);
  assert.equal(await report(cbeth), 105n * E / 100n);
  // 330 pooled over 300 shares after the rebase above.
  assert.equal(await report(wsteth), 11n * E / 10n);
  assert.equal(await report(steth), 11n * E / 10n);
});

test('a withdrawal is released once, with a quorum of sorted, current attesters', async () => {
  const token = await wsteth.getAddress();
  const w = { nonce: nextNonce++, token, recipient: user.address, amount: 4n * E };
  const digest = await vault.releaseDigest(w);
  // One signature is below the quorum of two.
  await reverts(vault.release.staticCall(w, sign(digest, attesters.slice(0, 1)), BENEFICIARY), 'NoQuorum');
  // The same attester twice, or out of order, does not count twice.
  const [a, b] = sign(digest, attesters.slice(0, 2));
  await reverts(vault.release.staticCall(w, [a, a], BENEFICIARY), 'SignersNotSorted');
  await reverts(vault.release.staticCall(w, [b, a], BENEFICIARY), 'SignersNotSorted');
  // A stranger's signature, or one over other contents.
  const stranger = ethers.Wallet.createRandom();
  await reverts(vault.release.staticCall(w, sign(digest, [attesters[0], stranger]), BENEFICIARY), 'NotAttester');
  // A signature over other contents recovers to some unrelated address.
  const other = await vault.releaseDigest({ ...w, amount: 5n * E });
  const forged = [a, sign(other, [attesters[1]])[0]];
  await assert.rejects(vault.release.staticCall(w, forged, BENEFICIARY));
  await assert.rejects(vault.release.staticCall(w, sign(other, attesters.slice(0, 2)), BENEFICIARY));
  // A high-s twin of a valid signature is refused.
  const sig = ethers.Signature.from(b);
  const n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141n;
  const twin = ethers.concat([sig.r, ethers.toBeHex(n - BigInt(sig.s), 32), sig.v === 27 ? '0x1c' : '0x1b']);
  await reverts(vault.release.staticCall(w, [a, twin], BENEFICIARY), 'BadSignature');

  const before = await wsteth.balanceOf(user.address);
  await mined(vault.release(w, [a, b], BENEFICIARY));
  assert.equal(await wsteth.balanceOf(user.address), before + 4n * E);
  assert.equal((await vault.tokens(token)).locked, 6n * E);
  await reverts(vault.release.staticCall(w, [a, b], BENEFICIARY), 'AlreadyReleased');
  // Never more than is locked.
  const big = { nonce: nextNonce++, token, recipient: user.address, amount: 7n * E };
  await reverts(vault.release.staticCall(big, sign(await vault.releaseDigest(big), attesters), BENEFICIARY), 'OverCap');
});

test('stETH is released as shares', async () => {
  const token = await steth.getAddress();
  const w = { nonce: nextNonce++, token, recipient: user.address, amount: 20n * E };
  const before = await steth.sharesOf(user.address);
  await mined(vault.release(w, sign(await vault.releaseDigest(w), attesters), BENEFICIARY));
  assert.equal(await steth.sharesOf(user.address), before + 20n * E);
});

test('release digests bind the Kasane network, and a release names its beneficiary', async () => {
  const token = await reth.getAddress();
  await mined(vault.connect(user).deposit(token, E, RECIPIENT));
  const w = { nonce: nextNonce++, token, recipient: user.address, amount: E / 2n };
  const setId = await vault.attesterSetId();
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const digestFor = (genesis) => ethers.keccak256(coder.encode(
    ['bytes32', 'uint256', 'address', 'bytes32', 'uint256', 'uint64', 'address', 'address', 'uint256'],
    [ethers.id('kasane/vault/release/v2'), 31337n, vault.target, genesis, setId, w.nonce, w.token, w.recipient, w.amount],
  ));
  assert.equal(await vault.releaseDigest(w), digestFor(KASANE_GENESIS));
  // What the same attesters sign for another Kasane network (a fork, a testnet from
  // mainnet's state) releases nothing here.
  const elsewhere = sign(digestFor(ethers.hexlify(ethers.randomBytes(32))), attesters);
  await assert.rejects(vault.release.staticCall(w, elsewhere, BENEFICIARY));
  const receipt = await mined(vault.release(w, sign(digestFor(KASANE_GENESIS), attesters), BENEFICIARY));
  const ev = receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'Released');
  assert.equal(ev.args.beneficiary, BENEFICIARY, 'the account Kasane pays the fee to');
  assert.equal(ev.args.amount, E / 2n);
});

test('a deposit Kasane refuses is paid back to its depositor by an ordinary release', async () => {
  const token = await cbeth.getAddress();
  const lockedBefore = (await vault.tokens(token)).locked;
  const held = await cbeth.balanceOf(user.address);
  const ev = await depositedEvent(await vault.connect(user).deposit(token, 3n * E, RECIPIENT));
  assert.equal((await vault.tokens(token)).locked, lockedBefore + 3n * E);
  // Kasane cancels it and records the refund: the deposit's amount back to `depositor`.
  const refund = { nonce: nextNonce++, token, recipient: ev.args.depositor, amount: ev.args.amount };
  await mined(vault.release(refund, sign(await vault.releaseDigest(refund), attesters), BENEFICIARY));
  assert.equal(await cbeth.balanceOf(user.address), held);
  assert.equal((await vault.tokens(token)).locked, lockedBefore, 'nothing stays locked for it');
});

test('a release to a blacklisted recipient reverts without touching later ones', async () => {
  const token = await cbeth.getAddress();
  await mined(vault.connect(user).deposit(token, 2n * E, RECIPIENT));
  const blocked = ethers.Wallet.createRandom().address;
  await mined(cbeth.setBlacklisted(blocked, true));
  const stuck = { nonce: nextNonce++, token, recipient: blocked, amount: E };
  await assert.rejects(vault.release.staticCall(stuck, sign(await vault.releaseDigest(stuck), attesters), BENEFICIARY));
  assert.equal(await vault.released(stuck.nonce), false);
  // Releases are independent: the next nonce is released although the earlier one cannot be.
  const next = { nonce: nextNonce++, token, recipient: user.address, amount: E };
  await mined(vault.release(next, sign(await vault.releaseDigest(next), attesters), BENEFICIARY));
  assert.equal(await vault.released(next.nonce), true);
  await mined(cbeth.setBlacklisted(blocked, false));
  await mined(vault.release(stuck, sign(await vault.releaseDigest(stuck), attesters), BENEFICIARY));
});

/** Moves anvil's clock `seconds` ahead and mines a block. */
async function elapse(seconds) {
  await anvil.provider.send('evm_increaseTime', [Number(seconds)]);
  await anvil.provider.send('evm_mine', []);
}

test('a hand-over needs a quorum of the current set, then waits out its time lock', async () => {
  const next = newAttesters(4);
  const quorum = 3n;
  const addresses = next.map((a) => a.address);
  const digest = await vault.rotateDigest(addresses, quorum);
  await reverts(vault.queueRotation.staticCall(addresses, quorum, sign(digest, next.slice(0, 3))), 'NotAttester');
  await reverts(vault.queueRotation.staticCall(addresses, quorum, sign(digest, attesters.slice(0, 1))), 'NoQuorum');
  // A quorum below two thirds is refused even when signed.
  const weak = await vault.rotateDigest(addresses, 2n);
  await reverts(vault.queueRotation.staticCall(addresses, 2n, sign(weak, attesters.slice(0, 2))), 'BadAttesterSet');
  const setBefore = await vault.attesterSetId();
  await reverts(vault.executeRotation.staticCall(addresses, quorum), 'NothingPending');
  await mined(vault.queueRotation(addresses, quorum, sign(digest, attesters.slice(0, 2))));
  await reverts(vault.queueRotation.staticCall(addresses, quorum, sign(digest, attesters.slice(0, 2))), 'AlreadyPending');
  // Queued, not in force: the current set still releases, the hand-over waits.
  assert.equal(await vault.attesterSetId(), setBefore);
  await reverts(vault.executeRotation.staticCall(addresses, quorum), 'TooEarly');
  await elapse(ROTATION_DELAY);
  // Only the set that was signed.
  await reverts(vault.executeRotation.staticCall(addresses.slice(0, 3), 2n), 'NotThePendingSet');
  // Paused, nothing moves.
  await mined(vault.connect(guardian).pause());
  await reverts(vault.executeRotation.staticCall(addresses, quorum), 'IsPaused');
  await mined(vault.resume());
  await mined(vault.connect(user).executeRotation(addresses, quorum));
  assert.equal(await vault.attesterSetId(), setBefore + 1n);
  assert.deepEqual([...(await vault.attesters())], addresses);
  assert.equal((await vault.pendingRotation()).eta, 0n);

  // The old set's signatures no longer release anything; the new set's do.
  const token = await reth.getAddress();
  const w = { nonce: nextNonce++, token, recipient: user.address, amount: E };
  const d = await vault.releaseDigest(w);
  await reverts(vault.release.staticCall(w, sign(d, attesters), BENEFICIARY), 'NotAttester');
  await reverts(vault.release.staticCall(w, sign(d, next.slice(2)), BENEFICIARY), 'NoQuorum');
  await mined(vault.release(w, sign(d, next.slice(1)), BENEFICIARY));
  attesters = next;
});

test('the guardian cancels a queued hand-over, and a paused vault queues none', async () => {
  const evil = newAttesters(3);
  const addresses = evil.map((a) => a.address);
  const digest = await vault.rotateDigest(addresses, 2n);
  const signatures = sign(digest, attesters.slice(0, 3));
  await mined(vault.queueRotation(addresses, 2n, signatures));
  await reverts(vault.connect(user).cancelRotation.staticCall(), 'NotGuardian');
  await mined(vault.connect(guardian).cancelRotation());
  await elapse(ROTATION_DELAY);
  await reverts(vault.executeRotation.staticCall(addresses, 2n), 'NothingPending');
  await reverts(vault.connect(guardian).cancelRotation.staticCall(), 'NothingPending');
  await mined(vault.connect(guardian).pause());
  await reverts(vault.queueRotation.staticCall(addresses, 2n, signatures), 'IsPaused');
  await mined(vault.resume());
  assert.notDeepEqual([...(await vault.attesters())], addresses);
});

test('the owner recovers a compromised set only after the longer, visible recovery delay', async () => {
  // The attesters are compromised: the guardian pauses; the owner proposes fresh ones.
  const fresh = newAttesters(3);
  const addresses = fresh.map((a) => a.address);
  await reverts(vault.connect(user).proposeRecovery.staticCall(addresses, 2n), 'NotOwner');
  await reverts(vault.proposeRecovery.staticCall(addresses, 1n), 'BadAttesterSet');
  const receipt = await mined(vault.proposeRecovery(addresses, 2n));
  const ev = receipt.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'RecoveryProposed');
  assert.deepEqual([...ev.args.attesters], addresses);
  await elapse(ROTATION_DELAY);
  await reverts(vault.executeRecovery.staticCall(addresses, 2n), 'TooEarly');
  // A cancelled proposal never executes; a new one starts its delay again.
  await mined(vault.connect(guardian).cancelRecovery());
  await mined(vault.proposeRecovery(addresses, 2n));
  await elapse(RECOVERY_DELAY);
  const setBefore = await vault.attesterSetId();
  await mined(vault.connect(user).executeRecovery(addresses, 2n));
  assert.equal(await vault.attesterSetId(), setBefore + 1n);
  // The old set releases nothing any more; the recovered one does.
  const token = await reth.getAddress();
  const w = { nonce: nextNonce++, token, recipient: user.address, amount: E / 10n };
  const d = await vault.releaseDigest(w);
  await reverts(vault.release.staticCall(w, sign(d, attesters), BENEFICIARY), 'NotAttester');
  await mined(vault.release(w, sign(d, fresh.slice(0, 2)), BENEFICIARY));
  attesters = fresh;
});

test('a token that re-enters deposit during its transfer cannot count one deposit twice', async () => {
  const hook = await deploy(owner, 'MockHookToken');
  await mined(hook.setVault(await vault.getAddress()));
  await mined(vault.configureToken(await hook.getAddress(), RateKind.None, 100n * E));
  await mined(hook.mint(user.address, 10n * E));
  await mined(hook.connect(user).approve(await vault.getAddress(), ethers.MaxUint256));
  await reverts(vault.connect(user).deposit.staticCall(await hook.getAddress(), E, RECIPIENT), 'Reentrancy');
  assert.equal((await vault.tokens(await hook.getAddress())).locked, 0n);
});
