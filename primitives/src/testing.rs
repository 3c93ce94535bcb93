//! Test doubles for the pallets' mock runtimes (std only, never in a runtime).

use alloc::collections::btree_map::BTreeMap;
use core::{cell::RefCell, marker::PhantomData};
use sp_core::Get;

use crate::{
	staking::{NativeStakeProvider, PoolShare, PoolStake},
	EraIndex,
};

std::thread_local! {
	static POOLS: RefCell<BTreeMap<u64, PoolStake<u128>>> = const { RefCell::new(BTreeMap::new()) };
	static POOL_REWARDS: RefCell<BTreeMap<u64, u128>> = const { RefCell::new(BTreeMap::new()) };
	static POOL_MEMBERS: RefCell<BTreeMap<u64, (u64, u128)>> = const { RefCell::new(BTreeMap::new()) };
	static SLASHED_SINCE: RefCell<alloc::vec::Vec<(u64, EraIndex)>> = const { RefCell::new(alloc::vec::Vec::new()) };
}

/// Native staking reduced to validator pools the tests set (accounts are `u64`), in the era
/// `Era` reports. State is per test thread; [`Self::clear`] resets it.
pub struct MockNativeStake<Era>(PhantomData<Era>);

impl<Era> MockNativeStake<Era> {
	/// Forget every pool, member and reward.
	pub fn clear() {
		POOLS.with(|p| p.borrow_mut().clear());
		POOL_REWARDS.with(|p| p.borrow_mut().clear());
		POOL_MEMBERS.with(|p| p.borrow_mut().clear());
		SLASHED_SINCE.with(|s| s.borrow_mut().clear());
	}

	/// Every pool slash so far: the validator and the era its stake was reached from.
	pub fn slashes() -> alloc::vec::Vec<(u64, EraIndex)> {
		SLASHED_SINCE.with(|s| s.borrow().clone())
	}

	/// `validator`'s pool holds `active` (all of it the validator's own).
	pub fn set_pool(validator: u64, active: u128) {
		POOLS.with(|p| {
			p.borrow_mut()
				.insert(validator, PoolStake { active, shares: active, self_bond: active })
		});
	}

	/// `who` adds `stake` to `validator`'s pool.
	pub fn add_member(who: u64, validator: u64, stake: u128) {
		POOL_MEMBERS.with(|m| m.borrow_mut().insert(who, (validator, stake)));
		POOLS.with(|p| {
			let mut pools = p.borrow_mut();
			let pool = pools.entry(validator).or_default();
			pool.active += stake;
			pool.shares += stake;
		});
	}

	/// KSN credited to `validator`'s pool members through `reward_pool`.
	pub fn pool_rewards(validator: u64) -> u128 {
		POOL_REWARDS.with(|r| r.borrow().get(&validator).copied().unwrap_or(0))
	}
}

impl<Era: Get<EraIndex>> NativeStakeProvider<u64, u128> for MockNativeStake<Era> {
	fn pool_stake(validator: &u64) -> Option<PoolStake<u128>> {
		POOLS.with(|p| p.borrow().get(validator).copied())
	}

	fn pool_member(who: &u64) -> Option<(u64, u128)> {
		let (pool, stake) = POOL_MEMBERS.with(|m| m.borrow().get(who).copied())?;
		// A member's stake falls with its pool.
		let p = Self::pool_stake(&pool)?;
		Some((pool, stake * p.active / p.shares.max(1)))
	}

	fn is_validator_candidate(who: &u64) -> bool {
		POOLS.with(|p| p.borrow().contains_key(who))
	}

	fn active_era() -> EraIndex {
		Era::get()
	}

	fn reward_pool(validator: &u64, amount: u128) -> u128 {
		if Self::pool_stake(validator).is_none() {
			return 0;
		}
		POOL_REWARDS.with(|r| *r.borrow_mut().entry(*validator).or_default() += amount);
		amount
	}

