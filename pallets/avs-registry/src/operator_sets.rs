//! Operator sets: creating one, its slashing terms and its allowlist.

use crate::*;
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use kasane_primitives::restaking::AvsId;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn ensure_valid_terms(terms: &SlashingTermsOf<T>) -> DispatchResult {
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
		AvsRecords::<T>::insert(avs, record);
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
}
