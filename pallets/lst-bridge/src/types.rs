//! What the bridge stores, and the verifier boundary.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::DefensiveSaturating, BoundedVec};
use kasane_primitives::{
	bridge::{
		beacon::ForkSchedule, proof::EthHeader, BridgeDomain, BridgeNonce, DepositMessage,
		EthAddress, EthSignature, RateReport, ReleaseMessage, ReleaseReceipt, WithdrawalOrigin,
	},
	restaking::OperatorSetId,
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};

/// Hourly buckets the rolling mint limit counts over.
pub const WINDOW_BUCKETS: usize = 24;

/// Whether the bridge moves value.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum OperatingMode {
	#[default]
	Normal,
	/// Nothing is minted or burned and no rate changes. Attestations still count, so deposits
	/// accepted meanwhile wait (parked) instead of being lost.
	Paused,
}

/// The attesters and what the vault expects of them.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
#[scale_info(skip_type_params(MaxAttesters))]
pub struct AttesterSet<MaxAttesters: Get<u32>> {
	/// Bumped on every change of the set or the endpoint: attestations collected under an
	/// earlier set stop counting.
	pub id: u32,
	/// Attester addresses, sorted ascending, unique.
	pub members: BoundedVec<EthAddress, MaxAttesters>,
	/// Signatures needed, here and in the vault (`⌈2n/3⌉ ≤ quorum ≤ n`).
	pub quorum: u32,
	/// `KasaneVault.attesterSetId` of the same set: what withdrawal signatures are bound to.
	pub vault_set_id: u64,
	/// The operator set whose members the attesters are (their registered ecdsa keys): its
	/// members' double signing is slashed. `None`: a root-managed list, double signing only
	/// recorded.
	pub operator_set: Option<OperatorSetId>,
}

impl<M: Get<u32>> AttesterSet<M> {
	/// The attester's position (its bit in signer bitmaps).
	pub fn index_of(&self, who: &EthAddress) -> Option<u32> {
		self.members.binary_search(who).ok().map(|i| i as u32)
	}

	/// The members whose bits `signers` holds, in the set's order.
	pub fn members_of(&self, signers: u64) -> BoundedVec<EthAddress, M> {
		BoundedVec::truncate_from(
			self.members
				.iter()
				.enumerate()
				.filter(|(i, _)| *i < 64 && signers & (1u64 << i) != 0)
				.map(|(_, who)| *who)
				.collect(),
		)
	}
}

/// A registered Ethereum token and its mirrored asset.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct TokenInfo<AssetId> {
	pub asset: AssetId,
	pub decimals: u8,
	/// Most that may be outstanding (minted − burned).
	pub cap: u128,
	/// Most minted per rolling 24 hours before further deposits wait [`crate::Config::MintDelay`].
	pub daily_limit: u128,
	/// Largest change of the rate one report may make, relative to the current rate.
	pub max_rate_change: Perbill,
	/// What restaked value is discounted by.
	pub haircut: Perbill,
	/// Least one withdrawal to Ethereum may take: each costs a release transaction there.
	pub min_withdrawal: u128,
	/// Minted against vault deposits, ever.
	pub minted: u128,
	/// Burned by withdrawals to Ethereum, ever.
	pub burned: u128,
}

impl<AssetId> TokenInfo<AssetId> {
	/// Mirrored supply that the vault still locks.
	pub fn outstanding(&self) -> u128 {
		self.minted.defensive_saturating_sub(self.burned)
	}
}

/// Settings of a token, as root gives them.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct TokenLimits {
	pub cap: u128,
	pub daily_limit: u128,
	pub max_rate_change: Perbill,
	pub haircut: Perbill,
	pub min_withdrawal: u128,
}

/// An accepted rate.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Rate {
	/// ETH (wei) per 10¹⁸ units.
	pub rate: u128,
	/// Ethereum timestamp of the report (for root-forced rates, Kasane's time), seconds.
	pub reported_at: u64,
	/// The report's rate round (Ethereum block number / [`crate::Config::RateRound`]); a
	/// forced rate keeps the round before it. Only a later round's report replaces it.
	pub round: u64,
}

/// One hour's mints: `(bucket index, amount)`.
pub type MintWindow = [(u32, u128); WINDOW_BUCKETS];

/// Why an accepted deposit has not been minted.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum WaitReason<BlockNumber> {
	/// The bridge was paused.
	Paused,
	/// Minting it would exceed the token's cap.
	OverCap,
	/// The recipient cannot receive it yet (below the asset's minimum balance for a new
	/// account, or the asset is frozen).
	Unmintable,
	/// Above the rolling mint limit: mintable from `until` unless root cancels it.
	Delayed { until: BlockNumber },
}

