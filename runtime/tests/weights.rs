//! What transactions and blocks are charged, against what was measured on this runtime.

mod common;

use common::with_preset_state;
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::OnInitialize,
};
use kasane_runtime::{
	configs::{base_extrinsic, extensions_execution, RuntimeBlockWeights},
	weights::extrinsic_weights::ExtrinsicBaseWeight,
	AllPalletsWithSystem, BlockNumber, Runtime, RuntimeCall, System, TxExtension,
};
use sp_runtime::{generic::Era, traits::TransactionExtension};

fn extensions(nonce: u32, era: Era) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// `benchmark overhead` measured a whole signed remark, extensions included; the base weight
/// leaves out only what the extensions charge again for their execution, so a remark is
/// still charged at least what was measured, mortal or not.
#[test]
fn a_signed_remark_is_charged_at_least_what_benchmark_overhead_measured() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		let measured = ExtrinsicBaseWeight::get();
		let base = RuntimeBlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
		assert_eq!(base, base_extrinsic());
		assert!(
			extensions_execution().ref_time() < measured.ref_time(),
			"the extensions' benchmarked execution ({}) exceeds the whole remark's ({})",
			extensions_execution(),
			measured,
		);
		assert!(base.ref_time() > 0);

		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		// What is left out is exactly `TxExtension`'s execution: its weight less the storage
		// its extensions charge (the sender's account, read and written by the nonce check and
		// by the fee), the cheaper era's.
		let storage = <Runtime as frame_system::Config>::DbWeight::get().reads_writes(2, 2);
		let execution = [Era::Immortal, Era::mortal(256, 0)]
			.map(|era| {
				<TxExtension as TransactionExtension<RuntimeCall>>::weight(
					&extensions(0, era),
					&remark,
				)
				.ref_time() - storage.ref_time()
			})
			.into_iter()
			.min();
		assert_eq!(Some(extensions_execution().ref_time()), execution);
		for era in [Era::Immortal, Era::mortal(256, 0)] {
			let extensions = <TxExtension as TransactionExtension<RuntimeCall>>::weight(
				&extensions(0, era),
				&remark,
			);
			let charged = base + extensions + remark.get_dispatch_info().call_weight;
			assert!(
				charged.ref_time() >= measured.ref_time(),
				"a {era:?} remark is charged {charged}, less than the {measured} measured",
			);
		}
	});
}

/// A session rotation is charged its benchmarked weight, not a whole block (pallet-session's
/// own hook would charge `max_block`), so the block still takes transactions.
#[test]
fn a_session_rotation_block_leaves_room_for_transactions() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		let period: BlockNumber = pallet_native_staking::SessionLength::<Runtime>::get();
		let weights = RuntimeBlockWeights::get();
		for now in [period - 1, period] {
			System::set_block_number(now);
			let hooks = <AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(now);
			// The share of a block hooks may use on average; the rest is for transactions.
			assert!(
				hooks.ref_time() < weights.max_block.ref_time() / 10,
				"block {now}'s hooks are charged {hooks}",
			);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1);
	});
}

/// A GRANDPA report is charged as if its session held the most validators, whatever count its
/// proof claims (checking a proof of the current session rebuilds that session's ownership trie
/// before the count is compared), and for slashing the offender's pool at once (what native
/// staking does when the era's queue of deferred slashes is full). Not covered: a report that
/// raises the fraction of offenders already reported in its round (docs/benchmarks.md).
#[test]
fn a_grandpa_report_is_charged_the_largest_set_whatever_its_proof_claims() {
	use kasane_runtime::{
		configs::{GrandpaWeightInfo, MAX_AUTHORITIES},
		weights::pallet_grandpa::WeightInfo as Measured,
	};
	use pallet_grandpa::WeightInfo as _;
	use pallet_native_staking::WeightInfo as _;
	type Charged = <Runtime as pallet_grandpa::Config>::WeightInfo;

	let claimed_one = Charged::report_equivocation(1, 0);
	assert_eq!(claimed_one, Charged::report_equivocation(MAX_AUTHORITIES, 0));
	let largest_set =
		<Measured<Runtime> as GrandpaWeightInfo>::report_equivocation(MAX_AUTHORITIES);
	let slash_now = <Runtime as pallet_native_staking::Config>::WeightInfo::apply_slash();
	assert!(claimed_one.all_gte(largest_set.saturating_add(slash_now)));
	// Reports still fit a block many times over.
	let max = RuntimeBlockWeights::get().get(DispatchClass::Normal).max_extrinsic.unwrap();
	assert!(claimed_one.saturating_mul(50).all_lte(max), "{claimed_one} against {max}");
}
