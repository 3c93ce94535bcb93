//! Records of the pallet (defined in `kasane_primitives::slashing`, shared with the runtime
//! API) and the aliases the pallet stores them under.

use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	restaking::{Magnitude, StrategyId, WAD},
	slashing::SlashRecord,
};

/// A slash record as this pallet stores it.
pub type SlashRecordOf<T> = SlashRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// The most magnitude a slash of `fraction` may take from a strategy that had `magnitude`
/// allocated when the slash was requested (restaking rounds the slashed magnitude up too).
pub fn cap_of(magnitude: Magnitude, fraction: Magnitude) -> Magnitude {
	magnitude.saturating_mul(fraction).div_ceil(WAD).min(magnitude)
}

/// Per-strategy caps of a pending slash, from the magnitudes it recorded at request.
pub fn caps_of<AccountId, BlockNumber>(
	record: &SlashRecord<AccountId, BlockNumber>,
) -> alloc::vec::Vec<(StrategyId, Magnitude)> {
	record
		.amounts
		.iter()
		.filter_map(|a| a.strategy.map(|s| (s, cap_of(a.magnitude, record.fraction))))
		.collect()
}
