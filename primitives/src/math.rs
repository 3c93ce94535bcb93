//! Fixed-point arithmetic the pallets share.

use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// `a × b / c`, rounded as asked; `None` when `c` is zero or the result does not fit in 128
/// bits. Exact: the product is taken in 256 bits when it does not fit in 128.
///
/// When the product fits (the common case: shares times a factor of at most 10¹⁸), one
/// 128-bit division does it; the double-width path costs three.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
	if c == 0 {
		return None;
	}
	let Some(product) = a.checked_mul(b) else {
		return multiply_by_rational_with_rounding(a, b, c, rounding);
	};
	let quotient = product / c;
	let remainder = product - quotient * c;
	let up = match rounding {
		Rounding::Up => remainder > 0,
		// Not `(c + 1) / 2`: `c` may be `u128::MAX`.
		Rounding::NearestPrefUp => remainder >= c / 2 + c % 2,
		Rounding::NearestPrefDown => remainder > c / 2,
		Rounding::Down => false,
	};
	if up {
		quotient.checked_add(1)
	} else {
		Some(quotient)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn agrees_with_the_double_width_path() {
		let values = [0, 1, 2, 3, 7, 10, 999, 10u128.pow(12), 10u128.pow(18), 10u128.pow(20)];
		let edges = [u128::MAX / 3, u128::MAX - 1, u128::MAX, 1 << 64, (1 << 64) + 1];
		let rounding =
			[Rounding::Up, Rounding::Down, Rounding::NearestPrefUp, Rounding::NearestPrefDown];
		for a in values.iter().chain(&edges) {
			for b in values.iter().chain(&edges) {
				for c in values.iter().chain(&edges) {
					for r in rounding {
						let expected = if *c == 0 {
							None
						} else {
							multiply_by_rational_with_rounding(*a, *b, *c, r)
						};
						assert_eq!(mul_div(*a, *b, *c, r), expected, "{a} × {b} / {c} {r:?}");
					}
				}
			}
		}
	}

	#[test]
	fn rounds_as_asked() {
		assert_eq!(mul_div(7, 1, 2, Rounding::Down), Some(3));
		assert_eq!(mul_div(7, 1, 2, Rounding::Up), Some(4));
		assert_eq!(mul_div(5, 1, 2, Rounding::NearestPrefDown), Some(2));
		assert_eq!(mul_div(5, 1, 2, Rounding::NearestPrefUp), Some(3));
		assert_eq!(mul_div(u128::MAX, 1, 1, Rounding::Up), Some(u128::MAX));
		assert_eq!(mul_div(u128::MAX, 2, 1, Rounding::Down), None);
		assert_eq!(mul_div(1, 1, 0, Rounding::Down), None);
	}
}
