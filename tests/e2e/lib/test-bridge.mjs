// A bridge configured by root for tests that need bridged tokens on Kasane without anvil:
// attester keys held by the test sign what real attesters would.

import { u8aToHex } from '@polkadot/util';
import { ethers } from 'ethers';

import { submit } from './api.mjs';
import { depositDigest } from './digests.mjs';
import { sudo } from './slashing.mjs';

const CHAIN_ID = 31337;

/**
 * Root (`root`, the sudo key) points the bridge at a test vault on chain 31337 with three
 * attesters (random keys, sorted by address, two must sign) and mirrors a token with six
 * decimals as `asset` at 1.2 ETH per whole token; `extra` calls go into the same batch before
 * the rate. Returns the attesters (ethers wallets), vault, token, the token's unit, and
 * `deposit(nonce, amount, recipient)` / `attest(deposit, wallet)` (submitted by `root`).
 */
export async function configureTestBridge(api, root, asset, extra = []) {
  const attesters = [1, 2, 3].map(() => ethers.Wallet.createRandom()).sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const vault = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
  const token = '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0';
  // Six decimals, as USDC-like tokens have, so that a rate (wei per 10^18 base units) shown per
  // whole token is really converted: 1.2 ETH per token is 1.2e30 wei per 10^18 base units.
  const unit = 10n ** 6n;
  const limits = { cap: 1_000n * unit, dailyLimit: 500n * unit, maxRateChange: 50_000_000, haircut: 20_000_000, minWithdrawal: unit / 10n };
  await sudo(api, api.tx.utility.batchAll([
    api.tx.lstBridge.setEndpoint({ chainId: CHAIN_ID, vault }),
    api.tx.lstBridge.setAttesters(attesters.map((a) => a.address), 2, 1, null),
    api.tx.lstBridge.registerToken(token, asset, 6, 1_000, limits),
    ...extra,
    api.tx.lstBridge.forceSetRate(token, 1_200_000n * 10n ** 24n),
  ]), root);
  const genesis = api.genesisHash.toHex();
  const deposit = (nonce, amount, recipient) => ({ nonce, token, depositor: attesters[0].address, recipient: u8aToHex(recipient.publicKey), amount, ethBlockHash: ethers.id(`block ${nonce}`) });
  const attest = (d, wallet) => submit(api, api.tx.lstBridge.attestDeposit(d, wallet.signingKey.sign(depositDigest(CHAIN_ID, vault, genesis, d)).serialized), root);
  return { attesters, vault, token, unit, deposit, attest };
}
