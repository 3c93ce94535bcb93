// The AVS console: what an AVS's owner does most, in the app. Register an AVS (its deposit is
// held while it exists) or accept one handed over, create its operator sets with their
// slashing terms, keep a set's allowlist, fund the rewards a set pays the stake allocated to it
// each era, request slashes of its members (shown with their veto countdown) and eject them.
// Changing terms, handing the AVS over, deregistering it and the equivocation reports stay
// with `kasane avs` (the CLI), which the page names.

import type { PolkadotClient } from 'polkadot-api';
import { useState, type FormEvent } from 'react';

import { checkTerms, epochRoom, fundingProblem, percentOfWad, reasonProblem, slashProblem, stillSlashable, wadPercentText } from '../avs';
import { useChainData, useReady, type Asset, type KasaneApi } from '../chain';
import { AddressLink, Amount, Field, Loading, NeedsAccount, SlashTable } from '../components';
import { rewardAsset } from '../reads';
import { TxProgress, useTx } from '../tx';
import { checkAccount, checkAmount, formatAmount, formatDuration, sameAccount, shortAddress, wadPercent } from '../units';
import { useWallet } from '../wallet';

export function AvsConsolePage() {
  return (
    <section>
      <h1>Run an AVS</h1>
      <NeedsAccount>{(address) => <AvsConsole address={address} />}</NeedsAccount>
    </section>
  );
}

/** Everything at one block: the AVSs `who` owns, each with its operator sets, their
 * allowlists and reward budgets, and the chain's bounds on what a set may be. */
async function loadAvsConsole(api: KasaneApi, client: PolkadotClient, who: string) {
  const [best] = await client.getBestBlocks();
  const at = { at: best.hash };
  const [records, deposit, maxVetoWindow, maxOperators, maxMetadataLen, minEquivocationPenalty, maxSetsPerAvs, maxBudgetsPerSet, minSlashFraction, requestDeposit, epochLength] = await Promise.all([
    api.query.AvsRegistry.AvsRecords.getEntries(at),
    api.constants.AvsRegistry.AvsDeposit(),
    api.constants.AvsRegistry.MaxVetoWindow(),
    api.constants.AvsRegistry.MaxOperatorsPerSet(),
    api.constants.AvsRegistry.MaxMetadataLen(),
    api.constants.AvsRegistry.MinEquivocationPenalty(),
    api.constants.AvsRegistry.MaxSetsPerAvs(),
    api.constants.AvsRegistry.MaxBudgetsPerSet(),
    api.constants.Slashing.MinSlashFraction(),
    api.constants.Slashing.RequestDeposit(),
    api.constants.Slashing.EpochLength(),
  ]);
  // Handed over to `who` by their owners, waiting for it to accept.
  const offered = records
    .filter((e) => e.value.pending_owner !== undefined && sameAccount(e.value.pending_owner, who))
    .map((e) => ({ id: e.keyArgs[0], owner: e.value.owner, deposit: e.value.deposit, metadata: new TextDecoder().decode(e.value.metadata_uri) }));
  const owned = records
    .filter((e) => sameAccount(e.value.owner, who))
    .map((e) => ({ id: e.keyArgs[0], record: e.value }))
    .sort((a, b) => a.id - b.id);
  const avss = await Promise.all(
    owned.map(async ({ id, record }) => {
      // Indices below `record.sets` (at most the chain's MaxSetsPerAvs).
      const sets = await Promise.all(
        Array.from({ length: record.sets }, async (_, index) => {
          const set = { avs: id, index };
          const [value, allowlist, budgets, members, slashes, mode, tallies] = await Promise.all([
            api.query.AvsRegistry.OperatorSets.getValue(set, at),
            api.query.AvsRegistry.Allowlist.getEntries(set, at),
            api.query.AvsRegistry.RewardBudgets.getEntries(set, at),
            // Members now and those that left and are still slashable (at most the set's
            // most operators, plus departures not purged yet).
            api.query.AvsRegistry.Members.getEntries(set, at),
            api.apis.SlashingApi.set_slashes(set, 20, at),
            api.apis.SlashingApi.mode(set, at),
            // What the set requested of each operator this epoch (one entry per operator slashed).
            api.query.Slashing.EpochSlashed.getEntries(set, at),
          ]);
          return (
            value && {
              set,
              value,
              allowlisted: allowlist.map((e) => e.keyArgs[1]),
              budgets: budgets.map((e) => ({ asset: e.keyArgs[1], budget: e.value })),
              members: members.map((e) => ({
                operator: e.keyArgs[1],
                slashableUntil: e.value.slashable_until,
                used: tallies.find((t) => t.keyArgs[1] === e.keyArgs[1])?.value,
              })),
              slashes,
              mode: mode.effective.type,
              // The terms a request lands under: a change due by the next block applies.
              terms: value.pending_terms && value.pending_terms[1] <= best.number + 1 ? value.pending_terms[0] : value.config.terms,
              readAt: best.number,
            }
          );
        }),
      );
      return { id, metadata: new TextDecoder().decode(record.metadata_uri), created: record.sets, sets: sets.filter((s) => s !== undefined) };
    }),
  );
  return { avss, offered, epochLength, deposit, maxVetoWindow, maxOperators, maxMetadataLen, minEquivocationPenalty, maxSetsPerAvs, maxBudgetsPerSet, minSlashFraction, requestDeposit };
}

