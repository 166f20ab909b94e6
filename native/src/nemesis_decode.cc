// Nemesis decoder and probe: one walker for both, as in src/codecs/sega/nemesis.ts, so the probe a
// scanner trusts and the decoder never disagree. Spec: sega.md §1. Every read of the input is
// preceded by a check against `size` (bits past the end read as zeros, and the position check
// after each code catches a stream that needed them, exactly as the TypeScript walker does); the
// declared size is checked against the caller's limit and the output capacity before any write,
// and a run that would pass the declared size is refused before it is written.
#include "nemesis.h"

namespace romgfx {

namespace {

// The 8-bit peek values from 0xFC up start with `111111`: the inline-run escape (§1.4).
constexpr uint32_t kEscapePeekStart = 0xfc;
constexpr uint8_t kTableEnd = 0xff;

inline void fail(NemesisWalkResult* r, int32_t status, size_t offset, uint32_t value = 0, uint32_t count = 0) {
  r->status = status;
  r->failOffset = offset;
  r->failValue = value;
  r->failCount = count;
}

// Nybble `v` repeated `run` (1..8) times, right-aligned.
inline uint32_t nybbleRun(uint32_t v, uint32_t run) { return (v * 0x11111111u) >> (32 - 4 * run); }

inline uint64_t loadBigEndian64(const uint8_t* p) {
  return (static_cast<uint64_t>(p[0]) << 56) | (static_cast<uint64_t>(p[1]) << 48) | (static_cast<uint64_t>(p[2]) << 40) |
         (static_cast<uint64_t>(p[3]) << 32) | (static_cast<uint64_t>(p[4]) << 24) | (static_cast<uint64_t>(p[5]) << 16) |
         (static_cast<uint64_t>(p[6]) << 8) | static_cast<uint64_t>(p[7]);
}

}  // namespace

int64_t nemesisDeclaredSize(const uint8_t* bytes, size_t size, size_t start) {
  if (start > size || size - start < 2) return -1;
  return static_cast<int64_t>(((static_cast<uint32_t>(bytes[start]) << 8) | bytes[start + 1]) & 0x7fff) * kNemesisTileSizeInBytes;
}

void nemesisWalk(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, uint8_t* out, size_t outCapacity, NemesisWalkResult* r) {
  *r = NemesisWalkResult();
  if (start > size) {
    r->status = kStatusBadArgument;
    return;
  }
  const size_t end = size;
  if (end - start < 2) return fail(r, kStatusNemesisHeaderTruncated, start);
  const uint32_t header = (static_cast<uint32_t>(bytes[start]) << 8) | bytes[start + 1];
  const bool xorMode = (header & 0x8000) != 0;
  const uint32_t declared = (header & 0x7fff) * kNemesisTileSizeInBytes;
  if (declared > limit) return fail(r, kStatusNemesisOutputLimit, start, declared);
  if (out != nullptr && outCapacity < declared) {
    r->status = kStatusBadArgument;
    return;
  }

  // Decode tables indexed by the next 8 stream bits (§1.3): the code's length (0 = no code) in
  // bits 3..0 and its run length in bits 7..4, and the run as a right-aligned nybble pattern.
  uint8_t codeByPeek[256] = {};
  uint32_t patternByPeek[256] = {};
  size_t p = start + 2;
  // A code entry before any nybble-select byte means nybble 0, as both reference decoders do.
  uint32_t nybble = 0;
  for (;;) {
    if (p >= end) return fail(r, kStatusNemesisTableUnterminated, p);
    const uint8_t b = bytes[p];
    if (b == kTableEnd) {
      p++;
      break;
    }
    if ((b & 0x80) != 0) {
      nybble = b & 0x0f;
      p++;
      continue;
    }
    if (p + 1 >= end) return fail(r, kStatusNemesisEntryTruncated, p);
    const uint32_t length = b & 0x0f;
    const uint32_t code = bytes[p + 1];
    if (length == 0 || length > 8) return fail(r, kStatusNemesisBadCodeLength, p, length);
    if (code >= (1u << length)) return fail(r, kStatusNemesisCodeTooWide, p, code, length);
    const uint32_t first = code << (8 - length);
    const uint32_t span = 1u << (8 - length);
    // A code in 111111xx (or an all-ones prefix of it) collides with the escape (§1.4).
    if (first + span > kEscapePeekStart) return fail(r, kStatusNemesisCodeCollidesWithEscape, p, code, length);
    const uint32_t runLength = ((b >> 4) & 7) + 1;
    const uint32_t pattern = nybbleRun(nybble, runLength);
    for (uint32_t i = first; i < first + span; i++) {
      const uint32_t existing = codeByPeek[i] & 0x0f;
      // Same length overlapping means the same code: an exact repeat, last entry wins (§1.8).
      if (existing != 0 && existing != length) return fail(r, kStatusNemesisCodeNotPrefixFree, p, code, length);
      codeByPeek[i] = static_cast<uint8_t>((runLength << 4) | length);
      patternByPeek[i] = pattern;
    }
    p += 2;
  }

  const uint32_t totalNybbles = declared * 2;
  // A left-aligned 64-bit accumulator holding `available` bits. Refills OR in whole bytes (eight
  // at once while eight remain, else one at a time with zeros past the end); the bits consumed
  // so far are next * 8 - available, as in the TypeScript walker.
  uint64_t accumulator = 0;
  uint32_t available = 0;
  size_t next = p;
  const uint64_t endBit = static_cast<uint64_t>(end) * 8;
  uint32_t produced = 0;
  uint32_t row = 0;
  uint32_t rowNybbles = 0;
  uint32_t previousRow = 0;
  size_t outPos = 0;
  while (produced < totalNybbles) {
    if (available <= 56) {
      if (next < end && end - next >= 8) {
        // Bits below the whole bytes taken belong to the next byte and are ORed again, with the
        // same values, by the next refill.
        accumulator |= loadBigEndian64(bytes + next) >> available;
        const uint32_t taken = (63 - available) >> 3;
        next += taken;
        available += taken * 8;
      } else {
        while (available <= 56) {
          accumulator |= static_cast<uint64_t>(next < end ? bytes[next] : 0) << (56 - available);
          next++;
          available += 8;
        }
      }
    }
    const uint32_t peek = static_cast<uint32_t>(accumulator >> 56);
    uint32_t runLength;
    uint32_t pattern;
    if (peek >= kEscapePeekStart) {
      const uint32_t inlineRun = static_cast<uint32_t>(accumulator >> 51) & 0x1fff;
      runLength = ((inlineRun >> 4) & 7) + 1;
      pattern = nybbleRun(inlineRun & 0x0f, runLength);
      accumulator <<= 13;
      available -= 13;
    } else {
      const uint32_t entry = codeByPeek[peek];
      if (entry == 0) return fail(r, kStatusNemesisInvalidCode, static_cast<size_t>((static_cast<uint64_t>(next) * 8 - available) >> 3));
      runLength = entry >> 4;
      pattern = patternByPeek[peek];
      accumulator <<= (entry & 0x0f);
      available -= entry & 0x0f;
    }
    const uint64_t bit = static_cast<uint64_t>(next) * 8 - available;
    if (bit > endBit) return fail(r, kStatusNemesisBitstreamTruncated, end, produced, totalNybbles);
    if (produced + runLength > totalNybbles) return fail(r, kStatusNemesisRunOverrunsSize, static_cast<size_t>(bit >> 3), runLength, totalNybbles - produced);
    produced += runLength;
    if (out == nullptr) continue;
    // A run (at most 8) either stays inside the current row (a longword of 8 nybbles) or
    // completes it and leaves the rest (at most 7) at the start of the next. A run's nybbles are
    // all equal, so any k of them are the pattern's low 4k bits.
    const uint32_t room = 8 - rowNybbles;
    if (runLength < room) {
      row = (row << (runLength * 4)) | pattern;
      rowNybbles += runLength;
      continue;
    }
    row = room == 8 ? pattern : (row << (room * 4)) | (pattern & ((1u << (room * 4)) - 1));
    // XOR mode (§1.6): each row is XORed with the previous output row, across tiles.
    if (xorMode) row ^= previousRow;
    out[outPos] = static_cast<uint8_t>(row >> 24);
    out[outPos + 1] = static_cast<uint8_t>(row >> 16);
    out[outPos + 2] = static_cast<uint8_t>(row >> 8);
    out[outPos + 3] = static_cast<uint8_t>(row);
    outPos += 4;
    previousRow = row;
    rowNybbles = runLength - room;
    row = rowNybbles == 0 ? 0 : pattern & ((1u << (rowNybbles * 4)) - 1);
  }
  const uint64_t bit = static_cast<uint64_t>(next) * 8 - available;
  r->status = kStatusOk;
  r->packedLength = static_cast<size_t>((bit + 7) >> 3) - start;
  r->outputLength = declared;
}

}  // namespace romgfx
