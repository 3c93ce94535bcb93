//! # Native staking (`pallet-native-staking`)
//!
//! Bonded KSN elects Kasane's validator set. Stakers hold KSN under
//! [`HoldReason::Staking`] (fungible holds: the funds never leave the staker's account) and put
//! it in a validator's **pool**.
//!
//! ## Terminology
//!
//! - **Pool**: the stake behind one validator ([`Pools`]): its own bond (the *self-bond*) and
//!   what delegators put in, counted in shares.
//! - **Candidate**: an account whose pool stands for election ([`Validators`], set by
//!   [`Call::validate`]); **validator**: a candidate elected for an era.
//! - **Ledger**: one staker's record ([`Ledgers`]): the pool it is in, its shares, its unbonding
//!   chunks and the amount held from its account.
//! - **Unbond pool**: stake of one pool that unlocks at one era ([`UnbondPools`]); it stays
//!   slashable until then.
//! - **Obligation**: what a redelegated staker still owes its old pool's unbond pool for the
//!   bonding duration, so an earlier offence still reaches it.
//! - **Era**: [`SessionsPerEra`] sessions; elections, inflation and slash deferral count in eras.
//! - **Settle**: bring a ledger up to date with its pool: trim the hold to what the shares are
//!   worth after slashes and book rewards ([`Call::settle`]).
//!
//! ## Calls
//!
//! - Stakers: [`Call::bond`], [`Call::bond_extra`], [`Call::unbond`], [`Call::rebond`],
//!   [`Call::withdraw_unbonded`], [`Call::delegate`], [`Call::undelegate`],
//!   [`Call::redelegate`], [`Call::claim_rewards`], [`Call::set_reward_destination`].
//! - Validators: [`Call::validate`], [`Call::chill`], [`Call::purge_keys`].
//! - Anyone: [`Call::settle`].
//! - Admin ([`Config::AdminOrigin`]): [`Call::cancel_deferred_slash`].
//!
//! ## Pools and shares
//!
//! Every account that bonds owns a pool; `validate` makes the pool a candidate. Delegators
//! `delegate` into a candidate's pool. A pool tracks its active stake and the shares outstanding
//! against it; each member's ledger holds shares. This is what keeps the per-staker work O(1):
//!
//! - **Slashing** lowers the pool's active stake (and its still-locked unbonding stake, kept per
//!   unlock era in [`UnbondPools`]). No member is touched; a share is simply worth less. Each
//!   member's hold is trimmed to what its shares are worth (the difference burned through
//!   [`Config::OnSlash`]) the next time its ledger is *settled*: on any of its own calls, or by
//!   anyone through [`Pallet::settle`].
//! - **Rewards** raise the pool's `reward_per_share` accumulator. A member is owed
//!   `shares × (reward_per_share − snapshot)`, so [`Pallet::claim_rewards`] pays every era since
//!   the last claim in one step. Rewards are minted when claimed.
//!
//! ## Unbonding and redelegation
//!
//! `unbond` moves stake from the pool's active part into the pool's unbond pool for era
//! `active_era + BondingEras`; it stays slashable there and is withdrawable from that era.
//! `redelegate` moves a delegator's stake to another pool at once, but leaves an *obligation*
//! in the old pool's unbond pool for the bonding duration: if the old validator is slashed for
//! an offence committed before the move, the obligation loses value and the loss is taken from
//! the delegator's position in the new pool.
//!
//! ## Eras and elections
//!
//! An era is [`SessionsPerEra`] sessions of [`SessionLength`] blocks, and unbonding lasts
//! [`BondingEras`] eras (all fixed at genesis, defaulting to the runtime's constants). Genesis
//! refuses a clock whose unbonding is shorter than [`Config::MinUnbondingBlocks`] or can be
//! longer than [`Config::MaxUnbondingBlocks`] ([`Pallet::check_era_clock`]). This pallet is pallet-session's
//! `SessionManager` (through session historical, so equivocation proofs can be checked): when
//! the session that starts a new era is planned, the top [`Config::MaxValidators`] eligible
//! candidates by pool stake (ties broken by account id) become the next set. A candidate is
//! eligible when it has session keys, a self-bond of at least [`Config::MinValidatorBond`], and
//! is not blocked for an offence. With fewer than [`Config::MinValidators`] eligible candidates
//! the previous set stays and [`Event::ElectionSkipped`] says why.
//!
//! Sessions end from this pallet's `on_initialize` ([`Config::SessionRotation`]: in the runtime,
//! pallet-session's rotation every [`SessionLength`] blocks), which charges the rotation's
//! benchmarked weight over the current candidates. pallet-session's own hook would charge a
//! whole block for every rotation, leaving no room for transactions in it, so its
//! `ShouldEndSession` is [`RotatedByStaking`], which never ends a session itself.
//!
//! An elected validator (in [`ActiveValidators`] or [`PlannedValidators`]) keeps what it was
//! elected with until it has left both sets: `unbond` refuses to take its self-bond below
//! `MinValidatorBond`, even after `chill`, and its session keys leave only through
//! [`Pallet::purge_keys`], which refuses too (the runtime filters `Session::purge_keys` out with
//! [`NoSessionKeyPurge`]). Only a slash takes an elected validator below the minimum.
//!
//! ## Inflation
//!
//! When an era ends it pays `YearlyInflation × elected stake × era duration / year`
//! (the duration capped at [`Config::MaxRewardedEraDuration`]), split among the era's
//! validators by block-authorship points ([`pallet_authorship::EventHandler`]). Each
//! validator's commission is minted to it; the rest goes to its pool's accumulator. The
//! elected stake is the active stake of the era's validator pools as at their election
//! ([`ActiveStake`], like upstream's `ErasTotalStake`): stake in pools that were not elected
//! earns no inflation, and bonding or unbonding never writes a global total.
//!
//! ## Consensus offences
//!
//! As pallet-offences' `OnOffenceHandler`, the pallet chills the offender, disables it in the
//! current session, keeps it out of the next election and queues a slash of its pool (at least
//! [`Config::OffenceSlashFraction`]) to be applied [`SlashDeferEras`] eras later (at least one),
//! unless [`Config::AdminOrigin`] cancels it. A validator is slashed at most once per era: a
//! later report for the same era only adds the difference if its fraction is higher, raising
//! the queued slash in place. A report queues its slashes rather than applying them:
//! pallet-offences hands over every offender of a GRANDPA round each time one more is reported,
//! so its cost must not grow with slashes. A slash whose era's queue is full waits for the next
//! era with room, up to the last era whose start still reaches the stake that left after the
//! offence, and is applied at once only when all of those are full (`slashing.rs`).
//!
//! When its era starts, a queue becomes due ([`DueSlashes`]) and is applied
//! [`Config::MaxSlashesAppliedPerBlock`] slashes a block from that block on: a full queue's
//! work in one block would take most of it. Until a pool's due slashes are applied
//! ([`SlashesDue`]) its unlocked stake is not withdrawn, its delegators do not redelegate and
//! obligations to it are not released (nor the unlocked chunks of a staker that owes one), as
//! while a restaked slash of it is pending, so the block a slash falls in lets out nothing that
//! applying it in the era's first block would reach. The era clock makes an era long enough to
//! apply a full queue.
//!
//! A slash applies to the pool as it is when the slash is applied: stake that left before the
//! offence (unbonding chunks, redelegation obligations) is spared exactly, but stake that joined
//! the pool after the offence shares the loss, since telling it apart would cost O(members).
//!
//! ## Code layout
//!
//! One file per concern, mirroring `tests/`:
//! `ledger.rs` (every ledger, pool and unbond-pool write), `shares.rs` (share math),
//! `validators.rs`, `session_rotation.rs` (eras, elections), `rewards.rs`, `slashing.rs`,
//! `try_state.rs`; `impls.rs` holds only the traits session, authorship, offences and the other
//! Kasane pallets call native staking through.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

