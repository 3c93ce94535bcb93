//! Pallet configurations, one file per area of the runtime.

mod accounts;
pub mod avs;
pub mod bridge;
mod consensus;
mod governance;
mod monetary;
mod parameters;
pub mod restaking;
pub mod slashing;
mod staking;
mod system;

pub use accounts::ProxyType;
pub use consensus::{GrandpaWeightInfo, SessionPeriod, MAX_AUTHORITIES};
pub use monetary::DealWithFees;
pub use system::{
	base_extrinsic, extensions_execution, BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights,
};
