//! # Chain parameters (`pallet-chain-parameters`)
//!
//! The delays that decide how long stake stays slashable and how long stakers have to leave:
//! one runtime build serves a devnet, where they are minutes so a person can watch an
//! allocation take effect or a withdrawal complete, and a real network, where they are days.
//! Each network's genesis sets them ([`GenesisConfig::delays`]); without one the chain uses
//! [`Config::MaxDelays`], the production values, which also bound what a genesis may choose.
//!
//! ## Terminology
//!
//! - **Delays**: [`Delays`], stored in [`CurrentDelays`]: withdrawal, allocation,
//!   deallocation, the longest veto window and the commission change delay.
//! - **Maxima**: [`Config::MaxDelays`], compile-time bounds; the bounded books of other
//!   pallets are sized for them.
//!
//! ## Mechanism
//!
//! The pallets read the delays through [`Get`] adapters ([`WithdrawalDelay`],
//! [`AllocationDelay`], [`DeallocationDelay`], [`MaxVetoWindow`], [`CommissionChangeDelay`])
//! and a derived one ([`LongestExit`], the bound on native unbonding) plugged into their
//! `Config`, so they keep their constant-like interface, their
//! metadata constants report the chain's value, and a read costs one storage read of a value
//! every block touches. Genesis refuses delays that break an ordering the slashing design relies on
//! ([`Delays::check`]): a withdrawal covers deallocation and every veto window, a veto window
//! ends before a deallocation does, and new exposure waits until a withdrawal queued when it
//! was announced has completed.
//!
//! ## Calls
//!
//! None, on purpose. Promises already made were computed from the current values: a queued
//! withdrawal's completion time, an allocation's effective time and the veto windows of
//! existing operator sets. Shortening the withdrawal delay under a set whose veto window is
//! longer would let stake leave before a slash it owes executes. A runtime upgrade changes them
//! with a migration that deals with what is in flight.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

pub use pallet::*;

mod try_state;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;

use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The longest each delay may be, and the delays of a chain whose genesis sets none.
		type MaxDelays: Get<Delays<BlockNumberFor<Self>>>;

		/// Restaking's `MaturityBuckets`: a withdrawal completes up to one step of
		/// `withdrawal / MaturityBuckets` blocks after its delay, and the allocation delay
		/// must cover that step too.
		#[pallet::constant]
		type MaturityBuckets: Get<u32>;
	}

	/// The delays in force.
	#[pallet::storage]
	pub type CurrentDelays<T: Config> =
		StorageValue<_, Delays<BlockNumberFor<T>>, ValueQuery, T::MaxDelays>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The chain's delays; `None` stores [`Config::MaxDelays`].
		pub delays: Option<Delays<BlockNumberFor<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Stored even when they are the maxima: an upgrade that changes the maxima must not
			// change a running chain's delays under promises already made.
			let delays = self.delays.unwrap_or_else(T::MaxDelays::get);
			if let Err(why) = delays.check(&T::MaxDelays::get(), T::MaturityBuckets::get()) {
				panic!("genesis delays refused: {why}");
			}
			CurrentDelays::<T>::put(delays);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let max = T::MaxDelays::get();
			assert!(T::MaturityBuckets::get() > 0, "a withdrawal delay needs a completion time");
			if let Err(why) = max.check(&max, T::MaturityBuckets::get()) {
				panic!("the maximal delays must themselves be valid: {why}");
			}
			// The registry reads the withdrawal and deallocation delays in u32 blocks.
			let fits_u32 = |d: BlockNumberFor<T>| d <= BlockNumberFor::<T>::from(u32::MAX);
			assert!(fits_u32(max.withdrawal) && fits_u32(max.deallocation));
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

/// `Get` adapters for the pallets' `Config`s, one per delay.
macro_rules! delay_getters {
	($($(#[$doc:meta])* $name:ident => $field:ident;)*) => {$(
		$(#[$doc])*
		pub struct $name<T>(core::marker::PhantomData<T>);
		impl<T: Config> Get<BlockNumberFor<T>> for $name<T> {
			fn get() -> BlockNumberFor<T> {
				CurrentDelays::<T>::get().$field
			}
		}
	)*};
}

delay_getters! {
	/// [`Delays::withdrawal`].
	WithdrawalDelay => withdrawal;
	/// [`Delays::allocation`]: new exposure, a raised allocation or new slashing terms, waits
	/// this long.
	AllocationDelay => allocation;
	/// [`Delays::deallocation`].
	DeallocationDelay => deallocation;
	/// [`Delays::max_veto_window`].
	MaxVetoWindow => max_veto_window;
	/// [`Delays::commission_change`].
	CommissionChangeDelay => commission_change;
}

/// [`Delays::longest_exit`]: the longest native unbonding may take.
pub struct LongestExit<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<BlockNumberFor<T>> for LongestExit<T> {
	fn get() -> BlockNumberFor<T> {
		CurrentDelays::<T>::get().longest_exit(T::MaturityBuckets::get())
	}
}
