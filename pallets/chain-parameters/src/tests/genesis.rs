//! What genesis stores and what the pallets read through the `Get` adapters.

use crate::{mock::*, *};
use frame_support::traits::Hooks;

#[test]
fn without_genesis_delays_the_maxima_apply_and_are_stored() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(CurrentDelays::<Test>::get(), Maxima::get());
		assert!(
			CurrentDelays::<Test>::exists(),
			"stored, so an upgrade that changes the maxima leaves a running chain's delays alone"
		);
		assert_eq!(WithdrawalDelay::<Test>::get(), 70);
		assert_eq!(AllocationDelay::<Test>::get(), 80);
		assert_eq!(DeallocationDelay::<Test>::get(), 40);
		assert_eq!(MaxVetoWindow::<Test>::get(), 30);
		assert_eq!(CommissionChangeDelay::<Test>::get(), 10);
	});
}

#[test]
fn genesis_delays_are_what_every_adapter_reads() {
	ExtBuilder::default().delays(short()).build_and_execute(|| {
		assert_eq!(CurrentDelays::<Test>::get(), short());
		assert_eq!(WithdrawalDelay::<Test>::get(), 10);
		assert_eq!(AllocationDelay::<Test>::get(), 12);
		assert_eq!(DeallocationDelay::<Test>::get(), 5);
		assert_eq!(MaxVetoWindow::<Test>::get(), 3);
		assert_eq!(CommissionChangeDelay::<Test>::get(), 2);
		// A withdrawal takes 10 blocks and up to one 2-block completion step; new exposure
		// waits 12, so any other exit must end within 10.
		assert_eq!(LongestExit::<Test>::get(), 10);
	});
}

#[test]
#[should_panic(
	expected = "genesis delays refused: the allocation delay must be positive and at most its maximum"
)]
fn genesis_refuses_a_delay_over_its_maximum() {
	ExtBuilder::default().delays(Delays { allocation: 81, ..Maxima::get() }).build();
}

#[test]
#[should_panic(
	expected = "genesis delays refused: a vetoable slash must execute before the stake it reaches can be withdrawn"
)]
fn genesis_refuses_broken_orderings() {
	ExtBuilder::default()
		.delays(Delays { max_veto_window: 11, deallocation: 10, ..short() })
		.build();
}

#[test]
fn genesis_config_reads_camel_case_json_and_refuses_unknown_fields() {
	let config: GenesisConfig<Test> = serde_json::from_str(
		r#"{"delays":{"withdrawal":10,"allocation":12,"deallocation":5,"maxVetoWindow":3,"commissionChange":2}}"#,
	)
	.expect("a chain spec's delays parse");
	assert_eq!(config.delays, Some(short()));
	assert!(serde_json::from_str::<GenesisConfig<Test>>(r#"{"delays":{"withdrawal":10}}"#).is_err());
	assert!(serde_json::from_str::<GenesisConfig<Test>>(
		r#"{"delays":{"withdrawal":10,"allocation":12,"deallocation":5,"maxVetoWindow":3,"commissionChange":2,"unbonding":1}}"#,
	)
	.is_err());
}

#[test]
fn the_maxima_pass_the_integrity_test() {
	<ChainParameters as Hooks<u64>>::integrity_test();
}
