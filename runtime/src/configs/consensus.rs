//! Block production (Aura), finality (GRANDPA), sessions and the offence pipeline.
//!
//! pallet-session rotates the Aura and GRANDPA authority sets every session (native staking's
//! `SessionLength`, fixed at genesis) from the validator set native staking elects each era;
//! native staking starts each rotation from its own hook, which charges the rotation's
//! benchmarked weight instead of the whole block pallet-session's hook would.
//! Session historical keeps a root of every session's validator set so that a GRANDPA
//! equivocation proof can be checked against the set that was active when it happened; the
//! node's GRANDPA voter submits such proofs as unsigned `report_equivocation_unsigned`
//! transactions, and proven equivocations become offences in pallet-offences, whose handler
//! (native staking) chills the offender and slashes its pool.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use pallet_session::historical as session_historical;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use crate::{
	currency::UNIT, AccountId, Aura, Balance, Balances, BlockNumber, Historical, Offences, Runtime,
	RuntimeCall, RuntimeEvent, Session, SessionKeys, Staking, UncheckedExtrinsic, MINUTES,
};

/// Default length of a session in blocks: 10 minutes.
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
	// Upstream's hand-made estimate, as Polkadot's runtime uses: pallet-grandpa has no
	// benchmark of `report_equivocation`. It prices storage at RocksDB's figures, above this
	// runtime's ParityDB ones, and counts at least 100 validators.
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
	// Block authors earn era points, the key to inflation rewards.
	type EventHandler = Staking;
}

/// Sessions rotate every `SessionLength` blocks (native staking's era clock).
pub type SessionPeriod = pallet_native_staking::SessionLengthOf<Runtime>;

parameter_types! {
	pub const SessionOffset: BlockNumber = 0;
	/// Held while an account has session keys registered, against key-storage spam.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	// Native staking ends sessions and charges each rotation its benchmarked weight;
	// pallet-session's own hook would charge a whole block for one.
	type ShouldEndSession = pallet_native_staking::RotatedByStaking;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = session_historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// At most a third of the set can be disabled at once (the BFT threshold).
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	// Measured here (`session_benchmarking`: upstream's benchmarks need pallet-staking), with
	// this runtime's two keys and their ownership proofs.
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Native staking slashes pools, not per-nominator exposures: a validator is identified by
	// its account alone.
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

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = session_historical::IdentificationTuple<Self>;
	// Offences are recorded (and deduplicated) here; native staking chills the offender and
	// queues the slash of its pool.
	type OnOffenceHandler = Staking;
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
