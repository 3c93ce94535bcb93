// Finality steps around a validator outage:
// - "record" (on a live node): wait until every block seen so far is finalized (so an
//   authority-set change, such as Dave joining, is enacted), then remember the finalized block;
// - "advances" (after `bob: pause`): at least 3 more blocks are finalized without Bob;
// - "caught-up" (on Bob after `bob: restart`): Bob still has the recorded block and reaches the
//   finalized height the others had when he came back.
const { connect, eventually, finalizedNumber, state } = require('./common.js');

async function run(nodeName, networkInfo, args) {
  const step = args[0];
  const api = await connect(nodeName, networkInfo);
  if (step === 'record') {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    await eventually(async () => (await finalizedNumber(api)) > best);
    state.number = await finalizedNumber(api);
    state.hash = (await api.rpc.chain.getBlockHash(state.number)).toHex();
  } else if (step === 'advances') {
    await eventually(async () => (await finalizedNumber(api)) >= state.number + 3);
    const alice = await connect('alice', networkInfo);
    state.target = await finalizedNumber(alice);
    await alice.disconnect();
  } else if (step === 'caught-up') {
    const hash = (await api.rpc.chain.getBlockHash(state.number)).toHex();
    if (hash !== state.hash) throw new Error(`${nodeName} lost block #${state.number}`);
    await eventually(async () => (await finalizedNumber(api)) >= state.target);
  } else {
    throw new Error(`unknown step ${step}`);
  }
  await api.disconnect();
  return 1;
}

module.exports = { run };
