// Whole-ROM digests for `romgfx info` and ROM identity: CRC-32 (zlib's), SHA-1 (OpenSSL's, as
// the Node binary exports it) and the plain byte sum the platform checksums are built from. They
// let a command that hashes a ROM skip loading node:zlib and node:crypto (issue #18). Plain C++
// over caller buffers, no state: safe from any number of threads.
#ifndef ROMGFX_NATIVE_HASHES_H
#define ROMGFX_NATIVE_HASHES_H

#include <cstddef>
#include <cstdint>

namespace romgfx {

// Bytes in a SHA-1 digest (FIPS 180-4).
constexpr size_t kSha1DigestSizeInBytes = 20;

// zlib's crc32_z(initial, bytes, length): the CRC-32 of `bytes` continuing from `initial`.
uint32_t crc32Of(const uint8_t* bytes, size_t length, uint32_t initial);

// Whether the process has OpenSSL's EVP_Digest and EVP_sha1 (Node's binary does).
bool sha1Available();

// SHA-1 of `bytes` into `digest` (kSha1DigestSizeInBytes). False, `digest` untouched, when
// OpenSSL is not in the process or it fails.
bool sha1Of(const uint8_t* bytes, size_t length, uint8_t* digest);

// Sum of bytes [0, length) as an exact integer (at most 255 * length).
uint64_t byteSumOf(const uint8_t* bytes, size_t length);

}  // namespace romgfx

#endif
