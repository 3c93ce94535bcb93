//! # Kasane relayer
//!
//! Runs next to an attester's key and carries the LST bridge's messages both ways:
//!
//! - **Ethereum → Kasane**: polls `KasaneVault`'s `Deposited` and `RateReported` logs up to
//!   `confirmations` blocks below the head (a deposit reorganised away before that depth is
//!   never seen), signs each as an attester (the digests of [`kasane_primitives::bridge`]) and
//!   submits `LstBridge.attest_deposit` / `attest_rate`. Before it submits, it asks Kasane
//!   whether the deposit is still open and whether its key already signed it, so a restart or a
//!   second relayer never submits the same attestation twice.
//! - **Kasane → Ethereum**: signs every withdrawal that lacks a quorum (`LstBridgeApi`
//!   `unsigned_withdrawals`, submitting `attest_withdrawal` unless its own signature, which is
//!   deterministic, is already there), and calls `KasaneVault.release` for ready withdrawals
//!   the vault has not released yet.
//!
//! Progress (the next Ethereum block to scan, the last rate timestamp attested per token, the
//! first withdrawal not known to be released) is kept in a JSON state file written after each
//! step, so a restart resumes where it stopped. Every RPC failure, on either side, ends the
//! current step; the relayer logs it, drops the connection, waits and reconnects.

pub mod config;
pub mod ethereum;
pub mod kasane;
pub mod relay;
pub mod state;
