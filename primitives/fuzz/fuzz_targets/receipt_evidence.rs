//! libFuzzer's bytes as receipt evidence from anyone: decoded, put in a receipts trie, proven
//! and proven again with a node changed, every log read as the vault's events
//! (`kasane_primitives::bridge::proof::fuzzing` says how, and what must hold). A panic is a
//! crash.

#![no_main]

use kasane_primitives::bridge::proof::fuzzing::receipt_evidence;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| receipt_evidence(bytes));
