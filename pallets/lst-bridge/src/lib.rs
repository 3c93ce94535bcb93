//! # LST bridge (`pallet-lst-bridge`)
//!
//! Mirrors Ethereum liquid-staking tokens locked in `KasaneVault` (`contracts/`) as Kasane
//! assets that restaking can restake, and sends them back.
//!
//! ## Terminology
//!
//! - **Vault**: `KasaneVault` on Ethereum, which holds the locked LSTs ([`Endpoint`]).
//! - **Token / asset**: an Ethereum LST and the Kasane asset that mirrors it ([`Tokens`],
//!   [`AssetTokens`]).
//! - **Attester**: an Ethereum address whose signature counts as evidence ([`Attesters`]); the
//!   attesters are the members of the bridge's operator set.
//! - **Nonce**: the vault's sequence number of a deposit (inbound) or Kasane's of a withdrawal
//!   (outbound); each is processed once ([`ProcessedNonces`]).
//! - **Waiting deposit**: an accepted deposit not minted yet, because of a pause, a cap or the
//!   daily limit ([`Waiting`]).
//! - **Halt**: a deposit nonce whose attesters signed three different contents; root clears it
//!   ([`Halted`]).
//! - **Rotation**: the hand-over of the vault's attester set to the current operator set
//!   ([`PendingRotation`], [`Rotations`]).
//!
//! ## Calls
//!
//! - Relayers and attesters: [`Call::attest_deposit`], [`Call::attest_rate`],
//!   [`Call::attest_header`], [`Call::attest_withdrawal`], [`Call::attest_release`],
//!   [`Call::attest_rotation`].
//! - Users: [`Call::withdraw_to_ethereum`].
//! - Anyone: [`Call::prove_deposit`], [`Call::prove_rate`], [`Call::prove_deposit_beacon`],
//!   [`Call::prove_rate_beacon`], [`Call::retry_deposit`],
//!   [`Call::rotate_attesters`], [`Call::report_contradiction`],
//!   [`Call::report_header_contradiction`], [`Call::drop_header_tally`].
//! - Guardian: [`Call::pause`].
//! - Admin ([`Config::AdminOrigin`], root in the runtime): [`Call::register_token`], [`Call::update_token`], [`Call::set_endpoint`],
//!   [`Call::set_attesters`], [`Call::set_guardian`], [`Call::pause`], [`Call::resume`],
//!   [`Call::clear_halt`], [`Call::clear_header_halt`], [`Call::cancel_deposit`],
//!   [`Call::force_set_rate`], [`Call::refuse_rotation`], [`Call::set_policy`],
//!   [`Call::set_beacon_forks`].
//!
//! ## Inbound: deposits and rates
//!
//! A `Deposited(nonce, token, recipient, amount, depositor)` event of the vault becomes a
//! [`DepositMessage`] (with the hash of the Ethereum block it is in). Relayers submit it with
//! evidence through `attest_deposit`; the bridge checks everything it can itself (the endpoint
//! is configured, the nonce neither spent nor halted nor more than [`Config::MaxNoncesAhead`]
//! beyond the lowest open one, the amount positive, the recipient an account) and hands the
//! rest to [`Config::Verifier`]. The runtime's verifier is [`AttesterQuorum`]: each piece of
//! evidence is one attester's signature over the message's digest
//! ([`kasane_primitives::bridge`] documents the formats, all bound to the vault and to this
//! chain's genesis hash), and the message is accepted when `quorum` distinct attesters of the
//! current set signed the same digest. Per nonce, up to two contents are tallied: when a
//! quorum accepts one, whoever signed the other signed a deposit that did not happen and is
//! recorded in [`Contradictions`], with the operator set they were drawn from, for anyone to
//! have slashed through that set (`report_contradiction`, naming the attester's key). A
//! third content halts the nonce (root clears it with `clear_halt`); an attester signing two
//! contents is double signing, recorded in [`DoubleSigns`] and handed to
//! [`Config::Equivocation`] (the runtime slashes the operator of the bridge's operator set
//! holding that key, departed operators still slashable included). While that slash cannot
//! follow for the moment (slashing disabled or log-only, say), a double signature is refused as
//! a whole and a report fails, keeping its record: neither is ever free. A signature that
//! counts is free for the relayer; invalid evidence pays its fee and changes nothing.
//!
//! An accepted deposit spends its nonce (a bitmap, [`ProcessedNonces`]) and is minted to the
//! recipient unless:
//! - the bridge is paused, the mint would take the token's outstanding supply over its cap, or
//!   the recipient cannot hold it yet: it **waits** ([`Waiting`]) and anyone can retry it with
//!   `retry_deposit` once that changed;
//! - it would take the token's mints over the last 24 hours (hourly buckets of
//!   [`Config::BucketLength`] blocks) above its daily limit: it waits [`Config::MintDelay`]
//!   blocks, after which anyone can mint it with `retry_deposit`, unless root cancels it
//!   (`cancel_deposit`) in the meantime.
//!
//! Nothing accepted is lost: a deposit leaves [`Waiting`] only minted or cancelled by root,
//! and a cancelled deposit, or one of a token Kasane does not mirror, is **refunded**: the
//! bridge records an outbound withdrawal of the same amount to the depositor ([`Refunds`]),
//! which the attesters sign and the vault releases like any other.
//!
//! `RateReported(token, rate, timestamp)` events become [`RateReport`]s, attested the same way
//! (`attest_rate`). Anyone can make the vault report, so attesters agree on reports by block:
//! each signs, per token, the first report of each round of [`Config::RateRound`] Ethereum
//! blocks, and its signature backs one report at a time ([`Votes`]), moving only to a later
//! round. A report must be of a later round than the current rate, at most
//! [`Config::MaxRateAge`] seconds old and not from the future, and move the rate by at most the
//! token's `max_rate_change`; root can force a rate (`force_set_rate`). The `LstBridgeApi`
//! runtime API exposes each rate and its value after the token's haircut, which is what
//! restaked LSTs are worth.
//!
//! ## Inbound by proof: attested headers and receipt proofs
//!
//! Attesters can vouch for Ethereum headers instead of message contents. Each signs, for every
//! finalized block with vault events, the header digest
//! ([`BridgeDomain::header_digest`]: chain, vault, Kasane's genesis, number, hash, receipts
//! root) with `attest_header`; at quorum the header is trusted ([`TrustedHeaders`], the last
//! [`Config::MaxTrustedHeaders`] in a ring). Header signatures are tallied per block number as
//! deposits are per nonce (two candidates, a third halting the number and paying its fee, an
//! attester signing two halting it, reported to [`Config::Equivocation`] and struck for the
//! set; at most [`Config::MaxHaltedHeaders`] halted; root clears a halt with
//! `clear_header_halt`; when a quorum trusts one under a policy that mints on attested
//! headers, whoever signed the other is struck for the set and recorded in
//! [`HeaderContradictions`], for anyone to have slashed with `report_header_contradiction`,
//! until that header leaves the ring), and each attester has at most [`Config::MaxOpenHeaders`] signatures
//! waiting for a quorum; a tally older than [`Config::HeaderTallyExpiry`] or of an earlier set
//! is dropped by anyone with `drop_header_tally`. Anyone then proves a deposit or a rate report with the receipt of its
//! transaction (`prove_deposit`, `prove_rate`): the Merkle-Patricia proof must lead from the
//! trusted receipts root to a successful receipt whose log is the vault's event, with every
//! field equal to the message ([`kasane_primitives::bridge::proof`]); then the same checks and
//! the same minting, parking and refunds as for an attested message apply; attesters who had
//! signed other contents for the nonce are recorded as contradicting it, and under
//! [`InboundPolicy::Proven`] the proof also settles a halted nonce. A proof is free
//! when it is acted on and a refused one pays; its weight grows with its bytes.
//!
//! ## Inbound by proof under beacon-finalized headers
//!
//! The header can come from Ethereum's beacon chain instead of the attesters:
//! [`Config::BeaconClient`] (Snowbridge's light client in the runtime) verifies that an
//! execution header is the payload of a beacon block that is finalized, or an ancestor of a
//! finalized one, and that a log is in a receipt under its receipts root. Anyone proves a
//! deposit or a rate report with `prove_deposit_beacon` / `prove_rate_beacon`
//! ([`BeaconReceiptProof`]: the receipt proof and the execution proof). The bridge checks,
//! cheapest first: the execution proof's length, that its execution header is of the
//! message's block, the receipt with its own code against that header's receipts root (the
//! same named errors as above), then the light client against the log built from the
//! message. Nobody's signature vouches for such a header, so the proof settles a nonce the
//! attesters halted under any policy. Pausing the bridge halts the light client
//! ([`BeaconClient::halt`]); resuming the bridge does not resume it. The fork schedule the light
//! client verifies sync-committee signatures under is this pallet's [`BeaconForks`] (root's
//! `set_beacon_forks`, or the genesis), read through [`BeaconForkVersions`].
//!
//! Root chooses with `set_policy` what the bridge acts on: [`InboundPolicy::Attested`] (the
//! default: attested messages and every kind of proof), [`InboundPolicy::Proven`] (only
//! proofs: a quorum of attesters can then no longer mint a deposit that Ethereum did not make,
//! short of signing a false header, which anyone can check against Ethereum),
//! [`InboundPolicy::Beacon`] (only proofs under beacon-finalized headers: no Kasane signature
//! set is trusted) or [`InboundPolicy::BeaconCoSigned`] (as `Beacon`, and a deposit worth more
//! than a threshold also needs its header attested).
//!
//! ## Outbound: withdrawals
//!
//! `withdraw_to_ethereum(asset, amount, recipient)` burns the caller's mirrored asset (at least
//! the token's `min_withdrawal`), takes [`Config::WithdrawalFee`] in KSN into the bridge's
//! account and records a [`ReleaseMessage`] with the next outbound nonce. Attesters sign its
//! `KasaneVault.releaseDigest` for the vault's current attester set and anyone submits the
//! signatures (`attest_withdrawal`, free when it counts); once a quorum is in, the relayer, or
//! the user reading `LstBridgeApi::withdrawal` over RPC, calls `KasaneVault.release`, naming a
//! Kasane account as beneficiary. The attesters attest the vault's `Released` event back
//! (`attest_release`): at quorum the fee goes to that beneficiary, paying for the Ethereum
//! transaction, the withdrawal's signatures are dropped and its record is pruned
//! [`Config::ReleasedRetention`] blocks later (each receipt prunes up to two expired ones, so
//! pruning keeps pace with releases at a fixed cost per call).
//!
//! ## Attesters from the bridge's operator set
//!
//! Root sets the first attester set (`set_attesters`): the vault's set at deployment, and the
//! operator set of the AVS registry whose members attest ([`Config::OperatorSets`]). From then
//! on the attesters follow that operator set: when operators join or leave it, anyone calls
//! `rotate_attesters` with its complete, sorted member list (`LstBridgeApi::rotation_due`
//! gives it); the bridge checks the list against the registry (each one a current member,
//! as many as the set has), derives each member's Ethereum address from its registered
//! compressed secp256k1 key and proposes the [`Rotation`] to those addresses with quorum
//! `⌈2n/3⌉`. The current attesters sign `KasaneVault.rotateDigest` for it
//! (`attest_rotation`); when their quorum is in, the next set becomes the attester set here
//! (its `vault_set_id` one more, attestations collected so far stop counting) and the signed
//! rotation is kept in [`Rotations`] for anyone to carry to `KasaneVault.rotateAttesters`.
//! Kasane and the vault thus hand over with the same signatures; withdrawals not released
//! yet are signed again by the next set, whose signatures the vault accepts once the rotation
//! is submitted there. Because every attester is a member with restaked stake, its double
//! signing is slashed through the set.
//!
//! ## Safety
//!
//! Nothing is trusted by default: until root sets the endpoint (`set_endpoint`), the attester
//! set (`set_attesters`) and registers a token (`register_token`, which creates its asset,
//! owned by this pallet's account, so that only the bridge mints), nothing can be attested.
//! Each token has a cap on outstanding supply and a daily mint limit. A guardian account
//! (`set_guardian`) or root can pause the bridge; only root resumes it.
//! [`Pallet::do_try_state`] checks that each asset's supply is at most minted − burned (equal
//! unless restaking burned some for restaked stake) and that is at most the cap.
//!
//! ## Code layout
//!
//! One file per concern, mirroring `tests/`:
//! `admin.rs` (tokens, attester sets, shared lookups), `deposits.rs`, `headers.rs`,
//! `proofs.rs` (receipts under attested and beacon headers), `refunds.rs`,
//! `rates.rs`, `withdrawals.rs`, `releases.rs`, `safety.rs`, `rotation.rs`, `views.rs` (what
//! the runtime API reports), `try_state.rs`, `migrations.rs`; `impls.rs` holds the traits the
//! bridge implements and the attester-quorum verifier.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

