//! Property tests: random sequences of staking operations keep every invariant
//! (`do_try_state`) and change KSN issuance only through inflation and slashes.

use crate::{mock::*, Event, RewardDestination};
use frame_support::traits::Hooks;
use proptest::prelude::*;
use sp_runtime::Perbill;
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

const VALIDATORS: [AccountId; 3] = [11, 21, 31];
const STAKERS: [AccountId; 6] = [1, 2, 3, 4, 5, 11];

#[derive(Debug, Clone)]
enum Op {
	Bond(usize, Balance),
	Delegate(usize, usize, Balance),
	BondExtra(usize, Balance),
	Unbond(usize, Balance),
	Undelegate(usize),
	Rebond(usize, Balance),
	Withdraw(usize),
	Redelegate(usize, usize),
	Claim(usize),
	Compound(usize),
	Settle(usize),
	Author(usize, u32),
	Offence(usize, u32),
	DirectSlash(usize, u32),
	NextEra,
}

fn op() -> impl Strategy<Value = Op> {
	let who = 0..STAKERS.len();
	let validator = 0..VALIDATORS.len();
	let amount = prop_oneof![0..3_000u128, 1_000..2_000_000u128];
	prop_oneof![
		(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Bond(w, a)),
		(who.clone(), validator.clone(), amount.clone())
			.prop_map(|(w, v, a)| Op::Delegate(w, v, a)),
		(who.clone(), amount.clone()).prop_map(|(w, a)| Op::BondExtra(w, a)),
		(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Unbond(w, a)),
		who.clone().prop_map(Op::Undelegate),
		(who.clone(), amount).prop_map(|(w, a)| Op::Rebond(w, a)),
		who.clone().prop_map(Op::Withdraw),
		(who.clone(), validator.clone()).prop_map(|(w, v)| Op::Redelegate(w, v)),
		who.clone().prop_map(Op::Claim),
		who.clone().prop_map(Op::Compound),
		who.prop_map(Op::Settle),
		(validator.clone(), 1..10u32).prop_map(|(v, n)| Op::Author(v, n)),
		(validator.clone(), 0..100u32).prop_map(|(v, p)| Op::Offence(v, p)),
		(validator, 0..101u32).prop_map(|(v, p)| Op::DirectSlash(v, p)),
		Just(Op::NextEra),
	]
}

fn apply(op: &Op) {
	let signed = |i: usize| RuntimeOrigin::signed(STAKERS[i]);
	// Failing calls are fine; they must leave no trace (checked by the invariants).
	match op.clone() {
		Op::Bond(w, a) => {
			let _ = Staking::bond(signed(w), a);
		}
		Op::Delegate(w, v, a) => {
			let _ = Staking::delegate(signed(w), VALIDATORS[v], a);
		}
		Op::BondExtra(w, a) => {
			let _ = Staking::bond_extra(signed(w), a);
		}
		Op::Unbond(w, a) => {
			let _ = Staking::unbond(signed(w), a);
		}
		Op::Undelegate(w) => {
			let _ = Staking::undelegate(signed(w));
		}
		Op::Rebond(w, a) => {
			let _ = Staking::rebond(signed(w), a);
		}
		Op::Withdraw(w) => {
			let _ = Staking::withdraw_unbonded(signed(w));
		}
		Op::Redelegate(w, v) => {
			let _ = Staking::redelegate(signed(w), VALIDATORS[v]);
		}
		Op::Claim(w) => {
			let _ = Staking::claim_rewards(signed(w));
		}
		Op::Compound(w) => {
			let _ = Staking::set_reward_destination(signed(w), RewardDestination::Stake);
		}
		Op::Settle(w) => {
			let _ = Staking::settle(signed(0), STAKERS[w]);
		}
		Op::Author(v, n) => {
			Staking::reward_by_ids([(VALIDATORS[v], n)]);
		}
		Op::Offence(v, p) => {
			let session = Session::current_index();
			<Staking as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
				&[OffenceDetails { offender: (VALIDATORS[v], ()), reporters: vec![] }],
				&[Perbill::from_percent(p)],
				session,
			);
		}
		Op::DirectSlash(v, p) => {
			Staking::apply_offence_slash(&VALIDATORS[v], Perbill::from_percent(p), active_era());
		}
		Op::NextEra => {
			start_era(active_era() + 1);
		}
	}
}

/// Issuance added by inflation minus issuance removed by slashes, from the events.
fn net_minted() -> i128 {
	staking_events().iter().fold(0i128, |acc, e| match e {
		Event::RewardsClaimed { amount, .. } => acc + *amount as i128,
		Event::ValidatorRewarded { commission, .. } => acc + *commission as i128,
		Event::SlashSettled { amount, .. } => acc - *amount as i128,
		_ => acc,
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	#[test]
	fn random_operations_keep_the_invariants(ops in prop::collection::vec(op(), 1..40)) {
		ExtBuilder::default().build_and_execute(|| {
			let initial = issuance();
			for op in &ops {
				apply(op);
				Staking::do_try_state().map_err(|e| format!("after {op:?}: {e:?}")).unwrap();
				Staking::on_finalize(System::block_number());
			}
			assert_eq!(issuance() as i128, initial as i128 + net_minted(), "issuance moved outside inflation and slashes");
			// Nobody's funds are lost: everything held is backed by a ledger (try_state) and
			// every account's total stays within its endowment plus what it was paid.
			for who in STAKERS {
				assert!(free(who) + held(who) <= ENDOWMENT * 2);
			}
		});
	}
}
