//! Beacon-proven messages (tier 2b): a deposit or a rate report whose receipt is under an
//! execution header Snowbridge's light client (the real pallet, in the mock) verifies as
//! finalized is acted on once, whoever submits it; every way the proof can be wrong is refused
//! and changes nothing; the policies decide which evidence mints; a pause halts the light
//! client; root sets the fork schedule it verifies under. The last test runs the light
//! client's own checks too, on updates a sync committee of test keys signed.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use kasane_primitives::bridge::{
	beacon::{
		encode::{ancestor_execution_proof, finalized_execution_proof},
		testkit::{ExecutionBlock, SyntheticBeacon, SyntheticChain},
		updates::{finality_step, FinalityUpdate, SLOTS_PER_EPOCH, SLOTS_PER_PERIOD},
		BeaconReceiptProof, ForkSchedule, ForkVersions, VersionedExecutionPayloadHeader,
	},
	proof::{encode, EthLog, ReceiptProof},
	DepositStatus,
};
use snowbridge_core::BasicOperatingMode;
use sp_core::{H160, H256};
use sp_runtime::{DispatchError, DispatchResult};

const ONE: u128 = 1_000_000_000_000_000_000;

fn prove(d: DepositMessage, proof: BeaconReceiptProof) -> Result<Pays, DispatchError> {
	fee_of_proof(Bridge::prove_deposit_beacon(RuntimeOrigin::signed(bob()), d, Box::new(proof)))
}

/// `prove` refused with `error`, and nothing changed.
fn refused(d: DepositMessage, proof: BeaconReceiptProof, error: Error<Test>) {
	assert_noop!(prove(d, proof), error);
}

#[test]
fn a_beacon_proven_deposit_is_minted_once_by_whoever_submits_it() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = beacon_proven(500, &deposit(1, WSTETH, &alice(), 12_345));
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
		// Replayed by beacon proof, by receipt under an attested header or by attestation.
		assert_eq!(prove(d, proof), Err(Error::<Test>::AlreadyProcessed.into()));
		let (_, attested) = proven(500, &d);
		assert_noop!(
			Bridge::prove_deposit(RuntimeOrigin::signed(bob()), d, attested),
			Error::<Test>::AlreadyProcessed
		);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 12_345);
	});
}

#[test]
fn a_beacon_proven_deposit_over_the_tokens_cap_waits_spent_until_there_is_room() {
	ExtBuilder::default().build_and_execute(|| {
		over_cap_waits_spent_until_there_is_room(1, |d| beacon_proven(500, d), prove);
	});
}

