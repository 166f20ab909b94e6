/**
 * Scan jobs of `romgfx serve`: a scan runs in the background (scanRomReport with an AbortSignal),
 * its progress goes to every listener (the page's server-sent events), and its result stays
 * until the job is forgotten.
 */
import { ServeNotFoundError, ServeParameterError } from '../errors.js';
import { scanRomReport } from '../scan/scanner.js';
import type { ScanCandidate, ScanOptions } from '../scan/types.js';
import type { ServedRom } from './library.js';
import { asRomgfxError } from './http.js';

/** Scan jobs kept at once (finished ones are forgotten oldest first). */
export const maximumScanJobs = 16;
/** Scans running at once (each uses the scan worker pool). */
export const maximumRunningScans = 2;
/** The most candidates a planted (test-only) scan may hold. */
export const maximumPlantedCandidates = 100_000;

/** What a listener hears. */
export type ScanEvent =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; candidates: number }
  | { type: 'cancelled' }
  | { type: 'failed'; error: ReturnType<ReturnType<typeof asRomgfxError>['toJSON']>['error'] };

/** One scan. */
export interface ScanJob {
  readonly id: string;
  readonly romId: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  done: number;
  total: number;
  candidates: ScanCandidate[];
  error: ScanEvent | null;
  readonly controller: AbortController;
  readonly listeners: Set<(event: ScanEvent) => void>;
  readonly finished: Promise<void>;
  /** The `?layout=rows` answer of a finished job, made once (the candidates do not change after). */
  compact?: Buffer;
}

/** The fields of one row of `GET /api/scans/{id}?layout=rows`, in order. */
export const compactCandidateFields = ['offset', 'packedLength', 'unpackedLength', 'codec', 'format', 'score', 'kind'] as const;

/**
 * A finished job's candidates as rows of numbers (`[offset, packedLength, unpackedLength, codec,
 * format, score, kind]`, the names as indices into `codecs`, `formats` and `kinds`): about a third
 * of the objects' bytes, and much quicker for the page to parse. Made once per job.
 */
export function compactScanResult(job: ScanJob): Buffer {
  if (job.compact) return job.compact;
  const codecs: string[] = [];
  const formats: string[] = [];
  const kinds: string[] = [];
  const indexIn = (list: string[], name: string): number => {
    let i = list.indexOf(name);
    if (i < 0) i = list.push(name) - 1;
    return i;
  };
  const rows = job.candidates.map((c) => [c.offset, c.packedLength, c.unpackedLength, indexIn(codecs, c.codec), indexIn(formats, c.format), c.score, indexIn(kinds, c.kind)]);
  job.compact = Buffer.from(JSON.stringify({ id: job.id, rom: job.romId, state: job.state, done: job.done, total: job.total, error: job.error, fields: compactCandidateFields, codecs, formats, kinds, rows }));
  return job.compact;
}

/** The scan jobs of one server. */
export class ScanJobs {
  readonly #jobs = new Map<string, ScanJob>();
  readonly #cache: false | string | undefined;
  #next = 1;

  /** `cache`: false for none, a folder, or undefined for the scanner's default folder. */
  constructor(cache?: false | string) {
    this.#cache = cache;
  }

  /** Starts a scan of `served`. */
  start(served: ServedRom, options: ScanOptions): ScanJob {
    const running = [...this.#jobs.values()].filter((j) => j.state === 'running').length;
    if (running >= maximumRunningScans) throw new ServeParameterError('scan', `${running} scans are running already; cancel one or wait`, { running });
    const controller = new AbortController();
    const job: ScanJob = {
      id: `s${this.#next++}`,
      romId: served.id,
      state: 'running',
      done: 0,
      total: 0,
      candidates: [],
      error: null,
      controller,
      listeners: new Set(),
      finished: undefined as unknown as Promise<void>,
    };
    const emit = (event: ScanEvent): void => {
      for (const listener of job.listeners) listener(event);
    };
    const cache = this.#cache === false ? { cache: false } : this.#cache === undefined ? {} : { cache: true, cacheDirectory: this.#cache };
    (job as { finished: Promise<void> }).finished = scanRomReport(served.rom, { ...options, ...cache }, {
      signal: controller.signal,
      onProgress: (p) => {
        job.done = p.done;
        job.total = p.total;
        emit({ type: 'progress', done: p.done, total: p.total });
      },
    }).then(
      (report) => {
        job.candidates = [...report.candidates].sort((a, b) => b.score - a.score || a.offset - b.offset);
        job.state = 'done';
        job.done = job.total;
        emit({ type: 'done', candidates: job.candidates.length });
      },
      (error: unknown) => {
        if (controller.signal.aborted) {
          job.state = 'cancelled';
          emit({ type: 'cancelled' });
          return;
        }
        job.state = 'failed';
        job.error = { type: 'failed', error: asRomgfxError(error).toJSON().error };
        emit(job.error);
      },
    );
    this.#remember(job);
    return job;
  }

  /** A finished job made from given candidates (the test-only route; the page cannot tell it apart). */
  plant(served: ServedRom, candidates: ScanCandidate[]): ScanJob {
    if (candidates.length > maximumPlantedCandidates) throw new ServeParameterError('candidates', `at most ${maximumPlantedCandidates}`);
    const job: ScanJob = {
      id: `s${this.#next++}`,
      romId: served.id,
      state: 'done',
      done: 1,
      total: 1,
      candidates: [...candidates].sort((a, b) => b.score - a.score || a.offset - b.offset),
      error: null,
      controller: new AbortController(),
      listeners: new Set(),
      finished: Promise.resolve(),
    };
    this.#remember(job);
    return job;
  }

  #remember(job: ScanJob): void {
    this.#jobs.set(job.id, job);
    if (this.#jobs.size <= maximumScanJobs) return;
    for (const [id, old] of this.#jobs) {
      if (old.state !== 'running') {
        this.#jobs.delete(id);
        break;
      }
    }
  }

  /** The job with this id, or ServeNotFoundError. */
  job(id: string): ScanJob {
    const found = this.#jobs.get(id);
    if (!found) throw new ServeNotFoundError(`no scan with id "${id}"`, { scan: id });
    return found;
  }

  /** Cancels a running job (a finished one is left as it is). */
  cancel(id: string): ScanJob {
    const job = this.job(id);
    if (job.state === 'running') job.controller.abort();
    return job;
  }

  /** Cancels every running scan and waits for them to stop. */
  async close(): Promise<void> {
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) if (job.state === 'running') job.controller.abort();
    await Promise.allSettled(jobs.map((j) => j.finished));
  }
}
