/**
 * The server's own Prometheus metrics (requests and latency per route, thumbnail outcomes,
 * process memory), written next to ThumbnailService's (cache, pool, stages) on `/metrics`.
 * Exposition format: https://prometheus.io/docs/instrumenting/exposition_formats/
 */

/** Latency histogram bucket bounds, in seconds (sub-millisecond cache hits to multi-second renders). */
export const requestLatencyBucketsInSeconds: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** Thumbnail answers by where they came from. */
export type ThumbnailOutcome = 'memory' | 'disk' | 'render' | 'not_modified' | 'error';

/** Counters the server keeps; `text()` renders them. */
export class ServeMetrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #thumbnails = new Map<ThumbnailOutcome, number>();
  /** Thumbnail requests waiting on the cache or the pool right now. */
  thumbnailsInFlight = 0;

  /** Counts one answered request and its latency. */
  observe(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\0${method}\0${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let histogram = this.#latency.get(route);
    if (!histogram) {
      histogram = { counts: new Float64Array(requestLatencyBucketsInSeconds.length), sum: 0, count: 0 };
      this.#latency.set(route, histogram);
    }
    for (let i = 0; i < requestLatencyBucketsInSeconds.length; i++) if (seconds <= requestLatencyBucketsInSeconds[i]!) histogram.counts[i]!++;
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Counts one thumbnail answer. */
  thumbnail(outcome: ThumbnailOutcome): void {
    this.#thumbnails.set(outcome, (this.#thumbnails.get(outcome) ?? 0) + 1);
  }

  /** Requests answered so far, all routes. */
  get totalRequests(): number {
    let total = 0;
    for (const n of this.#requests.values()) total += n;
    return total;
  }

  /** Prometheus text for the server's metrics. */
  text(): string {
    const lines: string[] = [];
    lines.push('# HELP romgfx_http_requests_total HTTP requests answered, by route pattern, method and status.');
    lines.push('# TYPE romgfx_http_requests_total counter');
    for (const [key, n] of this.#requests) {
      const [route, method, status] = key.split('\0');
      lines.push(`romgfx_http_requests_total{route="${escapeLabel(route!)}",method="${method}",status="${status}"} ${n}`);
    }
    lines.push('# HELP romgfx_http_request_duration_seconds Time from request to the last byte handed to the socket, by route pattern.');
    lines.push('# TYPE romgfx_http_request_duration_seconds histogram');
    for (const [route, h] of this.#latency) {
      const label = escapeLabel(route);
      requestLatencyBucketsInSeconds.forEach((bound, i) => lines.push(`romgfx_http_request_duration_seconds_bucket{route="${label}",le="${bound}"} ${h.counts[i]}`));
      lines.push(`romgfx_http_request_duration_seconds_bucket{route="${label}",le="+Inf"} ${h.count}`);
      lines.push(`romgfx_http_request_duration_seconds_sum{route="${label}"} ${h.sum}`);
      lines.push(`romgfx_http_request_duration_seconds_count{route="${label}"} ${h.count}`);
    }
    lines.push('# HELP romgfx_http_thumbnail_requests_total Thumbnail requests over HTTP by outcome (memory, disk, render, not_modified, error).');
    lines.push('# TYPE romgfx_http_thumbnail_requests_total counter');
    for (const outcome of ['memory', 'disk', 'render', 'not_modified', 'error'] as const) {
      lines.push(`romgfx_http_thumbnail_requests_total{outcome="${outcome}"} ${this.#thumbnails.get(outcome) ?? 0}`);
    }
    lines.push('# HELP romgfx_http_thumbnails_in_flight Thumbnail requests waiting on the cache or the pool.');
    lines.push('# TYPE romgfx_http_thumbnails_in_flight gauge');
    lines.push(`romgfx_http_thumbnails_in_flight ${this.thumbnailsInFlight}`);
    const memory = process.memoryUsage();
    lines.push('# HELP romgfx_process_resident_memory_bytes Resident set size of the server process.');
    lines.push('# TYPE romgfx_process_resident_memory_bytes gauge');
    lines.push(`romgfx_process_resident_memory_bytes ${memory.rss}`);
    lines.push('# HELP romgfx_process_heap_used_bytes V8 heap in use.');
    lines.push('# TYPE romgfx_process_heap_used_bytes gauge');
    lines.push(`romgfx_process_heap_used_bytes ${memory.heapUsed}`);
    lines.push('# HELP romgfx_process_external_memory_bytes Memory outside the V8 heap (buffers, mapped ROMs excluded).');
    lines.push('# TYPE romgfx_process_external_memory_bytes gauge');
    lines.push(`romgfx_process_external_memory_bytes ${memory.external}`);
    return lines.join('\n') + '\n';
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/gu, '\\\\').replace(/"/gu, '\\"').replace(/\n/gu, '\\n');
}
