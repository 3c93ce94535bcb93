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
	AllPalletsWithSystem, BlockNumber, Runtime, RuntimeCall, Staking, System, TxExtension,
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

/// A full queue of deferred slashes (one per validator a set may hold) is not applied in its
/// era's first block (a whole queue is 1.8 s of work) but a page per block from there, every
/// block's hooks within a tenth of a block, and all of it before the era ends.
#[test]
fn a_full_queue_of_due_slashes_is_applied_a_page_per_block_within_its_era() {
	use frame_support::traits::Get;
	use pallet_native_staking::{types::UnappliedSlash, DueSlashes, UnappliedSlashes};
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		let max: u32 = <Runtime as pallet_native_staking::Config>::MaxSlashesPerEra::get();
		let page: u32 =
			<Runtime as pallet_native_staking::Config>::MaxSlashesAppliedPerBlock::get();
		let queue = (0..max)
			.map(|i| UnappliedSlash {
				validator: kasane_runtime::AccountId::from([i as u8; 32]),
				fraction: sp_runtime::Perbill::from_percent(10),
				offence_era: 0,
				record: None,
			})
			.collect();
		UnappliedSlashes::<Runtime>::insert(1, frame_support::BoundedVec::truncate_from(queue));
		let era_blocks = pallet_native_staking::SessionLength::<Runtime>::get()
			* pallet_native_staking::SessionsPerEra::<Runtime>::get();
		let weights = RuntimeBlockWeights::get();
		let mut started = None;
		for now in 1..=3 * era_blocks {
			System::set_block_number(now);
			let hooks = <AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(now);
			assert!(
				hooks.ref_time() < weights.max_block.ref_time() / 10,
				"block {now}'s hooks are charged {hooks}",
			);
			if started.is_none()
				&& pallet_native_staking::ActiveEra::<Runtime>::get().is_some_and(|a| a.index == 1)
			{
				started = Some(now);
			}
			if let Some(start) = started {
				let applied = (now - start + 1) * page;
				assert_eq!(DueSlashes::<Runtime>::get().len() as u32, max.saturating_sub(applied));
				if applied >= max {
					assert!(now - start < era_blocks, "the queue outlived its era");
					Staking::do_try_state().unwrap();
					return;
				}
			}
		}
		panic!("era 1 did not start or its slashes were not applied");
	});
}

/// A GRANDPA report is charged as if its session held the most validators, whatever count its
/// proof claims (checking a proof of the current session rebuilds that session's ownership trie
/// before the count is compared), with that check's growing part twice (`pre_dispatch` checks
/// the proof again), and for a round whose every validator is an offender: pallet-offences reads
/// every earlier report of the round and hands native staking all of its offenders so far, each
/// a slash whose record may push a decided one out of the history.
#[test]
fn a_grandpa_report_is_charged_the_largest_set_and_round_whatever_its_proof_claims() {
	use kasane_runtime::{
		configs::{GrandpaWeightInfo, MAX_AUTHORITIES},
		weights::pallet_grandpa::WeightInfo as Measured,
	};
	use pallet_grandpa::WeightInfo as _;
	type Charged = <Runtime as pallet_grandpa::Config>::WeightInfo;

	let claimed_one = Charged::report_equivocation(1, 0);
	assert_eq!(claimed_one, Charged::report_equivocation(MAX_AUTHORITIES, 0));
	let largest_set =
		<Measured<Runtime> as GrandpaWeightInfo>::report_equivocation(MAX_AUTHORITIES);
	let empty_set = <Measured<Runtime> as GrandpaWeightInfo>::report_equivocation(0);
	let whole_round = Staking::offence_report_weight(MAX_AUTHORITIES);
	assert!(whole_round.all_gt(Staking::offence_report_weight(1)));
	let earlier_reports =
		<Runtime as frame_system::Config>::DbWeight::get().reads(u64::from(MAX_AUTHORITIES) - 1);
	assert!(claimed_one.all_gte(
		largest_set
			.saturating_add(largest_set.saturating_sub(empty_set))
			.saturating_add(earlier_reports)
			.saturating_add(whole_round)
	));
	// The reports of a quarter of the set still fit one block.
	let max = RuntimeBlockWeights::get().get(DispatchClass::Normal).max_extrinsic.unwrap();
	assert!(claimed_one.saturating_mul(25).all_lte(max), "{claimed_one} against {max}");
}
