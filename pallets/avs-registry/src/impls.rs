//! The logic behind the calls, the per-era payouts, the traits the registry implements, the
//! runtime-API views and the state checks.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		fungibles::{Inspect, Mutate},
		tokens::{Precision, Preservation},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{
		proof_of_possession_payload, BudgetView, CorruptionCost, KeyType, MarketOrder,
		OperatorSetMarketView, OperatorSetMembers, SecurityView, StrategyStake,
	},
	restaking::AvsId,
	slashing::{RegistryEvents, SlashingRegistry},
	EraIndex,
};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating, Zero},
	FixedPointNumber, Weight,
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The account reward budgets are escrowed in.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The chain's genesis hash, as proofs of possession sign it.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	fn owned_set(
		who: &T::AccountId,
		set: OperatorSetId,
	) -> Result<OperatorSetOf<T>, DispatchError> {
		Self::owned_avs(who, set.avs)?;
		OperatorSets::<T>::get(set).ok_or_else(|| Error::<T>::UnknownOperatorSet.into())
	}

	pub(crate) fn do_accept_ownership(who: T::AccountId, avs: AvsId) -> DispatchResult {
		let mut record = Avss::<T>::get(avs).ok_or(Error::<T>::UnknownAvs)?;
		ensure!(record.pending_owner.as_ref() == Some(&who), Error::<T>::NotPendingOwner);
		let reason = HoldReason::AvsDeposit.into();
		T::Currency::hold(&reason, &who, record.deposit)?;
		T::Currency::release(&reason, &record.owner, record.deposit, Precision::BestEffort)?;
		let from = core::mem::replace(&mut record.owner, who.clone());
		record.pending_owner = None;
		Avss::<T>::insert(avs, record);
		Self::deposit_event(Event::AvsOwnershipTransferred { avs, from, to: who });
		Ok(())
	}

	/// Returns (sets removed, the most allowlist entries one of them had), for weight.
	pub(crate) fn do_deregister_avs(
		who: &T::AccountId,
		avs: AvsId,
	) -> Result<(u32, u32), DispatchError> {
		let record = Self::owned_avs(who, avs)?;
		let ids: Vec<OperatorSetId> =
			(0..record.sets).map(|index| OperatorSetId { avs, index }).collect();
		for id in &ids {
			if let Some(set) = OperatorSets::<T>::get(id) {
				ensure!(set.members == 0 && set.departed == 0, Error::<T>::SetsStillSlashable);
			}
		}
		let mut allowlisted = 0u32;
		for id in &ids {
			let budgets: Vec<_> = RewardBudgets::<T>::iter_prefix(id).collect();
			for (asset, budget) in budgets {
				let refunded = Self::close_budget(id, &asset, &budget, who)?;
				Self::deposit_event(Event::BudgetCancelled { set: *id, asset, refunded });
			}
			if let Some(set) = OperatorSets::<T>::take(id) {
				allowlisted = allowlisted.max(set.allowlisted);
				let _ = Allowlist::<T>::clear_prefix(id, set.allowlisted, None);
			}
		}
		T::Currency::release(
			&HoldReason::AvsDeposit.into(),
			who,
			record.deposit,
			Precision::BestEffort,
		)?;
		Avss::<T>::remove(avs);
		T::Events::avs_deregistered(avs, record.sets);
		Self::deposit_event(Event::AvsDeregistered { avs, owner: who.clone() });
		Ok((record.sets, allowlisted))
	}

	fn ensure_valid_terms(terms: &SlashingTermsOf<T>) -> DispatchResult {
		ensure!(
			terms.max_slash_per_epoch <= WAD && terms.equivocation_penalty <= WAD,
			Error::<T>::SlashFractionOverOne
		);
		// Zero: equivocation is not slashed; otherwise worth the evidence it takes.
		ensure!(
			terms.equivocation_penalty == 0
				|| terms.equivocation_penalty >= T::MinEquivocationPenalty::get(),
			Error::<T>::PenaltyTooSmall
		);
		if let SlashExecution::Veto { window } = terms.mode {
			ensure!(
				!window.is_zero() && window <= T::MaxVetoWindow::get(),
				Error::<T>::InvalidVetoWindow
			);
		}
		Ok(())
	}

	pub(crate) fn do_create_operator_set(
		who: &T::AccountId,
		avs: AvsId,
		config: OperatorSetConfigOf<T>,
	) -> DispatchResult {
		let mut record = Self::owned_avs(who, avs)?;
		ensure!(record.sets < T::MaxSetsPerAvs::get(), Error::<T>::TooManySets);
		ensure!(!config.strategies.is_empty(), Error::<T>::NoStrategies);
		for (i, (strategy, _)) in config.strategies.iter().enumerate() {
			ensure!(
				!config.strategies[..i].iter().any(|(s, _)| s == strategy),
				Error::<T>::DuplicateStrategy
			);
		}
		ensure!(
			config.max_operators > 0 && config.max_operators <= T::MaxOperatorsPerSet::get(),
			Error::<T>::InvalidMaxOperators
		);
		Self::ensure_valid_terms(&config.terms)?;
		let set = OperatorSetId { avs, index: record.sets };
		record.sets += 1;
		Avss::<T>::insert(avs, record);
		OperatorSets::<T>::insert(
			set,
			OperatorSet {
				config,
				pending_terms: None,
				members: 0,
				departed: 0,
				allowlisted: 0,
				budgets: 0,
			},
		);
		Self::deposit_event(Event::OperatorSetCreated { set });
		Ok(())
	}

	pub(crate) fn do_update_slashing_terms(
		who: &T::AccountId,
		set: OperatorSetId,
		terms: SlashingTermsOf<T>,
	) -> DispatchResult {
		let mut record = Self::owned_set(who, set)?;
		Self::ensure_valid_terms(&terms)?;
		let now = Self::now();
		record.mature(now);
		let effective_at = now.saturating_add(T::SlashingTermsDelay::get());
		record.pending_terms = Some((terms, effective_at));
		OperatorSets::<T>::insert(set, record);
		Self::deposit_event(Event::SlashingTermsScheduled { set, effective_at });
		Ok(())
	}

	pub(crate) fn do_set_allowlist(
		who: &T::AccountId,
		set: OperatorSetId,
		operator: T::AccountId,
		allowed: bool,
	) -> DispatchResult {
		let mut record = Self::owned_set(who, set)?;
		ensure!(
			Allowlist::<T>::contains_key(set, &operator) != allowed,
			Error::<T>::AllowlistUnchanged
		);
		if allowed {
			ensure!(record.allowlisted < T::MaxOperatorsPerSet::get(), Error::<T>::AllowlistFull);
			record.allowlisted += 1;
			Allowlist::<T>::insert(set, &operator, ());
		} else {
			record.allowlisted -= 1;
			Allowlist::<T>::remove(set, &operator);
		}
		OperatorSets::<T>::insert(set, record);
		Self::deposit_event(Event::AllowlistUpdated { set, operator, allowed });
		Ok(())
	}

	/// Returns how many strategies' stake was checked, for weight.
	pub(crate) fn do_register_operator(
		who: T::AccountId,
		set: OperatorSetId,
		key: OperatorKey,
		proof: OperatorSignature,
	) -> Result<u32, DispatchError> {
		let mut record = OperatorSets::<T>::get(set).ok_or(Error::<T>::UnknownOperatorSet)?;
		ensure!(T::Restaking::is_operator(&who), Error::<T>::NotOperator);
		if let Some(m) = Members::<T>::get(set, &who) {
			return Err(if m.slashable_until.is_some() {
				Error::<T>::StillDeparting
			} else {
				Error::<T>::AlreadyMember
			}
			.into());
		}
		ensure!(record.members < record.config.max_operators, Error::<T>::SetFull);
		ensure!(
			!record.config.allowlist || Allowlist::<T>::contains_key(set, &who),
			Error::<T>::NotAllowlisted
		);
		ensure!(key.key_type() == record.config.key_type, Error::<T>::WrongKeyType);
		ensure!(!KeyOwners::<T>::contains_key(&key), Error::<T>::KeyAlreadyClaimed);
		let payload = proof_of_possession_payload(&Self::genesis_hash(), &set, &who);
		ensure!(key.verify(&payload, &proof), Error::<T>::InvalidProofOfPossession);
		let mut checked = 0u32;
		for (strategy, min) in record.config.strategies.iter() {
			if *min > 0 {
				checked += 1;
				ensure!(
					T::Restaking::operator_stake(&who, *strategy) >= *min,
					Error::<T>::InsufficientStake
				);
			}
		}
		record.members += 1;
		OperatorSets::<T>::insert(set, record);
		KeyOwners::<T>::insert(&key, (set, who.clone()));
		Members::<T>::insert(
			set,
			&who,
			Membership { key: key.clone(), joined_at: Self::now(), slashable_until: None },
		);
		Self::deposit_event(Event::OperatorRegistered { set, operator: who, key });
		Ok(checked)
	}

	pub(crate) fn do_deregister_operator(
		operator: &T::AccountId,
		set: OperatorSetId,
		ejected: bool,
	) -> DispatchResult {
		let mut record = OperatorSets::<T>::get(set).ok_or(Error::<T>::UnknownOperatorSet)?;
		let mut membership = Members::<T>::get(set, operator)
			.filter(|m| m.slashable_until.is_none())
			.ok_or(Error::<T>::NotMember)?;
		T::Restaking::deallocate_all(operator, &set)?;
		let slashable_until = Self::now().saturating_add(T::DeallocationDelay::get());
		membership.slashable_until = Some(slashable_until);
		Members::<T>::insert(set, operator, membership);
		record.members -= 1;
		record.departed += 1;
		OperatorSets::<T>::insert(set, record);
		Self::deposit_event(Event::OperatorDeregistered {
			set,
			operator: operator.clone(),
			slashable_until,
			ejected,
		});
		Ok(())
	}

	pub(crate) fn do_purge_departed(set: OperatorSetId, operator: T::AccountId) -> DispatchResult {
		let membership = Members::<T>::get(set, &operator).ok_or(Error::<T>::NotMember)?;
		let until = membership.slashable_until.ok_or(Error::<T>::NotDeparted)?;
		ensure!(Self::now() >= until, Error::<T>::StillSlashable);
		Members::<T>::remove(set, &operator);
		KeyOwners::<T>::remove(&membership.key);
		OperatorSets::<T>::mutate(set, |r| {
			if let Some(r) = r {
				r.departed -= 1;
			}
		});
		T::Events::membership_purged(&set, &operator);
		Self::deposit_event(Event::DepartedOperatorPurged { set, operator });
		Ok(())
	}

	pub(crate) fn do_fund_rewards(
		who: &T::AccountId,
		set: OperatorSetId,
		asset: T::RewardAssetId,
		amount: u128,
		per_era: u128,
	) -> DispatchResult {
		let mut record = Self::owned_set(who, set)?;
		ensure!(amount > 0 && per_era > 0, Error::<T>::ZeroAmount);
		let mut budget = match RewardBudgets::<T>::get(set, &asset) {
			Some(budget) => budget,
			None => {
				ensure!(record.budgets < T::MaxBudgetsPerSet::get(), Error::<T>::TooManyBudgets);
				record.budgets += 1;
				OperatorSets::<T>::insert(set, record);
				// Paid from the next era on.
				Budget { per_era, remaining: 0, last_paid_era: T::CurrentEra::get() }
			}
		};
		budget.remaining = budget.remaining.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		budget.per_era = per_era;
		ensure!(budget.remaining >= per_era, Error::<T>::BudgetBelowOneEra);
		let escrow = Self::escrow_account();
		// The first budget in an asset also pays the escrow's existential deposit, which stays.
		let top_up = T::RewardAssets::minimum_balance(asset.clone())
			.saturating_sub(T::RewardAssets::balance(asset.clone(), &escrow));
		let pay = amount.checked_add(top_up).ok_or(Error::<T>::Overflow)?;
		T::RewardAssets::transfer(asset.clone(), who, &escrow, pay, Preservation::Preserve)?;
		Escrowed::<T>::mutate(&asset, |e| *e = e.saturating_add(amount));
		let remaining = budget.remaining;
		RewardBudgets::<T>::insert(set, &asset, budget);
		Self::deposit_event(Event::RewardsFunded { set, asset, amount, per_era, remaining });
		Ok(())
	}

	/// Remove a budget, paying what it has left to `to`. Returns that amount.
	pub(crate) fn close_budget(
		set: &OperatorSetId,
		asset: &T::RewardAssetId,
		budget: &Budget,
		to: &T::AccountId,
	) -> Result<u128, DispatchError> {
		if budget.remaining > 0 {
			T::RewardAssets::transfer(
				asset.clone(),
				&Self::escrow_account(),
				to,
				budget.remaining,
				Preservation::Expendable,
			)?;
		}
		RewardBudgets::<T>::remove(set, asset);
		Escrowed::<T>::mutate(asset, |e| *e = e.saturating_sub(budget.remaining));
		OperatorSets::<T>::mutate(set, |r| {
			if let Some(r) = r {
				r.budgets -= 1;
			}
		});
		Ok(budget.remaining)
	}

	/// Walk the reward budgets for the current era, from where the last block stopped, until
	/// `limit` would be exceeded or every budget was visited. Returns the weight used.
	pub(crate) fn pay_rewards(limit: Weight) -> Weight {
		let era_read = T::DbWeight::get().reads(1);
		Self::pay_rewards_for(T::CurrentEra::get(), limit.saturating_sub(era_read))
			.saturating_add(era_read)
	}

	/// [`Self::pay_rewards`] for `era`.
	pub(crate) fn pay_rewards_for(era: EraIndex, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		// The progress record is read now and written at the end.
		let mut used = db.reads_writes(1, 1);
		let mut progress = Payouts::<T>::get();
		if progress.era != era {
			// A pass left unfinished by an era change restarts; budgets it did not reach are
			// paid for both eras (a budget pays every era since it was last paid).
			progress = PayoutProgress { era, last_key: None, done: false };
		}
		if progress.done {
			return db.reads(1);
		}
		let mut visited = 0u32;
		loop {
			// Every look at a budget costs a read, due or not: the limit bounds both.
			if visited > 0 && used.saturating_add(db.reads(1)).any_gt(limit) {
				break;
			}
			let next = match &progress.last_key {
				Some(key) => RewardBudgets::<T>::iter_from(key.to_vec()).next(),
				None => RewardBudgets::<T>::iter().next(),
			};
			used.saturating_accrue(db.reads(1));
			let Some((set, asset, budget)) = next else {
				progress.done = true;
				progress.last_key = None;
				Self::deposit_event(Event::EraPayoutsCompleted { era });
				break;
			};
			let due = budget.last_paid_era < era;
			let cost = if due {
				T::WeightInfo::pay_budget()
					.saturating_add(T::Rewards::distribute_rewards_weight(&set))
			} else {
				Weight::zero()
			};
			if visited > 0 && used.saturating_add(cost).any_gt(limit) {
				break;
			}
			used.saturating_accrue(cost);
			visited += 1;
			// The key length is bounded (checked in `integrity_test`).
			progress.last_key =
				Some(BoundedVec::truncate_from(RewardBudgets::<T>::hashed_key_for(set, &asset)));
			if due {
				Self::pay_budget(set, asset, budget, era);
			}
		}
		Payouts::<T>::put(progress);
		used
	}

	/// Pay one budget every era it is due for (as many as it can afford).
	pub(crate) fn pay_budget(
		set: OperatorSetId,
		asset: T::RewardAssetId,
		mut budget: Budget,
		era: EraIndex,
	) {
		let due = era.saturating_sub(budget.last_paid_era);
		let affordable = budget.remaining / budget.per_era.max(1);
		let eras = (due as u128).min(affordable) as EraIndex;
		if eras > 0 {
			let amount = budget.per_era.saturating_mul(eras as u128);
			match T::Rewards::distribute_rewards(
				&Self::escrow_account(),
				&set,
				asset.clone(),
				amount,
			) {
				// Nothing allocated: the era is skipped, the budget keeps its money.
				Ok(0) => Self::deposit_event(Event::RewardPaymentSkipped {
					set,
					asset: asset.clone(),
					error: Error::<T>::NoStakeAllocated.into(),
				}),
				Ok(spent) => {
					budget.remaining = budget.remaining.saturating_sub(spent);
					Escrowed::<T>::mutate(&asset, |e| *e = e.saturating_sub(spent));
					Self::deposit_event(Event::RewardsPaid {
						set,
						asset: asset.clone(),
						amount: spent,
						eras,
					});
				}
				// It failed: the eras stay due and are paid with a later one.
				Err(error) => {
					Self::deposit_event(Event::RewardPaymentSkipped {
						set,
						asset: asset.clone(),
						error,
					});
					RewardBudgets::<T>::insert(set, &asset, budget);
					return;
				}
			}
		}
		budget.last_paid_era = era;
		if budget.remaining >= budget.per_era {
			RewardBudgets::<T>::insert(set, &asset, budget);
			return;
		}
		let owner = Avss::<T>::get(set.avs).map(|a| a.owner);
		match owner.ok_or(Error::<T>::UnknownAvs.into()).and_then(|owner| {
			frame_support::storage::with_storage_layer(|| {
				Self::close_budget(&set, &asset, &budget, &owner)
			})
		}) {
			Ok(refunded) => Self::deposit_event(Event::BudgetExhausted { set, asset, refunded }),
			Err(error) => {
				// Kept (and retried next era) rather than lost.
				RewardBudgets::<T>::insert(set, &asset, budget);
				Self::deposit_event(Event::RewardPaymentSkipped { set, asset, error });
			}
		}
	}
}

