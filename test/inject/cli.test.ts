/**
 * The compiled CLI end to end (bin/romgfx.js → dist/; `npm test` builds first): extract-all →
 * inject-all unchanged → identical ROM; an edited PNG that grows → relocated, patch written,
 * checksum valid; --in-place with a backup; failures leave no output; per-item extract failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { decodeTiles } from '../../src/gfx/formats.js';
import { applyPatch } from '../../src/patch/index.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { readSpriteBlock, resolveSprites } from '../../src/inject/sprites.js';
import { buildInjectFixture, fixturePlatforms, noisyArt } from './fixtures.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-inject-cli-');
});
afterAll(() => dir.cleanup());

/** Rewrites the sheet PNG of a 16-tile sprite (16 tiles per row) with new tile-major indices, keeping its PLTE. */
function rewritePng(path: string, indices: Uint8Array): void {
  const decoded = decodePng(readFileSync(path));
  if (decoded.kind !== 'indexed') throw new Error('expected an indexed PNG');
  const pixels = new Uint8Array(decoded.width * decoded.height);
  const perRow = decoded.width / 8;
  for (let t = 0; t < indices.length / 64; t++) {
    for (let p = 0; p < 64; p++) pixels[(Math.floor(t / perRow) * 8 + (p >> 3)) * decoded.width + (t % perRow) * 8 + (p & 7)] = indices[t * 64 + p]!;
  }
  writeFileSync(path, encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels }, decoded.palette, { transparentIndex0: true }));
}

