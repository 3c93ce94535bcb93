//! The native-staking interface other pallets build on.
//!
//! Native staking keeps one *pool* per validator: the validator's self-bond plus every
//! delegation to it, accounted in shares. Restaking treats a validator-operator's pool as its
//! `Native` strategy stake and slashing executes AVS slashes on it, both through
//! [`NativeStakeProvider`], so neither depends on the staking pallet's crate.

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

/// A share of a pool to slash, exactly: `parts / whole` (restaking's magnitudes are fractions of
/// 10¹⁸, far finer than a `Perbill`). A share above one is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolShare {
	pub parts: u128,
	pub whole: u128,
}

impl PoolShare {
	pub const fn new(parts: u128, whole: u128) -> Self {
		Self { parts, whole }
	}

	/// `Perbill` parts of a billion.
	pub fn from_perbill(p: sp_runtime::Perbill) -> Self {
		use sp_runtime::PerThing;
		Self { parts: p.deconstruct() as u128, whole: sp_runtime::Perbill::ACCURACY as u128 }
	}
}

/// Whether a pending slash reaches a validator's pool: while it does, stake that was in the
/// pool when the slash was requested (unbonding chunks, a delegator's stake) may not leave.
pub trait PoolFreeze<AccountId> {
	fn is_frozen(validator: &AccountId) -> bool;
}

impl<AccountId> PoolFreeze<AccountId> for () {
	fn is_frozen(_: &AccountId) -> bool {
		false
	}
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

	/// Slash `share` of the pool of `validator` now: its active stake and every unbonding chunk
	/// and redelegation obligation that was still locked in era `requested_in` (unlocking
	/// after it), whether or not it has unlocked since, as long as it was not withdrawn (a
	/// pending slash keeps it from being withdrawn): what was slashable when the slash was
	/// requested. The amount is exact, rounded up to at most one unit. O(bonding
	/// duration), independent of the number of delegators. Returns the amount taken from the
	/// pool (burned lazily from each member's hold when that member's ledger is next settled).
	fn slash_pool(validator: &AccountId, share: PoolShare, requested_in: EraIndex) -> Balance;

	/// The most [`Self::slash_pool`] weighs.
	fn slash_pool_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}

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
