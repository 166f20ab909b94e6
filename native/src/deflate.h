// zlib-format deflate that does not allocate per call. Node's deflateSync sets up a new stream
// per call, and zlib asks for ~256 KiB of state each time (window, chains, hash heads, pending
// output) and frees it after. With a thumbnail's 8 KiB of scanlines that allocation dominates
// the call, and the allocator growing and shrinking its heap under it (mprotect, page faults:
// process-wide locks) made two threads deflate only 1.15-1.46x as fast as one (measured here).
//
// Here each call still sets up a fresh stream (deflateInit2 ... deflateEnd), so the bytes are
// exactly those of a new stream, as deflateSync writes them; but zlib's memory comes from blocks
// this thread keeps (zalloc/zfree, zlib.h "Usage of the zalloc/zfree"). A stream kept and
// deflateReset between calls is not enough: it keeps the bytes past the end of the last input
// in its window, and Node's zlib (Chromium's) reads a few of them when choosing matches, so the
// output then depends on the previous input (found by test/native/deflate-parity.test.ts).
#ifndef ROMGFX_NATIVE_DEFLATE_H
#define ROMGFX_NATIVE_DEFLATE_H

#include <zlib.h>

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

constexpr int kZlibMinimumLevel = 1;
constexpr int kZlibMaximumLevel = 9;
// z_stream counts in 32-bit uInt; inputs stay well under that (thumbnails are a few KiB).
constexpr size_t kMaximumDeflateInputSizeInBytes = size_t{1} << 30;
// zlib's deflate asks for five blocks (state, window, chains, hash heads, pending output); room
// for a few more in case a zlib build splits them further. Blocks past this are plain malloc/free.
constexpr size_t kMaximumRecycledBlocks = 8;

// The most bytes deflate can write for `length` input bytes with windowBits 15 and memLevel 8:
// zlib's compressBound() (zlib.h: "an upper bound on the compressed size after compress()").
constexpr size_t zlibDeflateBound(size_t length) {
  return length + (length >> 12) + (length >> 14) + (length >> 25) + 13;
}

// One thread's deflater: the memory blocks zlib asked for, handed back to it call after call.
class ZlibDeflater {
 public:
  ZlibDeflater() = default;
  ~ZlibDeflater();
  ZlibDeflater(const ZlibDeflater&) = delete;
  ZlibDeflater& operator=(const ZlibDeflater&) = delete;

  // Deflates input[0..inputLength) into output (zlib wrapper, windowBits 15, memLevel 8, default
  // strategy: what Node's zlib.deflateSync writes at this level). Needs outputCapacity >=
  // zlibDeflateBound(inputLength). kStatusOk and *written on success.
  int32_t deflate(const uint8_t* input, size_t inputLength, uint8_t* output, size_t outputCapacity, int level, size_t* written);

 private:
  struct Block {
    void* memory;
    size_t size;
    bool inUse;
  };
  static voidpf Allocate(voidpf opaque, uInt items, uInt size);
  static void Free(voidpf opaque, voidpf address);

  Block blocks_[kMaximumRecycledBlocks] = {};
  size_t blockCount_ = 0;
};

}  // namespace romgfx

#endif
