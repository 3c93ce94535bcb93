//! Long runs by hand: `kasane-sim [--seed N] [--seeds K] [--blocks B] [--minutes M]
//! [--bytes FILE]` runs K seeds from N (or seeds until M minutes have passed, or one run
//! decoded from FILE's bytes, as a fuzzer would give them), B blocks each, and prints each
//! run's result and the coverage table. Exits non-zero at the first failure, with its seed.

use kasane_sim::{coverage::Coverage, dice::Dice, opening, run_from};

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let arg =
		|name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
	let number = |name: &str, default: u64| {
		arg(name).map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name} takes a number")))
	};
	let first = number("--seed", 1);
	let seeds = number("--seeds", 10);
	let blocks = number("--blocks", 1_000) as u32;
	let minutes = arg("--minutes").map(|m| m.parse::<u64>().expect("--minutes takes a number"));
	let started = std::time::Instant::now();
	let mut coverage = Coverage::default();
	let (mut runs, mut total_blocks) = (0u64, 0u64);
	let mut longest = (0u32, 0u64);

	let opening = opening().unwrap_or_else(|failure| panic!("the opening failed at {failure}"));
	let mut one = |dice: &mut Dice, label: String| match run_from(&opening, dice, blocks) {
		Ok(report) => {
			println!(
				"{label}: ok, {} blocks, {} extrinsics",
				report.blocks,
				report.coverage.extrinsics()
			);
			runs += 1;
			total_blocks += u64::from(report.blocks);
			if report.blocks > longest.0 {
				longest = (report.blocks, report.coverage.extrinsics());
			}
			coverage.merge(&report.coverage);
		}
		Err(failure) => {
			eprintln!("{label}: FAILED at {failure}");
			std::process::exit(1);
		}
	};
	if let Some(file) = arg("--bytes") {
		let bytes = std::fs::read(&file).expect("--bytes file readable");
		one(&mut Dice::bytes(&bytes), format!("bytes of {file}"));
	} else {
		let mut seed = first;
		loop {
			match minutes {
				Some(m) if started.elapsed().as_secs() >= m * 60 => break,
				None if seed >= first + seeds => break,
				_ => {}
			}
			one(&mut Dice::seeded(seed), format!("seed {seed}"));
			seed += 1;
		}
	}
	println!(
		"\n{runs} runs, {total_blocks} blocks, {} extrinsics in {:.0?}; longest run {} blocks ({} extrinsics)\n",
		coverage.extrinsics(),
		started.elapsed(),
		longest.0,
		longest.1
	);
	println!("{}", coverage.table());
}