impl<T: Config> OperatorSetRegistry<T::AccountId> for Pallet<T> {
	fn is_member(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		Members::<T>::get(set, operator).is_some_and(|m| m.slashable_until.is_none())
	}

	fn accepts_strategy(set: &OperatorSetId, strategy: StrategyId) -> bool {
		OperatorSets::<T>::get(set).is_some_and(|s| s.min_stake(strategy).is_some())
	}

	fn is_slashable(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		let now = Self::now();
		Members::<T>::get(set, operator)
			.is_some_and(|m| m.slashable_until.is_none_or(|until| until > now))
	}
}

impl<T: Config> SlashingRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn avs_owner(avs: AvsId) -> Option<T::AccountId> {
		Avss::<T>::get(avs).map(|a| a.owner)
	}

	fn terms(set: &OperatorSetId) -> Option<SlashingTermsOf<T>> {
		OperatorSets::<T>::get(set).map(|s| s.terms_at(Self::now()).clone())
	}

	fn slashable_key(operator: &T::AccountId, set: &OperatorSetId) -> Option<OperatorKey> {
		let now = Self::now();
		Members::<T>::get(set, operator)
			.filter(|m| m.slashable_until.is_none_or(|until| until > now))
			.map(|m| m.key)
	}

	fn eject(operator: &T::AccountId, set: &OperatorSetId) -> DispatchResult {
		if !<Self as OperatorSetRegistry<_>>::is_member(operator, set) {
			return Ok(());
		}
		frame_support::storage::with_storage_layer(|| {
			Self::do_deregister_operator(operator, *set, true)
		})
	}

	fn eject_weight() -> Weight {
		T::WeightInfo::deregister_from_operator_set()
	}
}

