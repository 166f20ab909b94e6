// romgfx native kernels: the Node-API layer. Plain node_api.h (no node-addon-api), no C++
// exceptions. Context-aware (NAPI_MODULE_INIT). Every buffer a kernel uses is the caller's or
// allocated for that call (zlib's inflate state too); the one piece of state is the memory zlib's deflate uses, which each
// Node environment (the main thread, each worker thread) keeps as its instance data between
// zlibDeflate calls: worker threads share nothing mutable.
//
// The functions here take already-validated arguments from src/native/ (which throws the same
// typed errors as the TypeScript reference) and still re-check everything they are given: a
// direct caller passing nonsense gets a TypeError/RangeError, never an out-of-bounds access.
//
// Results come back through a caller-owned Float64Array `info` instead of objects (cheaper):
//   HAL:   info[0] status, [1] packed length, [2] output length, [3] failure offset,
//          [4] failure value, [5] failure count, [6] scratch bytes touched
//          (for an encoder: [1] = would-be packed size).
//   Decoder walks (Nemesis, konami1, Saxman, Kosinski, Kosinski Moduled, Comper, LZ4W): info[0] status,
//          [1] packed length, [2] output length, [3] failure offset, [4]-[6] failure values
//          (each kernel's header says which is what). One template pair serves them all.
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "deflate.h"
#include "file_read.h"
#include "hal.h"
#include "hashes.h"
#include "inflate.h"
#include "konami1.h"
#include "map_guard.h"
#include "nemesis.h"
#include "png_samples.h"
#include "sega_lz.h"
#include "tiles.h"

namespace {

using romgfx::HalEncodeResult;
using romgfx::HalWalkResult;

constexpr size_t kHalInfoLength = 7;
// Float64 slots a decoder walk fills (WriteWalkInfo below).
constexpr size_t kWalkInfoLength = 7;
// Layout descriptor: [bytesPerTile, planeCount, lsbFirst, offsets x8, strides x8].
constexpr size_t kPlanarDescriptorLength = 19;
// Largest integer a double holds exactly: lengths and counts from JS are at most this.
constexpr double kMaximumSafeInteger = 9007199254740991.0;
constexpr int kHalLevelMax = 5;

bool Throw(napi_env env, const char* code, const char* message, bool range = false) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    if (range) napi_throw_range_error(env, code, message);
    else napi_throw_type_error(env, code, message);
  }
  return false;
}

bool GetArgs(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "cannot read arguments");
  if (argc < expected) return Throw(env, "ERR_NATIVE_ARGUMENT", "too few arguments");
  return true;
}

struct Bytes {
  uint8_t* data;
  size_t length;
};

bool GetUint8Array(napi_env env, napi_value value, Bytes* out) {
  bool isTypedArray = false;
  if (napi_is_typedarray(env, value, &isTypedArray) != napi_ok || !isTypedArray) return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Uint8Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_uint8_array)
    return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Uint8Array");
  // A zero-length view may have no backing store; give kernels a valid (never read) pointer.
  static const uint8_t kEmpty[1] = {0};
  out->data = data != nullptr ? static_cast<uint8_t*>(data) : const_cast<uint8_t*>(kEmpty);
  out->length = data != nullptr ? length : 0;
  return true;
}

bool GetFloat64Array(napi_env env, napi_value value, size_t minimumLength, double** out) {
  bool isTypedArray = false;
  if (napi_is_typedarray(env, value, &isTypedArray) != napi_ok || !isTypedArray) return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Float64Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float64_array ||
      length < minimumLength || data == nullptr)
    return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Float64Array of the result size");
  *out = static_cast<double*>(data);
  return true;
}

// A non-negative integer no larger than `maximum`.
bool GetIndex(napi_env env, napi_value value, double maximum, size_t* out) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a number");
  if (!(number >= 0) || number > maximum || std::floor(number) != number)
    return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a non-negative integer in range", true);
  *out = static_cast<size_t>(number);
  return true;
}

