/** Public surface of src/codecs: the registry, the codec shape, and the named kernels. */
export { getCodec, listCodecs, codecNames, registerCodec, unregisterCodec, hasCodec } from './registry.js';
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
export { decodeSaxman, probeSaxman, encodeSaxman, saxmanCodec, defaultSaxmanDecodeLimitInBytes, maximumSaxmanPackedBodySizeInBytes } from './sega/saxman.js';
export { decodeComper, probeComper, encodeComper, comperCodec, defaultComperDecodeLimitInBytes } from './sega/comper.js';
export { decodeLz4w, probeLz4w, encodeLz4w, lz4wCodec, defaultLz4wDecodeLimitInBytes } from './sega/lz4w.js';
