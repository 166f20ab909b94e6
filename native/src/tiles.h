// Tile kernels for the planar and packed-nibble families (spec: tiles-and-palettes.md), the
// native twins of src/gfx/kernels.ts. The indices plane holds one byte per pixel, tile-major:
// tile t's pixel (x, y) is at t * 64 + y * 8 + x.
#ifndef ROMGFX_NATIVE_TILES_H
#define ROMGFX_NATIVE_TILES_H

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace romgfx {

constexpr uint32_t kPixelsPerTile = 64;
constexpr uint32_t kMaximumPlaneCount = 8;
constexpr uint32_t kMaximumBytesPerTile = 64;

// Where each bitplane of a planar tile lives: byte planeOffsets[p] + y * rowStrides[p] holds row y of plane p.
struct PlanarLayout {
  uint32_t bytesPerTile;
  uint32_t planeCount;
  uint8_t planeOffsets[kMaximumPlaneCount];
  uint8_t rowStrides[kMaximumPlaneCount];
  bool lsbFirst;
};

// True when every byte the layout addresses lies inside its tile (checked before any kernel runs).
bool planarLayoutIsValid(const PlanarLayout& layout);

// Each kernel first checks that `tileCount` tiles fit both buffers (kStatusBadArgument if not).
// Encoders return kStatusIndexTooLarge with *failedTile set to the first tile holding an index
// over the bit depth; like the reference, tiles up to and including that one have been written.
int32_t decodePlanarTiles(const uint8_t* bytes, size_t bytesLength, uint8_t* indices, size_t indicesLength, size_t tileCount, const PlanarLayout& layout);
int32_t encodePlanarTiles(const uint8_t* indices, size_t indicesLength, uint8_t* bytes, size_t bytesLength, size_t tileCount, const PlanarLayout& layout,
                          size_t* failedTile);
int32_t decodePackedNibbleTiles(const uint8_t* bytes, size_t bytesLength, uint8_t* indices, size_t indicesLength, size_t tileCount, bool lowNibbleLeft);
int32_t encodePackedNibbleTiles(const uint8_t* indices, size_t indicesLength, uint8_t* bytes, size_t bytesLength, size_t tileCount, bool lowNibbleLeft,
                                size_t* failedTile);

}  // namespace romgfx

#endif
