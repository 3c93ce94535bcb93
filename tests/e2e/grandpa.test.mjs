// A GRANDPA equivocation on a live `kasane-node --dev`, reported through the runtime's real
// path: Alice's GRANDPA key (ed25519 //Alice) signs two different prevotes for one round, the
// key-ownership proof comes from the node's `GrandpaApi.generate_key_ownership_proof` (session
// historical), and Bob submits `grandpa.report_equivocation` — the signed twin of the unsigned
// report a node's GRANDPA voter submits through its offchain pool (which the runtime accepts
// only from the local node, so RPC clients use the signed call; both go through the same
// `EquivocationReportSystem`). pallet-offences hands the offence to native staking, which chills
// Alice and defers a slash of her pool; the same report is refused a second time. Once the slash
// applies, Bob burns it from Alice's hold with `kasane stake settle`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { bnToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { expectModuleError, submit, until, useDevNode } from './lib/api.mjs';
import { runKasane } from './lib/cli.mjs';

let node;
let api;
let alice;
let bob;

useDevNode((dev) => ({ node, api, alice, bob } = dev));

/** `sp_consensus_grandpa::localized_payload(round, setId, Message::Prevote(vote))`. */
function prevotePayload(vote, round, setId) {
  return u8aConcat(
    new Uint8Array([0]), // Message::Prevote
    vote.targetHash,
    bnToU8a(vote.targetNumber, { bitLength: 32 }),
    bnToU8a(round, { bitLength: 64 }),
    bnToU8a(setId, { bitLength: 64 }),
  );
}

test('a GRANDPA equivocation reported on a live node chills the validator and defers a slash of its pool', async () => {
  // Two blocks to vote for.
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 2, 60_000, 'block #2', 500);
  const grandpaAlice = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
  const setId = (await api.query.grandpa.currentSetId()).toNumber();
  const round = 7;
  const votes = await Promise.all([1, 2].map(async (n) => ({
    targetHash: (await api.rpc.chain.getBlockHash(n)).toU8a(),
    targetNumber: n,
  })));
  const signed = votes.map((v) => [
    { targetHash: u8aToHex(v.targetHash), targetNumber: v.targetNumber },
    u8aToHex(grandpaAlice.sign(prevotePayload(v, round, setId))),
  ]);
  const proof = {
    setId,
    equivocation: {
      Prevote: { roundNumber: round, identity: u8aToHex(grandpaAlice.publicKey), first: signed[0], second: signed[1] },
    },
  };
  // The runtime API returns `Option<OpaqueKeyOwnershipProof>`: the SCALE bytes of a
  // `MembershipProof` (session historical), decoded here as the call's argument type.
  const raw = await api.rpc.state.call(
    'GrandpaApi_generate_key_ownership_proof',
    u8aToHex(u8aConcat(bnToU8a(setId, { bitLength: 64 }), grandpaAlice.publicKey)),
  );
  const opaque = api.createType('Option<Bytes>', raw.toU8a(true));
  assert.ok(opaque.isSome, 'the node proves Alice owns the key in this session');
  const keyOwnerProof = api.createType('SpSessionMembershipProof', opaque.unwrap().toU8a(true));
  assert.equal(keyOwnerProof.validatorCount.toNumber(), 1);

  const era = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  const events = await submit(api, api.tx.grandpa.reportEquivocation(proof, keyOwnerProof), bob);
  const offence = events.find((e) => api.events.offences.Offence.is(e));
  assert.ok(offence, 'pallet-offences recorded the offence');
  const reported = events.find((e) => api.events.staking.OffenceReported.is(e));
  assert.ok(reported, 'native staking handled it');
  assert.equal(reported.data.validator.toString(), alice.address);
  const applyEra = reported.data.applyEra.toNumber();
  assert.ok(applyEra > era, 'the slash is deferred');
  assert.ok(reported.data.fraction.toNumber() > 0);
  // Read in the report's block: --dev defers a consensus slash one two-minute era, which may
  // end before this line runs.
  const unapplied = await (await api.at(events.blockHash)).query.staking.unappliedSlashes(applyEra);
  assert.ok(unapplied.some((s) => s.validator.toString() === alice.address), 'the slash waits for its era');
  assert.ok((await api.query.staking.validators(alice.address)).isNone, 'Alice was chilled');

  // The same equivocation is a known offence.
  await expectModuleError(submit(api, api.tx.grandpa.reportEquivocation(proof, keyOwnerProof), bob), 'grandpa.DuplicateOffenceReport');

  // Once its era comes the slash takes stake from Alice's pool, but her hold still has it until
  // her ledger is settled: anyone does that with `kasane stake settle`, without her.
  // Counted at the report's block: the era may have turned, and the slash applied, since.
  const slashesBefore = (await (await api.at(events.blockHash)).query.staking.pools(alice.address)).unwrap().slashes.toNumber();
  await until(async () => (await api.query.staking.pools(alice.address)).unwrap().slashes.toNumber() > slashesBefore, 480_000, 'the deferred slash applied', 2_000);
  const heldBefore = (await api.query.staking.ledgers(alice.address)).unwrap().held.toBigInt();
  const settle = (who) => runKasane(node.rpcUrl, ['stake', 'settle', who, '--json', '--wait', 'in-block'], { suri: '//Bob' });
  const settled = await settle(alice.address);
  assert.equal(settled.code, 0, settled.stderr);
  const burned = BigInt(settled.json.burned);
  assert.ok(burned > 0n, JSON.stringify(settled.json));
  const event = settled.json.events.find((e) => e.event === 'staking.SlashSettled');
  assert.equal(BigInt(event.fields.amount), burned);
  const held = (await api.query.staking.ledgers(alice.address)).unwrap().held.toBigInt();
  assert.equal(held, heldBefore - burned);
  // Settled: a second settle burns nothing; an account that does not stake is refused unsigned.
  const again = await settle(alice.address);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.burned, '0');
  const bobNonce = (await api.rpc.system.accountNextIndex(bob.address)).toNumber();
  const nobody = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri('//Nobody').address;
  const stranger = await runKasane(node.rpcUrl, ['stake', 'settle', nobody], { suri: '//Bob' });
  assert.equal(stranger.code, 2);
  assert.match(stranger.stderr, /does not stake KSN: it has nothing to settle/);
  assert.equal((await api.rpc.system.accountNextIndex(bob.address)).toNumber(), bobNonce);
});
