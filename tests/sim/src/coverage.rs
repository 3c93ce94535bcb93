//! How often each call ran and how it ended: succeeded, failed (by error) or refused before
//! dispatch (by reason). Root's calls are counted as the call sudo dispatched.

use crate::chain::Outcome;
use sp_runtime::DispatchError;
use std::collections::BTreeMap;

#[derive(Default, Clone)]
pub struct Tally {
	pub succeeded: u64,
	pub failed: BTreeMap<String, u64>,
	pub refused: BTreeMap<String, u64>,
}

#[derive(Default, Clone)]
pub struct Coverage {
	pub calls: BTreeMap<(String, String), Tally>,
}

/// An error's name. A module error read back from an event (root's calls: sudo's `Sudid`)
/// has lost its name in encoding: it is decoded into the runtime's error enum instead
/// (`Pallet(Variant)`).
pub fn error_name(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(module) => module.message.map_or_else(
			|| {
				kasane_runtime::RuntimeError::from_dispatch_error(*error)
					.map_or_else(|| format!("{module:?}"), |e| format!("{e:?}"))
			},
			str::to_string,
		),
		other => format!("{other:?}"),
	}
}

impl Coverage {
	pub fn record(&mut self, pallet: &str, call: &str, outcome: &Outcome) {
		let tally = self.calls.entry((pallet.to_string(), call.to_string())).or_default();
		match outcome {
			Outcome::Succeeded => tally.succeeded += 1,
			Outcome::Failed(e) => *tally.failed.entry(error_name(e)).or_default() += 1,
			Outcome::Refused(e) => *tally.refused.entry(format!("{e:?}")).or_default() += 1,
		}
	}

	pub fn merge(&mut self, other: &Coverage) {
		for (key, t) in &other.calls {
			let tally = self.calls.entry(key.clone()).or_default();
			tally.succeeded += t.succeeded;
			for (e, n) in &t.failed {
				*tally.failed.entry(e.clone()).or_default() += n;
			}
			for (e, n) in &t.refused {
				*tally.refused.entry(e.clone()).or_default() += n;
			}
		}
	}

	pub fn succeeded(&self, pallet: &str, call: &str) -> u64 {
		self.calls.get(&(pallet.to_string(), call.to_string())).map_or(0, |t| t.succeeded)
	}

	pub fn extrinsics(&self) -> u64 {
		self.calls
			.values()
			.map(|t| t.succeeded + t.failed.values().sum::<u64>() + t.refused.values().sum::<u64>())
			.sum()
	}

	/// A Markdown table: call, successes, failures by error, refusals by reason.
	pub fn table(&self) -> String {
		let mut out = String::from(
			"| call | succeeded | failed (by error) | refused |\n|---|---:|---|---|\n",
		);
		let list = |m: &BTreeMap<String, u64>| {
			m.iter().map(|(e, n)| format!("{e} {n}")).collect::<Vec<_>>().join(", ")
		};
		for ((pallet, call), t) in &self.calls {
			out.push_str(&format!(
				"| {pallet}.{call} | {} | {} | {} |\n",
				t.succeeded,
				list(&t.failed),
				list(&t.refused)
			));
		}
		out
	}
}