impl<T: Config> OperatorSetMembers<T::AccountId> for Pallet<T> {
	fn capacity(set: &OperatorSetId) -> Option<(KeyType, u32)> {
		OperatorSets::<T>::get(set).map(|s| (s.config.key_type, s.config.max_operators))
	}

	fn member_count(set: &OperatorSetId) -> u32 {
		OperatorSets::<T>::get(set).map_or(0, |s| s.members)
	}

	fn member_key(set: &OperatorSetId, who: &T::AccountId) -> Option<OperatorKey> {
		Members::<T>::get(set, who).filter(|m| m.slashable_until.is_none()).map(|m| m.key)
	}

	fn members(set: &OperatorSetId) -> Vec<T::AccountId> {
		let mut members: Vec<_> = Members::<T>::iter_prefix(set)
			.filter(|(_, m)| m.slashable_until.is_none())
			.map(|(who, _)| who)
			.collect();
		members.sort();
		members
	}

	fn governance(set: &OperatorSetId) -> Option<(T::AccountId, bool)> {
		let allowlist = OperatorSets::<T>::get(set)?.config.allowlist;
		Avss::<T>::get(set.avs).map(|a| (a.owner, allowlist))
	}

	fn allocated_value(set: &OperatorSetId, who: &T::AccountId) -> u128 {
		let Some(record) = OperatorSets::<T>::get(set) else { return 0 };
		record.config.strategies.iter().fold(0u128, |total, (strategy, _)| {
			let stake = T::Restaking::allocated_stake(who, set, *strategy);
			total.saturating_add(<Self as StakeValuation>::value(*strategy, stake))
		})
	}
}

