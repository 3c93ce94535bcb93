//! Slashing a validator's pool: offences reported by the runtime, deferred slashes and their
//! cancellation, and the O(1) slash of a pool's active and unbonding stake.
//!
//! pallet-offences hands the handler every offender of the same kind and time slot each time
//! one more is reported, at a fraction that grows with their number. So the k-th report of a
//! GRANDPA round raises the k - 1 slashes already queued, and must stay cheap: a raise is
//! folded into the offender's queued slash (one entry per validator and offence era), the
//! queues are read and written once per report, and a report queues its slashes rather than
//! applying them. A slash goes to the first era from `SlashDeferEras` on whose queue has room,
//! no later than the era whose start still reaches everything that left the pool after the
//! offence, and is applied at once only when every queue up to that era is full (an
//! offence reported more than `BondingEras - SlashDeferEras` eras late misses what was
//! withdrawn meanwhile, as upstream's staking accepts). Root cancelling a queued slash does not
//! lower what the offender was slashed for in the era: the next report of the same round
//! queues the difference again.
//!
//! A queue is due once its era starts and is applied a page per block from `on_initialize`;
//! the pools it reaches stay frozen until their slashes are applied.

use super::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use kasane_primitives::{
	slashing::ConsensusSlashLog,
	staking::{PoolFreeze, PoolShare},
	EraIndex,
};
use pallet_session::SessionInterface as _;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Perbill, Rounding, SaturatedConversion,
};
use sp_staking::{offence::OffenceSeverity, SessionIndex};

type SlashQueue<T> = BoundedVec<UnappliedSlash<AccountIdOf<T>>, <T as Config>::MaxSlashesPerEra>;

/// The queues of deferred slashes one report touches, each read once and written once.
struct TouchedQueues<T: Config> {
	queues: Vec<(EraIndex, SlashQueue<T>, bool)>,
}

impl<T: Config> TouchedQueues<T> {
	fn queue(&mut self, era: EraIndex) -> &mut (EraIndex, SlashQueue<T>, bool) {
		let index = match self.queues.iter().position(|(e, ..)| *e == era) {
			Some(index) => index,
			None => {
				self.queues.push((era, UnappliedSlashes::<T>::get(era), false));
				self.queues.len() - 1
			}
		};
		&mut self.queues[index]
	}

	/// Defers `extra` of `validator`'s pool for its offence of `offence_era` to the first era
	/// of `eras` whose queue holds its slash for that offence (raised by `extra`) or has room.
	/// The era it went to, or `None` when every queue of `eras` is full.
	fn defer(
		&mut self,
		validator: &T::AccountId,
		extra: Perbill,
		offence_era: EraIndex,
		eras: core::ops::RangeInclusive<EraIndex>,
	) -> Option<EraIndex> {
		for era in eras {
			let (_, queue, changed) = self.queue(era);
			if let Some(slash) =
				queue.iter_mut().find(|s| s.validator == *validator && s.offence_era == offence_era)
			{
				slash.fraction = slash.fraction.saturating_add(extra);
				if let Some(id) = slash.record {
					T::SlashLog::raised(id, slash.fraction);
				}
				*changed = true;
				return Some(era);
			}
			if (queue.len() as u32) < T::MaxSlashesPerEra::get() {
				let record = T::SlashLog::offence(validator, extra, offence_era, era);
				let slash = UnappliedSlash {
					validator: validator.clone(),
					fraction: extra,
					offence_era,
					record,
				};
				if queue.try_push(slash).is_ok() {
					*changed = true;
					return Some(era);
				}
			}
		}
		None
	}

	/// Writes the queues that changed; returns how many queues were read.
	fn store(self) -> u32 {
		let read = self.queues.len() as u32;
		for (era, queue, changed) in self.queues {
			if changed {
				UnappliedSlashes::<T>::insert(era, queue);
			}
		}
		read
	}
}

/// The largest fraction a single slash takes: a slashed pool always keeps a remnant, so its
/// shares keep a price and the pool's accounting never divides by zero.
pub const MAX_SLASH_FRACTION: Perbill = Perbill::from_parts(999_999_999);

