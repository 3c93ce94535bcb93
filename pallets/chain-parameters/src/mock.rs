//! A test runtime of `frame_system` and the chain parameters, with the production maxima
//! scaled down to a few dozen blocks.

use crate::{self as pallet_chain_parameters, *};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ChainParameters = pallet_chain_parameters;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Completion times per withdrawal delay: a step of 10 blocks at the maximal delay of 70.
pub const MATURITY_BUCKETS: u32 = 7;

parameter_types! {
	/// The runtime's production delays in miniature (days become tens of blocks).
	pub const Maxima: Delays<u64> = Delays {
		withdrawal: 70,
		allocation: 80,
		deallocation: 40,
		max_veto_window: 30,
		commission_change: 10,
	};
}

impl Config for Test {
	type MaxDelays = Maxima;
	type MaturityBuckets = ConstU32<MATURITY_BUCKETS>;
}

/// Devnet-like delays that keep every ordering.
pub fn short() -> Delays<u64> {
	Delays {
		withdrawal: 10,
		allocation: 12,
		deallocation: 5,
		max_veto_window: 3,
		commission_change: 2,
	}
}

#[derive(Default)]
pub struct ExtBuilder {
	delays: Option<Delays<u64>>,
}

impl ExtBuilder {
	pub fn delays(mut self, delays: Delays<u64>) -> Self {
		self.delays = Some(delays);
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			chain_parameters: pallet_chain_parameters::GenesisConfig { delays: self.delays },
		}
		.build_storage()
		.expect("genesis builds");
		storage.into()
	}

	/// Runs `test`, then the pallet's invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ChainParameters::do_try_state().expect("chain parameters try_state after the test");
		});
	}
}
