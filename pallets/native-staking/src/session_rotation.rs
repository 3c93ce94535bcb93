//! Eras and sessions: planning and electing the next validator set, starting and ending eras.

use super::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, Defensive, UnixTime, ValidatorRegistration},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	staking::{OnEraEnd, OnEraStart},
	EraIndex,
};
use pallet_session::SessionInterface as _;
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber, FixedU128, Rounding, SaturatedConversion,
};
use sp_staking::SessionIndex;

/// When sessions end and how: native staking asks at every block's `on_initialize` and
/// charges a rotation its benchmarked weight ([`WeightInfo::rotate_session`]).
pub trait RotateSession<BlockNumber> {
	/// Whether the session ends at block `now`.
	fn should_rotate(now: BlockNumber) -> bool;
	/// Ends the current session and starts the next (calling back this pallet as the session
	/// manager).
	fn rotate();
}

/// pallet-session's rotation every [`SessionLength`] blocks from block `Offset`: the same blocks
/// `pallet_session::PeriodicSessions<SessionLengthOf<T>, Offset>` names, so that type stays the
/// runtime's `NextSessionRotation`.
pub struct PeriodicRotation<T, Offset>(PhantomData<(T, Offset)>);

impl<T, Offset> RotateSession<BlockNumberFor<T>> for PeriodicRotation<T, Offset>
where
	T: Config + pallet_session::Config,
	Offset: Get<BlockNumberFor<T>>,
{
	fn should_rotate(now: BlockNumberFor<T>) -> bool {
		<pallet_session::PeriodicSessions<SessionLengthOf<T>, Offset> as
			pallet_session::ShouldEndSession<_>>::should_end_session(now)
	}

	fn rotate() {
		pallet_session::Pallet::<T>::rotate_session()
	}
}

/// pallet-session's `ShouldEndSession` in a runtime where native staking ends sessions
/// ([`Config::SessionRotation`]): pallet-session's own hook never does, because it charges a
/// whole block's weight for a rotation.
pub struct RotatedByStaking;

impl<BlockNumber> pallet_session::ShouldEndSession<BlockNumber> for RotatedByStaking {
	fn should_end_session(_: BlockNumber) -> bool {
		false
	}
}

impl<T: Config> Pallet<T> {
	/// Ends the session (and with it maybe an era, electing the next set), charged as the
	/// benchmarked rotation over the candidates there are, paying as many validators as an era
	/// may have earned points (`MaxValidators`, the bound of [`ActiveEraPoints`]), plus what
	/// starting an era did beyond the benchmark's ([`Self::era_start_beyond_benchmark`]).
	/// `on_initialize` reports its weight after the fact, so a heavy era start leaves the block
	/// less room for transactions instead of overrunning it.
	pub(crate) fn rotate_session() -> Weight {
		let candidates = Validators::<T>::count();
		let active = ActiveEra::<T>::get().map(|a| a.index);
		let next = active.map_or(0, |era| era.saturating_add(1));
		let due = UnappliedSlashes::<T>::decode_len(next).unwrap_or(0) as u32;
		T::SessionRotation::rotate();
		// `ActiveEra` twice and the slash queue's length, read here.
		let mut weight = T::WeightInfo::rotate_session(candidates, T::MaxValidators::get())
			.saturating_add(T::DbWeight::get().reads(3));
		if ActiveEra::<T>::get().map(|a| a.index) != active {
			weight.saturating_accrue(Self::era_start_beyond_benchmark(due));
		}
		weight
	}

	/// What starting an era does that the `rotate_session` benchmark does not (its era starts
	/// with no deferred slash and no era old enough to prune), at its bound: making the `due`
	/// slashes deferred to it due (the due list read, cleared and written, and a count per slash,
	/// applied a page per block from here: [`Self::apply_due_slashes`]), and pruning the era
	/// that left the bonding duration (one per era start, as [`BondingEras`] is fixed at
	/// genesis): its start session, its slash records (at most one per candidate) and its
	/// sessions' historical roots.
	pub(crate) fn era_start_beyond_benchmark(due: u32) -> Weight {
		let marked = T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_mul(due.into())
			.saturating_add(T::DbWeight::get().reads_writes(1, 2));
		let pruned = 1u64
			.saturating_add(T::MaxValidatorCandidates::get().into())
			.saturating_add(SessionsPerEra::<T>::get().into());
		// `SessionsPerEra` and the historical range, read here and in the pruning.
		marked.saturating_add(T::DbWeight::get().reads_writes(2, pruned))
	}

