// What the pages read for an account or an operator: runtime APIs first (`RestakingApi`,
// `SlashingApi`), storage where no API covers it (balances, native staking's ledger).

import type { Asset, KasaneApi } from './chain';
import { owesHeldPool, rebondable, type Chunk, type Frozen, type Obligation } from './native';
import { mulDiv } from './units';

const FIXED_ONE = 10n ** 18n;
const at = { at: 'best' as const };

/** What `who` holds of each asset: KSN free balance and each LST's pallet-assets balance. */
export async function loadBalances(api: KasaneApi, who: string, assets: Asset[]): Promise<Map<number, bigint>> {
  const balances = new Map<number, bigint>();
  const account = await api.query.System.Account.getValue(who, at);
  await Promise.all(
    assets.map(async (asset) => {
      if (asset.assetId === undefined) {
        balances.set(asset.strategy, account.data.free);
      } else {
        const held = await api.query.Assets.Account.getValue(asset.assetId, who, at);
        balances.set(asset.strategy, held?.balance ?? 0n);
      }
    }),
  );
  return balances;
}

export interface NativeStake {
  pool: string;
  active: bigint;
  held: bigint;
  unclaimed: bigint;
  era: number;
  chunks: Chunk[];
  /** What `rebond` can take back now (see `native.ts`). */
  rebondable: bigint;
  /** Where claimed rewards go: bonded into the pool, or paid to the free balance. */
  rewardDestination: 'Stake' | 'Free';
  /** Stake moved from another pool, answerable for its validator's offences until `era`; past
   * it, held while a slash of that validator is due or pending. */
  answerable: Obligation[];
  /** The pools among the ledger's (its own, its chunks', its obligations') whose validator has
   * a native slash due (`Staking.SlashesDue`): held until a block's page applies it. */
  slashesDue: Set<string>;
}

/** `who`'s native stake: its pool, active stake, unclaimed rewards and unbonding chunks with
 * the blocks until each unlocks (the era clock is genesis state: read, not assumed). */
export async function loadNativeStake(api: KasaneApi, who: string): Promise<NativeStake | undefined> {
  const ledger = await api.query.Staking.Ledgers.getValue(who, at);
  if (!ledger) return undefined;
  const [pool, activeEra, length, perEra, session, best] = await Promise.all([
    api.query.Staking.Pools.getValue(ledger.pool, at),
    api.query.Staking.ActiveEra.getValue(at),
    api.query.Staking.SessionLength.getValue(at),
    api.query.Staking.SessionsPerEra.getValue(at),
    api.query.Session.CurrentIndex.getValue(at),
    api.query.System.Number.getValue(at),
  ]);
  const era = activeEra?.index ?? 0;
  const poolActive = pool?.active ?? 0n;
  const poolShares = pool?.shares ?? 0n;
  const active = mulDiv(ledger.shares, poolActive, poolShares);
  const accrued = (pool?.reward_per_share ?? 0n) - ledger.reward_snapshot;
  const unclaimed = ledger.pending_rewards + (accrued > 0n ? mulDiv(accrued, ledger.shares, FIXED_ONE) : 0n);
  const eraStart = (await api.query.Staking.ErasStartSessionIndex.getValue(era, at)) ?? session;
  const intoEra = Math.max(0, session - eraStart) * length + (best % Math.max(1, length));
  const chunks = await Promise.all(
    ledger.unbonding.map(async (chunk) => {
      const unbondPool = await api.query.Staking.UnbondPools.getValue(chunk.pool, chunk.era, at);
      const value = unbondPool ? mulDiv(chunk.shares, unbondPool.stake, unbondPool.shares) : 0n;
      const blocksLeft = chunk.era <= era ? 0 : Math.max(0, (chunk.era - era) * perEra * length - intoEra);
      return { pool: chunk.pool, era: chunk.era, value, blocksLeft };
    }),
  );
  const pools = [...new Set([ledger.pool, ...chunks.map((c) => c.pool), ...ledger.redelegations.map((o) => o.from)])];
  const due = await Promise.all(pools.map(async (p) => [p, await api.query.Staking.SlashesDue.getValue(p, at)] as const));
  return {
    pool: ledger.pool,
    active,
    held: ledger.held,
    unclaimed,
    era,
    chunks,
    rebondable: rebondable(chunks, ledger.pool, era),
    rewardDestination: ledger.reward_destination.type,
    answerable: ledger.redelegations.map((o) => ({ from: o.from, era: o.era, value: o.value })),
    slashesDue: new Set(due.filter(([, count]) => count !== undefined).map(([p]) => p)),
  };
}