type ConsoleData = Awaited<ReturnType<typeof loadAvsConsole>>;
type AvsData = ConsoleData['avss'][number];
type SetData = AvsData['sets'][number];

function AvsConsole({ address }: { address: string }) {
  const { client } = useReady();
  const { data, error } = useChainData((api) => loadAvsConsole(api, client, address), [address]);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <p>
        An AVS hires operators through its operator sets: each set names the assets it accepts and the slashing terms its members agree to, and
        pays rewards to the stake they allocate to it. This page is for an AVS’s owner. Changing terms, handing the AVS over, deregistering it,
        designating a slasher (who then requests slashes there) and reporting double-signing are in the command line: <code>kasane avs --help</code>.
      </p>
      {data.offered.map((o) => (
        <Offered key={o.id} offer={o} />
      ))}
      {data.avss.length === 0 ? <p data-testid="no-avs">This account owns no AVS.</p> : data.avss.map((avs) => <AvsPanel key={avs.id} avs={avs} data={data} />)}
      <RegisterAvs data={data} />
    </>
  );
}

function RegisterAvs({ data }: { data: ConsoleData }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [uri, setUri] = useState('');
  const bytes = new TextEncoder().encode(uri.trim());
  const problem =
    uri.trim() === '' ? undefined : bytes.length > data.maxMetadataLen ? `At most ${data.maxMetadataLen} bytes (this is ${bytes.length}).` : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!account || problem || bytes.length === 0) return;
    void tx.send(api.tx.AvsRegistry.register_avs({ metadata_uri: bytes }), account.signer).then((ok) => ok && setUri(''));
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate data-testid="register-avs-form">
      <h2>Register an AVS</h2>
      <p>
        <Amount value={data.deposit} asset={info.native} /> is held from your account while the AVS exists, and comes back when you deregister it.
      </p>
      <Field id="avs-metadata" label="Metadata URI (what operators read about the AVS)" value={uri} onChange={setUri} problem={problem} errorTestId="avs-metadata-error" placeholder="https://example.org/avs.json" />
      <button type="submit" className="primary" disabled={!account || !!problem || bytes.length === 0 || tx.busy} data-testid="register-avs-submit">
        Register
      </button>
      <TxProgress state={tx.state} label="Register the AVS" />
    </form>
  );
}

