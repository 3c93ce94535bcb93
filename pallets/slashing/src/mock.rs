//! A test runtime with the real restaking pallet and AVS registry behind the slashing pallet:
//! balances, two mirrored LSTs (pallet-assets), restaking, the registry, and native pools kept
//! in a thread-local table.

use crate::{self as pallet_slashing, *};
use frame_support::{
	assert_ok, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use kasane_primitives::{
	avs::{KeyType, SlashExecution, SlashingTerms},
	restaking::{Magnitude, SlashDestination, StrategyId},
};
pub use pallet_avs_registry::{
	AvsRecords, NextAvsId, OperatorSetConfig, OperatorSetConfigOf, SlashingTermsOf,
};
use sp_core::{sr25519, Pair};
use sp_runtime::{Perbill, Weight};

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
	#[runtime::pallet_index(4)]
	pub type AvsRegistry = pallet_avs_registry;
	#[runtime::pallet_index(5)]
	pub type Slashing = pallet_slashing;
}

kasane_primitives::registry_test_world!(Slashing);

parameter_types! {
	/// Weight each block may spend executing due slashes; tests shrink it to force paging.
	pub storage ExecutionWeight: Weight = Weight::from_parts(1_000_000_000_000, 10_000_000);
	pub storage HistoryDepth: u32 = 50;
	pub const ReporterShare: Perbill = Perbill::from_percent(10);
	pub const ExecutorShare: Perbill = Perbill::from_percent(1);
}

pub const EPOCH: u64 = 100;
/// The veto council.
pub const COUNCIL: AccountId = 77;

/// KSN a pending request holds.
pub const REQUEST_DEPOSIT: u128 = 50;
/// Least slash fraction a request may ask for.
pub const MIN_SLASH: Magnitude = 1_000;
/// A report is free when it slashes at least this much (native, or LSTs at one to one).
pub const FREE_REPORT_FLOOR: u128 = 100;

impl pallet_slashing::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Valuation = AvsRegistry;
	type RequestDeposit = ConstU128<REQUEST_DEPOSIT>;
	type MaxPendingPerAvs = ConstU32<4>;
	type MinSlashFraction = ConstU128<MIN_SLASH>;
	type MinFreeReportNative = ConstU128<FREE_REPORT_FLOOR>;
	type MinFreeReportValue = ConstU128<FREE_REPORT_FLOOR>;
	type Registry = AvsRegistry;
	type Restaking = Restaking;
	type NativeStake = MockNativeStake;
	type VetoOrigin = frame_system::EnsureSignedBy<Council, AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type EpochLength = ConstU64<EPOCH>;
	type ReporterShare = ReporterShare;
	type ExecutorShare = ExecutorShare;
	type MaxDuePerBlock = ConstU32<4>;
	type HistoryDepth = HistoryDepth;
	type ExecutionWeightPerBlock = ExecutionWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

frame_support::ord_parameter_types! {
	pub const Council: AccountId = COUNCIL;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, u64> for MockBenchmarkHelper {
	fn slashable_operator(operator: &AccountId, strategies: u32, stakers: u32) -> OperatorSetId {
		let set = OperatorSetId { avs: 7, index: 0 };
		Restaking::benchmark_slashable_operator(operator, &set, strategies, stakers);
		set
	}
	fn max_strategies() -> u32 {
		<<Test as pallet_avs_registry::Config>::MaxStrategiesPerSet as frame_support::traits::Get<
			u32,
		>>::get()
	}
	fn configure(
		operator: &AccountId,
		set: &OperatorSetId,
		key: OperatorKey,
		terms: SlashingTerms<AccountId, u64>,
	) {
		AvsRegistry::benchmark_configure(operator, set, key, terms);
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		let mut ext = registry_world_ext();
		ext.execute_with(|| {
			// The tests' sets pay slashed LSTs to the treasury: the stakers opted in.
			for strategy in [STRAT_A, STRAT_B] {
				assert_ok!(Restaking::set_strategy_redistribution(
					RuntimeOrigin::root(),
					strategy,
					true
				));
			}
		});
		ext
	}

	/// Run `test`, then check every invariant of the registry and of restaking.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Slashing::do_try_state().expect("slashing try_state after the test");
			AvsRegistry::do_try_state().expect("registry try_state after the test");
			Restaking::do_try_state().expect("restaking try_state after the test");
		});
	}
}