impl<T: Config> StakeValuation for Pallet<T> {
	fn value(strategy: StrategyId, amount: u128) -> u128 {
		ExchangeRates::<T>::get(strategy).map_or(amount, |rate| rate.saturating_mul_int(amount))
	}
}

/// A view of one operator set's allocated stake.
struct SetStake<AccountId> {
	per_strategy: Vec<StrategyStake>,
	/// Each operator's allocated stake value, in the common unit.
	per_operator: Vec<(AccountId, u128)>,
	total_value: u128,
}

/// What the runtime APIs report.
impl<T: Config> Pallet<T> {
	fn set_stake(set: &OperatorSetId) -> SetStake<T::AccountId> {
		let native = T::Restaking::native_strategy();
		let mut per_strategy: Vec<StrategyStake> = Vec::new();
		let mut per_operator: Vec<(T::AccountId, u128)> = Vec::new();
		let mut total_value = 0u128;
		for (operator, strategy, stake) in T::Restaking::set_allocations(set) {
			let value = <Self as StakeValuation>::value(strategy, stake);
			total_value = total_value.saturating_add(value);
			match per_operator.iter_mut().find(|(o, _)| *o == operator) {
				Some((_, v)) => *v = v.saturating_add(value),
				None => per_operator.push((operator, value)),
			}
			let is_native = native == Some(strategy);
			let shown = if is_native { stake } else { value };
			match per_strategy.iter_mut().find(|s| s.strategy == strategy) {
				Some(s) => {
					s.allocated = s.allocated.saturating_add(stake);
					s.value = s.value.saturating_add(shown);
					s.operators += 1;
				}
				None => per_strategy.push(StrategyStake {
					strategy,
					native: is_native,
					allocated: stake,
					value: shown,
					operators: 1,
				}),
			}
		}
		per_strategy.sort_by_key(|s| s.strategy);
		SetStake { per_strategy, per_operator, total_value }
	}

