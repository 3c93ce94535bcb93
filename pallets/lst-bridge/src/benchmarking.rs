//! Benchmarks (v2) of every call in its worst case, with the attester-quorum verifier and a
//! full set of `MaxAttesters` attesters: the signature that completes a quorum, a mint that
//! creates the recipient's account, the last signature a withdrawal needs.

use super::*;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungibles::{Inspect, Mutate},
	EnsureOrigin, Get, UnixTime,
};
use frame_support::BoundedVec;
use frame_system::RawOrigin;
use kasane_primitives::bridge::{
	beacon, eth_address_of_compressed,
	proof::{encode, EthLog},
	quorum_of,
};
use sp_core::{H160, H256};
use sp_runtime::Perbill;

/// The key type benchmark keys are generated under.
const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"lstb");

const ONE: u128 = 1_000_000_000_000_000_000;

/// Address number `i` (no key behind it).
fn address(i: u64) -> H160 {
	let mut bytes = [0u8; 20];
	bytes[12..].copy_from_slice(&i.to_be_bytes());
	H160(bytes)
}

fn token() -> H160 {
	H160::repeat_byte(0x11)
}

fn endpoint() -> EthereumEndpoint {
	EthereumEndpoint { chain_id: 1, vault: H160::repeat_byte(0xaa) }
}

fn domain<T: Config>() -> BridgeDomain {
	endpoint().domain(Pallet::<T>::kasane_genesis())
}

/// `who` can pay `count` withdrawal fees.
fn fund_fees<T: Config>(who: &T::AccountId, count: u32) {
	use frame_support::traits::fungible::{Inspect as _, Mutate as _};
	use sp_runtime::Saturating;
	let amount = T::WithdrawalFee::get()
		.saturating_mul(count.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::mint_into(who, amount).expect("mints KSN");
}

/// A benchmark attester key and its address.
struct Signer {
	key: sp_core::ecdsa::Public,
	address: EthAddress,
}

impl Signer {
	fn new() -> Self {
		let key = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
		let digest = [7u8; 32];
		let sig = Self::raw_sign(&key, &digest);
		let address = crate::impls::recover(&sig, &digest).expect("a fresh key signs");
		Self { key, address }
	}

	fn raw_sign(key: &sp_core::ecdsa::Public, digest: &[u8; 32]) -> EthSignature {
		let sig = sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, key, digest)
			.expect("the key is in the keystore");
		EthSignature(sig.0)
	}

	fn sign(&self, digest: &[u8; 32]) -> EthSignature {
		Self::raw_sign(&self.key, digest)
	}
}

/// The bridge configured with `n` attesters, one of them `signer` (the others are addresses
/// without keys), and one registered token. Returns the signer's index and the asset.
fn configured<T: Config>(signer: &Signer, n: u32) -> (u32, T::AssetId) {
	Endpoint::<T>::put(endpoint());
	let mut members: alloc::vec::Vec<EthAddress> = (1..n as u64).map(address).collect();
	members.push(signer.address);
	members.sort();
	let quorum = quorum_of(n);
	let (set, _) = T::BenchmarkHelper::operator_set(0);
	Pallet::<T>::do_set_attesters(members, quorum, 1, Some(set)).expect("a valid set");
	let index = Attesters::<T>::get().unwrap().index_of(&signer.address).unwrap();
	let asset = T::BenchmarkHelper::asset_id(0);
	Pallet::<T>::do_register_token(
		token(),
		asset,
		18,
		1,
		TokenLimits {
			cap: u128::MAX / 2,
			daily_limit: u128::MAX / 2,
			max_rate_change: Perbill::from_percent(50),
			haircut: Perbill::from_percent(10),
			min_withdrawal: 1,
		},
	)
	.expect("a fresh token");
	(index, asset)
}

/// A hand-over from the current set to `MaxAttesters` other addresses, signed by all but
/// `missing + 1` of the current quorum (never by `signer`); returns its digest.
fn pending_rotation<T: Config>(signer: &Signer, missing: u32) -> H256 {
	let set = Attesters::<T>::get().expect("configured");
	let next: alloc::vec::Vec<EthAddress> =
		(1_000..1_000 + T::MaxAttesters::get() as u64).map(address).collect();
	let quorum = quorum_of(next.len() as u32);
	let signatures: alloc::vec::Vec<_> = set
		.members
		.iter()
		.filter(|a| **a != signer.address)
		.take(set.quorum.saturating_sub(1 + missing) as usize)
		.map(|a| (*a, EthSignature([1; 65])))
		.collect();
	let digest = domain::<T>().rotate_digest(set.vault_set_id, &next, quorum);
	PendingRotation::<T>::put(Rotation {
		vault_set_id: set.vault_set_id,
		next: next.try_into().expect("MaxAttesters addresses"),
		quorum,
		signatures: signatures.try_into().expect("fewer than the quorum"),
	});
	H256(digest)
}

/// `quorum − 1 − missing` attesters other than `except` already signed.
fn others(quorum: u32, except: u32, missing: u32) -> u64 {
	let mut bits = 0u64;
	let mut i = 0;
	while bits.count_ones() < quorum.saturating_sub(1 + missing) {
		if i != except {
			bits |= 1 << i;
		}
		i += 1;
	}
	bits
}

