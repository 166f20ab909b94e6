/**
 * Pokémon Red/Blue/Yellow (Gen 1) picture compression: nintendo-lz.md §6.
 *
 * A bit stream (most significant bit first) after a header byte of width/height in tiles: one
 * bit naming which 2bpp bit-plane comes first, that plane's packets (runs of zero pixel pairs
 * and literal pixel pairs), a 1-2 bit mode, the second plane. Then the first plane is
 * delta-decoded (running XOR along each pixel row), the second too in modes 0 and 2, and in
 * modes 1 and 2 the second plane is XORed with the first. Planes are stored tile column by
 * tile column, each 2-pixel column top to bottom.
 *
 * Output layout: the picture's 2bpp tiles in normal row-major tile order, 16 bytes per tile
 * (row y of a tile = low-plane byte, high-plane byte), as pret's `pkmncompress -u` writes it.
 * Only square pictures are accepted (as pret's tool does; Gen-1 front/back sprites are 4×4 to
 * 7×7 tiles), so an encoder input of 16·N² bytes names its own size.
 *
 * The encoder tries both plane orders and all three modes and keeps the smallest stream; the
 * packet structure of a plane is then forced (every zero run in one run packet, which is never
 * longer than two), so this is the smallest stream the format allows for the picture.
 */