/// The reason URI every test request carries.
pub fn reason() -> ReasonUri {
	b"ipfs://evidence".to_vec().try_into().unwrap()
}

/// `AVS_OWNER` requests a slash of `fraction` of what `OP1` allocated to `set`; its id.
pub fn request(set: OperatorSetId, fraction: Magnitude) -> SlashId {
	assert_ok!(Slashing::request_slash(
		RuntimeOrigin::signed(AVS_OWNER),
		OP1,
		set,
		fraction,
		reason()
	));
	NextSlashId::<Test>::get() - 1
}

/// Advance `blocks` blocks, running the registry's and the slashing pallet's
/// `on_initialize` in each.
pub fn advance(blocks: u64) {
	for _ in 0..blocks {
		let n = System::block_number() + 1;
		System::set_block_number(n);
		AvsRegistry::on_initialize(n);
		Slashing::on_initialize(n);
	}
}

/// The slashing pallet's events so far.
pub fn slashing_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Slashing(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The pallet's events since the last call (or since the test began), in order.
pub fn slashing_events_since_last_call() -> Vec<Event<Test>> {
	kasane_primitives::testing::events_since_last_call("slashing", slashing_events())
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

/// `AVS_OWNER` registers an AVS with one set accepting both LST strategies and `Native`
/// under `terms`.
pub fn avs_with_terms(terms: SlashingTermsOf<Test>) -> OperatorSetId {
	assert_ok!(AvsRegistry::register_avs(RuntimeOrigin::signed(AVS_OWNER), b"ipfs://avs".to_vec()));
	let avs = NextAvsId::<Test>::get() - 1;
	let set = OperatorSetId { avs, index: AvsRecords::<Test>::get(avs).unwrap().sets };
	let mut config = set_config(&[NATIVE, STRAT_A, STRAT_B]);
	config.terms = terms;
	assert_ok!(AvsRegistry::create_operator_set(RuntimeOrigin::signed(AVS_OWNER), avs, config));
	set
}

/// Veto terms with `window` blocks, up to half per epoch, slashed funds to the treasury.
pub fn veto_terms(window: u64) -> SlashingTermsOf<Test> {
	SlashingTerms { mode: SlashExecution::Veto { window }, ..terms() }
}

/// The sr25519 key `join` gives `op` in `set`.
pub fn member_pair(op: AccountId, set: OperatorSetId) -> sr25519::Pair {
	let salt = 100u8.wrapping_add((set.avs * 16 + set.index) as u8);
	let mut seed = [salt; 32];
	seed[..8].copy_from_slice(&op.to_le_bytes());
	sr25519::Pair::from_seed(&seed)
}

/// A message for `set` in `round` with payload `payload`, and `pair`'s signature of it.
pub fn signed(
	pair: &sr25519::Pair,
	set: OperatorSetId,
	round: u64,
	payload: &[u8],
) -> (AvsMessage, OperatorSignature) {
	let message = AvsMessage { set, round, payload_hash: sp_io::hashing::blake2_256(payload) };
	let signature = pair.sign(&message.signing_payload(&AvsRegistry::genesis_hash()));
	(message, OperatorSignature::Sr25519(signature))
}

/// An operator `OP1` in a set with `terms`, with `ALICE`'s 1 000 of LST A delegated and all
/// of it allocated to the set.
pub fn slashable_op1(terms: SlashingTermsOf<Test>) -> OperatorSetId {
	let set = avs_with_terms(terms);
	restaking_operator(OP1);
	join(OP1, set);
	stake(ALICE, STRAT_A, 1_000, OP1);
	allocate(OP1, set, STRAT_A, WAD);
	set
}

/// What `who` could withdraw from its position in `strategy` now.
pub fn withdrawable(who: AccountId, strategy: StrategyId) -> u128 {
	let view = Restaking::staker_view(&who);
	view.positions.iter().find(|p| p.strategy == strategy).map_or(0, |p| p.withdrawable)
}
