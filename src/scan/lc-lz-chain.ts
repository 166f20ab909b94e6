/**
 * Every-offset LC_LZ1/2/3/5 validation in one backward pass, as hal-chain.ts does for HAL (the
 * LC_LZ container is HAL's: one command byte, short and long forms, 0xFF at a command position
 * ends the stream; nintendo-lz.md §0).
 *
 * A command's length and its start-independent checks (truncation, an undefined command, LZ3's
 * backward copy below 0, LZ5's distance 0) depend only on its own bytes, so the walks from all
 * offsets form chains that merge, and one pass from the end of the window gives, per position:
 * `total` (output of the stream from there, −1 when invalid), `end` (one past its terminator)
 * and `need`, the least total output a start must have so that every copy reads output already
 * written: an absolute source s at a command with `rest` output from it to the end needs
 * total ≥ s + 1 + rest; a relative distance d needs total ≥ d + rest (LZ3's backward relative
 * copy reads count − 1 further back: d + count − 1 + rest). `total ≥ 0 && total ≥ need` is
 * exactly what the codec's probe says (test/scan/lc-lz-chain.test.ts checks every offset).
 */
import { lcLzEndOfStream, maximumLcLzOutputSizeInBytes, type LcLzVariant } from '../codecs/nintendo/lc-lz-common.js';
import type { HalChains } from './hal-chain.js';

/**
 * The longest LC_LZ stream the scanner considers: 64 KiB of output at the worst rate of literal
 * data (a 1-byte header per 32 literals) plus the terminator. Longer streams are implausible
 * (plausibleRatio), so the pass looks no further ahead.
 */
export const plausibleLcLzSpanInBytes = maximumLcLzOutputSizeInBytes + maximumLcLzOutputSizeInBytes / 32 + 1;

/** The chains of one LC_LZ variant for stream starts [start, stop) (see the module comment). */
export function computeLcLzChains(variant: LcLzVariant, bytes: Uint8Array, start: number, stop: number, lookahead = plausibleLcLzSpanInBytes): HalChains {
  const windowEnd = Math.min(bytes.length, stop + lookahead);
  const length = Math.max(0, windowEnd - start);
  const total = new Int32Array(length);
  const end = new Int32Array(length);
  const need = new Int32Array(length);
  const dataEnd = bytes.length;
  const limit = maximumLcLzOutputSizeInBytes;
  for (let i = length - 1; i >= 0; i--) {
    const p = start + i;
    const h = bytes[p]!;
    if (h === lcLzEndOfStream) {
      total[i] = 0;
      end[i] = p + 1;
      need[i] = 0;
      continue;
    }
    let q = p + 1;
    let command: number;
    let count: number;
    let long = false;
    if ((h & 0xe0) === 0xe0) {
      if (q >= dataEnd) {
        total[i] = -1;
        continue;
      }
      command = (h >> 2) & 7;
      count = (((h & 3) << 8) | bytes[q]!) + 1;
      q++;
      long = true;
    } else {
      command = h >> 5;
      count = (h & 0x1f) + 1;
    }
    // The copy's constraint on the start: total ≥ absolute + 1 + here, or ≥ distance + here.
    let absolute = -1;
    let distance = 0;
    let invalid = false;
    switch (command) {
      case 0:
        q += count;
        break;
      case 1:
        q += 1;
        break;
      case 2:
        q += 2;
        break;
      case 3:
        if (variant !== 3) q += 1;
        break;
      default:
        if (variant === 1 || variant === 2) {
          if (command !== 4) invalid = true;
          else if (q + 2 > dataEnd) invalid = true;
          else {
            absolute = variant === 2 ? (bytes[q]! << 8) | bytes[q + 1]! : bytes[q]! | (bytes[q + 1]! << 8);
            q += 2;
          }
        } else if (variant === 3) {
          if (command === 7 || q >= dataEnd) invalid = true;
          else {
            const b = bytes[q++]!;
            if (b & 0x80) {
              distance = (b & 0x7f) + 1;
              if (command === 6) distance += count - 1;
            } else if (q >= dataEnd) invalid = true;
            else {
              absolute = (b << 8) | bytes[q++]!;
              if (command === 6 && absolute - (count - 1) < 0) invalid = true;
            }
          }
        } else if (command <= 5) {
          if (q + 2 > dataEnd) invalid = true;
          else {
            absolute = bytes[q]! | (bytes[q + 1]! << 8);
            q += 2;
          }
        } else if (q >= dataEnd) invalid = true;
        else {
          distance = bytes[q++]!;
          if (distance === 0) invalid = true;
        }
    }
    // Undefined commands, truncated operands, or a chain that leaves the window.
    if (invalid || (long && command === 7 && variant !== 5) || q > dataEnd || q >= windowEnd) {
      total[i] = -1;
      continue;
    }
    const j = q - start;
    const rest = total[j]!;
    if (rest < 0 || rest + count > limit) {
      total[i] = -1;
      continue;
    }
    const here = rest + count;
    total[i] = here;
    end[i] = end[j]!;
    const copyNeed = absolute >= 0 ? absolute + 1 + here : distance > 0 ? distance + here : 0;
    const after = need[j]!;
    need[i] = copyNeed > after ? copyNeed : after;
  }
  return { windowStart: start, total, end, need };
}
