/**
 * Loads our N-API addon (`native/`, built by node-gyp at install) once per thread, or records
 * why it is not used. `ROMGFX_NATIVE=0` disables it. Each worker thread loads its own instance
 * (the addon is context-aware and keeps its state per instance, nothing shared between threads).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createLogger } from '../log.js';
import { PACKAGE_ROOT } from '../version.js';

/** The addon's functions (see native/src/addon.cc for the argument contract). */
export interface NativeAddon {
  abi(): number;
  halDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, scratch: Uint8Array): boolean;
  halProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  halEncode(data: Uint8Array, level: number, info: Float64Array): Uint8Array | undefined;
  tilesDecodePlanar(bytes: Uint8Array, indices: Uint8Array, tileCount: number, layout: Uint8Array): number;
  tilesEncodePlanar(indices: Uint8Array, bytes: Uint8Array, tileCount: number, layout: Uint8Array): number;
  tilesDecodePacked(bytes: Uint8Array, indices: Uint8Array, tileCount: number, lowNibbleLeft: boolean): number;
  tilesEncodePacked(indices: Uint8Array, bytes: Uint8Array, tileCount: number, lowNibbleLeft: boolean): number;
  zlibDeflate(input: Uint8Array, output: Uint8Array, level: number): number;
  /**
   * Inflates the raw deflate stream `input` into `output` (its length is the most bytes allowed):
   * the bytes written, or a negative status (src/native/inflate.ts `nativeInflateStatus`). With
   * `info` (2 slots): input bytes read and output bytes written when it stopped.
   */
  zlibInflateRaw(input: Uint8Array, output: Uint8Array, info?: Float64Array): number;
  /** Spreads `rows` rows of PNG samples of `depth` (1, 2 or 4) bits, each row starting on a byte, into `out`, one sample per byte; throws when a buffer is too short. */
  pngUnpackSamples(packed: Uint8Array, out: Uint8Array, samplesPerRow: number, rows: number, depth: number): void;
  readSmallFile(path: string, buffer: Uint8Array, info: Float64Array): number;
  /** Registers a read-only file mapping with the SIGBUS guard: its slot, or -1 when unguarded. */
  guardMapping(mapping: Uint8Array): number;
  /** Pages of a guarded mapping replaced by zeros because the file shrank under it. */
  mappingFaults(slot: number): number;
  /** Decodes the Nemesis stream at `offset` into `out` (at least the declared size); lengths or the failure in `info`. */
  nemesisDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the Nemesis stream at `offset`; lengths or the failure in `info`. */
  nemesisProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** Decodes the konami1 stream at `offset` into `out` (up to its length); lengths or the failure in `info`. */
  konami1Decode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the konami1 stream at `offset`; lengths or the failure in `info`. */
  konami1Probe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** Decodes the Saxman stream at `offset` into `out`; `exactOutput` ≥ 0 is the headerless framing, -1 the headed one. */
  saxmanDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array, exactOutput: number): boolean;
  /** Validates the Saxman stream at `offset` (framing as for saxmanDecode); lengths or the failure in `info`. */
  saxmanProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, exactOutput: number): boolean;
  /** Decodes the Kosinski stream at `offset` into `out` (up to its length); lengths or the failure in `info`. */
  kosinskiDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the Kosinski stream at `offset`; lengths or the failure in `info`. */
  kosinskiProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** Decodes the Kosinski Moduled stream at `offset` into `out` (at least the stated size); lengths or the failure in `info`. */
  kosinskiModuledDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the Kosinski Moduled stream at `offset`; lengths or the failure in `info`. */
  kosinskiModuledProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** Decodes the Comper stream at `offset` into `out` (up to its length); lengths or the failure in `info`. */
  comperDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the Comper stream at `offset`; lengths or the failure in `info`. */
  comperProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** Decodes the LZ4W stream at `offset` into `out` (up to its length); lengths or the failure in `info`. */
  lz4wDecode(bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array): boolean;
  /** Validates the LZ4W stream at `offset`; lengths or the failure in `info`. */
  lz4wProbe(bytes: Uint8Array, offset: number, limit: number, info: Float64Array): boolean;
  /** zlib's CRC-32 of `bytes` continuing from `initial` (an unsigned 32-bit integer), as `zlib.crc32(bytes, initial) >>> 0`. */
  crc32(bytes: Uint8Array, initial: number): number;
  /** SHA-1 of `bytes` into `out` (at least 20 bytes) through Node's OpenSSL; false (out untouched) where this Node exports none. */
  sha1(bytes: Uint8Array, out: Uint8Array): boolean;
  /** Sum of bytes [start, end) (0 ≤ start ≤ end ≤ length) as an exact integer, as byteSum in src/util/bytes.ts. */
  byteSum(bytes: Uint8Array, start: number, end: number): number;
}

