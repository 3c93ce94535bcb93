//! Runtime APIs: what the node (block production, finality, transaction pool) and RPC clients
//! (fees, nonces, metadata, genesis presets) call into the runtime for.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_session::OpaqueGeneratedSessionKeys;
use sp_version::RuntimeVersion;

use crate::{
	configs::restaking::RewardAssetId, AccountId, Aura, AvsRegistry, Balance, Block, BlockNumber,
	Executive, Grandpa, Historical, InherentDataExt, LstBridge, Nonce, Restaking, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, Slashing, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			pallet_grandpa::CurrentSetId::<Runtime>::get()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;

			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl kasane_primitives::restaking::RestakingApi<Block, AccountId, BlockNumber, RewardAssetId> for Runtime {
		fn staker(who: AccountId) -> kasane_primitives::restaking::StakerView<AccountId, BlockNumber> {
			Restaking::staker_view(&who)
		}

		fn operator(operator: AccountId) -> kasane_primitives::restaking::OperatorView<BlockNumber> {
			Restaking::operator_view(&operator)
		}

		fn claimable_rewards(
			who: AccountId,
			strategy: kasane_primitives::restaking::StrategyId,
		) -> Vec<(RewardAssetId, u128)> {
			Restaking::claimable_rewards_view(&who, strategy)
		}
	}

	impl kasane_primitives::avs::AvsApi<Block, AccountId, BlockNumber, RewardAssetId> for Runtime {
		fn operator_sets(
			order: kasane_primitives::avs::MarketOrder<RewardAssetId>,
			offset: u32,
			limit: u32,
		) -> Vec<kasane_primitives::avs::OperatorSetMarketView<AccountId, BlockNumber, RewardAssetId>> {
			AvsRegistry::operator_sets_view(order, offset, limit)
		}

		fn security(
			set: kasane_primitives::restaking::OperatorSetId,
		) -> Option<kasane_primitives::avs::SecurityView> {
			AvsRegistry::security_view(set)
		}
	}

	impl kasane_primitives::slashing::SlashingApi<Block, AccountId, BlockNumber> for Runtime {
		fn operator_slashes(
			operator: AccountId,
			limit: u32,
		) -> Vec<kasane_primitives::slashing::SlashRecord<AccountId, BlockNumber>> {
			Slashing::operator_slashes(&operator, limit)
		}

		fn set_slashes(
			set: kasane_primitives::restaking::OperatorSetId,
			limit: u32,
		) -> Vec<kasane_primitives::slashing::SlashRecord<AccountId, BlockNumber>> {
			Slashing::set_slashes(&set, limit)
		}

		fn staker_exposure(
			staker: AccountId,
		) -> Vec<kasane_primitives::slashing::StakerExposure<AccountId, BlockNumber>> {
			Slashing::staker_exposure(&staker)
		}

		fn slash(
			id: kasane_primitives::slashing::SlashId,
		) -> Option<kasane_primitives::slashing::SlashRecord<AccountId, BlockNumber>> {
			pallet_slashing::Slashes::<Runtime>::get(id)
		}

		fn mode(
			set: kasane_primitives::restaking::OperatorSetId,
		) -> kasane_primitives::slashing::ModeView {
			Slashing::mode_view(&set)
		}
	}

	#[api_version(4)]
	impl kasane_primitives::bridge::LstBridgeApi<Block, AccountId, crate::configs::restaking::AssetId, BlockNumber> for Runtime {
		fn rate(asset: crate::configs::restaking::AssetId) -> Option<kasane_primitives::bridge::RateView> {
			LstBridge::rate_view(asset)
		}

		fn value_in_eth(asset: crate::configs::restaking::AssetId, amount: u128) -> Option<u128> {
			LstBridge::value_in_eth(asset, amount)
		}

		fn deposit_status(
			nonce: kasane_primitives::bridge::BridgeNonce,
		) -> kasane_primitives::bridge::DepositStatus<BlockNumber> {
			LstBridge::deposit_status(nonce)
		}

		fn withdrawal(
			nonce: kasane_primitives::bridge::BridgeNonce,
		) -> Option<kasane_primitives::bridge::EthWithdrawalView<AccountId>> {
			LstBridge::withdrawal_view(nonce)
		}

		fn unsigned_withdrawals(
			from_nonce: kasane_primitives::bridge::BridgeNonce,
			limit: u32,
		) -> Vec<kasane_primitives::bridge::EthWithdrawalView<AccountId>> {
			LstBridge::unsigned_withdrawals(from_nonce, limit)
		}
		fn attesters() -> Option<kasane_primitives::bridge::AttesterSetView> {
			LstBridge::attesters_view()
		}

		fn rotation_due() -> Option<Vec<AccountId>> {
			LstBridge::rotation_due()
		}

		fn pending_rotation() -> Option<kasane_primitives::bridge::RotationView> {
			LstBridge::pending_rotation()
		}

		fn rotation(attester_set_id: u64) -> Option<kasane_primitives::bridge::RotationView> {
			LstBridge::rotation(attester_set_id)
		}

		fn proofs_required() -> bool {
			LstBridge::proofs_required()
		}

		fn header_status(number: u64) -> kasane_primitives::bridge::HeaderStatus {
			LstBridge::header_status(number)
		}

		fn retryable_deposits(
			after: Option<kasane_primitives::bridge::BridgeNonce>,
			scan: u32,
		) -> (Vec<kasane_primitives::bridge::BridgeNonce>, Option<kasane_primitives::bridge::BridgeNonce>) {
			LstBridge::retryable_deposits(after, scan)
		}

		fn attester_key(
			set: kasane_primitives::restaking::OperatorSetId,
			attester: kasane_primitives::bridge::EthAddress,
		) -> Option<sp_core::ecdsa::Public> {
			LstBridge::attester_key(&set, &attester)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use crate::{
				Assets, Balances, EthereumBeaconClient, Multisig, Proxy, Staking, Sudo, Timestamp,
				TransactionPayment, Utility,
			};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use crate::session_benchmarking::Pallet as SessionBench;
			use crate::grandpa_benchmarking::Pallet as GrandpaBench;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::TrackedStorageKey;
			use crate::{
				Assets, Balances, EthereumBeaconClient, Multisig, Proxy, Staking, Sudo, Timestamp,
				TransactionPayment, Utility,
			};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use crate::session_benchmarking::Pallet as SessionBench;
			use crate::grandpa_benchmarking::Pallet as GrandpaBench;

			impl frame_system_benchmarking::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}
			impl frame_benchmarking::baseline::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = crate::AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
}