#[test]
fn a_beacon_proof_is_refused_for_each_thing_wrong_with_it() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = beacon_proven(500, &deposit(1, WSTETH, &alice(), 100));

		// The message must be the event: each field.
		for changed in [
			DepositMessage { amount: 101, ..d },
			DepositMessage { token: RETH, ..d },
			DepositMessage { recipient: bob().into(), ..d },
			DepositMessage { depositor: H160::repeat_byte(0xd1), ..d },
		] {
			refused(changed, proof.clone(), Error::ProofMismatch);
		}
		// The execution header must be of the message's block.
		refused(
			DepositMessage { eth_block_hash: H256::repeat_byte(9), ..d },
			proof.clone(),
			Error::BlockHashMismatch,
		);
		// The receipt proof is checked by the bridge's own code first: named errors.
		let mut cut = proof.clone();
		cut.receipt.nodes = Default::default();
		refused(d, cut, Error::EmptyProof);
		let mut flipped = proof.clone();
		let last = flipped.receipt.nodes[0].len() - 1;
		flipped.receipt.nodes[0][last] ^= 1;
		refused(d, flipped, Error::NotInTrie);

		// The execution header must be the one in the beacon block body.
		let mut other_root = proof.clone();
		if let VersionedExecutionPayloadHeader::Deneb(h) =
			&mut other_root.execution.execution_header
		{
			h.gas_used += 1;
		}
		refused(d, other_root, Error::BeaconUnverified);
		let mut bad_branch = proof.clone();
		bad_branch.execution.execution_branch[2] = H256::repeat_byte(0xee);
		refused(d, bad_branch, Error::BeaconUnverified);
		let mut short_branch = proof.clone();
		short_branch.execution.execution_branch.pop();
		refused(d, short_branch, Error::BeaconUnverified);
		// The beacon block must be finalized: a header the light client never took.
		let mut unfinalized = proof.clone();
		unfinalized.execution.header.proposer_index += 1;
		refused(d, unfinalized, Error::BeaconUnverified);
		// Anything longer than a valid execution proof is refused before any work.
		let mut padded = proof.clone();
		padded.execution.execution_branch = vec![H256::zero(); 64];
		refused(d, padded, Error::ExecutionProofTooLarge);
		// A log from another contract, in a block the beacon chain finalized.
		let forged = beacon_block(
			600,
			block_hash(600),
			&[encode::deposit_log(&H160::repeat_byte(0x66), &d)],
			0,
		);
		refused(
			DepositMessage { eth_block_hash: block_hash(600), ..d },
			forged,
			Error::WrongEmitter,
		);

		assert_eq!(Bridge::deposit_status(1), DepositStatus::Unknown);
		assert_eq!(prove(d, proof), Ok(Pays::No));
	});
}

#[test]
fn nothing_is_verified_before_the_light_client_has_a_finalized_header() {
	ExtBuilder::default().build_and_execute(|| {
		let d =
			DepositMessage { eth_block_hash: block_hash(500), ..deposit(1, WSTETH, &alice(), 1) };
		let (header, receipt) = receipt_block(500, true, &[encode::deposit_log(&VAULT, &d)], 0);
		let (execution, _never_stored) =
			finalized_execution_proof(500, 500, d.eth_block_hash, header.receipts_root);
		refused(d, BeaconReceiptProof { receipt, execution }, Error::BeaconUnverified);
	});
}

#[test]
fn an_ancestor_of_a_finalized_beacon_block_proves_its_receipts() {
	ExtBuilder::default().build_and_execute(|| {
		let d =
			DepositMessage { eth_block_hash: block_hash(700), ..deposit(1, WSTETH, &alice(), 70) };
		let (header, receipt) = receipt_block(700, true, &[encode::deposit_log(&VAULT, &d)], 0);
		let (execution, finalized, block_roots_root) =
			ancestor_execution_proof(9_000, 9_064, 700, d.eth_block_hash, header.receipts_root);
		assert_ok!(EthereumBeaconClient::store_finalized_header(finalized, block_roots_root));
		let proof = BeaconReceiptProof { receipt, execution };
		let mut wrong = proof.clone();
		wrong.execution.ancestry_proof.as_mut().unwrap().header_branch[5] = H256::repeat_byte(1);
		refused(d, wrong, Error::BeaconUnverified);
		assert_eq!(prove(d, proof), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 70);
	});
}

#[test]
fn a_paused_bridge_halts_the_light_client_until_root_resumes_it() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, proof) = beacon_proven(500, &deposit(1, WSTETH, &alice(), 100));
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		assert_eq!(EthereumBeaconClient::operating_mode(), BasicOperatingMode::Halted);
		refused(d, proof.clone(), Error::BeaconHalted);
		// Resuming the bridge is not resuming the light client: root looks at why first.
		assert_ok!(Bridge::resume(RuntimeOrigin::root()));
		refused(d, proof.clone(), Error::BeaconHalted);
		assert_ok!(EthereumBeaconClient::set_operating_mode(
			RuntimeOrigin::root(),
			BasicOperatingMode::Normal
		));
		assert_eq!(prove(d, proof), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn under_the_beacon_policy_only_beacon_proofs_are_acted_on() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::set_policy(RuntimeOrigin::root(), InboundPolicy::Beacon));
		assert!(Bridge::proofs_required());
		let d = deposit(1, WSTETH, &alice(), 100);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::ProofRequired
		);
		// A receipt under a header attesters signed proves nothing now.
		let (attested_d, attested) = proven(400, &d);
		assert_noop!(
			Bridge::prove_deposit(RuntimeOrigin::signed(bob()), attested_d, attested),
			Error::<Test>::BeaconProofRequired
		);
		let r = rate_report(WSTETH, 1_200 * ONE / 1_000, START_SECS - 10);
		let rate_proof = proven_rate(&r);
		assert_noop!(
			Bridge::prove_rate(RuntimeOrigin::signed(bob()), r, rate_proof),
			Error::<Test>::BeaconProofRequired
		);
		let (d, proof) = beacon_proven(500, &d);
		assert_eq!(prove(d, proof), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
	});
}

