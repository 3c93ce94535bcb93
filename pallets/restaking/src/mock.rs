//! A test runtime: balances, two mirrored assets (pallet-assets), native pools and operator-set
//! membership kept in thread-local tables the tests control.

use crate::{self as pallet_restaking, *};
use core::cell::RefCell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64,
	},
};
use frame_system::{EnsureRoot, EnsureSigned};
use kasane_primitives::restaking::OperatorSetRegistry;
use sp_runtime::{BuildStorage, Perbill};
use std::collections::BTreeSet;

pub type AccountId = u64;
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type Restaking = pallet_restaking;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = u128;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type AssetDeposit = ConstU128<1>;
	type AssetAccountDeposit = ConstU128<1>;
	type MetadataDepositBase = ConstU128<1>;
	type MetadataDepositPerByte = ConstU128<1>;
	type ApprovalDeposit = ConstU128<1>;
}

/// The two mirrored LSTs of the tests.
pub const LST_A: u32 = 1;
pub const LST_B: u32 = 2;
/// Strategy ids the default genesis creates.
pub const NATIVE: StrategyId = 0;
pub const STRAT_A: StrategyId = 1;
pub const STRAT_B: StrategyId = 2;

pub const WITHDRAWAL_DELAY: u64 = 20;
pub const ALLOCATION_DELAY: u64 = 25;
pub const DEALLOCATION_DELAY: u64 = 16;
pub const COMMISSION_DELAY: u64 = 10;

/// Operators and stakers of the tests.
pub const OP1: AccountId = 100;
pub const OP2: AccountId = 200;
pub const VALIDATOR: AccountId = 300;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CAROL: AccountId = 3;
pub const AVS_TREASURY: AccountId = 900;
/// Funds rewards (stands in for the AVS registry's escrow).
pub const PAYER: AccountId = 800;

pub const SET1: OperatorSetId = OperatorSetId { avs: 1, index: 0 };
pub const SET2: OperatorSetId = OperatorSetId { avs: 2, index: 0 };

thread_local! {
	static MEMBERS: RefCell<BTreeSet<(AccountId, OperatorSetId)>> = const { RefCell::new(BTreeSet::new()) };
	static REJECTED: RefCell<BTreeSet<(OperatorSetId, StrategyId)>> = const { RefCell::new(BTreeSet::new()) };
}

/// Native staking, reduced to validator pools the tests set (era 0).
pub type MockNativeStake =
	kasane_primitives::testing::MockNativeStake<frame_support::traits::ConstU32<0>>;

/// Operator-set membership the tests control.
pub struct MockOperatorSets;
impl MockOperatorSets {
	pub fn join(operator: AccountId, set: OperatorSetId) {
		MEMBERS.with(|m| m.borrow_mut().insert((operator, set)));
	}
	pub fn leave(operator: AccountId, set: OperatorSetId) {
		MEMBERS.with(|m| m.borrow_mut().remove(&(operator, set)));
	}
	pub fn reject(set: OperatorSetId, strategy: StrategyId) {
		REJECTED.with(|r| r.borrow_mut().insert((set, strategy)));
	}
}
impl OperatorSetRegistry<AccountId> for MockOperatorSets {
	fn is_member(operator: &AccountId, set: &OperatorSetId) -> bool {
		MEMBERS.with(|m| m.borrow().contains(&(*operator, *set)))
	}
	fn accepts_strategy(set: &OperatorSetId, strategy: StrategyId) -> bool {
		!REJECTED.with(|r| r.borrow().contains(&(*set, strategy)))
	}
}

/// KSN and the mirrored assets as one `fungibles` (what AVS rewards are paid in).
pub type RewardAssets = UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;

parameter_types! {
	pub const NativeKsn: NativeOrWithId<u32> = NativeOrWithId::Native;
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	pub const MaxCommissionIncrease: Perbill = Perbill::from_percent(10);
	// One completion time per block (withdrawals wait exactly the delay); tests change it.
	pub static MaturityBuckets: u32 = WITHDRAWAL_DELAY as u32;
}

