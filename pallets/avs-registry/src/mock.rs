//! A test runtime with the real restaking pallet behind the registry: balances, two mirrored
//! LSTs (pallet-assets), restaking, and native pools kept in a thread-local table.

use crate::{self as pallet_avs_registry, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, Hooks,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use kasane_primitives::{
	avs::proof_of_possession_payload,
	restaking::{Magnitude, SlashDestination},
	EraIndex,
};
use pallet_restaking::StrategyKind;
use sp_core::{ecdsa, ed25519, sr25519, Pair};
use sp_runtime::{BuildStorage, Perbill, Weight};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Restaking: pallet_restaking,
		AvsRegistry: pallet_avs_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type AccountData = pallet_balances::AccountData<u128>;
	// Reads and writes cost weight, so payout paging can be tested against them.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
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

pub const LST_A: u32 = 1;
pub const LST_B: u32 = 2;
pub const NATIVE: StrategyId = 0;
pub const STRAT_A: StrategyId = 1;
pub const STRAT_B: StrategyId = 2;

pub const WITHDRAWAL_DELAY: u64 = 20;
pub const ALLOCATION_DELAY: u64 = 25;
pub const DEALLOCATION_DELAY: u64 = 16;
pub const TERMS_DELAY: u64 = 20;
pub const MAX_VETO_WINDOW: u64 = 15;
pub const AVS_DEPOSIT: u128 = 100;

/// AVS owners, operators and stakers of the tests.
pub const AVS_OWNER: AccountId = 10;
pub const OTHER_OWNER: AccountId = 11;
pub const OP1: AccountId = 100;
pub const OP2: AccountId = 200;
pub const OP3: AccountId = 300;
pub const VALIDATOR: AccountId = 400;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const TREASURY: AccountId = 900;

/// Every account of the tests starts with this much KSN and of each LST.
pub const INITIAL: u128 = 1_000_000;

/// Native staking, reduced to validator pools the tests set.
pub type MockNativeStake = kasane_primitives::testing::MockNativeStake<Era>;

/// KSN and the mirrored assets as one `fungibles`.
pub type RewardAssets = UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;
pub const KSN: NativeOrWithId<u32> = NativeOrWithId::Native;
pub const REWARD_A: NativeOrWithId<u32> = NativeOrWithId::WithId(LST_A);

parameter_types! {
	pub const NativeKsn: NativeOrWithId<u32> = NativeOrWithId::Native;
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	pub const MaxCommissionIncrease: Perbill = Perbill::from_percent(10);
	pub const RegistryPalletId: PalletId = PalletId(*b"kas/avsr");
	/// The era native staking reports; tests move it.
	pub storage Era: EraIndex = 0;
	/// Weight each block may spend on payouts; tests shrink it to force paging.
	pub storage PayoutWeight: Weight = Weight::from_parts(50_000_000_000, 1_000_000);
}

impl pallet_restaking::Config for Test {
	type AssetId = u32;
	type Assets = Assets;
	type NativeStake = MockNativeStake;
	type OperatorSets = AvsRegistry;
	type RewardAssetId = NativeOrWithId<u32>;
	type RewardAssets = RewardAssets;
	type NativeRewardAsset = NativeKsn;
	type StakeValuation = AvsRegistry;
	type StrategyAdminOrigin = EnsureRoot<AccountId>;
	type WithdrawalDelay = ConstU64<WITHDRAWAL_DELAY>;
	type MaturityBuckets = ConstU32<{ WITHDRAWAL_DELAY as u32 }>;
	type AllocationDelay = ConstU64<ALLOCATION_DELAY>;
	type DeallocationDelay = ConstU64<DEALLOCATION_DELAY>;
	type MaxSlashingWindow = ConstU64<MAX_VETO_WINDOW>;
	type CommissionChangeDelay = ConstU64<10>;
	type MaxCommission = MaxCommission;
	type MaxCommissionIncrease = MaxCommissionIncrease;
	type MaxStrategies = ConstU32<8>;
	type MaxQueuedWithdrawals = ConstU32<8>;
	type MaxPendingAllocations = ConstU32<4>;
	type MaxRewardAssets = ConstU32<3>;
	type MaxAllocationsPerSet = ConstU32<16>;
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

impl pallet_avs_registry::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type RewardAssetId = NativeOrWithId<u32>;
	type RewardAssets = RewardAssets;
	type Restaking = Restaking;
	type Rewards = Restaking;
	type Events = RecordRegistryEvents;
	type CurrentEra = Era;
	type RateOrigin = EnsureRoot<AccountId>;
	type PalletId = RegistryPalletId;
	type AvsDeposit = ConstU128<AVS_DEPOSIT>;
	type SlashingTermsDelay = ConstU64<TERMS_DELAY>;
	type MaxVetoWindow = ConstU64<MAX_VETO_WINDOW>;
	type MinEquivocationPenalty = ConstU128<{ WAD / 100 }>;
	type MaxMetadataLen = ConstU32<64>;
	type MaxSetsPerAvs = ConstU32<4>;
	type MaxStrategiesPerSet = ConstU32<4>;
	type MaxOperatorsPerSet = ConstU32<8>;
	type MaxBudgetsPerSet = ConstU32<3>;
	type PayoutWeightPerBlock = PayoutWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

parameter_types! {
	/// What the registry told the slashing pallet: purged (set, operator), deregistered AVSs.
	pub static PurgedMemberships: Vec<(OperatorSetId, AccountId)> = vec![];
	pub static DeregisteredAvss: Vec<(u32, u32)> = vec![];
}

/// Records the registry's events for slashing.
pub struct RecordRegistryEvents;
impl kasane_primitives::slashing::RegistryEvents<AccountId> for RecordRegistryEvents {
	fn membership_purged(set: &OperatorSetId, operator: &AccountId) {
		PurgedMemberships::mutate(|v| v.push((*set, *operator)));
	}
	fn avs_deregistered(avs: u32, sets: u32) {
		DeregisteredAvss::mutate(|v| v.push((avs, sets)));
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_restaking::BenchmarkHelper<u32, AccountId, NativeOrWithId<u32>>
	for MockBenchmarkHelper
{
	fn create_asset(index: u32) -> u32 {
		let id = 1_000 + index;
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, OP1, true, 1));
		id
	}
	fn join_operator_set(operator: &AccountId, set: &OperatorSetId) {
		let strategies: Vec<_> = pallet_restaking::Strategies::<Test>::iter_keys().collect();
		AvsRegistry::benchmark_join(operator, set, &strategies);
	}
	fn reward_asset(index: u32) -> NativeOrWithId<u32> {
		match index {
			0 => NativeOrWithId::Native,
			i => NativeOrWithId::WithId(
				<Self as pallet_restaking::BenchmarkHelper<_, _, _>>::create_asset(100 + i),
			),
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, NativeOrWithId<u32>> for MockBenchmarkHelper {
	fn operator_with_stake(who: &AccountId, strategies: u32, stake: u128) -> Vec<StrategyId> {
		if !Restaking::is_operator(who) {
			assert_ok!(Restaking::register_operator(
				RuntimeOrigin::signed(*who),
				Perbill::from_percent(5),
				Default::default(),
				false
			));
		}
		let staker = who + 10_000;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), staker, INITIAL);
		let mut out = Vec::new();
		for i in 0..strategies {
			let asset = 2_000 + i;
			let strategy = match pallet_restaking::AssetStrategy::<Test>::get(asset) {
				Some(s) => s,
				None => {
					assert_ok!(Assets::force_create(RuntimeOrigin::root(), asset, OP1, true, 1));
					assert_ok!(Restaking::add_strategy(
						RuntimeOrigin::root(),
						StrategyKind::Asset(asset),
						u128::MAX,
						u128::MAX
					));
					pallet_restaking::AssetStrategy::<Test>::get(asset).unwrap()
				}
			};
			assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), asset, staker, stake));
			assert_ok!(Restaking::deposit(RuntimeOrigin::signed(staker), strategy, stake));
			out.push(strategy);
		}
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(staker), *who));
		out
	}
	fn allocate(
		operator: &AccountId,
		set: &OperatorSetId,
		strategy: StrategyId,
		magnitude: Magnitude,
	) {
		assert_ok!(Restaking::modify_allocations(
			RuntimeOrigin::signed(*operator),
			*set,
			strategy,
			magnitude
		));
		System::set_block_number(System::block_number() + ALLOCATION_DELAY);
	}
	fn reward_asset(who: &AccountId, index: u32) -> NativeOrWithId<u32> {
		if index == 0 {
			let _ = Balances::force_set_balance(
				RuntimeOrigin::root(),
				*who,
				1_000_000_000_000_000_000_000_000_000_000,
			);
			return NativeOrWithId::Native;
		}
		let id = 3_000 + index;
		if !<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::asset_exists(id) {
			assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, OP1, true, 1));
		}
		assert_ok!(Assets::mint(
			RuntimeOrigin::signed(OP1),
			id,
			*who,
			1_000_000_000_000_000_000_000_000_000_000
		));
		NativeOrWithId::WithId(id)
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		MockNativeStake::clear();
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let holders = [ALICE, BOB, AVS_OWNER, OTHER_OWNER, OP1, OP2, OP3, VALIDATOR];
		pallet_balances::GenesisConfig::<Test> {
			balances: holders.iter().map(|who| (*who, INITIAL)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_assets::GenesisConfig::<Test> {
			assets: vec![(LST_A, OP1, true, 1), (LST_B, OP1, true, 1)],
			metadata: vec![],
			accounts: holders
				.iter()
				.flat_map(|who| [(LST_A, *who, INITIAL), (LST_B, *who, INITIAL)])
				.collect(),
			next_asset_id: None,
			reserves: vec![],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| {
			System::set_block_number(1);
			assert_ok!(Restaking::add_strategy(RuntimeOrigin::root(), StrategyKind::Native, 0, 0));
			for asset in [LST_A, LST_B] {
				assert_ok!(Restaking::add_strategy(
					RuntimeOrigin::root(),
					StrategyKind::Asset(asset),
					u128::MAX,
					u128::MAX
				));
			}
		});
		ext
	}

	/// Run `test`, then check every invariant of the registry and of restaking.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			AvsRegistry::do_try_state().expect("registry try_state after the test");
			Restaking::do_try_state().expect("restaking try_state after the test");
		});
	}
}

