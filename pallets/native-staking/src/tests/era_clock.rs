//! The era clock a genesis sets (sessions per era, session length, bonding duration, slash
//! deferral): its unbonding must outlast every restaked slashing window and end before new
//! exposure announced when it started applies.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::EraIndex;

/// The mock's clock (eras of 3 five-block sessions, 3 eras of bonding) unbonds in 30 to 45
/// blocks.
const MIN_UNBONDING: BlockNumber = 30;
const MAX_UNBONDING: BlockNumber = 45;

#[test]
fn genesis_stores_the_clock_it_checked() {
	ExtBuilder::default().unbonding_blocks(MIN_UNBONDING, MAX_UNBONDING).build_and_execute(|| {
		assert!(crate::SessionsPerEra::<Test>::exists() && SessionLength::<Test>::exists());
		assert!(BondingEras::<Test>::exists() && SlashDeferEras::<Test>::exists());
		assert_eq!(BondingEras::<Test>::get(), BondingDuration::get());
		assert_eq!(SlashDeferEras::<Test>::get(), 1);
		assert_eq!(Staking::check_era_clock(), Ok(()));
	});
}

#[test]
fn each_rule_of_the_clock_at_its_edge() {
	ExtBuilder::default().unbonding_blocks(MIN_UNBONDING, MAX_UNBONDING).build_and_execute(|| {
		let clock = |sessions: u32, length: BlockNumber, bonding: EraIndex, defer: EraIndex| {
			crate::SessionsPerEra::<Test>::put(sessions);
			SessionLength::<Test>::put(length);
			BondingEras::<Test>::put(bonding);
			SlashDeferEras::<Test>::put(defer);
			Staking::check_era_clock()
		};
		assert_eq!(clock(0, 5, 3, 1), Err("an era needs at least one session"));
		assert_eq!(clock(3, 0, 3, 1), Err("a session needs at least one block"));
		let bonding = "the bonding duration must be positive and at most its maximum";
		assert_eq!(clock(3, 5, 0, 0), Err(bonding));
		assert_eq!(clock(1, 11, 4, 1), Err(bonding), "over the mock's 3 eras");
		assert_eq!(
			clock(3, 5, 3, 3),
			Err("slashes must be applied before the stake they reach can be withdrawn")
		);
		assert_eq!(clock(3, 5, 3, 0), Err("slashes must be deferred at least to the next era"));
		// 14-block eras: stake unbonded at an era's end waits only 28 blocks.
		assert_eq!(
			clock(2, 7, 3, 1),
			Err("native unbonding must outlast every restaked slashing window")
		);
		// 16-block eras: stake unbonded at an era's start waits 48 blocks.
		assert_eq!(
			clock(2, 8, 3, 1),
			Err("native unbonding must end before new exposure announced when it started \
				     applies")
		);
		// A full queue of 4 due slashes, one a block (the mock's page), needs a 4-block era.
		assert_eq!(MaxSlashesAppliedPerBlock::get(), 1);
		assert_eq!(
			clock(1, 3, 3, 1),
			Err("an era must be long enough to apply a full queue of due slashes")
		);
		assert_eq!(
			clock(1, 4, 3, 1),
			Err("native unbonding must outlast every restaked slashing window"),
			"past the due-slash rule"
		);
		assert_eq!(clock(3, 5, 3, 2), Ok(()));
		assert_eq!(clock(1, 15, 3, 1), Ok(()));
		assert_eq!(clock(3, 5, 3, 1), Ok(()));
	});
}

#[test]
#[should_panic(expected = "genesis era clock refused: native unbonding must end before new \
                           exposure announced when it started applies")]
fn genesis_refuses_unbonding_that_outlasts_the_allocation_delay() {
	ExtBuilder::default().unbonding_blocks(MIN_UNBONDING, MAX_UNBONDING - 1).build();
}

#[test]
#[should_panic(expected = "genesis era clock refused: native unbonding must outlast every \
                           restaked slashing window")]
fn genesis_refuses_unbonding_shorter_than_a_restaked_slashing_window() {
	ExtBuilder::default().bonding_eras(2).unbonding_blocks(MIN_UNBONDING, MAX_UNBONDING).build();
}

#[test]
fn a_shorter_genesis_bonding_duration_unbonds_sooner_and_keeps_fewer_eras() {
	ExtBuilder::default().bonding_eras(2).build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 10_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 4_000));
		let unlock = active_era() + 2;
		assert!(staking_events().contains(&Event::Unbonded {
			who: 1,
			pool: 1,
			amount: 4_000,
			era: unlock
		}));
		start_era(unlock - 1);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		start_era(unlock);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held(1), 6_000);
		// Offences of the two eras before the active one (and of it) can still be slashed.
		start_era(unlock + 3);
		let kept: Vec<EraIndex> = BondedEras::<Test>::get().iter().map(|(era, _)| *era).collect();
		assert_eq!(kept, vec![unlock + 1, unlock + 2, unlock + 3]);
	});
}

/// Sessions end every `SessionLength` blocks from native staking's hook, which charges a
/// rotation its benchmarked weight over the candidates; pallet-session's own hook never ends
/// one, so it never charges a whole block for it.
#[test]
fn staking_ends_sessions_and_charges_a_rotation_its_weight() {
	use frame_support::{
		traits::{Get, Hooks},
		weights::{RuntimeDbWeight, Weight},
	};
	ExtBuilder::default().build_and_execute(|| {
		let period = SessionLength::<Test>::get();
		let hook = <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
			.reads_writes(2, 1);
		run_to_block(2 * period - 1);
		let session = pallet_session::CurrentIndex::<Test>::get();
		assert_eq!(session, 1);

		assert_eq!(<Session as Hooks<BlockNumber>>::on_initialize(2 * period), Weight::zero());
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), session);

		System::set_block_number(2 * period);
		let candidates = Validators::<Test>::count();
		assert!(candidates > 0);
		assert_eq!(
			<Staking as Hooks<BlockNumber>>::on_initialize(2 * period),
			hook + <Test as Config>::WeightInfo::rotate_session(
				candidates,
				<Test as Config>::MaxValidators::get()
			) + <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(3)
		);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), session + 1);

		System::set_block_number(2 * period + 1);
		assert_eq!(<Staking as Hooks<BlockNumber>>::on_initialize(2 * period + 1), hook);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), session + 1);
	});
}