/// An accepted deposit waiting to be minted.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct WaitingDeposit<AccountId, BlockNumber> {
	pub token: EthAddress,
	/// Who is paid back if root cancels it.
	pub depositor: EthAddress,
	pub recipient: AccountId,
	pub amount: u128,
	pub reason: WaitReason<BlockNumber>,
}

/// Most different contents attested for one deposit nonce (or one Ethereum block number): the
/// true one and one contradicting it, whose signers are slashed once a quorum decides. A third
/// halts the nonce (it takes attesters signing two different false contents, each slashable).
pub const MAX_CANDIDATES: u32 = 2;

/// What was attested for one deposit nonce, or one Ethereum block number, under one attester
/// set: at most two candidate contents.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Candidates<Message> {
	pub set_id: u32,
	pub candidates: BoundedVec<Tally<Message>, ConstU32<MAX_CANDIDATES>>,
}

/// What was attested for one deposit nonce.
pub type DepositTally = Candidates<DepositMessage>;

/// What was attested for one Ethereum block number.
pub type HeaderTally = Candidates<EthHeader>;

/// A header tally and the Kasane block its first signature came in: once
/// [`crate::Config::HeaderTallyExpiry`] blocks passed without a quorum (relayers that scanned
/// different blocks, a header signed after its number was forgotten), anyone may drop it, which
/// gives its signers their open attestations back.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct DatedHeaderTally<BlockNumber> {
	pub tally: HeaderTally,
	pub opened: BlockNumber,
}

/// What one attester's signature did to a [`Candidates`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Signed<Message> {
	/// Counted for candidate `at`, which `signers` attesters have signed now.
	Counted { at: usize, signers: u32 },
	/// The attester signed this content already.
	Again,
	/// The attester signed `other`, a different content, before: double signing.
	DoubleSigned { other: Tally<Message> },
	/// A third content: the attesters disagree beyond what a quorum can settle. `first` is
	/// the first candidate's digest.
	ThirdContent { first: [u8; 32] },
}

impl<M: Clone> Candidates<M> {
	/// No candidates yet, under set `set_id`.
	pub fn new(set_id: u32) -> Self {
		Self { set_id, candidates: BoundedVec::new() }
	}

	/// The candidate with the most signatures.
	pub fn leading(&self) -> Option<&Tally<M>> {
		self.candidates.iter().max_by_key(|c| c.count())
	}

	/// Every attester that signed any candidate.
	pub fn signers(&self) -> u64 {
		self.candidates.iter().fold(0, |bits, c| bits | c.signers)
	}

	/// Attester `index` (below 64) signed `message`, whose digest is `digest`. Changes nothing
	/// unless the result is [`Signed::Counted`].
	pub fn sign(&mut self, index: u32, message: &M, digest: [u8; 32]) -> Signed<M> {
		let bit = 1u64 << index;
		if let Some(other) =
			self.candidates.iter().find(|c| c.digest != digest && c.signers & bit != 0)
		{
			return Signed::DoubleSigned { other: other.clone() };
		}
		let at = match self.candidates.iter().position(|c| c.digest == digest) {
			Some(at) => at,
			None => {
				let fresh =
					Tally { message: message.clone(), digest, set_id: self.set_id, signers: 0 };
				if self.candidates.try_push(fresh).is_err() {
					return Signed::ThirdContent { first: self.candidates[0].digest };
				}
				self.candidates.len() - 1
			}
		};
		let candidate = &mut self.candidates[at];
		if candidate.signers & bit != 0 {
			return Signed::Again;
		}
		candidate.signers |= bit;
		Signed::Counted { at, signers: candidate.count() }
	}
}

/// An Ethereum block whose header a quorum of attesters signed: its receipts root proves the
/// events in it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct TrustedHeader {
	pub number: u64,
	pub receipts_root: H256,
}

/// What inbound messages the bridge acts on.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	sp_runtime::Serialize,
	sp_runtime::Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum InboundPolicy {
	/// Messages a quorum of attesters signed (`attest_deposit`, `attest_rate`), and messages
	/// proven by a receipt under an attested header (`prove_deposit`, `prove_rate`) or a
	/// beacon-finalized one (`prove_deposit_beacon`, `prove_rate_beacon`).
	#[default]
	Attested,
	/// Only messages proven by a receipt: attesters vouch for headers, never for contents;
	/// receipts under beacon-finalized headers are taken too.
	Proven,
	/// Only receipts under execution headers the beacon light client verified: no signature
	/// set of Kasane's vouches for anything inbound. The trust is the sync committee's (≥ ⅔
	/// of 512 validators, not slashable) and the checkpoint root installed.
	Beacon,
	/// As [`Self::Beacon`], and a deposit worth more than `above` (wei, at its token's
	/// haircut rate; a token without a rate counts as above) must also be under a header
	/// a quorum of attesters signed, with the same receipts root: a false large mint needs
	/// both the sync committee and the attesters wrong.
	BeaconCoSigned { above: u128 },
}

