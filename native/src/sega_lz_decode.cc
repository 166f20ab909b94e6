// Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W walkers: one per format for both decode and probe, as in
// src/codecs/sega/. Every read of the input is checked against its end first; every command's
// output length against the caller's limit and then the output capacity before a byte is
// written; a copy's source against what exists (output so far, or Saxman's zero-filled ring)
// before a byte moves.
#include <cstring>

#include "sega_lz.h"

namespace romgfx {

namespace {

// Saxman (sega.md §5.1).
constexpr size_t kSaxmanSizeHeaderSizeInBytes = 2;
constexpr uint64_t kSaxmanRingSizeInBytes = 0x1000;
// Output byte n sits at ring index (n + 0xFEE) mod 0x1000: a copy's source is the latest earlier
// position congruent to R + 0x12.
constexpr uint64_t kSaxmanRingStartOffset = 0x12;
constexpr uint64_t kSaxmanMinimumCopyInBytes = 3;

// Kosinski (sega.md §2).
constexpr size_t kKosinskiDescriptorSizeInBytes = 2;
constexpr uint32_t kKosinskiDescriptorBits = 16;
constexpr uint64_t kKosinskiInlineWindowInBytes = 0x100;
constexpr uint64_t kKosinskiFullWindowInBytes = 0x2000;
constexpr uint64_t kKosinskiMinimumCopyInBytes = 2;

// Kosinski Moduled (sega.md §3).
constexpr size_t kKosinskiModuledHeaderSizeInBytes = 2;
constexpr uint64_t kKosinskiModuleSizeInBytes = 0x1000;
constexpr size_t kKosinskiModulePaddingInBytes = 16;
// S3K's loader reads a size of 0xA000 as 0x8000.
constexpr uint64_t kSegaMisreadSize = 0xa000;
constexpr uint64_t kSegaMisreadAs = 0x8000;

// Overlapping copies shorter than this go byte by byte (copy.ts's threshold).
constexpr uint64_t kByteLoopBelowLengthInBytes = 16;

// Comper (sega.md §5.2).
constexpr size_t kComperWordSizeInBytes = 2;
constexpr uint32_t kComperDescriptorBits = 16;
constexpr uint64_t kComperWindowInWords = 0x100;

// LZ4W (sega.md §5.3).
constexpr size_t kLz4wWordSizeInBytes = 2;
constexpr uint32_t kLz4wRomSourceBit = 0x8000;
constexpr uint32_t kLz4wOddByteBit = 0x8000;

// Clears `r` and refuses a start past the input (a caller error): false when the walk must stop.
inline bool beginWalk(CodecWalkResult* r, size_t start, size_t size) {
  *r = CodecWalkResult();
  if (start <= size) return true;
  r->status = kStatusBadArgument;
  return false;
}

inline void succeedWalk(CodecWalkResult* r, size_t packedLength, uint64_t outputLength) {
  r->status = kStatusOk;
  r->packedLength = packedLength;
  r->outputLength = outputLength;
}

// Copies `length` bytes from `distance` back (1 <= distance <= bytes written before `to`) with
// the byte-at-a-time result: a copy that overlaps what it writes repeats its last `distance`
// bytes. Short ones go byte by byte; long overlapping ones copy one period and then blocks that
// double, as src/codecs/sega/copy.ts does (long zero runs decoded 3-6x slower byte by byte).
inline void copyBack(uint8_t* to, uint64_t distance, uint64_t length) {
  const uint8_t* from = to - distance;
  if (distance >= length) {
    std::memcpy(to, from, length);
    return;
  }
  if (length < kByteLoopBelowLengthInBytes) {
    for (uint64_t k = 0; k < length; k++) to[k] = from[k];
    return;
  }
  std::memcpy(to, from, distance);
  // to[0, done) is whole periods, so it is a valid source for the next block.
  uint64_t done = distance;
  while (done < length) {
    const uint64_t chunk = done < length - done ? done : length - done;
    std::memcpy(to + done, to, chunk);
    done += chunk;
  }
}

// The Kosinski walk with its output at out[outStart..) (Kosinski Moduled's modules).
void kosinskiWalkAt(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, size_t outStart, CodecWalkResult* r) {
  *r = CodecWalkResult();
  if (start > size || (out != nullptr && outStart > outCapacity)) {
    r->status = kStatusBadArgument;
    return;
  }
  const uint64_t capacity = out != nullptr ? outCapacity - outStart : UINT64_MAX;
  uint8_t* o = out != nullptr ? out + outStart : nullptr;
  size_t p = start;
  if (size - p < kKosinskiDescriptorSizeInBytes) return failWalk(r, kStatusKosinskiFirstDescriptorTruncated, p);
  uint32_t descriptor = bytes[p] | (static_cast<uint32_t>(bytes[p + 1]) << 8);
  p += kKosinskiDescriptorSizeInBytes;
  uint32_t bitsLeft = kKosinskiDescriptorBits;
  uint64_t produced = 0;
  // Takes the next control bit; a fresh descriptor is fetched the moment the 16th is used.
#define ROMGFX_KOSINSKI_BIT(into)                                                                  \
  do {                                                                                             \
    (into) = descriptor & 1;                                                                       \
    descriptor >>= 1;                                                                              \
    if (--bitsLeft == 0) {                                                                         \
      if (size - p < kKosinskiDescriptorSizeInBytes) return failWalk(r, kStatusKosinskiDescriptorTruncated, p); \
      descriptor = bytes[p] | (static_cast<uint32_t>(bytes[p + 1]) << 8);                         \
      p += kKosinskiDescriptorSizeInBytes;                                                         \
      bitsLeft = kKosinskiDescriptorBits;                                                          \
    }                                                                                              \
  } while (0)
  for (;;) {
    uint32_t bit;
    ROMGFX_KOSINSKI_BIT(bit);
    if (bit == 1) {
      if (p >= size) return failWalk(r, kStatusKosinskiLiteralTruncated, p);
      if (produced >= limit) return failWalk(r, kStatusKosinskiOutputLimit, p, produced + 1, limit);
      if (produced >= capacity) return failWalk(r, kStatusBadArgument, p);
      if (o != nullptr) o[produced] = bytes[p];
      p++;
      produced++;
      continue;
    }
    ROMGFX_KOSINSKI_BIT(bit);
    uint64_t length;
    uint64_t distance;
    const size_t commandOffset = p;
    if (bit == 0) {
      // Inline match: two more control bits (h, l), then the offset byte.
      uint32_t high;
      uint32_t low;
      ROMGFX_KOSINSKI_BIT(high);
      ROMGFX_KOSINSKI_BIT(low);
      if (p >= size) return failWalk(r, kStatusKosinskiInlineMatchTruncated, p);
      length = kKosinskiMinimumCopyInBytes + high * 2 + low;
      distance = kKosinskiInlineWindowInBytes - bytes[p];
      p++;
    } else {
      if (size - p < 2) return failWalk(r, kStatusKosinskiFullMatchTruncated, p);
      const uint32_t low = bytes[p];
      const uint32_t high = bytes[p + 1];
      p += 2;
      distance = kKosinskiFullWindowInBytes - (((high & 0xf8) << 5) | low);
      if ((high & 7) != 0) {
        length = (high & 7) + kKosinskiMinimumCopyInBytes;
      } else {
        if (p >= size) return failWalk(r, kStatusKosinskiExtendedMatchTruncated, p);
        const uint32_t count = bytes[p++];
        if (count == 0) break;
        // N = 1 is Sega's no-op marker (one per 0xA000 input bytes): nothing to copy.
        if (count == 1) continue;
        length = count + 1;
      }
    }
    if (distance > produced) return failWalk(r, kStatusKosinskiBeforeStart, commandOffset, distance, produced);
    if (length > limit - produced) return failWalk(r, kStatusKosinskiOutputLimit, commandOffset, produced + length, limit);
    if (length > capacity - produced) return failWalk(r, kStatusBadArgument, commandOffset);
    if (o != nullptr) copyBack(o + produced, distance, length);
    produced += length;
  }
#undef ROMGFX_KOSINSKI_BIT
  succeedWalk(r, p - start, produced);
}

}  // namespace

void saxmanWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, int64_t exactOutput, uint8_t* out, size_t outCapacity, CodecWalkResult* r) {
  *r = CodecWalkResult();
  if (start > size || exactOutput < kSaxmanHeadedFraming) {
    r->status = kStatusBadArgument;
    return;
  }
  const bool headed = exactOutput == kSaxmanHeadedFraming;
  const uint64_t exact = headed ? 0 : static_cast<uint64_t>(exactOutput);
  size_t end = size;
  size_t in = start;
  if (!headed) {
    if (exact > limit) return failWalk(r, kStatusSaxmanOutputLimit, start, exact);
  } else {
    if (size - start < kSaxmanSizeHeaderSizeInBytes) return failWalk(r, kStatusSaxmanTruncated, size);
    const size_t bodySize = bytes[start] | (static_cast<size_t>(bytes[start + 1]) << 8);
    in = start + kSaxmanSizeHeaderSizeInBytes;
    if (size - in < bodySize) return failWalk(r, kStatusSaxmanTruncated, size, bodySize);
    end = in + bodySize;
  }
  const uint64_t capacity = out != nullptr ? outCapacity : UINT64_MAX;
  uint64_t outPos = 0;
  uint32_t descriptor = 0;
  uint32_t bitsLeft = 0;
  for (;;) {
    if (headed ? in >= end : outPos >= exact) break;
    if (bitsLeft == 0) {
      if (in >= end) return failWalk(r, kStatusSaxmanTruncated, in);
      descriptor = bytes[in++];
      bitsLeft = 8;
      // A descriptor byte may be the last counted byte: nothing follows it (sega.md §5.1).
      if (headed && in >= end) break;
    }
    const bool literal = (descriptor & 1) != 0;
    descriptor >>= 1;
    bitsLeft--;
    if (literal) {
      if (in >= end) return failWalk(r, kStatusSaxmanTruncated, in);
      if (outPos >= limit) return failWalk(r, kStatusSaxmanOutputLimit, start, outPos + 1);
      if (outPos >= capacity) return failWalk(r, kStatusBadArgument, in);
      if (out != nullptr) out[outPos] = bytes[in];
      in++;
      outPos++;
      continue;
    }
    const size_t tokenOffset = in;
    if (end - in < 2) return failWalk(r, kStatusSaxmanTruncated, in);
    const uint32_t lo = bytes[in];
    const uint32_t hi = bytes[in + 1];
    in += 2;
    const uint64_t length = (hi & 0x0f) + kSaxmanMinimumCopyInBytes;
    if (!headed && length > exact - outPos) return failWalk(r, kStatusSaxmanCopyOverrun, tokenOffset, length);
    if (length > limit - outPos) return failWalk(r, kStatusSaxmanOutputLimit, start, outPos + length);
    if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, tokenOffset);
    if (out != nullptr) {
      const uint64_t ringPosition = lo | ((hi & 0xf0) << 4);
      const uint64_t back = (outPos - ringPosition - kSaxmanRingStartOffset) & (kSaxmanRingSizeInBytes - 1);
      const uint64_t distance = back == 0 ? kSaxmanRingSizeInBytes : back;
      uint64_t k = 0;
      // Positions before the output start read as zero (the ring starts zero-filled).
      for (; k < length && outPos + k < distance; k++) out[outPos + k] = 0;
      for (; k < length; k++) out[outPos + k] = out[outPos + k - distance];
    }
    outPos += length;
  }
  succeedWalk(r, in - start, outPos);
}

void kosinskiWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* r) {
  kosinskiWalkAt(bytes, size, start, limit, out, outCapacity, 0, r);
}

void kosinskiModuledWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* r) {
  if (!beginWalk(r, start, size)) return;
  if (size - start < kKosinskiModuledHeaderSizeInBytes) return failWalk(r, kStatusKosinskiModuledHeaderTruncated, start);
  uint64_t total = (static_cast<uint64_t>(bytes[start]) << 8) | bytes[start + 1];
  if (total == kSegaMisreadSize) total = kSegaMisreadAs;
  if (total > limit) return failWalk(r, kStatusKosinskiModuledSizeOverLimit, start, total, limit);
  if (out != nullptr && total > outCapacity) {
    r->status = kStatusBadArgument;
    return;
  }
  const uint64_t modules = (total + kKosinskiModuleSizeInBytes - 1) / kKosinskiModuleSizeInBytes;
  size_t p = start + kKosinskiModuledHeaderSizeInBytes;
  CodecWalkResult module;
  for (uint64_t m = 0; m < modules; m++) {
    const uint64_t expected = m == modules - 1 ? total - m * kKosinskiModuleSizeInBytes : kKosinskiModuleSizeInBytes;
    if (p >= size) return failWalk(r, kStatusKosinskiModuleMissing, p, m, modules);
    // Each module is its own stream: its window starts empty at its first output byte.
    kosinskiWalkAt(bytes, size, p, expected, out, outCapacity, static_cast<size_t>(m * kKosinskiModuleSizeInBytes), &module);
    if (module.status == kStatusKosinskiOutputLimit) return failWalk(r, kStatusKosinskiModuleTooLong, module.failOffset, m, expected);
    if (module.status != kStatusOk) {
      *r = module;
      return;
    }
    if (module.outputLength != expected) return failWalk(r, kStatusKosinskiModuleSizeMismatch, p, m, module.outputLength, expected);
    const size_t used = module.packedLength;
    p = m == modules - 1 ? p + used : p + (used + kKosinskiModulePaddingInBytes - 1) / kKosinskiModulePaddingInBytes * kKosinskiModulePaddingInBytes;
  }
  succeedWalk(r, p - start, total);
}

void comperWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* r) {
  if (!beginWalk(r, start, size)) return;
  const uint64_t capacity = out != nullptr ? outCapacity : UINT64_MAX;
  size_t in = start;
  uint64_t outPos = 0;
  uint32_t descriptor = 0;
  uint32_t bitsLeft = 0;
  for (;;) {
    if (bitsLeft == 0) {
      if (size - in < kComperWordSizeInBytes) return failWalk(r, kStatusComperTruncated, in);
      descriptor = (static_cast<uint32_t>(bytes[in]) << 8) | bytes[in + 1];
      in += kComperWordSizeInBytes;
      bitsLeft = kComperDescriptorBits;
    }
    bitsLeft--;
    const bool copy = ((descriptor >> bitsLeft) & 1) != 0;
    if (size - in < kComperWordSizeInBytes) return failWalk(r, kStatusComperTruncated, in);
    const size_t tokenOffset = in;
    const uint32_t first = bytes[in];
    const uint32_t second = bytes[in + 1];
    in += kComperWordSizeInBytes;
    if (!copy) {
      if (limit - outPos < kComperWordSizeInBytes) return failWalk(r, kStatusComperOutputLimit, start, outPos + kComperWordSizeInBytes);
      if (capacity - outPos < kComperWordSizeInBytes) return failWalk(r, kStatusBadArgument, tokenOffset);
      if (out != nullptr) {
        out[outPos] = static_cast<uint8_t>(first);
        out[outPos + 1] = static_cast<uint8_t>(second);
      }
      outPos += kComperWordSizeInBytes;
      continue;
    }
    if (second == 0) break;
    const uint64_t distance = (kComperWindowInWords - first) * kComperWordSizeInBytes;
    const uint64_t length = (static_cast<uint64_t>(second) + 1) * kComperWordSizeInBytes;
    if (distance > outPos) return failWalk(r, kStatusComperBeforeStart, tokenOffset, distance);
    if (limit - outPos < length) return failWalk(r, kStatusComperOutputLimit, start, outPos + length);
    if (capacity - outPos < length) return failWalk(r, kStatusBadArgument, tokenOffset);
    if (out != nullptr) copyBack(out + outPos, distance, length);
    outPos += length;
  }
  succeedWalk(r, in - start, outPos);
}

