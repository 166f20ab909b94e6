// Planar and packed-nibble tile kernels. A planar row (8 pixels, up to 8 planes) is handled as
// one 64-bit word whose byte lane i is pixel i (little-endian, as on every machine Node runs
// on here): decoding ORs one table lookup per plane shifted to the plane's bit; encoding picks
// each plane's bit out of all 8 lanes with one multiply.
#include <cstring>

#include "tiles.h"

namespace romgfx {

namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the lane layout assumes a little-endian machine");

// spread[b]: bit 0 of byte lane i = pixel i's bit in plane byte b. MSB-left: pixel 0 is bit 7.
struct SpreadTable {
  uint64_t value[256];
  constexpr explicit SpreadTable(bool lsbLeft) : value() {
    for (int b = 0; b < 256; b++) {
      uint64_t lanes = 0;
      for (int pixel = 0; pixel < 8; pixel++) {
        const int bit = lsbLeft ? pixel : 7 - pixel;
        lanes |= static_cast<uint64_t>((b >> bit) & 1) << (8 * pixel);
      }
      value[b] = lanes;
    }
  }
};

inline constexpr SpreadTable kSpreadMsbLeft{false};
inline constexpr SpreadTable kSpreadLsbLeft{true};

constexpr uint64_t kLaneLowBits = 0x0101010101010101ull;

// Gathers bit 0 of the 8 byte lanes into a byte, lane 0 (pixel 0) in bit 7. Lane i's bit lands
// on bit 63 - i of the product; every other partial product lands above bit 63 or below 56
// without carrying into 56..63 (checked exhaustively by the parity tests' 256-row patterns).
inline uint32_t gatherMsbLeft(uint64_t lanes) { return static_cast<uint32_t>((lanes * 0x8040201008040201ull) >> 56); }

// The same with lane 0 in bit 0 (LSB-left rows).
inline uint32_t gatherLsbLeft(uint64_t lanes) { return static_cast<uint32_t>((lanes * 0x0102040810204080ull) >> 56); }

inline uint64_t overflowMask(uint32_t bpp) {
  if (bpp >= 8) return 0;
  const uint64_t lane = (0xffu << bpp) & 0xffu;
  return lane * kLaneLowBits;
}

// tileCount tiles fit both buffers, without overflow (tileCount is at most 2^53 from JS).
// bytesPerTile is >= 1 (32 for packed tiles, a validated layout's size for planar ones).
inline bool lengthsFit(size_t tileCount, size_t bytesPerTile, size_t bytesLength, size_t indicesLength) {
  return tileCount <= bytesLength / bytesPerTile && tileCount <= indicesLength / kPixelsPerTile;
}

}  // namespace

bool planarLayoutIsValid(const PlanarLayout& layout) {
  if (layout.planeCount < 1 || layout.planeCount > kMaximumPlaneCount) return false;
  if (layout.bytesPerTile < 1 || layout.bytesPerTile > kMaximumBytesPerTile) return false;
  for (uint32_t p = 0; p < layout.planeCount; p++) {
    if (static_cast<uint32_t>(layout.planeOffsets[p]) + 7u * layout.rowStrides[p] >= layout.bytesPerTile) return false;
  }
  return true;
}

int32_t decodePlanarTiles(const uint8_t* bytes, size_t bytesLength, uint8_t* indices, size_t indicesLength, size_t tileCount, const PlanarLayout& layout) {
  if (!planarLayoutIsValid(layout) || !lengthsFit(tileCount, layout.bytesPerTile, bytesLength, indicesLength)) return kStatusBadArgument;
  const uint64_t* spread = layout.lsbFirst ? kSpreadLsbLeft.value : kSpreadMsbLeft.value;
  const uint32_t planeCount = layout.planeCount;
  // Byte position of row y of plane p inside a tile, precomputed once per call.
  uint8_t rowOffset[8][kMaximumPlaneCount];
  for (uint32_t y = 0; y < 8; y++)
    for (uint32_t p = 0; p < planeCount; p++) rowOffset[y][p] = static_cast<uint8_t>(layout.planeOffsets[p] + y * layout.rowStrides[p]);
  uint8_t* out = indices;
  const uint8_t* tile = bytes;
  for (size_t t = 0; t < tileCount; t++, tile += layout.bytesPerTile) {
    for (uint32_t y = 0; y < 8; y++, out += 8) {
      uint64_t row = 0;
      for (uint32_t p = 0; p < planeCount; p++) row |= spread[tile[rowOffset[y][p]]] << p;
      std::memcpy(out, &row, 8);
    }
  }
  return kStatusOk;
}

