//! Secrets: the account that signs (`--suri`, `KASANE_SURI` or a key file only its owner can
//! read), AVS keys and their proofs of possession, and `kasane key generate|inspect`. No
//! secret is ever printed, except the phrase `key generate` was asked to show.

use crate::error::BadInput;
use anyhow::{Context, Result};
use sp_core::{
	crypto::{Ss58AddressFormat, Ss58Codec},
	ecdsa, ed25519, sr25519, Pair,
};
use std::{path::Path, str::FromStr};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Where the signing account's secret comes from. Not `Debug`: it holds the secret.
#[derive(clap::Args, Clone, Default)]
pub struct SignerArgs {
	/// Secret URI of the signing account (a phrase, a `0x` seed, `//Alice` on dev chains).
	/// Without it: --key-file, else the KASANE_SURI environment variable. Prefer those:
	/// arguments are visible to other users of the machine.
	#[arg(long, global = true, conflicts_with = "key_file")]
	pub suri: Option<String>,
	/// A file holding the secret URI; it must not be readable by group or others (chmod 600).
	#[arg(long, global = true)]
	pub key_file: Option<std::path::PathBuf>,
}

impl SignerArgs {
	/// Whether an account was given at all.
	pub fn is_given(&self) -> bool {
		self.suri.is_some() || self.key_file.is_some() || std::env::var_os("KASANE_SURI").is_some()
	}

	/// The secret URI, from `--suri`/`KASANE_SURI` or the key file.
	pub fn secret(&self) -> Result<String> {
		let from_env = std::env::var("KASANE_SURI").ok().filter(|s| !s.is_empty());
		match (&self.suri, &self.key_file, from_env) {
			(Some(suri), _, _) => Ok(suri.clone()),
			(None, Some(path), _) => read_key_file(path),
			(None, None, Some(suri)) => Ok(suri),
			(None, None, None) => Err(BadInput(
				"this command signs a transaction: give the account with --suri, KASANE_SURI or --key-file"
					.into(),
			)
			.into()),
		}
	}

	/// The sr25519 account that signs transactions.
	pub fn keypair(&self) -> Result<Keypair> {
		let secret = self.secret()?;
		let uri = SecretUri::from_str(&secret)
			.map_err(|_| BadInput("the secret URI is malformed".into()))?;
		Ok(Keypair::from_uri(&uri)
			.map_err(|_| BadInput("the secret URI does not give an sr25519 key".into()))?)
	}
}

/// Reads a secret URI from `path`, refusing a file others can read.
pub fn read_key_file(path: &Path) -> Result<String> {
	use std::{io::Read, os::unix::fs::PermissionsExt};
	// The permissions of the file opened: it cannot be swapped between the check and the read.
	let mut file = std::fs::File::open(path)
		.with_context(|| format!("reading key file {}", path.display()))?;
	let mode = file.metadata()?.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		return Err(BadInput(format!(
			"key file {} is readable by others (mode {mode:o}): run `chmod 600 {}`",
			path.display(),
			path.display()
		))
		.into());
	}
	let mut text = String::new();
	file.read_to_string(&mut text)
		.with_context(|| format!("reading key file {}", path.display()))?;
	Ok(text.trim().to_string())
}

/// Signature schemes of accounts and AVS keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scheme {
	Sr25519,
	Ed25519,
	Ecdsa,
}

/// A key of any scheme, from a secret URI.
pub enum AnyPair {
	Sr25519(sr25519::Pair),
	Ed25519(ed25519::Pair),
	Ecdsa(ecdsa::Pair),
}

impl AnyPair {
	pub fn from_suri(scheme: Scheme, suri: &str) -> Result<Self, BadInput> {
		let bad =
			|_| BadInput(format!("the secret URI does not give an {scheme:?} key").to_lowercase());
		Ok(match scheme {
			Scheme::Sr25519 => Self::Sr25519(sr25519::Pair::from_string(suri, None).map_err(bad)?),
			Scheme::Ed25519 => Self::Ed25519(ed25519::Pair::from_string(suri, None).map_err(bad)?),
			Scheme::Ecdsa => Self::Ecdsa(ecdsa::Pair::from_string(suri, None).map_err(bad)?),
		})
	}

	/// The public key's bytes (33 for ecdsa, compressed).
	pub fn public(&self) -> Vec<u8> {
		match self {
			Self::Sr25519(p) => p.public().0.to_vec(),
			Self::Ed25519(p) => p.public().0.to_vec(),
			Self::Ecdsa(p) => p.public().0.to_vec(),
		}
	}

