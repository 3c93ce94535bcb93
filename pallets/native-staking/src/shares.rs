//! Share math of pools and unbond pools, on the [`SharePool`] both are: the value of shares,
//! and shares for a value, with the rounding each side of a trade needs and an error instead
//! of zero or overflowing shares.

use super::*;
use frame_support::traits::DefensiveSaturating;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{AtLeast32BitUnsigned, Zero},
	ArithmeticError, DispatchError, Rounding, SaturatedConversion,
};

/// `a × b / c` in 128-bit arithmetic; zero when `c` is zero, saturating when the result does
/// not fit. For values (a share of a stake), where both are at most the stake.
pub(crate) fn mul_div<B: AtLeast32BitUnsigned + Copy>(a: B, b: B, c: B, rounding: Rounding) -> B {
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
	/// The pool's stake or shares would overflow.
	Overflow,
}

impl ShareError {
	/// The dispatch error a call fails with.
	pub(crate) fn into_error<T: Config>(self) -> DispatchError {
		match self {
			ShareError::NoStake => Error::<T>::PoolDestroyed.into(),
			ShareError::Unrepresentable | ShareError::Overflow => ArithmeticError::Overflow.into(),
		}
	}
}

/// Stake behind shares: a validator's pool (its active stake) and an unbond pool (stake
/// leaving a pool at one era). Holders keep shares; a slash lowers the stake, and with it what
/// every share is worth, in O(1).
///
/// Rounding always favours the pool over the holder trading with it: shares issued and value
/// paid out round down, shares taken for a value round up. So no trade dilutes the other
/// holders, and the pool's stake always covers what its shares are worth.
pub(crate) trait SharePool<B: AtLeast32BitUnsigned + Copy> {
	/// The stake and the shares outstanding against it.
	fn stake_and_shares(&self) -> (B, B);
	/// The same, to change them.
	fn stake_and_shares_mut(&mut self) -> (&mut B, &mut B);

	/// What `held` shares are worth, rounded down.
	fn value_of(&self, held: B) -> B {
		let (stake, shares) = self.stake_and_shares();
		if shares.is_zero() {
			Zero::zero()
		} else {
			mul_div(held, stake, shares, Rounding::Down)
		}
	}

	/// Shares worth `value`, rounded as asked; an error rather than zero shares for a positive
	/// value or a result that does not fit. An empty pool prices a share at one unit.
	fn shares_for(&self, value: B, rounding: Rounding) -> Result<B, ShareError> {
		let (stake, shares) = self.stake_and_shares();
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

	/// Put `value` in for shares worth it, rounded down; returns the shares. Changes nothing
	/// on error.
	fn issue(&mut self, value: B) -> Result<B, ShareError> {
		let issued = self.shares_for(value, Rounding::Down)?;
		let (stake, shares) = self.stake_and_shares();
		let stake = stake.checked_add(&value).ok_or(ShareError::Overflow)?;
		let shares = shares.checked_add(&issued).ok_or(ShareError::Overflow)?;
		let (s, n) = self.stake_and_shares_mut();
		(*s, *n) = (stake, shares);
		Ok(issued)
	}

	/// Put `value` in for shares (rounded down), saturating: for pools whose stake is bounded
	/// by the total issuance.
	fn issue_saturating(&mut self, value: B) -> Result<B, ShareError> {
		let issued = self.shares_for(value, Rounding::Down)?;
		let (s, n) = self.stake_and_shares_mut();
		s.saturating_accrue(value);
		n.saturating_accrue(issued);
		Ok(issued)
	}

	/// The shares a holder of `held` gives up to take `value` out: all of them when `value` is
	/// all they are worth, otherwise rounded up (at most `held`).
	fn shares_to_take(&self, held: B, value: B) -> Result<B, ShareError> {
		if value == self.value_of(held) {
			Ok(held)
		} else {
			Ok(self.shares_for(value, Rounding::Up)?.min(held))
		}
	}

	/// Take `value` and `shares` out of the pool.
	fn remove(&mut self, value: B, shares: B) {
		let (s, n) = self.stake_and_shares_mut();
		s.defensive_saturating_reduce(value);
		n.defensive_saturating_reduce(shares);
	}

	/// Redeem all `held` shares; returns what they were worth.
	fn redeem(&mut self, held: B) -> B {
		let value = self.value_of(held);
		self.remove(value, held);
		value
	}

	/// Take up to `wanted` of value out of a holding of `held` shares (a loss the holder
	/// bears); returns the value taken and the shares it cost.
	fn take(&mut self, held: B, wanted: B) -> (B, B) {
		let worth = self.value_of(held);
		let value = worth.min(wanted);
		if value.is_zero() {
			return (value, Zero::zero());
		}
		let shares = self.shares_to_take(held, value).unwrap_or(held);
		self.remove(value, shares);
		(value, shares)
	}
}

impl<B: AtLeast32BitUnsigned + Copy> SharePool<B> for Pool<B> {
	fn stake_and_shares(&self) -> (B, B) {
		(self.active, self.shares)
	}
	fn stake_and_shares_mut(&mut self) -> (&mut B, &mut B) {
		(&mut self.active, &mut self.shares)
	}
}

impl<B: AtLeast32BitUnsigned + Copy> SharePool<B> for UnbondPool<B> {
	fn stake_and_shares(&self) -> (B, B) {
		(self.stake, self.shares)
	}
	fn stake_and_shares_mut(&mut self) -> (&mut B, &mut B) {
		(&mut self.stake, &mut self.shares)
	}
}
