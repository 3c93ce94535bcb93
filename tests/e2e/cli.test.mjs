// The `kasane` CLI end to end against a real `kasane-node --dev`, by the CLI alone: an operator
// registers, an AVS registers and creates an operator set with a short veto window, the
// operator joins it with an AVS key, a staker deposits wstETH and delegates, the operator
// allocates, the AVS requests a slash that executes when its window ends, and the staker
// queues and lists a withdrawal. Every `--json` output is checked against chain state read
// independently with @polkadot/api. Bad arguments exit 2 with a message and submit nothing;
// an unreachable node exits 3 naming its URL; a refused call names the pallet error.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { submit, until, useDevNode } from './lib/api.mjs';
import { KASANE_CLI, runKasane } from './lib/cli.mjs';
import { signedMessage, sudo } from './lib/slashing.mjs';
import { configureTestBridge } from './lib/test-bridge.mjs';

const E = 10n ** 18n;
const WSTETH_STRATEGY = 1;

let node;
let api;
let alice;
let keyring;
/** The story's operator set (`<avs>/<index>`, and as `{ avs, index }`). */
let storySet;
let storySetId;

useDevNode((dev) => ({ node, api, alice, keyring } = dev));

/** Runs `kasane args…` against the dev node; resolves with { code, stdout, stderr, json }. */
function kasane(args, { suri, url, timeout } = {}) {
  return runKasane(url ?? node.rpcUrl, args, { suri, timeout });
}

/** `kasane args… --json --wait in-block` signed by `suri`, which must succeed. */
async function ok(args, suri) {
  const run = await kasane([...args, '--json', '--wait', 'in-block'], { suri });
  assert.equal(run.code, 0, `kasane ${args.join(' ')} exited ${run.code}: ${run.stdout}${run.stderr}`);
  return run.json;
}

const nonce = async (pair) => (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
const pair = (uri) => keyring.addFromUri(uri);

/** Waits until the best block is `n` or later: a dev chain's delays are minutes of blocks. */
async function untilBlock(n, what) {
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= n, 480_000, what, 1_000);
}

