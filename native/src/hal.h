// HAL Laboratory compression (exhal/inhal): decoder, probe, inhal-identical encoder (levels 1-4)
// and the optimal parse (level max). Spec: /work/shared/formats/hal.md. These mirror the
// TypeScript reference in src/codecs/hal/ byte for byte and error for error.
#ifndef ROMGFX_NATIVE_HAL_H
#define ROMGFX_NATIVE_HAL_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

// The format addresses output with 16-bit absolute positions: at most 64 KiB out.
constexpr uint32_t kMaximumHalOutputSizeInBytes = 65536;
// exhal reads at most this many packed bytes, and inhal fails when its output would reach it.
constexpr uint32_t kMaximumHalPackedSizeInBytes = 65535;

// Where and why a walk stopped. On failure `failOffset`, `failValue` and `failCount` carry what
// the TypeScript decoder puts in its error's details.
struct HalWalkResult {
  int32_t status = kStatusOk;
  size_t packedLength = 0;
  uint32_t outputLength = 0;
  size_t failOffset = 0;
  uint32_t failValue = 0;
  uint32_t failCount = 0;
  // Bytes at the start of `out` that the walk may have written (to re-zero a reused scratch).
  uint32_t touched = 0;
};

// Walks the stream at bytes[start..size). With `out` (a zero-filled 65,536-byte buffer) it
// writes the output there, at most `limit` (<= 65,536) bytes; with null it only validates.
void halWalk(const uint8_t* bytes, size_t size, size_t start, uint32_t limit, uint8_t* out, HalWalkResult* result);

// The encoder's result: a heap buffer (owned by the caller after success) or a failure status.
struct HalEncodeResult {
  int32_t status = kStatusOk;
  uint8_t* data = nullptr;  // malloc'd; free with std::free
  size_t size = 0;
  // For kStatusHalPackedTooLarge: the packed size the stream would have had.
  size_t packedSize = 0;
};

// Encodes exactly as `inhal -<level>` (level 1..4).
void halEncodeInhal(const uint8_t* data, size_t n, int level, HalEncodeResult* result);

// Encodes with the optimal parse (level max), identical to src/codecs/hal/optimal.ts.
void halEncodeOptimal(const uint8_t* data, size_t n, HalEncodeResult* result);

}  // namespace romgfx

#endif