	/// Whether the era clock in storage ([`SessionsPerEra`], [`SessionLength`],
	/// [`BondingEras`], [`SlashDeferEras`]) keeps native stake as answerable as restaked stake:
	/// unbonding outlasts every restaked slashing window ([`Config::MinUnbondingBlocks`], H-1)
	/// and ends before new exposure announced when it started applies
	/// ([`Config::MaxUnbondingBlocks`], H-4); the first broken rule otherwise.
	pub fn check_era_clock() -> Result<(), &'static str> {
		let sessions = SessionsPerEra::<T>::get();
		let length = SessionLength::<T>::get();
		let bonding = BondingEras::<T>::get();
		if sessions == 0 {
			return Err("an era needs at least one session");
		}
		if length.is_zero() {
			return Err("a session needs at least one block");
		}
		if bonding == 0 || bonding > T::BondingDuration::get() {
			return Err("the bonding duration must be positive and at most its maximum");
		}
		let defer = SlashDeferEras::<T>::get();
		if defer >= bonding {
			return Err("slashes must be applied before the stake they reach can be withdrawn");
		}
		// A report slashing at once would do work that grows with the slashes it raises (every
		// earlier offender of its GRANDPA round); at the next era's start the slash reaches
		// the same stake.
		if defer == 0 {
			return Err("slashes must be deferred at least to the next era");
		}
		let era = length.saturating_mul(sessions.into());
		// The slashes due at an era's start are applied a page per block; the next era's must
		// find none left.
		if era.saturating_mul(T::MaxSlashesAppliedPerBlock::get().into())
			< T::MaxSlashesPerEra::get().into()
		{
			return Err("an era must be long enough to apply a full queue of due slashes");
		}
		// Stake unbonded in an era's last block waits `bonding - 1` whole eras, in its first
		// block `bonding` eras.
		if era.saturating_mul(bonding.saturating_sub(1).into()) < T::MinUnbondingBlocks::get() {
			return Err("native unbonding must outlast every restaked slashing window");
		}
		if era.saturating_mul(bonding.into()) > T::MaxUnbondingBlocks::get() {
			return Err("native unbonding must end before new exposure announced when it \
			            started applies");
		}
		Ok(())
	}

	/// The era in force (0 before the first era starts).
	pub fn active_era_index() -> EraIndex {
		ActiveEra::<T>::get().map(|a| a.index).unwrap_or(0)
	}

	/// The era `session` belonged to, if its offences can still be slashed.
	pub(crate) fn era_of_session(session: SessionIndex) -> Option<EraIndex> {
		let eras = BondedEras::<T>::get();
		if eras.is_empty() {
			// Before the first era started: offences belong to era 0.
			return Some(0);
		}
		eras.iter().rev().find(|(_, start)| *start <= session).map(|(era, _)| *era)
	}

	/// The top candidates for `era` and the sum of their pools' active stake, or why there are
	/// too few.
	pub(crate) fn elect(era: EraIndex) -> Result<(ElectedSet<T>, BalanceOf<T>), ElectionSkipped> {
		let min_bond = T::MinValidatorBond::get();
		let mut candidates: Vec<(BalanceOf<T>, ElectedValidator<T::AccountId, BalanceOf<T>>)> =
			Validators::<T>::iter()
				.filter_map(|(validator, prefs)| {
					if !T::ValidatorRegistration::is_registered(&validator)
						|| BlockedUntil::<T>::get(&validator).is_some_and(|until| until >= era)
					{
						return None;
					}
					let pool = Pools::<T>::get(&validator)?;
					(pool.value_of(pool.owner_shares) >= min_bond).then_some((
						pool.active,
						ElectedValidator {
							validator,
							commission: prefs.commission,
							pool_slashes: pool.slashes,
							stake: pool.active,
						},
					))
				})
				.collect();
		let minimum = T::MinValidators::get();
		if (candidates.len() as u32) < minimum {
			return Err(ElectionSkipped::TooFewCandidates {
				eligible: candidates.len() as u32,
				minimum,
			});
		}
		candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.validator.cmp(&b.1.validator)));
		candidates.truncate(T::MaxValidators::get() as usize);
		let stake = candidates
			.iter()
			.fold(BalanceOf::<T>::zero(), |total, (active, _)| total.saturating_add(*active));
		let set = candidates.into_iter().map(|(_, elected)| elected).collect();
		Ok((BoundedVec::truncate_from(set), stake))
	}

	/// Whether `who` is in the active set or the one planned for the next era.
	pub(crate) fn is_elected(who: &T::AccountId) -> bool {
		let listed = |set: ElectedSet<T>| set.iter().any(|e| e.validator == *who);
		listed(PlannedValidators::<T>::get()) || listed(ActiveValidators::<T>::get())
	}

	/// Elect the set of `era`; on failure keep the previous one (if there is one).
	pub(crate) fn plan_validators(era: EraIndex) -> Option<Vec<T::AccountId>> {
		match Self::elect(era) {
			Ok((set, stake)) => {
				let validators: Vec<_> = set.iter().map(|e| e.validator.clone()).collect();
				PlannedValidators::<T>::put(set);
				PlannedStake::<T>::put(stake);
				Self::deposit_event(Event::ValidatorsElected {
					era,
					validators: validators.clone(),
				});
				Some(validators)
			}
			Err(reason) => {
				log::warn!(target: LOG_TARGET, "era {era}: election skipped: {reason:?}");
				Self::deposit_event(Event::ElectionSkipped { era, reason });
				let previous = PlannedValidators::<T>::get();
				(!previous.is_empty()).then(|| previous.into_iter().map(|e| e.validator).collect())
			}
		}
	}

	pub(crate) fn new_session_inner(
		session: SessionIndex,
		genesis: bool,
	) -> Option<Vec<T::AccountId>> {
		let Some(current) = CurrentEra::<T>::get() else {
			if genesis && session == 0 {
				CurrentEra::<T>::put(0);
				ErasStartSessionIndex::<T>::insert(0, 0);
				return Self::plan_validators(0);
			}
			return None;
		};
		let start = ErasStartSessionIndex::<T>::get(current).unwrap_or(0);
		if session < start.saturating_add(SessionsPerEra::<T>::get()) {
			return None;
		}
		let era = current.saturating_add(1);
		CurrentEra::<T>::put(era);
		ErasStartSessionIndex::<T>::insert(era, session);
		Self::plan_validators(era)
	}

	pub(crate) fn start_session_inner(session: SessionIndex) {
		let next = ActiveEra::<T>::get().map(|a| a.index.saturating_add(1)).unwrap_or(0);
		if ErasStartSessionIndex::<T>::get(next) != Some(session) {
			return;
		}
		if let Some(active) = ActiveEra::<T>::get() {
			Self::end_era(active, T::UnixTime::now().as_millis() as u64);
		}
		Self::start_era(next, session);
	}

	/// Pay the era's inflation to its validators by points (`now` in ms since the epoch).
	pub(crate) fn end_era(active: ActiveEraInfo, now: u64) {
		let era = active.index;
		let duration = active
			.start
			.map(|start| now.saturating_sub(start))
			.unwrap_or(0)
			.min(T::MaxRewardedEraDuration::get());
		let yearly = T::YearlyInflation::get().mul_floor(ActiveStake::<T>::get());
		let payout = mul_div(
			yearly,
			BalanceOf::<T>::saturated_from(duration),
			BalanceOf::<T>::saturated_from(MILLISECONDS_PER_YEAR),
			Rounding::Down,
		);
		let points = ActiveEraPoints::<T>::take();
		let commissions: BTreeMap<_, _> =
			ActiveValidators::<T>::get().into_iter().map(|e| (e.validator, e.commission)).collect();
		let mut paid = BalanceOf::<T>::zero();
		if points.total > 0 && !payout.is_zero() {
			let total_points = BalanceOf::<T>::from(points.total);
			for (validator, p) in points.individual {
				let reward = mul_div(payout, BalanceOf::<T>::from(p), total_points, Rounding::Down);
				let rate = commissions.get(&validator).copied().unwrap_or_default();
				let mut commission = rate.mul_floor(reward);
				let mut pool_reward = reward.saturating_sub(commission);
				if !commission.is_zero() && T::Currency::mint_into(&validator, commission).is_err()
				{
					commission = Zero::zero();
				}
				match Pools::<T>::get(&validator) {
					Some(mut pool) if !pool.shares.is_zero() && !pool_reward.is_zero() => {
						pool.reward_per_share = pool.reward_per_share.saturating_add(
							FixedU128::saturating_from_rational(pool_reward, pool.shares),
						);
						Pools::<T>::insert(&validator, pool);
					}
					_ => pool_reward = Zero::zero(),
				}
				paid.saturating_accrue(commission.saturating_add(pool_reward));
				Self::deposit_event(Event::ValidatorRewarded {
					era,
					validator,
					commission,
					pool_reward,
				});
			}
		}
		Self::deposit_event(Event::EraPaid { era, payout: paid, points: points.total });
		T::EraHooks::on_era_end(era);
	}

	pub(crate) fn start_era(era: EraIndex, session: SessionIndex) {
		ActiveEra::<T>::put(ActiveEraInfo { index: era, start: None });
		ActiveValidators::<T>::put(PlannedValidators::<T>::get());
		ActiveStake::<T>::put(PlannedStake::<T>::get());
		ActiveEraPoints::<T>::kill();

		let mut bonded = BondedEras::<T>::get();
		while bonded.len() as u32 > BondingEras::<T>::get() {
			let (old, _) = bonded.remove(0);
			ErasStartSessionIndex::<T>::remove(old);
			let _ = SlashedInEra::<T>::clear_prefix(old, T::MaxValidatorCandidates::get(), None);
		}
		let _ = bonded.try_push((era, session)).defensive();
		if let Some((_, first_session)) = bonded.first() {
			// Historical roots older than the oldest slashable era serve no proof any more.
			T::SessionInterface::prune_up_to(*first_session);
		}
		BondedEras::<T>::put(bonded);

		Self::make_slashes_due(era);
		T::EraHooks::on_era_start(era);
		Self::deposit_event(Event::EraStarted { era });
	}
}