#[test]
fn under_the_co_signed_policy_a_large_deposit_also_needs_its_header_attested() {
	ExtBuilder::default().build_and_execute(|| {
		// wstETH at 1 ETH, less its 10% haircut: 0.9 ETH each.
		assert_ok!(Bridge::force_set_rate(RuntimeOrigin::root(), WSTETH, ONE));
		let above = 9 * ONE / 10;
		assert_ok!(Bridge::set_policy(
			RuntimeOrigin::root(),
			InboundPolicy::BeaconCoSigned { above }
		));
		// Worth exactly the threshold: the beacon proof is enough.
		let (small, small_proof) = beacon_proven(500, &deposit(1, WSTETH, &alice(), ONE));
		assert_eq!(prove(small, small_proof), Ok(Pays::No));
		// Worth more: the attesters must have signed its block's header too.
		let (large, large_proof) = beacon_proven(501, &deposit(2, WSTETH, &alice(), 2 * ONE));
		refused(large, large_proof.clone(), Error::CoSignRequired);
		// A header with another receipts root is not a co-signature.
		attest_header(&eth_header(501, H256::repeat_byte(5)), &[0, 1]);
		assert!(TrustedNumbers::<Test>::contains_key(501));
		refused(large, large_proof.clone(), Error::CoSignRequired);
		// A token without a rate has no value to compare: it needs the co-signature.
		assert_eq!(Rates::<Test>::get(RETH), None);
		let (reth, reth_proof) = beacon_proven(502, &deposit(3, RETH, &alice(), 100));
		refused(reth, reth_proof.clone(), Error::CoSignRequired);
		let header =
			EthHeader { hash: reth.eth_block_hash, ..eth_header(502, reth_proof.receipts_root()) };
		attest_header(&header, &[0, 1]);
		assert_eq!(prove(reth, reth_proof), Ok(Pays::No));
		assert_eq!(balance(RETH_ASSET, &alice()), 100);
	});
}

#[test]
fn a_beacon_proof_settles_a_nonce_attesters_halted() {
	ExtBuilder::default().build_and_execute(|| {
		let d = deposit(1, WSTETH, &alice(), 100);
		let (d, proof) = beacon_proven(500, &d);
		// Three contents for nonce 1: it halts.
		for (i, amount) in [(0u8, 1u128), (1, 2), (2, 3)] {
			let c = DepositMessage { amount, ..d };
			assert_ok!(Bridge::attest_deposit(
				RuntimeOrigin::signed(relayer()),
				c,
				sign_deposit(i, &c)
			));
		}
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Halted);
		// Under the attested policy too: no attester vouches for a beacon-finalized header.
		bridge_events_since_last_call();
		assert_eq!(prove(d, proof), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 100);
		assert!(bridge_events_since_last_call().contains(&Event::HaltCleared { nonce: 1 }));
	});
}

