// Compares generated weights with the measurements they were fitted to:
//   node scripts/check-weights.mjs RESULTS.json WEIGHTS.rs [RESULTS.json WEIGHTS.rs ...]
// RESULTS.json is `benchmark pallet --json-file` output, WEIGHTS.rs the file the same run wrote.
// For every benchmark and every component value it measured, the execution the weight
// charges (its `from_parts` base plus each component's slope, storage left out: the
// measurement does not include it either) is set against the median measured execution
// there. A fit can fall below what it was fitted to (a least-squares line through noisy large
// components passes under small ones) or far above it (an intercept pulled up by them); this
// prints the smallest and largest ratio per benchmark, and exits 1 when any median is charged
// less than it took. Used by scripts/benchmark-pallets.sh after each pallet.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) {
  console.error('usage: node scripts/check-weights.mjs RESULTS.json WEIGHTS.rs [...]');
  process.exit(2);
}

/** `fn name(a: u32, b: u32, ) -> Weight { ... }` → { base, slopes: { a, b } } in picoseconds. */
function parseWeights(source) {
  const weights = new Map();
  // Only the first impl (the measured one); `impl WeightInfo for ()` repeats the figures.
  const first = source.split(/\nimpl WeightInfo for \(\)/)[0];
  for (const m of first.matchAll(/fn (\w+)\([^)]*\) -> Weight \{([\s\S]*?)\n\t\}/g)) {
    const [, name, body] = m;
    const base = /Weight::from_parts\(([\d_]+),/.exec(body);
    if (!base) continue;
    const slopes = {};
    for (const s of body.matchAll(/Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)\)/g)) {
      slopes[s[2]] = Number(s[1].replaceAll('_', ''));
    }
    weights.set(name, { base: Number(base[1].replaceAll('_', '')), slopes });
  }
  return weights;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let under = 0;
let pointsSeen = 0;
let pointsUnder = 0;
for (let a = 0; a < args.length; a += 2) {
  const results = JSON.parse(readFileSync(args[a], 'utf8'));
  const weights = parseWeights(readFileSync(args[a + 1], 'utf8'));
  for (const bench of results) {
    const weight = weights.get(bench.benchmark);
    if (!weight) {
      console.log(`${bench.pallet}::${bench.benchmark}: not in ${args[a + 1]}`);
      continue;
    }
    if (bench.time_results.every((r) => r.extrinsic_time === 0)) {
      console.log(`-     ${bench.pallet}::${bench.benchmark}: nothing measured`);
      continue;
    }
    const points = new Map();
    for (const r of bench.time_results) {
      const key = JSON.stringify(r.components);
      if (!points.has(key)) points.set(key, { components: r.components, times: [] });
      // Nanoseconds; weights are in picoseconds.
      points.get(key).times.push(r.extrinsic_time * 1000);
    }
    let low = { ratio: Infinity };
    let high = { ratio: 0 };
    for (const { components, times } of points.values()) {
      const charged = components.reduce((w, [name, value]) => w + (weight.slopes[name] ?? 0) * value, weight.base);
      const measured = median(times);
      const ratio = charged / measured;
      pointsSeen++;
      if (ratio < 1) pointsUnder++;
      const at = components.map(([n, v]) => `${n}=${v}`).join(',');
      if (ratio < low.ratio) low = { ratio, at, charged, measured };
      if (ratio > high.ratio) high = { ratio, at, charged, measured };
    }
    const us = (ps) => (ps / 1e6).toFixed(1);
    const flag = low.ratio < 1 ? 'UNDER' : 'ok';
    if (low.ratio < 1) under++;
    console.log(
      `${flag.padEnd(5)} ${bench.pallet}::${bench.benchmark}: charged/median ${low.ratio.toFixed(2)} ` +
        `(${low.at || 'no components'}: ${us(low.charged)} of ${us(low.measured)} µs) to ${high.ratio.toFixed(2)} ` +
        `(${high.at || 'no components'}: ${us(high.charged)} of ${us(high.measured)} µs)`,
    );
  }
}
console.log(`${pointsSeen} measured points: ${pointsUnder} charged below their median; ${under} benchmarks have such a point`);
process.exit(under ? 1 : 0);
