// The operator console: register as an operator, change commission (it applies after the
// chain's commission delay), and allocate a share of each strategy's stake to the operator
// sets the operator is a member of (increases apply after the allocation delay, decreases
// after the deallocation delay, and stay slashable until then). Joining a set takes an AVS key
// and its proof of possession: the CLI does that (`kasane operator join`).

import { useState, type FormEvent } from 'react';

import { assetOf, useChainData, useReady, type KasaneApi } from '../chain';
import { AllocationTable, Loading, NeedsAccount, TimeLeft } from '../components';
import { TxProgress, useTx } from '../tx';
import { formatDuration, perbillPercent, shareOf, WAD } from '../units';
import { useWallet } from '../wallet';

export function OperatorConsolePage() {
  return (
    <section>
      <h1>Operate</h1>
      <NeedsAccount>{(address) => <Console address={address} />}</NeedsAccount>
    </section>
  );
}

async function loadConsole(api: KasaneApi, who: string) {
  const at = { at: 'best' as const };
  const [record, view, delays, maxCommission, maxIncrease, sets] = await Promise.all([
    api.query.Restaking.Operators.getValue(who, at),
    api.apis.RestakingApi.operator(who, at),
    api.query.ChainParameters.CurrentDelays.getValue(at),
    api.constants.Restaking.MaxCommission(),
    api.constants.Restaking.MaxCommissionIncrease(),
    api.apis.AvsApi.operator_sets({ type: 'SetId', value: undefined }, 0, 100, at),
  ]);
  // The sets it is a member of (and not leaving): a bounded list of sets, one read each.
  const memberships = await Promise.all(sets.map(async (s) => ({ set: s, member: await api.query.AvsRegistry.Members.getValue(s.set, who, at) })));
  const joined = memberships.filter((m) => m.member && m.member.slashable_until === undefined).map((m) => m.set);
  return { record, view, delays, maxCommission, maxIncrease, joined };
}

type ConsoleData = Awaited<ReturnType<typeof loadConsole>>;

/** Percent text (up to 7 decimals) as parts per billion (Perbill). */
function parsePercent(text: string): number {
  const t = text.trim();
  if (!/^\d+(\.\d{1,7})?$/.test(t)) throw new Error(`“${text}” is not a percentage: use digits, at most 7 decimals.`);
  const [whole, fraction = ''] = t.split('.');
  const parts = Number(whole) * 10_000_000 + Number(fraction.padEnd(7, '0'));
  if (parts > 1_000_000_000) throw new Error('A percentage is at most 100.');
  return parts;
}

function Console({ address }: { address: string }) {
  const { data, error } = useChainData((api) => loadConsole(api, address), [address]);
  if (!data) return <Loading error={error} />;
  if (!data.view.is_operator) return <Register data={data} />;
  return (
    <>
      <Commission data={data} />
      <Allocations data={data} />
    </>
  );
}

function Register({ data }: { data: ConsoleData }) {
  const { api } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [name, setName] = useState('');
  const [commission, setCommission] = useState('5');
  const [approval, setApproval] = useState(false);
  let parts: number | undefined;
  let problem: string | undefined;
  try {
    parts = parsePercent(commission);
    if (parts > data.maxCommission) problem = `The chain allows at most ${perbillPercent(data.maxCommission)} commission.`;
  } catch (e) {
    problem = (e as Error).message;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!account || parts === undefined || problem) return;
    void tx.send(
      api.tx.Restaking.register_operator({ commission: parts, metadata: new TextEncoder().encode(name.trim()), approval_required: approval }),
      account.signer,
    );
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate data-testid="register-form">
      <h2>Register as an operator</h2>
      <p>Stakers delegate to operators; operators allocate that stake to the AVS operator sets they join and keep a commission on the rewards.</p>
      <label htmlFor="operator-name">Name (public)</label>
      <input id="operator-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
      <label htmlFor="register-commission">Commission (%)</label>
      <input id="register-commission" inputMode="decimal" value={commission} onChange={(e) => setCommission(e.target.value)} />
      <label className="choice">
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} /> only stakers I approve may delegate
      </label>
      {problem && <p className="error">{problem}</p>}
      <button type="submit" className="primary" disabled={!!problem || !account || tx.busy} data-testid="register-submit">
        Register
      </button>
      <TxProgress state={tx.state} label="Register" />
    </form>
  );
}

