// The AVS market (every operator set: what it accepts, its slashing terms, the stake
// allocated to it and the rewards it pays) and a set's security: the stake behind it and what
// corrupting a third or two thirds of it would cost (`AvsApi`).

import { useState } from 'react';

import { assetOf, useChainData, useReady } from '../chain';
import { Amount, Loading, SlashTable } from '../components';
import { rewardAsset } from '../reads';
import { formatAmount, wadPercent } from '../units';

type Order = 'SetId' | 'AllocatedValue' | 'RewardRate';
const ETH = { strategy: -1, symbol: 'ETH', decimals: 18 };

export function AvsMarketPage() {
  const { info } = useReady();
  const { assets, native } = info;
  const [order, setOrder] = useState<Order>('AllocatedValue');
  const { data, error } = useChainData(
    (api) =>
      api.apis.AvsApi.operator_sets(
        order === 'RewardRate' ? { type: 'RewardRate', value: { type: 'Native', value: undefined } } : { type: order, value: undefined },
        0,
        100,
        { at: 'best' },
      ),
    [order],
  );
  return (
    <section>
      <h1>AVS market</h1>
      <p>Operator sets AVSs run, the stake operators allocate to them and the rewards they pay. Operators choose sets here; stakers see whom their stake secures.</p>
      <div className="row filters">
        <label htmlFor="market-order">Order by</label>
        <select id="market-order" value={order} onChange={(e) => setOrder(e.target.value as Order)}>
          <option value="AllocatedValue">most allocated stake</option>
          <option value="RewardRate">highest {native.symbol} reward rate</option>
          <option value="SetId">set id</option>
        </select>
      </div>
      {!data ? (
        <Loading error={error} />
      ) : data.length === 0 ? (
        <p data-testid="no-sets">No operator set yet.</p>
      ) : (
        <table data-testid="market">
          <thead>
            <tr>
              <th scope="col">Set</th>
              <th scope="col">Operators</th>
              <th scope="col">Accepts</th>
              <th scope="col">Slashing</th>
              <th scope="col">Allocated stake</th>
              <th scope="col">Rewards per era</th>
            </tr>
          </thead>
          <tbody>
            {data.map((s) => {
              const id = `${s.set.avs}/${s.set.index}`;
              return (
                <tr key={id} data-testid={`set-${id}`}>
                  <th scope="row">
                    <a href={`#/avs/${id}`}>
                      AVS {s.set.avs} · set {s.set.index}
                    </a>
                    <br />
                    <small>{new TextDecoder().decode(s.metadata_uri)}</small>
                  </th>
                  <td>
                    {s.members} / {s.max_operators}
                    {s.allowlist ? ' (allowlist)' : ''}
                  </td>
                  <td>{s.strategies.map(([strategy]) => assetOf(assets, strategy, native).symbol).join(', ')}</td>
                  <td>
                    {s.terms.mode.type === 'Veto' ? (
                      <>vetoable for {s.terms.mode.value.window} blocks</>
                    ) : (
                      'instant'
                    )}
                    ; at most {wadPercent(s.terms.max_slash_per_epoch)} per epoch; slashed funds {s.terms.slashed_funds.type === 'Burn' ? 'burned' : 'to an account'}
                    {s.pending_terms && <p className="error">New terms from block #{s.pending_terms[1]}</p>}
                  </td>
                  <td>
                    {s.stake.length === 0
                      ? '—'
                      : s.stake.map((st) => (
                          <div key={st.strategy}>
                            <Amount value={st.allocated} asset={assetOf(assets, st.strategy, native)} testId={`set-stake-${id}-${st.strategy}`} />{' '}
                            <small>({st.operators} operators)</small>
                          </div>
                        ))}
                  </td>
                  <td>
                    {s.budgets.length === 0
                      ? '—'
                      : s.budgets.map((b, i) => (
                          <div key={i}>
                            <Amount value={b.per_era} asset={rewardAsset(b.asset, assets, native)} testId={`set-budget-${id}`} />{' '}
                            <small>
                              ({formatAmount(b.remaining, rewardAsset(b.asset, assets, native).decimals)} left)
                            </small>
                          </div>
                        ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function SetSecurityPage({ avs, index }: { avs: number; index: number }) {
  const { info } = useReady();
  const { assets, native } = info;
  const set = { avs, index };
  const { data, error } = useChainData(
    async (api) => {
      const [security, slashes] = await Promise.all([
        api.apis.AvsApi.security(set, { at: 'best' }),
        api.apis.SlashingApi.set_slashes(set, 100, { at: 'best' }),
      ]);
      return { security, slashes };
    },
    [avs, index],
  );
  if (!data) return <Loading error={error} />;
  const { security, slashes } = data;
  return (
    <section>
      <h1>
        AVS {avs} · set {index}
      </h1>
      {!security ? (
        <p data-testid="unknown-set">There is no such operator set.</p>
      ) : (
        <>
          <h2>Stake behind it</h2>
          <p data-testid="security-totals">
            <Amount value={security.native_ksn} asset={native} testId="security-native" /> of native stake and{' '}
            <Amount value={security.lst_eth} asset={ETH} testId="security-eth" /> of LSTs (valued in ETH).
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Allocated</th>
                <th scope="col">Operators</th>
              </tr>
            </thead>
            <tbody>
              {security.stake.map((s) => {
                const asset = assetOf(assets, s.strategy, native);
                return (
                  <tr key={s.strategy}>
                    <th scope="row">{asset.symbol}</th>
                    <td>
                      <Amount value={s.allocated} asset={asset} />
                    </td>
                    <td>{s.operators}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>Cost to corrupt</h2>
          <table data-testid="corruption">
            <thead>
              <tr>
                <th scope="col">To control</th>
                <th scope="col">Native stake to add</th>
                <th scope="col">LST stake to add</th>
                <th scope="col">Or: existing operators colluding</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['⅓ (halt it)', security.to_control_third],
                  ['⅔ (forge its output)', security.to_control_two_thirds],
                ] as const
              ).map(([label, cost]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>
                    <Amount value={cost.native_ksn} asset={native} />
                  </td>
                  <td>
                    <Amount value={cost.lst_eth} asset={ETH} testId={`corrupt-eth-${label.charAt(0)}`} />
                  </td>
                  <td>{cost.operators === undefined ? 'not enough operators' : cost.operators}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Slashes</h2>
      {slashes.length === 0 ? (
        <p>None.</p>
      ) : (
        <SlashTable slashes={slashes} by="operator" testId="set-slashes" />
      )}
    </section>
  );
}