mod impls;
mod ledger;
pub mod migrations;
mod rewards;
mod session_rotation;
mod shares;
use shares::{mul_div, ShareError, SharePool};
mod slashing;
mod try_state;
pub mod types;
mod validators;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use impls::NoSessionKeyPurge;
pub use session_rotation::{PeriodicRotation, RotateSession, RotatedByStaking};
pub use types::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::native-staking";

/// Points a validator earns for authoring a block.
pub const POINTS_PER_BLOCK: u32 = 20;

/// Milliseconds in a (Julian) year, for the inflation rate.
pub const MILLISECONDS_PER_YEAR: u64 = 1000 * 3600 * 24 * 36525 / 100;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, Mutate, MutateHold},
			OnUnbalanced, UnixTime, ValidatorRegistration,
		},
	};
	use frame_system::pallet_prelude::*;
	use kasane_primitives::{
		staking::{OnEraEnd, OnEraStart},
		EraIndex,
	};
	use sp_runtime::Perbill;
	use sp_staking::SessionIndex;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Bonded in native staking (self-bond, delegation or unbonding).
		#[codec(index = 0)]
		Staking,
	}

	/// Credit of slashed funds, handed to [`Config::OnSlash`].
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The native token; staked funds are held under [`HoldReason::Staking`].
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>
			+ fungible::hold::Balanced<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Wall-clock time, to measure eras for inflation.
		type UnixTime: UnixTime;

		/// What happens to slashed funds (`()` burns them).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// Whether a candidate has session keys; candidates without keys are not elected.
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;

		/// The session pallet: disables offenders and prunes historical session roots.
		type SessionInterface: pallet_session::SessionInterface<
			ValidatorId = Self::AccountId,
			AccountId = Self::AccountId,
		>;

		/// When sessions end, and the rotation (the runtime: [`PeriodicRotation`] over
		/// pallet-session, whose own `ShouldEndSession` is then [`RotatedByStaking`]).
		type SessionRotation: RotateSession<BlockNumberFor<Self>>;

		/// Told when an era starts and ends (restaking, slashing, the AVS registry).
		type EraHooks: OnEraStart + OnEraEnd;

		/// Records consensus offences and their slashes in the chain's one slash history (the
		/// slashing pallet; `()` records nothing).
		type SlashLog: kasane_primitives::slashing::ConsensusSlashLog<Self::AccountId>;

		/// Whether a pending slash (an AVS's, through restaking) reaches a validator's pool:
		/// while it does, unbonded stake of the pool is not withdrawn and delegators do not
		/// redelegate away from it.
		type PoolFreeze: kasane_primitives::staking::PoolFreeze<Self::AccountId>;

		/// Unbonding must last at least this many blocks: the longest a restaked slash may take
		/// to be requested and executed (the runtime: the restaking withdrawal delay), so
		/// natively restaked stake cannot leave faster than a restaked LST (H-1).
		#[pallet::constant]
		type MinUnbondingBlocks: Get<BlockNumberFor<Self>>;

		/// Unbonding must end within this many blocks (the runtime: the allocation delay less
		/// one withdrawal completion step), so a delegator who leaves when its validator
		/// announces new restaking exposure is out before that exposure applies (H-4).
		#[pallet::constant]
		type MaxUnbondingBlocks: Get<BlockNumberFor<Self>>;

		/// May cancel deferred slashes.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Sessions per era, unless genesis sets [`SessionsPerEra`].
		#[pallet::constant]
		type DefaultSessionsPerEra: Get<SessionIndex>;

		/// Session length in blocks, unless genesis sets [`SessionLength`]. The runtime's
		/// pallet-session rotates by it through [`SessionLengthOf`].
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;

		/// The longest bonding duration a genesis may choose ([`BondingEras`]), and the
		/// bonding duration of a genesis that chooses none.
		#[pallet::constant]
		type BondingDuration: Get<EraIndex>;

		/// The slash deferral of a genesis that chooses none ([`SlashDeferEras`]).
		#[pallet::constant]
		type SlashDeferDuration: Get<EraIndex>;

		/// Most validators elected per era.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Fewest validators an election may produce; with fewer, the previous set stays.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Most validator candidates at once (bounds election work).
		#[pallet::constant]
		type MaxValidatorCandidates: Get<u32>;

		/// Most unbonding chunks (and, separately, redelegation obligations) per staker.
		#[pallet::constant]
		type MaxUnlockingChunks: Get<u32>;

		/// Least self-bond to be a validator candidate.
		#[pallet::constant]
		type MinValidatorBond: Get<BalanceOf<Self>>;

		/// Least stake any staker may keep bonded (a delegation, or a self-bond).
		#[pallet::constant]
		type MinDelegatorBond: Get<BalanceOf<Self>>;

		/// Highest commission a validator may set.
		#[pallet::constant]
		type MaxCommission: Get<Perbill>;

		/// Most a validator may raise its commission by, once per era.
		#[pallet::constant]
		type MaxCommissionIncreasePerEra: Get<Perbill>;

		/// Yearly inflation, as a rate on the total active stake.
		#[pallet::constant]
		type YearlyInflation: Get<Perbill>;

		/// Longest era duration (ms) that earns inflation, so a stalled chain does not mint a
		/// windfall when it resumes.
		#[pallet::constant]
		type MaxRewardedEraDuration: Get<u64>;

		/// Least fraction of its pool a validator loses for a consensus offence.
		#[pallet::constant]
		type OffenceSlashFraction: Get<Perbill>;

		/// Most slashes that can wait for the same era.
		#[pallet::constant]
		type MaxSlashesPerEra: Get<u32>;

		/// Most due slashes applied in one block, from the block that starts their era on
		/// ([`DueSlashes`]): an era start must not do a whole queue's work in one block. The era
		/// clock makes an era long enough to apply a full queue this way.
		#[pallet::constant]
		type MaxSlashesAppliedPerBlock: Get<u32>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Bound on [`BondedEras`]: the eras whose offences can still be slashed.
	pub struct BondedErasBound<T>(PhantomData<T>);
	impl<T: Config> Get<u32> for BondedErasBound<T> {
		fn get() -> u32 {
			T::BondingDuration::get().saturating_add(1)
		}
	}

	/// The current session length, for pallet-session's `PeriodicSessions`.
	pub struct SessionLengthOf<T>(PhantomData<T>);
	impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
		fn get() -> BlockNumberFor<T> {
			SessionLength::<T>::get()
		}
	}

	/// Eras unbonding stake waits (and stays slashable) before it can be withdrawn, and a
	/// redelegation stays answerable for offences of the pool it left (fixed at genesis, at most
	/// [`Config::BondingDuration`]; devnets with minutes-long delays need few short eras).
	#[pallet::storage]
	pub type BondingEras<T: Config> = StorageValue<_, EraIndex, ValueQuery, T::BondingDuration>;

	/// Eras between an offence being reported and its slash being applied (fixed at genesis,
	/// at least one and fewer than [`BondingEras`], so the stake is still there).
	#[pallet::storage]
	pub type SlashDeferEras<T: Config> =
		StorageValue<_, EraIndex, ValueQuery, T::SlashDeferDuration>;

	/// Sessions per era (fixed at genesis; test networks use short eras).
	#[pallet::storage]
	pub type SessionsPerEra<T: Config> =
		StorageValue<_, SessionIndex, ValueQuery, T::DefaultSessionsPerEra>;

	/// Session length in blocks (fixed at genesis).
	#[pallet::storage]
	pub type SessionLength<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultSessionLength>;

	/// The ledger of every account with stake.
	#[pallet::storage]
	pub type Ledgers<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, StakerLedger<T>>;

	/// The pool of every validator that has (or had, while members remain) a self-bond.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, Pool<BalanceOf<T>>>;

	/// Stake leaving a pool, by pool and unlock era.
	#[pallet::storage]
	pub type UnbondPools<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		T::AccountId,
		Twox64Concat,
		EraIndex,
		UnbondPool<BalanceOf<T>>,
	>;

	/// Validator candidates and their commission.
	#[pallet::storage]
	pub type Validators<T: Config> =
		CountedStorageMap<_, Twox64Concat, T::AccountId, ValidatorPrefs>;

	/// The active stake of the pools elected for [`CurrentEra`], as at the election.
	#[pallet::storage]
	pub type PlannedStake<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The active stake of the pools elected for the active era, as at the election: the base
	/// of the era's inflation. A snapshot, so bonding and unbonding never write a global total.
	#[pallet::storage]
	pub type ActiveStake<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The latest planned era (its validator set may not be in force yet).
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, OptionQuery>;

	/// The era in force.
	#[pallet::storage]
	pub type ActiveEra<T: Config> = StorageValue<_, ActiveEraInfo, OptionQuery>;

	/// The session each recent era starts at.
	#[pallet::storage]
	pub type ErasStartSessionIndex<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, SessionIndex, OptionQuery>;

	/// Eras whose offences can still be slashed, with their first session (oldest first).
	#[pallet::storage]
	pub type BondedEras<T: Config> =
		StorageValue<_, BoundedVec<(EraIndex, SessionIndex), BondedErasBound<T>>, ValueQuery>;

	/// The set elected for [`CurrentEra`] (the set kept if its election was skipped).
	#[pallet::storage]
	pub type PlannedValidators<T: Config> = StorageValue<_, ElectedSet<T>, ValueQuery>;

	/// The set of the active era.
	#[pallet::storage]
	pub type ActiveValidators<T: Config> = StorageValue<_, ElectedSet<T>, ValueQuery>;

	/// Block-authorship points of the active era.
	#[pallet::storage]
	pub type ActiveEraPoints<T: Config> = StorageValue<_, EraRewardPoints<T>, ValueQuery>;

	/// Slashes waiting for the era they are applied in.
	#[pallet::storage]
	pub type UnappliedSlashes<T: Config> = StorageMap<
		_,
		Twox64Concat,
		EraIndex,
		BoundedVec<UnappliedSlash<T::AccountId>, T::MaxSlashesPerEra>,
		ValueQuery,
	>;

	/// Slashes whose era has started, applied [`Config::MaxSlashesAppliedPerBlock`] per block
	/// from its first block on, oldest offence first as queued. Governance can no longer cancel
	/// them.
	#[pallet::storage]
	pub type DueSlashes<T: Config> =
		StorageValue<_, BoundedVec<UnappliedSlash<T::AccountId>, T::MaxSlashesPerEra>, ValueQuery>;

	/// How many of [`DueSlashes`] reach each validator's pool: while it has any, the pool's
	/// unlocked stake is not withdrawn and its delegators do not redelegate, so paging the
	/// slashes over blocks lets nothing out that applying them at the era's start would reach.
	#[pallet::storage]
	pub type SlashesDue<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32>;

	/// The highest fraction each validator was slashed for offences of an era (so that an
	/// offence is never applied twice).
	#[pallet::storage]
	pub type SlashedInEra<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EraIndex, Twox64Concat, T::AccountId, Perbill>;

	/// Offenders kept out of elections up to and including this era.
	#[pallet::storage]
	pub type BlockedUntil<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, EraIndex>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial validators: account, self-bond, commission. They are bonded, made
		/// candidates, and elected for era 0 (they need session keys in session's genesis).
		pub validators: Vec<(T::AccountId, BalanceOf<T>, Perbill)>,
		/// Initial delegations: delegator, validator, amount.
		pub delegations: Vec<(T::AccountId, T::AccountId, BalanceOf<T>)>,
		/// Overrides `DefaultSessionsPerEra`.
		pub sessions_per_era: Option<SessionIndex>,
		/// Overrides `DefaultSessionLength`.
		pub session_length: Option<BlockNumberFor<T>>,
		/// Overrides `BondingDuration` (a shorter one only).
		pub bonding_eras: Option<EraIndex>,
		/// Overrides `SlashDeferDuration`.
		pub slash_defer_eras: Option<EraIndex>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Stored even when they are the defaults: an upgrade that changes the defaults must
			// not move a running chain's eras or unlock times.
			SessionsPerEra::<T>::put(
				self.sessions_per_era.unwrap_or_else(T::DefaultSessionsPerEra::get),
			);
			SessionLength::<T>::put(
				self.session_length.unwrap_or_else(T::DefaultSessionLength::get),
			);
			BondingEras::<T>::put(self.bonding_eras.unwrap_or_else(T::BondingDuration::get));
			SlashDeferEras::<T>::put(
				self.slash_defer_eras.unwrap_or_else(T::SlashDeferDuration::get),
			);
			if let Err(why) = Pallet::<T>::check_era_clock() {
				panic!("genesis era clock refused: {why}");
			}
			for (validator, bond, commission) in &self.validators {
				Pallet::<T>::do_bond(validator, *bond).expect("genesis validator can bond");
				Pallet::<T>::do_validate(validator, *commission)
					.expect("genesis validator can validate");
			}
			for (delegator, validator, amount) in &self.delegations {
				Pallet::<T>::do_delegate(delegator, validator, *amount)
					.expect("genesis delegation is valid");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` bonded `amount` into the pool of `pool` (its own pool for a self-bond).
		Bonded { who: T::AccountId, pool: T::AccountId, amount: BalanceOf<T> },
		/// `who` started unbonding `amount` from `pool`, withdrawable at `era`.
		Unbonded { who: T::AccountId, pool: T::AccountId, amount: BalanceOf<T>, era: EraIndex },
		/// `who` moved `amount` of unbonding stake back into its pool.
		Rebonded { who: T::AccountId, amount: BalanceOf<T> },
		/// `who` withdrew `amount` of unbonded stake (released from the hold).
		Withdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// `who` has no stake left; its ledger was removed.
		StakerRemoved { who: T::AccountId },
		/// `who` moved `amount` from the pool of `from` to the pool of `to`; it stays
		/// answerable for offences of `from` until `obligation_until`.
		Redelegated {
			who: T::AccountId,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			obligation_until: EraIndex,
		},
		/// `validator` became a candidate or changed its commission.
		ValidatorPrefsSet { validator: T::AccountId, commission: Perbill },
		/// `validator` is no longer a candidate.
		Chilled { validator: T::AccountId },
		/// `who`'s session keys were removed (and their deposit released).
		SessionKeysPurged { who: T::AccountId },
		/// `who` will receive rewards as `destination`.
		RewardDestinationSet { who: T::AccountId, destination: RewardDestination },
		/// `who` was paid `amount` of rewards.
		RewardsClaimed { who: T::AccountId, amount: BalanceOf<T>, destination: RewardDestination },
		/// `validators` were elected for `era`.
		ValidatorsElected { era: EraIndex, validators: Vec<T::AccountId> },
		/// The election for `era` kept the previous set.
		ElectionSkipped { era: EraIndex, reason: ElectionSkipped },
		/// `era` came into force.
		EraStarted { era: EraIndex },
		/// `era` ended and paid `payout` in total over `points` authorship points.
		EraPaid { era: EraIndex, payout: BalanceOf<T>, points: u32 },
		/// `validator` earned `commission` (paid) and `pool_reward` (to its pool's members).
		ValidatorRewarded {
			era: EraIndex,
			validator: T::AccountId,
			commission: BalanceOf<T>,
			pool_reward: BalanceOf<T>,
		},
		/// Another pallet (restaking: AVS rewards in KSN) credited `amount` to the members of
		/// `validator`'s pool; members claim it with their era rewards.
		PoolRewarded { validator: T::AccountId, amount: BalanceOf<T> },
		/// `validator` committed an offence in `offence_era`: it was chilled, and a slash of
		/// `fraction` of its pool will be applied at `apply_era`.
		OffenceReported {
			validator: T::AccountId,
			offence_era: EraIndex,
			fraction: Perbill,
			apply_era: EraIndex,
		},
		/// A deferred slash of `validator` due at `era` was cancelled.
		SlashCancelled { era: EraIndex, validator: T::AccountId },
		/// `amount`, `parts / whole` of it, was taken from the pool of `validator` (active and
		/// unbonding stake).
		PoolSlashed { validator: T::AccountId, parts: u128, whole: u128, amount: BalanceOf<T> },
		/// `amount` was taken from `who`'s hold to settle slashes of its pools.
		SlashSettled { who: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The account already has a staking ledger.
		AlreadyBonded,
		/// The account has no staking ledger.
		NotBonded,
		/// The resulting stake would be below the minimum bond.
		BelowMinimumBond,
		/// Not enough free balance to hold this amount.
		InsufficientBalance,
		/// The target is not a validator candidate.
		NotValidator,
		/// A validator cannot delegate to itself; use `bond_extra`.
		CannotDelegateToSelf,
		/// The account is a pool owner (self-bonded); delegator-only call.
		NotDelegator,
		/// `validate` needs the account's own self-bond, not a delegation.
		NotSelfBonded,
		/// Already in that pool.
		SamePool,
		/// Too many unbonding chunks; withdraw or wait.
		TooManyUnlockingChunks,
		/// Too many redelegation obligations outstanding.
		TooManyRedelegations,
		/// No unbonding stake in the current pool to rebond.
		NothingToRebond,
		/// No unbonding stake has unlocked yet.
		NothingToWithdraw,
		/// No rewards to claim.
		NothingToClaim,
		/// The commission is above `MaxCommission`.
		CommissionTooHigh,
		/// The commission rises by more than `MaxCommissionIncreasePerEra`, or rose already
		/// this era.
		CommissionIncreaseTooFast,
		/// `MaxValidatorCandidates` reached.
		TooManyCandidates,
		/// The self-bond is below `MinValidatorBond`; for a candidate, unbonding would take it
		/// there (chill first).
		InsufficientSelfBond,
		/// The validator is in the active set or the one planned for the next era: until it
		/// has left both, its self-bond may not fall below `MinValidatorBond` and its session
		/// keys stay (chill; it is free once an era elected without it has started).
		StillElected,
		/// The account is kept out of elections for an offence until a later era.
		BlockedForOffence,
		/// The pool's stake was slashed away; it accepts no new stake.
		PoolDestroyed,
		/// A pending slash reaches the pool, or a due one is not applied yet: its stake stays
		/// until the slash is decided and applied.
		SlashPending,
		/// No slash was given to cancel.
		EmptySlashList,
		/// A slash index is out of range.
		InvalidSlashIndex,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// `ActiveEra`, read and maybe written by `on_finalize`, and the session length.
			let mut weight = T::DbWeight::get().reads_writes(2, 1);
			if T::SessionRotation::should_rotate(now) {
				weight.saturating_accrue(Self::rotate_session());
			}
			// After the rotation, so that an era's first block applies its first page.
			weight.saturating_accrue(Self::apply_due_slashes());
			weight
		}

		fn on_finalize(_: BlockNumberFor<T>) {
			// The era's clock starts with its first block (timestamps are set by then).
			if let Some(mut active) = ActiveEra::<T>::get() {
				if active.start.is_none() {
					active.start = Some(T::UnixTime::now().as_millis() as u64);
					ActiveEra::<T>::put(active);
				}
			}
		}

		fn integrity_test() {
			// Runs on empty storage: the defaults (and the maxima of the delays they are
			// checked against) must make a valid clock on their own.
			if let Err(why) = Pallet::<T>::check_era_clock() {
				panic!("the default era clock is refused: {why}");
			}
			assert!(T::MinValidators::get() >= 1, "an election must produce a validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get());
			assert!(T::MaxValidators::get() <= T::MaxValidatorCandidates::get());
			assert!(T::MaxUnlockingChunks::get() > 0);
			assert!(T::MaxSlashesPerEra::get() > 0);
			assert!(T::MaxSlashesAppliedPerBlock::get() > 0, "due slashes must be applied");
			assert!(T::MinValidatorBond::get() >= T::MinDelegatorBond::get());
			assert!(
				!T::MinDelegatorBond::get().is_zero(),
				"a zero minimum bond allows dust ledgers"
			);
			assert!(T::MaxCommissionIncreasePerEra::get() <= T::MaxCommission::get());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Bond `value` as self-stake, creating the caller's own pool. `validate` then makes
		/// it a candidate.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::bond())]
		pub fn bond(
			origin: OriginFor<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(&who, value)
		}

		/// Add `value` to the caller's stake in its current pool.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn bond_extra(
			origin: OriginFor<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_bond_extra(&who, value)?;
			Ok(Some(T::WeightInfo::bond_extra().saturating_add(Self::settle_extra(items))).into())
		}

		/// Start unbonding `value` (capped at the active stake); withdrawable after
		/// [`BondingEras`] eras, slashable until then.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_unbond(&who, value)?;
			Ok(Some(T::WeightInfo::unbond().saturating_add(Self::settle_extra(items))).into())
		}

		/// Move up to `value` of stake unbonding from the current pool back to active.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::rebond(T::MaxUnlockingChunks::get())
				.saturating_add(Pallet::<T>::settle_weight())
		)]
		pub fn rebond(
			origin: OriginFor<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_rebond(&who, value)?;
			Ok(Some(T::WeightInfo::rebond(items.max(1)).saturating_add(Self::settle_extra(items)))
				.into())
		}

		/// Release every unbonding chunk that has unlocked; remove the ledger when nothing is
		/// left (paying out unclaimed rewards).
		#[pallet::call_index(4)]
		#[pallet::weight(
			Pallet::<T>::withdraw_unbonded_weight(T::MaxUnlockingChunks::get())
				.saturating_add(Pallet::<T>::settle_weight())
		)]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_withdraw_unbonded(&who)?;
			Ok(Some(
				Self::withdraw_unbonded_weight(items.max(1))
					.saturating_add(Self::settle_extra(items)),
			)
			.into())
		}

		/// Become (or stay) a validator candidate with `commission`. Needs a self-bond of at
		/// least `MinValidatorBond`; session keys are set with `Session::set_keys`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::validate().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn validate(origin: OriginFor<T>, commission: Perbill) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_validate(&who, commission)?;
			Ok(Some(T::WeightInfo::validate().saturating_add(Self::settle_extra(items))).into())
		}

		/// Stop being a candidate from the next election on. Delegations stay.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::chill())]
		pub fn chill(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Validators::<T>::contains_key(&who), Error::<T>::NotValidator);
			Self::do_chill(&who);
			Ok(())
		}

		/// Delegate `value` to the pool of candidate `validator`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::delegate())]
		pub fn delegate(
			origin: OriginFor<T>,
			validator: T::AccountId,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(&who, &validator, value)
		}

		/// Unbond the caller's whole delegation.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::unbond().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn undelegate(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let ledger = Ledgers::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			ensure!(ledger.pool != who, Error::<T>::NotDelegator);
			let items = Self::settle_items(&who);
			Self::do_unbond(&who, <BalanceOf<T> as sp_runtime::traits::Bounded>::max_value())?;
			Ok(Some(T::WeightInfo::unbond().saturating_add(Self::settle_extra(items))).into())
		}

		/// Move the caller's whole delegation to the pool of candidate `to` now. The moved
		/// stake stays answerable for offences of the old pool for [`BondingEras`] eras.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::redelegate().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn redelegate(origin: OriginFor<T>, to: T::AccountId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_redelegate(&who, &to)?;
			Ok(Some(T::WeightInfo::redelegate().saturating_add(Self::settle_extra(items))).into())
		}

		/// Pay the caller all rewards owed since its last claim, to its reward destination.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::claim_rewards().saturating_add(Pallet::<T>::settle_weight()))]
		pub fn claim_rewards(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let items = Self::settle_items(&who);
			Self::do_claim_rewards(&who)?;
			Ok(Some(T::WeightInfo::claim_rewards().saturating_add(Self::settle_extra(items)))
				.into())
		}

		/// Choose whether claimed rewards are bonded (`Stake`) or paid out (`Free`).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_reward_destination())]
		pub fn set_reward_destination(
			origin: OriginFor<T>,
			destination: RewardDestination,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Ledgers::<T>::try_mutate(&who, |ledger| {
				let ledger = ledger.as_mut().ok_or(Error::<T>::NotBonded)?;
				ledger.reward_destination = destination;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::RewardDestinationSet { who, destination });
			Ok(())
		}

		/// Settle `who`'s ledger: take pending slashes from its hold and book its rewards. Anyone
		/// may call it, so slashed funds are burned without the staker's cooperation.
		#[pallet::call_index(12)]
		#[pallet::weight(Pallet::<T>::settle_call_weight(T::MaxUnlockingChunks::get()))]
		pub fn settle(origin: OriginFor<T>, who: T::AccountId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut ledger = Ledgers::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			let items = Self::settle_items(&who);
			Self::settle_ledger(&who, &mut ledger)?;
			Self::put_ledger(&who, ledger);
			Ok(Some(Self::settle_call_weight(items)).into())
		}

		/// Cancel deferred slashes due at `era`, by their indices in `UnappliedSlashes[era]`.
		/// Each cancelled slash is also marked in the slash history ([`Config::SlashLog`]).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::cancel_deferred_slash(T::MaxSlashesPerEra::get())
			.saturating_add(<T::SlashLog as kasane_primitives::slashing::ConsensusSlashLog<T::AccountId>>::weight()
				.saturating_mul(T::MaxSlashesPerEra::get().into())))]
		pub fn cancel_deferred_slash(
			origin: OriginFor<T>,
			era: EraIndex,
			slash_indices: Vec<u32>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_cancel_deferred_slash(era, slash_indices)
		}

		/// Remove the caller's session keys and release their deposit; refused while the
		/// caller is an elected validator, whose keys the era needs. This replaces
		/// `Session::purge_keys`, which the runtime filters out.
		#[pallet::call_index(14)]
		// Benchmarked with keys set through the session interface (no deposit): the storage it
		// measures — the keys, their owners, the hold and the account — is what releasing a
		// deposit and a consumer reference writes too.
		#[pallet::weight(T::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Self::is_elected(&who), Error::<T>::StillElected);
			<T::SessionInterface as pallet_session::SessionInterface>::purge_keys(&who)?;
			Self::deposit_event(Event::SessionKeysPurged { who });
			Ok(())
		}
	}
}
