#include "file_read.h"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace romgfx {

#ifdef _WIN32

void readSmallFile(const char*, uint8_t*, size_t, FileReadResult* result) {
  result->status = kFileReadUnsupported;
}

#else

void readSmallFile(const char* path, uint8_t* buffer, size_t capacity, FileReadResult* result) {
  *result = FileReadResult{};
  int fd;
  do fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    result->error = errno;
    // ELOOP: the last component is a symlink (O_NOFOLLOW); ENXIO: a socket or a FIFO without
    // a writer on some systems. Neither is a file this reader may read.
    result->status = (errno == ENOENT || errno == ENOTDIR) ? kFileReadMissing : (errno == ELOOP || errno == ENXIO) ? kFileReadNotRegular : kFileReadFailed;
    return;
  }
  struct stat info;
  if (fstat(fd, &info) != 0) {
    result->error = errno;
    result->status = kFileReadFailed;
    close(fd);
    return;
  }
  if (!S_ISREG(info.st_mode)) {
    result->status = kFileReadNotRegular;
    close(fd);
    return;
  }
  result->mtimeMs = static_cast<double>(info.st_mtim.tv_sec) * 1000.0 + static_cast<double>(info.st_mtim.tv_nsec) / 1e6;
  const size_t size = info.st_size < 0 ? 0 : static_cast<size_t>(info.st_size);
  result->size = size;
  if (size > capacity) {
    result->status = kFileReadTooLarge;
    close(fd);
    return;
  }
  size_t filled = 0;
  while (filled < size) {
    const ssize_t got = pread(fd, buffer + filled, size - filled, static_cast<off_t>(filled));
    if (got < 0) {
      if (errno == EINTR) continue;
      result->error = errno;
      result->status = kFileReadFailed;
      close(fd);
      return;
    }
    if (got == 0) break;  // the file shrank since fstat: what was read is returned
    filled += static_cast<size_t>(got);
  }
  close(fd);
  result->size = filled;
  result->status = kFileReadOk;
}

#endif

}  // namespace romgfx
