// Slashing helpers: the bytes an operator's AVS key signs for an AVS message (the format
// `kasane_primitives::avs::AvsMessage::signing_payload` documents), and root calls through sudo.

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { dispatchFailure, submit } from './api.mjs';

/** SCALE(b"kasane/avs-msg/v1", genesis hash, set, round: u64, payload_hash: [u8; 32]). */
export function messagePayload(api, message) {
  return u8aConcat(
    stringToU8a('kasane/avs-msg/v1'),
    api.genesisHash.toU8a(),
    api.createType('(u32, u32, u64)', [message.set.avs, message.set.index, message.round]).toU8a(),
    message.payloadHash,
  );
}

/** An AVS message for `set` and `round` about `payload`, signed with the sr25519 key `uri`. */
export function signedMessage(api, uri, set, round, payload) {
  const pair = new Keyring({ type: 'sr25519' }).addFromUri(uri);
  // Any 32-byte digest the AVS defines; here blake2-256 of the payload.
  const message = { set, round, payloadHash: api.registry.hash(stringToU8a(payload)).toU8a() };
  const signature = { Sr25519: u8aToHex(pair.sign(messagePayload(api, message))) };
  return { message: { ...message, payloadHash: u8aToHex(message.payloadHash) }, signature };
}

/** Dispatches `call` as root through sudo; rejects with `err.moduleError` when it fails. */
export async function sudo(api, call, sudoKey) {
  const events = await submit(api, api.tx.sudo.sudo(call), sudoKey);
  const sudid = events.find((e) => api.events.sudo.Sudid.is(e));
  const result = sudid.data.sudoResult;
  if (result.isErr) throw dispatchFailure(api, result.asErr);
  return events;
}

/** Let `operator`'s pending allocation to `set` in `strategy` take effect now, as if the
 * allocation delay (the chain's, a genesis parameter) had passed: root rewrites its `effective_at`. */
export async function allocationInForce(api, sudoKey, operator, set, strategy) {
  const alloc = (await api.query.restaking.allocations(operator, set, strategy)).unwrap();
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const key = api.query.restaking.allocations.key(operator, set, strategy);
  await sudo(api, api.tx.system.setStorage([[key, inForceAt(api, alloc, now)]]), sudoKey);
}

/** Allocation `alloc` (with a pending change) encoded with that change taking effect at `now`. */
export function inForceAt(api, alloc, now) {
  const pending = alloc.pending.unwrap();
  return api
    .createType(alloc.toRawType(), { magnitude: alloc.magnitude, pending: { target: pending.target, effectiveAt: now } })
    .toHex();
}
