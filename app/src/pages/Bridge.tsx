// The LST bridge from Kasane's side (`LstBridgeApi` first): its mode, vault and attesters;
// each mirrored token's attested rate to ETH, haircut, supply and limits; where a vault
// deposit stands by its nonce; withdrawals to Ethereum (burn here, the vault releases there
// once a quorum of attesters signed) and, for one that is ready, what `KasaneVault.release`
// needs, with the `cast send` line the CLI prints (`kasane bridge withdrawal <n>`).

import { ss58Decode } from '@polkadot-labs/hdkd-helpers';
import { useState, type FormEvent } from 'react';

import { useChainData, useReady, type Asset, type KasaneApi } from '../chain';
import { depositOutlook } from '../deposit';
import { checkEthAddress } from '../eth';
import { Amount, Field, Loading, NeedsAccount, RefreshError, TimeLeft } from '../components';
import { TxProgress, useTx } from '../tx';
import { checkAmount, feeMargin, formatAmount, mulDiv, perbillPercent, shortAddress, toHex } from '../units';
import { useWallet } from '../wallet';

const at = { at: 'best' as const };
/** Wei per ETH, and the base units a bridge rate is quoted for. */
const ETHER = 10n ** 18n;
const ETH: Asset = { strategy: -1, symbol: 'ETH', decimals: 18 };
/** How many of the latest withdrawals are searched for the account's own. */
const RECENT_WITHDRAWALS = 25;

export function BridgePage() {
  return (
    <section>
      <h1>Bridge</h1>
      <p>
        Liquid-staking tokens locked in the Ethereum vault are minted here once its attesters sign the deposit; burning them here has the vault release them on
        Ethereum. Caps, a 24-hour mint limit and a guardian’s pause bound what a compromised attester set could do.
      </p>
      <BridgeBody />
    </section>
  );
}

function BridgeBody() {
  const { data, error } = useChainData(loadOverview, []);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <RefreshError error={error} />
      <BridgeOverview data={data} />
      <DepositLookup overview={data} />
      <NeedsAccount>{(address) => <Withdrawals address={address} overview={data} />}</NeedsAccount>
    </>
  );
}

/** The mirrored tokens with their assets, rates and limits (a governed, short list). */
async function loadTokens(api: KasaneApi) {
  const entries = await api.query.LstBridge.Tokens.getEntries(at);
  const tokens = await Promise.all(
    entries.map(async ({ keyArgs: [token], value: info }) => {
      const [metadata, rate] = await Promise.all([api.query.Assets.Metadata.getValue(info.asset, at), api.apis.LstBridgeApi.rate(info.asset, at)]);
      const symbol = new TextDecoder().decode(metadata.symbol) || `asset ${info.asset}`;
      const asset: Asset = { strategy: -1, assetId: info.asset, symbol, decimals: info.decimals };
      return { token, info, asset, rate };
    }),
  );
  return tokens.sort((a, b) => a.info.asset - b.info.asset);
}

type Token = Awaited<ReturnType<typeof loadTokens>>[number];

async function loadOverview(api: KasaneApi) {
  const [mode, endpoint, guardian, attesters, tokens, lastWithdrawal] = await Promise.all([
    api.query.LstBridge.Mode.getValue(at),
    api.query.LstBridge.Endpoint.getValue(at),
    api.query.LstBridge.Guardian.getValue(at),
    api.apis.LstBridgeApi.attesters(at),
    loadTokens(api),
    api.query.LstBridge.LastWithdrawalNonce.getValue(at),
  ]);
  return { paused: mode.type === 'Paused', endpoint, guardian, attesters, tokens, lastWithdrawal };
}

/** A rate (wei per 10¹⁸ base units) as ETH per whole token, in wei. */
const perToken = (rate: bigint, decimals: number) => mulDiv(rate, 10n ** BigInt(decimals), ETHER);

type Overview = Awaited<ReturnType<typeof loadOverview>>;

