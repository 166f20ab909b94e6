/**
 * The codec registry: every codec by name. Adding a format = one module + one line here.
 * Pure (no Node): `romgfx/core` uses it as is. In Node, `src/codecs/index.ts` also loads
 * src/native/, which swaps the addon's HAL kernels in; import codecs from there.
 */
import { CodecOptionError, UnknownCodecError } from '../errors.js';
import { gbaDiffCodec } from './gba/diff.js';
import { gbaHuffmanCodec } from './gba/huffman.js';
import { gbaLz11Codec, gbaLz77Codec } from './gba/lz.js';
import { gbaRleCodec } from './gba/rle.js';
import { halCodec } from './hal/index.js';
import { lz4Codec } from './lz4/lz4.js';
import { lcLz1Codec, lcLz2Codec, lcLz3Codec, lcLz5Codec } from './nintendo/lc-lz.js';
import { konami1Codec } from './nintendo/konami1.js';
import { gen1PicCodec } from './nintendo/gen1-pic.js';
import { pb16Codec } from './pb16.js';
import { neslibRleCodec } from './nes/rle-neslib.js';
import { comperCodec } from './sega/comper.js';
import { lz4wCodec } from './sega/lz4w.js';
import { saxmanCodec } from './sega/saxman.js';
import { enigmaCodec } from './sega/enigma.js';
import { kosinskiCodec } from './sega/kosinski.js';
import { kosinskiModuledCodec } from './sega/kosinski-moduled.js';
import { nemesisCodec } from './sega/nemesis.js';
import type { Codec } from './types.js';

const builtInCodecs: readonly Codec[] = [
  halCodec, gbaLz77Codec, gbaLz11Codec, gbaRleCodec, gbaHuffmanCodec, gbaDiffCodec, lz4Codec, pb16Codec,
  // Nintendo family
  lcLz1Codec, lcLz2Codec, lcLz3Codec, lcLz5Codec, konami1Codec, gen1PicCodec,
  // Sega family
  nemesisCodec, kosinskiCodec, kosinskiModuledCodec, enigmaCodec, saxmanCodec, comperCodec, lz4wCodec,
  // NES family
  neslibRleCodec,
];
const codecs: Codec[] = [...builtInCodecs];
const byName = new Map(codecs.map((codec) => [codec.name, codec]));

/** Codec names are lower-case words: they appear in definitions, flags and cache keys. */
const codecNamePattern = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Adds an embedding program's own codec, usable wherever a codec name is accepted (decompress,
 * extract, inject, game definitions, thumbnails, scan) in this thread. Worker threads import
 * the registry afresh, so a plug-in codec a worker must use is registered there too (or the
 * work runs in-process). The name must be new and not `none` (raw); built-in codecs cannot be
 * replaced.
 */
export function registerCodec(codec: Codec): void {
  const name = codec.name;
  if (typeof name !== 'string' || !codecNamePattern.test(name) || name === 'none') {
    throw new CodecOptionError(String(name), 'a codec name is 1-32 characters of a-z, 0-9 and -, starting with a letter, and not "none"', { name });
  }
  if (byName.has(name)) throw new CodecOptionError(name, `a codec called "${name}" is already registered`, { name });
  if (typeof codec.decompress !== 'function' || typeof codec.compress !== 'function' || typeof codec.probe !== 'function' || !Array.isArray(codec.levels) || !Array.isArray(codec.platforms)) {
    throw new CodecOptionError(name, 'a codec needs decompress, compress and probe functions and levels and platforms arrays', { name });
  }
  codecs.push(codec);
  byName.set(name, codec);
}

/** Removes a codec added with `registerCodec` (built-in codecs stay); true when one was removed. */
export function unregisterCodec(name: string): boolean {
  const codec = byName.get(name);
  if (!codec || builtInCodecs.includes(codec)) return false;
  byName.delete(name);
  codecs.splice(codecs.indexOf(codec), 1);
  return true;
}

/** True when `name` (any case) is a registered codec. */
export function hasCodec(name: string): boolean {
  return byName.has(name.toLowerCase());
}

/** The codec called `name` (hal, lz77, lz11, rle, huffman, diff, lz4, pb16); UnknownCodecError otherwise. */
export function getCodec(name: string): Codec {
  const codec = byName.get(name.toLowerCase());
  if (!codec) throw new UnknownCodecError(name, codecNames());
  return codec;
}

/** Every codec romgfx has, in the order the CLI lists them. */
export function listCodecs(): readonly Codec[] {
  return codecs;
}

/** The names of every codec, as `getCodec` and the CLI accept them. */
export function codecNames(): string[] {
  return codecs.map((codec) => codec.name);
}

/** True when `name` is one of romgfx's own codecs (worker threads have those; a `registerCodec` one is only in the thread that added it). */
export function isBuiltInCodec(name: string): boolean {
  const codec = byName.get(name.toLowerCase());
  return codec !== undefined && builtInCodecs.includes(codec);
}
