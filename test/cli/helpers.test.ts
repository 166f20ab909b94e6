/** The CLI's small helpers: edit-distance suggestions, progress text, human sizes, batch output names. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closestName, didYouMean, editDistance } from '../../src/util/suggest.js';
import { formatDuration, progressLine } from '../../src/cli/progress.js';
import { formatSize } from '../../src/cli/format.js';
import { outputFor } from '../../src/cli/batch.js';

describe('suggestions', () => {
  it('edit distance counts inserts, deletes, substitutions and swaps, without case', () => {
    expect(editDistance('hal', 'HAL')).toBe(0);
    expect(editDistance('snes4pp', 'snes4bpp')).toBe(1);
    expect(editDistance('lz77', 'lz7')).toBe(1);
    expect(editDistance('hla', 'hal')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('is a metric on name-like strings (symmetric, zero only for equal, triangle inequality)', () => {
    const name = fc.stringMatching(/^[a-z0-9-]{0,10}$/u);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c) + 1);
      }),
    );
  });

  it('suggests only close names, or a unique prefix', () => {
    const formats = ['snes4bpp', 'snes2bpp', 'gb2bpp', 'gba4bpp'];
    expect(closestName('snes4pp', formats)).toBe('snes4bpp');
    expect(closestName('gb', formats)).toBeUndefined(); // two names start with gb
    expect(closestName('gba', formats)).toBe('gba4bpp');
    expect(closestName('zzzzzz', formats)).toBeUndefined();
    expect(didYouMean('hla', ['hal', 'lz77'])).toBe('; did you mean "hal"?');
  });
});

describe('progress text', () => {
  it('shows percentage and count at once, then rate and time left', () => {
    expect(progressLine('scan', 0, 200, 0)).toContain('  0% 0/200');
    const line = progressLine('scan', 50, 200, 1000);
    expect(line).toContain(' 25% 50/200 50/s, 0:03 left');
    expect(progressLine('scan', 200, 200, 4000)).not.toContain('left');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('sizes and batch names', () => {
  it('formats sizes for people, keeping exact bytes when not whole', () => {
    expect(formatSize(79)).toBe('79 bytes');
    expect(formatSize(16384)).toBe('16 KiB');
    expect(formatSize(2508)).toBe('2.4 KiB (2508 bytes)');
    expect(formatSize(3 * 1024 * 1024)).toBe('3 MiB');
  });

  it('names outputs from -o: pattern, folder, or the file itself', () => {
    expect(outputFor('art/hero.png', 'out/{stem}.4bpp', 2, '.bin')).toBe('out/hero.4bpp');
    expect(outputFor('art/hero.png', 'out/{name}.bin', 1, '.bin')).toBe('out/hero.png.bin');
    expect(outputFor('art/hero.png', 'out', 2, '.bin')).toBe('out/hero.bin');
    expect(outputFor('art/hero.png', 'out/', 1, '.bin')).toBe('out/hero.bin');
    expect(outputFor('art/hero.png', 'hero.bin', 1, '.bin')).toBe('hero.bin');
    expect(outputFor('hero.bin', 'packed', 2, '.hal', 'name')).toBe('packed/hero.bin.hal');
  });
});