int32_t encodePlanarTiles(const uint8_t* indices, size_t indicesLength, uint8_t* bytes, size_t bytesLength, size_t tileCount, const PlanarLayout& layout,
                          size_t* failedTile) {
  if (!planarLayoutIsValid(layout) || !lengthsFit(tileCount, layout.bytesPerTile, bytesLength, indicesLength)) return kStatusBadArgument;
  const uint32_t planeCount = layout.planeCount;
  const uint64_t tooLarge = overflowMask(planeCount);
  uint8_t rowOffset[8][kMaximumPlaneCount];
  for (uint32_t y = 0; y < 8; y++)
    for (uint32_t p = 0; p < planeCount; p++) rowOffset[y][p] = static_cast<uint8_t>(layout.planeOffsets[p] + y * layout.rowStrides[p]);
  const uint8_t* in = indices;
  uint8_t* tile = bytes;
  for (size_t t = 0; t < tileCount; t++, tile += layout.bytesPerTile) {
    uint64_t seen = 0;
    for (uint32_t y = 0; y < 8; y++, in += 8) {
      uint64_t row;
      std::memcpy(&row, in, 8);
      seen |= row;
      if (layout.lsbFirst) {
        for (uint32_t p = 0; p < planeCount; p++) tile[rowOffset[y][p]] = static_cast<uint8_t>(gatherLsbLeft((row >> p) & kLaneLowBits));
      } else {
        for (uint32_t p = 0; p < planeCount; p++) tile[rowOffset[y][p]] = static_cast<uint8_t>(gatherMsbLeft((row >> p) & kLaneLowBits));
      }
    }
    if ((seen & tooLarge) != 0) {
      *failedTile = t;
      return kStatusIndexTooLarge;
    }
  }
  return kStatusOk;
}

int32_t decodePackedNibbleTiles(const uint8_t* bytes, size_t bytesLength, uint8_t* indices, size_t indicesLength, size_t tileCount, bool lowNibbleLeft) {
  if (!lengthsFit(tileCount, 32, bytesLength, indicesLength)) return kStatusBadArgument;
  // Tile-major packed data is already in indices-plane order, two pixels per byte.
  const size_t byteCount = tileCount * 32;
  if (lowNibbleLeft) {
    for (size_t i = 0; i < byteCount; i++) {
      const uint8_t b = bytes[i];
      indices[2 * i] = b & 0x0f;
      indices[2 * i + 1] = b >> 4;
    }
  } else {
    for (size_t i = 0; i < byteCount; i++) {
      const uint8_t b = bytes[i];
      indices[2 * i] = b >> 4;
      indices[2 * i + 1] = b & 0x0f;
    }
  }
  return kStatusOk;
}

int32_t encodePackedNibbleTiles(const uint8_t* indices, size_t indicesLength, uint8_t* bytes, size_t bytesLength, size_t tileCount, bool lowNibbleLeft,
                                size_t* failedTile) {
  if (!lengthsFit(tileCount, 32, bytesLength, indicesLength)) return kStatusBadArgument;
  const uint8_t* in = indices;
  uint8_t* out = bytes;
  for (size_t t = 0; t < tileCount; t++, in += 64, out += 32) {
    uint32_t seen = 0;
    if (lowNibbleLeft) {
      for (uint32_t i = 0; i < 32; i++) {
        const uint32_t left = in[2 * i];
        const uint32_t right = in[2 * i + 1];
        seen |= left | right;
        out[i] = static_cast<uint8_t>((left & 0x0f) | ((right & 0x0f) << 4));
      }
    } else {
      for (uint32_t i = 0; i < 32; i++) {
        const uint32_t left = in[2 * i];
        const uint32_t right = in[2 * i + 1];
        seen |= left | right;
        out[i] = static_cast<uint8_t>(((left & 0x0f) << 4) | (right & 0x0f));
      }
    }
    // The & 0x0f above only shapes bytes that are then rejected here; no index is silently masked.
    if (seen > 0x0f) {
      *failedTile = t;
      return kStatusIndexTooLarge;
    }
  }
  return kStatusOk;
}

}  // namespace romgfx
