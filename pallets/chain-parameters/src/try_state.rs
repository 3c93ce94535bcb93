//! The pallet's one invariant, run after each test and by `try-runtime`.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::*;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// The stored delays keep the orderings and maxima genesis checked.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		CurrentDelays::<T>::get()
			.check(&T::MaxDelays::get(), T::MaturityBuckets::get())
			.map_err(TryRuntimeError::Other)
	}
}
