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

/** Stake moved from the pool of `from`, answerable for its validator's offences until `era`. */
export interface Obligation {
  from: string;
  era: number;
  value: bigint;
}

/** Whether native staking holds `pool` now (the pallet's `is_pool_frozen`): a slash of its
 * validator is due (applied a page per block from an era's start) or waits for a decision. */
export type Frozen = (pool: string) => boolean;

/** Whether a matured obligation is kept: settling releases one once its era has begun unless
 * a slash holds its pool, and while one is kept every unlocked chunk stays, since it backs it. */
export function owesHeldPool(answerable: Obligation[], era: number, frozen: Frozen): boolean {
  return answerable.some((o) => o.era <= era && frozen(o.from));
}

/** Whether `withdraw_unbonded` in `era` keeps `chunk` though it unlocked: a slash holds its
 * pool, or the staker owes a held pool (`owes`). */
export function heldBySlash(chunk: Chunk, era: number, owes: boolean, frozen: Frozen): boolean {
  return chunk.era <= era && (owes || frozen(chunk.pool));
}

/** What `withdraw_unbonded` releases in `era`: unlocked chunks, each unless a slash holds its
 * own pool, and none while the staker owes a held pool (`owesHeldPool`). */
export function withdrawable(chunks: Chunk[], answerable: Obligation[], era: number, frozen: Frozen): bigint {
  const owes = owesHeldPool(answerable, era, frozen);
  return chunks.filter((c) => c.era <= era && !heldBySlash(c, era, owes, frozen)).reduce((sum, c) => sum + c.value, 0n);
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
 * `poolHeld`: a slash of the pool's validator is due or waits for a decision, and stake it
 * reaches stays in the pool until it is applied or decided. */
export function moveBlocker(me: string, pool: string, active: bigint, poolHeld: boolean): string | undefined {
  const cannotLeave = leaveBlocker(me, pool, active);
  if (cannotLeave) return cannotLeave;
  if (poolHeld) return 'A slash of this pool’s validator is due or waits for a decision: the stake cannot move to another validator until it is applied or decided (leaving, it stays slashable until withdrawn).';
  return undefined;
}