impl<T: Config> Pallet<T> {
	/// pallet-offences' report of `offenders` (each with the fraction it reported) for
	/// `session`: each offender whose fraction for the era (at least
	/// [`Config::OffenceSlashFraction`]) is above what it was already slashed for that era is
	/// chilled, kept out of the next election, disabled, and its slash raised by the difference
	/// (see the module docs for where it waits).
	pub(crate) fn report_offences<'a>(
		offenders: impl ExactSizeIterator<Item = (&'a T::AccountId, Perbill)>,
		session: SessionIndex,
	) -> Weight
	where
		T::AccountId: 'a,
	{
		let count = offenders.len() as u32;
		let Some(offence_era) = Self::era_of_session(session) else {
			log::warn!(target: LOG_TARGET, "offence in session {session} is too old to slash");
			return T::DbWeight::get().reads(1);
		};
		let active_era = Self::active_era_index();
		// The era clock keeps the deferral at one era or more (`check_era_clock`); never queue for
		// an era that has started, whose queue was taken.
		let first = active_era.saturating_add(SlashDeferEras::<T>::get().max(1));
		// Stake that left the pool after the offence can be withdrawn from this era on: a slash
		// applied at its start still reaches it.
		let last = first.max(offence_era.saturating_add(BondingEras::<T>::get()));
		let minimum = T::OffenceSlashFraction::get();
		let mut queues = TouchedQueues::<T> { queues: Vec::new() };
		let mut applied_now = 0u32;
		let mut slashes = 0u32;
		for (validator, reported) in offenders {
			let fraction = reported.max(minimum);
			let prior = SlashedInEra::<T>::get(offence_era, validator).unwrap_or_default();
			if fraction <= prior {
				// Already slashed this much (or more) for this era.
				continue;
			}
			SlashedInEra::<T>::insert(offence_era, validator, fraction);
			Self::do_chill(validator);
			BlockedUntil::<T>::insert(
				validator,
				CurrentEra::<T>::get().unwrap_or(0).saturating_add(1),
			);
			T::SessionInterface::report_offence(validator.clone(), OffenceSeverity(fraction));
			let extra = fraction.saturating_sub(prior);
			slashes.saturating_inc();
			let apply_era = match queues.defer(validator, extra, offence_era, first..=last) {
				Some(era) => era,
				None => {
					// Every queue up to the last era that still reaches the stake is full: slashing
					// now, beyond what the report was charged, is safer than letting it leave.
					log::error!(
						target: LOG_TARGET,
						"no deferred-slash queue from era {first} to {last} has room: slashing \
						 {validator:?} now"
					);
					let record = T::SlashLog::offence(validator, extra, offence_era, active_era);
					Self::apply_logged_slash(&UnappliedSlash {
						validator: validator.clone(),
						fraction: extra,
						offence_era,
						record,
					});
					applied_now.saturating_inc();
					active_era
				}
			};
			Self::deposit_event(Event::OffenceReported {
				validator: validator.clone(),
				offence_era,
				fraction,
				apply_era,
			});
		}
		// The benchmark reads and writes one queue.
		let more_queues = queues.store().saturating_sub(1).into();
		T::WeightInfo::report_offence(count)
			.saturating_add(T::SlashLog::history_pruning_weight().saturating_mul(slashes.into()))
			.saturating_add(T::DbWeight::get().reads_writes(more_queues, more_queues))
			.saturating_add(
				T::WeightInfo::apply_slash()
					.saturating_add(T::SlashLog::weight())
					.saturating_mul(applied_now.into()),
			)
	}

	/// The most a report handing `offenders` offenders to `report_offences` weighs,
	/// for the extrinsic that reports to charge (pallet-offences drops the weight the handler
	/// returns): the benchmarked report, whose every offender gets a slash and a record of its
	/// own (this runtime's slash log runs in it), each record pushing a decided one out of the
	/// history (which the benchmark's short history does not), and a queue read and written per
	/// era a slash may find full, at most the longest bonding duration. Not included: a slash
	/// applied at once because every queue up to its last era is full, which takes
	/// [`Config::MaxSlashesPerEra`] distinct offences (validator and era) queued for each of
	/// those eras, whose sets hold at most [`Config::MaxValidators`] each; nor the execution of
	/// looking through full queues.
	pub fn offence_report_weight(offenders: u32) -> Weight {
		let spill = T::BondingDuration::get().saturating_sub(1).into();
		T::WeightInfo::report_offence(offenders)
			.saturating_add(T::SlashLog::history_pruning_weight().saturating_mul(offenders.into()))
			.saturating_add(T::DbWeight::get().reads_writes(spill, spill))
	}

	/// Applies `slash` (due since its era started, or one no queue had room for) and tells
	/// the slash history what it took.
	pub(crate) fn apply_logged_slash(slash: &UnappliedSlash<T::AccountId>) {
		let amount = Self::apply_offence_slash(&slash.validator, slash.fraction, slash.offence_era);
		if let Some(id) = slash.record {
			T::SlashLog::applied(id, amount.saturated_into());
		}
	}

	/// Makes the slashes deferred to `era`, which starts now, due: each pool they reach is
	/// frozen ([`SlashesDue`]) until they are applied, a page per block from this one on.
	pub(crate) fn make_slashes_due(era: EraIndex) {
		let left = DueSlashes::<T>::take();
		if !left.is_empty() {
			// The era clock gives an era enough blocks to apply a full queue.
			frame_support::defensive!("due slashes outlived their era; applying them at once");
			for slash in &left {
				Self::apply_due_slash(slash);
			}
		}
		let queue = UnappliedSlashes::<T>::take(era);
		for slash in &queue {
			SlashesDue::<T>::mutate(&slash.validator, |n| {
				*n = Some(n.unwrap_or(0).saturating_add(1))
			});
		}
		if !queue.is_empty() {
			DueSlashes::<T>::put(queue);
		}
	}

