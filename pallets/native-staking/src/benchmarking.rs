//! Benchmarks (v2) of every call and of the era transition, each at its worst case within the
//! configured bounds.

use super::*;
use crate::Pallet as Staking;
use alloc::{vec, vec::Vec};
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get, ValidatorRegistration},
	BoundedVec,
};
use frame_system::RawOrigin;
use kasane_primitives::{staking::PoolShare, EraIndex};
use pallet_session::SessionInterface;
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill,
};

fn unit<T: Config>() -> BalanceOf<T> {
	T::MinValidatorBond::get()
}

fn times<T: Config>(n: u32) -> BalanceOf<T> {
	unit::<T>().saturating_mul(n.into())
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, times::<T>(1_000_000));
	who
}

/// Session keys derived from the account, so every benchmark validator has distinct keys.
fn set_keys<T: Config>(who: &T::AccountId) -> Result<(), BenchmarkError> {
	let seed: Vec<u8> = who.encode().into_iter().cycle().take(1024).collect();
	let keys = <T::SessionInterface as SessionInterface>::Keys::decode(&mut &seed[..])
		.map_err(|_| BenchmarkError::Stop("session keys do not decode from a seed"))?;
	T::SessionInterface::set_keys(who, keys).map_err(|_| BenchmarkError::Stop("set_keys failed"))
}

fn validator<T: Config>(i: u32, bond: BalanceOf<T>) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("validator", i);
	Staking::<T>::do_bond(&who, bond)?;
	Staking::<T>::do_validate(&who, Perbill::from_percent(5))?;
	set_keys::<T>(&who)?;
	Ok(who)
}

fn delegator<T: Config>(
	i: u32,
	to: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("delegator", i);
	Staking::<T>::do_delegate(&who, to, amount)?;
	Ok(who)
}

fn set_era<T: Config>(era: EraIndex) {
	ActiveEra::<T>::put(ActiveEraInfo { index: era, start: None });
	CurrentEra::<T>::put(era);
}

/// A delegator with `n` unbonding chunks (one per era from `first`) in the pool of `to`.
fn with_chunks<T: Config>(
	to: &T::AccountId,
	first: EraIndex,
	n: u32,
) -> Result<T::AccountId, BenchmarkError> {
	set_era::<T>(first);
	let who = delegator::<T>(0, to, times::<T>(100))?;
	for era in first..first + n {
		set_era::<T>(era);
		Staking::<T>::do_unbond(&who, unit::<T>())?;
	}
	Ok(who)
}

/// Both elected sets full of other accounts.
fn fill_elected_sets<T: Config>() {
	let set: Vec<_> = (0..T::MaxValidators::get())
		.map(|i| ElectedValidator {
			validator: account("elected", i, 0),
			commission: Perbill::from_percent(5),
			pool_slashes: 0,
			stake: Zero::zero(),
		})
		.collect();
	PlannedValidators::<T>::put(BoundedVec::truncate_from(set.clone()));
	ActiveValidators::<T>::put(BoundedVec::truncate_from(set));
}

