//! Proven messages: a deposit or a rate report proven by its receipt under a trusted header is
//! acted on once, whoever submits it; every way the proof or the event can be wrong is refused
//! with its own error and changes nothing; the inbound policy can refuse attested messages.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use kasane_primitives::bridge::{
	proof::{encode, EthLog},
	DepositStatus,
};
use sp_core::{Pair, H160, H256};
use sp_runtime::DispatchError;

const ONE: u128 = 1_000_000_000_000_000_000;

fn prove(d: DepositMessage, proof: ReceiptProof) -> Result<Pays, DispatchError> {
	fee_of_proof(Bridge::prove_deposit(RuntimeOrigin::signed(bob()), d, proof))
}

#[test]
fn a_proven_deposit_is_minted_once_by_whoever_submits_it() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = proven(500, &deposit(1, WSTETH, &alice(), 12_345));
		bridge_events_since_last_call();
		assert_eq!(prove(d, proof.clone()), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 12_345);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Processed);
		assert_eq!(
			bridge_events_since_last_call(),
			vec![Event::DepositMinted {
				nonce: 1,
				token: WSTETH,
				asset: WSTETH_ASSET,
				recipient: alice(),
				amount: 12_345,
			}]
		);
		// Replayed, by proof or by attestation: spent.
		assert_eq!(prove(d, proof), Err(Error::<Test>::AlreadyProcessed.into()));
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::AlreadyProcessed
		);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 12_345);
	});
}

#[test]
fn a_deposit_is_proven_only_as_the_vault_emitted_it_under_a_trusted_header() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = proven(500, &deposit(1, WSTETH, &alice(), 100));
		// Each field of the message must be the event's.
		let changed = [
			DepositMessage { amount: 101, ..d },
			DepositMessage { token: RETH, ..d },
			DepositMessage { recipient: bob().into(), ..d },
			DepositMessage { depositor: H160::repeat_byte(1), ..d },
			DepositMessage { nonce: 2, ..d },
		];
		for other in changed {
			assert_noop!(prove(other, proof.clone()), Error::<Test>::ProofMismatch);
		}
		// Under a block nobody attested, or one attested with another receipts root.
		let elsewhere = DepositMessage { eth_block_hash: block_hash(501), ..d };
		assert_noop!(prove(elsewhere, proof.clone()), Error::<Test>::UntrustedHeader);
		let (other_block, _) = proven(502, &deposit(1, WSTETH, &alice(), 99));
		let moved = DepositMessage { eth_block_hash: other_block.eth_block_hash, ..d };
		assert_noop!(prove(moved, proof.clone()), Error::<Test>::NotInTrie);
		// The proof itself tampered with.
		let mut flipped = proof.clone();
		let last = flipped.nodes[0].len() - 1;
		flipped.nodes[0][last] ^= 1;
		assert_noop!(prove(d, flipped), Error::<Test>::NotInTrie);
		let mut other_tx = proof.clone();
		other_tx.tx_index += 1;
		assert_noop!(prove(d, other_tx), Error::<Test>::NotInTrie);
		let mut no_log = proof.clone();
		no_log.log_index = 1;
		assert_noop!(prove(d, no_log), Error::<Test>::NoSuchLog);
		let empty = ReceiptProof { nodes: Default::default(), ..proof.clone() };
		assert_noop!(prove(d, empty), Error::<Test>::EmptyProof);
		let mut branch = proof.clone();
		branch.nodes[0] =
			encode::rlp_list(&vec![encode::rlp(&[0u8; 32][..]); 17]).try_into().unwrap();
		assert_noop!(prove(d, branch), Error::<Test>::NotALeaf);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_ok!(prove(d, proof));
	});
}

#[test]
fn events_that_are_not_the_vaults_deposit_prove_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d =
			DepositMessage { eth_block_hash: block_hash(600), ..deposit(1, WSTETH, &alice(), 100) };
		let log = encode::deposit_log(&VAULT, &d);
		let cases = [
			// The same event from another contract.
			(
				EthLog { address: H160::repeat_byte(0xbb), ..log.clone() },
				Error::<Test>::WrongEmitter,
			),
			// The vault's rate report offered as a deposit.
			(
				encode::rate_log(&VAULT, &rate_report(WSTETH, ONE, START_SECS)),
				Error::<Test>::WrongEvent,
			),
			// A topic short.
			(
				EthLog { topics: log.topics[..3].to_vec(), ..log.clone() },
				Error::<Test>::MalformedEvent,
			),
			// An amount of 2^128 or more.
			(
				EthLog {
					data: [[1u8; 32], encode::address_word(&DEPOSITOR)].concat(),
					..log.clone()
				},
				Error::<Test>::ValueTooLarge,
			),
			// Dirty padding in the depositor's word.
			(
				EthLog { data: [encode::uint_word(100), [1u8; 32]].concat(), ..log.clone() },
				Error::<Test>::NonZeroPadding,
			),
		];
		for (number, (log, error)) in (600u64..).zip(cases) {
			let d = DepositMessage { eth_block_hash: block_hash(number), ..d };
			let proof = trust_block(number, d.eth_block_hash, &[log], 0);
			assert_noop!(prove(d, proof), error);
		}
		// A reverted transaction's deposit did not happen.
		let d = DepositMessage { eth_block_hash: block_hash(700), ..d };
		let (header, proof) = receipt_block(700, false, &[encode::deposit_log(&VAULT, &d)], 0);
		attest_header(&EthHeader { hash: d.eth_block_hash, ..header }, &[0, 1]);
		assert_noop!(prove(d, proof), Error::<Test>::ReceiptFailed);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Unknown);
	});
}

