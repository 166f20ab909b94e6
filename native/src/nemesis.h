// Sega Nemesis decoder and probe (sega.md §1), mirroring src/codecs/sega/nemesis.ts walk for walk:
// same output bytes, same packed length, and on a malformed stream the same failure (status plus
// the offset and values the TypeScript error's message and details carry).
#ifndef ROMGFX_NATIVE_NEMESIS_H
#define ROMGFX_NATIVE_NEMESIS_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

// Bytes per 8x8 4bpp tile: the unit of the header's 15-bit tile count.
constexpr uint32_t kNemesisTileSizeInBytes = 32;
// The largest output a header can declare: 0x7FFF tiles.
constexpr uint32_t kMaximumNemesisOutputSizeInBytes = 0x7fff * kNemesisTileSizeInBytes;

// Where and why a walk stopped. On failure `failOffset` is the stream offset the TypeScript error
// names, and `failValue`/`failCount` the numbers in its message:
//   kStatusNemesisOutputLimit:       value = declared size in bytes
//   kStatusNemesisBadCodeLength:     value = code length
//   kStatusNemesisCodeTooWide, kStatusNemesisCodeCollidesWithEscape, kStatusNemesisCodeNotPrefixFree:
//                                    value = code, count = code length
//   kStatusNemesisBitstreamTruncated: value = nybbles produced, count = nybbles declared
//   kStatusNemesisRunOverrunsSize:   value = run length, count = nybbles left
using NemesisWalkResult = CodecWalkResult;

// The output size the header at bytes[start] declares, or -1 when fewer than 2 bytes remain.
int64_t nemesisDeclaredSize(const uint8_t* bytes, size_t size, size_t start);

// Walks the stream at bytes[start..size) with an output limit in bytes. With `out` (at least the
// declared size, `outCapacity` bytes) it writes the tiles there; with null it only validates.
void nemesisWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, NemesisWalkResult* result);

}  // namespace romgfx

#endif
