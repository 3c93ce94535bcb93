// Ethereum addresses as people type them.

import { keccak_256 } from '@noble/hashes/sha3.js';

/** `0x` and 40 hex digits; mixed case must be the EIP-55 checksum (a typo there is caught). */
export function checkEthAddress(text: string): { address?: string; problem?: string } {
  const t = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(t)) return { problem: 'An Ethereum address is 0x and 40 hex digits.' };
  const hex = t.slice(2);
  if (/^0+$/.test(hex)) return { problem: 'The zero address cannot receive a release: the tokens would be lost.' };
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase()) {
    const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
    const checksummed = [...hex.toLowerCase()]
      .map((c, i) => (/[a-f]/.test(c) && (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) % 16 >= 8 ? c.toUpperCase() : c))
      .join('');
    if (checksummed !== hex) return { problem: 'The address’s capitalisation is not its checksum (EIP-55): check it for a typo.' };
  }
  return { address: '0x' + hex.toLowerCase() };
}