	/// Applies the next page of [`DueSlashes`], at most [`Config::MaxSlashesAppliedPerBlock`],
	/// and returns what it used.
	pub(crate) fn apply_due_slashes() -> Weight {
		let mut due = DueSlashes::<T>::get().into_inner();
		if due.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		let page = due.len().min(T::MaxSlashesAppliedPerBlock::get() as usize);
		for slash in due.drain(..page) {
			Self::apply_due_slash(&slash);
		}
		if due.is_empty() {
			DueSlashes::<T>::kill();
		} else {
			DueSlashes::<T>::put(BoundedVec::truncate_from(due));
		}
		Self::due_slashes_weight(page as u32)
	}

	/// A block applying `applied` due slashes: the due list read and written, and each slash
	/// applied (the benchmarked slash at its bound), logged and its pool's count lowered.
	pub fn due_slashes_weight(applied: u32) -> Weight {
		T::WeightInfo::apply_slash()
			.saturating_add(T::SlashLog::weight())
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
			.saturating_mul(applied.into())
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}

	fn apply_due_slash(slash: &UnappliedSlash<T::AccountId>) {
		Self::apply_logged_slash(slash);
		SlashesDue::<T>::mutate_exists(&slash.validator, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
		});
	}

	/// Whether stake of `validator`'s pool must stay where a slash can reach it: a slash of the
	/// pool is due but not applied yet, or a restaked slash of it is pending.
	pub(crate) fn is_pool_frozen(validator: &T::AccountId) -> bool {
		SlashesDue::<T>::contains_key(validator) || T::PoolFreeze::is_frozen(validator)
	}

	pub(crate) fn do_cancel_deferred_slash(era: EraIndex, mut indices: Vec<u32>) -> DispatchResult {
		ensure!(!indices.is_empty(), Error::<T>::EmptySlashList);
		let mut slashes = UnappliedSlashes::<T>::get(era);
		indices.sort_unstable();
		indices.dedup();
		ensure!(
			indices.last().is_some_and(|last| (*last as usize) < slashes.len()),
			Error::<T>::InvalidSlashIndex
		);
		for index in indices.into_iter().rev() {
			let slash = slashes.remove(index as usize);
			if let Some(id) = slash.record {
				T::SlashLog::cancelled(id);
			}
			Self::deposit_event(Event::SlashCancelled { era, validator: slash.validator });
		}
		if slashes.is_empty() {
			UnappliedSlashes::<T>::remove(era);
		} else {
			UnappliedSlashes::<T>::insert(era, slashes);
		}
		Ok(())
	}

	/// What `share` of `amount` is: exact, rounded up to at most one unit, and never more than
	/// [`MAX_SLASH_FRACTION`] of it (a slashed pool keeps a remnant, so its shares keep a price).
	pub(crate) fn share_of(share: PoolShare, amount: BalanceOf<T>) -> BalanceOf<T> {
		let most = MAX_SLASH_FRACTION.mul_floor(amount);
		if share.whole == 0 {
			return Zero::zero();
		}
		let taken = multiply_by_rational_with_rounding(
			amount.saturated_into::<u128>(),
			share.parts.min(share.whole),
			share.whole,
			Rounding::Up,
		)
		.map_or(most, |t| t.saturated_into());
		taken.min(most)
	}

	/// Slash `fraction` of the pool of `validator` for a consensus offence of `offence_era`:
	/// stake that left the pool before the offence is spared.
	pub(crate) fn apply_offence_slash(
		validator: &T::AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
	) -> BalanceOf<T> {
		Self::apply_slash(
			validator,
			PoolShare::from_perbill(fraction),
			offence_era.saturating_add(BondingEras::<T>::get()),
		)
	}

	/// Slash `share` of the pool of `validator`: its active stake and the unbonding stake (and
	/// redelegation obligations) unlocking at `first_unlock` or later that has not been
	/// withdrawn yet. O(BondingEras): the eras looked at are at most `BondingEras`
	/// before the active one and `BondingEras` after it.
	pub(crate) fn apply_slash(
		validator: &T::AccountId,
		share: PoolShare,
		first_unlock: EraIndex,
	) -> BalanceOf<T> {
		let mut total = BalanceOf::<T>::zero();
		if let Some(mut pool) = Pools::<T>::get(validator) {
			let amount = Self::share_of(share, pool.active);
			pool.active.saturating_reduce(amount);
			pool.slashes.saturating_inc();
			Self::put_pool(validator, pool);
			total.saturating_accrue(amount);
		}
		let active_era = Self::active_era_index();
		let bonding = BondingEras::<T>::get();
		// A chunk unlocking at `e` left the pool in era `e - bonding`. Chunks that unlocked are
		// still reached while they are there (a pending slash keeps them from being
		// withdrawn), but no further back than a bonding duration.
		let first = first_unlock.max(active_era.saturating_add(1).saturating_sub(bonding));
		for era in first..=active_era.saturating_add(bonding) {
			if let Some(mut up) = UnbondPools::<T>::get(validator, era) {
				let amount = Self::share_of(share, up.stake);
				up.stake.saturating_reduce(amount);
				UnbondPools::<T>::insert(validator, era, up);
				total.saturating_accrue(amount);
			}
		}
		Self::deposit_event(Event::PoolSlashed {
			validator: validator.clone(),
			parts: share.parts,
			whole: share.whole,
			amount: total,
		});
		total
	}
}
