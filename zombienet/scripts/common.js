// Helpers shared by the zombienet scripts (CommonJS: zombienet `require`s them and provides
// `zombie.connect`, `zombie.Keyring` and `zombie.util` as globals).

const GENESIS_VALIDATORS = ['//Alice', '//Bob', '//Charlie'];

async function connect(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  await zombie.util.cryptoWaitReady();
  return zombie.connect(wsUri, userDefinedTypes);
}

/** The sr25519 account of `uri`, addressed in the chain's SS58 format. */
function account(uri, api) {
  return new zombie.Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri(uri);
}

/** Calls a JSON-RPC method of `nodeName` over HTTP (for methods @polkadot/api does not know). */
async function rpc(nodeName, networkInfo, method, params) {
  const url = networkInfo.nodesByName[nodeName].wsUri.replace(/^ws/, 'http');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function finalizedNumber(api) {
  const head = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(head)).number.toNumber();
}

/** Polls `check` every second until it returns a truthy value (zombienet times the step out). */
async function eventually(check) {
  for (;;) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Values carried from one step to a later one (all steps run in one zombienet process). */
const state = (globalThis.__kasaneZombienet ??= {});

module.exports = { GENESIS_VALIDATORS, account, connect, eventually, finalizedNumber, rpc, state };