	/// The account the key controls: the public key, or blake2-256 of it for ecdsa.
	pub fn account(&self) -> [u8; 32] {
		match self {
			Self::Sr25519(p) => p.public().0,
			Self::Ed25519(p) => p.public().0,
			Self::Ecdsa(p) => {
				use sp_runtime::traits::IdentifyAccount;
				sp_runtime::MultiSigner::Ecdsa(p.public()).into_account().into()
			}
		}
	}

	/// The AVS key and its signature of `message`, as the AVS registry takes them.
	pub fn operator_key_and_signature(
		&self,
		message: &[u8],
	) -> (kasane_primitives::avs::OperatorKey, kasane_primitives::avs::OperatorSignature) {
		use kasane_primitives::avs::{OperatorKey, OperatorSignature};
		match self {
			Self::Sr25519(p) => {
				(OperatorKey::Sr25519(p.public()), OperatorSignature::Sr25519(p.sign(message)))
			}
			Self::Ed25519(p) => {
				(OperatorKey::Ed25519(p.public()), OperatorSignature::Ed25519(p.sign(message)))
			}
			Self::Ecdsa(p) => {
				(OperatorKey::Ecdsa(p.public()), OperatorSignature::Ecdsa(p.sign(message)))
			}
		}
	}
}

/// What `key inspect` and `key generate` print about a key (no secret).
pub fn describe(pair: &AnyPair, scheme: Scheme, ss58: u16) -> Vec<(&'static str, String)> {
	let account = sp_core::crypto::AccountId32::from(pair.account());
	vec![
		("scheme", format!("{scheme:?}").to_lowercase()),
		("public key", format!("0x{}", hex::encode(pair.public()))),
		("account id", format!("0x{}", hex::encode(pair.account()))),
		("address", account.to_ss58check_with_version(Ss58AddressFormat::custom(ss58))),
	]
}

/// A new key: its recovery phrase and pair.
pub fn generate(scheme: Scheme) -> (String, AnyPair) {
	let (phrase, pair) = match scheme {
		Scheme::Sr25519 => {
			let (pair, phrase, _) = sr25519::Pair::generate_with_phrase(None);
			(phrase, AnyPair::Sr25519(pair))
		}
		Scheme::Ed25519 => {
			let (pair, phrase, _) = ed25519::Pair::generate_with_phrase(None);
			(phrase, AnyPair::Ed25519(pair))
		}
		Scheme::Ecdsa => {
			let (pair, phrase, _) = ecdsa::Pair::generate_with_phrase(None);
			(phrase, AnyPair::Ecdsa(pair))
		}
	};
	(phrase, pair)
}

/// Writes `secret` to a new file at `path` readable by its owner only.
pub fn write_key_file(path: &Path, secret: &str) -> Result<()> {
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.with_context(|| format!("creating key file {} (it must not exist yet)", path.display()))?;
	writeln!(file, "{secret}")?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_key_file_others_can_read_is_refused() {
		use std::os::unix::fs::PermissionsExt;
		let dir = std::env::temp_dir().join(format!("kasane-cli-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("key");
		let _ = std::fs::remove_file(&path);
		write_key_file(&path, "//Alice").unwrap();
		assert_eq!(read_key_file(&path).unwrap(), "//Alice");
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let err = read_key_file(&path).unwrap_err();
		assert!(err.downcast_ref::<BadInput>().unwrap().0.contains("chmod 600"), "{err}");
		assert!(write_key_file(&path, "//Bob").is_err(), "an existing file is never overwritten");
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn dev_keys_give_the_well_known_accounts() {
		let alice = AnyPair::from_suri(Scheme::Sr25519, "//Alice").unwrap();
		let described = describe(&alice, Scheme::Sr25519, 42);
		assert_eq!(described[3].1, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(AnyPair::from_suri(Scheme::Ed25519, "not a uri at all !").is_err());
	}

	#[test]
	fn the_signer_is_the_account_key_inspect_shows() {
		// Transactions are signed with subxt-signer, `key inspect` derives with sp-core: both
		// must read every secret URI form the same way.
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		for suri in ["//Alice", "//Alice//stash", &format!("{phrase}//kasane///pass"), phrase] {
			let signer = SignerArgs { suri: Some(suri.into()), key_file: None }.keypair().unwrap();
			let shown = AnyPair::from_suri(Scheme::Sr25519, suri).unwrap();
			assert_eq!(signer.public_key().0, shown.account(), "{suri}");
		}
	}
}
