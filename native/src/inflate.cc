#include "inflate.h"

#include <zlib.h>

namespace romgfx {

// Raw deflate with the largest window (RFC 1951 allows distances up to 32 KiB): Node's
// inflateRaw default (windowBits 15), negated for "no zlib header" (zlib.h, inflateInit2).
constexpr int kRawWindowBits = -15;

namespace {

int32_t statusFor(int zlibResult) {
  if (zlibResult == Z_MEM_ERROR) return kInflateOutOfMemory;
  // Z_DATA_ERROR, and anything else that is not a clean stop (Z_STREAM_ERROR, Z_NEED_DICT, which
  // a raw stream cannot ask for): the bytes are not a deflate stream zlib accepts.
  return kInflateCorrupt;
}

}  // namespace

void zlibInflateRaw(const uint8_t* input, size_t inputLength, uint8_t* output, size_t outputCapacity, InflateResult* result) {
  *result = InflateResult{};
  if (inputLength > kMaximumInflateInputSizeInBytes || outputCapacity > kMaximumInflateOutputSizeInBytes) {
    result->status = kInflateBadArgument;
    return;
  }
  z_stream stream{};
  const int init = inflateInit2(&stream, kRawWindowBits);
  if (init != Z_OK) {
    result->status = init == Z_MEM_ERROR ? kInflateOutOfMemory : kInflateBadArgument;
    return;
  }
  stream.next_in = const_cast<Bytef*>(input);
  stream.avail_in = static_cast<uInt>(inputLength);
  stream.next_out = output;
  stream.avail_out = static_cast<uInt>(outputCapacity);
  // Z_FINISH as Node's sync calls use: zlib runs until the stream ends, the input runs out, the
  // output is full or the data is bad (it never stops with both input and room left).
  int ret = inflate(&stream, Z_FINISH);
  result->written = outputCapacity - stream.avail_out;
  if (ret != Z_STREAM_END && ret != Z_OK && ret != Z_BUF_ERROR) {
    result->status = statusFor(ret);
  } else if (ret == Z_STREAM_END) {
    result->status = kInflateOk;
  } else if (stream.avail_out == 0) {
    // The buffer is full and the stream has not ended: one more byte of room tells "more output"
    // (too large, whatever follows: Node refuses as soon as its output passes the cap) from a
    // stream that ends, is cut or is bad right here without another byte (as Node reports them).
    uint8_t spill[1];
    stream.next_out = spill;
    stream.avail_out = sizeof spill;
    ret = inflate(&stream, Z_FINISH);
    if (stream.avail_out == 0) result->status = kInflateOutputTooLarge;
    else if (ret == Z_STREAM_END) result->status = kInflateOk;
    else if (ret == Z_OK || ret == Z_BUF_ERROR) result->status = kInflateTruncated;
    else result->status = statusFor(ret);
  } else {
    // Room left, not ended, no error: zlib wanted more input (it has consumed all of it).
    result->status = kInflateTruncated;
  }
  result->consumed = inputLength - stream.avail_in;
  inflateEnd(&stream);
}

}  // namespace romgfx
