/**
 * Tile kernels: the per-family inner loops that turn tile bytes into an "indices plane" and back.
 *
 * The indices plane holds one byte per pixel, tile-major: tile t's pixel (x, y) is at
 * `t * 64 + y * 8 + x`. Every kernel is a pure, allocation-free function over Uint8Arrays with
 * module-scope lookup tables, written so that a C++ port can mirror it line by line:
 *
 * - planar (bitplanes, any offsets):    decodePlanarTiles / encodePlanarTiles
 *   1bpp (both bit orders), NES 2bpp, GB/SNES 2bpp, SNES 3bpp, SNES/PCE 4bpp, SNES 8bpp, SMS 4bpp
 * - packed nibbles:                     decodePackedNibbleTiles / encodePackedNibbleTiles
 *   GBA 4bpp (low nibble left), Mega Drive and WSC packed 4bpp (high nibble left)
 * - NGP 2bpp (16-bit LE word per row):  decodeNgp2bppTiles / encodeNgp2bppTiles
 * - linear 8bpp:                        decodeLinear8bppTiles / encodeLinear8bppTiles
 *
 * Spec: /shared/formats/tiles-and-palettes.md (copied in docs as the tile format table).
 *
 * Encoders check every index against the bit depth: an index that does not fit throws
 * IndexOutOfRangeError naming the tile and the pixel inside it; nothing is ever masked. When an
 * encoder throws, the output buffer holds a partial result and must be discarded.
 */
import { IndexOutOfRangeError, TileDataLengthError } from '../errors.js';

/** Pixels in one 8×8 tile: the size of one tile in the indices plane. */
export const pixelsPerTile = 64;

/** Where each bitplane of a planar tile lives: byte `planeOffsets[p] + y * rowStrides[p]` holds row y of plane p. */
export interface PlanarLayout {
  readonly bytesPerTile: number;
  readonly planeCount: number;
  readonly planeOffsets: Uint8Array;
  readonly rowStrides: Uint8Array;
  /** Bit 0 of each plane byte is the leftmost pixel (GBA/tonc fonts); otherwise bit 7 is. */
  readonly lsbFirst: boolean;
}

function planar(bytesPerTile: number, planeOffsets: readonly number[], rowStrides: readonly number[], lsbFirst = false): PlanarLayout {
  return Object.freeze({
    bytesPerTile,
    planeCount: planeOffsets.length,
    planeOffsets: Uint8Array.from(planeOffsets),
    rowStrides: Uint8Array.from(rowStrides),
    lsbFirst,
  });
}

// The planar layouts of the spec table. "GB-style pair" = per row a plane-0 byte then a plane-1 byte.
/** 1bpp: one byte per row, bit 7 = left. */
export const planarLayout1bpp = planar(8, [0], [1]);
/** 1bpp reversed (GBA/tonc fonts): one byte per row, bit 0 = left. */
export const planarLayout1bppLsb = planar(8, [0], [1], true);
/** NES: 8 bytes of plane 0 (rows 0–7), then 8 bytes of plane 1. */
export const planarLayoutNes2bpp = planar(16, [0, 8], [1, 1]);
/** GB / SNES 2bpp: one GB-style pair per row. */
export const planarLayoutGb2bpp = planar(16, [0, 1], [2, 2]);
/** SNES 3bpp: a GB 2bpp tile (16 B), then plane 2 as 8 row bytes. */
export const planarLayoutSnes3bpp = planar(24, [0, 1, 16], [2, 2, 1]);
/** SNES / PCE 4bpp: planes 0/1 as GB 2bpp (16 B), then planes 2/3 the same way. */
export const planarLayoutSnes4bpp = planar(32, [0, 1, 16, 17], [2, 2, 2, 2]);
/** SNES 8bpp: four GB 2bpp blocks, planes 0/1, 2/3, 4/5, 6/7. */
export const planarLayoutSnes8bpp = planar(64, [0, 1, 16, 17, 32, 33, 48, 49], [2, 2, 2, 2, 2, 2, 2, 2]);
/** SMS / GG / WSC 4bpp: per row four bytes, planes 0–3. */
export const planarLayoutSms4bpp = planar(32, [0, 1, 2, 3], [4, 4, 4, 4]);

