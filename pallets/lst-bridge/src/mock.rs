//! A test runtime: balances, pallet-assets for the mirrored assets, timestamp as the clock, the
//! bridge with the attester-quorum verifier, and a recording double-sign handler. Attesters are
//! real secp256k1 keys signing the documented digests.

use crate::{self as pallet_lst_bridge, *};
use codec::Encode;
use core::cell::RefCell;
use frame_support::{
	assert_noop, assert_ok, derive_impl, parameter_types,
	traits::{fungibles::Inspect, AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	BoundedVec, PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use kasane_primitives::avs::{KeyType, OperatorKey};
use kasane_primitives::bridge::{
	beacon,
	proof::{encode, EthLog},
};
use sp_core::{ecdsa, Pair, H160, H256};
use sp_runtime::{AccountId32, BuildStorage, DispatchError, Perbill, Weight};

pub type AccountId = AccountId32;
type Block = frame_system::mocking::MockBlock<Test>;

// The same macro as the runtime's, so a pallet's mock reads like the runtime it stands for.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(4)]
	pub type Bridge = pallet_lst_bridge;
	#[runtime::pallet_index(5)]
	pub type EthereumBeaconClient = snowbridge_pallet_ethereum_client;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u128>;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = u128;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type AssetDeposit = ConstU128<1>;
	type AssetAccountDeposit = ConstU128<1>;
	type MetadataDepositBase = ConstU128<1>;
	type MetadataDepositPerByte = ConstU128<1>;
	type ApprovalDeposit = ConstU128<1>;
}

impl snowbridge_pallet_ethereum_client::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ForkVersions = BeaconForkVersions<Test>;
	type FreeHeadersInterval = ConstU32<32>;
	type WeightInfo = ();
}

/// Snowbridge's light client, as the runtime wires it.
pub struct Snowbridge;

impl BeaconClient for Snowbridge {
	fn verify(
		log: &snowbridge_verification_primitives::Log,
		proof: &snowbridge_verification_primitives::Proof,
	) -> Result<(), snowbridge_verification_primitives::VerificationError> {
		<EthereumBeaconClient as snowbridge_verification_primitives::Verifier>::verify(log, proof)
	}

	fn halt() {
		assert_ok!(EthereumBeaconClient::set_operating_mode(
			RuntimeOrigin::root(),
			snowbridge_core::BasicOperatingMode::Halted
		));
	}
}

thread_local! {
	/// Double signing handed to the slashing side: (reporter, key, nonce).
	pub static REPORTED: RefCell<Vec<(AccountId, OperatorSetId, ecdsa::Public, BridgeNonce)>> =
		const { RefCell::new(Vec::new()) };
}

thread_local! {
	/// Set: the slashing side cannot slash for the moment, and says so with this error.
	pub static SLASHING_HELD: RefCell<Option<&'static str>> = const { RefCell::new(None) };
}

/// Records what it is handed for a key the set may still slash (a member's, or a departed
/// member's, as the runtime's registry finds its owner); slashes when the key belongs to
/// [`SLASHABLE`], unless [`SLASHING_HELD`].
pub struct RecordEquivocation;
impl AttesterEquivocation<AccountId> for RecordEquivocation {
	fn report(
		reporter: &AccountId,
		set: &OperatorSetId,
		key: &ecdsa::Public,
		nonce: BridgeNonce,
	) -> Result<bool, DispatchError> {
		if !MockRegistry::slashable_keys(set).contains(&OperatorKey::Ecdsa(*key)) {
			return Ok(false);
		}
		if let Some(error) = SLASHING_HELD.with(|h| *h.borrow()) {
			return Err(error.into());
		}
		REPORTED.with(|r| r.borrow_mut().push((reporter.clone(), *set, *key, nonce)));
		Ok(attester(SLASHABLE).public() == *key)
	}
	fn weight() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
}

thread_local! {
	/// Rates handed on: (asset, haircut rate).
	pub static RATES: RefCell<Vec<(u32, u128)>> = const { RefCell::new(Vec::new()) };
}

/// Records the rates it is told.
pub struct RecordRates;
impl OnRateUpdated<u32> for RecordRates {
	fn rate_updated(asset: u32, haircut_rate: u128) {
		RATES.with(|r| r.borrow_mut().push((asset, haircut_rate)));
	}
	fn weight() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
}

