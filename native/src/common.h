// Shared helpers for the romgfx native kernels: a checked heap array and the status codes the
// kernels report to the Node-API layer. Kernels are plain C++ (no Node-API, no globals other
// than const tables), so they are safe to run from any number of worker threads at once.
#ifndef ROMGFX_NATIVE_COMMON_H
#define ROMGFX_NATIVE_COMMON_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace romgfx {

// Status codes shared with src/native/glue (keep the numbers in sync with nativeStatusCodes there).
enum Status : int32_t {
  kStatusOk = 0,
  kStatusHalTruncated = 1,
  kStatusHalOutputTooLarge = 2,
  kStatusHalCopyPastEnd = 3,
  kStatusHalBackwardBeforeStart = 4,
  kStatusHalInputTooLarge = 5,
  kStatusHalPackedTooLarge = 6,
  kStatusOutOfMemory = 7,
  kStatusBadArgument = 8,
  kStatusIndexTooLarge = 9,
  kStatusDeflateFailed = 10,
  kStatusNemesisHeaderTruncated = 11,
  kStatusNemesisOutputLimit = 12,
  kStatusNemesisTableUnterminated = 13,
  kStatusNemesisEntryTruncated = 14,
  kStatusNemesisBadCodeLength = 15,
  kStatusNemesisCodeTooWide = 16,
  kStatusNemesisCodeCollidesWithEscape = 17,
  kStatusNemesisCodeNotPrefixFree = 18,
  kStatusNemesisInvalidCode = 19,
  kStatusNemesisBitstreamTruncated = 20,
  kStatusNemesisRunOverrunsSize = 21,
  kStatusKonami1HeaderTruncated = 22,
  kStatusKonami1StatedTooSmall = 23,
  kStatusKonami1StatedPastInput = 24,
  kStatusKonami1CopySecondBytePastEnd = 25,
  kStatusKonami1CopyTooFarBack = 26,
  kStatusKonami1OutputLimit = 27,
  kStatusKonami1LiteralZero = 28,
  kStatusKonami1LiteralPastEnd = 29,
  kStatusKonami1InterleavePastEnd = 30,
  kStatusKonami1RunValuePastEnd = 31,
  kStatusSaxmanTruncated = 32,
  kStatusSaxmanOutputLimit = 33,
  kStatusSaxmanCopyOverrun = 34,
  kStatusKosinskiFirstDescriptorTruncated = 35,
  kStatusKosinskiDescriptorTruncated = 36,
  kStatusKosinskiLiteralTruncated = 37,
  kStatusKosinskiInlineMatchTruncated = 38,
  kStatusKosinskiFullMatchTruncated = 39,
  kStatusKosinskiExtendedMatchTruncated = 40,
  kStatusKosinskiOutputLimit = 41,
  kStatusKosinskiBeforeStart = 42,
  kStatusKosinskiModuledHeaderTruncated = 43,
  kStatusKosinskiModuledSizeOverLimit = 44,
  kStatusKosinskiModuleMissing = 45,
  kStatusKosinskiModuleTooLong = 46,
  kStatusKosinskiModuleSizeMismatch = 47,
  kStatusLz4wTruncated = 48,
  kStatusLz4wOutputLimit = 49,
  kStatusLz4wBeforeStart = 50,
  kStatusLz4wRomSource = 51,
  kStatusComperTruncated = 52,
  kStatusComperOutputLimit = 53,
  kStatusComperBeforeStart = 54,
};

// What a decoder walk reports (every byte-stream kernel but HAL's): status, packed length, output
// length, and on failure the stream offset the TypeScript error names plus up to three numbers its
// message and details carry (each kernel's header says which is which). The Node-API layer copies
// it into the caller's Float64Array in this order.
struct CodecWalkResult {
  int32_t status = kStatusOk;
  size_t packedLength = 0;
  uint64_t outputLength = 0;
  size_t failOffset = 0;
  uint64_t failValue = 0;
  uint64_t failCount = 0;
  uint64_t failExtra = 0;
};

// Records a failure in `r` (returns nothing, so a walker can `return failWalk(...)`).
inline void failWalk(CodecWalkResult* r, int32_t status, size_t offset, uint64_t value = 0, uint64_t count = 0, uint64_t extra = 0) {
  r->status = status;
  r->failOffset = offset;
  r->failValue = value;
  r->failCount = count;
  r->failExtra = extra;
}

// A zero-initialised heap array that frees itself. Allocation failure leaves data() null; callers
// check ok() and report kStatusOutOfMemory instead of crashing (no exceptions in this addon).
template <typename T>
class HeapArray {
 public:
  HeapArray() = default;
  explicit HeapArray(size_t count) { reset(count); }
  ~HeapArray() { std::free(data_); }
  HeapArray(const HeapArray&) = delete;
  HeapArray& operator=(const HeapArray&) = delete;

  bool reset(size_t count) {
    std::free(data_);
    data_ = static_cast<T*>(std::calloc(count == 0 ? 1 : count, sizeof(T)));
    size_ = data_ != nullptr ? count : 0;
    return data_ != nullptr;
  }
  bool ok() const { return data_ != nullptr; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  void fill(T value) {
    for (size_t i = 0; i < size_; i++) data_[i] = value;
  }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace romgfx

#endif
