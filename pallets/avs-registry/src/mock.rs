//! A test runtime with the real restaking pallet behind the registry: balances, two mirrored
//! LSTs (pallet-assets), restaking, and native pools kept in a thread-local table.

use crate::{self as pallet_avs_registry, *};
use frame_support::{
	assert_ok, parameter_types,
	traits::{fungible::NativeOrWithId, Hooks},
};
use kasane_primitives::restaking::SlashDestination;
use sp_core::{sr25519, Pair};
use sp_runtime::Weight;

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
}

kasane_primitives::registry_test_world!(RecordRegistryEvents);

parameter_types! {
	/// What the registry told the slashing pallet: purged (set, operator), deregistered AVSs.
	pub static PurgedMemberships: Vec<(OperatorSetId, AccountId)> = vec![];
	pub static DeregisteredAvsList: Vec<(u32, u32)> = vec![];
}

/// Records the registry's events for slashing.
pub struct RecordRegistryEvents;
impl kasane_primitives::slashing::RegistryEvents<AccountId> for RecordRegistryEvents {
	fn membership_purged(set: &OperatorSetId, operator: &AccountId) {
		PurgedMemberships::mutate(|v| v.push((*set, *operator)));
	}
	fn avs_deregistered(avs: u32, sets: u32) {
		DeregisteredAvsList::mutate(|v| v.push((avs, sets)));
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		registry_world_ext()
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

/// The pallet's events since the last call (or since the test began), in order.
pub fn registry_events_since_last_call() -> Vec<Event<Test>> {
	kasane_primitives::testing::events_since_last_call("avs-registry", registry_events())
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
	let set = OperatorSetId { avs, index: AvsRecords::<Test>::get(avs).unwrap().sets };
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

/// `who`'s balance of a reward asset.
pub fn balance(asset: NativeOrWithId<u32>, who: AccountId) -> u128 {
	<RewardAssets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(asset, &who)
}