fn account_bytes<T: Config>(who: &T::AccountId) -> [u8; 32] {
	let mut bytes = [0u8; 32];
	let encoded = who.encode();
	bytes.copy_from_slice(&encoded[..32]);
	bytes
}

fn deposit_to<T: Config>(who: &T::AccountId) -> DepositMessage {
	DepositMessage {
		nonce: 1,
		token: token(),
		depositor: H160::repeat_byte(0xd0),
		recipient: account_bytes::<T>(who),
		amount: 1_000 * ONE,
		eth_block_hash: H256::repeat_byte(1),
	}
}

/// Attestations under the current set: of deposit `d` by `signers` (bitmap), and of the
/// contradicting `odd` by `odd_signers`.
fn tally_deposit<T: Config>(d: &DepositMessage, signers: u64, odd: Option<(DepositMessage, u64)>) {
	let set = Attesters::<T>::get().unwrap();
	let tally = |m: &DepositMessage, signers| Tally {
		message: *m,
		digest: domain::<T>().deposit_digest(m),
		set_id: set.id,
		signers,
	};
	let mut candidates = alloc::vec![tally(d, signers)];
	if let Some((odd, odd_signers)) = odd {
		candidates.push(tally(&odd, odd_signers));
	}
	DepositTallies::<T>::insert(
		d.nonce,
		DepositTally { set_id: set.id, candidates: candidates.try_into().expect("two at most") },
	);
}

/// A rate in force and a report of the next round within bounds.
fn rate_setup<T: Config>() -> RateReport {
	let now = T::UnixTime::now().as_secs();
	let earlier = now.saturating_sub(2);
	Rates::<T>::insert(token(), Rate { rate: ONE, reported_at: earlier, round: 1 });
	RateReport {
		token: token(),
		rate: ONE + ONE / 100,
		timestamp: earlier + 1,
		eth_block_number: 2 * T::RateRound::get(),
		eth_block_hash: H256::repeat_byte(2),
	}
}

/// Votes for `r` by `signers`; every other attester but `signer` backs a report of its own,
/// of a later round (the most candidates there can be), and `signer` backs an earlier one
/// that it leaves.
fn tally_rate<T: Config>(r: &RateReport, signers: u64, signer: u32) {
	let set = Attesters::<T>::get().unwrap();
	let mut votes = Votes::<RateReport, T::MaxAttesters>::new(set.id);
	let digest = |m: &RateReport| domain::<T>().rate_digest(m);
	votes.back(signer, *r, digest(r)).expect("an attester");
	let mut earlier = *r;
	earlier.eth_block_number -= T::RateRound::get();
	votes.back(signer, earlier, digest(&earlier)).expect("an attester");
	for i in 0..set.members.len() as u32 {
		if signers & (1 << i) != 0 {
			votes.back(i, *r, digest(r)).expect("an attester");
		} else if i != signer {
			let mut own = *r;
			own.eth_block_number += T::RateRound::get() * (1 + i as u64);
			votes.back(i, own, digest(&own)).expect("an attester");
		}
	}
	RateTallies::<T>::insert(r.token, votes);
}

/// Receipt votes for withdrawal 1: `signers` back `receipt`, every other attester but
/// `signer` backs a receipt naming a beneficiary of its own.
fn tally_release<T: Config>(receipt: &ReleaseReceipt, signers: u64, signer: u32) {
	let set = Attesters::<T>::get().unwrap();
	let mut votes = Votes::<ReleaseReceipt, T::MaxAttesters>::new(set.id);
	for i in 0..set.members.len() as u32 {
		let mut own = *receipt;
		if signers & (1 << i) == 0 {
			if i == signer {
				continue;
			}
			own.beneficiary = [i as u8; 32];
		}
		votes.back(i, own, domain::<T>().released_digest(&own)).expect("an attester");
	}
	ReleaseVotes::<T>::insert(receipt.withdrawal.nonce, votes);
}

/// `who` holds `amount` of `asset` and has withdrawn it: withdrawal 1.
fn withdrawn<T: Config>(asset: T::AssetId, who: &T::AccountId, amount: u128) {
	fund_fees::<T>(who, 1);
	T::Assets::mint_into(asset, who, amount).expect("mints");
	Tokens::<T>::mutate(token(), |t| t.as_mut().unwrap().minted += amount);
	Pallet::<T>::do_withdraw(who.clone(), asset, amount, H160::repeat_byte(9)).expect("burns");
}

/// A header of block `number` with a receipts root of `root`.
fn header(number: u64, root: u8) -> EthHeader {
	EthHeader {
		number,
		hash: H256::repeat_byte(0x40 ^ root),
		receipts_root: H256::repeat_byte(root),
	}
}

