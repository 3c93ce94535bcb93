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

/** The digest attesters sign for Ethereum header `h` ({ number, hash, receiptsRoot }). */
export function headerDigest(chainId, vaultAddress, kasaneGenesis, h) {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  return ethers.keccak256(coder.encode(
    ['bytes32', 'uint256', 'address', 'bytes32', 'uint256', 'bytes32', 'bytes32'],
    [ethers.id('kasane/bridge/header/v1'), chainId, vaultAddress, kasaneGenesis, h.number, h.hash, h.receiptsRoot],
  ));
}

/** A receipt as the receipts trie holds it (EIP-2718), from `eth_getTransactionReceipt`'s JSON. */
export function encodeReceipt(r) {
  const logs = r.logs.map((l) => [l.address, l.topics, l.data]);
  const status = BigInt(r.status) === 1n ? '0x01' : '0x';
  const body = ethers.encodeRlp([status, ethers.toBeArray(BigInt(r.cumulativeGasUsed)), r.logsBloom, logs]);
  const type = Number(r.type);
  return type === 0 ? body : ethers.concat([ethers.toBeHex(type, 1), body]);
}

/** The receipts trie of a block with one transaction whose receipt is `receipt` (bytes): its
 * root and the proof of that receipt's log `logIndex`, as `prove_deposit` takes them. */
export function singleReceiptProof(receipt, logIndex) {
  // The one leaf holds the whole key rlp(0) = 0x80 (0x20: an even-length leaf path).
  const leaf = ethers.encodeRlp(['0x2080', receipt]);
  return { root: ethers.keccak256(leaf), proof: { txIndex: 0, logIndex, nodes: [leaf] } };
}
