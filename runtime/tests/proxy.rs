//! The `NonTransfer` proxy (M-8): an allowlist of calls that move no value out of the account
//! that registered it, checked at every depth (inside batches too).

mod common;

use common::with_preset_state;
use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use kasane_runtime::{
	configs::ProxyType, currency::UNIT, genesis_config_presets::ETHER, Proxy, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, System,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::DispatchError;

const WSTETH: u32 = 1;

#[test]
fn a_non_transfer_proxy_moves_no_value_out() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(alice.clone()),
			bob.clone().into(),
			ProxyType::NonTransfer,
			0
		));
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();
		// What `call` does when Bob makes it for Alice through the proxy.
		let through_proxy = |call: RuntimeCall| {
			System::reset_events();
			let proxied = RuntimeCall::Proxy(pallet_proxy::Call::proxy {
				real: alice.clone().into(),
				force_proxy_type: None,
				call: Box::new(call),
			});
			assert_ok!(proxied.dispatch_bypass_filter(RuntimeOrigin::signed(bob.clone())));
			System::events()
				.into_iter()
				.find_map(|r| match r.event {
					RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => {
						Some(result)
					}
					_ => None,
				})
				.expect("the proxy ran the call")
		};
		let strategy = pallet_restaking::AssetStrategy::<Runtime>::get(WSTETH).unwrap();
		let value_out = [
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: eve.clone().into(),
				value: UNIT,
			}),
			RuntimeCall::Assets(pallet_assets::Call::transfer {
				id: WSTETH.into(),
				target: eve.clone().into(),
				amount: ETHER,
			}),
			RuntimeCall::Assets(pallet_assets::Call::approve_transfer {
				id: WSTETH.into(),
				delegate: eve.clone().into(),
				amount: ETHER,
			}),
			RuntimeCall::LstBridge(pallet_lst_bridge::Call::withdraw_to_ethereum {
				asset: WSTETH,
				amount: ETHER,
				recipient: sp_core::H160::repeat_byte(0xee),
			}),
			RuntimeCall::Restaking(pallet_restaking::Call::deposit { strategy, amount: ETHER }),
			RuntimeCall::Restaking(pallet_restaking::Call::delegate_to { operator: eve.clone() }),
			RuntimeCall::AvsRegistry(pallet_avs_registry::Call::register_avs {
				metadata_uri: b"x".to_vec(),
			}),
			RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
				other_signatories: vec![eve.clone()],
				call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
			}),
		];
		for call in value_out {
			assert_eq!(through_proxy(call.clone()), Err(filtered), "{call:?}");
			// Nor hidden in a batch.
			let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![call] });
			assert!(through_proxy(batch).is_err());
		}
		// Staking with its own funds and running an operator are what it is for.
		assert_eq!(
			through_proxy(RuntimeCall::Staking(pallet_native_staking::Call::bond_extra {
				value: UNIT
			})),
			Ok(())
		);
		assert_eq!(
			through_proxy(RuntimeCall::Restaking(pallet_restaking::Call::update_operator {
				commission: None,
				metadata: Some(b"ipfs://op".to_vec().try_into().unwrap()),
				approval_required: None,
			})),
			Ok(())
		);
		// Housekeeping anyone may do passes the filter: only the pallet refuses it.
		assert_eq!(
			through_proxy(RuntimeCall::LstBridge(pallet_lst_bridge::Call::drop_header_tally {
				number: 1
			})),
			Err(pallet_lst_bridge::Error::<Runtime>::NoHeaderTally.into())
		);
	});
}