test('status reports the chain, its blocks and modes; --json has stable fields', async () => {
  const { json } = await kasane(['status', '--json']);
  assert.equal(json.chain, 'Kasane Development');
  assert.equal(json.spec_version, (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber());
  assert.equal(json.ss58_prefix, api.registry.chainSS58);
  assert.equal(json.validators, (await api.query.session.validators()).length);
  assert.equal(json.slashing_mode, 'Enabled');
  // The delays are genesis parameters: minutes on --dev, read from the chain.
  const delays = (await api.query.chainParameters.currentDelays()).toJSON();
  assert.deepEqual(json.delays, {
    withdrawal: delays.withdrawal,
    allocation: delays.allocation,
    deallocation: delays.deallocation,
    max_veto_window: delays.maxVetoWindow,
    commission_change: delays.commissionChange,
  });
  assert.deepEqual(json.delays, { withdrawal: 20, allocation: 50, deallocation: 20, max_veto_window: 10, commission_change: 10 });
  // The era clock: 2 one-minute sessions, unbonding 2 eras (within the 5-minute allocation delay).
  assert.equal(json.era_blocks, 20);
  assert.equal(json.bonding_eras, (await api.query.staking.bondingEras()).toNumber());
  assert.equal(json.bonding_eras, 2);
  const human = await kasane(['status']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^chain\s+Kasane Development$/m);
  assert.match(human.stdout, /^allocation delay\s+5 min \(50 blocks\)$/m);
  assert.match(human.stdout, /^native unbonding\s+2 eras \(up to 4 min\)$/m);
});

test('the bridge from the CLI: status and rates on a chain whose bridge is not configured', async () => {
  const { json } = await kasane(['bridge', 'status', '--json']);
  assert.equal(json.mode, (await api.query.lstBridge.mode()).toString());
  assert.equal(json.vault, null);
  assert.deepEqual(json.tokens, []);
  const rate = await kasane(['bridge', 'rate', 'wstETH']);
  assert.equal(rate.code, 2);
  assert.match(rate.stderr, /wstETH is not bridged from Ethereum \(the bridge mirrors nothing yet\)/);
  const missing = await kasane(['bridge', 'withdrawal', '99']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no withdrawal 99 was ever requested \(the latest is 0\)/);
});

test('keys are generated into a private file and inspected without echoing the secret', async () => {
  const inspected = await kasane(['key', 'inspect', '--json'], { suri: '//Alice' });
  assert.equal(inspected.code, 0, inspected.stderr);
  assert.equal(inspected.json.address, alice.address, 'the address is in Kasane’s SS58 format');
  const refused = await kasane(['key', 'generate']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--out <file>/);

  const dir = mkdtempSync(join(tmpdir(), 'kasane-cli-'));
  try {
    const file = join(dir, 'operator.key');
    const generated = await kasane(['key', 'generate', '--out', file, '--json']);
    assert.equal(generated.code, 0, generated.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the key file is private');
    const words = readFileSync(file, 'utf8').trim().split(/\s+/);
    assert.equal(words.length, 12);
    const fromFile = await kasane(['key', 'inspect', '--key-file', file, '--json']);
    assert.equal(fromFile.json.address, generated.json.address);
    // No two consecutive words of the phrase appear (one may: "address" is a BIP-39 word and
    // a JSON field).
    for (const run of [generated, fromFile]) {
      const shown = ` ${`${run.stdout}${run.stderr}`.split(/\W+/).join(' ')} `;
      for (let i = 0; i + 1 < words.length; i += 1) {
        assert.ok(!shown.includes(` ${words[i]} ${words[i + 1]} `), `"${words[i]} ${words[i + 1]}" echoed`);
      }
    }
    chmodSync(file, 0o644);
    const loose = await kasane(['key', 'inspect', '--key-file', file]);
    assert.equal(loose.code, 2);
    assert.match(loose.stderr, /readable by others \(mode 644\): run `chmod 600/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments exit 2 with a reason and sign nothing; an unreachable node exits 3', async () => {
  const dave = pair('//Dave');
  const before = await nonce(dave);
  const cases = [
    [['restake', 'deposit', 'stETHX', '1'], /unknown asset `stETHX`: Kasane restakes KSN, wstETH, rETH, cbETH/],
    [['restake', 'deposit', 'wstETH', '0.0000000000000000001'], /at most 18 decimal places/],
    [['restake', 'deposit', 'wstETH', '2000'], /you hold 1000 wstETH on Kasane, less than the 2000 wstETH asked/],
    [['restake', 'deposit', 'KSN', '1'], /restaked through native staking/],
    [['account', 'transfer', '5NotAnAddress', '1'], /is not an SS58 address/],
    [['operator', 'allocate', '1/0', 'wstETH', '101'], /percentage `101` is over 100/],
        [['operator', 'allocate', '1', 'wstETH', '10'], /write it as <avs>\/<index>/],
    [['operator', 'register', '--commission', '60'], /commission 60% is over the chain's maximum of 50%/],
    [['avs', 'create-set', '0', '--asset', 'wstETH', '--asset', 'WSTETH'], /--asset WSTETH is given twice/],
    [['avs', 'create-set', '0', '--asset', 'wstETH', '--veto-window', '100000'], /--veto-window 100000 is over the chain's maximum of 10 blocks \(1 min\)/],
    [['avs', 'slash', 'request', alice.address, '0/0', '10', '--reason', 'x'.repeat(300)], /--reason is 300 bytes; the most is 256/],
    [['restake', 'position'], /whose\? give an address/],
    [['restake', 'redelegate', alice.address], /you are not delegated to anyone/],
    [['restake', 'withdraw', 'complete', '99'], /has no queued withdrawal 99/],
    [['avs', 'fund', '0/0', 'KSN', '10', '--per-era', '20'], /--per-era must be more than zero and at most the amount \(10 KSN\)/],
    [['validator', 'join', '--bond', '5'], /a validator's self-bond must be at least 10000 KSN \(you would have 5\)/],
    [['bridge', 'withdraw', 'wstETH', '1', '0x1234'], /Ethereum address `0x1234`: write 0x and 40 hex digits/],
    [['bridge', 'withdraw', 'wstETH', '1', '0x' + '00'.repeat(20)], /the zero address cannot receive a release/],
    [['bridge', 'withdraw', 'KSN', '1', '0x' + '11'.repeat(20)], /KSN is Kasane's own token: it does not cross the bridge/],
    [['bridge', 'withdraw', 'wstETH', '1', '0x' + '11'.repeat(20)], /wstETH is not bridged from Ethereum/],
    [['stake', 'delegate', dave.address, '1'], /an account does not delegate to itself: `kasane stake bond <amount>`/],
    [['bridge', 'retry', '1'], /deposit 1 is not waiting to be minted: it is not on Kasane yet/],
  ];
  for (const [args, message] of cases) {
      const run = await kasane(args, { suri: args[1] === 'position' ? undefined : '//Dave' });
    assert.equal(run.code, 2, `kasane ${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const json = await kasane(['restake', 'deposit', 'stETHX', '1', '--json'], { suri: '//Dave' });
  assert.equal(json.code, 2);
  assert.equal(json.json.exit_code, 2);
  assert.equal(await nonce(dave), before, 'nothing was submitted');

  const unreachable = await kasane(['status'], { url: 'ws://127.0.0.1:1' });
  assert.equal(unreachable.code, 3);
  assert.match(unreachable.stderr, /cannot reach a Kasane node at ws:\/\/127\.0\.0\.1:1/);
});

test('--wait none returns the transaction hash at once, before any block', async () => {
  const sent = await kasane(['account', 'transfer', pair('//Ferdie').address, '0.5', '--wait', 'none', '--json'], { suri: '//Bob' });
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.json.extrinsic, /^0x[0-9a-f]{64}$/);
  assert.equal(sent.json.events, null);
});

test('a refused transaction names the pallet error and its meaning', async () => {
  const ferdie = pair('//Ferdie');
  const run = await kasane(['restake', 'delegate', ferdie.address, '--wait', 'in-block'], { suri: '//Dave' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /restaking\.NotOperator: The account is not an operator/);
});

test('the restaking story by CLI alone: register, join, deposit, delegate, allocate, slash, withdraw', async () => {
  const bob = pair('//Bob');
  const dave = pair('//Dave');

  await ok(['operator', 'register', '--commission', '5', '--metadata', 'https://bob.example'], '//Bob');
  const registered = await ok(['avs', 'register', 'https://oracle.example/avs.json'], '//Charlie');
  const avs = registered.avs;
  assert.equal((await api.query.avsRegistry.avsRecords(avs)).unwrap().owner.toString(), pair('//Charlie').address);
  // No --veto-window: the chain's longest, a genesis parameter (a minute on --dev).
  const created = await ok(['avs', 'create-set', String(avs), '--asset', 'wstETH'], '//Charlie');
  const set = created.set;
  assert.equal(set, `${avs}/0`);
  const setId = { avs, index: 0 };
  storySet = set;
  storySetId = setId;
  const maxVeto = api.consts.avsRegistry.maxVetoWindow.toNumber();
  assert.equal(maxVeto, 10);
  assert.equal((await api.query.avsRegistry.operatorSets(setId)).unwrap().config.terms.mode.asVeto.window.toNumber(), maxVeto);
  // The AVS funds its rewards: 1 000 KSN, 10 per era.
  const funded = await ok(['avs', 'fund', set, 'KSN', '1000', '--per-era', '10'], '//Charlie');
  assert.equal(funded.eras, '100');
  assert.ok(funded.events.some((e) => e.event === 'avsRegistry.RewardsFunded'), JSON.stringify(funded.events));

  // Bob raises his commission; it applies after the chain's commission delay.
  const commissionDelay = api.consts.restaking.commissionChangeDelay.toNumber();
  assert.equal(commissionDelay, 10);
  const raised = await ok(['operator', 'set-commission', '6'], '//Bob');
  const pending = (await api.query.restaking.operators(bob.address)).unwrap().pendingCommission.unwrap();
  assert.equal(raised.effective_at, pending.effectiveAt.toNumber());
  assert.equal(pending.commission.toNumber(), 60_000_000);
  const tooHigh = await kasane(['operator', 'set-commission', '60'], { suri: '//Bob' });
  assert.equal(tooHigh.code, 2);
  assert.match(tooHigh.stderr, /commission 60% is over the chain's maximum of 50%/);
  const meanwhile = await kasane(['operator', 'set-commission', '7'], { suri: '//Bob' });
  assert.equal(meanwhile.code, 2);
  assert.match(meanwhile.stderr, /a change to 6% is pending until block #\d+ \(in \d+ (s|min)/);

  const joined = await ok(['operator', 'join', set, '--avs-key', '//Bob//avs'], '//Bob');
  const member = (await api.query.avsRegistry.members(setId, bob.address)).unwrap();
  assert.equal(member.key.asSr25519.toHex(), joined.key);

  const deposited = await ok(['restake', 'deposit', 'wstETH', '5'], '//Dave');
  assert.equal(deposited.amount, (5n * E).toString());
  assert.ok(deposited.events.some((e) => e.event === 'restaking.Deposited'));
  await ok(['restake', 'delegate', bob.address], '//Dave');

  const allocated = await ok(['operator', 'allocate', set, 'wstETH', '50'], '//Bob');
  const allocation = (await api.query.restaking.allocations(bob.address, setId, WSTETH_STRATEGY)).unwrap();
  assert.equal(allocated.effective_at, allocation.pending.unwrap().effectiveAt.toNumber());
  // The dev chain's allocation delay is minutes (a genesis parameter): wait for it, no sudo.
  const allocationDelay = api.consts.restaking.allocationDelay.toNumber();
  assert.equal(allocationDelay, 50);
  assert.ok(allocated.effective_at <= (await api.rpc.chain.getHeader()).number.toNumber() + allocationDelay);
  await untilBlock(allocated.effective_at, 'the allocation delay');

  const info = await ok(['operator', 'info', bob.address]);
  const wsteth = info.strategies.find((s) => s.strategy === WSTETH_STRATEGY);
  assert.equal(wsteth.delegated, (5n * E).toString());
  assert.equal(info.allocations[0].magnitude, (E / 2n).toString());

  // The AVS asks for 10 % of Bob's allocation: 10 % × 50 % of Dave's 5 wstETH.
  const requested = await ok(['avs', 'slash', 'request', bob.address, set, '10', '--reason', 'ipfs://evidence'], '//Charlie');
  const exposure = await ok(['restake', 'position', dave.address]);
  assert.equal(exposure.exposure.length, 1);
  assert.equal(exposure.exposure[0].slash, requested.id);
  assert.equal(exposure.exposure[0].cost, (E / 4n).toString());

  await untilBlock(requested.executes_at, 'the veto window');
  // The slash may already have executed by itself at its block; executing it again is refused.
  const record = async () => (await api.call.slashingApi.slash(requested.id)).unwrap();
  if ((await record()).status.toString() === 'Pending') await ok(['avs', 'slash', 'execute', requested.id], '//Ferdie');
    assert.equal((await record()).status.toString(), 'Executed');
  // Executing it (again) by CLI reaches the chain and is refused by name.
  const again = await kasane(['avs', 'slash', 'execute', requested.id, '--wait', 'in-block'], { suri: '//Ferdie' });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /slashing\.NotPending/);
  const slashes = await ok(['avs', 'slash', 'list', set]);
  assert.equal(slashes.slashes[0].id, requested.id);
  assert.equal(slashes.slashes[0].status, 'Executed');

  // A second request is vetoed by the veto council (root: the sudo key on --dev) in its window.
  // Vetoed first, well inside its one-minute window; then a signer without the sudo key is refused.
  const second = await ok(['avs', 'slash', 'request', bob.address, set, '5', '--reason', 'ipfs://disputed'], '//Charlie');
  await ok(['avs', 'slash', 'veto', second.id], '//Alice');
  assert.equal((await api.call.slashingApi.slash(second.id)).unwrap().status.toString(), 'Vetoed');
  const notRoot = await kasane(['avs', 'slash', 'veto', second.id, '--wait', 'in-block'], { suri: '//Ferdie' });
  assert.equal(notRoot.code, 1);
  assert.match(notRoot.stderr, /sudo\.RequireSudo/);
  // Sudo itself succeeds when the call it wraps fails: the CLI reports the inner error.
  const twice = await kasane(['avs', 'slash', 'veto', second.id, '--wait', 'in-block'], { suri: '//Alice' });
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /slashing\.NotPending/);

  const position = await ok(['restake', 'position', dave.address]);
  const view = await api.call.restakingApi.staker(dave.address);
  const onChain = view.positions.find((p) => p.strategy.toNumber() === WSTETH_STRATEGY);
  const mine = position.positions.find((p) => p.strategy === WSTETH_STRATEGY);
  assert.equal(mine.value, onChain.withdrawable.toString());
  assert.equal(BigInt(mine.value), 5n * E - E / 4n, 'the slash took 0.25 wstETH');
  assert.equal(position.delegated_to, bob.address);

  const queued = await ok(['restake', 'withdraw', 'queue', 'wstETH', '1'], '//Dave');
  const listed = await ok(['restake', 'withdraw', 'list', dave.address]);
  assert.equal(listed.withdrawals.length, 1);
  const withdrawal = listed.withdrawals[0];
  assert.equal(withdrawal.id, queued.id);
  assert.equal(BigInt(withdrawal.value), E);
  const queuedOnChain = (await api.call.restakingApi.staker(dave.address)).withdrawals[0];
  assert.equal(withdrawal.withdrawable_at, queuedOnChain.withdrawableAt.toNumber());
  assert.ok(withdrawal.blocks_left > 0, 'the withdrawal waits for its delay');
  const human = await kasane(['restake', 'withdraw', 'list', dave.address]);
  assert.match(human.stdout, /^ID\s+VALUE\s+COMPLETES\s+SLASHABLE BY$/m);
  assert.match(human.stdout, /1 wstETH\s+in (\d+ min( \d+ s)?|\d+ s)\s/);
  // Only Dave completes his own (a plain withdrawal pays its owner): refused before signing.
  const notMine = await kasane(['restake', 'withdraw', 'complete', queued.id, '--staker', dave.address], { suri: '//Ferdie' });
  assert.equal(notMine.code, 2);
  assert.match(notMine.stderr, /pays out to its owner, who completes it; --staker lands redelegations only/);
  // Completing it early is refused by the chain, by name.
  const early = await kasane(['restake', 'withdraw', 'complete', queued.id, '--wait', 'in-block'], { suri: '//Dave' });
    assert.equal(early.code, 1);
  assert.match(early.stderr, /restaking\.WithdrawalNotReady/);

  // Two minutes later (the dev chain's withdrawal delay) it completes, no sudo involved.
  await untilBlock(withdrawal.withdrawable_at, 'the withdrawal delay');
  const before = (await api.query.assets.account(1, dave.address)).unwrap().balance.toBigInt();
  const completed = await ok(['restake', 'withdraw', 'complete', queued.id], '//Dave');
  assert.ok(completed.events.some((e) => e.event === 'restaking.WithdrawalCompleted'), JSON.stringify(completed.events));
  const after = (await api.query.assets.account(1, dave.address)).unwrap().balance.toBigInt();
  assert.equal(after - before, E, 'the queued wstETH is back in Dave\'s account');
  assert.equal((await ok(['restake', 'withdraw', 'list', dave.address])).withdrawals.length, 0);
});

test('the market lists the story’s operator set with the stake the security view reports', async () => {
  const { sets } = await ok(['avs', 'market', '--limit', '50']);
  const listed = sets.find((s) => s.members === 1 && s.veto_window === 10);
  assert.ok(listed, `the story's set is listed: ${JSON.stringify(sets)}`);
  const [avs, index] = listed.set.split('/').map(Number);
  const security = (await api.call.avsApi.security({ avs, index })).unwrap();
  assert.equal(listed.allocated_lst_eth, security.lstEth.toString());
  assert.ok(BigInt(listed.allocated_lst_eth) > 0n);
  const human = await kasane(['avs', 'market']);
  assert.match(human.stdout, /^SET\s+MEMBERS\s+ALLOCATED\s+REWARDS\s+VETO WINDOW\s+TO CONTROL 1\/3$/m);
});

test('an operator’s lifecycle by CLI: approvals gate delegation, its profile changes, it deregisters', async () => {
  const ferdie = pair('//Ferdie');
  const eve = pair('//Eve');
  const record = async () => (await api.query.restaking.operators(ferdie.address)).unwrapOr(null);
  await ok(['operator', 'register', '--commission', '5', '--approval-required'], '//Ferdie');
  assert.equal((await record()).approvalRequired.isTrue, true);
  // Not approved yet: the chain refuses the delegation by name.
  const refused = await kasane(['restake', 'delegate', ferdie.address, '--wait', 'in-block'], { suri: '//Eve' });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /restaking\.DelegationNotApproved/);

  const approved = await ok(['operator', 'approve', eve.address], '//Ferdie');
  assert.equal(approved.approved, true);
  assert.ok(approved.events.some((e) => e.event === 'restaking.DelegationApprovalSet'), JSON.stringify(approved.events));
  assert.equal((await api.query.restaking.delegationApprovals(ferdie.address, eve.address)).isSome, true);
  const twice = await kasane(['operator', 'approve', eve.address], { suri: '//Ferdie' });
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /is already approved/);
  const info = await ok(['operator', 'info', ferdie.address]);
  assert.deepEqual([info.approval_required, info.approvals], [true, 1]);
  assert.match((await kasane(['operator', 'info', ferdie.address])).stdout, /approved stakers only \(1 approved\)/);
  await ok(['restake', 'delegate', ferdie.address], '//Eve');

  // Withdrawing the approval keeps the delegation made; the deposit comes back.
  const heldBefore = (await api.query.system.account(ferdie.address)).data.reserved.toBigInt();
  await ok(['operator', 'revoke', eve.address], '//Ferdie');
  assert.equal((await api.query.restaking.delegationApprovals(ferdie.address, eve.address)).isNone, true);
  const heldAfter = (await api.query.system.account(ferdie.address)).data.reserved.toBigInt();
  assert.equal(heldBefore - heldAfter, api.consts.restaking.approvalDeposit.toBigInt());
  const notApproved = await kasane(['operator', 'revoke', eve.address], { suri: '//Ferdie' });
  assert.equal(notApproved.code, 2);
  assert.match(notApproved.stderr, /is not approved/);

  const nothing = await kasane(['operator', 'update'], { suri: '//Ferdie' });
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /nothing to change/);
  await ok(['operator', 'update', '--metadata', 'https://ferdie.example', '--approval-required', 'false'], '//Ferdie');
  const updated = await record();
  assert.deepEqual([updated.metadata.toUtf8(), updated.approvalRequired.isTrue], ['https://ferdie.example', false]);

  // The story's operator holds Dave's stake and allocates it: refused before signing, with why.
  const busy = await kasane(['operator', 'deregister'], { suri: '//Bob' });
  assert.equal(busy.code, 2, busy.stderr);
  assert.match(busy.stderr, /[\d.,]+ wstETH is delegated to it/);
  assert.match(busy.stderr, new RegExp(`it allocates wstETH to set ${storySet}`));

  // Ferdie holds nothing (Eve's delegation carries no deposit): his deposits come back.
  const free = (await api.query.system.account(ferdie.address)).data.free.toBigInt();
  const left = await ok(['operator', 'deregister'], '//Ferdie');
  assert.ok(left.events.some((e) => e.event === 'restaking.OperatorDeregistered'), JSON.stringify(left.events));
  assert.equal(await record(), null);
  assert.ok((await api.query.system.account(ferdie.address)).data.free.toBigInt() > free, 'the operator deposit is back');
  const gone = await kasane(['operator', 'deregister'], { suri: '//Ferdie' });
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /not a registered operator/);

  // Eve, still delegated to the operator that left, deposits (it waits inert in his book)
  // and leaves him: her position comes back undelegated after the withdrawal delay.
  await ok(['restake', 'deposit', 'wstETH', '1'], '//Eve');
  const undelegated = await ok(['restake', 'undelegate'], '//Eve');
  assert.equal(undelegated.operator, ferdie.address);
  assert.equal(undelegated.withdrawals.length, 1);
  const view = await api.call.restakingApi.staker(eve.address);
  assert.equal(view.delegatedTo.isNone, true);
  assert.equal(view.withdrawals[0].redeposit.isTrue, true);
  assert.equal(view.withdrawals[0].value.toBigInt(), E);
  const notDelegated = await kasane(['restake', 'undelegate'], { suri: '//Eve' });
  assert.equal(notDelegated.code, 2);
  assert.match(notDelegated.stderr, /not delegated to anyone/);
});

test('an AVS’s upkeep by CLI: metadata, terms, allowlist, eject, rewards, ownership, deregistration', async () => {
  const bob = pair('//Bob');
  const dave = pair('//Dave');
  const { avs } = await ok(['avs', 'register', 'https://keeper.example/v1.json'], '//Charlie');
  const record = async () => (await api.query.avsRegistry.avsRecords(avs)).unwrapOr(null);
  await ok(['avs', 'update', String(avs), 'https://keeper.example/v2.json'], '//Charlie');
  assert.equal((await record()).metadataUri.toUtf8(), 'https://keeper.example/v2.json');
  // Only the owner: anyone else is refused before signing.
  const notOwner = await kasane(['avs', 'update', String(avs), 'https://evil.example'], { suri: '//Dave' });
  assert.equal(notOwner.code, 2);
  assert.match(notOwner.stderr, new RegExp(`AVS ${avs} is owned by ${pair('//Charlie').address}, not by the signer`));

  const { set } = await ok(['avs', 'create-set', String(avs), '--asset', 'wstETH', '--veto-window', '5', '--allowlist'], '//Charlie');
  const setId = { avs, index: Number(set.split('/')[1]) };
  const operatorSet = async () => (await api.query.avsRegistry.operatorSets(setId)).unwrap();

  // Terms: only what is given changes, after the chain's terms delay.
  const nothing = await kasane(['avs', 'set-terms', set], { suri: '//Charlie' });
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /nothing to change/);
  const scheduled = await ok(['avs', 'set-terms', set, '--max-slash-per-epoch', '10'], '//Charlie');
  assert.deepEqual([scheduled.veto_window, scheduled.max_slash_per_epoch, scheduled.equivocation_penalty], [5, '10%', '10%']);
  const [pending, at] = (await operatorSet()).pendingTerms.unwrap();
  assert.equal(scheduled.effective_at, at.toNumber());
  assert.equal(pending.maxSlashPerEpoch.toBigInt(), E / 10n);
  assert.equal(pending.mode.asVeto.window.toNumber(), 5, 'the veto window is kept');
  assert.equal((await operatorSet()).config.terms.maxSlashPerEpoch.toBigInt(), E / 5n, 'in force until then');

  // Allowlist: Bob may join once listed; taking him off the list does not end his membership.
  const refused = await kasane(['operator', 'join', set, '--avs-key', '//Bob//keeper', '--wait', 'in-block'], { suri: '//Bob' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /avsRegistry\.NotAllowlisted/);
  await ok(['avs', 'allowlist', set, bob.address], '//Charlie');
  assert.equal((await api.query.avsRegistry.allowlist(setId, bob.address)).isSome, true);
  await ok(['operator', 'join', set, '--avs-key', '//Bob//keeper'], '//Bob');
  await ok(['avs', 'allowlist', set, bob.address, '--remove'], '//Charlie');
  assert.equal((await api.query.avsRegistry.allowlist(setId, bob.address)).isNone, true);
  assert.equal((await api.query.avsRegistry.members(setId, bob.address)).isSome, true);
  // Ejected: Bob stays slashable for the deallocation delay, so neither his record nor the AVS can go yet.
  await ok(['avs', 'eject', set, bob.address], '//Charlie');
  assert.equal((await api.query.avsRegistry.members(setId, bob.address)).unwrap().slashableUntil.isSome, true);
  const early = await kasane(['operator', 'purge', set, bob.address], { suri: '//Ferdie' });
  assert.equal(early.code, 2);
  assert.match(early.stderr, new RegExp(`set ${set} can slash it until block #\\d+ \\(in `));

  // Rewards funded, then cancelled: the unpaid budget comes back.
  await ok(['avs', 'fund', set, 'KSN', '100', '--per-era', '10'], '//Charlie');
  const cancelled = await ok(['avs', 'cancel-rewards', set, 'KSN'], '//Charlie');
  assert.ok(cancelled.events.some((e) => e.event === 'avsRegistry.BudgetCancelled'), JSON.stringify(cancelled.events));
  assert.equal((await operatorSet()).budgets.toNumber(), 0);

  // Ownership in two steps; the new owner holds the deposit from then on.
  const proposed = await ok(['avs', 'transfer', String(avs), dave.address], '//Charlie');
  assert.equal(proposed.proposed_owner, dave.address);
  assert.equal((await record()).owner.toString(), pair('//Charlie').address);
  await ok(['avs', 'accept', String(avs)], '//Dave');
  assert.equal((await record()).owner.toString(), dave.address);
  const charlieNow = await kasane(['avs', 'deregister', String(avs)], { suri: '//Charlie' });
  assert.equal(charlieNow.code, 2, 'the previous owner no longer owns it');
  assert.match(charlieNow.stderr, new RegExp(`AVS ${avs} is owned by ${dave.address}, not by the signer`));
  const busy = await kasane(['avs', 'deregister', String(avs), '--wait', 'in-block'], { suri: '//Dave' });
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /avsRegistry\.SetsStillSlashable/);

  // An AVS whose sets can slash nobody goes at once, its deposit back.
  const { avs: spare } = await ok(['avs', 'register', 'https://spare.example'], '//Charlie');
  const gone = await ok(['avs', 'deregister', String(spare)], '//Charlie');
  assert.ok(gone.events.some((e) => e.event === 'avsRegistry.AvsDeregistered'), JSON.stringify(gone.events));
  assert.equal((await api.query.avsRegistry.avsRecords(spare)).isNone, true);
});

