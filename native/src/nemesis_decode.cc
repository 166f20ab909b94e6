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
// The fast path looks up this many stream bits at once and gets one code, or two whose lengths
// fit in them and whose runs total at most a row (8 nybbles): 2,048 entries, a few microseconds
// to build, and about half the dependent table lookups on tile art (codes of 2-6 bits).
constexpr uint32_t kPairBits = 11;
constexpr uint32_t kPairTableSize = 1u << kPairBits;
// Building the pair table costs about as much as decoding a couple of thousand codes: it is
// built only for outputs of 4 KiB and more whose input holds at least 1 KiB past the table
// (runs_2k, zeros_1k and vstripes_xor_2k decoded 1.2-2x slower with it).
constexpr uint32_t kPairTableMinimumNybbles = 8192;
constexpr size_t kPairTableMinimumStreamBytes = 1024;

// Nybble `v` repeated `run` (1..8) times, right-aligned.
inline uint32_t nybbleRun(uint32_t v, uint32_t run) { return (v * 0x11111111u) >> (32 - 4 * run); }

inline uint64_t loadBigEndian64(const uint8_t* p) {
  return (static_cast<uint64_t>(p[0]) << 56) | (static_cast<uint64_t>(p[1]) << 48) | (static_cast<uint64_t>(p[2]) << 40) |
         (static_cast<uint64_t>(p[3]) << 32) | (static_cast<uint64_t>(p[4]) << 24) | (static_cast<uint64_t>(p[5]) << 16) |
         (static_cast<uint64_t>(p[6]) << 8) | static_cast<uint64_t>(p[7]);
}

// The bitstream after the table: codes and inline runs until `totalNybbles` are produced. Writes
// rows to `out` when kWrite. Returns the end of the stream (the byte after its last bit), or
// records a failure in `r`.
// Fills `pairs` (kPairTableSize entries) from the single-code tables: for each kPairBits-bit
// prefix, 0 when it starts with the escape or no code (the slow path decides), else the bits
// consumed (bits 7..0), nybbles produced (bits 15..8) and their pattern (bits 63..32) of the first
// code, and of the second too when its whole code lies in the prefix and the runs total <= 8.
// The tables are prefix-free (checked when built), so a code no longer than the known bits is the
// code the stream holds whatever bits follow.
void buildPairTable(const uint8_t* codeByPeek, const uint32_t* patternByPeek, uint64_t* pairs) {
  for (uint32_t index = 0; index < kPairTableSize; index++) {
    const uint32_t peek = index >> (kPairBits - 8);
    const uint32_t entry = peek >= kEscapePeekStart ? 0 : codeByPeek[peek];
    if (entry == 0) {
      pairs[index] = 0;
      continue;
    }
    uint32_t bits = entry & 0x0f;
    uint32_t count = entry >> 4;
    uint32_t pattern = patternByPeek[peek];
    const uint32_t known = kPairBits - bits;
    const uint32_t secondPeek = ((index << bits) & (kPairTableSize - 1)) >> (kPairBits - 8);
    const uint32_t second = secondPeek >= kEscapePeekStart ? 0 : codeByPeek[secondPeek];
    if (second != 0 && (second & 0x0f) <= known && count + (second >> 4) <= 8) {
      bits += second & 0x0f;
      pattern = (pattern << ((second >> 4) * 4)) | patternByPeek[secondPeek];
      count += second >> 4;
    }
    pairs[index] = (static_cast<uint64_t>(pattern) << 32) | (count << 8) | bits;
  }
}

