//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-04 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//!
//! DATABASE: `ParityDb`, RUNTIME: `Kasane Development`
//! BLOCK-NUM: `Number(0)`
//! SKIP-WRITE: `false`, SKIP-READ: `false`, WARMUPS: `1`
//! STATE-VERSION: `V1`, STATE-CACHE-SIZE: ``
//! WEIGHT-PATH: `runtime/src/weights/`
//! METRIC: `Average`, WEIGHT-MUL: `1.3`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/kasane-bench-target/release/kasane-node
//   benchmark
//   storage
//   --chain
//   /tmp/tmp.NjwbnWM1T0/large.json
//   --base-path
//   /tmp/tmp.NjwbnWM1T0/db
//   --database
//   paritydb
//   --state-version
//   1
//   --disable-pov-recorder
//   --warmups
//   1
//   --batch-size
//   10000
//   --mul
//   1.3
//   --weight-path
//   runtime/src/weights/

/// Storage DB weights for the `Kasane Development` runtime and `ParityDb`.
pub mod constants {
	use frame_support::weights::constants;
	use sp_core::parameter_types;
	use sp_weights::RuntimeDbWeight;

	parameter_types! {
		/// `ParityDB` can be enabled with a feature flag, but is still experimental. These weights
		/// are available for brave runtime engineers who may want to try this out as default.
		pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
			/// Time to read one storage item.
			/// Calculated by multiplying the *Average* of all values with `1.3` and adding `0`.
			///
			/// Stats nanoseconds:
			///   Min, Max: 1_172, 2_608_987
			///   Average:  10_046
			///   Median:   9_418
			///   Std-Dev:  5844.63
			///
			/// Percentiles nanoseconds:
			///   99th: 25_337
			///   95th: 14_107
			///   75th: 10_931
			read: 13_060 * constants::WEIGHT_REF_TIME_PER_NANOS,

			/// Time to write one storage item.
			/// Calculated by multiplying the *Average* of all values with `1.3` and adding `0`.
			///
			/// Stats nanoseconds:
			///   Min, Max: 15_427, 54_550
			///   Average:  23_373
			///   Median:   22_800
			///   Std-Dev:  6538.92
			///
			/// Percentiles nanoseconds:
			///   99th: 54_550
			///   95th: 28_129
			///   75th: 24_550
			write: 30_385 * constants::WEIGHT_REF_TIME_PER_NANOS,
		};
	}

	#[cfg(test)]
	mod test_db_weights {
		use super::constants::ParityDbWeight as W;
		use sp_weights::constants;

		/// Checks that all weights exist and have sane values.
		// NOTE: If this test fails but you are sure that the generated values are fine,
		// you can delete it.
		#[test]
		fn bound() {
			// At least 1 µs.
			assert!(
				W::get().reads(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Read weight should be at least 1 µs."
			);
			assert!(
				W::get().writes(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Write weight should be at least 1 µs."
			);
			// At most 1 ms.
			assert!(
				W::get().reads(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Read weight should be at most 1 ms."
			);
			assert!(
				W::get().writes(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Write weight should be at most 1 ms."
			);
		}
	}
}