mod admin;
mod deposits;
mod headers;
mod impls;
pub mod migrations;
mod proofs;
mod rates;
mod refunds;
mod releases;
mod rotation;
mod safety;
mod try_state;
pub mod types;
mod views;
pub mod weights;
mod withdrawals;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use impls::AttesterQuorum;
pub use kasane_primitives::bridge::beacon::{BeaconHeader, BeaconReceiptProof, ForkSchedule};
pub use kasane_primitives::bridge::proof::{EthHeader, ReceiptProof};
pub use kasane_primitives::bridge::{
	quorum_of, AttesterEquivocation, BridgeDomain, BridgeNonce, DepositMessage, EthAddress,
	EthSignature, EthereumEndpoint, OnRateUpdated, RateReport, ReleaseMessage, ReleaseReceipt,
	WithdrawalOrigin,
};
pub use kasane_primitives::{avs::OperatorSetMembers, restaking::OperatorSetId};
pub use types::*;
pub use weights::WeightInfo;

/// The native balance withdrawal fees are paid in.
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::PostDispatchInfo,
		pallet_prelude::*,
		traits::{
			fungible,
			fungibles::{Create, Inspect, Mutate},
			UnixTime,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Identifies a mirrored asset.
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;

		/// Where mirrored assets live; the bridge creates them and is their only minter.
		type Assets: Inspect<Self::AccountId, AssetId = Self::AssetId, Balance = u128>
			+ Mutate<Self::AccountId>
			+ Create<Self::AccountId>;

		/// The native currency withdrawal fees are paid in.
		type Currency: fungible::Mutate<Self::AccountId>;

		/// What a withdrawal to Ethereum pays, held until a quorum attests who released it on
		/// Ethereum, then paid to them: it covers the release transaction.
		#[pallet::constant]
		type WithdrawalFee: Get<BalanceOf<Self>>;

		/// Blocks a released withdrawal's record is kept after its release is attested.
		#[pallet::constant]
		type ReleasedRetention: Get<BlockNumberFor<Self>>;

		/// Ethereum blocks per rate round: attesters sign the first report of each round.
		#[pallet::constant]
		type RateRound: Get<u64>;

		/// Proves inbound messages ([`AttesterQuorum`] in the runtime).
		type Verifier: InboundVerifier<Self::AccountId>;

		/// Where double signing by an attester goes.
		type Equivocation: AttesterEquivocation<Self::AccountId>;

		/// Told each new rate after the haircut (the runtime values restaked LSTs with it).
		type OnRateUpdated: OnRateUpdated<Self::AssetId>;

		/// The AVS registry: who is in the bridge's operator set, with which key.
		type OperatorSets: OperatorSetMembers<Self::AccountId>;

		/// The account that must own the AVS of the bridge's operator set, which must also
		/// require its allowlist. Nobody holds this account's key: governance acts as it
		/// (`utility.dispatch_as`), so only governance decides who may join the set and who
		/// is ejected from it.
		type AttesterSetOwner: Get<Self::AccountId>;

		/// Least stake an operator must have allocated to the bridge's operator set (valued
		/// in the AVS registry's common unit) to be an attester; checked at every hand-over.
		#[pallet::constant]
		type MinAttesterStake: Get<u128>;

		/// Most of the current attester set one hand-over may add, and separately remove
		/// (at least one each): newcomers never reach the next set's quorum in one step.
		#[pallet::constant]
		type MaxRotationChange: Get<Perbill>;

		/// Blocks between a hand-over reaching its quorum and the next set taking over on
		/// Kasane. Root may refuse it meanwhile, and it waits while the bridge is paused.
		#[pallet::constant]
		type RotationDelay: Get<BlockNumberFor<Self>>;

		/// Configures the bridge and resumes it.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Kasane's clock, to judge how old a rate report is.
		type UnixTime: UnixTime;

		/// Owner of the mirrored assets.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Most attesters (at most 64: signers are counted in a 64-bit map, and the vault
		/// accepts no more).
		#[pallet::constant]
		type MaxAttesters: Get<u32>;

		/// Blocks per bucket of the rolling mint limit (an hour).
		#[pallet::constant]
		type BucketLength: Get<BlockNumberFor<Self>>;

		/// How long a deposit above the daily limit waits before it can be minted.
		#[pallet::constant]
		type MintDelay: Get<BlockNumberFor<Self>>;

		/// Oldest a rate report may be when it is accepted, in seconds.
		#[pallet::constant]
		type MaxRateAge: Get<u64>;

		/// How far ahead of Kasane's clock a report's timestamp may be, in seconds.
		#[pallet::constant]
		type MaxClockDrift: Get<u64>;

		/// How far beyond the lowest unprocessed deposit nonce attestations are taken.
		#[pallet::constant]
		type MaxNoncesAhead: Get<u64>;

		/// Attested Ethereum headers kept for receipt proofs: the oldest is forgotten when one
		/// more is trusted (a deposit under it must then be proven under a header attested
		/// again).
		#[pallet::constant]
		type MaxTrustedHeaders: Get<u32>;

		/// Most header attestations one attester may have open (signed, no quorum yet): the
		/// tallies an attester can make the chain store stay bounded (at most 255).
		#[pallet::constant]
		type MaxOpenHeaders: Get<u32>;

		/// Most Ethereum block numbers halted at once: past it a third conflicting header is
		/// refused (a double signer is still struck and reported), so halts stay bounded.
		#[pallet::constant]
		type MaxHaltedHeaders: Get<u32>;

		/// Kasane blocks after which a header tally without a quorum may be dropped by anyone.
		#[pallet::constant]
		type HeaderTallyExpiry: Get<BlockNumberFor<Self>>;

		/// The beacon light client that proves execution headers Ethereum finalized
		/// (Snowbridge's in the runtime; `()` refuses every beacon proof).
		type BeaconClient: BeaconClient;

		type WeightInfo: WeightInfo;

		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::AssetId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, AssetId> {
		/// A fresh asset id.
		fn asset_id(index: u32) -> AssetId;
		/// A new operator set of ecdsa keys taking `MaxAttesters` members, with `members`
		/// operators registered in it (fresh keys); returns the set and its members, sorted.
		fn operator_set(members: u32) -> (OperatorSetId, alloc::vec::Vec<AccountId>);
		/// Make the beacon light client take `header` as finalized, with `block_roots_root`
		/// its state's `block_roots` root (what a signed update would have installed).
		fn finalize_beacon_header(header: BeaconHeader, block_roots_root: sp_core::H256);
	}

	/// The Ethereum chain and vault this bridge serves.
	#[pallet::storage]
	pub type Endpoint<T: Config> = StorageValue<_, EthereumEndpoint, OptionQuery>;

	/// The Ethereum network's fork schedule, which the beacon light client signs updates
	/// under ([`BeaconForkVersions`]); mainnet's until root sets it.
	#[pallet::storage]
	pub type BeaconForks<T: Config> = StorageValue<_, ForkSchedule, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The fork schedule of the Ethereum network the chain bridges to (none: mainnet's).
		/// Configuration, not trust: the light client trusts nothing until root installs a
		/// checkpoint.
		pub beacon_forks: Option<ForkSchedule>,
		/// What inbound messages the bridge acts on from the first block (none:
		/// [`InboundPolicy::Attested`]): a network launching under proofs has no moment when
		/// its attesters are set and `set_policy` has not yet refused what they attest.
		pub inbound_policy: Option<InboundPolicy>,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(schedule) = self.beacon_forks {
				assert!(schedule.is_ordered(), "each fork activates after the one before");
				BeaconForks::<T>::put(schedule);
			}
			if let Some(policy) = self.inbound_policy {
				Policy::<T>::put(policy);
			}
		}
	}

	/// The attester set.
	#[pallet::storage]
	pub type Attesters<T: Config> = StorageValue<_, AttesterSet<T::MaxAttesters>, OptionQuery>;

	/// Normal or paused.
	#[pallet::storage]
	pub type Mode<T: Config> = StorageValue<_, OperatingMode, ValueQuery>;

	/// May pause the bridge (besides root).
	#[pallet::storage]
	pub type Guardian<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

	/// Registered tokens by Ethereum address.
	#[pallet::storage]
	pub type Tokens<T: Config> =
		CountedStorageMap<_, Twox64Concat, EthAddress, TokenInfo<T::AssetId>, OptionQuery>;

	/// The Ethereum token of each mirrored asset.
	#[pallet::storage]
	pub type AssetTokens<T: Config> = StorageMap<_, Twox64Concat, T::AssetId, EthAddress>;

	/// Accepted rates by token.
	#[pallet::storage]
	pub type Rates<T: Config> = StorageMap<_, Twox64Concat, EthAddress, Rate>;

	/// Mints per token over the last hours (a ring of hourly buckets).
	#[pallet::storage]
	pub type MintWindows<T: Config> = StorageMap<_, Twox64Concat, EthAddress, MintWindow>;

	/// Spent deposit nonces: bit `n % 128` of word `n / 128`.
	#[pallet::storage]
	pub type ProcessedNonces<T: Config> = StorageMap<_, Twox64Concat, u64, u128, ValueQuery>;

	/// Accepted deposits not minted yet.
	#[pallet::storage]
	pub type Waiting<T: Config> =
		StorageMap<_, Twox64Concat, BridgeNonce, WaitingDeposit<T::AccountId, BlockNumberFor<T>>>;

	/// Deposit attestations being collected ([`AttesterQuorum`]).
	#[pallet::storage]
	pub type DepositTallies<T: Config> = StorageMap<_, Twox64Concat, BridgeNonce, DepositTally>;

	/// Attesters that signed a deposit contradicting the accepted one, by nonce, until
	/// reported.
	#[pallet::storage]
	pub type Contradictions<T: Config> =
		StorageMap<_, Twox64Concat, BridgeNonce, Contradiction<T::MaxAttesters>>;

	/// The lowest deposit nonce not processed yet: attestations reach at most
	/// [`Config::MaxNoncesAhead`] beyond it, so tallies cannot be grown without bound.
	#[pallet::storage]
	pub type LowestOpenNonce<T: Config> = StorageValue<_, BridgeNonce, ValueQuery>;

	/// Rate attestations being collected per token: each attester backs one report.
	#[pallet::storage]
	pub type RateTallies<T: Config> =
		StorageMap<_, Twox64Concat, EthAddress, Votes<RateReport, T::MaxAttesters>>;

	/// Release receipts being collected per withdrawal nonce: each attester backs one.
	#[pallet::storage]
	pub type ReleaseVotes<T: Config> =
		StorageMap<_, Twox64Concat, BridgeNonce, ReceiptVotes<T::MaxAttesters>>;

	/// Refunded vault deposits: the outbound withdrawal that pays each back.
	#[pallet::storage]
	pub type Refunds<T: Config> = StorageMap<_, Twox64Concat, BridgeNonce, BridgeNonce>;

	/// Released withdrawals in the order their release was attested, with when: the record
	/// is pruned [`Config::ReleasedRetention`] blocks later. Keyed by position.
	#[pallet::storage]
	pub type ReleasedQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, (BlockNumberFor<T>, BridgeNonce)>;

	/// The first and one past the last position of [`ReleasedQueue`].
	#[pallet::storage]
	pub type ReleasedQueueBounds<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Nonces attesters signed conflicting contents for: the two digests.
	#[pallet::storage]
	pub type Halted<T: Config> = StorageMap<_, Twox64Concat, BridgeNonce, ([u8; 32], [u8; 32])>;

	/// Attesters that signed two different deposits for one nonce: the two digests.
	#[pallet::storage]
	pub type DoubleSigns<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BridgeNonce,
		Twox64Concat,
		EthAddress,
		([u8; 32], [u8; 32]),
	>;

	/// Withdrawals to Ethereum by outbound nonce.
	#[pallet::storage]
	pub type Withdrawals<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BridgeNonce,
		Withdrawal<T::AccountId, BalanceOf<T>, BlockNumberFor<T>, T::MaxAttesters>,
	>;

	/// The hand-over to the next attester set that the current attesters are signing.
	#[pallet::storage]
	pub type PendingRotation<T: Config> = StorageValue<_, Rotation<T::MaxAttesters>, OptionQuery>;

	/// Signed hand-overs by the vault attester set that signed them, for
	/// `KasaneVault.queueRotation` (one per rotation; rotations need a quorum, so they are few).
	#[pallet::storage]
	pub type Rotations<T: Config> =
		StorageMap<_, Twox64Concat, u64, Rotation<T::MaxAttesters>, OptionQuery>;

	/// The signed hand-over (by the vault set that signed it) waiting for
	/// [`Config::RotationDelay`], and the block from which the next set takes over on Kasane.
	#[pallet::storage]
	pub type ApprovedRotation<T: Config> = StorageValue<_, (u64, BlockNumberFor<T>), OptionQuery>;

	/// The last outbound nonce used (the first withdrawal is 1).
	#[pallet::storage]
	pub type LastWithdrawalNonce<T: Config> = StorageValue<_, BridgeNonce, ValueQuery>;

	/// What inbound messages the bridge acts on: attested ones too, or only proven ones.
	#[pallet::storage]
	pub type Policy<T: Config> = StorageValue<_, InboundPolicy, ValueQuery>;

	/// Header attestations being collected, by Ethereum block number.
	#[pallet::storage]
	pub type HeaderTallies<T: Config> =
		StorageMap<_, Twox64Concat, u64, DatedHeaderTally<BlockNumberFor<T>>>;

	/// How many header attestations each attester has open ([`Config::MaxOpenHeaders`]).
	#[pallet::storage]
	pub type OpenHeaderCounts<T: Config> = StorageValue<_, OpenHeaders, OptionQuery>;

	/// Ethereum block numbers attesters signed conflicting headers for: the two digests.
	/// Nothing is trusted at that number until root clears it; at most
	/// [`Config::MaxHaltedHeaders`].
	#[pallet::storage]
	pub type HaltedHeaders<T: Config> =
		CountedStorageMap<_, Twox64Concat, u64, ([u8; 32], [u8; 32]), OptionQuery>;

	/// Headers a quorum attested, by block hash: their receipts roots prove events. Only
	/// present entries are trusted, and never a zero root.
	#[pallet::storage]
	pub type TrustedHeaders<T: Config> =
		CountedStorageMap<_, Twox64Concat, sp_core::H256, TrustedHeader, OptionQuery>;

	/// The hash trusted at each Ethereum block number.
	#[pallet::storage]
	pub type TrustedNumbers<T: Config> = StorageMap<_, Twox64Concat, u64, sp_core::H256>;

	/// The trusted headers' numbers by slot of a ring of [`Config::MaxTrustedHeaders`]: the
	/// slot a newly trusted header takes held the header forgotten for it.
	#[pallet::storage]
	pub type TrustedRing<T: Config> = StorageMap<_, Twox64Concat, u32, u64>;

	/// The ring slot the next trusted header takes.
	#[pallet::storage]
	pub type TrustedRingNext<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Attesters that signed another header for a block number whose header a quorum trusted,
	/// until reported (`report_header_contradiction`) or the trusted header is forgotten: at
	/// most one record per trusted header.
	#[pallet::storage]
	pub type HeaderContradictions<T: Config> =
		StorageMap<_, Twox64Concat, u64, Contradiction<T::MaxAttesters>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An attester's signature for deposit `nonce` counted.
		DepositAttested { nonce: BridgeNonce, attester: EthAddress, signers: u32, quorum: u32 },
		/// Deposit `nonce` was minted.
		DepositMinted {
			nonce: BridgeNonce,
			token: EthAddress,
			asset: T::AssetId,
			recipient: T::AccountId,
			amount: u128,
		},
		/// Deposit `nonce` was accepted and waits to be minted.
		DepositWaiting {
			nonce: BridgeNonce,
			token: EthAddress,
			recipient: T::AccountId,
			amount: u128,
			reason: WaitReason<BlockNumberFor<T>>,
		},
		/// Root cancelled waiting deposit `nonce`: it will not be minted.
		DepositCancelled { nonce: BridgeNonce },
		/// Vault deposit `nonce` is paid back to `depositor` by withdrawal `withdrawal`
		/// (cancelled, or of a token Kasane does not mirror).
		DepositRefunding {
			nonce: BridgeNonce,
			withdrawal: BridgeNonce,
			token: EthAddress,
			depositor: EthAddress,
			amount: u128,
		},
		/// Attesters signed conflicting contents for deposit `nonce`; it is halted.
		DepositHalted { nonce: BridgeNonce, digest_a: [u8; 32], digest_b: [u8; 32] },
		/// Root cleared the halt of `nonce`: it can be attested again.
		HaltCleared { nonce: BridgeNonce },
		/// `attester` signed two different deposits for `nonce`; `slashed` if it was handed to
		/// slashing with effect.
		AttesterDoubleSigned { nonce: BridgeNonce, attester: EthAddress, slashed: bool },
		/// `attesters` signed a deposit for `nonce` that contradicts the one a quorum accepted;
		/// anyone may now report each (`report_contradiction`).
		DepositContradicted { nonce: BridgeNonce, attesters: alloc::vec::Vec<EthAddress> },
		/// `attester`, who signed a deposit for `nonce` contradicting the accepted one, was
		/// reported; `slashed` if slashing took effect.
		AttesterContradicted { nonce: BridgeNonce, attester: EthAddress, slashed: bool },
		/// An attester's signature for a rate report of `token` counted.
		RateAttested { token: EthAddress, attester: EthAddress, signers: u32, quorum: u32 },
		/// `token`'s rate changed.
		RateUpdated { token: EthAddress, asset: T::AssetId, rate: u128, reported_at: u64 },
		/// `from` burned `amount` of `asset` to be released to `recipient` on Ethereum.
		WithdrawalRequested {
			nonce: BridgeNonce,
			from: T::AccountId,
			asset: T::AssetId,
			token: EthAddress,
			recipient: EthAddress,
			amount: u128,
		},
		/// An attester's signature of withdrawal `nonce` counted.
		WithdrawalSigned { nonce: BridgeNonce, attester: EthAddress, signatures: u32 },
		/// Withdrawal `nonce` has a quorum of signatures: it can be released on Ethereum.
		WithdrawalReady { nonce: BridgeNonce },
		/// An attester's signature of withdrawal `nonce`'s release receipt counted.
		ReleaseAttested { nonce: BridgeNonce, attester: EthAddress, signers: u32, quorum: u32 },
		/// A quorum attested that the vault released withdrawal `nonce` in a transaction naming
		/// `beneficiary`, who was paid its `fee` (`None`: not a Kasane account; the fee stays
		/// with the bridge).
		WithdrawalReleased {
			nonce: BridgeNonce,
			beneficiary: Option<T::AccountId>,
			fee: BalanceOf<T>,
		},
		/// A token was registered with its mirrored asset.
		TokenRegistered { token: EthAddress, asset: T::AssetId, decimals: u8, limits: TokenLimits },
		/// A token's limits changed.
		TokenUpdated { token: EthAddress, limits: TokenLimits },
		/// The Ethereum endpoint was set.
		EndpointSet { endpoint: EthereumEndpoint },
		/// The attester set changed.
		AttestersSet {
			id: u32,
			members: alloc::vec::Vec<EthAddress>,
			quorum: u32,
			vault_set_id: u64,
			operator_set: Option<OperatorSetId>,
		},
		/// The bridge's operator set changed: the current attesters are asked to hand the vault
		/// from their set `vault_set_id` to `next`.
		RotationProposed { vault_set_id: u64, next: alloc::vec::Vec<EthAddress>, quorum: u32 },
		/// The operator set is back to the current attesters: the proposed hand-over is dropped.
		RotationDropped { vault_set_id: u64 },
		/// An attester's signature of the hand-over counted.
		RotationSigned { vault_set_id: u64, attester: EthAddress, signatures: u32 },
		/// The hand-over away from vault set `vault_set_id` has its quorum: the next set takes
		/// over on Kasane at `effective_at` unless root refuses it first, and
		/// `KasaneVault.queueRotation` takes the signatures (the vault waits its own delay).
		RotationReady { vault_set_id: u64, effective_at: BlockNumberFor<T> },
		/// Root refused the hand-over away from vault set `vault_set_id`; the vault's guardian
		/// cancels it there if it was queued.
		RotationRefused { vault_set_id: u64 },
		/// The guardian changed.
		GuardianSet { guardian: Option<T::AccountId> },
		/// An attester's signature of Ethereum block `number`'s header counted.
		HeaderAttested {
			number: u64,
			hash: sp_core::H256,
			attester: EthAddress,
			signers: u32,
			quorum: u32,
		},
		/// A quorum attested block `number`'s header: events under its receipts root can be
		/// proven.
		HeaderTrusted { number: u64, hash: sp_core::H256, receipts_root: sp_core::H256 },
		/// The header trusted at `number` was forgotten to make room for a newer one.
		HeaderForgotten { number: u64, hash: sp_core::H256 },
		/// The endpoint changed: the `trusted` headers and `halted` block numbers of the old
		/// one were forgotten.
		HeadersForgotten { trusted: u32, halted: u32 },
		/// Attesters signed conflicting headers for block `number`; it is halted.
		HeaderHalted { number: u64, digest_a: [u8; 32], digest_b: [u8; 32] },
		/// `attester` signed two different headers for block `number`; `slashed` if it was
		/// handed to slashing with effect.
		HeaderDoubleSigned { number: u64, attester: EthAddress, slashed: bool },
		/// Root cleared the halt of block `number`: its header can be attested again.
		HeaderHaltCleared { number: u64 },
		/// `attesters` signed a header for block `number` other than the one a quorum trusted;
		/// anyone may now report each (`report_header_contradiction`).
		HeaderContradicted { number: u64, attesters: alloc::vec::Vec<EthAddress> },
		/// `attester`, who signed a header for block `number` other than the trusted one, was
		/// reported; `slashed` if slashing took effect.
		HeaderSignerContradicted { number: u64, attester: EthAddress, slashed: bool },
		/// The tally of block `number`'s header was dropped without a quorum (expired, or of
		/// an earlier attester set); its signers' open attestations are settled.
		HeaderTallyDropped { number: u64 },
		/// The inbound policy changed.
		PolicySet { policy: InboundPolicy },
		/// The Ethereum fork schedule the beacon light client follows changed.
		BeaconForksSet { schedule: ForkSchedule },
		/// The operating mode changed.
		ModeSet { mode: OperatingMode },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The Ethereum endpoint or the attester set is not configured yet.
		NotConfigured,
		/// The bridge is paused.
		Paused,
		/// The token is not registered.
		UnknownToken,
		/// The asset is not a mirrored asset.
		UnknownAsset,
		/// The token is registered already.
		TokenExists,
		/// The asset id is in use.
		AssetExists,
		/// Amounts must be positive.
		ZeroAmount,
		/// Vault deposit nonces start at 1.
		ZeroNonce,
		/// The recipient is not a Kasane account.
		InvalidRecipient,
		/// Ethereum's zero address cannot receive.
		ZeroEthRecipient,
		/// The deposit nonce is spent.
		AlreadyProcessed,
		/// The nonce is more than `MaxNoncesAhead` beyond the lowest unprocessed one.
		NonceTooFarAhead,
		/// The attester is not recorded as contradicting the accepted deposit for the nonce (or
		/// the trusted header for the block number).
		NotContradicted,
		/// Attesters signed conflicting contents for the nonce; root must clear it.
		NonceHalted,
		/// The nonce is not halted.
		NotHalted,
		/// The signature is malformed or high-s.
		InvalidSignature,
		/// The signer is not in the attester set.
		NotAttester,
		/// This attester's signature is counted already.
		AlreadySigned,
		/// Attester sets need 1 to `MaxAttesters` unique addresses, sorted ascending.
		InvalidAttesterSet,
		/// The quorum must be between ⌈2n/3⌉ and n.
		InvalidQuorum,
		/// Rates must be positive.
		ZeroRate,
		/// The report is not newer than the current rate.
		RateNotNewer,
		/// The report is older than `MaxRateAge`.
		RateTooOld,
		/// The report's timestamp is ahead of Kasane's clock.
		RateFromFuture,
		/// The report moves the rate more than the token's `max_rate_change`.
		RateOutOfBounds,
		/// No such waiting deposit.
		NotWaiting,
		/// Minting would still exceed the token's cap.
		StillOverCap,
		/// The recipient still cannot receive the deposit.
		StillUnmintable,
		/// The deposit's delay has not passed.
		DelayNotOver,
		/// No such withdrawal.
		UnknownWithdrawal,
		/// Less than the token's `min_withdrawal`.
		BelowMinWithdrawal,
		/// A quorum attested the withdrawal's release already.
		AlreadyReleased,
		/// The receipt's withdrawal is not the one recorded under its nonce.
		ReceiptMismatch,
		/// The attester backs a report of this or a later rate round for the token already.
		RoundAttested,
		/// The withdrawal has its quorum of signatures already.
		WithdrawalReadyAlready,
		/// The cap is below what is outstanding.
		CapBelowSupply,
		/// Only the guardian or root may pause.
		NotGuardian,
		/// The bridge is in this mode already.
		AlreadyInMode,
		/// The attesters are not bound to an operator set (root manages them).
		NoOperatorSet,
		/// The operator set does not exist, does not use ecdsa keys, or takes more members than
		/// `MaxAttesters`.
		UnsuitableOperatorSet,
		/// The operators must be listed sorted ascending, without repeats.
		OperatorsNotSorted,
		/// The list does not have every member of the operator set.
		IncompleteOperators,
		/// An operator listed is not a member of the operator set now.
		NotOperatorSetMember,
		/// A key is not a valid compressed secp256k1 key (a member's, or the one a report
		/// names).
		NotEcdsaKey,
		/// The operator set has no members to attest.
		NoAttesters,
		/// The attesters (or the hand-over being signed) already match the operator set.
		AttestersUnchanged,
		/// No hand-over is being signed.
		NoRotation,
		/// The hand-over being signed is not the one signed (it changed meanwhile).
		RotationChanged,
		/// The operator set's AVS is not owned by [`Config::AttesterSetOwner`], or the set does
		/// not require the allowlist: its membership is not governance's to decide.
		UngovernedOperatorSet,
		/// An operator listed has less than [`Config::MinAttesterStake`] allocated to the set.
		AttesterStakeTooLow,
		/// The hand-over would add or remove more than [`Config::MaxRotationChange`] of the
		/// current attesters; root sets such a set with `set_attesters`.
		RotationTooLarge,
		/// A signed hand-over is waiting for its delay.
		RotationWaiting,
		/// The bridge takes only messages proven by a receipt (`prove_deposit`, `prove_rate`).
		ProofRequired,
		/// A header's hash and receipts root must not be zero.
		EmptyHeader,
		/// A header with this number or hash is trusted already.
		HeaderTrusted,
		/// Attesters signed conflicting headers for this number; root must clear it.
		HeaderHalted,
		/// Headers of this number are not halted.
		HeaderNotHalted,
		/// The attester has `MaxOpenHeaders` header attestations without a quorum.
		TooManyOpenHeaders,
		/// `MaxHaltedHeaders` block numbers are halted: root must clear some first.
		TooManyHaltedHeaders,
		/// The attester double-signed a header under the current set: its header signatures
		/// are refused until the set changes.
		AttesterStruck,
		/// No header tally at this block number.
		NoHeaderTally,
		/// The header tally is of the current set and not expired yet.
		HeaderTallyOpen,
		/// No header with the message's block hash is trusted (not attested, or forgotten).
		UntrustedHeader,
		/// The proven event is not the message submitted.
		ProofMismatch,
		/// The proof has no nodes.
		EmptyProof,
		/// The proof's last node is not a trie leaf.
		NotALeaf,
		/// The proof's nodes do not chain from the header's receipts root to its leaf along the
		/// transaction's key.
		NotInTrie,
		/// The proof has a node no receipts trie has.
		UnexpectedNode,
		/// The proven receipt is not a canonical receipt.
		MalformedReceipt,
		/// The proven receipt has a transaction type the bridge does not know.
		UnknownReceiptType,
		/// The proven transaction reverted.
		ReceiptFailed,
		/// The proven receipt has no log at `log_index`.
		NoSuchLog,
		/// The proven log was not emitted by the vault.
		WrongEmitter,
		/// The proven log is another event.
		WrongEvent,
		/// The proven event has the wrong shape.
		MalformedEvent,
		/// A word of the proven event has non-zero padding.
		NonZeroPadding,
		/// A value of the proven event does not fit its field.
		ValueTooLarge,
		/// The bridge takes only receipts under beacon-finalized headers
		/// (`prove_deposit_beacon`, `prove_rate_beacon`): attested headers prove nothing.
		BeaconProofRequired,
		/// The execution proof is longer than any valid one (`MAX_EXECUTION_PROOF_LEN`).
		ExecutionProofTooLarge,
		/// The execution header is not of the block the message names.
		BlockHashMismatch,
		/// The beacon light client did not verify the execution header as finalized: it is
		/// not bootstrapped, the header is not (an ancestor of) a finalized one, or a branch
		/// is wrong.
		BeaconUnverified,
		/// The beacon light client is halted (root halted it, or the bridge was paused).
		BeaconHalted,
		/// Under the co-signed beacon policy, a deposit worth more than its threshold also
		/// needs its block's header attested by a quorum, with the same receipts root.
		CoSignRequired,
		/// A fork activates before the one it follows.
		UnorderedForks,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::apply_approved_rotation(now)
		}

		fn integrity_test() {
			assert!(
				(1..=64).contains(&T::MaxAttesters::get()),
				"signer bitmaps are 64 bits and the vault takes at most 64 attesters"
			);
			assert!(!T::BucketLength::get().is_zero(), "buckets must last at least a block");
			assert!(T::MaxRateAge::get() > 0, "rates must be allowed to be some seconds old");
			assert!(T::RateRound::get() > 0, "a rate round is at least one Ethereum block");
			assert!(T::MaxTrustedHeaders::get() > 0, "proofs need at least one trusted header");
			assert!(
				(1..=255).contains(&T::MaxOpenHeaders::get()),
				"open header attestations are counted in a byte per attester"
			);
			assert!(T::MaxHaltedHeaders::get() > 0, "a conflicting header must be able to halt");
			assert!(!T::HeaderTallyExpiry::get().is_zero(), "a tally lasts at least a block");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submit evidence (the runtime: one attester's signature) that vault deposit
		/// `deposit` happened. Free when it counts.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::attest_deposit_counted()
			.max(T::WeightInfo::attest_deposit_minted())
			.max(T::WeightInfo::attest_deposit_conflict()
				.saturating_add(T::Equivocation::weight())))]
		pub fn attest_deposit(
			origin: OriginFor<T>,
			deposit: DepositMessage,
			evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let weight = Self::do_attest_deposit(&who, deposit, evidence)?;
			Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
		}

		/// Submit evidence that the vault reported `report`. Free when it counts.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::attest_rate_counted()
			.max(T::WeightInfo::attest_rate_applied().saturating_add(T::OnRateUpdated::weight())))]
		pub fn attest_rate(
			origin: OriginFor<T>,
			report: RateReport,
			evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let weight = Self::do_attest_rate(&who, report, evidence)?;
			Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
		}

		/// Burn `amount` of the mirrored `asset` to have the vault release it to `recipient`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_to_ethereum())]
		pub fn withdraw_to_ethereum(
			origin: OriginFor<T>,
			asset: T::AssetId,
			amount: u128,
			recipient: EthAddress,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, asset, amount, recipient)
		}

		/// Submit an attester's signature of withdrawal `nonce`'s release digest. Free when it
		/// counts.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::attest_withdrawal())]
		pub fn attest_withdrawal(
			origin: OriginFor<T>,
			nonce: BridgeNonce,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_attest_withdrawal(nonce, signature)?;
			Ok(Pays::No.into())
		}

		/// Mint waiting deposit `nonce` if what held it back is over (or, for one parked while
		/// paused, over the cap or unmintable, start its delay if the 24-hour limit holds it).
		/// Anyone may: free when it moves the deposit on, which it does at most twice per
		/// deposit, so whoever mints others' deposits (relayers) is not out of pocket.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::retry_deposit())]
		pub fn retry_deposit(
			origin: OriginFor<T>,
			nonce: BridgeNonce,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_retry(nonce)?;
			Ok(Pays::No.into())
		}

		/// Register Ethereum `token` and create its mirrored `asset`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::register_token())]
		pub fn register_token(
			origin: OriginFor<T>,
			token: EthAddress,
			asset: T::AssetId,
			decimals: u8,
			min_balance: u128,
			limits: TokenLimits,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_token(token, asset, decimals, min_balance, limits)
		}

		/// Change a token's cap, daily limit, rate bound and haircut.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::update_token().saturating_add(T::OnRateUpdated::weight()))]
		pub fn update_token(
			origin: OriginFor<T>,
			token: EthAddress,
			limits: TokenLimits,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let info = Tokens::<T>::try_mutate(token, |info| {
				let info = info.as_mut().ok_or(Error::<T>::UnknownToken)?;
				ensure!(limits.cap >= info.outstanding(), Error::<T>::CapBelowSupply);
				info.cap = limits.cap;
				info.daily_limit = limits.daily_limit;
				info.max_rate_change = limits.max_rate_change;
				info.haircut = limits.haircut;
				info.min_withdrawal = limits.min_withdrawal;
				Ok::<_, DispatchError>(info.clone())
			})?;
			// A new haircut changes what restaked units are worth at the same rate.
			if let Some(rate) = Rates::<T>::get(token) {
				T::OnRateUpdated::rate_updated(info.asset, Self::haircut(&info, rate.rate));
			}
			Self::deposit_event(Event::TokenUpdated { token, limits });
			Ok(())
		}

		/// Set the Ethereum chain and vault. Attestations collected so far stop counting; a
		/// different chain or vault also forgets every trusted and halted header, which were
		/// about the old one (a header of another chain must never prove a deposit here).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_endpoint(
			T::MaxTrustedHeaders::get(),
			T::MaxHaltedHeaders::get(),
		))]
		pub fn set_endpoint(
			origin: OriginFor<T>,
			endpoint: EthereumEndpoint,
		) -> DispatchResultWithPostInfo {
			T::AdminOrigin::ensure_origin(origin)?;
			let (trusted, halted) = if Endpoint::<T>::get() == Some(endpoint) {
				(0, 0)
			} else {
				Self::forget_headers()
			};
			Endpoint::<T>::put(endpoint);
			// Signatures of a hand-over are for the old vault.
			PendingRotation::<T>::kill();
			Attesters::<T>::mutate(|set| {
				if let Some(set) = set {
					set.id = set.id.wrapping_add(1);
				}
			});
			Self::deposit_event(Event::EndpointSet { endpoint });
			Ok(Some(T::WeightInfo::set_endpoint(trusted, halted)).into())
		}

		/// Replace the attester set: `members` sorted ascending, `quorum` signatures needed,
		/// `vault_set_id` the vault's `attesterSetId` for the same members, `operator_set` the
		/// operator set (ecdsa keys, at most `MaxAttesters` members) whose members attest from
		/// now on, if any: their double signing is slashed, and `rotate_attesters` makes the
		/// attesters follow its membership. Attestations and a hand-over collected so far stop
		/// counting.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_attesters(members.len() as u32))]
		pub fn set_attesters(
			origin: OriginFor<T>,
			members: alloc::vec::Vec<EthAddress>,
			quorum: u32,
			vault_set_id: u64,
			operator_set: Option<OperatorSetId>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_attesters(members, quorum, vault_set_id, operator_set)
		}

		/// Set (or remove) the guardian, who may pause the bridge.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_guardian())]
		pub fn set_guardian(
			origin: OriginFor<T>,
			guardian: Option<T::AccountId>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Guardian::<T>::set(guardian.clone());
			Self::deposit_event(Event::GuardianSet { guardian });
			Ok(())
		}

		/// Pause the bridge (the guardian or root).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::pause())]
		pub fn pause(origin: OriginFor<T>) -> DispatchResult {
			if T::AdminOrigin::try_origin(origin.clone()).is_err() {
				let who = ensure_signed(origin)?;
				ensure!(Guardian::<T>::get().as_ref() == Some(&who), Error::<T>::NotGuardian);
			}
			Self::set_mode(OperatingMode::Paused)
		}

		/// Resume the bridge (root only).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::resume())]
		pub fn resume(origin: OriginFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::set_mode(OperatingMode::Normal)
		}

		/// Clear halted nonce `nonce` so that attesters can attest it afresh.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::clear_halt())]
		pub fn clear_halt(origin: OriginFor<T>, nonce: BridgeNonce) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Halted::<T>::take(nonce).ok_or(Error::<T>::NotHalted)?;
			T::Verifier::forget_deposit(nonce);
			Self::deposit_event(Event::HaltCleared { nonce });
			Ok(())
		}

		/// Cancel waiting deposit `nonce`: it is never minted, and the vault pays it back to
		/// its depositor (a refund withdrawal the attesters sign).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::cancel_deposit())]
		pub fn cancel_deposit(origin: OriginFor<T>, nonce: BridgeNonce) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let waiting = Waiting::<T>::take(nonce).ok_or(Error::<T>::NotWaiting)?;
			Self::deposit_event(Event::DepositCancelled { nonce });
			Self::refund(nonce, waiting.token, waiting.depositor, waiting.amount)
		}

		/// Set `token`'s rate, bypassing attestation and bounds, dated now.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::force_set_rate().saturating_add(T::OnRateUpdated::weight()))]
		pub fn force_set_rate(
			origin: OriginFor<T>,
			token: EthAddress,
			rate: u128,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let info = Tokens::<T>::get(token).ok_or(Error::<T>::UnknownToken)?;
			ensure!(rate > 0, Error::<T>::ZeroRate);
			let reported_at = T::UnixTime::now().as_secs();
			// The round stays: the next attested report must still be of a later one.
			let round = Rates::<T>::get(token).map_or(0, |r| r.round);
			Self::apply_rate(&token, &info, Rate { rate, reported_at, round });
			Ok(())
		}

		/// Make the attesters follow the bridge's operator set: `operators` are all its
		/// current members with at least [`Config::MinAttesterStake`] allocated to it, sorted
		/// (`LstBridgeApi::rotation_due` lists them). Proposes the hand-over to their keys'
		/// addresses, which the current attesters sign with `attest_rotation`. The set must be
		/// governed ([`Config::AttesterSetOwner`], allowlist) and the hand-over may change at
		/// most [`Config::MaxRotationChange`] of the attesters. Free when it changes something.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::rotate_attesters(operators.len() as u32))]
		pub fn rotate_attesters(
			origin: OriginFor<T>,
			operators: BoundedVec<T::AccountId, T::MaxAttesters>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_rotate_attesters(&operators)?;
			Ok(Pays::No.into())
		}

		/// Submit a current attester's signature of the proposed hand-over, whose
		/// `KasaneVault.rotateDigest` is `digest`. Free when it counts.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::attest_rotation_counted()
			.max(T::WeightInfo::attest_rotation_applied()))]
		pub fn attest_rotation(
			origin: OriginFor<T>,
			digest: sp_core::H256,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let applied = Self::do_attest_rotation(digest, signature)?;
			let weight = if applied {
				T::WeightInfo::attest_rotation_applied()
			} else {
				T::WeightInfo::attest_rotation_counted()
			};
			Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
		}

		/// Have the attester whose compressed secp256k1 key is `key`, recorded (by its address)
		/// as signing a deposit for `nonce` that contradicts the one a quorum accepted, slashed
		/// through the operator set it was drawn from when it signed (as for double signing):
		/// the operator that registered the key, a member or one that left the set and is still
		/// slashable. The `LstBridgeApi::attester_key` view finds the key of a recorded
		/// address. Anyone; free when it slashes. While slashing cannot follow for the moment
		/// (disabled or log-only, the epoch's cap reached) it fails with the slashing pallet's
		/// error and the record stays.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::report_contradiction(T::MaxAttesters::get())
			.saturating_add(T::Equivocation::weight()))]
		pub fn report_contradiction(
			origin: OriginFor<T>,
			nonce: BridgeNonce,
			key: sp_core::ecdsa::Public,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let slashed = Self::do_report_contradiction(&who, nonce, &key)?;
			Ok(if slashed { Pays::No } else { Pays::Yes }.into())
		}

		/// Submit an attester's signature of `receipt`: the vault's `Released` event of a
		/// withdrawal, naming who released it. At quorum the withdrawal's fee is paid to that
		/// beneficiary and its record pruned later. Free when it counts.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::attest_release_counted()
			.max(T::WeightInfo::attest_release_applied()))]
		pub fn attest_release(
			origin: OriginFor<T>,
			receipt: ReleaseReceipt,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let weight = Self::do_attest_release(receipt, signature)?;
			Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
		}

		/// Refuse the hand-over being signed or waiting for its delay (root): the current
		/// attesters stay. The vault's guardian cancels it there too if it was queued.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::refuse_rotation())]
		pub fn refuse_rotation(origin: OriginFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_refuse_rotation()
		}

		/// Submit an attester's signature of finalized Ethereum block `header`. At quorum its
		/// receipts root is trusted for `prove_deposit` and `prove_rate`. Free when it counts or
		/// reports a double signer; a third conflicting header, which halts the number, pays.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::attest_header_counted()
			.max(T::WeightInfo::attest_header_trusted())
			.max(T::WeightInfo::attest_header_conflict().saturating_add(T::Equivocation::weight())))]
		pub fn attest_header(
			origin: OriginFor<T>,
			header: EthHeader,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_attest_header(&who, header, signature)
		}

		/// Prove vault deposit `deposit` with the receipt of its transaction under a trusted
		/// header (the one `deposit.eth_block_hash` names). Anyone may; free when it is
		/// accepted, and a refused proof pays its fee.
		///
		/// Declared for the worst case (a halt and a tally settled); a deposit that needed
		/// neither is charged the plain path's weight.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::prove_deposit(proof.len_bytes()))]
		pub fn prove_deposit(
			origin: OriginFor<T>,
			deposit: DepositMessage,
			proof: ReceiptProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let plain = Self::do_prove_deposit(deposit, &proof)?;
			let bytes = proof.len_bytes();
			let used = if plain {
				T::WeightInfo::prove_deposit_plain(bytes)
			} else {
				T::WeightInfo::prove_deposit(bytes)
			};
			Ok(PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::No })
		}

		/// Prove vault rate report `report` with the receipt of its transaction under a
		/// trusted header. Anyone may; free when it is applied.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::prove_rate(proof.len_bytes())
			.saturating_add(T::OnRateUpdated::weight()))]
		pub fn prove_rate(
			origin: OriginFor<T>,
			report: RateReport,
			proof: ReceiptProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_prove_rate(report, &proof)?;
			Ok(Pays::No.into())
		}

		/// Clear halted Ethereum block `number` so that attesters can attest its header afresh.
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::clear_header_halt())]
		pub fn clear_header_halt(origin: OriginFor<T>, number: u64) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			HaltedHeaders::<T>::take(number).ok_or(Error::<T>::HeaderNotHalted)?;
			Self::deposit_event(Event::HeaderHaltCleared { number });
			Ok(())
		}

		/// Drop the tally of block `number`'s header that never reached a quorum: it is of an
		/// earlier attester set, or `HeaderTallyExpiry` blocks old. Anyone may; free when it
		/// drops one.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::drop_header_tally())]
		pub fn drop_header_tally(origin: OriginFor<T>, number: u64) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_drop_header_tally(number)?;
			Ok(Pays::No.into())
		}

		/// Set what inbound messages the bridge acts on: [`InboundPolicy::Proven`] refuses
		/// messages attesters vouch for, so that only receipt proofs mint;
		/// [`InboundPolicy::Beacon`] takes only receipts under beacon-finalized headers.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::set_policy())]
		pub fn set_policy(origin: OriginFor<T>, policy: InboundPolicy) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Policy::<T>::put(policy);
			Self::deposit_event(Event::PolicySet { policy });
			Ok(())
		}

		/// Prove vault deposit `deposit` with the receipt of its transaction under an
		/// execution header the beacon light client shows Ethereum finalized. Anyone may;
		/// free when it is accepted, and a refused proof pays its fee.
		///
		/// Declared for the worst case (a co-signature looked for, a halt and a tally
		/// settled); a deposit that needed none of it is charged the plain path's weight.
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::prove_deposit_beacon(proof.receipt.len_bytes()))]
		pub fn prove_deposit_beacon(
			origin: OriginFor<T>,
			deposit: DepositMessage,
			proof: alloc::boxed::Box<BeaconReceiptProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let plain = Self::do_prove_deposit_beacon(deposit, &proof)?;
			let bytes = proof.receipt.len_bytes();
			let used = if plain {
				T::WeightInfo::prove_deposit_beacon_plain(bytes)
			} else {
				T::WeightInfo::prove_deposit_beacon(bytes)
			};
			Ok(PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::No })
		}

		/// Prove vault rate report `report` with the receipt of its transaction under a
		/// beacon-finalized execution header. Anyone may; free when it is applied.
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::prove_rate_beacon(proof.receipt.len_bytes())
			.saturating_add(T::OnRateUpdated::weight()))]
		pub fn prove_rate_beacon(
			origin: OriginFor<T>,
			report: RateReport,
			proof: alloc::boxed::Box<BeaconReceiptProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_prove_rate_beacon(report, &proof)?;
			Ok(Pays::No.into())
		}

		/// Set the Ethereum network's fork schedule, which the beacon light client verifies
		/// sync-committee signatures under. Set it before the light client's checkpoint.
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::set_beacon_forks())]
		pub fn set_beacon_forks(origin: OriginFor<T>, schedule: ForkSchedule) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(schedule.is_ordered(), Error::<T>::UnorderedForks);
			BeaconForks::<T>::put(schedule);
			Self::deposit_event(Event::BeaconForksSet { schedule });
			Ok(())
		}

		/// Have the attester whose compressed secp256k1 key is `key`, recorded (by its address)
		/// as signing a header for block `number` other than the one a quorum trusted, slashed
		/// through the operator set it was drawn from, as `report_contradiction` does. Anyone;
		/// free when it slashes; while slashing cannot follow for the moment it fails and the
		/// record stays.
		#[pallet::call_index(29)]
		#[pallet::weight(T::WeightInfo::report_header_contradiction(T::MaxAttesters::get())
			.saturating_add(T::Equivocation::weight()))]
		pub fn report_header_contradiction(
			origin: OriginFor<T>,
			number: u64,
			key: sp_core::ecdsa::Public,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let slashed = Self::do_report_header_contradiction(&who, number, &key)?;
			Ok(if slashed { Pays::No } else { Pays::Yes }.into())
		}
	}
}
