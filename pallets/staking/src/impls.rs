//! The mechanism behind the calls: share accounting, settlement, eras, elections, rewards,
//! slashes, and the trait implementations that plug the pallet into session, authorship,
//! offences and the other Kasane pallets.

use super::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{hold::Balanced as _, Mutate, MutateHold},
		tokens::{imbalance::Imbalance as _, Precision},
		Defensive, OnUnbalanced, UnixTime, ValidatorRegistration,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	slashing::ConsensusSlashLog,
	staking::{NativeStakeProvider, OnEraEnd, OnEraStart, PoolFreeze, PoolShare, PoolStake},
	EraIndex,
};
use pallet_session::SessionInterface as _;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill, Rounding, SaturatedConversion,
};
use sp_staking::{
	offence::{OffenceDetails, OffenceSeverity, OnOffenceHandler},
	SessionIndex,
};

/// The largest fraction a single slash takes: a slashed pool always keeps a remnant, so its
/// shares keep a price and the pool's accounting never divides by zero.
pub const MAX_SLASH_FRACTION: Perbill = Perbill::from_parts(999_999_999);

/// `a × b / c` in 128-bit arithmetic; zero when `c` is zero, saturating when the result does
/// not fit. For values (a share of a stake), where both are at most the stake.
pub(crate) fn mul_div<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	a: B,
	b: B,
	c: B,
	rounding: Rounding,
) -> B {
	if c.is_zero() {
		return Zero::zero();
	}
	kasane_primitives::math::mul_div(
		a.saturated_into::<u128>(),
		b.saturated_into::<u128>(),
		c.saturated_into::<u128>(),
		rounding,
	)
	.unwrap_or(u128::MAX)
	.saturated_into()
}

/// Why shares for a value could not be issued.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ShareError {
	/// The pool has shares but no stake left (slashed away): shares have no price.
	NoStake,
	/// The shares do not fit (a pool slashed to almost nothing prices a share near zero), or
	/// round to nothing for a positive value: issuing them would donate the value.
	Unrepresentable,
}

/// Shares worth `value` in a pool with `stake` behind `shares`, exactly as asked to round;
/// an error rather than zero shares for a positive value or a result that does not fit.
pub(crate) fn to_shares<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	stake: B,
	shares: B,
	value: B,
	rounding: Rounding,
) -> Result<B, ShareError> {
	if shares.is_zero() {
		return Ok(value);
	}
	if stake.is_zero() {
		return Err(ShareError::NoStake);
	}
	let issued = multiply_by_rational_with_rounding(
		value.saturated_into::<u128>(),
		shares.saturated_into::<u128>(),
		stake.saturated_into::<u128>(),
		rounding,
	)
	.filter(|n| *n <= B::max_value().saturated_into::<u128>())
	.ok_or(ShareError::Unrepresentable)?;
	if issued == 0 && !value.is_zero() {
		return Err(ShareError::Unrepresentable);
	}
	Ok(issued.saturated_into())
}

impl<T: Config> From<ShareError> for Error<T> {
	fn from(e: ShareError) -> Self {
		match e {
			ShareError::NoStake => Error::<T>::PoolDestroyed,
			ShareError::Unrepresentable => Error::<T>::Overflow,
		}
	}
}

/// What `of` shares are worth in a pool with `stake` behind `shares` (rounded down).
pub(crate) fn to_value<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	stake: B,
	shares: B,
	of: B,
) -> B {
	if shares.is_zero() {
		Zero::zero()
	} else {
		mul_div(of, stake, shares, Rounding::Down)
	}
}

impl<T: Config> Pallet<T> {
	/// The era in force (0 before the first era starts).
	pub fn active_era_index() -> EraIndex {
		ActiveEra::<T>::get().map(|a| a.index).unwrap_or(0)
	}

	/// Worst-case extra weight of settling a ledger with full unbonding and redelegation
	/// queues, declared by every call that settles (the calls' own benchmarks settle an empty
	/// ledger); the unused part is refunded.
	pub fn settle_weight() -> Weight {
		Self::settle_extra(T::MaxUnlockingChunks::get())
	}

	/// Extra weight of settling `items` queue entries over settling an empty ledger.
	pub fn settle_extra(items: u32) -> Weight {
		T::WeightInfo::settle(items).saturating_sub(T::WeightInfo::settle(0))
	}

	/// The settlement work `who`'s ledger needs now: its longer queue (the `settle` benchmark
	/// measures one unbonding chunk and one redelegation obligation per item).
	pub fn settle_items(who: &T::AccountId) -> u32 {
		Ledgers::<T>::get(who)
			.map(|l| l.unbonding.len().max(l.redelegations.len()) as u32)
			.unwrap_or(0)
	}

	/// What `who`'s active shares are worth now.
	pub fn active_stake_of(who: &T::AccountId) -> BalanceOf<T> {
		Ledgers::<T>::get(who)
			.and_then(|l| Pools::<T>::get(&l.pool).map(|p| to_value(p.active, p.shares, l.shares)))
			.unwrap_or_default()
	}

