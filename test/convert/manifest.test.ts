/**
 * Every run of fixtures/convert/manifest.json (SuperFamiconv 0.11.0 and rgbgfx v1.0.3 golden
 * outputs) reproduced byte for byte by the matching `like` mode; expected-error runs give a
 * typed error. Two documented exceptions (fixtures/convert/README.md): md_4pal (romgfx writes
 * Mega Drive hardware byte order; compared after swapping) and bpp8_200col (tiles and the set
 * of palettes; the tool's order of tied palettes is not a target).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { convertImage, reverseLikeRgbgfx, superFamiconvJson, tilesetImage, type ConvertOptions, type ConvertResult } from '../../src/convert/index.js';
import { RomgfxError } from '../../src/errors.js';
import { decodePng } from '../../src/gfx/png.js';
import { callFor, fixtureBytes, loadManifest, type ManifestRun } from './manifest-runs.js';

const runs = loadManifest();

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SuperFamiconv's md bytes (LE words, left pixel in the low nibble) from romgfx's hardware order. */
function toSfcMdWords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}
function toSfcMdTiles(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => ((b & 15) << 4) | (b >> 4));
}

function outputOf(result: ConvertResult, kind: string, run: ManifestRun): Uint8Array | undefined {
  const md = run.case === 'md_4pal';
  switch (kind) {
    case 'tiles':
      return md ? toSfcMdTiles(result.tiles) : result.tiles;
    case 'map':
      return md ? toSfcMdWords(result.map) : result.map;
    case 'pal':
      return md ? toSfcMdWords(result.palette) : result.palette;
    case 'attrmap':
      return result.attrmap;
    case 'palmap':
      return result.palmap;
    default:
      return undefined;
  }
}

function paletteSet(bytes: Uint8Array, perPalette: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += perPalette) out.push(Buffer.from(bytes.subarray(i, i + perPalette)).toString('hex'));
  return out.sort();
}

describe('convert: manifest runs, byte for byte', () => {
  const convertRuns = runs.filter((run) => callFor(run).kind === 'convert');
  it('covers every run of the manifest (conversions, tileset images, pipelines, reverses)', () => {
    expect(convertRuns.length).toBe(76);
    expect(runs.length).toBe(92);
  });
  for (const run of convertRuns) {
    const call = callFor(run);
    if (call.kind !== 'convert') continue;
    it(`${run.id} (${run.argv.slice(1).join(' ')})`, () => {
      const png = decodePng(fixtureBytes(call.input));
      if (run.expect === 'error') {
        expect(() => convertImage(png, call.options)).toThrow(RomgfxError);
        return;
      }
      const result = convertImage(png, call.options);
      for (const output of run.outputs) {
        const produced = outputOf(result, output.kind, run);
        expect(produced, `${output.kind} produced`).toBeDefined();
        if (run.case === 'bpp8_200col' && output.kind === 'pal') {
          expect(paletteSet(produced!, 512)).toEqual(paletteSet(fixtureBytes(output.path), 512));
          continue;
        }
        expect(sha(produced!), `${output.kind} of ${run.id}`).toBe(output.sha256);
      }
      if (run.tool === 'rgbgfx' && run.stderr.startsWith('warning:')) expect(result.warnings.join('\n') + '\n').toBe(run.stderr);
    });
  }
});

describe('convert: SuperFamiconv `tiles -n … -o` (tileset image), compared by decoded pixels', () => {
  const tilesetRuns = runs.filter((run) => callFor(run).kind === 'sfc-render-tiles');
  it('covers both runs', () => expect(tilesetRuns.length).toBe(2));
  for (const run of tilesetRuns) {
    const call = callFor(run);
    if (call.kind !== 'sfc-render-tiles') continue;
    it(run.id, () => {
      const bpp = Number(call.args.get('-B'));
      const { image, palette } = tilesetImage(call.target, bpp, fixtureBytes(call.args.get('-n') as string));
      const rgba = new Uint8Array(image.width * image.height * 4);
      image.pixels.forEach((p, i) => rgba.set([palette.rgb[p * 3]!, palette.rgb[p * 3 + 1]!, palette.rgb[p * 3 + 2]!, 255], i * 4));
      const decoded = run.outputs[0]!.decoded!;
      expect([image.width, image.height]).toEqual([decoded.width, decoded.height]);
      expect(sha(rgba)).toBe(decoded.rgba_sha256);
    });
  }
});

