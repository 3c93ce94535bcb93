//! Chain parameters (pallet-chain-parameters): the delays restaking, the AVS registry and
//! slashing read, set by each network's genesis within the maxima below. The maxima are a real
//! network's delays and what the default era clock of native staking fits; the
//! `development` and `local_testnet` presets choose minutes (`genesis_config_presets`).

use frame_support::{parameter_types, traits::ConstU32};
use pallet_chain_parameters::Delays;

use super::{
	avs::MAX_VETO_WINDOW,
	restaking::{
		ALLOCATION_DELAY, COMMISSION_CHANGE_DELAY, DEALLOCATION_DELAY, MATURITY_BUCKETS,
		WITHDRAWAL_DELAY,
	},
};
use crate::{BlockNumber, Runtime};

parameter_types! {
	pub const MaxDelays: Delays<BlockNumber> = Delays {
		withdrawal: WITHDRAWAL_DELAY,
		allocation: ALLOCATION_DELAY,
		deallocation: DEALLOCATION_DELAY,
		max_veto_window: MAX_VETO_WINDOW,
		commission_change: COMMISSION_CHANGE_DELAY,
	};
}

impl pallet_chain_parameters::Config for Runtime {
	type MaxDelays = MaxDelays;
	type MaturityBuckets = ConstU32<MATURITY_BUCKETS>;
}
