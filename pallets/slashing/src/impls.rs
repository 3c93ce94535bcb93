//! Requesting, deciding and executing slashes, the consensus log, the views and the state
//! checks.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision},
		Defensive, Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{AvsId, SlashDestination, SlashParams, StakeValuation, StrategyId},
	slashing::{ModeView, RegistryEvents, StakerExposure, MAX_SLASH_STRATEGIES},
	staking::NativeStakeProvider,
	EraIndex,
};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	PerThing, Perbill, SaturatedConversion,
};

type Amounts = BoundedVec<SlashAmount, ConstU32<MAX_SLASH_STRATEGIES>>;

fn amounts_of(slashes: Vec<kasane_primitives::restaking::StrategySlash<u128>>) -> Amounts {
	BoundedVec::truncate_from(slashes.into_iter().map(SlashAmount::from).collect())
}

/// How many blocks after its deadline a pending slash may be queued when the deadline's block
/// is full (it executes then; its freeze holds until it does).
const MAX_DUE_SEARCH: u32 = 64;

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// What executing a pending slash reaching `strategies` strategies weighs, its native pool
	/// slash included.
	pub fn execute_weight(strategies: u32) -> Weight {
		T::WeightInfo::execute_slash(strategies).saturating_add(T::NativeStake::slash_pool_weight())
	}

	/// The genesis hash AVS messages are signed for.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	/// The slashing epoch `at` falls in.
	pub fn epoch(at: BlockNumberFor<T>) -> u32 {
		(at / T::EpochLength::get()).saturated_into()
	}

	/// `set`'s own mode.
	pub fn set_mode(set: &OperatorSetId) -> SlashingMode {
		SetModes::<T>::get(set).unwrap_or(SlashingMode::Enabled)
	}

	/// The mode that applies to `set`: the stricter of the global and the set's.
	pub fn effective_mode(set: &OperatorSetId) -> SlashingMode {
		GlobalMode::<T>::get().min(Self::set_mode(set))
	}

	/// What `set` may still slash `operator` for in the current epoch.
	pub fn epoch_room(set: &OperatorSetId, operator: &T::AccountId, cap: Magnitude) -> Magnitude {
		let epoch = Self::epoch(Self::now());
		let used = match EpochSlashed::<T>::get(set, operator) {
			Some((e, used)) if e == epoch => used,
			_ => 0,
		};
		cap.saturating_sub(used)
	}

	fn add_to_epoch(set: &OperatorSetId, operator: &T::AccountId, fraction: Magnitude) {
		let epoch = Self::epoch(Self::now());
		EpochSlashed::<T>::mutate(set, operator, |tally| {
			let used = match tally {
				Some((e, used)) if *e == epoch => *used,
				_ => 0,
			};
			*tally = Some((epoch, used.saturating_add(fraction)));
		});
	}

	/// Give a vetoed request's fraction back to its epoch's tally (if that epoch is current).
	fn refund_epoch(record: &SlashRecordOf<T>) {
		let Some(set) = record.set else { return };
		let epoch = Self::epoch(record.requested_at);
		EpochSlashed::<T>::mutate_exists(set, &record.operator, |tally| {
			if let Some((e, used)) = tally {
				if *e == epoch {
					*used = used.saturating_sub(record.fraction);
				}
				if *used == 0 {
					*tally = None;
				}
			}
		});
	}

	/// Store a new record, indexed, and drop the one that falls out of the history.
	fn insert_record(record: SlashRecordOf<T>) {
		let id = record.id;
		OperatorSlashes::<T>::insert(&record.operator, id, ());
		if let Some(set) = record.set {
			SetSlashes::<T>::insert(set, id, ());
		}
		Slashes::<T>::insert(id, record);
		let depth = T::HistoryDepth::get() as SlashId;
		if let Some(old) = id.checked_sub(depth) {
			if Slashes::<T>::get(old).is_some_and(|r| r.status != SlashStatus::Pending) {
				Self::remove_record(old);
			}
		}
	}

	fn remove_record(id: SlashId) {
		if let Some(record) = Slashes::<T>::take(id) {
			OperatorSlashes::<T>::remove(&record.operator, id);
			if let Some(set) = record.set {
				SetSlashes::<T>::remove(set, id);
			}
		}
	}

	/// Store a decided record, or drop it when it is already older than the history keeps.
	fn put_decided(record: SlashRecordOf<T>) {
		let depth = T::HistoryDepth::get() as SlashId;
		if record.id.saturating_add(depth) < NextSlashId::<T>::get() {
			Self::remove_record(record.id);
		} else {
			Slashes::<T>::insert(record.id, record);
		}
	}

	fn next_id() -> SlashId {
		NextSlashId::<T>::mutate(|n| {
			let id = *n;
			*n = n.saturating_add(1);
			id
		})
	}

	/// Whether `requester` may request `avs`'s slashes: its owner, or the slasher that owner
	/// designated (a designation ends with the ownership).
	fn may_request(avs: AvsId, owner: &T::AccountId, requester: &T::AccountId) -> bool {
		requester == owner
			|| Slashers::<T>::get(avs)
				.is_some_and(|(by, slasher)| by == *owner && slasher == *requester)
	}

	/// The first block from `deadline` on (within [`MAX_DUE_SEARCH`]) with room in its due
	/// list.
	fn due_block(deadline: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut at = deadline;
		for _ in 0..MAX_DUE_SEARCH {
			if (Due::<T>::decode_len(at).unwrap_or(0) as u32) < T::MaxDuePerBlock::get() {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::DueBlockFull.into())
	}

	/// `request_slash`. Returns the strategies reached and whether it waits for a veto window.
	pub(crate) fn do_request_slash(
		requester: T::AccountId,
		operator: T::AccountId,
		set: OperatorSetId,
		fraction: Magnitude,
		reason_uri: ReasonUri,
	) -> Result<(u32, bool), DispatchError> {
		let terms = T::Registry::terms(&set).ok_or(Error::<T>::UnknownOperatorSet)?;
		let owner = T::Registry::avs_owner(set.avs).ok_or(Error::<T>::UnknownAvs)?;
		ensure!(Self::may_request(set.avs, &owner, &requester), Error::<T>::NotSlasher);
		let mode = Self::effective_mode(&set);
		ensure!(mode != SlashingMode::Disabled, Error::<T>::SlashingDisabled);
		ensure!(fraction > 0 && fraction <= WAD, Error::<T>::InvalidFraction);
		ensure!(fraction >= T::MinSlashFraction::get(), Error::<T>::FractionTooSmall);
		ensure!(T::Registry::slashable_key(&operator, &set).is_some(), Error::<T>::NotSlashable);
		ensure!(
			fraction <= Self::epoch_room(&set, &operator, terms.max_slash_per_epoch),
			Error::<T>::EpochCapExceeded
		);
		let preview = T::Restaking::preview(&operator, &set, fraction, None, None);
		ensure!(!preview.is_empty(), Error::<T>::NothingToSlash);
		let strategies = preview.len() as u32;
		let now = Self::now();
		let requested_era = T::NativeStake::active_era();
		let source = SlashSource::Request { requester: requester.clone(), reason_uri };
		let mut record = SlashRecord {
			id: 0,
			source,
			operator: operator.clone(),
			set: Some(set),
			fraction,
			amounts: amounts_of(preview),
			status: SlashStatus::Pending,
			requested_at: now,
			requested_era,
			executes_at: now,
		};

		let window = match terms.mode {
			kasane_primitives::avs::SlashExecution::Veto { window }
				if mode == SlashingMode::Enabled =>
			{
				Some(window)
			}
			_ => None,
		};
		if let Some(window) = window {
			ensure!(
				PendingPerAvs::<T>::get(set.avs) < T::MaxPendingPerAvs::get(),
				Error::<T>::TooManyPending
			);
			let executes_at = Self::due_block(now.saturating_add(window))?;
			let deposit = T::RequestDeposit::get();
			T::Currency::hold(&HoldReason::SlashRequest.into(), &requester, deposit)?;
			record.id = Self::next_id();
			Due::<T>::try_mutate(executes_at, |due| due.try_push(record.id))
				.map_err(|_| Error::<T>::DueBlockFull)?;
			let pending = PendingCount::<T>::get();
			if pending == 0 {
				DueCursor::<T>::put(now);
			}
			PendingCount::<T>::put(pending.saturating_add(1));
			PendingPerAvs::<T>::mutate(set.avs, |n| *n = n.saturating_add(1));
			RequestDeposits::<T>::insert(record.id, (requester, deposit));
			record.executes_at = executes_at;
			T::Restaking::freeze(&operator, &set);
			Self::add_to_epoch(&set, &operator, fraction);
			Self::deposit_event(Event::SlashRequested {
				id: record.id,
				operator,
				set,
				fraction,
				executes_at,
			});
			Self::insert_record(record);
			return Ok((strategies, true));
		}

		record.id = Self::next_id();
		Self::add_to_epoch(&set, &operator, fraction);
		if mode == SlashingMode::LogOnly {
			record.status = SlashStatus::Logged;
			Self::deposit_event(Event::SlashLogged {
				id: record.id,
				operator,
				set,
				amounts: record.amounts.to_vec(),
			});
		} else {
			let slashed = T::Restaking::slash(
				&operator,
				&set,
				SlashParams {
					fraction,
					destination: &terms.slashed_funds,
					caps: None,
					reward: None,
					bonded_since: Some(requested_era),
				},
			)?;
			record.amounts = amounts_of(slashed);
			record.status = SlashStatus::Executed;
			Self::deposit_event(Event::SlashExecuted {
				id: record.id,
				operator,
				set: Some(set),
				amounts: record.amounts.to_vec(),
			});
		}
		Self::insert_record(record);
		Ok((strategies, false))
	}

	fn take_from_due(record: &SlashRecordOf<T>) {
		Due::<T>::mutate_exists(record.executes_at, |due| {
			if let Some(list) = due {
				list.retain(|id| *id != record.id);
				if list.is_empty() {
					*due = None;
				}
			}
		});
		PendingCount::<T>::mutate(|c| *c = c.saturating_sub(1));
	}

	/// A pending AVS slash was decided (after it executed, failed or was vetoed): its AVS may
	/// request another, what it froze is free once no other slash holds it, and the
	/// requester's deposit is returned (burned when `forfeit`).
	fn close_pending(record: &SlashRecordOf<T>, forfeit: bool) {
		let Some(set) = record.set else { return };
		PendingPerAvs::<T>::mutate_exists(set.avs, |n| {
			*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		T::Restaking::unfreeze(&record.operator, &set);
		if let Some((requester, deposit)) = RequestDeposits::<T>::take(record.id) {
			let reason = HoldReason::SlashRequest.into();
			let _ = if forfeit {
				T::Currency::burn_held(
					&reason,
					&requester,
					deposit,
					Precision::BestEffort,
					Fortitude::Force,
				)
			} else {
				T::Currency::release(&reason, &requester, deposit, Precision::BestEffort)
			};
		}
	}

	/// `veto_slash`.
	pub(crate) fn do_veto(id: SlashId, forfeit: bool) -> DispatchResult {
		let mut record = Slashes::<T>::get(id).ok_or(Error::<T>::UnknownSlash)?;
		ensure!(record.status == SlashStatus::Pending, Error::<T>::NotPending);
		ensure!(record.set.is_some(), Error::<T>::NotVetoable);
		Self::take_from_due(&record);
		Self::refund_epoch(&record);
		Self::close_pending(&record, forfeit);
		record.status = SlashStatus::Vetoed;
		Self::put_decided(record);
		Self::deposit_event(Event::SlashVetoed { id, forfeited: forfeit });
		Ok(())
	}

	/// `execute_slash`: execute a due pending slash now, paying `executor` its share.
	pub(crate) fn do_execute_now(
		id: SlashId,
		executor: T::AccountId,
	) -> Result<u32, DispatchError> {
		let record = Slashes::<T>::get(id).ok_or(Error::<T>::UnknownSlash)?;
		ensure!(record.status == SlashStatus::Pending, Error::<T>::NotPending);
		ensure!(record.set.is_some(), Error::<T>::NotVetoable);
		ensure!(Self::now() >= record.executes_at, Error::<T>::VetoWindowOpen);
		Self::take_from_due(&record);
		let strategies = record.amounts.len() as u32;
		Self::execute_pending(record, Some(executor));
		Ok(strategies)
	}

	/// Decide a pending AVS slash whose window has ended: execute it (capped by what it
	/// reached when requested), log it if slashing was switched to log-only or off meanwhile,
	/// or record that it failed. Never fails itself: it runs in `on_initialize`.
	fn execute_pending(mut record: SlashRecordOf<T>, executor: Option<T::AccountId>) {
		let Some(set) = record.set else { return };
		let id = record.id;
		let operator = record.operator.clone();
		if Self::effective_mode(&set) != SlashingMode::Enabled {
			Self::close_pending(&record, false);
			record.status = SlashStatus::Logged;
			Self::deposit_event(Event::SlashLogged {
				id,
				operator,
				set,
				amounts: record.amounts.to_vec(),
			});
			Self::put_decided(record);
			return;
		}
		let destination =
			T::Registry::terms(&set).map(|t| t.slashed_funds).unwrap_or(SlashDestination::Burn);
		let caps = caps_of(&record);
		// Neither the operator nor the AVS's owner is paid for executing it.
		let owner = T::Registry::avs_owner(set.avs);
		let executor = executor.filter(|e| *e != operator && Some(e) != owner.as_ref());
		let result = T::Restaking::slash(
			&operator,
			&set,
			SlashParams {
				fraction: record.fraction,
				destination: &destination,
				caps: Some(&caps),
				reward: executor.as_ref().map(|e| (e, T::ExecutorShare::get())),
				bonded_since: Some(record.requested_era),
			},
		);
		// Decided: what it froze is released only now, after it took what it reached.
		Self::close_pending(&record, false);
		match result {
			Ok(slashed) => {
				record.amounts = amounts_of(slashed);
				record.status = SlashStatus::Executed;
				Self::deposit_event(Event::SlashExecuted {
					id,
					operator,
					set: Some(set),
					amounts: record.amounts.to_vec(),
				});
			}
			Err(error) => {
				record.status = SlashStatus::Failed;
				Self::deposit_event(Event::SlashFailed { id, error });
			}
		}
		record.executes_at = Self::now();
		Self::put_decided(record);
	}

	/// Execute pending slashes due by `now`, oldest block first, within `limit`. What does not
	/// fit waits for the next block.
	pub(crate) fn execute_due(now: BlockNumberFor<T>, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		let mut used = db.reads(1);
		if PendingCount::<T>::get() == 0 {
			return used;
		}
		let per_slash = Self::execute_weight(MAX_SLASH_STRATEGIES);
		let step = db.reads_writes(1, 1);
		let mut cursor = DueCursor::<T>::get();
		used.saturating_accrue(db.reads_writes(1, 1));
		while cursor <= now {
			if !limit.all_gte(used.saturating_add(step)) {
				break;
			}
			used.saturating_accrue(step);
			let mut due = Due::<T>::get(cursor);
			while !due.is_empty() {
				if !limit.all_gte(used.saturating_add(per_slash)) {
					Due::<T>::insert(cursor, due);
					DueCursor::<T>::put(cursor);
					return used;
				}
				let id = due.remove(0);
				used.saturating_accrue(per_slash);
				PendingCount::<T>::mutate(|c| *c = c.saturating_sub(1));
				if let Some(record) = Slashes::<T>::get(id) {
					if record.status == SlashStatus::Pending {
						Self::execute_pending(record, None);
					}
				}
			}
			Due::<T>::remove(cursor);
			cursor = cursor.saturating_add(One::one());
		}
		DueCursor::<T>::put(cursor);
		used
	}

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
		let genesis = Self::genesis_hash();
		ensure!(
			key.verify(&message_a.signing_payload(&genesis), &signature_a)
				&& key.verify(&message_b.signing_payload(&genesis), &signature_b),
			Error::<T>::BadSignature
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
	fn worth_a_free_report(amounts: &[SlashAmount]) -> bool {
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
	fn punish_equivocation(
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

/// Consensus offences from native staking, recorded in the same history.
impl<T: Config> ConsensusSlashLog<T::AccountId> for Pallet<T> {
	fn offence(
		validator: &T::AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
		apply_era: EraIndex,
	) -> Option<SlashId> {
		let id = Self::next_id();
		let now = Self::now();
		let parts_per_wad = WAD / Perbill::ACCURACY as u128;
		Self::insert_record(SlashRecord {
			id,
			source: SlashSource::Consensus { offence_era, apply_era },
			operator: validator.clone(),
			set: None,
			fraction: fraction.deconstruct() as u128 * parts_per_wad,
			amounts: BoundedVec::new(),
			status: SlashStatus::Pending,
			requested_at: now,
			requested_era: offence_era,
			executes_at: now,
		});
		Self::deposit_event(Event::ConsensusOffenceRecorded {
			id,
			validator: validator.clone(),
			apply_era,
		});
		Some(id)
	}

	fn applied(id: SlashId, amount: u128) {
		let Some(mut record) = Slashes::<T>::get(id) else { return };
		record.status = SlashStatus::Executed;
		record.executes_at = Self::now();
		record.amounts = BoundedVec::truncate_from(alloc::vec![SlashAmount {
			strategy: None,
			native: true,
			magnitude: 0,
			amount,
			reward: 0,
		}]);
		Self::deposit_event(Event::SlashExecuted {
			id,
			operator: record.operator.clone(),
			set: None,
			amounts: record.amounts.to_vec(),
		});
		Self::put_decided(record);
	}

	fn cancelled(id: SlashId) {
		let Some(mut record) = Slashes::<T>::get(id) else { return };
		record.status = SlashStatus::Vetoed;
		Self::put_decided(record);
		Self::deposit_event(Event::SlashVetoed { id, forfeited: false });
	}

	fn weight() -> Weight {
		// Next id, the record and its operator index, and the one falling out of the history.
		T::DbWeight::get().reads_writes(3, 6)
	}
}

/// What the registry removes, the slashing pallet forgets: a purged membership's evidence and
/// epoch tally, a deregistered AVS's slasher and set modes.
impl<T: Config> RegistryEvents<T::AccountId> for Pallet<T> {
	fn membership_purged(set: &OperatorSetId, operator: &T::AccountId) {
		Evidence::<T>::remove(set, operator);
		EpochSlashed::<T>::remove(set, operator);
	}

	fn avs_deregistered(avs: AvsId, sets: u32) {
		Slashers::<T>::remove(avs);
		for index in 0..sets {
			SetModes::<T>::remove(OperatorSetId { avs, index });
		}
	}

	fn weight() -> Weight {
		// A purge writes two items; a deregistration one per set, at most the registry's bound
		// (declared by the registry per set).
		T::DbWeight::get().writes(2)
	}
}

/// Most records a view returns.
const MAX_VIEW: u32 = 100;

/// What the runtime API reports.
impl<T: Config> Pallet<T> {
	fn newest(ids: impl Iterator<Item = SlashId>, limit: u32) -> Vec<SlashRecordOf<T>> {
		let mut ids: Vec<SlashId> = ids.collect();
		ids.sort_unstable_by(|a, b| b.cmp(a));
		ids.into_iter().take(limit.min(MAX_VIEW) as usize).filter_map(Slashes::<T>::get).collect()
	}

	pub fn operator_slashes(operator: &T::AccountId, limit: u32) -> Vec<SlashRecordOf<T>> {
		Self::newest(OperatorSlashes::<T>::iter_key_prefix(operator), limit)
	}

	pub fn set_slashes(set: &OperatorSetId, limit: u32) -> Vec<SlashRecordOf<T>> {
		Self::newest(SetSlashes::<T>::iter_key_prefix(set), limit)
	}

	/// Every pending slash that reaches `staker`, with what it would cost it now.
	pub fn staker_exposure(
		staker: &T::AccountId,
	) -> Vec<StakerExposure<T::AccountId, BlockNumberFor<T>>> {
		let mut out = Vec::new();
		for operator in T::Restaking::staker_operators(staker) {
			for id in OperatorSlashes::<T>::iter_key_prefix(&operator) {
				let Some(slash) = Slashes::<T>::get(id) else { continue };
				if slash.status != SlashStatus::Pending {
					continue;
				}
				let cost: Vec<(Option<StrategyId>, u128)> = match slash.set {
					Some(set) => {
						let caps = caps_of(&slash);
						T::Restaking::preview(
							&operator,
							&set,
							slash.fraction,
							Some(&caps),
							Some(staker),
						)
						.into_iter()
						.map(|s| (Some(s.strategy), s.amount))
						.collect()
					}
					None => match T::NativeStake::pool_member(staker) {
						Some((pool, stake)) if pool == operator => {
							let parts = slash.fraction / (WAD / Perbill::ACCURACY as u128);
							let fraction = Perbill::from_parts(parts.min(u32::MAX as u128) as u32);
							alloc::vec![(None, fraction.mul_ceil(stake))]
						}
						_ => Vec::new(),
					},
				};
				out.push(StakerExposure { slash, cost });
			}
		}
		out
	}

	pub fn mode_view(set: &OperatorSetId) -> ModeView {
		let global = GlobalMode::<T>::get();
		let set_mode = Self::set_mode(set);
		ModeView { global, set: set_mode, effective: global.min(set_mode) }
	}

	/// Checks every invariant of the pallet's storage.
	// Not behind `try-runtime`: the runtime's integration tests check it too.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let next = NextSlashId::<T>::get();
		let mut pending = 0u32;
		let mut decided = 0u32;
		let mut per_avs: BTreeMap<AvsId, u32> = BTreeMap::new();
		let mut deposits = 0usize;
		for (id, record) in Slashes::<T>::iter() {
			ensure!(record.id == id, "a record is stored under another id");
			ensure!(id < next, "a record has an id not handed out yet");
			ensure!(
				OperatorSlashes::<T>::contains_key(&record.operator, id),
				"a record is missing from its operator's index"
			);
			if let Some(set) = record.set {
				ensure!(
					SetSlashes::<T>::contains_key(set, id),
					"a record is missing from its set's index"
				);
			}
			match (record.status, record.set) {
				(SlashStatus::Pending, Some(set)) => {
					pending += 1;
					*per_avs.entry(set.avs).or_default() += 1;
					if let SlashSource::Request { requester, .. } = &record.source {
						let held = RequestDeposits::<T>::get(id);
						ensure!(
							held.is_some_and(|(who, _)| who == *requester),
							"a pending request without its requester's deposit"
						);
						deposits += 1;
					}
					ensure!(
						Due::<T>::get(record.executes_at).contains(&id),
						"a pending slash is not queued at its deadline"
					);
					ensure!(
						T::Registry::terms(&set).is_some(),
						"a pending slash references an operator set that does not exist"
					);
					ensure!(
						record.executes_at >= DueCursor::<T>::get(),
						"a pending slash is due before the cursor"
					);
				}
				(SlashStatus::Pending, None) => {}
				_ => decided += 1,
			}
		}
		ensure!(pending == PendingCount::<T>::get(), "PendingCount is off");
		for (avs, count) in PendingPerAvs::<T>::iter() {
			ensure!(count <= T::MaxPendingPerAvs::get(), "an AVS has too many pending slashes");
			ensure!(per_avs.remove(&avs) == Some(count), "PendingPerAvs is off");
		}
		ensure!(per_avs.is_empty(), "pending slashes of an AVS not counted");
		ensure!(
			RequestDeposits::<T>::iter().count() == deposits,
			"a deposit held for a request that is not pending"
		);
		// Evidence points at the equivocation it punished (while that record is kept).
		for (set, operator, (round, id)) in Evidence::<T>::iter() {
			if let Some(record) = Slashes::<T>::get(id) {
				ensure!(
					record.set == Some(set)
						&& record.operator == operator
						&& matches!(record.source, SlashSource::Equivocation { round: r, .. } if r == round),
					"equivocation evidence does not point at its record"
				);
			}
		}
		ensure!(decided <= T::HistoryDepth::get(), "more decided records than the history keeps");
		let mut queued = 0u32;
		for (_, due) in Due::<T>::iter() {
			for id in due {
				queued += 1;
				ensure!(
					Slashes::<T>::get(id).is_some_and(|r| r.status == SlashStatus::Pending),
					"a queued slash is not pending"
				);
			}
		}
		ensure!(queued == pending, "each pending slash is queued exactly once");
		for (operator, id, ()) in OperatorSlashes::<T>::iter() {
			ensure!(
				Slashes::<T>::get(id).is_some_and(|r| r.operator == operator),
				"an operator index entry points at no record of it"
			);
		}
		for (set, id, ()) in SetSlashes::<T>::iter() {
			ensure!(
				Slashes::<T>::get(id).is_some_and(|r| r.set == Some(set)),
				"a set index entry points at no record of it"
			);
		}
		Ok(())
	}
}
