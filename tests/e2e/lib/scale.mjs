// Grows a running chain to a large restaking state through its own extrinsics, then measures
// what a large state costs (issue 25's state scale): `scripts/scale.mjs` runs it from the
// command line, tests/e2e/scale.test.mjs checks it on a small state.
//
// The chain must hold the accounts `scripts/large-state.mjs` adds to a `dev` genesis (KSN and
// one LST each, keys from `largeStatePair` in ./large-state.mjs), in three roles: stakers,
// operators and AVS owners, in that order. In phases, each pre-signed and driven through
// `drive` (every extrinsic must succeed):
//   1. every operator registers; every owner registers an AVS;
//   2. every owner creates an operator set accepting the LST strategies and funds a KSN reward
//      budget paid every era;
//   3. every operator joins two sets (its index modulo the sets, and the next) with an sr25519
//      AVS key for each and allocates a quarter of each LST strategy to each;
//   4. every staker delegates to an operator (round robin) and deposits its LST, in chunks.
// Then it follows the chain through the next era's start and its reward payouts (every
// budget paid, `EraPayoutsCompleted`), recording per block the hooks' weight (mandatory
// class) against the payout budget and the block's ceiling, and the proposal time; has every
// AVS request a slash of one of its operators under veto terms; times, while those wait, the
// runtime-API views a wallet or an AVS dashboard calls (`SlashingApi_staker_exposure` of
// stakers the slashes reach, `RestakingApi_staker`, `RestakingApi_operator`,
// `AvsApi_operator_sets` pages, `AvsApi_security`) over raw JSON-RPC `state_call`; and
// follows the slashes' execution the same way as the payouts.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, sr25519PairFromSeed } from '@polkadot/util-crypto';

import { popPayload, setConfig } from './avs.mjs';
import { largeStatePair } from './large-state.mjs';
import { addProposalTimes, drive } from './load.mjs';
import { inForceAt, sudo } from './slashing.mjs';

const UNIT = 10n ** 12n;
const ETHER = 10n ** 18n;
const WAD = 10n ** 18n;
/** What each staker restakes of the 10 LST `large-state.mjs` gives it. */
const STAKE = 5n * ETHER;
/** An owner's reward budget: 200 KSN, 1 KSN an era. */
const BUDGET = 200n * UNIT;
const PER_ERA = UNIT;

/** The `p`-th percentile (0–100) of `values`, by nearest rank. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Signs `calls` (`[{ call, who }]`, `who` a pair from `pairs`) with each account's next
 * nonce (kept in `nonces`, immortal), drives them through the node and throws unless every
 * one succeeded. Returns `drive`'s outcome.
 */
async function phase(api, name, calls, { nonces, submit, pid, log, timeoutMs }) {
  const extrinsics = [];
  const signers = new Set();
  for (const [n, { call, who }] of calls.entries()) {
    const nonce = nonces.get(who.address) ?? 0;
    nonces.set(who.address, nonce + 1);
    await call.signAsync(who, { nonce, era: 0 });
    extrinsics.push({ hex: call.toHex(), sender: n });
    signers.add(who.address);
  }
  log(`${name}: signed ${extrinsics.length}`);
  const outcome = await drive(api, {
    extrinsics,
    submitters: [submit],
    ours: (signer) => signers.has(signer),
    pid,
    deadline: Date.now() + timeoutMs,
    log,
  });
  const { included, succeeded, failed, rejected } = outcome;
  if (succeeded !== extrinsics.length || failed || rejected) {
    const detail = { included, succeeded, failed, rejected, failures: Object.fromEntries(outcome.failures), rejections: Object.fromEntries(outcome.rejections) };
    throw new Error(`${name}: not every extrinsic succeeded: ${JSON.stringify(detail)}`);
  }
  const loaded = outcome.blocks.filter((b) => b.extrinsics > 0);
  log(`${name}: ${succeeded} succeeded in ${loaded.length} blocks`);
  return outcome;
}

/**
 * Times `count` calls of `method` over raw `state_call`, the argument of the `i`-th made by
 * `args(i)` (SCALE bytes): milliseconds from request to answer, and the largest answer.
 */
async function timeView(provider, method, count, args) {
  const ms = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const answer = await provider.send('state_call', [method, u8aToHex(args(i))]);
    ms.push(performance.now() - start);
    bytes = Math.max(bytes, (answer.length - 2) / 2);
  }
  const round = (x) => Math.round(x * 100) / 100;
  return { calls: count, p50Ms: round(percentile(ms, 50)), p95Ms: round(percentile(ms, 95)), maxMs: round(Math.max(...ms)), maxBytes: bytes };
}

