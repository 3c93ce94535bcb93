//! Deposits: quorum attestation, minting, replay and forgery, conflicts and double signing.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use kasane_primitives::bridge::DepositStatus;
use sp_core::Pair;
use sp_runtime::DispatchError;

#[test]
fn quorum_of_distinct_attesters_mints_exact_amount() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 12_345);
		attest(&d, &[0]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		assert_eq!(
			Bridge::deposit_status(1),
			DepositStatus::Attesting {
				digest: sp_core::H256(domain().deposit_digest(&d)),
				signers: vec![address_of(&attester(0))],
				quorum: 2
			}
		);
		bridge_events_since_last_call();
		attest(&d, &[2]);
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
		assert_eq!(Tokens::<Test>::get(WSTETH).unwrap().minted, 12_345);
	});
}

#[test]
fn counted_attestations_are_free_and_invalid_ones_pay() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let ok = Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d))
			.unwrap();
		assert_eq!(ok.pays_fee, Pays::No);
		// The same attester again: an error, which pays.
		let err = Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d))
			.unwrap_err();
		assert_eq!(err.error, Error::<Test>::AlreadySigned.into());
		assert_eq!(err.post_info.pays_fee, Pays::Yes);
	});
}

#[test]
fn replayed_attestation_of_a_minted_deposit_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		attest(&d, &[0, 1]);
		for i in 0..3 {
			assert_noop!(
				Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(i, &d)),
				Error::<Test>::AlreadyProcessed
			);
		}
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn forged_signatures_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		// A key outside the set.
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(50, &d)),
			Error::<Test>::NotAttester
		);
		// An attester's signature of other contents, shown with these: recovers another signer.
		let other = deposit(1, WSTETH, &bob(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &other)),
			Error::<Test>::NotAttester
		);
		// Malformed: bad v, and the high-s twin of a valid signature.
		let mut bad_v = sign_deposit(0, &d);
		bad_v.0[64] = 5;
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, bad_v),
			Error::<Test>::InvalidSignature
		);
		let high_s = high_s_twin(sign_deposit(0, &d));
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, high_s),
			Error::<Test>::InvalidSignature
		);
		// A signature for another vault, or for another Kasane network on the same vault
		// (a fork, or a testnet started from mainnet's state).
		let other_vault =
			EthereumEndpoint { chain_id: CHAIN_ID, vault: sp_core::H160::repeat_byte(0xbb) };
		let other_chain = endpoint().domain(sp_core::H256::repeat_byte(0xfe));
		for digest in [
			other_vault.domain(Bridge::kasane_genesis()).deposit_digest(&d),
			other_chain.deposit_digest(&d),
		] {
			assert_noop!(
				Bridge::attest_deposit(
					RuntimeOrigin::signed(relayer()),
					d,
					eth_sign(&attester(0), &digest)
				),
				Error::<Test>::NotAttester
			);
		}
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Unknown);
	});
}

/// `(r, n − s, v ^ 1)`: the same signature in its high-s form.
fn high_s_twin(sig: EthSignature) -> EthSignature {
	const N: [u8; 32] = [
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
		0x41, 0x41,
	];
	let mut out = sig.0;
	let mut borrow = 0i16;
	for i in (0..32).rev() {
		let d = N[i] as i16 - sig.0[32 + i] as i16 - borrow;
		out[32 + i] = d.rem_euclid(256) as u8;
		borrow = if d < 0 { 1 } else { 0 };
	}
	out[64] = if sig.0[64] == 27 { 28 } else { 27 };
	EthSignature(out)
}

