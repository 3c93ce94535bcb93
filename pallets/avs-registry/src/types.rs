//! Records of the registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use kasane_primitives::{
	avs::{KeyType, OperatorKey, SlashingTerms},
	restaking::StrategyId,
	EraIndex,
};
use scale_info::TypeInfo;

/// A registered AVS.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxUri))]
pub struct Avs<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUri: Get<u32>,
> {
	pub owner: AccountId,
	/// Proposed by the owner; becomes the owner when it accepts.
	pub pending_owner: Option<AccountId>,
	/// Held from the owner while the AVS is registered.
	pub deposit: Balance,
	pub metadata_uri: BoundedVec<u8, MaxUri>,
	/// Operator sets created; the next one gets this index.
	pub sets: u32,
}

/// What an AVS declares when it creates an operator set.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxStrategies))]
pub struct OperatorSetConfig<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxStrategies: Get<u32>,
> {
	/// Accepted strategies, each with the least stake delegated to an operator in it for the
	/// operator to join.
	pub strategies: BoundedVec<(StrategyId, u128), MaxStrategies>,
	/// Most members at once.
	pub max_operators: u32,
	/// The scheme members sign AVS work with.
	pub key_type: KeyType,
	/// Only operators the AVS allowlisted may join.
	pub allowlist: bool,
	pub terms: SlashingTerms<AccountId, BlockNumber>,
}

/// An operator set.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxStrategies))]
pub struct OperatorSet<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + Copy + PartialEq + Eq + PartialOrd + core::fmt::Debug,
	MaxStrategies: Get<u32>,
> {
	pub config: OperatorSetConfig<AccountId, BlockNumber, MaxStrategies>,
	/// New terms and the block they take effect at.
	pub pending_terms: Option<(SlashingTerms<AccountId, BlockNumber>, BlockNumber)>,
	/// Operators registered now.
	pub members: u32,
	/// Operators that left and are still slashable (their records await `purge_departed`).
	pub departed: u32,
	/// Operators on the allowlist.
	pub allowlisted: u32,
	/// Reward budgets (one per asset).
	pub budgets: u32,
}

impl<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + Copy + PartialEq + Eq + PartialOrd + core::fmt::Debug,
		MaxStrategies: Get<u32>,
	> OperatorSet<AccountId, BlockNumber, MaxStrategies>
{
	/// The slashing terms in force at `now`.
	pub fn terms_at(&self, now: BlockNumber) -> &SlashingTerms<AccountId, BlockNumber> {
		match &self.pending_terms {
			Some((terms, at)) if *at <= now => terms,
			_ => &self.config.terms,
		}
	}

	/// Apply a terms change that has taken effect.
	pub fn mature(&mut self, now: BlockNumber) {
		if matches!(&self.pending_terms, Some((_, at)) if *at <= now) {
			if let Some((terms, _)) = self.pending_terms.take() {
				self.config.terms = terms;
			}
		}
	}

	/// The least stake to join in `strategy`, if the set accepts it.
	pub fn min_stake(&self, strategy: StrategyId) -> Option<u128> {
		self.config.strategies.iter().find(|(s, _)| *s == strategy).map(|(_, m)| *m)
	}
}

/// An operator's membership of a set.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Membership<BlockNumber> {
	/// The key it signs AVS work with.
	pub key: OperatorKey,
	pub joined_at: BlockNumber,
	/// Set when it left: the block until which the set can still slash it.
	pub slashable_until: Option<BlockNumber>,
}

/// A reward budget of one operator set in one asset, escrowed in the registry's account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Budget {
	/// Paid each era.
	pub per_era: u128,
	/// Not paid yet.
	pub remaining: u128,
	/// The last era it was paid for (the era it was funded in, to start with).
	pub last_paid_era: EraIndex,
}

/// How far this era's payouts have gone.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct PayoutProgress {
	/// The era being paid.
	pub era: EraIndex,
	/// The storage key of the last budget visited; `None`: start from the first.
	pub last_key: Option<BoundedVec<u8, ConstU32<128>>>,
	/// Every budget was visited for `era`.
	pub done: bool,
}
