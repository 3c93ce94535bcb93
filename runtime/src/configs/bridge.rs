//! The LST bridge (pallet-lst-bridge): Ethereum LSTs locked in `KasaneVault`, mirrored as
//! pallet-assets assets that restaking restakes.
//!
//! - **Nothing configured at genesis**: root sets the Ethereum endpoint (chain id and vault),
//!   the attester set and registers each token (which creates its asset, owned by the bridge's
//!   account so that only the bridge mints it).
//! - **Attesters**: up to 64 secp256k1 keys (the vault takes no more), a quorum of at least two
//!   thirds. When they are the members of an operator set (their registered ecdsa keys), an
//!   attester signing two different deposits for one nonce is slashed through the slashing
//!   pallet with that set's equivocation penalty, the relayer that showed it getting the
//!   reporter's share.
//! - **Rotation**: with the attesters bound to an operator set, they follow its membership:
//!   anyone proposes the hand-over (`rotate_attesters`), the current quorum signs it
//!   (`attest_rotation`), and the same signatures queue the rotation in the vault. The set
//!   must be governed: its AVS is owned by [`AttesterSetOwner`] (a keyless account root acts
//!   as through `utility.dispatch_as`) and joining needs its allowlist, so membership is
//!   governance's decision. An attester needs 100 000 KSN (the bridge set restakes native
//!   stake, valued one to one) allocated to the set, checked at every hand-over; one hand-over
//!   adds and removes at most a third of the set; it takes effect on Kasane a day after its
//!   quorum (root can refuse it meanwhile; it waits while the bridge is paused), and the
//!   vault keeps its own delay.
//! - **Limits**: the rolling mint limit counts hourly buckets over 24 hours; a deposit above it
//!   waits one day, during which root can cancel it (the vault then pays it back to the
//!   depositor). Rate reports older than two days are refused and the API marks rates that
//!   old stale; a report may be two minutes ahead of Kasane's clock; attesters sign the first
//!   report of each hour of Ethereum blocks (300), whoever else calls `reportRate`.
//! - **Withdrawals**: each pays 1 KSN, which goes to the relayer whose release transaction
//!   the attesters see on Ethereum; each token has a minimum withdrawal (root sets it with the
//!   token's limits); a released withdrawal's record is pruned a week after its release.
//! - **Guardian**: an account root names may pause the bridge; only root resumes it.
//! - **Valuation**: each accepted rate, less the token's haircut, becomes the AVS registry's
//!   exchange rate for the asset's restaking strategy (`ValueRestakedLsts`).
//! - **Beacon light client** (tier 2b): Snowbridge's `EthereumBeaconClient` follows Ethereum's
//!   beacon chain from a checkpoint root installs (`force_checkpoint`); anyone submits signed
//!   sync-committee updates (`submit`, free when they advance the finalized header by at least
//!   an epoch). The bridge takes receipts under the execution headers it verifies
//!   (`prove_deposit_beacon`); the inbound policy (root) decides whether attested headers or
//!   attestations still mint. The fork schedule it verifies under is the bridge's storage,
//!   set by root or the genesis preset (the development presets use Snowbridge's devnet
//!   schedule), never a build flag. Pausing the bridge halts it; root resumes it.

