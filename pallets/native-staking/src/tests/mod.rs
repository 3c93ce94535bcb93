//! Unit tests by topic against the mock runtime; each runs `do_try_state` at the end.

mod bonding;
mod delegation;
mod election;
mod era_clock;
mod migrations;
mod offences;
mod properties;
mod restaked;
mod rewards;
mod shares;
mod try_state;
