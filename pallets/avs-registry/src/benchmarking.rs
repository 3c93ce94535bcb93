//! Benchmarks (v2) of every call and of the per-era payouts, each in its worst case.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate as _, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use kasane_primitives::{avs::proof_of_possession_payload, restaking::SlashDestination};
use sp_runtime::{traits::Saturating, FixedU128, Weight};

const SEED: u32 = 0;
/// Stake behind each benchmark operator, per strategy.
const STAKE: u128 = 1_000_000_000_000_000;
/// What each benchmark account is given: plenty, yet thousands of them fit in a `u128` issuance.
const PLENTY: u128 = 1_000_000_000_000_000_000_000_000_000_000;
/// The key type benchmark keys are generated under.
const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"avsb");

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(
		&who,
		T::AvsDeposit::get().saturating_mul(1_000).saturating_add(PLENTY),
	);
	who
}

fn terms<T: Config>() -> SlashingTermsOf<T> {
	SlashingTerms {
		mode: SlashExecution::Veto { window: T::MaxVetoWindow::get() },
		max_slash_per_epoch: WAD / 2,
		slashed_funds: SlashDestination::To(account("treasury", 0, SEED)),
		equivocation_penalty: WAD / 10,
	}
}

fn config<T: Config>(
	strategies: &[(StrategyId, u128)],
	key_type: KeyType,
) -> OperatorSetConfigOf<T> {
	OperatorSetConfig {
		strategies: BoundedVec::truncate_from(strategies.to_vec()),
		max_operators: T::MaxOperatorsPerSet::get(),
		key_type,
		allowlist: true,
		terms: terms::<T>(),
	}
}

/// An AVS owned by a fresh account, with `sets` sets accepting `strategies`.
fn avs<T: Config>(
	index: u32,
	sets: u32,
	strategies: &[(StrategyId, u128)],
	key_type: KeyType,
) -> (T::AccountId, kasane_primitives::restaking::AvsId) {
	let owner = funded::<T>("avs-owner", index);
	Pallet::<T>::register_avs(RawOrigin::Signed(owner.clone()).into(), Vec::new())
		.expect("registers");
	let id = NextAvsId::<T>::get() - 1;
	for _ in 0..sets {
		Pallet::<T>::do_create_operator_set(&owner, id, config::<T>(strategies, key_type))
			.expect("set");
	}
	(owner, id)
}

/// An ecdsa key for `who` in `set` and its proof of possession, made with the host's keystore.
fn ecdsa_key<T: Config>(
	who: &T::AccountId,
	set: &OperatorSetId,
) -> (OperatorKey, OperatorSignature) {
	let public = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
	let payload = proof_of_possession_payload(&Pallet::<T>::genesis_hash(), set, who);
	let signature =
		sp_io::crypto::ecdsa_sign(KEY_TYPE, &public, &payload).expect("key in the keystore");
	(OperatorKey::Ecdsa(public), OperatorSignature::Ecdsa(signature))
}

/// `who` joins `set` (allowlisted first) with a fresh ecdsa key.
fn join<T: Config>(owner: &T::AccountId, who: &T::AccountId, set: OperatorSetId) {
	Pallet::<T>::do_set_allowlist(owner, set, who.clone(), true).expect("allowlisted");
	let (key, proof) = ecdsa_key::<T>(who, &set);
	Pallet::<T>::do_register_operator(who.clone(), set, key, proof).expect("joins");
}

