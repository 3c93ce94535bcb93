//! Benchmarks (v2) of every call and of the slashing primitive, each in its worst case.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect as _, Mutate as _},
		fungibles::Mutate,
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

const SEED: u32 = 0;
/// What each benchmark staker deposits.
const STAKE: u128 = 1_000_000_000_000;

fn set(index: u32) -> OperatorSetId {
	OperatorSetId { avs: 1, index }
}

/// A fresh asset strategy.
fn asset_strategy<T: Config>(index: u32) -> (StrategyId, T::AssetId) {
	let asset = T::BenchmarkHelper::create_asset(index);
	let id = Pallet::<T>::do_add_strategy(StrategyKind::Asset(asset), u128::MAX, u128::MAX)
		.expect("strategy slots left");
	(id, asset)
}

/// Forget the strategies genesis created, so a benchmark can create `MaxStrategies` of its own.
fn clear_strategies<T: Config>() {
	let _ = Strategies::<T>::clear(u32::MAX, None);
	let _ = AssetStrategy::<T>::clear(u32::MAX, None);
	NativeStrategy::<T>::kill();
}

/// Enough KSN for `who`'s operator and approval deposits.
fn fund<T: Config>(who: &T::AccountId) {
	let deposits = T::OperatorDeposit::get()
		.saturating_add(T::ApprovalDeposit::get().saturating_mul(T::MaxApprovals::get().into()));
	T::Currency::set_balance(who, deposits.saturating_add(T::Currency::minimum_balance()) * 2);
}

/// A registered operator that is a member of `sets`.
fn operator<T: Config>(name: &'static str, sets: &[OperatorSetId]) -> T::AccountId {
	let op: T::AccountId = account(name, 0, SEED);
	fund::<T>(&op);
	Pallet::<T>::do_register_operator(
		op.clone(),
		Perbill::from_percent(5),
		Default::default(),
		false,
	)
	.expect("new operator");
	for set in sets {
		T::BenchmarkHelper::join_operator_set(&op, set);
	}
	op
}

/// `op`'s allocations of `magnitude` to `sets` in `strategy`, in force, then each scheduled
/// to go to zero and due now: the next maturing removes each pair from its full set list.
fn due_removals<T: Config>(
	op: &T::AccountId,
	sets: &[OperatorSetId],
	strategy: StrategyId,
	magnitude: u128,
) {
	for s in sets {
		Pallet::<T>::do_modify_allocation(op, *s, strategy, magnitude).unwrap();
	}
	advance::<T>(T::AllocationDelay::get().max(T::DeallocationDelay::get()));
	Pallet::<T>::mature_allocations(op, strategy);
	for s in sets {
		Pallet::<T>::do_modify_allocation(op, *s, strategy, 0).unwrap();
		Pallet::<T>::benchmark_fill_set_allocations(*s, 0);
	}
	advance::<T>(T::DeallocationDelay::get());
}

/// Make `op` require approval and approve `who`: a delegation then reads the approval too.
fn approve<T: Config>(op: &T::AccountId, who: &T::AccountId) {
	Operators::<T>::mutate(op, |o| o.as_mut().expect("an operator").approval_required = true);
	Pallet::<T>::do_set_delegation_approval(op.clone(), who.clone(), true).expect("approved");
}

/// A staker holding `STAKE` of `asset`, deposited into `strategy` when `deposit`.
fn staker<T: Config>(
	index: u32,
	strategies: &[(StrategyId, T::AssetId)],
	deposit: bool,
) -> T::AccountId {
	let who: T::AccountId = account("staker", index, SEED);
	for (strategy, asset) in strategies {
		T::Assets::mint_into(*asset, &who, STAKE * 4).expect("mint");
		if deposit {
			Pallet::<T>::do_deposit(&who, *strategy, STAKE).expect("deposit");
		}
	}
	who
}