	fn slash_pool(validator: &u64, share: PoolShare, since: EraIndex) -> u128 {
		SLASHED_SINCE.with(|s| s.borrow_mut().push((*validator, since)));
		POOLS.with(|p| {
			let mut pools = p.borrow_mut();
			let Some(pool) = pools.get_mut(validator) else { return 0 };
			let amount = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
				pool.active,
				share.parts.min(share.whole),
				share.whole,
				sp_runtime::Rounding::Up,
			)
			.unwrap_or(pool.active)
			.min(pool.active);
			pool.active -= amount;
			amount
		})
	}
}

std::thread_local! {
	/// Per pallet: how many of its events the last call saw.
	static SEEN_EVENTS: RefCell<BTreeMap<&'static str, usize>> = const { RefCell::new(BTreeMap::new()) };
}

/// What `events` (one pallet's events so far, oldest first) holds beyond what the last call
/// for the same `pallet` returned: the events since then, in the order they were deposited.
/// Tests assert them with `assert_eq!` so that order and completeness are checked, not just
/// presence. The mocks keep events across blocks (`frame_system`'s `run_to_block` does not
/// clear them), so a cursor per pallet is enough; [`reset_events_since_last_call`] forgets every
/// cursor (call it when building a test's externalities).
pub fn events_since_last_call<E>(
	pallet: &'static str,
	events: alloc::vec::Vec<E>,
) -> alloc::vec::Vec<E> {
	SEEN_EVENTS.with(|seen| {
		let mut seen = seen.borrow_mut();
		let cursor = seen.entry(pallet).or_default();
		assert!(*cursor <= events.len(), "{pallet}: events were cleared since the last call");
		let skip = *cursor;
		*cursor = events.len();
		events.into_iter().skip(skip).collect()
	})
}

/// Forget what [`events_since_last_call`] returned so far.
pub fn reset_events_since_last_call() {
	SEEN_EVENTS.with(|seen| seen.borrow_mut().clear());
}