#[test]
fn proven_deposits_are_held_back_and_refunded_as_attested_ones() {
	ExtBuilder::default().build_and_execute(|| {
		// Paused: it waits, and is minted once resumed.
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		let (d, proof) = proven(800, &deposit(1, WSTETH, &alice(), 100));
		assert_ok!(prove(d, proof));
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Parked);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_ok!(Bridge::retry_deposit(RuntimeOrigin::signed(bob()), 1));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		// Over the daily limit: delayed.
		let (d, proof) = proven(801, &deposit(2, WSTETH, &alice(), DAILY_LIMIT));
		assert_ok!(prove(d, proof));
		assert!(matches!(Bridge::deposit_status(2), DepositStatus::Delayed { .. }));
		// A token Kasane does not mirror: refunded to the depositor.
		let (d, proof) = proven(802, &deposit(3, H160::repeat_byte(0x33), &alice(), 100));
		assert_ok!(prove(d, proof));
		assert!(matches!(Bridge::deposit_status(3), DepositStatus::Refunded { .. }));
		// Over the token's cap: it waits, spent, until the cap makes room.
		over_cap_waits_spent_until_there_is_room(4, |d| proven(803, d), prove);
	});
}

#[test]
fn a_proof_settles_a_nonce_attesters_disagreed_on() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		let d = deposit(2, WSTETH, &alice(), 100);
		attest(&deposit(2, WSTETH, &bob(), 100), &[1]);
		attest(&deposit(2, RETH, &bob(), 100), &[2]);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			d,
			sign_deposit(3, &d)
		));
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Halted);
		let (d, proof) = proven(900, &d);
		// While attested deposits still mint, the header is vouched for by the attesters who
		// disagreed: root looks at the halt first.
		assert_noop!(prove(d, proof.clone()), Error::<Test>::NonceHalted);
		assert_ok!(Bridge::set_policy(RuntimeOrigin::root(), InboundPolicy::Proven));
		bridge_events_since_last_call();
		assert_ok!(prove(d, proof));
		let events = bridge_events_since_last_call();
		assert_eq!(events[0], Event::HaltCleared { nonce: 2 });
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert_eq!(DepositTallies::<Test>::get(2), None);
	});
}

#[test]
fn a_proof_records_the_attesters_who_signed_a_false_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let real = deposit(5, WSTETH, &alice(), 100);
		attest(&deposit(5, WSTETH, &bob(), 1_000), &[SLASHABLE]);
		// The same deposit seen in another block is not a false one.
		attest(&real, &[0]);
		let (real, proof) = proven(700, &real);
		bridge_events_since_last_call();
		assert_ok!(prove(real, proof));
		let who = address_of(&attester(SLASHABLE));
		assert!(bridge_events_since_last_call()
			.contains(&Event::DepositContradicted { nonce: 5, attesters: vec![who] }));
		assert_eq!(Contradictions::<Test>::get(5).unwrap().attesters.to_vec(), vec![who]);
		assert_ok!(Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			5,
			attester(SLASHABLE).public()
		));
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 5)]
		);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
	});
}

#[test]
fn a_proven_rate_report_is_applied_within_the_same_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		let r = rate_report(WSTETH, 1_200 * ONE / 1_000, START_SECS - 10);
		let proof = proven_rate(&r);
		let submit = |r: RateReport, proof: ReceiptProof| {
			Bridge::prove_rate(RuntimeOrigin::signed(bob()), r, proof).map_err(|e| e.error)
		};
		assert_noop!(
			submit(RateReport { rate: r.rate + 1, ..r }, proof.clone()),
			Error::<Test>::ProofMismatch
		);
		assert_noop!(
			submit(RateReport { eth_block_number: r.eth_block_number + 1, ..r }, proof.clone()),
			Error::<Test>::ProofMismatch
		);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		assert_noop!(submit(r, proof.clone()), Error::<Test>::Paused);
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		assert_eq!(
			Bridge::prove_rate(RuntimeOrigin::signed(bob()), r, proof.clone()).unwrap().pays_fee,
			Pays::No
		);
		assert_eq!(Rates::<Test>::get(WSTETH).unwrap().rate, 1_200 * ONE / 1_000);
		assert_eq!(
			RATES.with(|x| x.borrow().last().copied()),
			Some((WSTETH_ASSET, 1_080 * ONE / 1_000))
		);
		assert_noop!(submit(r, proof), Error::<Test>::RateNotNewer);
		// A deposit's proof is not a rate's.
		let (_, deposit_proof) = proven(START_SECS + 100, &deposit(1, WSTETH, &alice(), 100));
		let later = rate_report(WSTETH, 1_190 * ONE / 1_000, START_SECS - 5);
		let later = RateReport {
			eth_block_hash: block_hash(START_SECS + 100),
			eth_block_number: START_SECS + 100,
			..later
		};
		assert_noop!(submit(later, deposit_proof), Error::<Test>::WrongEvent);
	});
}

