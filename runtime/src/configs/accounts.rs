//! Account utilities: batching (utility), delegated signing (proxy) and multi-signature
//! accounts (multisig). Validators and operators use proxies to keep their stash keys cold.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{ConstU32, InstanceFilter},
};
use scale_info::TypeInfo;
use sp_runtime::traits::BlakeTwo256;

use crate::{
	currency::deposit, Balance, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, System,
};

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

/// What a proxy account may do on behalf of the account that registered it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Every call.
	#[default]
	Any,
	/// Only calls that move no value out of the account, nor put it where someone else
	/// decides its fate (see [`non_transfer`]).
	NonTransfer,
	/// Only rejecting announced proxy calls (for time-delayed proxies).
	CancelProxy,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => non_transfer(call),
			ProxyType::CancelProxy => matches!(
				call,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(pallet_utility::Call::batch { .. })
					| RuntimeCall::Utility(pallet_utility::Call::batch_all { .. })
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

/// What a `NonTransfer` proxy may do: an allowlist, so that a pallet added later moves nothing
/// until it is listed here. Its own staking (bonding keeps KSN in the account, held), running
/// an operator, attesting and reporting, batches of those; never a transfer of KSN or mirrored
/// LSTs, a bridge withdrawal, a restaking deposit or delegation (whose operator decides what
/// is slashed), or AVS funds.
pub fn non_transfer(call: &RuntimeCall) -> bool {
	use pallet_avs_registry::Call as Avs;
	use pallet_lst_bridge::Call as Bridge;
	use pallet_restaking::Call as Restaking;
	use pallet_slashing::Call as Slashing;
	matches!(
		call,
		RuntimeCall::System(frame_system::Call::remark { .. })
			| RuntimeCall::System(frame_system::Call::remark_with_event { .. })
			| RuntimeCall::Utility(pallet_utility::Call::batch { .. })
			| RuntimeCall::Utility(pallet_utility::Call::batch_all { .. })
			| RuntimeCall::Utility(pallet_utility::Call::force_batch { .. })
			| RuntimeCall::Staking(..)
			| RuntimeCall::Session(pallet_session::Call::set_keys { .. })
			| RuntimeCall::Restaking(
				Restaking::register_operator { .. }
					| Restaking::update_operator { .. }
					| Restaking::set_delegation_approval { .. }
					| Restaking::modify_allocation { .. }
					| Restaking::clear_pending_allocations { .. }
					| Restaking::undelegate { .. }
					| Restaking::queue_withdrawal { .. }
					| Restaking::complete_withdrawal { .. }
					| Restaking::complete_redeposit { .. }
					| Restaking::claim_rewards { .. }
			) | RuntimeCall::AvsRegistry(
			Avs::register_for_operator_set { .. }
				| Avs::deregister_from_operator_set { .. }
				| Avs::purge_departed { .. }
		) | RuntimeCall::Slashing(
			Slashing::report_equivocation { .. } | Slashing::execute_slash { .. }
		) | RuntimeCall::LstBridge(
			Bridge::attest_deposit { .. }
				| Bridge::attest_rate { .. }
				| Bridge::attest_withdrawal { .. }
				| Bridge::retry_deposit { .. }
				| Bridge::rotate_attesters { .. }
				| Bridge::attest_rotation { .. }
				| Bridge::attest_header { .. }
				| Bridge::prove_deposit { .. }
				| Bridge::prove_rate { .. }
				| Bridge::drop_header_tally { .. }
		)
	)
}

parameter_types! {
	// One storage item: the proxy list (8 bytes of key prefix + balance).
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	// Each proxy adds an account id and a proxy type.
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	// Each announcement adds an account id, a call hash and a block number.
	pub const AnnouncementDepositFactor: Balance = deposit(0, 68);
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = crate::weights::pallet_proxy::WeightInfo<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

parameter_types! {
	// One storage item: the multisig operation (key 32 + 32 bytes, value 56 bytes).
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	// Each approval adds an account id.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = crate::weights::pallet_multisig::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}
