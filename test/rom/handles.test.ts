/**
 * ROM handles: the two open modes, close()/dispose, and files that change or shrink while
 * romgfx reads them. Truncating a mapped file used to kill the process with SIGBUS (exit 135);
 * the guard turns lost pages into zeros and the change into ERR_ROM_CHANGED.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RomChangedError, RomClosedError } from '../../src/errors.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { openRom } from '../../src/rom/rom.js';
import { defaultRomOpenMode, mappingGuardAvailable } from '../../src/rom/source.js';
import { scanRomReport } from '../../src/scan/scanner.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()!.cleanup();
});

function romFile(size = 512 * 1024): string {
  const dir = tempDir();
  temps.push(dir);
  const path = join(dir.path, 'game.sfc');
  writeFileSync(path, buildSnesRom({ size, filler: 'random' }));
  return path;
}

describe('openRom modes', () => {
  it('maps with the SIGBUS guard by default (both addons are built here), or reads into memory on request; both read the same ROM', () => {
    expect(mappingGuardAvailable()).toBe(true);
    expect(defaultRomOpenMode()).toBe('map');
    const path = romFile();
    const mapped = openRom(path);
    const memory = openRom(path, { mode: 'memory' });
    expect(mapped.source.mapped).toBe(true);
    expect(mapped.source.guarded).toBe(true);
    expect(memory.source.mapped).toBe(false);
    expect(memory.source.guarded).toBe(false);
    expect(memory.source.path).toBe(path);
    expect(memory.info()).toEqual(mapped.info());
    expect(() => openRom(path, { mode: 'disk' as never })).toThrow(/mode must be "map" or "memory"/);
  });

  it('close() lets go of the bytes: data and reads throw ERR_ROM_CLOSED; Symbol.dispose closes; closing twice is harmless', () => {
    const path = romFile();
    const rom = openRom(path);
    const kept = rom.read(0, 16);
    rom.close();
    expect(rom.closed).toBe(true);
    expect(() => rom.data).toThrow(RomClosedError);
    expect(() => rom.read(0, 16)).toThrow(RomClosedError);
    rom.close();
    // A view taken before close stays readable (the mapping lives while a view does).
    expect(kept.length).toBe(16);
    const disposable = openRom(path, { mode: 'memory' });
    disposable[Symbol.dispose]();
    expect(() => disposable.data).toThrow(RomClosedError);
  });

  it('changed() says how the file changed since it was opened, in either mode; assertUnchanged throws ERR_ROM_CHANGED', () => {
    for (const mode of ['map', 'memory'] as const) {
      const path = romFile();
      const rom = openRom(path, { mode });
      expect(rom.changed()).toBeNull();
      rom.assertUnchanged();
      appendFileSync(path, Uint8Array.of(1));
      expect(rom.changed()).toMatch(/size went from 524288 to 524289 bytes/);
      expect(() => rom.assertUnchanged()).toThrow(RomChangedError);
      try {
        rom.assertUnchanged();
      } catch (error) {
        expect((error as RomChangedError).code).toBe('ERR_ROM_CHANGED');
        expect((error as RomChangedError).category).toBe('io');
        expect((error as RomChangedError).details.path).toBe(path);
      }
    }
  });
});

describe('a ROM truncated under its mapping', () => {
  it('reads as zeros past the new end instead of killing the process, and reports the lost pages (child process)', () => {
    const path = romFile(1024 * 1024);
    // In a child process: before the guard, this script died with SIGBUS (status null, signal SIGBUS).
    const script = `
      import { truncateSync } from 'node:fs';
      const { openRom } = await import(${JSON.stringify(join(repoRoot, 'dist', 'src', 'rom', 'rom.js'))});
      const rom = openRom(${JSON.stringify(path)}, { mode: 'map' });
      const before = rom.data[900000];
      truncateSync(${JSON.stringify(path)}, 4096);
      let sum = 0;
      for (let i = 4096; i < rom.size; i += 512) sum += rom.data[i];
      let code = null;
      try { rom.assertUnchanged(); } catch (error) { code = error.code; }
      console.log(JSON.stringify({ guarded: rom.source.guarded, before, sum, change: rom.changed(), code }));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim()) as { guarded: boolean; sum: number; change: string; code: string };
    expect(result.guarded).toBe(true);
    expect(result.sum).toBe(0);
    expect(result.change).toMatch(/vanished while mapped: it was truncated/);
    expect(result.code).toBe('ERR_ROM_CHANGED');
  });

  it('a scan whose ROM is truncated mid-way stops with ERR_ROM_CHANGED, in this thread and with workers', async () => {
    for (const workers of [0, 2]) {
      const path = romFile(1024 * 1024);
      let truncated = false;
      const scan = scanRomReport(
        path,
        { workers, cache: false, codecs: ['hal', 'raw'] },
        {
          onProgress: ({ done }) => {
            if (done > 0 && !truncated) {
              truncated = true;
              truncateSync(path, 64 * 1024);
            }
          },
        },
      );
      await expect(scan).rejects.toMatchObject({ code: 'ERR_ROM_CHANGED' });
      expect(truncated).toBe(true);
    }
  });
});
