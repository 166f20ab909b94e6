/** The codec registry: every codec by name. Adding a format = one module + one line here. */
import { UnknownCodecError } from '../errors.js';
// Loading the native module swaps in the addon's HAL kernels in whichever thread uses the registry (workers included).
import '../native/index.js';
import { gbaDiffCodec } from './gba/diff.js';
import { gbaHuffmanCodec } from './gba/huffman.js';
import { gbaLz11Codec, gbaLz77Codec } from './gba/lz.js';
import { gbaRleCodec } from './gba/rle.js';
import { halCodec } from './hal/index.js';
import { lz4Codec } from './lz4/lz4.js';
import { pb16Codec } from './pb16.js';
import type { Codec } from './types.js';

const codecs: readonly Codec[] = [halCodec, gbaLz77Codec, gbaLz11Codec, gbaRleCodec, gbaHuffmanCodec, gbaDiffCodec, lz4Codec, pb16Codec];
const byName = new Map(codecs.map((codec) => [codec.name, codec]));

/** The codec called `name` (hal, lz77, lz11, rle, huffman, diff, lz4, pb16); UnknownCodecError otherwise. */
export function getCodec(name: string): Codec {
  const codec = byName.get(name.toLowerCase());
  if (!codec) throw new UnknownCodecError(name, codecNames());
  return codec;
}

export function listCodecs(): readonly Codec[] {
  return codecs;
}

export function codecNames(): string[] {
  return codecs.map((codec) => codec.name);
}
