/**
 * Level 1: an in-process LRU of finished thumbnails, bounded in bytes (lru-cache `maxSize` with
 * a `sizeCalculation` that counts the encoded image plus a fixed per-entry overhead).
 */
import { LRUCache } from 'lru-cache';
import type { ThumbnailFormat } from './request.js';
import type { MemoryKey } from './memory-key.js';

/** Default bound of the memory level: 64 MiB holds ~30,000 typical 2 KiB thumbnails. */
export const defaultMemoryCacheSizeInBytes = 64 * 1024 * 1024;
/** What an entry costs beyond its image bytes (object, map slot, list links), estimated. */
export const memoryEntryOverheadInBytes = 256;

/** A finished thumbnail: the encoded image, its size, and its content address (the disk key). */
export interface CachedThumbnail {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly format: ThumbnailFormat;
}

/** What the memory level holds: the thumbnail and its disk key, so a memory hit needs no hashing. */
export interface MemoryEntry extends CachedThumbnail {
  readonly key: string;
}

/**
 * The PNGs of a worker batch share one buffer (protocol.ts answerMessage). An entry counts only
 * its own bytes, so once the entries still here hold less than this share of their shared
 * buffer, they are copied out and the buffer can go: the level never keeps more than twice the
 * bytes it counts (plus one batch).
 */
export const minimumLiveShareOfSharedBuffer = 0.5;

/** Recently rendered thumbnails in memory, bounded in bytes (least recently used first out): the first cache level. */
export class MemoryCache {
  readonly #lru: LRUCache<MemoryKey, MemoryEntry>;
  /** For each buffer entries view a part of: the keys of those entries. */
  readonly #shared = new Map<ArrayBufferLike, Set<MemoryKey>>();
  /** Shared buffers whose entries were copied out. */
  readonly #compacted = new WeakSet<ArrayBufferLike>();

  constructor(maximumBytes: number = defaultMemoryCacheSizeInBytes) {
    this.#lru = new LRUCache<MemoryKey, MemoryEntry>({
      maxSize: maximumBytes,
      // Keys are numbers (memory-key.ts), or short text for out-of-range offsets (UTF-16: 2 bytes per character).
      sizeCalculation: (value, key) => value.bytes.length + (typeof key === 'string' ? key.length * 2 : 8) + memoryEntryOverheadInBytes,
      // After lru-cache has finished the operation (eviction, replacement, delete, clear).
      disposeAfter: (value, key) => this.#released(value, key),
    });
  }

  get(key: MemoryKey): MemoryEntry | undefined {
    return this.#lru.get(key);
  }

  set(key: MemoryKey, value: MemoryEntry): void {
    const bytes = value.bytes;
    const shared = bytes.byteLength < bytes.buffer.byteLength;
    // A view of a buffer whose entries were already copied out (siblings evicted while this
    // batch was still being stored: a level smaller than a batch) gets its own copy at once.
    const stored = shared && this.#compacted.has(bytes.buffer) ? { ...value, bytes: bytes.slice() } : value;
    // lru-cache refuses (silently) an entry larger than maxSize: that thumbnail just is not kept.
    this.#lru.set(key, stored);
    if (stored !== value || !shared) return;
    if (this.#lru.peek(key) !== value) {
      // Refused: the rest of its buffer would be kept for the entries that fit. Copy them out.
      this.#compact(bytes.buffer);
      return;
    }
    if (this.#compacted.has(bytes.buffer)) {
      // Storing this entry evicted the siblings that made the buffer worth keeping.
      (value as { bytes: Uint8Array }).bytes = bytes.slice();
    } else {
      let keys = this.#shared.get(bytes.buffer);
      if (keys === undefined) this.#shared.set(bytes.buffer, (keys = new Set()));
      keys.add(key);
    }
  }

  clear(): void {
    this.#lru.clear();
  }

  /** Bytes of the shared buffers entries view (for tests: at most twice what those entries count). */
  get sharedBufferBytes(): number {
    let total = 0;
    for (const buffer of this.#shared.keys()) total += buffer.byteLength;
    return total;
  }

  /** An entry left: when its shared buffer's remaining entries hold too little of it, they get their own copies. */
  #released(value: MemoryEntry, key: MemoryKey): void {
    const buffer = value.bytes.buffer;
    const keys = this.#shared.get(buffer);
    if (keys === undefined || !keys.delete(key)) return;
    if (keys.size === 0) {
      // A sibling still to be stored (this batch is still going in) must not revive the buffer.
      this.#shared.delete(buffer);
      this.#compacted.add(buffer);
      return;
    }
    let live = 0;
    for (const k of keys) live += this.#lru.peek(k)?.bytes.byteLength ?? 0;
    if (live < minimumLiveShareOfSharedBuffer * buffer.byteLength) this.#compact(buffer);
  }

  /** Gives every entry that views `buffer` its own copy (in place), and every later one too. */
  #compact(buffer: ArrayBufferLike): void {
    this.#compacted.add(buffer);
    const keys = this.#shared.get(buffer);
    if (keys === undefined) return;
    this.#shared.delete(buffer);
    for (const k of keys) {
      const entry = this.#lru.peek(k);
      // In place: the entry keeps its place in the LRU order and its counted size.
      if (entry !== undefined && entry.bytes.buffer === buffer) (entry as { bytes: Uint8Array }).bytes = entry.bytes.slice();
    }
  }

  get entries(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }
}
