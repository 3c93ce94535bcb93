//! # Kasane relayer
//!
//! Runs next to an attester's key and carries the LST bridge's messages both ways:
//!
//! - **Ethereum → Kasane**: polls `KasaneVault`'s `Deposited`, `RateReported` and `Released`
//!   logs up to `confirmations` blocks below the head (a deposit reorganised away before that
//!   depth is never seen), signs each as an attester (the digests of
//!   [`kasane_primitives::bridge`]) and submits `LstBridge.attest_deposit` / `attest_rate` /
//!   `attest_release`. Of rate reports it signs, per token, only the first of each rate round
//!   (`LstBridge::RateRound` Ethereum blocks), which every attester agrees on however many
//!   reports anyone else makes the vault emit. Before it submits a deposit, it asks Kasane
//!   whether the deposit is still open and whether its key already signed it, so a restart or a
//!   second relayer never submits the same attestation twice. Deposits stay on its list until
//!   Kasane accepted them: when the attester set changes (or root clears a halted nonce) and
//!   what was collected stops counting, it signs them again.
//! - **Attester set**: when the bridge's operator set on Kasane no longer matches the attesters
//!   (`LstBridgeApi.rotation_due`), proposes the hand-over (`rotate_attesters`); as a current
//!   attester, signs a pending hand-over (`attest_rotation`) only if it passes the local
//!   [`config::RotationPolicy`] (at most a share of the set changes, every next attester has
//!   stake at risk) and the digest it signs is its own computation from the hand-over's
//!   fields; and carries each signed hand-over the vault has not had, in order, to
//!   `KasaneVault.queueRotation`, then to `executeRotation` once the vault's time lock is over.
//!   A hand-over queued in the vault that Kasane did not sign is reported loudly: the vault's
//!   guardian cancels it.
//! - **Digests**: every digest this attester signs (deposits, rates, withdrawals, receipts,
//!   hand-overs) is computed here from the message, the relayer's own chain id and vault
//!   address and the genesis hash of the Kasane chain it is connected to, never taken from the
//!   Kasane RPC.
//! - **Kasane → Ethereum**: signs every withdrawal that lacks a quorum (`LstBridgeApi`
//!   `unsigned_withdrawals`, submitting `attest_withdrawal` unless its own signature, which is
//!   deterministic, is already there), and calls `KasaneVault.release` for ready withdrawals
//!   the vault has not released yet, in order, naming its own Kasane account as the
//!   beneficiary of the withdrawal's fee. A release the vault keeps refusing (a recipient the
//!   token blacklisted, say) is skipped after a few attempts, so later withdrawals are not held
//!   up, and retried with a doubling delay.
//!
//! - **Proofs**: under a policy that acts only on proven messages, it scans to Ethereum's
//!   `finalized` block and proves each deposit and rate report by its receipt: under a header
//!   the attesters signed (signing it too as an attester), or, with a beacon source
//!   ([`beacon`]) and a beacon-only policy, under a beacon-finalized header the light client
//!   verifies. Under `BeaconCoSigned` an attester still signs headers (the co-sign of large
//!   deposits), and a deposit Kasane refused for want of that co-sign is proven again only
//!   once its header is attested; without a beacon source it leaves proving to beacon
//!   relayers. Under a policy it does not know (a runtime newer than the relayer) it proves
//!   nothing and says so. Under attested headers each deposit has a designated prover, the
//!   others stepping in one after another if it is late ([`turns`]), so that relayers rarely
//!   pay for a second proof. An attester signs no more headers than its bound of open ones
//!   leaves room for, and drops its own expired tallies when out of room ([`open_headers`]).
//!
//! - **Waiting deposits**: retries (`retry_deposit`) the deposits Kasane accepted but holds
//!   back (bridge paused, cap reached, recipient unable to receive, above the 24-hour limit)
//!   once a retry would move them on, one designated relayer per deposit first ([`waiting`],
//!   [`turns`]).
//! - **Contradicting attesters**: reports (`report_contradiction`,
//!   `report_header_contradiction`) each attester Kasane recorded as signing a deposit or a
//!   header other than the one a quorum decided, so that it is slashed through the operator
//!   set it was drawn from, by turns ([`reports`]).
//!
//! Progress (the next Ethereum block to scan, the last rate round attested per token, the
//! first withdrawal not known to be released, releases that failed, the chain id Ethereum
//! served) is kept in a JSON state file written after each step, so a restart resumes where
//! it stopped. A Kasane RPC failure ends the step: the relayer logs it, drops both
//! connections, waits and reconnects. An Ethereum failure ends only the duties that need
//! Ethereum: the relayer still proposes and signs hand-overs, signs withdrawals (the others
//! release them), retries waiting deposits and reports contradicting attesters on Kasane,
//! under the chain id it last saw, and tries Ethereum again after a wait that doubles with
//! each failure in a row.

