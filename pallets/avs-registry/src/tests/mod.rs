//! Tests by topic.

mod avs;
mod membership;
mod operator_sets;
mod rewards;
mod scenario;
mod try_state;
mod views;
