// PNG sub-byte samples (1, 2 or 4 bits) spread to one byte each: the native twin of
// unpackSamples in src/gfx/png-core.ts. PNG spec 7.2: samples are packed leftmost in the
// high-order bits, and each row starts on a byte boundary (the bits after its last sample are
// padding).
#ifndef ROMGFX_NATIVE_PNG_SAMPLES_H
#define ROMGFX_NATIVE_PNG_SAMPLES_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

// Most samples one call unpacks: 2^30 (a 16384x16384 RGBA image has 2^30 samples).
constexpr size_t kMaximumUnpackedSamples = size_t{1} << 30;

// The bytes a row of `samplesPerRow` samples at `depth` bits takes.
constexpr size_t packedRowBytes(size_t samplesPerRow, uint32_t depth) {
  return (samplesPerRow * depth + 7) / 8;
}

// Unpacks `rows` rows of `samplesPerRow` samples of `depth` bits (1, 2 or 4) from `packed` (rows
// of packedRowBytes each) into `out`, one sample per byte. kStatusBadArgument, with nothing
// written, when the depth is not 1, 2 or 4, the sample count is over kMaximumUnpackedSamples, or
// either buffer is too short.
int32_t unpackPngSamples(const uint8_t* packed, size_t packedLength, uint8_t* out, size_t outLength, size_t samplesPerRow, size_t rows, uint32_t depth);

}  // namespace romgfx

#endif
