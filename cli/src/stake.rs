//! `kasane stake`: native staking of KSN. A staker's active stake is shares of one validator's
//! pool; unbonding stake waits in the pool's unbond pool for its era; rewards are claimed.
//! Each command reads the signer's ledger first and refuses, before signing, what the chain
//! would refuse for a reason the signer can act on (another pool, nothing to rebond).

use crate::{
	chain::{AtBlock, Chain},
	error::BadInput,
	kasane,
	output::{fields, table},
	restake::account_or_signer,
	units::parse_amount,
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane::runtime_types::pallet_native_staking::types::{RewardDestination, StakerLedger};
use kasane_primitives::math::mul_div;
use serde_json::json;
use sp_runtime::Rounding;
use subxt::utils::AccountId32;

/// One in `FixedU128`.
const FIXED_ONE: u128 = 1_000_000_000_000_000_000;

/// Where claimed native rewards go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Destination {
	/// Bond them into the staker's pool (compounding).
	Stake,
	/// Pay them to the staker's free balance.
	Free,
}

impl Destination {
	fn of(destination: &RewardDestination) -> Self {
		match destination {
			RewardDestination::Stake => Self::Stake,
			RewardDestination::Free => Self::Free,
		}
	}

	fn on_chain(self) -> RewardDestination {
		match self {
			Self::Stake => RewardDestination::Stake,
			Self::Free => RewardDestination::Free,
		}
	}

	fn name(self) -> &'static str {
		match self {
			Self::Stake => "stake",
			Self::Free => "free",
		}
	}
}

type Ledger = StakerLedger;

/// `who`'s native staking ledger at `at`.
async fn ledger_at(at: &AtBlock, who: &AccountId32) -> Result<Option<Ledger>> {
	Ok(at
		.storage()
		.try_fetch(kasane::storage().staking().ledgers(), (*who,))
		.await?
		.map(|v| v.decode())
		.transpose()?)
}

/// The signer's ledger at `at`, or why it has none to act on.
async fn own_ledger(at: &AtBlock, signer: &AccountId32) -> Result<Ledger> {
	ledger_at(at, signer)
		.await?
		.ok_or_else(|| BadInput("this account does not stake KSN".into()).into())
}

/// Whether native staking holds the stake of `pool` at `at` (the pallet's `is_pool_frozen`): a
/// slash of its validator is due (applied a page per block from an era's start) or waits for a
/// decision (restaking's freeze). Nothing leaves such a pool until then.
async fn pool_frozen(at: &AtBlock, pool: &AccountId32) -> Result<bool> {
	let storage = at.storage();
	if storage.try_fetch(kasane::storage().staking().slashes_due(), (*pool,)).await?.is_some() {
		return Ok(true);
	}
	Ok(storage
		.try_fetch(kasane::storage().restaking().operator_freezes(), (*pool,))
		.await?
		.is_some())
}

/// The pools `ledger` touches (its own, its chunks', its obligations') that are frozen at `at`.
async fn frozen_pools(at: &AtBlock, ledger: &Ledger) -> Result<Vec<AccountId32>> {
	let mut pools = vec![ledger.pool];
	pools.extend(ledger.unbonding.0.iter().map(|c| c.pool));
	pools.extend(ledger.redelegations.0.iter().map(|o| o.from));
	pools.sort_by_key(|p| p.0);
	pools.dedup();
	let mut frozen = Vec::new();
	for pool in pools {
		if pool_frozen(at, &pool).await? {
			frozen.push(pool);
		}
	}
	Ok(frozen)
}

/// Whether a matured obligation (stake moved from `from`, answerable until an era) is kept in
/// `era`: settling releases one once its era has begun unless a slash holds its pool, and
/// while one is kept every unlocked chunk stays, since it backs it.
fn owes_held_pool(
	obligations: impl IntoIterator<Item = (AccountId32, u32)>,
	era: u32,
	frozen: &[AccountId32],
) -> bool {
	obligations.into_iter().any(|(from, until)| until <= era && frozen.contains(&from))
}

