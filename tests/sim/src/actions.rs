//! What the actors do: a random call of any pallet a user reaches, with arguments drawn so
//! that most calls can succeed (amounts near what accounts hold, targets taken from the
//! state: candidates, operators, sets, withdrawals, slashes) and some cannot (zero, too much,
//! unknown ids, wrong signer). Root's calls go through `sudo` from Alice, as on the devnet.
//! Equivocation evidence and bridge attestations are forged with the keys the simulation
//! holds: an operator's AVS key signing two payloads for one round, attesters' Ethereum keys.

use crate::{
	chain::{Actor, ATTESTERS},
	dice::Dice,
};
use frame_support::traits::fungible::NativeOrWithId;
use kasane_primitives::{
	avs::{
		proof_of_possession_payload, AvsMessage, KeyType, OperatorKey, OperatorSignature,
		SlashExecution, SlashingTerms,
	},
	bridge::{
		beacon,
		proof::{encode, EthHeader, ReceiptProof},
		DepositMessage, EthSignature, EthereumEndpoint, RateReport, ReleaseReceipt,
	},
	restaking::{OperatorSetId, SlashDestination, StrategyId, WAD},
	slashing::SlashingMode,
};
use kasane_runtime::{
	currency::UNIT, genesis_config_presets::ETHER, AccountId, AvsRegistry, EthereumBeaconClient,
	LstBridge, Restaking, Runtime, RuntimeCall, MINUTES,
};
use pallet_lst_bridge::InboundPolicy;
use sp_consensus_grandpa::{AuthorityId as GrandpaId, AuthoritySignature as GrandpaSignature};
use sp_core::{ecdsa, ed25519, Pair, H160, H256};
use sp_runtime::{FixedU128, Perbill};

type Call = RuntimeCall;

/// The Ethereum side of the bridge as the simulation plays it.
pub const TOKEN: H160 = H160::repeat_byte(0x11);
/// The asset the bridge creates and mints for [`TOKEN`].
pub const BRIDGED_ASSET: u32 = 100;
/// The LSTs: the presets' three (pallet-assets ids, endowed at genesis) and the bridged one.
pub const LST_ASSETS: [u32; 4] = [1, 2, 3, BRIDGED_ASSET];

pub fn endpoint() -> EthereumEndpoint {
	EthereumEndpoint { chain_id: 31337, vault: H160::repeat_byte(0xaa) }
}

/// Ethereum events the simulation has "seen" on the vault and not yet had minted.
#[derive(Default)]
pub struct Ethereum {
	pub next_nonce: u64,
	pub deposits: Vec<DepositMessage>,
	/// The slot of the last beacon block the light client took as finalized.
	pub beacon_slot: u64,
	/// The vault's latest rate reports (at most [`KEPT_EVENTS`]), each in a block of
	/// its own past every deposit's (`RATE_BLOCKS`).
	pub rates: Vec<RateReport>,
	pub rate_reports: u64,
	/// The latest deposits, processed or not, for attesters to contradict.
	pub recent: Vec<DepositMessage>,
}

/// The simulated Ethereum numbers a deposit's block as its nonce and puts rate reports in
/// blocks from here on, so that no two events share a block.
const RATE_BLOCKS: u64 = 1 << 40;
const KEPT_EVENTS: usize = 8;

/// Root's one-off bridge set-up, dispatched through sudo in the first block.
pub fn bridge_setup(attesters: &[ecdsa::Pair]) -> Vec<Call> {
	let mut members: Vec<H160> = attesters
		.iter()
		.map(|k| kasane_primitives::bridge::eth_address_of_compressed(&k.public().0).unwrap())
		.collect();
	members.sort();
	let limits = pallet_lst_bridge::TokenLimits {
		cap: 10_000_000 * ETHER,
		daily_limit: 1_000_000 * ETHER,
		max_rate_change: Perbill::from_percent(5),
		haircut: Perbill::from_percent(2),
		min_withdrawal: ETHER / 100,
	};
	vec![
		Call::LstBridge(pallet_lst_bridge::Call::set_endpoint { endpoint: endpoint() }),
		Call::LstBridge(pallet_lst_bridge::Call::set_attesters {
			members,
			quorum: 2,
			vault_set_id: 1,
			operator_set: None,
		}),
		Call::LstBridge(pallet_lst_bridge::Call::register_token {
			token: TOKEN,
			asset: BRIDGED_ASSET,
			decimals: 18,
			min_balance: 1_000,
			limits,
		}),
		Call::Restaking(pallet_restaking::Call::add_strategy {
			kind: pallet_restaking::StrategyKind::Asset(BRIDGED_ASSET),
			deposit_cap: 1_000_000 * ETHER,
			per_staker_cap: 100_000 * ETHER,
		}),
	]
}

/// The scene the random calls start from, block by block (signer, call), every call expected to
/// succeed: actors 1–3 operators, actor 4 an AVS with a vetoable sr25519 set taking wstETH and
/// the bridged token, its own slasher, a KSN reward budget; actors 5–8 restake wstETH with the
/// operators, who join the set and allocate half. Random use then meets live allocations,
/// slashable operators and rewards instead of having to build them by chance.
pub fn scenario(actors: &[Actor]) -> Vec<Vec<(usize, Call)>> {
	use pallet_avs_registry::Call as A;
	use pallet_restaking::Call as R;
	let set = OperatorSetId { avs: 0, index: 0 };
	let (wsteth, bridged) = (1, 4);
	let operators = [1usize, 2, 3];
	let join = |i: usize| {
		let payload =
			proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, &actors[i].id);
		Call::AvsRegistry(A::register_for_operator_set {
			set,
			key: OperatorKey::Sr25519(actors[i].avs.public()),
			proof: OperatorSignature::Sr25519(actors[i].avs.sign(&payload)),
		})
	};
	let mut first: Vec<(usize, Call)> = operators
		.iter()
		.map(|i| {
			(
				*i,
				Call::Restaking(R::register_operator {
					commission: Perbill::from_percent(5),
					metadata: b"ipfs://operator".to_vec().try_into().unwrap(),
					approval_required: false,
				}),
			)
		})
		.collect();
	first.push((4, Call::AvsRegistry(A::register_avs { metadata_uri: b"ipfs://avs".to_vec() })));
	first.push((
		4,
		Call::AvsRegistry(A::create_operator_set {
			avs: 0,
			config: pallet_avs_registry::OperatorSetConfig {
				strategies: vec![(wsteth, 0), (bridged, 0)].try_into().unwrap(),
				max_operators: 16,
				key_type: KeyType::Sr25519,
				allowlist: false,
				terms: SlashingTerms {
					mode: SlashExecution::Veto { window: MINUTES },
					max_slash_per_epoch: WAD / 2,
					slashed_funds: SlashDestination::Burn,
					equivocation_penalty: WAD / 10,
				},
			},
		}),
	));
	first.push((
		4,
		Call::Slashing(pallet_slashing::Call::set_slasher {
			avs: 0,
			slasher: Some(actors[4].id.clone()),
		}),
	));
	first.push((
		4,
		Call::AvsRegistry(A::fund_rewards {
			set,
			asset: NativeOrWithId::Native,
			amount: 10_000 * UNIT,
			per_era: 100 * UNIT,
		}),
	));
	let mut second = Vec::new();
	for staker in 5..=8usize {
		second
			.push((staker, Call::Restaking(R::deposit { strategy: wsteth, amount: 100 * ETHER })));
		second.push((
			staker,
			Call::Restaking(R::delegate_to { operator: actors[operators[staker % 3]].id.clone() }),
		));
	}
	let mut third = Vec::new();
	for i in operators {
		third.push((i, join(i)));
		third.push((
			i,
			Call::Restaking(R::modify_allocation { set, strategy: wsteth, magnitude: WAD / 2 }),
		));
	}
	vec![first, second, third]
}

