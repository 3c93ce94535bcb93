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
