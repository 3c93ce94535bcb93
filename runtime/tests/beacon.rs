//! Snowbridge's beacon light client in Kasane's runtime, driven by Snowbridge's fixtures: real
//! BLS signatures of its devnet's sync committee over real beacon structures. From the
//! `development` genesis (whose fork schedule is that devnet's, set in the bridge's storage):
//! nothing verifies before root's checkpoint; the checkpoint, a sync-committee update and a
//! finalized-header update are taken; an event under the finalized chain then verifies through
//! the `Verifier` the bridge uses. Each tampered part is refused, a wrong fork schedule fails
//! every signature, and pausing the bridge halts the client.

mod common;

use common::with_preset_state;
use frame_support::{assert_err, assert_noop, assert_ok};
use kasane_runtime::{EthereumBeaconClient, LstBridge, Runtime, RuntimeOrigin, System};
use pallet_lst_bridge::{BeaconClient, ForkSchedule};
use snowbridge_pallet_ethereum_client::Error as ClientError;
use snowbridge_pallet_ethereum_client_fixtures::{
	make_checkpoint, make_finalized_header_update, make_inbound_fixture, make_sync_committee_update,
};
use snowbridge_verification_primitives::VerificationError;
use sp_keyring::Sr25519Keyring;

type Client = kasane_runtime::configs::bridge::SnowbridgeBeaconClient;

fn relayer() -> RuntimeOrigin {
	RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id())
}

#[test]
fn the_light_client_follows_signed_updates_and_then_verifies_events_under_them() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		let event = make_inbound_fixture().event;
		// Nothing is trusted before root installs a checkpoint.
		assert_eq!(
			Client::verify(&event.event_log, &event.proof),
			Err(VerificationError::InvalidExecutionProof(
				ClientError::<Runtime>::NotBootstrapped.into()
			))
		);
		assert!(EthereumBeaconClient::submit(relayer(), make_sync_committee_update()).is_err());
		assert_noop!(
			EthereumBeaconClient::force_checkpoint(relayer(), make_checkpoint()),
			sp_runtime::DispatchError::BadOrigin
		);

		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			make_checkpoint()
		));
		// Not finalized yet: the event's block is an ancestor of a header still to come.
		assert!(Client::verify(&event.event_log, &event.proof).is_err());
		assert_ok!(EthereumBeaconClient::submit(relayer(), make_sync_committee_update()));
		assert_ok!(EthereumBeaconClient::submit(relayer(), make_finalized_header_update()));
		assert_ok!(Client::verify(&event.event_log, &event.proof));

		// The log must be the one in the receipt.
		let mut other_log = event.event_log.clone();
		other_log.data[0] ^= 1;
		assert_eq!(Client::verify(&other_log, &event.proof), Err(VerificationError::LogNotFound));
		// The receipt must be under the execution header's receipts root.
		let mut other_receipt = event.proof.clone();
		other_receipt.receipt_proof[0][5] ^= 1;
		assert!(Client::verify(&event.event_log, &other_receipt).is_err());
		// The execution header must be in the beacon block, and that block finalized.
		let mut other_branch = event.proof.clone();
		other_branch.execution_proof.execution_branch[0].0[0] ^= 1;
		assert!(Client::verify(&event.event_log, &other_branch).is_err());
		let mut other_ancestry = event.proof.clone();
		other_ancestry.execution_proof.ancestry_proof.as_mut().unwrap().header_branch[0].0[0] ^= 1;
		assert!(Client::verify(&event.event_log, &other_ancestry).is_err());

		// Pausing the bridge halts the light client: no update, no verification.
		assert_ok!(LstBridge::pause(RuntimeOrigin::root()));
		assert_eq!(Client::verify(&event.event_log, &event.proof), Err(VerificationError::Halted));
		assert_noop!(
			EthereumBeaconClient::submit(relayer(), make_finalized_header_update()),
			ClientError::<Runtime>::Halted
		);
	});
}

#[test]
fn tampered_updates_are_refused() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			make_checkpoint()
		));

		let mut signature = make_sync_committee_update();
		signature.sync_aggregate.sync_committee_signature.0[10] ^= 1;
		assert!(EthereumBeaconClient::submit(relayer(), signature).is_err());

		let mut finality = make_sync_committee_update();
		finality.finality_branch[0].0[0] ^= 1;
		assert_err!(
			EthereumBeaconClient::submit(relayer(), finality),
			ClientError::<Runtime>::InvalidHeaderMerkleProof
		);

		let mut committee = make_sync_committee_update();
		let next = committee.next_sync_committee_update.as_mut().expect("the fixture hands over");
		next.next_sync_committee_branch[0].0[0] ^= 1;
		assert_err!(
			EthereumBeaconClient::submit(relayer(), committee),
			ClientError::<Runtime>::InvalidSyncCommitteeMerkleProof
		);

		// Too few signers: a third of the committee's bits cleared.
		let mut participation = make_sync_committee_update();
		for byte in participation.sync_aggregate.sync_committee_bits.iter_mut().take(22) {
			*byte = 0;
		}
		assert_err!(
			EthereumBeaconClient::submit(relayer(), participation),
			ClientError::<Runtime>::SyncCommitteeParticipantsNotSupermajority
		);

		// The untouched update is still taken.
		assert_ok!(EthereumBeaconClient::submit(relayer(), make_sync_committee_update()));
	});
}

#[test]
fn the_fork_schedule_in_storage_decides_the_signing_domain() {
	use kasane_primitives::bridge::beacon::BeaconFork;
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		System::set_block_number(1);
		assert_eq!(pallet_lst_bridge::BeaconForks::<Runtime>::get(), Some(ForkSchedule::DEVNET));
		// Mainnet's schedule puts the checkpoint's slot before Electra, whose beacon state is
		// laid out otherwise: its committee branch does not verify.
		assert_ok!(LstBridge::set_beacon_forks(RuntimeOrigin::root(), ForkSchedule::MAINNET));
		assert_noop!(
			EthereumBeaconClient::force_checkpoint(RuntimeOrigin::root(), make_checkpoint()),
			ClientError::<Runtime>::InvalidSyncCommitteeMerkleProof
		);
		// The same forks under another Electra version: the committee signed another domain.
		let other = ForkSchedule {
			electra: BeaconFork { version: [0x55, 0, 0, 0], epoch: 0 },
			..ForkSchedule::DEVNET
		};
		assert_ok!(LstBridge::set_beacon_forks(RuntimeOrigin::root(), other));
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			make_checkpoint()
		));
		let refused = EthereumBeaconClient::submit(relayer(), make_sync_committee_update())
			.expect_err("signed under another domain");
		assert!(
			matches!(
				refused.error,
				sp_runtime::DispatchError::Module(sp_runtime::ModuleError {
					message: Some("BLSVerificationFailed"),
					..
				})
			),
			"{refused:?}"
		);
		assert_ok!(LstBridge::set_beacon_forks(RuntimeOrigin::root(), ForkSchedule::DEVNET));
		assert_ok!(EthereumBeaconClient::submit(relayer(), make_sync_committee_update()));
	});
}