#[test]
fn a_deposit_is_charged_the_plain_path_unless_it_settled_what_attesters_left_or_sought_a_co_signature(
) {
	ExtBuilder::default().build_and_execute(|| {
		type W = <Test as Config>::WeightInfo;
		// (charged, the plain path's weight, the worst case's) for a deposit that mints.
		let charged = |d: DepositMessage, proof: BeaconReceiptProof| {
			let bytes = proof.receipt.len_bytes();
			let info =
				Bridge::prove_deposit_beacon(RuntimeOrigin::signed(bob()), d, Box::new(proof))
					.unwrap();
			assert_eq!(info.pays_fee, Pays::No);
			(
				info.actual_weight.unwrap(),
				W::prove_deposit_beacon_plain(bytes),
				W::prove_deposit_beacon(bytes),
			)
		};
		// A nonce attesters never signed: neither a halt nor a tally to settle.
		let (d, proof) = beacon_proven(500, &deposit(1, WSTETH, &alice(), 100));
		let (used, plain, worst) = charged(d, proof);
		assert!(
			plain.all_lte(worst) && plain.ref_time() < worst.ref_time(),
			"the plain path costs less: {plain:?} vs {worst:?}"
		);
		// At the largest evidence too (the plain fit's per-byte slope is the steeper one).
		let most = kasane_primitives::bridge::proof::MAX_PROOF_NODES
			* kasane_primitives::bridge::proof::MAX_PROOF_NODE_LEN;
		assert!(
			W::prove_deposit_beacon_plain(most).ref_time()
				< W::prove_deposit_beacon(most).ref_time()
		);
		assert_eq!(used, plain);
		assert!(!Halted::<Test>::contains_key(1) && !DepositTallies::<Test>::contains_key(1));

		// One attester signed the nonce: its tally is settled, at the worst case's weight.
		let (d, proof) = beacon_proven(501, &deposit(2, WSTETH, &alice(), 100));
		assert_ok!(Bridge::attest_deposit(
			RuntimeOrigin::signed(relayer()),
			d,
			sign_deposit(0, &d)
		));
		assert!(DepositTallies::<Test>::contains_key(2));
		let (used, _, worst) = charged(d, proof);
		assert_eq!(used, worst);
		assert!(!DepositTallies::<Test>::contains_key(2));

		// The co-signed policy reads the deposit's value, under its threshold too.
		assert_ok!(Bridge::force_set_rate(RuntimeOrigin::root(), WSTETH, ONE));
		assert_ok!(Bridge::set_policy(
			RuntimeOrigin::root(),
			InboundPolicy::BeaconCoSigned { above: ONE }
		));
		let (d, proof) = beacon_proven(502, &deposit(3, WSTETH, &alice(), 100));
		let (used, _, worst) = charged(d, proof);
		assert_eq!(used, worst);
		assert_eq!(balance(WSTETH_ASSET, &alice()), 300);
	});
}

#[test]
fn a_beacon_proven_rate_is_applied_once() {
	ExtBuilder::default().build_and_execute(|| {
		let r = rate_report(WSTETH, 1_200 * ONE / 1_000, START_SECS - 10);
		let proof =
			beacon_block(r.eth_block_number, r.eth_block_hash, &[encode::rate_log(&VAULT, &r)], 0);
		let submit = |r: RateReport, proof: BeaconReceiptProof| {
			Bridge::prove_rate_beacon(RuntimeOrigin::signed(bob()), r, Box::new(proof))
				.map_err(|e| e.error)
		};
		assert_noop!(
			submit(RateReport { rate: r.rate + 1, ..r }, proof.clone()),
			Error::<Test>::ProofMismatch
		);
		assert_noop!(
			submit(RateReport { eth_block_hash: H256::repeat_byte(3), ..r }, proof.clone()),
			Error::<Test>::BlockHashMismatch
		);
		assert_eq!(submit(r, proof.clone()).unwrap().pays_fee, Pays::No);
		assert_eq!(Rates::<Test>::get(WSTETH).unwrap().rate, 1_200 * ONE / 1_000);
		assert_eq!(
			RATES.with(|x| x.borrow().last().copied()),
			Some((WSTETH_ASSET, 1_080 * ONE / 1_000))
		);
		assert_noop!(submit(r, proof), Error::<Test>::RateNotNewer);
	});
}

