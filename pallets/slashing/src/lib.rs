//! # Slashing (`pallet-slashing`)
//!
//! The one place where every slash in Kasane is requested, checked, disputed, executed and
//! recorded. Restaked stake is slashed through restaking's O(1) primitive
//! ([`OperatorSlasher`]); consensus offences slash native pools in native staking and are
//! recorded here ([`ConsensusSlashLog`]). Every slash has one [`SlashRecord`] in one history.
//!
//! ## Terminology
//!
//! - **Slash**: taking a fraction (of 10¹⁸) of what an operator allocated to an operator set
//!   ([`Slashes`]); every slash has one [`SlashRecord`], whatever its source.
//! - **Pending slash**: a requested slash under `Veto { window }` terms, waiting for its window
//!   to end ([`Due`]); the veto council can cancel it.
//! - **Slasher**: the account an AVS designated, besides its owner, to request its slashes
//!   ([`Slashers`]).
//! - **Epoch**: [`Config::EpochLength`] blocks; a set's slashes of one operator per epoch are
//!   capped by its terms ([`EpochSlashed`]).
//! - **Evidence**: a double-sign an operator was punished for, kept while the set can slash it
//!   ([`Evidence`]).
//! - **Mode**: [`SlashingMode`], global ([`GlobalMode`]) and per operator set
//!   ([`OperatorSetModes`]); the stricter applies.
//!
//! ## Calls
//!
//! - AVS owners and their slashers: [`Call::request_slash`].
//! - AVS owners: [`Call::set_slasher`], [`Call::set_operator_set_mode`] (only to lower the
//!   mode).
//! - Veto council ([`Config::VetoOrigin`]): [`Call::veto_slash`].
//! - Anyone: [`Call::execute_slash`], [`Call::report_equivocation`].
//! - Admin ([`Config::AdminOrigin`]): [`Call::set_global_mode`], [`Call::set_operator_set_mode`].
//!
//! ## Three sources
//!
//! - **Requested by an AVS** (`request_slash`): the AVS owner, or the slasher account it
//!   designated (`set_slasher`), asks to slash `fraction` of what an operator allocated to one
//!   of its sets. The operator must still be slashable by the set (a member, or one that left
//!   less than the deallocation delay ago), and the fraction must be at least
//!   [`Config::MinSlashFraction`] and fit in what the set may still slash the operator for this
//!   epoch (`max_slash_per_epoch` of its terms, per [`Config::EpochLength`] blocks; requests,
//!   pending or executed, count, vetoed ones do not). Under `Instant` terms the slash executes
//!   in the same call. Under `Veto { window }` it is *pending* until `window` blocks have
//!   passed: the requester holds [`Config::RequestDeposit`] until it is decided, each AVS has
//!   at most [`Config::MaxPendingPerAvs`] pending (one AVS can never fill a bound others
//!   need); the veto council ([`Config::VetoOrigin`]) can cancel it with `veto_slash`
//!   (returning the deposit, or burning it when the request was abuse); after the window
//!   anyone may execute it with `execute_slash` (free, and paid [`Config::ExecutorShare`] of
//!   what the operator itself loses), and `on_initialize` executes due slashes itself under
//!   [`Config::ExecutionWeightPerBlock`], oldest first, continuing in the next block when a
//!   block's budget is spent.
//! - **Double signing** (`report_equivocation`): two messages for the same `(set, round)` with
//!   different payload hashes, both signed by the operator's registered key for the set (the
//!   format is [`kasane_primitives::avs::AvsMessage`]), verified on chain. The set's
//!   `equivocation_penalty` executes at once, without veto, [`Config::ReporterShare`] of what
//!   the operator itself loses goes to the reporter (unless the reporter is the operator or
//!   the AVS's owner), and the operator is ejected from the set. An operator is punished for
//!   equivocation at most once per membership: its [`Evidence`] is kept while the set can
//!   slash it (replays of the same or another round are refused) and pruned when its departed
//!   membership is purged. A report is free only when the slash it causes is worth at least
//!   [`Config::MinFreeReportNative`] KSN or [`Config::MinFreeReportValue`] in LSTs; invalid
//!   evidence is rejected with a named error and the reporter pays the transaction fee.
//! - **Consensus**: native staking reports GRANDPA offences, their deferred application and
//!   their cancellation here; they appear in the same history (`source: Consensus`).
//!
//! ## Safety rails
//!
//! - A slash never exceeds what the operator had allocated to the set when it was requested:
//!   a pending slash records the magnitude in force per strategy and is capped by it when it
//!   executes.
//! - While a slash is pending, restaking freezes what it reaches
//!   ([`OperatorSlasher::freeze`]): decreases of the operator's allocations to the set wait
//!   until after the slash's deadline, and withdrawals queued from the operator do not
//!   complete. A slash and a deallocation or withdrawal due in the same block thus resolve in
//!   favour of the slash: slashes due at a block execute in its `on_initialize`, before any
//!   extrinsic, and what they reach cannot leave until the block after.
//! - The per-epoch cap bounds what one set can take from one operator per epoch.
//! - [`SlashingMode`]: globally (root) and per set (root, or the AVS owner lowering it),
//!   `Enabled`, `LogOnly` (records what a slash would take, executes nothing) or `Disabled`.
//!   The stricter applies, checked when a slash is requested and again when it executes.
//!
//! ## Records
//!
//! The latest [`Config::HistoryDepth`] records are kept (a pending one stays until it is
//! decided), indexed by operator and by set for the [`SlashingApi`] runtime API, which also
//! tells a staker what each pending slash would cost it.
//!
//! [`SlashingApi`]: kasane_primitives::slashing::SlashingApi
//!
//! ## Code layout
//!
//! One file per concern, mirroring `tests/`:
//! `records.rs` (every record write, epoch budgets, modes), `requests.rs`, `equivocation.rs`,
//! `views.rs` (what the runtime API reports), `try_state.rs`; `impls.rs` holds only the traits
//! native staking and the registry call the slashing pallet through.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

