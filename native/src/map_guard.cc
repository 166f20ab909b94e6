#include "map_guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace romgfx {
namespace {

// One slot per guarded mapping. The handler reads them without locks (a signal handler may not
// take one); registration publishes `end` last, release clears `end` first, so the handler
// never sees a half-written range as live.
struct GuardedRange {
  std::atomic<uintptr_t> start{0};
  std::atomic<uintptr_t> end{0};
  std::atomic<uint32_t> faults{0};
  std::atomic<bool> used{false};
};

GuardedRange ranges[kMaximumGuardedMappings];
struct sigaction previousAction;
std::once_flag installOnce;
bool installed = false;
uintptr_t pageSize = 4096;

void ForwardToPrevious(int signal, siginfo_t* info, void* context) {
  if ((previousAction.sa_flags & SA_SIGINFO) != 0 && previousAction.sa_sigaction != nullptr) {
    previousAction.sa_sigaction(signal, info, context);
    return;
  }
  if (previousAction.sa_handler != SIG_DFL && previousAction.sa_handler != SIG_IGN && previousAction.sa_handler != nullptr) {
    previousAction.sa_handler(signal);
    return;
  }
  // The default action: restore it and return; the faulting load runs again and terminates the
  // process as it would have without us (ignoring SIGBUS would loop on the same fault forever).
  struct sigaction fallback = {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(SIGBUS, &fallback, nullptr);
}

void OnSigbus(int signal, siginfo_t* info, void* context) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
  for (int i = 0; i < kMaximumGuardedMappings; i++) {
    const uintptr_t end = ranges[i].end.load(std::memory_order_acquire);
    if (end == 0 || address >= end) continue;
    const uintptr_t start = ranges[i].start.load(std::memory_order_relaxed);
    if (address < start) continue;
    void* page = reinterpret_cast<void*>(address & ~(pageSize - 1));
    // mmap is a plain system call on Linux; POSIX does not list it as async-signal-safe, but it
    // takes no user-space lock, which is what makes a call unsafe in a handler.
    void* zeros = mmap(page, pageSize, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (zeros == MAP_FAILED) break;
    ranges[i].faults.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ForwardToPrevious(signal, info, context);
}

void Install() {
  const long size = sysconf(_SC_PAGESIZE);
  if (size > 0) pageSize = static_cast<uintptr_t>(size);
  struct sigaction action = {};
  action.sa_sigaction = OnSigbus;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  installed = sigaction(SIGBUS, &action, &previousAction) == 0;
}

}  // namespace

int guardMapping(const void* data, size_t length) {
  if (data == nullptr || length == 0) return -1;
  std::call_once(installOnce, Install);
  if (!installed) return -1;
  const uintptr_t start = reinterpret_cast<uintptr_t>(data);
  if (start + length < start) return -1;
  for (int i = 0; i < kMaximumGuardedMappings; i++) {
    bool expected = false;
    if (!ranges[i].used.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) continue;
    ranges[i].faults.store(0, std::memory_order_relaxed);
    ranges[i].start.store(start, std::memory_order_relaxed);
    ranges[i].end.store(start + length, std::memory_order_release);
    return i;
  }
  return -1;
}

uint32_t guardedMappingFaults(int slot) {
  if (slot < 0 || slot >= kMaximumGuardedMappings) return 0;
  return ranges[slot].faults.load(std::memory_order_relaxed);
}

void releaseGuardedMapping(int slot) {
  if (slot < 0 || slot >= kMaximumGuardedMappings) return;
  ranges[slot].end.store(0, std::memory_order_release);
  ranges[slot].start.store(0, std::memory_order_relaxed);
  ranges[slot].used.store(false, std::memory_order_release);
}

}  // namespace romgfx