// Spread tables: for a plane byte b, the 0/1 bit of pixels 0–3 in the four byte lanes of a
// 32-bit word (lane i = bits 8i..8i+7 = pixel i), and of pixels 4–7 likewise. A row of up to 8
// planes then decodes as 2 lookups per plane ORed at the plane's bit, and 8 byte stores.
const spreadMsbLeft = new Int32Array(512);
const spreadLsbLeft = new Int32Array(512);
/** Byte with its bits in reverse order; turns an MSB-first row byte into an LSB-first one. */
const reversedBits = new Uint8Array(256);
/** Byte → itself: the MSB-first row order, so both orders share one store path. */
const identityBits = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let msbLo = 0;
  let msbHi = 0;
  let lsbLo = 0;
  let lsbHi = 0;
  let reversed = 0;
  for (let i = 0; i < 4; i++) {
    msbLo |= ((b >> (7 - i)) & 1) << (8 * i);
    msbHi |= ((b >> (3 - i)) & 1) << (8 * i);
    lsbLo |= ((b >> i) & 1) << (8 * i);
    lsbHi |= ((b >> (4 + i)) & 1) << (8 * i);
  }
  for (let i = 0; i < 8; i++) reversed |= ((b >> i) & 1) << (7 - i);
  spreadMsbLeft[b * 2] = msbLo;
  spreadMsbLeft[b * 2 + 1] = msbHi;
  spreadLsbLeft[b * 2] = lsbLo;
  spreadLsbLeft[b * 2 + 1] = lsbHi;
  reversedBits[b] = reversed;
  identityBits[b] = b;
}

/**
 * Gathers the low bit of the four byte lanes of `lanes` (each 0 or 1) into a nibble, lane 0 in
 * bit 3. The multiplier places lane i's bit at bit 27 − i with no two partial products on the same
 * bit (positions 8i + {0, 9, 18, 27} are all distinct), so the product has no carries.
 */
function gatherLaneBits(lanes: number): number {
  return (Math.imul(lanes, 0x08040201) >>> 24) & 0x0f;
}

/** The lanes whose values need more than `bpp` bits: an OR of a row's pixels ANDed with this is 0 when all fit. */
function overflowMask(bpp: number): number {
  if (bpp >= 8) return 0;
  const lane = (0xff << bpp) & 0xff;
  return (lane | (lane << 8) | (lane << 16) | (lane << 24)) | 0;
}

/** Throws unless `bytes` and `indices` hold `tileCount` tiles (shared with the native glue, so both refuse alike). */
export function checkKernelLengths(what: string, bytes: Uint8Array, bytesPerTile: number, indices: Uint8Array, tileCount: number): void {
  if (!Number.isSafeInteger(tileCount) || tileCount < 0) {
    throw new TileDataLengthError(`${what}: tile count ${tileCount} is not a non-negative integer`, { tileCount });
  }
  if (bytes.length < tileCount * bytesPerTile) {
    throw new TileDataLengthError(`${what}: ${tileCount} tiles need ${tileCount * bytesPerTile} bytes of tile data, got ${bytes.length}`, {
      tileCount,
      bytesPerTile,
      length: bytes.length,
    });
  }
  if (indices.length < tileCount * pixelsPerTile) {
    throw new TileDataLengthError(`${what}: ${tileCount} tiles need ${tileCount * pixelsPerTile} index bytes, got ${indices.length}`, {
      tileCount,
      length: indices.length,
    });
  }
}

/** The error for tile `tile`: names its first pixel whose index needs more than `bpp` bits (shared with the native glue). */
export function indexTooLargeError(indices: Uint8Array, tile: number, bpp: number): IndexOutOfRangeError {
  const base = tile * pixelsPerTile;
  const maximum = (1 << bpp) - 1;
  for (let i = 0; i < pixelsPerTile; i++) {
    const value = indices[base + i]!;
    if (value > maximum) {
      const x = i & 7;
      const y = i >> 3;
      return new IndexOutOfRangeError(`tile ${tile} pixel (${x}, ${y}) has index ${value}, which does not fit in ${bpp} bpp (maximum ${maximum})`, {
        tile,
        x,
        y,
        value,
        maximum,
        bpp,
      });
    }
  }
  return new IndexOutOfRangeError(`tile ${tile} has an index that does not fit in ${bpp} bpp`, { tile, bpp });
}

function throwIndexTooLarge(indices: Uint8Array, tile: number, bpp: number): never {
  throw indexTooLargeError(indices, tile, bpp);
}