mod equivocation;
mod impls;
mod records;
mod requests;
mod try_state;
pub mod types;
mod views;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use kasane_primitives::{
	avs::{AvsMessage, OperatorKey, OperatorSignature},
	restaking::{Magnitude, OperatorSetId, OperatorSlasher, StakeValuation, WAD},
	slashing::{
		ConsensusSlashLog, ReasonUri, RegistryEvents, SlashAmount, SlashId, SlashRecord,
		SlashSource, SlashStatus, SlashingMode, SlashingRegistry,
	},
};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::PostDispatchInfo, pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use kasane_primitives::{restaking::AvsId, staking::NativeStakeProvider};
	use sp_runtime::Perbill;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a pending slash request.
		SlashRequest,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// KSN: request deposits are held in it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = u128>
			+ fungible::Mutate<Self::AccountId>;

		/// Values slashed LSTs (the AVS registry's exchange rates), to tell whether a report
		/// slashed enough to be free.
		type Valuation: StakeValuation;

		/// Operator sets, their owners, terms and member keys (the AVS registry).
		type Registry: SlashingRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// Restaked stake: slashed, previewed and frozen (restaking).
		type Restaking: OperatorSlasher<Self::AccountId, u128>;

		/// Native pools, to tell a staker what a pending consensus slash would cost it.
		type NativeStake: NativeStakeProvider<Self::AccountId, u128>;

		/// May veto pending slashes (a council; root on devnets).
		type VetoOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Sets the slashing mode globally and per set.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per slashing epoch (the period `max_slash_per_epoch` counts over).
		#[pallet::constant]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// The reporter of valid double-sign evidence gets this share of what it slashes.
		#[pallet::constant]
		type ReporterShare: Get<Perbill>;

		/// Whoever executes a due slash with `execute_slash` gets this share of what it takes.
		#[pallet::constant]
		type ExecutorShare: Get<Perbill>;

		/// KSN a requester holds per pending slash, returned when it is decided (burned when
		/// the council vetoes it as abuse).
		#[pallet::constant]
		type RequestDeposit: Get<u128>;

		/// Most slashes one AVS may have pending at once.
		#[pallet::constant]
		type MaxPendingPerAvs: Get<u32>;

		/// Least fraction a slash request may take (of 10¹⁸).
		#[pallet::constant]
		type MinSlashFraction: Get<Magnitude>;

		/// A report is free when the slash takes at least this much native stake...
		#[pallet::constant]
		type MinFreeReportNative: Get<u128>;

		/// ...or at least this value of LSTs (the AVS registry's common unit).
		#[pallet::constant]
		type MinFreeReportValue: Get<u128>;

		/// Most pending slashes due at the same block.
		#[pallet::constant]
		type MaxDuePerBlock: Get<u32>;

		/// Decided slash records kept (the newest ones).
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Most weight `on_initialize` spends executing due slashes per block.
		#[pallet::constant]
		type ExecutionWeightPerBlock: Get<Weight>;

		type WeightInfo: WeightInfo;

		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BlockNumberFor<Self>>;
	}

	/// Builds what the benchmarks need in the runtime (restaking and the registry).
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, BlockNumber> {
		/// `operator` in an operator set (created if needed), with `strategies` strategies
		/// allocated to it and `stakers` stakers behind it.
		fn slashable_operator(operator: &AccountId, strategies: u32, stakers: u32)
			-> OperatorSetId;
		/// Most strategies one operator set can accept.
		fn max_strategies() -> u32;
		/// Make `key` `operator`'s key in `set` and `terms` the set's terms.
		fn configure(
			operator: &AccountId,
			set: &OperatorSetId,
			key: OperatorKey,
			terms: kasane_primitives::avs::SlashingTerms<AccountId, BlockNumber>,
		);
	}

	/// Slash records: the pending ones and the latest decided ones.
	#[pallet::storage]
	pub type Slashes<T: Config> = StorageMap<_, Twox64Concat, SlashId, SlashRecordOf<T>>;

	/// The id the next record gets.
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Records by operator.
	#[pallet::storage]
	pub type OperatorSlashes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Twox64Concat, SlashId, ()>;

	/// Records by operator set.
	#[pallet::storage]
	pub type SetSlashes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, OperatorSetId, Twox64Concat, SlashId, ()>;

	/// Pending AVS slashes by the block they are due at.
	#[pallet::storage]
	pub type Due<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<SlashId, T::MaxDuePerBlock>,
		ValueQuery,
	>;

	/// The first block whose due slashes may not have been executed yet.
	#[pallet::storage]
	pub type DueCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Pending AVS slashes (in `Due`), all AVSs together: tells `on_initialize` whether there is
	/// anything to look at. Never a bound.
	#[pallet::storage]
	pub type PendingCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Pending slashes per AVS, bounded by [`Config::MaxPendingPerAvs`].
	#[pallet::storage]
	pub type PendingPerAvs<T: Config> = StorageMap<_, Twox64Concat, AvsId, u32, ValueQuery>;

	/// Who holds the deposit of each pending request, and how much.
	#[pallet::storage]
	pub type RequestDeposits<T: Config> =
		StorageMap<_, Twox64Concat, SlashId, (T::AccountId, u128)>;

	/// (set, operator) → (epoch, fraction requested in it): the per-epoch cap's tally.
	#[pallet::storage]
	pub type EpochSlashed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OperatorSetId,
		Twox64Concat,
		T::AccountId,
		(u32, Magnitude),
	>;

	/// (set, operator) → the round of the equivocation it was punished for and the record: at
	/// most one per membership, kept while the set can slash the operator (no other report
	/// about it counts meanwhile), removed when its departed membership is purged.
	#[pallet::storage]
	pub type Evidence<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OperatorSetId,
		Twox64Concat,
		T::AccountId,
		(u64, SlashId),
	>;

	/// The slasher account an AVS designated (besides its owner), with the owner that
	/// designated it: a new owner's AVS does not keep the old owner's slasher.
	#[pallet::storage]
	pub type Slashers<T: Config> = StorageMap<_, Twox64Concat, AvsId, (T::AccountId, T::AccountId)>;

	/// The global slashing mode.
	#[pallet::storage]
	pub type GlobalMode<T: Config> = StorageValue<_, SlashingMode, ValueQuery>;

	/// Per-set slashing modes (absent: `Enabled`).
	#[pallet::storage]
	pub type OperatorSetModes<T: Config> = StorageMap<_, Twox64Concat, OperatorSetId, SlashingMode>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub mode: SlashingMode,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			GlobalMode::<T>::put(self.mode);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A slash of `operator` under `set` waits for its veto window to end at `executes_at`.
		SlashRequested {
			id: SlashId,
			operator: T::AccountId,
			set: OperatorSetId,
			fraction: Magnitude,
			executes_at: BlockNumberFor<T>,
		},
		/// A slash was executed; `amounts` are what it took per strategy.
		SlashExecuted {
			id: SlashId,
			operator: T::AccountId,
			set: Option<OperatorSetId>,
			amounts: alloc::vec::Vec<SlashAmount>,
		},
		/// A slash was recorded in log-only mode (or reached its deadline in it): `amounts` are
		/// what it would have taken; nothing was taken.
		SlashLogged {
			id: SlashId,
			operator: T::AccountId,
			set: OperatorSetId,
			amounts: alloc::vec::Vec<SlashAmount>,
		},
		/// The veto council (or root, for a consensus slash) cancelled a pending slash; the
		/// requester's deposit was burned when `forfeited`, returned otherwise.
		SlashVetoed { id: SlashId, forfeited: bool },
		/// A due slash could not execute; nothing was taken.
		SlashFailed { id: SlashId, error: DispatchError },
		/// Double-sign evidence against `operator` in `set` for `round` was accepted; the
		/// operator was ejected from the set.
		EquivocationReported {
			id: SlashId,
			operator: T::AccountId,
			set: OperatorSetId,
			round: u64,
			reporter: T::AccountId,
		},
		/// A consensus offence of `validator` was recorded.
		ConsensusOffenceRecorded { id: SlashId, validator: T::AccountId, apply_era: u32 },
		/// `avs` designated `slasher` (or none) to request slashes.
		SlasherSet { avs: AvsId, slasher: Option<T::AccountId> },
		/// The global slashing mode changed.
		GlobalModeSet { mode: SlashingMode },
		/// `set`'s slashing mode changed.
		OperatorSetModeSet { set: OperatorSetId, mode: SlashingMode },
		/// A later report of the same consensus offence raised its pending slash `id` to
		/// `fraction` in all.
		ConsensusOffenceRaised { id: SlashId, fraction: Perbill },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such operator set.
		UnknownOperatorSet,
		/// No such AVS.
		UnknownAvs,
		/// Only the AVS owner or its designated slasher may request its slashes.
		NotSlasher,
		/// Only the AVS owner may do this.
		NotAvsOwner,
		/// Slashing is disabled for this set (or globally).
		SlashingDisabled,
		/// Slash fractions are in (0, 10¹⁸].
		InvalidFraction,
		/// The operator is not (or no longer) slashable by the set.
		NotSlashable,
		/// The fraction exceeds what the set may still slash the operator for this epoch.
		EpochCapExceeded,
		/// The operator has nothing allocated to the set.
		NothingToSlash,
		/// The AVS has `MaxPendingPerAvs` slashes pending.
		TooManyPending,
		/// The fraction is below `MinSlashFraction`.
		FractionTooSmall,
		/// The operator was punished for equivocation in this membership of the set already.
		AlreadyPunished,
		/// Too many slashes are due at the same block; try again next block.
		DueBlockFull,
		/// No such slash record.
		UnknownSlash,
		/// The slash is not pending.
		NotPending,
		/// Consensus slashes are cancelled in native staking.
		NotVetoable,
		/// The slash's veto window has not ended yet.
		VetoWindowOpen,
		/// Both messages must be for the reported set.
		WrongSet,
		/// The messages are for different rounds.
		DifferentRounds,
		/// The messages have the same payload: not an equivocation.
		SameMessage,
		/// A signature is not the operator's key's signature of its message.
		InvalidSignature,
		/// This operator's equivocation in this round was already reported.
		DuplicateEvidence,
		/// The set's terms slash nothing for equivocation.
		NoEquivocationPenalty,
		/// An AVS owner may only lower its set's mode; raising it is for root.
		CannotRaiseMode,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::execute_due(now, T::ExecutionWeightPerBlock::get())
		}

		fn integrity_test() {
			assert!(!T::EpochLength::get().is_zero(), "epochs must have a length");
			assert!(T::MaxPendingPerAvs::get() > 0 && T::MaxDuePerBlock::get() > 0);
			assert!(T::MinSlashFraction::get() > 0 && T::MinSlashFraction::get() <= WAD);
			assert!(
				T::ExecutionWeightPerBlock::get().all_gte(
					Pallet::<T>::execute_weight(kasane_primitives::slashing::MAX_SLASH_STRATEGIES)
						.saturating_mul(T::MaxDuePerBlock::get().into())
				),
				"a block must execute every slash due in it, or a slash lags behind what it froze"
			);
			assert!(T::HistoryDepth::get() > 0, "keep at least one record");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Slash `fraction` (of 10¹⁸) of what `operator` allocated to `set`: at once under
		/// `Instant` terms, after the set's veto window under `Veto` terms. By the AVS owner or
		/// its designated slasher.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::request_slash_instant(kasane_primitives::slashing::MAX_SLASH_STRATEGIES)
				.saturating_add(T::NativeStake::slash_pool_weight())
				.max(T::WeightInfo::request_slash_veto(kasane_primitives::slashing::MAX_SLASH_STRATEGIES))
		)]
		pub fn request_slash(
			origin: OriginFor<T>,
			operator: T::AccountId,
			set: OperatorSetId,
			fraction: Magnitude,
			reason_uri: ReasonUri,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (strategies, veto) =
				Self::do_request_slash(who, operator, set, fraction, reason_uri)?;
			let actual = if veto {
				T::WeightInfo::request_slash_veto(strategies)
			} else {
				T::WeightInfo::request_slash_instant(strategies)
					.saturating_add(T::NativeStake::slash_pool_weight())
			};
			Ok(Some(actual).into())
		}

		/// Cancel a pending AVS slash (the veto council). The requester's deposit is returned,
		/// or burned when `forfeit_deposit` (the request was abuse).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::veto_slash())]
		pub fn veto_slash(
			origin: OriginFor<T>,
			id: SlashId,
			forfeit_deposit: bool,
		) -> DispatchResult {
			T::VetoOrigin::ensure_origin(origin)?;
			Self::do_veto(id, forfeit_deposit)
		}

		/// Execute a pending slash whose veto window has ended. Anyone; free when it succeeds,
		/// and the caller is paid [`Config::ExecutorShare`] of what it takes.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::execute_weight(
			kasane_primitives::slashing::MAX_SLASH_STRATEGIES
		))]
		pub fn execute_slash(origin: OriginFor<T>, id: SlashId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let strategies = Self::do_execute_now(id, who)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(Self::execute_weight(strategies)),
				pays_fee: Pays::No,
			})
		}

		/// Report `operator` for signing `message_a` and `message_b`, two different payloads
		/// for the same `(set, round)`, with its key for `set`. Free when the slash takes at
		/// least the free-report floor; the reporter is paid [`Config::ReporterShare`] of what
		/// the operator itself loses, and the operator is ejected from the set.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::report_equivocation(
			kasane_primitives::slashing::MAX_SLASH_STRATEGIES
		)
		.saturating_add(T::NativeStake::slash_pool_weight())
		.saturating_add(T::Registry::eject_weight()))]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			set: OperatorSetId,
			operator: T::AccountId,
			message_a: AvsMessage,
			signature_a: OperatorSignature,
			message_b: AvsMessage,
			signature_b: OperatorSignature,
		) -> DispatchResultWithPostInfo {
			let reporter = ensure_signed(origin)?;
			let (strategies, worth_it) = Self::do_report_equivocation(
				reporter,
				set,
				operator,
				(message_a, signature_a),
				(message_b, signature_b),
			)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(
					T::WeightInfo::report_equivocation(strategies)
						.saturating_add(T::NativeStake::slash_pool_weight())
						.saturating_add(T::Registry::eject_weight()),
				),
				pays_fee: if worth_it { Pays::No } else { Pays::Yes },
			})
		}

		/// Designate `slasher` (or none) to request slashes for `avs` besides its owner.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_slasher())]
		pub fn set_slasher(
			origin: OriginFor<T>,
			avs: AvsId,
			slasher: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let owner = T::Registry::avs_owner(avs).ok_or(Error::<T>::UnknownAvs)?;
			ensure!(who == owner, Error::<T>::NotAvsOwner);
			match &slasher {
				Some(s) => Slashers::<T>::insert(avs, (owner, s.clone())),
				None => Slashers::<T>::remove(avs),
			}
			Self::deposit_event(Event::SlasherSet { avs, slasher });
			Ok(())
		}

		/// Set the global slashing mode.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_global_mode())]
		pub fn set_global_mode(origin: OriginFor<T>, mode: SlashingMode) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			GlobalMode::<T>::put(mode);
			Self::deposit_event(Event::GlobalModeSet { mode });
			Ok(())
		}

		/// Set `set`'s slashing mode: root, or the AVS owner lowering it (to run in log-only
		/// mode, or stop slashing; only root enables slashing again).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_operator_set_mode())]
		pub fn set_operator_set_mode(
			origin: OriginFor<T>,
			set: OperatorSetId,
			mode: SlashingMode,
		) -> DispatchResult {
			ensure!(T::Registry::terms(&set).is_some(), Error::<T>::UnknownOperatorSet);
			if T::AdminOrigin::try_origin(origin.clone()).is_err() {
				let who = ensure_signed(origin)?;
				let owner = T::Registry::avs_owner(set.avs).ok_or(Error::<T>::UnknownAvs)?;
				ensure!(who == owner, Error::<T>::NotAvsOwner);
				ensure!(mode <= Self::operator_set_mode(&set), Error::<T>::CannotRaiseMode);
			}
			if mode == SlashingMode::Enabled {
				OperatorSetModes::<T>::remove(set);
			} else {
				OperatorSetModes::<T>::insert(set, mode);
			}
			Self::deposit_event(Event::OperatorSetModeSet { set, mode });
			Ok(())
		}
	}
}