thread_local! {
	/// The bridge's operator set as the mock registry keeps it: members and their keys.
	pub static SET_MEMBERS: RefCell<std::collections::BTreeMap<AccountId, OperatorKey>> =
		const { RefCell::new(std::collections::BTreeMap::new()) };
	/// Stake each operator allocated to the bridge's set (absent: [`MIN_ATTESTER_STAKE`]).
	pub static SET_STAKES: RefCell<std::collections::BTreeMap<AccountId, u128>> =
		const { RefCell::new(std::collections::BTreeMap::new()) };
	/// Operators that left the bridge's set and are still slashable, with their keys.
	pub static DEPARTED: RefCell<std::collections::BTreeMap<AccountId, OperatorKey>> =
		const { RefCell::new(std::collections::BTreeMap::new()) };
	/// Who owns the bridge's set and whether it requires the allowlist.
	pub static SET_GOVERNANCE: RefCell<(AccountId, bool)> =
		RefCell::new((attester_set_owner(), true));
}

/// Least stake an attester must have allocated.
pub const MIN_ATTESTER_STAKE: u128 = 1_000;

/// Blocks a signed hand-over waits before the next set takes over.
pub const ROTATION_DELAY: u64 = 5;

/// The governance account that must own the bridge's set.
pub fn attester_set_owner() -> AccountId {
	AccountId32::new([0x60; 32])
}

/// Operator `i` now has `stake` allocated to the bridge's set.
pub fn set_stake(i: u8, stake: u128) {
	SET_STAKES.with(|s| s.borrow_mut().insert(operator(i), stake));
}

/// The AVS registry, for [`BRIDGE_SET`] (ecdsa keys, 16 members at most), [`SR25519_SET`] and
/// [`LARGE_SET`] (more members than attesters).
pub struct MockRegistry;
impl OperatorSetMembers<AccountId> for MockRegistry {
	fn capacity(set: &OperatorSetId) -> Option<(KeyType, u32)> {
		match *set {
			BRIDGE_SET => Some((KeyType::Ecdsa, 16)),
			SR25519_SET => Some((KeyType::Sr25519, 16)),
			LARGE_SET => Some((KeyType::Ecdsa, 65)),
			_ => None,
		}
	}
	fn member_count(set: &OperatorSetId) -> u32 {
		if *set == BRIDGE_SET {
			SET_MEMBERS.with(|m| m.borrow().len() as u32)
		} else {
			0
		}
	}
	fn member_key(set: &OperatorSetId, who: &AccountId) -> Option<OperatorKey> {
		(*set == BRIDGE_SET).then(|| SET_MEMBERS.with(|m| m.borrow().get(who).cloned()))?
	}
	fn members(set: &OperatorSetId) -> Vec<AccountId> {
		if *set == BRIDGE_SET {
			SET_MEMBERS.with(|m| m.borrow().keys().cloned().collect())
		} else {
			Vec::new()
		}
	}
	fn slashable_keys(set: &OperatorSetId) -> Vec<OperatorKey> {
		if *set != BRIDGE_SET {
			return Vec::new();
		}
		let members = SET_MEMBERS.with(|m| m.borrow().values().cloned().collect::<Vec<_>>());
		let departed = DEPARTED.with(|d| d.borrow().values().cloned().collect::<Vec<_>>());
		members.into_iter().chain(departed).collect()
	}
	fn governance(set: &OperatorSetId) -> Option<(AccountId, bool)> {
		match *set {
			BRIDGE_SET => Some(SET_GOVERNANCE.with(|g| g.borrow().clone())),
			SR25519_SET | LARGE_SET => Some((attester_set_owner(), true)),
			_ => None,
		}
	}
	fn allocated_value(set: &OperatorSetId, who: &AccountId) -> u128 {
		if *set != BRIDGE_SET || Self::member_key(set, who).is_none() {
			return 0;
		}
		SET_STAKES.with(|s| s.borrow().get(who).copied().unwrap_or(MIN_ATTESTER_STAKE))
	}
	fn key_owner(key: &OperatorKey) -> Option<(OperatorSetId, AccountId)> {
		SET_MEMBERS.with(|m| {
			m.borrow().iter().find(|(_, k)| *k == key).map(|(who, _)| (BRIDGE_SET, who.clone()))
		})
	}
}

