//! The slash history: records, pruning, the views per operator, set and staker, and consensus
//! offences recorded through `ConsensusSlashLog`.

use crate::{mock::*, *};
use frame_support::assert_ok;
use kasane_primitives::{slashing::ConsensusSlashLog, staking::NativeStakeProvider};
use sp_runtime::Perbill;

#[test]
fn the_history_keeps_the_newest_records_and_every_pending_one() {
	ExtBuilder.build_and_execute(|| {
		HistoryDepth::set(&3);
		let set = slashable_op1(SlashingTermsOf::<Test> {
			max_slash_per_epoch: WAD,
			..veto_terms(MAX_VETO_WINDOW)
		});
		// A pending one first, then decided ones (log-only, to keep the arithmetic simple).
		let pending = request(set, WAD / 100);
		assert_ok!(Slashing::set_operator_set_mode(
			RuntimeOrigin::root(),
			set,
			SlashingMode::LogOnly
		));
		let logged: Vec<_> = (0..5).map(|_| request(set, WAD / 100)).collect();
		// The pending one survives pruning; of the logged ones, the newest within the depth.
		assert!(Slashes::<Test>::get(pending).is_some());
		assert!(Slashes::<Test>::get(logged[0]).is_none());
		assert!(Slashes::<Test>::get(logged[1]).is_none());
		for id in &logged[2..] {
			assert!(Slashes::<Test>::get(id).is_some());
		}
		// Once decided, the old pending one falls out at once.
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), pending, false));
		assert!(Slashes::<Test>::get(pending).is_none());
		let ids: Vec<_> = Slashing::operator_slashes(&OP1, 100).iter().map(|r| r.id).collect();
		assert_eq!(ids, vec![logged[4], logged[3], logged[2]]);
	});
}

#[test]
fn views_list_slashes_per_operator_and_per_set_newest_first() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		let second = avs_with_terms(terms());
		join(OP1, second);
		stake(ALICE, STRAT_B, 1_000, OP1);
		allocate(OP1, second, STRAT_B, WAD);
		let a = request(set, WAD / 10);
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			OP1,
			second,
			WAD / 10,
			reason()
		));
		let b = NextSlashId::<Test>::get() - 1;
		let c = request(set, WAD / 10);
		let ids = |v: Vec<SlashRecordOf<Test>>| v.iter().map(|r| r.id).collect::<Vec<_>>();
		assert_eq!(ids(Slashing::operator_slashes(&OP1, 100)), vec![c, b, a]);
		assert_eq!(ids(Slashing::operator_slashes(&OP1, 2)), vec![c, b]);
		assert_eq!(ids(Slashing::set_slashes(&set, 100)), vec![c, a]);
		assert_eq!(ids(Slashing::set_slashes(&second, 100)), vec![b]);
		assert!(Slashing::operator_slashes(&OP2, 100).is_empty());
	});
}

#[test]
fn a_staker_sees_what_each_pending_slash_would_cost_it() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		stake(BOB, STRAT_A, 3_000, OP1);
		let id = request(set, WAD / 10);
		let alice = Slashing::staker_exposure(&ALICE);
		assert_eq!(alice.len(), 1);
		assert_eq!(alice[0].slash.id, id);
		assert_eq!(alice[0].cost, vec![(Some(STRAT_A), 100)]);
		let bob = Slashing::staker_exposure(&BOB);
		assert_eq!(bob[0].cost, vec![(Some(STRAT_A), 300)]);
		// A queued withdrawal stays exposed.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(BOB), STRAT_A, 1_000));
		assert_eq!(Slashing::staker_exposure(&BOB)[0].cost, vec![(Some(STRAT_A), 300)]);
		// Someone delegated elsewhere is not exposed.
		assert!(Slashing::staker_exposure(&OP3).is_empty());
		// What it predicted is what it takes.
		advance(MAX_VETO_WINDOW);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		assert!(Slashing::staker_exposure(&ALICE).is_empty());
	});
}

#[test]
fn native_restaked_stake_is_slashed_through_the_validator_pool() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_terms(veto_terms(5));
		MockNativeStake::set_pool(VALIDATOR, 1_000);
		MockNativeStake::add_member(ALICE, VALIDATOR, 1_000);
		join(VALIDATOR, set);
		allocate(VALIDATOR, set, NATIVE, WAD);
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			VALIDATOR,
			set,
			WAD / 10,
			reason()
		));
		let id = NextSlashId::<Test>::get() - 1;
		// Alice holds half the pool: she stands to lose half of the 10%.
		let exposure = Slashing::staker_exposure(&ALICE);
		assert_eq!(exposure[0].cost, vec![(Some(NATIVE), 100)]);
		advance(5);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert!(record.amounts[0].native);
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(MockNativeStake::pool_stake(&VALIDATOR).unwrap().active, 1_800);
	});
}

#[test]
fn consensus_offences_are_recorded_in_the_same_history() {
	ExtBuilder.build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 1_000);
		MockNativeStake::add_member(ALICE, VALIDATOR, 1_000);
		let id = <Slashing as ConsensusSlashLog<_>>::offence(
			&VALIDATOR,
			Perbill::from_percent(10),
			3,
			5,
		)
		.unwrap();
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Pending);
		assert_eq!(record.set, None);
		assert_eq!(record.fraction, WAD / 10);
		assert_eq!(record.source, SlashSource::Consensus { offence_era: 3, apply_era: 5 });
		// A pool member sees it coming.
		let exposure = Slashing::staker_exposure(&ALICE);
		assert_eq!(exposure[0].cost, vec![(None, 100)]);
		// More offenders of the round reported: the pending slash is raised in place.
		<Slashing as ConsensusSlashLog<_>>::raised(id, Perbill::from_percent(25));
		assert_eq!(Slashes::<Test>::get(id).unwrap().fraction, WAD / 4);
		assert_eq!(Slashing::staker_exposure(&ALICE)[0].cost, vec![(None, 250)]);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Slashing(crate::Event::ConsensusOffenceRaised {
				id,
				fraction: Perbill::from_percent(25)
			})));
		// Not for the veto council: native staking's admin cancels consensus slashes.
		assert_eq!(
			Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), id, false),
			Err(Error::<Test>::NotVetoable.into())
		);
		<Slashing as ConsensusSlashLog<_>>::applied(id, 200);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(record.amounts[0].strategy, None);
		let other =
			<Slashing as ConsensusSlashLog<_>>::offence(&VALIDATOR, Perbill::from_percent(5), 4, 6)
				.unwrap();
		<Slashing as ConsensusSlashLog<_>>::cancelled(other);
		assert_eq!(Slashes::<Test>::get(other).unwrap().status, SlashStatus::Vetoed);
		assert_eq!(
			Slashing::operator_slashes(&VALIDATOR, 10).iter().map(|r| r.id).collect::<Vec<_>>(),
			vec![other, id]
		);
	});
}