/// Header attestations under the current set for block `h.number`: of `h` by `signers`, and
/// of the conflicting `odd` by `odd_signers`; each signer counts one open attestation.
fn tally_header<T: Config>(h: &EthHeader, signers: u64, odd: Option<(EthHeader, u64)>) {
	let set = Attesters::<T>::get().unwrap();
	let tally = |m: &EthHeader, signers| Tally {
		message: *m,
		digest: domain::<T>().header_digest(m),
		set_id: set.id,
		signers,
	};
	let mut candidates = alloc::vec![tally(h, signers)];
	let mut all = signers;
	if let Some((odd, odd_signers)) = odd {
		candidates.push(tally(&odd, odd_signers));
		all |= odd_signers;
	}
	let tally =
		HeaderTally { set_id: set.id, candidates: candidates.try_into().expect("two at most") };
	let opened = frame_system::Pallet::<T>::block_number();
	HeaderTallies::<T>::insert(h.number, DatedHeaderTally { tally, opened });
	let mut open = OpenHeaders::new(set.id);
	for (i, count) in open.counts.iter_mut().enumerate() {
		*count = u8::from(all & (1u64 << i) != 0);
	}
	OpenHeaderCounts::<T>::put(open);
}

/// A full ring of trusted headers: the next one trusted forgets one, and the unreported
/// contradiction of the one it forgets.
fn full_ring<T: Config>() {
	trusted_headers::<T>(T::MaxTrustedHeaders::get());
	let oldest = TrustedRing::<T>::get(TrustedRingNext::<T>::get()).expect("a full ring");
	let attester = Attesters::<T>::get().expect("configured").members[0];
	HeaderContradictions::<T>::insert(
		oldest,
		Contradiction {
			odd: [1; 32],
			accepted: [2; 32],
			attesters: alloc::vec![attester].try_into().expect("one"),
			operator_set: None,
		},
	);
}

/// `count` trusted headers in the first slots of the ring.
fn trusted_headers<T: Config>(count: u32) {
	for slot in 0..count {
		let h = header(1_000_000 + slot as u64, 0x77);
		let mut hash = [0u8; 32];
		hash[24..].copy_from_slice(&(1_000_000 + slot as u64).to_be_bytes());
		let h = EthHeader { hash: H256(hash), ..h };
		TrustedRing::<T>::insert(slot, h.number);
		TrustedNumbers::<T>::insert(h.number, h.hash);
		TrustedHeaders::<T>::insert(
			h.hash,
			TrustedHeader { number: h.number, receipts_root: h.receipts_root },
		);
	}
}

/// Block `number` (hash `hash`), trusted, whose only transaction logs `padding` bytes of
/// another contract's event and then `log`; the proof of `log`.
fn trusted_receipt<T: Config>(number: u64, hash: H256, padding: u32, log: EthLog) -> ReceiptProof {
	let filler = EthLog {
		address: H160::repeat_byte(0x99),
		topics: alloc::vec![],
		data: alloc::vec![0xab; padding as usize],
	};
	let receipt = encode::encode_receipt(2, true, 100_000, &[0xff; 256], &[filler, log]);
	let (root, proof) = encode::single_receipt_block(7, 1, &receipt).expect("within a node");
	TrustedHeaders::<T>::insert(hash, TrustedHeader { number, receipts_root: root });
	TrustedNumbers::<T>::insert(number, hash);
	TrustedRing::<T>::insert(0, number);
	proof
}

/// A configured bridge under the proven policy and a deposit to a new account in block 100
/// with its receipt proof under a trusted header (`b` as for `prove_deposit`): (the deposit's
/// asset, its recipient, the deposit, the proof).
fn proven_deposit<T: Config>(b: u32) -> (T::AssetId, T::AccountId, DepositMessage, ReceiptProof) {
	let signer = Signer::new();
	let (_, asset) = configured::<T>(&signer, T::MaxAttesters::get());
	let recipient: T::AccountId = account("recipient", 0, 0);
	let d = deposit_to::<T>(&recipient);
	Policy::<T>::put(InboundPolicy::Proven);
	let proof =
		trusted_receipt::<T>(100, d.eth_block_hash, b, encode::deposit_log(&endpoint().vault, &d));
	(asset, recipient, d, proof)
}

/// The attesters bound to an operator set of `n` members with keys, all recorded as having
/// signed another content than a quorum did; with the key of the one a report finds last in
/// the record (the worst case: it scans the record for the key's address and writes the rest
/// back).
fn contradicting_member<T: Config>(
	n: u32,
) -> (sp_core::ecdsa::Public, Contradiction<T::MaxAttesters>) {
	let signer = Signer::new();
	configured::<T>(&signer, T::MaxAttesters::get());
	let (set, operators) = T::BenchmarkHelper::operator_set(n);
	let members = Pallet::<T>::attesters_of(&set, &operators).expect("members with keys");
	let quorum = quorum_of(members.len() as u32);
	Pallet::<T>::do_set_attesters(members.to_vec(), quorum, 1, Some(set)).expect("suitable");
	let last = *members.last().expect("n ≥ 1");
	let key = Pallet::<T>::attester_key(&set, &last).expect("every member has an ecdsa key");
	let record = Contradiction {
		odd: [1; 32],
		accepted: [2; 32],
		attesters: members,
		operator_set: Some(set),
	};
	(key, record)
}