describe('extract-all → inject-all on every platform', () => {
  for (const platform of fixturePlatforms) {
    it(`${platform}: unchanged round trip is byte-identical; a grown sprite is relocated`, () => {
      const fixture = buildInjectFixture(platform);
      const base = join(dir.path, platform);
      const romPath = `${base}.rom`;
      const defsPath = `${base}.json`;
      writeFileSync(romPath, fixture.bytes);
      writeFileSync(defsPath, JSON.stringify(fixture.definitionJson));
      const out = `${base}-sprites`;
      const extract = runCli(['extract-all', romPath, '--defs', defsPath, '-o', out, '--json']);
      expect(extract.stderr).toBe('');
      expect(extract.code).toBe(0);
      const summary = JSON.parse(extract.stdout);
      expect(summary).toMatchObject({ total: fixture.sprites.length, succeeded: fixture.sprites.length, failed: 0 });
      const sidecar = JSON.parse(readFileSync(join(out, `${fixture.sprites[0]!.name}.json`), 'utf8'));
      expect(sidecar).toMatchObject({ sprite: fixture.sprites[0]!.name, offset: '0x' + fixture.sprites[0]!.offset.toString(16).toUpperCase(), codec: fixture.sprites[0]!.codec, tileCount: 16 });
      expect(sidecar.rom.sha1).toMatch(/^[0-9a-f]{40}$/u);

      const same = `${base}-same.rom`;
      const unchanged = runCli(['inject-all', romPath, out, '--defs', defsPath, '-o', same, '--json']);
      expect(unchanged.code, unchanged.stderr).toBe(0);
      expect(JSON.parse(unchanged.stdout).changed).toBe(false);
      expect(Buffer.compare(readFileSync(same), Buffer.from(fixture.bytes))).toBe(0);

      // Edit: the first (compressed) sprite becomes noise, which no longer fits its slot.
      const target = fixture.sprites[0]!;
      const bpp = platform === 'gb' || platform === 'nes' ? 2 : 4;
      const art = noisyArt(16, bpp, 7);
      rewritePng(join(out, `${target.name}.png`), art);
      const edited = `${base}-edited.rom`;
      const patch = `${base}.bps`;
      const run = runCli(['inject-all', romPath, out, '--defs', defsPath, '-o', edited, '--patch', patch, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout);
      const moved = result.sprites.find((s: { sprite: string }) => s.sprite === target.name);
      expect(moved.outcome).toBe('relocated');
      expect(result.sprites.filter((s: { outcome: string }) => s.outcome !== 'unchanged')).toHaveLength(1);
      const outRom = romFromBytes(readFileSync(edited));
      const sprite = resolveSprites(outRom, fixture.definition).find((s) => s.name === target.name)!;
      expect(sprite.offset).toBe(moved.newOffset);
      expect(decodeTiles(sprite.format, readSpriteBlock(outRom.data, sprite).data)).toEqual(art);
      const checks = outRom.checksums();
      if (checks) expect(checks.valid).toBe(true);
      // The patch turns the input into exactly the output.
      const applied = applyPatch(readFileSync(patch), readFileSync(romPath));
      expect(Buffer.compare(Buffer.from(applied.target), readFileSync(edited))).toBe(0);
      // The input was not touched.
      expect(Buffer.compare(readFileSync(romPath), Buffer.from(fixture.bytes))).toBe(0);
    });
  }
});

describe('inject (one sprite)', () => {
  it('--sprite/--defs, human output; --at mode for a raw block', () => {
    const fixture = buildInjectFixture('gba');
    const base = join(dir.path, 'single');
    writeFileSync(`${base}.gba`, fixture.bytes);
    writeFileSync(`${base}.json`, JSON.stringify(fixture.definitionJson));
    const out = `${base}-x`;
    expect(runCli(['extract-all', `${base}.gba`, '--defs', `${base}.json`, '-o', out]).code).toBe(0);
    const raw = fixture.sprites.find((s) => s.codec === 'none')!;
    const png = join(out, `${raw.name}.png`);
    const art = noisyArt(16, 4, 3);
    rewritePng(png, art);
    const viaDefs = runCli(['inject', `${base}.gba`, png, '--sprite', raw.name, '--defs', `${base}.json`, '-o', `${base}-a.gba`]);
    expect(viaDefs.code, viaDefs.stderr).toBe(0);
    expect(viaDefs.stdout).toMatch(/in place at 0x/u);
    expect(viaDefs.stdout).toMatch(/verified/u);
    const viaAt = runCli(['inject', `${base}.gba`, png, '--at', '0x' + raw.offset.toString(16), '--codec', 'none', '--format', 'gba4bpp', '-o', `${base}-b.gba`]);
    expect(viaAt.code, viaAt.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(`${base}-a.gba`), readFileSync(`${base}-b.gba`))).toBe(0);
    // Refuses to overwrite without --force; neither/both ways of naming the block are usage errors.
    const again = runCli(['inject', `${base}.gba`, png, '--sprite', raw.name, '--defs', `${base}.json`, '-o', `${base}-a.gba`]);
    expect(again.code, again.stderr).toBe(74);
    // The sidecar beside the PNG names the block: neither --sprite/--defs nor --at is needed (issue 18).
    const viaSidecar = runCli(['inject', `${base}.gba`, png, '-o', `${base}-c.gba`]);
    expect(viaSidecar.code, viaSidecar.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(`${base}-a.gba`), readFileSync(`${base}-c.gba`))).toBe(0);
    const lonePng = join(dir.path, 'lone.png');
    writeFileSync(lonePng, readFileSync(png));
    const lone = runCli(['inject', `${base}.gba`, lonePng, '-o', `${base}-e.gba`]);
    expect(lone.code).toBe(64);
    expect(lone.stderr).toContain('no sidecar JSON next to');
    // A raw block given with --at and no sidecar: its length must be given, never read off the image.
    const loneAt = runCli(['inject', `${base}.gba`, lonePng, '--at', '0x' + raw.offset.toString(16), '--codec', 'none', '--format', 'gba4bpp', '-o', `${base}-e.gba`]);
    expect(loneAt.code).toBe(64);
    expect(loneAt.stderr).toContain('--tiles');
    expect(runCli(['inject', `${base}.gba`, png, '--sprite', raw.name, '--defs', `${base}.json`]).code).toBe(64);
    // The input is never the output, even with --force; a patch name must say its format.
    const overInput = runCli(['inject', `${base}.gba`, png, '--sprite', raw.name, '--defs', `${base}.json`, '-o', `${base}.gba`, '--force', '--json']);
    expect(overInput.code).toBe(64);
    expect(JSON.parse(overInput.stdout).error.message).toMatch(/in-place/u);
    const badPatch = runCli(['inject', `${base}.gba`, png, '--sprite', raw.name, '--defs', `${base}.json`, '-o', `${base}-d.gba`, '--patch', `${base}.txt`]);
    expect(badPatch.code).toBe(64);
    expect(existsSync(`${base}-d.gba`)).toBe(false);
    expect(Buffer.compare(readFileSync(`${base}.gba`), Buffer.from(fixture.bytes))).toBe(0);
  }, 120_000);

  it('does not fit and cannot move: exit 65, ERR_DOES_NOT_FIT with both sizes, no output file', () => {
    const fixture = buildInjectFixture('snes-lorom', { noFreeSpace: true });
    const base = join(dir.path, 'nofit');
    writeFileSync(`${base}.sfc`, fixture.bytes);
    writeFileSync(`${base}.json`, JSON.stringify(fixture.definitionJson));
    const out = `${base}-x`;
    expect(runCli(['extract-all', `${base}.sfc`, '--defs', `${base}.json`, '-o', out]).code).toBe(0);
    const target = fixture.sprites[0]!;
    rewritePng(join(out, `${target.name}.png`), noisyArt(16, 4, 3));
    const run = runCli(['inject', `${base}.sfc`, join(out, `${target.name}.png`), '--sprite', target.name, '--defs', `${base}.json`, '-o', `${base}-out.sfc`, '--patch', `${base}.ips`, '--json']);
    expect(run.code).toBe(65);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('ERR_DOES_NOT_FIT');
    expect(error.details.slotSize).toBe(target.packedLength);
    expect(error.details.packedSize).toBeGreaterThan(target.packedLength);
    expect(existsSync(`${base}-out.sfc`)).toBe(false);
    expect(existsSync(`${base}.ips`)).toBe(false);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-tmp-'))).toEqual([]);
  });

  it('--in-place replaces the ROM only after verifying, keeping a timestamped backup', () => {
    const fixture = buildInjectFixture('md');
    const base = join(dir.path, 'inplace');
    writeFileSync(`${base}.md`, fixture.bytes);
    writeFileSync(`${base}.json`, JSON.stringify(fixture.definitionJson));
    const out = `${base}-x`;
    expect(runCli(['extract-all', `${base}.md`, '--defs', `${base}.json`, '-o', out]).code).toBe(0);
    const target = fixture.sprites[0]!;
    rewritePng(join(out, `${target.name}.png`), noisyArt(16, 4, 11));
    const run = runCli(['inject', `${base}.md`, join(out, `${target.name}.png`), '--sprite', target.name, '--defs', `${base}.json`, '--in-place', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.backupPath).toMatch(/inplace\.md\.\d{8}T\d{6}Z\.bak$/u);
    expect(Buffer.compare(readFileSync(result.backupPath), Buffer.from(fixture.bytes))).toBe(0);
    const now = romFromBytes(readFileSync(`${base}.md`));
    expect(now.checksums()!.valid).toBe(true);
    expect(Buffer.compare(readFileSync(`${base}.md`), Buffer.from(fixture.bytes))).not.toBe(0);
  });
});

