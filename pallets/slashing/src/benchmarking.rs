//! Benchmarks (v2) of every call, each in its worst case: slashed funds paid to an account,
//! ecdsa keys (the dearest signature check), as many strategies as a set can reach, and a
//! whole slash, which ends each allocation and removes it from the set's full list; and the
//! same execution with 10 to 100 000 stakers behind the operator, to show it costs the same.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get, Hooks,
};
use frame_system::RawOrigin;
use kasane_primitives::{
	avs::{SlashExecution, SlashingTerms},
	restaking::SlashDestination,
};
use sp_runtime::traits::Saturating;

/// The key type benchmark keys are generated under.
const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"slsb");
/// The veto window of benchmark sets.
const WINDOW: u32 = 10;

struct Slashable<T: Config> {
	operator: T::AccountId,
	set: OperatorSetId,
	owner: T::AccountId,
	key: sp_core::ecdsa::Public,
}

/// An operator with `strategies` strategies allocated to a set and `stakers` stakers, an ecdsa
/// key in the set, and terms paying slashed funds to an account.
fn slashable<T: Config>(strategies: u32, stakers: u32, veto: bool) -> Slashable<T> {
	let operator: T::AccountId = account("operator", 0, 0);
	let set = T::BenchmarkHelper::slashable_operator(&operator, strategies, stakers);
	let key = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
	let terms = SlashingTerms {
		mode: if veto {
			SlashExecution::Veto { window: WINDOW.into() }
		} else {
			SlashExecution::Instant
		},
		max_slash_per_epoch: WAD,
		slashed_funds: SlashDestination::To(account("treasury", 0, 0)),
		// A whole slash: each allocation ends and leaves the set's list.
		equivocation_penalty: WAD,
	};
	T::BenchmarkHelper::configure(&operator, &set, OperatorKey::Ecdsa(key), terms);
	let owner = T::Registry::avs_owner(set.avs).expect("the helper registers the AVS");
	// Enough for the deposits of as many pending requests as a benchmark makes.
	let funds = T::RequestDeposit::get()
		.saturating_mul(T::MaxDuePerBlock::get().saturating_add(2).into())
		.saturating_add(T::Currency::minimum_balance())
		.saturating_mul(2);
	T::Currency::set_balance(&owner, funds);
	Slashable { operator, set, owner, key }
}

fn reason() -> ReasonUri {
	ReasonUri::truncate_from(
		alloc::vec![b'x'; kasane_primitives::slashing::MAX_REASON_LEN as usize],
	)
}

/// Two conflicting messages for round 1 of `s.set`, signed with `s.key`.
fn evidence<T: Config>(
	s: &Slashable<T>,
) -> ((AvsMessage, OperatorSignature), (AvsMessage, OperatorSignature)) {
	let genesis = T::Registry::genesis_hash();
	let sign = |payload: u8| {
		let message = AvsMessage { set: s.set, round: 1, payload_hash: [payload; 32] };
		let signature =
			sp_io::crypto::ecdsa_sign(KEY_TYPE, &s.key, &message.signing_payload(&genesis))
				.expect("key in the keystore");
		(message, OperatorSignature::Ecdsa(signature))
	};
	(sign(1), sign(2))
}

/// A pending whole slash of `s`, past its veto window.
fn due_slash<T: Config>(s: &Slashable<T>) -> SlashId {
	Pallet::<T>::do_request_slash(s.owner.clone(), s.operator.clone(), s.set, WAD, reason())
		.expect("requested");
	let id = NextSlashId::<T>::get() - 1;
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(WINDOW.into()));
	id
}