#[test]
fn under_the_proven_policy_only_proofs_are_acted_on() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Bridge::set_policy(RuntimeOrigin::signed(alice()), InboundPolicy::Proven),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::set_policy(RuntimeOrigin::root(), InboundPolicy::Proven));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![Event::PolicySet { policy: InboundPolicy::Proven }]
		);
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::ProofRequired
		);
		let r = rate_report(WSTETH, ONE, START_SECS - 10);
		assert_noop!(
			Bridge::attest_rate(RuntimeOrigin::signed(relayer()), r, sign_rate(0, &r)),
			Error::<Test>::ProofRequired
		);
		let (d, proof) = proven(1_000, &d);
		assert_ok!(prove(d, proof));
		assert_ok!(Bridge::prove_rate(RuntimeOrigin::signed(bob()), r, proven_rate(&r)));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn a_policy_chosen_at_genesis_is_in_force_from_the_first_block() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Policy::<Test>::get(), InboundPolicy::Attested);
	});
	let co_signed = InboundPolicy::BeaconCoSigned { above: 5 * ONE };
	ExtBuilder::default().genesis_policy(co_signed).build_and_execute(|| {
		assert_eq!(Policy::<Test>::get(), co_signed);
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::ProofRequired
		);
		// Under beacon policies a receipt under an attested header is no proof either.
		let (d, proof) = proven(1_000, &d);
		assert_noop!(prove(d, proof), Error::<Test>::BeaconProofRequired);
	});
	// A chain spec names the policy in JSON.
	let genesis: crate::GenesisConfig<Test> = serde_json::from_value(serde_json::json!({
		"beaconForks": null,
		"inboundPolicy": { "BeaconCoSigned": { "above": 5 * ONE } },
	}))
	.unwrap();
	assert_eq!(genesis.inbound_policy, Some(co_signed));
}

#[test]
fn a_new_chain_or_vault_forgets_the_trusted_and_halted_headers_of_the_old_one() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = proven(500, &deposit(1, WSTETH, &alice(), 100));
		// Attester 0 signs two headers of block 600: it halts.
		attest_header(&eth_header(600, H256::repeat_byte(1)), &[0]);
		attest_header(&eth_header(600, H256::repeat_byte(2)), &[0]);
		assert!(HaltedHeaders::<Test>::contains_key(600));

		// The same endpoint again changes nothing about headers.
		bridge_events_since_last_call();
		assert_ok!(Bridge::set_endpoint(RuntimeOrigin::root(), endpoint()));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![Event::EndpointSet { endpoint: endpoint() }]
		);
		assert_eq!((TrustedHeaders::<Test>::count(), HaltedHeaders::<Test>::count()), (1, 1));

		// Another chain with a vault at the same address: block 500's header is not one of it.
		let other = EthereumEndpoint { chain_id: CHAIN_ID + 1, vault: VAULT };
		assert_ok!(Bridge::set_endpoint(RuntimeOrigin::root(), other));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![
				Event::HeadersForgotten { trusted: 1, halted: 1 },
				Event::EndpointSet { endpoint: other }
			]
		);
		assert_eq!(prove(d, proof.clone()), Err(Error::<Test>::UntrustedHeader.into()));
		assert_eq!(TrustedNumbers::<Test>::iter().count() + TrustedRing::<Test>::iter().count(), 0);
		assert_eq!(TrustedRingNext::<Test>::get(), 0);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Unknown);

		// The new chain's attesters can trust its block 500 (and 600 is no longer halted).
		let domain = other.domain(Bridge::kasane_genesis());
		let (header, _) = receipt_block(500, true, &[encode::deposit_log(&VAULT, &d)], 0);
		let header = EthHeader { hash: d.eth_block_hash, ..header };
		for i in 0..2 {
			assert_ok!(Bridge::attest_header(
				RuntimeOrigin::signed(relayer()),
				header,
				eth_sign(&attester(i), &domain.header_digest(&header))
			));
		}
		let h600 = eth_header(600, H256::repeat_byte(3));
		assert_ok!(Bridge::attest_header(
			RuntimeOrigin::signed(relayer()),
			h600,
			eth_sign(&attester(1), &domain.header_digest(&h600))
		));
		assert_eq!(prove(d, proof), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);

		// A new vault on the same chain forgets them too.
		let moved = EthereumEndpoint { chain_id: CHAIN_ID + 1, vault: H160::repeat_byte(0x42) };
		assert_ok!(Bridge::set_endpoint(RuntimeOrigin::root(), moved));
		assert_eq!(TrustedHeaders::<Test>::count(), 0);
	});
}
