// konami1 decoder and probe: one walker for both, as in src/codecs/nintendo/konami1.ts. Every
// read of the input is checked against the stated end (itself checked against `size`); every
// command's output length against the caller's limit and then the output capacity before a byte
// is written; a copy's distance against what exists (output so far plus the 0x21 zeroed ring
// slots before it) before a byte moves.
#include <cstring>

#include "konami1.h"

namespace romgfx {

namespace {

constexpr size_t kHeaderSizeInBytes = 2;
constexpr uint32_t kRingSizeInBytes = 1024;
// Ring slot of output byte 0, and the zeroed slots a copy may read before it (1,024 - 0x3DF).
constexpr uint32_t kRingStartSlot = 0x3df;
constexpr uint32_t kZeroSlotsBeforeStart = 0x21;
constexpr uint32_t kCopyMinimumLength = 2;
constexpr uint32_t kInterleaveMinimumPairs = 2;
constexpr uint32_t kRunMinimumLength = 2;


}  // namespace

void konami1Walk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, Konami1WalkResult* r) {
  *r = Konami1WalkResult();
  if (start > size) {
    r->status = kStatusBadArgument;
    return;
  }
  if (size - start < kHeaderSizeInBytes) return failWalk(r, kStatusKonami1HeaderTruncated, start);
  const size_t stated = bytes[start] | (static_cast<size_t>(bytes[start + 1]) << 8);
  if (stated < kHeaderSizeInBytes) return failWalk(r, kStatusKonami1StatedTooSmall, start, stated);
  if (stated > size - start) return failWalk(r, kStatusKonami1StatedPastInput, start, stated, size - start);
  const size_t end = start + stated;
  const uint64_t capacity = out != nullptr ? outCapacity : UINT64_MAX;
  size_t in = start + kHeaderSizeInBytes;
  uint64_t outPos = 0;
  while (in < end) {
    const size_t commandOffset = in;
    const uint32_t b = bytes[in++];
    uint64_t length;
    if (b < 0x80) {
      if (in >= end) return failWalk(r, kStatusKonami1CopySecondBytePastEnd, commandOffset);
      const uint32_t word = (b << 8) | bytes[in++];
      length = (word >> 10) + kCopyMinimumLength;
      const uint32_t slot = word & 0x3ff;
      uint64_t distance = (outPos + kRingStartSlot - slot) & 0x3ff;
      if (distance == 0) distance = kRingSizeInBytes;
      if (distance > outPos + kZeroSlotsBeforeStart) return failWalk(r, kStatusKonami1CopyTooFarBack, commandOffset, slot, distance, outPos);
      if (length > limit - outPos) return failWalk(r, kStatusKonami1OutputLimit, commandOffset, outPos + length);
      if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, commandOffset);
      if (out != nullptr) {
        uint8_t* o = out + outPos;
        uint64_t k = 0;
        // The zeroed slots before the first byte first, then the output (copies may overlap).
        for (; k < length && outPos + k < distance; k++) o[k] = 0;
        if (k < length) {
          const uint8_t* s = o - distance;
          if (distance >= length) std::memcpy(o + k, s + k, length - k);
          else
            for (; k < length; k++) o[k] = s[k];
        }
      }
    } else if (b == 0x80) {
      return failWalk(r, kStatusKonami1LiteralZero, commandOffset);
    } else if (b < 0xa0) {
      length = b - 0x80;
      if (end - in < length) return failWalk(r, kStatusKonami1LiteralPastEnd, commandOffset, length);
      if (length > limit - outPos) return failWalk(r, kStatusKonami1OutputLimit, commandOffset, outPos + length);
      if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, commandOffset);
      if (out != nullptr) std::memcpy(out + outPos, bytes + in, length);
      in += length;
    } else if (b < 0xc0) {
      const uint32_t pairs = b - 0xa0 + kInterleaveMinimumPairs;
      length = 2 * static_cast<uint64_t>(pairs);
      if (end - in < pairs) return failWalk(r, kStatusKonami1InterleavePastEnd, commandOffset, pairs);
      if (length > limit - outPos) return failWalk(r, kStatusKonami1OutputLimit, commandOffset, outPos + length);
      if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, commandOffset);
      if (out != nullptr) {
        uint8_t* o = out + outPos;
        for (uint32_t k = 0; k < pairs; k++) {
          o[2 * k] = 0;
          o[2 * k + 1] = bytes[in + k];
        }
      }
      in += pairs;
    } else if (b < 0xe0) {
      length = b - 0xc0 + kRunMinimumLength;
      if (in >= end) return failWalk(r, kStatusKonami1RunValuePastEnd, commandOffset);
      if (length > limit - outPos) return failWalk(r, kStatusKonami1OutputLimit, commandOffset, outPos + length);
      if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, commandOffset);
      if (out != nullptr) std::memset(out + outPos, bytes[in], length);
      in++;
    } else {
      length = b - 0xe0 + kRunMinimumLength;
      if (length > limit - outPos) return failWalk(r, kStatusKonami1OutputLimit, commandOffset, outPos + length);
      if (length > capacity - outPos) return failWalk(r, kStatusBadArgument, commandOffset);
      if (out != nullptr) std::memset(out + outPos, 0, length);
    }
    outPos += length;
  }
  r->status = kStatusOk;
  r->packedLength = stated;
  r->outputLength = outPos;
}

}  // namespace romgfx
