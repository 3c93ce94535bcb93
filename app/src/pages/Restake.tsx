// Restake: pick KSN or an LST, an amount and an operator; an LST is deposited and delegated
// in one `utility.batchAll`, KSN is delegated to a validator's pool. Everything the chain
// would refuse (paused or capped deposits, a paused bridge, too little balance, a bad amount)
// is shown before signing and disables the button.

import { useMemo, useState, type FormEvent } from 'react';

import { assetOf, useChainData, useReady, type Asset, type KasaneApi } from '../chain';
import { Amount, Loading, NeedsAccount } from '../components';
import { loadBalances, loadNativeStake, loadOperators } from '../reads';
import { TxProgress, useTx } from '../tx';
import { checkAmount, feeMargin, formatAmount, perbillPercent, shortAddress } from '../units';
import { useWallet } from '../wallet';

export function RestakePage() {
  return (
    <section>
      <h1>Restake</h1>
      <NeedsAccount>{(address) => <RestakeForm address={address} />}</NeedsAccount>
    </section>
  );
}

const at = { at: 'best' as const };

async function loadRestakeState(api: KasaneApi, who: string, assets: Asset[]) {
  const [balances, strategies, bridgeMode, staker, operators, native, minDelegatorBond] = await Promise.all([
    loadBalances(api, who, assets),
    api.query.Restaking.Strategies.getEntries(at),
    api.query.LstBridge.Mode.getValue(at),
    api.apis.RestakingApi.staker(who, at),
    loadOperators(api),
    loadNativeStake(api, who),
    api.constants.Staking.MinDelegatorBond(),
  ]);
  const existential = await api.constants.Balances.ExistentialDeposit();
  return {
    balances,
    strategies: new Map(strategies.map(({ keyArgs: [id], value }) => [id, value])),
    bridgePaused: bridgeMode.type === 'Paused',
    staker,
    operators,
    native,
    minDelegatorBond,
    existential,
  };
}

