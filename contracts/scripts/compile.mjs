// Compiles every contract under src/ with solc-js (offline, the npm `solc` package) into
// build/<Contract>.json ({ abi, bytecode }). Fails on any compiler error or warning.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import solc from 'solc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.sol') ? [path] : [];
  });
}

const input = {
  language: 'Solidity',
  sources: Object.fromEntries(
    sources(join(root, 'src')).map((p) => [relative(root, p), { content: readFileSync(p, 'utf8') }]),
  ),
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const problems = (output.errors ?? []).filter((e) => e.severity === 'error' || e.severity === 'warning');
if (problems.length) {
  for (const p of problems) console.error(p.formattedMessage);
  process.exit(1);
}
mkdirSync(join(root, 'build'), { recursive: true });
let count = 0;
for (const contracts of Object.values(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    writeFileSync(join(root, 'build', `${name}.json`), JSON.stringify({ abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }));
    count += 1;
  }
}
console.log(`compiled ${count} contracts with solc ${solc.version()}`);