/** A packed byte → its two pixels as a little-endian 16-bit pair (first pixel in the low byte), for each nibble order. */
const nibblePairLowLeft = new Uint16Array(256);
const nibblePairHighLeft = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  nibblePairLowLeft[b] = (b & 0x0f) | ((b >> 4) << 8);
  nibblePairHighLeft[b] = (b >> 4) | ((b & 0x0f) << 8);
}

/** True on little-endian hosts: a 32-bit store then puts lane i (pixel i) at byte i. */
export const hostIsLittleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * A 32-bit view of the indices plane when rows can be moved as two words (4-byte aligned,
 * little-endian host); undefined otherwise, and the kernels use byte stores. The only allocation
 * in a kernel call: one view object per call, none per tile or pixel.
 */
function wordView(indices: Uint8Array): Int32Array | undefined {
  if (!hostIsLittleEndian || indices.byteOffset % 4 !== 0) return undefined;
  return new Int32Array(indices.buffer, indices.byteOffset, indices.length >> 2);
}

/** Stores one decoded row (pixels 0–3 in `left`'s lanes, 4–7 in `right`'s) at `out`. */
function storeRow(indices: Uint8Array, words: Int32Array | undefined, out: number, left: number, right: number): void {
  if (words) {
    words[out >> 2] = left;
    words[(out >> 2) + 1] = right;
    return;
  }
  indices[out] = left & 0xff;
  indices[out + 1] = (left >>> 8) & 0xff;
  indices[out + 2] = (left >>> 16) & 0xff;
  indices[out + 3] = left >>> 24;
  indices[out + 4] = right & 0xff;
  indices[out + 5] = (right >>> 8) & 0xff;
  indices[out + 6] = (right >>> 16) & 0xff;
  indices[out + 7] = right >>> 24;
}

/** Loads the four pixels at `at` (half a row) as the byte lanes of one 32-bit word. */
function loadHalfRow(indices: Uint8Array, words: Int32Array | undefined, at: number): number {
  if (words) return words[at >> 2]!;
  return indices[at]! | (indices[at + 1]! << 8) | (indices[at + 2]! << 16) | (indices[at + 3]! << 24);
}

/**
 * Decodes `tileCount` planar tiles from `bytes` into `indices` (see PlanarLayout). The 1-, 2-, 3-
 * and 4-plane cases are unrolled with the plane offsets hoisted into locals (3× faster than the
 * plane loop in V8); the default case handles any plane count (SNES 8bpp).
 */
export function decodePlanarTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number, layout: PlanarLayout): void {
  const { bytesPerTile, planeCount, planeOffsets, rowStrides } = layout;
  checkKernelLengths('decode planar tiles', bytes, bytesPerTile, indices, tileCount);
  const spread = layout.lsbFirst ? spreadLsbLeft : spreadMsbLeft;
  const words = wordView(indices);
  const o0 = planeOffsets[0]!;
  const s0 = rowStrides[0]!;
  const o1 = planeOffsets[1] ?? 0;
  const s1 = rowStrides[1] ?? 0;
  const o2 = planeOffsets[2] ?? 0;
  const s2 = rowStrides[2] ?? 0;
  const o3 = planeOffsets[3] ?? 0;
  const s3 = rowStrides[3] ?? 0;
  let out = 0;
  switch (planeCount) {
    case 1:
      for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
        for (let y = 0; y < 8; y++, out += 8) {
          const b0 = bytes[base + o0 + y * s0]! << 1;
          storeRow(indices, words, out, spread[b0]!, spread[b0 + 1]!);
        }
      }
      return;
    case 2:
      for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
        for (let y = 0; y < 8; y++, out += 8) {
          const b0 = bytes[base + o0 + y * s0]! << 1;
          const b1 = bytes[base + o1 + y * s1]! << 1;
          storeRow(indices, words, out, spread[b0]! | (spread[b1]! << 1), spread[b0 + 1]! | (spread[b1 + 1]! << 1));
        }
      }
      return;
    case 3:
      for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
        for (let y = 0; y < 8; y++, out += 8) {
          const b0 = bytes[base + o0 + y * s0]! << 1;
          const b1 = bytes[base + o1 + y * s1]! << 1;
          const b2 = bytes[base + o2 + y * s2]! << 1;
          storeRow(indices, words, out, spread[b0]! | (spread[b1]! << 1) | (spread[b2]! << 2), spread[b0 + 1]! | (spread[b1 + 1]! << 1) | (spread[b2 + 1]! << 2));
        }
      }
      return;
    case 4:
      for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
        for (let y = 0; y < 8; y++, out += 8) {
          const b0 = bytes[base + o0 + y * s0]! << 1;
          const b1 = bytes[base + o1 + y * s1]! << 1;
          const b2 = bytes[base + o2 + y * s2]! << 1;
          const b3 = bytes[base + o3 + y * s3]! << 1;
          storeRow(
            indices,
            words,
            out,
            spread[b0]! | (spread[b1]! << 1) | (spread[b2]! << 2) | (spread[b3]! << 3),
            spread[b0 + 1]! | (spread[b1 + 1]! << 1) | (spread[b2 + 1]! << 2) | (spread[b3 + 1]! << 3),
          );
        }
      }
      return;
    default:
      for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
        for (let y = 0; y < 8; y++, out += 8) {
          let left = 0;
          let right = 0;
          for (let p = 0; p < planeCount; p++) {
            const b = bytes[base + planeOffsets[p]! + y * rowStrides[p]!]! << 1;
            left |= spread[b]! << p;
            right |= spread[b + 1]! << p;
          }
          storeRow(indices, words, out, left, right);
        }
      }
  }
}

