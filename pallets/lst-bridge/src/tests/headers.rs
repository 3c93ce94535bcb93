//! Attested headers: quorum, who may sign, double signing and conflicts halting a number (and
//! the bound on halts), the signers of a header other than the trusted one recorded and reported, the bound on open attestations, dropping stale tallies and the ring of
//! trusted headers.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_core::{Pair, H256};
use sp_runtime::DispatchError;

fn root(i: u8) -> H256 {
	H256::repeat_byte(i)
}

#[test]
fn a_quorum_of_attesters_makes_a_header_trusted() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		let h = eth_header(100, root(1));
		let first =
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), h, sign_header(0, &h)).unwrap();
		assert_eq!(first.pays_fee, Pays::No);
		attest_header(&h, &[3]);
		assert_eq!(TrustedHeaders::<Test>::get(h.hash), None, "2 of 4 is below the quorum of 3");
		let set = Attesters::<Test>::get().unwrap();
		let open = Bridge::open_headers(set.id).counts;
		for i in [0, 3] {
			assert_eq!(open[set.index_of(&address_of(&attester(i))).unwrap() as usize], 1);
		}
		assert_eq!(open.iter().map(|c| *c as u32).sum::<u32>(), 2, "one open each for 0 and 3");
		bridge_events_since_last_call();
		attest_header(&h, &[1]);
		assert_eq!(
			TrustedHeaders::<Test>::get(h.hash),
			Some(TrustedHeader { number: 100, receipts_root: root(1) })
		);
		assert_eq!(TrustedNumbers::<Test>::get(100), Some(h.hash));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![
				Event::HeaderAttested {
					number: 100,
					hash: h.hash,
					attester: address_of(&attester(1)),
					signers: 3,
					quorum: 3
				},
				Event::HeaderTrusted { number: 100, hash: h.hash, receipts_root: root(1) }
			]
		);
		assert_eq!(HeaderTallies::<Test>::get(100), None);
		assert_eq!(Bridge::open_headers(Attesters::<Test>::get().unwrap().id).counts, [0; 64]);
		// Late signatures, and any other header of that number or with that hash, are refused.
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), h, sign_header(2, &h)),
			Error::<Test>::HeaderTrusted
		);
		let other = eth_header(100, root(2));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), other, sign_header(2, &other)),
			Error::<Test>::HeaderTrusted
		);
		let same_hash = EthHeader { number: 101, ..h };
		assert_noop!(
			Bridge::attest_header(
				RuntimeOrigin::signed(relayer()),
				same_hash,
				sign_header(2, &same_hash)
			),
			Error::<Test>::HeaderTrusted
		);
	});
}

#[test]
fn only_current_attesters_sign_headers_and_each_once() {
	ExtBuilder::default().build_and_execute(|| {
		let h = eth_header(7, root(1));
		let attest = |signature| {
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), h, signature)
				.map_err(|e| e.error)
		};
		assert_eq!(attest(sign_header(9, &h)), Err(Error::<Test>::NotAttester.into()));
		// A signature of another header recovers to someone else.
		assert_eq!(
			attest(sign_header(0, &eth_header(8, root(1)))),
			Err(Error::<Test>::NotAttester.into())
		);
		assert_eq!(attest(EthSignature([0; 65])), Err(Error::<Test>::InvalidSignature.into()));
		assert_ok!(attest(sign_header(0, &h)));
		let again = Bridge::attest_header(RuntimeOrigin::signed(relayer()), h, sign_header(0, &h))
			.unwrap_err();
		assert_eq!(again.error, Error::<Test>::AlreadySigned.into());
		assert_eq!(again.post_info.pays_fee, Pays::Yes, "a signature that does not count pays");
		for empty in
			[EthHeader { hash: H256::zero(), ..h }, EthHeader { receipts_root: H256::zero(), ..h }]
		{
			assert_noop!(
				Bridge::attest_header(
					RuntimeOrigin::signed(relayer()),
					empty,
					sign_header(1, &empty)
				),
				Error::<Test>::EmptyHeader
			);
		}
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::none(), h, sign_header(1, &h)),
			DispatchError::BadOrigin
		);
		// A new set: signatures collected under the old one stop counting.
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			attester_addresses(3),
			2,
			VAULT_SET_ID,
			Some(BRIDGE_SET)
		));
		attest_header(&h, &[1]);
		assert_eq!(
			TrustedHeaders::<Test>::get(h.hash),
			None,
			"attester 0's earlier signature is void"
		);
		attest_header(&h, &[0]);
		assert!(TrustedHeaders::<Test>::contains_key(h.hash));
	});
}