export type OperatorView = Awaited<ReturnType<KasaneApi['apis']['RestakingApi']['operator']>>;
export type SlashRecord = Awaited<ReturnType<KasaneApi['apis']['SlashingApi']['operator_slashes']>>[number];
export type StakerView = Awaited<ReturnType<KasaneApi['apis']['RestakingApi']['staker']>>;
export type Exposure = Awaited<ReturnType<KasaneApi['apis']['SlashingApi']['staker_exposure']>>;
export type RewardAsset = Awaited<ReturnType<KasaneApi['apis']['RestakingApi']['claimable_rewards']>>[number][0];

export interface Claimable {
  strategy: number;
  asset: RewardAsset;
  amount: bigint;
}

/** Rewards `who` can claim, for every strategy (rewards stay after a full withdrawal). */
export async function loadClaimable(api: KasaneApi, who: string, assets: Asset[]): Promise<Claimable[]> {
  const lists = await Promise.all(
    assets.map(async (a) =>
      (await api.apis.RestakingApi.claimable_rewards(who, a.strategy, at))
        .filter(([, amount]) => amount > 0n)
        .map(([asset, amount]) => ({ strategy: a.strategy, asset, amount })),
    ),
  );
  return lists.flat();
}

/** The asset a reward is paid in. */
export function rewardAsset(reward: RewardAsset, assets: Asset[], native: Asset): Asset {
  if (reward.type === 'Native') return native;
  return assets.find((a) => a.assetId === reward.value) ?? { strategy: -1, assetId: reward.value, symbol: `asset ${reward.value}`, decimals: 0 };
}

export type Freeze = NonNullable<Awaited<ReturnType<KasaneApi['query']['Restaking']['OperatorFreezes']['getValue']>>>;

/** Pending-slash freezes of `operators` (restaking's `OperatorFreezes`): while an operator has
 * one, no withdrawal queued from it that was not completable when the first of its pending
 * slashes was requested completes, and no stake leaves its native pool. */
export async function loadFreezes(api: KasaneApi, operators: string[]): Promise<Map<string, Freeze>> {
  const unique = [...new Set(operators)];
  const found = await Promise.all(unique.map(async (o) => [o, await api.query.Restaking.OperatorFreezes.getValue(o, at)] as const));
  return new Map(found.filter((f): f is readonly [string, Freeze] => f[1] !== undefined));
}

/** Whether `freezes` hold a withdrawal from `operator` that completes at `withdrawableAt`. */
export function heldBy(freezes: Map<string, Freeze>, operator: string | undefined, withdrawableAt: number): Freeze | undefined {
  const freeze = operator ? freezes.get(operator) : undefined;
  return freeze && withdrawableAt > freeze.since ? freeze : undefined;
}

/** Every pool a native ledger touches: its own, its chunks' and its obligations'. */
export function nativePools(native: NativeStake): string[] {
  return [native.pool, ...native.chunks.map((c) => c.pool), ...native.answerable.map((o) => o.from)];
}

/** What holds a native ledger's stake now: `frozen`, whether native staking holds a pool
 * (`is_pool_frozen`: a slash of its validator due, or one waiting for a decision, restaking's
 * freeze), and `owes`, whether a matured obligation to a held pool keeps every unlocked chunk. */