	/// Rewards `who` could claim now (settled plus not yet settled).
	pub fn claimable_rewards(who: &T::AccountId) -> BalanceOf<T> {
		let Some(ledger) = Ledgers::<T>::get(who) else { return Zero::zero() };
		let unsettled = Pools::<T>::get(&ledger.pool)
			.map(|p| {
				p.reward_per_share
					.saturating_sub(ledger.reward_snapshot)
					.saturating_mul_int(ledger.shares)
			})
			.unwrap_or_default();
		ledger.pending_rewards.saturating_add(unsettled)
	}

	fn hold(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&HoldReason::Staking.into(), who, value)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	pub(crate) fn put_ledger(who: &T::AccountId, ledger: StakerLedger<T>) {
		Ledgers::<T>::insert(who, ledger);
	}

	fn put_pool(id: &T::AccountId, pool: Pool<BalanceOf<T>>) {
		if pool.members == 0 && pool.shares.is_zero() {
			Pools::<T>::remove(id);
		} else {
			Pools::<T>::insert(id, pool);
		}
	}

	fn put_unbond_pool(id: &T::AccountId, era: EraIndex, up: UnbondPool<BalanceOf<T>>) {
		if up.shares.is_zero() {
			UnbondPools::<T>::remove(id, era);
		} else {
			UnbondPools::<T>::insert(id, era, up);
		}
	}

	/// Put `value` of `who`'s newly held funds into pool `id` as `ledger`'s active shares.
	fn add_to_pool(
		who: &T::AccountId,
		id: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		ledger: &mut StakerLedger<T>,
		value: BalanceOf<T>,
	) -> DispatchResult {
		let shares = match to_shares(pool.active, pool.shares, value, Rounding::Down) {
			// Too little to buy a share.
			Err(ShareError::Unrepresentable) if !pool.shares.is_zero() && value < pool.active => {
				return Err(Error::<T>::ZeroAmount.into())
			}
			other => other.map_err(Error::<T>::from)?,
		};
		ensure!(!shares.is_zero(), Error::<T>::ZeroAmount);
		pool.active = pool.active.checked_add(&value).ok_or(Error::<T>::Overflow)?;
		pool.shares = pool.shares.checked_add(&shares).ok_or(Error::<T>::Overflow)?;
		if who == id {
			pool.owner_shares.saturating_accrue(shares);
		}
		ledger.shares.saturating_accrue(shares);
		Ok(())
	}

	fn new_ledger(pool_id: &T::AccountId, pool: &Pool<BalanceOf<T>>) -> StakerLedger<T> {
		StakerLedger {
			pool: pool_id.clone(),
			shares: Zero::zero(),
			held: Zero::zero(),
			reward_snapshot: pool.reward_per_share,
			pending_rewards: Zero::zero(),
			unbonding: Default::default(),
			redelegations: Default::default(),
			reward_destination: RewardDestination::default(),
		}
	}