pub fn sudo(call: Call) -> Call {
	Call::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

fn ksn(d: &mut Dice) -> Option<u128> {
	let units = [0, 1, 10, 100, 1_000, 10_000, 100_000, 5_000_000];
	let base = d.pick(&units)?;
	// Sometimes an odd amount, sometimes dust around the existential deposit.
	Some(match d.below(4)? {
		0 => base * UNIT + d.below(1_000)? as u128 * (UNIT / 1_000),
		1 => d.below(20)? as u128 * (UNIT / 1_000),
		_ => base * UNIT,
	})
}

fn lst(d: &mut Dice) -> Option<u128> {
	let units = [0, 1, 5, 20, 100, 500, 2_000];
	Some(d.pick(&units)? * ETHER + d.below(1_000)? as u128 * (ETHER / 1_000))
}

fn magnitude(d: &mut Dice) -> Option<u128> {
	d.pick(&[0, WAD / 100, WAD / 20, WAD / 10, WAD / 4, WAD / 2, WAD, WAD + 1])
}

fn perbill(d: &mut Dice) -> Option<Perbill> {
	Some(Perbill::from_percent(d.pick(&[0, 1, 5, 10, 50, 100])?))
}

/// Actors that do most of the acting, so that they meet: an AVS's slasher is often the one
/// who requests its slashes, an operator the one stakers delegate to.
const CORE_ACTORS: usize = 8;

/// An actor: one of the first [`CORE_ACTORS`] most of the time, anyone otherwise.
fn actor(d: &mut Dice, actors: &[Actor]) -> Option<usize> {
	if d.chance(70)? {
		d.below(CORE_ACTORS.min(actors.len()))
	} else {
		d.below(actors.len())
	}
}

fn account(d: &mut Dice, actors: &[Actor]) -> Option<AccountId> {
	Some(actors[actor(d, actors)?].id.clone())
}

/// One of `known`, `percent` times in a hundred when there is one, else `otherwise`'s pick
/// (an arbitrary, often unknown, value): most calls can succeed, some cannot.
fn mostly<T: Clone>(
	d: &mut Dice,
	percent: usize,
	known: Vec<T>,
	otherwise: impl FnOnce(&mut Dice) -> Option<T>,
) -> Option<T> {
	if d.chance(percent)? && !known.is_empty() {
		d.pick(&known)
	} else {
		otherwise(d)
	}
}

/// One of `known` most of the time, any actor otherwise.
fn target(d: &mut Dice, actors: &[Actor], known: Vec<AccountId>) -> Option<AccountId> {
	mostly(d, 85, known, |d| account(d, actors))
}

fn strategy(d: &mut Dice) -> Option<StrategyId> {
	d.below(pallet_restaking::NextStrategyId::<Runtime>::get() as usize + 1).map(|s| s as u32)
}

fn reward_asset(d: &mut Dice) -> Option<NativeOrWithId<u32>> {
	Some(match d.below(LST_ASSETS.len() + 2)? {
		0 | 1 => NativeOrWithId::Native,
		i => NativeOrWithId::WithId(LST_ASSETS[i - 2]),
	})
}

fn sets() -> Vec<OperatorSetId> {
	pallet_avs_registry::OperatorSets::<Runtime>::iter_keys().collect()
}

fn set(d: &mut Dice) -> Option<OperatorSetId> {
	mostly(d, 90, sets(), |d| {
		let avs = any_avs(d)?;
		Some(OperatorSetId { avs, index: d.below(3)? as u32 })
	})
}

/// An AVS id up to the next one (unknown).
fn any_avs(d: &mut Dice) -> Option<u32> {
	Some(d.below(pallet_avs_registry::NextAvsId::<Runtime>::get() as usize + 1)? as u32)
}

fn owned_avs(d: &mut Dice, who: &AccountId) -> Option<u32> {
	let owned: Vec<u32> = pallet_avs_registry::AvsRecords::<Runtime>::iter()
		.filter(|(_, avs)| &avs.owner == who)
		.map(|(id, _)| id)
		.collect();
	mostly(d, 90, owned, any_avs)
}

/// A set `wanted` holds for, most of the time, else any set (or an unknown one).
fn set_where(d: &mut Dice, wanted: impl Fn(&OperatorSetId) -> bool) -> Option<OperatorSetId> {
	let matching: Vec<OperatorSetId> = sets().into_iter().filter(|s| wanted(s)).collect();
	mostly(d, 85, matching, set)
}

/// Whether `who` may request slashes for `set`: its AVS's owner or designated slasher.
fn may_slash(who: &AccountId, set: &OperatorSetId) -> bool {
	pallet_slashing::Slashers::<Runtime>::get(set.avs).is_some_and(|(slasher, _)| &slasher == who)
		|| owns_set(who, set)
}

fn owns_set(who: &AccountId, set: &OperatorSetId) -> bool {
	pallet_avs_registry::AvsRecords::<Runtime>::get(set.avs).is_some_and(|a| &a.owner == who)
}

/// A pending slash most of the time, else any id (or the next, unknown one).
fn pending_slash_id(d: &mut Dice) -> Option<u64> {
	let ids: Vec<u64> = pallet_slashing::Slashes::<Runtime>::iter()
		.filter(|(_, r)| r.status == kasane_primitives::slashing::SlashStatus::Pending)
		.map(|(id, _)| id)
		.collect();
	mostly(d, 85, ids, |d| {
		Some(d.below(pallet_slashing::NextSlashId::<Runtime>::get() as usize + 1)? as u64)
	})
}

fn members(set: OperatorSetId) -> Vec<AccountId> {
	pallet_avs_registry::Members::<Runtime>::iter_key_prefix(set).collect()
}

fn candidates() -> Vec<AccountId> {
	pallet_native_staking::Validators::<Runtime>::iter_keys().collect()
}

fn operators() -> Vec<AccountId> {
	pallet_restaking::Operators::<Runtime>::iter_keys().collect()
}

fn terms(d: &mut Dice, actors: &[Actor]) -> Option<SlashingTerms<AccountId, u32>> {
	Some(SlashingTerms {
		mode: if d.chance(50)? {
			SlashExecution::Instant
		} else {
			SlashExecution::Veto { window: d.pick(&[0, 1, MINUTES / 2, MINUTES, 2 * MINUTES])? }
		},
		max_slash_per_epoch: magnitude(d)?,
		slashed_funds: if d.chance(50)? {
			SlashDestination::Burn
		} else {
			SlashDestination::To(account(d, actors)?)
		},
		equivocation_penalty: magnitude(d)?,
	})
}

/// Evidence that `operator`'s AVS key signed two payloads for one round of `set` (valid when
/// `honest_key` is its registered key and `conflicting`; otherwise refused).
fn equivocation(
	d: &mut Dice,
	actors: &[Actor],
	set: OperatorSetId,
	operator: AccountId,
) -> Option<Call> {
	let signer = actors.iter().find(|a| a.id == operator).map(|a| &a.avs);
	let other = &actors[actor(d, actors)?].avs;
	let key = if d.chance(80)? { signer.unwrap_or(other) } else { other };
	let genesis = AvsRegistry::genesis_hash();
	let round = d.below(1_000)? as u64;
	let a = AvsMessage { set, round, payload_hash: [1; 32] };
	let b = AvsMessage {
		set,
		round: if d.chance(90)? { round } else { round + 1 },
		payload_hash: if d.chance(90)? { [2; 32] } else { [1; 32] },
	};
	let sa = OperatorSignature::Sr25519(key.sign(&a.signing_payload(&genesis)));
	let sb = OperatorSignature::Sr25519(key.sign(&b.signing_payload(&genesis)));
	Some(Call::Slashing(pallet_slashing::Call::report_equivocation {
		set,
		operator,
		message_a: a,
		signature_a: sa,
		message_b: b,
		signature_b: sb,
	}))
}

/// The GRANDPA key pair behind `key`, if the simulation holds it: Alice's genesis key, or an
/// actor's session key.
fn grandpa_pair(actors: &[Actor], key: &GrandpaId) -> Option<ed25519::Pair> {
	let alice = sp_keyring::Ed25519Keyring::Alice.pair();
	core::iter::once(alice)
		.chain(actors.iter().map(|a| a.grandpa))
		.find(|pair| GrandpaId::from(pair.public()) == *key)
}

/// Evidence that a GRANDPA authority prevoted for two blocks in one round of the current set,
/// signed with its key and with the proof that the current session holds that key (valid when
/// the votes differ; otherwise refused). Reported, it is an offence native staking slashes,
/// deferred: root can cancel it until its era.
fn grandpa_equivocation(d: &mut Dice, actors: &[Actor]) -> Option<Call> {
	use frame_support::traits::KeyOwnerProofSystem;
	let authorities: Vec<(GrandpaId, ed25519::Pair)> =
		kasane_runtime::Grandpa::grandpa_authorities()
			.into_iter()
			.filter_map(|(id, _)| grandpa_pair(actors, &id).map(|pair| (id, pair)))
			.collect();
	let (key, pair) = d.pick(&authorities)?;
	let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
	let round = 1 + d.below(1_000)? as u64;
	let number = kasane_runtime::System::block_number();
	let vote = |hash: u8| finality_grandpa::Prevote {
		target_hash: H256::repeat_byte(hash),
		target_number: number,
	};
	let (first, second) = (vote(1), if d.chance(90)? { vote(2) } else { vote(1) });
	let sign = |prevote: &finality_grandpa::Prevote<H256, u32>| {
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			set_id,
			&finality_grandpa::Message::<H256, u32>::Prevote(prevote.clone()),
		);
		GrandpaSignature::from(pair.sign(&payload))
	};
	let equivocation = finality_grandpa::Equivocation {
		round_number: round,
		identity: key.clone(),
		first: (first.clone(), sign(&first)),
		second: (second.clone(), sign(&second)),
	};
	let key_owner_proof =
		kasane_runtime::Historical::prove((sp_consensus_grandpa::KEY_TYPE, key.clone()))?;
	Some(Call::Grandpa(pallet_grandpa::Call::report_equivocation {
		equivocation_proof: Box::new(sp_consensus_grandpa::EquivocationProof::new(
			set_id,
			sp_consensus_grandpa::Equivocation::Prevote(equivocation),
		)),
		key_owner_proof,
	}))
}

