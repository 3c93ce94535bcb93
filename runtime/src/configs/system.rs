//! `frame_system` and timestamp: block limits, account model, chain identity.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU32, ConstU64, Get},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, RuntimeDbWeight, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use crate::{
	weights::{
		block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
		paritydb_weights::constants::ParityDbWeight,
	},
	AccountId, Aura, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, SLOT_DURATION, SS58_PREFIX, VERSION,
};

/// Share of a block that normal (user) transactions may fill; the rest is kept for operational
/// transactions and inherents.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of compute per block, a third of the six-second slot: the rest is for
/// propagating and importing it.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

/// Share of a block that `on_initialize` hooks use on average: the largest single extrinsic
/// leaves this much room for them.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);

/// Largest block in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block: polkadot-sdk's sensible defaults, except
	/// that an empty block and the base of every extrinsic cost what `benchmark overhead`
	/// measured on this runtime, not upstream's figures. The base is a signed `system.remark`
	/// without its transaction extensions' execution, which every transaction is charged as
	/// those extensions' own weights ([`extensions_execution`]).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = base_extrinsic();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	/// 5 MiB per block, of which normal transactions may fill `NORMAL_DISPATCH_RATIO`.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAX_BLOCK_LENGTH
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// Prices no storage access, to read a benchmarked weight's execution alone.
pub struct NoStorageAccess;

impl Get<RuntimeDbWeight> for NoStorageAccess {
	fn get() -> RuntimeDbWeight {
		RuntimeDbWeight { read: 0, write: 0 }
	}
}

/// The execution, without storage accesses, of every extension in [`crate::TxExtension`], as
/// benchmarked on this runtime (a mortal or immortal era, whichever is cheaper).
///
/// `benchmark overhead` measures [`ExtrinsicBaseWeight`] as a whole signed `system.remark`,
/// so it ran these already, and each extension's weight is charged again with every
/// transaction (polkadot-sdk#9981). Only their execution is in both: the overhead benchmark
/// never commits a block, so their storage writes are charged by the extensions alone.
pub fn extensions_execution() -> Weight {
	use frame_system::ExtensionsWeightInfo as _;
	use pallet_transaction_payment::WeightInfo as _;
	type System = crate::weights::frame_system_extensions::WeightInfo<Runtime, NoStorageAccess>;
	type Payment = crate::weights::pallet_transaction_payment::WeightInfo<Runtime, NoStorageAccess>;
	[
		System::check_non_zero_sender(),
		System::check_spec_version(),
		System::check_tx_version(),
		System::check_genesis(),
		System::check_mortality_mortal_transaction()
			.min(System::check_mortality_immortal_transaction()),
		System::check_nonce(),
		System::check_weight(),
		Payment::charge_transaction_payment(),
		System::weight_reclaim(),
	]
	.into_iter()
	.fold(Weight::zero(), Weight::saturating_add)
}

/// The base weight of every extrinsic: the overhead benchmark's remark less what its
/// extensions charge for their execution ([`extensions_execution`]).
pub fn base_extrinsic() -> Weight {
	ExtrinsicBaseWeight::get()
		.saturating_sub(Weight::from_parts(extensions_execution().ref_time(), 0))
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	// Session keys are purged through `Staking::purge_keys`, which keeps an elected
	// validator's keys for its era; `Session::purge_keys` would not.
	type BaseCallFilter = pallet_native_staking::NoSessionKeyPurge<Runtime>;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores state in ParityDB: a read and a write as measured on a large state.
	type DbWeight = ParityDbWeight;
	// Measured on this runtime (`scripts/benchmark-pallets.sh`), as every upstream pallet's
	// calls but session's and GRANDPA's.
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	// Every transaction pays these: measured on this runtime.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	// Aura derives its slot duration as twice this period.
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}
