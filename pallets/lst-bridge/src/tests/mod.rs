mod admin;
mod deposits;
mod rates;
mod rotation;
mod safety;
mod withdrawals;
