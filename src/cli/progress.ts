/**
 * A one-line progress bar on stderr for long work. Drawn only on a terminal and never with
 * --json (the Cli decides); redraws at most every `minimumRedrawIntervalInMs`.
 */
const minimumRedrawIntervalInMs = 100;
const barWidthInCells = 28;

export interface ProgressSink {
  /** Reports that `done` of `total` items are finished. */
  update(done: number, total: number, label?: string): void;
  /** Clears the bar. */
  finish(): void;
}

export const noProgress: ProgressSink = { update() {}, finish() {} };

export function progressBar(stream: { write(chunk: string): unknown }, title: string): ProgressSink {
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (done < total && now - lastDraw < minimumRedrawIntervalInMs) return;
      lastDraw = now;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const cells = Math.round(fraction * barWidthInCells);
      const bar = '#'.repeat(cells) + '-'.repeat(barWidthInCells - cells);
      stream.write(`\r${title} [${bar}] ${done}/${total}${label ? ' ' + label : ''}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