fn attester_signature(attester: &ecdsa::Pair, digest: &[u8; 32]) -> EthSignature {
	EthSignature(attester.sign_prehashed(digest).0)
}

/// `digest` signed by one of the bridge's attesters, drawn at random.
fn any_attester_signs(
	d: &mut Dice,
	attesters: &[ecdsa::Pair],
	digest: &[u8; 32],
) -> Option<EthSignature> {
	Some(attester_signature(&attesters[d.below(ATTESTERS)?], digest))
}

/// The next extrinsic of a block: (signer, call). Mostly an actor's random [`call`] (root's
/// calls signed by the sudo key); sometimes an AVS's slasher requesting a slash it may make,
/// so that slashes are pending often enough for root's vetoes and their windows' ends to meet
/// them (a random signer rarely holds a set's slasher role).
pub fn extrinsic(
	d: &mut Dice,
	actors: &[Actor],
	attesters: &[ecdsa::Pair],
	eth: &mut Ethereum,
) -> Option<(usize, Call)> {
	if d.chance(3)? {
		if let Some(request) = slasher_request(d, actors)? {
			return Some(request);
		}
	}
	if d.chance(2)? {
		if let Some(designated) = designated(d, actors)? {
			return Some(designated);
		}
	}
	let signer = actor(d, actors)?;
	let call = call(d, actors, attesters, eth, signer, 2)?;
	// Root's calls come from the sudo key (inside a batch they fail: `RequireSudo`).
	let signer = if matches!(call, Call::Sudo(_)) { 0 } else { signer };
	Some((signer, call))
}