describe('extract-all failures and malformed input', () => {
  it('a sprite that does not decode fails alone; exit code 1; the others are written', () => {
    const fixture = buildInjectFixture('snes-lorom');
    const json = structuredClone(fixture.definitionJson) as { sprites: Record<string, unknown>[] };
    // Random filler is not a HAL stream that decodes to 16 tiles' worth; claim one is there.
    json.sprites.push({ name: 'broken', offset: '0x20000', codec: 'hal', tileFormat: 'snes4bpp', tileCount: 4096 });
    const base = join(dir.path, 'partial');
    writeFileSync(`${base}.sfc`, fixture.bytes);
    writeFileSync(`${base}.json`, JSON.stringify(json));
    const run = runCli(['extract-all', `${base}.sfc`, '--defs', `${base}.json`, '-o', `${base}-x`, '--json']);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary.failed).toBe(1);
    expect(summary.succeeded).toBe(fixture.sprites.length);
    const broken = summary.items.find((i: { sprite: string }) => i.sprite === 'broken');
    expect(broken.ok).toBe(false);
    expect(broken.error.code).toMatch(/^ERR_/u);
    // The failure names the file it would have written (issue 18), in JSON and on its own stderr line.
    expect(broken.png).toBe(join(`${base}-x`, 'broken.png'));
    expect(existsSync(join(`${base}-x`, 'broken.png'))).toBe(false);
    const text = runCli(['extract-all', `${base}.sfc`, '--defs', `${base}.json`, '-o', `${base}-x`, '--force']);
    expect(text.stderr.split('\n').filter((l) => l.includes('sprite "broken"'))).toEqual([expect.stringContaining(`sprite "broken" (${join(`${base}-x`, 'broken.png')}): ERR_`)]);
  });

  it('a malformed definition is ERR_DEFINITION naming the field; a malformed sidecar is ERR_SIDECAR', () => {
    const fixture = buildInjectFixture('gb');
    const base = join(dir.path, 'malformed');
    writeFileSync(`${base}.gb`, fixture.bytes);
    const json = structuredClone(fixture.definitionJson) as { pointers: Record<string, unknown>[] };
    json.pointers[0]!.form = 'gba32';
    writeFileSync(`${base}.json`, JSON.stringify(json));
    const bad = runCli(['extract-all', `${base}.gb`, '--defs', `${base}.json`, '-o', `${base}-x`, '--json']);
    expect(bad.code).toBe(65);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'ERR_DEFINITION' });
    expect(JSON.parse(bad.stdout).error.message).toMatch(/\/pointers\/0\/form/u);
    expect(() => parseGameDefinition(json, 'x')).toThrow(/gba32/u);

    writeFileSync(`${base}.json`, JSON.stringify(fixture.definitionJson));
    expect(runCli(['extract-all', `${base}.gb`, '--defs', `${base}.json`, '-o', `${base}-x`]).code).toBe(0);
    const sidecarPath = join(`${base}-x`, `${fixture.sprites[0]!.name}.json`);
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8'));
    sidecar.image = '../../etc/passwd';
    writeFileSync(sidecarPath, JSON.stringify(sidecar));
    const run = runCli(['inject-all', `${base}.gb`, `${base}-x`, '--defs', `${base}.json`, '-o', `${base}-out.gb`, '--json']);
    expect(run.code).toBe(65);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'ERR_SIDECAR' });
    expect(existsSync(`${base}-out.gb`)).toBe(false);
  });
});
