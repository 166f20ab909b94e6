/**
 * GBA BIOS Huffman (type 0x24: 4-bit units, 0x28: 8-bit units). Decode only.
 *
 * After the header: a tree-size byte s (the table, this byte included, is (s + 1) · 2 bytes),
 * then the tree nodes starting with the root. A node byte holds a 6-bit offset; its two
 * children sit at (address & ~1) + offset · 2 + 2 and one after, addresses counted from the
 * tree-size byte (which is word-aligned in ROM). Bit 7 marks child 0 as a leaf, bit 6 child 1.
 * The bitstream follows the table as 32-bit little-endian words read from bit 31 down; 0 takes
 * child 0. 4-bit symbols fill each byte low nibble first.
 */
import { CodecStreamCorruptError, CodecStreamTruncatedError, CodecOptionError } from '../../errors.js';
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { gbaBiosHeaderSizeInBytes, gbaTypeHuffman4, gbaTypeHuffman8, probeGbaBiosHeader, readGbaBiosHeader } from './header.js';

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

export const gbaHuffmanCodec: Codec = {
  name: 'huffman',
  description: 'GBA BIOS Huffman, 4- or 8-bit units (header type 0x24 / 0x28); decode only',
  levels: [],
  defaultLevel: '',
  platforms: ['gba'],
  canCompress: false,
  decompress: decodeGbaHuffman,
  probe: probeGbaHuffman,
  compress() {
    throw new CodecOptionError('huffman', 'romgfx decodes GBA Huffman but does not encode it; use lz77, lz11 or rle');
  },
};
