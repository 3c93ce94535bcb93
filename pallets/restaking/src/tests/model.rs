//! Reference-model test: random sequences of deposits, delegation changes, allocations,
//! slashes and withdrawals run against the pallet and against an eager model that updates
//! every staker and every queued withdrawal on each slash. The pallet's lazy accounting must
//! match the model within the documented rounding bound, never pay a staker more than the
//! model owes it, and never pay out more than was deposited.

use crate::{
	mock::*, Allocations, OperatorSetId, Positions, Stakers, StrategyId, WithdrawalId,
	WithdrawalKind, WAD,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

const STAKERS: [AccountId; 3] = [ALICE, BOB, CAROL];
const OPERATORS: [AccountId; 2] = [OP1, OP2];
const SETS: [OperatorSetId; 2] = [SET1, SET2];
const STRATEGIES: [StrategyId; 2] = [STRAT_A, STRAT_B];

#[derive(Clone, Debug)]
enum Action {
	Deposit { staker: usize, strategy: usize, amount: u128 },
	Delegate { staker: usize, operator: usize },
	Redelegate { staker: usize, operator: usize },
	Undelegate { staker: usize },
	Allocate { operator: usize, set: usize, strategy: usize, percent: u128 },
	Slash { operator: usize, set: usize, percent: u128 },
	Queue { staker: usize, strategy: usize, percent: u128 },
	Wait { blocks: u64 },
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		3 => (0..3usize, 0..2usize, 1..50_000u128)
			.prop_map(|(staker, strategy, amount)| Action::Deposit { staker, strategy, amount }),
		2 => (0..3usize, 0..2usize).prop_map(|(staker, operator)| Action::Delegate { staker, operator }),
		1 => (0..3usize, 0..2usize).prop_map(|(staker, operator)| Action::Redelegate { staker, operator }),
		1 => (0..3usize).prop_map(|staker| Action::Undelegate { staker }),
		2 => (0..2usize, 0..2usize, 0..2usize, 0..=100u128).prop_map(|(operator, set, strategy, percent)| {
			Action::Allocate { operator, set, strategy, percent }
		}),
		2 => (0..2usize, 0..2usize, 1..=100u128)
			.prop_map(|(operator, set, percent)| Action::Slash { operator, set, percent }),
		2 => (0..3usize, 0..2usize, 1..=100u128)
			.prop_map(|(staker, strategy, percent)| Action::Queue { staker, strategy, percent }),
		2 => (1..30u64).prop_map(|blocks| Action::Wait { blocks }),
	]
}

/// The eager model: every value is kept per staker and updated on every slash.
#[derive(Default)]
struct Model {
	delegated_to: BTreeMap<AccountId, AccountId>,
	/// (staker, strategy) → value.
	positions: BTreeMap<(AccountId, StrategyId), f64>,
	/// withdrawal id → (operator, strategy, value, redeposit).
	withdrawals: BTreeMap<(AccountId, WithdrawalId), (Option<AccountId>, StrategyId, f64, bool)>,
	/// (operator, strategy) → max magnitude, as a fraction.
	max_magnitude: BTreeMap<(AccountId, StrategyId), f64>,
	/// (operator, set, strategy) → magnitude in force, as a fraction.
	allocations: BTreeMap<(AccountId, OperatorSetId, StrategyId), f64>,
	deposited: u128,
	paid: u128,
	/// Per staker: (what the pallet paid it, what the model owed for those payments).
	paid_to: BTreeMap<AccountId, (f64, f64)>,
}

impl Model {
	fn max(&self, op: AccountId, strategy: StrategyId) -> f64 {
		*self.max_magnitude.get(&(op, strategy)).unwrap_or(&1.0)
	}

	fn slash(&mut self, op: AccountId, set: OperatorSetId, fraction: f64) {
		for strategy in STRATEGIES {
			let m = *self.allocations.get(&(op, set, strategy)).unwrap_or(&0.0);
			if m == 0.0 {
				continue;
			}
			let max = self.max(op, strategy);
			let slashed = m * fraction;
			let loss = slashed / max;
			self.allocations.insert((op, set, strategy), m - slashed);
			self.max_magnitude.insert((op, strategy), max - slashed);
			// Eager: touch every staker and every queued withdrawal of the operator.
			for ((who, s), value) in self.positions.iter_mut() {
				if *s == strategy && self.delegated_to.get(who) == Some(&op) {
					*value *= 1.0 - loss;
				}
			}
			// A withdrawal that can complete bears no later slash (L-8; the model has no
			// pending slashes).
			let now = System::block_number();
			let completable: alloc::collections::BTreeSet<(AccountId, WithdrawalId)> =
				Stakers::<Test>::iter()
					.map(|(who, s)| (who, s.withdrawals))
					.flat_map(|(who, queue)| queue.into_iter().map(move |w| (who, w)))
					.filter(|(_, w)| w.withdrawable_at <= now)
					.map(|(who, w)| (who, w.id))
					.collect();
			for (key, (w_op, s, value, _)) in self.withdrawals.iter_mut() {
				if *s == strategy && *w_op == Some(op) && !completable.contains(key) {
					*value *= 1.0 - loss;
				}
			}
		}
	}

