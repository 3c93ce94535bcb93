//! Extrinsic builders for `kasane-node benchmark overhead|extrinsic`: they sign real Kasane
//! transactions (a remark, a balance transfer) with the dev keyring so the benchmarks measure
//! the full cost of signature checks, fees and dispatch.

use std::{sync::Arc, time::Duration};

use crate::service::FullClient;
use kasane_runtime as runtime;
use runtime::{AccountId, Balance, BalancesCall, SystemCall};
use sc_cli::Result;
use sc_client_api::BlockBackend;
use sp_core::{Encode, Pair};
use sp_inherents::{InherentData, InherentDataProvider};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{OpaqueExtrinsic, SaturatedConversion};

/// Builds signed extrinsics of one call, from Bob, for `benchmark overhead|extrinsic`.
pub struct SignedCallBuilder {
	client: Arc<FullClient>,
	pallet: &'static str,
	extrinsic: &'static str,
	call: runtime::RuntimeCall,
}

impl SignedCallBuilder {
	/// `system.remark` with an empty remark: the cheapest signed extrinsic.
	pub fn remark(client: Arc<FullClient>) -> Self {
		let call = SystemCall::remark { remark: vec![] }.into();
		Self { client, pallet: "system", extrinsic: "remark", call }
	}

	/// `balances.transfer_keep_alive` of `value` to `dest`.
	pub fn transfer_keep_alive(client: Arc<FullClient>, dest: AccountId, value: Balance) -> Self {
		let call = BalancesCall::transfer_keep_alive { dest: dest.into(), value }.into();
		Self { client, pallet: "balances", extrinsic: "transfer_keep_alive", call }
	}
}

impl frame_benchmarking_cli::ExtrinsicBuilder for SignedCallBuilder {
	fn pallet(&self) -> &str {
		self.pallet
	}

	fn extrinsic(&self) -> &str {
		self.extrinsic
	}

	fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
		let sender = Sr25519Keyring::Bob.pair();
		Ok(create_benchmark_extrinsic(self.client.as_ref(), sender, self.call.clone(), nonce)
			.into())
	}
}

/// A signed extrinsic calling `call`, mortal from the client's best block.
pub fn create_benchmark_extrinsic(
	client: &FullClient,
	sender: sp_core::sr25519::Pair,
	call: runtime::RuntimeCall,
	nonce: u32,
) -> runtime::UncheckedExtrinsic {
	let genesis_hash = client.block_hash(0).ok().flatten().expect("Genesis block exists; qed");
	let best_hash = client.chain_info().best_hash;
	let best_block = client.chain_info().best_number;

	let period = runtime::configs::BlockHashCount::get()
		.checked_next_power_of_two()
		.map(|c| c / 2)
		.unwrap_or(2) as u64;
	let tx_ext: runtime::TxExtension = (
		frame_system::CheckNonZeroSender::<runtime::Runtime>::new(),
		frame_system::CheckSpecVersion::<runtime::Runtime>::new(),
		frame_system::CheckTxVersion::<runtime::Runtime>::new(),
		frame_system::CheckGenesis::<runtime::Runtime>::new(),
		frame_system::CheckEra::<runtime::Runtime>::from(sp_runtime::generic::Era::mortal(
			period,
			best_block.saturated_into(),
		)),
		frame_system::CheckNonce::<runtime::Runtime>::from(nonce),
		frame_system::CheckWeight::<runtime::Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<runtime::Runtime>::from(0),
		frame_system::WeightReclaim::<runtime::Runtime>::new(),
	);

	let raw_payload = runtime::SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		(
			(),
			runtime::VERSION.spec_version,
			runtime::VERSION.transaction_version,
			genesis_hash,
			best_hash,
			(),
			(),
			(),
			(),
		),
	);
	let signature = raw_payload.using_encoded(|e| sender.sign(e));

	runtime::UncheckedExtrinsic::new_signed(
		call,
		sp_runtime::AccountId32::from(sender.public()).into(),
		runtime::Signature::Sr25519(signature),
		tx_ext,
	)
}

/// Inherent data for a benchmark block: only the timestamp is needed.
pub fn inherent_benchmark_data() -> Result<InherentData> {
	let mut inherent_data = InherentData::new();
	let d = Duration::from_millis(0);
	let timestamp = sp_timestamp::InherentDataProvider::new(d.into());

	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating inherent data: {e:?}"))?;
	Ok(inherent_data)
}
