// The shell: connection and account in the header, one page per route (`#/…`).

import { Component, lazy, Suspense, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';

import { ChainProvider, useChain } from './chain';
import { AvsMarketPage, SetSecurityPage } from './pages/Avs';
import { OperatorPage, OperatorsPage } from './pages/Operators';
import { PortfolioPage } from './pages/Portfolio';
import { RestakePage } from './pages/Restake';
import { WithdrawPage } from './pages/Withdraw';
import { shortAddress } from './units';
import { WalletProvider, useWallet } from './wallet';

// Pages few visitors open, some with their own cryptography (AVS key schemes, Keccak): loaded
// when opened, so the first page loads less.
const OperatorConsolePage = lazy(() => import('./pages/OperatorConsole').then((m) => ({ default: m.OperatorConsolePage })));
const BridgePage = lazy(() => import('./pages/Bridge').then((m) => ({ default: m.BridgePage })));
const AvsConsolePage = lazy(() => import('./pages/AvsConsole').then((m) => ({ default: m.AvsConsolePage })));

function useRoute(): string {
  const [route, setRoute] = useState(() => window.location.hash.slice(1) || '/');
  useEffect(() => {
    const onChange = () => setRoute(window.location.hash.slice(1) || '/');
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The nav entry a route belongs to (`/operators/<address>` is under Operators). */
const pageOf = (route: string): string => '/' + (route.split('/')[1] ?? '');

const NAV = [
  ['/', 'Portfolio'],
  ['/restake', 'Restake'],
  ['/operators', 'Operators'],
  ['/withdraw', 'Withdraw'],
  ['/avs', 'AVS market'],
  ['/operate', 'Operate'],
  ['/run-avs', 'Run an AVS'],
  ['/bridge', 'Bridge'],
] as const;

function NodeForm() {
  const { connection, setUrl } = useChain();
  const [text, setText] = useState(connection.url);
  useEffect(() => setText(connection.url), [connection.url]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) setUrl(text.trim());
  };
  return (
    <form className="node-form" onSubmit={submit}>
      <label htmlFor="node-url">Node</label>
      <input id="node-url" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <button type="submit">Connect</button>
    </form>
  );
}

function AccountPicker() {
  const { accounts, account, select, extensions, connectExtensions, extensionError } = useWallet();
  return (
    <div className="account-picker">
      <label htmlFor="account">Account</label>
      <select id="account" value={account?.id ?? ''} onChange={(e) => select(e.target.value)} data-testid="account-select">
        <option value="">{accounts.length ? 'Choose an account' : 'No accounts'}</option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} · {shortAddress(a.address)} ({a.source})
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void connectExtensions()} title="Ask browser extensions for accounts">
        {extensions.length ? 'Reload wallets' : 'Connect wallet'}
      </button>
      {extensionError && <p className="error">{extensionError}</p>}
    </div>
  );
}

/** Seconds since the best block last changed, while the chain is connected (ticks every 5 s). */
function useSecondsSinceBlock(best: number): number {
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setSince(Date.now()), [best]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.round((now - since) / 1000));
}

function Header({ route }: { route: string }) {
  const { connection, best, finalized } = useChain();
  const quiet = useSecondsSinceBlock(best);
  return (
    <header>
      <div className="brand">
        <span className="logo" aria-hidden="true" /> Kasane
      </div>
      <nav aria-label="Pages">
        {NAV.map(([path, label]) => (
          <a key={path} href={`#${path}`} aria-current={pageOf(route) === path ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <div className="network" data-testid="network">
        {connection.state === 'ready' ? (
          <>
            <span className="dot ok" aria-hidden="true" />
            {connection.info.name} · best #{best} · finalized <span data-testid="finalized">#{finalized}</span>
            {quiet >= 30 && (
              <span className="error" role="status" data-testid="no-blocks">
                {' '}
                · no new block for {quiet} s
              </span>
            )}
          </>
        ) : connection.state === 'connecting' ? (
          <>Connecting to {connection.url || 'the node'}…</>
        ) : (
          <>
            <span className="dot bad" aria-hidden="true" />
            Unreachable
          </>
        )}
      </div>
      <NodeForm />
      {connection.state === 'ready' && <AccountPicker />}
    </header>
  );
}

function Body({ route }: { route: string }) {
  const { connection, retry } = useChain();
  if (connection.state === 'connecting') {
    return (
      <p className="panel" data-testid="connecting">
        Connecting to {connection.url}…
      </p>
    );
  }
  if (connection.state === 'unreachable') {
    return (
      <section className="panel unreachable" data-testid="unreachable" data-attempt={connection.attempt}>
        <h1>The node is unreachable</h1>
        <p>
          {connection.reason}. Is <code>kasane-node</code> running? <code>scripts/devnet.sh</code> starts one on{' '}
          <code>ws://127.0.0.1:9944</code>; the Node field above picks another.
        </p>
        <button type="button" onClick={retry}>
          Retry
        </button>
      </section>
    );
  }
  const operator = route.match(/^\/operators\/(.+)$/);
  if (operator) return <OperatorPage address={safeDecode(operator[1])} />;
  const set = route.match(/^\/avs\/(\d+)\/(\d+)$/);
  if (set) return <SetSecurityPage avs={Number(set[1])} index={Number(set[2])} />;
  switch (route) {
    case '/restake':
      return <RestakePage />;
    case '/operators':
      return <OperatorsPage />;
    case '/withdraw':
      return <WithdrawPage />;
    case '/avs':
      return <AvsMarketPage />;
    case '/operate':
      return <OperatorConsolePage />;
    case '/run-avs':
      return <AvsConsolePage />;
    case '/bridge':
      return <BridgePage />;
    default:
      return <PortfolioPage />;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A page that throws shows what went wrong instead of a blank app. */
class PageBoundary extends Component<{ route: string; children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidUpdate(previous: { route: string }) {
    if (previous.route !== this.props.route && this.state.error) this.setState({ error: undefined });
  }
  render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="panel" role="alert">
        <h1>This page failed</h1>
        <p className="error">{this.state.error.message}</p>
        <p>
          <a href="#/">Back to the portfolio</a>
        </p>
      </section>
    );
  }
}

/** A new route moves focus to its heading and names the page in the title, as a page load would. */
function useRouteAnnouncement(route: string) {
  const first = useRef(true);
  useEffect(() => {
    const label = NAV.find(([path]) => path === pageOf(route))?.[1] ?? 'Portfolio';
    document.title = `${label} · Kasane`;
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }, 50);
    return () => clearTimeout(timer);
  }, [route]);
}

function Shell() {
  const route = useRoute();
  useRouteAnnouncement(route);
  return (
    <>
      <Header route={route} />
      <main>
        <PageBoundary route={route}>
          <Suspense fallback={<p aria-busy="true">Loading…</p>}>
            <Body route={route} />
          </Suspense>
        </PageBoundary>
      </main>
    </>
  );
}

export function App() {
  return (
    <ChainProvider>
      <WalletProvider>
        <Shell />
      </WalletProvider>
    </ChainProvider>
  );
}
