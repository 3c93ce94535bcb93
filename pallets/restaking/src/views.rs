//! What the runtime API reports: a staker's, an operator's and claimable rewards' views.

use crate::*;
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::staking::NativeStakeProvider;
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	/// [`kasane_primitives::restaking::RestakingApi::staker`].
	pub fn staker_view(
		who: &T::AccountId,
	) -> kasane_primitives::restaking::StakerView<T::AccountId, BlockNumberFor<T>> {
		use kasane_primitives::restaking::{PositionView, StakerView, WithdrawalView};
		let record = Stakers::<T>::get(who);
		let delegated_to = record.delegated_to;
		let positions = Positions::<T>::iter_prefix(who)
			.filter(|(_, p)| p.deposit_shares > 0)
			.map(|(strategy, p)| PositionView {
				strategy,
				deposit_shares: p.deposit_shares,
				withdrawable: Self::position_value(delegated_to.as_ref(), strategy, &p),
			})
			.collect();
		let withdrawals = record
			.withdrawals
			.into_iter()
			.map(|w| WithdrawalView {
				id: w.id,
				strategy: w.strategy,
				value: Self::withdrawal_value(&w),
				operator: w.operator,
				withdrawable_at: w.withdrawable_at,
				redeposit: w.kind == WithdrawalKind::Redeposit,
			})
			.collect();
		StakerView { delegated_to, positions, withdrawals }
	}

	/// [`kasane_primitives::restaking::RestakingApi::operator`].
	pub fn operator_view(
		operator: &T::AccountId,
	) -> kasane_primitives::restaking::OperatorView<BlockNumberFor<T>> {
		use kasane_primitives::restaking::{AllocationView, OperatorStrategyView, OperatorView};
		let now = Self::now();
		let mut strategies: Vec<OperatorStrategyView> =
			OperatorStrategies::<T>::iter_prefix(operator)
				.map(|(strategy, book)| OperatorStrategyView {
					strategy,
					delegated: Self::operator_stake(operator, strategy),
					// Still slashable: settleable buckets are out of reach already.
					queued: scaled_to_value(
						book.queued_scaled.saturating_sub(Self::settleable_scaled(operator, &book)),
						book.max_magnitude,
					),
					max_magnitude: book.max_magnitude,
					encumbered: Self::encumbered_at(operator, strategy, &book, now),
				})
				.collect();
		// A validator's native pool is its `Native` stake even before it allocates any.
		if let Some(native) = NativeStrategy::<T>::get() {
			if !strategies.iter().any(|s| s.strategy == native) {
				if let Some(pool) = T::NativeStake::pool_stake(operator) {
					strategies.push(OperatorStrategyView {
						strategy: native,
						delegated: pool.active,
						queued: 0,
						max_magnitude: WAD,
						encumbered: 0,
					});
				}
			}
		}
		let allocations = Allocations::<T>::iter_prefix((operator,))
			.map(|((set, strategy), alloc)| {
				let current = Self::allocation_at(operator, &set, &alloc, now);
				AllocationView {
					set,
					strategy,
					magnitude: current.magnitude,
					allocated_stake: Self::allocated_stake(operator, &set, strategy).1,
					pending: current.pending.map(|p| (p.target, p.effective_at)),
				}
			})
			.collect();
		OperatorView {
			is_operator: Self::is_operator(operator),
			commission: Operators::<T>::get(operator)
				.map_or(Perbill::zero(), |o| o.commission_at(now)),
			strategies,
			allocations,
		}
	}

	/// [`kasane_primitives::restaking::RestakingApi::claimable_rewards`], per listed asset.
	pub fn claimable_rewards_view(
		who: &T::AccountId,
		strategy: StrategyId,
	) -> Vec<(T::RewardAssetId, u128)> {
		RewardAssetList::<T>::get()
			.into_iter()
			.map(|asset| (asset.clone(), Self::claimable_rewards(who, strategy, asset)))
			.filter(|(_, amount)| *amount > 0)
			.collect()
	}
}
