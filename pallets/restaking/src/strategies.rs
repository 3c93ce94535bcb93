//! Strategies: adding one (one per asset, one `Native`) and the asset behind it.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_strategy(
		kind: StrategyKind<T::AssetId>,
		deposit_cap: u128,
		per_staker_cap: u128,
	) -> Result<StrategyId, DispatchError> {
		ensure!(Strategies::<T>::count() < T::MaxStrategies::get(), Error::<T>::TooManyStrategies);
		let id = NextStrategyId::<T>::get();
		match kind {
			StrategyKind::Native => {
				ensure!(NativeStrategy::<T>::get().is_none(), Error::<T>::NativeStrategyExists);
				NativeStrategy::<T>::put(id);
			}
			StrategyKind::Asset(asset) => {
				ensure!(
					!AssetStrategy::<T>::contains_key(asset),
					Error::<T>::AssetAlreadyHasStrategy
				);
				AssetStrategy::<T>::insert(asset, id);
			}
		}
		Strategies::<T>::insert(
			id,
			Strategy {
				kind,
				status: StrategyStatus::Active,
				deposit_cap,
				per_staker_cap,
				held: 0,
				undelegated_scaled: 0,
				total_deposited: 0,
				total_withdrawn: 0,
				total_slashed: 0,
				redistributable: false,
			},
		);
		NextStrategyId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		Self::deposit_event(Event::StrategyAdded {
			strategy: id,
			kind,
			deposit_cap,
			per_staker_cap,
		});
		Ok(id)
	}

	pub(crate) fn asset_of(strategy: &Strategy<T::AssetId>) -> Result<T::AssetId, DispatchError> {
		match strategy.kind {
			StrategyKind::Asset(asset) => Ok(asset),
			StrategyKind::Native => Err(Error::<T>::NativeStrategyDeposit.into()),
		}
	}
}
