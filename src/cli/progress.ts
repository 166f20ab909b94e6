/**
 * A one-line progress bar on stderr for long work. Drawn only on a terminal and never with
 * --json (the Cli decides); redraws at most every `minimumRedrawIntervalInMs`. Shows the
 * percentage, the rate (items per second since the first update) and the time left at that rate.
 */
const minimumRedrawIntervalInMs = 100;
const barWidthInCells = 28;
/** Before this much time has passed the rate is noise; the bar shows no rate or time left yet. */
const minimumElapsedForRateInMs = 500;

export interface ProgressSink {
  /** Reports that `done` of `total` items are finished. */
  update(done: number, total: number, label?: string): void;
  /** Clears the bar. */
  finish(): void;
}

export const noProgress: ProgressSink = { update() {}, finish() {} };

/** A duration as m:ss (or h:mm:ss), for "time left". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The text of one progress line (without the carriage return): bar, percentage, count, rate, time left. */
export function progressLine(title: string, done: number, total: number, elapsedMs: number, label?: string): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const cells = Math.round(fraction * barWidthInCells);
  const bar = '#'.repeat(cells) + '-'.repeat(barWidthInCells - cells);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  let rate = '';
  if (elapsedMs >= minimumElapsedForRateInMs && done > 0) {
    const perSecond = (done * 1000) / elapsedMs;
    const left = done < total ? `, ${formatDuration((total - done) / perSecond)} left` : '';
    rate = ` ${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s${left}`;
  }
  return `${title} [${bar}] ${percent} ${done}/${total}${rate}${label ? ' ' + label : ''}`;
}

export function progressBar(stream: { write(chunk: string): unknown }, title: string, now: () => number = Date.now): ProgressSink {
  let lastDraw = 0;
  let started: number | undefined;
  let drawn = false;
  return {
    update(done, total, label) {
      const time = now();
      started ??= time;
      if (done < total && time - lastDraw < minimumRedrawIntervalInMs) return;
      lastDraw = time;
      stream.write(`\r${progressLine(title, done, total, time - started, label)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