describe('convert: SuperFamiconv palette → tiles → map pipelines (sub-commands)', () => {
  const pipelineRuns = runs.filter((run) => ['sfc-palette', 'sfc-tiles', 'sfc-map'].includes(callFor(run).kind));
  it('covers the six pipeline steps', () => expect(pipelineRuns.length).toBe(6));
  for (const run of pipelineRuns) {
    const call = callFor(run);
    if (call.kind !== 'sfc-palette' && call.kind !== 'sfc-tiles' && call.kind !== 'sfc-map') continue;
    it(`${run.id} (${run.argv.slice(1).join(' ')})`, () => {
      // Every step re-derives the palettes of step 1 (-P sub-palettes of -C colours; -C
      // defaults to the mode's default depth, convert.md §1.10); tiles and map use -B.
      const step1 = callFor(runs.find((r) => r.id === run.id.replace(/step\d_\w+$/u, 'step1_palette'))!);
      if (step1.kind !== 'sfc-palette') throw new Error('no step 1');
      const colours = Number(step1.args.get('-C') ?? 16);
      const options: ConvertOptions = {
        target: call.target,
        like: 'superfamiconv',
        bpp: call.args.has('-B') ? Number(call.args.get('-B')) : colours <= 4 ? 2 : colours <= 16 ? 4 : 8,
        coloursPerPalette: colours,
        ...(step1.args.has('-P') ? { palettes: Number(step1.args.get('-P')) } : {}),
        ...(call.kind === 'sfc-map' ? { mapScreens: true } : {}),
      };
      const result = convertImage(decodePng(fixtureBytes(call.args.get('-i') as string)), options);
      const json = superFamiconvJson(result);
      for (const output of run.outputs) {
        const produced = output.kind === 'paljson' ? new TextEncoder().encode(json.palette) : output.kind === 'mapjson' ? new TextEncoder().encode(json.map) : outputOf(result, output.kind, run);
        expect(produced, output.kind).toBeDefined();
        expect(sha(produced!), `${output.kind} of ${run.id}`).toBe(output.sha256);
      }
    });
  }
});

describe('convert: rgbgfx -r (reverse), compared by decoded pixels', () => {
  const reverseRuns = runs.filter((run) => callFor(run).kind === 'rgbgfx-reverse');
  it('covers the eight reverse runs', () => expect(reverseRuns.length).toBe(8));
  for (const run of reverseRuns) {
    const call = callFor(run);
    if (call.kind !== 'rgbgfx-reverse') continue;
    it(`${run.id} (${run.argv.slice(1).join(' ')})`, () => {
      const file = (flag: string): Uint8Array | undefined => (call.args.has(flag) ? fixtureBytes(call.args.get(flag) as string) : undefined);
      const o = call.options;
      const image = reverseLikeRgbgfx({
        tiles: file('-o')!,
        bpp: o.bpp ?? 2,
        widthInTiles: call.widthInTiles,
        ...(file('-t') ? { tilemap: file('-t')! } : {}),
        ...(file('-a') ? { attrmap: file('-a')! } : {}),
        ...(file('-q') ? { palmap: file('-q')! } : {}),
        ...(file('-p') ? { palette: file('-p')! } : {}),
        ...(o.columnMajor ? { columnMajor: true } : {}),
        ...(o.bankBases ? { bankBases: o.bankBases } : {}),
        ...(o.tilesPerBank ? { tilesPerBank: o.tilesPerBank } : {}),
        ...(o.paletteBase ? { paletteBase: o.paletteBase } : {}),
      });
      const decoded = run.outputs[0]!.decoded!;
      expect([image.width, image.height]).toEqual([decoded.width, decoded.height]);
      expect(sha(image.rgba)).toBe(decoded.rgba_sha256);
    });
  }
});