bool GetBool(napi_env env, napi_value value, bool* out) {
  if (napi_get_value_bool(env, value, out) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a boolean");
  return true;
}

napi_value Undefined(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

napi_value Number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

// A fresh Uint8Array (own ArrayBuffer) holding a copy of bytes[0..length).
napi_value NewUint8Array(napi_env env, const uint8_t* bytes, size_t length) {
  void* data = nullptr;
  napi_value buffer;
  if (napi_create_arraybuffer(env, length, &data, &buffer) != napi_ok) {
    Throw(env, "ERR_NATIVE_MEMORY", "cannot allocate the result", true);
    return nullptr;
  }
  if (length > 0) std::memcpy(data, bytes, length);
  napi_value array;
  if (napi_create_typedarray(env, napi_uint8_array, length, buffer, 0, &array) != napi_ok) {
    Throw(env, "ERR_NATIVE_MEMORY", "cannot create the result", true);
    return nullptr;
  }
  return array;
}

void WriteWalkInfo(double* info, const HalWalkResult& walk) {
  info[0] = walk.status;
  info[1] = static_cast<double>(walk.packedLength);
  info[2] = walk.outputLength;
  info[3] = static_cast<double>(walk.failOffset);
  info[4] = walk.failValue;
  info[5] = walk.failCount;
  info[6] = walk.touched;
}

// halDecode(bytes, offset, limit, info, scratch) → true when the stream decoded; its output is
// then scratch[0 .. info[2]). `scratch` is the caller's zero-filled 65,536-byte buffer (exhal's
// zeroed buffer: a copy of a not-yet-written position reads 0); info[6] says how much of it the
// walk touched, which the caller re-zeroes after taking the output. Writing into the caller's
// buffer saves an ArrayBuffer creation and a copy per call (small streams decode 2x faster).
napi_value HalDecode(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[5];
  if (!GetArgs(env, cbinfo, 5, argv)) return nullptr;
  Bytes bytes;
  Bytes scratch;
  size_t offset = 0;
  size_t limit = 0;
  double* info = nullptr;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetIndex(env, argv[1], static_cast<double>(bytes.length), &offset) ||
      !GetIndex(env, argv[2], romgfx::kMaximumHalOutputSizeInBytes, &limit) || !GetFloat64Array(env, argv[3], kHalInfoLength, &info) ||
      !GetUint8Array(env, argv[4], &scratch))
    return nullptr;
  if (scratch.length < romgfx::kMaximumHalOutputSizeInBytes) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "the HAL decode scratch must hold 65,536 bytes", true);
    return nullptr;
  }
  const uintptr_t scratchStart = reinterpret_cast<uintptr_t>(scratch.data);
  const uintptr_t bytesStart = reinterpret_cast<uintptr_t>(bytes.data);
  if (scratchStart < bytesStart + bytes.length && bytesStart < scratchStart + scratch.length) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "the HAL decode scratch overlaps the input", true);
    return nullptr;
  }
  HalWalkResult walk;
  romgfx::halWalk(bytes.data, bytes.length, offset, static_cast<uint32_t>(limit), scratch.data, &walk);
  WriteWalkInfo(info, walk);
  napi_value result;
  napi_get_boolean(env, walk.status == romgfx::kStatusOk, &result);
  return result;
}

// halProbe(bytes, offset, limit, info) → true when a valid stream is there (lengths in info).
napi_value HalProbe(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[4];
  if (!GetArgs(env, cbinfo, 4, argv)) return nullptr;
  Bytes bytes;
  size_t offset = 0;
  size_t limit = 0;
  double* info = nullptr;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetIndex(env, argv[1], static_cast<double>(bytes.length), &offset) ||
      !GetIndex(env, argv[2], romgfx::kMaximumHalOutputSizeInBytes, &limit) || !GetFloat64Array(env, argv[3], kHalInfoLength, &info))
    return nullptr;
  HalWalkResult walk;
  romgfx::halWalk(bytes.data, bytes.length, offset, static_cast<uint32_t>(limit), nullptr, &walk);
  WriteWalkInfo(info, walk);
  napi_value result;
  napi_get_boolean(env, walk.status == romgfx::kStatusOk, &result);
  return result;
}

void WriteWalkInfo(double* info, const romgfx::CodecWalkResult& walk) {
  info[0] = walk.status;
  info[1] = static_cast<double>(walk.packedLength);
  info[2] = static_cast<double>(walk.outputLength);
  info[3] = static_cast<double>(walk.failOffset);
  info[4] = static_cast<double>(walk.failValue);
  info[5] = static_cast<double>(walk.failCount);
  info[6] = static_cast<double>(walk.failExtra);
}

