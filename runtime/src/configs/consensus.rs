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

use core::marker::PhantomData;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
	weights::Weight,
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

/// GRANDPA's calls as this runtime measures them (`grandpa_benchmarking`; the generated
/// `weights::pallet_grandpa`): a report's one component is its session's validator count.
pub trait GrandpaWeightInfo {
	/// A report of an equivocation by a validator of a session of `v` validators.
	fn report_equivocation(v: u32) -> Weight;
	/// Root noting a stall.
	fn note_stalled() -> Weight;
}

/// pallet-grandpa's weights from the measured ones.
///
/// A report is charged as if its session held the most validators there can be, whatever its
/// proof claims: a proof naming the current session makes the runtime rebuild that session's
/// ownership trie from every validator's keys before it compares the count it claims, so a
/// false small count would buy the large check at a small fee. The part of the measured report
/// that grows with the set is charged twice, as the unsigned report's `pre_dispatch` checks
/// the proof again in the block.
///
/// The benchmark's report is the first of its round, but each later one makes pallet-offences
/// read every report of the round so far and hand native staking all their offenders, each of
/// whose slash is raised: the report is also charged those reads and native staking's handling
/// of a round of every validator ([`pallet_native_staking::Pallet::offence_report_weight`]).
/// The report queues slashes (for the next era at the earliest) rather than applying them, so
/// no slash of a pool is charged: one is applied at once only when every queue up to the last
/// era that still reaches the stake is full, which takes 100 distinct offences queued for each.
pub struct GrandpaWeights<W>(PhantomData<W>);
impl<W: GrandpaWeightInfo> pallet_grandpa::WeightInfo for GrandpaWeights<W> {
	fn report_equivocation(_validator_count: u32, _max_nominators_per_validator: u32) -> Weight {
		let report = W::report_equivocation(MAX_AUTHORITIES);
		let proof_check_again = report.saturating_sub(W::report_equivocation(0));
		let earlier_reports = <Runtime as frame_system::Config>::DbWeight::get()
			.reads(MAX_AUTHORITIES.saturating_sub(1).into());
		report
			.saturating_add(proof_check_again)
			.saturating_add(earlier_reports)
			.saturating_add(Staking::offence_report_weight(MAX_AUTHORITIES))
	}

	fn note_stalled() -> Weight {
		W::note_stalled()
	}
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Measured here along a report's whole path (upstream benchmarks only the signature check
	// and prices the rest by hand, at RocksDB's figures).
	type WeightInfo = GrandpaWeights<crate::weights::pallet_grandpa::WeightInfo<Runtime>>;
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
