// A load generator for a running Kasane node: funds `senders` fresh accounts, pre-signs
// `count` extrinsics of one workload spread over them (immortal, consecutive nonces), submits
// them over JSON-RPC with at most `concurrency` submissions in flight, and follows the blocks
// that include them. It stops by itself once every extrinsic is in a block (or none has been
// included for `stallBlocks` blocks, or `timeoutMs` passed) and reports, per block, the
// extrinsics, the normal-class weight used against its ceiling, the proposal time (from the
// node's log when it is given), the finality lag and the node's memory, with a summary.
// `scripts/load.sh` runs it from the command line; tests/e2e/load.test.mjs checks it.

import { readFileSync } from 'node:fs';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

import { submit, until } from './api.mjs';
import { createAvsWithSet, joinSet } from './avs.mjs';
import { allocationInForce } from './slashing.mjs';

const UNIT = 10n ** 12n;
const ETHER = 10n ** 18n;
const WAD = 10n ** 18n;
/** The dev genesis' wstETH (pallet-assets id) and its restaking strategy. */
const WSTETH = 1;
const WSTETH_STRATEGY = 1;
/** Withdrawals each mix sender queues while it is set up, to complete under load. */
const MIX_QUEUED = 4;

/**
 * The workloads: `call` makes a sender's `i`-th extrinsic; `prepare`, when there is one, sets
 * the senders up first (once they are funded) and returns each one's state for `call`.
 */
export const WORKLOADS = {
  // `balances.transfer_keep_alive` to the next sender: what TPS figures usually mean.
  transfers: { call: (api, { next }) => api.tx.balances.transferKeepAlive(next, UNIT / 1000n) },
  // `restaking.deposit` of a little wstETH.
  deposits: { call: (api) => api.tx.restaking.deposit(WSTETH_STRATEGY, ETHER / 1000n) },
  // What restakers, an operator's stakers and AVSs do, every call made to succeed: deposits,
  // delegating, queueing withdrawals and completing ones that are due, claiming rewards an AVS
  // paid, transfers, and AVS metadata updates; in a fixed cycle so every kind is in every run.
  mix: { prepare: prepareMix, call: mixCall },
};

/**
 * Sets up the mix on a development chain (Alice: operator, sudo, and the AVS paying rewards):
 * an AVS set paying KSN every era to Alice's wstETH stakers, Alice allocated to it (brought
 * into force through sudo, as the e2e tests do, rather than waiting the allocation delay);
 * every sender registers an AVS of its own, deposits, and queues withdrawals; half of them
 * (the claimers) delegate to Alice first. Waits until those withdrawals are due and an era's
 * rewards were paid after the senders deposited, so that the claimers have something to
 * claim.
 */
async function prepareMix(api, { alice, accounts, log }) {
  const set = await createAvsWithSet(api, alice, [WSTETH_STRATEGY]);
  await joinSet(api, alice, set, '//Alice//load-avs');
  // A thousandth of Alice's wstETH stake per run. Each run allocates Alice to a new set, and an
  // operator allocates to at most `MaxPendingAllocations` (16) sets a strategy: a node takes
  // about 15 mix runs.
  await submit(api, api.tx.restaking.modifyAllocation(set, WSTETH_STRATEGY, WAD / 1000n), alice);
  await allocationInForce(api, alice, alice.address, set, WSTETH_STRATEGY);
  await submit(api, api.tx.avsRegistry.fundRewards(set, 'Native', 1_000n * UNIT, 100n * UNIT), alice);

  const states = await Promise.all(
    accounts.map(async (account, s) => {
      const claimer = s % 2 === 0;
      const calls = [
        api.tx.avsRegistry.registerAvs(`ipfs://load/${s}`),
        ...(claimer ? [api.tx.restaking.delegateTo(alice.address)] : []),
        api.tx.restaking.deposit(WSTETH_STRATEGY, ETHER / 10n),
        ...Array.from({ length: MIX_QUEUED }, () => api.tx.restaking.queueWithdrawal(WSTETH_STRATEGY, ETHER / 1000n)),
      ];
      const events = await submit(api, api.tx.utility.batchAll(calls), account);
      const avs = events.find((e) => api.events.avsRegistry.AvsRegistered.is(e)).data.avs.toNumber();
      const queued = events.filter((e) => api.events.restaking.WithdrawalQueued.is(e)).map((e) => e.data);
      return {
        claimer,
        avs,
        withdrawals: queued.map((q) => q.id.toBigInt()),
        queued: queued.length,
        due: Math.max(...queued.map((q) => q.withdrawableAt.toNumber())),
        setUpIn: events.blockHash,
      };
    }),
  );
  // Rewards reach the claimers' positions with the first era paid after they all deposited.
  const setUpEras = await Promise.all(states.map(async (st) => (await api.query.staking.activeEra.at(st.setUpIn)).unwrapOr({ index: 0 }).index));
  const afterEra = Math.max(...setUpEras.map(Number));
  const due = Math.max(...states.map((st) => st.due));
  log(`set up ${accounts.length} senders; waiting for block #${due} and era ${afterEra + 1}'s rewards`);
  await until(async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const budget = (await api.query.avsRegistry.rewardBudgets(set, 'Native')).unwrap();
    return best >= due && budget.lastPaidEra.toNumber() > afterEra;
  }, 600_000, `the mix's withdrawals to be due (#${due}) and era ${afterEra + 1}'s rewards`, 1_000);
  return states;
}

