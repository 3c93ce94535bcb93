//! A vault deposit from Kasane's side: where it stands (`kasane bridge deposit`) and minting one
//! that waits once what held it back is over (`kasane bridge retry`).
//!
//! A deposit Kasane accepted is minted at once unless the bridge is paused, the token's cap is
//! reached, the recipient cannot receive it, or it is above the 24-hour mint limit (then it is
//! delayed). It then waits in `LstBridge.Waiting` until someone calls `retry_deposit`: relayers
//! do once a retry would move it on (`LstBridgeApi.retryable_deposits`), and the depositor (or
//! anyone) may do it here without waiting for them.

use crate::{
	error::BadInput,
	kasane::{
		self,
		runtime_types::{
			kasane_primitives::bridge::DepositStatus,
			pallet_lst_bridge::types::{
				InboundPolicy, OperatingMode, TokenInfo, WaitReason, WaitingDeposit,
			},
		},
	},
	output::fields,
	Ctx,
};
use anyhow::Result;
use serde_json::json;
use subxt::utils::AccountId32;

/// Where a deposit stands, for people, and whether a retry could mint it now.
#[derive(Debug, PartialEq)]
pub struct Outlook {
	/// The status's name, as the runtime API has it.
	pub state: &'static str,
	/// What it means.
	pub text: String,
	/// `Ok` if `retry_deposit` may mint it now, else why a retry would not.
	pub retry: Result<(), String>,
}

/// What the chain says of deposit `nonce`, read at one block.
pub struct Seen {
	pub status: DepositStatus<u32>,
	pub waiting: Option<WaitingDeposit<AccountId32, u32>>,
	/// The inbound policy takes attesters' signatures of contents (else only proofs).
	pub attested: bool,
	pub paused: bool,
	/// The waiting deposit would take its token's outstanding supply over the cap.
	pub over_cap: bool,
	pub now: u32,
}

/// Why a waiting deposit would not mint now, as `retry_deposit` checks first: a paused bridge,
/// then the token's cap. Whether the recipient can receive it is the chain's to say.
fn held_back(seen: &Seen) -> Result<(), String> {
	if seen.paused {
		return Err("the bridge is paused: retry once its guardian or governance resumes it".into());
	}
	if seen.over_cap {
		return Err("minting it would still exceed the token's cap: retry once withdrawals or a \
		            higher cap make room"
			.into());
	}
	Ok(())
}

/// `seen` for people; `duration` shows a number of blocks as time.
pub fn outlook(nonce: u64, seen: &Seen, duration: impl Fn(u32) -> String) -> Outlook {
	let not_waiting =
		|what: &str| Err(format!("deposit {nonce} is not waiting to be minted: {what}"));
	match &seen.status {
		DepositStatus::Unknown => Outlook {
			state: "Unknown",
			text: if seen.attested {
				"not attested yet: attesters sign a deposit once its Ethereum block is deep enough"
					.into()
			} else {
				"not proven yet: relayers prove a deposit by its receipt once its Ethereum block \
				 is finalized"
					.into()
			},
			retry: not_waiting("it is not on Kasane yet"),
		},
		DepositStatus::Attesting { signers, quorum, .. } => Outlook {
			state: "Attesting",
			text: format!("being attested: {} of the {quorum} signatures it needs", signers.len()),
			retry: not_waiting("it is still being attested"),
		},
		DepositStatus::Halted => Outlook {
			state: "Halted",
			text: if seen.attested {
				"halted: attesters signed different contents for it; governance must clear it \
				 before it can be accepted"
					.into()
			} else {
				"halted: attesters signed different contents for it; a proof of its receipt \
				 settles it"
					.into()
			},
			retry: not_waiting("it is halted"),
		},
		DepositStatus::Parked => {
			let text = match seen.waiting.as_ref().map(|w| &w.reason) {
				_ if seen.paused => "accepted, waiting: the bridge is paused",
				Some(WaitReason::Paused) => {
					"accepted while the bridge was paused, which it no longer is: a retry mints \
					 it, or delays it a day if it is above the 24-hour mint limit"
				}
				Some(WaitReason::OverCap) => {
					"accepted, waiting: minting it would exceed the token's cap; it mints once \
					 withdrawals or a higher cap make room"
				}
				Some(WaitReason::Unmintable) => {
					"accepted, waiting: the recipient cannot receive it yet (below the asset's \
					 minimum balance for a new account, or the asset is frozen); a retry mints it \
					 once it can"
				}
				Some(WaitReason::Delayed { .. }) | None => "accepted, waiting",
			};
			Outlook { state: "Parked", text: text.into(), retry: held_back(seen) }
		}
		DepositStatus::Delayed { until } => {
			// A retry lands in the next block at the earliest: that block must reach `until`.
			let (text, retry) = if *until > seen.now.saturating_add(1) {
				let left = duration(until - seen.now);
				(
					format!(
						"accepted above the 24-hour mint limit: mintable from block #{until} (in \
						 {left}) unless governance cancels it"
					),
					Err(format!("its delay is not over: retry from block #{until} (in {left})")),
				)
			} else {
				let retry = held_back(seen);
				let text = if retry.is_ok() {
					"accepted above the 24-hour mint limit, and mintable now"
				} else {
					"accepted above the 24-hour mint limit; its delay is over"
				};
				(text.into(), retry)
			};
			Outlook { state: "Delayed", text, retry }
		}
		DepositStatus::Processed => Outlook {
			state: "Processed",
			text: "minted on Kasane".into(),
			retry: not_waiting("it is minted already"),
		},
		DepositStatus::Refunded { withdrawal } => Outlook {
			state: "Refunded",
			text: format!(
				"refused or cancelled: paid back to the depositor on Ethereum by withdrawal \
				 {withdrawal} (see `kasane bridge withdrawal {withdrawal}`)"
			),
			retry: not_waiting("it was paid back on Ethereum"),
		},
	}
}

