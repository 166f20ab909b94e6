/**
 * Code references (src/scan/references.ts): the operand shapes that say where a block starts, and
 * with a length, how long it is; and the ones that must not count (a copy's byte count, a block's
 * own bytes spelling an operand).
 */
import { describe, expect, test } from 'vitest';
import { blockReference, codeReferences, dataReference, hasReference, referenceAt } from '../../src/scan/references.js';
import { referencedPieces } from '../../src/scan/raw.js';

describe('GB references', () => {
  test('ld hl,src / ld de,VRAM / ld bc,count declares a block with its length; ld bc alone is a count, not a pointer', () => {
    const rom = new Uint8Array(0x8000);
    // ld hl,$0560; ld de,$8000; ld bc,$0110; call $4813
    rom.set([0x21, 0x60, 0x05, 0x11, 0x00, 0x80, 0x01, 0x10, 0x01, 0xcd, 0x13, 0x48], 0x1a0);
    // ld bc,$0260 (a length somewhere else)
    rom.set([0x01, 0x60, 0x02], 0x300);
    const index = codeReferences(rom, 'gb');
    const i = referenceAt(index, 0x560, blockReference, 0, 0);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(index.lengths[i]).toBe(0x110);
    expect(hasReference(index, 0x260, dataReference | blockReference, 0, 0)).toBe(false);
    // The call's target is code.
    expect(hasReference(index, 0x4813, dataReference, 0, 0)).toBe(false);
    // An operand inside the block itself does not count for it.
    expect(hasReference(index, 0x560, dataReference, 0x100, 0x200)).toBe(false);
  });

  test('a run is cut into the declared blocks, and a declared block inside a larger one is part of it', () => {
    const rom = new Uint8Array(0x8000);
    rom.set([0x21, 0x60, 0x05, 0x11, 0x00, 0x90, 0x01, 0x10, 0x01], 0x1a0); // 0x560+0x110
    rom.set([0x21, 0x70, 0x06, 0x11, 0x00, 0x8a, 0x01, 0x40, 0x00], 0x1b0); // 0x670+0x40
    rom.set([0x21, 0x80, 0x05, 0x11, 0x90, 0x90, 0x01, 0x10, 0x00], 0x1c0); // 0x580+0x10, inside the first
    const pieces = referencedPieces(codeReferences(rom, 'gb'), 0x590, 0x6b0, 16, rom.length);
    expect(pieces).toEqual([
      { start: 0x560, end: 0x670, declared: true },
      { start: 0x670, end: 0x6b0, declared: true },
    ]);
  });
});

describe('Mega Drive and SNES references', () => {
  test("an SGDK TileSet entry {0, numTile, tiles*} declares numTile × 32 bytes; a bare pointer only places a start", () => {
    const rom = new Uint8Array(0x40000);
    rom.set([0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x1c, 0xea], 0x11c02);
    rom.set([0x00, 0x02, 0x22, 0x6a], 0x5de4);
    const index = codeReferences(rom, 'md');
    const i = referenceAt(index, 0x21cea, blockReference, 0, 0);
    expect(index.lengths[i]).toBe(128);
    expect(hasReference(index, 0x2226a, dataReference, 0, 0)).toBe(true);
    expect(hasReference(index, 0x2226a, blockReference, 0, 0)).toBe(false);
  });

  test('a DMA source ($43n2) with its bank ($43n4) and count ($43n5) declares a block', () => {
    const rom = new Uint8Array(0x20000);
    // ldx #$8120; stx $4302; lda #$81; sta $4304; ldx #$2000; stx $4305
    rom.set([0xa2, 0x20, 0x81, 0x8e, 0x02, 0x43, 0xa9, 0x81, 0x8d, 0x04, 0x43, 0xa2, 0x00, 0x20, 0x8e, 0x05, 0x43], 0x20b);
    const index = codeReferences(rom, 'snes');
    const i = referenceAt(index, 0x8120, blockReference, 0, 0);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(index.lengths[i]).toBe(0x2000);
  });
});
