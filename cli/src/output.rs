//! Human output (aligned tables, units, durations) or `--json` for scripts: one JSON document
//! per command on stdout, integers that may pass 2^53 as strings.

use serde_json::Value;
use std::io::IsTerminal;

/// Where a command's results go.
#[derive(Clone, Copy)]
pub struct Output {
	pub json: bool,
}

impl Output {
	/// Prints the command's result: `human` unless `--json`, then `json`.
	pub fn result(&self, human: impl FnOnce() -> String, json: Value) {
		if self.json {
			println!("{json:#}");
		} else {
			let text = human();
			if !text.is_empty() {
				println!("{text}");
			}
		}
	}

	/// A transaction's progress, for people only (stderr, so stdout stays the result).
	pub fn progress(&self, line: &str) {
		if self.json {
			return;
		}
		if std::io::stderr().is_terminal() {
			eprint!("\r\x1b[2K{line}");
		} else {
			eprintln!("{line}");
		}
	}

	/// Ends a progress line drawn in place.
	pub fn progress_done(&self) {
		if !self.json && std::io::stderr().is_terminal() {
			eprintln!();
		}
	}
}

/// `rows` under `headers`, each column as wide as its widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
	let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
	for row in rows {
		for (i, cell) in row.iter().enumerate() {
			widths[i] = widths[i].max(cell.chars().count());
		}
	}
	let line = |cells: Vec<&str>| {
		let padded: Vec<String> =
			cells.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
		padded.join("  ").trim_end().to_string()
	};
	let mut out = vec![line(headers.to_vec())];
	out.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
	out.join("\n")
}

/// Label-value lines, labels aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
	let width = pairs.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
	pairs.iter().map(|(k, v)| format!("{k:<width$}  {v}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tables_align_columns_to_the_widest_cell() {
		let rows = vec![vec!["1".into(), "wstETH".into()], vec!["10".into(), "KSN".into()]];
		assert_eq!(table(&["ID", "ASSET"], &rows), "ID  ASSET\n1   wstETH\n10  KSN");
		assert_eq!(fields(&[("a", "1".into()), ("bbb", "2".into())]), "a    1\nbbb  2");
	}
}