/// The operator account that registers attester key `i` in the bridge's set.
pub fn operator(i: u8) -> AccountId {
	AccountId32::new([i.wrapping_add(100); 32])
}

/// Operator `i` joins the bridge's set with attester key `i`.
pub fn join(i: u8) {
	SET_MEMBERS
		.with(|m| m.borrow_mut().insert(operator(i), OperatorKey::Ecdsa(attester(i).public())));
}

/// Operator `i` leaves the bridge's set.
pub fn leave(i: u8) {
	SET_MEMBERS.with(|m| m.borrow_mut().remove(&operator(i)));
}

/// Operator `i` leaves the bridge's set and stays slashable for a while.
pub fn depart(i: u8) {
	if let Some(key) = SET_MEMBERS.with(|m| m.borrow_mut().remove(&operator(i))) {
		DEPARTED.with(|d| d.borrow_mut().insert(operator(i), key));
	}
}

/// The members of the bridge's set, sorted, as `rotate_attesters` takes them.
pub fn set_members() -> BoundedVec<AccountId, ConstU32<64>> {
	SET_MEMBERS.with(|m| m.borrow().keys().cloned().collect::<Vec<_>>()).try_into().unwrap()
}

pub const HOUR: u64 = 10;
pub const MINT_DELAY: u64 = 50;
pub const MAX_RATE_AGE: u64 = 3_600;
pub const MAX_NONCES_AHEAD: u64 = 1_000;
/// Trusted headers kept: few, so that tests reach the ring's end.
pub const MAX_TRUSTED_HEADERS: u32 = 4;
/// Header attestations an attester may have open.
pub const MAX_OPEN_HEADERS: u32 = 3;
/// Block numbers halted at once.
pub const MAX_HALTED_HEADERS: u32 = 2;
/// Blocks before a header tally without a quorum may be dropped.
pub const HEADER_TALLY_EXPIRY: u64 = 10;
/// KSN a withdrawal pays for its release.
pub const WITHDRAWAL_FEE: u128 = 5;
/// Blocks a released withdrawal's record is kept.
pub const RELEASED_RETENTION: u64 = 20;
/// Ethereum blocks per rate round (reports here are in the block numbered as their
/// timestamp: one round is ten seconds of them).
pub const RATE_ROUND: u64 = 10;

parameter_types! {
	pub const BridgePalletId: PalletId = PalletId(*b"kas/lstb");
	pub AttesterSetOwner: AccountId = attester_set_owner();
	pub const MaxRotationChange: Perbill = Perbill::from_parts(333_333_334);
}

