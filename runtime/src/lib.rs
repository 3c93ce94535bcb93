//! # Kasane runtime
//!
//! The state transition function of Kasane, a standalone restaking chain. This crate composes
//! FRAME pallets into one runtime that compiles both to wasm (the on-chain code the node
//! executes) and natively (for tests and genesis building).
//!
//! Layout:
//! - [`configs`]: one file per area (system, consensus, monetary, governance, accounts, staking,
//!   restaking, avs, slashing, bridge, parameters: the genesis-set delays) holding each
//!   pallet's `Config` and its parameters;
//! - [`apis`]: the runtime APIs the node and RPC clients call;
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.
//!
//! Native token: **KSN**, 12 decimals ([`currency::UNIT`] = 10^12 planck), SS58 prefix
//! [`SS58_PREFIX`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` needs a deep recursion limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// The `runtime` and `impl_opaque_keys` macros expand to code naming `Vec`, also without std.
use alloc::vec::Vec;

// Declared before `apis`: its `list_benchmarks!`/`add_benchmarks!` macros are textually scoped.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(feature = "runtime-benchmarks")]
mod grandpa_benchmarking;
#[cfg(feature = "runtime-benchmarks")]
mod session_benchmarking;
pub mod weights;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Block number: one every [`MILLISECS_PER_BLOCK`].
pub type BlockNumber = u32;
/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// Account id: the public key of the signing scheme (32 bytes).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance in planck: 1 KSN = 10^12 planck.
pub type Balance = u128;
/// Per-account transaction counter.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;

/// SS58 address prefix of Kasane accounts (`ss58Format` in the chain spec properties).
///
/// 4747 is unassigned in the public SS58 registry (the `ss58-registry` crate's list, checked by
/// a node test), so wallets and explorers do not label Kasane accounts as another network's;
/// every Kasane address starts with `kX`.
pub const SS58_PREFIX: u16 = 4747;
/// Ticker of the native token.
pub const TOKEN_SYMBOL: &str = "KSN";
/// Decimals of the native token.
pub const TOKEN_DECIMALS: u8 = 12;

/// Denominations of KSN.
pub mod currency {
	use super::Balance;

	/// One KSN.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// 10^-3 KSN.
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// 10^-6 KSN.
	pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
	/// Balance below which an account is reaped: 0.01 KSN.
	pub const EXISTENTIAL_DEPOSIT: Balance = 10 * MILLI_UNIT;

	/// Deposit for storing `items` entries taking `bytes` bytes: priced so that state bloat costs
	/// real money (0.1 KSN per item, 0.1 milli-KSN per byte).
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		items as Balance * 100 * MILLI_UNIT + bytes as Balance * 100 * MICRO_UNIT
	}
}

/// Target block time. Aura slots have this length; it cannot change once the chain runs.
pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Aura slot length.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// Session keys of a validator: Aura for block authorship, GRANDPA for finality.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("kasane"),
	impl_name: alloc::borrow::Cow::Borrowed("kasane-node"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Address format: a plain account id or an index.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// Checks every signed transaction goes through, in this order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsic as it appears in a block.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// Payload a transaction signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations the next runtime upgrade runs, oldest first. Each is versioned: it runs
/// only on a chain whose pallet is still at the version it migrates from (a chain started from
/// this runtime's genesis never runs it), so one stays here until every live chain has run it.
type Migrations = (
	pallet_native_staking::migrations::MigrateV0ToV1<Runtime>,
	pallet_restaking::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_lst_bridge::migrations::v1::MigrateV0ToV1<Runtime>,
);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

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
	pub struct Runtime;

	// Core.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	// Before every pallet that reads the delays, so its genesis sees the chain's.
	#[runtime::pallet_index(2)]
	pub type ChainParameters = pallet_chain_parameters;

	// Money.
	#[runtime::pallet_index(5)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(6)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Consensus. Authorship must come before Session so the author is known when the session
	// rotates; Staking before Session so its genesis (bonded validators) exists when Session's
	// genesis asks it for the first set; Session before Aura and Grandpa so their authority sets
	// are updated first.
	#[runtime::pallet_index(10)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(9)]
	pub type Staking = pallet_native_staking;
	#[runtime::pallet_index(11)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(12)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(13)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(14)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(15)]
	pub type Grandpa = pallet_grandpa;

	// Account utilities.
	#[runtime::pallet_index(20)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(21)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(22)]
	pub type Multisig = pallet_multisig;

	// Governance (devnets and testnets: sudo; a council replaces it before mainnet).
	#[runtime::pallet_index(30)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(40)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(41)]
	pub type Restaking = pallet_restaking;
	#[runtime::pallet_index(42)]
	pub type AvsRegistry = pallet_avs_registry;
	#[runtime::pallet_index(43)]
	pub type Slashing = pallet_slashing;
	#[runtime::pallet_index(44)]
	pub type LstBridge = pallet_lst_bridge;
	#[runtime::pallet_index(45)]
	pub type EthereumBeaconClient = snowbridge_pallet_ethereum_client;
}