// A decoder walk (every byte-stream kernel but HAL's): bytes[start..size) under `limit`, with a
// codec's framing `parameter` (-1 when it has none), into out[0..outCapacity) or, with out null,
// validating only. Reports through `result`; never reads or writes past the lengths it is given.
using DecoderWalk = void (*)(const uint8_t* bytes, size_t size, size_t start, uint64_t limit, int64_t parameter, uint8_t* out, size_t outCapacity,
                             romgfx::CodecWalkResult* result);

// An optional trailing framing parameter: -1 (none) or a non-negative integer.
bool GetParameter(napi_env env, size_t argc, napi_value* argv, size_t at, int64_t* out) {
  *out = -1;
  if (argc <= at) return true;
  napi_valuetype type;
  if (napi_typeof(env, argv[at], &type) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "cannot read the framing parameter");
  if (type == napi_undefined) return true;
  double number = 0;
  if (napi_get_value_double(env, argv[at], &number) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "expected a number");
  if (number == -1) return true;
  size_t index = 0;
  if (!GetIndex(env, argv[at], kMaximumSafeInteger, &index)) return false;
  *out = static_cast<int64_t>(index);
  return true;
}

// The shared argument reading of a decode or probe: (bytes, offset, limit, info[, out][, parameter]).
// `out` is read when `withOutput`; it must not overlap the input.
bool GetDecoderArgs(napi_env env, napi_callback_info cbinfo, bool withOutput, Bytes* bytes, size_t* offset, size_t* limit, double** info, Bytes* out,
                    int64_t* parameter) {
  constexpr size_t kMostArguments = 6;
  napi_value argv[kMostArguments];
  size_t argc = kMostArguments;
  if (napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr) != napi_ok) return Throw(env, "ERR_NATIVE_ARGUMENT", "cannot read arguments");
  const size_t required = withOutput ? 5 : 4;
  if (argc < required) return Throw(env, "ERR_NATIVE_ARGUMENT", "too few arguments");
  if (!GetUint8Array(env, argv[0], bytes) || !GetIndex(env, argv[1], static_cast<double>(bytes->length), offset) ||
      !GetIndex(env, argv[2], kMaximumSafeInteger, limit) || !GetFloat64Array(env, argv[3], kWalkInfoLength, info))
    return false;
  if (withOutput) {
    if (!GetUint8Array(env, argv[4], out)) return false;
    const uintptr_t outStart = reinterpret_cast<uintptr_t>(out->data);
    const uintptr_t bytesStart = reinterpret_cast<uintptr_t>(bytes->data);
    if (out->length > 0 && bytes->length > 0 && outStart < bytesStart + bytes->length && bytesStart < outStart + out->length)
      return Throw(env, "ERR_NATIVE_ARGUMENT", "the decoder output overlaps the input", true);
  } else {
    out->data = nullptr;
    out->length = 0;
  }
  return GetParameter(env, argc, argv, required, parameter);
}

// With `withOutput`: xDecode(bytes, offset, limit, info, out[, parameter]) → true when the stream
// decoded into out[0 .. info[2]). A command that would pass out's length (while within the
// limit) stops the walk with kStatusBadArgument before writing: the glue gives a buffer of the
// limit, of the size a header declares or of the size a probe measured.
// Without: xProbe(bytes, offset, limit, info[, parameter]) → true when a valid stream is there
// (lengths in info).
template <DecoderWalk walk, bool withOutput>
napi_value WalkKernel(napi_env env, napi_callback_info cbinfo) {
  Bytes bytes, out;
  size_t offset = 0, limit = 0;
  double* info = nullptr;
  int64_t parameter = -1;
  if (!GetDecoderArgs(env, cbinfo, withOutput, &bytes, &offset, &limit, &info, &out, &parameter)) return nullptr;
  romgfx::CodecWalkResult result;
  walk(bytes.data, bytes.length, offset, limit, parameter, withOutput ? out.data : nullptr, withOutput ? out.length : 0, &result);
  WriteWalkInfo(info, result);
  napi_value value;
  napi_get_boolean(env, result.status == romgfx::kStatusOk, &value);
  return value;
}

template <DecoderWalk walk>
constexpr napi_callback DecodeKernel = WalkKernel<walk, true>;
template <DecoderWalk walk>
constexpr napi_callback ProbeKernel = WalkKernel<walk, false>;