void lz4wWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, CodecWalkResult* r) {
  if (!beginWalk(r, start, size)) return;
  const uint64_t capacity = out != nullptr ? outCapacity : UINT64_MAX;
  size_t in = start;
  uint64_t outPos = 0;
  for (;;) {
    const size_t blockOffset = in;
    if (size - in < kLz4wWordSizeInBytes) return failWalk(r, kStatusLz4wTruncated, in);
    const uint32_t header = (static_cast<uint32_t>(bytes[in]) << 8) | bytes[in + 1];
    in += kLz4wWordSizeInBytes;
    if (header == 0) {
      // The end block: one more word, whose low byte is a last odd output byte when bit 15 is set.
      if (size - in < kLz4wWordSizeInBytes) return failWalk(r, kStatusLz4wTruncated, in);
      const uint32_t last = (static_cast<uint32_t>(bytes[in]) << 8) | bytes[in + 1];
      in += kLz4wWordSizeInBytes;
      if ((last & kLz4wOddByteBit) != 0) {
        if (limit - outPos < 1) return failWalk(r, kStatusLz4wOutputLimit, start, outPos + 1);
        if (capacity - outPos < 1) return failWalk(r, kStatusBadArgument, blockOffset);
        if (out != nullptr) out[outPos] = static_cast<uint8_t>(last);
        outPos++;
      }
      break;
    }
    const uint64_t literalBytes = static_cast<uint64_t>(header >> 12) * kLz4wWordSizeInBytes;
    const uint32_t shortLength = (header >> 8) & 0x0f;
    const uint32_t operand = header & 0xff;
    if (size - in < literalBytes) return failWalk(r, kStatusLz4wTruncated, in);
    if (limit - outPos < literalBytes) return failWalk(r, kStatusLz4wOutputLimit, start, outPos + literalBytes);
    if (capacity - outPos < literalBytes) return failWalk(r, kStatusBadArgument, blockOffset);
    if (out != nullptr) std::memcpy(out + outPos, bytes + in, literalBytes);
    in += literalBytes;
    outPos += literalBytes;
    uint64_t length;
    uint64_t distance;
    if (shortLength != 0) {
      length = (static_cast<uint64_t>(shortLength) + 1) * kLz4wWordSizeInBytes;
      distance = (static_cast<uint64_t>(operand) + 1) * kLz4wWordSizeInBytes;
    } else if (operand != 0) {
      if (size - in < kLz4wWordSizeInBytes) return failWalk(r, kStatusLz4wTruncated, in);
      const uint32_t word = (static_cast<uint32_t>(bytes[in]) << 8) | bytes[in + 1];
      const size_t wordOffset = in;
      in += kLz4wWordSizeInBytes;
      length = (static_cast<uint64_t>(operand) + 2) * kLz4wWordSizeInBytes;
      if ((word & kLz4wRomSourceBit) != 0) {
        // A ROM source, as lz4w.ts reads it (SGDK's 68000 unpacker doubles W as a signed 16-bit
        // byte offset from W's own address); valid only when it lies wholly before the stream.
        const int64_t romOffset = static_cast<int16_t>(static_cast<uint16_t>(word << 1));
        const int64_t source = static_cast<int64_t>(wordOffset) + romOffset;
        if (source < 0 || static_cast<uint64_t>(source) + length > start) return failWalk(r, kStatusLz4wRomSource, wordOffset, word);
        if (limit - outPos < length) return failWalk(r, kStatusLz4wOutputLimit, start, outPos + length);
        if (capacity - outPos < length) return failWalk(r, kStatusBadArgument, blockOffset);
        if (out != nullptr) std::memcpy(out + outPos, bytes + source, length);
        outPos += length;
        continue;
      }
      distance = ((static_cast<uint64_t>(0x10000 - word) & 0x7fff) + 1) * kLz4wWordSizeInBytes;
    } else {
      continue;
    }
    if (distance > outPos) return failWalk(r, kStatusLz4wBeforeStart, blockOffset, distance);
    if (limit - outPos < length) return failWalk(r, kStatusLz4wOutputLimit, start, outPos + length);
    if (capacity - outPos < length) return failWalk(r, kStatusBadArgument, blockOffset);
    if (out != nullptr) copyBack(out + outPos, distance, length);
    outPos += length;
  }
  succeedWalk(r, in - start, outPos);
}

}  // namespace romgfx
