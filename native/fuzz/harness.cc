// Sanitizer fuzz harness for the native kernels, without Node: built by test/native/sanitizer.test.ts
// with -fsanitize=address,undefined and run for a bounded number of iterations. Every buffer is
// heap-allocated at its exact size, so any read or write past a length is reported by ASan.
// Checks, beyond "no sanitizer report": encoders round-trip through the decoder at every level,
// the probe agrees with the decoder, tile encode(decode(x)) == x, and the deflater (one per run,
// its zlib memory reused call after call) writes what zlib's compress2 writes and inflates back,
// and the small-file reader returns a file's bytes into an exact buffer and refuses a short one.
// Raw inflate: streams deflated at every level and strategy inflate back into an exact-size
// buffer (with trailing bytes ignored), a buffer a byte short is refused as too large, every cut
// is refused as truncated, and mutated and random streams stop within their buffers.
// Nemesis: generated valid streams (random prefix-free tables, codes and inline runs, plain and
// XOR mode) decode to their declared size with the packed length written, and they and mutated,
// truncated and random streams walk the same with and without output, at random offsets and
// limits, into an output buffer of exactly the declared size.
// konami1: generated valid streams (every command kind, copies at every legal distance) decode
// to the size they were built for; they and mutated, truncated and random streams walk the same
// with and without output, into a buffer of exactly the limit (<= 64 KiB) or the probed size.
// Saxman (headed and headerless), Kosinski, Kosinski Moduled, Comper and LZ4W: generated valid streams (every
// command kind, copies at every legal distance, Saxman's copies from the zero-filled ring) decode
// to the size they were built for; they and mutated, truncated and random streams walk the same
// with and without output, into the buffer src/native/sega-lz.ts would give (the limit when at
// most 64 KiB, the given or stated size, or the probed size).
// Digests (hashes.cc): the CRC-32 equals a bit-at-a-time one and continues across any split, the
// byte sum of a random range equals a byte-at-a-time one, over exact-size copies; SHA-1, with no
// OpenSSL linked here, says false and writes nothing (its weak symbols resolve to null instead
// of failing the link or the call), and where OpenSSL is linked gives FIPS 180's "abc" digest.
// Linked with the system zlib here (in Node the addon uses Node's).
//
// Usage: harness ITERATIONS SEED
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "../src/deflate.h"
#include "../src/file_read.h"
#include "../src/hal.h"
#include "../src/hashes.h"
#include "../src/inflate.h"
#include "../src/png_samples.h"
#include "../src/konami1.h"
#include "../src/nemesis.h"
#include "../src/sega_lz.h"
#include "../src/tiles.h"

