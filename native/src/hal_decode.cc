// HAL decoder and probe: one walker for both, as in src/codecs/hal/decode.ts, so the probe a
// scanner trusts and the decoder an injector trusts never disagree. Every read of the input is
// preceded by a check against `size`; every write to `out` by a check against `limit` (<= 64 KiB,
// the size of `out`); copy sources are checked against 0 and 65,535 before any byte moves.
#include <cstring>

#include "hal.h"
#include "hal_tables.h"

namespace romgfx {

namespace {

constexpr uint8_t kEndOfStream = 0xff;

inline void fail(HalWalkResult* r, int32_t status, size_t offset, uint32_t value, uint32_t count, uint32_t touched) {
  r->status = status;
  r->failOffset = offset;
  r->failValue = value;
  r->failCount = count;
  r->touched = touched;
}

}  // namespace

void halWalk(const uint8_t* bytes, size_t size, size_t start, uint32_t limit, uint8_t* out, HalWalkResult* r) {
  *r = HalWalkResult();
  if (start > size || limit > kMaximumHalOutputSizeInBytes) {
    r->status = kStatusBadArgument;
    return;
  }
  const size_t end = size;
  size_t in = start;
  uint32_t outPos = 0;
  for (;;) {
    if (in >= end) return fail(r, kStatusHalTruncated, in, 0, 0, outPos);
    const size_t commandOffset = in;
    const uint8_t b = bytes[in++];
    if (b == kEndOfStream) break;
    uint32_t kind;
    uint32_t count;
    if ((b & 0xe0) == 0xe0) {
      if (in >= end) return fail(r, kStatusHalTruncated, in, 1, 0, outPos);
      kind = (b >> 2) & 7;
      count = ((static_cast<uint32_t>(b & 3) << 8) | bytes[in++]) + 1;
    } else {
      kind = b >> 5;
      count = (b & 0x1f) + 1;
    }
    const uint32_t produced = kind == 2 ? count * 2 : count;
    // outPos <= limit <= 65,536 and produced <= 2,048: no overflow.
    if (outPos + produced > limit) return fail(r, kStatusHalOutputTooLarge, commandOffset, outPos + produced, 0, outPos);
    switch (kind) {
      case 0: {
        if (end - in < count) return fail(r, kStatusHalTruncated, in, count, 0, outPos);
        if (out != nullptr) std::memcpy(out + outPos, bytes + in, count);
        in += count;
        break;
      }
      case 1: {
        if (in >= end) return fail(r, kStatusHalTruncated, in, 1, 0, outPos);
        if (out != nullptr) std::memset(out + outPos, bytes[in], count);
        in += 1;
        break;
      }
      case 2: {
        if (end - in < 2) return fail(r, kStatusHalTruncated, in, 2, 0, outPos);
        if (out != nullptr) {
          const uint8_t a = bytes[in];
          const uint8_t c = bytes[in + 1];
          uint8_t* o = out + outPos;
          for (uint32_t i = 0; i < count; i++) {
            o[2 * i] = a;
            o[2 * i + 1] = c;
          }
        }
        in += 2;
        break;
      }
      case 3: {
        if (in >= end) return fail(r, kStatusHalTruncated, in, 1, 0, outPos);
        if (out != nullptr) {
          const uint32_t v = bytes[in];
          uint8_t* o = out + outPos;
          for (uint32_t i = 0; i < count; i++) o[i] = static_cast<uint8_t>(v + i);
        }
        in += 1;
        break;
      }
      default: {
        // 4 forward, 5 bit-reversed, 6 backward; long-form 7 is exhal's alias of 4.
        if (end - in < 2) return fail(r, kStatusHalTruncated, in, 2, 0, outPos);
        const uint32_t source = (static_cast<uint32_t>(bytes[in]) << 8) | bytes[in + 1];
        in += 2;
        if (kind == 6) {
          if (source + 1 < count) return fail(r, kStatusHalBackwardBeforeStart, commandOffset, source, count, outPos);
          if (out != nullptr) {
            uint8_t* o = out + outPos;
            for (uint32_t i = 0; i < count; i++) o[i] = out[source - i];
          }
        } else {
          if (source + count > kMaximumHalOutputSizeInBytes) return fail(r, kStatusHalCopyPastEnd, commandOffset, source, count, outPos);
          if (out != nullptr) {
            // Byte at a time: a forward copy may overlap what it is writing (repeats a pattern).
            uint8_t* o = out + outPos;
            const uint8_t* s = out + source;
            if (kind == 5) {
              for (uint32_t i = 0; i < count; i++) o[i] = kBitReversedByte[s[i]];
            } else {
              for (uint32_t i = 0; i < count; i++) o[i] = s[i];
            }
          }
        }
        break;
      }
    }
    outPos += produced;
  }
  r->status = kStatusOk;
  r->packedLength = in - start;
  r->outputLength = outPos;
  r->touched = outPos;
}

}  // namespace romgfx
