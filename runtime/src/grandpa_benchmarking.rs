//! GRANDPA's equivocation report measured in this runtime, along the whole path a report takes.
//!
//! Upstream benchmarks only the signature check of a fixed proof and prices the rest by hand, at
//! RocksDB's storage figures. Here the report runs end to end: both signed prevotes checked, the
//! key-ownership proof checked against the session, the offence recorded by pallet-offences and
//! handled by native staking (the offender chilled, blocked, disabled in the session, its slash
//! logged and queued).
//!
//! The measured case is the costly one: the proof names the current session, whose ownership
//! trie `check_proof` rebuilds from every validator's keys (a past session's root is one read).
//! The component `v` is the number of validators in that session. The author of the block (the
//! reporter of an unsigned report) is found from an Aura pre-digest, as in a real block.
//!
//! Left to the charge (`configs::consensus::GrandpaWeights`): the offender here is the first of
//! its round, while a later report hands native staking every offender of the round so far
//! (measured by its own `report_offence` benchmark, charged on top); and an unsigned report's
//! `pre_dispatch` checks the proof once more (the part that grows with `v`, charged twice).

use alloc::{boxed::Box, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, KeyOwnerProofSystem};
use frame_system::RawOrigin;
use sp_consensus_grandpa::{AuthorityId as GrandpaId, EquivocationProof, KEY_TYPE};
use sp_core::H256;
use sp_runtime::{DigestItem, Perbill, RuntimeAppPublic};

use crate::{
	configs::MAX_AUTHORITIES, AccountId, Balances, BlockNumber, Historical, Runtime, Session,
	SessionKeys, Staking,
};

/// The pallet the benchmarks below measure: pallet-grandpa.
pub struct Pallet<T: Config>(pallet_grandpa::Pallet<T>);

/// The benchmarks build their validators with this runtime's staking and session pallets.
pub trait Config: pallet_grandpa::Config {}

impl Config for Runtime {}

/// Validator candidate `i`: bonded at the minimum self-bond, validating, and with session keys
/// (generated in the benchmark's keystore) set through `Session::set_keys`.
fn validator(i: u32) -> Result<(AccountId, GrandpaId), BenchmarkError> {
	let who: AccountId = account("validator", i, 0);
	let bond = <Runtime as pallet_native_staking::Config>::MinValidatorBond::get();
	// The bond, the key deposit and the existential deposit.
	<Balances as Mutate<AccountId>>::mint_into(&who, bond.saturating_mul(2))?;
	Staking::bond(RawOrigin::Signed(who.clone()).into(), bond)?;
	Staking::validate(RawOrigin::Signed(who.clone()).into(), Perbill::from_percent(5))
		.map_err(|e| e.error)?;
	let generated = SessionKeys::generate(&who.encode(), None);
	Session::set_keys(
		RawOrigin::Signed(who.clone()).into(),
		generated.keys.clone(),
		generated.proof.encode(),
	)?;
	Ok((who, generated.keys.grandpa))
}

/// Two different prevotes by `offender` in one round of the current set, each signed with its
/// key from the keystore.
fn prevote_equivocation(
	offender: &GrandpaId,
) -> Result<EquivocationProof<H256, BlockNumber>, BenchmarkError> {
	let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
	let round = 1;
	let number = frame_system::Pallet::<Runtime>::block_number();
	let signed = |hash: u8| -> Result<_, BenchmarkError> {
		let prevote = finality_grandpa::Prevote {
			target_hash: H256::repeat_byte(hash),
			target_number: number,
		};
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			set_id,
			&finality_grandpa::Message::<H256, BlockNumber>::Prevote(prevote.clone()),
		);
		let signature =
			offender.sign(&payload).ok_or("the offender's key is not in the keystore")?;
		Ok((prevote, signature))
	};
	let equivocation = finality_grandpa::Equivocation {
		round_number: round,
		identity: offender.clone(),
		first: signed(1)?,
		second: signed(2)?,
	};
	Ok(EquivocationProof::new(set_id, sp_consensus_grandpa::Equivocation::Prevote(equivocation)))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// An unsigned report (as the node's voter submits it) of a validator of the current
	/// session of `v` validators. The signed call runs the same path without looking up the
	/// block's author.
	#[benchmark]
	fn report_equivocation(v: Linear<1, MAX_AUTHORITIES>) -> Result<(), BenchmarkError> {
		let validators =
			(0..v).map(validator).collect::<Result<Vec<(AccountId, GrandpaId)>, _>>()?;
		let session = pallet_session::CurrentIndex::<Runtime>::get();
		pallet_session::Validators::<Runtime>::put(
			validators.iter().map(|(who, _)| who.clone()).collect::<Vec<_>>(),
		);
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		pallet_grandpa::SetIdSession::<Runtime>::insert(set_id, session);
		frame_system::Pallet::<Runtime>::deposit_log(DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			sp_consensus_aura::Slot::from(0).encode(),
		));
		// The last validator offends (any would do: the whole trie is rebuilt).
		let (offender, key) = validators.last().cloned().ok_or("no validator")?;
		let equivocation = prevote_equivocation(&key)?;
		let key_owner_proof =
			Historical::prove((KEY_TYPE, key)).ok_or("no key-ownership proof for the key")?;
		assert_eq!(key_owner_proof.validator_count, v);

		#[block]
		{
			pallet_grandpa::Pallet::<Runtime>::report_equivocation_unsigned(
				RawOrigin::None.into(),
				Box::new(equivocation),
				key_owner_proof,
			)
			.map_err(|e| e.error)?;
		}

		assert!(!pallet_native_staking::Validators::<Runtime>::contains_key(&offender));
		assert!(pallet_native_staking::SlashedInEra::<Runtime>::iter_keys()
			.any(|(_, who)| who == offender));
		Ok(())
	}

	/// Root noting that finality stalled (one write).
	#[benchmark]
	fn note_stalled() -> Result<(), BenchmarkError> {
		let delay: BlockNumber = 1_000;

		#[block]
		{
			pallet_grandpa::Pallet::<Runtime>::note_stalled(RawOrigin::Root.into(), delay, 0)?;
		}

		assert!(pallet_grandpa::Stalled::<Runtime>::get().is_some());
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::session_benchmarking::tests::new_test_ext(),
		crate::Runtime
	);
}