/// The restaking + AVS registry test world the registry's and the slashing pallet's mock
/// runtimes share: the `Config` of frame-system, balances, assets, restaking and the registry
/// (its `Events` hook given as `$registry_events`), the tests' constants and accounts, the
/// benchmark helpers restaking and the registry need, `registry_world_ext()`, the
/// externalities each test starts from, and the steps most tests take: `restaking_operator`,
/// `key_and_proof`, `join`, `stake` and `allocate` (which calls the call site's `advance`).
///
/// Expand it in a mock module that declares, with `#[frame_support::runtime]`, a runtime `Test`
/// with pallets named `System`, `Balances`, `Assets`, `Restaking` and `AvsRegistry`, a `Block`
/// type, `AccountId = u64`, and `pallet_avs_registry` in scope (the crate itself or the
/// dependency); the crate also depends on `frame_support`, `frame_system`, `pallet_assets`,
/// `pallet_balances`, `pallet_restaking`, `sp_core`, `sp_io`, `sp_keystore` and `sp_runtime`,
/// which the expansion names.
#[macro_export]
macro_rules! registry_test_world {
	($registry_events:ty) => {
		// Not every user of the world uses every constant of it.
		#[allow(dead_code)]
		mod registry_world {
			use super::*;
			use frame_support::{
				assert_ok, derive_impl, parameter_types,
				traits::{
					fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
					AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64,
				},
				PalletId,
			};
			use frame_system::{EnsureRoot, EnsureSigned};
			use pallet_restaking::StrategyKind;
			use sp_core::{ecdsa, ed25519, sr25519, Pair};
			use sp_runtime::{BuildStorage, Perbill, Weight};
			use $crate::{
				avs::{proof_of_possession_payload, KeyType, OperatorKey, OperatorSignature},
				restaking::{Magnitude, OperatorSetId, StrategyId, WAD},
				EraIndex,
			};

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
			pub type MockNativeStake = $crate::testing::MockNativeStake<Era>;

			/// KSN and the mirrored assets as one `fungibles`.
			pub type RewardAssets =
				UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;
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
				type Events = $registry_events;
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
					let strategies: Vec<_> =
						pallet_restaking::Strategies::<Test>::iter_keys().collect();
					AvsRegistry::benchmark_join(operator, set, &strategies);
				}
				fn reward_asset(index: u32) -> NativeOrWithId<u32> {
					use frame_support::traits::fungibles::Inspect;
					match index {
						0 => NativeOrWithId::Native,
						i if <Assets as Inspect<AccountId>>::asset_exists(1_100 + i) => {
							NativeOrWithId::WithId(1_100 + i)
						}
						i => NativeOrWithId::WithId(<Self as pallet_restaking::BenchmarkHelper<
							_,
							_,
							_,
						>>::create_asset(100 + i)),
					}
				}
			}

			#[cfg(feature = "runtime-benchmarks")]
			impl pallet_avs_registry::BenchmarkHelper<AccountId, NativeOrWithId<u32>>
				for MockBenchmarkHelper
			{
				fn operator_with_stake(
					who: &AccountId,
					strategies: u32,
					stake: u128,
				) -> Vec<StrategyId> {
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
								assert_ok!(Assets::force_create(
									RuntimeOrigin::root(),
									asset,
									OP1,
									true,
									1
								));
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
						assert_ok!(Restaking::deposit(
							RuntimeOrigin::signed(staker),
							strategy,
							stake
						));
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
					<Self as pallet_avs_registry::BenchmarkHelper<_, _>>::schedule_allocation(
						operator, set, strategy, magnitude,
					);
					System::set_block_number(System::block_number() + ALLOCATION_DELAY);
				}
				fn schedule_allocation(
					operator: &AccountId,
					set: &OperatorSetId,
					strategy: StrategyId,
					magnitude: Magnitude,
				) {
					assert_ok!(Restaking::modify_allocation(
						RuntimeOrigin::signed(*operator),
						*set,
						strategy,
						magnitude
					));
				}
				fn fill_set_allocations(set: &OperatorSetId) {
					Restaking::benchmark_fill_set_allocations(*set, 0);
				}
				fn fill_books(operator: &AccountId, strategies: &[StrategyId]) {
					Restaking::benchmark_fill_books(operator, strategies);
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
					use frame_support::traits::fungibles::Inspect;
					if !<Assets as Inspect<AccountId>>::asset_exists(id) {
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
						(
							OperatorKey::Sr25519(pair.public()),
							OperatorSignature::Sr25519(pair.sign(&payload)),
						)
					}
					KeyType::Ed25519 => {
						let pair = ed25519::Pair::from_seed(&seed);
						(
							OperatorKey::Ed25519(pair.public()),
							OperatorSignature::Ed25519(pair.sign(&payload)),
						)
					}
					KeyType::Ecdsa => {
						let pair = ecdsa::Pair::from_seed(&seed);
						(
							OperatorKey::Ecdsa(pair.public()),
							OperatorSignature::Ecdsa(pair.sign(&payload)),
						)
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
				assert_ok!(AvsRegistry::register_for_operator_set(
					RuntimeOrigin::signed(op),
					set,
					key,
					proof
				));
			}

			/// `who` deposits `amount` in `strategy` and delegates to `op`.
			pub fn stake(who: AccountId, strategy: StrategyId, amount: u128, op: AccountId) {
				assert_ok!(Restaking::deposit(RuntimeOrigin::signed(who), strategy, amount));
				if Restaking::delegation(&who).is_none() {
					assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(who), op));
				}
			}

			/// `op` allocates `magnitude` of `strategy` to `set`; the allocation takes effect.
			pub fn allocate(
				op: AccountId,
				set: OperatorSetId,
				strategy: StrategyId,
				magnitude: Magnitude,
			) {
				assert_ok!(Restaking::modify_allocation(
					RuntimeOrigin::signed(op),
					set,
					strategy,
					magnitude
				));
				advance(ALLOCATION_DELAY);
			}

			/// Externalities of the registry test world: KSN and both LSTs for every test
			/// account, a keystore, and the native and LST strategies. Callers add their own
			/// setup.
			pub fn registry_world_ext() -> sp_io::TestExternalities {
				$crate::testing::reset_events_since_last_call();
				MockNativeStake::clear();
				let mut storage =
					frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
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
				});
				ext
			}
		}
		pub use registry_world::*;
	};
}