#[benchmarks(where T: pallet_timestamp::Config)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn bond() {
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), times::<T>(10));
		assert!(Ledgers::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		let caller = delegator::<T>(0, &v, times::<T>(10))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), times::<T>(10));
		assert_eq!(Staking::<T>::active_stake_of(&caller), times::<T>(20));
		Ok(())
	}

	/// A chilled validator taking its self-bond below the minimum: besides a delegator's
	/// work, it reads its candidacy and both elected sets (full, without it).
	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let caller = validator::<T>(0, times::<T>(10))?;
		delegator::<T>(0, &caller, times::<T>(10))?;
		Staking::<T>::do_chill(&caller);
		fill_elected_sets::<T>();
		let left = T::MinDelegatorBond::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), times::<T>(10).saturating_sub(left));
		assert_eq!(Staking::<T>::active_stake_of(&caller), left);
		Ok(())
	}

	#[benchmark]
	fn rebond(c: Linear<1, { T::MaxUnlockingChunks::get() }>) -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		let caller = with_chunks::<T>(&v, 0, c)?;
		// Back to the first era, so no chunk has unlocked and all can be rebonded.
		set_era::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), times::<T>(c));
		assert!(Ledgers::<T>::get(&caller).unwrap().unbonding.is_empty());
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded(
		c: Linear<1, { T::MaxUnlockingChunks::get() }>,
	) -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		let caller = with_chunks::<T>(&v, 0, c)?;
		set_era::<T>(c - 1 + BondingEras::<T>::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(Ledgers::<T>::get(&caller).unwrap().unbonding.is_empty());
		Ok(())
	}

	#[benchmark]
	fn validate() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		Staking::<T>::do_bond(&caller, times::<T>(10))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Perbill::from_percent(10));
		assert!(Validators::<T>::contains_key(&caller));
		Ok(())
	}

	#[benchmark]
	fn chill() -> Result<(), BenchmarkError> {
		let caller = validator::<T>(0, times::<T>(10))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(!Validators::<T>::contains_key(&caller));
		Ok(())
	}

	#[benchmark]
	fn delegate() -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), v, times::<T>(10));
		assert!(Ledgers::<T>::contains_key(&caller));
		Ok(())
	}

	#[benchmark]
	fn redelegate() -> Result<(), BenchmarkError> {
		let from = validator::<T>(0, times::<T>(10))?;
		let to = validator::<T>(1, times::<T>(10))?;
		let caller = delegator::<T>(0, &from, times::<T>(10))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), to.clone());
		assert_eq!(Ledgers::<T>::get(&caller).unwrap().pool, to);
		Ok(())
	}

	#[benchmark]
	fn claim_rewards() -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		let caller = delegator::<T>(0, &v, times::<T>(10))?;
		Ledgers::<T>::mutate(&caller, |l| {
			l.as_mut().unwrap().reward_destination = RewardDestination::Stake
		});
		// Compounding is the costlier destination: mint, hold and new shares.
		Pools::<T>::mutate(&v, |p| {
			p.as_mut().unwrap().reward_per_share = FixedU128::saturating_from_rational(1, 10)
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(Staking::<T>::active_stake_of(&caller) > times::<T>(10));
		Ok(())
	}

	#[benchmark]
	fn set_reward_destination() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		Staking::<T>::do_bond(&caller, times::<T>(10))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), RewardDestination::Stake);
		Ok(())
	}

	/// `c` unbonding chunks and `c` redelegation obligations, all slashed since the last
	/// settlement and all due, so every one of them is repriced, every obligation's unbond
	/// pool is written and the hold is trimmed. The bonding duration is set longer than the
	/// set-up (whatever the chain spec's), so that no obligation comes due, and is settled,
	/// while the next is made.
	#[benchmark]
	fn settle(c: Linear<0, { T::MaxUnlockingChunks::get() }>) -> Result<(), BenchmarkError> {
		let bonding = c + 1;
		BondingEras::<T>::put(bonding);
		let a = validator::<T>(0, times::<T>(10))?;
		let b = validator::<T>(1, times::<T>(10))?;
		set_era::<T>(0);
		let who = delegator::<T>(0, &a, times::<T>(100))?;
		let mut to = b.clone();
		for era in 0..c {
			set_era::<T>(era);
			Staking::<T>::do_unbond(&who, unit::<T>())?;
			Staking::<T>::do_redelegate(&who, &to)?;
			to = if to == a { b.clone() } else { a.clone() };
		}
		assert_eq!(Ledgers::<T>::get(&who).unwrap().redelegations.len() as u32, c);
		Staking::<T>::apply_offence_slash(&a, Perbill::from_percent(10), 0);
		Staking::<T>::apply_offence_slash(&b, Perbill::from_percent(10), 0);
		// Every obligation (due at most at `c - 1 + bonding`) has come due.
		set_era::<T>(c + bonding);
		let caller = funded::<T>("caller", 0);
		let held_before = Ledgers::<T>::get(&who).unwrap().held;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), who.clone());
		let ledger = Ledgers::<T>::get(&who).unwrap();
		assert!(ledger.held < held_before);
		assert!(ledger.redelegations.is_empty());
		Ok(())
	}

	#[benchmark]
	fn cancel_deferred_slash(
		s: Linear<1, { T::MaxSlashesPerEra::get() }>,
	) -> Result<(), BenchmarkError> {
		let slashes: Vec<_> = (0..s)
			.map(|i| UnappliedSlash {
				validator: account("offender", i, 0),
				fraction: Perbill::from_percent(10),
				offence_era: 0,
				record: Some(i.into()),
			})
			.collect();
		UnappliedSlashes::<T>::insert(1, BoundedVec::truncate_from(slashes));
		#[extrinsic_call]
		_(RawOrigin::Root, 1, (0..s).collect::<Vec<_>>());
		assert!(UnappliedSlashes::<T>::get(1).is_empty());
		Ok(())
	}

	/// Checked against both elected sets (full, without the caller).
	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		set_keys::<T>(&caller)?;
		fill_elected_sets::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(!T::ValidatorRegistration::is_registered(&caller));
		Ok(())
	}

	/// Election over `c` candidates, all eligible, with distinct stakes.
	#[benchmark]
	fn new_era(c: Linear<1, { T::MaxValidatorCandidates::get() }>) -> Result<(), BenchmarkError> {
		let _ = Validators::<T>::clear(u32::MAX, None);
		for i in 0..c {
			validator::<T>(i, times::<T>(10 + i))?;
		}
		#[block]
		{
			Staking::<T>::plan_validators(1);
		}
		if c >= T::MinValidators::get() {
			assert_eq!(PlannedValidators::<T>::get().len() as u32, c.min(T::MaxValidators::get()));
		}
		Ok(())
	}

	/// Paying an era whose `v` validators all earned points.
	#[benchmark]
	fn end_era(v: Linear<1, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let mut active = Vec::new();
		for i in 0..v {
			let who = validator::<T>(i, times::<T>(10))?;
			delegator::<T>(i, &who, times::<T>(10))?;
			active.push(ElectedValidator {
				validator: who,
				commission: Perbill::from_percent(5),
				pool_slashes: 0,
				stake: Zero::zero(),
			});
		}
		Staking::<T>::reward_by_ids(active.iter().map(|e| (e.validator.clone(), 20)));
		ActiveValidators::<T>::put(BoundedVec::truncate_from(active.clone()));
		let era = ActiveEraInfo { index: 0, start: Some(0) };
		#[block]
		{
			Staking::<T>::end_era(era, T::MaxRewardedEraDuration::get());
		}
		let pool = Pools::<T>::get(&active[0].validator).unwrap();
		assert!(!pool.reward_per_share.is_zero());
		Ok(())
	}

	/// A session rotation at its worst, over `c` candidates with session keys: it ends an era
	/// in which `v` of its validators earned points (each paid a commission and a pool reward),
	/// starts the next, and elects the set of the one after, whose keys pallet-session queues
	/// and whose historical root it notes. Rotations do both only with one session per era;
	/// with more, a rotation does one of them. The era it starts has no deferred slash and no
	/// bonded era to prune: what those add is charged on top
	/// (`Pallet::era_start_beyond_benchmark`). Validators paid beyond the candidates (`v > c`)
	/// are ones that chilled after they were elected.
	#[benchmark]
	fn rotate_session(
		c: Linear<1, { T::MaxValidatorCandidates::get() }>,
		v: Linear<1, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		let _ = Validators::<T>::clear(u32::MAX, None);
		let mut candidates = Vec::new();
		for i in 0..c.max(v) {
			candidates.push(validator::<T>(i, times::<T>(10 + i))?);
		}
		let sessions_per_era = SessionsPerEra::<T>::get();
		SessionsPerEra::<T>::put(1);
		// The first rotation elects a set from the candidates, the second starts its era (and
		// elects the next), so the measured one ends an era whose validators are candidates.
		T::SessionRotation::rotate();
		T::SessionRotation::rotate();
		let ending = Staking::<T>::active_era_index();
		let elected: Vec<_> =
			ActiveValidators::<T>::get().into_iter().map(|e| e.validator).collect();
		if c.max(v) >= T::MinValidators::get() {
			assert_eq!(elected.len() as u32, c.max(v).min(T::MaxValidators::get()));
		}
		let paid: Vec<_> = elected.into_iter().take(v as usize).collect();
		Staking::<T>::reward_by_ids(paid.iter().map(|who| (who.clone(), 20)));
		for who in &candidates[c as usize..] {
			Staking::<T>::do_chill(who);
		}
		// The era is paid for the longest duration it may be; its clock started at 0.
		ActiveEra::<T>::put(ActiveEraInfo { index: ending, start: Some(0) });
		let duration: u32 = T::MaxRewardedEraDuration::get().saturated_into();
		pallet_timestamp::Now::<T>::put(T::Moment::from(duration));
		#[block]
		{
			T::SessionRotation::rotate();
		}
		SessionsPerEra::<T>::put(sessions_per_era);
		assert_eq!(Staking::<T>::active_era_index(), ending + 1);
		for who in &paid {
			let pool = Pools::<T>::get(who).ok_or(BenchmarkError::Stop("a paid pool is gone"))?;
			assert!(!pool.reward_per_share.is_zero(), "every validator with points is paid");
		}
		if c >= T::MinValidators::get() {
			assert_eq!(PlannedValidators::<T>::get().len() as u32, c.min(T::MaxValidators::get()));
		}
		Ok(())
	}

	/// A slash reaching the active pool and an unbond pool in every era it may look at: a
	/// bonding duration of unlocked but frozen eras behind the active one, and a bonding
	/// duration of locked ones ahead (a restaked slash requested long before it executes).
	#[benchmark]
	fn apply_slash() -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		// At the longest bonding duration a genesis may choose (benchmarks run on dev's
		// genesis, whose bonding is two eras).
		let bonding = T::BondingDuration::get();
		BondingEras::<T>::put(bonding);
		set_era::<T>(bonding);
		for era in 1..=2 * bonding {
			UnbondPools::<T>::insert(
				&v,
				era,
				UnbondPool { stake: times::<T>(1), shares: times::<T>(1) },
			);
		}
		#[block]
		{
			Staking::<T>::apply_slash(&v, PoolShare::new(1, 10), 1);
		}
		assert_eq!(Pools::<T>::get(&v).unwrap().slashes, 1);
		Ok(())
	}

	/// A report naming `n` offenders of one time slot, as pallet-offences hands them over each
	/// time one more of a GRANDPA round is reported: `n - 1` were reported before at a lower
	/// fraction, and the report raises them (chill, block, disable at the higher severity) and
	/// the last one is new. The earlier slashes have been applied already, the costlier case:
	/// each raise is a slash and a slash record of its own, not a fold into a queued one. The
	/// offenders are validators of the current session, in a set of the most validators an era
	/// elects.
	#[benchmark]
	fn report_offence(n: Linear<1, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let _ = Validators::<T>::clear(u32::MAX, None);
		let size = T::MaxValidators::get().max(T::MinValidators::get());
		for i in 0..size {
			validator::<T>(i, times::<T>(10 + i))?;
		}
		let sessions_per_era = SessionsPerEra::<T>::get();
		SessionsPerEra::<T>::put(1);
		// The first rotation elects the set, the second starts its era and session.
		T::SessionRotation::rotate();
		T::SessionRotation::rotate();
		SessionsPerEra::<T>::put(sessions_per_era);
		let elected: Vec<_> =
			ActiveValidators::<T>::get().into_iter().map(|e| e.validator).collect();
		let offenders: Vec<_> = elected.into_iter().take(n as usize).collect();
		if offenders.len() as u32 != n {
			return Err(BenchmarkError::Stop("fewer validators elected than offenders"));
		}
		let session = BondedEras::<T>::get().last().map_or(0, |(_, session)| *session);
		let (lower, higher) = (
			T::OffenceSlashFraction::get(),
			T::OffenceSlashFraction::get().saturating_add(Perbill::from_percent(10)),
		);
		let earlier = &offenders[..offenders.len() - 1];
		Staking::<T>::report_offences(earlier.iter().map(|v| (v, lower)), session);
		let due = Staking::<T>::active_era_index() + SlashDeferEras::<T>::get();
		UnappliedSlashes::<T>::remove(due);
		#[block]
		{
			Staking::<T>::report_offences(offenders.iter().map(|v| (v, higher)), session);
		}
		let queue: Vec<_> =
			UnappliedSlashes::<T>::get(due).into_iter().map(|s| s.fraction).collect();
		let mut expected = vec![higher.saturating_sub(lower); n as usize - 1];
		expected.push(higher);
		assert_eq!(queue, expected);
		Ok(())
	}

	/// `claim_rewards` from a pool with `d` delegators: the claim touches the claimant's ledger
	/// and the pool only, so `d` must not change the weight (measured, not assumed). Extra
	/// (`--extra`): it shows `claim_rewards` is O(1) and charges nothing; its set-up of up to
	/// 100 000 delegators takes about 50 s a step.
	#[benchmark(extra)]
	fn claim_rewards_in_pool_of(d: Linear<1, 100_000>) -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		for i in 1..d {
			delegator::<T>(i, &v, unit::<T>())?;
		}
		let caller = delegator::<T>(0, &v, times::<T>(10))?;
		Pools::<T>::mutate(&v, |p| {
			p.as_mut().unwrap().reward_per_share = FixedU128::saturating_from_rational(1, 10)
		});
		#[extrinsic_call]
		claim_rewards(RawOrigin::Signed(caller.clone()));
		assert!(Ledgers::<T>::get(&caller).unwrap().pending_rewards.is_zero());
		Ok(())
	}

	/// A slash of a pool with `d` delegators: O(1) in `d` (measured, not assumed). Extra, as
	/// above.
	#[benchmark(extra)]
	fn apply_slash_to_pool_of(d: Linear<1, 100_000>) -> Result<(), BenchmarkError> {
		let v = validator::<T>(0, times::<T>(10))?;
		for i in 0..d {
			delegator::<T>(i, &v, unit::<T>())?;
		}
		#[block]
		{
			Staking::<T>::apply_offence_slash(&v, Perbill::from_percent(10), 0);
		}
		assert_eq!(Pools::<T>::get(&v).unwrap().members, d + 1);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Staking,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
