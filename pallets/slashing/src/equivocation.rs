//! Equivocation: verifying two conflicting signed messages of an operator and slashing it
//! at once, free for the reporter only when the slash is worth it.

use crate::records::amounts_of;
use crate::*;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{Defensive, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{SlashParams, StakeValuation},
	staking::NativeStakeProvider,
};

impl<T: Config> Pallet<T> {
	/// `report_equivocation`. Returns the strategies the slash reached and whether it was
	/// worth a free report.
	pub(crate) fn do_report_equivocation(
		reporter: T::AccountId,
		set: OperatorSetId,
		operator: T::AccountId,
		(message_a, signature_a): (AvsMessage, OperatorSignature),
		(message_b, signature_b): (AvsMessage, OperatorSignature),
	) -> Result<(u32, bool), DispatchError> {
		ensure!(message_a.set == set && message_b.set == set, Error::<T>::WrongSet);
		ensure!(message_a.round == message_b.round, Error::<T>::DifferentRounds);
		ensure!(message_a.payload_hash != message_b.payload_hash, Error::<T>::SameMessage);
		let terms = T::Registry::terms(&set).ok_or(Error::<T>::UnknownOperatorSet)?;
		let mode = Self::effective_mode(&set);
		ensure!(mode != SlashingMode::Disabled, Error::<T>::SlashingDisabled);
		ensure!(terms.equivocation_penalty > 0, Error::<T>::NoEquivocationPenalty);
		let key = T::Registry::slashable_key(&operator, &set).ok_or(Error::<T>::NotSlashable)?;
		let genesis = T::Registry::genesis_hash();
		ensure!(
			key.verify(&message_a.signing_payload(&genesis), &signature_a)
				&& key.verify(&message_b.signing_payload(&genesis), &signature_b),
			Error::<T>::InvalidSignature
		);
		Self::punish_equivocation(reporter, set, operator, message_a.round, terms, mode)
			.map(|(_, strategies, worth_it)| (strategies, worth_it))
	}

	/// Slash `operator` for double signing in `set`'s `round`, as objective evidence verified
	/// elsewhere shows (the LST bridge verifies its attesters' conflicting signatures itself):
	/// the set's equivocation penalty, at once, [`Config::ReporterShare`] of the operator's
	/// own loss to `reporter`, and the operator is ejected. Once per membership. Returns the
	/// record's id.
	pub fn slash_equivocation(
		reporter: T::AccountId,
		set: OperatorSetId,
		operator: T::AccountId,
		round: u64,
	) -> Result<SlashId, DispatchError> {
		let terms = T::Registry::terms(&set).ok_or(Error::<T>::UnknownOperatorSet)?;
		let mode = Self::effective_mode(&set);
		ensure!(mode != SlashingMode::Disabled, Error::<T>::SlashingDisabled);
		ensure!(terms.equivocation_penalty > 0, Error::<T>::NoEquivocationPenalty);
		ensure!(T::Registry::slashable_key(&operator, &set).is_some(), Error::<T>::NotSlashable);
		Self::punish_equivocation(reporter, set, operator, round, terms, mode).map(|(id, ..)| id)
	}

	/// Whether a slash that took `amounts` is worth a free report.
	pub(crate) fn worth_a_free_report(amounts: &[SlashAmount]) -> bool {
		let (mut native, mut value) = (0u128, 0u128);
		for a in amounts {
			match (a.native, a.strategy) {
				(true, _) => native = native.saturating_add(a.amount),
				(false, Some(strategy)) => {
					value = value.saturating_add(T::Valuation::value(strategy, a.amount))
				}
				(false, None) => {}
			}
		}
		native >= T::MinFreeReportNative::get() || value >= T::MinFreeReportValue::get()
	}

	/// The equivocation penalty for evidence already verified; returns the record's id, how
	/// many strategies it touched and whether it was worth a free report.
	pub(crate) fn punish_equivocation(
		reporter: T::AccountId,
		set: OperatorSetId,
		operator: T::AccountId,
		round: u64,
		terms: kasane_primitives::avs::SlashingTerms<T::AccountId, BlockNumberFor<T>>,
		mode: SlashingMode,
	) -> Result<(SlashId, u32, bool), DispatchError> {
		if let Some((punished, _)) = Evidence::<T>::get(set, &operator) {
			return Err(if punished == round {
				Error::<T>::DuplicateEvidence
			} else {
				Error::<T>::AlreadyPunished
			}
			.into());
		}
		let evidence = Self::evidence_id(&set, &operator, round);
		let fraction = terms.equivocation_penalty.min(WAD).min(Self::epoch_room(
			&set,
			&operator,
			terms.max_slash_per_epoch,
		));
		ensure!(fraction > 0, Error::<T>::EpochCapExceeded);
		let preview = T::Restaking::preview(&operator, &set, fraction, None, None);
		ensure!(!preview.is_empty(), Error::<T>::NothingToSlash);

		let id = Self::next_id();
		let now = Self::now();
		let requested_era = T::NativeStake::active_era();
		let mut record = SlashRecord {
			id,
			source: SlashSource::Equivocation { reporter: reporter.clone(), round, evidence },
			operator: operator.clone(),
			set: Some(set),
			fraction,
			amounts: amounts_of(preview),
			status: SlashStatus::Logged,
			requested_at: now,
			requested_era,
			executes_at: now,
		};
		if mode == SlashingMode::Enabled {
			// Nobody is paid for reporting itself, or an operator of its own AVS.
			let owner = T::Registry::avs_owner(set.avs);
			let paid = reporter != operator && Some(&reporter) != owner.as_ref();
			let slashed = T::Restaking::slash(
				&operator,
				&set,
				SlashParams {
					fraction,
					destination: &terms.slashed_funds,
					caps: None,
					reward: paid.then(|| (&reporter, T::ReporterShare::get())),
					bonded_since: Some(requested_era),
				},
			)?;
			record.amounts = amounts_of(slashed);
			record.status = SlashStatus::Executed;
			// A double signer is out of the set; it stays slashable for the deallocation delay.
			let _ = T::Registry::eject(&operator, &set).defensive();
		}
		Evidence::<T>::insert(set, &operator, (round, id));
		Self::add_to_epoch(&set, &operator, fraction);
		Self::deposit_event(Event::EquivocationReported {
			id,
			operator: operator.clone(),
			set,
			round,
			reporter,
		});
		let strategies = record.amounts.len() as u32;
		let worth_it = Self::worth_a_free_report(&record.amounts);
		if record.status == SlashStatus::Executed {
			Self::deposit_event(Event::SlashExecuted {
				id,
				operator,
				set: Some(set),
				amounts: record.amounts.to_vec(),
			});
		} else {
			Self::deposit_event(Event::SlashLogged {
				id,
				operator,
				set,
				amounts: record.amounts.to_vec(),
			});
		}
		Self::insert_record(record);
		Ok((id, strategies, worth_it))
	}

	/// What identifies one equivocation: the operator, the set and the round.
	pub fn evidence_id(set: &OperatorSetId, operator: &T::AccountId, round: u64) -> [u8; 32] {
		sp_io::hashing::blake2_256(&(b"kasane/equivocation", set, operator, round).encode())
	}
}
