/** extract-all through the public API: pool and in-process give the same files; sidecars; palettes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { extractAll, assignStems } from '../../src/inject/extract.js';
import { parseSidecar } from '../../src/inject/sidecar.js';
import { injectFolder } from '../../src/inject/inject.js';
import { decodePng } from '../../src/gfx/png.js';
import { decodeBgr555 } from '../../src/gfx/palette.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { SidecarError } from '../../src/errors.js';
import { buildInjectFixture } from './fixtures.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-extract-');
});
afterAll(() => dir.cleanup());

describe('extractAll', () => {
  it('the worker pool and the in-process path write the same files; progress reaches the total', async () => {
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 30, tileCount: 8 });
    const romPath = join(dir.path, 'many.sfc');
    writeFileSync(romPath, fixture.bytes);
    const seen: number[] = [];
    const pooled = await extractAll(romPath, fixture.definition, join(dir.path, 'pooled'), { threads: 2, onProgress: (done) => seen.push(done) });
    expect(pooled.mode).toBe('pool');
    expect(pooled.threads).toBe(2);
    expect(pooled).toMatchObject({ total: 60, succeeded: 60, failed: 0 });
    expect(seen.at(-1)).toBe(60);
    const single = await extractAll(romPath, fixture.definition, join(dir.path, 'single'), { threads: 0 });
    expect(single.mode).toBe('in-process');
    const files = readdirSync(join(dir.path, 'pooled')).sort();
    expect(files).toEqual(readdirSync(join(dir.path, 'single')).sort());
    expect(files).toHaveLength(120);
    for (const name of files) expect(readFileSync(join(dir.path, 'pooled', name)).equals(readFileSync(join(dir.path, 'single', name)))).toBe(true);
    // Existing files are not overwritten without force: every item fails, alone.
    const again = await extractAll(romPath, fixture.definition, join(dir.path, 'single'), { threads: 0 });
    expect(again.failed).toBe(60);
    expect(again.items[0]!.error!.code).toBe('ERR_OUTPUT_EXISTS');
  });

  it('sidecars say where the sprite is and how it is stored; PNGs are indexed with the ROM palette', async () => {
    const fixture = buildInjectFixture('snes-lorom');
    // A BGR555 palette in ROM for the first sprite.
    const bytes = fixture.bytes.slice();
    const paletteAt = 0x9000;
    for (let i = 0; i < 16; i++) {
      bytes[paletteAt + i * 2] = (i * 2) & 0xff;
      bytes[paletteAt + i * 2 + 1] = i;
    }
    const json = structuredClone(fixture.definitionJson) as { sprites: Record<string, unknown>[] };
    json.sprites[0]!.palette = { rom: '0x9000', count: 16 };
    const definition = parseGameDefinition(json, 'palette');
    const romPath = join(dir.path, 'palette.sfc');
    writeFileSync(romPath, bytes);
    const out = join(dir.path, 'palette-out');
    const result = await extractAll(romPath, definition, out, { threads: 0 });
    expect(result.failed).toBe(0);
    const first = fixture.sprites[0]!;
    const sidecar = parseSidecar(JSON.parse(readFileSync(join(out, `${first.name}.json`), 'utf8')), 'x');
    expect(sidecar).toMatchObject({ sprite: first.name, codec: 'hal', packedLength: first.packedLength, unpackedLength: 16 * 32, format: 'snes4bpp', tileCount: 16, busAddress: '$82:8000' });
    expect(sidecar.palette.source).toBe('rom');
    const png = decodePng(readFileSync(join(out, sidecar.image)));
    expect(png.kind).toBe('indexed');
    if (png.kind === 'indexed') {
      expect(png.palette.rgb).toEqual(decodeBgr555(bytes.subarray(paletteAt, paletteAt + 32), 16).rgb);
      expect(png.alpha[0]).toBe(0); // sprites: colour 0 transparent
      expect(png.width).toBe(128);
    }
    // The block arrangement (2x2 metatiles) of the "-1" sprites: 16 tiles are 4 metatiles of 16x16, in one row.
    const blockSidecar = parseSidecar(JSON.parse(readFileSync(join(out, 'hal-sprite-1.json'), 'utf8')), 'y');
    expect(blockSidecar.arrangement).toEqual({ kind: 'block', width: 2, height: 2 });
    const blockPng = decodePng(readFileSync(join(out, 'hal-sprite-1.png')));
    expect([blockPng.width, blockPng.height]).toEqual([64, 16]);
    // Unchanged folder → nothing to do.
    const unchanged = injectFolder(romPath, definition, out, { output: join(dir.path, 'palette-same.sfc') });
    expect(unchanged.changed).toBe(false);
    expect(unchanged.identityMismatches).toEqual([]);
  });

  it('file stems are safe and unique', () => {
    expect(assignStems(['a/b', 'a:b', 'A_B', '..', ''])).toEqual([
      { sprite: 'a/b', stem: 'a_b' },
      { sprite: 'a:b', stem: 'a_b-2' },
      { sprite: 'A_B', stem: 'A_B-3' },
      { sprite: '..', stem: '_' },
      { sprite: '', stem: 'sprite' },
    ]);
  });

  it('parseSidecar rejects what inject-all cannot trust', () => {
    const good = { schema: 'romgfx-sprite/1', sprite: 's', image: 's.png', offset: '0x10', codec: 'hal', format: 'snes4bpp', packedLength: 1, unpackedLength: 32, tileCount: 1, palette: { source: 'grayscale', colours: ['#000000'] }, rom: { crc32: '0', sha1: 'x' } };
    expect(parseSidecar(good, 'g').sprite).toBe('s');
    expect(() => parseSidecar({ ...good, schema: 'other' }, 'b')).toThrow(SidecarError);
    expect(() => parseSidecar({ ...good, image: '../x.png' }, 'b')).toThrow(/same folder/u);
    expect(() => parseSidecar({ ...good, tileCount: -1 }, 'b')).toThrow(/tileCount/u);
    expect(() => parseSidecar({ ...good, palette: { colours: ['red'] } }, 'b')).toThrow(/palette\/colours\/0/u);
    expect(() => parseSidecar([], 'b')).toThrow(SidecarError);
  });
});