impl InboundPolicy {
	/// Messages attesters sign are acted on.
	pub fn takes_attestations(&self) -> bool {
		matches!(self, Self::Attested)
	}

	/// Receipts under attested headers are acted on.
	pub fn takes_attested_headers(&self) -> bool {
		matches!(self, Self::Attested | Self::Proven)
	}
}

/// What the bridge needs of a beacon light client: Snowbridge's `Verifier` (the event's
/// receipt under an execution header that is, or is an ancestor of, a finalized beacon
/// header), and a way to halt it when the bridge is paused.
pub trait BeaconClient {
	/// Whether `log` is in the receipt `proof` shows under a beacon-finalized execution
	/// header.
	fn verify(
		log: &snowbridge_verification_primitives::Log,
		proof: &snowbridge_verification_primitives::Proof,
	) -> Result<(), snowbridge_verification_primitives::VerificationError>;

	/// Stop verifying: the bridge was paused. Only root resumes the light client.
	fn halt();
}

/// No light client: every beacon proof is refused.
impl BeaconClient for () {
	fn verify(
		_: &snowbridge_verification_primitives::Log,
		_: &snowbridge_verification_primitives::Proof,
	) -> Result<(), snowbridge_verification_primitives::VerificationError> {
		Err(snowbridge_verification_primitives::VerificationError::HeaderNotFound)
	}

	fn halt() {}
}

/// The fork schedule root set ([`crate::BeaconForks`]), mainnet's until then: what the
/// runtime gives the light client as its `ForkVersions`.
pub struct BeaconForkVersions<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> Get<kasane_primitives::bridge::beacon::ForkVersions>
	for BeaconForkVersions<T>
{
	fn get() -> kasane_primitives::bridge::beacon::ForkVersions {
		crate::BeaconForks::<T>::get().unwrap_or(ForkSchedule::MAINNET).into()
	}
}

/// How many header attestations each attester has open (signed, not settled) under one
/// attester set: each may have at most [`crate::Config::MaxOpenHeaders`], so tallies stay
/// bounded whatever numbers an attester signs.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct OpenHeaders {
	pub set_id: u32,
	/// By attester index.
	pub counts: [u8; 64],
	/// Bit `i`: attester `i` double-signed a header under this set. Its header signatures are
	/// refused until the set changes, so each attester halts at most one number per set.
	pub struck: u64,
}

impl OpenHeaders {
	/// None open, under set `set_id`.
	pub fn new(set_id: u32) -> Self {
		Self { set_id, counts: [0; 64], struck: 0 }
	}

	pub fn is_struck(&self, index: u32) -> bool {
		self.struck & (1u64 << index) != 0
	}

	/// The attesters in `signers` settled one open attestation each.
	pub fn settle(&mut self, signers: u64) {
		for (index, count) in self.counts.iter_mut().enumerate() {
			if signers & (1u64 << index) != 0 {
				*count = count.saturating_sub(1);
			}
		}
	}
}

/// Attesters that signed a deposit contradicting the one a quorum accepted for a nonce, each
/// to be slashed (`report_contradiction`).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxAttesters))]
pub struct Contradiction<MaxAttesters: Get<u32>> {
	/// What they signed.
	pub odd: [u8; 32],
	/// What the quorum signed.
	pub accepted: [u8; 32],
	/// Not reported yet.
	pub attesters: BoundedVec<EthAddress, MaxAttesters>,
	/// The operator set the attesters were drawn from when the record was made (`None`: root
	/// kept them as a list): each is slashed through it, whatever set the attesters follow
	/// when reported.
	pub operator_set: Option<OperatorSetId>,
}

/// Signatures counted for one candidate message.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Tally<Message> {
	pub message: Message,
	pub digest: [u8; 32],
	/// The attester set the signers belong to.
	pub set_id: u32,
	/// Bit `i`: attester `i` of that set signed.
	pub signers: u64,
}

impl<M> Tally<M> {
	pub fn count(&self) -> u32 {
		self.signers.count_ones()
	}
	pub fn has(&self, index: u32) -> bool {
		self.signers & (1u64 << index) != 0
	}
}