/// Every reward asset in use, accrued by `op` in `strategies` and in `who`'s books there, so
/// that each settlement decodes, updates and writes full lists (the worst case).
fn fill_rewards<T: Config>(
	op: &T::AccountId,
	who: &T::AccountId,
	strategies: &[(StrategyId, T::AssetId)],
) -> alloc::vec::Vec<T::RewardAssetId> {
	let assets: alloc::vec::Vec<_> =
		(0..T::MaxRewardAssets::get()).map(T::BenchmarkHelper::reward_asset).collect();
	RewardAssetList::<T>::put(BoundedVec::truncate_from(assets.clone()));
	for (strategy, _) in strategies {
		let accs = assets.iter().map(|a| (a.clone(), REWARD_PRECISION)).collect();
		OperatorStrategies::<T>::mutate(op, strategy, |b| {
			b.get_or_insert_with(Default::default).reward_per_share =
				BoundedVec::truncate_from(accs)
		});
		let book = assets
			.iter()
			.map(|a| StakerReward { asset: a.clone(), snapshot: REWARD_PRECISION / 2, pending: 1 })
			.collect();
		Positions::<T>::mutate(who, strategy, |p| {
			p.get_or_insert_with(Default::default).rewards = BoundedVec::truncate_from(book)
		});
	}
	assets
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + blocks);
}

/// Allocate half of `op`'s magnitude in `strategy` to `set` and let it take effect.
fn allocate<T: Config>(
	op: &T::AccountId,
	set: OperatorSetId,
	strategy: StrategyId,
	magnitude: u128,
) {
	Pallet::<T>::do_modify_allocation(op, set, strategy, magnitude).expect("allocation");
	advance::<T>(T::AllocationDelay::get().max(T::DeallocationDelay::get()));
	Pallet::<T>::mature_allocations(op, strategy);
}

/// One asset strategy, an operator in `sets`, and a staker with a position in the strategy
/// delegated to the operator.
fn delegated_staker<T: Config>(
	sets: &[OperatorSetId],
) -> ((StrategyId, T::AssetId), T::AccountId, T::AccountId) {
	let strategy = asset_strategy::<T>(0);
	let op = operator::<T>("op", sets);
	let who = staker::<T>(0, &[strategy], true);
	Pallet::<T>::do_delegate_to(&who, op.clone()).unwrap();
	(strategy, op, who)
}

/// Fill `who`'s withdrawal queue up to `MaxQueuedWithdrawals − room` with one-share
/// withdrawals of `strategy`, so the queue decoded and written is as long as it gets.
fn fill_queue<T: Config>(who: &T::AccountId, strategy: StrategyId, room: u32) {
	let queued = Stakers::<T>::get(who).withdrawals.len() as u32;
	for _ in queued..T::MaxQueuedWithdrawals::get().saturating_sub(room) {
		Pallet::<T>::do_queue_withdrawal(who, strategy, 1, WithdrawalKind::Tokens).unwrap();
	}
}

/// A staker's token withdrawal, ready to complete and last in a full queue, from an operator
/// slashed `slashes` times since it was queued.
fn slashed_withdrawal<T: Config>(slashes: u32) -> (T::AccountId, WithdrawalId) {
	let (strategy, op, who) = delegated_staker::<T>(&[set(0)]);
	allocate::<T>(&op, set(0), strategy.0, WAD);
	fill_queue::<T>(&who, strategy.0, 1);
	let shares = Positions::<T>::get(&who, strategy.0).unwrap().deposit_shares;
	let id =
		Pallet::<T>::do_queue_withdrawal(&who, strategy.0, shares, WithdrawalKind::Tokens).unwrap();
	for _ in 0..slashes {
		Pallet::<T>::slash_operator(&op, &set(0), WAD / 200, &SlashDestination::Burn).unwrap();
	}
	advance::<T>(T::WithdrawalDelay::get());
	(who, id)
}