impl pallet_lst_bridge::Config for Test {
	type AssetId = u32;
	type Assets = Assets;
	type Verifier = AttesterQuorum<Test>;
	type Equivocation = RecordEquivocation;
	type OnRateUpdated = RecordRates;
	type OperatorSets = MockRegistry;
	type AttesterSetOwner = AttesterSetOwner;
	type MinAttesterStake = ConstU128<MIN_ATTESTER_STAKE>;
	type MaxRotationChange = MaxRotationChange;
	type RotationDelay = ConstU64<ROTATION_DELAY>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type UnixTime = Timestamp;
	type PalletId = BridgePalletId;
	type MaxAttesters = ConstU32<64>;
	type BucketLength = ConstU64<HOUR>;
	type MintDelay = ConstU64<MINT_DELAY>;
	type MaxRateAge = ConstU64<MAX_RATE_AGE>;
	type MaxClockDrift = ConstU64<60>;
	type MaxNoncesAhead = ConstU64<MAX_NONCES_AHEAD>;
	type MaxTrustedHeaders = ConstU32<MAX_TRUSTED_HEADERS>;
	type MaxOpenHeaders = ConstU32<MAX_OPEN_HEADERS>;
	type MaxHaltedHeaders = ConstU32<MAX_HALTED_HEADERS>;
	type HeaderTallyExpiry = ConstU64<HEADER_TALLY_EXPIRY>;
	type BeaconClient = Snowbridge;
	type Currency = Balances;
	type WithdrawalFee = ConstU128<WITHDRAWAL_FEE>;
	type ReleasedRetention = ConstU64<RELEASED_RETENTION>;
	type RateRound = ConstU64<RATE_ROUND>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, u32> for BenchHelper {
	fn asset_id(index: u32) -> u32 {
		1_000 + index
	}
	fn operator_set(members: u32) -> (OperatorSetId, Vec<AccountId>) {
		SET_MEMBERS.with(|m| m.borrow_mut().clear());
		for i in 0..members {
			let key = sp_io::crypto::ecdsa_generate(sp_core::crypto::KeyTypeId(*b"opst"), None);
			let who = AccountId32::new(sp_io::hashing::blake2_256(&i.to_le_bytes()));
			SET_MEMBERS.with(|m| m.borrow_mut().insert(who, OperatorKey::Ecdsa(key)));
		}
		(BRIDGE_SET, SET_MEMBERS.with(|m| m.borrow().keys().cloned().collect()))
	}
	fn finalize_beacon_header(header: BeaconHeader, block_roots_root: H256) {
		assert_ok!(EthereumBeaconClient::store_finalized_header(header, block_roots_root));
	}
}

// ---- fixtures ----

pub const CHAIN_ID: u64 = 31337;
pub const VAULT: H160 = H160::repeat_byte(0xaa);
pub const WSTETH: H160 = H160::repeat_byte(0x11);
pub const RETH: H160 = H160::repeat_byte(0x22);
/// Who deposits in the vault.
pub const DEPOSITOR: H160 = H160::repeat_byte(0xd0);
pub const WSTETH_ASSET: u32 = 1;
pub const RETH_ASSET: u32 = 2;
pub const CAP: u128 = 1_000_000;
pub const DAILY_LIMIT: u128 = 100_000;
pub const MIN_BALANCE: u128 = 10;
/// Least a withdrawal to Ethereum takes.
pub const MIN_WITHDRAWAL: u128 = 10;
/// Kasane's clock at the start of every test, in seconds.
pub const START_SECS: u64 = 1_700_000_000;
/// The attester whose key the recording handler treats as a slashable operator's.
pub const SLASHABLE: u8 = 1;
pub const VAULT_SET_ID: u64 = 1;
/// The operator set the attesters serve in.
pub const BRIDGE_SET: OperatorSetId = OperatorSetId { avs: 1, index: 0 };
/// A set of sr25519 keys.
pub const SR25519_SET: OperatorSetId = OperatorSetId { avs: 2, index: 0 };
/// A set taking more members than the bridge takes attesters.
pub const LARGE_SET: OperatorSetId = OperatorSetId { avs: 3, index: 0 };

pub fn alice() -> AccountId {
	AccountId32::new([1; 32])
}
pub fn bob() -> AccountId {
	AccountId32::new([2; 32])
}
pub fn relayer() -> AccountId {
	AccountId32::new([9; 32])
}
pub fn guardian() -> AccountId {
	AccountId32::new([7; 32])
}

/// Attester key number `i`.
pub fn attester(i: u8) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&[i.wrapping_add(100); 32])
}

/// The Ethereum address of `pair`.
pub fn address_of(pair: &ecdsa::Pair) -> EthAddress {
	kasane_primitives::bridge::eth_address_of_compressed(&pair.public().0).expect("a curve point")
}

/// Addresses of attesters `0..n`, sorted.
pub fn attester_addresses(n: u8) -> Vec<EthAddress> {
	let mut v: Vec<_> = (0..n).map(|i| address_of(&attester(i))).collect();
	v.sort();
	v
}

/// `pair`'s signature of `digest`, as Ethereum tools produce it (`v` = 27 or 28).
pub fn eth_sign(pair: &ecdsa::Pair, digest: &[u8; 32]) -> EthSignature {
	let mut sig = pair.sign_prehashed(digest).0;
	sig[64] += 27;
	EthSignature(sig)
}

pub fn endpoint() -> EthereumEndpoint {
	EthereumEndpoint { chain_id: CHAIN_ID, vault: VAULT }
}

/// What signatures are bound to: the vault and this chain's genesis.
pub fn domain() -> BridgeDomain {
	endpoint().domain(Bridge::kasane_genesis())
}

pub fn deposit(
	nonce: BridgeNonce,
	token: EthAddress,
	to: &AccountId,
	amount: u128,
) -> DepositMessage {
	DepositMessage {
		nonce,
		token,
		depositor: DEPOSITOR,
		recipient: to.clone().into(),
		amount,
		eth_block_hash: H256::repeat_byte(nonce as u8),
	}
}