/// Whether `withdraw_unbonded` in `era` keeps a chunk of `pool` that unlocked at `unlock`: a
/// slash holds its pool, or the ledger owes a held pool (`owes_held_pool`).
fn held_by_slash(
	pool: &AccountId32,
	unlock: u32,
	era: u32,
	owes: bool,
	frozen: &[AccountId32],
) -> bool {
	unlock <= era && (owes || frozen.contains(pool))
}

/// Why `withdraw_unbonded` by `ledger` in `era` would be refused, or `None` when it releases
/// something (or closes a ledger with nothing left, which the chain accepts).
fn withdraw_blocker(ledger: &Ledger, era: u32, frozen: &[AccountId32]) -> Option<&'static str> {
	let owes = owes_held_pool(ledger.redelegations.0.iter().map(|o| (o.from, o.era)), era, frozen);
	let mut unlocked = ledger.unbonding.0.iter().filter(|c| c.era <= era).peekable();
	if unlocked.peek().is_some() {
		if !unlocked.all(|c| held_by_slash(&c.pool, c.era, era, owes, frozen)) {
			return None;
		}
	} else {
		// Settling drops the matured obligations no slash holds; a ledger left with nothing
		// is closed and released.
		let closes = ledger.shares == 0
			&& ledger.unbonding.0.is_empty()
			&& !ledger.redelegations.0.iter().any(|o| o.era > era || frozen.contains(&o.from));
		if closes {
			return None;
		}
		if !owes {
			return Some(
				"nothing has unlocked yet: `kasane stake info` shows when each chunk unlocks",
			);
		}
	}
	Some(if owes {
		"what unlocks backs stake this account moved from a validator whose slash is due or waits \
		 for a decision: it stays until the slash is applied or decided"
	} else {
		"what has unlocked unbonds from a validator whose slash is due or waits for a decision: \
		 it stays until the slash is applied or decided"
	})
}

/// The bond `signer` asks for in `pool` (its own for a self-bond), `current` being the pool
/// its ledger is in, if any, and whether stake is still active there: a first one, or more
/// in that pool. Another pool is refused with the command that gets there.
fn bond_in(
	show: impl Fn(&AccountId32) -> String,
	signer: &AccountId32,
	pool: &AccountId32,
	current: Option<(&AccountId32, bool)>,
) -> Result<BondKind, BadInput> {
	let Some((current, active)) = current else { return Ok(BondKind::First) };
	if current == pool {
		return Ok(BondKind::More);
	}
	Err(BadInput(if current == signer {
		"this account bonds as its own validator pool: add with `kasane stake bond <amount>`".into()
	} else if !active {
		format!(
			"this account's stake in {}'s pool is unbonding: withdraw it once it unlocks \
			 (`kasane stake withdraw`), then bond or delegate anew",
			show(current)
		)
	} else if pool == signer {
		format!(
			"this account delegates to {0}'s pool: add with `kasane stake delegate {0} \
			 <amount>`, or unbond and withdraw it first",
			show(current)
		)
	} else {
		format!(
			"this account delegates to {}'s pool: `kasane stake redelegate {}` moves it there",
			show(current),
			show(pool)
		)
	}))
}

/// Why the signer's delegation in `ledger` cannot move or be left, if it cannot.
fn delegation_gone(ledger: &Ledger, signer: &AccountId32) -> Option<BadInput> {
	if ledger.pool == *signer {
		return Some(BadInput(
			"this account bonds as its own validator pool, it delegates to no one: `kasane \
			 stake unbond <amount>` unbonds it"
				.into(),
		));
	}
	(ledger.shares == 0).then(|| {
		BadInput(
			"nothing is delegated any more: withdraw what unbonds once it unlocks (`kasane \
			 stake withdraw`)"
				.into(),
		)
	})
}

/// The bond the signer asks for in `pool`, from its ledger at the best block (see [`bond_in`]).
async fn bond_kind(chain: &Chain, signer: &AccountId32, pool: &AccountId32) -> Result<BondKind> {
	let ledger = ledger_at(&chain.at_best().await?, signer).await?;
	Ok(bond_in(
		|a| chain.show_account(a),
		signer,
		pool,
		ledger.as_ref().map(|l| (&l.pool, l.shares > 0)),
	)?)
}

