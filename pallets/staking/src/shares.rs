//! Share math of pools and unbond pools: the value of shares, and shares for a value, with
//! the rounding each caller asks for and an error instead of zero or overflowing shares.

use super::*;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, traits::Zero, Rounding, SaturatedConversion,
};

/// `a × b / c` in 128-bit arithmetic; zero when `c` is zero, saturating when the result does
/// not fit. For values (a share of a stake), where both are at most the stake.
pub(crate) fn mul_div<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	a: B,
	b: B,
	c: B,
	rounding: Rounding,
) -> B {
	if c.is_zero() {
		return Zero::zero();
	}
	kasane_primitives::math::mul_div(
		a.saturated_into::<u128>(),
		b.saturated_into::<u128>(),
		c.saturated_into::<u128>(),
		rounding,
	)
	.unwrap_or(u128::MAX)
	.saturated_into()
}

/// Why shares for a value could not be issued.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ShareError {
	/// The pool has shares but no stake left (slashed away): shares have no price.
	NoStake,
	/// The shares do not fit (a pool slashed to almost nothing prices a share near zero), or
	/// round to nothing for a positive value: issuing them would donate the value.
	Unrepresentable,
}

/// Shares worth `value` in a pool with `stake` behind `shares`, exactly as asked to round;
/// an error rather than zero shares for a positive value or a result that does not fit.
pub(crate) fn to_shares<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	stake: B,
	shares: B,
	value: B,
	rounding: Rounding,
) -> Result<B, ShareError> {
	if shares.is_zero() {
		return Ok(value);
	}
	if stake.is_zero() {
		return Err(ShareError::NoStake);
	}
	let issued = multiply_by_rational_with_rounding(
		value.saturated_into::<u128>(),
		shares.saturated_into::<u128>(),
		stake.saturated_into::<u128>(),
		rounding,
	)
	.filter(|n| *n <= B::max_value().saturated_into::<u128>())
	.ok_or(ShareError::Unrepresentable)?;
	if issued == 0 && !value.is_zero() {
		return Err(ShareError::Unrepresentable);
	}
	Ok(issued.saturated_into())
}

impl<T: Config> From<ShareError> for Error<T> {
	fn from(e: ShareError) -> Self {
		match e {
			ShareError::NoStake => Error::<T>::PoolDestroyed,
			ShareError::Unrepresentable => Error::<T>::Overflow,
		}
	}
}

/// What `of` shares are worth in a pool with `stake` behind `shares` (rounded down).
pub(crate) fn to_value<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	stake: B,
	shares: B,
	of: B,
) -> B {
	if shares.is_zero() {
		Zero::zero()
	} else {
		mul_div(of, stake, shares, Rounding::Down)
	}
}
