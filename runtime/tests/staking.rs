//! Native staking in the real runtime, from the `development` genesis: the genesis validator,
//! elected for the era, keeps its session keys whatever route it tries — `Session::purge_keys`
//! is refused by the runtime's call filter directly, inside a batch and through a proxy, and
//! `Staking::purge_keys` names the reason — and may not unbond its self-bond below the minimum
//! even after chilling.

mod common;

use common::with_preset_state;
use frame_support::{assert_noop, assert_ok, traits::ValidatorRegistration};
use kasane_runtime::{
	configs::ProxyType, genesis_config_presets::VALIDATOR_BOND, Proxy, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, Session, Staking, System,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError};

fn purge() -> RuntimeCall {
	RuntimeCall::Session(pallet_session::Call::purge_keys {})
}

#[test]
fn an_elected_validator_keeps_its_keys_and_self_bond_whatever_the_route() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let signed = |who: &kasane_runtime::AccountId| RuntimeOrigin::signed(who.clone());
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();

		assert_eq!(purge().dispatch(signed(&alice)).unwrap_err().error, filtered);
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![purge()] });
		assert_eq!(batch.dispatch(signed(&alice)).unwrap_err().error, filtered);
		assert_ok!(Proxy::add_proxy(signed(&alice), bob.clone().into(), ProxyType::Any, 0));
		let proxied = RuntimeCall::Proxy(pallet_proxy::Call::proxy {
			real: alice.clone().into(),
			force_proxy_type: None,
			call: Box::new(purge()),
		});
		assert_ok!(proxied.dispatch(signed(&bob)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(filtered) })));
		assert!(Session::is_registered(&alice));

		assert_noop!(
			Staking::purge_keys(signed(&alice)),
			pallet_native_staking::Error::<Runtime>::StillElected
		);
		assert_ok!(Staking::chill(signed(&alice)));
		assert_noop!(
			Staking::unbond(signed(&alice), VALIDATOR_BOND),
			pallet_native_staking::Error::<Runtime>::StillElected
		);
		assert!(Session::is_registered(&alice));
	});
}