export function nativeHolds(native: NativeStake, freezes: Map<string, Freeze>): { frozen: Frozen; owes: boolean } {
  const frozen = (pool: string) => native.slashesDue.has(pool) || freezes.has(pool);
  return { frozen, owes: owesHeldPool(native.answerable, native.era, frozen) };
}

export interface Portfolio {
  balances: Map<number, bigint>;
  native?: NativeStake;
  staker: StakerView;
  claimable: Claimable[];
  exposure: Exposure;
  freezes: Map<string, Freeze>;
}

export async function loadPortfolio(api: KasaneApi, who: string, assets: Asset[]): Promise<Portfolio> {
  const [balances, native, staker, claimable, exposure] = await Promise.all([
    loadBalances(api, who, assets),
    loadNativeStake(api, who),
    api.apis.RestakingApi.staker(who, at),
    loadClaimable(api, who, assets),
    api.apis.SlashingApi.staker_exposure(who, at),
  ]);
  const operators = staker.withdrawals.flatMap((w) => (w.operator ? [w.operator] : []));
  const freezes = await loadFreezes(api, native ? [...operators, ...nativePools(native)] : operators);
  return { balances, native, staker, claimable, exposure, freezes };
}

export interface OperatorSummary {
  address: string;
  /** Commission on restaking rewards (Perbill). */
  commission: number;
  /** A validator's commission on its native pool's rewards (Perbill). */
  nativeCommission?: number;
  metadata: string;
  native: boolean;
  /** A validator candidate: KSN can be delegated to its pool. */
  validator: boolean;
  approvalRequired: boolean;
  /** Delegated stake per strategy. */
  stake: Map<number, bigint>;
  sets: number;
  slashes: number;
}

/** The operators' records: restaking's registrations and native staking's validator candidates. */
async function operatorRecords(api: KasaneApi) {
  const [registered, validators] = await Promise.all([api.query.Restaking.Operators.getEntries(at), api.query.Staking.Validators.getEntries(at)]);
  const records = new Map(registered.map(({ keyArgs: [address], value }) => [address, value]));
  const prefs = new Map(validators.map(({ keyArgs: [address], value }) => [address, value]));
  return { records, prefs, addresses: [...new Set([...records.keys(), ...prefs.keys()])] };
}

/** Every operator's address and public name, and whether it is a validator candidate, for
 * pickers: two storage reads, none per operator. */
export async function listOperators(api: KasaneApi): Promise<Array<{ address: string; metadata: string; validator: boolean }>> {
  const { records, prefs, addresses } = await operatorRecords(api);
  return addresses.map((address) => {
    const record = records.get(address);
    return { address, metadata: record ? new TextDecoder().decode(record.metadata) : '', validator: prefs.has(address) };
  });
}

/** Every operator: those registered in restaking and every validator candidate (an operator
 * through its native pool), with stake per strategy, sets served and slash count. */
export async function loadOperators(api: KasaneApi): Promise<OperatorSummary[]> {
  const { records, prefs, addresses } = await operatorRecords(api);
  return Promise.all(
    addresses.map(async (address) => {
      const [view, slashes] = await Promise.all([
        api.apis.RestakingApi.operator(address, at),
        api.apis.SlashingApi.operator_slashes(address, 100, at),
      ]);
      const record = records.get(address);
      const sets = new Set(view.allocations.map((a) => `${a.set.avs}/${a.set.index}`));
      return {
        address,
        commission: view.commission,
        nativeCommission: prefs.get(address)?.commission,
        metadata: record ? new TextDecoder().decode(record.metadata) : '',
        native: record?.native ?? true,
        validator: prefs.has(address),
        approvalRequired: record?.approval_required ?? false,
        stake: new Map(view.strategies.map((s) => [s.strategy, s.delegated])),
        sets: sets.size,
        slashes: slashes.length,
      };
    }),
  );
}