/// A configured bridge and a deposit to a new account in block 100 with its beacon proof
/// (`b` as for `prove_deposit`): (the deposit's asset, its recipient, the deposit, the proof).
fn beacon_deposit<T: Config>(
	b: u32,
) -> (T::AssetId, T::AccountId, DepositMessage, BeaconReceiptProof) {
	let signer = Signer::new();
	let (_, asset) = configured::<T>(&signer, T::MaxAttesters::get());
	let recipient: T::AccountId = account("recipient", 0, 0);
	let d = deposit_to::<T>(&recipient);
	let proof =
		beacon_receipt::<T>(100, d.eth_block_hash, b, encode::deposit_log(&endpoint().vault, &d));
	(asset, recipient, d, proof)
}

/// As [`trusted_receipt`] (the header attested too, for the co-signed policy), and the block
/// is the payload of a beacon block that is an ancestor of one the light client takes as
/// finalized: the most it checks of an execution proof.
fn beacon_receipt<T: Config>(
	number: u64,
	hash: H256,
	padding: u32,
	log: EthLog,
) -> BeaconReceiptProof {
	let receipt = trusted_receipt::<T>(number, hash, padding, log);
	let root = TrustedHeaders::<T>::get(hash).expect("just trusted").receipts_root;
	let (execution, finalized, block_roots_root) =
		beacon::encode::ancestor_execution_proof(9_000, 9_064, number, hash, root);
	T::BenchmarkHelper::finalize_beacon_header(finalized, block_roots_root);
	BeaconReceiptProof { receipt, execution }
}

/// Most padding a benchmark receipt takes: its proof's one node stays within a node's bound.
const MAX_PADDING: u32 = kasane_primitives::bridge::proof::MAX_PROOF_NODE_LEN - 1_024;