test('native staking by CLI: delegate to the validator, unbond, read it back', async () => {
  const eve = pair('//Eve');
  await ok(['stake', 'delegate', alice.address, '100'], '//Eve');
  await ok(['stake', 'unbond', '40'], '//Eve');
  const info = await ok(['stake', 'info', eve.address]);
  const ledger = (await api.query.staking.ledgers(eve.address)).unwrap();
  const pool = (await api.query.staking.pools(alice.address)).unwrap();
  assert.equal(info.pool, alice.address);
  assert.equal(info.shares, ledger.shares.toString());
  assert.equal(BigInt(info.active), (ledger.shares.toBigInt() * pool.active.toBigInt()) / pool.shares.toBigInt());
  const UNIT = 10n ** 12n;
  assert.ok(BigInt(info.active) >= 60n * UNIT - 1n && BigInt(info.active) <= 60n * UNIT);
  assert.equal(info.unbonding.length, 1);
  assert.equal(info.unbonding[0].unlock_era, ledger.unbonding[0].era.toNumber());
  assert.ok(BigInt(info.unbonding[0].value) >= 40n * UNIT - 1n);
  // --dev's genesis unbonds in 2 two-minute eras: Eve is out before an allocation her
  // validator announces now (5 minutes) applies.
  // (An era may have ended between the unbond and the read.)
  assert.equal((await api.query.staking.bondingEras()).toNumber(), 2);
  assert.ok([1, 2].includes(info.unbonding[0].unlock_era - info.era), JSON.stringify(info));
  const left = info.unbonding[0].unlocks_in_blocks;
  assert.ok(left > 0 && left <= 40, `unlocks within two 20-block eras, not ${left} blocks`);

  // A delegator cannot turn validator from the same account: refused before any key is made.
  const delegator = await kasane(['validator', 'join', '--bond', '20000'], { suri: '//Eve' });
  assert.equal(delegator.code, 2);
  assert.match(delegator.stderr, /this account delegates to .+'s pool: unbond from it first/);
  const shown = await ok(['stake', 'pool', alice.address]);
  const now = (await api.query.staking.pools(alice.address)).unwrap();
  assert.equal(shown.stake, now.active.toString());
  assert.equal(shown.members, now.members.toNumber());
  assert.ok(shown.members >= 2, 'Alice and Eve');
  assert.equal(shown.commission, '5%');
  assert.equal(shown.active, true);
  const none = await kasane(['stake', 'pool', eve.address]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /has no pool: it never bonded as a validator/);
});

test('native staking by CLI: rebond, add, compound rewards, move to another validator, leave', async () => {
  const eve = pair('//Eve');
  const UNIT = 10n ** 12n;
  const ledgerOf = async (who) => (await api.query.staking.ledgers(who)).unwrap();
  const activeOf = async (who) => {
    const ledger = await ledgerOf(who);
    const pool = (await api.query.staking.pools(ledger.pool)).unwrap();
    return (ledger.shares.toBigInt() * pool.active.toBigInt()) / pool.shares.toBigInt();
  };
  // Eve delegates ≈ 60 to Alice (the test before): she unbonds 20 (unlocking 2 eras on, ≥ 21
  // blocks away) and stops unbonding 15 of it.
  await ok(['stake', 'unbond', '20'], '//Eve');
  const before = await activeOf(eve.address);
  const rebonded = await ok(['stake', 'rebond', '15'], '//Eve');
  const event = rebonded.events.find((e) => e.event === 'staking.Rebonded');
  assert.ok(event, JSON.stringify(rebonded.events));
  assert.equal(BigInt(event.fields.amount), 15n * UNIT);
  assert.ok((await activeOf(eve.address)) >= before + 15n * UNIT - 1n);

  // Adding to a delegation is a `bond_extra` in the same pool; bonding as her own pool is
  // refused before signing, with the command that adds.
  const nonce = (await api.rpc.system.accountNextIndex(eve.address)).toNumber();
  const own = await kasane(['stake', 'bond', '5'], { suri: '//Eve' });
  assert.equal(own.code, 2);
  assert.match(own.stderr, new RegExp(`this account delegates to ${alice.address}'s pool: add with \`kasane stake delegate ${alice.address} <amount>\``));
  assert.equal((await api.rpc.system.accountNextIndex(eve.address)).toNumber(), nonce, 'nothing was submitted');
  const added = await ok(['stake', 'delegate', alice.address, '10'], '//Eve');
  assert.ok(added.events.some((e) => e.event === 'staking.Bonded'), JSON.stringify(added.events));
  assert.ok((await activeOf(eve.address)) >= before + 25n * UNIT - 2n);

  await ok(['stake', 'reward-destination', 'stake'], '//Eve');
  assert.equal((await ledgerOf(eve.address)).rewardDestination.toString(), 'Stake');
  const info = await ok(['stake', 'info', eve.address]);
  assert.equal(info.reward_destination, 'stake');
  // Rebondable: what still unbonds from the current pool, not unlocked yet (at least the 5
  // left of the fresh 20; the older 40 too unless it unlocked meanwhile).
  const ledgerNow = await ledgerOf(eve.address);
  const era = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  let unbonding = 0n;
  for (const chunk of ledgerNow.unbonding) {
    if (chunk.pool.toString() !== alice.address || chunk.era.toNumber() <= era) continue;
    const up = (await api.query.staking.unbondPools(chunk.pool, chunk.era)).unwrap();
    unbonding += (chunk.shares.toBigInt() * up.stake.toBigInt()) / up.shares.toBigInt();
  }
  assert.equal(info.era, era, 'no era ended between the two reads');
  assert.equal(BigInt(info.rebondable), unbonding);
  assert.ok(unbonding >= 5n * UNIT - 1n, JSON.stringify(info));
  assert.ok(info.unbonding.every((c) => c.pool === alice.address), JSON.stringify(info));
  assert.deepEqual(info.answerable_for, []);

  // A second candidate: Charlie's stash bonds its own pool by CLI and validates (no session
  // keys, so never elected: the stake only moves).
  const candidate = pair('//Charlie//stash');
  await ok(['stake', 'bond', '10000'], '//Charlie//stash');
  await submit(api, api.tx.staking.validate(30_000_000), candidate);
  const notCandidate = await kasane(['stake', 'redelegate', pair('//Ferdie').address], { suri: '//Eve' });
  assert.equal(notCandidate.code, 2);
  assert.match(notCandidate.stderr, /is not a validator candidate: stake can only move to one/);
  const same = await kasane(['stake', 'redelegate', alice.address], { suri: '//Eve' });
  assert.equal(same.code, 2);
  assert.match(same.stderr, /this account already delegates to/);
  const ownPool = await kasane(['stake', 'undelegate'], { suri: '//Charlie//stash' });
  assert.equal(ownPool.code, 2);
  assert.match(ownPool.stderr, /its own validator pool, it delegates to no one/);

  const movedValue = await activeOf(eve.address);
  const moved = await ok(['stake', 'redelegate', candidate.address], '//Eve');
  assert.equal(moved.from, alice.address);
  assert.ok(moved.events.some((e) => e.event === 'staking.Redelegated'), JSON.stringify(moved.events));
  const ledger = await ledgerOf(eve.address);
  assert.equal(ledger.pool.toString(), candidate.address);
  assert.equal(ledger.redelegations.length, 1);
  const after = await ok(['stake', 'info', eve.address]);
  assert.equal(after.pool, candidate.address);
  assert.equal(after.answerable_for.length, 1);
  assert.equal(after.answerable_for[0].validator, alice.address);
  assert.equal(after.answerable_for[0].until_era, ledger.redelegations[0].era.toNumber());
  assert.equal(after.answerable_for[0].held_by_slash, false);
  assert.equal(BigInt(after.answerable_for[0].value), movedValue);
  // What unbonds from Alice's pool, not unlocked yet, is no longer rebondable: it is
  // withdrawn when it unlocks.
  assert.ok(after.unbonding.some((c) => c.pool === alice.address && c.unlock_era > after.era), JSON.stringify(after));
  assert.equal(after.rebondable, '0');
  const none = await kasane(['stake', 'rebond', '1'], { suri: '//Eve' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, new RegExp(`nothing to rebond: no stake is unbonding from ${candidate.address}'s pool`));

  const left = await ok(['stake', 'undelegate'], '//Eve');
  assert.equal(left.validator, candidate.address);
  assert.ok(left.events.some((e) => e.event === 'staking.Unbonded'), JSON.stringify(left.events));
  const gone = await ok(['stake', 'info', eve.address]);
  assert.equal(gone.active, '0');
  assert.ok(gone.unbonding.some((c) => c.pool === candidate.address && BigInt(c.value) >= movedValue - 1n), JSON.stringify(gone));
  // Nothing delegated any more: moving or leaving again, or delegating elsewhere, is refused
  // before signing with what to do instead.
  const again = await kasane(['stake', 'redelegate', alice.address], { suri: '//Eve' });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /nothing is delegated any more: withdraw what unbonds once it unlocks/);
  const elsewhere = await kasane(['stake', 'delegate', alice.address, '10'], { suri: '//Eve' });
  assert.equal(elsewhere.code, 2);
  assert.match(elsewhere.stderr, /pool is unbonding: withdraw it once it unlocks \(`kasane stake withdraw`\)/);
});

test('watch follows a transfer by account, as NDJSON', async () => {
  const ferdie = pair('//Ferdie');
  const env = { ...process.env, KASANE_URL: node.rpcUrl };
  const watcher = spawn(KASANE_CLI, ['watch', '--pallet', 'balances', '--account', ferdie.address, '--blocks', '8', '--json'], { env });
  let out = '';
  let err = '';
  watcher.stdout.on('data', (d) => { out += d; });
  watcher.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => watcher.on('exit', resolve));
  // It says on stderr once it follows blocks: the transfer must come after that.
  await until(async () => /following best blocks from #\d+/.test(err), 60_000, () => `watch to start: ${err}`);
  const sent = await ok(['account', 'transfer', ferdie.address, '1.5'], '//Eve');
  assert.equal(sent.amount, (15n * 10n ** 11n).toString());
  assert.equal(await exited, 0);
  const events = out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const transfer = events.find((e) => e.event === 'balances.Transfer');
  assert.ok(transfer, `a Transfer was seen: ${out} ${err}`);
  assert.equal(transfer.fields.to, ferdie.address);
  assert.equal(transfer.fields.amount, (15n * 10n ** 11n).toString());
    assert.ok(events.every((e) => e.event.startsWith('balances.')));
  assert.ok(events.every((e) => JSON.stringify(e.fields).includes(ferdie.address)), 'only events naming Ferdie');
  const balance = await ok(['account', 'balance', ferdie.address]);
  assert.equal(balance.free, (await api.query.system.account(ferdie.address)).data.free.toString());
});

test('a slash due in a pool holds what unlocked there, and what unlocks backs stake moved from it: the CLI shows both and refuses to withdraw before signing', async () => {
  const eve = pair('//Eve');
  const charlieStash = pair('//Charlie//stash');
  // Eve unbonded from Alice's pool, moved the rest to Charlie's stash's (answerable to Alice
  // until an era two on) and left that (the tests above). Once the obligation has matured,
  // her chunks of Alice's pool, unbonded before it, have unlocked.
  let info;
  await until(async () => {
    info = await ok(['stake', 'info', eve.address]);
    return info.answerable_for.length === 1 && info.answerable_for[0].until_era <= info.era;
  }, 480_000, 'Eve\'s obligation to Alice\'s pool to mature', 3_000);
  const unlocked = (view) => view.unbonding.filter((c) => c.unlock_era <= view.era);
  const sum = (chunks) => chunks.reduce((total, c) => total + BigInt(c.value), 0n);
  assert.ok(unlocked(info).some((c) => c.pool === alice.address), JSON.stringify(info));
  assert.equal(BigInt(info.withdrawable), sum(unlocked(info)));
  assert.ok(info.unbonding.every((c) => !c.held_by_slash) && !info.answerable_for[0].held_by_slash, JSON.stringify(info));
  // Root marks a slash of a pool due, as an era's start does until a block's page applies it:
  // the count the pallet's freeze reads.
  const dueKey = (p) => api.query.staking.slashesDue.key(p.address);
  const markDue = (pools) => sudo(api, api.tx.system.setStorage(pools.map((p) => [dueKey(p), api.createType('u32', 1).toHex()])), alice);
  try {
    // Charlie's stash's pool: only its own unlocked chunks stay.
    await markDue([charlieStash]);
    const one = await ok(['stake', 'info', eve.address]);
    for (const c of one.unbonding) {
      assert.equal(c.held_by_slash, c.unlock_era <= one.era && c.pool === charlieStash.address, JSON.stringify(one));
    }
    assert.equal(BigInt(one.withdrawable), sum(unlocked(one).filter((c) => c.pool !== charlieStash.address)));
    assert.ok(BigInt(one.withdrawable) > 0n);
    assert.equal(one.answerable_for[0].held_by_slash, false);

    // Alice's pool too: the matured obligation to it is kept, and every unlocked chunk backs it.
    await markDue([charlieStash, alice]);
    const both = await ok(['stake', 'info', eve.address]);
    assert.equal(both.withdrawable, '0');
    assert.equal(both.answerable_for[0].held_by_slash, true);
    assert.ok(unlocked(both).every((c) => c.held_by_slash), JSON.stringify(both));
    const text = await kasane(['stake', 'info', eve.address]);
    assert.match(text.stdout, /held: it backs stake moved from a validator a slash holds/);
    assert.match(text.stdout, /its due or pending slash is applied or decided/);
    const before = await nonce(eve);
    const refused = await kasane(['stake', 'withdraw'], { suri: '//Eve' });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /what unlocks backs stake this account moved from a validator whose slash is due or waits for a decision/);
    assert.equal(await nonce(eve), before, 'nothing was submitted');
    // The chain refuses it too, by name.
    await assert.rejects(submit(api, api.tx.staking.withdrawUnbonded(), eve), /staking\.SlashPending/);
  } finally {
    await sudo(api, api.tx.system.killStorage([alice, charlieStash].map(dueKey)), alice);
  }
  // Cleared, as the page applying the slashes would: the obligation is dropped on settling and
  // what unlocked is withdrawn.
  const free = await ok(['stake', 'info', eve.address]);
  assert.ok(unlocked(free).every((c) => !c.held_by_slash), JSON.stringify(free));
  assert.equal(BigInt(free.withdrawable), sum(unlocked(free)));
  const withdrawn = await ok(['stake', 'withdraw'], '//Eve');
  const event = withdrawn.events.find((e) => e.event === 'staking.Withdrawn');
  assert.ok(event, JSON.stringify(withdrawn.events));
  assert.ok(BigInt(event.fields.amount) >= BigInt(free.withdrawable), `${event.fields.amount} withdrawn of ${free.withdrawable}`);
});