// The kernels without a framing parameter, in DecoderWalk's shape.
void NemesisWalk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) { romgfx::nemesisWalk(b, n, s, l, o, c, r); }
void Konami1Walk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) { romgfx::konami1Walk(b, n, s, l, o, c, r); }
void KosinskiWalk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) { romgfx::kosinskiWalk(b, n, s, l, o, c, r); }
void ComperWalk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) { romgfx::comperWalk(b, n, s, l, o, c, r); }
void Lz4wWalk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) { romgfx::lz4wWalk(b, n, s, l, o, c, r); }
void KosinskiModuledWalk(const uint8_t* b, size_t n, size_t s, uint64_t l, int64_t, uint8_t* o, size_t c, romgfx::CodecWalkResult* r) {
  romgfx::kosinskiModuledWalk(b, n, s, l, o, c, r);
}

// halEncode(data, level, info) → Uint8Array, or undefined with the failure in info. Level 1-4 =
// inhal -1..-4, 5 = max (optimal parse).
napi_value HalEncode(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[3];
  if (!GetArgs(env, cbinfo, 3, argv)) return nullptr;
  Bytes data;
  size_t level = 0;
  double* info = nullptr;
  if (!GetUint8Array(env, argv[0], &data) || !GetIndex(env, argv[1], kHalLevelMax, &level) || !GetFloat64Array(env, argv[2], kHalInfoLength, &info))
    return nullptr;
  if (level < 1) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "HAL level must be 1-4 or 5 (max)", true);
    return nullptr;
  }
  HalEncodeResult encoded;
  if (level == kHalLevelMax) romgfx::halEncodeOptimal(data.data, data.length, &encoded);
  else romgfx::halEncodeInhal(data.data, data.length, static_cast<int>(level), &encoded);
  info[0] = encoded.status;
  info[1] = static_cast<double>(encoded.packedSize);
  info[2] = 0;
  info[3] = 0;
  info[4] = 0;
  info[5] = 0;
  info[6] = 0;
  if (encoded.status != romgfx::kStatusOk) return Undefined(env);
  napi_value result = NewUint8Array(env, encoded.data, encoded.size);
  std::free(encoded.data);
  return result;
}

bool GetPlanarLayout(napi_env env, napi_value value, romgfx::PlanarLayout* layout) {
  Bytes descriptor;
  if (!GetUint8Array(env, value, &descriptor)) return false;
  if (descriptor.length < kPlanarDescriptorLength) return Throw(env, "ERR_NATIVE_ARGUMENT", "planar layout descriptor is too short", true);
  layout->bytesPerTile = descriptor.data[0];
  layout->planeCount = descriptor.data[1];
  layout->lsbFirst = descriptor.data[2] != 0;
  for (uint32_t p = 0; p < romgfx::kMaximumPlaneCount; p++) {
    layout->planeOffsets[p] = descriptor.data[3 + p];
    layout->rowStrides[p] = descriptor.data[11 + p];
  }
  if (!romgfx::planarLayoutIsValid(*layout)) return Throw(env, "ERR_NATIVE_ARGUMENT", "planar layout addresses bytes outside its tile", true);
  return true;
}

// Turns a tile kernel status into the JS result: -1 = done, n >= 0 = tile n holds an index over
// the bit depth. Length mismatches (which src/native checks first) throw.
napi_value TileResult(napi_env env, int32_t status, size_t failedTile) {
  if (status == romgfx::kStatusOk) return Number(env, -1);
  if (status == romgfx::kStatusIndexTooLarge) return Number(env, static_cast<double>(failedTile));
  Throw(env, "ERR_NATIVE_ARGUMENT", "tile count does not fit the buffers or the layout", true);
  return nullptr;
}

// tilesDecodePlanar(bytes, indices, tileCount, layoutDescriptor) → -1
napi_value TilesDecodePlanar(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[4];
  if (!GetArgs(env, cbinfo, 4, argv)) return nullptr;
  Bytes bytes, indices;
  size_t tileCount = 0;
  romgfx::PlanarLayout layout;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetUint8Array(env, argv[1], &indices) || !GetIndex(env, argv[2], kMaximumSafeInteger, &tileCount) ||
      !GetPlanarLayout(env, argv[3], &layout))
    return nullptr;
  return TileResult(env, romgfx::decodePlanarTiles(bytes.data, bytes.length, indices.data, indices.length, tileCount, layout), 0);
}