#[benchmarks(where T::Verifier: InboundVerifier<T::AccountId, Evidence = EthSignature>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn attest_deposit_counted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let recipient: T::AccountId = account("recipient", 0, 0);
		let d = deposit_to::<T>(&recipient);
		tally_deposit::<T>(&d, others(quorum_of(n), index, 1), None);
		let sig = signer.sign(&domain::<T>().deposit_digest(&d));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_deposit(RawOrigin::Signed(relayer), d, sig);

		let tally = DepositTallies::<T>::get(1).unwrap();
		assert_eq!(tally.leading().unwrap().count(), quorum_of(n) - 1);
	}

	#[benchmark]
	fn attest_deposit_minted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, asset) = configured::<T>(&signer, n);
		let recipient: T::AccountId = account("recipient", 0, 0);
		let d = deposit_to::<T>(&recipient);
		// Every other attester signed a contradicting deposit: accepting records them all.
		let signers = others(quorum_of(n), index, 0);
		let everyone = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
		let mut odd = d;
		odd.amount += 1;
		tally_deposit::<T>(&d, signers, Some((odd, everyone & !signers & !(1 << index))));
		let sig = signer.sign(&domain::<T>().deposit_digest(&d));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_deposit(RawOrigin::Signed(relayer), d, sig);

		assert_eq!(T::Assets::balance(asset, &recipient), d.amount);
		assert!(Contradictions::<T>::contains_key(1));
	}

	#[benchmark]
	fn attest_deposit_conflict() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let recipient: T::AccountId = account("recipient", 0, 0);
		let d = deposit_to::<T>(&recipient);
		// The signer signed `d`; now it signs other contents for the same nonce.
		tally_deposit::<T>(&d, others(quorum_of(n), index, 1) | (1 << index), None);
		let mut forged = d;
		forged.amount += 1;
		let sig = signer.sign(&domain::<T>().deposit_digest(&forged));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_deposit(RawOrigin::Signed(relayer), forged, sig);

		assert!(Halted::<T>::contains_key(1));
		assert!(DoubleSigns::<T>::contains_key(1, signer.address));
	}

	#[benchmark]
	fn attest_rate_counted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let r = rate_setup::<T>();
		tally_rate::<T>(&r, others(quorum_of(n), index, 1), index);
		let sig = signer.sign(&domain::<T>().rate_digest(&r));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_rate(RawOrigin::Signed(relayer), r, sig);

		let votes = RateTallies::<T>::get(token()).unwrap();
		assert_eq!(votes.backed_by(index).unwrap().count(), quorum_of(n) - 1);
	}

	#[benchmark]
	fn attest_rate_applied() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let r = rate_setup::<T>();
		tally_rate::<T>(&r, others(quorum_of(n), index, 0), index);
		let sig = signer.sign(&domain::<T>().rate_digest(&r));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_rate(RawOrigin::Signed(relayer), r, sig);

		assert_eq!(Rates::<T>::get(token()).unwrap().rate, r.rate);
	}

	#[benchmark]
	fn withdraw_to_ethereum() {
		let signer = Signer::new();
		let (_, asset) = configured::<T>(&signer, T::MaxAttesters::get());
		let who: T::AccountId = whitelisted_caller();
		fund_fees::<T>(&who, 1);
		T::Assets::mint_into(asset, &who, 10 * ONE).expect("mints");
		Tokens::<T>::mutate(token(), |t| t.as_mut().unwrap().minted += 10 * ONE);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), asset, 10 * ONE, H160::repeat_byte(9));

		assert!(Withdrawals::<T>::contains_key(1));
	}

	#[benchmark]
	fn attest_withdrawal() {
		let n = T::MaxAttesters::get();
		// A withdrawal one signature short of its quorum.
		let signer = Signer::new();
		let (_, asset) = configured::<T>(&signer, n);
		let who: T::AccountId = account("withdrawer", 0, 0);
		withdrawn::<T>(asset, &who, ONE);
		let set = Attesters::<T>::get().unwrap();
		let filler = EthSignature([1; 65]);
		Withdrawals::<T>::mutate(1, |w| {
			let w = w.as_mut().unwrap();
			for member in set.members.iter().filter(|m| **m != signer.address) {
				if w.signatures.len() as u32 + 1 == set.quorum {
					break;
				}
				w.signatures.try_push((*member, filler)).unwrap();
			}
			w.signatures.sort_by_key(|(a, _)| *a);
		});
		let message = Withdrawals::<T>::get(1).unwrap().message;
		let sig = signer.sign(&domain::<T>().release_digest(set.vault_set_id, &message));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), 1, sig);

		assert_eq!(Withdrawals::<T>::get(1).unwrap().signatures.len() as u32, set.quorum);
	}

	#[benchmark]
	fn retry_deposit() {
		let signer = Signer::new();
		let (_, asset) = configured::<T>(&signer, T::MaxAttesters::get());
		let recipient: T::AccountId = account("recipient", 0, 0);
		Waiting::<T>::insert(
			1,
			WaitingDeposit {
				token: token(),
				depositor: H160::repeat_byte(0xd0),
				recipient: recipient.clone(),
				amount: ONE,
				reason: WaitReason::Delayed { until: 0u32.into() },
			},
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1);

		assert_eq!(T::Assets::balance(asset, &recipient), ONE);
	}

	#[benchmark]
	fn register_token() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::asset_id(1);
		let limits = TokenLimits {
			cap: ONE,
			daily_limit: ONE,
			max_rate_change: Perbill::from_percent(5),
			haircut: Perbill::from_percent(5),
			min_withdrawal: ONE / 1_000,
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, token(), asset, 18, 1, limits);

		assert!(Tokens::<T>::contains_key(token()));
		Ok(())
	}

	#[benchmark]
	fn update_token() -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, 1);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let limits = TokenLimits {
			cap: ONE,
			daily_limit: ONE,
			max_rate_change: Perbill::from_percent(5),
			haircut: Perbill::from_percent(5),
			min_withdrawal: ONE / 1_000,
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, token(), limits);

		assert_eq!(Tokens::<T>::get(token()).unwrap().cap, ONE);
		Ok(())
	}

	/// `t` trusted headers and `h` halted numbers, all forgotten: the new endpoint is another
	/// chain.
	#[benchmark]
	fn set_endpoint(
		t: Linear<0, { T::MaxTrustedHeaders::get() }>,
		h: Linear<0, { T::MaxHaltedHeaders::get() }>,
	) -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		trusted_headers::<T>(t);
		// Each trusted header with an unreported contradiction, forgotten with it.
		let attester = Attesters::<T>::get().expect("configured").members[0];
		for number in TrustedNumbers::<T>::iter_keys().collect::<alloc::vec::Vec<_>>() {
			let record = Contradiction {
				odd: [1; 32],
				accepted: [2; 32],
				attesters: alloc::vec![attester].try_into().expect("one"),
				operator_set: None,
			};
			HeaderContradictions::<T>::insert(number, record);
		}
		for number in 0..h as u64 {
			HaltedHeaders::<T>::insert(number, ([1; 32], [2; 32]));
		}
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let other_chain = EthereumEndpoint { chain_id: 2, ..endpoint() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, other_chain);

		assert_eq!(Attesters::<T>::get().unwrap().id, 1);
		assert_eq!(TrustedHeaders::<T>::count() + HaltedHeaders::<T>::count(), 0);
		assert_eq!(HeaderContradictions::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn set_attesters(n: Linear<1, { T::MaxAttesters::get() }>) -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let members: alloc::vec::Vec<EthAddress> = (1..=n as u64).map(address).collect();
		let set = Attesters::<T>::get().unwrap().operator_set;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, members, n, 2, set);

		assert_eq!(Attesters::<T>::get().unwrap().members.len() as u32, n);
		Ok(())
	}

	#[benchmark]
	fn set_guardian() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let guardian: T::AccountId = account("guardian", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(guardian.clone()));

		assert_eq!(Guardian::<T>::get(), Some(guardian));
		Ok(())
	}

	#[benchmark]
	fn pause() {
		// The guardian path: the admin origin is tried first and fails.
		let guardian: T::AccountId = account("guardian", 0, 0);
		Guardian::<T>::put(guardian.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian));

		assert_eq!(Mode::<T>::get(), OperatingMode::Paused);
	}

	#[benchmark]
	fn resume() -> Result<(), BenchmarkError> {
		Mode::<T>::put(OperatingMode::Paused);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);

		assert_eq!(Mode::<T>::get(), OperatingMode::Normal);
		Ok(())
	}

	#[benchmark]
	fn clear_halt() -> Result<(), BenchmarkError> {
		Halted::<T>::insert(1, ([1; 32], [2; 32]));
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(!Halted::<T>::contains_key(1));
		Ok(())
	}

	#[benchmark]
	fn cancel_deposit() -> Result<(), BenchmarkError> {
		Waiting::<T>::insert(
			1,
			WaitingDeposit {
				token: token(),
				depositor: H160::repeat_byte(0xd0),
				recipient: account::<T::AccountId>("recipient", 0, 0),
				amount: ONE,
				reason: WaitReason::Delayed { until: 10u32.into() },
			},
		);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(!Waiting::<T>::contains_key(1));
		assert_eq!(Refunds::<T>::get(1), Some(1));
		Ok(())
	}

	#[benchmark]
	fn force_set_rate() -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, 1);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, token(), 2 * ONE);

		assert_eq!(Rates::<T>::get(token()).unwrap().rate, 2 * ONE);
		Ok(())
	}

	/// `n` operators in the bridge's set, each listed, its stake and key checked against the
	/// registry (and every member's stake again for completeness), its key decompressed; the
	/// hand-over to them (one newcomer) is proposed.
	#[benchmark]
	fn rotate_attesters(n: Linear<1, { T::MaxAttesters::get() }>) -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		let (set, operators) = T::BenchmarkHelper::operator_set(n);
		// The attesters in force are all of them but one, which the hand-over adds.
		let mut current = Pallet::<T>::attesters_of(&set, &operators)
			.expect("members with stake and ecdsa keys")
			.to_vec();
		current.pop();
		if current.is_empty() {
			current.push(address(1));
		}
		let quorum = quorum_of(current.len() as u32);
		Pallet::<T>::do_set_attesters(current, quorum, 1, Some(set)).expect("a suitable set");
		let operators: BoundedVec<_, T::MaxAttesters> =
			operators.try_into().map_err(|_| BenchmarkError::Weightless)?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), operators);

		assert_eq!(PendingRotation::<T>::get().unwrap().next.len() as u32, n);
		Ok(())
	}

	/// A signature of the hand-over that does not complete the quorum (64 attesters).
	#[benchmark]
	fn attest_rotation_counted() -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		let digest = pending_rotation::<T>(&signer, 1);
		let signature = signer.sign(&digest.0);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_rotation(RawOrigin::Signed(caller), digest, signature);

		assert!(PendingRotation::<T>::exists());
		Ok(())
	}

	/// The signature that completes the quorum: the signed hand-over is kept and waits.
	#[benchmark]
	fn attest_rotation_applied() -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		let digest = pending_rotation::<T>(&signer, 0);
		let signature = signer.sign(&digest.0);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_rotation(RawOrigin::Signed(caller), digest, signature);

		assert!(!PendingRotation::<T>::exists());
		assert!(ApprovedRotation::<T>::exists());
		Ok(())
	}

	/// The last of `n` attesters recorded as contradicting an accepted deposit, members of the
	/// bridge's operator set, is reported by its key and slashed.
	#[benchmark]
	fn report_contradiction(
		n: Linear<1, { T::MaxAttesters::get() }>,
	) -> Result<(), BenchmarkError> {
		let (key, record) = contradicting_member::<T>(n);
		let attester = eth_address_of_compressed(&key.0).expect("a valid key");
		Contradictions::<T>::insert(1, record);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1, key);

		assert!(DoubleSigns::<T>::contains_key(1, attester));
		Ok(())
	}

	/// The last of `n` attesters recorded as signing another header than the one trusted for
	/// its number, members of the bridge's operator set, is reported by its key and slashed.
	#[benchmark]
	fn report_header_contradiction(
		n: Linear<1, { T::MaxAttesters::get() }>,
	) -> Result<(), BenchmarkError> {
		let (key, record) = contradicting_member::<T>(n);
		let attester = eth_address_of_compressed(&key.0).expect("a valid key");
		let h = header(100, 1);
		HeaderContradictions::<T>::insert(h.number, record);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), h.number, key);

		let rest = HeaderContradictions::<T>::get(h.number);
		assert!(rest.is_none_or(|r| !r.attesters.contains(&attester)));
		Ok(())
	}

	/// A release receipt one signature short of its quorum, every other attester backing a
	/// receipt of its own.
	#[benchmark]
	fn attest_release_counted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, asset) = configured::<T>(&signer, n);
		let who: T::AccountId = account("withdrawer", 0, 0);
		withdrawn::<T>(asset, &who, ONE);
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let receipt = ReleaseReceipt {
			withdrawal: Withdrawals::<T>::get(1).unwrap().message,
			beneficiary: account_bytes::<T>(&beneficiary),
		};
		tally_release::<T>(&receipt, others(quorum_of(n), index, 1), index);
		let sig = signer.sign(&domain::<T>().released_digest(&receipt));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_release(RawOrigin::Signed(relayer), receipt, sig);

		assert!(Withdrawals::<T>::get(1).unwrap().released_at.is_none());
	}

	/// The receipt completing a quorum: the fee paid to a new account, two expired records
	/// pruned.
	#[benchmark]
	fn attest_release_applied() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, asset) = configured::<T>(&signer, n);
		let who: T::AccountId = account("withdrawer", 0, 0);
		// Withdrawals 1 and 2, refunds released long ago (pruning removes their refund records
		// too); 3 is the one being released.
		for nonce in 1..=3u64 {
			withdrawn::<T>(asset, &who, ONE);
			if nonce < 3 {
				Withdrawals::<T>::mutate(nonce, |w| {
					let w = w.as_mut().unwrap();
					w.released_at = Some(frame_system::Pallet::<T>::block_number());
					w.origin = WithdrawalOrigin::Refund { deposit: nonce };
				});
				Refunds::<T>::insert(nonce, nonce);
				ReleasedQueue::<T>::insert(
					nonce - 1,
					(frame_system::Pallet::<T>::block_number(), nonce),
				);
			}
		}
		ReleasedQueueBounds::<T>::put((0, 2));
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + T::ReleasedRetention::get(),
		);
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let receipt = ReleaseReceipt {
			withdrawal: Withdrawals::<T>::get(3).unwrap().message,
			beneficiary: account_bytes::<T>(&beneficiary),
		};
		tally_release::<T>(&receipt, others(quorum_of(n), index, 0), index);
		let sig = signer.sign(&domain::<T>().released_digest(&receipt));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_release(RawOrigin::Signed(relayer), receipt, sig);

		assert!(Withdrawals::<T>::get(3).unwrap().released_at.is_some());
		assert!(!Withdrawals::<T>::contains_key(1) && !Withdrawals::<T>::contains_key(2));
		assert_eq!(Refunds::<T>::iter().count(), 0);
	}

	/// Root refuses a signed hand-over waiting for its delay (64 next attesters).
	#[benchmark]
	fn refuse_rotation() -> Result<(), BenchmarkError> {
		let signer = Signer::new();
		configured::<T>(&signer, T::MaxAttesters::get());
		let digest = pending_rotation::<T>(&signer, 0);
		Pallet::<T>::do_attest_rotation(digest, signer.sign(&digest.0)).expect("completes");
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);

		assert!(!ApprovedRotation::<T>::exists());
		assert_eq!(Rotations::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn attest_header_counted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let h = header(100, 1);
		tally_header::<T>(&h, others(quorum_of(n), index, 1), None);
		let sig = signer.sign(&domain::<T>().header_digest(&h));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_header(RawOrigin::Signed(relayer), h, sig);

		let tally = HeaderTallies::<T>::get(100).unwrap().tally;
		assert_eq!(tally.leading().unwrap().count(), quorum_of(n) - 1);
	}

	#[benchmark]
	fn attest_header_trusted() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let h = header(100, 1);
		// Every other attester signed another header: settling counts them all; and the ring
		// is full, so the oldest header is forgotten.
		let signers = others(quorum_of(n), index, 0);
		let everyone = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
		let odd = header(100, 2);
		tally_header::<T>(&h, signers, Some((odd, everyone & !signers & !(1 << index))));
		full_ring::<T>();
		let sig = signer.sign(&domain::<T>().header_digest(&h));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_header(RawOrigin::Signed(relayer), h, sig);

		assert!(TrustedHeaders::<T>::contains_key(h.hash));
		assert_eq!(TrustedHeaders::<T>::count(), T::MaxTrustedHeaders::get());
		// The other header's signers are recorded; the forgotten header's record is gone.
		assert_eq!(
			HeaderContradictions::<T>::get(100).unwrap().attesters.len() as u32,
			n - quorum_of(n)
		);
		assert_eq!(HeaderContradictions::<T>::iter().count(), 1);
	}

	#[benchmark]
	fn attest_header_conflict() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let h = header(100, 1);
		// The signer signed `h`; now it signs another header of the same number.
		tally_header::<T>(&h, others(quorum_of(n), index, 1) | (1 << index), None);
		let forged = header(100, 2);
		let sig = signer.sign(&domain::<T>().header_digest(&forged));
		let relayer: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		attest_header(RawOrigin::Signed(relayer), forged, sig);

		assert!(HaltedHeaders::<T>::contains_key(100));
	}

	/// `b`: bytes of another event before the deposit's in its receipt (the proof is about
	/// 700 bytes longer). The worst case: a halted nonce settled under the proven policy, the
	/// signers of a false content recorded, and a mint that creates the recipient's account.
	#[benchmark]
	fn prove_deposit(b: Linear<0, MAX_PADDING>) {
		let (asset, recipient, d, proof) = proven_deposit::<T>(b);
		Halted::<T>::insert(d.nonce, ([1; 32], [2; 32]));
		// Attesters signed another content for the nonce: the receipt shows it false.
		let mut forged = d;
		forged.amount += 1;
		tally_deposit::<T>(&d, 1, Some((forged, u64::MAX << 1)));
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), d, proof);

		assert_eq!(T::Assets::balance(asset, &recipient), d.amount);
		assert!(!Halted::<T>::contains_key(d.nonce));
		assert!(Contradictions::<T>::contains_key(d.nonce));
	}

	/// `b` as for `prove_deposit`. The plain path, a deposit's usual one: a nonce attesters
	/// never signed (no halt, no tally), a mint that creates the recipient's account.
	#[benchmark]
	fn prove_deposit_plain(b: Linear<0, MAX_PADDING>) {
		let (asset, recipient, d, proof) = proven_deposit::<T>(b);
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		prove_deposit(RawOrigin::Signed(submitter), d, proof);

		assert_eq!(T::Assets::balance(asset, &recipient), d.amount);
		assert!(!Contradictions::<T>::contains_key(d.nonce));
	}

	/// `b` as for `prove_deposit`.
	#[benchmark]
	fn prove_rate(b: Linear<0, MAX_PADDING>) {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let r = rate_setup::<T>();
		// Tallies of attested reports are forgotten when a rate applies.
		tally_rate::<T>(&r, others(quorum_of(n), index, 1), index);
		let proof = trusted_receipt::<T>(
			r.eth_block_number,
			r.eth_block_hash,
			b,
			encode::rate_log(&endpoint().vault, &r),
		);
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), r, proof);

		assert_eq!(Rates::<T>::get(token()).unwrap().rate, r.rate);
	}

	/// An expired tally of the current set that every attester signed: all their counts
	/// settle.
	#[benchmark]
	fn drop_header_tally() {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		configured::<T>(&signer, n);
		let everyone = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
		let h = header(100, 1);
		let half = everyone & 0x5555_5555_5555_5555;
		tally_header::<T>(&h, half, Some((header(100, 2), everyone & !half)));
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now + T::HeaderTallyExpiry::get());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 100);

		assert!(!HeaderTallies::<T>::contains_key(100));
		assert_eq!(Pallet::<T>::open_headers(Attesters::<T>::get().unwrap().id).counts, [0; 64]);
	}

	#[benchmark]
	fn clear_header_halt() -> Result<(), BenchmarkError> {
		HaltedHeaders::<T>::insert(1, ([1; 32], [2; 32]));
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(!HaltedHeaders::<T>::contains_key(1));
		Ok(())
	}

	/// `b` as for `prove_deposit`. The worst case: the co-signed policy with the deposit
	/// above its threshold (the attested header is read too), an ancestry branch, a halted
	/// nonce settled, the signers of a false content recorded, a mint that creates the
	/// recipient's account.
	#[benchmark]
	fn prove_deposit_beacon(b: Linear<0, MAX_PADDING>) {
		let (asset, recipient, d, proof) = beacon_deposit::<T>(b);
		Halted::<T>::insert(d.nonce, ([1; 32], [2; 32]));
		Policy::<T>::put(InboundPolicy::BeaconCoSigned { above: 0 });
		let mut forged = d;
		forged.amount += 1;
		tally_deposit::<T>(&d, 1, Some((forged, u64::MAX << 1)));
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), d, alloc::boxed::Box::new(proof));

		assert_eq!(T::Assets::balance(asset, &recipient), d.amount);
		assert!(!Halted::<T>::contains_key(d.nonce));
		assert!(Contradictions::<T>::contains_key(d.nonce));
	}

	/// `b` as for `prove_deposit`. The plain path, a deposit's usual one under the beacon
	/// policy: no co-signature looked for, a nonce attesters never signed (no halt, no tally),
	/// an ancestry branch, a mint that creates the recipient's account.
	#[benchmark]
	fn prove_deposit_beacon_plain(b: Linear<0, MAX_PADDING>) {
		let (asset, recipient, d, proof) = beacon_deposit::<T>(b);
		Policy::<T>::put(InboundPolicy::Beacon);
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		prove_deposit_beacon(RawOrigin::Signed(submitter), d, alloc::boxed::Box::new(proof));

		assert_eq!(T::Assets::balance(asset, &recipient), d.amount);
		assert!(!Contradictions::<T>::contains_key(d.nonce));
	}

	#[benchmark]
	fn prove_rate_beacon(b: Linear<0, MAX_PADDING>) {
		let signer = Signer::new();
		let n = T::MaxAttesters::get();
		let (index, _) = configured::<T>(&signer, n);
		let r = rate_setup::<T>();
		tally_rate::<T>(&r, others(quorum_of(n), index, 1), index);
		let proof = beacon_receipt::<T>(
			r.eth_block_number,
			r.eth_block_hash,
			b,
			encode::rate_log(&endpoint().vault, &r),
		);
		let submitter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), r, alloc::boxed::Box::new(proof));

		assert_eq!(Rates::<T>::get(token()).unwrap().rate, r.rate);
	}

	#[benchmark]
	fn set_beacon_forks() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ForkSchedule::SEPOLIA);

		assert_eq!(BeaconForks::<T>::get(), Some(ForkSchedule::SEPOLIA));
		Ok(())
	}

	#[benchmark]
	fn set_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, InboundPolicy::Proven);

		assert_eq!(Policy::<T>::get(), InboundPolicy::Proven);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().unconfigured().build(),
		crate::mock::Test
	);
}
