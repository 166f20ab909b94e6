// konami_comp_1 / LC_LZ12 decoder and probe (nintendo-lz.md §5), mirroring
// src/codecs/nintendo/konami1.ts walk for walk: same output, and on a malformed stream the same
// failure (status plus the offset and values the TypeScript error's message and details carry).
#ifndef ROMGFX_NATIVE_KONAMI1_H
#define ROMGFX_NATIVE_KONAMI1_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

// Where and why a walk stopped. On failure `failOffset` is the stream offset the TypeScript error
// names; the values are, by status:
//   kStatusKonami1StatedTooSmall:   value = stated size
//   kStatusKonami1StatedPastInput:  value = stated size, count = bytes present
//   kStatusKonami1CopyTooFarBack:   value = ring slot, count = distance, extra = output so far
//   kStatusKonami1OutputLimit:      value = output size the command would reach
//   kStatusKonami1LiteralPastEnd:   value = literal length
//   kStatusKonami1InterleavePastEnd: value = pairs
using Konami1WalkResult = CodecWalkResult;

// Walks the stream at bytes[start..size) with an output limit in bytes. With `out`
// (`outCapacity` bytes) it writes there, and a command that would pass the capacity while within
// the limit stops the walk with kStatusBadArgument before writing; with null it only validates.
void konami1Walk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, Konami1WalkResult* result);

}  // namespace romgfx

#endif