/// A call only one actor may make, by it: a pending AVS owner accepting the AVS, the bridge's
/// guardian pausing it (`Some(None)` when no actor holds such a role).
fn designated(d: &mut Dice, actors: &[Actor]) -> Option<Option<(usize, Call)>> {
	let index_of = |who: &AccountId| actors.iter().position(|a| a.id == *who);
	let mut calls: Vec<(usize, Call)> = pallet_avs_registry::AvsRecords::<Runtime>::iter()
		.filter_map(|(avs, record)| {
			let signer = index_of(record.pending_owner.as_ref()?)?;
			Some((
				signer,
				Call::AvsRegistry(pallet_avs_registry::Call::accept_avs_ownership { avs }),
			))
		})
		.collect();
	// Now and then: the bridge spends most of its time running, as the paths behind it need.
	if let Some(signer) = pallet_lst_bridge::Guardian::<Runtime>::get().and_then(|g| index_of(&g)) {
		if d.chance(5)? {
			calls.push((signer, Call::LstBridge(pallet_lst_bridge::Call::pause {})));
		}
	}
	if calls.is_empty() {
		return Some(None);
	}
	Some(Some(d.pick(&calls)?))
}

/// A slash request by an actor who may slash a set with members, of one of them, for a small
/// fraction (so that a set's per-epoch cap allows many): `Some(None)` when nobody may.
fn slasher_request(d: &mut Dice, actors: &[Actor]) -> Option<Option<(usize, Call)>> {
	let mut requests = Vec::new();
	for set in sets() {
		let members = members(set);
		if members.is_empty() {
			continue;
		}
		for (i, actor) in actors.iter().enumerate() {
			if may_slash(&actor.id, &set) {
				requests.push((i, set, members.clone()));
			}
		}
	}
	if requests.is_empty() {
		return Some(None);
	}
	let (signer, set, members) = d.pick(&requests)?;
	Some(Some((
		signer,
		Call::Slashing(pallet_slashing::Call::request_slash {
			operator: d.pick(&members)?,
			set,
			fraction: d.pick(&[WAD / 1_000, WAD / 100, WAD / 20])?,
			reason_uri: b"ipfs://evidence".to_vec().try_into().unwrap(),
		}),
	)))
}

/// A random call for `signer` to submit (`depth` > 0 allows batches and proxies around
/// further calls), drawing targets from the current state.
pub fn call(
	d: &mut Dice,
	actors: &[Actor],
	attesters: &[ecdsa::Pair],
	eth: &mut Ethereum,
	signer: usize,
	depth: u8,
) -> Option<Call> {
	let me = actors[signer].id.clone();
	// Weights per area: balances, utility/proxy, native staking, restaking, AVS registry,
	// slashing, bridge, root.
	let area = d.weighted(&[6, if depth > 0 { 4 } else { 0 }, 18, 22, 16, 10, 10, 4])?;
	Some(match area {
		0 => {
			let dest = account(d, actors)?.into();
			match d.below(8)? {
				0 => Call::Balances(pallet_balances::Call::transfer_allow_death {
					dest,
					value: ksn(d)?,
				}),
				1 => Call::Balances(pallet_balances::Call::transfer_all {
					dest,
					keep_alive: d.chance(80)?,
				}),
				_ => Call::Balances(pallet_balances::Call::transfer_keep_alive {
					dest,
					value: ksn(d)?,
				}),
			}
		}
		1 => match d.below(5)? {
			0..=2 => {
				let n = 1 + d.below(3)?;
				let mut calls = Vec::new();
				for _ in 0..n {
					calls.push(call(d, actors, attesters, eth, signer, depth - 1)?);
				}
				match d.below(3)? {
					0 => Call::Utility(pallet_utility::Call::batch { calls }),
					1 => Call::Utility(pallet_utility::Call::batch_all { calls }),
					_ => Call::Utility(pallet_utility::Call::force_batch { calls }),
				}
			}
			3 => Call::Proxy(pallet_proxy::Call::add_proxy {
				delegate: account(d, actors)?.into(),
				proxy_type: if d.chance(50)? {
					kasane_runtime::configs::ProxyType::Any
				} else {
					kasane_runtime::configs::ProxyType::NonTransfer
				},
				delay: 0,
			}),
			_ => {
				// Act for someone who made `signer` its proxy, if anyone did.
				let real = pallet_proxy::Proxies::<Runtime>::iter()
					.find(|(_, (proxies, _))| proxies.iter().any(|p| p.delegate == me))
					.map(|(real, _)| real)
					.map_or_else(|| account(d, actors), Some)?;
				let inner = call(d, actors, attesters, eth, signer, depth - 1)?;
				Call::Proxy(pallet_proxy::Call::proxy {
					real: real.into(),
					force_proxy_type: None,
					call: Box::new(inner),
				})
			}
		},
		2 => native_staking(d, actors, signer)?,
		3 => restaking(d, actors, &me)?,
		4 => avs(d, actors, signer)?,
		5 => slashing(d, actors, &me)?,
		6 => bridge(d, actors, attesters, eth)?,
		_ => root(d, actors)?,
	})
}

fn native_staking(d: &mut Dice, actors: &[Actor], signer: usize) -> Option<Call> {
	use pallet_native_staking::Call as S;
	Some(Call::Staking(match d.weighted(&[6, 3, 4, 2, 3, 3, 1, 8, 2, 2, 4, 1, 2])? {
		0 => S::bond { value: ksn(d)? },
		1 => S::bond_extra { value: ksn(d)? },
		2 => S::unbond { value: ksn(d)? },
		3 => S::rebond { value: ksn(d)? },
		4 => S::withdraw_unbonded {},
		5 => S::validate { commission: perbill(d)? },
		6 => S::chill {},
		7 => S::delegate { validator: target(d, actors, candidates())?, value: ksn(d)? },
		8 => S::undelegate {},
		9 => S::redelegate { to: target(d, actors, candidates())? },
		10 => S::claim_rewards {},
		11 => S::set_reward_destination {
			destination: if d.chance(50)? {
				pallet_native_staking::RewardDestination::Stake
			} else {
				pallet_native_staking::RewardDestination::Free
			},
		},
		_ => {
			// A candidate needs session keys to be elected: set them (or purge them).
			if d.chance(80)? {
				let (keys, proof) = actors[signer].session_keys();
				return Some(Call::Session(pallet_session::Call::set_keys { keys, proof }));
			}
			S::settle { who: account(d, actors)? }
		}
	}))
}

