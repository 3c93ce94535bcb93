//! Amounts, percentages and durations as people write and read them: `0.25` of an 18-decimal
//! token, `12.5%` of an operator's stake, `6 d 23 h` instead of a block count.

use crate::error::BadInput;

/// Parses a decimal amount (`5`, `0.25`, `1_000.5`) into base units with `decimals` places.
/// Refuses signs, exponents, more fractional digits than `decimals` and values past `u128`.
pub fn parse_amount(text: &str, decimals: u8) -> Result<u128, BadInput> {
	let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
	let bad = |why: &str| BadInput(format!("amount `{text}`: {why}"));
	let (whole, fraction) = match cleaned.split_once('.') {
		Some((w, f)) => (w, f),
		None => (cleaned.as_str(), ""),
	};
	if whole.is_empty() && fraction.is_empty() {
		return Err(bad("not a number"));
	}
	if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
		return Err(bad("write a plain decimal number such as 5 or 0.25"));
	}
	if fraction.len() > decimals as usize {
		return Err(bad(&format!("at most {decimals} decimal places")));
	}
	let scale = 10u128.checked_pow(decimals as u32).ok_or_else(|| bad("too many decimals"))?;
	let whole: u128 =
		if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad("too large"))? };
	let padded = format!("{fraction:0<width$}", width = decimals as usize);
	let fraction: u128 =
		if padded.is_empty() { 0 } else { padded.parse().map_err(|_| bad("too large"))? };
	whole.checked_mul(scale).and_then(|w| w.checked_add(fraction)).ok_or_else(|| bad("too large"))
}

/// `amount` base units with `decimals` places, trailing zeros dropped: `1.25`, `3`.
pub fn format_amount(amount: u128, decimals: u8) -> String {
	// Decimals come from the chain (an asset's metadata): past 38 no u128 scale exists.
	let Some(scale) = 10u128.checked_pow(decimals as u32) else {
		return format!("{amount}e-{decimals}");
	};
	let (whole, fraction) = (amount / scale, amount % scale);
	if fraction == 0 {
		return whole.to_string();
	}
	let digits = format!("{fraction:0>width$}", width = decimals as usize);
	format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// 100 % of an operator's stake in a strategy, as restaking counts it (`WAD`).
pub const FULL_MAGNITUDE: u128 = kasane_primitives::restaking::WAD;

/// Parses a percentage (`25`, `12.5%`, `100`) into a magnitude out of [`FULL_MAGNITUDE`].
pub fn parse_percent(text: &str) -> Result<u128, BadInput> {
	let number = text.trim().trim_end_matches('%');
	// 1 % = FULL_MAGNITUDE / 100 = 10^16 base units.
	let magnitude = parse_amount(number, 16)
		.map_err(|_| BadInput(format!("percentage `{text}`: write a number from 0 to 100")))?;
	if magnitude > FULL_MAGNITUDE {
		return Err(BadInput(format!("percentage `{text}` is over 100")));
	}
	Ok(magnitude)
}

/// A magnitude (out of [`FULL_MAGNITUDE`]) as a percentage: `12.5%`.
pub fn format_percent(magnitude: u128) -> String {
	format!("{}%", format_amount(magnitude, 16))
}

/// `blocks` of `block_ms` each, as the two largest units: `6 d 23 h`, `2 h 5 min`, `40 s`.
pub fn format_duration(blocks: u64, block_ms: u64) -> String {
	let secs = blocks.saturating_mul(block_ms) / 1000;
	let (d, h, m, s) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60, secs % 60);
	match (d, h, m) {
		(0, 0, 0) => format!("{s} s"),
		(0, 0, _) if s == 0 => format!("{m} min"),
		(0, 0, _) => format!("{m} min {s} s"),
		(0, _, _) => format!("{h} h {m} min"),
		_ => format!("{d} d {h} h"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_exactly_and_refuse_what_they_cannot_represent() {
		assert_eq!(parse_amount("5", 18).unwrap(), 5 * 10u128.pow(18));
		assert_eq!(parse_amount("0.25", 18).unwrap(), 25 * 10u128.pow(16));
		assert_eq!(parse_amount(".5", 2).unwrap(), 50);
		assert_eq!(parse_amount("1_000", 0).unwrap(), 1000);
		assert_eq!(parse_amount("0.000000000001", 12).unwrap(), 1);
		assert!(parse_amount("0.0000000000001", 12).unwrap_err().0.contains("at most 12 decimal"));
		for bad in ["", ".", "-1", "1e3", "abc", "1.2.3", "0x10"] {
			assert!(parse_amount(bad, 12).is_err(), "{bad}");
		}
		assert!(parse_amount("340282366920938463463374607431768211456", 0).is_err());
		assert!(parse_amount("340282366920938463464", 18).is_err());
	}

	#[test]
	fn amounts_format_without_trailing_zeros() {
		assert_eq!(format_amount(5 * 10u128.pow(18), 18), "5");
		assert_eq!(format_amount(25 * 10u128.pow(16), 18), "0.25");
		assert_eq!(format_amount(1, 12), "0.000000000001");
		assert_eq!(format_amount(123, 0), "123");
		assert_eq!(format_amount(7, 40), "7e-40", "no u128 scale past 38 decimals");
		for text in ["0.25", "1234.000001", "7"] {
			assert_eq!(format_amount(parse_amount(text, 12).unwrap(), 12), text);
		}
	}

	#[test]
	fn percentages_are_magnitudes_up_to_one_hundred() {
		assert_eq!(parse_percent("100").unwrap(), FULL_MAGNITUDE);
		assert_eq!(parse_percent("12.5%").unwrap(), FULL_MAGNITUDE / 8);
		assert_eq!(parse_percent("0").unwrap(), 0);
		assert!(parse_percent("100.01").unwrap_err().0.contains("over 100"));
		assert!(parse_percent("-5").is_err());
		assert_eq!(format_percent(FULL_MAGNITUDE / 4), "25%");
	}

	#[test]
	fn durations_read_as_the_two_largest_units() {
		assert_eq!(format_duration(100_800, 6_000), "7 d 0 h");
		assert_eq!(format_duration(100_799, 6_000), "6 d 23 h");
		assert_eq!(format_duration(610, 6_000), "1 h 1 min");
		assert_eq!(format_duration(10, 6_000), "1 min");
		assert_eq!(format_duration(11, 6_000), "1 min 6 s");
		assert_eq!(format_duration(0, 6_000), "0 s");
	}
}