template <bool kWrite>
size_t bitstreamWalk(const uint8_t* bytes, size_t end, size_t p, bool xorMode, uint32_t totalNybbles, const uint8_t* codeByPeek,
                     const uint32_t* patternByPeek, uint8_t* out, NemesisWalkResult* r) {
  // The pair table (kWrite walks of larger outputs only: probes and small streams do without).
  uint64_t pairs[kPairTableSize];
  const bool usePairs = kWrite && totalNybbles >= kPairTableMinimumNybbles && end - p >= kPairTableMinimumStreamBytes;
  if (usePairs) buildPairTable(codeByPeek, patternByPeek, pairs);
  // A left-aligned 64-bit accumulator holding `available` bits. Refills OR in whole bytes (eight
  // at once while eight remain, else one at a time with zeros past the end); the bits consumed
  // so far are next * 8 - available, as in the TypeScript walker.
  uint64_t accumulator = 0;
  uint32_t available = 0;
  size_t next = p;
  const uint64_t endBit = static_cast<uint64_t>(end) * 8;
  uint32_t produced = 0;
  // Nybbles not yet written, right-aligned: at most 7 left over plus a run of at most 8 (60 bits).
  uint64_t pending = 0;
  uint32_t pendingNybbles = 0;
  // XOR mode (§1.6): each row is XORed with the previous output row, across tiles.
  const uint32_t xorMask = xorMode ? 0xffffffffu : 0;
  uint32_t previousRow = 0;
  size_t outPos = 0;
  // Fast zone: while eight input bytes remain past every refill and a whole row's worth of runs
  // (16 nybbles) remains to be produced, no code can read past the input or overrun the
  // declared size, so those checks wait for the loop below. Anything unusual (no code) leaves
  // the zone without consuming, and the loop below reports it exactly.
  if (kWrite) {
    while (end - next >= 8 && totalNybbles - produced >= 16) {
      if (available <= 56) {
        accumulator |= loadBigEndian64(bytes + next) >> available;
        const uint32_t taken = (63 - available) >> 3;
        next += taken;
        available += taken * 8;
        if (end - next < 8) break;
      }
      uint32_t count;
      uint32_t pattern;
      const uint64_t pair = usePairs ? pairs[accumulator >> (64 - kPairBits)] : 0;
      if (pair != 0) {
        const uint32_t bits = static_cast<uint32_t>(pair) & 0xff;
        count = (static_cast<uint32_t>(pair) >> 8) & 0xff;
        pattern = static_cast<uint32_t>(pair >> 32);
        accumulator <<= bits;
        available -= bits;
      } else {
        const uint32_t peek = static_cast<uint32_t>(accumulator >> 56);
        if (peek >= kEscapePeekStart) {
          const uint32_t inlineRun = static_cast<uint32_t>(accumulator >> 51) & 0x1fff;
          count = ((inlineRun >> 4) & 7) + 1;
          pattern = nybbleRun(inlineRun & 0x0f, count);
          accumulator <<= 13;
          available -= 13;
        } else {
          const uint32_t entry = codeByPeek[peek];
          if (entry == 0) break;
          count = entry >> 4;
          pattern = patternByPeek[peek];
          accumulator <<= (entry & 0x0f);
          available -= entry & 0x0f;
        }
      }
      produced += count;
      pending = (pending << (count * 4)) | pattern;
      pendingNybbles += count;
      if (pendingNybbles >= 8) {
        pendingNybbles -= 8;
        const uint32_t row = static_cast<uint32_t>(pending >> (pendingNybbles * 4)) ^ (previousRow & xorMask);
        previousRow = row;
        out[outPos] = static_cast<uint8_t>(row >> 24);
        out[outPos + 1] = static_cast<uint8_t>(row >> 16);
        out[outPos + 2] = static_cast<uint8_t>(row >> 8);
        out[outPos + 3] = static_cast<uint8_t>(row);
        outPos += 4;
      }
    }
  }
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
    if (usePairs) {
      // One or two whole codes that end inside the input and inside the declared size: the slow
      // path below would accept each of them, so take them at once. Anything else (the escape,
      // no code, a stream ending, a run past the size) goes through the slow path, code by code.
      const uint64_t pair = pairs[accumulator >> (64 - kPairBits)];
      const uint32_t bits = static_cast<uint32_t>(pair) & 0xff;
      const uint32_t count = (static_cast<uint32_t>(pair) >> 8) & 0xff;
      if (pair != 0 && static_cast<uint64_t>(next) * 8 - available + bits <= endBit && produced + count <= totalNybbles) {
        accumulator <<= bits;
        available -= bits;
        produced += count;
        pending = (pending << (count * 4)) | (pair >> 32);
        pendingNybbles += count;
        if (pendingNybbles >= 8) {
          pendingNybbles -= 8;
          const uint32_t row = static_cast<uint32_t>(pending >> (pendingNybbles * 4)) ^ (previousRow & xorMask);
          previousRow = row;
          out[outPos] = static_cast<uint8_t>(row >> 24);
          out[outPos + 1] = static_cast<uint8_t>(row >> 16);
          out[outPos + 2] = static_cast<uint8_t>(row >> 8);
          out[outPos + 3] = static_cast<uint8_t>(row);
          outPos += 4;
        }
        continue;
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
      if (entry == 0) {
        failWalk(r, kStatusNemesisInvalidCode, static_cast<size_t>((static_cast<uint64_t>(next) * 8 - available) >> 3));
        return 0;
      }
      runLength = entry >> 4;
      pattern = patternByPeek[peek];
      accumulator <<= (entry & 0x0f);
      available -= entry & 0x0f;
    }
    const uint64_t bit = static_cast<uint64_t>(next) * 8 - available;
    if (bit > endBit) {
      failWalk(r, kStatusNemesisBitstreamTruncated, end, produced, totalNybbles);
      return 0;
    }
    if (produced + runLength > totalNybbles) {
      failWalk(r, kStatusNemesisRunOverrunsSize, static_cast<size_t>(bit >> 3), runLength, totalNybbles - produced);
      return 0;
    }
    produced += runLength;
    if (!kWrite) continue;
    // Rows are longwords of 8 nybbles; a run of at most 8 completes at most one.
    pending = (pending << (runLength * 4)) | pattern;
    pendingNybbles += runLength;
    if (pendingNybbles >= 8) {
      pendingNybbles -= 8;
      const uint32_t row = static_cast<uint32_t>(pending >> (pendingNybbles * 4)) ^ (previousRow & xorMask);
      previousRow = row;
      out[outPos] = static_cast<uint8_t>(row >> 24);
      out[outPos + 1] = static_cast<uint8_t>(row >> 16);
      out[outPos + 2] = static_cast<uint8_t>(row >> 8);
      out[outPos + 3] = static_cast<uint8_t>(row);
      outPos += 4;
    }
  }
  const uint64_t bit = static_cast<uint64_t>(next) * 8 - available;
  r->status = kStatusOk;
  return static_cast<size_t>((bit + 7) >> 3);
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
  if (end - start < 2) return failWalk(r, kStatusNemesisHeaderTruncated, start);
  const uint32_t header = (static_cast<uint32_t>(bytes[start]) << 8) | bytes[start + 1];
  const bool xorMode = (header & 0x8000) != 0;
  const uint32_t declared = (header & 0x7fff) * kNemesisTileSizeInBytes;
  if (declared > limit) return failWalk(r, kStatusNemesisOutputLimit, start, declared);
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
    if (p >= end) return failWalk(r, kStatusNemesisTableUnterminated, p);
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
    if (p + 1 >= end) return failWalk(r, kStatusNemesisEntryTruncated, p);
    const uint32_t length = b & 0x0f;
    const uint32_t code = bytes[p + 1];
    if (length == 0 || length > 8) return failWalk(r, kStatusNemesisBadCodeLength, p, length);
    if (code >= (1u << length)) return failWalk(r, kStatusNemesisCodeTooWide, p, code, length);
    const uint32_t first = code << (8 - length);
    const uint32_t span = 1u << (8 - length);
    // A code in 111111xx (or an all-ones prefix of it) collides with the escape (§1.4).
    if (first + span > kEscapePeekStart) return failWalk(r, kStatusNemesisCodeCollidesWithEscape, p, code, length);
    const uint32_t runLength = ((b >> 4) & 7) + 1;
    const uint32_t pattern = nybbleRun(nybble, runLength);
    for (uint32_t i = first; i < first + span; i++) {
      const uint32_t existing = codeByPeek[i] & 0x0f;
      // Same length overlapping means the same code: an exact repeat, last entry wins (§1.8).
      if (existing != 0 && existing != length) return failWalk(r, kStatusNemesisCodeNotPrefixFree, p, code, length);
      codeByPeek[i] = static_cast<uint8_t>((runLength << 4) | length);
      patternByPeek[i] = pattern;
    }
    p += 2;
  }

  const uint32_t totalNybbles = declared * 2;
  const size_t endOfStream = out != nullptr ? bitstreamWalk<true>(bytes, end, p, xorMode, totalNybbles, codeByPeek, patternByPeek, out, r)
                                            : bitstreamWalk<false>(bytes, end, p, xorMode, totalNybbles, codeByPeek, patternByPeek, nullptr, r);
  if (r->status != kStatusOk) return;
  r->packedLength = endOfStream - start;
  r->outputLength = declared;
}

}  // namespace romgfx