/// Deposit `nonce` as the chain has it at its best block, with its token's record if it waits.
async fn read(ctx: &Ctx, nonce: u64) -> Result<(Seen, Option<TokenInfo<u32>>)> {
	let chain = &ctx.chain;
	let at = chain.at_best().await?;
	let storage = at.storage();
	let status = at
		.runtime_apis()
		.call(kasane::runtime_apis().lst_bridge_api().deposit_status(nonce))
		.await?;
	let waiting = storage
		.try_fetch(kasane::storage().lst_bridge().waiting(), (nonce,))
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let policy = storage.fetch(kasane::storage().lst_bridge().policy(), ()).await?.decode()?;
	let mode = storage.fetch(kasane::storage().lst_bridge().mode(), ()).await?.decode()?;
	let token = match &waiting {
		Some(w) => storage
			.try_fetch(kasane::storage().lst_bridge().tokens(), (w.token,))
			.await?
			.map(|v| v.decode())
			.transpose()?,
		None => None,
	};
	let over_cap = match (&waiting, &token) {
		(Some(w), Some(info)) => {
			info.minted.saturating_sub(info.burned).saturating_add(w.amount) > info.cap
		}
		_ => false,
	};
	let seen = Seen {
		status,
		waiting,
		attested: matches!(policy, InboundPolicy::Attested),
		paused: matches!(mode, OperatingMode::Paused),
		over_cap,
		now: u32::try_from(at.block_number())?,
	};
	Ok((seen, token))
}

/// `kasane bridge deposit <nonce>`.
pub async fn show(ctx: &Ctx, nonce: u64) -> Result<()> {
	let chain = &ctx.chain;
	let (seen, token) = read(ctx, nonce).await?;
	let outlook = outlook(nonce, &seen, |blocks| chain.duration(blocks));
	let asset = match token {
		Some(info) => {
			Some(super::mirrored_asset(&chain.assets().await?, info.asset, info.decimals))
		}
		None => None,
	};
	let amount = seen.waiting.as_ref().map(|w| match &asset {
		Some(asset) => asset.show(w.amount),
		None => format!("{} (base units)", w.amount),
	});
	let next = match (&outlook.retry, &seen.waiting) {
		(Ok(()), _) => Some(format!("mint it: kasane bridge retry {nonce}")),
		(Err(why), Some(_)) => Some(why.clone()),
		(Err(_), None) => None,
	};
	let (signers, quorum) = match &seen.status {
		DepositStatus::Attesting { signers, quorum, .. } => (Some(signers.len()), Some(*quorum)),
		_ => (None, None),
	};
	let until = match &seen.status {
		DepositStatus::Delayed { until } => Some(*until),
		_ => None,
	};
	let withdrawal = match &seen.status {
		DepositStatus::Refunded { withdrawal } => Some(withdrawal.to_string()),
		_ => None,
	};
	ctx.out.result(
		|| {
			let mut pairs = vec![("deposit", nonce.to_string()), ("state", outlook.text.clone())];
			if let (Some(w), Some(amount)) = (&seen.waiting, &amount) {
				pairs.push(("amount", amount.clone()));
				pairs.push(("recipient", chain.show_account(&w.recipient)));
				pairs.push(("depositor", format!("{:?} on Ethereum", w.depositor)));
			}
			if let Some(next) = &next {
				pairs.push(("next", next.clone()));
			}
			fields(&pairs)
		},
		json!({
			"nonce": nonce.to_string(),
			"status": outlook.state,
			"text": outlook.text,
			"signers": signers,
			"quorum": quorum,
			"until": until,
			"withdrawal": withdrawal,
			"amount": seen.waiting.as_ref().map(|w| w.amount.to_string()),
			"asset": asset.as_ref().map(|a| a.symbol.clone()),
			"recipient": seen.waiting.as_ref().map(|w| chain.show_account(&w.recipient)),
			"depositor": seen.waiting.as_ref().map(|w| format!("{:?}", w.depositor)),
			"mintable_now": outlook.retry.is_ok(),
			"next": next,
		}),
	);
	Ok(())
}

