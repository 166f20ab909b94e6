#include "hashes.h"

#include <zlib.h>

// OpenSSL's one-shot digest, declared here instead of through <openssl/evp.h>: Node links
// OpenSSL statically and exports its symbols to addons (`nm -D $(which node)` lists EVP_Digest
// and EVP_sha1), but node-gyp gives addons no OpenSSL headers of a matching version, and a Node
// built with a shared or no OpenSSL may lack them. The prototypes are OpenSSL's
// (EVP_Digest(const void*, size_t, unsigned char*, unsigned int*, const EVP_MD*, ENGINE*), with
// EVP_MD = struct evp_md_st and ENGINE = struct engine_st left opaque). They are weak: the
// dynamic linker binds a weak reference it cannot resolve to null instead of failing, so an
// addon loaded into a Node without them still loads and sha1Of reports false (the TypeScript
// then hashes with node:crypto), where a strong reference would abort the process with a
// symbol lookup error at the first call (Node dlopens addons with lazy binding).
extern "C" {
struct evp_md_st;
struct engine_st;
__attribute__((weak)) int EVP_Digest(const void* data, size_t count, unsigned char* md, unsigned int* size, const evp_md_st* type, engine_st* impl);
__attribute__((weak)) const evp_md_st* EVP_sha1(void);
}

namespace romgfx {

// A 32-bit lane gains at most 255 per byte: 2^24 bytes cannot overflow it (255 * 2^24 < 2^32).
constexpr size_t kByteSumBlockSizeInBytes = size_t{1} << 24;

uint32_t crc32Of(const uint8_t* bytes, size_t length, uint32_t initial) {
  return static_cast<uint32_t>(crc32_z(initial, bytes, length));
}

bool sha1Available() { return EVP_Digest != nullptr && EVP_sha1 != nullptr; }

bool sha1Of(const uint8_t* bytes, size_t length, uint8_t* digest) {
  if (!sha1Available()) return false;
  const evp_md_st* md = EVP_sha1();
  if (md == nullptr) return false;
  unsigned char out[64];
  unsigned int size = 0;
  if (EVP_Digest(bytes, length, out, &size, md, nullptr) != 1 || size != kSha1DigestSizeInBytes) return false;
  for (size_t i = 0; i < kSha1DigestSizeInBytes; i++) digest[i] = out[i];
  return true;
}

uint64_t byteSumOf(const uint8_t* bytes, size_t length) {
  uint64_t total = 0;
  size_t at = 0;
  while (at < length) {
    const size_t end = length - at > kByteSumBlockSizeInBytes ? at + kByteSumBlockSizeInBytes : length;
    // A 32-bit accumulator per block: the compiler vectorises this loop (widening adds).
    uint32_t block = 0;
    for (size_t i = at; i < end; i++) block += bytes[i];
    total += block;
    at = end;
  }
  return total;
}

}  // namespace romgfx
