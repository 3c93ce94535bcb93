//! Each invariant check fails, with its own message, on the storage corruption it guards
//! against. Built without `build_and_execute`: the storage is left broken on purpose.

use crate::{mock::*, *};
use frame_support::assert_ok;

/// OP1 slashable in a set with a veto window, one slash it requested pending there, then
/// `corrupt(set, id)`; expects `do_try_state` to name what broke.
fn fails_with(corrupt: impl FnOnce(OperatorSetId, SlashId), message: &'static str) {
	ExtBuilder.build().execute_with(|| {
		let set = slashable_op1(veto_terms(10));
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			OP1,
			set,
			WAD / 10,
			reason()
		));
		let id = NextSlashId::<Test>::get() - 1;
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Pending);
		assert_ok!(Slashing::do_try_state());
		corrupt(set, id);
		assert_eq!(Slashing::do_try_state(), Err(message.into()));
	});
}

#[test]
fn records_are_indexed_under_their_id() {
	fails_with(
		|_, id| Slashes::<Test>::mutate(id, |r| r.as_mut().unwrap().id += 1),
		"a record is stored under another id",
	);
	fails_with(|_, id| NextSlashId::<Test>::put(id), "a record has an id not handed out yet");
	fails_with(
		|_, id| OperatorSlashes::<Test>::remove(OP1, id),
		"a record is missing from its operator's index",
	);
	fails_with(SetSlashes::<Test>::remove, "a record is missing from its set's index");
}

#[test]
fn a_pending_request_is_deposited_queued_and_counted() {
	fails_with(
		|_, id| RequestDeposits::<Test>::remove(id),
		"a pending request without its requester's deposit",
	);
	fails_with(
		|_, id| {
			let at = Slashes::<Test>::get(id).unwrap().executes_at;
			Due::<Test>::remove(at);
		},
		"a pending slash is not queued at its deadline",
	);
	fails_with(
		|_, id| {
			let at = Slashes::<Test>::get(id).unwrap().executes_at;
			DueCursor::<Test>::put(at + 1);
		},
		"a pending slash is due before the cursor",
	);
	fails_with(|_, _| PendingCount::<Test>::put(2), "PendingCount is off");
	fails_with(|set, _| PendingPerAvs::<Test>::insert(set.avs, 2), "PendingPerAvs is off");
	fails_with(
		|set, _| PendingPerAvs::<Test>::remove(set.avs),
		"pending slashes of an AVS not counted",
	);
	fails_with(
		|_, id| RequestDeposits::<Test>::insert(id + 1, (AVS_OWNER, REQUEST_DEPOSIT)),
		"a deposit held for a request that is not pending",
	);
}

#[test]
fn only_pending_slashes_are_queued_once() {
	fails_with(
		|_, id| {
			let at = Slashes::<Test>::get(id).unwrap().executes_at;
			Due::<Test>::mutate(at + 1, |due| due.try_push(id).unwrap());
		},
		"each pending slash is queued exactly once",
	);
	fails_with(
		|_, id| {
			let at = Slashes::<Test>::get(id).unwrap().executes_at;
			Due::<Test>::mutate(at, |due| due.try_push(id + 1).unwrap());
		},
		"a queued slash is not pending",
	);
}

#[test]
fn indexes_point_at_their_records() {
	fails_with(
		|_, id| OperatorSlashes::<Test>::insert(OP2, id, ()),
		"an operator index entry points at no record of it",
	);
	fails_with(
		|set, id| SetSlashes::<Test>::insert(OperatorSetId { index: set.index + 1, ..set }, id, ()),
		"a set index entry points at no record of it",
	);
}

#[test]
fn evidence_points_at_its_equivocation() {
	fails_with(
		|set, id| Evidence::<Test>::insert(set, OP1, (0, id)),
		"equivocation evidence does not point at its record",
	);
}