fn restaking(d: &mut Dice, actors: &[Actor], me: &AccountId) -> Option<Call> {
	use pallet_restaking::Call as R;
	let view = Restaking::staker_view(me);
	Some(Call::Restaking(match d.weighted(&[3, 1, 1, 10, 6, 2, 2, 6, 6, 1, 8, 1, 4, 1])? {
		0 => R::register_operator {
			commission: perbill(d)?,
			metadata: b"ipfs://operator".to_vec().try_into().unwrap(),
			approval_required: d.chance(15)?,
		},
		1 => R::update_operator {
			commission: if d.chance(50)? { Some(perbill(d)?) } else { None },
			metadata: None,
			approval_required: if d.chance(50)? { Some(d.chance(50)?) } else { None },
		},
		2 => R::deregister_operator {},
		3 => {
			let strategy = strategy(d)?;
			let amount = if d.chance(15)? {
				// All but a little: the rest is sometimes below the asset's minimum balance.
				let balance = pallet_restaking::Strategies::<Runtime>::get(strategy)
					.and_then(|s| match s.kind {
						pallet_restaking::StrategyKind::Asset(asset) => Some(asset),
						pallet_restaking::StrategyKind::Native => None,
					})
					.map_or(0, |asset| pallet_assets::Pallet::<Runtime>::balance(asset, me));
				balance.saturating_sub(d.below(3_000_000_000)? as u128)
			} else {
				lst(d)?
			};
			R::deposit { strategy, amount }
		}
		4 => R::delegate_to { operator: target(d, actors, operators())? },
		5 => R::undelegate {},
		6 => R::redelegate { operator: target(d, actors, operators())? },
		7 => {
			let position = d.pick(&view.positions);
			let (strategy, shares) = match position {
				Some(p) => (
					p.strategy,
					match d.below(4)? {
						0 => p.deposit_shares,
						1 => p.deposit_shares / 2,
						2 => p.deposit_shares + 1,
						_ => p.deposit_shares / 10,
					},
				),
				None => (strategy(d)?, lst(d)?),
			};
			R::queue_withdrawal { strategy, shares }
		}
		8 => {
			let id = match d.pick(&view.withdrawals) {
				Some(w) => w.id,
				None => d.below(4)? as u64,
			};
			R::complete_withdrawal { id }
		}
		9 => {
			// Someone's redeposit (from `redelegate`/`undelegate`) most of the time.
			let redeposits: Vec<(AccountId, u64)> = pallet_restaking::Stakers::<Runtime>::iter()
				.flat_map(|(staker, record)| {
					record
						.withdrawals
						.into_iter()
						.filter(|w| w.kind == pallet_restaking::WithdrawalKind::Redeposit)
						.map(move |w| (staker.clone(), w.id))
				})
				.collect();
			let (staker, id) =
				mostly(d, 85, redeposits, |d| Some((account(d, actors)?, d.below(4)? as u64)))?;
			R::complete_redeposit { staker, id }
		}
		10 => {
			R::modify_allocation { set: set(d)?, strategy: strategy(d)?, magnitude: magnitude(d)? }
		}
		11 => {
			R::clear_pending_allocations { operator: account(d, actors)?, strategy: strategy(d)? }
		}
		12 => {
			let mine: Vec<StrategyId> = view.positions.iter().map(|p| p.strategy).collect();
			let strategy = mostly(d, 85, mine, strategy)?;
			let owed: Vec<_> =
				pallet_restaking::RewardsOutstanding::<Runtime>::iter_keys().collect();
			let asset = mostly(d, 85, owed, reward_asset)?;
			R::claim_rewards { strategy, asset }
		}
		_ => R::set_delegation_approval { staker: account(d, actors)?, approved: d.chance(70)? },
	}))
}

fn avs(d: &mut Dice, actors: &[Actor], signer: usize) -> Option<Call> {
	use pallet_avs_registry::Call as A;
	let me = actors[signer].id.clone();
	Some(Call::AvsRegistry(match d.weighted(&[3, 4, 10, 3, 1, 1, 4, 2, 1, 1, 1, 1, 1, 1])? {
		0 => A::register_avs { metadata_uri: b"ipfs://avs".to_vec() },
		1 => {
			let n = 1 + d.below(3)?;
			let mut strategies = Vec::new();
			for _ in 0..n {
				let s = strategy(d)?;
				if !strategies.iter().any(|(x, _)| *x == s) {
					strategies.push((s, if d.chance(80)? { 0 } else { lst(d)? }));
				}
			}
			A::create_operator_set {
				avs: owned_avs(d, &me)?,
				config: pallet_avs_registry::OperatorSetConfig {
					strategies: strategies.try_into().ok()?,
					max_operators: 1 + d.below(16)? as u32,
					key_type: if d.chance(90)? { KeyType::Sr25519 } else { KeyType::Ecdsa },
					allowlist: d.chance(10)?,
					terms: terms(d, actors)?,
				},
			}
		}
		2 => {
			let set = set(d)?;
			let key = &actors[if d.chance(90)? { signer } else { actor(d, actors)? }].avs;
			let payload = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, &me);
			A::register_for_operator_set {
				set,
				key: OperatorKey::Sr25519(key.public()),
				proof: OperatorSignature::Sr25519(key.sign(&payload)),
			}
		}
		3 => A::deregister_from_operator_set {
			set: set_where(d, |s| pallet_avs_registry::Members::<Runtime>::contains_key(s, &me))?,
		},
		4 => {
			let set = set_where(d, |s| owns_set(&me, s))?;
			A::eject_operator { set, operator: target(d, actors, members(set))? }
		}
		5 => {
			let set = set(d)?;
			A::purge_departed { set, operator: target(d, actors, members(set))? }
		}
		6 => A::fund_rewards {
			set: set_where(d, |s| owns_set(&me, s))?,
			asset: reward_asset(d)?,
			amount: if d.chance(50)? { ksn(d)? } else { lst(d)? },
			per_era: if d.chance(50)? { ksn(d)? / 10 } else { lst(d)? / 10 },
		},
		7 => A::cancel_rewards { set: set(d)?, asset: reward_asset(d)? },
		8 => A::update_slashing_terms { set: set(d)?, terms: terms(d, actors)? },
		9 => {
			A::set_allowlist { set: set(d)?, operator: account(d, actors)?, allowed: d.chance(70)? }
		}
		10 => A::transfer_avs_ownership { avs: owned_avs(d, &me)?, new_owner: account(d, actors)? },
		11 => A::accept_avs_ownership { avs: any_avs(d)? },
		12 => A::update_avs_metadata {
			avs: owned_avs(d, &me)?,
			// Now and then longer than the registry keeps.
			metadata_uri: vec![b'm'; if d.chance(90)? { 32 } else { 1_000 }],
		},
		_ => A::deregister_avs { avs: owned_avs(d, &me)? },
	}))
}

