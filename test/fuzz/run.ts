/**
 * `npm run fuzz [-- SECONDS]`: fuzzes every decoder for SECONDS in total (default 60), split
 * evenly, with a fresh seed per round. Prints inputs per codec and exits 1 on any failure.
 */
import { fuzzCodec, fuzzTargets } from './fuzz-lib.js';

const defaultSeconds = 60;
const roundSize = 50_000;

const argument = process.argv[2];
const seconds = argument === undefined ? defaultSeconds : Number(argument);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`usage: node dist/test/fuzz/run.js [SECONDS]  (got "${argument}")`);
  process.exit(64);
}
const targets = fuzzTargets();
const perCodecMs = (seconds * 1000) / targets.length;
let failed = 0;
const baseSeed = Date.now() >>> 0;
console.log(`fuzzing ${targets.length} decoders for ${seconds} s (base seed ${baseSeed})`);
for (const target of targets) {
  const deadline = Date.now() + perCodecMs;
  let inputs = 0;
  let decoded = 0;
  const failures: string[] = [];
  for (let round = 0; Date.now() < deadline && failures.length === 0; round++) {
    const stats = fuzzCodec(target, roundSize, (baseSeed + round * 7919 + target.codec.length) >>> 0, deadline);
    inputs += stats.inputs;
    decoded += stats.decoded;
    failures.push(...stats.failures);
  }
  console.log(`${target.codec.padEnd(8)} ${String(inputs).padStart(10)} inputs, ${decoded} decoded, ${failures.length} failures`);
  for (const failure of failures) console.log(`  ${failure}`);
  if (failures.length > 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
