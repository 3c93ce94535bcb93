// Small pieces every page uses.

import type { ReactNode } from 'react';

import { useReady, type Asset } from './chain';
import { formatAmount, formatDuration, shortAddress } from './units';
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