/// Advance `blocks` blocks, running the registry's `on_initialize` in each.
pub fn advance(blocks: u64) {
	for _ in 0..blocks {
		let n = System::block_number() + 1;
		System::set_block_number(n);
		AvsRegistry::on_initialize(n);
	}
}

/// Start the next era and run one block of payouts.
pub fn next_era() {
	Era::set(&(Era::get() + 1));
	advance(1);
}

/// The registry's events so far.
pub fn registry_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::AvsRegistry(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Slashing terms: instant, up to half per epoch, slashed funds to the treasury.
pub fn terms() -> SlashingTermsOf<Test> {
	SlashingTerms {
		mode: SlashExecution::Instant,
		max_slash_per_epoch: WAD / 2,
		slashed_funds: SlashDestination::To(TREASURY),
		equivocation_penalty: WAD / 10,
	}
}

/// A set config accepting `strategies` (no minimum stake), sr25519 keys, up to 8 operators.
pub fn set_config(strategies: &[StrategyId]) -> OperatorSetConfigOf<Test> {
	OperatorSetConfig {
		strategies: strategies.iter().map(|s| (*s, 0)).collect::<Vec<_>>().try_into().unwrap(),
		max_operators: 8,
		key_type: KeyType::Sr25519,
		allowlist: false,
		terms: terms(),
	}
}

/// `AVS_OWNER` registers AVS 0 with one set accepting both LST strategies and `Native`.
pub fn avs_with_set() -> OperatorSetId {
	assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), b"ipfs://avs".to_vec()));
	let avs = NextAvsId::<Test>::get() - 1;
	let set = OperatorSetId { avs, index: Avss::<Test>::get(avs).unwrap().sets };
	assert_ok!(AvsRegistry::create_operator_set(
		RuntimeOrigin::signed(AVS_OWNER),
		avs,
		set_config(&[NATIVE, STRAT_A, STRAT_B])
	));
	set
}