/// Whether a bond opens a ledger or adds to one.
#[derive(Debug, PartialEq, Eq)]
enum BondKind {
	First,
	More,
}

#[derive(Subcommand)]
pub enum StakeCommand {
	/// Bond KSN as the signer's own self-bond, or add to it (`kasane validator join` bonds,
	/// validates and sets session keys in one go).
	///
	/// Example: kasane stake bond 10000
	Bond { amount: String },
	/// Delegate KSN to a validator's pool, or add to a delegation to it.
	///
	/// Example: kasane stake delegate <validator address> 100
	Delegate { validator: String, amount: String },
	/// Start unbonding KSN; it stays slashable and can be withdrawn after the bonding duration.
	///
	/// Example: kasane stake unbond 40
	Unbond { amount: String },
	/// Stop unbonding: move up to `amount` of the stake unbonding from the current pool back
	/// to active stake (stake unbonding from a pool left since only comes back by withdrawing).
	///
	/// Example: kasane stake rebond 15
	Rebond { amount: String },
	/// Leave the validator: unbond the whole delegation.
	///
	/// Example: kasane stake undelegate
	Undelegate,
	/// Move the whole delegation to another validator's pool now. The moved stake stays
	/// answerable for the old validator's offences for the unbonding duration.
	///
	/// Example: kasane stake redelegate <validator address>
	Redelegate { validator: String },
	/// Where claimed rewards go: `stake` bonds them into the pool, `free` pays them out.
	///
	/// Example: kasane stake reward-destination stake
	RewardDestination { destination: Destination },
	/// Withdraw every unbonded chunk whose era has come.
	///
	/// Example: kasane stake withdraw
	Withdraw,
	/// Claim settled staking rewards.
	///
	/// Example: kasane stake claim
	Claim,
	/// Bring a staker's ledger up to date: burn what its pools' slashes took from its stake out
	/// of its hold, and book its rewards. Anyone may, for any staker (default: the signer),
	/// so a slash takes effect without the staker's cooperation.
	///
	/// Example: kasane stake settle <staker address>
	Settle { who: Option<String> },
	/// A validator's pool: stake, self-bond, members, commission, slashes and election state.
	///
	/// Example: kasane stake pool <validator address>
	Pool { validator: String },
	/// A staker's pool, active stake, unbonding chunks and unclaimed rewards.
	///
	/// Example: kasane stake info <address>
	Info { who: Option<String> },
}

