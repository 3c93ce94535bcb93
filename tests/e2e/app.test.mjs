// The web app in headless Chromium against a live `kasane-node --dev`: a staker with a browser
// wallet (a test extension whose keys stay in this process: `page.exposeFunction`, the same
// signing path as polkadot.js or Talisman) connects, restakes wstETH to an operator in one
// batch, sees deposits paused and resumed, watches a pending slash's exposure count down,
// queues and completes a withdrawal and claims rewards; an AVS's owner registers it, creates
// an allowlisted operator set, allows an operator and funds its rewards, and the owner of an AVS
// handed over accepts it, requests a slash of a member and ejects it. Every figure on screen is checked
// against chain state read independently (@polkadot/api). Bad input shows a message and
// sends nothing. Every page passes axe-core without serious violations; screenshots go to
// artifacts/app/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { chromium } from 'playwright-core';

import { serveApp } from '../../app/serve.mjs';
import { useDevNode, until } from './lib/api.mjs';
import { avsKey, createAvsWithSet, joinSet, popPayload } from './lib/avs.mjs';
import { runKasane } from './lib/cli.mjs';
import { repoRoot, freePort } from './lib/devnode.mjs';
import { allocationInForce, sudo } from './lib/slashing.mjs';
import { configureTestBridge } from './lib/test-bridge.mjs';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.KASANE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(repoRoot, 'artifacts', 'app');
const WSTETH = 1; // strategy of wstETH in the dev genesis
const WSTETH_ASSET = 1;
// The asset the bridge test mirrors (the dev genesis' LSTs are not bridged).
const BRIDGED_ASSET = 100;
const E = 10n ** 18n;
const WAD = 10n ** 18n;
const UNIT = 10n ** 12n;

let api;
let alice;
let bob;
let charlie;
let dave;
let eve;
let ferdie;
/** A second validator candidate, for moving native stake. */
let eveStash;
let tx;
let rpcUrl;
let set;
let app;
let browser;
let page;
let signRequests = 0;
/** Each call the wallet signed, decoded from the payload it was shown: `section.method(args)`. */
const signedCalls = [];
const timings = {};

useDevNode(async (dev) => {
  ({ api, alice, bob, tx } = dev);
  rpcUrl = dev.node.rpcUrl;
  charlie = dev.keyring.addFromUri('//Charlie');
  dave = dev.keyring.addFromUri('//Dave');
  eve = dev.keyring.addFromUri('//Eve');
  ferdie = dev.keyring.addFromUri('//Ferdie');
  eveStash = dev.keyring.addFromUri('//Eve//stash');
  // An AVS (Charlie) with a set accepting wstETH that pays KSN rewards every era. Bob becomes
  // its operator through the app's console, and Dave restakes with him.
  // An operator that takes only stakers it approved: redelegating to it fails on chain.
  await tx(api.tx.restaking.registerOperator(50_000_000, 'Ferdie (approved stakers only)', true), ferdie);
  set = await createAvsWithSet(api, charlie, [WSTETH]);
  await tx(api.tx.avsRegistry.fundRewards(set, 'Native', 1_000n * UNIT, 10n * UNIT), charlie);

  app = await serveApp({ rpc: dev.node.rpcUrl });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await newWalletPage();
  mkdirSync(ARTIFACTS, { recursive: true });
});

// The page as each test left it, to see what a failure saw.
let testNumber = 0;
afterEach(async () => {
  testNumber += 1;
  await page?.screenshot({ path: join(ARTIFACTS, `after-test-${String(testNumber).padStart(2, '0')}.png`), fullPage: true }).catch(() => {});
  // Tests act as Dave unless they choose Bob; one that failed as Bob does not leave him chosen.
  if (testNumber > 1) await selectAccount('Dave (test wallet)').catch(() => {});
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** A page with the test wallet injected as an extension holding Dave's and Bob's accounts. */
async function newWalletPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  // Playwright waits this long for an element before an action or read fails.
  p.setDefaultTimeout(10_000);
  p.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  p.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') console.error(`page ${message.type()}: ${message.text()}`);
  });
  await p.exposeFunction('kasaneTestSign', (payload) => {
    signRequests += 1;
    const pair = [dave, bob].find((k) => k.address === payload.address);
    // A refusal here rejects the app's signing request, so its transaction fails on screen.
    if (!pair) throw new Error(`the wallet holds no key for ${payload.address}`);
    const call = api.registry.createType('Call', payload.method);
    signedCalls.push({ signer: pair.address, call: call.toHuman() });
    const { signature } = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pair);
    return { id: signRequests, signature };
  });
  await p.addInitScript(([daveAddress, bobAddress]) => {
    const accounts = [
      { address: daveAddress, name: 'Dave (test wallet)', type: 'sr25519' },
      { address: bobAddress, name: 'Bob (test wallet)', type: 'sr25519' },
    ];
    window.injectedWeb3 = {
      'kasane-test-wallet': {
        version: '1.0.0',
        enable: async () => ({
          accounts: { get: async () => accounts, subscribe: (cb) => (cb(accounts), () => {}) },
          signer: {
            signPayload: (payload) => window.kasaneTestSign(payload),
            signRaw: async () => {
              throw new Error('the test wallet signs transactions only');
            },
          },
        }),
      },
    };
  }, [dave.address, bob.address]);
  return p;
}