// tilesEncodePlanar(indices, bytes, tileCount, layoutDescriptor) → -1 or the failing tile
napi_value TilesEncodePlanar(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[4];
  if (!GetArgs(env, cbinfo, 4, argv)) return nullptr;
  Bytes indices, bytes;
  size_t tileCount = 0;
  romgfx::PlanarLayout layout;
  if (!GetUint8Array(env, argv[0], &indices) || !GetUint8Array(env, argv[1], &bytes) || !GetIndex(env, argv[2], kMaximumSafeInteger, &tileCount) ||
      !GetPlanarLayout(env, argv[3], &layout))
    return nullptr;
  size_t failedTile = 0;
  const int32_t status = romgfx::encodePlanarTiles(indices.data, indices.length, bytes.data, bytes.length, tileCount, layout, &failedTile);
  return TileResult(env, status, failedTile);
}

// tilesDecodePacked(bytes, indices, tileCount, lowNibbleLeft) → -1
napi_value TilesDecodePacked(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[4];
  if (!GetArgs(env, cbinfo, 4, argv)) return nullptr;
  Bytes bytes, indices;
  size_t tileCount = 0;
  bool lowNibbleLeft = false;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetUint8Array(env, argv[1], &indices) || !GetIndex(env, argv[2], kMaximumSafeInteger, &tileCount) ||
      !GetBool(env, argv[3], &lowNibbleLeft))
    return nullptr;
  return TileResult(env, romgfx::decodePackedNibbleTiles(bytes.data, bytes.length, indices.data, indices.length, tileCount, lowNibbleLeft), 0);
}

// tilesEncodePacked(indices, bytes, tileCount, lowNibbleLeft) → -1 or the failing tile
napi_value TilesEncodePacked(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[4];
  if (!GetArgs(env, cbinfo, 4, argv)) return nullptr;
  Bytes indices, bytes;
  size_t tileCount = 0;
  bool lowNibbleLeft = false;
  if (!GetUint8Array(env, argv[0], &indices) || !GetUint8Array(env, argv[1], &bytes) || !GetIndex(env, argv[2], kMaximumSafeInteger, &tileCount) ||
      !GetBool(env, argv[3], &lowNibbleLeft))
    return nullptr;
  size_t failedTile = 0;
  const int32_t status = romgfx::encodePackedNibbleTiles(indices.data, indices.length, bytes.data, bytes.length, tileCount, lowNibbleLeft, &failedTile);
  return TileResult(env, status, failedTile);
}

// pngUnpackSamples(packed, out, samplesPerRow, rows, depth): PNG samples of 1, 2 or 4 bits
// spread to one byte each into out (png_samples.h). Throws when the buffers are too short.
napi_value PngUnpackSamples(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[5];
  if (!GetArgs(env, cbinfo, 5, argv)) return nullptr;
  Bytes packed, out;
  size_t samplesPerRow = 0, rows = 0, depth = 0;
  if (!GetUint8Array(env, argv[0], &packed) || !GetUint8Array(env, argv[1], &out) || !GetIndex(env, argv[2], romgfx::kMaximumUnpackedSamples, &samplesPerRow) ||
      !GetIndex(env, argv[3], romgfx::kMaximumUnpackedSamples, &rows) || !GetIndex(env, argv[4], 4, &depth))
    return nullptr;
  const uintptr_t packedStart = reinterpret_cast<uintptr_t>(packed.data);
  const uintptr_t outStart = reinterpret_cast<uintptr_t>(out.data);
  if (packed.length > 0 && out.length > 0 && packedStart < outStart + out.length && outStart < packedStart + packed.length) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "unpacked samples would overlap the packed ones", true);
    return nullptr;
  }
  if (romgfx::unpackPngSamples(packed.data, packed.length, out.data, out.length, samplesPerRow, rows, static_cast<uint32_t>(depth)) != romgfx::kStatusOk) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "PNG samples: depth must be 1, 2 or 4 and both buffers must hold the rows", true);
    return nullptr;
  }
  return nullptr;
}

// What one Node environment (thread) keeps between calls.
struct EnvironmentState {
  romgfx::ZlibDeflater deflater;
};

void FreeEnvironmentState(napi_env, void* data, void*) {
  delete static_cast<EnvironmentState*>(data);
}

