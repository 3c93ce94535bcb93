//! Native staking: bonded KSN elects the validator set (pallet-native-staking).
//!
//! Economics, all in one place:
//! - **Eras**: 6 sessions of 10 minutes (one hour) unless the chain spec's genesis shortens
//!   them (the `development` and `local_testnet` presets do, so eras pass in minutes).
//! - **Unbonding**: 169 eras: a week and an era, at least a restaked LST withdrawal (the
//!   restaking withdrawal delay), so natively restaked stake cannot leave an AVS's reach
//!   faster, and less than the allocation delay less one completion step, so a delegator who
//!   leaves when its validator announces new exposure is out before it applies. Both bounds
//!   follow the chain's delays (`pallet-chain-parameters`) and are checked against the era
//!   clock at genesis. While an AVS slash of a pool is pending, its unbonded stake is not
//!   withdrawn and its delegators do not redelegate. Consensus slashes wait 12 eras for
//!   governance to cancel them. A genesis may shorten all of these (the devnet presets do).
//! - **Inflation**: 8% a year on the active stake, paid per era by block-authorship points;
//!   an era longer than 2 hours (a stalled chain) is paid as 2 hours.
//! - **Validators**: at most 100 elected from at most 1 000 candidates; a candidate needs
//!   10 000 KSN of its own; commission at most 50%, raised by at most 1 point per era.
//! - **Offences**: a GRANDPA equivocation costs the offender's pool at least 10%.

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::consensus::{SessionOffset, MAX_AUTHORITIES, SESSION_PERIOD};
use crate::{
	currency::UNIT, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, Session,
	Timestamp, HOURS,
};

parameter_types! {
	pub const DefaultSessionsPerEra: u32 = 6;
	pub const DefaultSessionLength: BlockNumber = SESSION_PERIOD;
	pub const BondingDuration: u32 = 169;
	pub const SlashDeferDuration: u32 = 12;
	pub const MinValidatorBond: Balance = 10_000 * UNIT;
	pub const MinDelegatorBond: Balance = 10 * UNIT;
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	pub const MaxCommissionIncreasePerEra: Perbill = Perbill::from_percent(1);
	pub const YearlyInflation: Perbill = Perbill::from_percent(8);
	pub const MaxRewardedEraDuration: u64 = 2 * HOURS as u64 * crate::MILLISECS_PER_BLOCK;
	pub const OffenceSlashFraction: Perbill = Perbill::from_percent(10);
}

impl pallet_native_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	// Slashed KSN is burned.
	type OnSlash = ();
	type ValidatorRegistration = Session;
	type SessionInterface = Session;
	type SessionRotation = pallet_native_staking::PeriodicRotation<Runtime, SessionOffset>;
	// Restaking, slashing and the AVS registry hook in here as they land.
	type EraHooks = ();
	type SlashLog = crate::Slashing;
	type PoolFreeze = crate::Restaking;
	type MinUnbondingBlocks = pallet_chain_parameters::WithdrawalDelay<Runtime>;
	type MaxUnbondingBlocks = pallet_chain_parameters::LongestExit<Runtime>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type DefaultSessionsPerEra = DefaultSessionsPerEra;
	type DefaultSessionLength = DefaultSessionLength;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type MinValidators = ConstU32<1>;
	type MaxValidatorCandidates = ConstU32<1_000>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MinValidatorBond = MinValidatorBond;
	type MinDelegatorBond = MinDelegatorBond;
	type MaxCommission = MaxCommission;
	type MaxCommissionIncreasePerEra = MaxCommissionIncreasePerEra;
	type YearlyInflation = YearlyInflation;
	type MaxRewardedEraDuration = MaxRewardedEraDuration;
	type OffenceSlashFraction = OffenceSlashFraction;
	type MaxSlashesPerEra = ConstU32<{ MAX_AUTHORITIES }>;
	// A full era's queue over 20 blocks (the devnet's eras are 20 blocks long), at most five
	// slashes' work in any block.
	type MaxSlashesAppliedPerBlock = ConstU32<5>;
	type WeightInfo = pallet_native_staking::weights::SubstrateWeight<Runtime>;
}
