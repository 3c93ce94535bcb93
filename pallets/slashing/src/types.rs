//! Records of the pallet (defined in `kasane_primitives::slashing`, shared with the runtime
//! API) and the aliases the pallet stores them under.

use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{slashed_magnitude, Magnitude, StrategyId},
	slashing::SlashRecord,
};

/// A slash record as this pallet stores it.
pub type SlashRecordOf<T> = SlashRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Per-strategy caps of a pending slash: what it would have taken from the magnitudes it
/// recorded at request (the same rounding restaking slashes with).
pub fn caps_of<AccountId, BlockNumber>(
	record: &SlashRecord<AccountId, BlockNumber>,
) -> alloc::vec::Vec<(StrategyId, Magnitude)> {
	record
		.amounts
		.iter()
		.filter_map(|a| a.strategy.map(|s| (s, slashed_magnitude(a.magnitude, record.fraction))))
		.collect()
}
