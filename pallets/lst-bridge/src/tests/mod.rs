mod admin;
mod deposits;
mod rates;
mod safety;
mod withdrawals;