fn slashing(d: &mut Dice, actors: &[Actor], me: &AccountId) -> Option<Call> {
	use pallet_slashing::Call as L;
	if d.chance(10)? {
		return grandpa_equivocation(d, actors);
	}
	Some(Call::Slashing(match d.weighted(&[3, 8, 3, 3])? {
		0 => L::set_slasher {
			avs: owned_avs(d, me)?,
			slasher: match d.below(10)? {
				0 => None,
				1..=5 => Some(me.clone()),
				_ => Some(account(d, actors)?),
			},
		},
		1 => {
			let set = set_where(d, |s| may_slash(me, s))?;
			L::request_slash {
				operator: target(d, actors, members(set))?,
				set,
				fraction: magnitude(d)?,
				reason_uri: b"ipfs://evidence".to_vec().try_into().unwrap(),
			}
		}
		2 => L::execute_slash { id: pending_slash_id(d)? },
		_ => {
			let set = set(d)?;
			let operator = target(d, actors, members(set))?;
			return equivocation(d, actors, set, operator);
		}
	}))
}

fn bridge(
	d: &mut Dice,
	actors: &[Actor],
	attesters: &[ecdsa::Pair],
	eth: &mut Ethereum,
) -> Option<Call> {
	use pallet_lst_bridge::Call as B;
	let domain = LstBridge::domain().expect("root set the bridge up in the first block");
	Some(Call::LstBridge(match d.weighted(&[4, 10, 4, 6, 1, 4, 3, 3, 2, 3, 2, 1, 3, 1, 2, 1])? {
		0 => {
			// A deposit appears on the vault.
			eth.next_nonce += 1;
			let recipient: [u8; 32] = if d.chance(90)? {
				*AsRef::<[u8; 32]>::as_ref(&account(d, actors)?)
			} else {
				[7u8; 32]
			};
			let message = DepositMessage {
				nonce: eth.next_nonce,
				token: TOKEN,
				depositor: H160::repeat_byte(0xd0),
				recipient,
				amount: lst(d)?,
				eth_block_hash: H256::from_low_u64_be(eth.next_nonce),
			};
			eth.deposits.push(message);
			keep_latest(&mut eth.recent, message);
			let evidence = any_attester_signs(d, attesters, &domain.deposit_digest(&message))?;
			B::attest_deposit { deposit: message, evidence }
		}
		1 => {
			let Some(deposit) = d.pick(&eth.deposits) else {
				return bridge(d, actors, attesters, eth);
			};
			let evidence = any_attester_signs(d, attesters, &domain.deposit_digest(&deposit))?;
			B::attest_deposit { deposit, evidence }
		}
		2 => B::withdraw_to_ethereum {
			asset: BRIDGED_ASSET,
			amount: lst(d)?,
			recipient: H160::repeat_byte(0xee),
		},
		3 => {
			let last = pallet_lst_bridge::LastWithdrawalNonce::<Runtime>::get();
			let nonce = 1 + d.below(last as usize + 1)? as u64;
			let digest = LstBridge::withdrawal_view(nonce).map(|v| v.digest.0).unwrap_or([0; 32]);
			B::attest_withdrawal { nonce, signature: any_attester_signs(d, attesters, &digest)? }
		}
		4 => B::retry_deposit { nonce: 1 + d.below(eth.next_nonce as usize + 1)? as u64 },
		5 => {
			// An attester signs the header of a deposit's or a rate report's block.
			let header = if !eth.rates.is_empty() && d.chance(40)? {
				rate_block(&latest_rate(d, eth)?).0
			} else {
				let Some(deposit) = d.pick(&eth.deposits) else {
					return bridge(d, actors, attesters, eth);
				};
				deposit_block(&deposit).0
			};
			let signature = any_attester_signs(d, attesters, &domain.header_digest(&header))?;
			B::attest_header { header, signature }
		}
		7 => {
			// The beacon chain finalizes a deposit's block (the light-client update is taken
			// as given: its BLS checks are the runtime tests' and Snowbridge's) and anyone
			// proves the deposit under it, now and then with the execution proof tampered.
			let Some(deposit) = d.pick(&eth.deposits) else {
				return bridge(d, actors, attesters, eth);
			};
			let proof = beacon_finalized(d, eth, deposit_block(&deposit))?;
			B::prove_deposit_beacon { deposit, proof }
		}
		8 => {
			// The vault reports a rate (now and then a stale one, or a move past the bound)
			// and an attester signs it.
			let report = rate_report(d, eth)?;
			let evidence = any_attester_signs(d, attesters, &domain.rate_digest(&report))?;
			B::attest_rate { report, evidence }
		}
		9 => {
			let Some(report) = latest_rate(d, eth) else {
				return bridge(d, actors, attesters, eth);
			};
			let evidence = any_attester_signs(d, attesters, &domain.rate_digest(&report))?;
			B::attest_rate { report, evidence }
		}
		10 => {
			let Some(report) = latest_rate(d, eth) else {
				return bridge(d, actors, attesters, eth);
			};
			let (_, mut proof) = rate_block(&report);
			sometimes_tamper(d, &mut proof)?;
			B::prove_rate { report, proof }
		}
		11 => {
			let Some(report) = latest_rate(d, eth) else {
				return bridge(d, actors, attesters, eth);
			};
			let proof = beacon_finalized(d, eth, rate_block(&report))?;
			B::prove_rate_beacon { report, proof }
		}
		12 => {
			// A dishonest attester signs another content for a deposit's nonce (mostly one
			// still open, so that a quorum for the real one may follow and contradict it), or
			// another receipts root for a deposit's block.
			let open = eth.deposits.clone();
			let Some(mut deposit) = mostly(d, 80, open, |d| d.pick(&eth.recent)) else {
				return bridge(d, actors, attesters, eth);
			};
			let key = &attesters[d.below(ATTESTERS)?];
			if d.chance(30)? {
				let (mut header, _) = deposit_block(&deposit);
				header.receipts_root = H256::from_low_u64_be(1 + d.below(3)? as u64);
				let digest = domain.header_digest(&header);
				B::attest_header { header, signature: attester_signature(key, &digest) }
			} else {
				deposit.amount = deposit.amount.saturating_add(1 + d.below(1_000)? as u128);
				let digest = domain.deposit_digest(&deposit);
				B::attest_deposit { deposit, evidence: attester_signature(key, &digest) }
			}
		}
		13 => {
			// A recorded attester reported by its key (as the `attester_key` view finds it);
			// now and then a record it is not named in, or a number with no record.
			let key_of = |address: H160| {
				attesters
					.iter()
					.map(|k| k.public())
					.find(|k| {
						kasane_primitives::bridge::eth_address_of_compressed(&k.0) == Some(address)
					})
					.unwrap_or_else(|| ecdsa::Pair::from_seed(&[0xbb; 32]).public())
			};
			let headers = d.chance(30)?;
			let recorded: Vec<(u64, H160)> = if headers {
				pallet_lst_bridge::HeaderContradictions::<Runtime>::iter()
					.flat_map(|(number, c)| c.attesters.into_iter().map(move |a| (number, a)))
					.collect()
			} else {
				pallet_lst_bridge::Contradictions::<Runtime>::iter()
					.flat_map(|(nonce, c)| c.attesters.into_iter().map(move |a| (nonce, a)))
					.collect()
			};
			let (round, attester) = mostly(d, 90, recorded, |d| {
				Some((1 + d.below(eth.next_nonce as usize + 1)? as u64, H160::repeat_byte(0xbb)))
			})?;
			let key = key_of(attester);
			if headers {
				B::report_header_contradiction { number: round, key }
			} else {
				B::report_contradiction { nonce: round, key }
			}
		}
		14 => {
			// The vault pays a withdrawal out, and an attester signs its `Released` event.
			let last = pallet_lst_bridge::LastWithdrawalNonce::<Runtime>::get();
			let ready: Vec<_> = (1..=last)
				.filter_map(LstBridge::withdrawal_view)
				.filter(|v| v.ready || v.released)
				.map(|v| v.withdrawal)
				.collect();
			let Some(withdrawal) = d.pick(&ready) else {
				return bridge(d, actors, attesters, eth);
			};
			let receipt = ReleaseReceipt {
				withdrawal,
				beneficiary: *AsRef::<[u8; 32]>::as_ref(&account(d, actors)?),
			};
			let signature = any_attester_signs(d, attesters, &domain.released_digest(&receipt))?;
			B::attest_release { receipt, signature }
		}
		15 => {
			let open: Vec<u64> = pallet_lst_bridge::HeaderTallies::<Runtime>::iter_keys().collect();
			B::drop_header_tally {
				number: mostly(
					d,
					90,
					open,
					|d| Some(d.below(eth.next_nonce as usize + 2)? as u64),
				)?,
			}
		}
		_ => {
			// Anyone proves a deposit, now and then with a proof tampered with.
			let Some(deposit) = d.pick(&eth.deposits) else {
				return bridge(d, actors, attesters, eth);
			};
			let (_, mut proof) = deposit_block(&deposit);
			sometimes_tamper(d, &mut proof)?;
			B::prove_deposit { deposit, proof }
		}
	}))
}

