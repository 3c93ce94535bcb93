// Native staking as the Withdraw page reads a ledger: what `rebond` can take back, and
// whether the stake can move to another validator or leave its pool now.

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

/** Why `me`'s stake in `pool` cannot be moved to another validator or taken out of the pool
 * as a whole now, or `undefined` when it can. `poolHeld`: a slash of the pool's validator
 * waits for a decision. */
export function moveBlocker(me: string, pool: string, poolHeld: boolean): string | undefined {
  if (pool === me) return 'This is your own validator pool: it does not move to another validator. Unbond it instead.';
  if (poolHeld) return 'A slash of this pool’s validator waits for a decision: nothing leaves the pool until it is decided.';
  return undefined;
}
