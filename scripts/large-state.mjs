// Grows a chain spec's genesis to a realistic state size for `benchmark storage` (issue 25):
//   kasane-node export-chain-spec --chain dev | node scripts/large-state.mjs [--accounts 100000] [--delegators 50000] > large.json
// Reads a plain (not raw) chain spec on stdin and adds N accounts to its genesis patch, each
// holding 1 000 KSN and 10 of one LST (the spec's LSTs in turn), so the state trie holds 2N
// accounts (the keys a transfer, a deposit and every transaction's fee and nonce touch) at the
// depth a large chain has them; the first D of them (`--delegators`, default half) also delegate
// 100 KSN to the spec's first validator, which adds their staking ledgers and balance holds.
// One LST each, not all of them: the genesis patch reaches the runtime as one JSON blob, and
// the wasm allocator refuses a single allocation over 32 MiB (about 100 000 accounts with three
// LSTs each). Accounts are sr25519 keys from fixed seeds (`blake2("kasane/large-state/" + i)`,
// `largeStatePair` in tests/e2e/lib/large-state.mjs), so every run writes the same state and
// scripts/scale.mjs can sign for them.
//
// The balances go in as text: the spec's JSON numbers exceed 2^53 and a JSON round trip in
// JavaScript would round them, so the new entries are spliced into the text where each list
// opens.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';

import { largeStatePair } from '../tests/e2e/lib/large-state.mjs';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '100000' }, delegators: { type: 'string' } } });
const count = Number(values.accounts);
if (!Number.isInteger(count) || count < 1) throw new Error(`--accounts must be a positive integer, got ${values.accounts}`);
const delegators = Number(values.delegators ?? Math.floor(count / 2));
if (!Number.isInteger(delegators) || delegators < 0 || delegators > count) {
  throw new Error(`--delegators must be an integer from 0 to --accounts, got ${values.delegators}`);
}

const KSN = 10n ** 12n;
const LST_UNIT = 10n ** 18n;
const NATIVE_BALANCE = 1_000n * KSN;
const LST_BALANCE = 10n * LST_UNIT;
const DELEGATION = 100n * KSN;

const spec = readFileSync(0, 'utf8');
// Parsed only to read the structure (the asset ids); the output is the input text
// with entries spliced in.
const parsed = JSON.parse(spec);
const patch = parsed.genesis?.runtimeGenesis?.patch;
if (!patch?.balances?.balances || !patch?.assets?.accounts || !patch?.staking?.validators?.length) {
  throw new Error('expected a plain chain spec (not --raw) whose genesis patch holds balances, assets and staking validators');
}
const assetIds = (patch.assets.assets ?? []).map(([id]) => id);
if (assetIds.length === 0) throw new Error('the spec creates no assets (assets.assets is empty): no LST to give the accounts');

// In the generic SS58 format (42), as the spec's own accounts: the runtime's genesis JSON reads no
// other.
await cryptoWaitReady();
const accounts = Array.from({ length: count }, (_, i) => encodeAddress(largeStatePair(i).publicKey, 42));
const balances = accounts.map((a) => `["${a}",${NATIVE_BALANCE}]`).join(',');
const assetAccounts = accounts.map((a, i) => `[${assetIds[i % assetIds.length]},"${a}",${LST_BALANCE}]`).join(',');
const validator = patch.staking.validators[0][0];
const delegations = accounts.slice(0, delegators).map((a) => `["${a}","${validator}",${DELEGATION}]`).join(',');

// Inserts `entries` first in the list that opens at `anchor` (its first match past `after`).
function prepend(text, anchor, entries, after = 0) {
  const at = text.indexOf(anchor, after);
  if (at < 0) throw new Error(`${anchor} not found in the chain spec`);
  const open = at + anchor.length;
  const rest = text.slice(open).trimStart();
  const separator = rest.startsWith(']') ? '' : ',';
  return text.slice(0, open) + entries + separator + text.slice(open);
}

// The balances pallet's entry is `"balances": { "balances": [ ... ] }`: the first list named
// "balances" is its accounts.
let out = prepend(spec, '"balances": [', balances);
const assetsAt = out.indexOf('"assets": {');
if (assetsAt < 0) throw new Error('no "assets" entry');
out = prepend(out, '"accounts": [', assetAccounts, assetsAt);
if (delegators > 0) {
  const anchor = '"staking": {';
  const stakingAt = out.indexOf(anchor);
  if (stakingAt < 0) throw new Error('no "staking" entry');
  if (patch.staking.delegations) {
    out = prepend(out, '"delegations": [', delegations, stakingAt);
  } else {
    const open = stakingAt + anchor.length;
    out = `${out.slice(0, open)}"delegations":[${delegations}],${out.slice(open)}`;
  }
}

// The result must still be valid JSON with every account in place.
const check = JSON.parse(out).genesis.runtimeGenesis.patch;
if (check.balances.balances.length !== patch.balances.balances.length + count) throw new Error('balances not spliced in');
if (check.assets.accounts.length !== patch.assets.accounts.length + count) throw new Error('asset accounts not spliced in');
if ((check.staking.delegations ?? []).length !== (patch.staking.delegations ?? []).length + delegators) throw new Error('delegations not spliced in');
process.stdout.write(out);
process.stderr.write(
  `added ${count} accounts, each with ${NATIVE_BALANCE / KSN} KSN and ${LST_BALANCE / LST_UNIT} of one of assets ${assetIds.join(', ')}; ` +
    `${delegators} of them delegate ${DELEGATION / KSN} KSN to ${validator}\n`,
);
