// What bridge attesters sign (see kasane_primitives::bridge): shared by the tests that attest
// by hand instead of through a relayer.

import { ethers } from 'ethers';

/** The digest attesters sign for vault deposit `d` to the Kasane network `kasaneGenesis`. */
export function depositDigest(chainId, vaultAddress, kasaneGenesis, d) {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  return ethers.keccak256(coder.encode(
    ['bytes32', 'uint256', 'address', 'bytes32', 'uint64', 'address', 'address', 'bytes32', 'uint256', 'bytes32'],
    [ethers.id('kasane/bridge/deposit/v2'), chainId, vaultAddress, kasaneGenesis, d.nonce, d.token, d.depositor, d.recipient, d.amount, d.ethBlockHash],
  ));
}