/// Fill `op`'s completion list in `strategy` to its bound with buckets that ended after
/// `from` and before now (the block moves on if need be): settled ones, so that a new
/// withdrawal moves the oldest out to [`SettledWithdrawals`], and with `settle_last` the last
/// one still to settle.
fn fill_maturity<T: Config>(
	op: &T::AccountId,
	strategy: StrategyId,
	from: BlockNumberFor<T>,
	settle_last: bool,
) {
	let cap = MaturityCapacity::<T>::get();
	let last = from + cap.into();
	if frame_system::Pallet::<T>::block_number() < last {
		frame_system::Pallet::<T>::set_block_number(last);
	}
	let list: alloc::vec::Vec<_> = (1..=cap)
		.map(|i| MaturityBucket {
			withdrawable_at: from + i.into(),
			scaled: STAKE,
			settled_at: (i < cap || !settle_last).then_some(WAD),
		})
		.collect();
	OperatorStrategies::<T>::mutate(op, strategy, |book| {
		let book = book.get_or_insert_with(Default::default);
		book.maturity = BoundedVec::truncate_from(list);
		if settle_last {
			book.queued_scaled += STAKE;
		}
	});
}

/// A full completion list for `op` in `strategy` that every call reading the operator's
/// book decodes and writes: settled buckets, which nothing else touches (the block number
/// stays).
fn full_maturity<T: Config>(op: &T::AccountId, strategy: StrategyId) {
	let list: alloc::vec::Vec<_> = (1..=MaturityCapacity::<T>::get())
		.map(|i| MaturityBucket { withdrawable_at: i.into(), scaled: STAKE, settled_at: Some(WAD) })
		.collect();
	OperatorStrategies::<T>::mutate(op, strategy, |book| {
		book.get_or_insert_with(Default::default).maturity = BoundedVec::truncate_from(list)
	});
}