	fn market_view(
		id: OperatorSetId,
		set: OperatorSetOf<T>,
	) -> OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId> {
		let now = Self::now();
		let stake = Self::set_stake(&id);
		let budgets = RewardBudgets::<T>::iter_prefix(id)
			.map(|(asset, b)| BudgetView {
				asset,
				per_era: b.per_era,
				remaining: b.remaining,
				rate_per_unit: if stake.total_value == 0 {
					0
				} else {
					sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
						b.per_era,
						WAD,
						stake.total_value,
						sp_runtime::Rounding::Down,
					)
					.unwrap_or(u128::MAX)
				},
			})
			.collect();
		let terms = set.terms_at(now).clone();
		let pending_terms = set.pending_terms.clone().filter(|(_, at)| *at > now);
		OperatorSetMarketView {
			set: id,
			metadata_uri: Avss::<T>::get(id.avs)
				.map(|a| a.metadata_uri.into_inner())
				.unwrap_or_default(),
			strategies: set.config.strategies.clone().into_inner(),
			key_type: set.config.key_type,
			members: set.members,
			max_operators: set.config.max_operators,
			allowlist: set.config.allowlist,
			terms,
			pending_terms,
			stake: stake.per_strategy,
			total_value: stake.total_value,
			budgets,
		}
	}

	/// [`kasane_primitives::avs::AvsApi::operator_sets`]: at most 100 per page.
	pub fn operator_sets_view(
		order: MarketOrder<T::RewardAssetId>,
		offset: u32,
		limit: u32,
	) -> Vec<OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId>> {
		let mut views: Vec<_> =
			OperatorSets::<T>::iter().map(|(id, set)| Self::market_view(id, set)).collect();
		let rate = |v: &OperatorSetMarketView<_, _, _>, asset: &T::RewardAssetId| {
			v.budgets.iter().find(|b| &b.asset == asset).map_or(0, |b| b.rate_per_unit)
		};
		match &order {
			MarketOrder::SetId => views.sort_by_key(|v| v.set),
			MarketOrder::RewardRate(asset) => {
				views.sort_by(|a, b| rate(b, asset).cmp(&rate(a, asset)).then(a.set.cmp(&b.set)))
			}
			MarketOrder::AllocatedValue => {
				views.sort_by(|a, b| b.total_value.cmp(&a.total_value).then(a.set.cmp(&b.set)))
			}
		}
		views.into_iter().skip(offset as usize).take(limit.min(100) as usize).collect()
	}

	/// [`kasane_primitives::avs::AvsApi::security`].
	pub fn security_view(set: OperatorSetId) -> Option<SecurityView> {
		OperatorSets::<T>::get(set)?;
		let stake = Self::set_stake(&set);
		let native_ksn: u128 =
			stake.per_strategy.iter().filter(|s| s.native).map(|s| s.allocated).sum();
		let lst_eth: u128 = stake.per_strategy.iter().filter(|s| !s.native).map(|s| s.value).sum();
		let mut values: Vec<u128> = stake.per_operator.iter().map(|(_, v)| *v).collect();
		values.sort_unstable_by(|a, b| b.cmp(a));
		// The fewest operators (largest first) whose value reaches `num / 3` of the total.
		let fewest = |num: u128| -> Option<u32> {
			if stake.total_value == 0 {
				return None;
			}
			let mut sum = 0u128;
			for (i, v) in values.iter().enumerate() {
				sum = sum.saturating_add(*v);
				if sum.saturating_mul(3) >= stake.total_value.saturating_mul(num) {
					return Some(i as u32 + 1);
				}
			}
			None
		};
		Some(SecurityView {
			set,
			to_control_third: CorruptionCost {
				native_ksn: native_ksn / 2,
				lst_eth: lst_eth / 2,
				operators: fewest(1),
			},
			to_control_two_thirds: CorruptionCost {
				native_ksn: native_ksn.saturating_mul(2),
				lst_eth: lst_eth.saturating_mul(2),
				operators: fewest(2),
			},
			stake: stake.per_strategy,
			native_ksn,
			lst_eth,
		})
	}

	/// Every check of the pallet's invariants.
	// Not behind `try-runtime`: the runtime's integration tests check it too.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		ensure!(Avss::<T>::count() as usize == Avss::<T>::iter().count(), "AVS counter is off");
		let now = Self::now();
		for (id, set) in OperatorSets::<T>::iter() {
			let avs = Avss::<T>::get(id.avs).ok_or("operator set of an unknown AVS")?;
			ensure!(id.index < avs.sets, "operator set index beyond the AVS's count");
			let (mut members, mut departed) = (0u32, 0u32);
			for (operator, m) in Members::<T>::iter_prefix(id) {
				match m.slashable_until {
					None => members += 1,
					Some(_) => departed += 1,
				}
				ensure!(
					KeyOwners::<T>::get(&m.key) == Some((id, operator)),
					"a member's key is not registered to it"
				);
			}
			ensure!(members == set.members, "member count is off");
			ensure!(departed == set.departed, "departed count is off");
			ensure!(members <= set.config.max_operators, "more members than max_operators");
			ensure!(
				Allowlist::<T>::iter_prefix(id).count() as u32 == set.allowlisted,
				"allowlist count is off"
			);
			ensure!(
				RewardBudgets::<T>::iter_prefix(id).count() as u32 == set.budgets,
				"budget count is off"
			);
			if let Some((_, at)) = &set.pending_terms {
				ensure!(
					*at <= now.saturating_add(T::SlashingTermsDelay::get()),
					"terms change further out than the delay"
				);
			}
		}
		// Each key belongs to exactly one membership, and each membership has its set.
		let mut keys = 0usize;
		for (key, (set, operator)) in KeyOwners::<T>::iter() {
			keys += 1;
			let m = Members::<T>::get(set, &operator).ok_or("key of no membership")?;
			ensure!(m.key == key, "key registered to a membership with another key");
		}
		ensure!(keys == Members::<T>::iter().count(), "memberships and keys differ in number");
		ensure!(
			Members::<T>::iter_keys().all(|(set, _)| OperatorSets::<T>::contains_key(set)),
			"membership of an unknown set"
		);
		// The escrow owes exactly the unpaid budgets, and holds at least that.
		let mut owed: BTreeMap<T::RewardAssetId, u128> = BTreeMap::new();
		for (set, asset, budget) in RewardBudgets::<T>::iter() {
			ensure!(OperatorSets::<T>::contains_key(set), "budget of an unknown set");
			let e = owed.entry(asset).or_default();
			*e = e.saturating_add(budget.remaining);
		}
		for (asset, escrowed) in Escrowed::<T>::iter() {
			ensure!(
				owed.remove(&asset).unwrap_or(0) == escrowed,
				"escrowed total differs from unpaid budgets"
			);
			ensure!(
				T::RewardAssets::balance(asset, &Self::escrow_account()) >= escrowed,
				"escrow account holds less than it owes"
			);
		}
		ensure!(owed.values().all(|v| *v == 0), "unpaid budget missing from the escrow total");
		Ok(())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Make `operator` a member of `set`, creating the AVS (owned by `operator`, no deposit)
	/// and the set if needed; the set accepts `strategies`. For the benchmarks of pallets that
	/// need memberships.
	pub fn benchmark_join(operator: &T::AccountId, set: &OperatorSetId, strategies: &[StrategyId]) {
		let mut avs = Avss::<T>::get(set.avs).unwrap_or(Avs {
			owner: operator.clone(),
			pending_owner: None,
			deposit: 0,
			metadata_uri: Default::default(),
			sets: 0,
		});
		let strategies: BoundedVec<_, _> =
			BoundedVec::truncate_from(strategies.iter().map(|s| (*s, 0u128)).collect::<Vec<_>>());
		while avs.sets <= set.index {
			OperatorSets::<T>::insert(
				OperatorSetId { avs: set.avs, index: avs.sets },
				OperatorSet {
					config: OperatorSetConfig {
						strategies: strategies.clone(),
						max_operators: T::MaxOperatorsPerSet::get(),
						key_type: KeyType::Sr25519,
						allowlist: false,
						terms: SlashingTerms {
							mode: SlashExecution::Instant,
							max_slash_per_epoch: WAD,
							slashed_funds: kasane_primitives::restaking::SlashDestination::Burn,
							equivocation_penalty: WAD / 10,
						},
					},
					pending_terms: None,
					members: 0,
					departed: 0,
					allowlisted: 0,
					budgets: 0,
				},
			);
			avs.sets += 1;
		}
		if !Avss::<T>::contains_key(set.avs) && NextAvsId::<T>::get() <= set.avs {
			NextAvsId::<T>::put(set.avs.saturating_add(1));
		}
		Avss::<T>::insert(set.avs, avs);
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.config.strategies = strategies.clone();
			}
		});
		if Members::<T>::contains_key(set, operator) {
			return;
		}
		let key = OperatorKey::Sr25519(sp_core::sr25519::Public::from_raw(
			sp_io::hashing::blake2_256(&(set, operator).encode()),
		));
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.members += 1;
			}
		});
		KeyOwners::<T>::insert(&key, (*set, operator.clone()));
		Members::<T>::insert(
			set,
			operator,
			Membership { key, joined_at: Self::now(), slashable_until: None },
		);
	}

	/// Give `operator`'s membership of `set` the key `key` and the set the terms `terms`
	/// (benchmarks of the slashing pallet).
	pub fn benchmark_configure(
		operator: &T::AccountId,
		set: &OperatorSetId,
		key: OperatorKey,
		terms: SlashingTermsOf<T>,
	) {
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.config.key_type = key.key_type();
				s.config.terms = terms;
				s.pending_terms = None;
			}
		});
		Members::<T>::mutate(set, operator, |m| {
			if let Some(m) = m {
				KeyOwners::<T>::remove(&m.key);
				m.key = key.clone();
			}
		});
		KeyOwners::<T>::insert(&key, (*set, operator.clone()));
	}
}
