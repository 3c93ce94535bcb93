//! Where the simulation's choices come from: a seed (SplitMix64: endless, reproducible from one
//! number) or a byte string (a fuzzer's input: the run ends when the bytes do). Every choice
//! goes through here, so a seed or a byte string replays a run exactly.

pub struct Dice {
	source: Source,
}

enum Source {
	Seeded(u64),
	Bytes { bytes: Vec<u8>, at: usize },
}

impl Dice {
	pub fn seeded(seed: u64) -> Self {
		Self { source: Source::Seeded(seed) }
	}

	pub fn bytes(bytes: &[u8]) -> Self {
		Self { source: Source::Bytes { bytes: bytes.to_vec(), at: 0 } }
	}

	fn next_u32(&mut self) -> Option<u32> {
		match &mut self.source {
			Source::Seeded(state) => {
				// SplitMix64.
				*state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
				let mut z = *state;
				z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
				z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
				Some((z ^ (z >> 31)) as u32)
			}
			Source::Bytes { bytes, at } => {
				// Two bytes per choice: enough spread for the small ranges chosen here.
				let chunk = bytes.get(*at..*at + 2)?;
				*at += 2;
				Some(u32::from(u16::from_le_bytes([chunk[0], chunk[1]])))
			}
		}
	}

	/// A number in `0..n` (`0` when `n` is 0).
	pub fn below(&mut self, n: usize) -> Option<usize> {
		let v = self.next_u32()? as usize;
		Some(if n == 0 { 0 } else { v % n })
	}

	/// True `percent` times in a hundred.
	pub fn chance(&mut self, percent: usize) -> Option<bool> {
		Some(self.below(100)? < percent)
	}

	pub fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
		if items.is_empty() {
			// Still consume a choice, so a byte string decodes the same way either side.
			self.below(1)?;
			return None;
		}
		let i = self.below(items.len())?;
		Some(items[i].clone())
	}

	/// Picks an index by weight.
	pub fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
		let total: u32 = weights.iter().sum();
		let mut roll = self.below(total as usize)? as u32;
		for (i, w) in weights.iter().enumerate() {
			if roll < *w {
				return Some(i);
			}
			roll -= w;
		}
		Some(weights.len() - 1)
	}
}