/** A mix sender's `i`-th call: claimers claim first, the others delegate second. */
function mixCall(api, { i, next, operator, state, maxQueued }) {
  const deposit = () => WORKLOADS.deposits.call(api);
  const transfer = () => WORKLOADS.transfers.call(api, { next });
  switch (i % 6) {
    case 0:
      return i === 0 && state.claimer ? api.tx.restaking.claimRewards(WSTETH_STRATEGY, 'Native') : deposit();
    case 1:
      return i === 1 && !state.claimer ? api.tx.restaking.delegateTo(operator) : deposit();
    case 2:
      if (!state.withdrawals.length) return deposit();
      state.queued--;
      return api.tx.restaking.completeWithdrawal(state.withdrawals.shift());
    case 3:
      if (state.queued >= maxQueued) return transfer();
      state.queued++;
      return api.tx.restaking.queueWithdrawal(WSTETH_STRATEGY, ETHER / 1000n);
    case 4:
      return transfer();
    default:
      return api.tx.avsRegistry.updateAvsMetadata(state.avs, `ipfs://load/${i}`);
  }
}

/** Resident memory of process `pid` in MiB, if it runs here. */
function rssMiB(pid) {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Proposal times the node logged (`🎁 Prepared block for proposing at N (T ms)`), by number. */
function proposalTimes(logs) {
  const times = new Map();
  for (const m of (logs?.() ?? '').matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\)/g)) {
    times.set(Number(m[1]), Number(m[2]));
  }
  return times;
}

/** Runs `items` through `worker` with at most `limit` at a time. */
async function pool(items, limit, worker) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const at = next++;
      await worker(items[at], at);
    }
  });
  await Promise.all(lanes);
}

/** Waits for `tx` signed by `signer` to be in a block; rejects on a failed dispatch. */
function inBlock(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(`set-up failed: ${dispatchError.toString()}`));
      else if (status.isInBlock) resolve();
      else if (status.isInvalid || status.isDropped || status.isUsurped) reject(new Error(`set-up ${status.type}`));
    }).catch(reject);
  });
}

/**
 * Submits pre-signed `extrinsics` (`{ hex, sender }`) to the node behind `api`, at most
 * `concurrency` in flight, each sender's to `submitters[sender % submitters.length]` (a
 * function taking the hex), and follows the chain from its current head, measuring every block
 * until everything accepted is in one, nothing more came for `stallBlocks` blocks after the
 * last submission, or `deadline` (ms since the epoch) passed. `ours(signer)` tells this run's
 * signers apart from anyone else's. Returns the blocks measured and the tallies.
 */
