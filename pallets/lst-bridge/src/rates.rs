//! Exchange rates: attested rate reports per round, bounded moves, and the haircut applied
//! when valuing an LST.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{pallet_prelude::*, traits::UnixTime};
use kasane_primitives::bridge::{EthAddress, OnRateUpdated, RateReport};
use sp_runtime::DispatchError;

/// 10¹⁸: rates are ETH per this many token units.
pub(crate) const RATE_UNIT: u128 = 1_000_000_000_000_000_000;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_attest_rate(
		who: &T::AccountId,
		report: RateReport,
		evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
	) -> Result<Weight, DispatchError> {
		let domain = Self::domain()?;
		ensure!(Policy::<T>::get().takes_attestations(), Error::<T>::ProofRequired);
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		let info = Tokens::<T>::get(report.token).ok_or(Error::<T>::UnknownToken)?;
		Self::check_rate(&info, &report)?;
		match T::Verifier::verify(who, &domain, Inbound::Rate(&report), evidence)? {
			Verdict::Accepted => {
				Self::apply_rate(
					&report.token,
					&info,
					Rate {
						rate: report.rate,
						reported_at: report.timestamp,
						round: Self::rate_round(&report),
					},
				);
				Ok(T::WeightInfo::attest_rate_applied().saturating_add(T::OnRateUpdated::weight()))
			}
			Verdict::Counted { .. } | Verdict::Conflict => Ok(T::WeightInfo::attest_rate_counted()),
		}
	}

	/// Whether `report` may replace the token's current rate.
	pub(crate) fn check_rate(info: &TokenInfo<T::AssetId>, report: &RateReport) -> DispatchResult {
		ensure!(report.rate > 0, Error::<T>::ZeroRate);
		let now = T::UnixTime::now().as_secs();
		ensure!(
			report.timestamp <= now.saturating_add(T::MaxClockDrift::get()),
			Error::<T>::RateFromFuture
		);
		ensure!(
			now.saturating_sub(report.timestamp) <= T::MaxRateAge::get(),
			Error::<T>::RateTooOld
		);
		if let Some(current) = Rates::<T>::get(report.token) {
			ensure!(
				Self::rate_round(report) > current.round && report.timestamp > current.reported_at,
				Error::<T>::RateNotNewer
			);
			let change = report.rate.abs_diff(current.rate);
			ensure!(
				change <= info.max_rate_change.mul_ceil(current.rate),
				Error::<T>::RateOutOfBounds
			);
		}
		Ok(())
	}

	/// The rate round `report` belongs to.
	pub fn rate_round(report: &RateReport) -> u64 {
		report.eth_block_number / T::RateRound::get().max(1)
	}

	pub(crate) fn apply_rate(token: &EthAddress, info: &TokenInfo<T::AssetId>, rate: Rate) {
		Rates::<T>::insert(token, rate);
		T::Verifier::forget_rates(token, rate.round);
		T::OnRateUpdated::rate_updated(info.asset, Self::haircut(info, rate.rate));
		Self::deposit_event(Event::RateUpdated {
			token: *token,
			asset: info.asset,
			rate: rate.rate,
			reported_at: rate.reported_at,
		});
	}

	/// `rate` less the token's haircut (rounded against the holder).
	pub(crate) fn haircut(info: &TokenInfo<T::AssetId>, rate: u128) -> u128 {
		rate.saturating_sub(info.haircut.mul_ceil(rate))
	}
}