#[test]
fn bad_messages_get_named_errors_and_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let o = || RuntimeOrigin::signed(relayer());
		let d = deposit(0, WSTETH, &alice(), 100);
		assert_noop!(Bridge::attest_deposit(o(), d, sign_deposit(0, &d)), Error::<Test>::ZeroNonce);
		let mut d = deposit(1, WSTETH, &alice(), 100);
		d.depositor = sp_core::H160::zero();
		assert_noop!(
			Bridge::attest_deposit(o(), d, sign_deposit(0, &d)),
			Error::<Test>::ZeroEthRecipient
		);
		let d = deposit(1, WSTETH, &alice(), 0);
		assert_noop!(
			Bridge::attest_deposit(o(), d, sign_deposit(0, &d)),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn nothing_is_attested_before_root_configures_the_bridge() {
	ExtBuilder::default().unconfigured().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn the_quorum_decides_between_two_contents_and_three_halt_the_nonce() {
	ExtBuilder::default().attesters(4).build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let mut reorged = d;
		reorged.eth_block_hash = sp_core::H256::repeat_byte(0xee);
		attest(&d, &[0]);
		// Another attester signs the same event seen in another block: both contents are
		// candidates, neither halts the nonce.
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			reorged,
			sign_deposit(1, &reorged)
		));
		assert!(matches!(Bridge::deposit_status(1), DepositStatus::Attesting { .. }));
		// A quorum (3 of 4) signs the first: it mints; the other differed only in its block,
		// so nobody is accused.
		attest(&d, &[2, 3]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert!(Contradictions::<Test>::get(1).is_none());
		// A third distinct content for a nonce halts it (two attesters signing two different
		// false deposits): root looks at it.
		let n = deposit(2, WSTETH, &alice(), 100);
		let (x, y) = (deposit(2, WSTETH, &bob(), 100), deposit(2, RETH, &bob(), 100));
		attest(&n, &[0]);
		attest(&x, &[1]);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			y,
			sign_deposit(2, &y)
		));
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Halted);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), n, sign_deposit(3, &n)),
			Error::<Test>::NonceHalted
		);
		assert_noop!(
			Bridge::clear_halt(RuntimeOrigin::signed(alice()), 2),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Bridge::clear_halt(RuntimeOrigin::root(), 2));
		assert_noop!(Bridge::clear_halt(RuntimeOrigin::root(), 2), Error::<Test>::NotHalted);
		attest(&n, &[0, 2, 3]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 200);
	});
}

#[test]
fn one_attester_signing_a_false_deposit_first_cannot_halt_it_and_is_slashed() {
	// M-6: the review's test. Attester A signs a bogus deposit for nonce 5 before anyone signs
	// the real one: the real one still mints once a quorum signs it, and A is recorded as
	// contradicting it; anyone then has it slashed.
	ExtBuilder::default().build_and_execute(|| {
		let real = deposit(5, WSTETH, &alice(), 100);
		let bogus = deposit(5, WSTETH, &bob(), 1_000);
		attest(&bogus, &[SLASHABLE]);
		attest(&real, &[0]);
		assert!(!Halted::<Test>::contains_key(5));
		attest(&real, &[2]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
		let who = address_of(&attester(SLASHABLE));
		assert!(bridge_events()
			.contains(&Event::DepositContradicted { nonce: 5, attesters: vec![who] }));
		assert_noop!(
			Bridge::report_contradiction(RuntimeOrigin::signed(bob()), 5, attester(0).public()),
			Error::<Test>::NotContradicted
		);
		let post = Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			5,
			attester(SLASHABLE).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, frame_support::dispatch::Pays::No);
		let reported = REPORTED.with(|r| r.borrow().clone());
		assert_eq!(reported, vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 5)]);
		assert!(bridge_events().contains(&Event::AttesterContradicted {
			nonce: 5,
			attester: who,
			slashed: true
		}));
		assert!(DoubleSigns::<Test>::contains_key(5, who));
		// Once.
		assert_noop!(
			Bridge::report_contradiction(
				RuntimeOrigin::signed(bob()),
				5,
				attester(SLASHABLE).public()
			),
			Error::<Test>::NotContradicted
		);
	});
}

