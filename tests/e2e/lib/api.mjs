// Connects @polkadot/api to a test node and gives the well-known development accounts, with
// addresses in the chain's own SS58 format.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

/** An `ApiPromise` connected to `node` (from `startDevNode`), plus Alice and Bob. */
export async function connect(node) {
  const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  return { api, alice: keyring.addFromUri('//Alice'), bob: keyring.addFromUri('//Bob') };
}

/** Signs and submits `tx`, resolving with the events of its block once it is in one; a
 * failed dispatch rejects with `err.moduleError` = `section.Name`. */
export function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError, events }) => {
      if (!status.isInBlock) return;
      if (dispatchError) {
        const { section, name } = dispatchError.isModule
          ? api.registry.findMetaError(dispatchError.asModule)
          : { section: 'dispatch', name: dispatchError.toString() };
        const err = new Error(`${section}.${name}`);
        err.moduleError = `${section}.${name}`;
        reject(err);
        return;
      }
      resolve(events.map(({ event }) => event));
    }).catch(reject);
  });
}