// zlibDeflate(input, output, level) → bytes written to output: a zlib stream of input at level
// 1-9, byte for byte what Node's zlib.deflateSync(input, { level }) returns. output must hold
// zlibDeflateBound(input.length) bytes (compressBound). A fresh stream per call, on memory this
// thread keeps (see deflate.h for why).
napi_value ZlibDeflate(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[3];
  if (!GetArgs(env, cbinfo, 3, argv)) return nullptr;
  Bytes input, output;
  size_t level = 0;
  if (!GetUint8Array(env, argv[0], &input) || !GetUint8Array(env, argv[1], &output) || !GetIndex(env, argv[2], romgfx::kZlibMaximumLevel, &level))
    return nullptr;
  if (level < static_cast<size_t>(romgfx::kZlibMinimumLevel)) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "zlib level must be 1-9", true);
    return nullptr;
  }
  if (input.length > romgfx::kMaximumDeflateInputSizeInBytes) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "deflate input is larger than 1 GiB", true);
    return nullptr;
  }
  if (output.length < romgfx::zlibDeflateBound(input.length)) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "deflate output is smaller than the bound for the input", true);
    return nullptr;
  }
  const uintptr_t inputStart = reinterpret_cast<uintptr_t>(input.data);
  const uintptr_t outputStart = reinterpret_cast<uintptr_t>(output.data);
  if (input.length > 0 && inputStart < outputStart + output.length && outputStart < inputStart + input.length) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "deflate output overlaps the input", true);
    return nullptr;
  }
  void* data = nullptr;
  if (napi_get_instance_data(env, &data) != napi_ok || data == nullptr) {
    Throw(env, "ERR_NATIVE_STATE", "the addon's per-thread state is missing", true);
    return nullptr;
  }
  size_t written = 0;
  const int32_t status = static_cast<EnvironmentState*>(data)->deflater.deflate(input.data, input.length, output.data, output.length, static_cast<int>(level), &written);
  if (status == romgfx::kStatusOutOfMemory) {
    Throw(env, "ERR_NATIVE_MEMORY", "zlib could not allocate its state", true);
    return nullptr;
  }
  if (status != romgfx::kStatusOk) {
    Throw(env, "ERR_NATIVE_DEFLATE", "zlib deflate failed", true);
    return nullptr;
  }
  return Number(env, static_cast<double>(written));
}

// Float64 slots zlibInflateRaw's optional info fills: input bytes consumed, output bytes written.
constexpr size_t kInflateInfoLength = 2;

// zlibInflateRaw(input, output[, info]) → bytes written to output, or a negative
// romgfx::InflateStatus (corrupt, more output than output holds, input ended before the final
// block). The raw deflate stream in input, inflated as Node's zlib.inflateRawSync(input,
// { maxOutputLength: output.length }) does (native/src/inflate.h); bytes after the final block are
// ignored. With info (a Float64Array of 2): [0] input bytes zlib had read, [1] output bytes
// written, also when it failed (what the error message names). Lengths over 1 GiB and an output
// overlapping the input throw; so does zlib running out of memory.
napi_value ZlibInflateRaw(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[3];
  size_t argc = 3;
  if (napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr) != napi_ok) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "cannot read arguments");
    return nullptr;
  }
  if (argc < 2) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "too few arguments");
    return nullptr;
  }
  Bytes input, output;
  if (!GetUint8Array(env, argv[0], &input) || !GetUint8Array(env, argv[1], &output)) return nullptr;
  double* info = nullptr;
  if (argc > 2) {
    napi_valuetype type;
    if (napi_typeof(env, argv[2], &type) != napi_ok) {
      Throw(env, "ERR_NATIVE_ARGUMENT", "cannot read the info argument");
      return nullptr;
    }
    if (type != napi_undefined && !GetFloat64Array(env, argv[2], kInflateInfoLength, &info)) return nullptr;
  }
  if (input.length > romgfx::kMaximumInflateInputSizeInBytes || output.length > romgfx::kMaximumInflateOutputSizeInBytes) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "inflate input or output is larger than 1 GiB", true);
    return nullptr;
  }
  const uintptr_t inputStart = reinterpret_cast<uintptr_t>(input.data);
  const uintptr_t outputStart = reinterpret_cast<uintptr_t>(output.data);
  if (input.length > 0 && output.length > 0 && inputStart < outputStart + output.length && outputStart < inputStart + input.length) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "inflate output overlaps the input", true);
    return nullptr;
  }
  romgfx::InflateResult result;
  romgfx::zlibInflateRaw(input.data, input.length, output.data, output.length, &result);
  if (info != nullptr) {
    info[0] = static_cast<double>(result.consumed);
    info[1] = static_cast<double>(result.written);
  }
  if (result.status == romgfx::kInflateOutOfMemory) {
    Throw(env, "ERR_NATIVE_MEMORY", "zlib could not allocate its inflate state", true);
    return nullptr;
  }
  if (result.status == romgfx::kInflateBadArgument) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "zlib refused the inflate arguments", true);
    return nullptr;
  }
  return Number(env, result.status == romgfx::kInflateOk ? static_cast<double>(result.written) : result.status);
}

