//! The pallets `kasane-node benchmark pallet` measures (built with `--features
//! runtime-benchmarks`).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_assets, Assets]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_proxy, Proxy]
	[pallet_multisig, Multisig]
	[pallet_session, SessionBench::<Runtime>]
	[pallet_grandpa, GrandpaBench::<Runtime>]
	[pallet_native_staking, Staking]
	[pallet_restaking, Restaking]
	[pallet_avs_registry, AvsRegistry]
	[pallet_slashing, Slashing]
	[pallet_lst_bridge, LstBridge]
	[snowbridge_pallet_ethereum_client, EthereumBeaconClient]
);