pub async fn run(ctx: &Ctx, command: StakeCommand) -> Result<()> {
	let chain = &ctx.chain;
	let decimals = chain.native.decimals;
	let staking = || kasane::transactions().staking();
	match command {
		StakeCommand::Bond { amount } => {
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			let sent = match bond_kind(chain, &me, &me).await? {
				BondKind::First => {
					chain.submit(&staking().bond(amount), &signer, ctx.wait, &ctx.out).await?
				}
				BondKind::More => {
					chain.submit(&staking().bond_extra(amount), &signer, ctx.wait, &ctx.out).await?
				}
			};
			ctx.report(sent, json!({ "amount": amount.to_string() }));
		}
		StakeCommand::Delegate { validator, amount } => {
			let validator = chain.parse_account(&validator)?;
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			if validator == me {
				return Err(BadInput(
					"an account does not delegate to itself: `kasane stake bond <amount>` bonds \
					 (or adds to) its own validator pool"
						.into(),
				)
				.into());
			}
			let sent = match bond_kind(chain, &me, &validator).await? {
				BondKind::First => {
					let call = staking().delegate(validator, amount);
					chain.submit(&call, &signer, ctx.wait, &ctx.out).await?
				}
				BondKind::More => {
					chain.submit(&staking().bond_extra(amount), &signer, ctx.wait, &ctx.out).await?
				}
			};
			ctx.report(
				sent,
				json!({ "validator": chain.show_account(&validator), "amount": amount.to_string() }),
			);
		}
		StakeCommand::Rebond { amount } => {
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			let at = chain.at_best().await?;
			let ledger = own_ledger(&at, &me).await?;
			let era = active_era(&at).await?;
			if rebondable_chunks(&ledger, era) == 0 {
				return Err(BadInput(format!(
					"nothing to rebond: no stake is unbonding from {}'s pool (stake unbonding \
					 from a pool left since is withdrawn when it unlocks)",
					chain.show_account(&ledger.pool)
				))
				.into());
			}
			let sent = chain.submit(&staking().rebond(amount), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "amount": amount.to_string() }));
		}
		StakeCommand::Undelegate => {
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			let ledger = own_ledger(&chain.at_best().await?, &me).await?;
			if let Some(why) = delegation_gone(&ledger, &me) {
				return Err(why.into());
			}
			let sent = chain.submit(&staking().undelegate(), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "validator": chain.show_account(&ledger.pool) }));
		}
		StakeCommand::Redelegate { validator } => {
			let validator = chain.parse_account(&validator)?;
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			let at = chain.at_best().await?;
			let ledger = own_ledger(&at, &me).await?;
			let to = chain.show_account(&validator);
			if let Some(why) = delegation_gone(&ledger, &me) {
				return Err(why.into());
			}
			if ledger.pool == validator {
				return Err(BadInput(format!("this account already delegates to {to}")).into());
			}
			// Stake a due or pending slash reaches stays in its pool until it is applied or
			// decided.
			if pool_frozen(&at, &ledger.pool).await? {
				return Err(BadInput(format!(
					"a slash of {}'s validator is due or waits for a decision: the stake cannot \
					 move until it is applied or decided (`kasane stake undelegate` still unbonds \
					 it, slashable until withdrawn)",
					chain.show_account(&ledger.pool)
				))
				.into());
			}
			let candidate = at
				.storage()
				.try_fetch(kasane::storage().staking().validators(), (validator,))
				.await?
				.is_some();
			if !candidate {
				return Err(BadInput(format!(
					"{to} is not a validator candidate: stake can only move to one"
				))
				.into());
			}
			let call = staking().redelegate(validator);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "from": chain.show_account(&ledger.pool), "validator": to }));
		}
		StakeCommand::RewardDestination { destination } => {
			let signer = ctx.signer.keypair()?;
			own_ledger(&chain.at_best().await?, &signer.public_key().to_account_id()).await?;
			let call = staking().set_reward_destination(destination.on_chain());
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "reward_destination": destination.name() }));
		}
		StakeCommand::Unbond { amount } => {
			let amount = parse_amount(&amount, decimals)?;
			let signer = ctx.signer.keypair()?;
			let sent = chain.submit(&staking().unbond(amount), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "amount": amount.to_string() }));
		}
		StakeCommand::Withdraw => {
			let signer = ctx.signer.keypair()?;
			let me = signer.public_key().to_account_id();
			let at = chain.at_best().await?;
			let ledger = own_ledger(&at, &me).await?;
			let era = active_era(&at).await?;
			let frozen = frozen_pools(&at, &ledger).await?;
			if let Some(why) = withdraw_blocker(&ledger, era, &frozen) {
				return Err(BadInput(why.into()).into());
			}
			let sent =
				chain.submit(&staking().withdraw_unbonded(), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({}));
		}
		StakeCommand::Claim => {
			let signer = ctx.signer.keypair()?;
			let sent =
				chain.submit(&staking().claim_rewards(), &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({}));
		}
		StakeCommand::Settle { who } => {
			let who = account_or_signer(ctx, who)?;
			let signer = ctx.signer.keypair()?;
			if ledger_at(&chain.at_best().await?, &who).await?.is_none() {
				return Err(BadInput(format!(
					"{} does not stake KSN: it has nothing to settle",
					chain.show_account(&who)
				))
				.into());
			}
			let sent = chain.submit(&staking().settle(who), &signer, ctx.wait, &ctx.out).await?;
			// Nothing burned (no event) when no slash reached the ledger since it last settled.
			let burned = sent.events.as_ref().map(|_| {
				sent.find::<kasane::staking::events::SlashSettled>()
					.map_or(0, |e| e.amount)
					.to_string()
			});
			ctx.report(sent, json!({ "staker": chain.show_account(&who), "burned": burned }));
		}
		StakeCommand::Pool { validator } => {
			let validator = chain.parse_account(&validator)?;
			let at = chain.at_best().await?;
			let storage = at.storage();
			let pool = storage
				.try_fetch(kasane::storage().staking().pools(), (validator,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| {
					crate::error::BadInput(format!(
						"{} has no pool: it never bonded as a validator",
						chain.show_account(&validator)
					))
				})?;
			let prefs = storage
				.try_fetch(kasane::storage().staking().validators(), (validator,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			let active = storage
				.fetch(kasane::storage().staking().active_validators(), ())
				.await?
				.decode()?;
			let elected = active.0.iter().any(|e| e.validator == validator);
			let self_bond = if pool.shares == 0 {
				0
			} else {
				mul_div(pool.owner_shares, pool.active, pool.shares, Rounding::Down).unwrap_or(0)
			};
			let commission = prefs.as_ref().or(pool.prefs.as_ref()).map(|p| p.commission.0);
			let show = |amount: u128| {
				format!("{} {}", crate::units::format_amount(amount, decimals), chain.native.symbol)
			};
			let percent =
				|parts: u32| crate::units::format_percent(u128::from(parts) * 1_000_000_000);
			ctx.out.result(
				|| {
					fields(&[
						("validator", chain.show_account(&validator)),
						("stake", show(pool.active)),
						("self-bond", show(self_bond)),
						("delegated", show(pool.active.saturating_sub(self_bond))),
						("members", pool.members.to_string()),
						("commission", commission.map(percent).unwrap_or_else(|| "-".into())),
						("candidate", if prefs.is_some() { "yes" } else { "no (chilled)" }.into()),
						("validating this era", if elected { "yes" } else { "no" }.into()),
						("slashes", pool.slashes.to_string()),
					])
				},
				json!({
					"validator": chain.show_account(&validator),
					"stake": pool.active.to_string(),
					"self_bond": self_bond.to_string(),
					"shares": pool.shares.to_string(),
					"members": pool.members,
					"commission": commission.map(percent),
					"candidate": prefs.is_some(),
					"active": elected,
					"slashes": pool.slashes,
				}),
			);
		}
		StakeCommand::Info { who } => {
			let who = account_or_signer(ctx, who)?;
			let at = chain.at_best().await?;
			let storage = at.storage();
			let ledger = storage
				.try_fetch(kasane::storage().staking().ledgers(), (who,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			let Some(ledger) = ledger else {
				ctx.out.result(
					|| format!("{} does not stake", chain.show_account(&who)),
					json!({ "address": chain.show_account(&who), "staking": false }),
				);
				return Ok(());
			};
			let pool = storage
				.fetch(kasane::storage().staking().pools(), (ledger.pool,))
				.await?
				.decode()?;
			// Shares are worth the pool's active stake pro rata; down, as the pallet pays.
			let active =
				mul_div(ledger.shares, pool.active, pool.shares, Rounding::Down).unwrap_or(0);
			// What a claim pays: rewards settled into the ledger, plus those accrued per share
			// since its snapshot (FixedU128, 10^18 = 1), as the pallet's `claimable_rewards`.
			let accrued_per_share =
				pool.reward_per_share.0.saturating_sub(ledger.reward_snapshot.0);
			let unclaimed = ledger.pending_rewards.saturating_add(
				mul_div(accrued_per_share, ledger.shares, FIXED_ONE, Rounding::Down).unwrap_or(0),
			);
			let era = active_era(&at).await?;
			let frozen = frozen_pools(&at, &ledger).await?;
			let owes = owes_held_pool(
				ledger.redelegations.0.iter().map(|o| (o.from, o.era)),
				era,
				&frozen,
			);
			let mut chunks = Vec::new();
			let mut rebondable = 0u128;
			for chunk in &ledger.unbonding.0 {
				let unbond_pool = storage
					.try_fetch(kasane::storage().staking().unbond_pools(), (chunk.pool, chunk.era))
					.await?
					.map(|v| v.decode())
					.transpose()?;
				let value = unbond_pool
					.map(|p| mul_div(chunk.shares, p.stake, p.shares, Rounding::Down).unwrap_or(0))
					.unwrap_or(0);
				if is_rebondable(&ledger.pool, &chunk.pool, chunk.era, era) {
					rebondable = rebondable.saturating_add(value);
				}
				chunks.push((chunk.pool, chunk.era, value));
			}
			let destination = Destination::of(&ledger.reward_destination);
			// Once its era has begun, an obligation is kept only while a slash of that validator
			// is due or pending; otherwise the ledger's next settle drops it.
			let answerable: Vec<(String, u32, u128, bool)> = ledger
				.redelegations
				.0
				.iter()
				.map(|o| {
					let held = o.era <= era && frozen.contains(&o.from);
					(chain.show_account(&o.from), o.era, o.value, held)
				})
				.collect();
			let held =
				|pool: &AccountId32, unlock: u32| held_by_slash(pool, unlock, era, owes, &frozen);
			let withdrawable: u128 = chunks
				.iter()
				.filter(|(pool, unlock, _)| *unlock <= era && !held(pool, *unlock))
				.map(|(_, _, value)| *value)
				.sum();
			// When an unlock era starts, from the era clock: eras are whole sessions of
			// `session_length` blocks, rotating at multiples of it.
			let staking = kasane::storage().staking();
			let length: u32 = storage.fetch(staking.session_length(), ()).await?.decode()?;
			let per_era: u32 = storage.fetch(staking.sessions_per_era(), ()).await?.decode()?;
			let session: u32 =
				storage.fetch(kasane::storage().session().current_index(), ()).await?.decode()?;
			let era_start = storage
				.try_fetch(staking.eras_start_session_index(), (era,))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.unwrap_or(session);
			let best: u32 =
				storage.fetch(kasane::storage().system().number(), ()).await?.decode()?;
			let into_era = session
				.saturating_sub(era_start)
				.saturating_mul(length)
				.saturating_add(best % length.max(1));
			let blocks_to = |unlock: u32| {
				unlock
					.saturating_sub(era)
					.saturating_mul(per_era)
					.saturating_mul(length)
					.saturating_sub(into_era)
			};
			let native = &chain.native;
			let rows: Vec<Vec<String>> = chunks
				.iter()
				.map(|(pool, unlock, value)| {
					let when = if owes && *unlock <= era {
						"held: it backs stake moved from a validator a slash holds".to_string()
					} else if held(pool, *unlock) {
						"held until a slash of its validator is applied or decided".to_string()
					} else if *unlock <= era {
						"withdrawable".to_string()
					} else {
						format!("era {unlock} (≈ {})", chain.duration(blocks_to(*unlock)))
					};
					vec![native.show(*value), chain.show_account(pool), when]
				})
				.collect();
			let json = json!({
				"address": chain.show_account(&who),
				"staking": true,
				"pool": chain.show_account(&ledger.pool),
				"shares": ledger.shares.to_string(),
				"active": active.to_string(),
				"held": ledger.held.to_string(),
				"unclaimed_rewards": unclaimed.to_string(),
				"reward_destination": destination.name(),
				"rebondable": rebondable.to_string(),
				"answerable_for": answerable.iter().map(|(from, until, value, held)| json!({
					"validator": from,
					"until_era": until,
					"held_by_slash": held,
					"value": value.to_string(),
				})).collect::<Vec<_>>(),
				"withdrawable": withdrawable.to_string(),
				"era": era,
				"unbonding": chunks.iter().map(|(pool, unlock, value)| json!({
					"pool": chain.show_account(pool),
					"unlock_era": unlock,
					"unlocks_in_blocks": blocks_to(*unlock),
					"held_by_slash": held(pool, *unlock),
					"value": value.to_string(),
				})).collect::<Vec<_>>(),
			});
			ctx.out.result(
				|| {
					let mut text = fields(&[
						("address", chain.show_account(&who)),
						("pool", chain.show_account(&ledger.pool)),
						("active", native.show(active)),
						("held", native.show(ledger.held)),
						("unclaimed rewards", native.show(unclaimed)),
						(
							"rewards go to",
							match destination {
								Destination::Stake => "stake (bonded into the pool)".into(),
								Destination::Free => "free balance".into(),
							},
						),
						("rebondable", native.show(rebondable)),
						("withdrawable now", native.show(withdrawable)),
					]);
					if !rows.is_empty() {
						text += "\n\n";
						text += &table(&["UNBONDING", "FROM POOL", "UNLOCKS"], &rows);
					}
					if !answerable.is_empty() {
						let rows: Vec<Vec<String>> = answerable
							.iter()
							.map(|(from, until, value, held)| {
								let until = if *until > era {
									format!("era {until}")
								} else if *held {
									"its due or pending slash is applied or decided".to_string()
								} else {
									"no longer (dropped when the ledger next settles)".to_string()
								};
								vec![native.show(*value), from.clone(), until]
							})
							.collect();
						text += "\n\n";
						text += &table(&["MOVED", "STILL ANSWERABLE TO", "UNTIL"], &rows);
					}
					text
				},
				json,
			);
		}
	}
	Ok(())
}

/// The era in force at `at` (0 before the first).
async fn active_era(at: &AtBlock) -> Result<u32> {
	Ok(at
		.storage()
		.try_fetch(kasane::storage().staking().active_era(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?
		.map(|e| e.index)
		.unwrap_or(0))
}

/// Whether an unbonding chunk of `pool` unlocking at `unlock` can be rebonded in `era`, as
/// the pallet's `rebond` takes them: from the ledger's `current` pool, not yet unlocked.
fn is_rebondable(current: &AccountId32, pool: &AccountId32, unlock: u32, era: u32) -> bool {
	pool == current && unlock > era
}

/// How many of `ledger`'s unbonding chunks can be rebonded in `era`.
fn rebondable_chunks(ledger: &Ledger, era: u32) -> usize {
	ledger.unbonding.0.iter().filter(|c| is_rebondable(&ledger.pool, &c.pool, c.era, era)).count()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn account(byte: u8) -> AccountId32 {
		AccountId32([byte; 32])
	}

	fn show(a: &AccountId32) -> String {
		format!("#{}", a.0[0])
	}

	#[test]
	fn a_bond_opens_a_ledger_or_adds_in_its_pool_and_names_the_command_for_another() {
		let (me, alice, bob) = (account(1), account(2), account(3));
		assert_eq!(bond_in(show, &me, &me, None).unwrap(), BondKind::First);
		assert_eq!(bond_in(show, &me, &alice, None).unwrap(), BondKind::First);
		assert_eq!(bond_in(show, &me, &me, Some((&me, true))).unwrap(), BondKind::More);
		assert_eq!(bond_in(show, &me, &alice, Some((&alice, true))).unwrap(), BondKind::More);
		// All of it unbonding from that pool: adding there is still a `bond_extra`.
		assert_eq!(bond_in(show, &me, &alice, Some((&alice, false))).unwrap(), BondKind::More);
		let own = bond_in(show, &me, &alice, Some((&me, true))).unwrap_err().0;
		assert!(own.contains("its own validator pool"), "{own}");
		let to_self = bond_in(show, &me, &me, Some((&alice, true))).unwrap_err().0;
		assert!(to_self.contains("kasane stake delegate #2 <amount>"), "{to_self}");
		let elsewhere = bond_in(show, &me, &bob, Some((&alice, true))).unwrap_err().0;
		assert!(elsewhere.contains("delegates to #2's pool"), "{elsewhere}");
		assert!(elsewhere.contains("kasane stake redelegate #3"), "{elsewhere}");
		// Nothing left to move: redelegating would fail, so the advice is to withdraw.
		let unbonding = bond_in(show, &me, &bob, Some((&alice, false))).unwrap_err().0;
		assert!(unbonding.contains("#2's pool is unbonding"), "{unbonding}");
		assert!(!unbonding.contains("redelegate"), "{unbonding}");
	}

	#[test]
	fn unlocked_chunks_stay_while_a_slash_holds_their_pool_or_a_held_pool_is_owed() {
		let (alice, bob, carol) = (account(2), account(3), account(4));
		// Stake moved from Carol's pool, answerable until era 7.
		let owed = [(carol, 7)];
		assert!(owes_held_pool(owed, 7, &[carol]), "matured, Carol's pool held: kept");
		assert!(!owes_held_pool(owed, 6, &[carol]), "not matured: answerable, not kept");
		assert!(!owes_held_pool(owed, 7, &[alice]), "matured, Carol's pool free: released");
		// A chunk stays only once unlocked, held by its own pool or by what is owed.
		assert!(held_by_slash(&alice, 7, 7, false, &[alice]));
		assert!(!held_by_slash(&alice, 7, 7, false, &[bob]));
		assert!(held_by_slash(&alice, 7, 7, true, &[]), "it pays for the obligation");
		assert!(
			!held_by_slash(&alice, 8, 7, true, &[alice]),
			"not unlocked: not withdrawable anyway"
		);
	}

	/// A ledger in `pool` with `shares`, chunks (pool, unlock era) and obligations (from, era).
	fn ledger(
		pool: AccountId32,
		shares: u128,
		chunks: &[(AccountId32, u32)],
		obligations: &[(AccountId32, u32)],
	) -> Ledger {
		use kasane::runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_native_staking::types::{RedelegationObligation, UnbondingChunk},
			sp_arithmetic::fixed_point::FixedU128,
		};
		Ledger {
			pool,
			shares,
			held: 1_000,
			reward_snapshot: FixedU128(0),
			pending_rewards: 0,
			unbonding: BoundedVec(
				chunks
					.iter()
					.map(|&(pool, era)| UnbondingChunk { pool, era, shares: 10 })
					.collect(),
			),
			redelegations: BoundedVec(
				obligations
					.iter()
					.map(|&(from, era)| RedelegationObligation { from, era, shares: 10, value: 10 })
					.collect(),
			),
			reward_destination: RewardDestination::Free,
		}
	}

	#[test]
	fn withdrawing_is_refused_before_signing_exactly_when_the_chain_would_release_nothing() {
		let (alice, bob, carol) = (account(2), account(3), account(4));
		let refused = |l: &Ledger, era, frozen: &[AccountId32]| withdraw_blocker(l, era, frozen);
		// Chunks of Alice's (unlocked at 7) and Bob's (at 9) pools, in era 7.
		let two = ledger(alice, 5, &[(alice, 7), (bob, 9)], &[]);
		assert_eq!(refused(&two, 7, &[]), None);
		assert_eq!(refused(&two, 7, &[bob]), None, "Bob's chunk has not unlocked: not held");
		let held = refused(&two, 7, &[alice]).unwrap();
		assert!(held.starts_with("what has unlocked unbonds from a validator"), "{held}");
		let early = refused(&two, 6, &[]).unwrap();
		assert!(early.starts_with("nothing has unlocked yet"), "{early}");
		// Stake moved from Carol's pool, answerable until era 7: once matured and held, every
		// unlocked chunk backs it, and it holds the ledger even with nothing unlocked.
		let moved = ledger(alice, 5, &[(alice, 7)], &[(carol, 7)]);
		assert_eq!(refused(&moved, 7, &[]), None, "matured and free: dropped on settle");
		let unmatured = refused(&moved, 6, &[carol]).unwrap();
		assert!(unmatured.starts_with("nothing has unlocked yet"), "not owed yet: {unmatured}");
		let backs = refused(&moved, 7, &[carol]).unwrap();
		assert!(backs.starts_with("what unlocks backs stake this account moved"), "{backs}");
		let owed = ledger(alice, 5, &[(alice, 9)], &[(carol, 7)]);
		let nothing = refused(&owed, 7, &[carol]).unwrap();
		assert!(nothing.starts_with("what unlocks backs stake"), "{nothing}");
		// A ledger with nothing left closes: the chain accepts it, unless an obligation stays.
		let spent = ledger(alice, 0, &[], &[(carol, 7)]);
		assert_eq!(refused(&spent, 7, &[]), None);
		assert!(refused(&spent, 6, &[]).unwrap().starts_with("nothing has unlocked yet"));
		assert!(refused(&spent, 7, &[carol]).unwrap().starts_with("what unlocks backs"));
	}

	#[test]
	fn only_chunks_of_the_current_pool_not_yet_unlocked_are_rebondable() {
		let (alice, bob) = (account(2), account(3));
		assert!(is_rebondable(&alice, &alice, 8, 7));
		assert!(!is_rebondable(&alice, &alice, 7, 7), "unlocked: withdrawn, not rebonded");
		assert!(!is_rebondable(&alice, &bob, 8, 7), "a pool left since");
	}
}
