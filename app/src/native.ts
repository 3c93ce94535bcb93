// Native staking as the Withdraw page reads a ledger: what `rebond` can take back, what
// `withdraw_unbonded` releases, and whether the stake can move to another validator or leave
// its validator now.

/** An unbonding chunk: the pool it unbonds from, its unlock era and its value now. */
export interface Chunk {
  pool: string;
  era: number;
  value: bigint;
  blocksLeft: number;
}

/** What `rebond` can move back to active stake in `era`: the chunks unbonding from the
 * ledger's current `pool` that have not unlocked. The pallet takes no other: stake unbonding
 * from a pool left since comes back by withdrawing it once it unlocks. */
export function rebondable(chunks: Chunk[], pool: string, era: number): bigint {
  return chunks.filter((c) => c.pool === pool && c.era > era).reduce((sum, c) => sum + c.value, 0n);
}

/** What `withdraw_unbonded` releases now: unlocked chunks, except those of a pool a pending
 * slash of its validator holds (`frozen`), each chunk by its own pool. */
export function withdrawable(chunks: Chunk[], frozen: (pool: string) => boolean): bigint {
  return chunks.filter((c) => c.blocksLeft === 0 && !frozen(c.pool)).reduce((sum, c) => sum + c.value, 0n);
}

/** Why `me`, staking `active` in `pool`, cannot leave its validator (`undelegate`), or
 * `undefined` when it can. A pending slash does not stop leaving: the stake unbonds, and
 * stays slashable until it is withdrawn. */
export function leaveBlocker(me: string, pool: string, active: bigint): string | undefined {
  if (pool === me) return 'This is your own validator pool: it does not move to another validator. Unbond it instead.';
  if (active === 0n) return 'Nothing is delegated any more: withdraw what unbonds once it unlocks.';
  return undefined;
}

/** Why the stake cannot move to another validator (`redelegate`) now, or `undefined`.
 * `poolHeld`: a slash of the pool's validator waits for a decision, and stake it reaches
 * stays in the pool until then. */
export function moveBlocker(me: string, pool: string, active: bigint, poolHeld: boolean): string | undefined {
  const cannotLeave = leaveBlocker(me, pool, active);
  if (cannotLeave) return cannotLeave;
  if (poolHeld) return 'A slash of this pool’s validator waits for a decision: the stake cannot move to another validator until it is decided (leaving, it stays slashable until withdrawn).';
  return undefined;
}
