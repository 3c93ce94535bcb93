// The operator directory (search, sort by stake in an asset) and an operator's page:
// stake per strategy, allocations per operator set with pending changes, slash history.

import { useState } from 'react';

import { assetOf, useChainData, useReady } from '../chain';
import { AddressLink, AllocationTable, Amount, Loading, SlashTable, TimeLeft } from '../components';
import { loadOperators } from '../reads';
import { perbillPercent, shareOf, wadPercent } from '../units';

export function OperatorsPage() {
  const { info } = useReady();
  const { assets } = info;
  const { data, error } = useChainData((api) => loadOperators(api), []);
  const [search, setSearch] = useState('');
  const [sortBy, setSortBy] = useState<number>(assets.find((a) => a.assetId !== undefined)?.strategy ?? 0);
  if (!data) return <Loading error={error} />;
  const needle = search.trim().toLowerCase();
  const rows = data
    .filter((o) => !needle || o.address.toLowerCase().includes(needle) || o.metadata.toLowerCase().includes(needle))
    .sort((a, b) => {
      const x = a.stake.get(sortBy) ?? 0n;
      const y = b.stake.get(sortBy) ?? 0n;
      return x === y ? a.address.localeCompare(b.address) : y > x ? 1 : -1;
    });
  return (
    <section>
      <h1>Operators</h1>
      <div className="row filters">
        <label htmlFor="operator-search">Search</label>
        <input id="operator-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="address or name" />
        <label htmlFor="operator-sort">Sort by stake in</label>
        <select id="operator-sort" value={sortBy} onChange={(e) => setSortBy(Number(e.target.value))}>
          {assets.map((a) => (
            <option key={a.strategy} value={a.strategy}>
              {a.symbol}
            </option>
          ))}
        </select>
      </div>
      <table data-testid="operators">
        <thead>
          <tr>
            <th scope="col">Operator</th>
            <th scope="col">Commission</th>
            {assets.map((a) => (
              <th scope="col" key={a.strategy}>
                {a.symbol}
              </th>
            ))}
            <th scope="col">Sets served</th>
            <th scope="col">Slashes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.address} data-testid={`operator-${o.address}`}>
              <th scope="row">
                <AddressLink address={o.address} operator /> {o.metadata && <small>{o.metadata}</small>}
                {o.validator && <small className="tag">validator</small>}
              </th>
              <td>
                {perbillPercent(o.commission)}
                {o.nativeCommission !== undefined && o.nativeCommission !== o.commission && <small> ({perbillPercent(o.nativeCommission)} on its KSN pool)</small>}
              </td>
              {assets.map((a) => (
                <td key={a.strategy}>
                  <Amount value={o.stake.get(a.strategy) ?? 0n} asset={a} testId={`operator-stake-${a.symbol}`} />
                </td>
              ))}
              <td>{o.sets}</td>
              <td>{o.slashes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>No operator matches.</p>}
    </section>
  );
}

export function OperatorPage({ address }: { address: string }) {
  const { info, best, client } = useReady();
  const { assets, native } = info;
  const { data, error } = useChainData(
    async (api) => {
      // One block for all, whose number says which pending changes a slash holds.
      const [best] = await client.getBestBlocks();
      const at = { at: best.hash };
      const [record, view, slashes] = await Promise.all([
        api.query.Restaking.Operators.getValue(address, at),
        api.apis.RestakingApi.operator(address, at),
        api.apis.SlashingApi.operator_slashes(address, 100, at),
      ]);
      return { record, view, readAt: best.number, slashes };
    },
    [address],
  );
  if (!data) return <Loading error={error} />;
  const { record, view, readAt, slashes } = data;
  // A commission change that has come due is the commission now (restaking applies it first).
  const due = record?.pending_commission && record.pending_commission.effective_at <= best ? record.pending_commission : undefined;
  const upcoming = record?.pending_commission && !due ? record.pending_commission : undefined;
  return (
    <section>
      <h1>
        Operator <span title={address}>{record?.metadata.length ? new TextDecoder().decode(record.metadata) : address}</span>
      </h1>
      <p className="mono">{address}</p>
      {!view.is_operator ? (
        <p data-testid="not-operator">This account is not a registered operator.</p>
      ) : (
        <>
          <p>
            Commission {perbillPercent(due ? due.commission : view.commission)}
            {upcoming && (
              <>
                {' '}
                → {perbillPercent(upcoming.commission)} <TimeLeft blocks={upcoming.effective_at - best} />
              </>
            )}
            {record?.approval_required ? ' · delegations need its approval' : ''}
          </p>
          <h2>Stake</h2>
          <table data-testid="operator-strategies">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Delegated</th>
                <th scope="col">Queued (still slashable)</th>
                <th scope="col">Left after slashes</th>
                <th scope="col">Share allocated</th>
              </tr>
            </thead>
            <tbody>
              {view.strategies.map((s) => {
                const asset = assetOf(assets, s.strategy, native);
                return (
                  <tr key={s.strategy} data-testid={`strategy-${asset.symbol}`}>
                    <th scope="row">{asset.symbol}</th>
                    <td>
                      <Amount value={s.delegated} asset={asset} testId={`delegated-${asset.symbol}`} />
                    </td>
                    <td>
                      <Amount value={s.queued} asset={asset} />
                    </td>
                    <td>{wadPercent(s.max_magnitude)}</td>
                    <td>{shareOf(s.encumbered, s.max_magnitude)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>Allocations</h2>
          {view.allocations.length === 0 ? (
            <p>No stake allocated to any operator set.</p>
          ) : (
            <AllocationTable view={view} readAt={readAt} testId="allocations" />
          )}
        </>
      )}
      <h2>Slash history</h2>
      {slashes.length === 0 ? (
        <p data-testid="no-slashes">Never slashed.</p>
      ) : (
        <SlashTable slashes={slashes} by="source" testId="slashes" />
      )}
    </section>
  );
}
