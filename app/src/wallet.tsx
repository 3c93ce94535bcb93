// Accounts: those of browser extensions (polkadot.js, Talisman, SubWallet inject the same
// interface) and, on dev and local chains only, the well-known dev accounts.

import { sr25519CreateDerive } from '@polkadot-labs/hdkd';
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy, ss58Address } from '@polkadot-labs/hdkd-helpers';
import type { PolkadotSigner } from 'polkadot-api';
import { connectInjectedExtension, getInjectedExtensions } from 'polkadot-api/pjs-signer';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { useChain } from './chain';

export interface Account {
  /** `source:address`: the same address can come from an extension and the dev list. */
  id: string;
  address: string;
  name: string;
  /** The extension's name, or `dev`. */
  source: string;
  signer: PolkadotSigner;
}

const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

function devAccounts(ss58: number): Account[] {
  const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)));
  return DEV_NAMES.map((name) => {
    const pair = derive(`//${name}`);
    const address = ss58Address(pair.publicKey, ss58);
    return {
      id: `dev:${address}`,
      address,
      name: `${name} (dev)`,
      source: 'dev',
      signer: getPolkadotSigner(pair.publicKey, 'Sr25519', pair.sign),
    };
  });
}

interface WalletValue {
  accounts: Account[];
  extensions: string[];
  account?: Account;
  /** Chooses the account with this `id`. */
  select: (id: string) => void;
  /** Asks every injected extension for its accounts (each may prompt the user). */
  connectExtensions: () => Promise<void>;
  extensionError?: string;
}

const WalletContext = createContext<WalletValue | null>(null);
const SELECTED_KEY = 'kasane.account';

export function WalletProvider({ children }: { children: ReactNode }) {
  const { connection } = useChain();
  const ss58 = connection.state === 'ready' ? connection.info.ss58 : 42;
  const isDev = connection.state === 'ready' && connection.info.isDev;
  const [injected, setInjected] = useState<Account[]>([]);
  const [extensions, setExtensions] = useState<string[]>([]);
  const [extensionError, setExtensionError] = useState<string>();
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(SELECTED_KEY));

  const connectExtensions = useCallback(async () => {
    const names = getInjectedExtensions();
    setExtensions(names);
    const found: Account[] = [];
    for (const name of names) {
      try {
        const extension = await connectInjectedExtension(name, 'Kasane');
        for (const a of extension.getAccounts()) {
          // One address format in the app: the chain's (extensions may hold generic ones).
          const address = ss58Address(a.polkadotSigner.publicKey, ss58);
          found.push({ id: `${name}:${address}`, address, name: a.name ?? address, source: name, signer: a.polkadotSigner });
        }
      } catch (error) {
        setExtensionError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    setInjected(found);
  }, [ss58]);

  // Extensions inject themselves after the page loads: look once the chain is up.
  useEffect(() => {
    if (connection.state === 'ready' && getInjectedExtensions().length > 0) void connectExtensions();
  }, [connection.state, connectExtensions]);

  const accounts = useMemo(() => [...injected, ...(isDev ? devAccounts(ss58) : [])], [injected, isDev, ss58]);
  const account = accounts.find((a) => a.id === selected);
  const select = useCallback((id: string) => {
    localStorage.setItem(SELECTED_KEY, id);
    setSelected(id);
  }, []);
  const value = useMemo(
    () => ({ accounts, extensions, account, select, connectExtensions, extensionError }),
    [accounts, extensions, account, select, connectExtensions, extensionError],
  );
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletValue {
  const value = useContext(WalletContext);
  if (!value) throw new Error('useWallet outside WalletProvider');
  return value;
}