function BridgeOverview({ data }: { data: Overview }) {
  const { endpoint, attesters } = data;
  return (
    <>
      <div className="panel" data-testid="bridge-status">
        <h2>Status</h2>
        <dl className="facts">
          <dt>Mode</dt>
          <dd data-testid="bridge-mode">
            {data.paused
              ? 'Paused: nothing is minted or burned; deposits made meanwhile wait and mint once it resumes.'
              : 'Normal: deposits mint, withdrawals burn.'}
          </dd>
          <dt>Ethereum vault</dt>
          <dd className="mono" data-testid="bridge-vault">
            {endpoint ? `${endpoint.vault} on chain ${endpoint.chain_id}` : 'not configured'}
          </dd>
          <dt>Attesters</dt>
          <dd data-testid="bridge-attesters">
            {attesters
              ? `${attesters.members.length}, ${attesters.quorum} must sign (vault set ${attesters.vault_set_id}${attesters.operator_set ? `, operator set ${attesters.operator_set.avs}/${attesters.operator_set.index}` : ''})`
              : 'none'}
          </dd>
          <dt>Guardian</dt>
          <dd className="mono">{data.guardian ?? 'none'}</dd>
          <dt>Withdrawals</dt>
          <dd>{data.lastWithdrawal.toString()} so far</dd>
        </dl>
      </div>
      <div className="panel">
        <h2>Mirrored tokens</h2>
        {data.tokens.length === 0 ? (
          <p data-testid="no-tokens">The bridge mirrors no token yet.</p>
        ) : (
          <table data-testid="bridge-tokens">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Ethereum token</th>
                <th scope="col">Rate</th>
                <th scope="col">Restaked value (after haircut)</th>
                <th scope="col">Outstanding / cap</th>
                <th scope="col">Mint limit per 24 h</th>
                <th scope="col">Least withdrawal</th>
              </tr>
            </thead>
            <tbody>
              {data.tokens.map((t) => (
                <TokenRow key={t.token} t={t} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

function TokenRow({ t }: { t: Token }) {
  const { asset, info, rate } = t;
  const id = asset.symbol;
  return (
    <tr data-testid={`token-${id}`}>
      <th scope="row">{asset.symbol}</th>
      <td className="mono" title={t.token}>
        {shortAddress(t.token)}
      </td>
      <td>
        {rate ? (
          <>
            <Amount value={perToken(rate.rate, asset.decimals)} asset={ETH} testId={`rate-${id}`} /> per {asset.symbol}
            <br />
            <small data-testid={`rate-fresh-${id}`}>{rate.stale ? 'stale: deposits of it wait for a fresh report' : 'fresh'}</small>
          </>
        ) : (
          <span data-testid={`rate-${id}`}>never reported</span>
        )}
      </td>
      <td>
        {rate ? <Amount value={perToken(rate.haircut_rate, asset.decimals)} asset={ETH} testId={`valued-${id}`} /> : '—'}
        <br />
        <small data-testid={`haircut-${id}`}>haircut {perbillPercent(info.haircut)}</small>
      </td>
      <td>
        <Amount value={info.minted - info.burned} asset={asset} testId={`outstanding-${id}`} /> / <Amount value={info.cap} asset={asset} testId={`cap-${id}`} />
      </td>
      <td>
        <Amount value={info.daily_limit} asset={asset} />
      </td>
      <td>
        <Amount value={info.min_withdrawal} asset={asset} testId={`min-withdrawal-${id}`} />
      </td>
    </tr>
  );
}

/** A whole number typed by a person (a nonce), or what is wrong with it. */
function parseNonce(text: string): { nonce?: bigint; problem?: string } {
  const t = text.trim();
  if (t === '') return {};
  if (!/^\d{1,19}$/.test(t)) return { problem: `“${text}” is not a nonce: write the number the vault’s Deposited event gave.` };
  const nonce = BigInt(t);
  return nonce === 0n ? { problem: 'Nonces start at 1.' } : { nonce };
}

/** Deposit `nonce` as the chain has it, all at one block: its status, why it waits (with what
 * waits), whether the bridge is paused or the token's cap still holds it back, and the inbound
 * policy (the words for a deposit not on Kasane yet). */
async function loadDeposit(api: KasaneApi, nonce: bigint) {
  const [status, waiting, policy, mode] = await Promise.all([
    api.apis.LstBridgeApi.deposit_status(nonce, at),
    api.query.LstBridge.Waiting.getValue(nonce, at),
    api.query.LstBridge.Policy.getValue(at),
    api.query.LstBridge.Mode.getValue(at),
  ]);
  const info = waiting && (await api.query.LstBridge.Tokens.getValue(waiting.token, at));
  const overCap = !!waiting && !!info && info.minted - info.burned + waiting.amount > info.cap;
  return { status, waiting, attested: policy.type === 'Attested', paused: mode.type === 'Paused', overCap };
}

function DepositLookup({ overview }: { overview: Overview }) {
  const { api, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  const { nonce, problem } = parseNonce(text);
  const { data, error } = useChainData((api) => (nonce === undefined ? Promise.resolve(undefined) : loadDeposit(api, nonce)), [nonce]);
  const outlook =
    nonce !== undefined && data
      ? depositOutlook({ status: data.status, reason: data.waiting?.reason.type, attested: data.attested, paused: data.paused, overCap: data.overCap, best })
      : undefined;
  const token = data?.waiting && overview.tokens.find((t) => t.token === data.waiting?.token);
  return (
    <div className="panel form" data-testid="deposit-lookup">
      <h2>A deposit’s status</h2>
      <Field id="deposit-nonce" label="Vault deposit nonce" inputMode="numeric" value={text} onChange={setText} problem={problem} errorTestId="deposit-nonce-error" />
      {error && <p className="error">Could not read the chain: {error}</p>}
      <p data-testid="deposit-status" data-status={outlook ? data?.status.type : undefined} role="status">
        {outlook && (
          <>
            Deposit {nonce?.toString()}: {outlook.text}
            {outlook.until !== undefined && (
              <>
                {' '}
                <TimeLeft blocks={outlook.until - best} /> (unless governance cancels it).
              </>
            )}
          </>
        )}
      </p>
      {outlook && data?.waiting && (
        <>
          <dl className="facts" data-testid="deposit-waiting">
            <dt>Amount</dt>
            <dd>{token ? <Amount value={data.waiting.amount} asset={token.asset} /> : `${data.waiting.amount} base units`}</dd>
            <dt>To</dt>
            <dd className="mono">{data.waiting.recipient}</dd>
          </dl>
          {outlook.retry !== true && (
            <p className="blocked" data-testid="deposit-retry-blocked">
              {outlook.retry}
            </p>
          )}
          <p>Relayers mint a waiting deposit soon after what holds it back is over; anyone may do it here.</p>
          <button
            type="button"
            className="primary"
            disabled={outlook.retry !== true || !account || tx.busy}
            onClick={() => account && nonce !== undefined && void tx.send(api.tx.LstBridge.retry_deposit({ nonce }), account.signer)}
            data-testid="deposit-retry"
          >
            Mint it now
          </button>
        </>
      )}
      <TxProgress state={tx.state} label="Mint the deposit" />
    </div>
  );
}

/** The account's balances and its own among the latest withdrawals (`overview` is the
 * bridge as the page last read it). */
async function loadWithdrawals(api: KasaneApi, who: string, overview: Overview) {
  const [account, fee, existential] = await Promise.all([
    api.query.System.Account.getValue(who, at),
    api.constants.LstBridge.WithdrawalFee(),
    api.constants.Balances.ExistentialDeposit(),
  ]);
  const balances = new Map(
    await Promise.all(
      overview.tokens.map(async (t) => [t.info.asset, (await api.query.Assets.Account.getValue(t.info.asset, who, at))?.balance ?? 0n] as const),
    ),
  );
  // The account's own among the latest withdrawals: one batched storage read, then the API's
  // view (digest, signatures, readiness) of just those.
  const last = overview.lastWithdrawal;
  const nonces: bigint[] = [];
  for (let n = last; n > 0n && nonces.length < RECENT_WITHDRAWALS; n -= 1n) nonces.push(n);
  const records = await api.query.LstBridge.Withdrawals.getValues(
    nonces.map((n) => [n]),
    at,
  );
  const mine = nonces.filter((_, i) => {
    const origin = records[i]?.origin;
    return origin?.type === 'Account' && origin.value === who;
  });
  const views = (await Promise.all(mine.map((n) => api.apis.LstBridgeApi.withdrawal(n, at)))).filter((v) => v !== undefined);
  return { free: account.data.free, fee, existential, balances, withdrawals: views };
}

type WithdrawalsData = Awaited<ReturnType<typeof loadWithdrawals>>;
type WithdrawalView = WithdrawalsData['withdrawals'][number];

function Withdrawals({ address, overview }: { address: string; overview: Overview }) {
  // Re-read on every block with the overview read for it (one block behind at worst).
  const { data, error } = useChainData((api) => loadWithdrawals(api, address, overview), [address]);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <RefreshError error={error} />
      <WithdrawForm data={data} bridge={overview} />
      <div className="panel" data-testid="my-withdrawals">
        <h2>Your withdrawals to Ethereum</h2>
        {data.withdrawals.length === 0 ? (
          <p data-testid="no-withdrawals">None among the latest {RECENT_WITHDRAWALS} withdrawals.</p>
        ) : (
          data.withdrawals.map((w) => <WithdrawalCard key={w.withdrawal.nonce.toString()} w={w} bridge={overview} address={address} />)
        )}
      </div>
      <WithdrawalLookup bridge={overview} address={address} />
    </>
  );
}

function WithdrawForm({ data, bridge }: { data: WithdrawalsData; bridge: Overview }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [assetId, setAssetId] = useState<number | undefined>();
  const [amountText, setAmountText] = useState('');
  const [recipientText, setRecipientText] = useState('');
  const token = bridge.tokens.find((t) => t.info.asset === assetId) ?? bridge.tokens[0];
  if (!token) return null;
  const { asset } = token;
  const balance = data.balances.get(asset.assetId ?? -1) ?? 0n;
  const blocked = bridge.paused
    ? 'The bridge is paused: nothing is burned or released until governance resumes it.'
    : !bridge.endpoint || !bridge.attesters
      ? 'The bridge has no Ethereum vault or attesters configured yet.'
      : undefined;
  let amount: bigint | undefined;
  let amountProblem: string | undefined;
  if (amountText !== '') {
    ({ amount, problem: amountProblem } = checkAmount(amountText, asset.decimals, asset.symbol));
    if (amount !== undefined && amount > balance) amountProblem = `You hold ${formatAmount(balance, asset.decimals)} ${asset.symbol}: ${amountText} is more than that.`;
    else if (amount !== undefined && amount < token.info.min_withdrawal)
      amountProblem = `A withdrawal takes at least ${formatAmount(token.info.min_withdrawal, asset.decimals)} ${asset.symbol}: each costs a release transaction on Ethereum.`;
  }
  const recipient = recipientText === '' ? {} : checkEthAddress(recipientText);
  // The fee leaves the free balance, which must keep the existential deposit and pay for this
  // transaction.
  const feeProblem =
    data.free < data.fee + data.existential + feeMargin(info.native.decimals)
      ? `The withdrawal’s fee is ${formatAmount(data.fee, info.native.decimals)} ${info.native.symbol}; with the transaction’s own fee and the ${formatAmount(data.existential, info.native.decimals)} your account must keep, that is more than your ${formatAmount(data.free, info.native.decimals)}.`
      : undefined;
  const ready = amount !== undefined && !amountProblem && recipient.address && !feeProblem && !blocked;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!account || !ready || amount === undefined || !recipient.address || asset.assetId === undefined) return;
    const ok = await tx.send(api.tx.LstBridge.withdraw_to_ethereum({ asset: asset.assetId, amount, recipient: recipient.address }), account.signer);
    if (ok) setAmountText('');
  };
  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate data-testid="bridge-withdraw-form">
      <h2>Withdraw to Ethereum</h2>
      <label htmlFor="bridge-asset">Token</label>
      <select id="bridge-asset" value={asset.assetId} onChange={(e) => setAssetId(Number(e.target.value))}>
        {bridge.tokens.map((t) => (
          <option key={t.token} value={t.info.asset}>
            {t.asset.symbol} (you hold {formatAmount(data.balances.get(t.info.asset) ?? 0n, t.asset.decimals)})
          </option>
        ))}
      </select>
      <Field
        id="bridge-amount"
        label={`Amount (${asset.symbol})`}
        inputMode="decimal"
        value={amountText}
        onChange={setAmountText}
        problem={amountProblem}
        errorTestId="bridge-amount-error"
      />
      <Field
        id="bridge-recipient"
        label="Ethereum recipient"
        mono
        placeholder="0x…"
        value={recipientText}
        onChange={setRecipientText}
        problem={recipient.problem}
        errorTestId="bridge-recipient-error"
      />
      <p>
        The tokens are burned here now; the vault releases them once {bridge.attesters?.quorum ?? 'a quorum of'} attesters signed. Fee:{' '}
        <Amount value={data.fee} asset={info.native} testId="bridge-fee" />, paid to whoever submits the release on Ethereum.
      </p>
      {(blocked ?? feeProblem) && (
        <p className="blocked" data-testid="bridge-withdraw-blocked">
          {blocked ?? feeProblem}
        </p>
      )}
      <button type="submit" className="primary" disabled={!ready || !account || tx.busy} data-testid="bridge-withdraw-submit">
        Withdraw to Ethereum
      </button>
      <TxProgress state={tx.state} label="Withdraw to Ethereum" />
    </form>
  );
}

/** The beneficiary `release` names: the Kasane account (32 bytes) owed the fee. */
const accountBytes32 = (address: string) => toHex(ss58Decode(address)[0]);

/** `cast send` for `KasaneVault.release`, exactly as `kasane bridge withdrawal` prints it. */
function castLine(vault: string, w: WithdrawalView, beneficiary: string): string {
  const m = w.withdrawal;
  return (
    `cast send ${vault} 'release((uint64,address,address,uint256),bytes[],bytes32)' ` +
    `'(${m.nonce},${m.token},${m.recipient},${m.amount})' '[${w.signatures.join(',')}]' ${beneficiary} ` +
    `--rpc-url "$ETH_RPC_URL" --private-key "$ETH_PRIVATE_KEY"`
  );
}

function WithdrawalCard({ w, bridge, address }: { w: WithdrawalView; bridge: Overview; address: string }) {
  const { info } = useReady();
  const m = w.withdrawal;
  const nonce = m.nonce.toString();
  const token = bridge.tokens.find((t) => t.token === m.token);
  const quorum = bridge.attesters?.quorum;
  const state = w.released ? 'Released on Ethereum.' : w.ready ? 'Ready: release it on Ethereum.' : `Waiting for attesters: ${w.signatures.length} of ${quorum ?? '?'} signatures.`;
  return (
    <div className="card" data-testid={`withdrawal-${nonce}`} data-ready={w.ready} data-released={w.released}>
      <h3>Withdrawal {nonce}</h3>
      <dl className="facts">
        <dt>Amount</dt>
        <dd>{token ? <Amount value={m.amount} asset={token.asset} /> : `${m.amount} base units`}</dd>
        <dt>To</dt>
        <dd className="mono">{m.recipient}</dd>
        <dt>Fee</dt>
        <dd>
          <Amount value={w.fee} asset={info.native} />
        </dd>
        <dt>State</dt>
        <dd data-testid={`withdrawal-state-${nonce}`}>{state}</dd>
      </dl>
      {w.ready && !w.released && bridge.endpoint && (
        <details open>
          <summary>What the vault needs</summary>
          <p>
            Call <code>release</code> on the vault <code>{bridge.endpoint.vault}</code> (chain {bridge.endpoint.chain_id.toString()}) with the message, these signatures and
            your Kasane account as the beneficiary, who is paid the fee once the release is attested back:
          </p>
          <dl className="facts">
            <dt>Message</dt>
            <dd className="mono">
              ({nonce}, {m.token}, {m.recipient}, {m.amount.toString()})
            </dd>
            <dt>Signatures</dt>
            <dd className="mono" data-testid={`withdrawal-signatures-${nonce}`}>
              {w.signatures.map((s) => (
                <div key={s}>{s}</div>
              ))}
            </dd>
            <dt>Beneficiary</dt>
            <dd className="mono">{accountBytes32(address)}</dd>
          </dl>
          <p>With Foundry:</p>
          <code className="payload" data-testid={`withdrawal-cast-${nonce}`}>
            {castLine(bridge.endpoint.vault, w, accountBytes32(address))}
          </code>
        </details>
      )}
    </div>
  );
}

function WithdrawalLookup({ bridge, address }: { bridge: Overview; address: string }) {
  const [text, setText] = useState('');
  const { nonce, problem } = parseNonce(text);
  const { data: found, error } = useChainData(
    async (api) => {
      if (nonce === undefined) return undefined;
      const view = await api.apis.LstBridgeApi.withdrawal(nonce, at);
      if (view) return { view };
      // Why there is none, as the CLI says it.
      const stored = (await api.query.LstBridge.Withdrawals.getValue(nonce, at)) !== undefined;
      return { missing: stored ? 'It waits for the bridge to be configured (an Ethereum vault and attesters).' : nonce > bridge.lastWithdrawal ? `No withdrawal ${nonce} was ever requested (the latest is ${bridge.lastWithdrawal}).` : `Withdrawal ${nonce} was released on Ethereum and has been pruned since.` };
    },
    [nonce],
  );
  return (
    <div className="panel" data-testid="withdrawal-lookup">
      <h2>Any withdrawal by nonce</h2>
      <div className="form">
        <Field id="withdrawal-nonce" label="Withdrawal nonce" inputMode="numeric" value={text} onChange={setText} problem={problem} />
      </div>
      {error && <p className="error">Could not read the chain: {error}</p>}
      <p data-testid="withdrawal-missing" role="status">
        {found?.missing}
      </p>
      {found?.view && <WithdrawalCard w={found.view} bridge={bridge} address={address} />}
    </div>
  );
}
