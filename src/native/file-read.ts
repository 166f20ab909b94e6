/**
 * Reading a small file whole in one call to the addon (open, fstat, read, close), for the
 * thumbnail disk cache's hits: through Node's fs those four calls cost 9.2 µs per entry here,
 * made by the addon 4.8–5.2 µs (native/src/file_read.h). The caller reads the file itself
 * when this says so (too large for the buffer, or a platform the addon does not read on).
 */
import { getSystemErrorName } from 'node:util';
import type { NativeAddon } from './addon.js';

/** native/src/file_read.h FileReadStatus. */
export const fileReadStatus = { ok: 0, missing: 1, tooLarge: 2, failed: 3, unsupported: 4, notRegular: 5 } as const;

export type SmallFileRead =
  | { readonly kind: 'read'; readonly bytes: Uint8Array; readonly mtimeMs: number }
  | { readonly kind: 'missing' }
  /** The file is larger than the reader's buffer (`size` bytes), or this platform is not supported: read it another way. */
  | { readonly kind: 'elsewhere'; readonly size: number }
  | { readonly kind: 'failed'; readonly code: string }
  /** A directory, FIFO, socket, device or symlink: refused without reading (a FIFO would block). */
  | { readonly kind: 'notRegular' };

/**
 * Reads a file of at most `maximumSmallFileSizeInBytes`. `bytes` is a view of a buffer the
 * thread reuses: copy what you keep before the next read.
 */
export type SmallFileReader = (path: string) => SmallFileRead;

/** The reader's buffer: larger files are read another way (a thumbnail entry is a few KiB). */
export const maximumSmallFileSizeInBytes = 1024 * 1024;
/** The buffer's first size; it doubles up to the maximum as larger files come. */
const initialBufferSizeInBytes = 64 * 1024;

export function createNativeSmallFileReader(addon: NativeAddon): SmallFileReader {
  let buffer = new Uint8Array(initialBufferSizeInBytes);
  const info = new Float64Array(3);
  return (path) => {
    for (;;) {
      const status = addon.readSmallFile(path, buffer, info);
      switch (status) {
        case fileReadStatus.ok:
          return { kind: 'read', bytes: buffer.subarray(0, info[0]!), mtimeMs: info[1]! };
        case fileReadStatus.missing:
          return { kind: 'missing' };
        case fileReadStatus.tooLarge: {
          const size = info[0]!;
          if (size > maximumSmallFileSizeInBytes) return { kind: 'elsewhere', size };
          // Grow and read again (the file may have changed meanwhile: the next answer decides).
          buffer = new Uint8Array(Math.min(maximumSmallFileSizeInBytes, Math.max(size, buffer.length * 2)));
          continue;
        }
        case fileReadStatus.failed:
          return { kind: 'failed', code: errnoName(info[2]!) };
        case fileReadStatus.notRegular:
          return { kind: 'notRegular' };
        default:
          return { kind: 'elsewhere', size: 0 };
      }
    }
  };
}

/** `EACCES` for errno 13 and so on (libuv's codes are the negated errno values on POSIX). */
function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `errno ${errno}`;
  }
}