#[test]
fn nothing_is_attested_before_the_bridge_is_configured() {
	ExtBuilder::default().unconfigured().build_and_execute(|| {
		let h = eth_header(7, root(1));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), h, sign_header(0, &h)),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn an_attester_signing_two_headers_of_a_number_halts_it_and_is_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		let (a, b) = (eth_header(50, root(1)), eth_header(50, root(2)));
		attest_header(&a, &[SLASHABLE]);
		bridge_events_since_last_call();
		let second =
			Bridge::attest_header(RuntimeOrigin::signed(bob()), b, sign_header(SLASHABLE, &b))
				.unwrap();
		assert_eq!(second.pays_fee, Pays::No, "evidence of double signing is free");
		let (digest_a, digest_b) = (domain().header_digest(&a), domain().header_digest(&b));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![
				Event::HeaderHalted { number: 50, digest_a, digest_b },
				Event::HeaderDoubleSigned {
					number: 50,
					attester: address_of(&attester(SLASHABLE)),
					slashed: true
				},
			]
		);
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 50)]
		);
		assert_eq!(HaltedHeaders::<Test>::get(50), Some((digest_a, digest_b)));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), a, sign_header(0, &a)),
			Error::<Test>::HeaderHalted
		);
		// Root clears it; the true header can then be attested.
		assert_noop!(
			Bridge::clear_header_halt(RuntimeOrigin::signed(alice()), 50),
			DispatchError::BadOrigin
		);
		assert_ok!(Bridge::clear_header_halt(RuntimeOrigin::root(), 50));
		assert_eq!(bridge_events_since_last_call(), vec![Event::HeaderHaltCleared { number: 50 }]);
		assert_noop!(
			Bridge::clear_header_halt(RuntimeOrigin::root(), 50),
			Error::<Test>::HeaderNotHalted
		);
		attest_header(&a, &[0, 2]);
		assert!(TrustedHeaders::<Test>::contains_key(a.hash));
		// The double signer is struck for the set: it halts no other number.
		let (c, d) = (eth_header(51, root(1)), eth_header(51, root(2)));
		attest_header(&c, &[0]);
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(bob()), d, sign_header(SLASHABLE, &d)),
			Error::<Test>::AttesterStruck
		);
		// Under a new set it signs again.
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			attester_addresses(3),
			2,
			VAULT_SET_ID,
			Some(BRIDGE_SET)
		));
		attest_header(&d, &[SLASHABLE]);
	});
}

#[test]
fn halts_are_bounded_and_past_the_bound_a_double_signer_is_only_struck() {
	ExtBuilder::default().attesters(5).build_and_execute(|| {
		// Third contents halt MAX_HALTED_HEADERS numbers; each such signature pays.
		for n in 0..MAX_HALTED_HEADERS as u64 {
			attest_header(&eth_header(n, root(1)), &[0]);
			attest_header(&eth_header(n, root(2)), &[1]);
			let third = eth_header(n, root(3));
			let post = Bridge::attest_header(
				RuntimeOrigin::signed(relayer()),
				third,
				sign_header(2, &third),
			)
			.unwrap();
			assert_eq!(post.pays_fee, Pays::Yes, "a third content pays");
		}
		assert_eq!(HaltedHeaders::<Test>::count(), MAX_HALTED_HEADERS);
		let n = 70;
		attest_header(&eth_header(n, root(1)), &[0]);
		attest_header(&eth_header(n, root(2)), &[1]);
		let third = eth_header(n, root(3));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), third, sign_header(2, &third)),
			Error::<Test>::TooManyHaltedHeaders
		);
		// A double signer is still reported and struck; its earlier signature stops counting,
		// so the number stays open for the true header.
		let (a, b) = (eth_header(80, root(1)), eth_header(80, root(2)));
		attest_header(&a, &[SLASHABLE, 0]);
		assert_ok!(Bridge::attest_header(
			RuntimeOrigin::signed(bob()),
			b,
			sign_header(SLASHABLE, &b)
		));
		assert!(!HaltedHeaders::<Test>::contains_key(80));
		assert_eq!(REPORTED.with(|r| r.borrow().len()), 1);
		let tally = HeaderTallies::<Test>::get(80).unwrap().tally;
		assert_eq!(tally.candidates.len(), 1);
		assert_eq!(tally.leading().unwrap().count(), 1, "only attester 0's signature is left");
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(bob()), a, sign_header(SLASHABLE, &a)),
			Error::<Test>::AttesterStruck
		);
		attest_header(&a, &[2, 3, 4]);
		assert!(TrustedHeaders::<Test>::contains_key(a.hash));
		// Root clearing a halt makes room again.
		assert_ok!(Bridge::clear_header_halt(RuntimeOrigin::root(), 0));
		assert_ok!(Bridge::attest_header(
			RuntimeOrigin::signed(relayer()),
			third,
			sign_header(2, &third)
		));
		assert!(HaltedHeaders::<Test>::contains_key(n));
	});
}

