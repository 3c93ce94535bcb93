//! Tests by topic, in the mock runtime of `crate::mock` (real restaking and AVS registry).

mod equivocation;
mod reach;
mod records;
mod requests;
mod try_state;