use frame_support::{parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use kasane_primitives::{
	avs::{OperatorKey, OperatorSetMembers},
	bridge::{AttesterEquivocation, BridgeNonce, OnRateUpdated},
	restaking::{AssetStrategies, OperatorSetId, SetExchangeRate},
	slashing::SlashingMode,
};
use sp_runtime::{traits::AccountIdConversion, DispatchError, Perbill, Weight};

use super::restaking::AssetId;
use crate::{
	AccountId, Assets, AvsRegistry, Balances, EthereumBeaconClient, Restaking, Runtime, Slashing,
	Timestamp, DAYS, HOURS,
};

parameter_types! {
	pub const BridgePalletId: PalletId = PalletId(*b"kas/lstb");
	/// Owns the bridge's AVS; nobody holds its key (root acts as it).
	pub AttesterSetOwner: AccountId = PalletId(*b"kas/atst").into_account_truncating();
	/// A third (rounded down, at least one) of the attesters per hand-over: newcomers never
	/// hold a quorum of the next set.
	pub const MaxRotationChange: Perbill = Perbill::from_percent(34);
	/// What a withdrawal to Ethereum pays the relayer that releases it.
	pub const WithdrawalFee: crate::Balance = crate::currency::UNIT;
}

/// Ethereum blocks per rate round: an hour (LST rates move once a day).
pub const RATE_ROUND: u64 = 300;

/// Least stake an attester keeps allocated to the bridge's operator set: 100 000 KSN.
pub const MIN_ATTESTER_STAKE: u128 = 100_000 * crate::currency::UNIT;

impl pallet_lst_bridge::Config for Runtime {
	type AssetId = AssetId;
	type Assets = Assets;
	type Verifier = pallet_lst_bridge::AttesterQuorum<Runtime>;
	type Equivocation = SlashDoubleSigningAttesters;
	type OnRateUpdated = ValueRestakedLsts;
	type OperatorSets = AvsRegistry;
	type AttesterSetOwner = AttesterSetOwner;
	type MinAttesterStake = frame_support::traits::ConstU128<MIN_ATTESTER_STAKE>;
	type MaxRotationChange = MaxRotationChange;
	type RotationDelay = ConstU32<DAYS>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type UnixTime = Timestamp;
	type PalletId = BridgePalletId;
	type MaxAttesters = ConstU32<64>;
	type BucketLength = ConstU32<HOURS>;
	type MintDelay = ConstU32<DAYS>;
	type MaxRateAge = frame_support::traits::ConstU64<{ 2 * 24 * 3600 }>;
	type MaxClockDrift = frame_support::traits::ConstU64<120>;
	// Deposits are attested in order, give or take a few thousand in flight.
	type MaxNoncesAhead = frame_support::traits::ConstU64<4_096>;
	// Only blocks with vault events are attested: 4 096 of them is weeks of deposits at a busy
	// vault's pace, far longer than a relayer takes to prove them (≈ 0.4 MB of state).
	type MaxTrustedHeaders = frame_support::traits::ConstU32<4_096>;
	// An honest attester signs headers one finalized block at a time; 32 waiting for the
	// others' signatures is ample, and bounds what a rogue attester makes the chain store.
	type MaxOpenHeaders = frame_support::traits::ConstU32<32>;
	// Halts need two attesters' conflicting signatures (one of them slashed and struck for the
	// set, or a third content, which pays); more than 64 waiting for root is an emergency.
	type MaxHaltedHeaders = frame_support::traits::ConstU32<64>;
	// A day: far longer than attesters take to sign a finalized block.
	type HeaderTallyExpiry = ConstU32<DAYS>;
	type BeaconClient = SnowbridgeBeaconClient;
	type Currency = Balances;
	type WithdrawalFee = WithdrawalFee;
	type ReleasedRetention = ConstU32<{ 7 * DAYS }>;
	type RateRound = frame_support::traits::ConstU64<RATE_ROUND>;
	type WeightInfo = pallet_lst_bridge::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BridgeBenchmarkHelper;
}

impl snowbridge_pallet_ethereum_client::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ForkVersions = pallet_lst_bridge::BeaconForkVersions<Runtime>;
	// An update is free when it advances the finalized header by an epoch (32 slots, 6.4
	// minutes) or more: what keeping the client live needs, and no more, is free.
	type FreeHeadersInterval = ConstU32<32>;
	type WeightInfo = crate::weights::snowbridge_pallet_ethereum_client::WeightInfo<Runtime>;
}

/// Snowbridge's beacon light client as the bridge uses it: its `Verifier`, and halting it.
pub struct SnowbridgeBeaconClient;

impl pallet_lst_bridge::BeaconClient for SnowbridgeBeaconClient {
	fn verify(
		log: &snowbridge_verification_primitives::Log,
		proof: &snowbridge_verification_primitives::Proof,
	) -> Result<(), snowbridge_verification_primitives::VerificationError> {
		<EthereumBeaconClient as snowbridge_verification_primitives::Verifier>::verify(log, proof)
	}

