//! Proven inbound messages: a vault event is acted on when a receipt proof shows it under a
//! trusted header's receipts root (`headers.rs`), with no attester vouching for its contents.
//! [`kasane_primitives::bridge::proof`] checks the proof and decodes the event; here the
//! decoded message must equal the one submitted, and the bridge's own checks (nonce, amount,
//! recipient; a rate's age, round and bounds) apply as for attested messages. Everything is
//! verified before anything is written.

use crate::{pallet::*, types::*, AttesterQuorum};
use frame_support::pallet_prelude::*;
use kasane_primitives::bridge::{
	proof::{deposit_of, proven_log, rate_of, EthHeader, ProofError, ReceiptProof},
	DepositMessage, RateReport,
};
use sp_core::H256;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_prove_deposit(
		deposit: DepositMessage,
		proof: &ReceiptProof,
	) -> DispatchResult {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let recipient = Self::check_deposit(&deposit)?;
		let block = Self::trusted_block(deposit.eth_block_hash)?;
		let log = proven_log(block.receipts_root, proof).map_err(Self::proof_error)?;
		let proven = deposit_of(&log, &endpoint.vault, &block).map_err(Self::proof_error)?;
		ensure!(proven == deposit, Error::<T>::ProofMismatch);
		let nonce = deposit.nonce;
		// Attesters who disagreed halted the nonce. Under the proven policy the receipt settles
		// it; otherwise root looks first, as the header is vouched for by those same attesters.
		if Halted::<T>::contains_key(nonce) {
			ensure!(Policy::<T>::get() == InboundPolicy::Proven, Error::<T>::NonceHalted);
			Halted::<T>::remove(nonce);
			Self::deposit_event(Event::HaltCleared { nonce });
		}
		let domain = endpoint.domain(Self::kasane_genesis());
		AttesterQuorum::<T>::contradicted_by_proof(&domain, &deposit);
		T::Verifier::forget_deposit(nonce);
		Self::deposit_proven(&deposit, recipient)
	}

	pub(crate) fn do_prove_rate(report: RateReport, proof: &ReceiptProof) -> DispatchResult {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		let info = Tokens::<T>::get(report.token).ok_or(Error::<T>::UnknownToken)?;
		Self::check_rate(&info, &report)?;
		let block = Self::trusted_block(report.eth_block_hash)?;
		let log = proven_log(block.receipts_root, proof).map_err(Self::proof_error)?;
		let proven = rate_of(&log, &endpoint.vault, &block).map_err(Self::proof_error)?;
		ensure!(proven == report, Error::<T>::ProofMismatch);
		let round = Self::rate_round(&report);
		Self::apply_rate(
			&report.token,
			&info,
			Rate { rate: report.rate, reported_at: report.timestamp, round },
		);
		Ok(())
	}

	/// The trusted header of block `hash`.
	fn trusted_block(hash: H256) -> Result<EthHeader, DispatchError> {
		let trusted = TrustedHeaders::<T>::get(hash).ok_or(Error::<T>::UntrustedHeader)?;
		Ok(EthHeader { number: trusted.number, hash, receipts_root: trusted.receipts_root })
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