export async function drive(api, { extrinsics, submitters, ours, pid, concurrency = 256, stallBlocks = 5, deadline, log = () => {} }) {
  const weights = api.consts.system.blockWeights;
  const normal = weights.perClass.normal;
  const ceiling = (normal.maxTotal.isSome ? normal.maxTotal.unwrap() : weights.maxBlock).refTime.toBigInt();
  const blocks = [];
  const failures = new Map();
  // Successful extrinsics by call (`section.method`): what the workload really did.
  const calls = new Map();
  let included = 0;
  let succeeded = 0;
  let failed = 0;

  // One block's figures: this run's extrinsics only (not the timestamp inherent, nor anyone
  // else's), their outcomes and failures by error, the weight (normal class, and the
  // mandatory class: the hooks' work), the finality lag, memory.
  const measure = async (number) => {
    const hash = await api.rpc.chain.getBlockHash(number);
    const [block, events, weight, finalized] = await Promise.all([
      api.rpc.chain.getBlock(hash),
      api.query.system.events.at(hash),
      api.query.system.blockWeight.at(hash),
      api.rpc.chain.getFinalizedHead().then((h) => api.rpc.chain.getHeader(h)),
    ]);
    const mine = (x) => x?.isSigned && ours(x.signer.toString());
    const signed = block.block.extrinsics.filter(mine).length;
    let ok = 0;
    let bad = 0;
    for (const { phase, event } of events) {
      if (!phase.isApplyExtrinsic) continue;
      const extrinsic = block.block.extrinsics[phase.asApplyExtrinsic.toNumber()];
      if (!mine(extrinsic)) continue;
      if (api.events.system.ExtrinsicSuccess.is(event)) {
        ok++;
        const call = `${extrinsic.method.section}.${extrinsic.method.method}`;
        calls.set(call, (calls.get(call) ?? 0) + 1);
      }
      if (api.events.system.ExtrinsicFailed.is(event)) {
        bad++;
        const [error] = event.data;
        const { section, name } = error.isModule ? api.registry.findMetaError(error.asModule) : { section: 'dispatch', name: error.type };
        failures.set(`${section}.${name}`, (failures.get(`${section}.${name}`) ?? 0) + 1);
      }
    }
    const used = weight.normal.refTime.toBigInt();
    const lag = number - finalized.number.toNumber();
    blocks.push({
      number,
      extrinsics: signed,
      succeeded: ok,
      failed: bad,
      normalRefTime: Number(used),
      mandatoryRefTime: Number(weight.mandatory.refTime.toBigInt()),
      fullness: Number((used * 10000n) / ceiling) / 10000,
      finalityLag: lag,
      rssMiB: rssMiB(pid),
    });
    included += signed;
    succeeded += ok;
    failed += bad;
    log(`#${number}: ${signed} extrinsics, ${(Number((used * 1000n) / ceiling) / 10).toFixed(1)}% of the normal class, finality lag ${lag}`);
    return signed;
  };

  // New heads only say how far the chain got: every block from the one after the current
  // head is measured in order, by number, so a missed notification skips nothing.
  let best = (await api.rpc.chain.getHeader()).number.toNumber();
  let wake = () => {};
  const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
    best = Math.max(best, header.number.toNumber());
    wake();
  });

  let rejected = 0;
  const rejections = new Map();
  let submittingDone = false;
  const started = Date.now();
  const submitting = pool(extrinsics, concurrency, async ({ hex, sender }) => {
    if (Date.now() > deadline) {
      rejected++;
      rejections.set('not submitted: timed out', (rejections.get('not submitted: timed out') ?? 0) + 1);
      return;
    }
    try {
      await submitters[sender % submitters.length](hex);
    } catch (err) {
      rejected++;
      const reason = String(err.message ?? err).slice(0, 120);
      rejections.set(reason, (rejections.get(reason) ?? 0) + 1);
    }
  }).then(() => {
    submittingDone = true;
    log(`submitted ${extrinsics.length - rejected} in ${Date.now() - started} ms (${rejected} rejected)`);
  });

  // Until everything accepted is in a block, nothing more came for `stallBlocks` blocks
  // after the last submission, or the deadline.
  let next = best + 1;
  let quietBlocks = 0;
  let timedOut = false;
  try {
    while (!(submittingDone && (included >= extrinsics.length - rejected || quietBlocks >= stallBlocks))) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      if (next > best) {
        await new Promise((r) => {
          wake = r;
          setTimeout(r, 1000);
        });
        continue;
      }
      const signed = await measure(next++);
      quietBlocks = signed === 0 && submittingDone ? quietBlocks + 1 : 0;
    }
  } finally {
    unsubscribe();
    await submitting;
  }
  return { blocks, ceiling, included, succeeded, failed, failures, calls, rejected, rejections, timedOut };
}

/**
 * Proposal times from `logs` (a function returning the nodes' output) added to `blocks`;
 * waited for in the blocks that carried extrinsics, or in every block with `all`.
 */
export async function addProposalTimes(blocks, logs, { all = false } = {}) {
  let proposals = proposalTimes(logs);
  // The node's output reaches us through a pipe, which may lag the RPC answers under load:
  // give the last lines a moment before reporting a block without its proposal time.
  const awaited = blocks.filter((b) => all || b.extrinsics > 0);
  for (let tries = 0; logs && tries < 10 && awaited.some((b) => !proposals.has(b.number)); tries++) {
    await new Promise((r) => setTimeout(r, 500));
    proposals = proposalTimes(logs);
  }
  for (const b of blocks) b.proposalMs = logs ? proposals.get(b.number) ?? null : null;
}

/**
 * Runs one load against the node at `rpcUrl`. `pid` (its process, for memory) and `logs`
 * (a function returning its log, for proposal times) are optional: a node started elsewhere
 * is measured without them. Returns the report (see `summary` in it).
 */
