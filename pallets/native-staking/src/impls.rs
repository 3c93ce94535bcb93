//! The traits native staking implements: session management, authorship, offences, and the
//! native stake other Kasane pallets read and slash.

use super::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	staking::{NativeStakeProvider, PoolShare, PoolStake},
	EraIndex,
};
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill,
};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex,
};

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
		Self::report_offences(
			offenders.iter().map(|d| &d.offender.0).zip(slash_fraction.iter().copied()),
			session,
		)
	}
}

impl<T: Config> NativeStakeProvider<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn pool_stake(validator: &T::AccountId) -> Option<PoolStake<BalanceOf<T>>> {
		Pools::<T>::get(validator).map(|p| PoolStake {
			active: p.active,
			shares: p.shares,
			self_bond: p.value_of(p.owner_shares),
		})
	}

	fn pool_member(who: &T::AccountId) -> Option<(T::AccountId, BalanceOf<T>)> {
		Ledgers::<T>::get(who).map(|l| {
			let value = Pools::<T>::get(&l.pool).map(|p| p.value_of(l.shares));
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