/// Make withdrawal `id` of `who`'s bucket, not settled yet, the first of its operator's full
/// completion list (the rest settled, completing later): a completion settles it, and decodes
/// and writes the longest book.
fn crowd_bucket<T: Config>(who: &T::AccountId, id: WithdrawalId) {
	let w = Stakers::<T>::get(who).withdrawals.into_iter().find(|w| w.id == id).unwrap();
	let op = w.operator.clone().unwrap();
	OperatorStrategies::<T>::mutate(&op, w.strategy, |book| {
		let book = book.as_mut().unwrap();
		assert_eq!(book.maturity.len(), 1, "the withdrawal's bucket alone");
		assert!(book.maturity[0].settled_at.is_none());
		for i in 1..MaturityCapacity::<T>::get() {
			let at = w.withdrawable_at + i.into();
			let bucket =
				MaturityBucket { withdrawable_at: at, scaled: STAKE, settled_at: Some(WAD) };
			book.maturity.try_push(bucket).unwrap();
		}
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_strategy() -> Result<(), BenchmarkError> {
		let origin = T::StrategyAdminOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::create_asset(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, StrategyKind::Asset(asset), u128::MAX, u128::MAX);
		assert_eq!(AssetStrategy::<T>::get(asset), Some(NextStrategyId::<T>::get() - 1));
		Ok(())
	}

	#[benchmark]
	fn set_strategy_status() -> Result<(), BenchmarkError> {
		let origin = T::StrategyAdminOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let (strategy, _) = asset_strategy::<T>(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, strategy, StrategyStatus::DepositsPaused);
		assert_eq!(Strategies::<T>::get(strategy).unwrap().status, StrategyStatus::DepositsPaused);
		Ok(())
	}

	#[benchmark]
	fn register_operator() {
		let op: T::AccountId = account("op", 0, SEED);
		fund::<T>(&op);
		let metadata: BoundedVec<u8, T::MaxMetadataLen> =
			BoundedVec::truncate_from(alloc::vec![7u8; T::MaxMetadataLen::get() as usize]);
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), Perbill::from_percent(5), metadata, true);
		assert!(Operators::<T>::contains_key(&op));
	}

	#[benchmark]
	fn update_operator() {
		let op = operator::<T>("op", &[]);
		let metadata: BoundedVec<u8, T::MaxMetadataLen> =
			BoundedVec::truncate_from(alloc::vec![7u8; T::MaxMetadataLen::get() as usize]);
		let commission = Perbill::from_percent(5).saturating_add(T::MaxCommissionIncrease::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), Some(commission), Some(metadata), Some(true));
		assert!(Operators::<T>::get(&op).unwrap().pending_commission.is_some());
	}

	/// An operator with `s` books (each read) leaves; its approvals are `release_approvals`.
	#[benchmark]
	fn deregister_operator(s: Linear<1, { T::MaxStrategies::get() }>) {
		clear_strategies::<T>();
		let op = operator::<T>("op", &[]);
		// Books left with settled withdrawals their stakers have not completed yet.
		for i in 0..s {
			let (strategy, _) = asset_strategy::<T>(i);
			full_maturity::<T>(&op, strategy);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()));
		assert!(!Operators::<T>::contains_key(&op));
	}

	/// `a` approvals of a leaving operator forgotten and their deposits released.
	#[benchmark]
	fn release_approvals(a: Linear<0, { T::MaxApprovals::get() }>) {
		let op = operator::<T>("op", &[]);
		for i in 0..a {
			Pallet::<T>::do_set_delegation_approval(op.clone(), account("approved", i, SEED), true)
				.expect("room for approvals");
		}
		#[block]
		{
			Pallet::<T>::release_approvals(&op, a).expect("approval deposits held");
		}
		assert_eq!(DelegationApprovals::<T>::iter_prefix(&op).count(), 0);
	}

	#[benchmark]
	fn set_delegation_approval() {
		let op = operator::<T>("op", &[]);
		let who: T::AccountId = account("staker", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), who.clone(), true);
		assert!(DelegationApprovals::<T>::contains_key(&op, &who));
	}

	// Worst case: delegated, adding to an existing position.
	#[benchmark]
	fn deposit() {
		let (strategy, op, who) = delegated_staker::<T>(&[]);
		// A full queue in the staker's record, which the deposit does not decode.
		fill_queue::<T>(&who, strategy.0, 0);
		fill_rewards::<T>(&op, &who, &[strategy]);
		full_maturity::<T>(&op, strategy.0);
		let before = Pallet::<T>::operator_stake(&op, strategy.0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), strategy.0, STAKE);
		assert_eq!(Pallet::<T>::operator_stake(&op, strategy.0), before + STAKE);
	}

	// `s` positions move (one per strategy: at most `MaxStrategies`).
	#[benchmark]
	fn delegate_to(s: Linear<1, { T::MaxStrategies::get() }>) {
		clear_strategies::<T>();
		let strategies: alloc::vec::Vec<_> = (0..s).map(asset_strategy::<T>).collect();
		let op = operator::<T>("op", &[]);
		let who = staker::<T>(0, &strategies, true);
		approve::<T>(&op, &who);
		fill_queue::<T>(&who, strategies[0].0, 0);
		fill_rewards::<T>(&op, &who, &strategies);
		for (strategy, _) in &strategies {
			full_maturity::<T>(&op, *strategy);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), op.clone());
		assert_eq!(Stakers::<T>::get(&who).delegated_to, Some(op));
	}

	#[benchmark]
	fn redelegate(s: Linear<1, { T::MaxStrategies::get() }>) {
		clear_strategies::<T>();
		let strategies: alloc::vec::Vec<_> = (0..s).map(asset_strategy::<T>).collect();
		let from = operator::<T>("from", &[]);
		let to = operator::<T>("to", &[]);
		let who = staker::<T>(0, &strategies, true);
		approve::<T>(&to, &who);
		Pallet::<T>::do_delegate_to(&who, from.clone()).unwrap();
		fill_queue::<T>(&who, strategies[0].0, s);
		fill_rewards::<T>(&from, &who, &strategies);
		for (strategy, _) in &strategies {
			fill_maturity::<T>(&from, *strategy, Zero::zero(), true);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), to.clone());
		assert_eq!(
			Stakers::<T>::get(&who).withdrawals.len(),
			T::MaxQueuedWithdrawals::get() as usize
		);
	}

	// Worst case: delegated, the last place in a full queue, the whole position (the position
	// stays for the rewards it is owed), the operator's completion list full.
	#[benchmark]
	fn queue_withdrawal() {
		let (strategy, op, who) = delegated_staker::<T>(&[]);
		fill_queue::<T>(&who, strategy.0, 1);
		fill_rewards::<T>(&op, &who, &[strategy]);
		fill_maturity::<T>(&op, strategy.0, Zero::zero(), true);
		let shares = Positions::<T>::get(&who, strategy.0).unwrap().deposit_shares;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), strategy.0, shares);
		assert_eq!(SettledWithdrawals::<T>::iter().count(), 1);
		assert_eq!(
			Stakers::<T>::get(&who).withdrawals.len(),
			T::MaxQueuedWithdrawals::get() as usize
		);
		assert_eq!(Positions::<T>::get(&who, strategy.0).unwrap().deposit_shares, 0);
	}

	// Worst case: a token withdrawal from an operator slashed since it was queued, settled by
	// the completion in a full completion list (a withdrawal whose bucket was moved out of the
	// list writes that small record instead of the book). The cost does not depend on how many
	// slashes happened: they all live in one factor.
	#[benchmark]
	fn complete_withdrawal() {
		let (who, id) = slashed_withdrawal::<T>(10);
		crowd_bucket::<T>(&who, id);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(Stakers::<T>::get(&who).withdrawals.iter().all(|w| w.id != id));
	}

	// Worst case: someone else completes a redeposit last in a full queue, from an operator
	// slashed since, into a position under the new operator that has a full reward book.
	#[benchmark]
	fn complete_redeposit() {
		let (strategy, from, who) = delegated_staker::<T>(&[set(0)]);
		allocate::<T>(&from, set(0), strategy.0, WAD);
		let to = operator::<T>("to", &[]);
		fill_queue::<T>(&who, strategy.0, 1);
		Pallet::<T>::do_leave_operator(&who, Some(to.clone())).unwrap();
		let id = Stakers::<T>::get(&who).withdrawals.last().unwrap().id;
		fill_rewards::<T>(&to, &who, &[strategy]);
		full_maturity::<T>(&to, strategy.0);
		for _ in 0..10 {
			Pallet::<T>::slash_operator(&from, &set(0), WAD / 200, &SlashDestination::Burn)
				.unwrap();
		}
		advance::<T>(T::WithdrawalDelay::get());
		crowd_bucket::<T>(&who, id);
		let keeper: T::AccountId = account("keeper", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(keeper), who.clone(), id);
		assert!(Stakers::<T>::get(&who).withdrawals.iter().all(|w| w.id != id));
		assert!(Positions::<T>::get(&who, strategy.0).unwrap().deposit_shares > 0);
	}

	// Measurement only: completing a withdrawal after `n` slashes of its operator costs the
	// same as after one (they all live in one factor).
	#[benchmark]
	fn complete_withdrawal_after_slashes(n: Linear<1, 100>) {
		let (who, id) = slashed_withdrawal::<T>(n);
		#[block]
		{
			Pallet::<T>::do_complete_withdrawal(&who, &who, id).unwrap();
		}
		assert!(Stakers::<T>::get(&who).withdrawals.iter().all(|w| w.id != id));
	}

	// `p` matured decreases to zero are applied before the new allocation is scheduled, each
	// removing its pair from a full set list; the new pair is appended to a list one short of
	// full.
	#[benchmark]
	fn modify_allocation(p: Linear<0, { T::MaxPendingAllocations::get() - 1 }>) {
		let (strategy, _) = asset_strategy::<T>(0);
		let sets: alloc::vec::Vec<_> = (0..=p).map(set).collect();
		let op = operator::<T>("op", &sets);
		due_removals::<T>(&op, &sets[..p as usize], strategy, WAD / 100);
		Pallet::<T>::benchmark_fill_set_allocations(set(p), 1);
		full_maturity::<T>(&op, strategy);
		#[extrinsic_call]
		_(RawOrigin::Signed(op.clone()), set(p), strategy, WAD / 2);
		assert_eq!(
			OperatorStrategies::<T>::get(&op, strategy).unwrap().pending_allocations.len(),
			1
		);
		assert_eq!(Allocations::<T>::iter_prefix((&op,)).count(), 1);
		assert_eq!(
			SetAllocations::<T>::decode_len(set(p)),
			Some(T::MaxAllocationsPerSet::get() as usize)
		);
	}

	// `p` decreases to zero mature, each removing its pair from a full set list.
	#[benchmark]
	fn clear_pending_allocations(p: Linear<1, { T::MaxPendingAllocations::get() }>) {
		let (strategy, _) = asset_strategy::<T>(0);
		let sets: alloc::vec::Vec<_> = (0..p).map(set).collect();
		let op = operator::<T>("op", &sets);
		due_removals::<T>(&op, &sets, strategy, WAD / 100);
		full_maturity::<T>(&op, strategy);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), op.clone(), strategy);
		assert!(OperatorStrategies::<T>::get(&op, strategy)
			.unwrap()
			.pending_allocations
			.is_empty());
		assert_eq!(Allocations::<T>::iter_prefix((&op,)).count(), 0);
	}

	// Slashing an operator allocated to the set in `s` strategies, paying an account, the
	// whole allocation: each strategy's pair leaves the set's full list.
	#[benchmark]
	fn slash_operator(
		s: Linear<1, { T::MaxStrategies::get().min(T::MaxAllocationsPerSet::get()) }>,
	) {
		clear_strategies::<T>();
		let strategies: alloc::vec::Vec<_> = (0..s).map(asset_strategy::<T>).collect();
		let op = operator::<T>("op", &[set(0)]);
		let who = staker::<T>(0, &strategies, true);
		Pallet::<T>::do_delegate_to(&who, op.clone()).unwrap();
		for (strategy, _) in &strategies {
			Pallet::<T>::do_modify_allocation(&op, set(0), *strategy, WAD / 2).unwrap();
		}
		advance::<T>(T::AllocationDelay::get());
		// Each strategy has a withdrawal bucket to settle before the factor falls.
		for (strategy, _) in &strategies {
			fill_maturity::<T>(&op, *strategy, Zero::zero(), true);
		}
		Pallet::<T>::benchmark_fill_set_allocations(set(0), 0);
		let to: T::AccountId = account("treasury", 0, SEED);
		let out;
		#[block]
		{
			out =
				Pallet::<T>::slash_operator(&op, &set(0), WAD, &SlashDestination::To(to)).unwrap();
		}
		assert_eq!(out.len() as u32, s);
		assert!(out.iter().all(|slash| slash.magnitude_after == 0));
		assert_eq!(Allocations::<T>::iter_prefix((&op,)).count(), 0);
	}

	// Measurement only: the same slash with `n` stakers behind the operator costs the same.
	#[benchmark]
	fn slash_operator_stakers(n: Linear<10, 100_000>) {
		let (strategy, asset) = asset_strategy::<T>(0);
		let op = operator::<T>("op", &[set(0)]);
		// Stakers written directly: a real deposit each would only slow the setup down.
		for i in 0..n {
			let who: T::AccountId = account("staker", i, SEED);
			Positions::<T>::insert(
				&who,
				strategy,
				Position { deposit_shares: STAKE, scaled_shares: STAKE, ..Default::default() },
			);
			Stakers::<T>::mutate(&who, |s| s.delegated_to = Some(op.clone()));
		}
		let total = STAKE * n as u128;
		OperatorStrategies::<T>::insert(
			&op,
			strategy,
			OperatorStrategy { active_scaled: total, ..Default::default() },
		);
		Strategies::<T>::mutate(strategy, |s| {
			let s = s.as_mut().unwrap();
			s.held = total;
			s.total_deposited = total;
		});
		let _ = asset;
		Pallet::<T>::do_modify_allocation(&op, set(0), strategy, WAD / 2).unwrap();
		advance::<T>(T::AllocationDelay::get());
		let to: T::AccountId = account("treasury", 0, SEED);
		#[block]
		{
			Pallet::<T>::slash_operator(&op, &set(0), WAD / 10, &SlashDestination::To(to)).unwrap();
		}
		assert_eq!(Pallet::<T>::book(&op, strategy).max_magnitude, WAD - WAD / 20);
	}

	// Worst case: every reward asset in use, rewards owed in the claimed one.
	#[benchmark]
	fn claim_rewards() {
		let strategy = asset_strategy::<T>(0);
		let op = operator::<T>("op", &[set(0)]);
		let who = staker::<T>(0, &[strategy], true);
		let assets = fill_rewards::<T>(&op, &who, &[strategy]);
		Pallet::<T>::do_delegate_to(&who, op.clone()).unwrap();
		// What the filled books owe is outstanding, as if distributed.
		let owed = Pallet::<T>::claimable_rewards(&who, strategy.0, assets[0].clone());
		RewardsOutstanding::<T>::mutate(&assets[0], |o| *o = o.saturating_add(owed));
		allocate::<T>(&op, set(0), strategy.0, WAD);
		let payer: T::AccountId = account("payer", 0, SEED);
		T::RewardAssets::mint_into(assets[0].clone(), &payer, STAKE * 10).unwrap();
		Pallet::<T>::do_distribute_rewards(&payer, &set(0), assets[0].clone(), STAKE).unwrap();
		full_maturity::<T>(&op, strategy.0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), strategy.0, assets[0].clone());
		assert_eq!(Pallet::<T>::claimable_rewards(&who, strategy.0, assets[0].clone()), 0);
	}

	// `a` (operator, strategy) allocations share the set's rewards.
	#[benchmark]
	fn distribute_rewards(a: Linear<1, { T::MaxAllocationsPerSet::get() }>) {
		let asset = T::BenchmarkHelper::reward_asset(1);
		let strategy = asset_strategy::<T>(0);
		for i in 0..a {
			let op: T::AccountId = account("op", i, SEED);
			fund::<T>(&op);
			Pallet::<T>::do_register_operator(
				op.clone(),
				Perbill::from_percent(5),
				Default::default(),
				false,
			)
			.unwrap();
			T::BenchmarkHelper::join_operator_set(&op, &set(0));
			let who = staker::<T>(i, &[strategy], true);
			Pallet::<T>::do_delegate_to(&who, op.clone()).unwrap();
			Pallet::<T>::do_modify_allocation(&op, set(0), strategy.0, WAD).unwrap();
			full_maturity::<T>(&op, strategy.0);
		}
		advance::<T>(T::AllocationDelay::get());
		let payer: T::AccountId = account("payer", 0, SEED);
		T::RewardAssets::mint_into(asset.clone(), &payer, STAKE * 10).unwrap();
		let seen;
		#[block]
		{
			seen = Pallet::<T>::do_distribute_rewards(&payer, &set(0), asset, STAKE).unwrap().1;
		}
		assert_eq!(seen, a);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().without_strategies().build(),
		crate::mock::Test
	);
}