#[test]
fn a_record_is_slashed_through_the_set_its_attesters_were_drawn_from() {
	// Root unbinding the attesters (a list it keeps) or binding them to another set used to
	// let a report find nobody and consume the record unslashed.
	ExtBuilder::default().build_and_execute(|| {
		attest(&deposit(5, WSTETH, &bob(), 1_000), &[SLASHABLE]);
		attest(&deposit(5, WSTETH, &alice(), 100), &[0, 2]);
		let who = address_of(&attester(SLASHABLE));
		assert_eq!(Contradictions::<Test>::get(5).unwrap().operator_set, Some(BRIDGE_SET));
		let members = attester_addresses(3);
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), members, 2, VAULT_SET_ID, None));
		// Only the recorded attester's own key is taken, and only a valid key.
		assert_noop!(
			Bridge::report_contradiction(RuntimeOrigin::signed(bob()), 5, attester(0).public()),
			Error::<Test>::NotContradicted
		);
		assert_noop!(
			Bridge::report_contradiction(
				RuntimeOrigin::signed(bob()),
				5,
				sp_core::ecdsa::Public::from_raw([7; 33])
			),
			Error::<Test>::NotEcdsaKey
		);
		let post = Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			5,
			attester(SLASHABLE).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 5)],
			"through the set it signed in, not the attesters' current list"
		);
		assert!(bridge_events().contains(&Event::AttesterContradicted {
			nonce: 5,
			attester: who,
			slashed: true
		}));
		// A record made while root keeps a list slashes nobody, whatever comes later.
		attest(&deposit(6, WSTETH, &bob(), 1_000), &[SLASHABLE]);
		attest(&deposit(6, WSTETH, &alice(), 100), &[0, 2]);
		assert_eq!(Contradictions::<Test>::get(6).unwrap().operator_set, None);
		let members = attester_addresses(3);
		assert_ok!(Bridge::set_attesters(
			RuntimeOrigin::root(),
			members,
			2,
			VAULT_SET_ID,
			Some(BRIDGE_SET)
		));
		let post = Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			6,
			attester(SLASHABLE).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::Yes);
		assert_eq!(REPORTED.with(|r| r.borrow().len()), 1);
	});
}

#[test]
fn a_report_waits_while_slashing_cannot_follow_and_leaving_the_set_escapes_nothing() {
	// The offender reporting itself while slashing is held (disabled, or the epoch's cap
	// reached) used to consume its record unslashed; and a report found only current members.
	ExtBuilder::default().build_and_execute(|| {
		let real = deposit(5, WSTETH, &alice(), 100);
		attest(&deposit(5, WSTETH, &bob(), 1_000), &[SLASHABLE]);
		attest(&real, &[0, 2]);
		let who = address_of(&attester(SLASHABLE));
		let recorded =
			Contradictions::<Test>::get(5).map(|c| (c.odd, c.accepted, c.attesters.to_vec()));
		assert!(recorded.is_some());
		// It leaves the bridge's set, still slashable for a while: the view still finds its key.
		depart(SLASHABLE);
		assert_eq!(Bridge::attester_key(&BRIDGE_SET, &who), Some(attester(SLASHABLE).public()));
		assert_eq!(Bridge::attester_key(&BRIDGE_SET, &address_of(&attester(9))), None);
		SLASHING_HELD.with(|h| *h.borrow_mut() = Some("SlashingDisabled"));
		let held = Bridge::report_contradiction(
			RuntimeOrigin::signed(operator(SLASHABLE)),
			5,
			attester(SLASHABLE).public(),
		);
		assert_eq!(held.map_err(|e| e.error), Err(DispatchError::Other("SlashingDisabled")));
		assert_eq!(
			Contradictions::<Test>::get(5).map(|c| (c.odd, c.accepted, c.attesters.to_vec())),
			recorded,
			"kept for a later report"
		);
		assert!(!DoubleSigns::<Test>::contains_key(5, who));
		SLASHING_HELD.with(|h| *h.borrow_mut() = None);
		let post = Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			5,
			attester(SLASHABLE).public(),
		)
		.unwrap();
		assert_eq!(post.pays_fee, frame_support::dispatch::Pays::No);
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 5)],
			"found among the departed members still slashable"
		);
		assert!(bridge_events().contains(&Event::AttesterContradicted {
			nonce: 5,
			attester: who,
			slashed: true
		}));
		assert!(!Contradictions::<Test>::contains_key(5));
	});
}

#[test]
fn a_double_signature_is_refused_while_slashing_cannot_follow() {
	// Counted, it would halt the nonce with its signer unpunished.
	ExtBuilder::default().build_and_execute(|| {
		let (a, b) = (deposit(3, WSTETH, &alice(), 100), deposit(3, WSTETH, &bob(), 100));
		attest(&a, &[SLASHABLE]);
		SLASHING_HELD.with(|h| *h.borrow_mut() = Some("SlashingDisabled"));
		assert_noop!(
			Bridge::attest_deposit(
				RuntimeOrigin::signed(relayer()),
				b,
				sign_deposit(SLASHABLE, &b)
			),
			DispatchError::Other("SlashingDisabled")
		);
		SLASHING_HELD.with(|h| *h.borrow_mut() = None);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			b,
			sign_deposit(SLASHABLE, &b)
		));
		assert!(Halted::<Test>::contains_key(3));
		assert!(bridge_events().contains(&Event::AttesterDoubleSigned {
			nonce: 3,
			attester: address_of(&attester(SLASHABLE)),
			slashed: true
		}));
	});
}