#[test]
fn root_sets_the_fork_schedule_the_light_client_verifies_under() {
	use kasane_primitives::bridge::beacon::BeaconFork;
	ExtBuilder::default().build_and_execute(|| {
		let followed =
			|| <BeaconForkVersions<Test> as frame_support::traits::Get<ForkVersions>>::get();
		assert_eq!(followed(), ForkSchedule::MAINNET.into(), "mainnet's until root sets one");
		assert_noop!(
			Bridge::set_beacon_forks(RuntimeOrigin::signed(alice()), ForkSchedule::DEVNET),
			DispatchError::BadOrigin
		);
		let unordered = ForkSchedule {
			deneb: BeaconFork { version: [4, 0, 0, 0], epoch: 10 },
			electra: BeaconFork { version: [5, 0, 0, 0], epoch: 9 },
			..ForkSchedule::DEVNET
		};
		assert_noop!(
			Bridge::set_beacon_forks(RuntimeOrigin::root(), unordered),
			Error::<Test>::UnorderedForks
		);
		bridge_events_since_last_call();
		assert_ok!(Bridge::set_beacon_forks(RuntimeOrigin::root(), ForkSchedule::SEPOLIA));
		assert_eq!(
			bridge_events_since_last_call(),
			vec![Event::BeaconForksSet { schedule: ForkSchedule::SEPOLIA }]
		);
		assert_eq!(followed(), ForkSchedule::SEPOLIA.into());
		assert!(ForkSchedule::MAINNET.is_ordered() && ForkSchedule::DEVNET.is_ordered());
	});
}

#[test]
fn the_log_built_for_the_light_client_is_the_one_the_bridge_decodes() {
	// The log the bridge builds for the light client is the one its decoder reads.
	let d = deposit(1, WSTETH, &alice(), 100);
	let log: EthLog = encode::deposit_log(&VAULT, &d);
	let header = eth_header(1, H256::repeat_byte(1));
	let d = DepositMessage { eth_block_hash: header.hash, ..d };
	assert_eq!(kasane_primitives::bridge::proof::deposit_of(&log, &VAULT, &header), Ok(d));
}

/// Ethereum block `number` whose only receipt holds the vault's log of `d` (re-dated to that
/// block), as the synthetic beacon chain wraps it; with the receipt proof of the log.
fn block_with(number: u64, d: &DepositMessage) -> (DepositMessage, ExecutionBlock, ReceiptProof) {
	let d = DepositMessage { eth_block_hash: block_hash(number), ..*d };
	let (header, receipt) = receipt_block(number, true, &[encode::deposit_log(&VAULT, &d)], 0);
	let block =
		ExecutionBlock { number, hash: d.eth_block_hash, receipts_root: header.receipts_root };
	(d, block, receipt)
}

fn submit_update(update: FinalityUpdate) -> DispatchResult {
	EthereumBeaconClient::submit(RuntimeOrigin::signed(bob()), Box::new(update))
		.map(|_| ())
		.map_err(|e| e.error)
}