impl pallet_restaking::Config for Test {
	type AssetId = u32;
	type Assets = Assets;
	type NativeStake = MockNativeStake;
	type OperatorSets = MockOperatorSets;
	type RewardAssetId = NativeOrWithId<u32>;
	type RewardAssets = RewardAssets;
	type NativeRewardAsset = NativeKsn;
	type StakeValuation = kasane_primitives::restaking::OneToOne;
	type StrategyAdminOrigin = EnsureRoot<AccountId>;
	type WithdrawalDelay = ConstU64<WITHDRAWAL_DELAY>;
	type MaturityBuckets = MaturityBuckets;
	type AllocationDelay = ConstU64<ALLOCATION_DELAY>;
	type DeallocationDelay = ConstU64<DEALLOCATION_DELAY>;
	type MaxSlashingWindow = ConstU64<15>;
	type CommissionChangeDelay = ConstU64<COMMISSION_DELAY>;
	type MaxCommission = MaxCommission;
	type MaxCommissionIncrease = MaxCommissionIncrease;
	type MaxStrategies = ConstU32<8>;
	type MaxQueuedWithdrawals = ConstU32<8>;
	type MaxPendingAllocations = ConstU32<4>;
	type MaxRewardAssets = ConstU32<3>;
	type MaxAllocationsPerSet = ConstU32<6>;
	type MaxMetadataLen = ConstU32<64>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type OperatorDeposit = ConstU128<10>;
	type ApprovalDeposit = ConstU128<1>;
	type MaxApprovals = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u32, AccountId, NativeOrWithId<u32>> for MockBenchmarkHelper {
	fn create_asset(index: u32) -> u32 {
		let id = 1_000 + index;
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, OP1, true, 1));
		id
	}
	fn join_operator_set(operator: &AccountId, set: &OperatorSetId) {
		MockOperatorSets::join(*operator, *set);
	}
	fn reward_asset(index: u32) -> NativeOrWithId<u32> {
		use frame_support::traits::fungibles::Inspect;
		match index {
			0 => NativeOrWithId::Native,
			i if Assets::asset_exists(1_100 + i) => NativeOrWithId::WithId(1_100 + i),
			i => NativeOrWithId::WithId(Self::create_asset(100 + i)),
		}
	}
}

/// Every staker of the tests starts with this much of each LST.
pub const INITIAL_LST: u128 = 1_000_000;

pub struct ExtBuilder {
	strategies: bool,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { strategies: true }
	}
}

impl ExtBuilder {
	/// No strategies at genesis.
	pub fn without_strategies(mut self) -> Self {
		self.strategies = false;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		kasane_primitives::testing::reset_events_since_last_call();
		MockNativeStake::clear();
		MEMBERS.with(|m| m.borrow_mut().clear());
		REJECTED.with(|r| r.borrow_mut().clear());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![
				(ALICE, 1_000),
				(BOB, 1_000),
				(CAROL, 1_000),
				(OP1, 1_000),
				(OP2, 1_000),
				(PAYER, INITIAL_LST),
			],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let holders = [ALICE, BOB, CAROL, OP1, OP2, PAYER];
		pallet_assets::GenesisConfig::<Test> {
			assets: vec![(LST_A, OP1, true, 1), (LST_B, OP1, true, 1)],
			metadata: vec![],
			accounts: holders
				.iter()
				.flat_map(|who| [(LST_A, *who, INITIAL_LST), (LST_B, *who, INITIAL_LST)])
				.collect(),
			next_asset_id: None,
			reserves: vec![],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			// What a runtime's genesis does for every pallet: the storage version in code.
			<AllPalletsWithSystem as frame_support::traits::OnGenesis>::on_genesis();
			System::set_block_number(1);
			if self.strategies {
				assert_ok!(Restaking::add_strategy(
					RuntimeOrigin::root(),
					StrategyKind::Native,
					0,
					0
				));
				for asset in [LST_A, LST_B] {
					assert_ok!(Restaking::add_strategy(
						RuntimeOrigin::root(),
						StrategyKind::Asset(asset),
						u128::MAX,
						u128::MAX
					));
				}
			}
		});
		ext
	}

	/// Run `test`, then check every invariant of the pallet.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Restaking::do_try_state().expect("try_state after the test");
		});
	}
}

