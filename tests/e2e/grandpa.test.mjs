// A GRANDPA equivocation on a live `kasane-node --dev`, reported through the runtime's real
// path: Alice's GRANDPA key (ed25519 //Alice) signs two different prevotes for one round, the
// key-ownership proof comes from the node's `GrandpaApi.generate_key_ownership_proof` (session
// historical), and Bob submits `grandpa.report_equivocation` — the signed twin of the unsigned
// report a node's GRANDPA voter submits through its offchain pool (which the runtime accepts
// only from the local node, so RPC clients use the signed call; both go through the same
// `EquivocationReportSystem`). pallet-offences hands the offence to native staking, which chills
// Alice and defers a slash of her pool; the same report is refused a second time.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { bnToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { expectModuleError, submit, until, useDevNode } from './lib/api.mjs';

let api;
let alice;
let bob;

useDevNode((dev) => ({ api, alice, bob } = dev));

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
});