#[test]
fn a_tally_without_a_quorum_is_dropped_once_expired_or_of_an_old_set() {
	ExtBuilder::default().build_and_execute(|| {
		let h = eth_header(40, root(1));
		attest_header(&h, &[0]);
		let drop = |number| {
			Bridge::drop_header_tally(RuntimeOrigin::signed(alice()), number).map_err(|e| e.error)
		};
		assert_eq!(drop(41), Err(Error::<Test>::NoHeaderTally.into()));
		advance(HEADER_TALLY_EXPIRY - 1);
		assert_noop!(drop(40), Error::<Test>::HeaderTallyOpen);
		// A later signature does not renew it.
		attest_header(&h, &[]);
		advance(1);
		bridge_events_since_last_call();
		assert_eq!(drop(40).unwrap().pays_fee, Pays::No);
		assert_eq!(bridge_events_since_last_call(), vec![Event::HeaderTallyDropped { number: 40 }]);
		assert_eq!(HeaderTallies::<Test>::get(40), None);
		assert_eq!(Bridge::open_headers(Attesters::<Test>::get().unwrap().id).counts, [0; 64]);
		// An attester at its bound gets its places back by dropping its stale tallies.
		for n in 0..MAX_OPEN_HEADERS as u64 {
			attest_header(&eth_header(n, root(1)), &[0]);
		}
		let next = eth_header(99, root(1));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), next, sign_header(0, &next)),
			Error::<Test>::TooManyOpenHeaders
		);
		advance(HEADER_TALLY_EXPIRY);
		assert_ok!(drop(0));
		attest_header(&next, &[0]);
		// Tallies of an earlier set are dropped at once.
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			attester_addresses(3),
			2,
			VAULT_SET_ID,
			Some(BRIDGE_SET)
		));
		assert_ok!(drop(99));
		assert_ok!(drop(1));
	});
}

#[test]
fn two_headers_of_a_number_are_settled_by_the_quorum_and_a_third_halts_it() {
	ExtBuilder::default().attesters(5).build_and_execute(|| {
		// Quorum 4 of 5: one attester on a wrong header does not stop the right one.
		let (right, wrong) = (eth_header(60, root(1)), eth_header(60, root(2)));
		attest_header(&wrong, &[4]);
		attest_header(&right, &[0, 1, 2, 3]);
		assert!(TrustedHeaders::<Test>::contains_key(right.hash));
		assert!(!TrustedHeaders::<Test>::contains_key(wrong.hash));
		assert_eq!(
			HeaderContradictions::<Test>::get(60).unwrap().attesters.to_vec(),
			vec![address_of(&attester(4))]
		);
		assert_eq!(Bridge::open_headers(Attesters::<Test>::get().unwrap().id).counts, [0; 64]);
		// A third header for one number halts it, with nobody double signing.
		let third = eth_header(61, root(3));
		attest_header(&eth_header(61, root(1)), &[0]);
		attest_header(&eth_header(61, root(2)), &[1]);
		attest_header(&third, &[2]);
		assert!(HaltedHeaders::<Test>::contains_key(61));
		assert!(REPORTED.with(|r| r.borrow().is_empty()));
		assert_eq!(HeaderTallies::<Test>::get(61), None);
	});
}