/// Move to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Advance `blocks` blocks.
pub fn advance(blocks: u64) {
	run_to_block(System::block_number() + blocks);
}

/// The pallet's events so far.
pub fn restaking_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Restaking(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The pallet's events since the last call (or since the test began), in order.
pub fn restaking_events_since_last_call() -> Vec<Event<Test>> {
	kasane_primitives::testing::events_since_last_call("restaking", restaking_events())
}

/// `who`'s free balance of `asset`.
pub fn lst(asset: u32, who: AccountId) -> u128 {
	crate::testing_utils::asset_balance::<Test>(asset, &who)
}

/// Register `op` as an operator (no commission, open delegation) and make it a member of
/// `sets`.
pub fn operator(op: AccountId, sets: &[OperatorSetId]) {
	assert_ok!(Restaking::register_operator(
		RuntimeOrigin::signed(op),
		Perbill::from_percent(5),
		Default::default(),
		false
	));
	for set in sets {
		MockOperatorSets::join(op, *set);
	}
}

/// `who` deposits `amount` of strategy `strategy` and delegates to `op`.
pub fn stake(who: AccountId, strategy: StrategyId, amount: u128, op: AccountId) {
	assert_ok!(Restaking::deposit(RuntimeOrigin::signed(who), strategy, amount));
	if Restaking::delegation(&who).is_none() {
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(who), op));
	}
}

/// Allocate and wait for the allocation to take effect.
pub fn allocate_now(op: AccountId, set: OperatorSetId, strategy: StrategyId, magnitude: u128) {
	assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(op), set, strategy, magnitude));
	advance(ALLOCATION_DELAY.max(DEALLOCATION_DELAY));
}

/// The id of `who`'s oldest queued withdrawal.
pub fn first_withdrawal(who: AccountId) -> crate::WithdrawalId {
	Stakers::<Test>::get(who).withdrawals.first().expect("a queued withdrawal").id
}

/// What `who` could withdraw of `strategy` now.
pub fn withdrawable(who: AccountId, strategy: StrategyId) -> u128 {
	let Some(position) = Positions::<Test>::get(who, strategy) else { return 0 };
	let op = Restaking::delegation(&who);
	Restaking::position_value(op.as_ref(), strategy, &position)
}

/// Distribute rewards from `PAYER` through the primitive.
pub fn distribute(
	set: OperatorSetId,
	asset: NativeOrWithId<u32>,
	amount: u128,
) -> Result<u128, sp_runtime::DispatchError> {
	<Restaking as RewardsDistributor<AccountId, NativeOrWithId<u32>>>::distribute_rewards(
		&PAYER, &set, asset, amount,
	)
}

/// Slash through the primitive.
pub fn slash(op: AccountId, set: OperatorSetId, fraction: u128) -> Vec<(StrategyId, u128)> {
	<Restaking as OperatorSlasher<AccountId, u128>>::slash_operator(
		&op,
		&set,
		fraction,
		&SlashDestination::To(AVS_TREASURY),
	)
	.expect("slash")
	.into_iter()
	.map(|s| (s.strategy, s.amount))
	.collect()
}

/// `percent`% as a magnitude.
pub const fn pct(percent: u128) -> u128 {
	WAD / 100 * percent
}

/// Root opts `strategy` in to redistribution: slashed funds may go to a set's account.
pub fn redistributable(strategy: StrategyId) {
	assert_ok!(Restaking::set_strategy_redistribution(RuntimeOrigin::root(), strategy, true));
}

/// Slash through the primitive with every parameter given.
pub fn slash_with(
	op: AccountId,
	set: OperatorSetId,
	fraction: u128,
	reward: Option<(&AccountId, Perbill)>,
	requested_era: Option<kasane_primitives::EraIndex>,
) -> Vec<kasane_primitives::restaking::StrategySlash<u128>> {
	<Restaking as OperatorSlasher<AccountId, u128>>::slash(
		&op,
		&set,
		SlashParams {
			fraction,
			destination: &SlashDestination::To(AVS_TREASURY),
			caps: None,
			reward,
			bonded_since: requested_era,
		},
	)
	.expect("slash")
}
