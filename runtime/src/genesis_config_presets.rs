//! Genesis presets: the genesis state the node's `--dev` and `--chain local` chain specs start
//! from, and that `kasane-node export-chain-spec` writes out.
//!
//! Validators are declared as bonded stakers: native staking bonds each one's
//! [`VALIDATOR_BOND`], makes it a candidate and elects the first set from them; session keys
//! come with them.
//!
//! Both presets mirror three LSTs in pallet-assets (wstETH, rETH, cbETH; 18 decimals; owned by
//! the sudo account until the LST bridge mints them), endow every development account with
//! [`DEV_LST_ENDOWMENT`] of each, and open restaking strategies for native KSN and each LST.
//!
//! Both use [`DEV_DELAYS`] and [`DEVNET_ERA_CLOCK`]: withdrawals, allocations, veto windows
//! and native unbonding of minutes, so a person on a devnet sees them end (a real network's
//! genesis leaves them at their maxima: days).
//!
//! - `development`: one validator (Alice), the well-known dev accounts endowed, Alice as sudo.
//! - `local_testnet`: three validators (Alice, Bob, Charlie) for a multi-node network on one
//!   machine (and the zombienet tests).

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	currency::UNIT, AccountId, AssetsConfig, Balance, BalancesConfig, BlockNumber,
	ChainParametersConfig, LstBridgeConfig, RestakingConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, StakingConfig, SudoConfig, MINUTES,
};
use kasane_primitives::EraIndex;
use pallet_chain_parameters::Delays;
use pallet_lst_bridge::{ForkSchedule, InboundPolicy};
use pallet_restaking::StrategyKind;
use sp_runtime::Perbill;

/// Endowment of each development account: one million KSN.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// Self-bond of each genesis validator: 100 000 KSN.
pub const VALIDATOR_BOND: Balance = 100_000 * UNIT;

/// Commission of each genesis validator.
pub const VALIDATOR_COMMISSION: Perbill = Perbill::from_percent(5);

/// One whole unit of an 18-decimal LST.
pub const ETHER: Balance = 1_000_000_000_000_000_000;

/// The mirrored LSTs of the presets: (asset id, name, symbol).
pub const DEV_LSTS: [(u32, &str, &str); 3] = [
	(1, "Wrapped liquid staked Ether 2.0", "wstETH"),
	(2, "Rocket Pool ETH", "rETH"),
	(3, "Coinbase Wrapped Staked ETH", "cbETH"),
];

/// What each development account holds of each LST.
pub const DEV_LST_ENDOWMENT: Balance = 1_000 * ETHER;

/// Restaking caps of each LST strategy: the whole vault, and one staker.
pub const LST_DEPOSIT_CAP: Balance = 1_000_000 * ETHER;
pub const LST_PER_STAKER_CAP: Balance = 100_000 * ETHER;

/// How long eras are (sessions per era, blocks per session) and how many of them native
/// unbonding and a consensus slash's deferral last.
#[derive(Clone, Copy)]
pub struct EraClock {
	pub sessions_per_era: u32,
	pub session_length: BlockNumber,
	pub bonding_eras: EraIndex,
	pub slash_defer_eras: EraIndex,
}

/// Eras of the devnet presets: 2 sessions of a minute; unbonding takes 2 eras (2 to 4
/// minutes: at least a restaking withdrawal, less than [`DEV_DELAYS`]' allocation delay), a
/// consensus slash waits one.
pub const DEVNET_ERA_CLOCK: EraClock =
	EraClock { sessions_per_era: 2, session_length: MINUTES, bonding_eras: 2, slash_defer_eras: 1 };

/// The delays of the `development` and `local_testnet` presets: minutes, in the orderings a
/// real network's days keep (a withdrawal completes 2 min after it is queued and native
/// unbonding within 4, both before an allocation announced then applies; every veto window
/// ends before a deallocation does).
pub const DEV_DELAYS: Delays<BlockNumber> = Delays {
	withdrawal: 2 * MINUTES,
	allocation: 5 * MINUTES,
	deallocation: 2 * MINUTES,
	max_veto_window: MINUTES,
	commission_change: MINUTES,
};