/** One plane's row byte from a row's two lane words: bit p of each pixel, pixel 0 in bit 7. */
function planeRowByte(left: number, right: number, p: number): number {
  return (gatherLaneBits((left >>> p) & 0x01010101) << 4) | gatherLaneBits((right >>> p) & 0x01010101);
}

/** Encodes `tileCount` tiles of `indices` as planar tiles into `bytes`; the inverse of decodePlanarTiles. */
export function encodePlanarTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number, layout: PlanarLayout): void {
  const { bytesPerTile, planeCount, planeOffsets, rowStrides, lsbFirst } = layout;
  checkKernelLengths('encode planar tiles', bytes, bytesPerTile, indices, tileCount);
  const tooLarge = overflowMask(planeCount);
  const words = wordView(indices);
  const order = lsbFirst ? reversedBits : identityBits;
  const o0 = planeOffsets[0]!;
  const s0 = rowStrides[0]!;
  const o1 = planeOffsets[1] ?? 0;
  const s1 = rowStrides[1] ?? 0;
  const o2 = planeOffsets[2] ?? 0;
  const s2 = rowStrides[2] ?? 0;
  const o3 = planeOffsets[3] ?? 0;
  const s3 = rowStrides[3] ?? 0;
  let input = 0;
  for (let tile = 0, base = 0; tile < tileCount; tile++, base += bytesPerTile) {
    let seen = 0;
    for (let y = 0; y < 8; y++, input += 8) {
      const left = loadHalfRow(indices, words, input);
      const right = loadHalfRow(indices, words, input + 4);
      seen |= left | right;
      if (planeCount <= 4) {
        bytes[base + o0 + y * s0] = order[planeRowByte(left, right, 0)]!;
        if (planeCount > 1) bytes[base + o1 + y * s1] = order[planeRowByte(left, right, 1)]!;
        if (planeCount > 2) bytes[base + o2 + y * s2] = order[planeRowByte(left, right, 2)]!;
        if (planeCount > 3) bytes[base + o3 + y * s3] = order[planeRowByte(left, right, 3)]!;
      } else {
        for (let p = 0; p < planeCount; p++) bytes[base + planeOffsets[p]! + y * rowStrides[p]!] = order[planeRowByte(left, right, p)]!;
      }
    }
    if ((seen & tooLarge) !== 0) throwIndexTooLarge(indices, tile, planeCount);
  }
}

/**
 * Decodes packed 4bpp tiles (2 pixels per byte, rows of 4 bytes). `lowNibbleLeft`: GBA order (low
 * nibble = left pixel); otherwise Mega Drive / WSC packed order (high nibble = left pixel).
 */