#[test]
fn a_deposit_in_a_block_the_sync_committee_finalized_is_minted_across_committee_periods() {
	use snowbridge_pallet_ethereum_client::Error as ClientError;
	// Under Electra's state layout (the devnet schedule) and under the one before it (a
	// Deneb-era slot on mainnet's schedule): the branches differ by a level.
	for (schedule, checkpoint_slot) in
		[(ForkSchedule::DEVNET, 64), (ForkSchedule::MAINNET, 300_000 * SLOTS_PER_EPOCH)]
	{
		ExtBuilder::default().build_and_execute(|| {
			assert_ok!(Bridge::set_beacon_forks(RuntimeOrigin::root(), schedule));
			let (d, block, receipt) = block_with(500, &deposit(1, WSTETH, &alice(), 12_345));
			let slot = checkpoint_slot + 10;
			let chain_of = |beacon: SyntheticBeacon| {
				let mut chain = SyntheticChain::new(beacon, checkpoint_slot);
				chain.push(slot, block);
				chain
			};
			let mut chain = chain_of(SyntheticBeacon::new(11, schedule));
			assert_ok!(EthereumBeaconClient::force_checkpoint(
				RuntimeOrigin::root(),
				Box::new(chain.checkpoint())
			));

			// 341 of 512 signers is below ⅔. Neither another committee's signature under this
			// chain's domain, nor this committee's under another chain's domain, nor both,
			// verifies.
			let update = chain.finalize_signed_by(slot, false, 341);
			assert_noop!(
				submit_update(update),
				ClientError::<Test>::SyncCommitteeParticipantsNotSupermajority
			);
			let other_keys = SyntheticBeacon::new(12, schedule)
				.with_validators_root(chain.beacon().validators_root());
			let other_domain = SyntheticBeacon::new(11, schedule)
				.with_validators_root(SyntheticBeacon::new(12, schedule).validators_root());
			let other_chain = SyntheticBeacon::new(12, schedule);
			for forger in [other_keys, other_domain, other_chain] {
				let forged = chain_of(forger).finalize(slot, false);
				assert!(matches!(
					submit_update(forged),
					Err(e) if e == ClientError::<Test>::BLSVerificationFailed(
						snowbridge_beacon_primitives::bls::BlsError::SignatureVerificationFailed
					).into()
				));
			}

			// Until the update is imported, the block is not finalized for the bridge.
			let update = chain.finalize_signed_by(slot, false, 342);
			let execution = chain.execution_proof(slot, slot).expect("the block is in the chain");
			let proof = BeaconReceiptProof { receipt, execution };
			refused(d, proof.clone(), Error::<Test>::BeaconUnverified);
			assert_ok!(submit_update(update));
			assert_eq!(prove(d, proof), Ok(Pays::No));
			assert_eq!(balance(WSTETH_ASSET, &alice()), 12_345);

			// The next period's blocks need the committee handed over first...
			let next = slot + SLOTS_PER_PERIOD;
			let (d2, block2, receipt2) = block_with(502, &deposit(2, WSTETH, &alice(), 5));
			chain.push(slot + 1, block_with(501, &d).1);
			chain.push(next, block2);
			let update = chain.finalize(next, true);
			assert_noop!(submit_update(update), ClientError::<Test>::SkippedSyncCommitteePeriod);
			assert_ok!(submit_update(chain.finalize(slot + 1, true)));
			// ...and an update finalizing a block of the next period names the one after it.
			let update = chain.finalize(next, false);
			assert_noop!(submit_update(update), ClientError::<Test>::SyncCommitteeUpdateRequired);
			assert_ok!(submit_update(chain.finalize(next, true)));
			let execution = chain.execution_proof(next, next).expect("the block is in the chain");
			assert_eq!(
				prove(d2, BeaconReceiptProof { receipt: receipt2, execution }),
				Ok(Pays::No)
			);
			assert_eq!(balance(WSTETH_ASSET, &alice()), 12_350);
		});
	}
}

