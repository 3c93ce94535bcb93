//! Refunds (the review's M-4): a deposit Kasane cancels or refuses is paid back to its
//! depositor by an outbound withdrawal, never left locked in the vault.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::bridge::DepositStatus;

/// Attesters 0 and 1 sign withdrawal `nonce`: it is ready for the vault.
fn sign_all(nonce: BridgeNonce) {
	for i in [0, 1] {
		assert_ok!(Bridge::attest_withdrawal(
			RuntimeOrigin::signed(relayer()),
			nonce,
			sign_withdrawal(i, nonce)
		));
	}
}

#[test]
fn a_cancelled_deposit_is_paid_back_to_its_depositor() {
	ExtBuilder::default().build_and_execute(|| {
		// Over the daily limit: it waits, and root cancels it meanwhile.
		attest(&deposit(1, WSTETH, &alice(), DAILY_LIMIT), &[0, 1]);
		attest(&deposit(2, WSTETH, &bob(), 500), &[0, 1]);
		assert!(matches!(Bridge::deposit_status(2), DepositStatus::Delayed { .. }));
		assert_ok!(Bridge::cancel_deposit(RuntimeOrigin::root(), 2));
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Refunded { withdrawal: 1 });
		assert!(bridge_events().contains(&Event::DepositRefunding {
			nonce: 2,
			withdrawal: 1,
			token: WSTETH,
			depositor: DEPOSITOR,
			amount: 500,
		}));
		// Nothing was minted for it, nothing is burned for its refund.
		let info = Tokens::<Test>::get(WSTETH).unwrap();
		assert_eq!((info.minted, info.burned), (DAILY_LIMIT, 0));
		let view = Bridge::withdrawal_view(1).unwrap();
		assert_eq!(view.origin, WithdrawalOrigin::Refund { deposit: 2 });
		assert_eq!(
			view.withdrawal,
			ReleaseMessage { nonce: 1, token: WSTETH, recipient: DEPOSITOR, amount: 500 }
		);
		assert_eq!(view.fee, 0);
		// The attesters sign it like any withdrawal; the vault pays it to the depositor.
		assert_eq!(Bridge::unsigned_withdrawals(0, 10).len(), 1);
		sign_all(1);
		assert!(Bridge::withdrawal_view(1).unwrap().ready);
		// Spent: neither cancelled again nor minted later.
		assert_noop!(Bridge::cancel_deposit(RuntimeOrigin::root(), 2), Error::<Test>::NotWaiting);
		let d = deposit(2, WSTETH, &bob(), 500);
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(2, &d)),
			Error::<Test>::AlreadyProcessed
		);
		assert_eq!(balance(WSTETH_ASSET, &bob()), 0);
	});
}

#[test]
fn a_deposit_of_a_token_kasane_does_not_mirror_is_refunded() {
	ExtBuilder::default().build_and_execute(|| {
		let cbeth = sp_core::H160::repeat_byte(0x33);
		let d = deposit(1, cbeth, &alice(), 70);
		attest(&d, &[0]);
		assert!(matches!(Bridge::deposit_status(1), DepositStatus::Attesting { .. }));
		attest(&d, &[1]);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Refunded { withdrawal: 1 });
		assert_eq!(
			Bridge::withdrawal_view(1).unwrap().withdrawal,
			ReleaseMessage { nonce: 1, token: cbeth, recipient: DEPOSITOR, amount: 70 }
		);
		assert!(!Tokens::<Test>::contains_key(cbeth));
		sign_all(1);
		// Released on Ethereum: the receipt closes it like any withdrawal.
		attest_release(&receipt(1, &relayer()), &[0, 1]);
		assert!(Bridge::withdrawal_view(1).unwrap().released);
		// Pruned after the retention window (by a later receipt), the refund's record with it:
		// the deposit then reads as processed, and stays spent.
		advance(RELEASED_RETENTION);
		let d2 = deposit(2, cbeth, &alice(), 80);
		attest(&d2, &[0, 1]);
		sign_all(2);
		attest_release(&receipt(2, &relayer()), &[0, 1]);
		assert_eq!(Bridge::withdrawal_view(1), None);
		assert_eq!(Refunds::<Test>::get(1), None);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Processed);
		assert_eq!(Bridge::deposit_status(2), DepositStatus::Refunded { withdrawal: 2 });
		assert_noop!(
			Bridge::attest_deposit(RuntimeOrigin::signed(relayer()), d, sign_deposit(0, &d)),
			Error::<Test>::AlreadyProcessed
		);
	});
}

#[test]
fn a_parked_deposit_cancelled_by_root_is_refunded_too() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(guardian())));
		attest(&deposit(1, RETH, &bob(), 40), &[0, 1]);
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Parked);
		assert_ok!(Bridge::cancel_deposit(RuntimeOrigin::root(), 1));
		assert_eq!(Bridge::deposit_status(1), DepositStatus::Refunded { withdrawal: 1 });
		assert_eq!(Refunds::<Test>::get(1), Some(1));
	});
}
