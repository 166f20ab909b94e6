/**
 * GBA BIOS Huffman (type 0x24: 4-bit units, 0x28: 8-bit units).
 *
 * After the header: a tree-size byte s (the table, this byte included, is (s + 1) · 2 bytes),
 * then the tree nodes starting with the root. A node byte holds a 6-bit offset; its two
 * children sit at (address & ~1) + offset · 2 + 2 and one after, addresses counted from the
 * tree-size byte (which is word-aligned in ROM). Bit 7 marks child 0 as a leaf, bit 6 child 1.
 * The bitstream follows the table as 32-bit little-endian words read from bit 31 down; 0 takes
 * child 0. 4-bit symbols fill each byte low nibble first.
 *
 * The encoder builds Huffman code lengths (frequencies floored until no code passes
 * `maximumHuffmanCodeLengthInBits`), then a tree level by level from them in which no level
 * has more than 32 internal nodes. The table lays nodes out breadth-first, internal nodes
 * first on each level, so a node's child pair is at most (internal nodes left on its level) +
 * (internal nodes before its child on the next) = 31 + 31 pairs on: the 6-bit offset always
 * fits. Where the data would want a wider level (near-uniform 8-bit data), some codes get
 * shorter and others longer than Huffman's, at a small cost. `variant` '4' or '8' forces the
 * unit size; otherwise (level `max`) both are built and the smaller kept (8-bit on a tie).
 * The table is padded to a whole number of words, as the BIOS reads the bitstream by words.
 */