// The longest path readSmallFile takes, in UTF-8 bytes (Linux PATH_MAX is 4,096 with the NUL).
constexpr size_t kMaximumPathBytes = 4095;

// readSmallFile(path, buffer, info) → status (native/src/file_read.h): the file read whole into
// buffer; info[0] its size (bytes read), [1] its mtime in ms, [2] errno on failure.
napi_value ReadSmallFile(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[3];
  if (!GetArgs(env, cbinfo, 3, argv)) return nullptr;
  char path[kMaximumPathBytes + 1];
  size_t pathLength = 0;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &pathLength) != napi_ok) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "expected a path string");
    return nullptr;
  }
  // A longer path was cut short by the copy; an embedded NUL would name another file.
  if (pathLength == 0 || pathLength >= kMaximumPathBytes || std::memchr(path, 0, pathLength) != nullptr) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "the path is empty, too long or holds a NUL", true);
    return nullptr;
  }
  Bytes buffer;
  double* info = nullptr;
  if (!GetUint8Array(env, argv[1], &buffer) || !GetFloat64Array(env, argv[2], 3, &info)) return nullptr;
  romgfx::FileReadResult result;
  romgfx::readSmallFile(path, buffer.data, buffer.length, &result);
  info[0] = static_cast<double>(result.size);
  info[1] = result.mtimeMs;
  info[2] = result.error;
  return Number(env, result.status);
}

// The interface version src/native checks before using the addon (bump on any signature change).
// guardMapping(mapping) → slot (>= 0) or -1: registers a read-only file mapping (the Buffer
// @riaskov/mmap-io returned) with the SIGBUS guard (native/src/map_guard.h). The slot is released
// when the mapping's ArrayBuffer is collected (every view of the mapping holds that ArrayBuffer,
// so no live view is ever unguarded).
void ReleaseGuardSlot(napi_env, void* data, void*) {
  const intptr_t slot = reinterpret_cast<intptr_t>(data) - 1;
  romgfx::releaseGuardedMapping(static_cast<int>(slot));
}

napi_value GuardMapping(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  bool isTypedArray = false;
  if (napi_is_typedarray(env, argv[0], &isTypedArray) != napi_ok || !isTypedArray) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Uint8Array");
    return nullptr;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value arrayBuffer;
  size_t byteOffset = 0;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &arrayBuffer, &byteOffset) != napi_ok || type != napi_uint8_array) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "expected a Uint8Array");
    return nullptr;
  }
  int slot = romgfx::guardMapping(data, length);
  if (slot >= 0 && napi_add_finalizer(env, arrayBuffer, reinterpret_cast<void*>(static_cast<intptr_t>(slot) + 1), ReleaseGuardSlot, nullptr, nullptr) != napi_ok) {
    romgfx::releaseGuardedMapping(slot);
    slot = -1;
  }
  napi_value result;
  napi_create_int32(env, slot, &result);
  return result;
}

// mappingFaults(slot) → pages of that mapping the guard replaced by zeros (0 for a bad slot).
napi_value MappingFaults(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  int32_t slot = -1;
  if (napi_get_value_int32(env, argv[0], &slot) != napi_ok) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "expected a slot number");
    return nullptr;
  }
  napi_value result;
  napi_create_uint32(env, romgfx::guardedMappingFaults(slot), &result);
  return result;
}

// crc32(bytes, initial) → the CRC-32 of bytes continuing from initial (an unsigned 32-bit
// integer): zlib's crc32_z, the number Node's zlib.crc32(bytes, initial) >>> 0 gives.
napi_value Crc32(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[2];
  if (!GetArgs(env, cbinfo, 2, argv)) return nullptr;
  Bytes bytes;
  size_t initial = 0;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetIndex(env, argv[1], 4294967295.0, &initial)) return nullptr;
  napi_value result;
  napi_create_uint32(env, romgfx::crc32Of(bytes.data, bytes.length, static_cast<uint32_t>(initial)), &result);
  return result;
}