	pub(crate) fn do_bond(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!Ledgers::<T>::contains_key(who), Error::<T>::AlreadyBonded);
		ensure!(value >= T::MinDelegatorBond::get(), Error::<T>::BelowMinimumBond);
		Self::join_pool(who, who, Pools::<T>::get(who).unwrap_or_default(), value)
	}

	/// Start `who`'s ledger with `value` held and put in `pool_id`'s pool.
	fn join_pool(
		who: &T::AccountId,
		pool_id: &T::AccountId,
		mut pool: Pool<BalanceOf<T>>,
		value: BalanceOf<T>,
	) -> DispatchResult {
		let mut ledger = Self::new_ledger(pool_id, &pool);
		Self::add_to_pool(who, pool_id, &mut pool, &mut ledger, value)?;
		Self::hold(who, value)?;
		ledger.held = value;
		pool.members.saturating_inc();
		Self::put_pool(pool_id, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Bonded {
			who: who.clone(),
			pool: pool_id.clone(),
			amount: value,
		});
		Ok(())
	}

	pub(crate) fn do_delegate(
		who: &T::AccountId,
		validator: &T::AccountId,
		value: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		ensure!(who != validator, Error::<T>::CannotDelegateToSelf);
		ensure!(!Ledgers::<T>::contains_key(who), Error::<T>::AlreadyBonded);
		ensure!(Validators::<T>::contains_key(validator), Error::<T>::NotValidator);
		ensure!(value >= T::MinDelegatorBond::get(), Error::<T>::BelowMinimumBond);
		let pool = Pools::<T>::get(validator).ok_or(Error::<T>::NotValidator)?;
		Self::join_pool(who, validator, pool, value)
	}

	pub(crate) fn do_bond_extra(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let id = ledger.pool.clone();
		let mut pool = Pools::<T>::get(&id).ok_or(Error::<T>::PoolDestroyed)?;
		Self::add_to_pool(who, &id, &mut pool, &mut ledger, value)?;
		Self::hold(who, value)?;
		ledger.held.saturating_accrue(value);
		Self::put_pool(&id, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Bonded { who: who.clone(), pool: id, amount: value });
		Ok(())
	}

	pub(crate) fn do_unbond(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let id = ledger.pool.clone();
		let mut pool = Pools::<T>::get(&id).ok_or(Error::<T>::PoolDestroyed)?;
		let active = to_value(pool.active, pool.shares, ledger.shares);
		let value = value.min(active);
		if value.is_zero() {
			ensure!(active.is_zero() && !ledger.shares.is_zero(), Error::<T>::ZeroAmount);
			// The pool was slashed (almost) to nothing: give up the worthless shares.
			Self::drop_worthless_shares(who, &id, &mut pool, &mut ledger);
			Self::put_pool(&id, pool);
			Self::put_ledger(who, ledger);
			Self::deposit_event(Event::Unbonded {
				who: who.clone(),
				pool: id,
				amount: Zero::zero(),
				era: Self::active_era_index(),
			});
			return Ok(());
		}
		let remaining = active - value;
		let shares = if remaining.is_zero() {
			ledger.shares
		} else {
			to_shares(pool.active, pool.shares, value, Rounding::Up)
				.map_err(Error::<T>::from)?
				.min(ledger.shares)
		};
		if id == *who {
			// What the self-bond is worth after the shares leave (the shares are rounded up,
			// so it may be a unit less than `remaining`).
			let left = to_value(
				pool.active.saturating_sub(value),
				pool.shares.saturating_sub(shares),
				ledger.shares.saturating_sub(shares),
			);
			if left < T::MinValidatorBond::get() {
				ensure!(!Validators::<T>::contains_key(who), Error::<T>::InsufficientSelfBond);
				// Chilling ends candidacy at the next election; until the validator has left
				// the sets it was elected to, its stake keeps backing them.
				ensure!(!Self::is_elected(who), Error::<T>::StillElected);
			}
		}
		ensure!(
			remaining.is_zero() || remaining >= T::MinDelegatorBond::get(),
			Error::<T>::BelowMinimumBond
		);
		let era = Self::active_era_index().saturating_add(T::BondingDuration::get());
		let mut up = UnbondPools::<T>::get(&id, era).unwrap_or_default();
		let up_shares =
			to_shares(up.stake, up.shares, value, Rounding::Down).map_err(Error::<T>::from)?;
		match ledger.unbonding.last_mut() {
			Some(last) if last.pool == id && last.era == era => {
				last.shares.saturating_accrue(up_shares)
			}
			_ => ledger
				.unbonding
				.try_push(UnbondingChunk { pool: id.clone(), era, shares: up_shares })
				.map_err(|_| Error::<T>::TooManyUnlockingChunks)?,
		}
		up.stake.saturating_accrue(value);
		up.shares.saturating_accrue(up_shares);
		pool.active.saturating_reduce(value);
		pool.shares.saturating_reduce(shares);
		if id == *who {
			pool.owner_shares.saturating_reduce(shares);
		}
		ledger.shares.saturating_reduce(shares);
		Self::put_unbond_pool(&id, era, up);
		Self::put_pool(&id, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Unbonded { who: who.clone(), pool: id, amount: value, era });
		Ok(())
	}

	fn drop_worthless_shares(
		who: &T::AccountId,
		id: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		ledger: &mut StakerLedger<T>,
	) {
		pool.shares.saturating_reduce(ledger.shares);
		if id == who {
			pool.owner_shares.saturating_reduce(ledger.shares);
		}
		ledger.shares = Zero::zero();
		if pool.shares.is_zero() {
			// The slash remnant is backed by no one's hold once the last share is gone.
			pool.active = Zero::zero();
		}
	}

	pub(crate) fn do_rebond(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let id = ledger.pool.clone();
		let active_era = Self::active_era_index();
		let mut wanted = value;
		let mut rebonded = BalanceOf::<T>::zero();
		for chunk in ledger.unbonding.iter_mut().rev() {
			if wanted.is_zero() {
				break;
			}
			if chunk.pool != id || chunk.era <= active_era {
				continue;
			}
			let take = Self::take_from_chunk(chunk, wanted);
			rebonded.saturating_accrue(take);
			wanted.saturating_reduce(take);
		}
		ensure!(!rebonded.is_zero(), Error::<T>::NothingToRebond);
		ledger.unbonding.retain(|c| !c.shares.is_zero());
		let mut pool = Pools::<T>::get(&id).ok_or(Error::<T>::PoolDestroyed)?;
		Self::add_to_pool(who, &id, &mut pool, &mut ledger, rebonded)?;
		Self::put_pool(&id, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Rebonded { who: who.clone(), amount: rebonded });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(who: &T::AccountId) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let active_era = Self::active_era_index();
		let mut unlocked = BalanceOf::<T>::zero();
		let mut any = false;
		let mut frozen = false;
		// A chunk whose pool a pending slash reaches stays until the slash is decided.
		let mut withdrawable = |c: &UnbondingChunk<T::AccountId, BalanceOf<T>>| {
			let held_back = c.era <= active_era && T::PoolFreeze::is_frozen(&c.pool);
			frozen |= held_back;
			c.era <= active_era && !held_back
		};
		let (out, kept): (Vec<_>, Vec<_>) =
			core::mem::take(&mut ledger.unbonding).into_iter().partition(|c| withdrawable(c));
		ledger.unbonding = BoundedVec::truncate_from(kept);
		for chunk in out {
			let mut up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
			let worth = to_value(up.stake, up.shares, chunk.shares);
			up.stake.saturating_reduce(worth);
			up.shares.saturating_reduce(chunk.shares);
			Self::put_unbond_pool(&chunk.pool, chunk.era, up);
			unlocked.saturating_accrue(worth);
			any = true;
		}
		let empty = ledger.shares.is_zero()
			&& ledger.unbonding.is_empty()
			&& ledger.redelegations.is_empty();
		ensure!(any || empty || !frozen, Error::<T>::SlashPending);
		ensure!(any || empty, Error::<T>::NothingToWithdraw);
		// A ledger with nothing left releases all it holds, rounding dust included.
		let release = if empty { ledger.held } else { unlocked.min(ledger.held) };
		let released =
			T::Currency::release(&HoldReason::Staking.into(), who, release, Precision::BestEffort)?;
		ledger.held.saturating_reduce(released);
		Self::deposit_event(Event::Withdrawn { who: who.clone(), amount: released });
		if empty {
			Self::remove_ledger(who, ledger)?;
		} else {
			Self::put_ledger(who, ledger);
		}
		Ok(())
	}

	/// Drop an empty ledger, paying out its unclaimed rewards.
	fn remove_ledger(who: &T::AccountId, ledger: StakerLedger<T>) -> DispatchResult {
		if !ledger.pending_rewards.is_zero() {
			T::Currency::mint_into(who, ledger.pending_rewards)?;
			Self::deposit_event(Event::RewardsClaimed {
				who: who.clone(),
				amount: ledger.pending_rewards,
				destination: RewardDestination::Free,
			});
		}
		if let Some(mut pool) = Pools::<T>::get(&ledger.pool) {
			pool.members.saturating_dec();
			Self::put_pool(&ledger.pool, pool);
		}
		Ledgers::<T>::remove(who);
		Self::deposit_event(Event::StakerRemoved { who: who.clone() });
		Ok(())
	}

	pub(crate) fn do_validate(who: &T::AccountId, commission: Perbill) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		ensure!(ledger.pool == *who, Error::<T>::NotSelfBonded);
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		if let Some(until) = BlockedUntil::<T>::get(who) {
			// The next election plans `CurrentEra + 1`; the block lasts through era `until`.
			ensure!(
				until < CurrentEra::<T>::get().unwrap_or(0).saturating_add(1),
				Error::<T>::BlockedForOffence
			);
			BlockedUntil::<T>::remove(who);
		}
		Self::settle_ledger(who, &mut ledger)?;
		let mut pool = Pools::<T>::get(who).ok_or(Error::<T>::PoolDestroyed)?;
		ensure!(
			to_value(pool.active, pool.shares, pool.owner_shares) >= T::MinValidatorBond::get(),
			Error::<T>::InsufficientSelfBond
		);
		let era = Self::active_era_index();
		let last_increase_era = match pool.prefs {
			Some(prev) if commission > prev.commission => {
				ensure!(
					commission.saturating_sub(prev.commission)
						<= T::MaxCommissionIncreasePerEra::get()
						&& prev.last_increase_era < era,
					Error::<T>::CommissionIncreaseTooFast
				);
				era
			}
			Some(prev) => prev.last_increase_era,
			None => era,
		};
		if !Validators::<T>::contains_key(who) {
			ensure!(
				Validators::<T>::count() < T::MaxValidatorCandidates::get(),
				Error::<T>::TooManyCandidates
			);
		}
		let prefs = ValidatorPrefs { commission, last_increase_era };
		Validators::<T>::insert(who, prefs);
		pool.prefs = Some(prefs);
		Self::put_pool(who, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::ValidatorPrefsSet { validator: who.clone(), commission });
		Ok(())
	}

	pub(crate) fn do_chill(who: &T::AccountId) {
		if Validators::<T>::take(who).is_some() {
			Self::deposit_event(Event::Chilled { validator: who.clone() });
		}
	}

	pub(crate) fn do_redelegate(who: &T::AccountId, to: &T::AccountId) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		ensure!(ledger.pool != *who, Error::<T>::NotDelegator);
		ensure!(ledger.pool != *to, Error::<T>::SamePool);
		ensure!(Validators::<T>::contains_key(to), Error::<T>::NotValidator);
		// Stake a pending slash reaches stays in its pool until the slash is decided.
		ensure!(!T::PoolFreeze::is_frozen(&ledger.pool), Error::<T>::SlashPending);
		Self::settle_ledger(who, &mut ledger)?;
		let from = ledger.pool.clone();
		let mut from_pool = Pools::<T>::get(&from).ok_or(Error::<T>::PoolDestroyed)?;
		let value = to_value(from_pool.active, from_pool.shares, ledger.shares);
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);

		let era = Self::active_era_index().saturating_add(T::BondingDuration::get());
		let mut up = UnbondPools::<T>::get(&from, era).unwrap_or_default();
		let up_shares =
			to_shares(up.stake, up.shares, value, Rounding::Down).map_err(Error::<T>::from)?;
		match ledger.redelegations.iter_mut().find(|o| o.from == from && o.era == era) {
			Some(o) => {
				o.shares.saturating_accrue(up_shares);
				o.value.saturating_accrue(value);
			}
			None => ledger
				.redelegations
				.try_push(RedelegationObligation {
					from: from.clone(),
					era,
					shares: up_shares,
					value,
				})
				.map_err(|_| Error::<T>::TooManyRedelegations)?,
		}
		up.stake.saturating_accrue(value);
		up.shares.saturating_accrue(up_shares);
		from_pool.active.saturating_reduce(value);
		from_pool.shares.saturating_reduce(ledger.shares);
		from_pool.members.saturating_dec();
		Self::put_unbond_pool(&from, era, up);
		Self::put_pool(&from, from_pool);

		let mut to_pool = Pools::<T>::get(to).ok_or(Error::<T>::NotValidator)?;
		ledger.shares = Zero::zero();
		ledger.pool = to.clone();
		ledger.reward_snapshot = to_pool.reward_per_share;
		Self::add_to_pool(who, to, &mut to_pool, &mut ledger, value)?;
		to_pool.members.saturating_inc();
		Self::put_pool(to, to_pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Redelegated {
			who: who.clone(),
			from,
			to: to.clone(),
			amount: value,
			obligation_until: era,
		});
		Ok(())
	}

	pub(crate) fn do_claim_rewards(who: &T::AccountId) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let amount = ledger.pending_rewards;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		ledger.pending_rewards = Zero::zero();
		T::Currency::mint_into(who, amount)?;
		let mut destination = RewardDestination::Free;
		if ledger.reward_destination == RewardDestination::Stake && !ledger.shares.is_zero() {
			let id = ledger.pool.clone();
			let mut pool = Pools::<T>::get(&id).ok_or(Error::<T>::PoolDestroyed)?;
			// Too small to buy a share: it stays free.
			if Self::add_to_pool(who, &id, &mut pool, &mut ledger, amount).is_ok() {
				Self::hold(who, amount)?;
				ledger.held.saturating_accrue(amount);
				Self::put_pool(&id, pool);
				destination = RewardDestination::Stake;
			}
		}
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::RewardsClaimed { who: who.clone(), amount, destination });
		Ok(())
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

	/// Bring `ledger` up to date: book rewards owed by its pool, take losses of redelegation
	/// obligations from its position, and trim its hold to what its position is worth (burning
	/// the excess through `OnSlash`). O(chunks + obligations), independent of pool sizes.
	pub(crate) fn settle_ledger(
		who: &T::AccountId,
		ledger: &mut StakerLedger<T>,
	) -> DispatchResult {
		if let Some(pool) = Pools::<T>::get(&ledger.pool) {
			let owed = pool
				.reward_per_share
				.saturating_sub(ledger.reward_snapshot)
				.saturating_mul_int(ledger.shares);
			ledger.pending_rewards.saturating_accrue(owed);
			ledger.reward_snapshot = pool.reward_per_share;
		}

		let active_era = Self::active_era_index();
		let obligations = core::mem::take(&mut ledger.redelegations);
		let mut kept = Vec::with_capacity(obligations.len());
		for mut obligation in obligations {
			let mut up =
				UnbondPools::<T>::get(&obligation.from, obligation.era).unwrap_or_default();
			let worth = to_value(up.stake, up.shares, obligation.shares);
			if worth < obligation.value {
				Self::reduce_position(who, ledger, obligation.value - worth);
				obligation.value = worth;
			}
			if obligation.era <= active_era {
				up.stake.saturating_reduce(worth);
				up.shares.saturating_reduce(obligation.shares);
				Self::put_unbond_pool(&obligation.from, obligation.era, up);
			} else {
				kept.push(obligation);
			}
		}
		ledger.redelegations = BoundedVec::truncate_from(kept);

		let worth = Self::position_value(ledger);
		if ledger.held > worth {
			let excess = ledger.held - worth;
			let (credit, _) = T::Currency::slash(&HoldReason::Staking.into(), who, excess);
			let taken = credit.peek();
			T::OnSlash::on_unbalanced(credit);
			ledger.held.saturating_reduce(taken);
			Self::deposit_event(Event::SlashSettled { who: who.clone(), amount: taken });
		}
		Ok(())
	}

	/// What `ledger`'s active shares and unbonding chunks are worth.
	fn position_value(ledger: &StakerLedger<T>) -> BalanceOf<T> {
		let active = Pools::<T>::get(&ledger.pool)
			.map(|p| to_value(p.active, p.shares, ledger.shares))
			.unwrap_or_default();
		ledger.unbonding.iter().fold(active, |acc, chunk| {
			let up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
			acc.saturating_add(to_value(up.stake, up.shares, chunk.shares))
		})
	}

	/// Take `loss` of value out of `ledger`'s position: active shares first, then unbonding
	/// chunks, newest first. The hold is trimmed afterwards by settlement.
	fn reduce_position(who: &T::AccountId, ledger: &mut StakerLedger<T>, loss: BalanceOf<T>) {
		let mut loss = loss;
		if let Some(mut pool) = Pools::<T>::get(&ledger.pool) {
			let active = to_value(pool.active, pool.shares, ledger.shares);
			let take = active.min(loss);
			if !take.is_zero() {
				let shares = if take == active {
					ledger.shares
				} else {
					to_shares(pool.active, pool.shares, take, Rounding::Up)
						.unwrap_or(ledger.shares)
						.min(ledger.shares)
				};
				pool.active.saturating_reduce(take);
				pool.shares.saturating_reduce(shares);
				if ledger.pool == *who {
					pool.owner_shares.saturating_reduce(shares);
				}
				ledger.shares.saturating_reduce(shares);
				Self::put_pool(&ledger.pool, pool);
				loss.saturating_reduce(take);
			}
		}
		for chunk in ledger.unbonding.iter_mut().rev() {
			if loss.is_zero() {
				break;
			}
			loss.saturating_reduce(Self::take_from_chunk(chunk, loss));
		}
		ledger.unbonding.retain(|c| !c.shares.is_zero());
	}

	/// Take up to `wanted` of value out of an unbonding chunk (and its unbond pool); returns
	/// what was taken. The chunk may be left empty; callers drop empty chunks.
	fn take_from_chunk(
		chunk: &mut UnbondingChunk<T::AccountId, BalanceOf<T>>,
		wanted: BalanceOf<T>,
	) -> BalanceOf<T> {
		let mut up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
		let worth = to_value(up.stake, up.shares, chunk.shares);
		let take = worth.min(wanted);
		if take.is_zero() {
			return take;
		}
		let shares = if take == worth {
			chunk.shares
		} else {
			to_shares(up.stake, up.shares, take, Rounding::Up)
				.unwrap_or(chunk.shares)
				.min(chunk.shares)
		};
		up.stake.saturating_reduce(take);
		up.shares.saturating_reduce(shares);
		chunk.shares.saturating_reduce(shares);
		Self::put_unbond_pool(&chunk.pool, chunk.era, up);
		take
	}

	/// What `share` of `amount` is: exact, rounded up to at most one unit, and never more than
	/// [`MAX_SLASH_FRACTION`] of it (a slashed pool keeps a remnant, so its shares keep a price).
	fn share_of(share: PoolShare, amount: BalanceOf<T>) -> BalanceOf<T> {
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
			offence_era.saturating_add(T::BondingDuration::get()),
		)
	}

	/// Slash `share` of the pool of `validator`: its active stake and the unbonding stake (and
	/// redelegation obligations) unlocking at `first_unlock` or later that has not been
	/// withdrawn yet. O(BondingDuration): the eras looked at are at most `BondingDuration`
	/// before the active one and `BondingDuration` after it.
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
		let bonding = T::BondingDuration::get();
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

	/// The era `session` belonged to, if its offences can still be slashed.
	fn era_of_session(session: SessionIndex) -> Option<EraIndex> {
		let eras = BondedEras::<T>::get();
		if eras.is_empty() {
			// Before the first era started: offences belong to era 0.
			return Some(0);
		}
		eras.iter().rev().find(|(_, start)| *start <= session).map(|(era, _)| *era)
	}

	/// Add authorship points to validators of the active era.
	pub fn reward_by_ids(points: impl IntoIterator<Item = (T::AccountId, u32)>) {
		ActiveEraPoints::<T>::mutate(|era_points| {
			for (validator, p) in points {
				if let Some(current) = era_points.individual.get_mut(&validator) {
					current.saturating_accrue(p);
				} else if era_points.individual.try_insert(validator, p).is_err() {
					continue;
				}
				era_points.total.saturating_accrue(p);
			}
		});
	}

	/// The top candidates for `era` and the sum of their pools' active stake, or why there are
	/// too few.
	pub(crate) fn elect(
		era: EraIndex,
	) -> Result<
		(BoundedVec<ElectedValidator<T::AccountId>, T::MaxValidators>, BalanceOf<T>),
		ElectionSkipped,
	> {
		let min_bond = T::MinValidatorBond::get();
		let mut candidates: Vec<(BalanceOf<T>, ElectedValidator<T::AccountId>)> =
			Validators::<T>::iter()
				.filter_map(|(validator, prefs)| {
					if !T::ValidatorRegistration::is_registered(&validator)
						|| BlockedUntil::<T>::get(&validator).is_some_and(|until| until >= era)
					{
						return None;
					}
					let pool = Pools::<T>::get(&validator)?;
					(to_value(pool.active, pool.shares, pool.owner_shares) >= min_bond).then_some((
						pool.active,
						ElectedValidator {
							validator,
							commission: prefs.commission,
							pool_slashes: pool.slashes,
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
		let listed = |set: BoundedVec<ElectedValidator<T::AccountId>, T::MaxValidators>| {
			set.iter().any(|e| e.validator == *who)
		};
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

	fn new_session_inner(session: SessionIndex, genesis: bool) -> Option<Vec<T::AccountId>> {
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

	fn start_session_inner(session: SessionIndex) {
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
		while bonded.len() as u32 >= BondedErasBound::<T>::get() {
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

		for slash in UnappliedSlashes::<T>::take(era) {
			let amount =
				Self::apply_offence_slash(&slash.validator, slash.fraction, slash.offence_era);
			if let Some(id) = slash.record {
				T::SlashLog::applied(id, amount.saturated_into());
			}
		}
		T::EraHooks::on_era_start(era);
		Self::deposit_event(Event::EraStarted { era });
	}

	/// Checks every invariant of the pallet's storage.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::TryRuntimeError;
		let reason: T::RuntimeHoldReason = HoldReason::Staking.into();
		// pool id -> (shares, owner shares, members)
		let mut pools: BTreeMap<T::AccountId, (BalanceOf<T>, BalanceOf<T>, u32)> = BTreeMap::new();
		let mut unbond: BTreeMap<(T::AccountId, EraIndex), BalanceOf<T>> = BTreeMap::new();
		for (who, ledger) in Ledgers::<T>::iter() {
			if T::Currency::balance_on_hold(&reason, &who) != ledger.held {
				return Err(TryRuntimeError::Other("a hold differs from its ledger"));
			}
			let entry = pools.entry(ledger.pool.clone()).or_default();
			entry.0.saturating_accrue(ledger.shares);
			if ledger.pool == who {
				entry.1.saturating_accrue(ledger.shares);
			}
			entry.2.saturating_inc();
			for chunk in &ledger.unbonding {
				unbond
					.entry((chunk.pool.clone(), chunk.era))
					.or_default()
					.saturating_accrue(chunk.shares);
			}
			for o in &ledger.redelegations {
				unbond.entry((o.from.clone(), o.era)).or_default().saturating_accrue(o.shares);
			}
		}
		for (id, pool) in Pools::<T>::iter() {
			let (shares, owner, members) = pools.remove(&id).unwrap_or_default();
			if shares != pool.shares || owner != pool.owner_shares || members != pool.members {
				return Err(TryRuntimeError::Other("pool shares or members differ from ledgers"));
			}
			if pool.shares.is_zero() != pool.active.is_zero() {
				return Err(TryRuntimeError::Other(
					"a pool has stake without shares or vice versa",
				));
			}
		}
		if !pools.is_empty() {
			return Err(TryRuntimeError::Other("a ledger points at a missing pool"));
		}
		if PlannedStake::<T>::get().is_zero() != PlannedValidators::<T>::get().is_empty() {
			return Err(TryRuntimeError::Other("planned stake and planned set disagree"));
		}
		if ActiveStake::<T>::get().is_zero() != ActiveValidators::<T>::get().is_empty() {
			return Err(TryRuntimeError::Other("active stake and active set disagree"));
		}
		for (id, era, up) in UnbondPools::<T>::iter() {
			if unbond.remove(&(id, era)).unwrap_or_default() != up.shares {
				return Err(TryRuntimeError::Other("unbond pool shares differ from ledgers"));
			}
		}
		if unbond.values().any(|s| !s.is_zero()) {
			return Err(TryRuntimeError::Other("a chunk points at a missing unbond pool"));
		}
		let mut candidates = 0u32;
		for (validator, prefs) in Validators::<T>::iter() {
			candidates += 1;
			let self_bonded = Ledgers::<T>::get(&validator).is_some_and(|l| l.pool == validator);
			let pool = Pools::<T>::get(&validator);
			if !self_bonded || pool.and_then(|p| p.prefs) != Some(prefs) {
				return Err(TryRuntimeError::Other("a candidate without self-bond or prefs"));
			}
			if prefs.commission > T::MaxCommission::get() {
				return Err(TryRuntimeError::Other("a commission above the maximum"));
			}
		}
		if candidates != Validators::<T>::count() || candidates > T::MaxValidatorCandidates::get() {
			return Err(TryRuntimeError::Other("candidate counter is wrong"));
		}
		// An elected validator keeps what it was elected with until it has left both sets:
		// `unbond` refuses to take its self-bond below the minimum and `purge_keys` refuses to
		// remove its keys. Only a slash since the election lowers its stake.
		let min_bond = T::MinValidatorBond::get();
		for elected in PlannedValidators::<T>::get().into_iter().chain(ActiveValidators::<T>::get())
		{
			if !T::ValidatorRegistration::is_registered(&elected.validator) {
				return Err(TryRuntimeError::Other("an elected validator has no session keys"));
			}
			let Some(pool) = Pools::<T>::get(&elected.validator) else {
				return Err(TryRuntimeError::Other("an elected validator has no pool"));
			};
			let self_stake = to_value(pool.active, pool.shares, pool.owner_shares);
			if self_stake < min_bond && pool.slashes == elected.pool_slashes {
				return Err(TryRuntimeError::Other(
					"an elected validator's self-stake fell below the minimum without a slash",
				));
			}
		}
		let bonded = BondedEras::<T>::get();
		if bonded.windows(2).any(|w| w[0].0 >= w[1].0 || w[0].1 >= w[1].1) {
			return Err(TryRuntimeError::Other("bonded eras are not increasing"));
		}
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::new_session_inner(new_index, false)
	}
	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::new_session_inner(new_index, true)
	}
	fn start_session(start_index: SessionIndex) {
		Self::start_session_inner(start_index)
	}
	fn end_session(_: SessionIndex) {}
}

/// Historical sessions record the validator set of every session so GRANDPA equivocation
/// proofs can be checked; a validator is identified by its account alone.
impl<T: Config> pallet_session::historical::SessionManager<T::AccountId, ()> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session(new_index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(new_index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn start_session(start_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::start_session(start_index)
	}
	fn end_session(end_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::end_session(end_index)
	}
}

impl<T: Config> pallet_authorship::EventHandler<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn note_author(author: T::AccountId) {
		Self::reward_by_ids([(author, POINTS_PER_BLOCK)])
	}
}

impl<T: Config, FullIdentification>
	OnOffenceHandler<T::AccountId, (T::AccountId, FullIdentification), Weight> for Pallet<T>
{
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, FullIdentification)>],
		slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		let mut weight = T::DbWeight::get().reads(3);
		let Some(offence_era) = Self::era_of_session(session) else {
			log::warn!(target: LOG_TARGET, "offence in session {session} is too old to slash");
			return weight;
		};
		let active_era = Self::active_era_index();
		let defer = T::SlashDeferDuration::get();
		let apply_era = active_era.saturating_add(defer);
		let minimum = T::OffenceSlashFraction::get();
		for (details, reported) in offenders.iter().zip(slash_fraction) {
			let validator = &details.offender.0;
			weight.saturating_accrue(T::WeightInfo::report_offence());
			let fraction = (*reported).max(minimum);
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
			let room = defer > 0
				&& (UnappliedSlashes::<T>::decode_len(apply_era).unwrap_or(0) as u32)
					< T::MaxSlashesPerEra::get();
			weight.saturating_accrue(T::SlashLog::weight());
			let record = T::SlashLog::offence(
				validator,
				extra,
				offence_era,
				if room { apply_era } else { active_era },
			);
			let queued = room
				&& UnappliedSlashes::<T>::mutate(apply_era, |queue| {
					queue
						.try_push(UnappliedSlash {
							validator: validator.clone(),
							fraction: extra,
							offence_era,
							record,
						})
						.is_ok()
				});
			Self::deposit_event(Event::OffenceReported {
				validator: validator.clone(),
				offence_era,
				fraction,
				apply_era: if queued { apply_era } else { active_era },
			});
			if !queued {
				// No deferral configured, or the era's queue is full: slashing now is safer
				// than not at all.
				let amount = Self::apply_offence_slash(validator, extra, offence_era);
				if let Some(id) = record {
					T::SlashLog::applied(id, amount.saturated_into());
				}
				weight.saturating_accrue(T::WeightInfo::apply_slash());
			}
		}
		weight
	}
}

impl<T: Config> NativeStakeProvider<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn pool_stake(validator: &T::AccountId) -> Option<PoolStake<BalanceOf<T>>> {
		Pools::<T>::get(validator).map(|p| PoolStake {
			active: p.active,
			shares: p.shares,
			self_bond: to_value(p.active, p.shares, p.owner_shares),
		})
	}

	fn pool_member(who: &T::AccountId) -> Option<(T::AccountId, BalanceOf<T>)> {
		Ledgers::<T>::get(who).map(|l| {
			let value = Pools::<T>::get(&l.pool).map(|p| to_value(p.active, p.shares, l.shares));
			(l.pool, value.unwrap_or_default())
		})
	}

	fn is_validator_candidate(who: &T::AccountId) -> bool {
		Validators::<T>::contains_key(who)
	}

	fn active_era() -> EraIndex {
		Self::active_era_index()
	}

	fn slash_pool(
		validator: &T::AccountId,
		share: PoolShare,
		requested_in: EraIndex,
	) -> BalanceOf<T> {
		// Everything still locked in the request's era: unlocking after it.
		Self::apply_slash(validator, share, requested_in.saturating_add(1))
	}

	fn slash_pool_weight() -> Weight {
		T::WeightInfo::apply_slash()
	}

	fn reward_pool(validator: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		let Some(mut pool) = Pools::<T>::get(validator) else { return Zero::zero() };
		if pool.shares.is_zero() || amount.is_zero() {
			return Zero::zero();
		}
		let per_share = FixedU128::saturating_from_rational(amount, pool.shares);
		pool.reward_per_share = pool.reward_per_share.saturating_add(per_share);
		Pools::<T>::insert(validator, pool);
		Self::deposit_event(Event::PoolRewarded { validator: validator.clone(), amount });
		amount
	}
}

/// For the runtime's `BaseCallFilter`: refuses `Session::purge_keys` at any depth (batches,
/// proxies, multisigs), so that session keys are purged only through [`Pallet::purge_keys`],
/// which keeps an elected validator's keys until it has left the set. Everything else passes.
pub struct NoSessionKeyPurge<T>(core::marker::PhantomData<T>);

impl<T, Call> frame_support::traits::Contains<Call> for NoSessionKeyPurge<T>
where
	T: pallet_session::Config,
	Call: frame_support::traits::IsSubType<pallet_session::Call<T>>,
{
	fn contains(call: &Call) -> bool {
		!matches!(call.is_sub_type(), Some(pallet_session::Call::purge_keys {}))
	}
}
