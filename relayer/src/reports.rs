//! Attesters Kasane recorded as contradicting a quorum, reported so that they are slashed.
//!
//! When a quorum accepts a deposit for a nonce, or trusts a header for an Ethereum block
//! number, whoever signed another content for it signed something Ethereum did not do: the
//! bridge records them (`LstBridge::Contradictions`, `LstBridge::HeaderContradictions`) and
//! anyone has each slashed through the operator set the record was made in (the one the
//! attesters were drawn from when they signed) with `report_contradiction` /
//! `report_header_contradiction`. Relayers do, so that a false signature costs its signer
//! whether or not anybody watches.
//!
//! The quorum is the judge, and a hostile quorum deciding something false would have the
//! honest minority recorded. So a relayer reports a record only once its own Ethereum node
//! shows that what the quorum decided is Ethereum's: the header of that block number, the
//! deposit of that nonce (looked for in the last [`DEPOSIT_LOOKBACK`] blocks). A header above
//! its node's head waits. Otherwise it says so loudly and reports nobody of it, judging the
//! record again after [`JUDGE_AGAIN`] (its node may have been behind, or on another fork). A
//! deposit re-included in another block by a reorganisation deeper than the attesters'
//! confirmation depth has another digest than the one the quorum signed: its record is not
//! reported by relayers (root or anyone can still report it).
//!
//! A report names the attester's key, which the relayer asks Kasane for
//! (`LstBridgeApi::attester_key`: among the keys of the operator set the record was made in
//! that the set may still slash); an attester with none, past its slashable window, is not
//! reported, and asked about again after [`SLASHING_HELD_WAIT`]. A report that slashes is
//! free; one that does not (its operator already punished) pays, and a report the record no
//! longer names is refused and pays. While slashing cannot follow for the moment (disabled or log-only, the
//! set's terms taking nothing for equivocation, the epoch's cap reached), Kasane refuses the
//! report with the slashing pallet's error and keeps the record: it is reported again after
//! [`SLASHING_HELD_WAIT`]. The relayer reads the slashing mode of a record's set first and
//! submits nothing (paying for no refusal) while it is disabled or log-only.
//!
//! Every relayer sees the same records, so each goes by turns ([`crate::turns`]): the
//! designated relayer at once, the others after a grace. A record made while root kept the
//! attesters as a list rather than an operator set is not reported: there is nobody to slash.
//! At most [`MAX_REPORTS_PER_STEP`] are submitted a step, together.

use crate::{
	kasane::Contradicted,
	turns::{Seat, TurnTaking},
};
use codec::Encode;
use sp_core::H160;
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// How long a report Kasane refused waits before it is made again.
pub const REFUSAL_WAIT: Duration = Duration::from_secs(60);

/// How long a report waits when the slashing pallet refused it: the slash cannot follow for
/// the moment, and the record is kept until governance or a later epoch lets it.
pub const SLASHING_HELD_WAIT: Duration = Duration::from_secs(900);

/// A recorded attester not listed for this long is forgotten (reported by someone): well
/// beyond the turns of the first ranks.
const FORGET_AFTER: Duration = Duration::from_secs(600);

/// Records of each kind read per step: each names at most the attester set's size, and a
/// record is gone once everyone it names is reported.
pub const SCAN: u32 = 64;

/// Most reports submitted per step.
pub const MAX_REPORTS_PER_STEP: usize = 16;

/// How far below Ethereum's head a deposit a quorum accepted is looked for (a week of 12 s
/// blocks): records are made when the quorum decides, and a deposit is accepted within its
/// confirmation depth or its finality.
pub const DEPOSIT_LOOKBACK: u64 = 50_400;

/// How long a verdict that Ethereum does not show what a quorum decided holds before the
/// record is judged again (the node was behind, or the deposit was not found).
pub const JUDGE_AGAIN: Duration = Duration::from_secs(600);

/// What this relayer's Ethereum node shows of what a quorum decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
	/// The same: the recorded attesters signed something Ethereum did not do.
	Ethereums,
	/// Something else, or nothing: the quorum, not the recorded attesters, may be lying.
	NotEthereums,
	/// Not yet on this relayer's Ethereum: judged at a later step.
	NotYet,
}

/// What the relayer remembers of recorded attesters between steps.
pub struct Reporter {
	turns: TurnTaking,
	/// Per record, the digest the quorum signed, what Ethereum showed of it and when.
	verdicts: BTreeMap<Contradicted, ([u8; 32], Verdict, Instant)>,
}

impl Default for Reporter {
	fn default() -> Self {
		Self { turns: TurnTaking::new(REFUSAL_WAIT, FORGET_AFTER), verdicts: BTreeMap::new() }
	}
}

/// The turn key of reporting `attester` for `contradicted`: spreads the designated relayer
/// over the recorded attesters of one round too.
fn key(contradicted: Contradicted, attester: &H160) -> u64 {
	sp_io::hashing::twox_64(&(contradicted, attester).encode())
		.into_iter()
		.fold(0, |k, b| (k << 8) | u64::from(b))
}

impl Reporter {
	/// The verdict on the record of `decided`, if judged for the digest `accepted` and still
	/// holding at `now` (that Ethereum does not show it holds [`JUDGE_AGAIN`]).
	pub fn verdict(
		&self,
		decided: Contradicted,
		accepted: &[u8; 32],
		now: Instant,
	) -> Option<Verdict> {
		let (digest, verdict, at) = self.verdicts.get(&decided)?;
		let holds =
			*verdict == Verdict::Ethereums || now.saturating_duration_since(*at) < JUDGE_AGAIN;
		(digest == accepted && holds).then_some(*verdict)
	}

