//! A test runtime: balances, timestamp, session (with historical) and native staking.
//!
//! Sessions last [`Period`] blocks and eras [`SessionsPerEra`] sessions, so era `e` starts at
//! block `e × Period × SessionsPerEra`. A block is an hour, so inflation is visible with small
//! numbers.

use crate::{self as pallet_native_staking, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, OneSessionHandler},
};
use frame_system::EnsureRoot;
use kasane_primitives::EraIndex;
use sp_runtime::{testing::UintAuthorityId, BuildStorage, Perbill};
use sp_staking::SessionIndex;

pub type AccountId = u64;
pub type Balance = u128;
pub type BlockNumber = u64;

type Block = frame_system::mocking::MockBlock<Test>;

// The same macro as the runtime's, so a pallet's mock reads like the runtime it stands for.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Staking = pallet_native_staking;
	#[runtime::pallet_index(4)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(5)]
	pub type Historical = pallet_session::historical;
}

pub const BLOCK_TIME: u64 = 3_600_000;
pub const INIT_TIMESTAMP: u64 = 30_000;
pub const ENDOWMENT: Balance = 1_000_000_000;

parameter_types! {
	pub static Period: BlockNumber = 5;
	pub static SessionsPerEra: SessionIndex = 3;
	pub static BondingDuration: EraIndex = 3;
	pub static SlashDeferDuration: EraIndex = 1;
	pub static MaxSlashesAppliedPerBlock: u32 = 1;
	pub static MinUnbondingBlocks: BlockNumber = 0;
	pub static MaxUnbondingBlocks: BlockNumber = BlockNumber::MAX;
	pub static MaxValidators: u32 = 3;
	pub static MinValidators: u32 = 2;
	pub static MinValidatorBond: Balance = 10_000;
	pub static MinDelegatorBond: Balance = 1_000;
	pub const Offset: BlockNumber = 0;
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	pub const MaxCommissionIncreasePerEra: Perbill = Perbill::from_percent(5);
	pub const YearlyInflation: Perbill = Perbill::from_percent(10);
	pub const MaxRewardedEraDuration: u64 = 30 * 24 * BLOCK_TIME;
	pub const OffenceSlashFraction: Perbill = Perbill::from_percent(10);
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type BaseCallFilter = NoSessionKeyPurge<Test>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = frame_support::traits::ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = frame_support::traits::ConstU64<1>;
	type WeightInfo = ();
}

