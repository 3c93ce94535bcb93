//! What must hold after every block, beyond each of Kasane's pallets' own `try_state` (run here
//! for all six): KSN is conserved (the accounts hold exactly the total issuance, and the issuance
//! moves only by what the pallets say they minted and burned, as one equation), every LST's
//! supply is what the accounts hold and is accounted for across pallets ([`lst_ledgers`]), and no
//! account is left below the existential deposit.

use frame_support::traits::fungible::NativeOrWithId;
use kasane_runtime::{Balance, Runtime, RuntimeEvent, System};
use pallet_restaking::StrategyKind;

use crate::actions::{BRIDGED_ASSET, LST_ASSETS, TOKEN};

/// KSN minted and burned in one block, by what the pallets' events say.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuanceMoves {
	pub minted: Balance,
	pub burned: Balance,
}

/// Reads this block's events: the KSN each pallet reports minting and burning.
///
/// Minted: a validator's era commission (`ValidatorRewarded.commission`), a native staker's
/// claimed rewards (`Staking::RewardsClaimed`), a restaker's KSN rewards
/// (`Restaking::RewardsClaimed` of the native asset) and a native slash's reward to whoever
/// reported or executed it (`OperatorSlashed.reward` of native stake). Burned: a native
/// staker's share of a pool slash when settled (`SlashSettled`), the stakers' share of a KSN
/// reward taken from the AVS escrow until claimed (`OperatorRewarded.to_stakers`), a forfeited
/// slash-request deposit (`BurnedHeld`), and dust (`DustLost`). Fees go to the block author and
/// change nothing.
pub fn issuance_moves() -> IssuanceMoves {
	use pallet_native_staking::Event as Staking;
	use pallet_restaking::Event as Restaking;
	let mut moves = IssuanceMoves::default();
	for record in System::read_events_no_consensus() {
		match record.event {
			RuntimeEvent::Staking(Staking::ValidatorRewarded { commission, .. }) => {
				moves.minted += commission
			}
			RuntimeEvent::Staking(Staking::RewardsClaimed { amount, .. }) => moves.minted += amount,
			RuntimeEvent::Restaking(Restaking::RewardsClaimed {
				asset: NativeOrWithId::Native,
				amount,
				..
			}) => moves.minted += amount,
			RuntimeEvent::Restaking(Restaking::OperatorSlashed {
				native: true, reward, ..
			}) => moves.minted += reward,
			RuntimeEvent::Staking(Staking::SlashSettled { amount, .. }) => moves.burned += amount,
			RuntimeEvent::Restaking(Restaking::OperatorRewarded {
				asset: NativeOrWithId::Native,
				to_stakers,
				..
			}) => moves.burned += to_stakers,
			RuntimeEvent::Balances(pallet_balances::Event::BurnedHeld { amount, .. }) => {
				moves.burned += amount
			}
			RuntimeEvent::Balances(pallet_balances::Event::DustLost { amount, .. }) => {
				moves.burned += amount
			}
			_ => {}
		}
	}
	moves
}

/// Where one LST's units are, by the pallets' own books.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct LstLedger {
	/// What the bridge minted less what it burned for withdrawals (0 for an LST endowed at
	/// genesis, which the bridge never mints).
	pub bridged: u128,
	/// The asset's supply: what accounts hold (restaking burns deposits and mints withdrawals).
	pub supply: u128,
	/// What restaking's strategies of the asset hold for their stakers.
	pub restaked: u128,
	/// Restaking rewards in the asset credited to stakers and not claimed (burned until then).
	pub rewards_owed: u128,
}

impl LstLedger {
	/// Units the vault (or genesis) backs that none of the books holds: only slashes that
	/// burned restaked units take any away, and nothing ever adds one.
	pub fn unheld(&self) -> i128 {
		self.bridged as i128 - (self.supply + self.restaked + self.rewards_owed) as i128
	}
}

/// Each LST's ledger, in the order of [`LST_ASSETS`].
pub fn lst_ledgers() -> [LstLedger; LST_ASSETS.len()] {
	let strategies: Vec<_> = pallet_restaking::Strategies::<Runtime>::iter_values().collect();
	LST_ASSETS.map(|asset| {
		let bridged = if asset == BRIDGED_ASSET {
			pallet_lst_bridge::Tokens::<Runtime>::get(TOKEN)
				.map_or(0, |t| t.minted.saturating_sub(t.burned))
		} else {
			0
		};
		LstLedger {
			bridged,
			supply: pallet_assets::Asset::<Runtime>::get(asset).map_or(0, |a| a.supply),
			restaked: strategies
				.iter()
				.filter(|s| s.kind == StrategyKind::Asset(asset))
				.map(|s| s.held)
				.sum(),
			rewards_owed: pallet_restaking::RewardsOutstanding::<Runtime>::get(
				NativeOrWithId::WithId(asset),
			),
		}
	})
}

