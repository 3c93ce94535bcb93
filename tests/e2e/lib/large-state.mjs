// The accounts `scripts/large-state.mjs` adds to a genesis, shared with the runs that sign
// for them (tests/e2e/lib/scale.mjs).

import { blake2AsU8a, sr25519PairFromSeed } from '@polkadot/util-crypto';

/**
 * The sr25519 key pair of the `i`-th account (needs `cryptoWaitReady`): its seed is
 * blake2("kasane/large-state/" + i), so every run makes the same accounts and can sign for them.
 */
export function largeStatePair(i) {
  return sr25519PairFromSeed(blake2AsU8a(`kasane/large-state/${i}`));
}
