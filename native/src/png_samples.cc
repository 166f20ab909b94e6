#include "png_samples.h"

namespace romgfx {

int32_t unpackPngSamples(const uint8_t* packed, size_t packedLength, uint8_t* out, size_t outLength, size_t samplesPerRow, size_t rows, uint32_t depth) {
  if (depth != 1 && depth != 2 && depth != 4) return kStatusBadArgument;
  if (samplesPerRow != 0 && rows > kMaximumUnpackedSamples / samplesPerRow) return kStatusBadArgument;
  const size_t sampleCount = samplesPerRow * rows;
  const size_t stride = packedRowBytes(samplesPerRow, depth);
  if (outLength < sampleCount || packedLength / (stride == 0 ? 1 : stride) < rows) return kStatusBadArgument;
  const uint32_t samplesPerByte = 8 / depth;
  const uint32_t mask = (1u << depth) - 1;
  const size_t wholeBytes = samplesPerRow / samplesPerByte;
  const uint32_t tailSamples = static_cast<uint32_t>(samplesPerRow % samplesPerByte);
  for (size_t y = 0; y < rows; y++) {
    const uint8_t* row = packed + y * stride;
    uint8_t* to = out + y * samplesPerRow;
    for (size_t i = 0; i < wholeBytes; i++) {
      const uint32_t byte = row[i];
      for (uint32_t k = 0; k < samplesPerByte; k++) *to++ = static_cast<uint8_t>((byte >> (8 - depth * (k + 1))) & mask);
    }
    if (tailSamples != 0) {
      const uint32_t byte = row[wholeBytes];
      for (uint32_t k = 0; k < tailSamples; k++) *to++ = static_cast<uint8_t>((byte >> (8 - depth * (k + 1))) & mask);
    }
  }
  return kStatusOk;
}

}  // namespace romgfx
