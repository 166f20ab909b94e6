/**
 * `romgfx/codecs`: every codec by name — HAL, the GBA BIOS family (LZ77, LZ11, RLE, Huffman,
 * diff), LZ4, PB16, Nintendo LC-LZ, Konami 1, Gen 1 Pokémon pictures, and Sega's Nemesis,
 * Kosinski, Kosinski Moduled, Enigma, Saxman, Comper and LZ4W — with their limits, probes and
 * kernels (docs/codecs.md). The package root exports the registry (`getCodec`, `listCodecs`,
 * `registerCodec`, …); reach for the named functions here when a codec's own options matter.
 * @module romgfx/codecs
 */
export * from '../codecs/index.js';
