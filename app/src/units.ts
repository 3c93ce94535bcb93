// Amounts are integers of base units (bigint); people read and type them in whole units.

import { ss58Address, ss58Decode } from '@polkadot-labs/hdkd-helpers';

/** `text` (whole units, `.` as the decimal point) as base units of an asset with `decimals`;
 * throws an Error whose message is what the form shows. */
export function parseAmount(text: string, decimals: number, symbol: string): bigint {
  const trimmed = text.trim().replace(/_/g, '');
  if (trimmed === '') throw new Error('Enter an amount.');
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === '.') {
    throw new Error(`“${text}” is not an amount: use digits and at most one “.”.`);
  }
  const [whole, fraction = ''] = trimmed.split('.');
  if (fraction.length > decimals) {
    throw new Error(`${symbol} has ${decimals} decimals: “${text}” has ${fraction.length}.`);
  }
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** A positive amount typed by a person: the base units, or what the form says is wrong. */
export function checkAmount(text: string, decimals: number, symbol: string): { amount?: bigint; problem?: string } {
  try {
    const amount = parseAmount(text, decimals, symbol);
    return amount === 0n ? { problem: 'The amount must be more than zero.' } : { amount };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/** Base units as whole units, at most `maxFraction` decimals (rounded down), thousands grouped. */
export function formatAmount(value: bigint, decimals: number, maxFraction = 4): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = (abs % unit).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  if (fraction === '' && abs % unit !== 0n && abs < unit) fraction = ''.padEnd(maxFraction - 1, '0') + '1';
  const tiny = abs !== 0n && abs < unit / 10n ** BigInt(Math.min(maxFraction, decimals));
  return `${negative ? '-' : ''}${tiny ? '< ' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

/** A duration of `blocks` as days/hours/minutes (two largest units), e.g. “1 d 4 h”, “2 min”. */
export function formatDuration(blocks: number, blockMs: number): string {
  const seconds = Math.max(0, Math.round((blocks * blockMs) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const parts: Array<[number, string]> = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor((seconds % 86400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

/** Perbill (parts per 10⁹) as a percentage. */
export const perbillPercent = (parts: number): string => `${(parts / 1e7).toFixed(parts % 1e7 === 0 ? 0 : 2)} %`;

/** 10¹⁸ = 100 %: magnitudes and slash fractions. */
export const WAD = 10n ** 18n;
export const wadPercent = (value: bigint): string => `${(Number((value * 10000n) / WAD) / 100).toFixed(2)} %`;

/** `magnitude` as a share of `max` (an operator's max magnitude, which slashes lower from
 * 100 %): what share of the operator's stake it allocates. */
export const shareOf = (magnitude: bigint, max: bigint): string => wadPercent(max === 0n ? 0n : (magnitude * WAD) / max);

/** `a × b / c`, rounded down (`up`: rounded up). */
export function mulDiv(a: bigint, b: bigint, c: bigint, up = false): bigint {
  if (c === 0n) return 0n;
  const product = a * b;
  return up ? (product + c - 1n) / c : product / c;
}

/** What a form leaves aside in KSN for the transaction's own fee: 0.1 of the native token (a
 * devnet batch pays about 0.0015). */
export const feeMargin = (decimals: number): bigint => 10n ** BigInt(decimals) / 10n;

/** Bytes as `0x`-prefixed lowercase hex. */
export const toHex = (bytes: Uint8Array): string => '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** An address shortened for tables: first 6 and last 6 characters. */
export const shortAddress = (address: string): string =>
  address.length > 16 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;

/** `text` as an account of a chain with SS58 prefix `ss58` (its own or the generic 42),
 * written with the chain's prefix; or the problem a form shows. */
export function checkAccount(text: string, ss58: number): { address?: string; problem?: string } {
  const t = text.trim();
  let decoded: ReturnType<typeof ss58Decode>;
  try {
    decoded = ss58Decode(t);
  } catch {
    return { problem: `“${text}” is not an SS58 address.` };
  }
  const [publicKey, prefix] = decoded;
  if (publicKey.length !== 32) return { problem: 'An account is 32 bytes: this address is of another kind.' };
  if (prefix !== ss58 && prefix !== 42) return { problem: `This address is for another network (prefix ${prefix}; this one uses ${ss58}).` };
  return { address: ss58Address(publicKey, ss58) };
}

/** Whether two SS58 addresses name the same account, whatever their prefixes. */
export const sameAccount = (a: string, b: string): boolean => toHex(ss58Decode(a)[0]) === toHex(ss58Decode(b)[0]);
