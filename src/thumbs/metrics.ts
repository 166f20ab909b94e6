/**
 * Thumbnail instrumentation: counters, gauges and latency histograms, exported as Prometheus
 * text, as a JSON summary, or read directly.
 *
 * Counting requests, hits and misses is always on (they are integer increments and back
 * `romgfx cache stats`). Timing — clock reads, histogram updates, the per-task figures workers
 * send back — is the part `instrumentation: false` turns off; the benchmark measures both.
 */

/** Latency bucket upper bounds in seconds: 50 µs to 5 s, roughly ×2.5 apart (Prometheus convention). */
export const latencyBucketsInSeconds: readonly number[] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The stages a thumbnail passes through, each with its own latency histogram. */
export type Stage = 'decode' | 'encode' | 'cache_read_memory' | 'cache_read_disk' | 'cache_write_disk' | 'queue_wait' | 'total';
export const stages: readonly Stage[] = ['decode', 'encode', 'cache_read_memory', 'cache_read_disk', 'cache_write_disk', 'queue_wait', 'total'];

export type CacheLevel = 'memory' | 'disk';

/** A fixed-bucket histogram (cumulative buckets are computed on export, not on observe). */
export class Histogram {
  readonly bounds: readonly number[];
  readonly #counts: Float64Array;
  count = 0;
  sum = 0;

  constructor(bounds: readonly number[] = latencyBucketsInSeconds) {
    this.bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.#counts[i]!++;
    this.count++;
    this.sum += value;
  }

  /** Cumulative counts per bound, then +Inf (Prometheus `le` buckets). */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      running += this.#counts[i]!;
      out.push(running);
    }
    return out;
  }

  /** The bucket bound at or below which a fraction `q` of observations fall (an upper estimate). */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const target = q * this.count;
    const cumulative = this.cumulative();
    for (let i = 0; i < this.bounds.length; i++) if (cumulative[i]! >= target) return this.bounds[i]!;
    return Number.POSITIVE_INFINITY;
  }
}

/** Timings of one thumbnail stage: count, total, mean and percentiles. */
export interface StageSummary {
  count: number;
  totalSeconds: number;
  meanSeconds: number | null;
  /** Upper bucket bounds, so estimates from above. */
  p50Seconds: number | null;
  p95Seconds: number | null;
}

/** Hits, misses and size of one cache level. */
export interface LevelSummary {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

/** What `--stats` prints and `ThumbnailService.stats()` returns. */
export interface ThumbnailStats {
  instrumentation: boolean;
  requests: number;
  /** Requests that joined an identical request already in flight. */
  deduplicated: number;
  rendered: number;
  failed: number;
  cancelled: number;
  bytesOut: number;
  memory: LevelSummary;
  disk: LevelSummary;
  queue: { depth: number; maximumDepth: number };
  workers: { threads: number; utilization: number };
  stages: Record<Stage, StageSummary>;
  errors: Record<string, number>;
}

/** Where the metrics read their gauges (cache sizes, queue depth, threads) at report time. */
export interface GaugeSource {
  memoryEntries(): number;
  memoryBytes(): number;
  diskEntries(): number;
  diskBytes(): number;
  queueDepth(): number;
  threads(): number;
  utilization(): number;
}

const zeroGauges: GaugeSource = {
  memoryEntries: () => 0,
  memoryBytes: () => 0,
  diskEntries: () => 0,
  diskBytes: () => 0,
  queueDepth: () => 0,
  threads: () => 0,
  utilization: () => 0,
};

/** Counters, stage timings and gauges of a ThumbnailService, as numbers or Prometheus text. */
export class ThumbnailMetrics {
  /** When false, stage timings are not taken (and `now()` is never called by the service). */
  readonly instrumentation: boolean;
  requests = 0;
  deduplicated = 0;
  rendered = 0;
  failed = 0;
  cancelled = 0;
  bytesOut = 0;
  memoryHits = 0;
  memoryMisses = 0;
  diskHits = 0;
  diskMisses = 0;
  maximumQueueDepth = 0;
  readonly errors = new Map<string, number>();
  readonly #histograms = new Map<Stage, Histogram>();
  #gauges: GaugeSource = zeroGauges;

  constructor(instrumentation = true) {
    this.instrumentation = instrumentation;
    for (const stage of stages) this.#histograms.set(stage, new Histogram());
  }

  /** Connects live gauges (cache sizes, queue, workers); set by the service that owns the parts. */
  bindGauges(gauges: GaugeSource): void {
    this.#gauges = gauges;
  }

  /** Records `seconds` for a stage; a no-op with instrumentation off. */
  observe(stage: Stage, seconds: number): void {
    if (this.instrumentation) this.#histograms.get(stage)!.observe(seconds);
  }

  histogram(stage: Stage): Histogram {
    return this.#histograms.get(stage)!;
  }

  noteQueueDepth(depth: number): void {
    if (depth > this.maximumQueueDepth) this.maximumQueueDepth = depth;
  }

