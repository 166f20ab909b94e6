// Raw deflate (RFC 1951) inflate into the caller's buffer, for reading PNGs (src/native/inflate.ts).
// The point is start-up, not speed: node:zlib's inflate is the same zlib, but loading node:zlib
// compiles node:stream and ~20 internal stream modules (~5 ms of every `romgfx import`, issue
// #18), while the addon, which links zlib for its deflate already, loads in ~1.3 ms.
//
// It accepts and rejects what Node's zlib.inflateRawSync(input, { maxOutputLength }) does and
// gives the same bytes (test/native/inflate-parity.test.ts): zlib's inflate with windowBits -15
// and Z_FINISH, as Node calls it; a stream must reach the end of its final block (Node: "unexpected
// end of file" otherwise); bytes after the final block are ignored (Node ignores them too, and a
// PNG's zlib stream has its Adler-32 there); output past the caller's buffer is refused.
#ifndef ROMGFX_NATIVE_INFLATE_H
#define ROMGFX_NATIVE_INFLATE_H

#include <cstddef>
#include <cstdint>

namespace romgfx {

// z_stream counts in 32-bit uInt: the caller (src/native/inflate.ts) sends larger inputs or
// output buffers to node:zlib. A PNG is at most 256 MiB and its rows at most ~513 MiB.
constexpr size_t kMaximumInflateInputSizeInBytes = size_t{1} << 30;
constexpr size_t kMaximumInflateOutputSizeInBytes = size_t{1} << 30;

// How an inflate ended; the Node-API layer returns the byte count for kInflateOk, else the status
// (negative, so never mistaken for a count). Keep in sync with nativeInflateStatus in src/native/inflate.ts.
enum InflateStatus : int32_t {
  kInflateOk = 0,                  // the stream ended within the buffer: `written` bytes
  kInflateCorrupt = -1,            // not RFC 1951 data (zlib's Z_DATA_ERROR)
  kInflateOutputTooLarge = -2,     // more output than the caller's buffer holds
  kInflateTruncated = -3,          // the input ends before the end of the final block
  kInflateOutOfMemory = -4,        // zlib could not allocate its state or window
  kInflateBadArgument = -5,        // a length over the limits above
};

struct InflateResult {
  int32_t status = kInflateOk;
  size_t written = 0;     // output bytes written (also when it stopped early)
  size_t consumed = 0;    // input bytes zlib had read when it stopped
};

// Inflates the raw deflate stream input[0..inputLength) into output[0..outputCapacity). One call,
// one fresh zlib stream (its ~7 KiB of state, and the 32 KiB window only when the stream does
// not finish in the buffer: zlib.h, Z_FINISH); nothing is allocated per byte.
void zlibInflateRaw(const uint8_t* input, size_t inputLength, uint8_t* output, size_t outputCapacity, InflateResult* result);

}  // namespace romgfx

#endif
