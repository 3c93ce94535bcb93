mod admin;
mod deposits;
mod rates;
mod refunds;
mod releases;
mod rotation;
mod safety;
mod withdrawals;
