/**
 * Level 1: an in-process LRU of finished thumbnails, bounded in bytes (lru-cache `maxSize` with
 * a `sizeCalculation` that counts the encoded image plus a fixed per-entry overhead).
 */
import { LRUCache } from 'lru-cache';
import type { ThumbnailFormat } from './request.js';

/** Default bound of the memory level: 64 MiB holds ~30,000 typical 2 KiB thumbnails. */
export const defaultMemoryCacheSizeInBytes = 64 * 1024 * 1024;
/** What an entry costs beyond its image bytes (key string, object, map slot), estimated. */
export const memoryEntryOverheadInBytes = 256;

/** A finished thumbnail: the encoded image and its size. */
export interface CachedThumbnail {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly format: ThumbnailFormat;
}

export class MemoryCache {
  readonly #lru: LRUCache<string, CachedThumbnail>;

  constructor(maximumBytes: number = defaultMemoryCacheSizeInBytes) {
    this.#lru = new LRUCache<string, CachedThumbnail>({
      maxSize: maximumBytes,
      sizeCalculation: (value) => value.bytes.length + memoryEntryOverheadInBytes,
    });
  }

  get(key: string): CachedThumbnail | undefined {
    return this.#lru.get(key);
  }

  set(key: string, value: CachedThumbnail): void {
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
