// An operator's standing as the operator console reads it from `RestakingApi.operator`: where
// each allocation change stands, and what still keeps the operator from deregistering.

/** A pending allocation change: (target magnitude, block it takes effect at). */
export type Change = [bigint, number];

export interface AllocationState {
  /** The magnitude the chain compares a new change with. */
  inForce: bigint;
  /** A change due by the read whose set's pending slash holds it back. */
  held?: Change;
  /** A change not due yet. */
  waiting?: Change;
}

/** Where an allocation change stands. `readAt` is the block the view was read at, `best` the
 * best block now. The view applies every change due by `readAt` except one a pending slash of
 * its set holds back, so a change due by then and still shown is held; one that came due
 * after the read is in force (restaking applies it before the next change). */
export function allocationState(magnitude: bigint, pending: Change | undefined, readAt: number, best: number): AllocationState {
  if (!pending) return { inForce: magnitude };
  if (pending[1] <= readAt) return { inForce: magnitude, held: pending };
  if (pending[1] <= best) return { inForce: pending[0] };
  return { inForce: magnitude, waiting: pending };
}

export interface StrategyStake {
  strategy: number;
  delegated: bigint;
  queued: bigint;
}

export interface AllocationEntry {
  set: { avs: number; index: number };
  strategy: number;
  magnitude: bigint;
  pending?: Change;
}

export interface Wording {
  amount: (strategy: number, value: bigint) => string;
  symbol: (strategy: number) => string;
  duration: (blocks: number) => string;
}

/** What keeps an operator from deregistering, in words (none: it may); `native`: a
 * validator's operator, registered by native staking for good. The view leaves out withdrawals past
 * their delay and applies due allocation changes, as deregistering does; the chain has the
 * last word. */
export function deregisterBlockers(
  view: { strategies: StrategyStake[]; allocations: AllocationEntry[] },
  native: boolean,
  readAt: number,
  best: number,
  say: Wording,
): string[] {
  const blockers: string[] = [];
  if (native) blockers.push('You operate as a validator: native staking registered you, and such a registration is never deregistered.');
  for (const s of view.strategies) {
    if (s.delegated > 0n) blockers.push(`${say.amount(s.strategy, s.delegated)} is delegated to you: your stakers must undelegate or redelegate first.`);
    if (s.queued > 0n) blockers.push(`${say.amount(s.strategy, s.queued)} is queued for withdrawal from you and still slashable.`);
  }
  for (const a of view.allocations) {
    const set = `AVS ${a.set.avs} · set ${a.set.index}`;
    const symbol = say.symbol(a.strategy);
    const state = allocationState(a.magnitude, a.pending, readAt, best);
    if (state.held) blockers.push(`Your change of ${symbol} to ${set} is held back by a pending slash of that set.`);
    else if (state.waiting && state.waiting[0] === 0n) blockers.push(`Your ${symbol} allocation to ${set} ends in ${say.duration(state.waiting[1] - best)}.`);
    else if (state.waiting)
      blockers.push(`A change of your ${symbol} allocation to ${set} applies in ${say.duration(state.waiting[1] - best)}: then set it to 0 % and wait for the deallocation delay.`);
    // A decrease to zero that took effect (in force 0) no longer counts: deregistering applies it.
    else if (state.inForce > 0n) blockers.push(`You allocate ${symbol} to ${set}: set it to 0 % first, then wait for the deallocation delay.`);
  }
  return blockers;
}