	fn halt() {
		let halted = EthereumBeaconClient::set_operating_mode(
			crate::RuntimeOrigin::root(),
			snowbridge_core::BasicOperatingMode::Halted,
		);
		debug_assert!(halted.is_ok(), "root may always halt the light client");
	}
}

/// An attester's double signing or contradiction: slash the operator of the attesters'
/// operator set that registered the key (departed ones still slashable included), once per
/// membership. Evidence is handed to the slashing pallet only while slashing executes in the
/// set: in log-only mode it would be logged and make the operator immune for its membership.
/// A slash that cannot follow for the moment (slashing disabled or log-only, the set's terms
/// taking nothing for equivocation, the epoch's cap reached: all for governance to lift) is an
/// error, so that the bridge keeps a contradiction's record, or refuses a double signature, for
/// later; one that can never follow is `Ok(false)`.
pub struct SlashDoubleSigningAttesters;

impl AttesterEquivocation<AccountId> for SlashDoubleSigningAttesters {
	fn report(
		reporter: &AccountId,
		set: &OperatorSetId,
		key: &sp_core::ecdsa::Public,
		nonce: BridgeNonce,
	) -> Result<bool, DispatchError> {
		let Some((key_set, operator)) =
			<AvsRegistry as OperatorSetMembers<AccountId>>::key_owner(&OperatorKey::Ecdsa(*key))
		else {
			return Ok(false);
		};
		if key_set != *set {
			return Ok(false);
		}
		if Slashing::effective_mode(set) != SlashingMode::Enabled {
			return Err(pallet_slashing::Error::<Runtime>::SlashingDisabled.into());
		}
		match Slashing::slash_equivocation(reporter.clone(), *set, operator, nonce) {
			Ok(_) => Ok(true),
			Err(e) if slash_may_follow_later(&e) => Err(e),
			Err(_) => Ok(false),
		}
	}

	fn weight() -> Weight {
		use pallet_slashing::WeightInfo;
		let strategies = <<Runtime as pallet_avs_registry::Config>::MaxStrategiesPerSet as frame_support::traits::Get<u32>>::get();
		// The key's owner, and the modes checked before handing the evidence on.
		<Runtime as pallet_slashing::Config>::WeightInfo::report_equivocation(strategies)
			.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(3))
	}
}

/// Whether `slash_equivocation` refused with an error that may pass: root enables slashing
/// again, the set's terms take something for equivocation again, or a later epoch leaves room
/// under the cap. The others (not slashable any more, punished already, nothing allocated, the
/// set gone) never pass.
fn slash_may_follow_later(error: &DispatchError) -> bool {
	use pallet_slashing::Error;
	[
		Error::<Runtime>::SlashingDisabled,
		Error::<Runtime>::NoEquivocationPenalty,
		Error::<Runtime>::EpochCapExceeded,
	]
	.into_iter()
	.any(|passing| *error == passing.into())
}

/// Each new rate of a mirrored asset, after its haircut, becomes the exchange rate the AVS
/// registry values the asset's restaking strategy at: rates are ETH per
/// 10¹⁸ units and `FixedU128` has 18 decimals, so the value carries over unchanged. An asset
/// with no strategy yet keeps no rate there; the next report after root adds the strategy sets
/// it.
pub struct ValueRestakedLsts;

impl OnRateUpdated<AssetId> for ValueRestakedLsts {
	fn rate_updated(asset: AssetId, haircut_rate: u128) {
		let Some(strategy) = <Restaking as AssetStrategies<AssetId>>::asset_strategy(&asset) else {
			return;
		};
		let rate = sp_runtime::FixedU128::from_inner(haircut_rate);
		// The registry refuses only a zero rate (a 100% haircut), and the strategy then keeps
		// its last rate.
		let _ = <AvsRegistry as SetExchangeRate>::set_exchange_rate(strategy, rate);
	}

	fn weight() -> Weight {
		use pallet_avs_registry::WeightInfo;
		<Runtime as pallet_avs_registry::Config>::WeightInfo::set_exchange_rate()
			.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(1))
	}
}