/**
 * Follows the chain block by block from `from`, handing each block's number, events and
 * weight to `visit`, until `visit` returns true; rejects after `timeoutMs`.
 */
async function followBlocks(api, from, visit, { timeoutMs, what }) {
  const deadline = Date.now() + timeoutMs;
  for (let number = from; ; ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    if (number > (await api.rpc.chain.getHeader()).number.toNumber()) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const hash = await api.rpc.chain.getBlockHash(number);
    const [events, weight] = await Promise.all([api.query.system.events.at(hash), api.query.system.blockWeight.at(hash)]);
    if (visit(number, events.map(({ event }) => event), weight)) return;
    number++;
  }
}

/** What a block spent in its hooks (the mandatory class: `on_initialize` and the inherents). */
const hookRefTime = (weight) => Number(weight.mandatory.refTime.toBigInt());

/**
 * Follows the chain from its head until the reward payouts of an era that starts after it
 * are complete: per block from that era's start, the hooks' weight and the budgets paid; and
 * the hooks' weight of the block before it.
 */
async function followPayouts(api, { timeoutMs, log }) {
  // The era as of the head block, read at that block, so the head cannot start the era.
  const header = await api.rpc.chain.getHeader();
  const head = header.number.toNumber();
  const startEra = (await api.query.staking.activeEra.at(header.hash)).unwrap().index.toNumber();
  const blocks = [];
  let eraStarted = false;
  // The hooks of the last block before the era starts: what every block spends.
  let idleHookRefTime = null;
  await followBlocks(
    api,
    head,
    (number, events, weight) => {
      const of = (kind) => events.filter((e) => kind.is(e));
      const started = of(api.events.staking.EraStarted).some((e) => e.data.era.toNumber() > startEra);
      eraStarted ||= started;
      if (!eraStarted) {
        idleHookRefTime = hookRefTime(weight);
        return false;
      }
      const block = { number, extrinsics: 0, eraStarted: started, paid: of(api.events.avsRegistry.RewardsPaid).length, skipped: of(api.events.avsRegistry.RewardPaymentSkipped).length, hookRefTime: hookRefTime(weight) };
      blocks.push(block);
      log(`#${number}: ${block.paid} budgets paid, ${block.skipped} skipped, hooks ${(block.hookRefTime / 1e9).toFixed(1)} ms${started ? ', era start' : ''}`);
      return of(api.events.avsRegistry.EraPayoutsCompleted).some((e) => e.data.era.toNumber() > startEra);
    },
    { timeoutMs, what: `the payouts of an era after ${startEra}` },
  );
  return { blocks, idleHookRefTime };
}

/** Total size in bytes of the files under `dir`. */
async function directorySize(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await directorySize(path) : (await stat(path)).size;
  }
  return total;
}

/**
 * Grows the chain behind `api` (a `large-state.mjs` genesis of at least
 * `stakers + operators + sets` accounts) and measures it; `provider` is `api`'s, for the
 * views' raw calls. `forceAllocations` brings the operators' allocations into force through
 * sudo (Alice) instead of waiting the allocation delay, for runs too short to outlast it.
 * `basePath` is the node's database, for its size.
 */