#[test]
fn whoever_signed_another_header_than_the_trusted_one_is_recorded_and_slashed_once_reported() {
	ExtBuilder::default().attesters(5).build_and_execute(|| {
		// Quorum 4 of 5. SLASHABLE signs blocks Ethereum did not finalize, before the others.
		let (right, wrong) = (eth_header(60, root(1)), eth_header(60, root(2)));
		attest_header(&wrong, &[SLASHABLE]);
		attest_header(&eth_header(62, root(2)), &[SLASHABLE]);
		attest_header(&right, &[0, 2, 3]);
		assert!(!HeaderContradictions::<Test>::contains_key(60), "nothing is decided yet");
		bridge_events_since_last_call();
		attest_header(&right, &[4]);
		let who = address_of(&attester(SLASHABLE));
		let events = bridge_events_since_last_call();
		assert_eq!(
			events.last(),
			Some(&Event::HeaderContradicted { number: 60, attesters: vec![who] }),
			"recorded after the header is trusted: {events:?}"
		);
		let record = HeaderContradictions::<Test>::get(60).unwrap();
		assert_eq!(
			(record.odd, record.accepted, record.attesters.to_vec()),
			(domain().header_digest(&wrong), domain().header_digest(&right), vec![who])
		);
		assert!(REPORTED.with(|r| r.borrow().is_empty()), "slashed only when reported");
		// While slashing cannot follow, a report is refused and the record kept.
		SLASHING_HELD.with(|h| *h.borrow_mut() = Some("EpochCapExceeded"));
		assert_noop!(
			Bridge::report_header_contradiction(
				RuntimeOrigin::signed(bob()),
				60,
				attester(SLASHABLE).public()
			),
			DispatchError::Other("EpochCapExceeded")
		);
		SLASHING_HELD.with(|h| *h.borrow_mut() = None);
		// Only a recorded attester, of a recorded number, is reported.
		assert_noop!(
			Bridge::report_header_contradiction(
				RuntimeOrigin::signed(bob()),
				60,
				attester(0).public()
			),
			Error::<Test>::NotContradicted
		);
		assert_noop!(
			Bridge::report_header_contradiction(
				RuntimeOrigin::signed(bob()),
				61,
				attester(SLASHABLE).public()
			),
			Error::<Test>::NotContradicted
		);
		let post = Bridge::report_header_contradiction(
			RuntimeOrigin::signed(bob()),
			60,
			attester(SLASHABLE).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::No, "a report that slashes is free");
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 60)]
		);
		assert_eq!(
			bridge_events_since_last_call(),
			vec![Event::HeaderSignerContradicted { number: 60, attester: who, slashed: true }]
		);
		assert!(!HeaderContradictions::<Test>::contains_key(60));
		// Once.
		assert_noop!(
			Bridge::report_header_contradiction(
				RuntimeOrigin::signed(bob()),
				60,
				attester(SLASHABLE).public()
			),
			Error::<Test>::NotContradicted
		);
		// And it is struck for the set: one record per set at most, even of a false header it
		// signed before.
		let next = eth_header(61, root(1));
		assert_noop!(
			Bridge::attest_header(
				RuntimeOrigin::signed(bob()),
				next,
				sign_header(SLASHABLE, &next)
			),
			Error::<Test>::AttesterStruck
		);
		attest_header(&eth_header(62, root(1)), &[0, 2, 3, 4]);
		assert!(TrustedNumbers::<Test>::contains_key(62));
		assert!(!HeaderContradictions::<Test>::contains_key(62));
	});
}