// sha1(bytes, out) → true with the SHA-1 of bytes in out[0..20), or false (out untouched) when
// this process has no OpenSSL to call (see hashes.cc: the symbols are weak).
napi_value Sha1(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[2];
  if (!GetArgs(env, cbinfo, 2, argv)) return nullptr;
  Bytes bytes, out;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetUint8Array(env, argv[1], &out)) return nullptr;
  if (out.length < romgfx::kSha1DigestSizeInBytes) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "the SHA-1 output must hold 20 bytes", true);
    return nullptr;
  }
  napi_value result;
  napi_get_boolean(env, romgfx::sha1Of(bytes.data, bytes.length, out.data), &result);
  return result;
}

// byteSum(bytes, start, end) → the sum of bytes[start..end) (0 <= start <= end <= length) as a
// double holding the exact integer, as byteSum in src/util/bytes.ts.
napi_value ByteSum(napi_env env, napi_callback_info cbinfo) {
  napi_value argv[3];
  if (!GetArgs(env, cbinfo, 3, argv)) return nullptr;
  Bytes bytes;
  size_t start = 0;
  size_t end = 0;
  if (!GetUint8Array(env, argv[0], &bytes) || !GetIndex(env, argv[1], static_cast<double>(bytes.length), &start) ||
      !GetIndex(env, argv[2], static_cast<double>(bytes.length), &end))
    return nullptr;
  if (start > end) {
    Throw(env, "ERR_NATIVE_ARGUMENT", "the sum's start is past its end", true);
    return nullptr;
  }
  return Number(env, static_cast<double>(romgfx::byteSumOf(bytes.data + start, end - start)));
}

constexpr uint32_t kAbiVersion = 11;

napi_value Abi(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_uint32(env, kAbiVersion, &result);
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  EnvironmentState* state = new (std::nothrow) EnvironmentState();
  if (state == nullptr || napi_set_instance_data(env, state, FreeEnvironmentState, nullptr) != napi_ok) {
    delete state;
    napi_throw_error(env, "ERR_NATIVE_STATE", "cannot set up the addon's per-thread state");
    return nullptr;
  }
  const napi_property_descriptor properties[] = {
      {"abi", nullptr, Abi, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"halDecode", nullptr, HalDecode, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"halProbe", nullptr, HalProbe, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"halEncode", nullptr, HalEncode, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"tilesDecodePlanar", nullptr, TilesDecodePlanar, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"tilesEncodePlanar", nullptr, TilesEncodePlanar, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"tilesDecodePacked", nullptr, TilesDecodePacked, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"tilesEncodePacked", nullptr, TilesEncodePacked, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"zlibDeflate", nullptr, ZlibDeflate, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"zlibInflateRaw", nullptr, ZlibInflateRaw, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"pngUnpackSamples", nullptr, PngUnpackSamples, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"readSmallFile", nullptr, ReadSmallFile, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"guardMapping", nullptr, GuardMapping, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mappingFaults", nullptr, MappingFaults, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"nemesisDecode", nullptr, DecodeKernel<NemesisWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"nemesisProbe", nullptr, ProbeKernel<NemesisWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"konami1Decode", nullptr, DecodeKernel<Konami1Walk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"konami1Probe", nullptr, ProbeKernel<Konami1Walk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"saxmanDecode", nullptr, DecodeKernel<romgfx::saxmanWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"saxmanProbe", nullptr, ProbeKernel<romgfx::saxmanWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"kosinskiDecode", nullptr, DecodeKernel<KosinskiWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"kosinskiProbe", nullptr, ProbeKernel<KosinskiWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"kosinskiModuledDecode", nullptr, DecodeKernel<KosinskiModuledWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"kosinskiModuledProbe", nullptr, ProbeKernel<KosinskiModuledWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"comperDecode", nullptr, DecodeKernel<ComperWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"comperProbe", nullptr, ProbeKernel<ComperWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"lz4wDecode", nullptr, DecodeKernel<Lz4wWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"lz4wProbe", nullptr, ProbeKernel<Lz4wWalk>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"crc32", nullptr, Crc32, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sha1", nullptr, Sha1, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"byteSum", nullptr, ByteSum, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}