/// Attester `i`'s signature of `d`.
pub fn sign_deposit(i: u8, d: &DepositMessage) -> EthSignature {
	eth_sign(&attester(i), &domain().deposit_digest(d))
}

/// Attesters `signers` attest `d`, each submitted by the relayer.
pub fn attest(d: &DepositMessage, signers: &[u8]) {
	for i in signers {
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			*d,
			sign_deposit(*i, d)
		));
	}
}

/// A report in the Ethereum block numbered `timestamp` (so its round is `timestamp /
/// RATE_ROUND`).
pub fn rate_report(token: EthAddress, rate: u128, timestamp: u64) -> RateReport {
	RateReport {
		token,
		rate,
		timestamp,
		eth_block_number: timestamp,
		eth_block_hash: H256::repeat_byte(timestamp as u8),
	}
}

pub fn sign_rate(i: u8, r: &RateReport) -> EthSignature {
	eth_sign(&attester(i), &domain().rate_digest(r))
}

pub fn attest_rate(r: &RateReport, signers: &[u8]) {
	for i in signers {
		assert_ok!(Bridge::attest_rate(RuntimeOrigin::signed(relayer()), *r, sign_rate(*i, r)));
	}
}

/// A header of Ethereum block `number` with `receipts_root` (its hash derived from both).
pub fn eth_header(number: u64, receipts_root: H256) -> EthHeader {
	let hash = H256(sp_io::hashing::keccak_256(&(number, receipts_root).encode()));
	EthHeader { number, hash, receipts_root }
}

/// Attester `i`'s signature of `header`.
pub fn sign_header(i: u8, header: &EthHeader) -> EthSignature {
	eth_sign(&attester(i), &domain().header_digest(header))
}

/// Attesters `signers` attest `header`, each submitted by the relayer.
pub fn attest_header(header: &EthHeader, signers: &[u8]) {
	for i in signers {
		assert_ok!(Bridge::attest_header(
			RuntimeOrigin::signed(relayer()),
			*header,
			sign_header(*i, header)
		));
	}
}

/// An Ethereum block `number` whose only transaction has `logs` (succeeded or not): its
/// header and the proof of log `log_index`.
pub fn receipt_block(
	number: u64,
	succeeded: bool,
	logs: &[EthLog],
	log_index: u32,
) -> (EthHeader, ReceiptProof) {
	let receipt = encode::encode_receipt(2, succeeded, 50_000, &[0; 256], logs);
	let (root, proof) = encode::single_receipt_block(3, log_index, &receipt).expect("fits");
	(eth_header(number, root), proof)
}

/// The hash of Ethereum block `number` in tests that prove events.
pub fn block_hash(number: u64) -> H256 {
	H256(sp_io::hashing::keccak_256(&number.to_le_bytes()))
}

/// Block `number` (hash `hash`), whose only receipt holds `logs`, trusted: the first quorum
/// of attesters signed its header. Returns the proof of log `log_index`.
pub fn trust_block(number: u64, hash: H256, logs: &[EthLog], log_index: u32) -> ReceiptProof {
	let (header, proof) = receipt_block(number, true, logs, log_index);
	let quorum = Attesters::<Test>::get().expect("attesters set").quorum as u8;
	attest_header(&EthHeader { hash, ..header }, &(0..quorum).collect::<Vec<_>>());
	proof
}

/// `d` emitted by the vault in block `number`, which is trusted; with the proof of it.
pub fn proven(number: u64, d: &DepositMessage) -> (DepositMessage, ReceiptProof) {
	let d = DepositMessage { eth_block_hash: block_hash(number), ..*d };
	(d, trust_block(number, d.eth_block_hash, &[encode::deposit_log(&VAULT, &d)], 0))
}

/// `r` emitted by the vault in its block, which is trusted; with the proof of it.
pub fn proven_rate(r: &RateReport) -> ReceiptProof {
	trust_block(r.eth_block_number, r.eth_block_hash, &[encode::rate_log(&VAULT, r)], 0)
}

