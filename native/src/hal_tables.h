// rev(b): the byte with its bits mirrored, i.e. an 8-pixel planar row flipped horizontally
// (hal.md, kind 5). Built at compile time: a const table, nothing shared and mutable.
#ifndef ROMGFX_NATIVE_HAL_TABLES_H
#define ROMGFX_NATIVE_HAL_TABLES_H

#include <cstdint>

namespace romgfx {

struct BitReversedTable {
  uint8_t value[256];
  constexpr BitReversedTable() : value() {
    for (int b = 0; b < 256; b++) {
      int reversed = 0;
      for (int bit = 0; bit < 8; bit++)
        if (b & (1 << bit)) reversed |= 0x80 >> bit;
      value[b] = static_cast<uint8_t>(reversed);
    }
  }
  constexpr uint8_t operator[](int b) const { return value[b]; }
};

inline constexpr BitReversedTable kBitReversedByte{};

}  // namespace romgfx

#endif
