// The best copy at every position for the HAL encoders (see hal_matches.cc).
#ifndef ROMGFX_NATIVE_HAL_MATCHES_H
#define ROMGFX_NATIVE_HAL_MATCHES_H

#include <cstdint>

#include "common.h"

namespace romgfx {

struct CopyMatches {
  HeapArray<int32_t> length;  // 0 = no copy at this position
  HeapArray<uint8_t> kind;    // 4 forward, 5 bit-reversed, 6 backward
  HeapArray<int32_t> source;
};

// Each copy capped at min(1,024, bytes left). `inhalRules`: forward, then bit-reversed, then
// backward, a later kind only when strictly longer, each from its earliest source, at least 4
// bytes (inhal's ref_search; `forwardOnly` for its fast mode). Otherwise the longest of any kind,
// at least 3 bytes, from the nearer suffix (for the optimal parse). False when memory runs out.
bool findCopyMatches(const uint8_t* data, int32_t n, bool inhalRules, bool forwardOnly, CopyMatches& out);

}  // namespace romgfx

#endif
