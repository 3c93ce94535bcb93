// Leaving and moving stake: queue a restaking withdrawal (it stays slashable until its delay
// passes), complete it, redelegate, claim rewards; unbond, rebond, withdraw and claim native
// stake, choose where its rewards go, move it to another validator or leave.

import { useState, type FormEvent } from 'react';

import { assetOf, useChainData, useReady, type Asset, type KasaneApi } from '../chain';
import { AddressLink, Amount, Loading, NeedsAccount, RefreshError, TimeLeft } from '../components';
import { heldBySlash, leaveBlocker, moveBlocker, withdrawable } from '../native';
import { heldBy, listOperators, loadClaimable, loadFreezes, loadNativeStake, nativeHolds, nativePools, rewardAsset } from '../reads';
import { TxProgress, useTx } from '../tx';
import { checkAmount, formatAmount, formatDuration, mulDiv, shortAddress } from '../units';
import { useWallet } from '../wallet';

export function WithdrawPage() {
  return (
    <section>
      <h1>Withdraw</h1>
      <NeedsAccount>{(address) => <WithdrawFor address={address} />}</NeedsAccount>
    </section>
  );
}

async function loadWithdrawState(api: KasaneApi, who: string, assets: Asset[]) {
  const [staker, claimable, native, operators, delays] = await Promise.all([
    api.apis.RestakingApi.staker(who, { at: 'best' }),
    loadClaimable(api, who, assets),
    loadNativeStake(api, who),
    listOperators(api),
    api.query.ChainParameters.CurrentDelays.getValue({ at: 'best' }),
  ]);
  const owners = staker.withdrawals.flatMap((w) => (w.operator ? [w.operator] : []));
  // A chunk is held by its own pool's freeze: one from a pool left since too.
  const freezes = await loadFreezes(api, native ? [...owners, ...nativePools(native)] : owners);
  return { staker, claimable, native, operators, delays, freezes };
}

function WithdrawFor({ address }: { address: string }) {
  const { info } = useReady();
  const { data, error } = useChainData((api) => loadWithdrawState(api, address, info.assets), [address]);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <RefreshError error={error} />
      <QueueForm data={data} />
      <QueueList data={data} />
      <Redelegate data={data} />
      <Rewards data={data} />
      <NativeStake data={data} />
    </>
  );
}

type State = Awaited<ReturnType<typeof loadWithdrawState>>;

