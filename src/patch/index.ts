/**
 * Patch formats behind one door: pick the format by magic when applying, by name when creating.
 */
import { PatchMagicError } from '../errors.js';
import { applyBps, createBpsWithStats, isBpsPatch, type BpsApplyOptions, type BpsApplyResult, type BpsCreateOptions } from './bps.js';
import { applyIps, createIpsWithStats, describeMagic, isIpsPatch, type IpsApplyResult } from './ips.js';

/** The patch formats romgfx reads and writes. */
export type PatchFormat = 'ips' | 'bps';

/** What `applyPatch` returns: the IPS or BPS result, told apart by `format`. */
export type PatchApplyResult = IpsApplyResult | BpsApplyResult;

/** Which format a patch is in, by its magic; undefined when it is neither. */
export function detectPatchFormat(patch: Uint8Array): PatchFormat | undefined {
  if (isBpsPatch(patch)) return 'bps';
  if (isIpsPatch(patch)) return 'ips';
  return undefined;
}

/** Applies an IPS or BPS patch (chosen by its magic) to `source`. */
export function applyPatch(patch: Uint8Array, source: Uint8Array, options: BpsApplyOptions = {}): PatchApplyResult {
  const format = detectPatchFormat(patch);
  if (format === 'bps') return applyBps(patch, source, options);
  if (format === 'ips') return applyIps(patch, source);
  throw new PatchMagicError('an IPS ("PATCH") or BPS ("BPS1") patch', describeMagic(patch, 5));
}

/** What `createPatch` returns: the patch and its figures, for either format. */
export interface PatchCreateResult {
  format: PatchFormat;
  patch: Uint8Array;
  /** IPS records or BPS actions. */
  records: number;
  /** IPS only: how many records are RLE. */
  rleRecords?: number;
  /** IPS only: the truncation size, when the target is shorter. */
  truncateTo?: number;
  /** BPS only. */
  sourceCrc32?: number;
  targetCrc32?: number;
  patchCrc32?: number;
}

/** Makes a patch in `format` that turns `source` into `target`. */
export function createPatch(format: PatchFormat, source: Uint8Array, target: Uint8Array, options: BpsCreateOptions = {}): PatchCreateResult {
  if (format === 'ips') {
    const made = createIpsWithStats(source, target);
    const result: PatchCreateResult = { format, patch: made.patch, records: made.records, rleRecords: made.rleRecords };
    if (made.truncateTo !== undefined) result.truncateTo = made.truncateTo;
    return result;
  }
  const made = createBpsWithStats(source, target, options);
  return {
    format,
    patch: made.patch,
    records: made.actions,
    sourceCrc32: made.sourceCrc32,
    targetCrc32: made.targetCrc32,
    patchCrc32: made.patchCrc32,
  };
}

export {
  applyBps,
  createBps,
  createBpsWithStats,
  readBpsHeader,
  isBpsPatch,
  maximumPatchSourceSizeInBytes,
  maximumPatchTargetSizeInBytes,
  maximumBpsMetadataSizeInBytes,
  bpsProgressIntervalInBytes,
  type BpsApplyOptions,
  type BpsApplyResult,
  type BpsCreateOptions,
  type BpsCreateResult,
  type BpsHeader,
  type BpsChecksumName,
} from './bps.js';
export {
  applyIps,
  createIps,
  createIpsWithStats,
  parseIps,
  isIpsPatch,
  maximumIpsOffsetInBytes,
  maximumIpsRecordSizeInBytes,
  ipsEofOffset,
  type IpsApplyResult,
  type IpsCreateResult,
  type IpsRecord,
  type ParsedIps,
} from './ips.js';
export { applyPatchToRom, copierHeaderSizeOf, copierHeaderSizeInBytes, type RomPatchOptions, type RomPatchResult, type CopierHeaderHandling } from './rom-apply.js';
