//! `kasane status`: what a validator operator or an integrator checks first, the chain's
//! delays included.

use crate::{kasane, output::fields, Ctx};
use anyhow::{anyhow, Result};
use serde_json::json;

pub async fn run(ctx: &Ctx) -> Result<()> {
	let chain = &ctx.chain;
	let name = chain.rpc.system_chain().await?;
	let version = chain.rpc.state_get_runtime_version(None).await?;
	let best = chain.best_number().await?;
	let finalized_hash = chain.rpc.chain_get_finalized_head().await?;
	let finalized = chain
		.rpc
		.chain_get_header(Some(finalized_hash))
		.await?
		.ok_or_else(|| anyhow!("no finalized header"))?
		.number;
	let finalized = u32::try_from(finalized)?;
	let at = chain.at_best().await?;
	let storage = at.storage();
	let era = storage
		.try_fetch(kasane::storage().staking().active_era(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?
		.map(|e| e.index);
	let session = storage.fetch(kasane::storage().session().current_index(), ()).await?.decode()?;
	let validators =
		storage.fetch(kasane::storage().session().validators(), ()).await?.decode()?.len();
	let bridge = storage.fetch(kasane::storage().lst_bridge().mode(), ()).await?.decode()?;
	let slashing = storage.fetch(kasane::storage().slashing().global_mode(), ()).await?.decode()?;
	// The chain's delays (genesis parameters: minutes on devnets, days on a real network).
	let delays =
		storage.fetch(kasane::storage().chain_parameters().current_delays(), ()).await?.decode()?;
	// The era clock (genesis too): unbonded KSN waits `bonding_eras` whole eras.
	let staking = kasane::storage().staking();
	let sessions_per_era: u32 = storage.fetch(staking.sessions_per_era(), ()).await?.decode()?;
	let session_length: u32 = storage.fetch(staking.session_length(), ()).await?.decode()?;
	let bonding_eras: u32 = storage.fetch(staking.bonding_eras(), ()).await?.decode()?;
	let era_blocks = sessions_per_era.saturating_mul(session_length);
	let show = |blocks: u32| format!("{} ({blocks} blocks)", chain.duration(blocks));
	let bridge = format!("{bridge:?}");
	let slashing = format!("{slashing:?}");
	ctx.out.result(
		|| {
			fields(&[
				("chain", name.clone()),
				("node", chain.url.clone()),
				("runtime", format!("kasane v{}", version.spec_version)),
				("best block", format!("#{best}")),
				("finalized", format!("#{finalized}")),
				("era", era.map(|e| e.to_string()).unwrap_or_else(|| "-".into())),
				("session", session.to_string()),
				("validators", validators.to_string()),
				("block time", format!("{} s", chain.block_ms as f64 / 1000.0)),
				("bridge", bridge.clone()),
				("slashing", slashing.clone()),
				("withdrawal delay", show(delays.withdrawal)),
				("allocation delay", show(delays.allocation)),
				("deallocation delay", show(delays.deallocation)),
				("longest veto window", show(delays.max_veto_window)),
				("commission delay", show(delays.commission_change)),
				("era length", show(era_blocks)),
				(
					"native unbonding",
					format!(
						"{bonding_eras} eras (up to {})",
						chain.duration(era_blocks.saturating_mul(bonding_eras))
					),
				),
			])
		},
		json!({
			"chain": name,
			"spec_version": version.spec_version,
			"best": best,
			"finalized": finalized,
			"era": era,
			"session": session,
			"validators": validators,
			"block_ms": chain.block_ms,
			"bridge_mode": bridge,
			"slashing_mode": slashing,
			"ss58_prefix": chain.ss58,
			"delays": {
				"withdrawal": delays.withdrawal,
				"allocation": delays.allocation,
				"deallocation": delays.deallocation,
				"max_veto_window": delays.max_veto_window,
				"commission_change": delays.commission_change,
			},
			"era_blocks": era_blocks,
			"bonding_eras": bonding_eras,
		}),
	);
	Ok(())
}
