//! Proven inbound messages: a vault event is acted on when a receipt proof shows it under a
//! trusted header's receipts root (`headers.rs`), or under an execution header the beacon
//! light client verifies as finalized, with no attester vouching for its contents. A beacon
//! proof is checked twice over: by the bridge's own receipt code (named errors, strict
//! decoding, cheap, first) and by the light client's `Verifier` against the log built from
//! the message (the execution header's SSZ branches, then the receipt again).
//! [`kasane_primitives::bridge::proof`] checks the proof and decodes the event; here the
//! decoded message must equal the one submitted, and the bridge's own checks (nonce, amount,
//! recipient; a rate's age, round and bounds) apply as for attested messages. Everything is
//! verified before anything is written.

use crate::{pallet::*, types::*, AttesterQuorum};
use frame_support::pallet_prelude::*;
use kasane_primitives::bridge::{
	beacon::{BeaconReceiptProof, MAX_EXECUTION_PROOF_LEN},
	proof::{deposit_of, encode, proven_log, rate_of, EthHeader, EthLog, ProofError, ReceiptProof},
	DepositMessage, EthereumEndpoint, RateReport,
};
use sp_core::H256;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// Returns whether the deposit took the plain path: nothing attesters left for its nonce
	/// (a halt, a tally) settled. The call is then charged `prove_deposit_plain`, measured on
	/// that path, instead of the worst case.
	pub(crate) fn do_prove_deposit(
		deposit: DepositMessage,
		proof: &ReceiptProof,
	) -> Result<bool, DispatchError> {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let policy = Policy::<T>::get();
		ensure!(policy.takes_attested_headers(), Error::<T>::BeaconProofRequired);
		let recipient = Self::check_deposit(&deposit)?;
		let block = Self::trusted_block(deposit.eth_block_hash)?;
		Self::check_proven_deposit(&endpoint, &block, proof, &deposit)?;
		// Attesters who disagreed halted the nonce. Under the proven policy the receipt settles
		// it; otherwise root looks first, as the header is vouched for by those same attesters.
		if Halted::<T>::contains_key(deposit.nonce) {
			ensure!(policy == InboundPolicy::Proven, Error::<T>::NonceHalted);
		}
		let settled = Self::act_on_proven_deposit(&endpoint, &deposit, recipient)?;
		Ok(!settled)
	}

	/// Returns whether the deposit took the plain path: no co-signature looked for, nothing
	/// attesters left for its nonce (a halt, a tally) settled. The call is then charged
	/// `prove_deposit_beacon_plain`, measured on that path, instead of the worst case.
	pub(crate) fn do_prove_deposit_beacon(
		deposit: DepositMessage,
		proof: &BeaconReceiptProof,
	) -> Result<bool, DispatchError> {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let recipient = Self::check_deposit(&deposit)?;
		let block = Self::beacon_block(deposit.eth_block_hash, proof)?;
		Self::check_proven_deposit(&endpoint, &block, &proof.receipt, &deposit)?;
		let policy = Policy::<T>::get();
		if let InboundPolicy::BeaconCoSigned { above } = policy {
			let value = Tokens::<T>::get(deposit.token)
				.and_then(|info| Self::value_in_eth(info.asset, deposit.amount));
			if value.is_none_or(|value| value > above) {
				let attested = TrustedHeaders::<T>::get(block.hash)
					.is_some_and(|h| h.receipts_root == block.receipts_root);
				ensure!(attested, Error::<T>::CoSignRequired);
			}
		}
		Self::beacon_verify(encode::deposit_log(&endpoint.vault, &deposit), proof)?;
		// Nobody's signature vouches for a beacon-finalized header: the receipt settles a
		// nonce attesters halted.
		let settled = Self::act_on_proven_deposit(&endpoint, &deposit, recipient)?;
		Ok(!settled && !matches!(policy, InboundPolicy::BeaconCoSigned { .. }))
	}

	pub(crate) fn do_prove_rate(report: RateReport, proof: &ReceiptProof) -> DispatchResult {
		ensure!(Policy::<T>::get().takes_attested_headers(), Error::<T>::BeaconProofRequired);
		let block = Self::trusted_block(report.eth_block_hash)?;
		let (_, info) = Self::check_proven_rate(&block, proof, &report)?;
		Self::act_on_proven_rate(&info, &report);
		Ok(())
	}

	pub(crate) fn do_prove_rate_beacon(
		report: RateReport,
		proof: &BeaconReceiptProof,
	) -> DispatchResult {
		let block = Self::beacon_block(report.eth_block_hash, proof)?;
		let (endpoint, info) = Self::check_proven_rate(&block, &proof.receipt, &report)?;
		Self::beacon_verify(encode::rate_log(&endpoint.vault, &report), proof)?;
		Self::act_on_proven_rate(&info, &report);
		Ok(())
	}

	/// `proof` shows `deposit` emitted by the vault in `block`.
	fn check_proven_deposit(
		endpoint: &EthereumEndpoint,
		block: &EthHeader,
		proof: &ReceiptProof,
		deposit: &DepositMessage,
	) -> DispatchResult {
		let log = proven_log(block.receipts_root, proof).map_err(Self::proof_error)?;
		let proven = deposit_of(&log, &endpoint.vault, block).map_err(Self::proof_error)?;
		ensure!(proven == *deposit, Error::<T>::ProofMismatch);
		Ok(())
	}

	/// Spend the proven `deposit`'s nonce (settling a halt of it) and mint it; whoever signed
	/// another content for the nonce is recorded as contradicted. Returns whether there was a
	/// halt or a tally to settle: a nonce attesters never signed costs neither write.
	fn act_on_proven_deposit(
		endpoint: &EthereumEndpoint,
		deposit: &DepositMessage,
		recipient: T::AccountId,
	) -> Result<bool, DispatchError> {
		let nonce = deposit.nonce;
		let halted = Halted::<T>::contains_key(nonce);
		if halted {
			Halted::<T>::remove(nonce);
			Self::deposit_event(Event::HaltCleared { nonce });
		}
		let tallied = DepositTallies::<T>::contains_key(nonce);
		if tallied {
			let domain = endpoint.domain(Self::kasane_genesis());
			AttesterQuorum::<T>::contradicted_by_proof(&domain, deposit);
			T::Verifier::forget_deposit(nonce);
		}
		Self::deposit_proven(deposit, recipient)?;
		Ok(halted || tallied)
	}

	/// `proof` shows `report` emitted by the vault in `block`, and the bridge takes it.
	fn check_proven_rate(
		block: &EthHeader,
		proof: &ReceiptProof,
		report: &RateReport,
	) -> Result<(EthereumEndpoint, TokenInfo<T::AssetId>), DispatchError> {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		let info = Tokens::<T>::get(report.token).ok_or(Error::<T>::UnknownToken)?;
		Self::check_rate(&info, report)?;
		let log = proven_log(block.receipts_root, proof).map_err(Self::proof_error)?;
		let proven = rate_of(&log, &endpoint.vault, block).map_err(Self::proof_error)?;
		ensure!(proven == *report, Error::<T>::ProofMismatch);
		Ok((endpoint, info))
	}

	fn act_on_proven_rate(info: &TokenInfo<T::AssetId>, report: &RateReport) {
		let round = Self::rate_round(report);
		Self::apply_rate(
			&report.token,
			info,
			Rate { rate: report.rate, reported_at: report.timestamp, round },
		);
	}

	/// The trusted header of block `hash`.
	fn trusted_block(hash: H256) -> Result<EthHeader, DispatchError> {
		let trusted = TrustedHeaders::<T>::get(hash).ok_or(Error::<T>::UntrustedHeader)?;
		Ok(EthHeader { number: trusted.number, hash, receipts_root: trusted.receipts_root })
	}

	/// The execution header `proof` carries, which must be of block `hash`. Not verified
	/// yet: [`Self::beacon_verify`] does that, after the cheaper checks.
	fn beacon_block(hash: H256, proof: &BeaconReceiptProof) -> Result<EthHeader, DispatchError> {
		ensure!(
			proof.execution_len() <= MAX_EXECUTION_PROOF_LEN,
			Error::<T>::ExecutionProofTooLarge
		);
		ensure!(proof.block_hash() == hash, Error::<T>::BlockHashMismatch);
		Ok(EthHeader {
			number: proof.execution.execution_header.block_number(),
			hash,
			receipts_root: proof.receipts_root(),
		})
	}

	/// The light client's verdict on `proof`: its execution header is (an ancestor of) a
	/// finalized beacon header, and `expected` (the log built from the message) is in the
	/// receipt under that header's receipts root.
	fn beacon_verify(expected: EthLog, proof: &BeaconReceiptProof) -> DispatchResult {
		use snowbridge_verification_primitives::{Log, Proof, VerificationError};
		let log = Log {
			address: expected.address,
			topics: expected.topics,
			data: expected.data,
			tx_index: proof.receipt.tx_index.into(),
		};
		let proof = Proof {
			receipt_proof: proof.receipt.nodes.iter().map(|node| node.to_vec()).collect(),
			execution_proof: proof.execution.clone(),
		};
		T::BeaconClient::verify(&log, &proof).map_err(|e| {
			log::debug!(target: "runtime::lst-bridge", "beacon proof refused: {e:?}");
			match e {
				VerificationError::Halted => Error::<T>::BeaconHalted,
				_ => Error::<T>::BeaconUnverified,
			}
			.into()
		})
	}

	/// The bridge's error for a refused proof: each reason has its own.
	pub(crate) fn proof_error(e: ProofError) -> DispatchError {
		match e {
			ProofError::EmptyProof => Error::<T>::EmptyProof,
			// Never stored: a zero root is refused when a header is attested.
			ProofError::ZeroRoot => Error::<T>::UntrustedHeader,
			ProofError::NotALeaf => Error::<T>::NotALeaf,
			ProofError::NotInTrie => Error::<T>::NotInTrie,
			ProofError::UnexpectedNode => Error::<T>::UnexpectedNode,
			ProofError::MalformedReceipt => Error::<T>::MalformedReceipt,
			ProofError::UnknownReceiptType => Error::<T>::UnknownReceiptType,
			ProofError::ReceiptFailed => Error::<T>::ReceiptFailed,
			ProofError::NoSuchLog => Error::<T>::NoSuchLog,
			ProofError::WrongEmitter => Error::<T>::WrongEmitter,
			ProofError::WrongEvent => Error::<T>::WrongEvent,
			ProofError::MalformedEvent => Error::<T>::MalformedEvent,
			ProofError::NonZeroPadding => Error::<T>::NonZeroPadding,
			ProofError::ValueTooLarge => Error::<T>::ValueTooLarge,
		}
		.into()
	}
}