/// `kasane bridge retry <nonce>`: refused before signing unless a retry could mint it now.
pub async fn retry(ctx: &Ctx, nonce: u64) -> Result<()> {
	let chain = &ctx.chain;
	let (seen, _) = read(ctx, nonce).await?;
	if let Err(why) = outlook(nonce, &seen, |blocks| chain.duration(blocks)).retry {
		return Err(BadInput(why).into());
	}
	let signer = ctx.signer.keypair()?;
	let sent = chain
		.submit(
			&kasane::transactions().lst_bridge().retry_deposit(nonce),
			&signer,
			ctx.wait,
			&ctx.out,
		)
		.await?;
	let minted = sent.find::<kasane::lst_bridge::events::DepositMinted>();
	// A parked deposit meets the 24-hour limit on its retry: above it, it is delayed now.
	let waits = sent.find::<kasane::lst_bridge::events::DepositWaiting>();
	ctx.report(
		sent,
		json!({
			"nonce": nonce.to_string(),
			"minted": minted.as_ref().map(|e| e.amount.to_string()),
			"recipient": minted.as_ref().map(|e| chain.show_account(&e.recipient)),
			"delayed_until": waits.and_then(|e| match e.reason {
				WaitReason::Delayed { until } => Some(until),
				_ => None,
			}),
		}),
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn seen(status: DepositStatus<u32>, reason: Option<WaitReason<u32>>, paused: bool) -> Seen {
		Seen {
			status,
			waiting: reason.map(|reason| WaitingDeposit {
				token: Default::default(),
				depositor: Default::default(),
				recipient: AccountId32([1; 32]),
				amount: 5,
				reason,
			}),
			attested: true,
			paused,
			over_cap: false,
			now: 100,
		}
	}

	fn look(seen: &Seen) -> Outlook {
		outlook(7, seen, |blocks| format!("{blocks} blocks"))
	}

	#[test]
	fn only_a_deposit_whose_hold_is_over_may_be_retried() {
		let parked = |reason, paused| look(&seen(DepositStatus::Parked, Some(reason), paused));
		assert_eq!(parked(WaitReason::OverCap, false).retry, Ok(()));
		assert_eq!(parked(WaitReason::Unmintable, false).retry, Ok(()));
		assert_eq!(parked(WaitReason::Paused, false).retry, Ok(()));
		assert_eq!(
			parked(WaitReason::OverCap, true).retry,
			Err("the bridge is paused: retry once its guardian or governance resumes it".into())
		);
		let delayed = |until, paused| {
			look(&seen(
				DepositStatus::Delayed { until },
				Some(WaitReason::Delayed { until }),
				paused,
			))
		};
		assert_eq!(
			delayed(130, false).retry,
			Err("its delay is not over: retry from block #130 (in 30 blocks)".into())
		);
		assert!(delayed(130, false).text.contains("mintable from block #130 (in 30 blocks)"));
		assert_eq!(delayed(100, false).retry, Ok(()));
		// The next block reaches it.
		assert_eq!(delayed(101, false).retry, Ok(()));
		assert!(delayed(102, false).retry.is_err());
		assert!(delayed(100, true).retry.is_err());
		// Still over the cap: refused, whatever parked or delayed it.
		let mut full = seen(DepositStatus::Parked, Some(WaitReason::OverCap), false);
		full.over_cap = true;
		assert!(look(&full).retry.unwrap_err().starts_with("minting it would still exceed"));
		full.status = DepositStatus::Delayed { until: 90 };
		assert!(look(&full).retry.is_err());
		for (status, why) in [
			(DepositStatus::Unknown, "it is not on Kasane yet"),
			(DepositStatus::Halted, "it is halted"),
			(DepositStatus::Processed, "it is minted already"),
			(DepositStatus::Refunded { withdrawal: 3 }, "it was paid back on Ethereum"),
		] {
			assert_eq!(
				look(&seen(status, None, false)).retry,
				Err(format!("deposit 7 is not waiting to be minted: {why}"))
			);
		}
	}

	#[test]
	fn a_deposit_not_yet_on_kasane_is_described_by_the_policy() {
		let mut unknown = seen(DepositStatus::Unknown, None, false);
		assert!(look(&unknown).text.starts_with("not attested yet"));
		unknown.attested = false;
		assert!(look(&unknown).text.starts_with("not proven yet"));
		let attesting = seen(
			DepositStatus::Attesting {
				digest: Default::default(),
				signers: vec![Default::default()],
				quorum: 2,
			},
			None,
			false,
		);
		assert_eq!(look(&attesting).text, "being attested: 1 of the 2 signatures it needs");
		assert!(look(&seen(DepositStatus::Parked, Some(WaitReason::OverCap), false))
			.text
			.contains("exceed the token's cap"));
		let mut halted = seen(DepositStatus::Halted, None, false);
		assert!(look(&halted).text.contains("governance must clear it"));
		halted.attested = false;
		assert!(look(&halted).text.contains("a proof of its receipt settles it"));
	}
}