/** The interface version this glue speaks; native/src/addon.cc kAbiVersion must match. */
export const nativeAbiVersion = 11;

/** Where node-gyp puts the addon, relative to the package root. */
export const nativeAddonRelativePath = join('native', 'build', 'Release', 'romgfx_native.node');

const requiredFunctions = [
  'abi',
  'halDecode',
  'halProbe',
  'halEncode',
  'tilesDecodePlanar',
  'tilesEncodePlanar',
  'tilesDecodePacked',
  'tilesEncodePacked',
  'zlibDeflate',
  'zlibInflateRaw',
  'pngUnpackSamples',
  'readSmallFile',
  'guardMapping',
  'mappingFaults',
  'nemesisDecode',
  'nemesisProbe',
  'konami1Decode',
  'konami1Probe',
  'saxmanDecode',
  'saxmanProbe',
  'kosinskiDecode',
  'kosinskiProbe',
  'kosinskiModuledDecode',
  'kosinskiModuledProbe',
  'comperDecode',
  'comperProbe',
  'lz4wDecode',
  'lz4wProbe',
  'crc32',
  'sha1',
  'byteSum',
] as const;

/** Whether the native addon is in use, and why not when it is not. */
export interface NativeStatus {
  /** True when the addon loaded and the engine uses it. */
  loaded: boolean;
  /** Why it is not used (absent when loaded). */
  reason?: string;
  /** The file the loader tried. */
  path: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function logLevelFrom(env: NodeJS.ProcessEnv): (typeof logLevels)[number] {
  const wanted = env.ROMGFX_LOG_LEVEL;
  return logLevels.find((level) => level === wanted) ?? 'warn';
}

let cached: { addon: NativeAddon | null; status: NativeStatus } | undefined;

function tryLoad(env: NodeJS.ProcessEnv): { addon: NativeAddon | null; status: NativeStatus } {
  const path = join(PACKAGE_ROOT, nativeAddonRelativePath);
  if (env.ROMGFX_NATIVE === '0') return { addon: null, status: { loaded: false, reason: 'disabled by ROMGFX_NATIVE=0', path } };
  let module: unknown;
  try {
    module = createRequire(import.meta.url)(path);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { addon: null, status: { loaded: false, reason: `cannot load ${path}: ${message}`, path } };
  }
  const candidate = module as Partial<Record<(typeof requiredFunctions)[number], unknown>>;
  const missing = requiredFunctions.filter((name) => typeof candidate[name] !== 'function');
  if (missing.length > 0) return { addon: null, status: { loaded: false, reason: `${path} lacks ${missing.join(', ')}`, path } };
  const addon = module as NativeAddon;
  const abi = addon.abi();
  if (abi !== nativeAbiVersion) {
    return { addon: null, status: { loaded: false, reason: `${path} speaks interface ${abi}, this engine needs ${nativeAbiVersion} (rebuild: npm run build:native)`, path } };
  }
  return { addon, status: { loaded: true, path } };
}

/**
 * The addon, or null when it is missing, broken or disabled. Decided once per thread; on
 * fallback logs one debug line (to stderr, at the level in $ROMGFX_LOG_LEVEL; silent by default).
 */
export function loadNative(env: NodeJS.ProcessEnv = process.env): NativeAddon | null {
  if (cached === undefined) {
    cached = tryLoad(env);
    const level = logLevelFrom(env);
    // A debug line only: pino is not loaded unless the level would print it.
    if (!cached.addon && (level === 'debug' || level === 'trace')) {
      createLogger({ level, name: 'romgfx' }).debug({ path: cached.status.path }, `native addon not used, TypeScript kernels instead: ${cached.status.reason}`);
    }
  }
  return cached.addon;
}

/** Whether the engine runs the native kernels in this thread, and if not, why. */
export function nativeStatus(): NativeStatus {
  loadNative();
  return { ...cached!.status };
}
