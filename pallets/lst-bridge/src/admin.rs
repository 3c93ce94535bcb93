//! Administration: registering tokens and installing attester sets; and the lookups every
//! concern shares (the bridge account, the block, the signing domain, processed nonces,
//! collecting signatures).

use crate::{pallet::*, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::fungibles::{Create, Inspect},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{KeyType, OperatorSetMembers},
	bridge::{quorum_of, BridgeDomain, BridgeNonce, EthAddress, EthSignature},
	restaking::OperatorSetId,
};
use sp_core::H256;
use sp_runtime::{traits::AccountIdConversion, DispatchError};

impl<T: Config> Pallet<T> {
	/// Owner of the mirrored assets.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// This chain's genesis hash (frame-system keeps block 0's hash for ever), as every
	/// Kasane signature domain carries it.
	pub fn kasane_genesis() -> H256 {
		H256(kasane_primitives::avs::signing_genesis(
			frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()).as_ref(),
		))
	}

	/// What every signature is bound to: the configured vault and this chain.
	pub fn domain() -> Result<BridgeDomain, DispatchError> {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		Ok(endpoint.domain(Self::kasane_genesis()))
	}

	// ---- nonces ----

	pub(crate) fn nonce_slot(nonce: BridgeNonce) -> (u64, u128) {
		(nonce / 128, 1u128 << (nonce % 128))
	}

	/// Whether deposit `nonce` was accepted (minted, waiting or cancelled).
	pub fn is_processed(nonce: BridgeNonce) -> bool {
		let (word, bit) = Self::nonce_slot(nonce);
		ProcessedNonces::<T>::get(word) & bit != 0
	}

	pub(crate) fn mark_processed(nonce: BridgeNonce) {
		let (word, bit) = Self::nonce_slot(nonce);
		ProcessedNonces::<T>::mutate(word, |w| *w |= bit);
		// The window of nonces taken moves past every processed one (a bounded step per
		// deposit: processing catches up one nonce each time at worst).
		let mut lowest = Self::lowest_open_nonce();
		if lowest == nonce {
			for _ in 0..64 {
				lowest = lowest.saturating_add(1);
				if !Self::is_processed(lowest) {
					break;
				}
			}
			LowestOpenNonce::<T>::put(lowest);
		}
	}

	/// The lowest deposit nonce not processed yet (nonces start at 1).
	pub fn lowest_open_nonce() -> BridgeNonce {
		LowestOpenNonce::<T>::get().max(1)
	}

	// ---- administration ----

	pub(crate) fn do_register_token(
		token: EthAddress,
		asset: T::AssetId,
		decimals: u8,
		min_balance: u128,
		limits: TokenLimits,
	) -> DispatchResult {
		ensure!(!Tokens::<T>::contains_key(token), Error::<T>::TokenExists);
		ensure!(
			!AssetTokens::<T>::contains_key(asset) && !T::Assets::asset_exists(asset),
			Error::<T>::AssetExists
		);
		T::Assets::create(asset, Self::account_id(), true, min_balance)?;
		Tokens::<T>::insert(
			token,
			TokenInfo {
				asset,
				decimals,
				cap: limits.cap,
				daily_limit: limits.daily_limit,
				max_rate_change: limits.max_rate_change,
				haircut: limits.haircut,
				min_withdrawal: limits.min_withdrawal,
				minted: 0,
				burned: 0,
			},
		);
		AssetTokens::<T>::insert(asset, token);
		Self::deposit_event(Event::TokenRegistered { token, asset, decimals, limits });
		Ok(())
	}

	pub(crate) fn do_set_attesters(
		members: alloc::vec::Vec<EthAddress>,
		quorum: u32,
		vault_set_id: u64,
		operator_set: Option<OperatorSetId>,
	) -> DispatchResult {
		ensure!(
			!members.is_empty() && members.windows(2).all(|w| w[0] < w[1]) && !members[0].is_zero(),
			Error::<T>::InvalidAttesterSet
		);
		let n = members.len() as u32;
		let members: BoundedVec<_, T::MaxAttesters> =
			members.try_into().map_err(|_| Error::<T>::InvalidAttesterSet)?;
		ensure!(quorum >= quorum_of(n) && quorum <= n, Error::<T>::InvalidQuorum);
		if let Some(source) = operator_set {
			let suitable = T::OperatorSets::capacity(&source).is_some_and(|(key_type, max)| {
				key_type == KeyType::Ecdsa && max <= T::MaxAttesters::get()
			});
			ensure!(suitable, Error::<T>::UnsuitableOperatorSet);
			Self::governed_source(&source)?;
		}
		PendingRotation::<T>::kill();
		if let Some((vault_set_id, _)) = ApprovedRotation::<T>::take() {
			Rotations::<T>::remove(vault_set_id);
		}
		let id = Attesters::<T>::get().map_or(0, |s| s.id.wrapping_add(1));
		Self::install_attesters(AttesterSet { id, members, quorum, vault_set_id, operator_set });
		Ok(())
	}

	/// Make `set` the attester set.
	pub(crate) fn install_attesters(set: AttesterSet<T::MaxAttesters>) {
		Self::deposit_event(Event::AttestersSet {
			id: set.id,
			members: set.members.to_vec(),
			quorum: set.quorum,
			vault_set_id: set.vault_set_id,
			operator_set: set.operator_set,
		});
		Attesters::<T>::put(set);
	}

	/// Add `signer`'s `signature` to `signatures`, kept sorted by signer as the vault wants
	/// them; returns how many there are. `full`: the error when there is no room.
	pub(crate) fn add_signature<M: Get<u32>>(
		signatures: &mut BoundedVec<(EthAddress, EthSignature), M>,
		signer: EthAddress,
		signature: EthSignature,
		full: Error<T>,
	) -> Result<u32, DispatchError> {
		let at = match signatures.binary_search_by_key(&signer, |(a, _)| *a) {
			Ok(_) => return Err(Error::<T>::AlreadySigned.into()),
			Err(at) => at,
		};
		signatures.try_insert(at, (signer, signature)).map_err(|_| full)?;
		Ok(signatures.len() as u32)
	}
}
