//! `kasane account` (KSN balances and transfers) and `kasane key` (keys, offline).

use crate::{
	kasane,
	keys::{self, AnyPair, Scheme, SignerArgs},
	output::{fields, Output},
	units::parse_amount,
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;

/// SS58 prefix for keys shown offline (a unit test holds it to the runtime's).
pub const KASANE_SS58: u16 = 4747;

#[derive(Subcommand)]
pub enum AccountCommand {
	/// Free, reserved (held) and frozen KSN of an account (the signer's by default).
	///
	/// Example: kasane account balance kXKGYCtgue1SRcba3JNpHdLGcwvqQP65QS6DZWvJcoAqRn491
	Balance { who: Option<String> },
	/// Send KSN, keeping the sender's account alive.
	///
	/// Example: KASANE_SURI=//Alice kasane account transfer <address> 12.5
	Transfer { to: String, amount: String },
}

#[derive(Subcommand)]
pub enum KeyCommand {
	/// A new key. Its phrase goes to --out (created with mode 600) or, with --show-phrase, to
	/// the terminal.
	///
	/// Example: kasane key generate --scheme sr25519 --out operator.key
	Generate {
		#[arg(long, value_enum, default_value = "sr25519")]
		scheme: Scheme,
		#[arg(long)]
		out: Option<std::path::PathBuf>,
		#[arg(long)]
		show_phrase: bool,
	},
	/// The public key, account and address of the secret in --suri, KASANE_SURI or --key-file.
	///
	/// Example: kasane key inspect --key-file operator.key
	Inspect {
		#[arg(long, value_enum, default_value = "sr25519")]
		scheme: Scheme,
	},
}

pub fn key(command: &KeyCommand, signer: &SignerArgs, out: Output) -> Result<()> {
	let (pair, scheme, phrase) = match command {
		KeyCommand::Generate { scheme, out: file, show_phrase } => {
			if file.is_none() && !show_phrase {
				return Err(crate::error::BadInput(
					"where should the phrase go? give --out <file> (mode 600) or --show-phrase"
						.into(),
				)
				.into());
			}
			let (phrase, pair) = keys::generate(*scheme);
			if let Some(file) = file {
				keys::write_key_file(file, &phrase)?;
			}
			(pair, *scheme, show_phrase.then_some(phrase))
		}
		KeyCommand::Inspect { scheme } => {
			(AnyPair::from_suri(*scheme, &signer.secret()?)?, *scheme, None)
		}
	};
	let mut described = keys::describe(&pair, scheme, KASANE_SS58);
	let mut as_json: serde_json::Map<String, serde_json::Value> =
		described.iter().map(|(k, v)| (k.replace(' ', "_"), json!(v))).collect();
	if let Some(phrase) = phrase {
		described.push(("phrase", phrase.clone()));
		as_json.insert("phrase".into(), json!(phrase));
	}
	out.result(|| fields(&described), serde_json::Value::Object(as_json));
	Ok(())
}

pub async fn run(ctx: &Ctx, command: AccountCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		AccountCommand::Balance { who } => {
			let who = crate::restake::account_or_signer(ctx, who)?;
			let at = chain.at_best().await?;
			let account =
				at.storage().fetch(kasane::storage().system().account(), (who,)).await?.decode()?;
			let data = account.data;
			let native = &chain.native;
			ctx.out.result(
				|| {
					fields(&[
						("address", chain.show_account(&who)),
						("free", native.show(data.free)),
						("held", native.show(data.reserved)),
						("frozen", native.show(data.frozen)),
					])
				},
				json!({
					"address": chain.show_account(&who),
					"free": data.free.to_string(),
					"held": data.reserved.to_string(),
					"frozen": data.frozen.to_string(),
					"symbol": native.symbol,
					"decimals": native.decimals,
				}),
			);
		}
		AccountCommand::Transfer { to, amount } => {
			let to = chain.parse_account(&to)?;
			let amount = parse_amount(&amount, chain.native.decimals)?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().balances().transfer_keep_alive(to.into(), amount);
			ctx.report(
				chain.submit(&call, &signer, ctx.wait, &ctx.out).await?,
				json!({
					"to": chain.show_account(&to),
					"amount": amount.to_string(),
				}),
			);
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	#[test]
	fn offline_keys_use_the_runtimes_ss58_prefix() {
		assert_eq!(super::KASANE_SS58, kasane_runtime::SS58_PREFIX);
	}
}