// Last: once the validator below is in the active set, this single node holds both GRANDPA
// keys but votes with one, so finality stops; nothing after this test needs it.
test('at an era\'s end: the set\'s rewards are claimed, and a joining validator is elected', async () => {
  const dave = pair('//Dave');
  // The node makes the session keys with their proof, one batch bonds, validates and sets
  // them, and the command follows the elections until one includes it (an era is 2 minutes
  // on --dev): meanwhile the story's operator set pays its rewards at the same era's end.
  const validator = pair('//Dave//stash');
  const joining = kasane(['validator', 'join', '--bond', '20000', '--commission', '3', '--json', '--wait', 'in-block'], { suri: '//Dave//stash', timeout: 600_000 });

  // The story's set pays KSN rewards to Dave's allocated wstETH at an era's end.
  const rewards = await until(async () => {
    const listed = await ok(['restake', 'rewards', dave.address]);
    return listed.rewards.length > 0 ? listed.rewards : null;
  }, 300_000, 'an era payout of the set', 5_000);
  assert.equal(rewards[0].asset, 'KSN');
  assert.equal(rewards[0].strategy, WSTETH_STRATEGY);
  const claimable = await api.call.restakingApi.claimableRewards(dave.address, WSTETH_STRATEGY);
  assert.ok(BigInt(rewards[0].amount) <= claimable[0][1].toBigInt(), "rewards only grow");
  const claimed = await ok(['restake', 'rewards', '--claim'], '//Dave');
  const paid = claimed.events.filter((e) => e.event === 'restaking.RewardsClaimed');
  assert.equal(paid.length, 1, JSON.stringify(claimed.events));
  assert.ok(BigInt(paid[0].fields.amount) >= BigInt(rewards[0].amount));
  const nothing = await kasane(['restake', 'rewards', '--claim'], { suri: '//Dave' });
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /you have no rewards to claim/);

  const validated = await joining;
  assert.equal(validated.code, 0, validated.stderr);
  assert.ok(validated.json.elected_for_era > 0, JSON.stringify(validated.json));
  assert.ok(validated.json.events.some((e) => e.event === 'utility.BatchCompleted'), JSON.stringify(validated.json.events));
  assert.equal((await api.query.session.nextKeys(validator.address)).unwrap().toHex(), validated.json.session_keys);
  const elected = await ok(['validator', 'status', validator.address]);
  assert.ok(elected.candidate && (elected.planned || elected.active), JSON.stringify(elected));
  assert.equal(elected.self_bond, (20_000n * 10n ** 12n).toString());
  await ok(['validator', 'leave'], '//Dave//stash');
  const left = await ok(['validator', 'status', validator.address]);
  assert.equal(left.candidate, false);
  assert.ok((await api.query.staking.validators(validator.address)).isNone);

  // Bob's AVS key signed two prices for one round: anyone reports it from the two messages.
  const bob = pair('//Bob');
  const a = signedMessage(api, '//Bob//avs', storySetId, 7, 'ETH/USD=3000');
  const b = signedMessage(api, '//Bob//avs', storySetId, 7, 'ETH/USD=9000');
  const forged = signedMessage(api, '//Mallory', storySetId, 7, 'ETH/USD=9000');
  const report = (x, y) => ['avs', 'report-equivocation', bob.address, storySet, '--round', '7',
    '--payload-a', x.message.payloadHash, '--signature-a', x.signature.Sr25519,
    '--payload-b', y.message.payloadHash, '--signature-b', y.signature.Sr25519];
  const nonceBefore = (await api.query.system.account(pair('//Ferdie').address)).nonce.toNumber();
  const same = await kasane(report(a, a), { suri: '//Ferdie' });
  assert.equal(same.code, 2);
  assert.match(same.stderr, /the two payloads are the same/);
  const bad = await kasane(report(a, forged), { suri: '//Ferdie' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /signature B is not the operator's key's signature of message B/);
  assert.equal((await api.query.system.account(pair('//Ferdie').address)).nonce.toNumber(), nonceBefore, 'nothing was submitted');
  const reported = await ok(report(a, b), '//Ferdie');
  const proven = (await api.call.slashingApi.slash(reported.slash)).unwrap();
  assert.equal(proven.operator.toString(), bob.address);
  assert.equal(proven.status.toString(), 'Executed');
  assert.equal(proven.source.asEquivocation.round.toNumber(), 7);
});