#[test]
fn a_double_signed_header_is_refused_while_slashing_cannot_follow() {
	ExtBuilder::default().build_and_execute(|| {
		let (first, second) = (eth_header(60, root(1)), eth_header(60, root(2)));
		attest_header(&first, &[SLASHABLE]);
		SLASHING_HELD.with(|h| *h.borrow_mut() = Some("SlashingDisabled"));
		assert_noop!(
			Bridge::attest_header(
				RuntimeOrigin::signed(bob()),
				second,
				sign_header(SLASHABLE, &second)
			),
			DispatchError::Other("SlashingDisabled")
		);
		SLASHING_HELD.with(|h| *h.borrow_mut() = None);
		assert_ok!(Bridge::attest_header(
			RuntimeOrigin::signed(bob()),
			second,
			sign_header(SLASHABLE, &second)
		));
		assert!(HaltedHeaders::<Test>::contains_key(60));
	});
}

#[test]
fn under_a_beacon_policy_a_quorums_header_records_nobody() {
	// The light client, not the attesters, says what Ethereum finalized: a quorum of them
	// cannot have the others slashed.
	for policy in [InboundPolicy::Beacon, InboundPolicy::BeaconCoSigned { above: 0 }] {
		ExtBuilder::default().attesters(5).build_and_execute(|| {
			assert_ok!(Bridge::set_policy(RuntimeOrigin::root(), policy));
			let (right, wrong) = (eth_header(60, root(1)), eth_header(60, root(2)));
			attest_header(&wrong, &[4]);
			attest_header(&right, &[0, 1, 2, 3]);
			assert!(TrustedHeaders::<Test>::contains_key(right.hash));
			assert!(!HeaderContradictions::<Test>::contains_key(60));
			assert!(!bridge_events().iter().any(|e| matches!(e, Event::HeaderContradicted { .. })));
			attest_header(&eth_header(61, root(1)), &[4]);
		});
	}
}

#[test]
fn a_report_that_slashes_nobody_pays_and_each_signer_of_the_other_header_is_reported_once() {
	ExtBuilder::default().attesters(6).build_and_execute(|| {
		// Quorum 4 of 6: two attesters sign the other header, and neither double signs.
		let (right, wrong) = (eth_header(70, root(1)), eth_header(70, root(2)));
		attest_header(&wrong, &[0, 5]);
		attest_header(&right, &[1, 2, 3, 4]);
		assert!(TrustedHeaders::<Test>::contains_key(right.hash));
		let (a, b) = (address_of(&attester(0)), address_of(&attester(5)));
		let mut recorded = vec![a, b];
		recorded.sort();
		assert_eq!(
			HeaderContradictions::<Test>::get(70).unwrap().attesters.to_vec(),
			recorded,
			"in the set's order"
		);
		// Attester 0's key is no slashable member here: the report changes the record, pays.
		let post = Bridge::report_header_contradiction(
			RuntimeOrigin::signed(bob()),
			70,
			attester(0).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::Yes);
		assert!(bridge_events().contains(&Event::HeaderSignerContradicted {
			number: 70,
			attester: a,
			slashed: false
		}));
		assert_eq!(HeaderContradictions::<Test>::get(70).unwrap().attesters.to_vec(), vec![b]);
		assert_ok!(Bridge::report_header_contradiction(
			RuntimeOrigin::signed(bob()),
			70,
			attester(5).public()
		));
		assert!(!HeaderContradictions::<Test>::contains_key(70));
	});
}