/// A session handler that accepts one test key per validator.
pub struct TestSessionHandler;
impl OneSessionHandler<AccountId> for TestSessionHandler {
	type Key = UintAuthorityId;
	fn on_genesis_session<'a, I>(_: I)
	where
		I: Iterator<Item = (&'a AccountId, Self::Key)> + 'a,
	{
	}
	fn on_new_session<'a, I>(_: bool, _: I, _: I)
	where
		I: Iterator<Item = (&'a AccountId, Self::Key)> + 'a,
	{
	}
	fn on_disabled(_: u32) {}
}
impl sp_runtime::BoundToRuntimeAppPublic for TestSessionHandler {
	type Public = UintAuthorityId;
}

sp_runtime::impl_opaque_keys! {
	pub struct SessionKeys {
		pub other: TestSessionHandler,
	}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = pallet_native_staking::RotatedByStaking;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLengthOf<Test>, Offset>;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Test, Staking>;
	type SessionHandler = (TestSessionHandler,);
	type Keys = SessionKeys;
	// With three validators the default limit (a third, rounded down) disables nobody.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy<1>;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = UnitIdentification;
}

pub struct UnitIdentification;
impl sp_runtime::traits::Convert<AccountId, Option<()>> for UnitIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

parameter_types! {
	pub static EraStarts: Vec<EraIndex> = vec![];
	pub static EraEnds: Vec<EraIndex> = vec![];
	/// What the slash log was told: (record, validator, fraction, offence era, apply era).
	pub static LoggedOffences: Vec<(u64, AccountId, Perbill, EraIndex, EraIndex)> = vec![];
	/// Records applied (with the amount) and cancelled.
	pub static LoggedApplied: Vec<(u64, u128)> = vec![];
	/// Records raised by a later report of the same offence, with the new fraction.
	pub static LoggedRaised: Vec<(u64, Perbill)> = vec![];
	pub static LoggedCancelled: Vec<u64> = vec![];
	/// Validators whose pools a pending (restaking) slash reaches.
	pub static FrozenPools: Vec<AccountId> = vec![];
}

/// Pools a test froze, as restaking's pending slashes would.
pub struct TestPoolFreeze;
impl kasane_primitives::staking::PoolFreeze<AccountId> for TestPoolFreeze {
	fn is_frozen(validator: &AccountId) -> bool {
		FrozenPools::get().contains(validator)
	}
}

/// Records what native staking reports to the slash history.
pub struct RecordSlashLog;
impl kasane_primitives::slashing::ConsensusSlashLog<AccountId> for RecordSlashLog {
	fn offence(
		validator: &AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
		apply_era: EraIndex,
	) -> Option<u64> {
		let id = LoggedOffences::get().len() as u64;
		LoggedOffences::mutate(|v| v.push((id, *validator, fraction, offence_era, apply_era)));
		Some(id)
	}
	fn raised(id: u64, fraction: Perbill) {
		LoggedRaised::mutate(|v| v.push((id, fraction)));
	}
	fn applied(id: u64, amount: u128) {
		LoggedApplied::mutate(|v| v.push((id, amount)));
	}
	fn cancelled(id: u64) {
		LoggedCancelled::mutate(|v| v.push(id));
	}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn history_pruning_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// Records the era hooks it receives.
pub struct RecordEras;
impl kasane_primitives::staking::OnEraStart for RecordEras {
	fn on_era_start(era: EraIndex) {
		EraStarts::mutate(|v| v.push(era));
	}
}
impl kasane_primitives::staking::OnEraEnd for RecordEras {
	fn on_era_end(era: EraIndex) {
		EraEnds::mutate(|v| v.push(era));
	}
}

impl pallet_native_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	type OnSlash = ();
	type ValidatorRegistration = Session;
	type SessionInterface = Session;
	type SessionRotation = pallet_native_staking::PeriodicRotation<Test, Offset>;
	type EraHooks = RecordEras;
	type SlashLog = RecordSlashLog;
	type PoolFreeze = TestPoolFreeze;
	type MinUnbondingBlocks = MinUnbondingBlocks;
	type MaxUnbondingBlocks = MaxUnbondingBlocks;
	type AdminOrigin = EnsureRoot<AccountId>;
	type DefaultSessionsPerEra = SessionsPerEra;
	type DefaultSessionLength = Period;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type MaxValidators = MaxValidators;
	type MinValidators = MinValidators;
	type MaxValidatorCandidates = ConstU32<10>;
	type MaxUnlockingChunks = ConstU32<4>;
	type MinValidatorBond = MinValidatorBond;
	type MinDelegatorBond = MinDelegatorBond;
	type MaxCommission = MaxCommission;
	type MaxCommissionIncreasePerEra = MaxCommissionIncreasePerEra;
	type YearlyInflation = YearlyInflation;
	type MaxRewardedEraDuration = MaxRewardedEraDuration;
	type OffenceSlashFraction = OffenceSlashFraction;
	type MaxSlashesPerEra = ConstU32<4>;
	type MaxSlashesAppliedPerBlock = MaxSlashesAppliedPerBlock;
	type WeightInfo = ();
}

pub struct ExtBuilder {
	validators: Vec<(AccountId, Balance, Perbill)>,
	delegations: Vec<(AccountId, AccountId, Balance)>,
	min_validators: u32,
	sessions_per_era: Option<SessionIndex>,
	session_length: Option<BlockNumber>,
	bonding_eras: Option<EraIndex>,
	unbonding_blocks: (BlockNumber, BlockNumber),
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			validators: vec![
				(11, 1_000_000, Perbill::from_percent(10)),
				(21, 1_000_000, Perbill::from_percent(10)),
				(31, 500_000, Perbill::from_percent(10)),
			],
			delegations: vec![],
			min_validators: 2,
			sessions_per_era: None,
			session_length: None,
			bonding_eras: None,
			unbonding_blocks: (0, BlockNumber::MAX),
		}
	}
}