/// Whether `s.operator` has nothing left allocated to `s.set` (a whole slash ended it all).
fn nothing_allocated<T: Config>(s: &Slashable<T>) -> bool {
	T::Restaking::preview(&s.operator, &s.set, WAD, None, None).is_empty()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request_slash_instant(
		s: Linear<
			1,
			{
				kasane_primitives::slashing::MAX_SLASH_STRATEGIES
					.min(T::BenchmarkHelper::max_strategies())
			},
		>,
	) {
		let x = slashable::<T>(s, 1, false);
		#[extrinsic_call]
		request_slash(RawOrigin::Signed(x.owner.clone()), x.operator.clone(), x.set, WAD, reason());
		let record = Slashes::<T>::get(NextSlashId::<T>::get() - 1).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts.len() as u32, s);
		assert!(nothing_allocated::<T>(&x));
	}

	#[benchmark]
	fn request_slash_veto(
		s: Linear<
			1,
			{
				kasane_primitives::slashing::MAX_SLASH_STRATEGIES
					.min(T::BenchmarkHelper::max_strategies())
			},
		>,
	) {
		let x = slashable::<T>(s, 1, true);
		#[extrinsic_call]
		request_slash(RawOrigin::Signed(x.owner), x.operator, x.set, WAD / 10, reason());
		let record = Slashes::<T>::get(NextSlashId::<T>::get() - 1).unwrap();
		assert_eq!(record.status, SlashStatus::Pending);
		assert_eq!(record.amounts.len() as u32, s);
	}

	#[benchmark]
	fn veto_slash() -> Result<(), BenchmarkError> {
		let x = slashable::<T>(T::BenchmarkHelper::max_strategies().min(16), 1, true);
		Pallet::<T>::do_request_slash(x.owner, x.operator, x.set, WAD / 10, reason())
			.expect("requested");
		let id = NextSlashId::<T>::get() - 1;
		let origin =
			T::VetoOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, true);
		assert_eq!(Slashes::<T>::get(id).unwrap().status, SlashStatus::Vetoed);
		Ok(())
	}

	#[benchmark]
	fn execute_slash(
		s: Linear<
			1,
			{
				kasane_primitives::slashing::MAX_SLASH_STRATEGIES
					.min(T::BenchmarkHelper::max_strategies())
			},
		>,
	) {
		let x = slashable::<T>(s, 1, true);
		let id = due_slash::<T>(&x);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert_eq!(Slashes::<T>::get(id).unwrap().status, SlashStatus::Executed);
		assert!(nothing_allocated::<T>(&x));
	}

	// Measurement only: executing a slash with `n` stakers behind the operator.
	#[benchmark(extra)]
	fn execute_slash_stakers(n: Linear<10, 100_000>) {
		let x = slashable::<T>(1, n, true);
		let id = due_slash::<T>(&x);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		execute_slash(RawOrigin::Signed(caller), id);
		assert_eq!(Slashes::<T>::get(id).unwrap().status, SlashStatus::Executed);
	}

	#[benchmark]
	fn report_equivocation(
		s: Linear<
			1,
			{
				kasane_primitives::slashing::MAX_SLASH_STRATEGIES
					.min(T::BenchmarkHelper::max_strategies())
			},
		>,
	) {
		let x = slashable::<T>(s, 1, true);
		let ((a, sa), (b, sb)) = evidence::<T>(&x);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), x.set, x.operator.clone(), a, sa, b, sb);
		let record = Slashes::<T>::get(NextSlashId::<T>::get() - 1).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts.len() as u32, s);
		assert!(nothing_allocated::<T>(&x));
	}

	// Measurement only: double-sign evidence against an operator with `n` stakers.
	#[benchmark(extra)]
	fn report_equivocation_stakers(n: Linear<10, 100_000>) {
		let x = slashable::<T>(1, n, true);
		let ((a, sa), (b, sb)) = evidence::<T>(&x);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), x.set, x.operator, a, sa, b, sb);
		assert_eq!(
			Slashes::<T>::get(NextSlashId::<T>::get() - 1).unwrap().status,
			SlashStatus::Executed
		);
	}

	#[benchmark]
	fn set_slasher() {
		let x = slashable::<T>(1, 1, false);
		let slasher: T::AccountId = account("slasher", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(x.owner.clone()), x.set.avs, Some(slasher.clone()));
		assert_eq!(Slashers::<T>::get(x.set.avs), Some((x.owner, slasher)));
	}

	#[benchmark]
	fn set_global_mode() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, SlashingMode::LogOnly);
		assert_eq!(GlobalMode::<T>::get(), SlashingMode::LogOnly);
		Ok(())
	}

	// The owner's path: it checks the registry and the current mode.
	#[benchmark]
	fn set_operator_set_mode() {
		let x = slashable::<T>(1, 1, false);
		#[extrinsic_call]
		_(RawOrigin::Signed(x.owner), x.set, SlashingMode::LogOnly);
		assert_eq!(Pallet::<T>::operator_set_mode(&x.set), SlashingMode::LogOnly);
	}

	// Measurement only: one block's `on_initialize` executing `n` due slashes (bounded by
	// `ExecutionWeightPerBlock`, whatever the queue holds).
	#[benchmark(extra)]
	fn on_initialize_due(
		n: Linear<1, { T::MaxDuePerBlock::get().min(T::MaxPendingPerAvs::get()) }>,
	) {
		let x = slashable::<T>(1, 1, true);
		for _ in 0..n {
			Pallet::<T>::do_request_slash(
				x.owner.clone(),
				x.operator.clone(),
				x.set,
				WAD / 1000,
				reason(),
			)
			.expect("requested");
		}
		let now = frame_system::Pallet::<T>::block_number().saturating_add(WINDOW.into());
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(PendingCount::<T>::get(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