#[test]
fn an_unreported_contradiction_goes_with_its_header() {
	ExtBuilder::default().build_and_execute(|| {
		// Quorum 2 of 3; the first header trusted has a contradiction nobody reports.
		let first = eth_header(1_000, root(1));
		attest_header(&eth_header(1_000, root(2)), &[2]);
		attest_header(&first, &[0, 1]);
		assert!(HeaderContradictions::<Test>::contains_key(1_000));
		for n in 1..=MAX_TRUSTED_HEADERS as u64 {
			attest_header(&eth_header(1_000 + n, root(1)), &[0, 1]);
		}
		assert!(!TrustedNumbers::<Test>::contains_key(1_000));
		assert!(!HeaderContradictions::<Test>::contains_key(1_000));
		// And with every header, when the endpoint changes (under a new set: attester 2 is
		// struck for this one).
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			attester_addresses(3),
			2,
			VAULT_SET_ID,
			Some(BRIDGE_SET)
		));
		attest_header(&eth_header(5_000, root(2)), &[2]);
		attest_header(&eth_header(5_000, root(1)), &[0, 1]);
		assert!(HeaderContradictions::<Test>::contains_key(5_000));
		let mut endpoint = Endpoint::<Test>::get().unwrap();
		endpoint.chain_id += 1;
		assert_ok!(Bridge::set_endpoint(RuntimeOrigin::root(), endpoint));
		assert_eq!(HeaderContradictions::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_attester_has_a_bounded_number_of_headers_open() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 0..MAX_OPEN_HEADERS as u64 {
			attest_header(&eth_header(n, root(1)), &[0]);
		}
		let next = eth_header(99, root(1));
		assert_noop!(
			Bridge::attest_header(RuntimeOrigin::signed(relayer()), next, sign_header(0, &next)),
			Error::<Test>::TooManyOpenHeaders
		);
		// Others are not held back by it.
		attest_header(&next, &[1]);
		// The signature that completes a quorum is taken even at the bound.
		let full = eth_header(98, root(1));
		attest_header(&full, &[1]);
		attest_header(&full, &[0]);
		assert!(TrustedHeaders::<Test>::contains_key(full.hash));
		// A quorum on one of its headers frees a place.
		attest_header(&eth_header(0, root(1)), &[2]);
		attest_header(&next, &[0]);
		assert!(TrustedHeaders::<Test>::contains_key(next.hash));
	});
}

#[test]
fn the_oldest_trusted_header_is_forgotten_for_a_new_one() {
	ExtBuilder::default().build_and_execute(|| {
		let headers: Vec<_> = (0..=MAX_TRUSTED_HEADERS as u64)
			.map(|n| eth_header(1_000 + n, root(n as u8 + 1)))
			.collect();
		for h in &headers[..MAX_TRUSTED_HEADERS as usize] {
			attest_header(h, &[0, 1]);
		}
		assert_eq!(TrustedHeaders::<Test>::count(), MAX_TRUSTED_HEADERS);
		let newest = headers.last().unwrap();
		attest_header(newest, &[0]);
		bridge_events_since_last_call();
		attest_header(newest, &[1]);
		assert_eq!(
			bridge_events_since_last_call(),
			vec![
				Event::HeaderAttested {
					number: newest.number,
					hash: newest.hash,
					attester: address_of(&attester(1)),
					signers: 2,
					quorum: 2
				},
				Event::HeaderForgotten { number: 1_000, hash: headers[0].hash },
				Event::HeaderTrusted {
					number: newest.number,
					hash: newest.hash,
					receipts_root: newest.receipts_root
				},
			]
		);
		assert_eq!(TrustedHeaders::<Test>::count(), MAX_TRUSTED_HEADERS);
		assert!(!TrustedHeaders::<Test>::contains_key(headers[0].hash));
		assert!(!TrustedNumbers::<Test>::contains_key(1_000));
		// Forgotten, it can be attested again.
		attest_header(&headers[0], &[0, 1]);
		assert!(TrustedHeaders::<Test>::contains_key(headers[0].hash));
		assert!(!TrustedHeaders::<Test>::contains_key(headers[1].hash));
	});
}

#[test]
fn the_header_status_view_follows_a_number_through_its_life() {
	use kasane_primitives::bridge::HeaderStatus;
	ExtBuilder::default().build_and_execute(|| {
		let h = eth_header(30, root(1));
		assert_eq!(Bridge::header_status(30), HeaderStatus::Unknown);
		attest_header(&h, &[2]);
		assert_eq!(
			Bridge::header_status(30),
			HeaderStatus::Attesting {
				candidates: vec![(h.hash, vec![address_of(&attester(2))])],
				quorum: 2
			}
		);
		attest_header(&h, &[0]);
		assert_eq!(
			Bridge::header_status(30),
			HeaderStatus::Trusted { hash: h.hash, receipts_root: root(1) }
		);
		let (a, b) = (eth_header(31, root(1)), eth_header(31, root(2)));
		attest_header(&a, &[0]);
		attest_header(&b, &[0]);
		assert_eq!(Bridge::header_status(31), HeaderStatus::Halted);
		assert!(!Bridge::proofs_required());
		assert_ok!(Bridge::set_policy(RuntimeOrigin::root(), InboundPolicy::Proven));
		assert!(Bridge::proofs_required());
	});
}