import { CodecOptionError, CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, InvalidArgumentError, PicDimensionsError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { checkStreamStart, isStreamStart } from './lc-lz-common.js';

const codecName = 'gen1-pic';
/** The header's nibbles hold 1-15 tiles per side. */
export const maximumPicSideInTiles = 15;
const bytesPerTile = 16;
const rowsPerTile = 8;
/** A run packet's prefix of 1 bits may be at most this long (nintendo-lz.md §6). */
const maximumRunPrefixBits = 15;

/** Delta coding tables, index (previous bit << 8) | byte: a running XOR along a pixel row. */
const deltaDecodeTable = new Uint8Array(512);
const deltaEncodeTable = new Uint8Array(512);
for (let state = 0; state < 2; state++) {
  for (let value = 0; value < 256; value++) {
    let previous = state;
    let decoded = 0;
    let encoded = 0;
    let previousDecoded = state;
    for (let bit = 7; bit >= 0; bit--) {
      const input = (value >> bit) & 1;
      previous ^= input;
      decoded |= previous << bit;
      // Encoding treats `value` as decoded bits: each input bit is the change from the previous.
      const wanted = (value >> bit) & 1;
      encoded |= (wanted ^ previousDecoded) << bit;
      previousDecoded = wanted;
    }
    deltaDecodeTable[(state << 8) | value] = decoded;
    deltaEncodeTable[(state << 8) | value] = encoded;
  }
}

/** Applies a delta table to each pixel row of a column-major plane, in place. */
function deltaRows(plane: Uint8Array, widthInTiles: number, rows: number, table: Uint8Array, decoding: boolean): void {
  for (let r = 0; r < rows; r++) {
    let state = 0;
    for (let column = 0; column < widthInTiles; column++) {
      const index = column * rows + r;
      const input = plane[index]!;
      const output = table[(state << 8) | input]!;
      plane[index] = output;
      state = (decoding ? output : input) & 1;
    }
  }
}

const statusOk = 0;
const statusTruncated = 1;
const statusCorrupt = 2;
const statusOutputLimit = 3;
let failureStatus = statusOk;
let failureOffset = 0;
let failureWhat = '';
let walkPackedLength = 0;
let walkOutputLength = 0;

function fail(status: number, offset: number, what: string): boolean {
  failureStatus = status;
  failureOffset = offset;
  failureWhat = what;
  return false;
}

/** The two planes of the picture being decoded (reused: the largest picture is 15×15 tiles). */
const scratchPlanes = [new Uint8Array(maximumPicSideInTiles * maximumPicSideInTiles * rowsPerTile), new Uint8Array(maximumPicSideInTiles * maximumPicSideInTiles * rowsPerTile)];

/**
 * When set, a walk also refuses what no encoder writes (probeGen1PicEncoderStream): an empty
 * data packet, and set bits after the stream's last bit.
 */
let encoderStreamsOnly = false;

/** Bit reader state for one walk (module-level: no closure or object per bit). */
let readBytes: Uint8Array = new Uint8Array(0);
let readStart = 0;
let readBitPosition = 0;
let readBitLimit = 0;

/** Next bit, or −1 when the input is exhausted. */
function readBit(): number {
  if (readBitPosition >= readBitLimit) return -1;
  const bit = (readBytes[readStart + (readBitPosition >> 3)]! >> (7 - (readBitPosition & 7))) & 1;
  readBitPosition++;
  return bit;
}

/**
 * Reads one plane's packets straight into a column-major plane (zero-filled, `rows` bytes per
 * tile column): pixel pair g is 2-pixel column g / rows, row g % rows. Bits are read from
 * locals; the position goes back through `readBitPosition`.
 */
function readPlane(plane: Uint8Array, widthInTiles: number, rows: number, which: string): boolean {
  const bytes = readBytes;
  const base = readStart;
  const limit = readBitLimit;
  let position = readBitPosition;
  const total = widthInTiles * rows * 4;
  if (position >= limit) return fail(statusTruncated, base + (position >> 3), `bit stream ends before the ${which} plane`);
  let runPacket = ((bytes[base + (position >> 3)]! >> (7 - (position & 7))) & 1) === 0;
  position++;
  // Where pixel pair g goes: byte plane[column * rows + row], bits `shift`…shift+1.
  let g = 0;
  let row = 0;
  let columnBase = 0;
  let shift = 6;
  while (g < total) {
    if (runPacket) {
      const packetOffset = base + (position >> 3);
      let prefix = 0;
      for (;;) {
        if (position >= limit) return fail(statusTruncated, packetOffset, `bit stream ends inside a run packet of the ${which} plane`);
        const bit = (bytes[base + (position >> 3)]! >> (7 - (position & 7))) & 1;
        position++;
        if (bit === 0) break;
        prefix++;
        if (prefix > maximumRunPrefixBits) return fail(statusCorrupt, packetOffset, `run length prefix of more than ${maximumRunPrefixBits} one-bits in the ${which} plane`);
      }
      if (limit - position < prefix + 1) return fail(statusTruncated, packetOffset, `bit stream ends inside a run packet of the ${which} plane`);
      let value = 0;
      for (let k = 0; k <= prefix; k++) {
        value = (value << 1) | ((bytes[base + (position >> 3)]! >> (7 - (position & 7))) & 1);
        position++;
      }
      const count = (1 << (prefix + 1)) - 1 + value;
      if (count > total - g) return fail(statusCorrupt, packetOffset, `run of ${count} zero pixel pairs overshoots the ${which} plane (${total - g} left)`);
      // The plane is zero-filled: a run only moves the write position.
      g += count;
      const column = (g / rows) | 0;
      row = g - column * rows;
      columnBase = (column >> 2) * rows;
      shift = 6 - 2 * (column & 3);
    } else {
      const packetStart = g;
      while (g < total) {
        if (limit - position < 2) return fail(statusTruncated, base + (position >> 3), `bit stream ends inside a data packet of the ${which} plane`);
        // A pair never straddles more than two bytes; read 16 bits when the second exists.
        const index = base + (position >> 3);
        const window = (bytes[index]! << 8) | (index + 1 < base + (limit >> 3) ? bytes[index + 1]! : 0);
        const pair = (window >> (14 - (position & 7))) & 3;
        position += 2;
        if (pair === 0) {
          // An encoder codes a zero pixel pair in the run packet before: a data packet that
          // ends at once (a run split in two) is written by none (pret's pkmncompress, ours).
          if (encoderStreamsOnly && g === packetStart) return fail(statusCorrupt, index, `empty data packet in the ${which} plane`);
          break;
        }
        plane[columnBase + row] = plane[columnBase + row]! | (pair << shift);
        g++;
        if (++row === rows) {
          row = 0;
          if (shift === 0) {
            shift = 6;
            columnBase += rows;
          } else {
            shift -= 2;
          }
        }
      }
    }
    runPacket = !runPacket;
  }
  readBitPosition = position;
  return true;
}

/** A column-major plane's pixel pairs in stream order (2-pixel columns left to right, each top to bottom). */
function unpackPlane(plane: Uint8Array, groups: Uint8Array, widthInTiles: number, rows: number): void {
  let g = 0;
  for (let column = 0; column < widthInTiles; column++) {
    const base = column * rows;
    for (let shift = 6; shift >= 0; shift -= 2) {
      for (let r = 0; r < rows; r++) groups[g++] = (plane[base + r]! >> shift) & 3;
    }
  }
}

/**
 * Walks the picture at `start`: with `out` it decodes into it (16·N² bytes); without, it only
 * validates (the bit stream must be decoded either way, but no tiles are built).
 */
function walkPic(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null, inputEnd = bytes.length): boolean {
  if (start >= inputEnd) return fail(statusTruncated, start, 'input ends before the size header');
  const header = bytes[start]!;
  const width = header >> 4;
  const height = header & 0xf;
  if (width === 0 || height === 0) return fail(statusCorrupt, start, `header 0x${header.toString(16).padStart(2, '0')} gives a size of ${width}×${height} tiles`);
  if (width !== height) return fail(statusCorrupt, start, `header gives ${width}×${height} tiles; only square pictures are supported`);
  const outputSize = width * height * bytesPerTile;
  if (outputSize > limit) return fail(statusOutputLimit, start, String(outputSize));
  const rows = height * rowsPerTile;
  const planeSize = width * rows;
  readBytes = bytes;
  readStart = start + 1;
  readBitPosition = 0;
  readBitLimit = (inputEnd - readStart) * 8;
  const order = readBit();
  if (order < 0) return fail(statusTruncated, readStart, 'bit stream ends before the plane order bit');
  const planes = scratchPlanes;
  planes[0]!.fill(0, 0, planeSize);
  planes[1]!.fill(0, 0, planeSize);
  if (!readPlane(planes[order]!, width, rows, 'first')) return false;
  let mode = readBit();
  if (mode < 0) return fail(statusTruncated, readStart + (readBitPosition >> 3), 'bit stream ends before the mode bits');
  if (mode === 1) {
    const m = readBit();
    if (m < 0) return fail(statusTruncated, readStart + (readBitPosition >> 3), 'bit stream ends inside the mode bits');
    mode = 1 + m;
  }
  if (!readPlane(planes[order ^ 1]!, width, rows, 'second')) return false;
  // Encoders write into a zero-filled buffer: the bits after the last one are zero.
  const usedBitsOfLastByte = readBitPosition & 7;
  if (encoderStreamsOnly && usedBitsOfLastByte !== 0 && (bytes[readStart + (readBitPosition >> 3)]! & (0xff >> usedBitsOfLastByte)) !== 0) {
    return fail(statusCorrupt, readStart + (readBitPosition >> 3), 'set bits after the stream end');
  }
  walkPackedLength = 1 + ((readBitPosition + 7) >> 3);
  walkOutputLength = outputSize;
  failureStatus = statusOk;
  if (out === null) return true;

  const firstPlane = planes[order]!;
  const secondPlane = planes[order ^ 1]!;
  deltaRows(firstPlane, width, rows, deltaDecodeTable, true);
  if (mode !== 1) deltaRows(secondPlane, width, rows, deltaDecodeTable, true);
  if (mode !== 0) for (let k = 0; k < planeSize; k++) secondPlane[k] = secondPlane[k]! ^ firstPlane[k]!;
  // Column-major planes → row-major 2bpp tiles.
  const low = planes[0]!;
  const high = planes[1]!;
  let position = 0;
  for (let tileRow = 0; tileRow < height; tileRow++) {
    for (let column = 0; column < width; column++) {
      const base = column * rows + tileRow * rowsPerTile;
      for (let y = 0; y < rowsPerTile; y++) {
        out[position++] = low[base + y]!;
        out[position++] = high[base + y]!;
      }
    }
  }
  return true;
}

function picOutputLimit(limits: DecodeLimits | undefined): number {
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested === undefined) return Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${requested}`);
  return requested;
}

/** Decodes the Gen-1 picture at `offset` into row-major 2bpp tiles (16·N² bytes). */
export function decodeGen1Pic(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStreamStart(bytes, offset);
  const limit = picOutputLimit(limits);
  const header = offset < bytes.length ? bytes[offset]! : 0;
  const side = header >> 4;
  const out = new Uint8Array(side === (header & 0xf) && side * side * bytesPerTile <= limit ? side * side * bytesPerTile : 0);
  if (!walkPic(bytes, offset, limit, out)) {
    if (failureStatus === statusTruncated) throw new CodecStreamTruncatedError(codecName, failureOffset, failureWhat);
    if (failureStatus === statusOutputLimit) throw new CodecOutputLimitError(codecName, failureOffset, Number(failureWhat), limit);
    throw new CodecStreamCorruptError(codecName, failureOffset, failureWhat);
  }
  return { data: out, packedLength: walkPackedLength };
}

/** Validates the Gen-1 picture at `offset` without building tiles; null when it is not valid. */
export function probeGen1Pic(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isStreamStart(bytes, offset)) return null;
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) return null;
  if (!walkPic(bytes, offset, picOutputLimit(limits), null)) return null;
  return { packedLength: walkPackedLength, unpackedLength: walkOutputLength };
}

/**
 * Like probeGen1Pic, for streams an encoder wrote: also null at the first empty data packet
 * (a zero pixel pair belongs to the run packet before it, so no encoder ends a data packet at
 * once) and when bits after the stream's last one are set (encoders write into a zero-filled
 * buffer). pret's pkmncompress, which rebuilds Pokémon Red/Blue/Yellow byte for byte, and our
 * encoder write neither; random bytes read as a picture hit an empty data packet at about one
 * data packet in four, so most readings of other data stop within a few packets.
 * `maximumPackedLengthInBytes` stops the walk once the stream would be longer.
 */
export function probeGen1PicEncoderStream(bytes: Uint8Array, offset: number, maximumPackedLengthInBytes = Number.MAX_SAFE_INTEGER): ProbeResult | null {
  if (!isStreamStart(bytes, offset)) return null;
  encoderStreamsOnly = true;
  try {
    // Past this many bytes the stream is too long: reading stops there (the walk fails as truncated).
    if (!walkPic(bytes, offset, Number.MAX_SAFE_INTEGER, null, Math.min(bytes.length, offset + Math.max(0, maximumPackedLengthInBytes)))) return null;
  } finally {
    encoderStreamsOnly = false;
  }
  return { packedLength: walkPackedLength, unpackedLength: walkOutputLength };
}

/** Most-significant-bit-first writer into a buffer sized for the worst case. */
class BitWriter {
  readonly bytes: Uint8Array;
  position = 0;
  constructor(capacityInBytes: number) {
    this.bytes = new Uint8Array(capacityInBytes);
  }
  write(value: number, count: number): void {
    for (let k = count - 1; k >= 0; k--) {
      if ((value >> k) & 1) this.bytes[this.position >> 3] = this.bytes[this.position >> 3]! | (0x80 >> (this.position & 7));
      this.position++;
    }
  }
}

/** Writes one plane's packets: zero runs as run packets, other pixel pairs as data packets. */
function writePlane(writer: BitWriter, groups: Uint8Array): void {
  const total = groups.length;
  let g = 0;
  writer.write(groups[0] === 0 ? 0 : 1, 1);
  while (g < total) {
    if (groups[g] === 0) {
      let end = g;
      while (end < total && groups[end] === 0) end++;
      const count = end - g;
      // count + 1 = 2^(k+1) + v, v < 2^(k+1): k one-bits, a zero, then v in k+1 bits.
      const bits = 31 - Math.clz32(count + 1);
      const prefix = bits - 1;
      writer.write((1 << prefix) - 1, prefix);
      writer.write(0, 1);
      writer.write(count + 1 - (1 << bits), bits);
      g = end;
    } else {
      while (g < total && groups[g] !== 0) writer.write(groups[g++]!, 2);
      if (g < total) writer.write(0, 2);
    }
  }
}

/** Encodes `data` (N×N row-major 2bpp tiles, N = 1-15) as the smallest Gen-1 picture stream. */
export function encodeGen1Pic(data: Uint8Array): Uint8Array {
  const tiles = data.length / bytesPerTile;
  const side = Math.round(Math.sqrt(tiles));
  if (!Number.isInteger(tiles) || side < 1 || side > maximumPicSideInTiles || side * side !== tiles) throw new PicDimensionsError(data.length);
  const rows = side * rowsPerTile;
  const planeSize = side * rows;
  const planes = [new Uint8Array(planeSize), new Uint8Array(planeSize)];
  let position = 0;
  for (let tileRow = 0; tileRow < side; tileRow++) {
    for (let column = 0; column < side; column++) {
      const base = column * rows + tileRow * rowsPerTile;
      for (let y = 0; y < rowsPerTile; y++) {
        planes[0]![base + y] = data[position++]!;
        planes[1]![base + y] = data[position++]!;
      }
    }
  }
  // Worst case per plane: pixel pairs alternating zero / non-zero cost 3 bits each on average
  // (2-bit literal, 2-bit terminator, 2-bit run of one), 12 bits per plane byte.
  const capacity = 2 * Math.ceil((planeSize * 4 * 3) / 8) + 16;
  const groups = new Uint8Array(planeSize * 4);
  let best: Uint8Array | null = null;
  for (let order = 0; order < 2; order++) {
    const first = planes[order]!;
    const second = planes[order ^ 1]!;
    const firstCoded = first.slice();
    deltaRows(firstCoded, side, rows, deltaEncodeTable, false);
    for (let mode = 0; mode < 3; mode++) {
      const secondCoded = second.slice();
      if (mode !== 0) for (let k = 0; k < planeSize; k++) secondCoded[k] = secondCoded[k]! ^ first[k]!;
      if (mode !== 1) deltaRows(secondCoded, side, rows, deltaEncodeTable, false);
      const writer = new BitWriter(capacity);
      writer.write(order, 1);
      unpackPlane(firstCoded, groups, side, rows);
      writePlane(writer, groups);
      if (mode === 0) writer.write(0, 1);
      else writer.write(mode === 1 ? 0b10 : 0b11, 2);
      unpackPlane(secondCoded, groups, side, rows);
      writePlane(writer, groups);
      const size = 1 + ((writer.position + 7) >> 3);
      if (best === null || size < best.length) {
        best = new Uint8Array(size);
        best[0] = (side << 4) | side;
        best.set(writer.bytes.subarray(0, size - 1), 1);
      }
    }
  }
  return best!;
}

/** Level names: the encoder always makes the smallest stream, so there is one. */
export const gen1PicLevels = ['max'] as const;

/** Pokémon Red/Blue/Yellow picture compression. */
export const gen1PicCodec: Codec = {
  name: codecName,
  description: 'Pokémon Red/Blue/Yellow pictures: bit-plane RLE with delta/XOR modes; square N×N-tile 2bpp pictures (decoded row-major); level max',
  levels: gen1PicLevels,
  defaultLevel: 'max',
  platforms: ['gb', 'gbc'],
  canCompress: true,
  decompress: decodeGen1Pic,
  probe: probeGen1Pic,
  compress(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
    const level = String(options.level ?? 'max');
    if (level !== 'max') throw new CodecOptionError(codecName, `unknown level "${level}"; levels: max`, { level });
    return encodeGen1Pic(data);
  },
};