/// Every pallet's own invariants. Built with `try-runtime`: all pallets' `try_state`, as
/// `try-runtime` runs them (upstream ones too: balances' holds and freezes, assets' supply
/// against their balances, session's keys and owners, Aura's author, …). Without it,
/// Kasane's pallets' `do_try_state`, which they build with `std`.
#[cfg(feature = "try-runtime")]
fn try_state() -> Result<(), String> {
	use frame_support::traits::{TryState, TryStateSelect};
	<kasane_runtime::AllPalletsWithSystem as TryState<kasane_runtime::BlockNumber>>::try_state(
		System::block_number(),
		TryStateSelect::All,
	)
	.map_err(|e| format!("try_state: {e:?}"))
}

#[cfg(not(feature = "try-runtime"))]
fn try_state() -> Result<(), String> {
	let checked = [
		("Staking", kasane_runtime::Staking::do_try_state()),
		("Restaking", kasane_runtime::Restaking::do_try_state()),
		("AvsRegistry", kasane_runtime::AvsRegistry::do_try_state()),
		("Slashing", kasane_runtime::Slashing::do_try_state()),
		("LstBridge", kasane_runtime::LstBridge::do_try_state()),
		("ChainParameters", kasane_runtime::ChainParameters::do_try_state()),
	];
	for (pallet, result) in checked {
		result.map_err(|e| format!("{pallet} try_state: {e:?}"))?;
	}
	Ok(())
}

/// Restaked units of `asset` this block's slashes took (burned, or paid out and minted).
fn slashed_this_block(asset: u32) -> u128 {
	System::read_events_no_consensus()
		.filter_map(|record| match record.event {
			RuntimeEvent::Restaking(pallet_restaking::Event::OperatorSlashed {
				strategy,
				amount,
				native: false,
				..
			}) => pallet_restaking::Strategies::<Runtime>::get(strategy)
				.filter(|s| s.kind == StrategyKind::Asset(asset))
				.map(|_| amount),
			_ => None,
		})
		.sum()
}

/// Every check after a block; `issuance_before` is the KSN total issuance before it and
/// `lsts_before` the LST ledgers.
pub fn after_block(
	issuance_before: Balance,
	lsts_before: &[LstLedger; LST_ASSETS.len()],
) -> Result<(), String> {
	try_state()?;

	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	let ed: Balance = <Runtime as pallet_balances::Config>::ExistentialDeposit::get();
	let mut held_by_accounts: Balance = 0;
	for (who, info) in frame_system::Account::<Runtime>::iter() {
		let total = info.data.free + info.data.reserved;
		held_by_accounts += total;
		if total > 0 && total < ed {
			return Err(format!("{who} holds {total}, below the existential deposit {ed}"));
		}
	}
	if held_by_accounts != issuance {
		return Err(format!(
			"KSN: accounts hold {held_by_accounts} but the total issuance is {issuance}"
		));
	}
	let moves = issuance_moves();
	let expected = issuance_before + moves.minted - moves.burned;
	if issuance != expected {
		return Err(format!(
			"KSN issuance {issuance}, expected {issuance_before} + {} minted - {} burned = {expected}",
			moves.minted, moves.burned
		));
	}

	for asset in LST_ASSETS {
		let supply = pallet_assets::Asset::<Runtime>::get(asset).map_or(0, |a| a.supply);
		let held: Balance =
			pallet_assets::Account::<Runtime>::iter_prefix_values(asset).map(|a| a.balance).sum();
		if held != supply {
			return Err(format!("asset {asset}: accounts hold {held}, supply is {supply}"));
		}
	}

	// Across the bridge, the accounts and restaking: a block may only lose units to a slash of
	// restaked ones, at most what it slashed, and never create any.
	for ((asset, before), after) in LST_ASSETS.iter().zip(lsts_before).zip(lst_ledgers()) {
		let lost = after.unheld() - before.unheld();
		let slashed = slashed_this_block(*asset) as i128;
		if lost < 0 || lost > slashed {
			return Err(format!(
				"asset {asset}: {lost} units left the books ({slashed} slashed this block): \
				 before {before:?}, after {after:?}"
			));
		}
	}
	Ok(())
}
