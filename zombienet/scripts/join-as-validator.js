// The README's "Join as a validator", on Dave's node: keys generated in Dave's keystore with a
// proof of ownership, then bond + validate + set_keys in one batch from //Dave; Dave must be in
// `session.validators` within two eras of the batch's inclusion, then author blocks.
const { account, connect, eventually, rpc } = require('./common.js');

const UNIT = 10n ** 12n;

async function run(nodeName, networkInfo) {
  const api = await connect(nodeName, networkInfo);
  const dave = account('//Dave', api);
  const owner = '0x' + Buffer.from(dave.publicKey).toString('hex');
  const { keys, proof } = await rpc(nodeName, networkInfo, 'author_rotateKeysWithOwner', [owner]);
  const tx = api.tx.utility.batchAll([
    api.tx.staking.bond(50000n * UNIT),
    api.tx.staking.validate(50000000), // 5% (Perbill parts)
    api.tx.session.setKeys(keys, proof),
  ]);
  const inBlock = await new Promise((resolve, reject) => {
    tx.signAndSend(dave, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(`join failed: ${dispatchError.toString()}`));
      else if (status.isInBlock) resolve(status.asInBlock);
    }).catch(reject);
  });
  const at = await api.at(inBlock);
  const joinedIn = (await at.query.staking.activeEra()).unwrap().index.toNumber();
  if ((await at.query.staking.validators(dave.address)).isNone) throw new Error('Dave is not a candidate');
  const held = (await at.query.staking.ledgers(dave.address)).unwrap().held.toBigInt();
  if (held !== 50000n * UNIT) throw new Error(`Dave's bond holds ${held}, not 50000 KSN`);
  await eventually(async () =>
    (await api.query.session.validators()).map((v) => v.toString()).includes(dave.address),
  );
  const authorityIn = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  // Dave's node authors with the keys it generated: he earns era points.
  await eventually(async () => {
    const points = (await api.query.staking.activeEraPoints()).individual.toJSON();
    return points[dave.address] > 0;
  });
  await api.disconnect();
  if (authorityIn > joinedIn + 2) {
    throw new Error(`Dave joined in era ${joinedIn} but became an authority only in era ${authorityIn}`);
  }
  return authorityIn - joinedIn;
}

module.exports = { run };