function RestakeForm({ address }: { address: string }) {
  const { info, api } = useReady();
  const { account } = useWallet();
  const { assets, native } = info;
  const { data, error } = useChainData((a) => loadRestakeState(a, address, assets), [address]);
  const [strategy, setStrategy] = useState<number>(() => assets.find((a) => a.assetId !== undefined)?.strategy ?? assets[0]?.strategy ?? 0);
  const [amountText, setAmountText] = useState('');
  const [operator, setOperator] = useState('');
  const [touched, setTouched] = useState(false);
  const tx = useTx();
  const asset = assetOf(assets, strategy, native);
  const isNative = asset.assetId === undefined;

  const check = useMemo(() => {
    if (!data) return undefined;
    const blocked: string[] = [];
    const parsed = checkAmount(amountText, asset.decimals, asset.symbol);
    const amount = parsed.amount;
    let amountError = parsed.problem;
    const held = data.balances.get(strategy) ?? 0n;
    // KSN: the existential deposit and a fee stay in the account.
    const reserve = isNative ? data.existential + feeMargin(native.decimals) : 0n;
    const balance = held > reserve ? held - reserve : 0n;
    if (amount !== undefined && !amountError && amount > balance) {
      amountError = isNative
        ? `You can bond at most ${formatAmount(balance, asset.decimals)} ${asset.symbol} (your balance less the existential deposit and a fee).`
        : `You hold ${formatAmount(balance, asset.decimals)} ${asset.symbol}: ${amountText} is more than that.`;
    }
    const info = data.strategies.get(strategy);
    // The operator is fixed when already delegated: deposits go to the current operator.
    let fixedOperator: string | undefined;
    if (isNative) {
      if (data.native) fixedOperator = data.native.pool;
      if (!data.native && amount !== undefined && !amountError && amount < data.minDelegatorBond) {
        amountError = `Delegating KSN takes at least ${formatAmount(data.minDelegatorBond, native.decimals)} ${native.symbol}.`;
      }
    } else {
      fixedOperator = data.staker.delegated_to;
      if (info?.status.type === 'DepositsPaused') blocked.push(`Deposits of ${asset.symbol} are paused by governance (the strategy’s status).`);
      // The chain would take the deposit; the app does not while the bridge's guardian has
      // paused it (an emergency: the tokens' backing on Ethereum is in question).
      if (data.bridgePaused) blocked.push(`The LST bridge is paused by its guardian: this app takes no deposits of bridged tokens until it resumes.`);
      if (info && amount !== undefined && !amountError) {
        if (info.held + amount > info.deposit_cap) {
          const room = info.deposit_cap > info.held ? info.deposit_cap - info.held : 0n;
          blocked.push(`The ${asset.symbol} strategy is capped at ${formatAmount(info.deposit_cap, asset.decimals)} ${asset.symbol}: room for ${formatAmount(room, asset.decimals)} more.`);
        }
        const position = data.staker.positions.find((p) => p.strategy === strategy)?.withdrawable ?? 0n;
        if (position + amount > info.per_staker_cap) {
          blocked.push(`One staker may hold at most ${formatAmount(info.per_staker_cap, asset.decimals)} ${asset.symbol} here (you hold ${formatAmount(position, asset.decimals)}).`);
        }
      }
    }
    const chosen = fixedOperator ?? operator;
    if (!chosen) blocked.push(isNative ? 'Pick a validator.' : 'Pick an operator.');
    return { amount, amountError, blocked, fixedOperator, chosen, balance };
  }, [data, amountText, asset, strategy, isNative, operator, native]);

  if (!data || !check) return <Loading error={error} />;

  const choices = isNative ? data.operators.filter((o) => o.validator) : data.operators;
  const ready = check.amount !== undefined && !check.amountError && check.blocked.length === 0 && !!account && !tx.busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!ready || check.amount === undefined || !account) return;
    const amount = check.amount;
    let call;
    if (isNative) {
      call = data.native ? api.tx.Staking.bond_extra({ value: amount }) : api.tx.Staking.delegate({ validator: check.chosen, value: amount });
    } else if (check.fixedOperator) {
      call = api.tx.Restaking.deposit({ strategy, amount });
    } else {
      call = api.tx.Utility.batch_all({
        calls: [api.tx.Restaking.deposit({ strategy, amount }).decodedCall, api.tx.Restaking.delegate_to({ operator: check.chosen }).decodedCall],
      });
    }
    if (await tx.send(call, account.signer)) setAmountText('');
  };

  return (
    <form onSubmit={submit} className="panel form" noValidate>
      <fieldset>
        <legend>Asset</legend>
        {assets.map((a) => (
          <label key={a.strategy} className="choice">
            <input type="radio" name="asset" value={a.strategy} checked={a.strategy === strategy} onChange={() => setStrategy(a.strategy)} />
            {a.symbol} <small>(you hold <Amount value={data.balances.get(a.strategy) ?? 0n} asset={a} testId={`restake-balance-${a.symbol}`} />)</small>
          </label>
        ))}
      </fieldset>

      <label htmlFor="amount">Amount ({asset.symbol})</label>
      <div className="row">
        <input
          id="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          onBlur={() => setTouched(true)}
          aria-invalid={amountText !== '' && !!check.amountError}
          aria-describedby={amountText !== '' && check.amountError ? 'amount-error' : undefined}
        />
        <button type="button" onClick={() => setAmountText(formatAmount(check.balance, asset.decimals, asset.decimals).replace(/,/g, '').replace(/^< /, ''))}>
          Max
        </button>
      </div>
      {(touched || amountText !== '') && check.amountError && (
        <p id="amount-error" className="error" data-testid="amount-error">
          {check.amountError}
        </p>
      )}

      {check.fixedOperator ? (
        <p data-testid="fixed-operator">
          <strong>{isNative ? 'Validator' : 'Operator'}</strong>
          <br />
          Your {isNative ? 'KSN is in the pool of' : 'positions are delegated to'} <span title={check.fixedOperator}>{shortAddress(check.fixedOperator)}</span>: this adds to it
          {isNative ? ' (to move to another validator, see the Withdraw page)' : ' (to move, redelegate on the Withdraw page)'}.
        </p>
      ) : (
        <label htmlFor="operator">{isNative ? 'Validator' : 'Operator'}</label>
      )}
      {!check.fixedOperator && (
        <select id="operator" value={operator} onChange={(e) => setOperator(e.target.value)} data-testid="operator-select">
          <option value="">Choose {isNative ? 'a validator' : 'an operator'}</option>
          {choices.map((o) => (
            <option key={o.address} value={o.address}>
              {o.metadata || shortAddress(o.address)} · {perbillPercent(isNative ? (o.nativeCommission ?? o.commission) : o.commission)} commission ·{' '}
              {formatAmount(o.stake.get(strategy) ?? 0n, asset.decimals)} {asset.symbol} delegated
            </option>
          ))}
        </select>
      )}

      {check.blocked.filter((b) => !b.startsWith('Pick')).length > 0 && (
        <ul className="blocked" data-testid="deposit-blocked">
          {check.blocked
            .filter((b) => !b.startsWith('Pick'))
            .map((b) => (
              <li key={b}>{b}</li>
            ))}
        </ul>
      )}

      <button type="submit" className="primary" disabled={!ready} data-testid="restake-submit">
        {isNative ? (data.native ? 'Bond more' : 'Delegate KSN') : check.fixedOperator ? 'Deposit' : 'Deposit and delegate'}
      </button>
      <TxProgress state={tx.state} label={isNative ? 'Native stake' : 'Restake'} />
    </form>
  );
}
