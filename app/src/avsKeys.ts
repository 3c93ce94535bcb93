// AVS keys: an operator joins an operator set with the public key it signs that AVS's work
// with and a proof of possession, the key's signature of
// `b"kasane/avs-key-pop/v1" ‖ genesis hash ‖ (avs, index) as two u32 LE ‖ operator account`
// (`kasane_primitives::avs::proof_of_possession_payload`). The key stays with the AVS software:
// the app shows the payload, takes the public key and signature, and checks the signature
// here first, as the runtime will (sr25519 and ed25519 over the bytes, ecdsa over their
// blake2-256 hash, sp_core's convention), so a wrong paste costs no fee.

import { ed25519 as ed } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sr25519CreateDerive } from '@polkadot-labs/hdkd';
import {
  blake2b256,
  createDerive,
  DEV_PHRASE,
  ecdsaDerive,
  ed25519Derive,
  ensureBytes,
  entropyToMiniSecret,
  mnemonicToEntropy,
  parseSuri,
  sr25519,
  ss58Decode,
  type Curve,
} from '@polkadot-labs/hdkd-helpers';

export type KeyType = 'Sr25519' | 'Ed25519' | 'Ecdsa';

/** Bytes of each scheme's public key (ecdsa: compressed secp256k1) and signature. */
export const KEY_BYTES: Record<KeyType, number> = { Sr25519: 32, Ed25519: 32, Ecdsa: 33 };
export const SIGNATURE_BYTES: Record<KeyType, number> = { Sr25519: 64, Ed25519: 64, Ecdsa: 65 };

const POP_DOMAIN = new TextEncoder().encode('kasane/avs-key-pop/v1');

/** `0x`-prefixed (or bare) hex of exactly `length` bytes; throws what the form shows. */
export function parseHex(text: string, length: number, what: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) throw new Error(`The ${what} is not hex: write 0x and ${length * 2} hex digits.`);
  if (hex.length !== length * 2) throw new Error(`The ${what} has ${hex.length / 2} bytes; this set's keys need ${length}.`);
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** What `operator` signs with its AVS key to join set (`avs`, `index`) on the chain whose
 * block-0 hash is `genesisHash`. */
export function popPayload(genesisHash: string, set: { avs: number; index: number }, operator: string): Uint8Array {
  const genesis = parseHex(genesisHash, 32, 'genesis hash');
  const ids = new Uint8Array(8);
  const view = new DataView(ids.buffer);
  view.setUint32(0, set.avs, true);
  view.setUint32(4, set.index, true);
  const [account] = ss58Decode(operator);
  const out = new Uint8Array(POP_DOMAIN.length + 32 + 8 + 32);
  out.set(POP_DOMAIN, 0);
  out.set(genesis, POP_DOMAIN.length);
  out.set(ids, POP_DOMAIN.length + 32);
  out.set(account, POP_DOMAIN.length + 40);
  return out;
}

// ed25519 and secp256k1 straight from noble, not hdkd-helpers' curve objects: the dev
// accounts share hdkd-helpers with the first page, and these curves stay in this page's chunk.
const ed25519: Curve = {
  getPublicKey: (secret) => ed.getPublicKey(ensureBytes('secret', secret)),
  sign: (message, secret) => ed.sign(ensureBytes('message', message), ensureBytes('secret', secret)),
  verify: (signature, message, key) => ed.verify(ensureBytes('signature', signature), ensureBytes('message', message), ensureBytes('key', key)),
};

/** sp_core's ecdsa: over the message's blake2-256 hash, `r ‖ s ‖ recovery id`. */
const ecdsa: Curve = {
  getPublicKey: (secret) => secp256k1.getPublicKey(ensureBytes('secret', secret), true),
  sign: (message, secret) => {
    const recovered = secp256k1.sign(blake2b256(message), ensureBytes('secret', secret), { prehash: false, format: 'recovered' });
    const signature = new Uint8Array(65);
    signature.set(recovered.subarray(1), 0);
    signature[64] = recovered[0];
    return signature;
  },
  verify: (signature, message, key) => {
    const bytes = ensureBytes('signature', signature, 65);
    const recovered = new Uint8Array(65);
    recovered.set(bytes.subarray(0, 64), 1);
    // The runtime takes Ethereum's 27/28 as well as 0/1.
    recovered[0] = bytes[64] >= 27 ? bytes[64] - 27 : bytes[64];
    // The runtime recovers the key from the signature: a high-s signature counts there too.
    return secp256k1.verify(recovered, blake2b256(message), ensureBytes('key', key), { prehash: false, format: 'recovered', lowS: false });
  },
};

const CURVES: Record<KeyType, Curve> = { Sr25519: sr25519, Ed25519: ed25519, Ecdsa: ecdsa };

/** Whether `signature` by `key` of scheme `type` signs `payload`, as the runtime checks it. */
export function verifyProof(type: KeyType, key: Uint8Array, signature: Uint8Array, payload: Uint8Array): boolean {
  try {
    return CURVES[type].verify(signature, payload, key);
  } catch {
    return false;
  }
}

/** A key of `type` from a development secret URI (`//Bob//avs`, or a phrase with `//` paths):
 * for devnets, where keys are throwaway. Hard derivation only, like the dev accounts. */
export function devKey(type: KeyType, suri: string): { publicKey: Uint8Array; sign: (m: Uint8Array) => Uint8Array } {
  const text = suri.trim();
  const { phrase, paths, password } = parseSuri(text.startsWith('//') ? DEV_PHRASE + text : text);
  if (!phrase) throw new Error('Write a secret URI such as //Bob//avs.');
  if (/(^|[^/])\/[^/]/.test(paths ?? '')) throw new Error('Only hard derivations (//) are supported here.');
  const seed = entropyToMiniSecret(mnemonicToEntropy(phrase), password);
  const pair =
    type === 'Sr25519'
      ? sr25519CreateDerive(seed)(paths ?? '')
      : createDerive({ seed, curve: CURVES[type], derive: type === 'Ed25519' ? ed25519Derive : ecdsaDerive })(paths ?? '');
  return { publicKey: pair.publicKey, sign: (m) => pair.sign(m) };
}