/// Block `number` (hash `hash`), whose only receipt holds `logs`, in the beacon block at
/// slot `number`, which the light client takes as finalized (as a signed update would have
/// it). Returns the proof of log `log_index`. Later slots must come later: the light client
/// checks a header against its latest finalized one.
pub fn beacon_block(
	number: u64,
	hash: H256,
	logs: &[EthLog],
	log_index: u32,
) -> BeaconReceiptProof {
	let (header, receipt) = receipt_block(number, true, logs, log_index);
	let (execution, beacon_header) =
		beacon::encode::finalized_execution_proof(number, number, hash, header.receipts_root);
	assert_ok!(EthereumBeaconClient::store_finalized_header(beacon_header, H256::zero()));
	BeaconReceiptProof { receipt, execution }
}

/// `d` emitted by the vault in block `number`, which the beacon chain finalized; with the
/// proof of it.
pub fn beacon_proven(number: u64, d: &DepositMessage) -> (DepositMessage, BeaconReceiptProof) {
	let d = DepositMessage { eth_block_hash: block_hash(number), ..*d };
	(d, beacon_block(number, d.eth_block_hash, &[encode::deposit_log(&VAULT, &d)], 0))
}

/// Whether a proof call's fee was waived, asserting that a refused proof paid its fee.
pub fn fee_of_proof(
	result: frame_support::dispatch::DispatchResultWithPostInfo,
) -> Result<frame_support::dispatch::Pays, DispatchError> {
	result.map(|info| info.pays_fee).map_err(|e| {
		assert_eq!(
			e.post_info.pays_fee,
			frame_support::dispatch::Pays::Yes,
			"a refused proof pays"
		);
		e.error
	})
}

/// A deposit of 1 001 rETH with `nonce`, proven by `prove` over a cap of 1 000: it waits,
/// spent (a second proof is `AlreadyProcessed`), refused by `retry_deposit` while the cap holds,
/// and minted by it once root raises the cap.
pub fn over_cap_waits_spent_until_there_is_room<P: Clone>(
	nonce: BridgeNonce,
	proven: impl Fn(&DepositMessage) -> (DepositMessage, P),
	prove: impl Fn(DepositMessage, P) -> Result<frame_support::dispatch::Pays, DispatchError>,
) {
	let mut small = limits();
	small.cap = 1_000;
	assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small.clone()));
	let (d, proof) = proven(&deposit(nonce, RETH, &alice(), 1_001));
	assert_ok!(prove(d, proof.clone()));
	assert_eq!(Bridge::deposit_status(nonce), kasane_primitives::bridge::DepositStatus::Parked);
	assert_eq!(balance(RETH_ASSET, &alice()), 0);
	assert_noop!(prove(d, proof), Error::<Test>::AlreadyProcessed);
	assert_noop!(
		Bridge::retry_deposit(RuntimeOrigin::signed(bob()), nonce),
		Error::<Test>::StillOverCap
	);
	small.cap = 2_000;
	assert_ok!(Bridge::update_token(RuntimeOrigin::root(), RETH, small));
	assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), nonce));
	assert_eq!(balance(RETH_ASSET, &alice()), 1_001);
}

/// The receipt of withdrawal `nonce`'s release, carried by `beneficiary`.
pub fn receipt(nonce: BridgeNonce, beneficiary: &AccountId) -> ReleaseReceipt {
	let w = Withdrawals::<Test>::get(nonce).expect("withdrawal exists");
	ReleaseReceipt { withdrawal: w.message, beneficiary: beneficiary.clone().into() }
}

/// Attesters `signers` attest `receipt`.
pub fn attest_release(receipt: &ReleaseReceipt, signers: &[u8]) {
	for i in signers {
		let signature = eth_sign(&attester(*i), &domain().released_digest(receipt));
		assert_ok!(Bridge::attest_release(RuntimeOrigin::signed(relayer()), *receipt, signature));
	}
}

/// Attester `i`'s signature of withdrawal `nonce` for the vault set in force.
pub fn sign_withdrawal(i: u8, nonce: BridgeNonce) -> EthSignature {
	let w = Withdrawals::<Test>::get(nonce).expect("withdrawal exists");
	let set = Attesters::<Test>::get().expect("attesters set");
	eth_sign(&attester(i), &domain().release_digest(set.vault_set_id, &w.message))
}

