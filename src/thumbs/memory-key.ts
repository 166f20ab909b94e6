/**
 * The memory level's key: a number for "this block offset in this variant", where a variant is
 * everything else that decides a thumbnail's bytes (ROM identity, format, tiles, codec,
 * arrangement, palette, output). A batch of thumbnails is one variant at many offsets, so the
 * variant is recognised by comparing fields with those of the last few variants, and the key
 * needs no text at all. Building and hashing the ~270-character canonical text on every memory hit was
 * most of a hit's cost (1.4 of ~2.5 µs, measured here); the canonical text and its SHA-256 (the
 * disk key) are now made only on a memory miss.
 *
 * Variant ids are never reused within a process, so a render that finishes after the table was
 * emptied can never file its image under another variant's key.
 */
import { canonicalRequest, sameVariant, type NormalizedRequest } from './request.js';

/** Distinct variants remembered before the table is emptied (their cached images simply age out of the LRU). */
export const maximumRememberedVariants = 4096;
/** Block offsets below this share a number key with their variant id (2^32: any ROM offset). */
const offsetsPerVariant = 2 ** 32;
/** Variant ids below this make number keys below 2^53, so every such key is an exact integer. */
const maximumNumberKeyedVariants = 2 ** 21;

/** A memory-level key: a number for every real request; text for the out-of-range rest, which can never equal a number. */
export type MemoryKey = number | string;

/**
 * Recent variants compared field by field before the text table is consulted: a batch often
 * interleaves a few (raw and compressed blocks of one sheet; bench/thumbs alternates two, and
 * with one remembered, half its hits built the variant text).
 */
const recentVariantsCompared = 4;

export class MemoryKeys {
  readonly #variants = new Map<string, number>();
  #nextId = 0;
  /** The last few variants seen (a request standing for each) and their ids; a ring. */
  readonly #recent: (NormalizedRequest | null)[] = new Array<NormalizedRequest | null>(recentVariantsCompared).fill(null);
  readonly #recentIds = new Float64Array(recentVariantsCompared);
  #recentNext = 0;

  /** The key of a normalized request: equal exactly when the canonical texts are equal (while the variant is remembered). */
  keyOf(request: NormalizedRequest): MemoryKey {
    let id = -1;
    for (let i = 0; i < recentVariantsCompared; i++) {
      const known = this.#recent[i];
      if (known != null && sameVariant(request, known)) {
        id = this.#recentIds[i]!;
        break;
      }
    }
    if (id < 0) {
      id = this.#intern(request);
      this.#recent[this.#recentNext] = request;
      this.#recentIds[this.#recentNext] = id;
      this.#recentNext = (this.#recentNext + 1) % recentVariantsCompared;
    }
    const offset = request.block.offset;
    return id < maximumNumberKeyedVariants && offset < offsetsPerVariant ? id * offsetsPerVariant + offset : `${id}:${offset}`;
  }

  #intern(request: NormalizedRequest): number {
    // The variant's text is the canonical text with the offset left out (set to 0).
    const text = canonicalRequest({ ...request, block: { ...request.block, offset: 0 } });
    const known = this.#variants.get(text);
    if (known !== undefined) return known;
    if (this.#variants.size >= maximumRememberedVariants) this.#variants.clear();
    const id = this.#nextId++;
    this.#variants.set(text, id);
    return id;
  }
}
