//! Storage migrations: from a state written in the old layout, as a chain that ran the old
//! runtime has it.

use crate::{
	migrations::v1::{v0, MigrateV0ToV1},
	mock::*,
	Allocations, OperatorSetId, SetAllocations, StrategyId,
};
use codec::Encode;
use frame_support::{
	assert_ok,
	traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	weights::Weight,
};

/// Rewrite every set's list as version 0 stored it (a key per pair, a count per set) and
/// mark the pallet as version 0; returns the (set, operator, strategy) triples, sorted.
fn rewind_to_v0() -> Vec<(OperatorSetId, AccountId, StrategyId)> {
	let lists: Vec<_> = SetAllocations::<Test>::drain().collect();
	let mut triples = Vec::new();
	for (set, list) in lists {
		v0::SetAllocationCount::<Test>::insert(set, list.len() as u32);
		for (op, strategy) in list {
			v0::SetAllocations::<Test>::insert(set, (op, strategy), ());
			triples.push((set, op, strategy));
		}
	}
	StorageVersion::new(0).put::<Restaking>();
	triples.sort();
	triples
}

/// Runs the migration with its try-runtime pre/post checks when they are compiled in.
fn migrate() -> Weight {
	#[cfg(feature = "try-runtime")]
	return MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).expect("pre/post checks hold");
	#[cfg(not(feature = "try-runtime"))]
	MigrateV0ToV1::<Test>::on_runtime_upgrade()
}

fn listed() -> Vec<(OperatorSetId, AccountId, StrategyId)> {
	let mut triples: Vec<_> = SetAllocations::<Test>::iter()
		.flat_map(|(set, list)| list.into_iter().map(move |(op, s)| (set, op, s)))
		.collect();
	triples.sort();
	triples
}

/// `twox_128(pallet) ++ twox_128(item) ++ twox_64(k) ++ k` for each key `k`.
fn raw_key(item: &str, keys: &[&[u8]]) -> Vec<u8> {
	let mut key = sp_io::hashing::twox_128(b"Restaking").to_vec();
	key.extend(sp_io::hashing::twox_128(item.as_bytes()));
	for k in keys {
		key.extend(sp_io::hashing::twox_64(k));
		key.extend(*k);
	}
	key
}

#[test]
fn the_old_layout_is_read_where_version_0_wrote_it() {
	let pair = (OP1, STRAT_A);
	assert_eq!(
		v0::SetAllocations::<Test>::hashed_key_for(SET1, pair),
		raw_key("SetAllocations", &[&SET1.encode(), &pair.encode()])
	);
	assert_eq!(
		v0::SetAllocationCount::<Test>::hashed_key_for(SET1),
		raw_key("SetAllocationCount", &[&SET1.encode()])
	);
	// The new list sits at the old keys' common first part.
	assert_eq!(
		SetAllocations::<Test>::hashed_key_for(SET1),
		raw_key("SetAllocations", &[&SET1.encode()])
	);
}

#[test]
fn genesis_is_at_the_current_version() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Restaking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Restaking::in_code_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn v1_moves_each_sets_pairs_into_one_list_and_drops_the_counts() {
	ExtBuilder::default().build_and_execute(|| {
		// Two operators, two strategies, two sets; OP1 in both strategies of SET1.
		operator(OP1, &[SET1, SET2]);
		operator(OP2, &[SET1]);
		stake(ALICE, STRAT_A, 100_000, OP1);
		stake(ALICE, STRAT_B, 100_000, OP1);
		stake(BOB, STRAT_A, 50_000, OP2);
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		allocate_now(OP1, SET1, STRAT_B, pct(20));
		allocate_now(OP1, SET2, STRAT_A, pct(30));
		allocate_now(OP2, SET1, STRAT_A, pct(40));
		let before = rewind_to_v0();
		assert_eq!(before.len(), 4);
		assert_eq!(SetAllocations::<Test>::iter().count(), 0, "only the old layout is stored");

		migrate();
		assert_eq!(Restaking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(listed(), before);
		assert_eq!(SetAllocations::<Test>::get(SET1).len(), 3);
		assert_eq!(SetAllocations::<Test>::get(SET2).len(), 1);
		assert_eq!(v0::SetAllocationCount::<Test>::iter().count(), 0);
		assert_eq!(v0::SetAllocations::<Test>::iter().count(), 0);
		// Every allocation record is listed once (`try_state`, checked at the end, too).
		assert_eq!(Allocations::<Test>::iter().count(), before.len());

		// Allocating and deallocating go on from the migrated lists.
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP2), SET1, STRAT_A, 0));
		advance(DEALLOCATION_DELAY);
		Restaking::mature_allocations(&OP2, STRAT_A);
		assert_eq!(SetAllocations::<Test>::get(SET1).len(), 2);
	});
}

#[test]
fn v1_runs_once() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 100_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		let lists: Vec<_> = SetAllocations::<Test>::iter().collect();
		assert_eq!(lists.len(), 1);
		// At version 1 already: nothing is read as the old layout, nothing changes.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(SetAllocations::<Test>::iter().collect::<Vec<_>>(), lists);
	});
}

#[test]
fn v1_leaves_everything_at_version_0_when_a_set_is_over_the_bound() {
	// Without `try_state` at the end: the old layout is what stays.
	ExtBuilder::default().build().execute_with(|| {
		let bound: u32 = <Test as crate::Config>::MaxAllocationsPerSet::get();
		for op in 0..=bound as AccountId {
			v0::SetAllocations::<Test>::insert(SET1, (1_000 + op, STRAT_A), ());
		}
		v0::SetAllocations::<Test>::insert(SET2, (OP1, STRAT_A), ());
		v0::SetAllocationCount::<Test>::insert(SET1, bound + 1);
		v0::SetAllocationCount::<Test>::insert(SET2, 1);
		StorageVersion::new(0).put::<Restaking>();

		migrate();
		assert_eq!(Restaking::on_chain_storage_version(), StorageVersion::new(0));
		assert_eq!(v0::SetAllocations::<Test>::iter_prefix(SET1).count(), bound as usize + 1);
		assert_eq!(v0::SetAllocations::<Test>::iter_prefix(SET2).count(), 1);
		assert_eq!(v0::SetAllocationCount::<Test>::get(SET1), bound + 1);
		assert!(SetAllocations::<Test>::get(SET2).is_empty(), "no list written");
	});
}
