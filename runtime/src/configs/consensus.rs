//! Block production (Aura), finality (GRANDPA), sessions and the offence pipeline.
//!
//! pallet-session rotates the Aura and GRANDPA authority sets every [`SessionPeriod`] blocks
//! from the validator set its `SessionManager` returns. Session historical keeps a root of
//! every session's validator set so that a GRANDPA equivocation proof can be checked against
//! the set that was active when it happened; proven equivocations become offences in
//! pallet-offences, whose handler slashes the offender (wired by native staking).

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use pallet_session::historical as session_historical;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};
use sp_staking::SessionIndex;

use crate::{
	currency::UNIT, AccountId, Aura, Balance, Balances, BlockNumber, Historical, Offences, Runtime,
	RuntimeCall, RuntimeEvent, Session, SessionKeys, UncheckedExtrinsic, MINUTES,
};

/// Length of a session in blocks: 10 minutes.
pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;

/// Upper bound on the authority set size, shared by Aura, GRANDPA and session.
pub const MAX_AUTHORITIES: u32 = 100;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	// Validators disabled for an offence stop authoring until the next set change.
	type DisabledValidators = Session;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// How long an equivocation report stays valid in the transaction pool: one session.
	pub const ReportLongevity: u64 = SESSION_PERIOD as u64;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	// Restaked backing is not visible to GRANDPA; each authority counts as one.
	type MaxNominators = ConstU32<0>;
	// Keep the set-id → session mapping for as long as reports can refer to it (28 days of
	// 10-minute sessions).
	type MaxSetIdSessionEntries = ConstU64<4032>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = ();
}

parameter_types! {
	pub const SessionPeriod: BlockNumber = SESSION_PERIOD;
	pub const SessionOffset: BlockNumber = 0;
	/// Held while an account has session keys registered, against key-storage spam.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = session_historical::NoteHistoricalRoot<Self, GenesisValidators>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// At most a third of the set can be disabled at once (the BFT threshold).
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Until native staking provides exposures, a validator is identified by its account alone.
	type FullIdentification = ();
	type FullIdentificationOf = UnitIdentification;
}

/// Identifies every validator with `()`: the identification carries no stake data yet.
pub struct UnitIdentification;
impl sp_runtime::traits::Convert<AccountId, Option<()>> for UnitIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

/// Session manager that keeps the genesis validator set.
///
/// At genesis it returns the accounts given session keys in the chain spec, so the historical
/// pallet records a validator-set root for sessions 0 and 1 (equivocation proofs need it);
/// afterwards it reports "no change" and the historical pallet carries the root forward.
/// Native staking replaces it with an election from bonded stake.
pub struct GenesisValidators;

impl pallet_session::SessionManager<AccountId> for GenesisValidators {
	fn new_session(_: SessionIndex) -> Option<Vec<AccountId>> {
		None
	}
	fn new_session_genesis(_: SessionIndex) -> Option<Vec<AccountId>> {
		// Genesis is the only time this runs, over the chain spec's bounded key list.
		let mut validators: Vec<AccountId> =
			pallet_session::NextKeys::<Runtime>::iter_keys().collect();
		validators.sort();
		Some(validators)
	}
	fn end_session(_: SessionIndex) {}
	fn start_session(_: SessionIndex) {}
}

impl session_historical::SessionManager<AccountId, ()> for GenesisValidators {
	fn new_session(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session(index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn new_session_genesis(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn start_session(_: SessionIndex) {}
	fn end_session(_: SessionIndex) {}
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = session_historical::IdentificationTuple<Self>;
	// Offences are recorded (and deduplicated) here; native staking installs the handler that
	// slashes and chills the offender.
	type OnOffenceHandler = ();
}

/// Lets pallets (GRANDPA's equivocation reporter) build unsigned transactions.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
