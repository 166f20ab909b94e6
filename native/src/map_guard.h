// A guard for read-only file mappings: a page of a registered mapping that faults with SIGBUS
// (the file was truncated under the mapping, so the page has no backing data any more) is
// replaced by a page of zeros and counted, instead of killing the process. The caller learns of
// it through the count and refuses the read as "the ROM changed" (ERR_ROM_CHANGED).
//
// Why this works: the mapping is PROT_READ, so every access that faults is a load; after the
// handler maps an anonymous read-only page at the faulting address with MAP_FIXED, the load is
// re-executed and reads 0. Faults outside registered mappings go to the handler that was there
// before (or the default action, which terminates as before).
#pragma once

#include <cstddef>
#include <cstdint>

namespace romgfx {

// How many mappings may be guarded at once in the process (every thread's ROM handles together).
constexpr int kMaximumGuardedMappings = 1024;

// Registers [data, data + length) and installs the SIGBUS handler on first use. Returns the slot
// (>= 0), or -1 when the table is full or the handler cannot be installed (the mapping is then
// unguarded: the caller falls back to reading the file into memory).
int guardMapping(const void* data, size_t length);

// Pages of the slot's mapping replaced by zeros since it was registered.
uint32_t guardedMappingFaults(int slot);

// Forgets the slot (when its buffer is collected).
void releaseGuardedMapping(int slot);

}  // namespace romgfx