pub mod beacon;
pub mod config;
pub mod ethereum;
pub mod kasane;
pub mod open_headers;
pub mod refusals;
pub mod relay;
pub mod reports;
pub mod state;
pub mod turns;
pub mod waiting;

use anyhow::{bail, Result};
use std::time::Duration;

/// A client for Ethereum RPC and beacon API endpoints, `http://` or `https://`, from
/// `builder`: TLS by rustls with ring (the provider the rest of the tree builds), servers'
/// certificates checked against the system's roots, or the ones `SSL_CERT_FILE` or
/// `SSL_CERT_DIR` name instead (a private CA's, say). With no roots at all `http://` still
/// works, and `https://` fails its handshake naming the certificate.
pub fn http_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
	static TLS: std::sync::OnceLock<rustls::ClientConfig> = std::sync::OnceLock::new();
	builder
		.tls_backend_preconfigured(TLS.get_or_init(tls_config).clone())
		.build()
		.map_err(|e| anyhow::anyhow!("building an HTTP client: {e}"))
}

/// [`http_client`]'s TLS, the system's roots read once.
fn tls_config() -> rustls::ClientConfig {
	// Also the process's default, so that no client built elsewhere (alloy's own, say) finds
	// none: reqwest would panic. An error says one is installed already.
	let _ = rustls::crypto::ring::default_provider().install_default();
	let found = rustls_native_certs::load_native_certs();
	for error in &found.errors {
		tracing::warn!(%error, "reading the system's TLS roots");
	}
	let mut roots = rustls::RootCertStore::empty();
	roots.add_parsable_certificates(found.certs);
	if roots.is_empty() {
		tracing::warn!(
			"no TLS roots (the system's, or SSL_CERT_FILE's / SSL_CERT_DIR's): https:// endpoints \
			 will be refused"
		);
	}
	let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
	let mut tls = rustls::ClientConfig::builder_with_provider(provider)
		.with_safe_default_protocol_versions()
		.expect("ring supports TLS 1.2 and 1.3")
		.with_root_certificates(roots)
		.with_no_client_auth();
	// reqwest is built without HTTP/2.
	tls.alpn_protocols = vec![b"http/1.1".to_vec()];
	tls
}

/// Longest a read may take before the connection is deemed dead.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest a transaction may take to be included (several 6-second blocks).
pub const SUBMIT_TIMEOUT: Duration = Duration::from_secs(90);
/// Longest wait after failures in a row, before a failed step is tried again or a failed
/// Ethereum side is reconnected.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// `fut`, or an error naming `what` once `limit` passed: a connection that died without
/// closing must not stall the relayer.
pub async fn within<T>(
	what: &str,
	limit: Duration,
	fut: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
	match tokio::time::timeout(limit, fut).await {
		Ok(result) => result,
		Err(_) => bail!("{what}: no answer within {} s", limit.as_secs()),
	}
}

#[cfg(test)]
mod tests {
	/// A reqwest built against another rustls than this crate's would take the preconfigured
	/// TLS for an unknown backend: every client, `http://` ones too, would fail to build.
	#[test]
	fn http_clients_build_with_the_preconfigured_tls() {
		super::http_client(Default::default()).unwrap();
		super::http_client(reqwest::Client::builder().timeout(super::READ_TIMEOUT)).unwrap();
	}
}
