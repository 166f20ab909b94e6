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

export class MemoryCache {
  readonly #lru: LRUCache<MemoryKey, MemoryEntry>;

  constructor(maximumBytes: number = defaultMemoryCacheSizeInBytes) {
    this.#lru = new LRUCache<MemoryKey, MemoryEntry>({
      maxSize: maximumBytes,
      // Keys are numbers (memory-key.ts), or short text for out-of-range offsets (UTF-16: 2 bytes per character).
      sizeCalculation: (value, key) => value.bytes.length + (typeof key === 'string' ? key.length * 2 : 8) + memoryEntryOverheadInBytes,
    });
  }

  get(key: MemoryKey): MemoryEntry | undefined {
    return this.#lru.get(key);
  }

  set(key: MemoryKey, value: MemoryEntry): void {
    // lru-cache refuses (silently) an entry larger than maxSize: that thumbnail just is not kept.
    this.#lru.set(key, value);
  }

  clear(): void {
    this.#lru.clear();
  }

  get entries(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }
}
