// The operator console: register as an operator, change commission (it applies after the
// chain's commission delay), join and leave operator sets with an AVS key (see avsKeys.ts),
// and allocate a share of each strategy's stake to the sets the operator is a member of
// (increases apply after the allocation delay, decreases after the deallocation delay, and
// stay slashable until then).

import type { PolkadotClient } from 'polkadot-api';
import { useState, type FormEvent, type ReactNode } from 'react';

import { devKey, KEY_BYTES, parseHex, popPayload, SIGNATURE_BYTES, verifyProof, type KeyType } from '../avsKeys';
import { assetOf, useChainData, useReady, type ChainInfo, type KasaneApi } from '../chain';
import { Amount, AllocationTable, Field, Loading, NeedsAccount, TimeLeft } from '../components';
import { TxProgress, useTx } from '../tx';
import { allocationState, deregisterBlockers } from '../operator';
import { checkAccount, formatAmount, formatDuration, perbillPercent, sameAccount, shareOf, shortAddress, toHex, WAD } from '../units';
import { useWallet } from '../wallet';

export function OperatorConsolePage() {
  return (
    <section>
      <h1>Operate</h1>
      <NeedsAccount>{(address) => <Console address={address} />}</NeedsAccount>
    </section>
  );
}

async function loadConsole(api: KasaneApi, client: PolkadotClient, who: string) {
  // Everything at one block, whose number says which pending changes were due by then (one
  // still pending is held by a slash: the view applies every other due change).
  const [best] = await client.getBestBlocks();
  const at = { at: best.hash };
  const readAt = best.number;
  const [record, view, approvals, delays, maxCommission, maxIncrease, maxApprovals, approvalDeposit, sets] = await Promise.all([
    api.query.Restaking.Operators.getValue(who, at),
    api.apis.RestakingApi.operator(who, at),
    // Bounded by the chain's MaxApprovals.
    api.query.Restaking.DelegationApprovals.getEntries(who, at),
    api.query.ChainParameters.CurrentDelays.getValue(at),
    api.constants.Restaking.MaxCommission(),
    api.constants.Restaking.MaxCommissionIncrease(),
    api.constants.Restaking.MaxApprovals(),
    api.constants.Restaking.ApprovalDeposit(),
    api.apis.AvsApi.operator_sets({ type: 'SetId', value: undefined }, 0, 100, at),
  ]);
  // Its memberships (joined, or left and still slashable) and, for sets that take only
  // allowlisted operators, whether it is on the list: a bounded list of sets, a read or two each.
  const memberships = await Promise.all(
    sets.map(async (s) => ({
      set: s,
      member: await api.query.AvsRegistry.Members.getValue(s.set, who, at),
      allowed: !s.allowlist || (await api.query.AvsRegistry.Allowlist.getEntries(s.set, at)).some((e) => e.keyArgs[1] === who),
    })),
  );
  const joined = memberships.filter((m) => m.member && m.member.slashable_until === undefined).map((m) => m.set);
  const approved = approvals.map((e) => e.keyArgs[1]);
  return { record, view, readAt, approved, delays, maxCommission, maxIncrease, maxApprovals, approvalDeposit, memberships, joined };
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
  const { client } = useReady();
  const { data, error } = useChainData((api) => loadConsole(api, client, address), [address]);
  if (!data) return <Loading error={error} />;
  if (!data.view.is_operator) return <Register data={data} />;
  return (
    <>
      <Commission data={data} />
      <Sets data={data} address={address} />
      <Allocations data={data} />
      <Approvals data={data} />
      <Deregister data={data} />
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
  // One change at a time per set and strategy: one pending (or held by a slash) blocks the next.
  const { inForce, held, waiting } = allocationState(current?.magnitude ?? 0n, current?.pending, data.readAt, best);
  let magnitude: bigint | undefined;
  let problem: string | undefined;
  if (held) {
    problem = `A change to ${shareOf(held[0], max)} is held back by a pending slash of this set: it applies once the slash is executed or vetoed.`;
  } else if (waiting) {
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
      {data.view.allocations.length > 0 && <AllocationTable view={data.view} readAt={data.readAt} />}
      {data.joined.length === 0 ? (
        <p data-testid="no-sets-joined">
          You are in no operator set yet: join one above (the AVS market describes each).
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
          <Field id="allocate-percent" label="Share of this stake (%)" inputMode="decimal" value={text} onChange={setText} problem={problem} />
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

function Approvals({ data }: { data: ConsoleData }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  const required = data.record?.approval_required ?? false;
  const checked = text === '' ? {} : checkAccount(text, info.ss58);
  let problem = checked.problem;
  if (!problem && checked.address && data.approved.some((a) => sameAccount(a, checked.address!))) problem = 'This staker is approved already.';
  else if (!problem && checked.address && data.approved.length >= data.maxApprovals) problem = `At most ${data.maxApprovals} approvals: withdraw one first.`;
  const setApproval = (staker: string, approved: boolean) =>
    account && void tx.send(api.tx.Restaking.set_delegation_approval({ staker, approved }), account.signer);
  return (
    <div className="panel" data-testid="approvals-panel">
      <h2>Who may delegate</h2>
      <p data-testid="approval-mode">
        {required ? 'Only stakers you approve may delegate to you.' : 'Any staker may delegate to you.'} Withdrawing an approval does not undelegate a
        staker who delegated already.
      </p>
      <button
        type="button"
        disabled={!account || tx.busy}
        onClick={() => account && void tx.send(api.tx.Restaking.update_operator({ commission: undefined, metadata: undefined, approval_required: !required }), account.signer)}
        data-testid="approval-toggle"
      >
        {required ? 'Open to every staker' : 'Require my approval'}
      </button>
      {data.approved.length > 0 && (
        <table data-testid="approved-stakers">
          <thead>
            <tr>
              <th scope="col">Approved staker</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {data.approved.map((staker) => (
              <tr key={staker} data-testid="approved-staker">
                <td className="mono" title={staker}>
                  {shortAddress(staker)}
                </td>
                <td>
                  <button type="button" disabled={!account || tx.busy} onClick={() => setApproval(staker, false)} data-testid="approval-withdraw">
                    Withdraw approval
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Field id="approve-staker" label="Approve a staker (address)" value={text} onChange={setText} problem={problem} errorTestId="approve-error" mono />
      <p>
        Each approval holds {formatAmount(data.approvalDeposit, info.native.decimals)} {info.native.symbol} of yours until it is withdrawn or you deregister.
      </p>
      <button
        type="button"
        disabled={!checked.address || !!problem || !account || tx.busy}
        onClick={() => checked.address && setApproval(checked.address, true)}
        data-testid="approve-submit"
      >
        Approve
      </button>
      <TxProgress state={tx.state} label="Approval" />
    </div>
  );
}

function Deregister({ data }: { data: ConsoleData }) {
  const { api, info, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  // A validator candidate is an operator without a record until it first acts as one.
  const native = !data.record || data.record.native;
  const blockers = deregisterBlockers(data.view, native, data.readAt, best, {
    amount: (strategy, value) => {
      const asset = assetOf(info.assets, strategy, info.native);
      return `${formatAmount(value, asset.decimals)} ${asset.symbol}`;
    },
    symbol: (strategy) => assetOf(info.assets, strategy, info.native).symbol,
    duration: (blocks) => formatDuration(blocks, info.blockMs),
  });
  return (
    <div className="panel" data-testid="deregister-panel">
      <h2>Stop operating</h2>
      <p>
        Deregistering returns your operator deposit and your approvals’ deposits. It takes an operator with no stake delegated, queued or allocated; stakers
        still delegated to you with nothing deposited keep the delegation.
      </p>
      {blockers.length > 0 && (
        <ul data-testid="deregister-blockers">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        disabled={blockers.length > 0 || !account || tx.busy}
        onClick={() => account && void tx.send(api.tx.Restaking.deregister_operator(), account.signer)}
        data-testid="deregister-submit"
      >
        Deregister
      </button>
      <TxProgress state={tx.state} label="Deregister" />
    </div>
  );
}

type Membership = ConsoleData['memberships'][number];
const setId = (set: { avs: number; index: number }) => `${set.avs}/${set.index}`;

/** The sets the operator is in (or left and is still slashable by), with a Leave button each,
 * and the form that joins another. */
function Sets({ data, address }: { data: ConsoleData; address: string }) {
  const { api, info, best } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const mine = data.memberships.filter((m) => m.member);
  return (
    <div className="panel" data-testid="sets-panel">
      <h2>Operator sets</h2>
      {mine.length === 0 ? (
        <p>You are in no operator set.</p>
      ) : (
        <table data-testid="my-sets">
          <thead>
            <tr>
              <th scope="col">Set</th>
              <th scope="col">AVS key</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {mine.map(({ set, member }) => {
              const id = setId(set.set);
              const until = member?.slashable_until;
              return (
                <tr key={id} data-testid={`membership-${id}`}>
                  <td>
                    <a href={`#/avs/${id}`}>
                      AVS {set.set.avs} · set {set.set.index}
                    </a>
                  </td>
                  <td className="mono" title={member?.key.value}>
                    {member?.key.type} {member?.key.value.slice(0, 10)}…
                  </td>
                  <td data-testid={`membership-status-${id}`}>
                    {until === undefined ? (
                      `member since block #${member?.joined_at}`
                    ) : until > best ? (
                      <>
                        left; still slashable, which ends <TimeLeft blocks={until - best} testId={`slashable-left-${id}`} />
                      </>
                    ) : (
                      'left; no longer slashable: purge the record to join again'
                    )}
                  </td>
                  <td>
                    {until !== undefined && until <= best && (
                      <button
                        type="button"
                        disabled={!account || tx.busy}
                        onClick={() => account && void tx.send(api.tx.AvsRegistry.purge_departed({ set: set.set, operator: address }), account.signer)}
                        data-testid={`purge-${id}`}
                        aria-label={`Purge the record of AVS ${set.set.avs} set ${set.set.index}`}
                      >
                        Purge
                      </button>
                    )}
                    {until === undefined && (
                      <button
                        type="button"
                        disabled={!account || tx.busy}
                        onClick={() => account && void tx.send(api.tx.AvsRegistry.deregister_from_operator_set({ set: set.set }), account.signer)}
                        data-testid={`leave-${id}`}
                        aria-label={`Leave AVS ${set.set.avs} set ${set.set.index}`}
                      >
                        Leave
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <small>
          Leaving winds your allocations to a set down over {formatDuration(data.delays.deallocation, info.blockMs)}; the set can slash you until then. After that,
          purging the record (anyone may) frees your AVS key and lets you join the set again.
        </small>
      </p>
      <div data-testid="leave-status">
        <TxProgress state={tx.state} label="Leave" />
      </div>
      <JoinSet data={data} address={address} />
    </div>
  );
}

/** Why the operator cannot join `m` now, as the runtime would refuse it. */
/** Why the runtime would refuse the operator joining `m`, before looking at the key. */
function joinBlockers(m: Membership, data: ConsoleData, info: ChainInfo): ReactNode[] {
  const blockers: ReactNode[] = [];
  if (m.set.members >= m.set.max_operators) blockers.push(`The set is full (${m.set.max_operators} operators).`);
  if (!m.allowed) blockers.push('This set takes only operators its AVS allowlisted, and you are not on its list.');
  for (const [strategy, min] of m.set.strategies) {
    const have = data.view.strategies.find((s) => s.strategy === strategy)?.delegated ?? 0n;
    if (min > 0n && have < min) {
      const asset = assetOf(info.assets, strategy, info.native);
      blockers.push(
        <>
          It needs at least <Amount value={min} asset={asset} /> delegated to you; you have <Amount value={have} asset={asset} />.
        </>,
      );
    }
  }
  return blockers;
}

function JoinSet({ data, address }: { data: ConsoleData; address: string }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const open = data.memberships.filter((m) => !m.member);
  const [setKey, setSetKey] = useState('');
  const [keyText, setKeyText] = useState('');
  const [proofText, setProofText] = useState('');
  const [suri, setSuri] = useState('');
  const [suriProblem, setSuriProblem] = useState<string>();
  const chosen = open.find((m) => setId(m.set.set) === setKey) ?? open[0];
  const type = (chosen?.set.key_type.type ?? 'Sr25519') as KeyType;
  const payload = chosen ? popPayload(info.genesisHash, chosen.set.set, address) : undefined;

  let key: Uint8Array | undefined;
  let proof: Uint8Array | undefined;
  let keyProblem: string | undefined;
  let proofProblem: string | undefined;
  if (payload && (keyText !== '' || proofText !== '')) {
    try {
      key = parseHex(keyText, KEY_BYTES[type], `${type} public key`);
    } catch (e) {
      keyProblem = (e as Error).message;
    }
    try {
      if (key) {
        proof = parseHex(proofText, SIGNATURE_BYTES[type], 'proof');
        if (!verifyProof(type, key, proof, payload)) {
          proofProblem = 'The proof is not this key’s signature of the payload above (it is bound to this set, this chain and your account).';
        }
      }
    } catch (e) {
      proofProblem = (e as Error).message;
    }
  }
  const keyHex = key && proof && !proofProblem ? toHex(key) : undefined;
  // Each AVS key serves one membership: asked of the chain as soon as a key checks out, and
  // Join waits for the answer (`{ owner }`: answered, whether or not someone holds the key).
  const { data: claimed } = useChainData(
    async (a) => ({ owner: keyHex ? await a.query.AvsRegistry.KeyOwners.getValue({ type, value: keyHex }, { at: 'best' }) : undefined }),
    [keyHex, type],
  );
  const owner = claimed?.owner;
  if (owner) keyProblem = `This key already serves AVS ${owner[0].avs} set ${owner[0].index}: use a new key for each set.`;
  const checked = keyHex !== undefined && claimed !== undefined && !keyProblem;

  // The progress stays mounted when the set just joined leaves the list (and the form with it).
  const progress = <TxProgress state={tx.state} label="Join" />;
  if (!chosen || !payload) {
    return (
      <div data-testid="join-form">
        <p data-testid="no-sets-to-join">There is no other operator set to join.</p>
        {progress}
      </div>
    );
  }
  const blockers = joinBlockers(chosen, data, info);
  const allowed = blockers.length === 0;
  const signHere = () => {
    try {
      const pair = devKey(type, suri);
      setKeyText(toHex(pair.publicKey));
      setProofText(toHex(pair.sign(payload)));
      setSuriProblem(undefined);
    } catch (e) {
      setSuriProblem((e as Error).message);
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!account || !checked || !keyHex || !proof || !allowed) return;
    const ok = await tx.send(
      api.tx.AvsRegistry.register_for_operator_set({ set: chosen.set.set, key: { type, value: keyHex }, proof: { type, value: toHex(proof) } }),
      account.signer,
    );
    if (ok) {
      setKeyText('');
      setProofText('');
      setSuri('');
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="join-form">
      <h3>Join a set</h3>
      <label htmlFor="join-set">Operator set</label>
      <select id="join-set" value={setId(chosen.set.set)} onChange={(e) => setSetKey(e.target.value)}>
        {open.map((m) => (
          <option key={setId(m.set.set)} value={setId(m.set.set)}>
            AVS {m.set.set.avs} · set {m.set.set.index} ({m.set.key_type.type} keys, {m.set.members}/{m.set.max_operators} operators)
          </option>
        ))}
      </select>
      {!allowed && (
        <ul className="blocked" data-testid="join-blocked">
          {blockers.map((b, i) => (
            <li key={i}>{b}</li>
          ))}
        </ul>
      )}
      <p>
        Sign these bytes with the {type} key your AVS software will sign this set’s work with ({type === 'Ecdsa' ? 'over their blake2-256 hash' : 'the bytes themselves'}), then
        paste its public key and the signature. They bind the key to this set, this chain and your account. (<code>kasane operator join {setId(chosen.set.set)}</code> does it in
        one step.)
      </p>
      <code className="payload" data-testid="pop-payload">
        {toHex(payload)}
      </code>
      {info.isDev && (
        <div className="row">
          <label htmlFor="avs-suri">Development key: secret URI</label>
          <input
            id="avs-suri"
            value={suri}
            onChange={(e) => setSuri(e.target.value)}
            placeholder="//Bob//avs"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={!!suriProblem}
            aria-describedby={suriProblem ? 'avs-suri-error' : undefined}
          />
          <button type="button" onClick={signHere} disabled={!suri.trim()} data-testid="sign-here">
            Sign here
          </button>
          <small>Only on this development chain: the key is derived and used in this page.</small>
          {suriProblem && (
            <p className="error" id="avs-suri-error">
              {suriProblem}
            </p>
          )}
        </div>
      )}
      <Field
        id="avs-key"
        label={`AVS public key (${KEY_BYTES[type]} bytes, hex)`}
        mono
        value={keyText}
        onChange={setKeyText}
        problem={keyProblem}
        errorTestId="join-key-error"
      />
      <Field
        id="avs-proof"
        label={`Proof of possession (${SIGNATURE_BYTES[type]}-byte signature, hex)`}
        mono
        value={proofText}
        onChange={setProofText}
        problem={proofProblem}
        errorTestId="join-error"
      />
      <button type="submit" className="primary" disabled={!checked || !allowed || !account || tx.busy} data-testid="join-submit">
        Join set {setId(chosen.set.set)}
      </button>
      {progress}
    </form>
  );
}
