// Everything an account has at stake: wallet balances, native stake, restaking positions
// split into active / queued (still slashable) / withdrawable / claimable, and the pending
// slashes that reach it.

import { assetOf, useChainData, useReady } from '../chain';
import { AddressLink, Amount, Loading, NeedsAccount, RefreshError, TimeLeft } from '../components';
import { heldBySlash } from '../native';
import { heldBy, loadPortfolio, nativeHolds, rewardAsset } from '../reads';
import { wadPercent } from '../units';

export function PortfolioPage() {
  return (
    <section>
      <h1>Portfolio</h1>
      <NeedsAccount>{(address) => <PortfolioOf address={address} />}</NeedsAccount>
    </section>
  );
}

function PortfolioOf({ address }: { address: string }) {
  const { info, best } = useReady();
  const { assets, native } = info;
  const { data, error } = useChainData((api) => loadPortfolio(api, address, assets), [address]);
  if (!data) return <Loading error={error} />;
  const { balances, staker, claimable, exposure, freezes } = data;
  const holds = data.native ? nativeHolds(data.native, freezes) : undefined;
  const nativeHeld = data.native && holds ? holds.frozen(data.native.pool) : false;
  const strategies = new Set([...staker.positions.map((p) => p.strategy), ...staker.withdrawals.map((w) => w.strategy), ...claimable.map((c) => c.strategy)]);
  return (
    <>
      <RefreshError error={error} />
      <h2>Wallet</h2>
      <table data-testid="balances">
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col">Balance</th>
          </tr>
        </thead>
        <tbody>
          {assets.map((a) => (
            <tr key={a.strategy}>
              <th scope="row">{a.symbol}</th>
              <td>
                <Amount value={balances.get(a.strategy) ?? 0n} asset={a} testId={`balance-${a.symbol}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Native stake</h2>
      {data.native ? (
        <div data-testid="native-stake">
          <p>
            Pool <AddressLink address={data.native.pool} operator /> · active <Amount value={data.native.active} asset={native} testId="native-active" /> · unclaimed
            rewards <Amount value={data.native.unclaimed} asset={native} testId="native-unclaimed" />
          </p>
          {nativeHeld && (
            <p className="error" data-testid="native-held">
              Nothing leaves this pool while a slash of its validator is due or waits for a decision.
            </p>
          )}
          {data.native.chunks.length > 0 && (
            <table>
              <caption>Unbonding</caption>
              <thead>
                <tr>
                  <th scope="col">Amount</th>
                  <th scope="col">Unlocks</th>
                </tr>
              </thead>
              <tbody>
                {data.native.chunks.map((c) => (
                  <tr key={`${c.pool}-${c.era}`} data-testid={`unbonding-${c.era}`}>
                    <td>
                      <Amount value={c.value} asset={native} />
                    </td>
                    <td>
                      <TimeLeft blocks={c.blocksLeft} testId="unbonding-left" /> (era {c.era})
                      {data.native && holds && heldBySlash(c, data.native.era, holds.owes, holds.frozen) && <span data-testid="unbonding-held"> · held until a slash is applied or decided</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : (
        <p>No native stake. Bond KSN on the Withdraw page’s native section or delegate it to a validator on the Restake page.</p>
      )}

      <h2>Restaking</h2>
      <p data-testid="delegated-to">
        Delegated to {staker.delegated_to ? <AddressLink address={staker.delegated_to} operator /> : 'nobody'}
      </p>
      {strategies.size === 0 ? (
        <p>No restaking positions yet.</p>
      ) : (
        <table data-testid="positions">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Active</th>
              <th scope="col">Queued (still slashable)</th>
              <th scope="col">Withdrawable</th>
              <th scope="col">Claimable rewards</th>
            </tr>
          </thead>
          <tbody>
            {[...strategies].sort().map((strategy) => {
              const asset = assetOf(assets, strategy, native);
              const position = staker.positions.find((p) => p.strategy === strategy);
              // Still slashable: every withdrawal not yet completable, every one a pending slash
              // holds, and every redelegation (it lands with the new operator, not in the wallet).
              const withdrawals = staker.withdrawals.filter((w) => w.strategy === strategy);
              const completable = (w: (typeof withdrawals)[number]) => !w.redeposit && w.withdrawable_at <= best && !heldBy(freezes, w.operator, w.withdrawable_at);
              const queued = withdrawals.filter((w) => !completable(w)).reduce((s, w) => s + w.value, 0n);
              const ready = withdrawals.filter(completable).reduce((s, w) => s + w.value, 0n);
              const rewards = claimable.filter((c) => c.strategy === strategy);
              return (
                <tr key={strategy} data-testid={`position-${asset.symbol}`}>
                  <th scope="row">{asset.symbol}</th>
                  <td>
                    <Amount value={position?.withdrawable ?? 0n} asset={asset} testId={`active-${asset.symbol}`} />
                  </td>
                  <td>
                    <Amount value={queued} asset={asset} testId={`queued-${asset.symbol}`} />
                  </td>
                  <td>
                    <Amount value={ready} asset={asset} testId={`withdrawable-${asset.symbol}`} />
                  </td>
                  <td data-testid={`rewards-${asset.symbol}`}>
                    {rewards.length === 0
                      ? '—'
                      : rewards.map((r, i) => <Amount key={i} value={r.amount} asset={rewardAsset(r.asset, assets, native)} />)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Exposure</h2>
      {exposure.length === 0 ? (
        <p data-testid="no-exposure">No pending slash reaches this stake.</p>
      ) : (
        <table data-testid="exposure">
          <caption>Pending slashes that reach this stake: each executes when its veto window ends unless vetoed.</caption>
          <thead>
            <tr>
              <th scope="col">Slash</th>
              <th scope="col">Operator</th>
              <th scope="col">Fraction</th>
              <th scope="col">Could take</th>
              <th scope="col">Veto window</th>
            </tr>
          </thead>
          <tbody>
            {exposure.flatMap(({ slash, cost }) =>
              cost.map(([strategy, amount]) => {
                const asset = assetOf(assets, strategy, native);
                return (
                  <tr key={`${slash.id}-${strategy ?? 'native'}`} data-testid={`exposure-${slash.id}-${strategy ?? 'native'}`}>
                    <td>#{slash.id.toString()}</td>
                    <td>
                      <AddressLink address={slash.operator} operator />
                    </td>
                    <td>{wadPercent(slash.fraction)}</td>
                    <td>
                      <Amount value={amount} asset={asset} testId={`exposure-cost-${slash.id}-${strategy ?? 'native'}`} />
                    </td>
                    <td>
                      {slash.executes_at > best ? 'ends ' : ''}
                      <TimeLeft blocks={slash.executes_at - best} testId={`exposure-left-${slash.id}-${strategy ?? 'native'}`} />
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      )}
    </>
  );
}
