// The connection to a Kasane node: one papi client, the chain's static facts (name, token,
// block time, strategies and their assets), and the best and finalized block numbers that
// every page re-reads its data on.

import { kasane } from '@polkadot-api/descriptors';
import { createClient, type PolkadotClient, type TypedApi } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export type KasaneApi = TypedApi<typeof kasane>;

/** A restakable asset: a strategy and what it holds. `assetId` is undefined for native KSN. */
export interface Asset {
  strategy: number;
  assetId?: number;
  symbol: string;
  decimals: number;
}

export interface ChainInfo {
  name: string;
  /** Block 0's hash: what signed messages of operators are bound to. */
  genesisHash: string;
  ss58: number;
  native: Asset;
  blockMs: number;
  /** `--dev` and `--chain local`: the dev accounts are offered. */
  isDev: boolean;
  assets: Asset[];
}

export type Connection =
  | { state: 'connecting'; url: string }
  | { state: 'unreachable'; url: string; reason: string; attempt: number }
  | { state: 'ready'; url: string; client: PolkadotClient; api: KasaneApi; info: ChainInfo };

interface ChainContextValue {
  connection: Connection;
  best: number;
  finalized: number;
  retry: () => void;
  setUrl: (url: string) => void;
}

const ChainContext = createContext<ChainContextValue | null>(null);

/** The node to use: `?rpc=` in the address, else what the server that served the app names
 * (`config.json`), else a node on this host's port 9944. */
export async function defaultRpcUrl(): Promise<string> {
  const fromQuery = new URLSearchParams(window.location.search).get('rpc');
  if (fromQuery) return fromQuery;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as { rpc?: string };
      if (config.rpc) return config.rpc;
    }
  } catch {
    // Served without a config: fall through.
  }
  return `ws://${window.location.hostname || '127.0.0.1'}:9944`;
}

const CONNECT_TIMEOUT_MS = 8000;

/** The strategies and their assets' symbols and decimals (a strategy per asset: a short list). */
export async function loadAssets(api: KasaneApi, native: Asset): Promise<Asset[]> {
  const strategies = await api.query.Restaking.Strategies.getEntries({ at: 'best' });
  const assets = await Promise.all(
    strategies.map(async ({ keyArgs: [strategy], value }) => {
      if (value.kind.type === 'Native') return { ...native, strategy };
      const assetId = value.kind.value;
      const metadata = await api.query.Assets.Metadata.getValue(assetId, { at: 'best' });
      const symbol = new TextDecoder().decode(metadata.symbol) || `asset ${assetId}`;
      return { strategy, assetId, symbol, decimals: metadata.decimals };
    }),
  );
  return assets.sort((a, b) => a.strategy - b.strategy);
}

