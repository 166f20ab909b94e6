/**
 * The built-in codecs by name without their code: what the command line lists in its option
 * help, and a loader per codec, so a run that uses one codec compiles that one module (issue #18:
 * start-up is paid per asset). `getCodec` in `registry.ts` stays synchronous and loads every
 * codec; `loadCodec` is its asynchronous counterpart that loads only the one asked for.
 * Pure (no Node): `romgfx/core` exports it too.
 */
import type { Codec } from './types.js';

/** A built-in codec before its module is loaded: its name, whether it compresses, and its loader. */
export interface BuiltInCodecEntry {
  /** The codec's registry name (lower case), as `getCodec` accepts it. */
  readonly name: string;
  /** Whether `compress` works, as the codec's own `Codec.canCompress`. */
  readonly canCompress: boolean;
  /** Imports the codec's module (once; later calls get the same object as `getCodec`). */
  readonly load: () => Promise<Codec>;
}

/**
 * Every built-in codec, in `listCodecs()` order. test/codecs/registry-catalog.test.ts checks that it
 * agrees with the registry (names, order, canCompress, and that each loader gives the registry's
 * own object).
 */
export const builtInCodecCatalog: readonly BuiltInCodecEntry[] = [
  { name: 'hal', canCompress: true, load: async () => (await import('./hal/index.js')).halCodec },
  { name: 'lz77', canCompress: true, load: async () => (await import('./gba/lz.js')).gbaLz77Codec },
  { name: 'lz11', canCompress: true, load: async () => (await import('./gba/lz.js')).gbaLz11Codec },
  { name: 'rle', canCompress: true, load: async () => (await import('./gba/rle.js')).gbaRleCodec },
  { name: 'huffman', canCompress: true, load: async () => (await import('./gba/huffman.js')).gbaHuffmanCodec },
  { name: 'diff', canCompress: true, load: async () => (await import('./gba/diff.js')).gbaDiffCodec },
  { name: 'lz4', canCompress: true, load: async () => (await import('./lz4/lz4.js')).lz4Codec },
  { name: 'pb16', canCompress: true, load: async () => (await import('./pb16.js')).pb16Codec },
  { name: 'lc-lz1', canCompress: true, load: async () => (await import('./nintendo/lc-lz.js')).lcLz1Codec },
  { name: 'lc-lz2', canCompress: true, load: async () => (await import('./nintendo/lc-lz.js')).lcLz2Codec },
  { name: 'lc-lz3', canCompress: true, load: async () => (await import('./nintendo/lc-lz.js')).lcLz3Codec },
  { name: 'lc-lz5', canCompress: true, load: async () => (await import('./nintendo/lc-lz.js')).lcLz5Codec },
  { name: 'konami1', canCompress: true, load: async () => (await import('./nintendo/konami1.js')).konami1Codec },
  { name: 'gen1-pic', canCompress: true, load: async () => (await import('./nintendo/gen1-pic.js')).gen1PicCodec },
  { name: 'nemesis', canCompress: true, load: async () => (await import('./sega/nemesis.js')).nemesisCodec },
  { name: 'kosinski', canCompress: true, load: async () => (await import('./sega/kosinski.js')).kosinskiCodec },
  { name: 'kosinski-moduled', canCompress: true, load: async () => (await import('./sega/kosinski-moduled.js')).kosinskiModuledCodec },
  { name: 'enigma', canCompress: true, load: async () => (await import('./sega/enigma.js')).enigmaCodec },
  { name: 'saxman', canCompress: true, load: async () => (await import('./sega/saxman.js')).saxmanCodec },
  { name: 'comper', canCompress: true, load: async () => (await import('./sega/comper.js')).comperCodec },
  { name: 'lz4w', canCompress: true, load: async () => (await import('./sega/lz4w.js')).lz4wCodec },
  { name: 'rle-neslib', canCompress: true, load: async () => (await import('./nes/rle-neslib.js')).neslibRleCodec },
];

const entryByName = new Map(builtInCodecCatalog.map((entry) => [entry.name, entry]));

/**
 * The codec called `name` (any case), loading only its module when it is built in: the
 * asynchronous `getCodec` for programs that start often and use one codec. Any other name is
 * looked up in the registry (which loads every codec), so plug-ins added with `registerCodec`
 * are found and an unknown name throws `UnknownCodecError` listing every codec, as `getCodec` does.
 */
export async function loadCodec(name: string): Promise<Codec> {
  const entry = entryByName.get(name.toLowerCase());
  if (entry) return entry.load();
  return (await import('./registry.js')).getCodec(name);
}
