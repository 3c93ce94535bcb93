//! Stakers' ledgers and the pools behind them: every ledger, pool and unbond-pool write goes
//! through here (bond, delegate, unbond, rebond, withdraw, redelegate), and the lazy
//! settlement that brings a ledger up to its pool's slashes.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{hold::Balanced as _, Mutate, MutateHold},
		tokens::{imbalance::Imbalance as _, Precision},
		DefensiveSaturating, OnUnbalanced,
	},
};
use kasane_primitives::EraIndex;
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber,
};

impl<T: Config> Pallet<T> {
	/// Worst-case extra weight of settling a ledger with full unbonding and redelegation
	/// queues, declared by every call that settles (the calls' own benchmarks settle an empty
	/// ledger); the unused part is refunded.
	pub fn settle_weight() -> Weight {
		Self::settle_extra(T::MaxUnlockingChunks::get())
	}

	/// Withdrawing `chunks` unbonding chunks: the benchmark's all left one pool, while a staker
	/// that redelegated has chunks of several, each of whose two freeze flags (a due native
	/// slash, a pending restaked one) is read once.
	pub fn withdraw_unbonded_weight(chunks: u32) -> Weight {
		T::WeightInfo::withdraw_unbonded(chunks)
			.saturating_add(T::DbWeight::get().reads(2 * u64::from(chunks.saturating_sub(1))))
	}

	/// Extra weight of settling `items` queue entries over settling an empty ledger, each
	/// matured obligation also reading its old pool's two freeze flags (the benchmark's
	/// obligations alternate between two pools; a staker's may each name another).
	pub fn settle_extra(items: u32) -> Weight {
		Self::settle_call_weight(items).saturating_sub(T::WeightInfo::settle(0))
	}

	/// [`Call::settle`] of a ledger with `items` queue entries: the benchmark, and each
	/// matured obligation's two freeze flags.
	pub fn settle_call_weight(items: u32) -> Weight {
		T::WeightInfo::settle(items).saturating_add(T::DbWeight::get().reads(2 * u64::from(items)))
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
			.and_then(|l| Pools::<T>::get(&l.pool).map(|p| p.value_of(l.shares)))
			.unwrap_or_default()
	}

	pub(crate) fn hold(who: &T::AccountId, value: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&HoldReason::Staking.into(), who, value)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	pub(crate) fn put_ledger(who: &T::AccountId, ledger: StakerLedger<T>) {
		Ledgers::<T>::insert(who, ledger);
	}

	pub(crate) fn put_pool(id: &T::AccountId, pool: Pool<BalanceOf<T>>) {
		if pool.members == 0 && pool.shares.is_zero() {
			Pools::<T>::remove(id);
		} else {
			Pools::<T>::insert(id, pool);
		}
	}

	pub(crate) fn put_unbond_pool(id: &T::AccountId, era: EraIndex, up: UnbondPool<BalanceOf<T>>) {
		if up.shares.is_zero() {
			UnbondPools::<T>::remove(id, era);
		} else {
			UnbondPools::<T>::insert(id, era, up);
		}
	}