/// A withdrawal to Ethereum and the attester signatures over its release digest.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
#[scale_info(skip_type_params(MaxAttesters))]
pub struct Withdrawal<AccountId, Balance, BlockNumber, MaxAttesters: Get<u32>> {
	pub origin: WithdrawalOrigin<AccountId>,
	pub message: ReleaseMessage,
	/// Held by the bridge's account until a quorum attests who released it, then paid to
	/// them (none for refunds).
	pub fee: Balance,
	pub requested_at: BlockNumber,
	/// When a quorum attested that the vault released it: its signatures are dropped, and
	/// the record [`crate::Config::ReleasedRetention`] blocks later.
	pub released_at: Option<BlockNumber>,
	/// The (Kasane) attester set the signatures are from.
	pub attester_set: u32,
	/// The vault attester set the signatures are for.
	pub vault_set_id: u64,
	/// Signatures sorted by signer address, at most the quorum.
	pub signatures: BoundedVec<(EthAddress, EthSignature), MaxAttesters>,
}

/// A hand-over of the vault from the current attester set to `next`, signed by the current
/// set's attesters over `KasaneVault.rotateDigest`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
#[scale_info(skip_type_params(MaxAttesters))]
pub struct Rotation<MaxAttesters: Get<u32>> {
	/// The vault's attester set that signs it.
	pub vault_set_id: u64,
	/// The next attesters, sorted ascending, unique.
	pub next: BoundedVec<EthAddress, MaxAttesters>,
	/// The next set's quorum (`⌈2n/3⌉`).
	pub quorum: u32,
	/// Signatures of current attesters, sorted by signer.
	pub signatures: BoundedVec<(EthAddress, EthSignature), MaxAttesters>,
}

/// Candidate messages and the attesters backing each, every attester backing at most one: a
/// few attesters can add candidates but never keep honest ones from their quorum, and the
/// candidates are never more than the attesters.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
#[scale_info(skip_type_params(MaxAttesters))]
pub struct Votes<Message, MaxAttesters: Get<u32>> {
	pub set_id: u32,
	pub candidates: BoundedVec<Tally<Message>, MaxAttesters>,
}

impl<M, N: Get<u32>> Votes<M, N> {
	pub fn new(set_id: u32) -> Self {
		Self { set_id, candidates: BoundedVec::new() }
	}

	/// The candidate attester `index` backs, if any.
	pub fn backed_by(&self, index: u32) -> Option<&Tally<M>> {
		self.candidates.iter().find(|c| c.has(index))
	}

	/// Attester `index` backs `message` (digest `digest`) now, leaving whatever it backed
	/// before; returns how many back it (`None` only if `index` is not below `MaxAttesters`).
	pub fn back(&mut self, index: u32, message: M, digest: [u8; 32]) -> Option<u32> {
		if index >= N::get().min(64) {
			return None;
		}
		let bit = 1u64 << index;
		for c in self.candidates.iter_mut() {
			c.signers &= !bit;
		}
		self.candidates.retain(|c| c.signers != 0);
		let set_id = self.set_id;
		let at = match self.candidates.iter().position(|c| c.digest == digest) {
			Some(at) => at,
			None => {
				// There is room: every candidate has a backer other than `index`, and there
				// are fewer of those than `MaxAttesters`.
				self.candidates.try_push(Tally { message, digest, set_id, signers: 0 }).ok()?;
				self.candidates.len() - 1
			}
		};
		self.candidates[at].signers |= bit;
		Some(self.candidates[at].count())
	}
}

/// What an inbound message is attested for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Inbound<'a> {
	Deposit(&'a DepositMessage),
	Rate(&'a RateReport),
}

/// What a verifier concluded from one piece of evidence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
	/// Counted; the message is not proven yet.
	Counted { signers: u32, quorum: u32 },
	/// The message is proven: act on it.
	Accepted,
	/// The evidence conflicts with what was attested before for the same nonce: the nonce is
	/// halted (recorded by the verifier); nothing is minted.
	Conflict,
}

/// How an inbound message is proven. The bridge acts on a message once its verifier accepts
/// it and knows nothing else of how; [`crate::AttesterQuorum`] counts attester signatures, an
/// Ethereum receipt-proof verifier against attested headers would accept a message with one
/// proof. Verifiers see messages only after the bridge checked everything else (the token,
/// the nonce not spent, the rate's bounds), and must fail without changing anything when the
/// evidence is invalid.
pub trait InboundVerifier<AccountId> {
	/// What a relayer submits with a message.
	type Evidence: Parameter + DecodeWithMemTracking + MaxEncodedLen;

	fn verify(
		submitter: &AccountId,
		domain: &BridgeDomain,
		message: Inbound<'_>,
		evidence: Self::Evidence,
	) -> Result<Verdict, DispatchError>;

	/// Forget what was collected for deposit `nonce` (once it is processed or cleared).
	fn forget_deposit(nonce: BridgeNonce);

	/// Forget what was collected for rates of `token` up to round `round`.
	fn forget_rates(token: &EthAddress, round: u64);
}

/// A release receipt and the attesters that signed it: see [`crate::ReleaseVotes`].
pub type ReceiptVotes<MaxAttesters> = Votes<ReleaseReceipt, MaxAttesters>;
