//! The invariant holds after genesis and names what broke when storage is corrupted.

use crate::{mock::*, *};

#[test]
fn corrupted_delays_fail_loudly() {
	ExtBuilder::default().delays(short()).build().execute_with(|| {
		assert_eq!(ChainParameters::do_try_state(), Ok(()));
		CurrentDelays::<Test>::put(Delays { allocation: 10, ..short() });
		assert_eq!(
			ChainParameters::do_try_state(),
			Err(sp_runtime::TryRuntimeError::Other(
				"a withdrawal queued when new exposure is announced must complete before it applies"
			))
		);
	});
}
