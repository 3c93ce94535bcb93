//! What the runtime API reports: slashes by operator and set, a staker's exposure, modes.

use crate::*;
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::StrategyId,
	slashing::{ModeView, StakerExposure},
	staking::NativeStakeProvider,
};
use sp_runtime::{PerThing, Perbill};

/// Most records a view returns.
const MAX_VIEW: u32 = 100;

impl<T: Config> Pallet<T> {
	pub(crate) fn newest(ids: impl Iterator<Item = SlashId>, limit: u32) -> Vec<SlashRecordOf<T>> {
		let mut ids: Vec<SlashId> = ids.collect();
		ids.sort_unstable_by(|a, b| b.cmp(a));
		ids.into_iter().take(limit.min(MAX_VIEW) as usize).filter_map(Slashes::<T>::get).collect()
	}

	pub fn operator_slashes(operator: &T::AccountId, limit: u32) -> Vec<SlashRecordOf<T>> {
		Self::newest(OperatorSlashes::<T>::iter_key_prefix(operator), limit)
	}

	pub fn set_slashes(set: &OperatorSetId, limit: u32) -> Vec<SlashRecordOf<T>> {
		Self::newest(SetSlashes::<T>::iter_key_prefix(set), limit)
	}

	/// Every pending slash that reaches `staker`, with what it would cost it now.
	pub fn staker_exposure(
		staker: &T::AccountId,
	) -> Vec<StakerExposure<T::AccountId, BlockNumberFor<T>>> {
		let mut out = Vec::new();
		for operator in T::Restaking::staker_operators(staker) {
			for id in OperatorSlashes::<T>::iter_key_prefix(&operator) {
				let Some(slash) = Slashes::<T>::get(id) else { continue };
				if slash.status != SlashStatus::Pending {
					continue;
				}
				let cost: Vec<(Option<StrategyId>, u128)> = match slash.set {
					Some(set) => {
						let caps = caps_of(&slash);
						T::Restaking::preview(
							&operator,
							&set,
							slash.fraction,
							Some(&caps),
							Some(staker),
						)
						.into_iter()
						.map(|s| (Some(s.strategy), s.amount))
						.collect()
					}
					None => match T::NativeStake::pool_member(staker) {
						Some((pool, stake)) if pool == operator => {
							let parts = slash.fraction / (WAD / Perbill::ACCURACY as u128);
							let fraction = Perbill::from_parts(parts.min(u32::MAX as u128) as u32);
							alloc::vec![(None, fraction.mul_ceil(stake))]
						}
						_ => Vec::new(),
					},
				};
				out.push(StakerExposure { slash, cost });
			}
		}
		out
	}

	pub fn mode_view(set: &OperatorSetId) -> ModeView {
		let global = GlobalMode::<T>::get();
		let set_mode = Self::operator_set_mode(set);
		ModeView { global, set: set_mode, effective: global.min(set_mode) }
	}
}