fn last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(
		frame_system::Pallet::<T>::block_number().saturating_add(blocks),
	);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_avs() {
		let owner = funded::<T>("avs-owner", 0);
		let uri = alloc::vec![b'u'; T::MaxMetadataLen::get() as usize];
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), uri);
		assert_eq!(AvsRecords::<T>::get(0).expect("registered").owner, owner);
	}

	#[benchmark]
	fn update_avs_metadata() {
		let (owner, id) = avs::<T>(0, 0, &[], KeyType::Sr25519);
		let uri = alloc::vec![b'v'; T::MaxMetadataLen::get() as usize];
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, uri.clone());
		assert_eq!(AvsRecords::<T>::get(id).expect("registered").metadata_uri.to_vec(), uri);
	}

	#[benchmark]
	fn transfer_avs_ownership() {
		let (owner, id) = avs::<T>(0, 0, &[], KeyType::Sr25519);
		let to = funded::<T>("new-owner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, to.clone());
		assert_eq!(AvsRecords::<T>::get(id).expect("registered").pending_owner, Some(to));
	}

	#[benchmark]
	fn accept_avs_ownership() {
		let (owner, id) = avs::<T>(0, 0, &[], KeyType::Sr25519);
		let to = funded::<T>("new-owner", 0);
		Pallet::<T>::transfer_avs_ownership(RawOrigin::Signed(owner).into(), id, to.clone())
			.expect("proposed");
		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), id);
		assert_eq!(AvsRecords::<T>::get(id).expect("registered").owner, to);
	}

	/// `s` sets, each with every budget slot funded (in assets of its own) and a full
	/// allowlist. Charged per set at its worst: the allowlists' removal grows with sets ×
	/// entries, which a sum of per-component slopes cannot fit (it charged 0.78 of the
	/// measured time at the top).
	#[benchmark]
	fn deregister_avs(s: Linear<1, { T::MaxSetsPerAvs::get() }>) {
		let a = T::MaxOperatorsPerSet::get();
		let budgets = T::MaxBudgetsPerSet::get();
		let (owner, id) = avs::<T>(0, s, &[(0, 0)], KeyType::Sr25519);
		for index in 0..s {
			let set = OperatorSetId { avs: id, index };
			// Each set's budgets in assets of its own: every refund reads and writes its own.
			let assets: Vec<_> = (0..budgets)
				.map(|j| T::BenchmarkHelper::reward_asset(&owner, 1 + index * budgets + j))
				.collect();
			for asset in &assets {
				Pallet::<T>::do_fund_rewards(&owner, set, asset.clone(), 1_000_000, 1_000)
					.expect("funded");
			}
			for i in 0..a {
				Pallet::<T>::do_set_allowlist(&owner, set, account("listed", i, SEED), true)
					.expect("listed");
			}
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), id);
		last_event::<T>(Event::AvsDeregistered { avs: id, owner });
		assert!(OperatorSets::<T>::iter().next().is_none());
	}

	#[benchmark]
	fn create_operator_set(s: Linear<1, { T::MaxStrategiesPerSet::get() }>) {
		let (owner, id) = avs::<T>(0, T::MaxSetsPerAvs::get() - 1, &[(0, 0)], KeyType::Sr25519);
		let strategies: Vec<_> = (0..s).map(|i| (i, 1_000u128)).collect();
		let config = config::<T>(&strategies, KeyType::Ecdsa);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, config);
		assert_eq!(AvsRecords::<T>::get(id).expect("registered").sets, T::MaxSetsPerAvs::get());
	}

	#[benchmark]
	fn update_slashing_terms() {
		let (owner, id) = avs::<T>(0, 1, &[(0, 0)], KeyType::Sr25519);
		let set = OperatorSetId { avs: id, index: 0 };
		let mut new = terms::<T>();
		new.max_slash_per_epoch = WAD;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), set, new);
		assert!(OperatorSets::<T>::get(set).expect("set").pending_terms.is_some());
	}

	#[benchmark]
	fn set_allowlist() {
		let (owner, id) = avs::<T>(0, 1, &[(0, 0)], KeyType::Sr25519);
		let set = OperatorSetId { avs: id, index: 0 };
		let op: T::AccountId = account("operator", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), set, op.clone(), true);
		assert!(Allowlist::<T>::contains_key(set, op));
	}

	/// An ecdsa key (the costliest check) and a minimum stake in each of `s` strategies.
	#[benchmark]
	fn register_for_operator_set(s: Linear<0, { T::MaxStrategiesPerSet::get() }>) {
		let op = funded::<T>("operator", 0);
		let strategies = T::BenchmarkHelper::operator_with_stake(&op, s.max(1), STAKE);
		let accepted: Vec<_> = strategies
			.iter()
			.enumerate()
			.map(|(i, st)| (*st, if (i as u32) < s { STAKE } else { 0 }))
			.collect();
		let (owner, id) = avs::<T>(0, 1, &accepted, KeyType::Ecdsa);
		let set = OperatorSetId { avs: id, index: 0 };
		Pallet::<T>::do_set_allowlist(&owner, set, op.clone(), true).expect("listed");
		let (key, proof) = ecdsa_key::<T>(&op, &set);
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), set, key.clone(), proof);
		assert_eq!(KeyOwners::<T>::get(key), Some((set, op)));
	}

	/// Every strategy the set accepts ends its allocation to it, each with the largest book,
	/// and the set's list of allocations is full, so each removes its pair from that list
	/// (dearer than winding an allocation in force down): the first a due decrease to zero
	/// (which also reads whether a slash holds it back), the others a dropped increase.
	#[benchmark]
	fn deregister_from_operator_set() {
		let op = funded::<T>("operator", 0);
		let strategies =
			T::BenchmarkHelper::operator_with_stake(&op, T::MaxStrategiesPerSet::get(), STAKE);
		let accepted: Vec<_> = strategies.iter().map(|st| (*st, 0)).collect();
		let (owner, id) = avs::<T>(0, 1, &accepted, KeyType::Ecdsa);
		let set = OperatorSetId { avs: id, index: 0 };
		join::<T>(&owner, &op, set);
		T::BenchmarkHelper::allocate(&op, &set, strategies[0], WAD / 2);
		T::BenchmarkHelper::schedule_allocation(&op, &set, strategies[0], 0);
		advance::<T>(T::Restaking::deallocation_delay().into());
		for strategy in &strategies[1..] {
			T::BenchmarkHelper::schedule_allocation(&op, &set, *strategy, WAD / 2);
		}
		T::BenchmarkHelper::fill_books(&op, &strategies);
		T::BenchmarkHelper::fill_set_allocations(&set);
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), set);
		assert!(Members::<T>::get(set, &op).expect("departed").slashable_until.is_some());
	}

	#[benchmark]
	fn purge_departed() {
		let op = funded::<T>("operator", 0);
		T::BenchmarkHelper::operator_with_stake(&op, 1, STAKE);
		let (owner, id) = avs::<T>(0, 1, &[(0, 0)], KeyType::Ecdsa);
		let set = OperatorSetId { avs: id, index: 0 };
		join::<T>(&owner, &op, set);
		Pallet::<T>::do_deregister_operator(&op, set, false).expect("leaves");
		advance::<T>(T::Restaking::deallocation_delay().into());
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), set, op.clone());
		assert!(Members::<T>::get(set, &op).is_none());
	}

	/// A new budget in an asset the escrow does not hold yet.
	#[benchmark]
	fn fund_rewards() {
		let (owner, id) = avs::<T>(0, 1, &[(0, 0)], KeyType::Sr25519);
		let set = OperatorSetId { avs: id, index: 0 };
		let asset = T::BenchmarkHelper::reward_asset(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), set, asset.clone(), 1_000_000, 1_000);
		assert_eq!(Escrowed::<T>::get(asset), 1_000_000);
	}

	#[benchmark]
	fn cancel_rewards() {
		let (owner, id) = avs::<T>(0, 1, &[(0, 0)], KeyType::Sr25519);
		let set = OperatorSetId { avs: id, index: 0 };
		let asset = T::BenchmarkHelper::reward_asset(&owner, 1);
		Pallet::<T>::do_fund_rewards(&owner, set, asset.clone(), 1_000_000, 1_000).expect("funded");
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), set, asset.clone());
		assert_eq!(Escrowed::<T>::get(asset), 0);
	}

	#[benchmark]
	fn set_exchange_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::RateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, FixedU128::from_rational(3, 2));
		assert!(ExchangeRates::<T>::get(1).is_some());
		Ok(())
	}

	/// One due budget of a set with one allocation: the registry's part of a payment plus a
	/// one-allocation distribution (the distribution's own weight is added per set on top).
	#[benchmark]
	fn pay_budget() {
		let op = funded::<T>("operator", 0);
		let strategies = T::BenchmarkHelper::operator_with_stake(&op, 1, STAKE);
		let (owner, id) = avs::<T>(0, 1, &[(strategies[0], 0)], KeyType::Ecdsa);
		let set = OperatorSetId { avs: id, index: 0 };
		join::<T>(&owner, &op, set);
		T::BenchmarkHelper::allocate(&op, &set, strategies[0], WAD / 2);
		let asset = T::BenchmarkHelper::reward_asset(&owner, 1);
		Pallet::<T>::do_fund_rewards(&owner, set, asset.clone(), 1_000_000, 1_000).expect("funded");
		let budget = RewardBudgets::<T>::get(set, &asset).expect("budget");
		let era = budget.last_paid_era + 1;
		#[block]
		{
			Pallet::<T>::pay_budget(set, asset.clone(), budget, era);
		}
		assert_eq!(Escrowed::<T>::get(asset), 999_000);
	}

	/// Measurement only: a whole era of payouts for `n` funded operator sets (one allocation
	/// each), block after block under `PayoutWeightPerBlock` until every budget was visited.
	#[benchmark(extra)]
	fn payout_era(n: Linear<1, 1_000>) {
		let op = funded::<T>("operator", 0);
		let strategies = T::BenchmarkHelper::operator_with_stake(&op, 1, STAKE);
		let per_avs = T::MaxSetsPerAvs::get();
		let mut budgets = Vec::new();
		for i in 0..n.div_ceil(per_avs) {
			let count = per_avs.min(n - i * per_avs);
			let (owner, id) = avs::<T>(i, count, &[(strategies[0], 0)], KeyType::Ecdsa);
			let asset = T::BenchmarkHelper::reward_asset(&owner, 0);
			for index in 0..count {
				let set = OperatorSetId { avs: id, index };
				join::<T>(&owner, &op, set);
				T::BenchmarkHelper::allocate(&op, &set, strategies[0], WAD / 2_000);
				Pallet::<T>::do_fund_rewards(&owner, set, asset.clone(), 1_000_000, 1_000)
					.expect("funded");
				budgets.push((set, asset.clone()));
			}
		}
		let era = T::CurrentEra::get().saturating_add(1);
		let limit = T::PayoutWeightPerBlock::get();
		let mut blocks = 0u32;
		#[block]
		{
			Payouts::<T>::put(PayoutProgress { era, last_key: None, done: false });
			while !Payouts::<T>::get().done {
				let used = Pallet::<T>::pay_rewards_for(era, limit);
				assert!(used.all_lte(limit.saturating_add(Weight::from_parts(1, 0))));
				blocks += 1;
			}
		}
		assert!(blocks >= 1);
		for (set, asset) in budgets {
			assert_eq!(RewardBudgets::<T>::get(set, asset).map(|b| b.last_paid_era), Some(era));
		}
	}

	// `payout_era` is a measurement over up to 1 000 sets, run by the benchmark CLI only.
	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder.build(),
		crate::mock::Test,
		extra = false
	);
}