function Commission({ data }: { data: ConsoleData }) {
  const { api, info, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  // What the chain compares with: a change that has come due counts as applied.
  const change = data.record?.pending_commission;
  const due = change && change.effective_at <= best;
  const current = due ? change.commission : data.view.commission;
  const upcoming = change && !due ? change : undefined;
  let parts: number | undefined;
  let problem: string | undefined;
  if (upcoming) {
    problem = `A change to ${perbillPercent(upcoming.commission)} is pending: one change at a time.`;
  } else if (text !== '') {
    try {
      parts = parsePercent(text);
      if (parts > data.maxCommission) problem = `The chain allows at most ${perbillPercent(data.maxCommission)}.`;
      else if (parts > current && parts - current > data.maxIncrease) problem = `One change may raise it by at most ${perbillPercent(data.maxIncrease)}.`;
      else if (parts === current) problem = 'That is the commission already.';
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  return (
    <div className="panel" data-testid="commission-panel">
      <h2>Commission</h2>
      <p>
        Now <strong data-testid="commission-now">{perbillPercent(current)}</strong>
        {upcoming && (
          <span data-testid="commission-pending">
            ; {perbillPercent(upcoming.commission)} <TimeLeft blocks={upcoming.effective_at - best} testId="commission-left" />
          </span>
        )}
        . A change applies {formatDuration(data.delays.commission_change, info.blockMs)} after it is made, so stakers can leave first.
      </p>
      <label htmlFor="new-commission">New commission (%)</label>
      <div className="row">
        <input
          id="new-commission"
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? 'commission-error' : undefined}
        />
        <button
          type="button"
          disabled={parts === undefined || !!problem || !account || tx.busy}
          onClick={() => account && parts !== undefined && void tx.send(api.tx.Restaking.update_operator({ commission: parts, metadata: undefined, approval_required: undefined }), account.signer)}
          data-testid="commission-submit"
        >
          Change commission
        </button>
      </div>
      {problem && (
        <p className="error" id="commission-error">
          {problem}
        </p>
      )}
      <TxProgress state={tx.state} label="Commission" />
    </div>
  );
}

function Allocations({ data }: { data: ConsoleData }) {
  const { api, info, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const { assets, native } = info;
  const [setKey, setSetKey] = useState('');
  const [strategy, setStrategy] = useState<number | undefined>();
  const [text, setText] = useState('');
  const chosen = data.joined.find((s) => `${s.set.avs}/${s.set.index}` === setKey) ?? data.joined[0];
  const accepted = chosen?.strategies.map(([s]) => s) ?? [];
  const strategyId = strategy !== undefined && accepted.includes(strategy) ? strategy : accepted[0];
  const book = data.view.strategies.find((s) => s.strategy === strategyId);
  const current = data.view.allocations.find(
    (a) => chosen && a.set.avs === chosen.set.avs && a.set.index === chosen.set.index && a.strategy === strategyId,
  );
  const max = book?.max_magnitude ?? WAD;
  // A change that has come due is in force (restaking matures it first); one still pending
  // blocks the next: one change at a time per set and strategy.
  const pending = current?.pending;
  const inForce = pending && pending[1] <= best ? pending[0] : (current?.magnitude ?? 0n);
  const waiting = pending && pending[1] > best ? pending : undefined;
  let magnitude: bigint | undefined;
  let problem: string | undefined;
  if (waiting) {
    problem = `A change to ${shareOf(waiting[0], max)} applies in ${formatDuration(waiting[1] - best, info.blockMs)}: one change at a time.`;
  } else if (text !== '') {
    try {
      // A share of the operator's stake in the strategy now: of its max magnitude.
      magnitude = (BigInt(parsePercent(text)) * max) / 1_000_000_000n;
      if (magnitude === inForce) problem = 'That is the allocation already.';
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  const increase = magnitude !== undefined && magnitude > inForce;
  const delay = increase ? data.delays.allocation : data.delays.deallocation;
  return (
    <div className="panel" data-testid="allocation-panel">
      <h2>Allocations</h2>
      {data.view.allocations.length > 0 && <AllocationTable view={data.view} />}
      {data.joined.length === 0 ? (
        <p data-testid="no-sets-joined">
          You are in no operator set yet. Join one with its AVS key: <code>kasane operator join &lt;avs&gt;/&lt;index&gt;</code> (see the AVS market for sets).
        </p>
      ) : (
        <div className="form">
          <label htmlFor="allocate-set">Operator set</label>
          <select id="allocate-set" value={chosen ? `${chosen.set.avs}/${chosen.set.index}` : ''} onChange={(e) => setSetKey(e.target.value)}>
            {data.joined.map((s) => (
              <option key={`${s.set.avs}/${s.set.index}`} value={`${s.set.avs}/${s.set.index}`}>
                AVS {s.set.avs} · set {s.set.index}
              </option>
            ))}
          </select>
          <label htmlFor="allocate-asset">Asset</label>
          <select id="allocate-asset" value={strategyId ?? ''} onChange={(e) => setStrategy(Number(e.target.value))}>
            {accepted.map((s) => (
              <option key={s} value={s}>
                {assetOf(assets, s, native).symbol}
              </option>
            ))}
          </select>
          <label htmlFor="allocate-percent">Share of this stake (%)</label>
          <input
            id="allocate-percent"
            inputMode="decimal"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={!!problem}
            aria-describedby={problem ? 'allocate-error' : undefined}
          />
          {problem && (
            <p className="error" id="allocate-error">
              {problem}
            </p>
          )}
          {magnitude !== undefined && !problem && (
            <p data-testid="allocation-effect">
              {increase ? 'New exposure' : 'A decrease'} applies in {formatDuration(delay, info.blockMs)}
              {increase ? ': your stakers can leave first.' : '; the stake stays slashable until then.'}
            </p>
          )}
          <button
            type="button"
            className="primary"
            disabled={magnitude === undefined || !!problem || !account || tx.busy || !chosen || strategyId === undefined}
            onClick={() =>
              account &&
              chosen &&
              strategyId !== undefined &&
              magnitude !== undefined &&
              void tx.send(api.tx.Restaking.modify_allocation({ set: chosen.set, strategy: strategyId, magnitude }), account.signer)
            }
            data-testid="allocate-submit"
          >
            Allocate
          </button>
        </div>
      )}
      <TxProgress state={tx.state} label="Allocate" />
    </div>
  );
}