test('a vault deposit by CLI: where it stands, why it waits, refused unsigned while it cannot mint, minted by retry', async () => {
  // Root points the bridge at a test vault whose attester keys this test holds (cap 1 000, 500
  // per 24 hours); Dave receives, Bob retries.
  const { attesters, unit: T, deposit, attest } = await configureTestBridge(api, alice, 100);
  const dave = pair('//Dave');
  const bob = pair('//Bob');
  const show = async (n) => {
    const run = await kasane(['bridge', 'deposit', String(n), '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json.status, (await api.call.lstBridgeApi.depositStatus(n)).type);
    return run.json;
  };
  /** `kasane bridge retry n` refused before signing with `message`. */
  const refused = async (n, message) => {
    const before = await nonce(bob);
    const run = await kasane(['bridge', 'retry', String(n)], { suri: '//Bob' });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, message);
    assert.equal(await nonce(bob), before, 'nothing signed');
  };

  const unknown = await show(1);
  assert.match(unknown.text, /^not attested yet/);
  assert.equal(unknown.mintable_now, false);
  await refused(1, /deposit 1 is not waiting to be minted: it is not on Kasane yet/);

  // Accepted while the bridge is paused: parked, and no retry until it resumes.
  await sudo(api, api.tx.lstBridge.pause(), alice);
  await attest(deposit(1, 2n * T, dave), attesters[0]);
  await attest(deposit(1, 2n * T, dave), attesters[1]);
  const parked = await show(1);
  assert.equal(parked.status, 'Parked');
  assert.match(parked.text, /the bridge is paused/);
  assert.equal(parked.amount, (2n * T).toString());
  assert.equal(parked.recipient, dave.address);
  assert.equal(parked.next, 'the bridge is paused: retry once its guardian or governance resumes it');
  await refused(1, /the bridge is paused: retry once its guardian or governance resumes it/);
  await sudo(api, api.tx.lstBridge.resume(), alice);
  const resumed = await show(1);
  assert.equal(resumed.status, 'Parked', 'resuming alone mints nothing (no relayer here)');
  assert.match(resumed.text, /accepted while the bridge was paused, which it no longer is/);
  assert.equal(resumed.mintable_now, true);
  assert.equal(resumed.next, 'mint it: kasane bridge retry 1');
  const human = await kasane(['bridge', 'deposit', '1']);
  assert.match(human.stdout, /next\s+mint it: kasane bridge retry 1/);

  const minted = await ok(['bridge', 'retry', '1'], '//Bob');
  assert.equal(minted.minted, (2n * T).toString());
  assert.equal(minted.recipient, dave.address);
  assert.ok(minted.events.some((e) => e.event === 'lstBridge.DepositMinted'), JSON.stringify(minted.events));
  assert.equal((await api.query.assets.account(100, dave.address)).unwrap().balance.toBigInt(), 2n * T);
  assert.match((await show(1)).text, /^minted on Kasane/);
  await refused(1, /deposit 1 is not waiting to be minted: it is minted already/);

  // Above the 24-hour limit: delayed a day, refused until then with the block it mints from.
  await attest(deposit(2, 600n * T, dave), attesters[0]);
  await attest(deposit(2, 600n * T, dave), attesters[2]);
  const delayed = await show(2);
  assert.equal(delayed.status, 'Delayed');
  const { until: from } = (await api.call.lstBridgeApi.depositStatus(2)).asDelayed;
  assert.equal(delayed.until, from.toNumber());
  assert.match(delayed.text, new RegExp(`mintable from block #${from} \\(in [^)]+\\) unless governance cancels it`));
  await refused(2, new RegExp(`its delay is not over: retry from block #${from}`));
});