#[test]
fn attestations_reach_only_a_window_of_nonces_ahead_of_the_lowest_open_one() {
	// M-6: tallies cannot be grown without bound by attesting far-future nonces.
	ExtBuilder::default().build_and_execute(|| {
		let far = deposit(1 + MAX_NONCES_AHEAD + 1, WSTETH, &alice(), 10);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), far, sign_deposit(0, &far)),
			Error::<Test>::NonceTooFarAhead
		);
		let edge = deposit(1 + MAX_NONCES_AHEAD, WSTETH, &alice(), 10);
		attest(&edge, &[0]);
		// Processing nonces 1 and 2 moves the window by two.
		for nonce in [2, 1] {
			attest(&deposit(nonce, WSTETH, &alice(), 10), &[0, 1]);
		}
		assert_eq!(Bridge::lowest_open_nonce(), 3);
		attest(&far, &[0, 1]);
		assert!(Bridge::is_processed(far.nonce));
	});
}

#[test]
fn an_attester_signing_two_deposits_for_one_nonce_is_reported_once() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let forged = deposit(1, WSTETH, &bob(), 1_000);
		attest(&d, &[SLASHABLE]);
		bridge_events_since_last_call();
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(bob()),
			forged,
			sign_deposit(SLASHABLE, &forged)
		));
		let who = address_of(&attester(SLASHABLE));
		assert!(DoubleSigns::<Test>::contains_key(1, who));
		let reported = REPORTED.with(|r| r.borrow().clone());
		assert_eq!(reported, vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 1)]);
		assert_eq!(
			bridge_events_since_last_call(),
			vec![
				// Two contents for one nonce: it halts, and the attester that signed both is
				// handed to slashing.
				Event::DepositHalted {
					nonce: 1,
					digest_a: domain().deposit_digest(&d),
					digest_b: domain().deposit_digest(&forged)
				},
				Event::AttesterDoubleSigned { nonce: 1, attester: who, slashed: true }
			]
		);
		// The halted nonce takes no more evidence.
		assert_noop!(
			Bridge::attest_deposit(
				RuntimeOrigin::signed(bob()),
				forged,
				sign_deposit(SLASHABLE, &forged)
			),
			Error::<Test>::NonceHalted
		);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
	});
}

#[test]
fn attestations_of_an_earlier_set_stop_counting() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		attest(&d, &[0]);
		// A new set (same members): what was collected is void.
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), attester_addresses(3), 2, 2, None));
		attest(&d, &[1]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 0);
		attest(&d, &[0]);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn larger_sets_need_two_thirds() {
	ExtBuilder::default().attesters(64).build_and_execute(|| {
		assert_eq!(Attesters::<Test>::get().unwrap().quorum, 43);
		let d = deposit(7, RETH, &bob(), 5_000);
		let signers: Vec<u8> = (0..43).collect();
		attest(&d, &signers[..42]);
		assert_eq!(balance(RETH_ASSET, &bob()), 0);
		attest(&d, &signers[42..]);
		assert_eq!(balance(RETH_ASSET, &bob()), 5_000);
	});
}

#[test]
fn nonces_are_independent_and_processed_once() {
	ExtBuilder::default().build_and_execute(|| {
		for nonce in [1u64, 2, 127, 128, 129, 1_000] {
			let d = deposit(nonce, WSTETH, &alice(), 10);
			attest(&d, &[0, 1]);
			assert!(Bridge::is_processed(nonce));
		}
		assert!(!Bridge::is_processed(3));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 60);
	});
}

#[test]
fn double_signing_in_a_root_managed_list_is_recorded_not_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), attester_addresses(3), 2, 1, None));
		let d = deposit(1, WSTETH, &alice(), 100);
		let forged = deposit(1, WSTETH, &bob(), 100);
		attest(&d, &[0]);
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(bob()),
			forged,
			sign_deposit(0, &forged)
		));
		assert!(DoubleSigns::<Test>::contains_key(1, address_of(&attester(0))));
		assert!(REPORTED.with(|r| r.borrow().is_empty()));
		assert!(bridge_events().contains(&Event::AttesterDoubleSigned {
			nonce: 1,
			attester: address_of(&attester(0)),
			slashed: false
		}));
	});
}