export async function growAndMeasure(api, provider, {
  stakers,
  operators,
  sets,
  chunk = 10_000,
  pid,
  logs,
  basePath,
  forceAllocations = false,
  views = 100,
  timeoutMs = 3_600_000,
  log = () => {},
}) {
  if (operators < 1 || sets < 1 || stakers < 1) throw new Error('need at least one staker, operator and set');
  // Every slashed operator (one per set, while there are operators) needs a staker to price.
  if (stakers < Math.min(sets, operators)) throw new Error(`need at least min(sets, operators) = ${Math.min(sets, operators)} stakers`);
  // Each operator joins two sets: a set has at most 2 ⌈operators / sets⌉ members, and each
  // set takes the runtime's largest limit as its own.
  const maxOperators = api.consts.avsRegistry.maxOperatorsPerSet.toNumber();
  if (2 * Math.ceil(operators / sets) > maxOperators) throw new Error(`at most ${maxOperators / 2} operators per set`);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const pairs = Array.from({ length: stakers + operators + sets }, (_, i) => keyring.addFromPair(largeStatePair(i)));
  const stakerPairs = pairs.slice(0, stakers);
  const operatorPairs = pairs.slice(stakers, stakers + operators);
  const ownerPairs = pairs.slice(stakers + operators);
  log(`derived ${pairs.length} accounts`);

  // The LST strategies, and each account's LST: large-state.mjs gives account i the genesis'
  // i-th asset in turn, in the spec's order, which is by id (sorted here to match).
  const strategyOf = new Map();
  for (const [key, strategy] of await api.query.restaking.strategies.entries()) {
    const kind = strategy.unwrap().kind;
    if (kind.isAsset) strategyOf.set(kind.asAsset.toNumber(), key.args[0].toNumber());
  }
  const assetIds = (await api.query.assets.asset.keys()).map((k) => k.args[0].toNumber()).sort((a, b) => a - b);
  const lstStrategies = assetIds.map((id) => strategyOf.get(id)).filter((s) => s !== undefined);
  if (lstStrategies.length !== assetIds.length) throw new Error(`an LST without a strategy: assets ${assetIds}, strategies ${[...strategyOf]}`);

  const nonces = new Map();
  const submit = (hex) => api.rpc.author.submitExtrinsic(hex);
  const context = { nonces, submit, pid, log, timeoutMs };
  const started = Date.now();
  const phases = {};
  const record = (name, outcome) => {
    const loaded = outcome.blocks.filter((b) => b.extrinsics > 0);
    phases[name] = { extrinsics: outcome.succeeded, blocks: loaded.length, maxPerBlock: Math.max(0, ...loaded.map((b) => b.extrinsics)) };
  };

  record(
    'register',
    await phase(
      api,
      'register operators and AVSs',
      [
        ...operatorPairs.map((who, k) => ({ who, call: api.tx.restaking.registerOperator(100_000_000, `ipfs://scale/operator/${k}`, false) })),
        ...ownerPairs.map((who, j) => ({ who, call: api.tx.avsRegistry.registerAvs(`ipfs://scale/avs/${j}`) })),
      ],
      context,
    ),
  );
  const avsOf = new Map();
  for (const [key, record_] of await api.query.avsRegistry.avsRecords.entries()) {
    avsOf.set(record_.unwrap().owner.toString(), key.args[0].toNumber());
  }
  const setIds = ownerPairs.map((who) => {
    const avs = avsOf.get(who.address);
    if (avs === undefined) throw new Error(`${who.address} registered no AVS`);
    return { avs, index: 0 };
  });

  record(
    'sets',
    await phase(
      api,
      'create and fund operator sets',
      ownerPairs.map((who, j) => ({
        who,
        call: api.tx.utility.batchAll([
          api.tx.avsRegistry.createOperatorSet(setIds[j].avs, { ...setConfig(lstStrategies), maxOperators }),
          api.tx.avsRegistry.fundRewards(setIds[j], 'Native', BUDGET, PER_ERA),
        ]),
      })),
      context,
    ),
  );

  // An AVS key is claimed by one operator in one set: one per (operator, set), from a seed.
  const avsKey = (keys, k, set, address) => {
    const key = keys.addFromPair(sr25519PairFromSeed(blake2AsU8a(`kasane/scale/avs-key/${k}/${set.avs}/${set.index}`)));
    return [set, { Sr25519: u8aToHex(key.publicKey) }, { Sr25519: u8aToHex(key.sign(popPayload(api, set, address))) }];
  };
  const joined = (k) => [...new Set([k % sets, (k + 1) % sets])].map((j) => setIds[j]);
  record(
    'join',
    await phase(
      api,
      'operators join and allocate',
      operatorPairs.map((who, k) => ({
        who,
        call: api.tx.utility.batchAll(
          joined(k).flatMap((set) => [
            api.tx.avsRegistry.registerForOperatorSet(...avsKey(keyring, k, set, who.address)),
            ...lstStrategies.map((strategy) => api.tx.restaking.modifyAllocation(set, strategy, WAD / 4n)),
          ]),
        ),
      })),
      context,
    ),
  );
  // Payouts and slashes need the allocations in force: through sudo, or by waiting out the
  // chain's allocation delay once the stakers are in (a small state grows faster than that).
  if (forceAllocations) await bringAllocationsIntoForce(api, keyring.addFromUri('//Alice'), log);

  const restake = { extrinsics: 0, blocks: 0, maxPerBlock: 0 };
  for (let from = 0; from < stakers; from += chunk) {
    const outcome = await phase(
      api,
      `stakers ${from}..${Math.min(stakers, from + chunk) - 1} delegate and deposit`,
      stakerPairs.slice(from, from + chunk).map((who, n) => {
        const i = from + n;
        return {
          who,
          call: api.tx.utility.batchAll([
            api.tx.restaking.delegateTo(operatorPairs[i % operators].address),
            api.tx.restaking.deposit(lstStrategies[i % assetIds.length], STAKE),
          ]),
        };
      }),
      context,
    );
    await addProposalTimes(outcome.blocks, logs);
    const loaded = outcome.blocks.filter((b) => b.extrinsics > 0);
    restake.extrinsics += outcome.succeeded;
    restake.blocks += loaded.length;
    restake.maxPerBlock = Math.max(restake.maxPerBlock, ...loaded.map((b) => b.extrinsics));
    if (logs) restake.maxProposalMs = Math.max(restake.maxProposalMs ?? 0, ...loaded.map((b) => b.proposalMs ?? 0));
  }
  phases.restake = restake;
  const grownInS = Math.round((Date.now() - started) / 1000);
  log(`grown in ${grownInS} s`);
  if (!forceAllocations) await awaitAllocationsInForce(api, { timeoutMs, log });

  // An era's start and its reward payouts, on the grown state.
  const { blocks: payoutBlocks, idleHookRefTime } = await followPayouts(api, { timeoutMs, log });
  await addProposalTimes(payoutBlocks, logs, { all: true });
  // The payout pass may cross a block without a payout's room left: count those that paid.
  const paying = payoutBlocks.filter((b) => b.paid + b.skipped > 0);
  const eraStart = payoutBlocks.find((b) => b.eraStarted);
  const maxBlockRefTime = api.consts.system.blockWeights.maxBlock.refTime.toNumber();
  const payouts = {
    budgets: paying.reduce((n, b) => n + b.paid + b.skipped, 0),
    paid: paying.reduce((n, b) => n + b.paid, 0),
    skipped: paying.reduce((n, b) => n + b.skipped, 0),
    blocks: paying.length,
    maxPerBlock: Math.max(0, ...paying.map((b) => b.paid + b.skipped)),
    maxHookRefTime: Math.max(0, ...payoutBlocks.map((b) => b.hookRefTime)),
    budgetRefTime: api.consts.avsRegistry.payoutWeightPerBlock.refTime.toNumber(),
    idleHookRefTime,
    maxBlockRefTime,
    maxProposalMs: Math.max(0, ...payoutBlocks.map((b) => b.proposalMs ?? 0)) || null,
    eraStart: eraStart && { number: eraStart.number, hookRefTime: eraStart.hookRefTime, proposalMs: eraStart.proposalMs ?? null },
  };

  // Every AVS asks to slash one of its operators (1%) under its veto terms: the requests wait
  // out the veto window, so the exposure view below has pending slashes to price.
  const slashed = Math.min(sets, operators);
  const requestedAt = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  record(
    'slash',
    await phase(
      api,
      'request slashes',
      ownerPairs.slice(0, slashed).map((who, j) => ({
        who,
        call: api.tx.slashing.requestSlash(operatorPairs[j].address, setIds[j], WAD / 100n, `ipfs://scale/slash/${j}`),
      })),
      context,
    ),
  );

  // The views, on the grown state, while those slashes are pending.
  const account = (pair) => pair.publicKey;
  const u32 = (n) => api.createType('u32', n).toU8a();
  // The n-th of `views` samples, spread evenly over `of` indices.
  const spread = (n, of) => Math.floor(((n + 0.5) * of) / views);
  // A staker delegated to a slashed operator k (stakers k, k + operators, …).
  const exposed = (n) => {
    const k = n % slashed;
    return stakerPairs[k + operators * spread(n, Math.floor((stakers - 1 - k) / operators) + 1)];
  };
  const pages = Math.ceil(sets / 100);
  const viewTimes = {
    'SlashingApi_staker_exposure': await timeView(provider, 'SlashingApi_staker_exposure', views, (n) => account(exposed(n))),
    'RestakingApi_staker': await timeView(provider, 'RestakingApi_staker', views, (n) => account(stakerPairs[spread(n, stakers)])),
    'RestakingApi_operator': await timeView(provider, 'RestakingApi_operator', views, (n) => account(operatorPairs[spread(n, operators)])),
    // MarketOrder: 0 SetId, 2 AllocatedValue; pages of 100 (the view's largest).
    'AvsApi_operator_sets(SetId)': await timeView(provider, 'AvsApi_operator_sets', Math.min(views, pages * 4), (n) => u8aConcat([0], u32((n % pages) * 100), u32(100))),
    'AvsApi_operator_sets(AllocatedValue)': await timeView(provider, 'AvsApi_operator_sets', Math.min(views, pages * 4), (n) => u8aConcat([2], u32((n % pages) * 100), u32(100))),
    'AvsApi_security': await timeView(provider, 'AvsApi_security', views, (n) => api.createType('(u32, u32)', [setIds[spread(n, sets)].avs, 0]).toU8a()),
  };

  // The slashes execute once their window ends, at most `MaxDuePerBlock` a block within
  // `ExecutionWeightPerBlock`.
  const slashBlocks = [];
  let decided = 0;
  await followBlocks(
    api,
    requestedAt,
    (number, events, weight) => {
      const count = (kind) => events.filter((e) => kind.is(e)).length;
      const executed = count(api.events.slashing.SlashExecuted);
      const failedSlashes = count(api.events.slashing.SlashFailed);
      decided += executed + failedSlashes;
      if (executed + failedSlashes) {
        // An era may start and pay out, or a session rotate, while the slashes execute: their
        // hooks share the block.
        const shared = count(api.events.avsRegistry.RewardsPaid) + count(api.events.staking.EraStarted) + count(api.events.session.NewSession) > 0;
        slashBlocks.push({ number, extrinsics: 0, executed, failed: failedSlashes, shared, hookRefTime: hookRefTime(weight) });
        log(`#${number}: ${executed} slashes executed, ${failedSlashes} failed, hooks ${(hookRefTime(weight) / 1e9).toFixed(1)} ms${shared ? ' (with payouts)' : ''}`);
      }
      return decided >= slashed;
    },
    { timeoutMs, what: `${slashed} slashes to execute` },
  );
  await addProposalTimes(slashBlocks, logs, { all: true });
  const slashes = {
    requested: slashed,
    executed: slashBlocks.reduce((n, b) => n + b.executed, 0),
    failed: slashBlocks.reduce((n, b) => n + b.failed, 0),
    blocks: slashBlocks.length,
    maxPerBlock: Math.max(0, ...slashBlocks.map((b) => b.executed + b.failed)),
    maxHookRefTime: Math.max(0, ...slashBlocks.map((b) => b.hookRefTime)),
    // In blocks where no payout, era start or session rotation shared the hooks.
    maxHookRefTimeAlone: Math.max(0, ...slashBlocks.filter((b) => !b.shared).map((b) => b.hookRefTime)) || null,
    budgetRefTime: api.consts.slashing.executionWeightPerBlock.refTime.toNumber(),
    maxBlockRefTime,
    maxProposalMs: Math.max(0, ...slashBlocks.map((b) => b.proposalMs ?? 0)) || null,
  };

  return {
    stakers,
    operators,
    sets,
    grownInS,
    phases,
    payouts,
    slashes,
    views: viewTimes,
    databaseBytes: basePath ? await directorySize(basePath) : null,
  };
}

/** Wait until the last pending allocation change has taken effect. */
async function awaitAllocationsInForce(api, { timeoutMs, log }) {
  let due = 0;
  for (const [, value] of await api.query.restaking.allocations.entries()) {
    const { pending } = value.unwrap();
    if (pending.isSome) due = Math.max(due, pending.unwrap().effectiveAt.toNumber());
  }
  const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  if ((await head()) >= due) return;
  log(`waiting for the allocations to take effect at #${due}`);
  const deadline = Date.now() + timeoutMs;
  while ((await head()) < due) {
    if (Date.now() > deadline) throw new Error(`allocations not in force by #${due} in time`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Sets every pending allocation's effective block to now, through sudo: as if the delay had passed. */
async function bringAllocationsIntoForce(api, sudoKey, log) {
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const items = [];
  for (const [key, value] of await api.query.restaking.allocations.entries()) {
    const alloc = value.unwrap();
    if (alloc.pending.isSome) items.push([key.toHex(), inForceAt(api, alloc, now)]);
  }
  await sudo(api, api.tx.system.setStorage(items), sudoKey);
  log(`brought ${items.length} allocations into force`);
}
