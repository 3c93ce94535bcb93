// Every genesis validator authors blocks (Aura round robin) and they are the session's set.
const { GENESIS_VALIDATORS, account, connect, eventually } = require('./common.js');

async function run(nodeName, networkInfo) {
  const api = await connect(nodeName, networkInfo);
  const expected = GENESIS_VALIDATORS.map((uri) => account(uri, api).address);
  const validators = (await api.query.session.validators()).map((v) => v.toString());
  if (expected.some((a) => !validators.includes(a))) {
    throw new Error(`session validators ${validators} are not the genesis set ${expected}`);
  }
  await eventually(async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const seen = new Set();
    for (let n = 1; n <= best; n++) {
      const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(n));
      if (header && header.author) seen.add(header.author.toString());
    }
    return expected.every((a) => seen.has(a));
  });
  await api.disconnect();
  return 1;
}

module.exports = { run };