#[test]
fn a_block_below_a_finalized_one_is_proven_by_ancestry_and_a_far_one_is_reached_in_steps() {
	use snowbridge_pallet_ethereum_client::Error as ClientError;
	ExtBuilder::default().build_and_execute(|| {
		let schedule = ForkSchedule::DEVNET;
		assert_ok!(Bridge::set_beacon_forks(RuntimeOrigin::root(), schedule));
		let checkpoint_slot = 64;
		let mut chain = SyntheticChain::new(SyntheticBeacon::new(11, schedule), checkpoint_slot);
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			Box::new(chain.checkpoint())
		));
		// Ethereum block n at slot `checkpoint_slot + 1 + n`, as the relayer lays them out, for
		// two and a half committee periods; deposits in blocks 3, 5 and near the end.
		let slot_of = |number: u64| checkpoint_slot + 1 + number;
		let last = 2 * SLOTS_PER_PERIOD + SLOTS_PER_PERIOD / 2;
		let deposits: Vec<_> = [(1, 3), (2, 5), (3, last - 100)]
			.into_iter()
			.map(|(nonce, number)| block_with(number, &deposit(nonce, WSTETH, &alice(), 10)))
			.collect();
		for number in 0..=last {
			let block = deposits
				.iter()
				.find(|(_, block, _)| block.number == number)
				.map_or_else(|| block_with(number, &deposit(99, WSTETH, &bob(), 1)).1, |d| d.1);
			chain.push(slot_of(number), block);
		}
		let proof_of = |i: usize, finalized: u64| {
			let (_, block, receipt) = &deposits[i];
			let execution = chain.execution_proof(slot_of(block.number), finalized)?;
			Some(BeaconReceiptProof { receipt: receipt.clone(), execution })
		};

		// One update finalizing block 6 proves the deposits of blocks 3 and 5 below it.
		let finalized = slot_of(6);
		assert_ok!(submit_update(chain.finalize(finalized, true)));
		for (i, (d, ..)) in deposits.iter().enumerate().take(2) {
			let proof = proof_of(i, finalized).unwrap();
			assert!(proof.execution.ancestry_proof.is_some());
			// A branch for another slot of the same roots does not prove it.
			let mut wrong = proof.clone();
			wrong.execution.ancestry_proof =
				proof_of(1 - i, finalized).unwrap().execution.ancestry_proof;
			refused(*d, wrong, Error::BeaconUnverified);
			assert_eq!(prove(*d, proof), Ok(Pays::No));
		}
		assert!(proof_of(2, finalized).is_none(), "not below the finalized block");

		// The last deposit's block is two periods ahead: the light client refuses to jump
		// there, and is taken in steps, the committee handed over at each period.
		let target = slot_of(last);
		assert_noop!(
			submit_update(chain.finalize(target, true)),
			ClientError::<Test>::SkippedSyncCommitteePeriod
		);
		let mut steps = vec![];
		loop {
			let latest = snowbridge_pallet_ethereum_client::FinalizedBeaconState::<Test>::get(
				snowbridge_pallet_ethereum_client::LatestFinalizedBlockRoot::<Test>::get(),
			)
			.unwrap()
			.slot;
			if latest >= target {
				break;
			}
			let known = snowbridge_pallet_ethereum_client::NextSyncCommittee::<Test>::exists();
			let (step, with_committee) = finality_step(latest, target, known);
			assert_ok!(submit_update(chain.finalize(step, with_committee)));
			steps.push((step, with_committee));
		}
		assert_eq!(
			steps,
			[(finalized + 8_192, true), (finalized + 2 * 8_192, true), (target, false)]
		);
		// Proven by ancestry under the last step, a hundred slots above it.
		assert_eq!(prove(deposits[2].0, proof_of(2, target).unwrap()), Ok(Pays::No));
		assert_eq!(balance(WSTETH_ASSET, &alice()), 30);
	});
}

#[test]
fn the_policy_encoding_relayers_read_from_storage_is_pinned() {
	use codec::Encode;
	// `kasane-relayer` decodes `Policy` with a mirror of `InboundPolicy` (its
	// `the_policy_mirror_decodes_the_pallets_encoding` pins the same bytes): change both.
	assert_eq!(InboundPolicy::Attested.encode(), [0]);
	assert_eq!(InboundPolicy::Proven.encode(), [1]);
	assert_eq!(InboundPolicy::Beacon.encode(), [2]);
	let mut co_signed = vec![3];
	co_signed.extend_from_slice(&5u128.to_le_bytes());
	assert_eq!(InboundPolicy::BeaconCoSigned { above: 5 }.encode(), co_signed);
}
