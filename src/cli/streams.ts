/**
 * The CLI's stdout and stderr as plain file-descriptor writers.
 *
 * `process.stdout` is a lazy getter that builds a tty, pipe or file stream on first use (loading
 * net, stream and tty internals): tens of milliseconds of a command whose whole work takes a few.
 * Writing with `fs.writeSync` to the descriptor skips that and keeps every line in order with
 * stderr. A descriptor the parent made non-blocking can refuse a write (EAGAIN); from then on the
 * rest goes through the Node stream, which queues it and drains it before the process exits. A
 * closed reader (`romgfx … | head`) ends the output quietly, as for any Unix filter.
 */
import { writeSync } from 'node:fs';
import type { CliStreams } from './context.js';

type Writer = CliStreams['stdout'];

function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): Writer {
  let fallback: NodeJS.WriteStream | undefined;
  let closed = false;
  return {
    write(chunk: string): boolean {
      if (closed) return false;
      if (fallback) return fallback.write(chunk);
      const bytes = Buffer.from(chunk, 'utf8');
      let done = 0;
      while (done < bytes.length) {
        try {
          const written = writeSync(fd, bytes, done, bytes.length - done);
          // writeSync reports at least one byte or throws; guard anyway so the loop always advances.
          if (written <= 0) break;
          done += written;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            fallback = stream();
            return fallback.write(bytes.subarray(done));
          }
          if (code === 'EPIPE') {
            closed = true;
            return false;
          }
          throw error;
        }
      }
      return true;
    },
    get isTTY(): boolean {
      return stream().isTTY === true;
    },
  };
}

/** stdout and stderr for a CLI run in this process (what `main` uses when given no streams). */
export function processStreams(): CliStreams {
  return { stdout: descriptorWriter(1, () => process.stdout), stderr: descriptorWriter(2, () => process.stderr) };
}