export function decodePackedNibbleTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number, lowNibbleLeft: boolean): void {
  checkKernelLengths('decode packed 4bpp tiles', bytes, 32, indices, tileCount);
  // Tile-major packed data is already in indices-plane order, two pixels per byte: one table
  // lookup and one 16-bit store per byte when the plane is 2-byte aligned on a little-endian host.
  const byteCount = tileCount * 32;
  const pairs = hostIsLittleEndian && indices.byteOffset % 2 === 0 ? new Uint16Array(indices.buffer, indices.byteOffset, indices.length >> 1) : undefined;
  const split = lowNibbleLeft ? nibblePairLowLeft : nibblePairHighLeft;
  if (pairs) {
    for (let i = 0; i < byteCount; i++) pairs[i] = split[bytes[i]!]!;
    return;
  }
  for (let i = 0, out = 0; i < byteCount; i++, out += 2) {
    const pair = split[bytes[i]!]!;
    indices[out] = pair & 0xff;
    indices[out + 1] = pair >> 8;
  }
}

/** Encodes packed 4bpp tiles; the inverse of decodePackedNibbleTiles. */
export function encodePackedNibbleTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number, lowNibbleLeft: boolean): void {
  checkKernelLengths('encode packed 4bpp tiles', bytes, 32, indices, tileCount);
  for (let tile = 0, input = 0, out = 0; tile < tileCount; tile++) {
    let seen = 0;
    for (let i = 0; i < 32; i++, input += 2, out++) {
      const left = indices[input]!;
      const right = indices[input + 1]!;
      seen |= left | right;
      bytes[out] = lowNibbleLeft ? (left & 0x0f) | ((right & 0x0f) << 4) : ((left & 0x0f) << 4) | (right & 0x0f);
    }
    // The & 0x0f above only shapes bytes that are then rejected here; no index is silently masked.
    if (seen > 0x0f) throwIndexTooLarge(indices, tile, 4);
  }
}

/** Decodes NGP 2bpp tiles: per row one 16-bit little-endian word, leftmost pixel in bits 15–14. */
export function decodeNgp2bppTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number): void {
  checkKernelLengths('decode NGP 2bpp tiles', bytes, 16, indices, tileCount);
  const rowCount = tileCount * 8;
  for (let row = 0, i = 0, out = 0; row < rowCount; row++, i += 2, out += 8) {
    // Little-endian: the high byte (pixels 0–3) is the second byte of the word.
    const left = bytes[i + 1]!;
    const right = bytes[i]!;
    indices[out] = left >> 6;
    indices[out + 1] = (left >> 4) & 3;
    indices[out + 2] = (left >> 2) & 3;
    indices[out + 3] = left & 3;
    indices[out + 4] = right >> 6;
    indices[out + 5] = (right >> 4) & 3;
    indices[out + 6] = (right >> 2) & 3;
    indices[out + 7] = right & 3;
  }
}

/** Encodes NGP 2bpp tiles; the inverse of decodeNgp2bppTiles. */
export function encodeNgp2bppTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number): void {
  checkKernelLengths('encode NGP 2bpp tiles', bytes, 16, indices, tileCount);
  for (let tile = 0, input = 0, out = 0; tile < tileCount; tile++) {
    let seen = 0;
    for (let y = 0; y < 8; y++, input += 8, out += 2) {
      const p0 = indices[input]!;
      const p1 = indices[input + 1]!;
      const p2 = indices[input + 2]!;
      const p3 = indices[input + 3]!;
      const p4 = indices[input + 4]!;
      const p5 = indices[input + 5]!;
      const p6 = indices[input + 6]!;
      const p7 = indices[input + 7]!;
      seen |= p0 | p1 | p2 | p3 | p4 | p5 | p6 | p7;
      bytes[out + 1] = ((p0 << 6) | (p1 << 4) | (p2 << 2) | p3) & 0xff;
      bytes[out] = ((p4 << 6) | (p5 << 4) | (p6 << 2) | p7) & 0xff;
    }
    if (seen > 3) throwIndexTooLarge(indices, tile, 2);
  }
}

/** Decodes linear 8bpp tiles (SNES Mode 7, GBA 8bpp): one byte per pixel, already in plane order. */
export function decodeLinear8bppTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number): void {
  checkKernelLengths('decode 8bpp linear tiles', bytes, 64, indices, tileCount);
  indices.set(bytes.subarray(0, tileCount * 64));
}

/** Encodes linear 8bpp tiles: every byte value fits, so this is a copy. */
export function encodeLinear8bppTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number): void {
  checkKernelLengths('encode 8bpp linear tiles', bytes, 64, indices, tileCount);
  bytes.set(indices.subarray(0, tileCount * 64));
}