/// Fresh asset ids for the bridge benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BridgeBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lst_bridge::BenchmarkHelper<AccountId, AssetId> for BridgeBenchmarkHelper {
	fn asset_id(index: u32) -> AssetId {
		2_000_000 + index
	}

	fn finalize_beacon_header(
		header: pallet_lst_bridge::BeaconHeader,
		block_roots_root: sp_core::H256,
	) {
		EthereumBeaconClient::store_finalized_header(header, block_roots_root)
			.expect("a beacon header has an SSZ root");
	}

	/// A bridge AVS with an ecdsa operator set of 64, joined by `members` restaking operators
	/// through the registry's own calls, each proving its fresh key.
	fn operator_set(members: u32) -> (OperatorSetId, alloc::vec::Vec<AccountId>) {
		use crate::RuntimeOrigin;
		use frame_support::traits::fungible::Mutate;
		use kasane_primitives::{
			avs::{
				proof_of_possession_payload, KeyType, OperatorSignature, SlashExecution,
				SlashingTerms,
			},
			restaking::{SlashDestination, WAD},
		};
		let funded = |who: &AccountId| {
			crate::Balances::set_balance(who, 1_000_000 * crate::currency::UNIT);
		};
		let owner = AttesterSetOwner::get();
		funded(&owner);
		let avs = pallet_avs_registry::NextAvsId::<Runtime>::get();
		AvsRegistry::register_avs(RuntimeOrigin::signed(owner.clone()), b"bridge".to_vec())
			.expect("funded owner");
		let strategy = pallet_restaking::NativeStrategy::<Runtime>::get()
			.or_else(|| pallet_restaking::Strategies::<Runtime>::iter_keys().next())
			.expect("the development genesis has the native strategy");
		AvsRegistry::create_operator_set(
			RuntimeOrigin::signed(owner.clone()),
			avs,
			pallet_avs_registry::OperatorSetConfig {
				strategies: alloc::vec![(strategy, 0)].try_into().expect("one strategy"),
				max_operators: 64,
				key_type: KeyType::Ecdsa,
				allowlist: true,
				terms: SlashingTerms {
					mode: SlashExecution::Instant,
					max_slash_per_epoch: WAD / 5,
					slashed_funds: SlashDestination::Burn,
					equivocation_penalty: WAD / 10,
				},
			},
		)
		.expect("a valid set");
		let set = OperatorSetId { avs, index: 0 };
		let mut operators = alloc::vec::Vec::new();
		for i in 0..members {
			let who: AccountId = frame_benchmarking::account("bridge-operator", i, avs);
			funded(&who);
			// A validator candidate: its native pool is its stake in the set's strategy.
			crate::Staking::bond(RuntimeOrigin::signed(who.clone()), 2 * MIN_ATTESTER_STAKE)
				.expect("funded");
			crate::Staking::validate(RuntimeOrigin::signed(who.clone()), Perbill::zero())
				.expect("bonded enough");
			AvsRegistry::set_allowlist(
				RuntimeOrigin::signed(owner.clone()),
				set,
				who.clone(),
				true,
			)
			.expect("room on the allowlist");
			let key_type = sp_core::crypto::KeyTypeId(*b"opst");
			let key = sp_io::crypto::ecdsa_generate(key_type, None);
			let payload = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, &who);
			let proof = sp_io::crypto::ecdsa_sign(key_type, &key, &payload).expect("in keystore");
			AvsRegistry::register_for_operator_set(
				RuntimeOrigin::signed(who.clone()),
				set,
				OperatorKey::Ecdsa(key),
				OperatorSignature::Ecdsa(proof),
			)
			.expect("joins");
			crate::Restaking::modify_allocation(
				RuntimeOrigin::signed(who.clone()),
				set,
				strategy,
				WAD,
			)
			.expect("allocates");
			operators.push(who);
		}
		// Every allocation takes effect.
		let now = frame_system::Pallet::<Runtime>::block_number();
		frame_system::Pallet::<Runtime>::set_block_number(
			now + <<Runtime as pallet_restaking::Config>::AllocationDelay as frame_support::traits::Get<crate::BlockNumber>>::get(),
		);
		operators.sort();
		(set, operators)
	}
}
