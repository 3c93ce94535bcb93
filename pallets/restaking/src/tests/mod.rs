//! Tests by topic; each runs in `ExtBuilder::build_and_execute`, which checks `try_state` at the end.

mod allocations;
mod liquid;
mod migrations;
mod model;
mod native;
mod operators;
mod rewards;
mod slashing;
mod strategies;
mod try_state;