function QueueForm({ data }: { data: State }) {
  const { info, api } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const positions = data.staker.positions.filter((p) => p.deposit_shares > 0n);
  const [strategy, setStrategy] = useState<number | undefined>(positions[0]?.strategy);
  const [amountText, setAmountText] = useState('');
  const [all, setAll] = useState(false);
  const position = positions.find((p) => p.strategy === strategy) ?? positions[0];
  if (!position) {
    return (
      <div className="panel">
        <h2>Queue a withdrawal</h2>
        <p>No restaking position to withdraw from.</p>
      </div>
    );
  }
  const asset = assetOf(info.assets, position.strategy, info.native);
  let shares: bigint | undefined;
  let problem: string | undefined;
  if (all) {
    shares = position.deposit_shares;
  } else if (amountText !== '') {
    const { amount: wanted, problem: bad } = checkAmount(amountText, asset.decimals, asset.symbol);
    problem = bad;
    if (wanted !== undefined) {
      if (wanted > position.withdrawable) {
        problem = `You can withdraw at most ${formatAmount(position.withdrawable, asset.decimals)} ${asset.symbol}.`;
      } else {
        // Rounded up so the conversion does not shrink the withdrawal (the pallet rounds the value down).
        const up = mulDiv(wanted, position.deposit_shares, position.withdrawable, true);
        shares = up < position.deposit_shares ? up : position.deposit_shares;
      }
    }
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!shares || !account || problem) return;
    if (await tx.send(api.tx.Restaking.queue_withdrawal({ strategy: position.strategy, shares }), account.signer)) {
      setAmountText('');
      setAll(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate data-testid="queue-form">
      <h2>Queue a withdrawal</h2>
      <p>
        A queued withdrawal can be completed after {formatDuration(data.delays.withdrawal, info.blockMs)} and stays slashable until then.
      </p>
      <label htmlFor="withdraw-asset">Asset</label>
      <select id="withdraw-asset" value={position.strategy} onChange={(e) => setStrategy(Number(e.target.value))}>
        {positions.map((p) => {
          const a = assetOf(info.assets, p.strategy, info.native);
          return (
            <option key={p.strategy} value={p.strategy}>
              {a.symbol} — {formatAmount(p.withdrawable, a.decimals)} active
            </option>
          );
        })}
      </select>
      <label htmlFor="withdraw-amount">Amount ({asset.symbol})</label>
      <div className="row">
        <input
          id="withdraw-amount"
          inputMode="decimal"
          autoComplete="off"
          value={all ? '' : amountText}
          disabled={all}
          onChange={(e) => setAmountText(e.target.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? 'withdraw-error' : undefined}
        />
        <label className="choice">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> everything (
          <Amount value={position.withdrawable} asset={asset} />)
        </label>
      </div>
      {problem && (
        <p className="error" id="withdraw-error" data-testid="withdraw-error">
          {problem}
        </p>
      )}
      <button type="submit" className="primary" disabled={!shares || !!problem || !account || tx.busy} data-testid="queue-submit">
        Queue withdrawal
      </button>
      <TxProgress state={tx.state} label="Queue withdrawal" />
    </form>
  );
}

function QueueList({ data }: { data: State }) {
  const { info, api, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const withdrawals = data.staker.withdrawals;
  return (
    <div className="panel" data-testid="withdrawal-queue">
      <h2>Queued withdrawals</h2>
      {withdrawals.length === 0 ? (
        <p data-testid="no-withdrawals">Nothing queued.</p>
      ) : (
        <table data-testid="withdrawals">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Value</th>
              <th scope="col">Kind</th>
              <th scope="col">Slashable by</th>
              <th scope="col">Completes</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {withdrawals.map((w) => {
              const asset = assetOf(info.assets, w.strategy, info.native);
              const left = w.withdrawable_at - best;
              const freeze = heldBy(data.freezes, w.operator, w.withdrawable_at);
              const held = !!freeze;
              return (
                <tr key={w.id.toString()} data-testid={`withdrawal-${w.id}`}>
                  <td>#{w.id.toString()}</td>
                  <td>
                    <Amount value={w.value} asset={asset} testId={`withdrawal-value-${w.id}`} />
                  </td>
                  {/* A redeposit lands under the operator delegated to when it completes. */}
                  <td>{w.redeposit ? (data.staker.delegated_to ? 'redelegation' : 'back, undelegated') : 'withdrawal'}</td>
                  <td>{w.operator ? <AddressLink address={w.operator} operator /> : '—'}</td>
                  <td>
                    <TimeLeft blocks={left} testId={`withdrawal-left-${w.id}`} />
                    {freeze && (
                      <p className="error" data-testid={`withdrawal-held-${w.id}`}>
                        Held while {freeze.pending === 1 ? 'a slash' : `${freeze.pending} slashes`} of its operator {freeze.pending === 1 ? 'waits' : 'wait'} for a decision.
                      </p>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      disabled={left > 0 || held || !account || tx.busy}
                      data-testid={`complete-${w.id}`}
                      aria-label={`Complete withdrawal #${w.id}`}
                      onClick={() => account && void tx.send(api.tx.Restaking.complete_withdrawal({ id: w.id }), account.signer)}
                    >
                      Complete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <TxProgress state={tx.state} label="Complete withdrawal" />
    </div>
  );
}

function Redelegate({ data }: { data: State }) {
  const { api } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [operator, setOperator] = useState('');
  const current = data.staker.delegated_to;
  if (!current) return null;
  const choices = data.operators.filter((o) => o.address !== current);
  return (
    <div className="panel" data-testid="redelegate-panel">
      <h2>Redelegate or leave</h2>
      <p>
        Your positions are delegated to <AddressLink address={current} operator />. Redelegating queues each as a withdrawal the new operator receives after the withdrawal delay
        (slashable by the current one until then); leaving queues each the same way, to come back undelegated (earning nothing, exposed to nothing).
      </p>
      <div className="row">
        <label htmlFor="redelegate-to">New operator</label>
        <select id="redelegate-to" value={operator} onChange={(e) => setOperator(e.target.value)}>
          <option value="">Choose an operator</option>
          {choices.map((o) => (
            <option key={o.address} value={o.address}>
              {o.metadata || shortAddress(o.address)}
            </option>
          ))}
        </select>
        <button type="button" disabled={!operator || !account || tx.busy} onClick={() => account && void tx.send(api.tx.Restaking.redelegate({ operator }), account.signer)}>
          Redelegate
        </button>
      </div>
      <button type="button" disabled={!account || tx.busy} onClick={() => account && void tx.send(api.tx.Restaking.undelegate(), account.signer)} data-testid="undelegate-submit">
        Leave this operator
      </button>
      <TxProgress state={tx.state} label="Redelegate or leave" />
    </div>
  );
}

function Rewards({ data }: { data: State }) {
  const { info, api } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const claim = () => {
    if (!account || data.claimable.length === 0) return;
    const calls = data.claimable.map((c) => api.tx.Restaking.claim_rewards({ strategy: c.strategy, asset: c.asset }).decodedCall);
    void tx.send(api.tx.Utility.batch_all({ calls }), account.signer);
  };
  return (
    <div className="panel" data-testid="rewards-panel">
      <h2>Restaking rewards</h2>
      {data.claimable.length === 0 ? (
        <p data-testid="no-rewards">No rewards to claim.</p>
      ) : (
        <ul data-testid="claimable">
          {data.claimable.map((c, i) => (
            <li key={i}>
              <Amount value={c.amount} asset={rewardAsset(c.asset, info.assets, info.native)} testId={`claimable-${i}`} /> for {assetOf(info.assets, c.strategy, info.native).symbol} stake
            </li>
          ))}
        </ul>
      )}
      <button type="button" disabled={data.claimable.length === 0 || !account || tx.busy} onClick={claim} data-testid="claim-rewards">
        Claim all
      </button>
      <TxProgress state={tx.state} label="Claim rewards" />
    </div>
  );
}

function NativeStake({ data }: { data: State }) {
  const { info, api } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const { native } = info;
  const { amount, problem } = text === '' ? {} : checkAmount(text, native.decimals, native.symbol);
  const stake = data.native;
  // A slash of a pool's validator, due or waiting for a decision, holds the stake it reaches.
  const { frozen, owes } = stake ? nativeHolds(stake, data.freezes) : { frozen: () => false, owes: false };
  const poolHeld = stake ? frozen(stake.pool) : false;
  const ready = stake ? withdrawable(stake.chunks, stake.answerable, stake.era, frozen) : 0n;
  // Unlocked but kept: the pools whose slash keeps them (the obligation list explains `owes`).
  const heldPools = stake && !owes ? [...new Set(stake.chunks.filter((c) => heldBySlash(c, stake.era, false, frozen)).map((c) => c.pool))] : [];
  const send = (call: Parameters<typeof tx.send>[0]) => account && void tx.send(call, account.signer);
  const cannotLeave = stake && account ? leaveBlocker(account.address, stake.pool, stake.active) : undefined;
  const cannotMove = stake && account ? moveBlocker(account.address, stake.pool, stake.active, poolHeld) : undefined;
  // The choice being made; the chain's until the staker picks another.
  const [destination, setDestination] = useState<'Stake' | 'Free'>();
  const shownDestination = destination ?? stake?.rewardDestination ?? 'Free';
  const saveDestination = async (d: 'Stake' | 'Free') => {
    if (account && (await tx.send(api.tx.Staking.set_reward_destination({ destination: { type: d, value: undefined } }), account.signer))) setDestination(undefined);
  };
  const move = async () => {
    if (account && (await tx.send(api.tx.Staking.redelegate({ to }), account.signer))) setTo('');
  };
  const validators = data.operators.filter((o) => o.validator && o.address !== stake?.pool && o.address !== account?.address);
  return (
    <div className="panel" data-testid="native-panel">
      <h2>Native stake</h2>
      {stake ? (
        <p>
          Active <Amount value={stake.active} asset={native} /> in the pool of <AddressLink address={stake.pool} operator />; withdrawable now{' '}
          <Amount value={ready} asset={native} testId="native-withdrawable" />; unbonding that can be rebonded{' '}
          <Amount value={stake.rebondable} asset={native} testId="native-rebondable" />; unclaimed rewards <Amount value={stake.unclaimed} asset={native} />.
          {heldPools.map((pool) => (
            <span key={pool} data-testid="native-unlocked-held">
              {' '}
              What unlocked from the pool of <AddressLink address={pool} operator /> stays until a slash of its validator, due or waiting for a decision, is applied or decided.
            </span>
          ))}
        </p>
      ) : (
        <p>You have no native stake. Delegate KSN to a validator on the Restake page, or bond it as your own validator pool here.</p>
      )}
      <label htmlFor="native-amount">Amount ({native.symbol})</label>
      {poolHeld && <p className="error">A slash of this pool’s validator is due or waits for a decision: what it reaches stays in the pool until it is applied or decided.</p>}
      <input
        id="native-amount"
        inputMode="decimal"
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={!!problem}
        aria-describedby={problem ? 'native-error' : undefined}
      />
      {problem && (
        <p className="error" id="native-error">
          {problem}
        </p>
      )}
      <div className="row">
        {!stake && (
          <button type="button" disabled={!amount || !!problem || tx.busy} onClick={() => amount && send(api.tx.Staking.bond({ value: amount }))}>
            Bond as own pool
          </button>
        )}
        {stake && (
          <>
            <button type="button" disabled={!amount || !!problem || tx.busy} onClick={() => amount && send(api.tx.Staking.bond_extra({ value: amount }))}>
              Bond more
            </button>
            <button type="button" disabled={!amount || !!problem || (amount ?? 0n) > stake.active || tx.busy} onClick={() => amount && send(api.tx.Staking.unbond({ value: amount }))}>
              Unbond
            </button>
            <button
              type="button"
              title="Move stake that is unbonding from this pool back to active stake"
              disabled={!amount || !!problem || (amount ?? 0n) > stake.rebondable || tx.busy}
              onClick={() => amount && send(api.tx.Staking.rebond({ value: amount }))}
            >
              Rebond
            </button>
            <button type="button" disabled={ready === 0n || tx.busy} onClick={() => send(api.tx.Staking.withdraw_unbonded())}>
              Withdraw unbonded
            </button>
            <button type="button" disabled={stake.unclaimed === 0n || tx.busy} onClick={() => send(api.tx.Staking.claim_rewards())}>
              Claim native rewards
            </button>
          </>
        )}
      </div>
      {stake && (
        <>
          <fieldset data-testid="reward-destination">
            <legend>Claimed rewards</legend>
            {(['Stake', 'Free'] as const).map((d) => (
              <label key={d} className="choice">
                <input type="radio" name="reward-destination" checked={shownDestination === d} onChange={() => setDestination(d)} />
                {d === 'Stake' ? 'Bond them into the pool (compounding)' : 'Pay them to my balance'}
                {stake.rewardDestination === d && ' (now)'}
              </label>
            ))}
            <button type="button" disabled={shownDestination === stake.rewardDestination || !account || tx.busy} onClick={() => void saveDestination(shownDestination)}>
              Save reward choice
            </button>
          </fieldset>
          {stake.answerable.length > 0 && (
            <ul data-testid="native-answerable">
              {stake.answerable.map((o) => (
                <li key={`${o.from}-${o.era}`}>
                  <Amount value={o.value} asset={native} /> moved from <AddressLink address={o.from} operator />{' '}
                  {o.era > stake.era
                    ? `stays answerable for its offences until era ${o.era}.`
                    : frozen(o.from)
                      ? 'is held, with your unlocked stake, until a slash of that validator now due or pending is applied or decided.'
                      : 'is answerable no more: dropped when your ledger next settles (a staking call that succeeds).'}
                </li>
              ))}
            </ul>
          )}
          {cannotLeave ? (
            <p data-testid="native-move-blocked">{cannotLeave}</p>
          ) : (
            <>
              {cannotMove && <p data-testid="native-move-blocked">{cannotMove}</p>}
              <div className="row" data-testid="native-move">
                <label htmlFor="native-redelegate-to">Move to validator</label>
                <select id="native-redelegate-to" value={to} disabled={!!cannotMove} onChange={(e) => setTo(e.target.value)}>
                  <option value="">Choose a validator</option>
                  {validators.map((o) => (
                    <option key={o.address} value={o.address}>
                      {o.metadata || shortAddress(o.address)}
                    </option>
                  ))}
                </select>
                <button type="button" disabled={!!cannotMove || !validators.some((v) => v.address === to) || tx.busy} onClick={() => void move()}>
                  Move stake
                </button>
                <button type="button" disabled={tx.busy} onClick={() => send(api.tx.Staking.undelegate())}>
                  Leave this validator
                </button>
              </div>
            </>
          )}
          <p>
            Moving takes the whole delegation to the new pool now; it stays answerable for the old validator’s offences for the unbonding period. Leaving unbonds all of it.
          </p>
        </>
      )}
      <TxProgress state={tx.state} label="Native stake" />
    </div>
  );
}
