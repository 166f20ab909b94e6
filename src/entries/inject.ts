/**
 * `romgfx/inject`: extraction and injection in parts — the free-space allocator, compression at
 * the best level, injection plans (plan, apply, verify), folder injection, sidecars, sprite
 * resolution and palettes, definition checks against a ROM, and screen re-conversion
 * (docs/injection-safety.md). The package root exports `extractAll`, `injectSprites` and
 * `injectFolder`; `openGame` is the editor's way in.
 * @module romgfx/inject
 */
export * from '../inject/index.js';
export type { Range as AllocatorRange } from '../inject/allocator.js';
export type { PaletteContext } from '../inject/sprites.js';
