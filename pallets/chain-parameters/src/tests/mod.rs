//! Tests by topic, in the mock runtime of `crate::mock`.

mod genesis;
mod orderings;
mod try_state;
