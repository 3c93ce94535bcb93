// Small pieces every page uses.

import type { ReactNode } from 'react';

import { assetOf, useReady, type Asset } from './chain';
import type { OperatorView, SlashRecord } from './reads';
import { formatAmount, formatDuration, shareOf, shortAddress, WAD, wadPercent } from './units';
import { useWallet } from './wallet';

/** `value` of `asset` with its symbol; the exact base-unit value in the title. */
export function Amount({ value, asset, testId }: { value: bigint; asset: Asset; testId?: string }) {
  return (
    <span className="amount" title={`${value} base units`} data-testid={testId} data-value={value.toString()}>
      {formatAmount(value, asset.decimals)} {asset.symbol}
    </span>
  );
}

/** Blocks as time left: “ready” at zero. */
export function TimeLeft({ blocks, testId }: { blocks: number; testId?: string }) {
  const { info } = useReady();
  return (
    <span data-testid={testId} data-blocks={blocks} title={`${blocks} blocks`}>
      {blocks <= 0 ? 'ready' : `in ${formatDuration(blocks, info.blockMs)}`}
    </span>
  );
}

export function AddressLink({ address, operator = false }: { address: string; operator?: boolean }) {
  const short = <span title={address}>{shortAddress(address)}</span>;
  return operator ? <a href={`#/operators/${encodeURIComponent(address)}`}>{short}</a> : short;
}

/** The page's account, or a prompt to pick one. */
export function NeedsAccount({ children }: { children: (address: string) => ReactNode }) {
  const { account } = useWallet();
  if (!account) {
    return (
      <p className="panel" data-testid="no-account">
        Choose an account above: a browser wallet’s, or on a devnet a dev account such as Alice.
      </p>
    );
  }
  return <>{children(account.address)}</>;
}

export function Loading({ error }: { error?: string }) {
  return error ? <p className="error">Could not read the chain: {error}</p> : <p aria-busy="true">Loading…</p>;
}

/** The last read failed: the page shows the data of the read before it. */
export function RefreshError({ error }: { error?: string }) {
  return error ? (
    <p className="error" role="alert">
      Could not refresh from the node ({error}): showing the last data read.
    </p>
  ) : null;
}

/** An operator's allocations per operator set: the share of its stake in force (out of its max
 * magnitude, which slashes lower) and a pending change with the time until it applies.
 * `readAt` is the block `view` was read at: a change due by then and still pending is held back
 * by a pending slash (the view applies every other due change). */
export function AllocationTable({ view, readAt, testId }: { view: OperatorView; readAt: number; testId?: string }) {
  const { info, best } = useReady();
  const maxOf = (strategy: number) => view.strategies.find((s) => s.strategy === strategy)?.max_magnitude ?? WAD;
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Operator set</th>
          <th scope="col">Asset</th>
          <th scope="col">Share in force</th>
          <th scope="col">Stake</th>
          <th scope="col">Pending change</th>
        </tr>
      </thead>
      <tbody>
        {view.allocations.map((a) => {
          const asset = assetOf(info.assets, a.strategy, info.native);
          const id = `${a.set.avs}/${a.set.index}/${a.strategy}`;
          return (
            <tr key={id} data-testid={`allocation-${id}`}>
              <td>
                AVS {a.set.avs} · set {a.set.index}
              </td>
              <td>{asset.symbol}</td>
              <td>{shareOf(a.magnitude, maxOf(a.strategy))}</td>
              <td>
                <Amount value={a.allocated_stake} asset={asset} />
              </td>
              <td>
                {a.pending && a.pending[1] <= readAt ? (
                  <span data-testid="allocation-held">{shareOf(a.pending[0], maxOf(a.strategy))}, held back by a pending slash</span>
                ) : a.pending ? (
                  <>
                    {shareOf(a.pending[0], maxOf(a.strategy))} <TimeLeft blocks={a.pending[1] - best} testId="allocation-left" />
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Slash records, newest first: by whom or against whom (`by`), the fraction, the status and
 * when a pending one executes. */
export function SlashTable({ slashes, by, testId }: { slashes: SlashRecord[]; by: 'operator' | 'source'; testId: string }) {
  const { best } = useReady();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Slash</th>
          {by === 'operator' ? (
            <th scope="col">Operator</th>
          ) : (
            <>
              <th scope="col">Source</th>
              <th scope="col">Set</th>
            </>
          )}
          <th scope="col">Fraction</th>
          <th scope="col">Status</th>
          <th scope="col">Executes</th>
        </tr>
      </thead>
      <tbody>
        {slashes.map((s) => (
          <tr key={s.id.toString()}>
            <td>#{s.id.toString()}</td>
            {by === 'operator' ? (
              <td>
                <AddressLink address={s.operator} operator />
              </td>
            ) : (
              <>
                <td>
                  {s.source.type}
                  {s.source.type === 'Request' && (
                    <>
                      {' '}
                      by <AddressLink address={s.source.value.requester} />
                    </>
                  )}
                </td>
                <td>{s.set ? `AVS ${s.set.avs} · set ${s.set.index}` : 'consensus'}</td>
              </>
            )}
            <td>{wadPercent(s.fraction)}</td>
            <td>{s.status.type}</td>
            <td>{s.status.type === 'Pending' ? <TimeLeft blocks={s.executes_at - best} /> : `block #${s.executes_at}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A labelled text field and, while `problem` is set, the message tied to it for screen
 * readers (`aria-describedby`). */
export function Field(props: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  problem?: string;
  errorTestId?: string;
  inputMode?: 'decimal' | 'numeric';
  mono?: boolean;
  placeholder?: string;
}) {
  const { id, problem } = props;
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className={props.mono ? 'mono' : undefined}
        inputMode={props.inputMode}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!!problem}
        aria-describedby={problem ? `${id}-error` : undefined}
      />
      {problem && (
        <p className="error" id={`${id}-error`} data-testid={props.errorTestId}>
          {problem}
        </p>
      )}
    </>
  );
}
