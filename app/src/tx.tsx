// One way to send a transaction and show where it is: awaiting signature → broadcast → in
// block #n → finalized, or a failure named `pallet.Error: the runtime's doc text`.

import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import type { PolkadotClient, PolkadotSigner, Transaction } from 'polkadot-api';
import { useCallback, useEffect, useRef, useState } from 'react';

import { useReady } from './chain';

export type TxState =
  | { step: 'idle' }
  | { step: 'signing' }
  | { step: 'broadcast' }
  | { step: 'in-block'; block: number; hash: string }
  | { step: 'finalized'; block: number; hash: string }
  | { step: 'failed'; message: string; block?: number };

type AnyTx = Transaction;

type ErrorDocs = (pallet: string, error: string) => string | undefined;

/** Error docs from the runtime's metadata, so a failure reads as the runtime describes it. */
async function loadErrorDocs(client: PolkadotClient): Promise<ErrorDocs> {
  const { hash } = await client.getFinalizedBlock();
  const metadata = unifyMetadata(decAnyMetadata(await client.getMetadata(hash)));
  return (pallet, error) => {
    const errors = metadata.pallets.find((p) => p.name === pallet)?.errors;
    if (!errors) return undefined;
    const def = metadata.lookup[errors.type]?.def;
    if (def?.tag !== 'variant') return undefined;
    const variant = def.value.find((v) => v.name === error);
    return variant?.docs.join(' ').trim() || undefined;
  };
}

/** A dispatch error as `pallet.Error: docs` (or the error's kind outside pallets). */
export function describeDispatchError(error: unknown, docs?: ErrorDocs): string {
  const e = error as { type?: string; value?: unknown };
  if (e?.type === 'Module') {
    const module = e.value as { type: string; value?: { type: string } };
    const name = module.value?.type ?? 'Unknown';
    const pallet = module.type.charAt(0).toLowerCase() + module.type.slice(1);
    const text = docs?.(module.type, name);
    return `${pallet}.${name}${text ? `: ${text}` : ''}`;
  }
  if (e?.type === 'Token' || e?.type === 'Arithmetic' || e?.type === 'Transactional') {
    return `${e.type}.${(e.value as { type?: string })?.type ?? ''}`;
  }
  return e?.type ?? String(error);
}

/** An error thrown before the transaction reached a block (refused by the signer or the pool). */
function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const invalid = (error as { error?: { type?: string; value?: { type?: string } } }).error;
    if (invalid?.type) return `refused by the node: ${invalid.type}${invalid.value?.type ? `.${invalid.value.type}` : ''}`;
    return error.message;
  }
  return String(error);
}

/** `send(tx, signer)` signs, submits and follows `tx`; `state` is where it is. */
export function useTx() {
  const { client } = useReady();
  const [state, setState] = useState<TxState>({ step: 'idle' });
  const docs = useRef<Promise<ErrorDocs> | undefined>(undefined);

  // The transaction being followed: a new send stops following the previous one, so a late
  // event of an old transaction never overwrites the new one's progress.
  const following = useRef<{ unsubscribe: () => void } | undefined>(undefined);
  useEffect(() => () => following.current?.unsubscribe(), []);

  const send = useCallback(
    (tx: AnyTx, signer: PolkadotSigner): Promise<boolean> =>
      new Promise((resolve) => {
        following.current?.unsubscribe();
        setState({ step: 'signing' });
        docs.current ??= loadErrorDocs(client).catch(() => () => undefined);
        let done = false;
        const finish = (next: TxState, ok: boolean) => {
          if (done) return;
          done = true;
          setState(next);
          following.current?.unsubscribe();
          resolve(ok);
        };
        const fail = async (dispatchError: unknown, block?: number) => {
          const message = describeDispatchError(dispatchError, await docs.current);
          finish({ step: 'failed', message, block }, false);
        };
        following.current = tx.signSubmitAndWatch(signer).subscribe({
          next: (event) => {
            if (done) return;
            if (event.type === 'signed') setState({ step: 'broadcast' });
            if (event.type === 'txBestBlocksState' && event.found) {
              // A dispatch that failed in a block has failed: its fee is paid, nothing else changed.
              if (!event.ok) return void fail(event.dispatchError, event.block.number);
              setState({ step: 'in-block', block: event.block.number, hash: event.block.hash });
            }
            if (event.type === 'finalized') {
              if (!event.ok) return void fail(event.dispatchError, event.block.number);
              finish({ step: 'finalized', block: event.block.number, hash: event.block.hash }, true);
            }
          },
          error: (error: unknown) => finish({ step: 'failed', message: describeThrown(error) }, false),
        });
      }),
    [client],
  );
  return { state, send, busy: state.step === 'signing' || state.step === 'broadcast' || state.step === 'in-block' };
}

const STEPS = ['signing', 'broadcast', 'in-block', 'finalized'] as const;
const LABELS: Record<(typeof STEPS)[number], string> = {
  signing: 'Awaiting signature',
  broadcast: 'Broadcast',
  'in-block': 'In block',
  finalized: 'Finalized',
};

/** Where a transaction is: one line of steps, and the failure when it failed. The live region
 * stays mounted (empty while idle) so screen readers announce its first change. */
export function TxProgress({ state, label }: { state: TxState; label: string }) {
  const reached = state.step === 'failed' || state.step === 'idle' ? -1 : STEPS.indexOf(state.step);
  return (
    <div
      className={state.step === 'idle' ? 'tx-idle' : `tx tx-${state.step}`}
      role="status"
      aria-live="polite"
      data-testid="tx-progress"
      data-step={state.step}
      data-block={'block' in state ? state.block : undefined}
    >
      {state.step !== 'idle' && (
        <>
          <strong>{label}</strong>
          <ol>
            {STEPS.map((step, i) => (
              <li key={step} className={i < reached || state.step === 'finalized' ? 'done' : i === reached ? 'current' : ''}>
                {LABELS[step]}
                {(step === 'in-block' || step === 'finalized') && 'block' in state && i <= reached ? ` #${state.block}` : ''}
              </li>
            ))}
          </ol>
          {state.step === 'failed' && (
            <p className="error" role="alert" data-testid="tx-error">
              Failed{state.block ? ` in block #${state.block}` : ''}: {state.message}
            </p>
          )}
        </>
      )}
    </div>
  );
}