export async function runLoad({
  rpcUrl,
  submitUrls = [rpcUrl],
  pid,
  logs,
  workload = 'transfers',
  senders = 16,
  count = 8000,
  concurrency = 256,
  stallBlocks = 5,
  timeoutMs = 600_000,
  log = () => {},
}) {
  const make = WORKLOADS[workload];
  if (!make) throw new Error(`unknown workload ${workload} (known: ${Object.keys(WORKLOADS).join(', ')})`);
  const api = await ApiPromise.create({ provider: new WsProvider(rpcUrl), noInitWarn: true, throwOnConnect: true });
  const others = [];
  try {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    const alice = keyring.addFromUri('//Alice');
    // A fresh set of accounts per run, so runs against one node do not share nonces.
    const run = `${Date.now()}`;
    const accounts = Array.from({ length: senders }, (_, i) => keyring.addFromUri(`//load//${run}//${i}`));
    const senderSet = new Set(accounts.map((a) => a.address));

    // Fund them in one batch: KSN for fees, transfers and an AVS deposit, wstETH to restake.
    const perSender = BigInt(Math.ceil(count / senders));
    const funding = accounts.flatMap((a) => [
      api.tx.balances.transferKeepAlive(a.address, 1_200n * UNIT + perSender * UNIT / 100n),
      api.tx.assets.transferKeepAlive(WSTETH, a.address, perSender * ETHER / 50n + ETHER / 5n),
    ]);
    await inBlock(api, api.tx.utility.batchAll(funding), alice);
    log(`funded ${senders} senders`);
    const states = make.prepare ? await make.prepare(api, { alice, accounts, log }) : [];
    const nonces = await Promise.all(accounts.map(async (a) => (await api.rpc.system.accountNextIndex(a.address)).toNumber()));
    const maxQueued = api.consts.restaking.maxQueuedWithdrawals.toNumber();

    // Pre-sign everything (immortal: signatures do not depend on when they are submitted).
    const extrinsics = [];
    for (let i = 0; extrinsics.length < count; i++) {
      for (let s = 0; s < senders && extrinsics.length < count; s++) {
        const next = accounts[(s + 1) % senders].address;
        const tx = make.call(api, { i, next, operator: alice.address, state: states[s], maxQueued });
        await tx.signAsync(accounts[s], { nonce: nonces[s] + i, era: 0 });
        extrinsics.push({ hex: tx.toHex(), sender: s });
      }
    }
    log(`signed ${extrinsics.length} ${workload} extrinsics`);

    // Senders are spread over the nodes in `submitUrls` (each its own connection), as wallets
    // over a network's RPC nodes: each sender's transactions all go to one node, in nonce
    // order.
    const submitters = await Promise.all(
      submitUrls.map(async (url) => {
        if (url === rpcUrl) return (hex) => api.rpc.author.submitExtrinsic(hex);
        const provider = new WsProvider(url);
        await provider.isReady;
        others.push(provider);
        return (hex) => provider.send('author_submitExtrinsic', [hex]);
      }),
    );
    const blockMs = (await api.call.auraApi.slotDuration()).toNumber();
    const outcome = await drive(api, {
      extrinsics,
      submitters,
      ours: (signer) => senderSet.has(signer),
      pid,
      concurrency,
      stallBlocks,
      deadline: Date.now() + timeoutMs,
      log,
    });
    const { blocks, included } = outcome;
    await addProposalTimes(blocks, logs);
    const loaded = blocks.filter((b) => b.extrinsics > 0);
    const proposalTimesSeen = loaded.map((b) => b.proposalMs).filter((ms) => ms !== null);
    const summary = {
      workload,
      senders,
      count,
      submittedTo: submitUrls.length,
      submitted: extrinsics.length - outcome.rejected,
      rejected: outcome.rejected,
      rejections: Object.fromEntries(outcome.rejections),
      included,
      succeeded: outcome.succeeded,
      failed: outcome.failed,
      failures: Object.fromEntries(outcome.failures),
      calls: Object.fromEntries([...outcome.calls].sort(([a], [b]) => a.localeCompare(b))),
      timedOut: outcome.timedOut,
      blocksWithLoad: loaded.length,
      maxPerBlock: Math.max(0, ...loaded.map((b) => b.extrinsics)),
      maxFullness: Math.max(0, ...loaded.map((b) => b.fullness)),
      // Extrinsics per second at the chain's block time: in the fullest block, and over the
      // blocks from the first to the last that carried load (slots without a block count).
      peakPerSecond: Math.round((Math.max(0, ...loaded.map((b) => b.extrinsics)) * 1000) / blockMs),
      perSecond: loaded.length
        ? Math.round((included * 1000) / ((loaded.at(-1).number - loaded[0].number + 1) * blockMs))
        : 0,
      maxProposalMs: proposalTimesSeen.length ? Math.max(...proposalTimesSeen) : null,
      maxFinalityLag: Math.max(0, ...blocks.map((b) => b.finalityLag)),
      maxRssMiB: Math.max(0, ...blocks.map((b) => b.rssMiB ?? 0)) || null,
      normalRefTimeCeiling: Number(outcome.ceiling),
    };
    return { summary, blocks };
  } finally {
    await Promise.all(others.map((p) => p.disconnect()));
    await api.disconnect();
  }
}