import { CodecStreamCorruptError, CodecStreamTruncatedError, CodecOptionError, InternalError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { checkGbaCompressInput, gbaBiosHeaderSizeInBytes, gbaTypeHuffman4, gbaTypeHuffman8, probeGbaBiosHeader, readGbaBiosHeader, writeGbaBiosHeader } from './header.js';

const acceptedTypes = [gbaTypeHuffman4, gbaTypeHuffman8] as const;

let walkEnd = 0;
let failureOffset = 0;
let failureWhat = '';

function failWith(offset: number, what: string): boolean {
  failureOffset = offset;
  failureWhat = what;
  return false;
}

function walkHuffman(bytes: Uint8Array, offset: number, size: number, unitBits: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  const treeStart = offset + gbaBiosHeaderSizeInBytes;
  if (treeStart >= end) return failWith(treeStart, 'truncated: no tree-size byte');
  const treeBytes = (bytes[treeStart]! + 1) * 2;
  if (end - treeStart < treeBytes) return failWith(treeStart, `truncated: the ${treeBytes}-byte tree runs past the input`);
  let inPos = treeStart + treeBytes;
  const unitsPerByte = 8 / unitBits;
  const totalUnits = size * unitsPerByte;
  let word = 0;
  let bitsLeft = 0;
  let unit = 0;
  while (unit < totalUnits) {
    // Walk from the root (relative address 1) to a leaf; child addresses always grow, so the walk ends.
    let node = 1;
    for (;;) {
      if (bitsLeft === 0) {
        if (end - inPos < 4) return failWith(inPos, 'truncated: bitstream ends before the declared output size');
        word = (bytes[inPos]! | (bytes[inPos + 1]! << 8) | (bytes[inPos + 2]! << 16) | (bytes[inPos + 3]! << 24)) >>> 0;
        inPos += 4;
        bitsLeft = 32;
      }
      bitsLeft--;
      const bit = (word >>> bitsLeft) & 1;
      const value = bytes[treeStart + node]!;
      const child = (node & ~1) + (value & 0x3f) * 2 + 2 + bit;
      if (child >= treeBytes) return failWith(treeStart + node, `tree node points to ${child}, outside the ${treeBytes}-byte tree`);
      const isLeaf = (value & (bit === 0 ? 0x80 : 0x40)) !== 0;
      if (isLeaf) {
        const symbol = bytes[treeStart + child]!;
        if (symbol >> unitBits !== 0) return failWith(treeStart + child, `leaf value 0x${symbol.toString(16)} does not fit ${unitBits} bits`);
        if (out !== null) {
          if (unitBits === 8) out[unit] = symbol;
          else out[unit >> 1] = out[unit >> 1]! | (symbol << ((unit & 1) * 4));
        }
        break;
      }
      node = child;
    }
    unit++;
  }
  walkEnd = inPos;
  return true;
}

/** Decodes a GBA BIOS Huffman stream (4- or 8-bit symbols, header type 0x2x) at `offset`; romgfx decodes it but does not encode it. */
export function decodeGbaHuffman(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const header = readGbaBiosHeader('huffman', bytes, offset, acceptedTypes, limits);
  const out = new Uint8Array(header.outputSize);
  if (!walkHuffman(bytes, offset, header.outputSize, header.type & 0x0f, out)) {
    if (failureWhat.startsWith('truncated')) throw new CodecStreamTruncatedError('huffman', failureOffset, failureWhat.slice('truncated: '.length));
    throw new CodecStreamCorruptError('huffman', failureOffset, failureWhat);
  }
  return { data: out, packedLength: walkEnd - offset };
}

export function probeGbaHuffman(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  const size = probeGbaBiosHeader(bytes, offset, acceptedTypes, limits);
  if (size < 0 || !walkHuffman(bytes, offset, size, bytes[offset]! & 0x0f, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: size };
}

/** Codes never pass this many bits (the bit writer and the table stay small). */
export const maximumHuffmanCodeLengthInBits = 24;
/**
 * Caps on internal nodes per tree level, tried in order until the breadth-first layout's
 * offsets all fit 6 bits. The last, 32, always fits: a child pair is at most 31 + 31 pairs on.
 */
const internalNodesPerLevelCaps = [Number.POSITIVE_INFINITY, 56, 48, 40, 32] as const;

/** Huffman code lengths for the used symbols (0 for unused), frequencies floored until none passes the limit. */
function huffmanCodeLengths(frequency: Float64Array, limit: number): Uint8Array {
  const symbols: number[] = [];
  let total = 0;
  for (let v = 0; v < frequency.length; v++) {
    if (frequency[v]! > 0) {
      symbols.push(v);
      total += frequency[v]!;
    }
  }
  const lengths = new Uint8Array(frequency.length);
  if (symbols.length === 1) {
    lengths[symbols[0]!] = 1;
    return lengths;
  }
  for (let floor = 0; ; floor = Math.max(1, floor * 2)) {
    // Two-queue Huffman over (weight, node); node < count is a leaf.
    const count = symbols.length;
    const weight = new Float64Array(2 * count);
    const parent = new Int32Array(2 * count).fill(-1);
    const order = symbols.map((v, k) => k).sort((a, b) => Math.max(frequency[symbols[a]!]!, floor) - Math.max(frequency[symbols[b]!]!, floor) || a - b);
    for (let k = 0; k < count; k++) weight[k] = Math.max(frequency[symbols[k]!]!, floor);
    let leafNext = 0;
    let mergedNext = count;
    let mergedEnd = count;
    const takeSmallest = (): number => {
      if (leafNext < count && (mergedNext >= mergedEnd || weight[order[leafNext]!]! <= weight[mergedNext]!)) return order[leafNext++]!;
      return mergedNext++;
    };
    for (let merges = 0; merges < count - 1; merges++) {
      const a = takeSmallest();
      const b = takeSmallest();
      weight[mergedEnd] = weight[a]! + weight[b]!;
      parent[a] = mergedEnd;
      parent[b] = mergedEnd;
      mergedEnd++;
    }
    let longest = 0;
    for (let k = 0; k < count; k++) {
      let depth = 0;
      for (let node = k; parent[node]! >= 0; node = parent[node]!) depth++;
      lengths[symbols[k]!] = depth;
      longest = Math.max(longest, depth);
    }
    if (longest <= limit) return lengths;
    if (floor === 0) floor = Math.max(1, Math.floor(total / (1 << limit)));
  }
}

/** The tree, level by level: the symbols that are leaves on each level (internal nodes come first on a level). */
interface HuffmanLevels {
  leaves: number[][];
  internal: number[];
}

/**
 * Places the symbols level by level, as close to their Huffman lengths as the width cap allows:
 * level d has N nodes (twice the internal nodes above); of the R symbols left, the leaves here
 * are the most frequent ones whose length is ≤ d, but at least N − cap (width cap) and at least
 * 2N − R (every node below must still get a symbol), and at most N − 1 while symbols remain.
 */
function huffmanLevels(frequency: Float64Array, lengths: Uint8Array, internalCap: number): HuffmanLevels {
  const symbols: number[] = [];
  for (let v = 0; v < lengths.length; v++) if (lengths[v]! > 0) symbols.push(v);
  symbols.sort((a, b) => lengths[a]! - lengths[b]! || frequency[b]! - frequency[a]! || a - b);
  const leaves: number[][] = [[]];
  const internal: number[] = [1];
  // One symbol (or none): a root whose two children are both that symbol.
  if (symbols.length <= 1) {
    const only = symbols.length === 1 ? symbols[0]! : 0;
    leaves.push([only, only]);
    internal.push(0);
    return { leaves, internal };
  }
  let next = 0;
  for (let depth = 1; next < symbols.length; depth++) {
    if (depth > maximumHuffmanCodeLengthInBits + 8) throw new InternalError('huffman: tree deeper than the code-length limit allows', { depth });
    const nodes = 2 * internal[depth - 1]!;
    const remaining = symbols.length - next;
    let leafCount: number;
    if (remaining === nodes) leafCount = nodes;
    else {
      let wanted = 0;
      while (next + wanted < symbols.length && lengths[symbols[next + wanted]!]! <= depth) wanted++;
      const lowest = Math.max(nodes - internalCap, 2 * nodes - remaining, 0);
      leafCount = Math.min(Math.max(wanted, lowest), nodes - 1);
      // Symbols already past their length (earlier levels were capped), or more than fit here,
      // must not take every node:
      // that would leave too few internal nodes and grow a chain. Keep as many as the rest needs
      // (up to the cap).
      if (lengths[symbols[next]!]! < depth || wanted > leafCount) {
        while (leafCount > lowest && nodes - leafCount < Math.min(internalCap, Math.ceil((remaining - leafCount) / 2))) leafCount--;
      }
    }
    leaves.push(symbols.slice(next, next + leafCount));
    internal.push(nodes - leafCount);
    next += leafCount;
  }
  return { leaves, internal };
}

/** A 4- or 8-bit Huffman stream for `data` (header, table, bitstream), or throws for oversized input. */
function encodeHuffmanVariant(data: Uint8Array, unitBits: 4 | 8): Uint8Array {
  const symbolCount = 1 << unitBits;
  const unitCount = data.length * (8 / unitBits);
  const unitAt = (u: number): number => (unitBits === 8 ? data[u]! : (data[u >> 1]! >> ((u & 1) * 4)) & 0x0f);
  const frequency = new Float64Array(symbolCount);
  for (let u = 0; u < unitCount; u++) frequency[unitAt(u)] = frequency[unitAt(u)]! + 1;
  const lengths = huffmanCodeLengths(frequency, maximumHuffmanCodeLengthInBits);
  for (const cap of internalNodesPerLevelCaps) {
    const stream = layOutAndWrite(data, unitBits, frequency, huffmanLevels(frequency, lengths, cap));
    if (stream !== null) return stream;
  }
  throw new InternalError('huffman: no tree layout fits the 6-bit offsets', { unitBits });
}

/** Lays the tree out breadth-first and writes the stream; null when an offset does not fit 6 bits. */
function layOutAndWrite(data: Uint8Array, unitBits: 4 | 8, frequency: Float64Array, levels: HuffmanLevels): Uint8Array | null {
  const symbolCount = 1 << unitBits;
  const unitCount = data.length * (8 / unitBits);
  const unitAt = (u: number): number => (unitBits === 8 ? data[u]! : (data[u >> 1]! >> ((u & 1) * 4)) & 0x0f);
  const depthCount = levels.internal.length;
  // First BFS index of each level's internal nodes.
  const levelStart = new Int32Array(depthCount + 1);
  for (let d = 0; d < depthCount; d++) levelStart[d + 1] = levelStart[d]! + levels.internal[d]!;
  const internalCount = levelStart[depthCount]!;
  // Pairs: pair 0 = size byte + root; internal node j's children are pair j + 1. Padded to an odd
  // size byte so the bitstream starts on a word.
  const sizeByte = internalCount % 2 === 1 ? internalCount : internalCount + 1;
  const tableBytes = (sizeByte + 1) * 2;
  const table = new Uint8Array(tableBytes);
  table[0] = sizeByte;
  const codeBits = new Uint8Array(symbolCount * 64);
  const codeLength = new Uint8Array(symbolCount);
  const codeSet = new Uint8Array(symbolCount);
  // Each node's code as bits, level by level (previous level's internal nodes' codes).
  let previousCodes: number[][] = [[]];
  for (let d = 0; d < depthCount; d++) {
    const internalHere = levels.internal[d]!;
    const leavesHere = levels.leaves[d]!;
    const codes: number[][] = [];
    const nodes = d === 0 ? 1 : 2 * levels.internal[d - 1]!;
    for (let t = 0; t < nodes; t++) {
      const code = d === 0 ? [] : [...previousCodes[t >> 1]!, t & 1];
      // The node's address: root at 1; else in its parent's child pair.
      const address = d === 0 ? 1 : 2 * (levelStart[d - 1]! + (t >> 1) + 1) + (t & 1);
      if (t < internalHere) {
        const j = levelStart[d]! + t;
        const childPair = j + 1;
        const ownPair = address >> 1;
        const offset = childPair - ownPair - 1;
        if (offset < 0 || offset > 0x3f) return null;
        const childNodes = 2 * internalHere;
        const nextInternal = d + 1 < depthCount ? levels.internal[d + 1]! : 0;
        const leftLeaf = 2 * t >= nextInternal && 2 * t < childNodes;
        const rightLeaf = 2 * t + 1 >= nextInternal && 2 * t + 1 < childNodes;
        table[address] = offset | (leftLeaf ? 0x80 : 0) | (rightLeaf ? 0x40 : 0);
        codes.push(code);
      } else {
        const symbol = leavesHere[t - internalHere]!;
        table[address] = symbol;
        if (codeSet[symbol] === 0) {
          // (The one-symbol tree has the symbol twice; the first, code 0, is used.)
          codeSet[symbol] = 1;
          if (code.length > 64) throw new InternalError('huffman: code longer than 64 bits', { length: code.length });
          codeLength[symbol] = code.length;
          for (let k = 0; k < code.length; k++) codeBits[symbol * 64 + k] = code[k]!;
        }
      }
    }
    previousCodes = codes;
  }
  let totalBits = 0;
  for (let v = 0; v < symbolCount; v++) totalBits += frequency[v]! * codeLength[v]!;
  const words = Math.ceil(totalBits / 32);
  const out = new Uint8Array(gbaBiosHeaderSizeInBytes + tableBytes + 4 * words);
  writeGbaBiosHeader(out, unitBits === 4 ? gbaTypeHuffman4 : gbaTypeHuffman8, data.length);
  out.set(table, gbaBiosHeaderSizeInBytes);
  let position = gbaBiosHeaderSizeInBytes + tableBytes;
  let word = 0;
  let bitsUsed = 0;
  for (let u = 0; u < unitCount; u++) {
    const symbol = unitAt(u);
    const length = codeLength[symbol]!;
    const base = symbol * 64;
    for (let k = 0; k < length; k++) {
      word = (word << 1) | codeBits[base + k]!;
      if (++bitsUsed === 32) {
        out[position++] = word & 0xff;
        out[position++] = (word >>> 8) & 0xff;
        out[position++] = (word >>> 16) & 0xff;
        out[position++] = word >>> 24;
        word = 0;
        bitsUsed = 0;
      }
    }
  }
  if (bitsUsed > 0) {
    word = (word << (32 - bitsUsed)) >>> 0;
    out[position++] = word & 0xff;
    out[position++] = (word >>> 8) & 0xff;
    out[position++] = (word >>> 16) & 0xff;
    out[position++] = word >>> 24;
  }
  return out;
}

/**
 * Compresses `data` as GBA BIOS Huffman: 4-bit (type 0x24) or 8-bit (0x28) units when
 * `unitBits` is given, else whichever is smaller (8-bit on a tie).
 */
export function encodeGbaHuffman(data: Uint8Array, options: { unitBits?: 4 | 8 } = {}): Uint8Array {
  checkGbaCompressInput('huffman', data);
  if (options.unitBits !== undefined) return encodeHuffmanVariant(data, options.unitBits);
  const eight = encodeHuffmanVariant(data, 8);
  const four = encodeHuffmanVariant(data, 4);
  return four.length < eight.length ? four : eight;
}

function compressHuffman(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  if (options.level !== undefined && String(options.level) !== 'max') {
    throw new CodecOptionError('huffman', `unknown level "${options.level}"; levels: max`, { level: options.level });
  }
  const variant = options.variant;
  if (variant === undefined) return encodeGbaHuffman(data);
  if (variant === '4' || variant === '8') return encodeGbaHuffman(data, { unitBits: variant === '4' ? 4 : 8 });
  throw new CodecOptionError('huffman', `unknown variant "${variant}"; variants: 4 (type 0x24), 8 (type 0x28); default: the smaller`, { variant });
}

export const gbaHuffmanCodec: Codec = {
  name: 'huffman',
  description: 'GBA BIOS Huffman, 4- or 8-bit units (header type 0x24 / 0x28); --variant 4|8, default the smaller',
  levels: ['max'],
  defaultLevel: 'max',
  platforms: ['gba'],
  canCompress: true,
  decompress: decodeGbaHuffman,
  probe: probeGbaHuffman,
  compress: compressHuffman,
};