/// The sr25519 key operator `who` signs with in the tests.
pub fn sr_pair(who: AccountId, salt: u8) -> sr25519::Pair {
	let mut seed = [salt; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	sr25519::Pair::from_seed(&seed)
}

/// A key of `key_type` for `who` and its proof of possession for `set`.
pub fn key_and_proof(
	key_type: KeyType,
	who: AccountId,
	set: OperatorSetId,
	salt: u8,
) -> (OperatorKey, OperatorSignature) {
	let payload = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, &who);
	let mut seed = [salt; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	match key_type {
		KeyType::Sr25519 => {
			let pair = sr25519::Pair::from_seed(&seed);
			(OperatorKey::Sr25519(pair.public()), OperatorSignature::Sr25519(pair.sign(&payload)))
		}
		KeyType::Ed25519 => {
			let pair = ed25519::Pair::from_seed(&seed);
			(OperatorKey::Ed25519(pair.public()), OperatorSignature::Ed25519(pair.sign(&payload)))
		}
		KeyType::Ecdsa => {
			let pair = ecdsa::Pair::from_seed(&seed);
			(OperatorKey::Ecdsa(pair.public()), OperatorSignature::Ecdsa(pair.sign(&payload)))
		}
	}
}

/// Register `op` as a restaking operator (5% commission).
pub fn restaking_operator(op: AccountId) {
	assert_ok!(Restaking::register_operator(
		RuntimeOrigin::signed(op),
		Perbill::from_percent(5),
		Default::default(),
		false
	));
}

/// `op` (a restaking operator) joins `set` with an sr25519 key of its own for that set.
pub fn join(op: AccountId, set: OperatorSetId) {
	let salt = 100u8.wrapping_add((set.avs * 16 + set.index) as u8);
	let (key, proof) = key_and_proof(KeyType::Sr25519, op, set, salt);
	assert_ok!(AvsRegistry::register_for_operator_set(RuntimeOrigin::signed(op), set, key, proof));
}

/// `who` deposits `amount` in `strategy` and delegates to `op`.
pub fn stake(who: AccountId, strategy: StrategyId, amount: u128, op: AccountId) {
	assert_ok!(Restaking::deposit(RuntimeOrigin::signed(who), strategy, amount));
	if Restaking::delegation(&who).is_none() {
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(who), op));
	}
}

/// `op` allocates `magnitude` of `strategy` to `set`; the allocation takes effect.
pub fn allocate(op: AccountId, set: OperatorSetId, strategy: StrategyId, magnitude: Magnitude) {
	assert_ok!(Restaking::modify_allocations(RuntimeOrigin::signed(op), set, strategy, magnitude));
	advance(ALLOCATION_DELAY);
}

/// `who`'s balance of a reward asset.
pub fn balance(asset: NativeOrWithId<u32>, who: AccountId) -> u128 {
	<RewardAssets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(asset, &who)
}
