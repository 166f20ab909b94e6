/**
 * The LC_LZ codecs (Lunar Compress numbering): LZ1 and LZ2 (A Link to the Past, Super Mario
 * World, Yoshi's Island), LZ3 (Pokémon Gold/Silver/Crystal) and LZ5 (Super Metroid, Super Mario
 * Kart). One decoder walker and one encoder, parameterised by the command set.
 */
import type { Codec, CompressOptions } from '../types.js';
import { decodeLcLz, probeLcLz } from './lc-lz-decode.js';
import { encodeLcLz, lcLzLevels } from './lc-lz-encode.js';
import type { LcLzVariant } from './lc-lz-common.js';
import type { Platform } from '../../rom/platform.js';

function lcLzCodec(variant: LcLzVariant, description: string, platforms: readonly Platform[]): Codec {
  return {
    name: `lc-lz${variant}`,
    description,
    levels: lcLzLevels,
    defaultLevel: 'max',
    platforms,
    canCompress: true,
    decompress: (bytes, offset = 0, limits) => decodeLcLz(variant, bytes, offset, limits),
    probe: (bytes, offset = 0, limits) => probeLcLz(variant, bytes, offset, limits),
    compress: (data: Uint8Array, options: CompressOptions = {}) => encodeLcLz(variant, data, String(options.level ?? 'max')),
  };
}

/** LC_LZ1: A Link to the Past graphics; repeat addresses little-endian. */
export const lcLz1Codec: Codec = lcLzCodec(1, 'LC_LZ1 (A Link to the Past graphics): LZ2 with little-endian repeat addresses; levels fast, max = optimal parse', ['snes']);
/** LC_LZ2: Super Mario World, Yoshi's Island; repeat addresses big-endian. */
export const lcLz2Codec: Codec = lcLzCodec(2, "LC_LZ2 (Super Mario World, Yoshi's Island): fills, increasing fill, big-endian absolute repeat; levels fast, max", ['snes']);
/** LC_LZ3: Pokémon Gold/Silver/Crystal (and Lunar Magic's LZ3 for SMW hacks). */
export const lcLz3Codec: Codec = lcLzCodec(3, 'LC_LZ3 (Pokémon Gold/Silver/Crystal): zero fill, relative/absolute repeat, bit-flipped and reversed repeats; levels fast, max', ['gb', 'gbc', 'snes']);
/** LC_LZ5: Super Metroid, Super Mario Kart, Fire Emblem 3. */
export const lcLz5Codec: Codec = lcLzCodec(5, 'LC_LZ5 (Super Metroid, Super Mario Kart): absolute/relative repeats, plain and inverted; levels fast, max', ['snes']);

