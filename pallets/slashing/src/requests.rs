//! Slash requests: requesting within an AVS's terms, vetoing, and executing when the veto
//! window has passed (paged under a per-block weight).

use crate::records::amounts_of;
use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision},
		DefensiveSaturating, Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{AvsId, SlashDestination, SlashParams},
	slashing::MAX_SLASH_STRATEGIES,
	staking::NativeStakeProvider,
};
use sp_runtime::traits::{One, Saturating};

/// How many blocks after its deadline a pending slash may be queued when the deadline's block
/// is full (it executes then; its freeze holds until it does).
const MAX_DUE_SEARCH: u32 = 64;

impl<T: Config> Pallet<T> {
	/// Whether `requester` may request `avs`'s slashes: its owner, or the slasher that owner
	/// designated (a designation ends with the ownership).
	pub(crate) fn may_request(avs: AvsId, owner: &T::AccountId, requester: &T::AccountId) -> bool {
		requester == owner
			|| Slashers::<T>::get(avs)
				.is_some_and(|(by, slasher)| by == *owner && slasher == *requester)
	}

	/// The first block from `deadline` on (within [`MAX_DUE_SEARCH`]) with room in its due
	/// list.
	pub(crate) fn due_block(
		deadline: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
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

	pub(crate) fn take_from_due(record: &SlashRecordOf<T>) {
		Due::<T>::mutate_exists(record.executes_at, |due| {
			if let Some(list) = due {
				list.retain(|id| *id != record.id);
				if list.is_empty() {
					*due = None;
				}
			}
		});
		PendingCount::<T>::mutate(|c| c.defensive_saturating_dec());
	}

	/// A pending AVS slash was decided (after it executed, failed or was vetoed): its AVS may
	/// request another, what it froze is free once no other slash holds it, and the
	/// requester's deposit is returned (burned when `forfeit`).
	pub(crate) fn close_pending(record: &SlashRecordOf<T>, forfeit: bool) {
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
	pub(crate) fn execute_pending(mut record: SlashRecordOf<T>, executor: Option<T::AccountId>) {
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
				PendingCount::<T>::mutate(|c| c.defensive_saturating_dec());
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
}