const t0 = Date.now();
const step = (what) => console.log(`[app ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);

/** Chooses the account whose picker entry reads `label` (e.g. `Dave (test wallet)`). */
async function selectAccount(label) {
  const option = page.locator('#account option', { hasText: label });
  await option.waitFor({ state: 'attached' });
  await page.getByTestId('account-select').selectOption(await option.getAttribute('value'));
}

/** Opens `route` and waits for its heading. */
async function open(route, heading) {
  step(`open ${route} as ${await page.locator('#account option:checked').textContent({ timeout: 1_000 }).catch(() => '?')}`);
  await page.goto(`${app.url}#${route}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** No serious or critical axe-core violation on the page as it is; a screenshot beside it. */
async function checkPage(name) {
  step(`check ${name}`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `accessibility of ${name}`,
  );
}

/** The base-unit value an `Amount` shows (its `data-value`), once it equals `expected`. */
async function shows(testId, expected, ms = 30_000) {
  step(`shows ${testId}`);
  const locator = page.getByTestId(testId).first();
  let seen;
  await until(async () => (seen = await locator.getAttribute('data-value', { timeout: 1_000 }).catch(() => null)) === expected.toString(), ms, () => `${testId} = ${expected} (on screen: ${seen})`);
}

/** Waits for the transaction shown by the page's progress to be finalized. */
async function finalized(scope = page) {
  step('waiting for finality');
  const progress = scope.getByTestId('tx-progress');
  await until(async () => {
    const step = await progress.getAttribute('data-step').catch(() => null);
    if (step === 'failed') throw new Error(`transaction failed: ${await scope.getByTestId('tx-error').textContent()}`);
    return step === 'finalized';
  }, 90_000, 'the transaction to be finalized', 250);
}

const daveNonce = async () => (await api.rpc.system.accountNextIndex(dave.address)).toNumber();
const daveWsteth = async () => (await api.query.assets.account(WSTETH_ASSET, dave.address)).unwrap().balance.toBigInt();

test('connect: the network, the finalized block and the wallet\'s account', async () => {
  const started = Date.now();
  await page.goto(app.url);
  await page.getByTestId('finalized').waitFor();
  timings.firstRender = Date.now() - started;
  const network = await page.getByTestId('network').textContent();
  assert.match(network, /Kasane Development/);
  const finalizedOnScreen = Number((await page.getByTestId('finalized').textContent()).slice(1));
  const head = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  assert.ok(Math.abs(head - finalizedOnScreen) <= 2, `finalized #${finalizedOnScreen} on screen, #${head} on chain`);

  const option = page.locator('#account option', { hasText: 'Dave (test wallet)' });
  await option.waitFor({ state: 'attached' });
  assert.equal(await option.getAttribute('value'), `kasane-test-wallet:${dave.address}`);
  // On a dev chain the dev accounts are offered too, as separate entries.
  assert.equal(await page.locator('#account option', { hasText: 'Alice (dev)' }).count(), 1);
  assert.equal(await page.locator('#account option', { hasText: 'Dave (dev)' }).getAttribute('value'), `dev:${dave.address}`);
  await selectAccount('Dave (test wallet)');
  await page.getByTestId('balances').waitFor();
  timings.portfolio = Date.now() - started;
  await shows('balance-wstETH', await daveWsteth());
  await shows('balance-KSN', (await api.query.system.account(dave.address)).data.free.toBigInt());
  await checkPage('portfolio-empty');
});

test('bad input shows a message and sends nothing', async () => {
  const nonce = await daveNonce();
  await open('/restake', 'Restake');
  await page.getByRole('radio', { name: /^wstETH/ }).check();
  await page.getByTestId('operator-select').selectOption(ferdie.address);
  const cases = [
    ['2000', /You hold 1,000 wstETH: 2000 is more than that/],
    ['1.1234567890123456789', /wstETH has 18 decimals: “1.1234567890123456789” has 19/],
    ['0', /The amount must be more than zero/],
    ['1.2.3', /is not an amount/],
  ];
  for (const [text, message] of cases) {
    await page.getByLabel('Amount (wstETH)').fill(text);
    await until(async () => message.test((await page.getByTestId('amount-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, `“${message}” on screen`);
    assert.equal(await page.getByTestId('restake-submit').isDisabled(), true, `the button is disabled for ${text}`);
  }
  await page.getByTestId('restake-submit').click({ force: true }).catch(() => {});
  await checkPage('restake-bad-amount');
  assert.equal(signRequests, 0, 'the wallet was never asked to sign');
  assert.equal(await daveNonce(), nonce, 'no transaction was sent');
});

test('operator console: register, allocate to a joined set, change commission', async () => {
  await selectAccount('Bob (test wallet)');
  await open('/operate', 'Operate');
  await page.getByLabel('Name (public)').fill('Bob Restaking');
  await page.getByLabel('Commission (%)').fill('10');
  await page.getByTestId('register-submit').click();
  // Registered, the console shows the operator's panels in place of the form.
  await page.getByTestId('commission-panel').waitFor({ timeout: 60_000 });
  const registered = signedCalls.at(-1);
  assert.equal(registered.signer, bob.address);
  assert.deepEqual([registered.call.section, registered.call.method], ['restaking', 'registerOperator']);
  assert.deepEqual(Object.values(registered.call.args), ['10.00%', 'Bob Restaking', false]);
  const record = (await api.query.restaking.operators(bob.address)).unwrap();
  assert.equal(record.commission.toNumber(), 100_000_000);
  assert.equal(record.metadata.toUtf8(), 'Bob Restaking');

  // Joining a set: the AVS key stays with the AVS software, which signs the payload the page
  // shows; the public key and signature are pasted back and checked before anything is signed.
  const id = `${set.avs}/${set.index}`;
  const sets = page.getByTestId('sets-panel');
  await page.locator('#join-set').selectOption(id);
  assert.equal(await sets.getByTestId('pop-payload').textContent(), u8aToHex(popPayload(api, set, bob.address)));
  const { key, proof } = avsKey(api, '//BobAvsKey', set, bob.address);
  const other = avsKey(api, '//BobAvsKey', { avs: set.avs, index: set.index + 1 }, bob.address);
  const signed = signRequests;
  for (const [keyText, proofText, field, message] of [
    ['0x1234', proof.Sr25519, 'join-key-error', /has 2 bytes; this set's keys need 32/],
    [key.Sr25519, 'not hex', 'join-error', /not hex/],
    // A real signature by the key, but of another set's payload.
    [key.Sr25519, other.proof.Sr25519, 'join-error', /not this key’s signature of the payload above/],
  ]) {
    await page.getByLabel(/^AVS public key/).fill(keyText);
    await page.getByLabel(/^Proof of possession/).fill(proofText);
    await until(async () => message.test((await sets.getByTestId(field).textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, `“${message}” on screen`);
    assert.equal(await sets.getByTestId('join-submit').isDisabled(), true);
  }
  assert.equal(signRequests, signed, 'nothing was signed for a bad key or proof');
  await page.getByLabel(/^Proof of possession/).fill(proof.Sr25519);
  await sets.getByTestId('join-submit').click();
  await finalized(sets.getByTestId('join-form'));
  const member = (await api.query.avsRegistry.members(set, bob.address)).unwrap();
  assert.equal(member.key.asSr25519.toHex(), key.Sr25519);
  await sets.getByTestId(`membership-${id}`).waitFor();
  const panel = page.getByTestId('allocation-panel');
  await page.locator('#allocate-set').waitFor({ timeout: 30_000 });
  await page.getByLabel('Share of this stake (%)').fill('50');
  assert.match(await page.getByTestId('allocation-effect').textContent(), /New exposure applies in 5 min: your stakers can leave first/);
  await page.getByTestId('allocate-submit').click();
  await finalized(panel);
  const allocation = (await api.query.restaking.allocations(bob.address, set, WSTETH)).unwrap();
  const pending = allocation.pending.unwrap();
  assert.equal(pending.target.toBigInt(), WAD / 2n);
  const left = panel.getByTestId('allocation-left');
  await left.waitFor();
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(Math.abs(Number(await left.getAttribute('data-blocks')) - (pending.effectiveAt.toNumber() - best)) <= 1);
  await checkPage('operate');
  // The delay is 5 minutes on --dev: root makes it apply now, so Dave's stake earns and is exposed.
  await allocationInForce(api, alice, bob.address, set, WSTETH);

  const commission = page.getByTestId('commission-panel');
  await page.getByLabel('New commission (%)').fill('12');
  await page.getByTestId('commission-submit').click();
  await finalized(commission);
  const changed = (await api.query.restaking.operators(bob.address)).unwrap().pendingCommission.unwrap();
  assert.equal(changed.commission.toNumber(), 120_000_000);
  await commission.getByTestId('commission-pending').waitFor();
  assert.match(await commission.getByTestId('commission-pending').textContent(), /12 % in \d+ (s|min)/);
  assert.match(await commission.getByTestId('commission-now').textContent(), /^10 %$/);

  await selectAccount('Dave (test wallet)');
});

test('operator console: join a second set with a development key, then leave it', async () => {
  const second = await createAvsWithSet(api, charlie, [WSTETH]);
  const id = `${second.avs}/${second.index}`;
  await selectAccount('Bob (test wallet)');
  await open('/operate', 'Operate');
  const sets = page.getByTestId('sets-panel');
  await page.locator('#join-set').selectOption(id);
  // The key that already serves the first set is refused before signing: one set per key.
  await page.getByLabel('Development key: secret URI').fill('//BobAvsKey');
  await sets.getByTestId('sign-here').click();
  await until(async () => /already serves AVS/.test((await sets.getByTestId('join-key-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the claimed key refused');
  assert.equal(await sets.getByTestId('join-submit').isDisabled(), true);

  await page.getByLabel('Development key: secret URI').fill('//Bob//avs2');
  await sets.getByTestId('sign-here').click();
  await sets.getByTestId('join-submit').click();
  await finalized(sets.getByTestId('join-form'));
  const expectedKey = avsKey(api, '//Bob//avs2', second, bob.address).key.Sr25519;
  assert.equal((await api.query.avsRegistry.members(second, bob.address)).unwrap().key.asSr25519.toHex(), expectedKey);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['avsRegistry', 'registerForOperatorSet']);

  await sets.getByTestId(`leave-${id}`).click();
  await finalized(sets.getByTestId('leave-status'));
  const member = (await api.query.avsRegistry.members(second, bob.address)).unwrap();
  const until_ = member.slashableUntil.unwrap().toNumber();
  const left = sets.getByTestId(`slashable-left-${id}`);
  await left.waitFor();
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(Math.abs(Number(await left.getAttribute('data-blocks')) - (until_ - best)) <= 1, 'the time it stays slashable, as the chain has it');
  assert.equal(await sets.getByTestId(`leave-${id}`).count(), 0, 'no second Leave');
  await checkPage('operate-sets');

  // Once the set can no longer slash Bob (root moves the end to now: on --dev it is minutes
  // away), the record can be purged, which frees the key and offers the set again.
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const ended = api.createType(member.toRawType(), { key: member.key, joinedAt: member.joinedAt, slashableUntil: now });
  await sudo(api, api.tx.system.setStorage([[api.query.avsRegistry.members.key(second, bob.address), ended.toHex()]]), alice);
  await sets.getByTestId(`purge-${id}`).click();
  await finalized(sets.getByTestId('leave-status'));
  assert.equal((await api.query.avsRegistry.members(second, bob.address)).isNone, true);
  assert.equal((await api.query.avsRegistry.keyOwners({ Sr25519: expectedKey })).isNone, true);
  await page.locator('#join-set option', { hasText: `AVS ${second.avs} · set ${second.index}` }).waitFor({ state: 'attached' });
  await selectAccount('Dave (test wallet)');
});

test('operator console: approve and withdraw a staker, open delegation, deregister once an allocation ended', async () => {
  await selectAccount('Eve (dev)');
  await open('/operate', 'Operate');
  await page.getByLabel('Name (public)').fill('Eve Operations');
  await page.getByLabel('only stakers I approve may delegate').check();
  await page.getByTestId('register-submit').click();
  const approvals = page.getByTestId('approvals-panel');
  await approvals.waitFor({ timeout: 60_000 });
  assert.equal((await api.query.restaking.operators(eve.address)).unwrap().approvalRequired.isTrue, true);
  assert.match(await approvals.getByTestId('approval-mode').textContent(), /Only stakers you approve may delegate/);

  // Addresses are checked before anything is signed: junk, another network's.
  const polkadotDave = encodeAddress(dave.publicKey, 0);
  for (const [text, message] of [
    ['not an address', /is not an SS58 address/],
    [polkadotDave, /another network \(prefix 0; this one uses \d+\)/],
  ]) {
    await page.getByLabel('Approve a staker (address)').fill(text);
    await until(async () => message.test((await approvals.getByTestId('approve-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, `“${message}” on screen`);
    assert.equal(await approvals.getByTestId('approve-submit').isDisabled(), true);
  }
  await page.getByLabel('Approve a staker (address)').fill(dave.address);
  await approvals.getByTestId('approve-submit').click();
  await finalized(approvals);
  assert.equal((await api.query.restaking.delegationApprovals(eve.address, dave.address)).isSome, true);
  await approvals.getByTestId('approved-staker').waitFor();
  await until(async () => /approved already/.test((await approvals.getByTestId('approve-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, 'the approved staker refused again');
  await checkPage('operate-approvals');
  await approvals.getByTestId('approval-withdraw').click();
  await finalized(approvals);
  assert.equal((await api.query.restaking.delegationApprovals(eve.address, dave.address)).isNone, true);
  await approvals.getByTestId('approval-toggle').click();
  await finalized(approvals);
  assert.equal((await api.query.restaking.operators(eve.address)).unwrap().approvalRequired.isTrue, false);
  await until(async () => /Any staker may delegate/.test(await approvals.getByTestId('approval-mode').textContent()), 30_000, 'delegation open on screen');

  // Eve allocates to the set, then leaves it: the allocation stays slashable for the
  // deallocation delay, and Deregister waits with the reason on screen.
  const leave = page.getByTestId('deregister-panel');
  await joinSet(api, eve, set, '//Eve//avs');
  await tx(api.tx.restaking.modifyAllocation(set, WSTETH, WAD / 10n), eve);
  await allocationInForce(api, alice, eve.address, set, WSTETH);
  await until(async () => /You allocate wstETH to AVS/.test((await leave.getByTestId('deregister-blockers').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the allocation on screen');
  assert.equal(await leave.getByTestId('deregister-submit').isDisabled(), true);
  await tx(api.tx.avsRegistry.deregisterFromOperatorSet(set), eve);
  await until(async () => /allocation to AVS .* ends in/.test((await leave.getByTestId('deregister-blockers').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the ending allocation on screen');
  assert.equal(await leave.getByTestId('deregister-submit').isDisabled(), true);
  // Root makes the decrease due now (minutes away on --dev). Nobody applies it: deregistering does.
  await allocationInForce(api, alice, eve.address, set, WSTETH);
  assert.equal((await api.query.restaking.allocations(eve.address, set, WSTETH)).unwrap().pending.isSome, true, 'the book has not applied it');
  await until(async () => (await leave.getByTestId('deregister-blockers').count()) === 0, 30_000, 'no blocker left');
  await leave.getByTestId('deregister-submit').click();
  // Once it is in, the console offers registration instead: the panel goes with it.
  await until(async () => (await api.query.restaking.operators(eve.address)).isNone, 90_000, 'the deregistration on chain');
  assert.equal((await api.query.restaking.allocations(eve.address, set, WSTETH)).isNone, true);
  await page.getByTestId('register-form').waitFor({ timeout: 30_000 });
  await selectAccount('Dave (test wallet)');
});

test('restake: wstETH deposited and delegated to an operator in one batch', async () => {
  const nonce = await daveNonce();
  const before = await daveWsteth();
  await open('/restake', 'Restake');
  await page.getByRole('radio', { name: /^wstETH/ }).check();
  await page.getByLabel('Amount (wstETH)').fill('10');
  await page.getByTestId('operator-select').selectOption(bob.address);
  assert.match(await page.getByTestId('restake-submit').textContent(), /Deposit and delegate/);
  await page.getByTestId('restake-submit').click();
  await finalized();
  await checkPage('restake-done');

  assert.equal(await daveNonce(), nonce + 1, 'one transaction');
  // What Dave's wallet was asked to sign: the deposit and the delegation, in one batch.
  const signed = signedCalls.at(-1);
  assert.equal(signed.signer, dave.address);
  assert.equal(signed.call.section, 'utility');
  assert.equal(signed.call.method, 'batchAll');
  assert.deepEqual(
    signed.call.args.calls.map((c) => [c.section, c.method, c.args]),
    [
      ['restaking', 'deposit', { strategy: String(WSTETH), amount: '10,000,000,000,000,000,000' }],
      ['restaking', 'delegateTo', { operator: bob.address }],
    ],
  );
  const staker = await api.call.restakingApi.staker(dave.address);
  assert.equal(staker.delegatedTo.unwrap().toString(), bob.address);
  const position = staker.positions.find((p) => p.strategy.toNumber() === WSTETH);
  assert.equal(position.withdrawable.toBigInt(), 10n * E);
  assert.equal(await daveWsteth(), before - 10n * E);

  await open('/', 'Portfolio');
  await shows('active-wstETH', position.withdrawable.toBigInt());
  await shows('balance-wstETH', before - 10n * E);
  assert.match(await page.getByTestId('delegated-to').textContent(), new RegExp(bob.address.slice(0, 6)));

  await open(`/operators/${bob.address}`, /Operator/);
  const operator = await api.call.restakingApi.operator(bob.address);
  const delegated = operator.strategies.find((s) => s.strategy.toNumber() === WSTETH).delegated.toBigInt();
  assert.equal(delegated, 10n * E);
  await shows('delegated-wstETH', delegated);
  await page.getByTestId('allocations').waitFor();
  await checkPage('operator');

  await open('/operators', 'Operators');
  const row = page.getByTestId(`operator-${bob.address}`);
  await row.waitFor();
  assert.equal(await row.getByTestId('operator-stake-wstETH').getAttribute('data-value'), delegated.toString());
  // Alice validates: an operator through her native pool, listed too.
  await page.getByTestId(`operator-${alice.address}`).waitFor();
  await checkPage('operators');
});

test('the AVS market shows the set, its stake and rewards; its page the cost to corrupt it', async () => {
  await open('/avs', 'AVS market');
  const id = `${set.avs}/${set.index}`;
  const sets = await api.call.avsApi.operatorSets('SetId', 0, 100);
  // (`.set` of a @polkadot/api struct is Map's method: read the field with `get`.)
  const listed = sets.find((s) => s.get('set').avs.toNumber() === set.avs && s.get('set').index.toNumber() === set.index);
  const stake = listed.stake.find((s) => s.strategy.toNumber() === WSTETH);
  assert.equal(stake.allocated.toBigInt(), 5n * E, "half of Bob's 10 wstETH");
  await shows(`set-stake-${id}-${WSTETH}`, stake.allocated.toBigInt());
  await shows(`set-budget-${id}`, listed.budgets[0].perEra.toBigInt());
  await checkPage('avs-market');

  await page.getByRole('link', { name: `AVS ${set.avs} · set ${set.index}` }).click();
  await page.getByTestId('corruption').waitFor();
  const security = (await api.call.avsApi.security(set)).unwrap();
  await shows('security-eth', security.lstEth.toBigInt());
  await shows('corrupt-eth-⅓', security.toControlThird.lstEth.toBigInt());
  await checkPage('avs-set');
});

test('deposits shown as paused, with the reason, before signing; then resumed', async () => {
  const signed = signRequests;
  await sudo(api, api.tx.restaking.setStrategyStatus(WSTETH, 'DepositsPaused'), alice);
  await open('/restake', 'Restake');
  await page.getByRole('radio', { name: /^wstETH/ }).check();
  await page.getByLabel('Amount (wstETH)').fill('1');
  await until(async () => /paused by governance/.test((await page.getByTestId('deposit-blocked').textContent().catch(() => '')) ?? ''), 30_000, 'the paused strategy on screen');
  assert.equal(await page.getByTestId('restake-submit').isDisabled(), true);
  await checkPage('restake-paused');
  await sudo(api, api.tx.restaking.setStrategyStatus(WSTETH, 'Active'), alice);

  // The bridge's guardian pauses it: bridged LSTs are held until it resumes.
  await sudo(api, api.tx.lstBridge.setGuardian(eve.address), alice);
  await tx(api.tx.lstBridge.pause(), eve);
  await until(async () => /bridge is paused by its guardian/.test((await page.getByTestId('deposit-blocked').textContent().catch(() => '')) ?? ''), 30_000, 'the paused bridge on screen');
  assert.doesNotMatch(await page.getByTestId('deposit-blocked').textContent(), /governance/, 'the strategy is active again');
  assert.equal(await page.getByTestId('restake-submit').isDisabled(), true);
  await sudo(api, api.tx.lstBridge.resume(), alice);
  await until(async () => !(await page.getByTestId('restake-submit').isDisabled()), 30_000, 'deposits open again');
  assert.equal(await page.getByTestId('deposit-blocked').count(), 0);
  assert.equal(signRequests, signed);
});

test('a pending slash shows its exposure and veto window counting down', async () => {
  const events = await tx(api.tx.slashing.requestSlash(bob.address, set, WAD / 10n, 'ipfs://evidence'), charlie);
  const id = events.find((e) => api.events.slashing.SlashRequested.is(e)).data.id.toNumber();
  const exposure = await api.call.slashingApi.stakerExposure(dave.address);
  assert.equal(exposure.length, 1);
  const cost = exposure[0].cost[0][1].toBigInt();
  assert.ok(cost > 0n);
  await open('/', 'Portfolio');
  await shows(`exposure-cost-${id}-${WSTETH}`, cost);
  const left = page.getByTestId(`exposure-left-${id}-${WSTETH}`);
  const first = Number(await left.getAttribute('data-blocks'));
  const executesAt = (await api.call.slashingApi.slash(id)).unwrap().executesAt.toNumber();
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(Math.abs(first - (executesAt - best)) <= 1, `${first} blocks left on screen, ${executesAt - best} on chain`);
  assert.match(await left.textContent(), /^in \d+ (s|min)/);
  await until(async () => Number(await left.getAttribute('data-blocks')) < first, 30_000, 'the countdown to move');
  await checkPage('portfolio-exposure');
  // The veto council (root on the devnet) vetoes it: the exposure goes.
  await sudo(api, api.tx.slashing.vetoSlash(id, false), alice);
  await page.getByTestId('no-exposure').waitFor({ timeout: 30_000 });
});

test('queue a withdrawal, see the time left, complete it when ready', async () => {
  await open('/withdraw', 'Withdraw');
  await page.getByLabel('Amount (wstETH)').fill('11');
  await until(async () => /at most 10 wstETH/.test((await page.getByTestId('withdraw-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, 'the over-amount message');
  await page.getByLabel('Amount (wstETH)').fill('4');
  await page.getByTestId('queue-submit').click();
  await finalized(page.getByTestId('queue-form'));
  const staker = await api.call.restakingApi.staker(dave.address);
  assert.equal(staker.withdrawals.length, 1);
  const withdrawal = staker.withdrawals[0];
  const id = withdrawal.id.toNumber();
  await shows(`withdrawal-value-${id}`, withdrawal.value.toBigInt());
  const left = page.getByTestId(`withdrawal-left-${id}`);
  const blocks = Number(await left.getAttribute('data-blocks'));
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(Math.abs(blocks - (withdrawal.withdrawableAt.toNumber() - best)) <= 1);
  assert.match(await left.textContent(), /^in \d+ (min|s)/);
  assert.equal(await page.getByTestId(`complete-${id}`).isDisabled(), true);
  await checkPage('withdraw-queued');

  await open('/', 'Portfolio');
  await shows('queued-wstETH', withdrawal.value.toBigInt());
  await shows('active-wstETH', 6n * E);

  // A slash of Bob requested now holds the withdrawal until it is decided; vetoed, it is free.
  await open('/withdraw', 'Withdraw');
  const complete = page.getByTestId(`complete-${id}`);
  const events = await tx(api.tx.slashing.requestSlash(bob.address, set, WAD / 10n, 'ipfs://evidence-2'), charlie);
  const slash = events.find((e) => api.events.slashing.SlashRequested.is(e)).data.id.toNumber();
  const held = page.getByTestId(`withdrawal-held-${id}`);
  await held.waitFor({ timeout: 30_000 });
  assert.match(await held.textContent(), /Held while a slash of its operator waits for a decision/);
  assert.ok((await api.query.restaking.operatorFreezes(bob.address)).isSome);
  await checkPage('withdraw-held');
  await sudo(api, api.tx.slashing.vetoSlash(slash, false), alice);
  await held.waitFor({ state: 'detached', timeout: 30_000 });

  // The devnet's withdrawal delay is 2 minutes.
  await until(async () => !(await complete.isDisabled()), 240_000, 'the withdrawal delay to pass', 1_000);
  const before = await daveWsteth();
  await complete.click();
  await finalized(page.getByTestId('withdrawal-queue'));
  assert.equal(await daveWsteth(), before + withdrawal.value.toBigInt());
  await page.getByTestId('no-withdrawals').waitFor();
  await open('/', 'Portfolio');
  await shows('balance-wstETH', before + withdrawal.value.toBigInt());
});

test('claim the rewards the operator set paid', async () => {
  await open('/withdraw', 'Withdraw');
  // The AVS pays at an era's end (2 minutes on --dev).
  await page.getByTestId('claimable').waitFor({ timeout: 300_000 });
  const claimable = (await api.call.restakingApi.claimableRewards(dave.address, WSTETH)).map(([, a]) => a.toBigInt());
  assert.ok(claimable[0] > 0n);
  const onScreen = BigInt(await page.getByTestId('claimable-0').getAttribute('data-value'));
  assert.ok(onScreen > 0n && onScreen <= claimable[0], `${onScreen} on screen, ${claimable[0]} claimable`);
  await checkPage('withdraw-rewards');
  await page.getByTestId('claim-rewards').click();
  await finalized(page.getByTestId('rewards-panel'));
  // The block the app says finalized its claim pays Dave at least what the page showed.
  const block = Number(await page.getByTestId('rewards-panel').getByTestId('tx-progress').getAttribute('data-block'));
  const events = await api.query.system.events.at(await api.rpc.chain.getBlockHash(block));
  const claimed = events.map(({ event }) => event).filter((e) => api.events.restaking.RewardsClaimed.is(e) && e.data.staker.toString() === dave.address);
  assert.equal(claimed.length, 1, `one RewardsClaimed for Dave in block #${block}`);
  assert.ok(claimed[0].data.amount.toBigInt() >= onScreen);
  // The panel follows the chain: nothing left to claim, unless an era has ended since the claim
  // and paid again (eras are 2 minutes on --dev; which one a run's claim falls in varies).
  await until(
    async () => {
      const left = (await api.call.restakingApi.claimableRewards(dave.address, WSTETH)).map(([, a]) => a.toBigInt())[0] ?? 0n;
      if (left === 0n) return (await page.getByTestId('no-rewards').count()) === 1;
      return (await page.getByTestId('claimable-0').getAttribute('data-value', { timeout: 1_000 }).catch(() => null)) === left.toString();
    },
    30_000,
    'the rewards panel to show what is left to claim',
  );
});

test('native stake: delegate KSN to a validator\'s pool, unbond part of it', async () => {
  await open('/restake', 'Restake');
  await page.getByRole('radio', { name: /^KSN/ }).check();
  await page.getByLabel('Amount (KSN)').fill('500');
  await page.getByTestId('operator-select').selectOption(alice.address);
  assert.match(await page.getByTestId('restake-submit').textContent(), /Delegate KSN/);
  await page.getByTestId('restake-submit').click();
  await finalized();
  assert.equal(signedCalls.at(-1).signer, dave.address, JSON.stringify(signedCalls.at(-1)));
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['staking', 'delegate']);
  const ledger = (await api.query.staking.ledgers(dave.address)).unwrap();
  assert.equal(ledger.pool.toString(), alice.address);
  const pool = (await api.query.staking.pools(alice.address)).unwrap();
  const active = (ledger.shares.toBigInt() * pool.active.toBigInt()) / pool.shares.toBigInt();
  assert.ok(active >= 500n * UNIT - 1n && active <= 500n * UNIT);
  await open('/', 'Portfolio');
  await shows('native-active', active);

  await open('/withdraw', 'Withdraw');
  await page.getByLabel('Amount (KSN)').fill('100');
  await page.getByRole('button', { name: 'Unbond', exact: true }).click();
  await finalized(page.getByTestId('native-panel'));
  const unbonding = (await api.query.staking.ledgers(dave.address)).unwrap().unbonding;
  assert.equal(unbonding.length, 1);
  await open('/', 'Portfolio');
  const chunk = page.getByTestId(`unbonding-${unbonding[0].era.toNumber()}`);
  await chunk.waitFor();
  // Native unbonding on --dev: 2 eras of 2 minutes, so between 2 and 4 minutes from now.
  const blocks = Number(await chunk.getByTestId('unbonding-left').getAttribute('data-blocks'));
  assert.ok(blocks > 0 && blocks <= 40, `${blocks} blocks left`);
  await checkPage('portfolio-native');
});

test('native stake: rebond, compound rewards, move to another validator, then leave it', async () => {
  // A second candidate: Eve's stash bonds its own pool and validates (no session keys, so it is
  // never elected: stake only moves to it).
  await tx(api.tx.staking.bond(10_000n * UNIT), eveStash);
  await tx(api.tx.staking.validate(20_000_000), eveStash);
  const ledgerNow = async () => (await api.query.staking.ledgers(dave.address)).unwrap();
  /** What Dave's chunks unbonding from `pool` and not unlocked yet are worth now. */
  const unbondingFrom = async (pool) => {
    const era = (await api.query.staking.activeEra()).unwrap().index.toNumber();
    let sum = 0n;
    for (const chunk of (await ledgerNow()).unbonding) {
      if (chunk.pool.toString() !== pool || chunk.era.toNumber() <= era) continue;
      const up = (await api.query.staking.unbondPools(chunk.pool, chunk.era)).unwrap();
      sum += (chunk.shares.toBigInt() * up.stake.toBigInt()) / up.shares.toBigInt();
    }
    return sum;
  };

  await open('/withdraw', 'Withdraw');
  const panel = page.getByTestId('native-panel');
  // Dave unbonds 50 more now: it unlocks 2 eras on (≥ 21 blocks), so the steps below see it
  // unbonding, and rebondable.
  await panel.getByLabel('Amount (KSN)').fill('50');
  await panel.getByRole('button', { name: 'Unbond', exact: true }).click();
  await finalized(panel);
  const unbonding = await unbondingFrom(alice.address);
  assert.ok(unbonding >= 50n * UNIT - 1n, `${unbonding}`);
  await shows('native-rebondable', unbonding);
  await panel.getByLabel('Amount (KSN)').fill('40');
  await panel.getByRole('button', { name: 'Rebond', exact: true }).click();
  await finalized(panel);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['staking', 'rebond']);
  const left = await unbondingFrom(alice.address);
  assert.ok(left >= unbonding - 40n * UNIT - 1n && left <= unbonding - 40n * UNIT + 1n, `${unbonding} - 40 KSN = ${left}`);
  await shows('native-rebondable', left);
  assert.ok(left >= 10n * UNIT - 1n, 'the fresh chunk still unbonds');

  const compound = panel.getByLabel('Bond them into the pool (compounding)');
  assert.equal(await compound.isChecked(), false, 'rewards are paid out by default');
  await compound.check();
  await panel.getByRole('button', { name: 'Save reward choice', exact: true }).click();
  await finalized(panel);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['staking', 'setRewardDestination']);
  assert.equal((await ledgerNow()).rewardDestination.toString(), 'Stake');
  // "(now)" marks the choice the chain holds, read back after the save.
  await panel.getByText('Bond them into the pool (compounding) (now)').waitFor();
  assert.equal(await compound.isChecked(), true);

  // Moving: the whole delegation goes to Eve's stash now, answerable to Alice's pool meanwhile.
  await page.locator('#native-redelegate-to').selectOption(eveStash.address);
  await panel.getByRole('button', { name: 'Move stake', exact: true }).click();
  await finalized(panel);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['staking', 'redelegate']);
  const moved = await ledgerNow();
  assert.equal(moved.pool.toString(), eveStash.address);
  assert.equal(moved.redelegations.length, 1);
  const until_ = moved.redelegations[0].era.toNumber();
  await panel.getByTestId('native-answerable').getByText(new RegExp(`stays answerable for its offences until era ${until_}`)).waitFor();
  // What still unbonds from Alice's pool comes back by withdrawing, not by rebonding.
  assert.ok((await unbondingFrom(alice.address)) > 0n, 'a chunk from Alice’s pool has not unlocked');
  await shows('native-rebondable', 0n);
  // The moved-to validator is no longer offered, and nothing stays chosen.
  assert.equal(await page.locator('#native-redelegate-to').inputValue(), '');
  await checkPage('withdraw-native-moved');

  await panel.getByRole('button', { name: 'Leave this validator', exact: true }).click();
  await finalized(panel);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['staking', 'undelegate']);
  const gone = await ledgerNow();
  assert.equal(gone.shares.toBigInt(), 0n);
  assert.ok((await unbondingFrom(eveStash.address)) > 0n);
  await open('/', 'Portfolio');
  await shows('native-active', 0n);
});

test('redelegate: a refusal named and explained by the runtime, then a move to the validator', async () => {
  await open('/withdraw', 'Withdraw');
  const panel = page.getByTestId('redelegate-panel');
  const progress = panel.getByTestId('tx-progress');
  const nonce = await daveNonce();
  await page.locator('#redelegate-to').selectOption(ferdie.address);
  await page.getByRole('button', { name: 'Redelegate', exact: true }).click();
  await until(async () => (await progress.getAttribute('data-step').catch(() => null)) === 'failed', 90_000, 'the refusal');
  // The runtime's own words: the error's name and its doc comment from the metadata.
  assert.match(
    await panel.getByTestId('tx-error').textContent(),
    /Failed in block #\d+: restaking\.DelegationNotApproved: The operator requires approval and has not approved this staker\./,
  );
  assert.equal(await daveNonce(), nonce + 1, 'the refused transaction was included (and paid for)');
  await checkPage('withdraw-refused');

  await page.locator('#redelegate-to').selectOption(alice.address);
  await page.getByRole('button', { name: 'Redelegate', exact: true }).click();
  await until(async () => (await progress.getAttribute('data-step').catch(() => null)) !== 'failed', 10_000, 'the new transaction to start');
  await finalized(panel);
  const staker = await api.call.restakingApi.staker(dave.address);
  const moving = staker.withdrawals.filter((w) => w.redeposit.isTrue);
  assert.equal(moving.length, 1);
  assert.equal(staker.delegatedTo.unwrap().toString(), alice.address);
  await page.getByTestId(`withdrawal-${moving[0].id.toNumber()}`).getByText('redelegation').waitFor();
  await checkPage('withdraw-redelegated');
  // On its way to the validator the stake is still slashable: queued, not gone.
  await open('/', 'Portfolio');
  await shows('queued-wstETH', moving[0].value.toBigInt());
  await shows('active-wstETH', 0n);
});

test('leave the operator: the delegation ends, the redelegation in flight stays listed', async () => {
  await open('/withdraw', 'Withdraw');
  const panel = page.getByTestId('redelegate-panel');
  const before = await api.call.restakingApi.staker(dave.address);
  assert.equal(before.delegatedTo.unwrap().toString(), alice.address);
  await panel.getByTestId('undelegate-submit').click();
  // Once it is in, there is no operator to redelegate from: the panel goes with it.
  await until(async () => (await api.call.restakingApi.staker(dave.address)).delegatedTo.isNone, 90_000, 'the delegation ended on chain');
  const after = await api.call.restakingApi.staker(dave.address);
  assert.deepEqual(
    after.withdrawals.map((w) => w.id.toNumber()),
    before.withdrawals.map((w) => w.id.toNumber()),
    'nothing else to queue: the positions were on their way already',
  );
  // The redelegation in flight now lands undelegated, and says so.
  const moving = after.withdrawals.find((w) => w.redeposit.isTrue);
  await page.getByTestId(`withdrawal-${moving.id.toNumber()}`).getByText('back, undelegated').waitFor();
  await until(async () => (await page.getByTestId('redelegate-panel').count()) === 0, 30_000, 'no operator left to leave');
});

test('bridge: rates and limits, a deposit by nonce, a withdrawal to Ethereum and what the vault needs', async () => {
  // Root configures the bridge for a vault on chain 31337 with three attesters (test keys:
  // this test signs as they would) and mirrors one token; deposit 1 is fully attested to Dave,
  // deposit 2 by one attester of the two it needs.
  const { attesters, vault, unit: T, deposit, attest } = await configureTestBridge(api, alice, BRIDGED_ASSET, [
    api.tx.assets.forceSetMetadata(BRIDGED_ASSET, 'Bridged wstETH', 'bwstETH', 6, false),
  ]);
  await attest(deposit(1, 10n * T, dave), attesters[0]);
  await attest(deposit(1, 10n * T, dave), attesters[1]);
  await attest(deposit(2, 3n * T, dave), attesters[2]);
  assert.equal((await api.query.assets.account(BRIDGED_ASSET, dave.address)).unwrap().balance.toBigInt(), 10n * T);

  await open('/bridge', 'Bridge');
  assert.match(await page.getByTestId('bridge-vault').textContent(), new RegExp(`${vault.toLowerCase()} on chain 31337`));
  assert.match(await page.getByTestId('bridge-attesters').textContent(), /^3, 2 must sign \(vault set 1\)/);
  const rate = (await api.call.lstBridgeApi.rate(BRIDGED_ASSET)).unwrap();
  // Per whole token: rate × 10^6 / 10^18.
  await shows('rate-bwstETH', (rate.rate.toBigInt() * T) / E);
  await shows('valued-bwstETH', (rate.haircutRate.toBigInt() * T) / E);
  assert.equal((rate.haircutRate.toBigInt() * T) / E, 1_176_000_000_000_000_000n, '2 % off 1.2 ETH per token');
  assert.match(await page.getByTestId('haircut-bwstETH').textContent(), /haircut 2 %/);
  assert.equal(await page.getByTestId('rate-fresh-bwstETH').textContent(), 'fresh');
  await shows('outstanding-bwstETH', 10n * T);
  await shows('cap-bwstETH', 1_000n * T);

  // Deposits by nonce, each as the runtime API has it.
  for (const [nonce, type, text] of [
    ['1', 'Processed', /Deposit 1: Minted on Kasane/],
    ['2', 'Attesting', /Deposit 2: Being attested: 1 of the 2 signatures it needs/],
    ['9', 'Unknown', /Deposit 9: Not attested yet/],
  ]) {
    assert.equal((await api.call.lstBridgeApi.depositStatus(Number(nonce))).type, type);
    await page.getByLabel('Vault deposit nonce').fill(nonce);
    await until(async () => text.test((await page.getByTestId('deposit-status').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, `deposit ${nonce} on screen`);
  }
  await page.getByLabel('Vault deposit nonce').fill('x1');
  await page.getByTestId('deposit-nonce-error').waitFor();

  // Withdraw: bad input first, nothing signed.
  const signed = signRequests;
  const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
  const form = page.getByTestId('bridge-withdraw-form');
  await page.getByLabel('Ethereum recipient').fill(recipient);
  for (const [text, message] of [
    ['11', /You hold 10 bwstETH: 11 is more than that/],
    ['0.01', /A withdrawal takes at least 0.1 bwstETH/],
    ['1.0000001', /bwstETH has 6 decimals/],
    ['0', /The amount must be more than zero/],
  ]) {
    await page.getByLabel('Amount (bwstETH)').fill(text);
    await until(async () => message.test((await form.getByTestId('bridge-amount-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, `“${message}” on screen`);
    assert.equal(await form.getByTestId('bridge-withdraw-submit').isDisabled(), true);
  }
  await page.getByLabel('Amount (bwstETH)').fill('4');
  for (const [text, message] of [
    ['0x1234', /0x and 40 hex digits/],
    ['0x0000000000000000000000000000000000000000', /zero address cannot receive/],
    // One letter's case changed: not the checksum.
    [recipient.replace('C51812', 'c51812'), /not its checksum \(EIP-55\)/],
  ]) {
    await page.getByLabel('Ethereum recipient').fill(text);
    await until(async () => message.test((await form.getByTestId('bridge-recipient-error').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 10_000, `“${message}” on screen`);
    assert.equal(await form.getByTestId('bridge-withdraw-submit').isDisabled(), true);
  }
  assert.equal(signRequests, signed, 'nothing was signed for bad input');
  await page.getByLabel('Ethereum recipient').fill(recipient);
  const fee = (await api.consts.lstBridge.withdrawalFee).toBigInt();
  await shows('bridge-fee', fee);
  await form.getByTestId('bridge-withdraw-submit').click();
  await finalized(form);
  const nonce = (await api.query.lstBridge.lastWithdrawalNonce()).toNumber();
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['lstBridge', 'withdrawToEthereum']);
  assert.equal((await api.query.assets.account(BRIDGED_ASSET, dave.address)).unwrap().balance.toBigInt(), 6n * T);
  const mine = page.getByTestId('my-withdrawals');
  const state = mine.getByTestId(`withdrawal-state-${nonce}`);
  await until(async () => /Waiting for attesters: 0 of 2 signatures/.test((await state.textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the withdrawal waiting for signatures');
  await checkPage('bridge');

  // Two attesters sign its release digest: the page shows it ready, with the signatures and
  // the same `cast send` line as `kasane bridge withdrawal`.
  const { digest } = (await api.call.lstBridgeApi.withdrawal(nonce)).unwrap();
  for (const a of attesters.slice(0, 2)) await tx(api.tx.lstBridge.attestWithdrawal(nonce, a.signingKey.sign(digest.toHex()).serialized), alice);
  const view = (await api.call.lstBridgeApi.withdrawal(nonce)).unwrap();
  assert.equal(view.ready.isTrue, true);
  await until(async () => /Ready: release it on Ethereum/.test((await state.textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the withdrawal ready');
  assert.deepEqual(
    (await mine.getByTestId(`withdrawal-signatures-${nonce}`).locator('div').allTextContents()),
    view.signatures.map((s) => s.toHex()),
  );
  const cli = await runKasane(rpcUrl, ['bridge', 'withdrawal', String(nonce), '--beneficiary', dave.address, '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(await mine.getByTestId(`withdrawal-cast-${nonce}`).textContent(), cli.json.cast);
  // Any withdrawal by nonce: this one, and one never requested.
  const lookup = page.getByTestId('withdrawal-lookup');
  await page.getByLabel('Withdrawal nonce').fill(String(nonce));
  await lookup.getByTestId(`withdrawal-state-${nonce}`).waitFor();
  await page.getByLabel('Withdrawal nonce').fill(String(nonce + 5));
  await until(async () => new RegExp(`No withdrawal ${nonce + 5} was ever requested \\(the latest is ${nonce}\\)`).test((await lookup.getByTestId('withdrawal-missing').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, 'the missing withdrawal explained');
  await checkPage('bridge-ready');

  // A deposit accepted while the bridge is paused waits: the page says why and offers no mint
  // until governance resumes it. No relayer runs here, so nothing mints it by itself then: one
  // click does.
  await sudo(api, api.tx.lstBridge.pause(), alice);
  await attest(deposit(3, 2n * T, dave), attesters[0]);
  await attest(deposit(3, 2n * T, dave), attesters[1]);
  assert.equal((await api.call.lstBridgeApi.depositStatus(3)).type, 'Parked');
  const lookupPanel = page.getByTestId('deposit-lookup');
  const depositShows = (text, what) =>
    until(async () => text.test((await lookupPanel.getByTestId('deposit-status').textContent({ timeout: 1_000 }).catch(() => '')) ?? ''), 30_000, what);
  await page.getByLabel('Vault deposit nonce').fill('3');
  await depositShows(/Deposit 3: Accepted, waiting: the bridge is paused\./, 'the parked deposit on screen');
  assert.match(await lookupPanel.getByTestId('deposit-waiting').textContent(), /2 bwstETH/);
  assert.match(await lookupPanel.getByTestId('deposit-retry-blocked').textContent(), /The bridge is paused: retry once its guardian or governance resumes it/);
  assert.equal(await lookupPanel.getByTestId('deposit-retry').isDisabled(), true);
  await checkPage('bridge-deposit-parked');
  await sudo(api, api.tx.lstBridge.resume(), alice);
  await depositShows(/Deposit 3: Accepted while the bridge was paused, which it no longer is/, 'the deposit mintable once resumed');
  assert.equal((await api.call.lstBridgeApi.depositStatus(3)).type, 'Parked', 'resuming alone mints nothing (no relayer here)');
  await until(async () => !(await lookupPanel.getByTestId('deposit-retry').isDisabled()), 30_000, 'the mint button enabled');
  await lookupPanel.getByTestId('deposit-retry').click();
  await finalized(lookupPanel);
  assert.deepEqual([signedCalls.at(-1).call.section, signedCalls.at(-1).call.method], ['lstBridge', 'retryDeposit']);
  assert.equal((await api.call.lstBridgeApi.depositStatus(3)).type, 'Processed');
  assert.equal((await api.query.assets.account(BRIDGED_ASSET, dave.address)).unwrap().balance.toBigInt(), 8n * T);
  await depositShows(/Deposit 3: Minted on Kasane/, 'the minted deposit on screen');
  assert.equal(await lookupPanel.getByTestId('deposit-retry').count(), 0);
});

test('run an AVS: register it, create an allowlisted set, allow an operator, fund its rewards', async () => {
  await open('/run-avs', 'Run an AVS');
  await page.getByTestId('no-avs').waitFor();
  const avs = (await api.query.avsRegistry.nextAvsId()).toNumber();
  const signed = signRequests;
  await page.getByLabel(/^Metadata URI/).fill('x'.repeat(api.consts.avsRegistry.maxMetadataLen.toNumber() + 1));
  assert.match(await page.getByTestId('avs-metadata-error').textContent(), /^At most \d+ bytes/);
  assert.equal(await page.getByTestId('register-avs-submit').isDisabled(), true);
  await page.getByLabel(/^Metadata URI/).fill('https://oracle.example/dave.json');
  await page.getByTestId('register-avs-submit').click();
  await finalized(page.getByTestId('register-avs-form'));
  const record = (await api.query.avsRegistry.avsRecords(avs)).unwrap();
  assert.equal(record.owner.toString(), dave.address);
  assert.equal(record.metadataUri.toUtf8(), 'https://oracle.example/dave.json');
  assert.equal(record.deposit.toBigInt(), api.consts.avsRegistry.avsDeposit.toBigInt());

  // Terms the chain would refuse are named before anything is signed.
  const create = page.getByTestId(`create-set-${avs}`);
  await create.waitFor({ timeout: 30_000 });
  const submit = create.getByTestId(`create-set-${avs}-submit`);
  assert.equal(await submit.isDisabled(), true, 'no asset accepted yet');
  await create.getByLabel('wstETH', { exact: true }).check();
  await create.getByLabel(/^Veto window/).fill(String(api.consts.avsRegistry.maxVetoWindow.toNumber() + 1));
  assert.match(await create.getByTestId(`veto-${avs}-error`).textContent(), /^From 0 \(slashes execute at once\) to \d+ blocks/);
  assert.equal(await submit.isDisabled(), true);
  await create.getByLabel(/^Veto window/).fill('0');
  await create.getByLabel(/^Double-signing penalty/).fill('0.5');
  assert.equal(await create.getByTestId(`penalty-${avs}-error`).textContent(), '0 (double-signing is not slashed) or at least 1.00 %.');
  assert.equal(await submit.isDisabled(), true, 'under the chain\'s least penalty');
  await create.getByLabel(/^Double-signing penalty/).fill('5');
  await create.getByLabel(/^Most slashed per epoch/).fill('20');
  assert.equal(signRequests, signed + 1, 'only the registration was signed');
  await submit.click();
  await finalized(create);
  const set = { avs, index: 0 };
  const created = (await api.query.avsRegistry.operatorSets(set)).unwrap().config;
  assert.deepEqual(created.strategies.map(([s, least]) => [s.toNumber(), least.toBigInt()]), [[WSTETH, 0n]]);
  assert.ok(created.allowlist.isTrue && created.keyType.isSr25519 && created.terms.mode.isInstant);
  assert.equal(created.terms.maxSlashPerEpoch.toBigInt(), WAD / 5n);
  assert.equal(created.terms.equivocationPenalty.toBigInt(), WAD / 20n);
  const id = `${avs}/0`;
  const summary = page.getByTestId(`set-${id}-summary`);
  await summary.waitFor({ timeout: 30_000 });
  assert.match(await summary.textContent(), /^Accepts wstETH; sr25519 keys; 0 of at most \d+ operators, allowlisted only; slashes execute at once; at most 20\.00 % per epoch; double-signing slashes 5\.00 %\.$/);

  // Bob may join.
  const allow = page.getByTestId(`allowlist-${id}`);
  await allow.getByLabel('Operator address').fill(bob.address);
  await allow.getByTestId(`allow-${id}-submit`).click();
  await finalized(allow);
  assert.ok((await api.query.avsRegistry.allowlist(set, bob.address)).isSome);
  await allow.getByTestId(`allowlisted-${id}`).waitFor({ timeout: 30_000 });
  await allow.getByLabel('Operator address').fill(bob.address);
  assert.equal(await allow.getByTestId(`allow-${id}-error`).textContent(), 'Already on the allowlist.');

  // Rewards: a budget under one era's pay is refused; then 100 KSN at 10 an era.
  const rewards = page.getByTestId(`rewards-${id}`);
  await rewards.getByLabel(/^Amount/).fill('5');
  await rewards.getByLabel(/^Paid each era/).fill('10');
  assert.equal(await rewards.getByTestId(`fund-${id}-error`).textContent(), 'The budget must cover at least one era.');
  assert.equal(await rewards.getByTestId(`fund-${id}-submit`).isDisabled(), true);
  await rewards.getByLabel(/^Amount/).fill('100');
  await rewards.getByTestId(`fund-${id}-submit`).click();
  await finalized(rewards);
  const budget = (await api.query.avsRegistry.rewardBudgets(set, 'Native')).unwrap();
  assert.equal(budget.perEra.toBigInt(), 10n * UNIT);
  assert.equal(budget.remaining.toBigInt(), 100n * UNIT);
  await shows(`budget-${id}-KSN-remaining`, 100n * UNIT);
  // A top-up adds to what is left and sets the pay per era: 105 left, 20 an era.
  await rewards.getByLabel(/^Amount/).fill('5');
  await rewards.getByLabel(/^Paid each era/).fill('20');
  await rewards.getByTestId(`fund-${id}-submit`).click();
  await finalized(rewards);
  const topped = (await api.query.avsRegistry.rewardBudgets(set, 'Native')).unwrap();
  assert.deepEqual([topped.perEra.toBigInt(), topped.remaining.toBigInt()], [20n * UNIT, 105n * UNIT]);
  await shows(`budget-${id}-KSN-per-era`, 20n * UNIT);

  // Bob comes off the allowlist.
  await allow.getByRole('button', { name: `Remove ${bob.address} from the allowlist` }).click();
  await finalized(allow);
  assert.ok((await api.query.avsRegistry.allowlist(set, bob.address)).isNone);
  assert.equal(signRequests, signed + 6, 'registration, set, two allowlist changes and two fundings: six signatures');
  await checkPage('run-avs');
});

test('run an AVS handed over: accept it, request a slash of a member, eject the member', async () => {
  // Bob, the set's operator, has stake at risk in it: Charlie restakes wstETH with him, then
  // hands his AVS over to Dave.
  await tx(api.tx.restaking.deposit(WSTETH, 10n * E), charlie);
  await tx(api.tx.restaking.delegateTo(bob.address), charlie);
  await tx(api.tx.avsRegistry.transferAvsOwnership(set.avs, dave.address), charlie);
  await open('/run-avs', 'Run an AVS');
  await page.getByTestId(`offered-${set.avs}`).getByRole('button', { name: `Accept AVS ${set.avs}` }).click();
  await until(async () => (await api.query.avsRegistry.avsRecords(set.avs)).unwrap().owner.toString() === dave.address, 60_000, 'Dave owns the AVS');
  const id = `${set.avs}/${set.index}`;

  // A share over the set's terms is refused before signing; 5 % is requested, pending its veto window.
  const form = page.getByTestId(`slash-${id}`);
  await form.waitFor({ timeout: 30_000 });
  await form.getByLabel('Operator', { exact: true }).selectOption(bob.address);
  await form.getByLabel(/^Share of its allocation/).fill('30');
  assert.equal(await form.getByTestId(`slash-${id}-percent-error`).textContent(), "The set's terms allow at most 20.00 % per epoch.");
  assert.equal(await form.getByTestId(`slash-${id}-submit`).isDisabled(), true);
  await form.getByLabel(/^Share of its allocation/).fill('5');
  await form.getByLabel(/^Reason URI/).fill('ipfs://missed-rounds');
  await form.getByTestId(`slash-${id}-submit`).click();
  await finalized(form);
  const requested = (await api.call.slashingApi.setSlashes(set, 20))
    .find((r) => r.source.isRequest && r.source.asRequest.requester.toString() === dave.address);
  assert.ok(requested, 'a slash requested by Dave');
  assert.equal(requested.operator.toString(), bob.address);
  assert.equal(requested.fraction.toBigInt(), WAD / 20n);
  assert.ok(requested.status.isPending);
  assert.equal(requested.source.asRequest.reasonUri.toUtf8(), 'ipfs://missed-rounds');
  await page.getByTestId(`set-slashes-${id}`).getByText(`#${requested.id.toString()}`).waitFor({ timeout: 30_000 });

  // Ejected, Bob stays slashable for the deallocation delay.
  const members = page.getByTestId(`members-${id}`);
  await members.getByRole('button', { name: `Eject ${bob.address}` }).click();
  await finalized(members);
  assert.ok((await api.query.avsRegistry.members(set, bob.address)).unwrap().slashableUntil.isSome);
  await members.getByText(/^left; slashable before block #\d+$/).waitFor({ timeout: 30_000 });
  assert.deepEqual(signedCalls.slice(-3).map((c) => c.call.method), ['acceptAvsOwnership', 'requestSlash', 'ejectOperator']);
  await checkPage('run-avs-members');
});

test('an unreachable node: a clear state with retry, nothing sent', async () => {
  const signed = signRequests;
  const port = await freePort();
  const lost = await newWalletPage();
  await lost.goto(`${app.url}?rpc=ws://127.0.0.1:${port}`);
  await lost.getByTestId('unreachable').waitFor({ timeout: 30_000 });
  assert.match(await lost.getByTestId('unreachable').textContent(), new RegExp(`127.0.0.1:${port}`));
  const attempt = Number(await lost.getByTestId('unreachable').getAttribute('data-attempt'));
  await lost.getByRole('button', { name: 'Retry' }).click();
  // A new attempt, refused again.
  await until(async () => Number(await lost.getByTestId('unreachable').getAttribute('data-attempt', { timeout: 1_000 }).catch(() => attempt)) > attempt, 30_000, 'a second attempt');
  await lost.screenshot({ path: join(ARTIFACTS, 'unreachable.png') });
  await lost.close();
  assert.equal(signRequests, signed);
  console.log(`app timings: first render ${timings.firstRender} ms, populated portfolio ${timings.portfolio} ms`);
});