function AvsPanel({ avs, data }: { avs: AvsData; data: ConsoleData }) {
  return (
    <section className="panel" data-testid={`avs-${avs.id}`} aria-labelledby={`avs-${avs.id}-title`}>
      <h2 id={`avs-${avs.id}-title`}>AVS {avs.id}</h2>
      <p className="mono">{avs.metadata}</p>
      {avs.sets.length === 0 ? <p>No operator set yet.</p> : avs.sets.map((s) => <SetPanel key={s.set.index} data={s} bounds={data} />)}
      {avs.created < data.maxSetsPerAvs ? (
        <CreateSet avs={avs.id} data={data} />
      ) : (
        <p data-testid={`sets-full-${avs.id}`}>This AVS has created the most operator sets the chain allows ({data.maxSetsPerAvs}).</p>
      )}
    </section>
  );
}

function termsText(terms: SetData['value']['config']['terms'], blockMs: number): string {
  const mode = terms.mode.type === 'Instant' ? 'slashes execute at once' : `slashes wait ${formatDuration(terms.mode.value.window, blockMs)} for a veto`;
  return `${mode}; at most ${wadPercent(terms.max_slash_per_epoch)} per epoch; double-signing slashes ${wadPercent(terms.equivocation_penalty)}`;
}

function SetPanel({ data, bounds }: { data: SetData; bounds: ConsoleData }) {
  const { info } = useReady();
  const { set, value } = data;
  const id = `${set.avs}/${set.index}`;
  const accepts = value.config.strategies.map(([strategy]) => info.assets.find((a) => a.strategy === strategy)?.symbol ?? `strategy ${strategy}`);
  return (
    <div className="subpanel" data-testid={`set-${id}`}>
      <h3>
        Operator set <a href={`#/avs/${set.avs}/${set.index}`}>{id}</a>
      </h3>
      <p data-testid={`set-${id}-summary`}>
        Accepts {accepts.join(', ')}; {value.config.key_type.type.toLowerCase()} keys; {value.members} of at most {value.config.max_operators} operators
        {value.config.allowlist ? ', allowlisted only' : ', open to any operator'}; {termsText(data.terms, info.blockMs)}.
      </p>
      {value.pending_terms && value.pending_terms[0] !== data.terms && (
        <p data-testid={`set-${id}-pending-terms`}>
          From block #{value.pending_terms[1]}: {termsText(value.pending_terms[0], info.blockMs)}.
        </p>
      )}
      {value.config.allowlist && <Allowlist data={data} />}
      <Rewards data={data} maxBudgets={bounds.maxBudgetsPerSet} />
      <Members data={data} bounds={bounds} />
    </div>
  );
}

