import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallestReferenceSizes, vectorFolderByCodec } from '../../bench/codecs/vectors.js';

describe('bench/codecs: reference sizes from a vector README', () => {
  it('reads the per-tool table of a real README', () => {
    const sizes = smallestReferenceSizes(readFileSync(join(import.meta.dirname, '../../fixtures/codecs/lz4w/README.md'), 'utf8'));
    expect(sizes.get('tilelike_24k')).toBe(2244);
    expect(sizes.get('empty')).toBe(4);
    expect(sizes.size).toBe(8);
  });

  it('takes the smallest of several tools, skips the input-size column, accepts separators and backticks', () => {
    const readme = [
      '# X',
      '| input | bytes |',
      '|---|---:|',
      '| a | 5 |',
      '## Output sizes per tool (bytes)',
      '| input | input bytes | tool-a | tool-b |',
      '|---|---:|---:|---:|',
      '| big | 24,576 | `7,909` | 7,724 |',
      '| odd | 10 | n/a | 12 |',
      '| none | 10 | n/a | — |',
    ].join('\n');
    const sizes = smallestReferenceSizes(readme);
    expect(sizes.get('big')).toBe(7724);
    expect(sizes.get('odd')).toBe(12);
    expect(sizes.has('none')).toBe(false);
    expect(sizes.has('a')).toBe(false);
  });

  it('a README without a size table gives nothing (the bench prints —)', () => {
    expect(smallestReferenceSizes('# Vectors\n\nNo table here.\n').size).toBe(0);
    expect(smallestReferenceSizes('').size).toBe(0);
  });

  it('maps every codec name of the issue to its folder', () => {
    expect(vectorFolderByCodec['kosinski-moduled']).toBe('kosm');
    expect(vectorFolderByCodec['gen1-pic']).toBe('pic');
    expect(Object.keys(vectorFolderByCodec)).toHaveLength(13);
  });
});
