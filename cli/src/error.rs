//! The failures the CLI tells apart by exit code, so scripts can react to each.

use core::fmt;

/// Exit code of a command that ran and failed (a refused transaction, a chain read that
/// failed).
pub const EXIT_FAILED: i32 = 1;
/// Exit code of bad arguments: nothing was signed or submitted.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code of a node that cannot be reached.
pub const EXIT_UNREACHABLE: i32 = 3;

/// An argument the CLI refuses before signing anything (unknown asset, malformed address,
/// an amount with too many decimals, a percentage over 100, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for BadInput {}

/// Refuses `text` (named `what` in the message) when it is longer than the chain's bound.
pub fn ensure_fits(what: &str, text: &str, max: u32) -> Result<(), BadInput> {
	if text.len() > max as usize {
		return Err(BadInput(format!("{what} is {} bytes; the most is {max}", text.len())));
	}
	Ok(())
}

/// The node at `url` did not answer.
#[derive(Debug)]
pub struct Unreachable {
	pub url: String,
	pub reason: String,
}

impl fmt::Display for Unreachable {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"cannot reach a Kasane node at {}: {} (is it running? set --url or KASANE_URL)",
			self.url, self.reason
		)
	}
}

impl std::error::Error for Unreachable {}

/// The exit code for `error`.
pub fn exit_code(error: &anyhow::Error) -> i32 {
	if error.downcast_ref::<BadInput>().is_some() {
		EXIT_BAD_INPUT
	} else if error.downcast_ref::<Unreachable>().is_some() {
		EXIT_UNREACHABLE
	} else {
		EXIT_FAILED
	}
}