  countError(code: string): void {
    this.failed++;
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  summary(): ThumbnailStats {
    const g = this.#gauges;
    const stageSummaries = {} as Record<Stage, StageSummary>;
    for (const stage of stages) {
      const h = this.#histograms.get(stage)!;
      stageSummaries[stage] = {
        count: h.count,
        totalSeconds: h.sum,
        meanSeconds: h.count > 0 ? h.sum / h.count : null,
        p50Seconds: h.quantile(0.5),
        p95Seconds: h.quantile(0.95),
      };
    }
    return {
      instrumentation: this.instrumentation,
      requests: this.requests,
      deduplicated: this.deduplicated,
      rendered: this.rendered,
      failed: this.failed,
      cancelled: this.cancelled,
      bytesOut: this.bytesOut,
      memory: { hits: this.memoryHits, misses: this.memoryMisses, entries: g.memoryEntries(), bytes: g.memoryBytes() },
      disk: { hits: this.diskHits, misses: this.diskMisses, entries: g.diskEntries(), bytes: g.diskBytes() },
      queue: { depth: g.queueDepth(), maximumDepth: this.maximumQueueDepth },
      workers: { threads: g.threads(), utilization: g.utilization() },
      stages: stageSummaries,
      errors: Object.fromEntries(this.errors),
    };
  }

  /** Prometheus text exposition format (version 0.0.4). */
  toPrometheus(): string {
    const g = this.#gauges;
    const lines: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('romgfx_thumbnail_requests_total', 'counter', 'Thumbnail requests received.');
    lines.push(`romgfx_thumbnail_requests_total ${this.requests}`);
    family('romgfx_thumbnail_deduplicated_total', 'counter', 'Requests that joined an identical request in flight.');
    lines.push(`romgfx_thumbnail_deduplicated_total ${this.deduplicated}`);
    family('romgfx_thumbnail_rendered_total', 'counter', 'Thumbnails rendered by the worker pool.');
    lines.push(`romgfx_thumbnail_rendered_total ${this.rendered}`);
    family('romgfx_thumbnail_cancelled_total', 'counter', 'Requests cancelled through their AbortSignal.');
    lines.push(`romgfx_thumbnail_cancelled_total ${this.cancelled}`);
    family('romgfx_thumbnail_failures_total', 'counter', 'Failed requests by error code.');
    for (const [code, count] of this.errors) lines.push(`romgfx_thumbnail_failures_total{code="${code}"} ${count}`);
    family('romgfx_thumbnail_cache_hits_total', 'counter', 'Cache hits by level.');
    lines.push(`romgfx_thumbnail_cache_hits_total{level="memory"} ${this.memoryHits}`, `romgfx_thumbnail_cache_hits_total{level="disk"} ${this.diskHits}`);
    family('romgfx_thumbnail_cache_misses_total', 'counter', 'Cache misses by level.');
    lines.push(`romgfx_thumbnail_cache_misses_total{level="memory"} ${this.memoryMisses}`, `romgfx_thumbnail_cache_misses_total{level="disk"} ${this.diskMisses}`);
    family('romgfx_thumbnail_cache_entries', 'gauge', 'Entries held by level.');
    lines.push(`romgfx_thumbnail_cache_entries{level="memory"} ${g.memoryEntries()}`, `romgfx_thumbnail_cache_entries{level="disk"} ${g.diskEntries()}`);
    family('romgfx_thumbnail_cache_bytes', 'gauge', 'Bytes held by level.');
    lines.push(`romgfx_thumbnail_cache_bytes{level="memory"} ${g.memoryBytes()}`, `romgfx_thumbnail_cache_bytes{level="disk"} ${g.diskBytes()}`);
    family('romgfx_thumbnail_output_bytes_total', 'counter', 'Bytes of thumbnails returned to callers.');
    lines.push(`romgfx_thumbnail_output_bytes_total ${this.bytesOut}`);
    family('romgfx_thumbnail_queue_depth', 'gauge', 'Tasks waiting in the worker pool queue.');
    lines.push(`romgfx_thumbnail_queue_depth ${g.queueDepth()}`);
    family('romgfx_thumbnail_queue_depth_max', 'gauge', 'Largest queue depth seen.');
    lines.push(`romgfx_thumbnail_queue_depth_max ${this.maximumQueueDepth}`);
    family('romgfx_thumbnail_worker_threads', 'gauge', 'Worker threads in the pool.');
    lines.push(`romgfx_thumbnail_worker_threads ${g.threads()}`);
    family('romgfx_thumbnail_worker_utilization', 'gauge', 'Fraction of pool capacity spent running tasks (0..1).');
    lines.push(`romgfx_thumbnail_worker_utilization ${g.utilization()}`);
    family('romgfx_thumbnail_stage_seconds', 'histogram', 'Latency per stage in seconds.');
    for (const stage of stages) {
      const h = this.#histograms.get(stage)!;
      const cumulative = h.cumulative();
      h.bounds.forEach((bound, i) => lines.push(`romgfx_thumbnail_stage_seconds_bucket{stage="${stage}",le="${bound}"} ${cumulative[i]}`));
      lines.push(`romgfx_thumbnail_stage_seconds_bucket{stage="${stage}",le="+Inf"} ${h.count}`);
      lines.push(`romgfx_thumbnail_stage_seconds_sum{stage="${stage}"} ${h.sum}`);
      lines.push(`romgfx_thumbnail_stage_seconds_count{stage="${stage}"} ${h.count}`);
    }
    return lines.join('\n') + '\n';
  }
}