/// A genesis validator: its account and its session keys.
pub struct GenesisValidator {
	pub account: AccountId,
	pub aura: AuraId,
	pub grandpa: GrandpaId,
}

impl GenesisValidator {
	/// A development validator: account and Aura key from `sr`, GRANDPA key from `ed` (both
	/// derived from `//<Name>`).
	pub fn dev(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		Self { account: sr.to_account_id(), aura: sr.public().into(), grandpa: ed.public().into() }
	}
}

/// The genesis state as a JSON patch over the runtime's default genesis.
pub fn kasane_genesis(
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	endowment: Balance,
	root: AccountId,
	clock: EraClock,
	delays: Delays<BlockNumber>,
) -> Value {
	let mut strategies = vec![(StrategyKind::Native, 0, 0)];
	strategies.extend(
		DEV_LSTS
			.iter()
			.map(|(id, ..)| (StrategyKind::Asset(*id), LST_DEPOSIT_CAP, LST_PER_STAKER_CAP)),
	);
	build_struct_json_patch!(RuntimeGenesisConfig {
		chain_parameters: ChainParametersConfig { delays: Some(delays) },
		assets: AssetsConfig {
			assets: DEV_LSTS
				.iter()
				.map(|(id, ..)| (*id, root.clone(), true, 1_000_000_000))
				.collect::<Vec<_>>(),
			metadata: DEV_LSTS
				.iter()
				.map(|(id, name, symbol)| (
					*id,
					name.as_bytes().to_vec(),
					symbol.as_bytes().to_vec(),
					18
				))
				.collect::<Vec<_>>(),
			accounts: DEV_LSTS
				.iter()
				.flat_map(|(id, ..)| endowed.iter().map(move |a| (
					*id,
					a.clone(),
					DEV_LST_ENDOWMENT
				)))
				.collect::<Vec<_>>(),
		},
		restaking: RestakingConfig { strategies },
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, endowment)).collect::<Vec<_>>(),
		},
		staking: StakingConfig {
			validators: validators
				.iter()
				.map(|v| (v.account.clone(), VALIDATOR_BOND, VALIDATOR_COMMISSION))
				.collect::<Vec<_>>(),
			sessions_per_era: Some(clock.sessions_per_era),
			session_length: Some(clock.session_length),
			bonding_eras: Some(clock.bonding_eras),
			slash_defer_eras: Some(clock.slash_defer_eras),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|v| {
					(v.account.clone(), v.account, SessionKeys { aura: v.aura, grandpa: v.grandpa })
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		// Development networks bridge to Snowbridge's devnet schedule (its fixtures and
		// Kasane's synthetic beacon chain sign under it), and act on attested messages too
		// (a spec made from a preset can choose proofs only here).
		lst_bridge: LstBridgeConfig {
			beacon_forks: Some(ForkSchedule::DEVNET),
			inbound_policy: Some(InboundPolicy::Attested),
		},
	})
}

/// The well-known development accounts (Alice … Ferdie and their `//stash` accounts).
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

fn development_config_genesis() -> Value {
	kasane_genesis(
		vec![GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		DEV_ENDOWMENT,
		Sr25519Keyring::Alice.to_account_id(),
		DEVNET_ERA_CLOCK,
		DEV_DELAYS,
	)
}

fn local_testnet_genesis() -> Value {
	kasane_genesis(
		vec![
			GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			GenesisValidator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			GenesisValidator::dev(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		dev_accounts(),
		DEV_ENDOWMENT,
		Sr25519Keyring::Alice.to_account_id(),
		DEVNET_ERA_CLOCK,
		DEV_DELAYS,
	)
}

/// The preset named `id`, serialized as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// Names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
