// AVS helpers: the proof-of-possession payload an operator signs with its AVS key (the format
// `kasane_primitives::avs::proof_of_possession_payload` documents), and the calls that create
// an operator set and join it.

import { Keyring, decodeAddress } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { submit } from './api.mjs';

const WAD = 10n ** 18n;

/** SCALE(b"kasane/avs-key-pop/v1", genesis hash, set, operator): what the AVS key signs. */
export function popPayload(api, set, operatorAddress) {
  return u8aConcat(
    stringToU8a('kasane/avs-key-pop/v1'),
    api.genesisHash.toU8a(),
    api.createType('(u32, u32)', [set.avs, set.index]).toU8a(),
    decodeAddress(operatorAddress),
  );
}

/** An sr25519 AVS key from `uri` and its proof of possession for (`set`, operator). */
export function avsKey(api, uri, set, operatorAddress) {
  const pair = new Keyring({ type: 'sr25519' }).addFromUri(uri);
  return {
    key: { Sr25519: u8aToHex(pair.publicKey) },
    proof: { Sr25519: u8aToHex(pair.sign(popPayload(api, set, operatorAddress))) },
  };
}

/** A set config accepting `strategies` (no minimum stake), sr25519 keys, a veto window of the dev chain's longest: a minute. */
export function setConfig(strategies) {
  return {
    strategies: strategies.map((s) => [s, 0]),
    maxOperators: 16,
    keyType: 'Sr25519',
    allowlist: false,
    terms: {
      mode: { Veto: { window: 10 } },
      maxSlashPerEpoch: WAD / 5n,
      slashedFunds: 'Burn',
      equivocationPenalty: WAD / 10n,
    },
  };
}

/** `owner` registers an AVS with one set accepting `strategies`; resolves with the set id. */
export async function createAvsWithSet(api, owner, strategies) {
  let events = await submit(api, api.tx.avsRegistry.registerAvs('ipfs://e2e-avs'), owner);
  const registered = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e));
  const avs = registered.data.avs.toNumber();
  events = await submit(api, api.tx.avsRegistry.createOperatorSet(avs, setConfig(strategies)), owner);
  const created = events.find((e) => api.events.avsRegistry.OperatorSetCreated.is(e));
  return { avs, index: created.data.set.index.toNumber() };
}

/** `operator` joins `set` with the AVS key derived from `keyUri`. */
export function joinSet(api, operator, set, keyUri) {
  const { key, proof } = avsKey(api, keyUri, set, operator.address);
  return submit(api, api.tx.avsRegistry.registerForOperatorSet(set, key, proof), operator);
}