async function connect(url: string, onLost: (reason: string) => void): Promise<Connection> {
  let refused: ((error: Error) => void) | undefined;
  const provider = getWsProvider(url, {
    timeout: CONNECT_TIMEOUT_MS,
    onStatusChanged: (status) => {
      if (status.type === 'ERROR' || status.type === 'CLOSE') {
        const reason = `the node at ${url} does not answer`;
        refused?.(new Error(reason));
        onLost(reason);
      }
    },
  });
  const client = createClient(provider);
  const setUp = async (): Promise<Connection> => {
    const spec = await client.getChainSpecData();
    const api = client.getTypedApi(kasane);
    const [chainType, slotMs] = await Promise.all([
      client._request<string | { Development?: null; Local?: null }>('system_chainType', []),
      api.apis.AuraApi.slot_duration(),
    ]);
    const properties = spec.properties as { tokenSymbol?: string | string[]; tokenDecimals?: number | number[]; ss58Format?: number };
    const first = <T,>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);
    const native: Asset = {
      strategy: -1,
      symbol: first(properties.tokenSymbol) ?? 'KSN',
      decimals: first(properties.tokenDecimals) ?? 12,
    };
    const kind = typeof chainType === 'string' ? chainType : Object.keys(chainType)[0];
    const info: ChainInfo = {
      name: spec.name,
      genesisHash: spec.genesisHash,
      ss58: properties.ss58Format ?? 42,
      native,
      blockMs: Number(slotMs),
      isDev: kind === 'Development' || kind === 'Local',
      assets: await loadAssets(api, native),
    };
    return { state: 'ready', url, client, api, info };
  };
  try {
    // Everything the app needs before its first page, within one deadline; a refused
    // connection ends the wait at once.
    return await Promise.race([
      setUp(),
      new Promise<never>((_, reject) => {
        refused = reject;
        setTimeout(() => reject(new Error(`no answer from ${url} within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    client.destroy();
    return { state: 'unreachable', url, reason: error instanceof Error ? error.message : String(error), attempt: 0 };
  }
}

export function ChainProvider({ children }: { children: ReactNode }) {
  const [url, setUrl] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting', url: '' });
  const [best, setBest] = useState(0);
  const [finalized, setFinalized] = useState(0);

  useEffect(() => {
    void defaultRpcUrl().then(setUrl);
  }, []);

  useEffect(() => {
    if (!url) return;
    let live = true;
    let current: Connection | undefined;
    setConnection({ state: 'connecting', url });
    void connect(url, (reason) => {
      if (live && current?.state === 'ready') {
        current.client.destroy();
        setConnection({ state: 'unreachable', url, reason, attempt });
      }
    }).then((result) => {
      if (!live) {
        if (result.state === 'ready') result.client.destroy();
        return;
      }
      current = result;
      setConnection(result.state === 'unreachable' ? { ...result, attempt } : result);
    });
    return () => {
      live = false;
      if (current?.state === 'ready') current.client.destroy();
    };
  }, [url, attempt]);

  useEffect(() => {
    // Block numbers belong to the chain they were read from.
    setBest(0);
    setFinalized(0);
    if (connection.state !== 'ready') return;
    const { client } = connection;
    // Follow the best and finalized blocks; should a stream end with an error (the node
    // stopping a chainHead subscription, say), follow it again rather than freeze the pages.
    let stopped = false;
    const subscriptions: Array<{ unsubscribe: () => void }> = [];
    const follow = <T,>(stream: { subscribe: (o: { next: (v: T) => void; error: (e: unknown) => void }) => { unsubscribe: () => void } }, next: (v: T) => void) => {
      const start = () => {
        subscriptions.push(
          stream.subscribe({
            next,
            error: (error) => {
              console.warn('block stream ended, following it again:', error);
              if (!stopped) setTimeout(start, 1000);
            },
          }),
        );
      };
      start();
    };
    follow(client.bestBlocks$, (blocks: Array<{ number: number }>) => {
      if (blocks[0]) setBest(blocks[0].number);
    });
    follow(client.finalizedBlock$, (block: { number: number }) => setFinalized(block.number));
    return () => {
      stopped = true;
      subscriptions.forEach((s) => s.unsubscribe());
    };
  }, [connection]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const changeUrl = useCallback((next: string) => {
    setUrl(next);
    setAttempt((n) => n + 1);
  }, []);
  const value = useMemo(() => ({ connection, best, finalized, retry, setUrl: changeUrl }), [connection, best, finalized, retry, changeUrl]);
  return <ChainContext.Provider value={value}>{children}</ChainContext.Provider>;
}

export function useChain(): ChainContextValue {
  const value = useContext(ChainContext);
  if (!value) throw new Error('useChain outside ChainProvider');
  return value;
}

/** The ready connection; pages render only under one. */
export function useReady() {
  const { connection, best, finalized } = useChain();
  if (connection.state !== 'ready') throw new Error('the chain is not connected');
  return { ...connection, best, finalized };
}

/** `load()` re-run on every new best block (and when `deps` change): the page's chain data.
 * Data read for other `deps` (another account, another route) is never returned: the page
 * shows it loading instead of acting on someone else's state. A slow read is not cancelled
 * by the next block: results apply in the order the reads started. `error` is the last
 * failed read's, kept next to the last good data. */
export function useChainData<T>(load: (api: KasaneApi) => Promise<T>, deps: unknown[]): { data?: T; error?: string } {
  const { api, best } = useReady();
  const key = JSON.stringify(deps, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  const [state, setState] = useState<{ key?: string; data?: T; error?: string }>({});
  const started = useRef(0);
  const applied = useRef(0);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  useEffect(() => {
    const mine = ++started.current;
    load(api).then(
      (data) => {
        if (!mounted.current || mine < applied.current) return;
        applied.current = mine;
        setState({ key, data });
      },
      (error: unknown) => {
        if (!mounted.current || mine < applied.current) return;
        const message = error instanceof Error ? error.message : String(error);
        setState((s) => (s.key === key ? { ...s, error: message } : { key, error: message }));
      },
    );
    // `load` is a new closure each render; what it reads is in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, best, key]);
  return state.key === key ? { data: state.data, error: state.error } : {};
}

/** The asset of `strategy` (a placeholder naming it when unknown). */
export function assetOf(assets: Asset[], strategy: number | undefined, native: Asset): Asset {
  if (strategy === undefined) return native;
  return assets.find((a) => a.strategy === strategy) ?? { strategy, symbol: `strategy ${strategy}`, decimals: 0 };
}