pub fn limits() -> TokenLimits {
	TokenLimits {
		cap: CAP,
		daily_limit: DAILY_LIMIT,
		max_rate_change: Perbill::from_percent(5),
		haircut: Perbill::from_percent(10),
		min_withdrawal: MIN_WITHDRAWAL,
	}
}

pub fn balance(asset: u32, who: &AccountId) -> u128 {
	<Assets as Inspect<AccountId>>::balance(asset, who)
}

pub fn set_now_secs(secs: u64) {
	Timestamp::set_timestamp(secs * 1_000);
}

/// Advance `blocks` blocks.
pub fn advance(blocks: u64) {
	System::set_block_number(System::block_number() + blocks);
}

/// Let a signed hand-over's delay pass: the blocks go by and the next one's `on_initialize`
/// runs.
pub fn pass_rotation_delay() {
	use frame_support::traits::Hooks;
	advance(ROTATION_DELAY);
	Bridge::on_initialize(System::block_number());
}

/// The bridge's events so far.
pub fn bridge_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Bridge(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The pallet's events since the last call (or since the test began), in order.
pub fn bridge_events_since_last_call() -> Vec<Event<Test>> {
	kasane_primitives::testing::events_since_last_call("lst-bridge", bridge_events())
}

pub struct ExtBuilder {
	attesters: u8,
	configured: bool,
	genesis_policy: Option<InboundPolicy>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { attesters: 3, configured: true, genesis_policy: None }
	}
}

impl ExtBuilder {
	/// `n` attesters (quorum ⌈2n/3⌉).
	pub fn attesters(mut self, n: u8) -> Self {
		self.attesters = n;
		self
	}

	/// Nothing configured: no endpoint, attesters or tokens.
	pub fn unconfigured(mut self) -> Self {
		self.configured = false;
		self
	}

	/// The bridge's genesis sets `policy`.
	pub fn genesis_policy(mut self, policy: InboundPolicy) -> Self {
		self.genesis_policy = Some(policy);
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		kasane_primitives::testing::reset_events_since_last_call();
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![(alice(), 1_000_000), (bob(), 1_000_000), (relayer(), 1_000_000)],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		crate::GenesisConfig::<Test> { inbound_policy: self.genesis_policy, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		// Benchmarks sign with keystore keys.
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| {
			// What a runtime's genesis does for every pallet: the storage version in code.
			<AllPalletsWithSystem as frame_support::traits::OnGenesis>::on_genesis();
			System::set_block_number(1);
			set_now_secs(START_SECS);
			REPORTED.with(|r| r.borrow_mut().clear());
			RATES.with(|r| r.borrow_mut().clear());
			SET_MEMBERS.with(|m| m.borrow_mut().clear());
			DEPARTED.with(|d| d.borrow_mut().clear());
			SLASHING_HELD.with(|h| *h.borrow_mut() = None);
			SET_STAKES.with(|s| s.borrow_mut().clear());
			SET_GOVERNANCE.with(|g| *g.borrow_mut() = (attester_set_owner(), true));
			if self.configured {
				let root = RuntimeOrigin::root();
				assert_ok!(Bridge::set_endpoint(root.clone(), endpoint()));
				// The attesters are the bridge set's members.
				(0..self.attesters).for_each(join);
				let members = attester_addresses(self.attesters);
				let quorum = quorum_of(self.attesters as u32);
				assert_ok!(Bridge::set_attesters(
					root.clone(),
					members,
					quorum,
					VAULT_SET_ID,
					Some(BRIDGE_SET)
				));
				assert_ok!(Bridge::register_token(
					root.clone(),
					WSTETH,
					WSTETH_ASSET,
					18,
					MIN_BALANCE,
					limits()
				));
				assert_ok!(Bridge::register_token(
					root.clone(),
					RETH,
					RETH_ASSET,
					18,
					MIN_BALANCE,
					limits()
				));
				assert_ok!(Bridge::set_guardian(root, Some(guardian())));
				System::reset_events();
			}
		});
		ext
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Bridge::do_try_state().expect("bridge try_state after the test");
			// No restaking here: every mirrored unit is in someone's balance.
			for (_, info) in Tokens::<Test>::iter() {
				assert_eq!(
					<Assets as Inspect<AccountId>>::total_issuance(info.asset),
					info.outstanding(),
					"supply equals minted − burned"
				);
			}
		});
	}
}
