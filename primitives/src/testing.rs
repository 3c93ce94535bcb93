//! Test doubles for the pallets' mock runtimes (std only, never in a runtime).

use alloc::collections::btree_map::BTreeMap;
use core::{cell::RefCell, marker::PhantomData};
use sp_core::Get;

use crate::{
	staking::{NativeStakeProvider, PoolShare, PoolStake},
	EraIndex,
};

std::thread_local! {
	static POOLS: RefCell<BTreeMap<u64, PoolStake<u128>>> = const { RefCell::new(BTreeMap::new()) };
	static POOL_REWARDS: RefCell<BTreeMap<u64, u128>> = const { RefCell::new(BTreeMap::new()) };
	static POOL_MEMBERS: RefCell<BTreeMap<u64, (u64, u128)>> = const { RefCell::new(BTreeMap::new()) };
	static SLASHED_SINCE: RefCell<alloc::vec::Vec<(u64, EraIndex)>> = const { RefCell::new(alloc::vec::Vec::new()) };
}

/// Native staking reduced to validator pools the tests set (accounts are `u64`), in the era
/// `Era` reports. State is per test thread; [`Self::clear`] resets it.
pub struct MockNativeStake<Era>(PhantomData<Era>);

impl<Era> MockNativeStake<Era> {
	/// Forget every pool, member and reward.
	pub fn clear() {
		POOLS.with(|p| p.borrow_mut().clear());
		POOL_REWARDS.with(|p| p.borrow_mut().clear());
		POOL_MEMBERS.with(|p| p.borrow_mut().clear());
		SLASHED_SINCE.with(|s| s.borrow_mut().clear());
	}

	/// Every pool slash so far: the validator and the era its stake was reached from.
	pub fn slashes() -> alloc::vec::Vec<(u64, EraIndex)> {
		SLASHED_SINCE.with(|s| s.borrow().clone())
	}

	/// `validator`'s pool holds `active` (all of it the validator's own).
	pub fn set_pool(validator: u64, active: u128) {
		POOLS.with(|p| {
			p.borrow_mut()
				.insert(validator, PoolStake { active, shares: active, self_bond: active })
		});
	}

	/// `who` adds `stake` to `validator`'s pool.
	pub fn add_member(who: u64, validator: u64, stake: u128) {
		POOL_MEMBERS.with(|m| m.borrow_mut().insert(who, (validator, stake)));
		POOLS.with(|p| {
			let mut pools = p.borrow_mut();
			let pool = pools.entry(validator).or_default();
			pool.active += stake;
			pool.shares += stake;
		});
	}

	/// KSN credited to `validator`'s pool members through `reward_pool`.
	pub fn pool_rewards(validator: u64) -> u128 {
		POOL_REWARDS.with(|r| r.borrow().get(&validator).copied().unwrap_or(0))
	}
}

impl<Era: Get<EraIndex>> NativeStakeProvider<u64, u128> for MockNativeStake<Era> {
	fn pool_stake(validator: &u64) -> Option<PoolStake<u128>> {
		POOLS.with(|p| p.borrow().get(validator).copied())
	}

	fn pool_member(who: &u64) -> Option<(u64, u128)> {
		let (pool, stake) = POOL_MEMBERS.with(|m| m.borrow().get(who).copied())?;
		// A member's stake falls with its pool.
		let p = Self::pool_stake(&pool)?;
		Some((pool, stake * p.active / p.shares.max(1)))
	}

	fn is_validator_candidate(who: &u64) -> bool {
		POOLS.with(|p| p.borrow().contains_key(who))
	}

	fn active_era() -> EraIndex {
		Era::get()
	}

	fn reward_pool(validator: &u64, amount: u128) -> u128 {
		if Self::pool_stake(validator).is_none() {
			return 0;
		}
		POOL_REWARDS.with(|r| *r.borrow_mut().entry(*validator).or_default() += amount);
		amount
	}

	fn slash_pool(validator: &u64, share: PoolShare, since: EraIndex) -> u128 {
		SLASHED_SINCE.with(|s| s.borrow_mut().push((*validator, since)));
		POOLS.with(|p| {
			let mut pools = p.borrow_mut();
			let Some(pool) = pools.get_mut(validator) else { return 0 };
			let amount = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
				pool.active,
				share.parts.min(share.whole),
				share.whole,
				sp_runtime::Rounding::Up,
			)
			.unwrap_or(pool.active)
			.min(pool.active);
			pool.active -= amount;
			amount
		})
	}
}
