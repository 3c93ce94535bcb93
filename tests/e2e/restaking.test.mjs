// Restaking end to end against a real `kasane-node --dev`: a staker deposits a mirrored LST
// from the development genesis and delegates it to the genesis validator (an operator by being
// a validator), the validator joins an AVS's operator set and allocates the stake to it, and
// the `RestakingApi` runtime
// API — what wallets and AVS dashboards read — reports the position, the allocation and a
// queued withdrawal. Bad input gets the named module error and changes nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectModuleError, useDevNode } from './lib/api.mjs';
import { createAvsWithSet, joinSet } from './lib/avs.mjs';

const ETHER = 10n ** 18n;
const WAD = 10n ** 18n;
const WSTETH_STRATEGY = 1;
const NATIVE_STRATEGY = 0;

let api;
let alice;
let bob;
let submit;
let SET;

useDevNode((dev) => ({ api, alice, bob, tx: submit } = dev));

test('genesis mirrors LSTs and opens their strategies', async () => {
  const meta = await api.query.assets.metadata(1);
  assert.equal(meta.symbol.toUtf8(), 'wstETH');
  const strategy = (await api.query.restaking.strategies(WSTETH_STRATEGY)).unwrap();
  assert.equal(strategy.kind.toJSON().asset, 1);
  assert.equal((await api.query.restaking.nativeStrategy()).unwrap().toNumber(), NATIVE_STRATEGY);
});

test('deposit, delegate to the validator and allocate to an operator set', async () => {
  const before = (await api.query.assets.account(1, bob.address)).unwrap().balance.toBigInt();
  let events = await submit(api.tx.restaking.deposit(WSTETH_STRATEGY, 5n * ETHER), bob);
  assert.ok(events.some((e) => api.events.restaking.Deposited.is(e)), 'Deposited event');
  const after = (await api.query.assets.account(1, bob.address)).unwrap().balance.toBigInt();
  assert.equal(before - after, 5n * ETHER);

  events = await submit(api.tx.restaking.delegateTo(alice.address), bob);
  assert.ok(events.some((e) => api.events.restaking.Delegated.is(e)));
  // Alice is the genesis validator, so an operator already: the first delegation registers her.
  assert.ok(events.some((e) => api.events.restaking.OperatorRegistered.is(e) && e.data.native.isTrue));

  // Only a member of the set can allocate to it.
  SET = await createAvsWithSet(api, bob, [NATIVE_STRATEGY, WSTETH_STRATEGY]);
  await expectModuleError(submit(api.tx.restaking.modifyAllocation(SET, WSTETH_STRATEGY, WAD / 2n), alice), 'restaking.NotInOperatorSet');
  await joinSet(api, alice, SET, '//Alice//avs');

  events = await submit(api.tx.restaking.modifyAllocation(SET, WSTETH_STRATEGY, WAD / 2n), alice);
  const scheduled = events.find((e) => api.events.restaking.AllocationScheduled.is(e));
  assert.ok(scheduled, 'AllocationScheduled event');
  assert.equal(scheduled.data.to.toBigInt(), WAD / 2n);

  const staker = await api.call.restakingApi.staker(bob.address);
  assert.equal(staker.delegatedTo.unwrap().toString(), alice.address);
  assert.equal(staker.positions.length, 1);
  assert.equal(staker.positions[0].withdrawable.toBigInt(), 5n * ETHER);

  const operator = await api.call.restakingApi.operator(alice.address);
  assert.ok(operator.isOperator.isTrue);
  const lst = operator.strategies.find((s) => s.strategy.toNumber() === WSTETH_STRATEGY);
  assert.equal(lst.delegated.toBigInt(), 5n * ETHER);
  const native = operator.strategies.find((s) => s.strategy.toNumber() === NATIVE_STRATEGY);
  assert.ok(native.delegated.toBigInt() > 0n, 'the validator pool is its native stake');
  assert.equal(operator.allocations.length, 1);
  assert.ok(operator.allocations[0].pending.isSome, 'the increase waits for the allocation delay');
});

test('bad input gets a named error and changes nothing', async () => {
  await expectModuleError(submit(api.tx.restaking.deposit(NATIVE_STRATEGY, ETHER), bob), 'restaking.NativeStrategyDeposit');
  await expectModuleError(submit(api.tx.restaking.modifyAllocation(SET, WSTETH_STRATEGY, WAD + 1n), alice), 'restaking.MagnitudeOverOne');
  await expectModuleError(submit(api.tx.restaking.queueWithdrawal(WSTETH_STRATEGY, 6n * ETHER), bob), 'restaking.InsufficientShares');
  const staker = await api.call.restakingApi.staker(bob.address);
  assert.equal(staker.positions[0].depositShares.toBigInt(), 5n * ETHER);
});

test('a queued withdrawal is reported with its delay and stays counted as slashable', async () => {
  const events = await submit(api.tx.restaking.queueWithdrawal(WSTETH_STRATEGY, 2n * ETHER), bob);
  const queued = events.find((e) => api.events.restaking.WithdrawalQueued.is(e));
  assert.ok(queued);
  const staker = await api.call.restakingApi.staker(bob.address);
  assert.equal(staker.withdrawals.length, 1);
  assert.equal(staker.withdrawals[0].value.toBigInt(), 2n * ETHER);
  assert.equal(staker.positions[0].withdrawable.toBigInt(), 3n * ETHER);
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  // The dev chain's withdrawal delay, a genesis parameter: two minutes of blocks.
  const delay = api.consts.restaking.withdrawalDelay.toNumber();
  assert.equal(delay, 20);
  const at = staker.withdrawals[0].withdrawableAt.toNumber();
  assert.ok(at > now && at <= now + delay, `waits the withdrawal delay (completes at #${at}, now #${now})`);
  await expectModuleError(submit(api.tx.restaking.completeWithdrawal(staker.withdrawals[0].id), bob), 'restaking.WithdrawalNotReady');
  // Anyone may land someone's redeposit, never pay out their tokens.
  await expectModuleError(submit(api.tx.restaking.completeRedeposit(bob.address, staker.withdrawals[0].id), alice), 'restaking.NotWithdrawalOwner');
  await expectModuleError(submit(api.tx.restaking.completeRedeposit(bob.address, 1_000_000), alice), 'restaking.UnknownWithdrawal');
  const operator = await api.call.restakingApi.operator(alice.address);
  const lst = operator.strategies.find((s) => s.strategy.toNumber() === WSTETH_STRATEGY);
  assert.equal(lst.queued.toBigInt(), 2n * ETHER);
});