/// The block the simulated Ethereum put `deposit` in (one block per deposit, numbered as its
/// nonce), whose only transaction made it: its header and the proof of the deposit's event.
fn deposit_block(deposit: &DepositMessage) -> (EthHeader, ReceiptProof) {
	block_of(encode::deposit_log(&endpoint().vault, deposit), deposit.nonce, deposit.eth_block_hash)
}

/// Flips a bit of `proof`'s first node one time in ten (a forged proof must be refused).
fn sometimes_tamper(d: &mut Dice, proof: &mut ReceiptProof) -> Option<()> {
	if d.chance(10)? {
		let at = d.below(proof.nodes[0].len())?;
		proof.nodes[0][at] ^= 1 << d.below(8)?;
	}
	Some(())
}

/// Appends `event`, forgetting the oldest past [`KEPT_EVENTS`].
fn keep_latest<T>(events: &mut Vec<T>, event: T) {
	events.push(event);
	if events.len() > KEPT_EVENTS {
		events.remove(0);
	}
}

/// The block of rate report `report`, as [`deposit_block`].
fn rate_block(report: &RateReport) -> (EthHeader, ReceiptProof) {
	block_of(
		encode::rate_log(&endpoint().vault, report),
		report.eth_block_number,
		report.eth_block_hash,
	)
}

fn block_of(
	log: kasane_primitives::bridge::proof::EthLog,
	number: u64,
	hash: H256,
) -> (EthHeader, ReceiptProof) {
	let receipt = encode::encode_receipt(2, true, 60_000, &[0; 256], &[log]);
	let (root, proof) = encode::single_receipt_block(0, 0, &receipt).expect("a small receipt");
	(EthHeader { number, hash, receipts_root: root }, proof)
}

/// The beacon chain finalizes `block` (the light-client update is taken as given: its BLS
/// checks are the runtime tests' and Snowbridge's): the proof of its receipt under it, now
/// and then with the execution branch tampered with.
fn beacon_finalized(
	d: &mut Dice,
	eth: &mut Ethereum,
	(header, receipt): (EthHeader, ReceiptProof),
) -> Option<Box<beacon::BeaconReceiptProof>> {
	eth.beacon_slot += 1;
	let (mut execution, beacon_header) = beacon::encode::finalized_execution_proof(
		eth.beacon_slot,
		header.number,
		header.hash,
		header.receipts_root,
	);
	EthereumBeaconClient::store_finalized_header(beacon_header, H256::zero())
		.expect("a beacon header has an SSZ root");
	if d.chance(10)? {
		let at = d.below(execution.execution_branch.len())?;
		execution.execution_branch[at].0[d.below(32)?] ^= 1 << d.below(8)?;
	}
	Some(Box::new(beacon::BeaconReceiptProof { receipt, execution }))
}

/// Mostly the vault's latest rate report (the only one the bridge may still take), now and
/// then an older one.
fn latest_rate(d: &mut Dice, eth: &Ethereum) -> Option<RateReport> {
	let latest = eth.rates.last().copied().into_iter().collect();
	mostly(d, 75, latest, |d| d.pick(&eth.rates))
}

/// A new rate report of the vault's, in a block (and rate round) of its own: mostly within
/// the token's bound of the current rate and dated now, now and then past the bound or older
/// than the bridge takes.
fn rate_report(d: &mut Dice, eth: &mut Ethereum) -> Option<RateReport> {
	const PER_MILLE: u128 = 1_000;
	let current = pallet_lst_bridge::Rates::<Runtime>::get(TOKEN).map_or(ETHER, |r| r.rate);
	let per_mille = PER_MILLE + d.below(121)? as u128 - 60;
	let now = pallet_timestamp::Now::<Runtime>::get() / 1_000;
	let age = if d.chance(5)? { 3 * 24 * 3600 } else { d.below(120)? as u64 };
	eth.rate_reports += 1;
	let round: u64 =
		<<Runtime as pallet_lst_bridge::Config>::RateRound as frame_support::traits::Get<u64>>::get(
		);
	let number = RATE_BLOCKS + eth.rate_reports * round;
	let report = RateReport {
		token: TOKEN,
		rate: current / PER_MILLE * per_mille,
		timestamp: now.saturating_sub(age),
		eth_block_number: number,
		eth_block_hash: H256::from_low_u64_be(number),
	};
	keep_latest(&mut eth.rates, report);
	Some(report)
}

