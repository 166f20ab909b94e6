/** Public surface of src/codecs: the registry, the codec shape, and the named kernels. */
// Loading the native module swaps in the addon's kernels in whichever thread uses the codecs
// (workers included); the registry itself stays pure for `romgfx/core`.
import '../native/index.js';
export { getCodec, listCodecs, codecNames, registerCodec, unregisterCodec, hasCodec } from './registry.js';
export { loadCodec, builtInCodecCatalog, type BuiltInCodecEntry } from './catalog.js';
export type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from './types.js';
export { decodeHal, probeHal } from './hal/decode.js';
export { encodeHal, type HalInhalLevel } from './hal/encode.js';
export { encodeHalOptimal } from './hal/optimal.js';
export { halKernels, setHalKernels, typescriptHalKernels, type HalKernels } from './hal/kernels.js';
export { maximumHalOutputSizeInBytes, maximumHalPackedSizeInBytes, bitReversedByte } from './hal/common.js';
export { decodeGbaLz77, decodeGbaLz11, encodeGbaLz77, encodeGbaLz11 } from './gba/lz.js';
export { decodeGbaRle, encodeGbaRle } from './gba/rle.js';
export { decodeGbaHuffman, encodeGbaHuffman, maximumHuffmanCodeLengthInBits } from './gba/huffman.js';
export { decodeGbaDiff, encodeGbaDiff } from './gba/diff.js';
export { defaultGbaDecodeLimitInBytes, maximumGbaCompressInputSizeInBytes } from './gba/header.js';
export { decodeLz4, decodeLz4Block, decodeLz4Frame, encodeLz4Block, encodeLz4Frame } from './lz4/lz4.js';
export { xxhash32 } from './lz4/xxhash32.js';
export { decodePb16, encodePb16 } from './pb16.js';
export { decodeLcLz, probeLcLz } from './nintendo/lc-lz-decode.js';
export { encodeLcLz, checkLcLzInput, lcLzLevels } from './nintendo/lc-lz-encode.js';
export { maximumLcLzOutputSizeInBytes, maximumLcLz3InputSizeInBytes, type LcLzVariant } from './nintendo/lc-lz-common.js';
export { lcLz1Codec, lcLz2Codec, lcLz3Codec, lcLz5Codec } from './nintendo/lc-lz.js';
export {
  decodeKonami1,
  probeKonami1,
  encodeKonami1,
  konami1Codec,
  defaultKonami1OutputLimitInBytes,
  maximumKonami1InputSizeInBytes,
  maximumKonami1PackedSizeInBytes,
} from './nintendo/konami1.js';
export { decodeGen1Pic, probeGen1Pic, encodeGen1Pic, gen1PicCodec, maximumPicSideInTiles } from './nintendo/gen1-pic.js';
export { decodeNemesis, probeNemesis, defaultNemesisOutputLimitInBytes, maximumNemesisTileCount, nemesisTileSizeInBytes } from './sega/nemesis.js';
export { compressNemesis } from './sega/nemesis-encode.js';
export { decodeKosinski, probeKosinski, defaultKosinskiOutputLimitInBytes } from './sega/kosinski.js';
export { compressKosinski, encodeKosinskiMax, encodeKosinskiAccurate } from './sega/kosinski-encode.js';
export { decodeKosinskiModuled, probeKosinskiModuled, compressKosinskiModuled, kosinskiModuleSizeInBytes, maximumKosinskiModuledSizeInBytes } from './sega/kosinski-moduled.js';
export { decodeEnigma, probeEnigma, defaultEnigmaOutputLimitInBytes, enigmaHeaderSizeInBytes } from './sega/enigma.js';
export { compressEnigma } from './sega/enigma-encode.js';
export { decodeSaxman, probeSaxman, encodeSaxman, saxmanCodec, defaultSaxmanDecodeLimitInBytes, maximumSaxmanPackedBodySizeInBytes } from './sega/saxman.js';
export { decodeComper, probeComper, encodeComper, comperCodec, defaultComperDecodeLimitInBytes } from './sega/comper.js';
export { decodeLz4w, probeLz4w, encodeLz4w, lz4wCodec, defaultLz4wDecodeLimitInBytes } from './sega/lz4w.js';
