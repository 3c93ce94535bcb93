//! The native-staking interface other pallets build on.
//!
//! Native staking keeps one *pool* per validator: the validator's self-bond plus every
//! delegation to it, accounted in shares. Restaking treats a validator-operator's pool as its
//! `Native` strategy stake and slashing executes AVS slashes on it, both through
//! [`NativeStakeProvider`], so neither depends on the staking pallet's crate.

use sp_runtime::Perbill;

use crate::EraIndex;

/// A validator pool's stake as seen from outside native staking.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStake<Balance> {
	/// Active (bonded, not unbonding) stake backing the pool.
	pub active: Balance,
	/// Shares outstanding against `active`; one share was worth one unit before any slash.
	pub shares: Balance,
	/// The part of `active` that is the validator's own bond.
	pub self_bond: Balance,
}

/// Read and slash native validator pools.
pub trait NativeStakeProvider<AccountId, Balance> {
	/// The pool of `validator`, if it has one.
	fn pool_stake(validator: &AccountId) -> Option<PoolStake<Balance>>;

	/// The validator whose pool `who`'s native stake is in, and what that stake is worth now.
	fn pool_member(_who: &AccountId) -> Option<(AccountId, Balance)> {
		None
	}

	/// Whether `who` is currently a validator candidate (has called `validate` and not chilled).
	fn is_validator_candidate(who: &AccountId) -> bool;

	/// The era now in force.
	fn active_era() -> EraIndex;

	/// Slash `fraction` of the pool of `validator` now: its active stake and every unbonding
	/// chunk that is still locked. O(bonding duration), independent of the number of
	/// delegators. Returns the amount taken from the pool (burned lazily from each member's
	/// hold when that member's ledger is next settled).
	fn slash_pool(validator: &AccountId, fraction: Perbill) -> Balance;

	/// Credit `amount` of native tokens to the members of `validator`'s pool, pro rata to their
	/// shares, paid (minted) when each member claims; the caller has taken the amount out of
	/// circulation. Returns what was credited: nothing when the pool has no shares.
	fn reward_pool(validator: &AccountId, amount: Balance) -> Balance;
}

/// Called when an era becomes active (its validator set is in force).
pub trait OnEraStart {
	fn on_era_start(era: EraIndex);
}

/// Called when an era ends, after its rewards were distributed.
pub trait OnEraEnd {
	fn on_era_end(era: EraIndex);
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnEraStart for Tuple {
	fn on_era_start(era: EraIndex) {
		for_tuples!( #( Tuple::on_era_start(era); )* );
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnEraEnd for Tuple {
	fn on_era_end(era: EraIndex) {
		for_tuples!( #( Tuple::on_era_end(era); )* );
	}
}