	/// Put `value` of `who`'s newly held funds into pool `id` as `ledger`'s active shares.
	pub(crate) fn add_to_pool(
		who: &T::AccountId,
		id: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		ledger: &mut StakerLedger<T>,
		value: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);
		let shares = match pool.issue(value) {
			// Too little to buy a share.
			Err(ShareError::Unrepresentable) if !pool.shares.is_zero() && value < pool.active => {
				return Err(Error::<T>::ZeroAmount.into())
			}
			other => other.map_err(ShareError::into_error::<T>)?,
		};
		if who == id {
			pool.owner_shares.saturating_accrue(shares);
		}
		ledger.shares.saturating_accrue(shares);
		Ok(())
	}

	pub(crate) fn new_ledger(pool_id: &T::AccountId, pool: &Pool<BalanceOf<T>>) -> StakerLedger<T> {
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
	pub(crate) fn join_pool(
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
		let active = pool.value_of(ledger.shares);
		let value = value.min(active);
		if value.is_zero() {
			ensure!(active.is_zero() && !ledger.shares.is_zero(), Error::<T>::ZeroAmount);
			if id == *who {
				// Worthless, the self-bond still keeps the pool (and the validator's ledger)
				// that the sets it was elected to point at.
				Self::ensure_self_bond_may_fall(who)?;
			}
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
		let shares =
			pool.shares_to_take(ledger.shares, value).map_err(ShareError::into_error::<T>)?;
		if id == *who {
			// What the self-bond is worth after the shares leave (the shares are rounded up,
			// so it may be a unit less than `remaining`).
			let mut after = pool.clone();
			after.remove(value, shares);
			let left = after.value_of(ledger.shares.saturating_sub(shares));
			if left < T::MinValidatorBond::get() {
				Self::ensure_self_bond_may_fall(who)?;
			}
		}
		ensure!(
			remaining.is_zero() || remaining >= T::MinDelegatorBond::get(),
			Error::<T>::BelowMinimumBond
		);
		let era = Self::active_era_index().saturating_add(BondingEras::<T>::get());
		let mut up = UnbondPools::<T>::get(&id, era).unwrap_or_default();
		let up_shares = up.issue_saturating(value).map_err(ShareError::into_error::<T>)?;
		match ledger.unbonding.last_mut() {
			Some(last) if last.pool == id && last.era == era => {
				last.shares.saturating_accrue(up_shares)
			}
			_ => ledger
				.unbonding
				.try_push(UnbondingChunk { pool: id.clone(), era, shares: up_shares })
				.map_err(|_| Error::<T>::TooManyUnlockingChunks)?,
		}
		pool.remove(value, shares);
		if id == *who {
			pool.owner_shares.defensive_saturating_reduce(shares);
		}
		ledger.shares.defensive_saturating_reduce(shares);
		Self::put_unbond_pool(&id, era, up);
		Self::put_pool(&id, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::Unbonded { who: who.clone(), pool: id, amount: value, era });
		Ok(())
	}

	/// Whether a validator's self-bond may fall below the minimum: not while it is a
	/// candidate, and not until it has left the sets it was elected to (chilling ends
	/// candidacy at the next election; until then its stake keeps backing them).
	fn ensure_self_bond_may_fall(who: &T::AccountId) -> DispatchResult {
		ensure!(!Validators::<T>::contains_key(who), Error::<T>::InsufficientSelfBond);
		ensure!(!Self::is_elected(who), Error::<T>::StillElected);
		Ok(())
	}

	pub(crate) fn drop_worthless_shares(
		who: &T::AccountId,
		id: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		ledger: &mut StakerLedger<T>,
	) {
		pool.shares.defensive_saturating_reduce(ledger.shares);
		if id == who {
			pool.owner_shares.defensive_saturating_reduce(ledger.shares);
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
		// A matured obligation outlives settling only while a slash of its pool is due or
		// pending: what pays for it stays until the slash is decided.
		let owes_frozen_pool = ledger.redelegations.iter().any(|o| o.era <= active_era);
		let mut frozen = owes_frozen_pool;
		// A chunk whose pool a pending slash reaches stays until the slash is decided.
		let mut withdrawable = |c: &UnbondingChunk<T::AccountId, BalanceOf<T>>| {
			let held_back =
				c.era <= active_era && (owes_frozen_pool || Self::is_pool_frozen(&c.pool));
			frozen |= held_back;
			c.era <= active_era && !held_back
		};
		let (out, kept): (Vec<_>, Vec<_>) =
			core::mem::take(&mut ledger.unbonding).into_iter().partition(|c| withdrawable(c));
		ledger.unbonding = BoundedVec::truncate_from(kept);
		for chunk in out {
			let mut up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
			let worth = up.redeem(chunk.shares);
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
		ledger.held.defensive_saturating_reduce(released);
		Self::deposit_event(Event::Withdrawn { who: who.clone(), amount: released });
		if empty {
			Self::remove_ledger(who, ledger)?;
		} else {
			Self::put_ledger(who, ledger);
		}
		Ok(())
	}

	/// Drop an empty ledger, paying out its unclaimed rewards.
	pub(crate) fn remove_ledger(who: &T::AccountId, ledger: StakerLedger<T>) -> DispatchResult {
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

	pub(crate) fn do_redelegate(who: &T::AccountId, to: &T::AccountId) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		ensure!(ledger.pool != *who, Error::<T>::NotDelegator);
		ensure!(ledger.pool != *to, Error::<T>::SamePool);
		ensure!(Validators::<T>::contains_key(to), Error::<T>::NotValidator);
		// Stake a pending slash reaches stays in its pool until the slash is decided.
		ensure!(!Self::is_pool_frozen(&ledger.pool), Error::<T>::SlashPending);
		Self::settle_ledger(who, &mut ledger)?;
		let from = ledger.pool.clone();
		let mut from_pool = Pools::<T>::get(&from).ok_or(Error::<T>::PoolDestroyed)?;
		let value = from_pool.value_of(ledger.shares);
		ensure!(!value.is_zero(), Error::<T>::ZeroAmount);

		let era = Self::active_era_index().saturating_add(BondingEras::<T>::get());
		let mut up = UnbondPools::<T>::get(&from, era).unwrap_or_default();
		let up_shares = up.issue_saturating(value).map_err(ShareError::into_error::<T>)?;
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
		from_pool.remove(value, ledger.shares);
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
			let worth = up.value_of(obligation.shares);
			if worth < obligation.value {
				Self::reduce_position(who, ledger, obligation.value - worth);
				obligation.value = worth;
			}
			// Released once it has matured, unless a slash still due or pending reaches it.
			if obligation.era <= active_era && !Self::is_pool_frozen(&obligation.from) {
				up.remove(worth, obligation.shares);
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
			ledger.held.defensive_saturating_reduce(taken);
			Self::deposit_event(Event::SlashSettled { who: who.clone(), amount: taken });
		}
		Ok(())
	}

	/// What `ledger`'s active shares and unbonding chunks are worth.
	pub(crate) fn position_value(ledger: &StakerLedger<T>) -> BalanceOf<T> {
		let active =
			Pools::<T>::get(&ledger.pool).map(|p| p.value_of(ledger.shares)).unwrap_or_default();
		ledger.unbonding.iter().fold(active, |acc, chunk| {
			let up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
			acc.saturating_add(up.value_of(chunk.shares))
		})
	}

	/// Take `loss` of value out of `ledger`'s position: active shares first, then unbonding
	/// chunks, newest first. The hold is trimmed afterwards by settlement.
	pub(crate) fn reduce_position(
		who: &T::AccountId,
		ledger: &mut StakerLedger<T>,
		loss: BalanceOf<T>,
	) {
		let mut loss = loss;
		if let Some(mut pool) = Pools::<T>::get(&ledger.pool) {
			let (taken, shares) = pool.take(ledger.shares, loss);
			if !taken.is_zero() {
				if ledger.pool == *who {
					pool.owner_shares.defensive_saturating_reduce(shares);
				}
				ledger.shares.defensive_saturating_reduce(shares);
				Self::put_pool(&ledger.pool, pool);
				loss.saturating_reduce(taken);
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
	pub(crate) fn take_from_chunk(
		chunk: &mut UnbondingChunk<T::AccountId, BalanceOf<T>>,
		wanted: BalanceOf<T>,
	) -> BalanceOf<T> {
		let mut up = UnbondPools::<T>::get(&chunk.pool, chunk.era).unwrap_or_default();
		let (taken, shares) = up.take(chunk.shares, wanted);
		if !taken.is_zero() {
			chunk.shares.defensive_saturating_reduce(shares);
			Self::put_unbond_pool(&chunk.pool, chunk.era, up);
		}
		taken
	}
}