	/// Keep `verdict` on the record of `decided` (`NotYet` is not kept: judged next step).
	pub fn judged(
		&mut self,
		decided: Contradicted,
		accepted: [u8; 32],
		verdict: Verdict,
		now: Instant,
	) {
		if verdict != Verdict::NotYet {
			self.verdicts.insert(decided, (accepted, verdict, now));
		}
	}

	/// Forget the verdicts on records no longer listed among `listed`.
	pub fn retain(&mut self, listed: &[Contradicted]) {
		self.verdicts.retain(|decided, _| listed.contains(decided));
	}

	/// Of the attesters Kasane lists as recorded, those this relayer (at `seat`, if it is an
	/// attester) reports now, at most [`MAX_REPORTS_PER_STEP`].
	pub fn due(
		&mut self,
		recorded: &[(Contradicted, H160)],
		seat: Option<Seat>,
		now: Instant,
	) -> Vec<(Contradicted, H160)> {
		let by_key: BTreeMap<u64, (Contradicted, H160)> =
			recorded.iter().map(|(c, a)| (key(*c, a), (*c, *a))).collect();
		let listed: Vec<u64> = by_key.keys().copied().collect();
		self.turns
			.due(&listed, seat, now)
			.into_iter()
			.filter_map(|k| by_key.get(&k).copied())
			.take(MAX_REPORTS_PER_STEP)
			.collect()
	}

	/// The report went through, or someone else's did.
	pub fn settled(&mut self, contradicted: Contradicted, attester: &H160) {
		self.turns.settled(key(contradicted, attester));
	}

	/// Kasane refused the report.
	pub fn refused(&mut self, contradicted: Contradicted, attester: &H160) {
		self.turns.refused(key(contradicted, attester));
	}

	/// The slashing pallet refused the report for the moment, or the attester has no key the
	/// set may slash: it waits [`SLASHING_HELD_WAIT`].
	pub fn held(&mut self, contradicted: Contradicted, attester: &H160) {
		self.turns.refused_for(key(contradicted, attester), SLASHING_HELD_WAIT);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::turns::GRACE;

	#[test]
	fn each_recorded_attester_is_reported_by_turns_and_a_refusal_waits() {
		let start = Instant::now();
		let (a, b) = (H160::repeat_byte(1), H160::repeat_byte(2));
		let recorded = vec![
			(Contradicted::Deposit(5), a),
			(Contradicted::Header(5), a),
			(Contradicted::Header(5), b),
		];
		// Three relayers: each item has one designated relayer, the same for all of them.
		let seats = (0..3).map(|index| Some(Seat { index, of: 3 }));
		let mut reporters: Vec<Reporter> = (0..3).map(|_| Reporter::default()).collect();
		let mut taken: Vec<(Contradicted, H160)> = reporters
			.iter_mut()
			.zip(seats.clone())
			.flat_map(|(r, seat)| r.due(&recorded, seat, start))
			.collect();
		taken.sort();
		let mut all = recorded.clone();
		all.sort();
		assert_eq!(taken, all, "each reported by exactly one relayer at once");
		// After two graces every relayer's turn has come.
		let later = start + GRACE * 2;
		for (r, seat) in reporters.iter_mut().zip(seats) {
			assert_eq!(r.due(&recorded, seat, later).len(), 3);
		}
		// A refused report waits (for `REFUSAL_WAIT`, see `Refusals`).
		let mine = &mut reporters[0];
		let seat = Some(Seat { index: 0, of: 3 });
		mine.refused(Contradicted::Header(5), &b);
		mine.settled(Contradicted::Deposit(5), &a);
		let due = mine.due(&recorded, seat, later);
		assert!(!due.contains(&(Contradicted::Header(5), b)), "held back after its refusal");
		assert!(due.contains(&(Contradicted::Header(5), a)));
		// One the slashing pallet held back waits too (for `SLASHING_HELD_WAIT`).
		mine.held(Contradicted::Header(5), &a);
		assert!(!mine.due(&recorded, seat, later).contains(&(Contradicted::Header(5), a)));
		// More than a step's worth is reported over several steps.
		let many: Vec<_> = (0..40).map(|n| (Contradicted::Header(n), a)).collect();
		let mut alone = Reporter::default();
		let only = Some(Seat { index: 0, of: 1 });
		assert_eq!(alone.due(&many, only, start).len(), MAX_REPORTS_PER_STEP);
	}

	#[test]
	fn a_verdict_holds_for_the_digest_judged_and_while_its_record_is_listed() {
		let now = Instant::now();
		let mut reporter = Reporter::default();
		let decided = Contradicted::Header(9);
		assert_eq!(reporter.verdict(decided, &[1; 32], now), None);
		reporter.judged(decided, [1; 32], Verdict::NotEthereums, now);
		assert_eq!(reporter.verdict(decided, &[1; 32], now), Some(Verdict::NotEthereums));
		assert_eq!(reporter.verdict(decided, &[2; 32], now), None, "another record of the number");
		assert_eq!(reporter.verdict(decided, &[1; 32], now + JUDGE_AGAIN), None, "judged again");
		reporter.judged(decided, [1; 32], Verdict::Ethereums, now);
		assert_eq!(
			reporter.verdict(decided, &[1; 32], now + JUDGE_AGAIN * 10),
			Some(Verdict::Ethereums),
			"Ethereum's stays Ethereum's"
		);
		let other = Contradicted::Header(10);
		reporter.judged(other, [1; 32], Verdict::NotYet, now);
		assert_eq!(reporter.verdict(other, &[1; 32], now), None, "not final yet: not kept");
		reporter.retain(&[Contradicted::Deposit(9)]);
		assert_eq!(reporter.verdict(decided, &[1; 32], now), None, "no longer listed");
	}
}
