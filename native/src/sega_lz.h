// Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W decoders and probes (sega.md §2, §3,
// §5.1-§5.3), mirroring src/codecs/sega/saxman.ts, kosinski.ts, kosinski-moduled.ts, comper.ts
// and lz4w.ts walk for walk: same output, same
// packed length, and on a malformed stream the same failure (status plus the offset and values
// the TypeScript error's message and details carry).
#ifndef ROMGFX_NATIVE_SEGA_LZ_H
#define ROMGFX_NATIVE_SEGA_LZ_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

// `saxmanWalk`'s `exactOutput` for mdcomp's headed framing (a 2-byte count of packed bytes).
constexpr int64_t kSaxmanHeadedFraming = -1;

// Every walk below reads bytes[start..size) under an output limit in bytes. With `out`
// (`outCapacity` bytes) it writes there, and a command that would pass the capacity while within
// the limit stops the walk with kStatusBadArgument before writing; with null it only validates.
//
// Failure values (CodecWalkResult), by status:
//   kStatusSaxmanTruncated:     value = the size header's count when that is what runs past the
//                               input, else 0 ("input ends inside a command")
//   kStatusSaxmanOutputLimit:   value = output size the command would reach (offset = start)
//   kStatusSaxmanCopyOverrun:   value = copy length
//   kStatusKosinski*Truncated:  (offset only)
//   kStatusKosinskiOutputLimit: value = output size the command would reach, count = the limit
//   kStatusKosinskiBeforeStart: value = distance, count = output so far
//   kStatusKosinskiModuledHeaderTruncated: (offset only)
//   kStatusKosinskiModuledSizeOverLimit: value = stated size, count = the limit
//   kStatusKosinskiModuleMissing:      value = module, count = modules
//   kStatusKosinskiModuleTooLong:      value = module, count = its expected size
//   kStatusKosinskiModuleSizeMismatch: value = module, count = its size, extra = expected size
//   kStatusLz4wTruncated, kStatusComperTruncated: (offset only)
//   kStatusLz4wOutputLimit, kStatusComperOutputLimit: value = output size the block or token
//                               would reach (offset = start)
//   kStatusLz4wBeforeStart, kStatusComperBeforeStart: value = distance in bytes
//   kStatusLz4wRomSource:       value = the long copy's word (bit 15: a previous-data block)

// Saxman: `exactOutput` >= 0 is the headerless framing (decode stops at that output size);
// kSaxmanHeadedFraming reads mdcomp's size header.
void saxmanWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, int64_t exactOutput, uint8_t* out, size_t outCapacity, CodecWalkResult* result);

// Kosinski: runs to the terminator.
void kosinskiWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* result);

// Kosinski Moduled: the big-endian size header, then one Kosinski stream per 0x1000 output bytes.
void kosinskiModuledWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* result);

// Comper: word LZSS, runs to the terminator (a copy with length byte 0).
void comperWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* result);

// SGDK LZ4W: blocks through the end block and its final word.
void lz4wWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* result);

}  // namespace romgfx

#endif
