/**
 * A worker's open ROMs: stats are taken at most every romRecheckIntervalInMs, and a file replaced
 * in between is still never misread (the request's SHA-1 decides; a mismatch looks again first).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildSnesRom } from '../../src/rom/build.js';
import { RomHandles } from '../../src/thumbs/rom-handles.js';
import { sha1Hex } from '../../src/util/hash.js';
import { tempDir } from '../helpers/cli.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe('RomHandles', () => {
  test('a ROM replaced right after it was looked at is read as the new file at once; the old identity is then a mismatch', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'game.sfc');
    const first = buildSnesRom({ filler: 'random', title: 'FIRST' });
    const second = buildSnesRom({ filler: 'random', title: 'SECOND' });
    writeFileSync(path, first);
    const handles = new RomHandles();
    const a = handles.get({ path, sha1: sha1Hex(first) });
    expect(a.identity().sha1).toBe(sha1Hex(first));
    // Replaced by rename (how editors and romgfx itself write files), well inside the recheck interval.
    writeFileSync(join(dir.path, 'next.sfc'), second);
    renameSync(join(dir.path, 'next.sfc'), path);
    const b = handles.get({ path, sha1: sha1Hex(second) });
    expect(b.identity().sha1).toBe(sha1Hex(second));
    expect(b.data[0x7fc0]).toBe(second[0x7fc0]);
    expect(() => handles.get({ path, sha1: sha1Hex(first) })).toThrow(expect.objectContaining({ code: 'ERR_ROM_CHANGED' }));
  });
});
