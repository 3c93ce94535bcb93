// What an AVS's owner types into the console, checked as the chain checks it
// (pallet-avs-registry's `ensure_valid_terms`, `do_create_operator_set` and `do_fund_rewards`,
// pallet-slashing's `do_request_slash`), so that a refusal is named before anything is signed.

import { formatAmount, parseAmount, WAD, wadPercent } from './units';

/** The longest reason URI a slash request takes (`kasane_primitives::slashing::MAX_REASON_LEN`). */
export const MAX_REASON_LEN = 256;

/** Percent text as a fraction of WAD (what slashing terms and slashes are in; WAD is 100 %, so
 * a percent has 16 decimals). Zero is a value: a set may slash nothing for double-signing. */
export function percentOfWad(text: string, what: string): { value?: bigint; problem?: string } {
  if (!/^\d+(\.\d{1,16})?$/.test(text.trim())) return { problem: `${what}: “${text}” is not a percentage (digits, at most 16 decimals).` };
  const value = parseAmount(text.trim(), 16, '%');
  return value > WAD ? { problem: `${what} is at most 100 %.` } : { value };
}

/** A fraction of WAD as the percent text `percentOfWad` reads back. */
export const wadPercentText = (value: bigint): string => formatAmount(value, 16, 16).replace(/,/g, '');

export interface TermsBounds {
  /** The chain's most operators per set. */
  maxOperators: number;
  /** The chain's longest veto window, in blocks. */
  maxVetoWindow: number;
  /** The least non-zero double-signing penalty (of WAD). */
  minEquivocationPenalty: bigint;
}

export interface TermsInput {
  maxOperators: string;
  /** Blocks; 0 executes slashes at once. */
  vetoWindow: string;
  maxSlashPerEpoch: string;
  equivocationPenalty: string;
  /** Strategies the set accepts. */
  accepted: number[];
}

/** A new operator set's terms, with what is wrong with each field (`problems` is empty when the
 * chain would take them). `duration` words a number of blocks. */
export function checkTerms(input: TermsInput, bounds: TermsBounds, duration: (blocks: number) => string) {
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);
  const maxOperators = whole(input.maxOperators);
  const vetoWindow = whole(input.vetoWindow);
  const maxSlash = percentOfWad(input.maxSlashPerEpoch, 'The most slashed per epoch');
  const penalty = percentOfWad(input.equivocationPenalty, 'The double-signing penalty');
  const problems: Partial<Record<'maxOperators' | 'vetoWindow' | 'maxSlashPerEpoch' | 'equivocationPenalty' | 'accepted', string>> = {};
  if (!(maxOperators >= 1 && maxOperators <= bounds.maxOperators)) problems.maxOperators = `From 1 to ${bounds.maxOperators} operators.`;
  if (!(vetoWindow >= 0 && vetoWindow <= bounds.maxVetoWindow)) {
    problems.vetoWindow = `From 0 (slashes execute at once) to ${bounds.maxVetoWindow} blocks (${duration(bounds.maxVetoWindow)}).`;
  }
  if (maxSlash.problem) problems.maxSlashPerEpoch = maxSlash.problem;
  if (penalty.problem) problems.equivocationPenalty = penalty.problem;
  else if (penalty.value !== undefined && penalty.value !== 0n && penalty.value < bounds.minEquivocationPenalty) {
    problems.equivocationPenalty = `0 (double-signing is not slashed) or at least ${wadPercent(bounds.minEquivocationPenalty)}.`;
  }
  if (input.accepted.length === 0) problems.accepted = 'Accept at least one asset.';
  return { maxOperators, vetoWindow, maxSlashPerEpoch: maxSlash.value, equivocationPenalty: penalty.value, problems };
}

/** Why funding `amount` at `perEra` an era cannot go through, if it cannot: `remaining` is what
 * the set's budget in that asset has left (undefined: it pays no such budget yet), `budgets`
 * how many assets it pays in. Funding an existing budget adds to what is left and replaces
 * its per-era pay; the result must still cover an era. */
export function fundingProblem(f: { amount?: bigint; perEra?: bigint; remaining?: bigint; budgets: number; maxBudgets: number }): string | undefined {
  if (f.remaining === undefined && f.budgets >= f.maxBudgets) return `The set pays in the most assets the chain allows (${f.maxBudgets}): fund one of them.`;
  if (f.amount === undefined || f.perEra === undefined) return undefined;
  if (f.perEra > (f.remaining ?? 0n) + f.amount) {
    return f.remaining === undefined ? 'The budget must cover at least one era.' : 'What is left with this amount must cover at least one era at this pay.';
  }
  return undefined;
}

/** Whether a member that left slashable until `until` (undefined: it has not left) can still be
 * slashed by a request read at block `readAt`: the request lands at `readAt + 1` at the
 * earliest, and the chain slashes only before `until`. */
export const stillSlashable = (until: number | undefined, readAt: number): boolean => until === undefined || until > readAt + 1;

/** What a set may still slash an operator for this epoch: its cap per epoch, less what was
 * requested (pending or executed) in the epoch of block `at`. `used` is the chain's
 * `Slashing.EpochSlashed` tally: [epoch, fraction], or undefined. */
export function epochRoom(cap: bigint, used: [number, bigint] | undefined, at: number, epochLength: number): bigint {
  const spent = used && used[0] === Math.floor(at / epochLength) ? used[1] : 0n;
  return cap > spent ? cap - spent : 0n;
}

/** Why a slash of `fraction` (of WAD) cannot be requested, if it cannot: the chain's least
 * `minSlashFraction`, and `room`, what the set's terms leave for this epoch (`cap` per epoch). */
export function slashProblem(fraction: bigint, minSlashFraction: bigint, room: bigint, cap: bigint): string | undefined {
  if (fraction === 0n || fraction < minSlashFraction) return `At least ${wadPercentText(minSlashFraction)} %.`;
  if (fraction > room) {
    return room === cap
      ? `The set's terms allow at most ${wadPercent(cap)} per epoch.`
      : `The set's terms allow ${wadPercent(cap)} per epoch, and ${wadPercent(room)} is left of it this epoch.`;
  }
  return undefined;
}

/** Why a reason URI of `bytes` UTF-8 bytes is refused, if it is. */
export const reasonProblem = (bytes: number): string | undefined =>
  bytes > MAX_REASON_LEN ? `At most ${MAX_REASON_LEN} bytes (this is ${bytes}).` : undefined;