	fn leave(&mut self, who: AccountId) {
		let op = self.delegated_to.remove(&who);
		let queue = Stakers::<Test>::get(who).withdrawals;
		for strategy in STRATEGIES {
			if let Some(value) = self.positions.remove(&(who, strategy)) {
				// The pallet queued one redeposit per position; find its id.
				let id = queue
					.iter()
					.find(|w| {
						w.strategy == strategy
							&& w.kind == WithdrawalKind::Redeposit
							&& !self.withdrawals.contains_key(&(who, w.id))
					})
					.expect("redeposit queued")
					.id;
				self.withdrawals.insert((who, id), (op, strategy, value, true));
			}
		}
	}
}

fn run(actions: Vec<Action>) {
	ExtBuilder::default().build_and_execute(|| {
		for op in OPERATORS {
			operator(op, &SETS);
		}
		let mut model = Model::default();
		let mut steps = 0u128;
		for action in actions {
			steps += 1;
			let origin = |who| RuntimeOrigin::signed(who);
			match action {
				Action::Deposit { staker, strategy, amount } => {
					let (who, s) = (STAKERS[staker], STRATEGIES[strategy]);
					if Restaking::deposit(origin(who), s, amount).is_ok() {
						*model.positions.entry((who, s)).or_default() += amount as f64;
						model.deposited += amount;
					}
				}
				Action::Delegate { staker, operator } => {
					let (who, op) = (STAKERS[staker], OPERATORS[operator]);
					if Restaking::delegate_to(origin(who), op).is_ok() {
						model.delegated_to.insert(who, op);
					}
				}
				Action::Redelegate { staker, operator } => {
					let (who, op) = (STAKERS[staker], OPERATORS[operator]);
					if Restaking::redelegate(origin(who), op).is_ok() {
						model.leave(who);
						model.delegated_to.insert(who, op);
					}
				}
				Action::Undelegate { staker } => {
					let who = STAKERS[staker];
					if Restaking::undelegate(origin(who)).is_ok() {
						model.leave(who);
					}
				}
				Action::Allocate { operator, set, strategy, percent } => {
					let (op, set, s) = (OPERATORS[operator], SETS[set], STRATEGIES[strategy]);
					let magnitude = WAD / 100 * percent;
					if Restaking::modify_allocation(origin(op), set, s, magnitude).is_ok() {
						// Let the change take effect (both delays) so the model's view holds.
						advance(ALLOCATION_DELAY.max(DEALLOCATION_DELAY));
						let in_force = Allocations::<Test>::get((op, set, s))
							.map_or(0, |a| a.at(System::block_number()).magnitude);
						assert_eq!(in_force, magnitude, "the change took effect");
						model.allocations.insert((op, set, s), in_force as f64 / WAD as f64);
					}
				}
				Action::Slash { operator, set, percent } => {
					let (op, set) = (OPERATORS[operator], SETS[set]);
					// Mirror the pallet's magnitudes before the slash (pending changes matured).
					for s in STRATEGIES {
						let m = Allocations::<Test>::get((op, set, s))
							.map_or(0, |a| a.at(System::block_number()).magnitude);
						model.allocations.insert((op, set, s), m as f64 / WAD as f64);
					}
					slash(op, set, WAD / 100 * percent);
					model.slash(op, set, percent as f64 / 100.0);
				}
				Action::Queue { staker, strategy, percent } => {
					let (who, s) = (STAKERS[staker], STRATEGIES[strategy]);
					let Some(p) = Positions::<Test>::get(who, s) else { continue };
					let shares = (p.deposit_shares * percent / 100).max(1);
					if Restaking::queue_withdrawal(origin(who), s, shares).is_ok() {
						let id = Stakers::<Test>::get(who).withdrawals.last().unwrap().id;
						let value = model.positions.get_mut(&(who, s)).unwrap();
						let part = *value * shares as f64 / p.deposit_shares as f64;
						*value -= part;
						if shares == p.deposit_shares {
							model.positions.remove(&(who, s));
						}
						let op = model.delegated_to.get(&who).copied();
						model.withdrawals.insert((who, id), (op, s, part, false));
					}
				}
				Action::Wait { blocks } => {
					advance(blocks);
					let ready: Vec<_> = Stakers::<Test>::iter()
						.map(|(who, s)| (who, s.withdrawals))
						.flat_map(|(who, queue)| {
							queue
								.into_iter()
								.filter(|w| w.withdrawable_at <= System::block_number())
								.map(move |w| (w.id, who))
						})
						.collect();
					for (id, who) in ready {
						let (_, s, value, redeposit) = model.withdrawals[&(who, id)];
						let asset = if s == STRAT_A { LST_A } else { LST_B };
						let before = lst(asset, who);
						if Restaking::complete_withdrawal(origin(who), id).is_err() {
							continue;
						}
						model.withdrawals.remove(&(who, id));
						if redeposit {
							*model.positions.entry((who, s)).or_default() += value;
						} else {
							let paid = lst(asset, who) - before;
							assert!(
								paid as f64 <= value + 1e-6 * value + 1e-6,
								"paid {paid} > owed {value}"
							);
							assert!(
								paid as f64 >= value - bound(steps, value),
								"paid {paid} << owed {value}"
							);
							model.paid += paid;
							let entry = model.paid_to.entry(who).or_default();
							entry.0 += paid as f64;
							entry.1 += value;
						}
					}
				}
			}

			// Lazy views match the eager model within the bound. Splitting a position rounds
			// one part down and leaves the remainder with the other, so a part may end above
			// its exact value by up to a unit per split it went through (the rounding moves
			// between a staker's own parts); a staker's parts together never are above.
			// Totals count what was already paid: a split's rounding may favour the part that
			// stays, as long as the part paid out lost it.
			let mut lazy_total: BTreeMap<AccountId, f64> =
				model.paid_to.iter().map(|(w, (l, _))| (*w, *l)).collect();
			let mut eager_total: BTreeMap<AccountId, f64> =
				model.paid_to.iter().map(|(w, (_, e))| (*w, *e)).collect();
			for who in STAKERS {
				for s in STRATEGIES {
					let lazy = withdrawable(who, s) as f64;
					let eager = *model.positions.get(&(who, s)).unwrap_or(&0.0);
					assert!(
						lazy <= eager + bound(steps, eager),
						"{who}/{s}: lazy {lazy} > eager {eager}"
					);
					assert!(
						lazy >= eager - bound(steps, eager),
						"{who}/{s}: lazy {lazy} << eager {eager}"
					);
					*lazy_total.entry(who).or_default() += lazy;
					*eager_total.entry(who).or_default() += eager;
				}
			}
			let queued: BTreeMap<_, _> = Stakers::<Test>::iter()
				.map(|(who, s)| (who, s.withdrawals))
				.flat_map(|(who, queue)| queue.into_iter().map(move |w| ((who, w.id), (who, w))))
				.collect();
			assert_eq!(queued.len(), model.withdrawals.len(), "withdrawals the model lacks");
			for (id, (_, _, value, _)) in &model.withdrawals {
				let (staker, w) = &queued[id];
				let lazy = Restaking::withdrawal_value(w) as f64;
				assert!(
					lazy <= value + bound(steps, *value),
					"withdrawal {id:?}: lazy {lazy} > eager {value}"
				);
				assert!(lazy >= value - bound(steps, *value));
				*lazy_total.entry(*staker).or_default() += lazy;
				*eager_total.entry(*staker).or_default() += value;
			}
			for (who, lazy) in lazy_total {
				let eager = eager_total[&who];
				assert!(
					lazy <= eager + 1e-6 * eager + 1e-6,
					"{who}: lazy total {lazy} > eager {eager}"
				);
			}
			assert!(model.paid <= model.deposited, "paid out more than deposited");
			Restaking::do_try_state().expect("invariants hold after every step");
		}
	});
}

/// The documented rounding bound: below one unit per action that touched the value (two for a
/// redeposit, which converts twice), plus 10⁻⁹ of the value for the scaling factor precision.
fn bound(steps: u128, value: f64) -> f64 {
	2.0 * steps as f64 + 2.0 + value * 1e-9
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

	#[test]
	fn lazy_accounting_matches_the_eager_model(actions in prop::collection::vec(action(), 1..40)) {
		run(actions);
	}
}