impl ExtBuilder {
	pub fn validators(mut self, v: Vec<(AccountId, Balance, Perbill)>) -> Self {
		self.validators = v;
		self
	}
	pub fn delegations(mut self, d: Vec<(AccountId, AccountId, Balance)>) -> Self {
		self.delegations = d;
		self
	}
	/// Genesis overrides of the era clock.
	pub fn era_clock(
		mut self,
		sessions_per_era: SessionIndex,
		session_length: BlockNumber,
	) -> Self {
		self.sessions_per_era = Some(sessions_per_era);
		self.session_length = Some(session_length);
		self
	}
	/// A genesis bonding duration shorter than the mock's `BondingDuration`.
	pub fn bonding_eras(mut self, eras: EraIndex) -> Self {
		self.bonding_eras = Some(eras);
		self
	}
	/// The shortest and longest unbonding (blocks) the runtime's delays allow.
	pub fn unbonding_blocks(mut self, min: BlockNumber, max: BlockNumber) -> Self {
		self.unbonding_blocks = (min, max);
		self
	}
	pub fn min_validators(mut self, n: u32) -> Self {
		self.min_validators = n;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		kasane_primitives::testing::reset_events_since_last_call();
		MinUnbondingBlocks::set(self.unbonding_blocks.0);
		MaxUnbondingBlocks::set(self.unbonding_blocks.1);
		MinValidators::set(self.min_validators);
		EraStarts::take();
		EraEnds::take();
		LoggedOffences::take();
		LoggedApplied::take();
		LoggedRaised::take();
		LoggedCancelled::take();
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let accounts: Vec<AccountId> = (1..=60).collect();
		pallet_balances::GenesisConfig::<Test> {
			balances: accounts.iter().map(|a| (*a, ENDOWMENT)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_native_staking::GenesisConfig::<Test> {
			validators: self.validators.clone(),
			delegations: self.delegations,
			sessions_per_era: self.sessions_per_era,
			session_length: self.session_length,
			bonding_eras: self.bonding_eras,
			slash_defer_eras: None,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_session::GenesisConfig::<Test> {
			keys: self
				.validators
				.iter()
				.map(|(v, ..)| (*v, *v, SessionKeys { other: (*v).into() }))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			// As a runtime's genesis does: every pallet's storage version is the in-code one.
			<AllPalletsWithSystem as frame_support::traits::OnGenesis>::on_genesis();
			run_to_block(1)
		});
		ext
	}

	/// Run `test`, then check every invariant of the pallet.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		let mut ext = self.build();
		ext.execute_with(|| {
			test();
			Staking::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Run blocks up to `n`, setting each block's timestamp.
pub fn run_to_block(n: BlockNumber) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		n,
		frame_system::RunToBlockHooks::default().after_initialize(|bn| {
			Timestamp::set_timestamp(bn * BLOCK_TIME + INIT_TIMESTAMP);
		}),
	);
}

/// `withdrawer` may not withdraw its unlocked stake nor `redelegator` move to `to`: a slash of
/// their pool is pending or due.
pub fn assert_pool_stake_held(withdrawer: AccountId, redelegator: AccountId, to: AccountId) {
	frame_support::assert_noop!(
		Staking::withdraw_unbonded(RuntimeOrigin::signed(withdrawer)),
		crate::Error::<Test>::SlashPending
	);
	frame_support::assert_noop!(
		Staking::redelegate(RuntimeOrigin::signed(redelegator), to),
		crate::Error::<Test>::SlashPending
	);
}

/// Run until era `era` has started (its first block executed).
pub fn start_era(era: EraIndex) {
	let block = era as u64
		* crate::SessionLength::<Test>::get()
		* crate::SessionsPerEra::<Test>::get() as u64;
	run_to_block(block.max(System::block_number()) + 1);
	assert_eq!(Staking::active_era_index(), era);
}

/// A 10% slash of `validator`'s pool for an offence of era 0, without a slash record: another
/// offender's slash, to fill or order a queue.
pub fn other_offence(validator: AccountId) -> crate::types::UnappliedSlash<AccountId> {
	crate::types::UnappliedSlash {
		validator,
		fraction: sp_runtime::Perbill::from_percent(10),
		offence_era: 0,
		record: None,
	}
}

/// Run blocks until every due slash is applied (the mock applies one a block).
pub fn run_until_no_slash_is_due() {
	while !crate::DueSlashes::<Test>::get().is_empty() {
		run_to_block(System::block_number() + 1);
	}
}

pub fn active_era() -> EraIndex {
	Staking::active_era_index()
}

/// Register session keys for `who` (without the deposit and proof the extrinsic needs).
pub fn set_keys(who: AccountId) {
	<Session as pallet_session::SessionInterface>::set_keys(
		&who,
		SessionKeys { other: who.into() },
	)
	.unwrap();
}

/// Bond `bond`, validate with `commission` and set keys.
pub fn make_validator(who: AccountId, bond: Balance, commission: Perbill) {
	frame_support::assert_ok!(Staking::bond(RuntimeOrigin::signed(who), bond));
	frame_support::assert_ok!(Staking::validate(RuntimeOrigin::signed(who), commission));
	set_keys(who);
}

pub fn staking_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Staking(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The pallet's events since the last call (or since the test began), in order.
pub fn staking_events_since_last_call() -> Vec<Event<Test>> {
	kasane_primitives::testing::events_since_last_call("native-staking", staking_events())
}

/// The active stake of every pool.
pub fn pooled() -> Balance {
	crate::Pools::<Test>::iter_values().map(|p| p.active).sum()
}

pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&HoldReason::Staking.into(), &who)
}

pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

pub fn issuance() -> Balance {
	Balances::total_issuance()
}

pub fn session_validators() -> Vec<AccountId> {
	Session::validators()
}