fn root(d: &mut Dice, actors: &[Actor]) -> Option<Call> {
	let inner = match d.weighted(&[6, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])? {
		0 => Call::Slashing(pallet_slashing::Call::veto_slash {
			id: pending_slash_id(d)?,
			forfeit_deposit: d.chance(50)?,
		}),
		1 => Call::Slashing(pallet_slashing::Call::set_global_mode {
			mode: d.pick(&[SlashingMode::Enabled, SlashingMode::Enabled, SlashingMode::LogOnly])?,
		}),
		2 => Call::Slashing(pallet_slashing::Call::set_operator_set_mode {
			set: set(d)?,
			mode: d.pick(&[
				SlashingMode::Enabled,
				SlashingMode::LogOnly,
				SlashingMode::Disabled,
			])?,
		}),
		3 => Call::Restaking(pallet_restaking::Call::set_strategy_redistribution {
			strategy: strategy(d)?,
			redistributable: d.chance(50)?,
		}),
		4 => Call::AvsRegistry(pallet_avs_registry::Call::set_exchange_rate {
			strategy: strategy(d)?,
			rate: FixedU128::from_rational(d.pick(&[9u128, 10, 11, 20])?, 10),
		}),
		5 => match d.weighted(&[2, 5, 3])? {
			0 => Call::LstBridge(pallet_lst_bridge::Call::pause {}),
			1 => Call::LstBridge(pallet_lst_bridge::Call::resume {}),
			// A pause halts the light client too; root resumes it on its own.
			_ => resume_light_client(),
		},
		7 => Call::LstBridge(pallet_lst_bridge::Call::cancel_deposit {
			nonce: mostly(
				d,
				90,
				pallet_lst_bridge::Waiting::<Runtime>::iter_keys().collect(),
				|d| Some(1 + d.below(100)? as u64),
			)?,
		}),
		8 => Call::LstBridge(pallet_lst_bridge::Call::clear_halt {
			nonce: mostly(
				d,
				90,
				pallet_lst_bridge::Halted::<Runtime>::iter_keys().collect(),
				|d| Some(1 + d.below(100)? as u64),
			)?,
		}),
		9 => Call::LstBridge(pallet_lst_bridge::Call::clear_header_halt {
			number: mostly(
				d,
				90,
				pallet_lst_bridge::HaltedHeaders::<Runtime>::iter_keys().collect(),
				|d| Some(d.below(100)? as u64),
			)?,
		}),
		10 => Call::LstBridge(pallet_lst_bridge::Call::update_token {
			token: TOKEN,
			limits: pallet_lst_bridge::TokenLimits {
				cap: if d.chance(80)? { 10_000_000 * ETHER } else { lst(d)? },
				daily_limit: d.pick(&[1_000_000 * ETHER, 1_000 * ETHER, ETHER])?,
				max_rate_change: Perbill::from_percent(1 + d.below(10)? as u32),
				haircut: Perbill::from_percent(d.below(6)? as u32),
				min_withdrawal: d.pick(&[ETHER / 100, ETHER])?,
			},
		}),
		11 => Call::LstBridge(pallet_lst_bridge::Call::force_set_rate {
			token: TOKEN,
			rate: d.pick(&[0, ETHER, ETHER + ETHER / 20, ETHER - ETHER / 50])?,
		}),
		12 => Call::LstBridge(pallet_lst_bridge::Call::set_policy {
			// Mostly back to attestations, which most of the generator's calls need.
			policy: d.pick(&[
				InboundPolicy::Attested,
				InboundPolicy::Attested,
				InboundPolicy::Attested,
				InboundPolicy::Attested,
				InboundPolicy::Attested,
				InboundPolicy::Attested,
				InboundPolicy::Proven,
				InboundPolicy::Beacon,
				InboundPolicy::BeaconCoSigned { above: ETHER },
			])?,
		}),
		13 => Call::LstBridge(pallet_lst_bridge::Call::set_guardian {
			guardian: if d.chance(80)? { Some(account(d, actors)?) } else { None },
		}),
		14 => Call::Restaking(pallet_restaking::Call::set_strategy_status {
			strategy: strategy(d)?,
			// Mostly open again, as deposits need.
			status: if d.chance(70)? {
				pallet_restaking::StrategyStatus::Active
			} else {
				pallet_restaking::StrategyStatus::DepositsPaused
			},
		}),
		16 => {
			// The same attesters as a new set: tallies of the old one stop counting and may be
			// dropped, withdrawals are signed afresh.
			let set = pallet_lst_bridge::Attesters::<Runtime>::get()
				.expect("root set the bridge's attesters up in the first block");
			Call::LstBridge(pallet_lst_bridge::Call::set_attesters {
				members: set.members.into_inner(),
				quorum: set.quorum,
				vault_set_id: set.vault_set_id + 1,
				operator_set: None,
			})
		}
		15 => {
			let big = d.chance(80)?;
			Call::Restaking(pallet_restaking::Call::set_strategy_caps {
				strategy: strategy(d)?,
				deposit_cap: if big { 1_000_000 * ETHER } else { lst(d)? },
				per_staker_cap: if big { 100_000 * ETHER } else { lst(d)? },
			})
		}
		_ => {
			let deferred: Vec<(u32, u32)> =
				pallet_native_staking::UnappliedSlashes::<Runtime>::iter()
					.flat_map(|(era, slashes)| (0..slashes.len() as u32).map(move |i| (era, i)))
					.collect();
			let (era, index) =
				mostly(d, 85, deferred, |d| Some((d.below(20)? as u32, d.below(2)? as u32)))?;
			Call::Staking(pallet_native_staking::Call::cancel_deferred_slash {
				era,
				slash_indices: vec![index],
			})
		}
	};
	Some(sudo(inner))
}

/// Root's `EthereumBeaconClient.set_operating_mode(Normal)`, from its encoding (the simulation
/// does not depend on Snowbridge's crates for the mode's type).
fn resume_light_client() -> Call {
	use codec::Decode;
	let pallet = <EthereumBeaconClient as frame_support::traits::PalletInfoAccess>::index() as u8;
	Call::decode(&mut &[pallet, 3, 0][..]).expect("set_operating_mode(Normal) decodes")
}

/// Forgets vault deposits the bridge has processed (minted or refused for good).
pub fn forget_processed(eth: &mut Ethereum) {
	eth.deposits.retain(|m| !LstBridge::is_processed(m.nonce));
}
