/**
 * Shared benchmark helpers. Figures are medians over repeated runs, always printed beside a
 * baseline measured in the same run, with the machine load (these are shared 2-core boxes).
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fillPseudoRandom } from '../src/rom/build.js';

export interface Sample {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and reports the median wall time. */
export async function measure(fn: () => unknown | Promise<unknown>, runs = 7, warmup = 1): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: median(times), minMs: times[0]!, maxMs: times[times.length - 1]!, runs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Megabytes (10^6 bytes) per second for `bytes` processed in `ms`. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

export function machineLine(): string {
  const [one, five] = loadavg();
  return `machine: ${cpus().length} cores, load ${one!.toFixed(2)} (1 min) ${five!.toFixed(2)} (5 min), node ${process.version}`;
}

export function header(title: string): void {
  console.log(`\n== ${title}`);
  console.log(machineLine());
}

/** Prints an aligned table; the first row is the header. */
export function table(rows: readonly (readonly (string | number)[])[]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = text[0]!.map((_, i) => Math.max(...text.map((row) => (row[i] ?? '').length)));
  for (const row of text) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Deterministic pseudo-random bytes (the ROM builders' xorshift filler), so runs compare. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  fillPseudoRandom(bytes, seed);
  return bytes;
}

/**
 * Wall-time and CPU-time MB/s of `fn` over `bytes` (medians of `runs` samples, each at least
 * `minimumSampleMs` of wall time, short calls repeated inside a sample). On a shared box the CPU
 * figure is the steadier one.
 */
export async function wallAndCpuRate(minimumSampleMs: number, fn: () => unknown, bytes: number, runs: number): Promise<{ wall: number; cpu: number }> {
  for (let k = 0; k < 3; k++) fn();
  const start = performance.now();
  fn();
  const once = Math.max(0.001, performance.now() - start);
  const repeats = Math.max(1, Math.ceil(minimumSampleMs / once));
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (let k = 0; k < repeats; k++) fn();
    walls.push(performance.now() - wallStart);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const medianOf = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
  return { wall: mbPerSecond(bytes * repeats, medianOf(walls)), cpu: mbPerSecond(bytes * repeats, Math.max(0.001, medianOf(cpus))) };
}