namespace {

using namespace romgfx;

uint64_t state = 1;

uint32_t next() {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return static_cast<uint32_t>(state >> 11);
}

uint32_t below(uint32_t n) { return n == 0 ? 0 : next() % n; }

[[noreturn]] void failure(const char* what, uint64_t iteration) {
  std::fprintf(stderr, "FAIL at iteration %llu: %s\n", static_cast<unsigned long long>(iteration), what);
  std::exit(1);
}

// An exact-size heap copy (ASan redzones right after the last byte).
uint8_t* exactCopy(const uint8_t* bytes, size_t length) {
  uint8_t* copy = static_cast<uint8_t*>(std::malloc(length == 0 ? 1 : length));
  if (length > 0) std::memcpy(copy, bytes, length);
  return copy;
}

// Data with structure: runs, counting runs, word runs, repeats (forward, mirrored, backward), noise.
size_t structuredData(uint8_t* out, size_t capacity) {
  size_t n = 0;
  const size_t target = below(static_cast<uint32_t>(capacity) + 1);
  while (n < target) {
    const uint32_t kind = below(6);
    const size_t count = 1 + below(kind == 0 ? 16 : 1200);
    for (size_t k = 0; k < count && n < target; k++) {
      switch (kind) {
        case 0: out[n] = static_cast<uint8_t>(next()); break;
        case 1: out[n] = n > 0 ? out[n - 1] : 0; break;
        case 2: out[n] = n > 0 ? static_cast<uint8_t>(out[n - 1] + 1) : 0; break;
        case 3: out[n] = n > 1 ? out[n - 2] : 7; break;
        case 4: out[n] = n > 0 ? out[below(static_cast<uint32_t>(n))] : 1; break;
        default: out[n] = static_cast<uint8_t>(below(3)); break;
      }
      n++;
    }
  }
  return n;
}

void fuzzDecode(const uint8_t* stream, size_t length, uint64_t iteration, uint8_t* scratch) {
  uint8_t* exact = exactCopy(stream, length);
  const size_t start = below(static_cast<uint32_t>(length) + 1);
  const uint32_t limit = below(4) == 0 ? below(kMaximumHalOutputSizeInBytes + 1) : kMaximumHalOutputSizeInBytes;
  HalWalkResult decoded;
  HalWalkResult probed;
  halWalk(exact, length, start, limit, scratch, &decoded);
  halWalk(exact, length, start, limit, nullptr, &probed);
  if (decoded.status != probed.status || decoded.packedLength != probed.packedLength || decoded.outputLength != probed.outputLength)
    failure("probe and decode disagree", iteration);
  if (decoded.status == kStatusOk && (decoded.outputLength > limit || start + decoded.packedLength > length)) failure("lengths out of range", iteration);
  std::memset(scratch, 0, decoded.touched);
  std::free(exact);
}

void fuzzEncode(const uint8_t* data, size_t n, uint64_t iteration, uint8_t* scratch) {
  uint8_t* exact = exactCopy(data, n);
  for (int level = 1; level <= 5; level++) {
    HalEncodeResult encoded;
    if (level == 5) halEncodeOptimal(exact, n, &encoded);
    else halEncodeInhal(exact, n, level, &encoded);
    if (encoded.status == kStatusHalPackedTooLarge) continue;
    if (encoded.status != kStatusOk) failure("encoder failed", iteration);
    uint8_t* packed = exactCopy(encoded.data, encoded.size);
    HalWalkResult walk;
    halWalk(packed, encoded.size, 0, kMaximumHalOutputSizeInBytes, scratch, &walk);
    if (walk.status != kStatusOk || walk.packedLength != encoded.size || walk.outputLength != n || std::memcmp(scratch, exact, n) != 0)
      failure("encode/decode round trip", iteration);
    std::memset(scratch, 0, walk.touched);
    // A truncated or mutated copy of a valid stream must be handled without overruns.
    if (encoded.size > 1) {
      packed[below(static_cast<uint32_t>(encoded.size))] = static_cast<uint8_t>(next());
      fuzzDecode(packed, below(static_cast<uint32_t>(encoded.size)) + 1, iteration, scratch);
    }
    std::free(packed);
    std::free(encoded.data);
  }
  std::free(exact);
}

void fuzzTiles(uint64_t iteration) {
  PlanarLayout layout;
  layout.bytesPerTile = 1 + below(70);
  layout.planeCount = below(10);
  layout.lsbFirst = below(2) == 1;
  for (uint32_t p = 0; p < kMaximumPlaneCount; p++) {
    layout.planeOffsets[p] = static_cast<uint8_t>(below(layout.bytesPerTile + 2));
    layout.rowStrides[p] = static_cast<uint8_t>(below(9));
  }
  const size_t tileCount = below(40);
  // Buffers sometimes a little short: the kernels must refuse, not overrun.
  const size_t bytesLength = tileCount * layout.bytesPerTile - (below(3) == 0 && tileCount > 0 ? 1 : 0);
  const size_t indicesLength = tileCount * 64 - (below(3) == 0 && tileCount > 0 ? 1 : 0);
  uint8_t* bytes = static_cast<uint8_t*>(std::malloc(bytesLength + 1));
  uint8_t* indices = static_cast<uint8_t*>(std::malloc(indicesLength + 1));
  uint8_t* again = static_cast<uint8_t*>(std::malloc(bytesLength + 1));
  for (size_t i = 0; i < bytesLength; i++) bytes[i] = static_cast<uint8_t>(next());
  size_t failedTile = 0;
  const int32_t decoded = decodePlanarTiles(bytes, bytesLength, indices, indicesLength, tileCount, layout);
  if (decoded == kStatusOk) {
    const int32_t encoded = encodePlanarTiles(indices, indicesLength, again, bytesLength, tileCount, layout, &failedTile);
    if (encoded != kStatusOk) failure("planar encode of decoded tiles", iteration);
    // Planes may overlap in odd layouts, so compare decode(encode(decode(x))) with decode(x).
    uint8_t* indicesAgain = static_cast<uint8_t*>(std::malloc(indicesLength + 1));
    if (decodePlanarTiles(again, bytesLength, indicesAgain, indicesLength, tileCount, layout) != kStatusOk ||
        std::memcmp(indicesAgain, indices, tileCount * 64) != 0)
      failure("planar round trip", iteration);
    std::free(indicesAgain);
  }
  for (size_t i = 0; i < indicesLength; i++) indices[i] = static_cast<uint8_t>(below(4) == 0 ? next() : below(16));
  encodePlanarTiles(indices, indicesLength, bytes, bytesLength, tileCount, layout, &failedTile);
  const bool low = below(2) == 1;
  const size_t packedLength = tileCount * 32 - (below(3) == 0 && tileCount > 0 ? 1 : 0);
  uint8_t* packed = static_cast<uint8_t*>(std::malloc(packedLength + 1));
  for (size_t i = 0; i < packedLength; i++) packed[i] = static_cast<uint8_t>(next());
  if (decodePackedNibbleTiles(packed, packedLength, indices, indicesLength, tileCount, low) == kStatusOk) {
    uint8_t* packedAgain = static_cast<uint8_t*>(std::malloc(packedLength + 1));
    if (encodePackedNibbleTiles(indices, indicesLength, packedAgain, packedLength, tileCount, low, &failedTile) != kStatusOk ||
        std::memcmp(packedAgain, packed, tileCount * 32) != 0)
      failure("packed round trip", iteration);
    std::free(packedAgain);
  }
  std::free(packed);
  std::free(bytes);
  std::free(indices);
  std::free(again);
}

// Decodes (into an exact-size buffer of the declared size) and probes the stream; they must agree.
void fuzzNemesisWalk(const uint8_t* stream, size_t length, size_t start, uint64_t limit, uint64_t iteration, NemesisWalkResult* decoded) {
  uint8_t* exact = exactCopy(stream, length);
  const int64_t declared = nemesisDeclaredSize(exact, length, start);
  const size_t capacity = declared >= 0 && static_cast<uint64_t>(declared) <= limit ? static_cast<size_t>(declared) : 0;
  uint8_t* out = static_cast<uint8_t*>(std::malloc(capacity == 0 ? 1 : capacity));
  NemesisWalkResult probed;
  nemesisWalk(exact, length, start, limit, out, capacity, decoded);
  nemesisWalk(exact, length, start, limit, nullptr, 0, &probed);
  if (decoded->status != probed.status || decoded->packedLength != probed.packedLength || decoded->outputLength != probed.outputLength ||
      decoded->failOffset != probed.failOffset || decoded->failValue != probed.failValue || decoded->failCount != probed.failCount)
    failure("nemesis probe and decode disagree", iteration);
  if (decoded->status == kStatusBadArgument) failure("nemesis refused an exact-size output", iteration);
  if (decoded->status == kStatusOk && (decoded->outputLength != capacity || start + decoded->packedLength > length)) failure("nemesis lengths out of range", iteration);
  if (decoded->status != kStatusOk && decoded->failOffset > length) failure("nemesis failure offset past the input", iteration);
  std::free(out);
  std::free(exact);
}

// Appends the low `count` bits of `value`, most significant first.
struct BitSink {
  uint8_t* bytes;
  size_t capacity;
  size_t bit = 0;
  bool put(uint32_t value, uint32_t count) {
    for (uint32_t k = count; k-- > 0;) {
      if ((bit >> 3) >= capacity) return false;
      if ((value >> k) & 1) bytes[bit >> 3] = static_cast<uint8_t>(bytes[bit >> 3] | (0x80 >> (bit & 7)));
      bit++;
    }
    return true;
  }
};

void fuzzNemesis(uint8_t* buffer, size_t capacity, uint64_t iteration) {
  // A valid stream: header, a canonical prefix-free table clear of the escape, then codes and
  // inline runs summing to exactly the declared nybbles.
  std::memset(buffer, 0, capacity);
  const uint32_t tiles = below(4) == 0 ? 0 : 1 + below(below(2) == 0 ? 24 : 256);
  const bool xorMode = below(3) == 0;
  buffer[0] = static_cast<uint8_t>((xorMode ? 0x80 : 0) | (tiles >> 8));
  buffer[1] = static_cast<uint8_t>(tiles);
  size_t p = 2;
  uint32_t lengths[16];
  const uint32_t codeCount = below(17);
  for (uint32_t k = 0; k < codeCount; k++) lengths[k] = 1 + below(8);
  for (uint32_t a = 1; a < codeCount; a++)
    for (uint32_t b = a; b > 0 && lengths[b - 1] > lengths[b]; b--) std::swap(lengths[b - 1], lengths[b]);
  uint32_t codes[16];
  uint32_t runs[16];
  uint32_t nybbles[16];
  uint32_t used = 0;
  uint32_t code = 0;
  for (uint32_t k = 0; k < codeCount; k++) {
    if (k > 0) code = (code + 1) << (lengths[k] - lengths[k - 1]);
    if ((code << (8 - lengths[k])) + (1u << (8 - lengths[k])) > 0xfc) break;
    codes[used] = code;
    lengths[used] = lengths[k];
    runs[used] = 1 + below(8);
    nybbles[used] = below(16);
    buffer[p++] = static_cast<uint8_t>(0x80 | nybbles[used]);
    buffer[p++] = static_cast<uint8_t>(((runs[used] - 1) << 4) | lengths[used]);
    buffer[p++] = static_cast<uint8_t>(code);
    used++;
  }
  buffer[p++] = 0xff;
  BitSink sink{buffer + p, capacity - p - 1};
  const uint32_t total = tiles * 64;
  bool fits = true;
  for (uint32_t produced = 0; produced < total && fits;) {
    const uint32_t left = total - produced;
    const uint32_t pick = used == 0 ? 0 : below(used + 2);
    if (pick >= 2 && runs[pick - 2] <= left) {
      fits = sink.put(codes[pick - 2], lengths[pick - 2]);
      produced += runs[pick - 2];
    } else {
      const uint32_t run = 1 + below(left < 8 ? left : 8);
      fits = sink.put((0x3fu << 7) | ((run - 1) << 4) | below(16), 13);
      produced += run;
    }
  }
  if (!fits) return;
  const size_t length = p + ((sink.bit + 7) >> 3) + below(2);
  NemesisWalkResult walk;
  fuzzNemesisWalk(buffer, length, 0, kMaximumNemesisOutputSizeInBytes, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != tiles * kNemesisTileSizeInBytes || walk.packedLength != p + ((sink.bit + 7) >> 3))
    failure("nemesis generated stream does not decode", iteration);
  // Mutated and truncated copies, at random offsets and limits.
  for (uint32_t round = 0; round < 4; round++) {
    uint8_t* mutated = exactCopy(buffer, length);
    for (uint32_t edits = 1 + below(3); edits > 0; edits--) mutated[below(static_cast<uint32_t>(length))] = static_cast<uint8_t>(next());
    const size_t cut = round == 0 ? length : below(static_cast<uint32_t>(length) + 1);
    const uint64_t limit = below(3) == 0 ? below(4096) : kMaximumNemesisOutputSizeInBytes;
    fuzzNemesisWalk(mutated, cut, below(4) == 0 ? below(static_cast<uint32_t>(cut) + 1) : 0, limit, iteration, &walk);
    std::free(mutated);
  }
  // Random bytes, with a small tile count half the time.
  const size_t randomLength = below(400);
  for (size_t i = 0; i < randomLength; i++) buffer[i] = static_cast<uint8_t>(next());
  if (randomLength >= 2 && below(2) == 0) buffer[0] &= 0x80;
  fuzzNemesisWalk(buffer, randomLength, 0, kMaximumNemesisOutputSizeInBytes, iteration, &walk);
}

// Walks as src/native/konami1.ts does: into an exact buffer of the limit when it is at most
// 64 KiB, else probe, then decode into an exact buffer of the probed size. Decode and probe agree.
void fuzzKonami1Walk(const uint8_t* stream, size_t length, size_t start, uint64_t limit, uint64_t iteration, Konami1WalkResult* decoded) {
  uint8_t* exact = exactCopy(stream, length);
  Konami1WalkResult probed;
  konami1Walk(exact, length, start, limit, nullptr, 0, &probed);
  const size_t capacity = limit <= 65536 ? static_cast<size_t>(limit) : (probed.status == kStatusOk ? static_cast<size_t>(probed.outputLength) : 0);
  uint8_t* out = static_cast<uint8_t*>(std::malloc(capacity == 0 ? 1 : capacity));
  konami1Walk(exact, length, start, limit, out, capacity, decoded);
  if (limit > 65536 && probed.status != kStatusOk) *decoded = probed;
  if (decoded->status != probed.status || decoded->packedLength != probed.packedLength || decoded->outputLength != probed.outputLength ||
      decoded->failOffset != probed.failOffset || decoded->failValue != probed.failValue || decoded->failCount != probed.failCount ||
      decoded->failExtra != probed.failExtra)
    failure("konami1 probe and decode disagree", iteration);
  if (decoded->status == kStatusBadArgument) failure("konami1 refused an exact-size output", iteration);
  if (decoded->status == kStatusOk && (decoded->outputLength > limit || start + decoded->packedLength > length)) failure("konami1 lengths out of range", iteration);
  std::free(out);
  std::free(exact);
}

void fuzzKonami1(uint8_t* buffer, size_t capacity, uint64_t iteration) {
  // A valid stream of random commands, at most `capacity` bytes and 0xFFFF stated.
  size_t p = 2;
  uint64_t produced = 0;
  // A command adds at most 65 bytes, so the stream stays within 0xFFFF and the buffer.
  const size_t target = below(static_cast<uint32_t>(capacity < 0xffff ? capacity : 0xffff) - 70);
  while (p < target) {
    const uint32_t kind = below(5);
    if (kind == 0) {
      const uint32_t n = 1 + below(31);
      buffer[p++] = static_cast<uint8_t>(0x80 + n);
      for (uint32_t k = 0; k < n; k++) buffer[p++] = static_cast<uint8_t>(below(4) == 0 ? next() : below(3));
      produced += n;
    } else if (kind == 1) {
      const uint32_t pairs = 2 + below(32);
      buffer[p++] = static_cast<uint8_t>(0xa0 + pairs - 2);
      for (uint32_t k = 0; k < pairs; k++) buffer[p++] = static_cast<uint8_t>(next());
      produced += 2 * pairs;
    } else if (kind == 2) {
      const uint32_t n = 2 + below(32);
      buffer[p++] = static_cast<uint8_t>(0xc0 + n - 2);
      buffer[p++] = static_cast<uint8_t>(next());
      produced += n;
    } else if (kind == 3) {
      const uint32_t n = 2 + below(32);
      buffer[p++] = static_cast<uint8_t>(0xe0 + n - 2);
      produced += n;
    } else {
      const uint64_t reach = produced + 0x21 < 1024 ? produced + 0x21 : 1024;
      const uint64_t distance = 1 + below(static_cast<uint32_t>(reach));
      const uint32_t n = 2 + below(32);
      const uint32_t slot = static_cast<uint32_t>((produced + 0x3df - distance) & 0x3ff);
      const uint32_t word = ((n - 2) << 10) | slot;
      buffer[p++] = static_cast<uint8_t>(word >> 8);
      buffer[p++] = static_cast<uint8_t>(word);
      produced += n;
    }
  }
  buffer[0] = static_cast<uint8_t>(p);
  buffer[1] = static_cast<uint8_t>(p >> 8);
  const size_t length = p + below(3);
  Konami1WalkResult walk;
  fuzzKonami1Walk(buffer, length, 0, 1u << 22, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != produced || walk.packedLength != p) failure("konami1 generated stream does not decode", iteration);
  for (uint32_t round = 0; round < 4; round++) {
    uint8_t* mutated = exactCopy(buffer, length);
    // A stream of no commands is its 2-byte header alone: nothing past it to edit.
    if (length > 2)
      for (uint32_t edits = 1 + below(3); edits > 0; edits--) mutated[2 + below(static_cast<uint32_t>(length - 2))] = static_cast<uint8_t>(next());
    if (round == 3) mutated[below(2)] = static_cast<uint8_t>(next());
    const size_t cut = round == 0 ? length : below(static_cast<uint32_t>(length) + 1);
    const uint32_t choice = below(3);
    const uint64_t limit = choice == 0 ? below(4096) : choice == 1 ? 65536 : (1u << 22);
    fuzzKonami1Walk(mutated, cut, below(4) == 0 ? below(static_cast<uint32_t>(cut) + 1) : 0, limit, iteration, &walk);
    std::free(mutated);
  }
  const size_t randomLength = below(400);
  for (size_t i = 0; i < randomLength; i++) buffer[i] = static_cast<uint8_t>(next());
  if (randomLength >= 2 && below(2) == 0) {
    buffer[0] = static_cast<uint8_t>(randomLength);
    buffer[1] = static_cast<uint8_t>(randomLength >> 8);
  }
  fuzzKonami1Walk(buffer, randomLength, 0, 65536, iteration, &walk);
}

// The Sega LZ walkers in one shape (the addon's DecoderWalk).
enum SegaLzKind { kSaxman, kKosinski, kKosinskiModuled, kComper, kLz4w };

void segaLzWalk(SegaLzKind kind, const uint8_t* b, size_t n, size_t s, uint64_t limit, int64_t parameter, uint8_t* o, size_t c, CodecWalkResult* r) {
  if (kind == kSaxman) saxmanWalk(b, n, s, limit, parameter, o, c, r);
  else if (kind == kKosinski) kosinskiWalk(b, n, s, limit, o, c, r);
  else if (kind == kKosinskiModuled) kosinskiModuledWalk(b, n, s, limit, o, c, r);
  else if (kind == kComper) comperWalk(b, n, s, limit, o, c, r);
  else lz4wWalk(b, n, s, limit, o, c, r);
}

// Walks as src/native/sega-lz.ts does: into an exact buffer of the headerless size, of the Kosinski
// Moduled stated size, or of the limit when it is at most 64 KiB; else probe, then decode into an
// exact buffer of the probed size. Decode and probe agree.
void fuzzSegaLzWalk(SegaLzKind kind, const uint8_t* stream, size_t length, size_t start, uint64_t limit, int64_t parameter, uint64_t iteration, CodecWalkResult* decoded) {
  uint8_t* exact = exactCopy(stream, length);
  CodecWalkResult probed;
  segaLzWalk(kind, exact, length, start, limit, parameter, nullptr, 0, &probed);
  bool sized = true;
  size_t capacity = 0;
  if (kind == kSaxman && parameter >= 0) {
    capacity = static_cast<uint64_t>(parameter) <= limit ? static_cast<size_t>(parameter) : 0;
  } else if (kind == kKosinskiModuled) {
    const size_t stated = length - start >= 2 ? (static_cast<size_t>(exact[start]) << 8) | exact[start + 1] : 0;
    const size_t size = stated == 0xa000 ? 0x8000 : stated;
    capacity = size <= limit ? size : 0;
  } else if (limit <= 65536) {
    capacity = static_cast<size_t>(limit);
  } else {
    sized = false;
    capacity = probed.status == kStatusOk ? static_cast<size_t>(probed.outputLength) : 0;
  }
  uint8_t* out = static_cast<uint8_t*>(std::malloc(capacity == 0 ? 1 : capacity));
  segaLzWalk(kind, exact, length, start, limit, parameter, out, capacity, decoded);
  if (!sized && probed.status != kStatusOk) *decoded = probed;
  if (decoded->status != probed.status || decoded->packedLength != probed.packedLength || decoded->outputLength != probed.outputLength ||
      decoded->failOffset != probed.failOffset || decoded->failValue != probed.failValue || decoded->failCount != probed.failCount ||
      decoded->failExtra != probed.failExtra)
    failure("sega lz probe and decode disagree", iteration);
  if (decoded->status == kStatusBadArgument) failure("sega lz refused its output buffer", iteration);
  if (decoded->status == kStatusOk && (decoded->outputLength > limit || start + decoded->packedLength > length)) failure("sega lz lengths out of range", iteration);
  std::free(out);
  std::free(exact);
}

// Kosinski's control bits: 16-bit little-endian descriptors, used from bit 0; the next one's slot
// is reserved the moment the 16th bit is used, before that command's operand bytes (sega.md §2).
struct KosinskiWriter {
  uint8_t* buffer;
  size_t p;
  size_t slot;
  uint32_t descriptor = 0;
  uint32_t used = 0;
  KosinskiWriter(uint8_t* b, size_t at) : buffer(b), p(at + 2), slot(at) {}
  void bit(uint32_t b) {
    descriptor |= b << used;
    if (++used == 16) {
      buffer[slot] = static_cast<uint8_t>(descriptor);
      buffer[slot + 1] = static_cast<uint8_t>(descriptor >> 8);
      slot = p;
      p += 2;
      descriptor = 0;
      used = 0;
    }
  }
  void byte(uint32_t v) { buffer[p++] = static_cast<uint8_t>(v); }
  void finish() {
    buffer[slot] = static_cast<uint8_t>(descriptor);
    buffer[slot + 1] = static_cast<uint8_t>(descriptor >> 8);
  }
};

// A valid Kosinski stream at buffer[at..) decoding to exactly `target` bytes; returns its end.
// Needs about 2 * target + 8 bytes of room.
size_t writeKosinski(uint8_t* buffer, size_t at, uint64_t target) {
  KosinskiWriter w(buffer, at);
  uint64_t produced = 0;
  while (produced < target) {
    const uint64_t left = target - produced;
    const uint32_t kind = produced == 0 || left < 2 ? 0 : left < 3 ? 1 : below(4);
    if (kind == 0) {
      w.bit(1);
      w.byte(below(4) == 0 ? next() : below(3));
      produced++;
    } else if (kind == 1) {
      // Inline match: 2-5 bytes from up to 256 back.
      const uint64_t length = 2 + below(static_cast<uint32_t>(left < 5 ? left - 1 : 4));
      const uint64_t distance = 1 + below(static_cast<uint32_t>(produced < 256 ? produced : 256));
      w.bit(0);
      w.bit(0);
      w.bit(static_cast<uint32_t>((length - 2) >> 1));
      w.bit(static_cast<uint32_t>((length - 2) & 1));
      w.byte(static_cast<uint32_t>(0x100 - distance));
      produced += length;
    } else {
      // Full match (3-9 bytes) or extended (3-256 bytes), from up to 0x2000 back.
      const uint64_t distance = 1 + below(static_cast<uint32_t>(produced < 0x2000 ? produced : 0x2000));
      const uint32_t v = static_cast<uint32_t>(0x2000 - distance);
      w.bit(0);
      w.bit(1);
      w.byte(v & 0xff);
      if (kind == 2) {
        const uint64_t length = 3 + below(static_cast<uint32_t>(left < 9 ? left - 2 : 7));
        w.byte(((v >> 5) & 0xf8) | static_cast<uint32_t>(length - 2));
        produced += length;
      } else {
        const uint64_t length = 3 + below(static_cast<uint32_t>(left < 256 ? left - 2 : 254));
        w.byte((v >> 5) & 0xf8);
        w.byte(static_cast<uint32_t>(length - 1));
        produced += length;
      }
    }
  }
  // The terminator: a full match with count 0.
  w.bit(0);
  w.bit(1);
  w.byte(0x00);
  w.byte(0xf0);
  w.byte(0x00);
  w.finish();
  return w.p;
}

// A valid Saxman body at buffer[at..) decoding to exactly `target` bytes (copies may reach the
// zero-filled ring before the start); returns its end. Needs about 2 * target + 2 bytes of room.
size_t writeSaxman(uint8_t* buffer, size_t at, uint64_t target) {
  size_t p = at;
  size_t slot = 0;
  uint32_t used = 8;
  uint64_t produced = 0;
  while (produced < target) {
    if (used == 8) {
      slot = p++;
      buffer[slot] = 0;
      used = 0;
    }
    const uint64_t left = target - produced;
    if (left < 3 || below(3) == 0) {
      buffer[slot] |= static_cast<uint8_t>(1u << used);
      buffer[p++] = static_cast<uint8_t>(below(4) == 0 ? next() : below(3));
      produced++;
    } else {
      const uint64_t length = 3 + below(static_cast<uint32_t>(left < 18 ? left - 2 : 16));
      const uint64_t distance = 1 + below(0x1000);
      const uint32_t ring = static_cast<uint32_t>((produced - distance - 0x12) & 0xfff);
      buffer[p++] = static_cast<uint8_t>(ring);
      buffer[p++] = static_cast<uint8_t>(((ring >> 4) & 0xf0) | (length - 3));
      produced += length;
    }
    used++;
  }
  return p;
}

void fuzzSegaLzMutations(SegaLzKind kind, const uint8_t* stream, size_t length, int64_t parameter, uint64_t iteration) {
  CodecWalkResult walk;
  for (uint32_t round = 0; round < 4; round++) {
    uint8_t* mutated = exactCopy(stream, length);
    if (length > 2)
      for (uint32_t edits = 1 + below(3); edits > 0; edits--) mutated[2 + below(static_cast<uint32_t>(length - 2))] = static_cast<uint8_t>(next());
    if (round == 3 && length > 0) mutated[below(length < 2 ? 1 : 2)] = static_cast<uint8_t>(next());
    const size_t cut = round == 0 ? length : below(static_cast<uint32_t>(length) + 1);
    const uint32_t choice = below(3);
    const uint64_t limit = choice == 0 ? below(4096) : choice == 1 ? 65536 : (1u << 22);
    const int64_t framing = parameter >= 0 && below(2) == 0 ? static_cast<int64_t>(below(static_cast<uint32_t>(parameter) + 64)) : parameter;
    fuzzSegaLzWalk(kind, mutated, cut, below(4) == 0 ? below(static_cast<uint32_t>(cut) + 1) : 0, limit, framing, iteration, &walk);
    std::free(mutated);
  }
}

// A valid Comper stream at buffer[0..) decoding to exactly 2 * `words` bytes; returns its end.
// Needs about 2.2 * 2 * words + 8 bytes of room.
size_t writeComper(uint8_t* buffer, uint64_t words) {
  size_t p = 0;
  size_t slot = 0;
  uint32_t used = 16;
  uint64_t produced = 0;
  for (bool done = false; !done;) {
    if (used == 16) {
      slot = p;
      buffer[p++] = 0;
      buffer[p++] = 0;
      used = 0;
    }
    const uint32_t bit = 15 - used;
    const uint64_t left = words - produced;
    if (left == 0) {
      // The terminator: a copy with length byte 0.
      buffer[slot + (bit >= 8 ? 0 : 1)] |= static_cast<uint8_t>(1u << (bit & 7));
      buffer[p++] = static_cast<uint8_t>(next());
      buffer[p++] = 0;
      done = true;
    } else if (produced == 0 || left < 2 || below(3) == 0) {
      buffer[p++] = static_cast<uint8_t>(below(3));
      buffer[p++] = static_cast<uint8_t>(below(4) == 0 ? next() : below(3));
      produced++;
    } else {
      const uint64_t distance = 1 + below(static_cast<uint32_t>(produced < 256 ? produced : 256));
      const uint64_t length = 2 + below(static_cast<uint32_t>(left < 256 ? left - 1 : 255));
      buffer[slot + (bit >= 8 ? 0 : 1)] |= static_cast<uint8_t>(1u << (bit & 7));
      buffer[p++] = static_cast<uint8_t>(0x100 - distance);
      buffer[p++] = static_cast<uint8_t>(length - 1);
      produced += length;
    }
    used++;
  }
  return p;
}

// A valid LZ4W stream at buffer[0..) decoding to exactly 2 * `words` (+1 when `odd`) bytes;
// returns its end. Needs about 2.2 * 2 * words + 8 bytes of room.
size_t writeLz4w(uint8_t* buffer, uint64_t words, bool odd) {
  size_t p = 0;
  uint64_t produced = 0;
  while (produced < words) {
    uint64_t left = words - produced;
    const uint32_t literals = static_cast<uint32_t>(below(static_cast<uint32_t>(left < 15 ? left + 1 : 16)));
    left -= literals;
    const size_t headerAt = p;
    p += 2;
    for (uint32_t k = 0; k < 2 * literals; k++) buffer[p++] = static_cast<uint8_t>(below(4) == 0 ? next() : below(3));
    produced += literals;
    uint32_t header = literals << 12;
    const uint32_t choice = produced == 0 || left < 2 ? 0 : 1 + below(2);
    if (choice == 1) {
      const uint64_t length = 2 + below(static_cast<uint32_t>(left < 16 ? left - 1 : 15));
      const uint64_t distance = 1 + below(static_cast<uint32_t>(produced < 256 ? produced : 256));
      header |= static_cast<uint32_t>(((length - 1) << 8) | (distance - 1));
      produced += length;
    } else if (choice == 2 && left >= 3) {
      const uint64_t length = 3 + below(static_cast<uint32_t>(left < 257 ? left - 2 : 255));
      const uint64_t distance = 1 + below(static_cast<uint32_t>(produced < 0x4000 ? produced : 0x4000));
      header |= static_cast<uint32_t>(length - 2);
      const uint32_t word = static_cast<uint32_t>((0x10000 - (distance - 1)) & 0x7fff);
      buffer[p++] = static_cast<uint8_t>(word >> 8);
      buffer[p++] = static_cast<uint8_t>(word);
      produced += length;
    } else if (literals == 0) {
      // A block of nothing would be the end block: one literal word instead.
      header = 1u << 12;
      buffer[p++] = static_cast<uint8_t>(next());
      buffer[p++] = static_cast<uint8_t>(next());
      produced++;
      if (produced > words) failure("lz4w generator overran", 0);
    }
    buffer[headerAt] = static_cast<uint8_t>(header >> 8);
    buffer[headerAt + 1] = static_cast<uint8_t>(header);
  }
  buffer[p++] = 0;
  buffer[p++] = 0;
  buffer[p++] = odd ? 0x80 : 0;
  buffer[p++] = static_cast<uint8_t>(next());
  return p;
}

// `buffer` holds at least 2 * capacity + 64 bytes.
void fuzzSegaLz(uint8_t* buffer, size_t capacity, uint64_t iteration) {
  CodecWalkResult walk;
  // Saxman, headed: the size header counts the body.
  const uint64_t saxmanTarget = below(static_cast<uint32_t>(capacity < 0x7000 ? capacity : 0x7000));
  size_t end = writeSaxman(buffer, 2, saxmanTarget);
  buffer[0] = static_cast<uint8_t>(end - 2);
  buffer[1] = static_cast<uint8_t>((end - 2) >> 8);
  fuzzSegaLzWalk(kSaxman, buffer, end + below(3), 0, 1u << 22, kSaxmanHeadedFraming, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != saxmanTarget || walk.packedLength != end) failure("saxman generated stream does not decode", iteration);
  fuzzSegaLzMutations(kSaxman, buffer, end, kSaxmanHeadedFraming, iteration);
  // Saxman, headerless: the caller gives the output size.
  end = writeSaxman(buffer, 0, saxmanTarget);
  fuzzSegaLzWalk(kSaxman, buffer, end + below(3), 0, 1u << 22, static_cast<int64_t>(saxmanTarget), iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != saxmanTarget) failure("headerless saxman generated stream does not decode", iteration);
  fuzzSegaLzMutations(kSaxman, buffer, end, static_cast<int64_t>(saxmanTarget), iteration);
  // Kosinski.
  const uint64_t kosinskiTarget = below(static_cast<uint32_t>(capacity));
  end = writeKosinski(buffer, 0, kosinskiTarget);
  fuzzSegaLzWalk(kKosinski, buffer, end + below(3), 0, 1u << 22, -1, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != kosinskiTarget || walk.packedLength != end) failure("kosinski generated stream does not decode", iteration);
  fuzzSegaLzMutations(kKosinski, buffer, end, -1, iteration);
  // Kosinski Moduled: a Kosinski stream per 0x1000 bytes, padded to 16 bytes.
  const uint64_t total = below(static_cast<uint32_t>(capacity < 0xffff ? capacity : 0xffff));
  if (total != 0xa000) {
    buffer[0] = static_cast<uint8_t>(total >> 8);
    buffer[1] = static_cast<uint8_t>(total);
    end = 2;
    for (uint64_t done = 0; done < total; done += 0x1000) {
      const size_t moduleEnd = writeKosinski(buffer, end, total - done < 0x1000 ? total - done : 0x1000);
      const bool last = done + 0x1000 >= total;
      size_t padded = last ? moduleEnd : end + (moduleEnd - end + 15) / 16 * 16;
      for (size_t k = moduleEnd; k < padded; k++) buffer[k] = 0;
      end = padded;
    }
    fuzzSegaLzWalk(kKosinskiModuled, buffer, end, 0, 0xffff, -1, iteration, &walk);
    if (walk.status != kStatusOk || walk.outputLength != total || walk.packedLength != end) failure("kosinski moduled generated stream does not decode", iteration);
    fuzzSegaLzMutations(kKosinskiModuled, buffer, end, -1, iteration);
  }
  // Comper and LZ4W (whole words; LZ4W may end on an odd byte).
  const uint64_t words = below(static_cast<uint32_t>(capacity / 2 < 0x3000 ? capacity / 2 : 0x3000));
  end = writeComper(buffer, words);
  fuzzSegaLzWalk(kComper, buffer, end + below(3), 0, 1u << 22, -1, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != 2 * words || walk.packedLength != end) failure("comper generated stream does not decode", iteration);
  fuzzSegaLzMutations(kComper, buffer, end, -1, iteration);
  const bool odd = below(2) == 0;
  end = writeLz4w(buffer, words, odd);
  fuzzSegaLzWalk(kLz4w, buffer, end + below(3), 0, 1u << 22, -1, iteration, &walk);
  if (walk.status != kStatusOk || walk.outputLength != 2 * words + (odd ? 1 : 0) || walk.packedLength != end) failure("lz4w generated stream does not decode", iteration);
  fuzzSegaLzMutations(kLz4w, buffer, end, -1, iteration);
  // Random bytes.
  const size_t randomLength = below(400);
  for (size_t i = 0; i < randomLength; i++) buffer[i] = static_cast<uint8_t>(next());
  fuzzSegaLzWalk(kSaxman, buffer, randomLength, 0, 65536, kSaxmanHeadedFraming, iteration, &walk);
  fuzzSegaLzWalk(kSaxman, buffer, randomLength, 0, 65536, below(600), iteration, &walk);
  fuzzSegaLzWalk(kKosinski, buffer, randomLength, 0, 65536, -1, iteration, &walk);
  fuzzSegaLzWalk(kKosinskiModuled, buffer, randomLength, 0, 0xffff, -1, iteration, &walk);
  fuzzSegaLzWalk(kComper, buffer, randomLength, 0, 65536, -1, iteration, &walk);
  fuzzSegaLzWalk(kLz4w, buffer, randomLength, 0, 65536, -1, iteration, &walk);
}

// One deflater for the whole run, as a thread keeps one: its blocks are reused by every call.
ZlibDeflater deflater;

// CRC-32 one bit at a time (reflected 0xEDB88320, as zlib's): independent of zlib's tables.
uint32_t bitwiseCrc32(const uint8_t* bytes, size_t length, uint32_t initial) {
  uint32_t c = ~initial;
  for (size_t i = 0; i < length; i++) {
    c ^= bytes[i];
    for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

void fuzzHashes(const uint8_t* data, size_t n, uint64_t iteration) {
  uint8_t* copy = exactCopy(data, n);
  const uint32_t initial = next();
  const uint32_t whole = crc32Of(copy, n, initial);
  if (whole != bitwiseCrc32(copy, n, initial)) failure("crc32 differs from the bitwise CRC-32", iteration);
  const size_t split = below(static_cast<uint32_t>(n) + 1);
  if (crc32Of(copy + split, n - split, crc32Of(copy, split, initial)) != whole) failure("crc32 does not continue across a split", iteration);
  const size_t a = below(static_cast<uint32_t>(n) + 1);
  const size_t b = below(static_cast<uint32_t>(n) + 1);
  const size_t start = a < b ? a : b;
  const size_t end = a < b ? b : a;
  uint64_t sum = 0;
  for (size_t i = start; i < end; i++) sum += copy[i];
  if (byteSumOf(copy + start, end - start) != sum) failure("byteSum differs from the byte-at-a-time sum", iteration);
  uint8_t* digest = static_cast<uint8_t*>(std::malloc(kSha1DigestSizeInBytes));
  std::memset(digest, 0x5a, kSha1DigestSizeInBytes);
  if (!sha1Available()) {
    if (sha1Of(copy, n, digest)) failure("sha1 claims a digest without OpenSSL", iteration);
    for (size_t i = 0; i < kSha1DigestSizeInBytes; i++)
      if (digest[i] != 0x5a) failure("sha1 without OpenSSL wrote its output", iteration);
  } else {
    static const uint8_t kAbcDigest[kSha1DigestSizeInBytes] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                                               0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    const uint8_t abc[3] = {'a', 'b', 'c'};
    if (!sha1Of(abc, 3, digest) || std::memcmp(digest, kAbcDigest, kSha1DigestSizeInBytes) != 0) failure("sha1 of abc is not FIPS 180's", iteration);
  }
  std::free(digest);
  std::free(copy);
}

void fuzzDeflate(const uint8_t* data, size_t n, uint64_t iteration) {
  const int level = kZlibMinimumLevel + static_cast<int>(below(kZlibMaximumLevel));
  const uint8_t* input = exactCopy(data, n);
  const size_t bound = zlibDeflateBound(n);
  uint8_t* output = static_cast<uint8_t*>(std::malloc(bound));
  size_t written = 0;
  if (deflater.deflate(input, n, output, bound, level, &written) != kStatusOk) failure("deflate failed", iteration);
  uLongf expectedLength = compressBound(n);
  uint8_t* expected = static_cast<uint8_t*>(std::malloc(expectedLength));
  if (compress2(expected, &expectedLength, input, n, level) != Z_OK) failure("compress2 failed", iteration);
  if (expectedLength != written || std::memcmp(expected, output, written) != 0) failure("deflate differs from compress2", iteration);
  uLongf inflatedLength = n;
  uint8_t* inflated = static_cast<uint8_t*>(std::malloc(n == 0 ? 1 : n));
  if (uncompress(inflated, &inflatedLength, output, written) != Z_OK || inflatedLength != n || std::memcmp(inflated, input, n) != 0)
    failure("deflate does not inflate back", iteration);
  // One byte short of the bound is refused before zlib writes anything.
  if (deflater.deflate(input, n, output, bound - 1, level, &written) != kStatusBadArgument) failure("short deflate output accepted", iteration);
  std::free(inflated);
  std::free(expected);
  std::free(output);
  std::free(const_cast<uint8_t*>(input));
}

// Raw deflate of data[0..n) by the linked zlib at a random level (0: stored blocks) and strategy
// (fixed Huffman, RLE, Huffman only, filtered, default), into an exact-size heap buffer.
uint8_t* rawDeflate(const uint8_t* data, size_t n, size_t* packedLength, uint64_t iteration) {
  static const int kStrategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
  z_stream stream{};
  if (deflateInit2(&stream, static_cast<int>(below(10)), Z_DEFLATED, -15, 8, kStrategies[below(5)]) != Z_OK) failure("deflateInit2 failed", iteration);
  const size_t bound = deflateBound(&stream, static_cast<uLong>(n));
  uint8_t* packed = static_cast<uint8_t*>(std::malloc(bound));
  stream.next_in = const_cast<Bytef*>(data);
  stream.avail_in = static_cast<uInt>(n);
  stream.next_out = packed;
  stream.avail_out = static_cast<uInt>(bound);
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) failure("raw deflate failed", iteration);
  *packedLength = bound - stream.avail_out;
  deflateEnd(&stream);
  uint8_t* exact = exactCopy(packed, *packedLength);
  std::free(packed);
  return exact;
}

// An inflate into an exact-size buffer of `capacity` that must stop inside its buffers.
InflateResult inflateExact(const uint8_t* packed, size_t length, size_t capacity, uint8_t** out, uint64_t iteration) {
  *out = static_cast<uint8_t*>(std::malloc(capacity == 0 ? 1 : capacity));
  InflateResult result;
  zlibInflateRaw(packed, length, *out, capacity, &result);
  if (result.written > capacity || result.consumed > length) failure("inflate reports more than its buffers", iteration);
  if (result.status == kInflateOutOfMemory || result.status == kInflateBadArgument) failure("inflate refused its arguments", iteration);
  return result;
}

// PNG sample unpacking: random depths, row widths (with and without padding bits) and row counts,
// into exact-size buffers, against the spec's sample-by-sample definition; buffers one byte short
// are refused with nothing read or written past them.
void fuzzPngSamples(uint64_t iteration) {
  static const uint32_t depths[] = {1, 2, 4};
  const uint32_t depth = depths[below(3)];
  const size_t samplesPerRow = 1 + below(90);
  const size_t rows = 1 + below(12);
  const size_t stride = packedRowBytes(samplesPerRow, depth);
  uint8_t* packed = static_cast<uint8_t*>(std::malloc(stride * rows));
  for (size_t i = 0; i < stride * rows; i++) packed[i] = static_cast<uint8_t>(next());
  uint8_t* out = static_cast<uint8_t*>(std::malloc(samplesPerRow * rows));
  if (unpackPngSamples(packed, stride * rows, out, samplesPerRow * rows, samplesPerRow, rows, depth) != kStatusOk) failure("PNG samples refused", iteration);
  for (size_t y = 0; y < rows; y++) {
    for (size_t x = 0; x < samplesPerRow; x++) {
      const size_t bit = x * depth;
      const uint32_t expected = (packed[y * stride + bit / 8] >> (8 - depth - bit % 8)) & ((1u << depth) - 1);
      if (out[y * samplesPerRow + x] != expected) failure("PNG sample differs", iteration);
    }
  }
  if (unpackPngSamples(packed, stride * rows - 1, out, samplesPerRow * rows, samplesPerRow, rows, depth) != kStatusBadArgument) failure("short packed samples accepted", iteration);
  if (unpackPngSamples(packed, stride * rows, out, samplesPerRow * rows - 1, samplesPerRow, rows, depth) != kStatusBadArgument) failure("short sample buffer accepted", iteration);
  std::free(out);
  std::free(packed);
}

void fuzzInflate(const uint8_t* data, size_t n, uint64_t iteration) {
  size_t length = 0;
  uint8_t* packed = rawDeflate(data, n, &length, iteration);
  uint8_t* out = nullptr;
  InflateResult result = inflateExact(packed, length, n, &out, iteration);
  if (result.status != kInflateOk || result.written != n || (n > 0 && std::memcmp(out, data, n) != 0)) failure("raw inflate differs", iteration);
  std::free(out);
  // Bytes after the final block (a PNG's Adler-32) are ignored.
  const size_t trailing = 1 + below(8);
  uint8_t* longer = static_cast<uint8_t*>(std::malloc(length + trailing));
  std::memcpy(longer, packed, length);
  for (size_t k = 0; k < trailing; k++) longer[length + k] = static_cast<uint8_t>(next());
  result = inflateExact(longer, length + trailing, n + below(3), &out, iteration);
  if (result.status != kInflateOk || result.written != n || (n > 0 && std::memcmp(out, data, n) != 0)) failure("trailing bytes changed the inflate", iteration);
  std::free(out);
  std::free(longer);
  // One byte short: more output than the buffer holds.
  if (n > 0) {
    result = inflateExact(packed, length, n - 1, &out, iteration);
    if (result.status != kInflateOutputTooLarge) failure("short inflate buffer accepted", iteration);
    std::free(out);
  }
  // Every stream cut short ends before its final block (zlib's last byte holds bits of the end code).
  for (uint32_t round = 0; round < 3 && length > 0; round++) {
    const size_t cut = below(static_cast<uint32_t>(length));
    uint8_t* prefix = exactCopy(packed, cut);
    result = inflateExact(prefix, cut, n, &out, iteration);
    if (result.status != kInflateTruncated) failure("cut raw deflate stream not reported truncated", iteration);
    std::free(out);
    std::free(prefix);
  }
  // Mutated streams, into the exact size or a random smaller one: any verdict, inside the buffers.
  for (uint32_t round = 0; round < 3 && length > 0; round++) {
    uint8_t* mutated = exactCopy(packed, length);
    for (uint32_t edits = 1 + below(3); edits > 0; edits--) mutated[below(static_cast<uint32_t>(length))] = static_cast<uint8_t>(next());
    const size_t capacity = round == 0 ? n : below(static_cast<uint32_t>(n) + 1);
    result = inflateExact(mutated, length, capacity, &out, iteration);
    std::free(out);
    std::free(mutated);
  }
  std::free(packed);
  // Random bytes, mostly refused.
  const size_t randomLength = below(300);
  uint8_t* random = static_cast<uint8_t*>(std::malloc(randomLength == 0 ? 1 : randomLength));
  for (size_t k = 0; k < randomLength; k++) random[k] = static_cast<uint8_t>(next());
  result = inflateExact(random, randomLength, below(70000), &out, iteration);
  std::free(out);
  std::free(random);
}

// The small-file reader with an exact-size buffer and one a byte short (which must refuse).
void fuzzFileRead(const uint8_t* data, size_t n, uint64_t iteration) {
  char path[] = "/tmp/romgfx-harness-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) failure("mkstemp failed", iteration);
  if (n > 0 && write(fd, data, n) != static_cast<ssize_t>(n)) failure("write failed", iteration);
  close(fd);
  uint8_t* exact = static_cast<uint8_t*>(std::malloc(n == 0 ? 1 : n));
  FileReadResult result;
  readSmallFile(path, exact, n, &result);
  if (result.status != kFileReadOk || result.size != n || (n > 0 && std::memcmp(exact, data, n) != 0)) failure("file read differs", iteration);
  if (n > 0) {
    readSmallFile(path, exact, n - 1, &result);
    if (result.status != kFileReadTooLarge || result.size != n) failure("short file buffer accepted", iteration);
  }
  unlink(path);
  readSmallFile(path, exact, n, &result);
  if (result.status != kFileReadMissing) failure("missing file not reported", iteration);
  // Not regular files are refused, never read: a directory, and a FIFO (opening it without
  // O_NONBLOCK would wait for a writer forever).
  readSmallFile("/tmp", exact, n, &result);
  if (result.status != kFileReadNotRegular) failure("directory read as a file", iteration);
  if (iteration == 0 && mkfifo(path, 0600) == 0) {
    readSmallFile(path, exact, n, &result);
    if (result.status != kFileReadNotRegular) failure("FIFO read as a file", iteration);
    unlink(path);
  }
  std::free(exact);
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t iterations = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000;
  state = argc > 2 ? std::strtoull(argv[2], nullptr, 10) | 1 : 1;
  uint8_t* scratch = static_cast<uint8_t*>(std::calloc(kMaximumHalOutputSizeInBytes, 1));
  uint8_t* buffer = static_cast<uint8_t*>(std::malloc(kMaximumHalOutputSizeInBytes + 1));
  for (uint64_t iteration = 0; iteration < iterations; iteration++) {
    switch (iteration % 3) {
      case 0: {
        const size_t length = below(600);
        for (size_t i = 0; i < length; i++) buffer[i] = static_cast<uint8_t>(next());
        fuzzDecode(buffer, length, iteration, scratch);
        break;
      }
      case 1: {
        const size_t n = structuredData(buffer, iteration % 50 == 1 ? kMaximumHalOutputSizeInBytes : 3000);
        fuzzEncode(buffer, n, iteration, scratch);
        fuzzDeflate(buffer, n, iteration);
        fuzzHashes(buffer, n, iteration);
        fuzzInflate(buffer, n, iteration);
        if (iteration % 10 == 1) fuzzFileRead(buffer, n, iteration);
        break;
      }
      default:
        fuzzTiles(iteration);
        fuzzPngSamples(iteration);
        fuzzNemesis(buffer, 16384, iteration);
        fuzzKonami1(buffer, iteration % 20 == 2 ? 65536 : 4096, iteration);
        fuzzSegaLz(buffer, iteration % 20 == 2 ? 0x7000 : 4096, iteration);
        break;
    }
  }
  // Oversized input is refused, not read past.
  HalEncodeResult refused;
  halEncodeInhal(buffer, kMaximumHalOutputSizeInBytes + 1, 2, &refused);
  if (refused.status != kStatusHalInputTooLarge) failure("oversize input accepted", iterations);
  std::free(buffer);
  std::free(scratch);
  std::printf("ok %llu iterations\n", static_cast<unsigned long long>(iterations));
  return 0;
}
