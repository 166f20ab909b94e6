#include "deflate.h"

#include <cstdlib>

namespace romgfx {

// zlib's defaults, as Node's zlib uses them (Z_DEFAULT_WINDOWBITS 15, Z_DEFAULT_MEMLEVEL 8).
constexpr int kWindowBits = 15;
constexpr int kMemoryLevel = 8;

ZlibDeflater::~ZlibDeflater() {
  for (size_t i = 0; i < blockCount_; i++) std::free(blocks_[i].memory);
}

voidpf ZlibDeflater::Allocate(voidpf opaque, uInt items, uInt size) {
  ZlibDeflater* self = static_cast<ZlibDeflater*>(opaque);
  if (size != 0 && items > SIZE_MAX / size) return Z_NULL;
  const size_t bytes = static_cast<size_t>(items) * size;
  // A free block of exactly this size: zlib asks for the same sizes every time at one level.
  for (size_t i = 0; i < self->blockCount_; i++) {
    Block& block = self->blocks_[i];
    if (!block.inUse && block.size == bytes) {
      block.inUse = true;
      return block.memory;
    }
  }
  void* memory = std::malloc(bytes == 0 ? 1 : bytes);
  if (memory == nullptr) return Z_NULL;
  if (self->blockCount_ < kMaximumRecycledBlocks) {
    self->blocks_[self->blockCount_++] = Block{memory, bytes, true};
  } else {
    // Every slot holds a block of another size (levels differ in nothing zlib allocates, so
    // this takes a zlib that allocates differently): replace a free one, else do not keep it.
    for (size_t i = 0; i < self->blockCount_; i++) {
      Block& block = self->blocks_[i];
      if (!block.inUse) {
        std::free(block.memory);
        block = Block{memory, bytes, true};
        return memory;
      }
    }
  }
  return memory;
}

void ZlibDeflater::Free(voidpf opaque, voidpf address) {
  ZlibDeflater* self = static_cast<ZlibDeflater*>(opaque);
  for (size_t i = 0; i < self->blockCount_; i++) {
    if (self->blocks_[i].memory == address) {
      self->blocks_[i].inUse = false;
      return;
    }
  }
  std::free(address);
}

int32_t ZlibDeflater::deflate(const uint8_t* input, size_t inputLength, uint8_t* output, size_t outputCapacity, int level, size_t* written) {
  *written = 0;
  if (level < kZlibMinimumLevel || level > kZlibMaximumLevel || inputLength > kMaximumDeflateInputSizeInBytes ||
      outputCapacity < zlibDeflateBound(inputLength))
    return kStatusBadArgument;
  z_stream stream{};
  stream.zalloc = Allocate;
  stream.zfree = Free;
  stream.opaque = this;
  const int init = deflateInit2(&stream, level, Z_DEFLATED, kWindowBits, kMemoryLevel, Z_DEFAULT_STRATEGY);
  if (init != Z_OK) return init == Z_MEM_ERROR ? kStatusOutOfMemory : kStatusDeflateFailed;
  stream.next_in = const_cast<Bytef*>(input);
  stream.avail_in = static_cast<uInt>(inputLength);
  // The bound check above makes one Z_FINISH call enough; the count zlib sees must fit a uInt.
  const size_t capacity = outputCapacity > kMaximumDeflateInputSizeInBytes * 2 ? kMaximumDeflateInputSizeInBytes * 2 : outputCapacity;
  stream.next_out = output;
  stream.avail_out = static_cast<uInt>(capacity);
  const int result = ::deflate(&stream, Z_FINISH);
  const size_t produced = capacity - stream.avail_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return kStatusDeflateFailed;
  *written = produced;
  return kStatusOk;
}

}  // namespace romgfx
