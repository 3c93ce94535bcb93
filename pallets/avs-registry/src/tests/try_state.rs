//! Each invariant check fails, with its own message, on the storage corruption it guards
//! against. Built without `build_and_execute`: the storage is left broken on purpose.

use crate::{mock::*, *};
use frame_support::assert_ok;

/// A set with OP1 as a member and a funded reward budget; applies `corrupt` and expects
/// `do_try_state` to name what broke.
fn fails_with(corrupt: impl FnOnce(OperatorSetId), message: &'static str) {
	ExtBuilder.build().execute_with(|| {
		let set = avs_with_set();
		restaking_operator(OP1);
		join(OP1, set);
		assert_ok!(AvsRegistry::fund_rewards(
			RuntimeOrigin::signed(AVS_OWNER),
			set,
			REWARD_A,
			100,
			10
		));
		assert_ok!(AvsRegistry::do_try_state());
		corrupt(set);
		assert_eq!(AvsRegistry::do_try_state(), Err(message.into()));
	});
}

fn set_set(set: OperatorSetId, f: impl FnOnce(&mut OperatorSetOf<Test>)) {
	OperatorSets::<Test>::mutate(set, |s| f(s.as_mut().unwrap()));
}

#[test]
fn sets_belong_to_their_avs() {
	fails_with(|set| AvsRecords::<Test>::remove(set.avs), "operator set of an unknown AVS");
	fails_with(
		|set| AvsRecords::<Test>::mutate(set.avs, |a| a.as_mut().unwrap().sets = 0),
		"operator set index beyond the AVS's count",
	);
}

#[test]
fn set_counters_match() {
	fails_with(|set| set_set(set, |s| s.members += 1), "member count is off");
	fails_with(|set| set_set(set, |s| s.departed += 1), "departed count is off");
	fails_with(|set| set_set(set, |s| s.allowlisted += 1), "allowlist count is off");
	fails_with(|set| set_set(set, |s| s.budgets += 1), "budget count is off");
	fails_with(
		|set| set_set(set, |s| s.config.max_operators = 0),
		"more members than max_operators",
	);
}

#[test]
fn keys_and_memberships_match() {
	fails_with(
		|set| {
			let key = Members::<Test>::get(set, OP1).unwrap().key;
			KeyOwners::<Test>::insert(key, (set, OP2));
		},
		"a member's key is not registered to it",
	);
	fails_with(
		|set| {
			let (key, _) = key_and_proof(KeyType::Sr25519, OP2, set, 7);
			KeyOwners::<Test>::insert(key, (set, OP1));
		},
		"key registered to a membership with another key",
	);
}

#[test]
fn the_escrow_owes_the_budgets_and_holds_them() {
	fails_with(
		|set| RewardBudgets::<Test>::mutate(set, REWARD_A, |b| b.as_mut().unwrap().remaining += 1),
		"escrowed total differs from unpaid budgets",
	);
	fails_with(
		|_| Escrowed::<Test>::mutate(REWARD_A, |e| *e += 1_000),
		"escrowed total differs from unpaid budgets",
	);
	fails_with(
		|_| {
			assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::burn_from(
				LST_A,
				&AvsRegistry::escrow_account(),
				100,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Precision::BestEffort,
				frame_support::traits::tokens::Fortitude::Force,
			));
		},
		"escrow account holds less than it owes",
	);
}