function Allowlist({ data }: { data: SetData }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  const id = `${data.set.avs}/${data.set.index}`;
  const { address, problem } = text.trim() === '' ? {} : checkAccount(text, info.ss58);
  const listed = address !== undefined && data.allowlisted.some((a) => sameAccount(a, address));
  const send = (operator: string, allowed: boolean) => {
    if (account) void tx.send(api.tx.AvsRegistry.set_allowlist({ set: data.set, operator, allowed }), account.signer).then((ok) => ok && setText(''));
  };
  return (
    <form className="form" onSubmit={(e) => (e.preventDefault(), address && !listed && send(address, true))} noValidate data-testid={`allowlist-${id}`}>
      <h4>Allowlist</h4>
      {data.allowlisted.length === 0 ? (
        <p>No operator may join yet.</p>
      ) : (
        <ul data-testid={`allowlisted-${id}`}>
          {data.allowlisted.map((a) => (
            <li key={a}>
              <span className="mono">{shortAddress(a)}</span>{' '}
              <button type="button" disabled={!account || tx.busy} onClick={() => send(a, false)} aria-label={`Remove ${a} from the allowlist`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <p>Removing an operator stops it joining; a member stays until ejected (<code>kasane avs eject</code>).</p>
      <Field id={`allow-${id}`} label="Operator address" value={text} onChange={setText} problem={problem ?? (listed ? 'Already on the allowlist.' : undefined)} errorTestId={`allow-${id}-error`} mono />
      <button type="submit" disabled={!account || !address || listed || tx.busy} data-testid={`allow-${id}-submit`}>
        Allow
      </button>
      <TxProgress state={tx.state} label="Allowlist" />
    </form>
  );
}

/** What a set can pay rewards in: native KSN and the chain's assets (a reward asset is any
 * asset, not only a strategy's; these are the ones the app knows). */
function rewardAssets(assets: Asset[], native: Asset): Asset[] {
  return [native, ...assets.filter((a) => a.assetId !== undefined)];
}

function Rewards({ data, maxBudgets }: { data: SetData; maxBudgets: number }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const choices = rewardAssets(info.assets, info.native);
  const [symbol, setSymbol] = useState(info.native.symbol);
  const [amountText, setAmountText] = useState('');
  const [perEraText, setPerEraText] = useState('');
  const id = `${data.set.avs}/${data.set.index}`;
  const asset = choices.find((a) => a.symbol === symbol) ?? info.native;
  const assetOfBudget = (b: SetData['budgets'][number]['asset']) => rewardAsset(b, info.assets, info.native);
  // Funding an asset the set pays already adds to what is left and replaces the per-era pay.
  const current = data.budgets.find((b) => assetOfBudget(b.asset).symbol === asset.symbol)?.budget;
  const amount = amountText.trim() === '' ? {} : checkAmount(amountText, asset.decimals, asset.symbol);
  const perEra = perEraText.trim() === '' ? {} : checkAmount(perEraText, asset.decimals, asset.symbol);
  const perEraProblem =
    perEra.problem ??
    fundingProblem({ amount: amount.amount, perEra: perEra.amount, remaining: current?.remaining, budgets: data.budgets.length, maxBudgets });
  const chooseAsset = (next: string) => {
    setSymbol(next);
    const existing = data.budgets.find((b) => assetOfBudget(b.asset).symbol === next)?.budget;
    const shown = choices.find((a) => a.symbol === next) ?? info.native;
    setPerEraText(existing ? formatAmount(existing.per_era, shown.decimals, shown.decimals).replace(/,/g, '') : '');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!account || amount.problem || perEraProblem || !amount.amount || !perEra.amount) return;
    const reward = asset.assetId === undefined ? { type: 'Native' as const, value: undefined } : { type: 'WithId' as const, value: asset.assetId };
    void tx
      .send(api.tx.AvsRegistry.fund_rewards({ set: data.set, asset: reward, amount: amount.amount, per_era: perEra.amount }), account.signer)
      .then((ok) => ok && setAmountText(''));
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid={`rewards-${id}`}>
      <h4>Rewards</h4>
      {data.budgets.length === 0 ? (
        <p>This set pays no rewards yet.</p>
      ) : (
        <table data-testid={`budgets-${id}`}>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Per era</th>
              <th scope="col">Left to pay</th>
            </tr>
          </thead>
          <tbody>
            {data.budgets.map(({ asset: a, budget }) => {
              const shown = assetOfBudget(a);
              return (
                <tr key={shown.symbol}>
                  <td>{shown.symbol}</td>
                  <td>
                    <Amount value={budget.per_era} asset={shown} testId={`budget-${id}-${shown.symbol}-per-era`} />
                  </td>
                  <td>
                    <Amount value={budget.remaining} asset={shown} testId={`budget-${id}-${shown.symbol}-remaining`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        Funding moves the amount from your account to the rewards escrow (the first budget in an asset also pays the escrow’s existential deposit);
        from the next era on, each era with stake allocated to the set pays it the per-era amount. Funding an asset the set pays already adds to
        what is left and sets its per-era pay to the one given here.
      </p>
      <label htmlFor={`fund-${id}-asset`}>Asset</label>
      <select id={`fund-${id}-asset`} value={symbol} onChange={(e) => chooseAsset(e.target.value)}>
        {choices.map((a) => (
          <option key={a.symbol} value={a.symbol}>
            {a.symbol}
          </option>
        ))}
      </select>
      <Field id={`fund-${id}-amount`} label={`Amount (${asset.symbol})`} value={amountText} onChange={setAmountText} inputMode="decimal" problem={amount.problem} errorTestId={`fund-${id}-amount-error`} />
      <Field id={`fund-${id}-per-era`} label={`Paid each era (${asset.symbol})`} value={perEraText} onChange={setPerEraText} inputMode="decimal" problem={perEraProblem} errorTestId={`fund-${id}-error`} />
      <button type="submit" disabled={!account || !!amount.problem || !!perEraProblem || !amount.amount || !perEra.amount || tx.busy} data-testid={`fund-${id}-submit`}>
        Fund
      </button>
      <TxProgress state={tx.state} label="Fund rewards" />
    </form>
  );
}

type KeyType = 'Sr25519' | 'Ed25519' | 'Ecdsa';

function CreateSet({ avs, data }: { avs: number; data: ConsoleData }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  const [accepted, setAccepted] = useState<number[]>([]);
  const [keyType, setKeyType] = useState<KeyType>('Sr25519');
  const [maxOperatorsText, setMaxOperatorsText] = useState(String(data.maxOperators));
  const [vetoText, setVetoText] = useState(String(data.maxVetoWindow));
  const [maxSlashText, setMaxSlashText] = useState('10');
  const [penaltyText, setPenaltyText] = useState(wadPercentText(data.minEquivocationPenalty));
  const [allowlist, setAllowlist] = useState(true);
  const terms = checkTerms(
    { maxOperators: maxOperatorsText, vetoWindow: vetoText, maxSlashPerEpoch: maxSlashText, equivocationPenalty: penaltyText, accepted },
    data,
    (blocks) => formatDuration(blocks, info.blockMs),
  );
  const { maxOperators, vetoWindow: veto, problems } = terms;
  const acceptedProblem = problems.accepted;
  const ready = Object.keys(problems).length === 0;
  const toggle = (strategy: number, on: boolean) => setAccepted((s) => (on ? [...s, strategy].sort((a, b) => a - b) : s.filter((x) => x !== strategy)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!account || !ready || terms.maxSlashPerEpoch === undefined || terms.equivocationPenalty === undefined) return;
    const config = {
      strategies: accepted.map((s) => [s, 0n] as [number, bigint]),
      max_operators: maxOperators,
      key_type: { type: keyType, value: undefined },
      allowlist,
      terms: {
        mode: veto === 0 ? { type: 'Instant' as const, value: undefined } : { type: 'Veto' as const, value: { window: veto } },
        max_slash_per_epoch: terms.maxSlashPerEpoch,
        slashed_funds: { type: 'Burn' as const, value: undefined },
        equivocation_penalty: terms.equivocationPenalty,
      },
    };
    void tx.send(api.tx.AvsRegistry.create_operator_set({ avs, config }), account.signer).then((ok) => ok && setAccepted([]));
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid={`create-set-${avs}`}>
      <h3>Create an operator set</h3>
      <fieldset aria-describedby={acceptedProblem ? `accepted-${avs}-hint` : undefined}>
        <legend>Accepted assets</legend>
        {info.assets.map((a) => (
          <label key={a.strategy} className="choice">
            <input type="checkbox" checked={accepted.includes(a.strategy)} onChange={(e) => toggle(a.strategy, e.target.checked)} /> {a.symbol}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`key-type-${avs}`}>Operators sign AVS work with</label>
      <select id={`key-type-${avs}`} value={keyType} onChange={(e) => setKeyType(e.target.value as KeyType)}>
        <option value="Sr25519">sr25519 keys</option>
        <option value="Ed25519">ed25519 keys</option>
        <option value="Ecdsa">ecdsa keys</option>
      </select>
      <Field id={`max-operators-${avs}`} label="Most operators" value={maxOperatorsText} onChange={setMaxOperatorsText} inputMode="numeric" problem={problems.maxOperators} />
      <Field
        id={`veto-${avs}`}
        label={`Veto window (blocks; 0: slashes execute at once)${!problems.vetoWindow && veto > 0 ? `: ${formatDuration(veto, info.blockMs)}` : ''}`}
        value={vetoText}
        onChange={setVetoText}
        inputMode="numeric"
        problem={problems.vetoWindow}
        errorTestId={`veto-${avs}-error`}
      />
      <Field id={`max-slash-${avs}`} label="Most slashed per epoch (% of an allocation)" value={maxSlashText} onChange={setMaxSlashText} inputMode="decimal" problem={problems.maxSlashPerEpoch} />
      <Field id={`penalty-${avs}`} label="Double-signing penalty (% of an allocation)" value={penaltyText} onChange={setPenaltyText} inputMode="decimal" problem={problems.equivocationPenalty} errorTestId={`penalty-${avs}-error`} />
      <label className="choice">
        <input type="checkbox" checked={allowlist} onChange={(e) => setAllowlist(e.target.checked)} /> only operators I allowlist may join
      </label>
      {acceptedProblem && (
        <p className="hint" id={`accepted-${avs}-hint`}>
          {acceptedProblem}
        </p>
      )}
      <p>Operators who join accept these terms. A change later takes effect after the chain’s terms delay, so that members can leave first.</p>
      <button type="submit" className="primary" disabled={!account || !ready || tx.busy} data-testid={`create-set-${avs}-submit`}>
        Create the set
      </button>
      <TxProgress state={tx.state} label="Create the operator set" />
    </form>
  );
}

/** An AVS its owner handed over to the connected account: it becomes the owner (and holds the
 * AVS deposit, the old owner's coming back) once it accepts. */
function Offered({ offer }: { offer: ConsoleData['offered'][number] }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const tx = useTx();
  return (
    <section className="panel" data-testid={`offered-${offer.id}`} aria-labelledby={`offered-${offer.id}-title`}>
      <h2 id={`offered-${offer.id}-title`}>AVS {offer.id} is offered to you</h2>
      <p>
        Its owner <AddressLink address={offer.owner} /> proposed you as the next owner of <span className="mono">{offer.metadata}</span>. Accepting makes
        you its owner: its deposit of <Amount value={offer.deposit} asset={info.native} /> is then held from your account, and the old owner’s comes back.
      </p>
      <button type="button" className="primary" disabled={!account || tx.busy} onClick={() => account && void tx.send(api.tx.AvsRegistry.accept_avs_ownership({ avs: offer.id }), account.signer)}>
        Accept AVS {offer.id}
      </button>
      <TxProgress state={tx.state} label="Accept the AVS" />
    </section>
  );
}

/** A set's members: eject one (its allocations wind down, slashable until then), request a
 * slash of one still slashable, and the set's slashes with their veto countdown. */
function Members({ data, bounds }: { data: SetData; bounds: ConsoleData }) {
  const { api, info } = useReady();
  const { account } = useWallet();
  const eject = useTx();
  const request = useTx();
  const id = `${data.set.avs}/${data.set.index}`;
  const slashable = data.members.filter((m) => stillSlashable(m.slashableUntil, data.readAt));
  const [operator, setOperator] = useState('');
  const [percentText, setPercentText] = useState('');
  const [reason, setReason] = useState('');
  const member = slashable.find((m) => m.operator === operator);
  const chosen = member?.operator;
  const cap = data.terms.max_slash_per_epoch;
  const fraction = percentText.trim() === '' ? {} : percentOfWad(percentText, 'The share slashed');
  const fractionProblem =
    fraction.problem ??
    (fraction.value === undefined
      ? undefined
      : slashProblem(fraction.value, bounds.minSlashFraction, member ? epochRoom(cap, member.used, data.readAt + 1, bounds.epochLength) : cap, cap));
  const reasonBytes = new TextEncoder().encode(reason.trim());
  const reasonTooLong = reasonProblem(reasonBytes.length);
  const ready = !!chosen && fraction.value !== undefined && !fractionProblem && !reasonTooLong && reasonBytes.length > 0;
  const mode = data.terms.mode;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!account || !ready || !chosen || fraction.value === undefined) return;
    void request
      .send(api.tx.Slashing.request_slash({ operator: chosen, set: data.set, fraction: fraction.value, reason_uri: reasonBytes }), account.signer)
      .then((ok) => ok && (setPercentText(''), setReason('')));
  };
  return (
    <>
      <div data-testid={`members-${id}`}>
        <h4>Members</h4>
        {data.members.length === 0 ? (
          <p>No operator has joined.</p>
        ) : (
          <table data-testid={`members-table-${id}`}>
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.operator}>
                  <td>
                    <AddressLink address={m.operator} operator />
                  </td>
                  <td>
                  {m.slashableUntil === undefined
                    ? 'member'
                    : stillSlashable(m.slashableUntil, data.readAt)
                      ? `left; slashable before block #${m.slashableUntil}`
                      : 'left; no longer slashable'}
                </td>
                  <td>
                    {m.slashableUntil === undefined && (
                      <button
                        type="button"
                        disabled={!account || eject.busy}
                        onClick={() => account && void eject.send(api.tx.AvsRegistry.eject_operator({ set: data.set, operator: m.operator }), account.signer)}
                        aria-label={`Eject ${m.operator}`}
                      >
                        Eject
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          Ejecting an operator removes it as if it had left: its allocations to the set wind down over the deallocation delay, slashable until then. It
          cannot join again until its record is purged once that is over, and an allowlisted set keeps it on the allowlist.
        </p>
        <TxProgress state={eject.state} label="Eject" />
      </div>
      {data.slashes.length > 0 && (
        <>
          <h4>Slashes</h4>
          <SlashTable slashes={data.slashes} by="operator" testId={`set-slashes-${id}`} />
        </>
      )}
      {slashable.length > 0 && data.mode === 'Disabled' && <p data-testid={`slashing-disabled-${id}`}>Slashing is disabled for this set: no slash can be requested.</p>}
      {slashable.length > 0 && data.mode !== 'Disabled' && (
        <form className="form" onSubmit={submit} noValidate data-testid={`slash-${id}`}>
          <h4>Request a slash</h4>
          <p>
            {data.mode === 'LogOnly' ? (
              'This set’s slashing is log-only: a slash is checked and recorded with what it would take, and never executed.'
            ) : mode.type === 'Instant' ? (
              'Under this set’s terms a slash executes at once.'
            ) : (
              <>
                Under this set’s terms a slash waits {formatDuration(mode.value.window, info.blockMs)} for the veto council, then executes by itself (anyone
                may execute it once due, for a share). <Amount value={bounds.requestDeposit} asset={info.native} /> is held from your account until it is
                decided, and forfeited if the council finds the request abusive.
              </>
            )}{' '}
            The chain refuses a slash of an operator with nothing allocated to the set, and more pending requests than it allows per AVS.
          </p>
          <label htmlFor={`slash-${id}-operator`}>Operator</label>
          <select id={`slash-${id}-operator`} value={chosen ?? ''} onChange={(e) => setOperator(e.target.value)}>
            <option value="">Choose a member</option>
            {slashable.map((m) => (
              <option key={m.operator} value={m.operator}>
                {shortAddress(m.operator)}
                {m.slashableUntil === undefined ? '' : ' (left)'}
              </option>
            ))}
          </select>
          <Field
            id={`slash-${id}-percent`}
            label="Share of its allocation to the set (%)"
            value={percentText}
            onChange={setPercentText}
            inputMode="decimal"
            problem={fractionProblem}
            errorTestId={`slash-${id}-percent-error`}
          />
          <Field id={`slash-${id}-reason`} label="Reason URI (the evidence)" value={reason} onChange={setReason} problem={reasonTooLong} placeholder="ipfs://…" />
          {(!chosen || reasonBytes.length === 0) && (
            <p className="hint">{!chosen ? 'Choose the member to slash.' : 'Name the evidence (a URI), so that the council and the operator can check it.'}</p>
          )}
          <button type="submit" className="primary" disabled={!account || !ready || request.busy} data-testid={`slash-${id}-submit`}>
            Request the slash
          </button>
          <TxProgress state={request.state} label="Request a slash" />
        </form>
      )}
    </>
  );
}
