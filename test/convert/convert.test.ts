/**
 * romgfx's own convert mode: renders back to the input, never needs more sub-palettes than the
 * tools, flips are real, round trips are identities, and images that cannot fit fail with typed
 * errors naming the tile. Property tests build tile-like images: a few base tiles of few
 * colours each, placed repeatedly and mirrored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertImage, reconvertScreen, reverseConvert, type ConvertResult, type ConvertTarget, type RgbaImage } from '../../src/convert/index.js';
import { ColourNotRepresentableError, ImageSizeError, PaletteCountError, TileColourCountError, TileCountError } from '../../src/errors.js';
import { decodePng } from '../../src/gfx/png.js';
import { callFor, fixtureBytes, loadManifest } from './manifest-runs.js';

const expand5 = (c: number): number => (c << 3) | (c >> 2);

interface Scene {
  columns: number;
  rows: number;
  /** Base tiles: 64 colour numbers each (indices into `colours`). */
  bases: number[][];
  colours: number[];
  cells: { base: number; orientation: number }[];
}

/** Colours exactly representable in BGR555 (so reduction is lossless). */
const colourArb = fc.tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 })).map(([r, g, b]) => (expand5(r) << 16) | (expand5(g) << 8) | expand5(b));

function sceneArb(maxColoursPerTile: number): fc.Arbitrary<Scene> {
  return fc
    .record({
      columns: fc.integer({ min: 1, max: 6 }),
      rows: fc.integer({ min: 1, max: 4 }),
      colours: fc.uniqueArray(colourArb, { minLength: 2, maxLength: 12 }),
      baseCount: fc.integer({ min: 1, max: 5 }),
      seed: fc.integer(),
    })
    .chain(({ columns, rows, colours, baseCount }) =>
      fc.record({
        columns: fc.constant(columns),
        rows: fc.constant(rows),
        colours: fc.constant(colours),
        bases: fc.array(
          fc.uniqueArray(fc.integer({ min: 0, max: colours.length - 1 }), { minLength: 1, maxLength: maxColoursPerTile }).chain((pool) => fc.array(fc.constantFrom(...pool), { minLength: 64, maxLength: 64 })),
          { minLength: baseCount, maxLength: baseCount },
        ),
        cells: fc.array(fc.record({ base: fc.integer({ min: 0, max: baseCount - 1 }), orientation: fc.integer({ min: 0, max: 3 }) }), { minLength: columns * rows, maxLength: columns * rows }),
      }),
    );
}

function render(scene: Scene): RgbaImage {
  const width = scene.columns * 8;
  const height = scene.rows * 8;
  const rgba = new Uint8Array(width * height * 4);
  scene.cells.forEach((cell, i) => {
    const cx = (i % scene.columns) * 8;
    const cy = Math.floor(i / scene.columns) * 8;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const sx = cell.orientation & 1 ? 7 - x : x;
        const sy = cell.orientation & 2 ? 7 - y : y;
        const colour = scene.colours[scene.bases[cell.base]![sy * 8 + sx]!]!;
        const o = ((cy + y) * width + cx + x) * 4;
        rgba.set([colour >> 16, (colour >> 8) & 0xff, colour & 0xff, 255], o);
      }
    }
  });
  return { width, height, rgba };
}

function reversedRgba(result: ConvertResult): RgbaImage {
  const { image, palette } = reverseConvert({ target: result.target, bpp: result.bpp, mapFormat: result.mapFormat, tiles: result.tiles, map: result.map, palette: result.palette, attrmap: result.attrmap, widthInTiles: result.mapWidth });
  const rgba = new Uint8Array(image.width * image.height * 4);
  image.pixels.forEach((p, i) => rgba.set([palette.rgb[p * 3]!, palette.rgb[p * 3 + 1]!, palette.rgb[p * 3 + 2]!, 255], i * 4));
  return { width: image.width, height: image.height, rgba };
}

const targets: { target: ConvertTarget; colours: number }[] = [
  { target: 'snes', colours: 15 },
  { target: 'gba', colours: 15 },
  { target: 'gbc', colours: 4 },
];

describe('convert (romgfx mode): properties over tile-like images', () => {
  for (const { target, colours } of targets) {
    it(`${target}: renders back to the input pixels; convert → reverse → convert is the identity on bytes`, () => {
      fc.assert(
        fc.property(sceneArb(Math.min(colours, 4)), (scene) => {
          const image = render(scene);
          let result: ConvertResult;
          try {
            result = convertImage(image, { target });
          } catch (error) {
            // Only "does not fit the target" is an acceptable refusal here.
            expect(error).toBeInstanceOf(PaletteCountError);
            return;
          }
          const back = reversedRgba(result);
          expect(Buffer.from(back.rgba).equals(Buffer.from(image.rgba))).toBe(true);
          const again = convertImage(back, { target });
          expect(Buffer.from(again.tiles).equals(Buffer.from(result.tiles))).toBe(true);
          expect(Buffer.from(again.map).equals(Buffer.from(result.map))).toBe(true);
          expect(Buffer.from(again.palette).equals(Buffer.from(result.palette))).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('snes: never more sub-palettes than SuperFamiconv mode, and flips found are real', () => {
    fc.assert(
      fc.property(sceneArb(4), (scene) => {
        const image = render(scene);
        let tool: ConvertResult | undefined;
        try {
          tool = convertImage(image, { target: 'snes', bpp: 2, like: 'superfamiconv' });
        } catch {
          tool = undefined;
        }
        let ours: ConvertResult;
        try {
          ours = convertImage(image, { target: 'snes', bpp: 2 });
        } catch (error) {
          expect(tool, 'romgfx refused an image SuperFamiconv packed').toBeUndefined();
          expect(error instanceof PaletteCountError || error instanceof TileColourCountError).toBe(true);
          return;
        }
        if (tool) expect(ours.paletteCount).toBeLessThanOrEqual(tool.paletteCount);
        // Each flipped cell equals its stored tile mirrored: compare the reversed pixels cell by cell.
        const back = reversedRgba(ours);
        for (const cell of ours.flippedCells) {
          expect(cell.hflip || cell.vflip).toBe(true);
          for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++) {
              const o = ((cell.y * 8 + y) * image.width + cell.x * 8 + x) * 4;
              expect(back.rgba.subarray(o, o + 4)).toEqual(image.rgba.subarray(o, o + 4));
            }
          }
          const tile = ours.tileIndices.subarray(cell.tile * 64, cell.tile * 64 + 64);
          const palette = ours.palettes[ours.tilePalettes[cell.tile]!]!;
          void palette;
          const mirrored = new Uint8Array(64);
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) mirrored[y * 8 + x] = tile[(cell.vflip ? 7 - y : y) * 8 + (cell.hflip ? 7 - x : x)]!;
          expect(Buffer.from(mirrored).equals(Buffer.from(tile)) && !(cell.hflip && cell.vflip)).toBe(false);
        }
        // Identical and mirrored copies are stored once.
        expect(ours.tileCount).toBeLessThanOrEqual(new Set(scene.cells.map((c) => c.base)).size);
      }),
      { numRuns: 80 },
    );
  });
});

describe('convert (romgfx mode): the golden vectors', () => {
  const runs = loadManifest().filter((run) => run.expect === 'ok' && run.outputs.some((o) => o.kind === 'pal'));
  const countFor = new Map<string, number>();
  for (const run of runs) {
    const call = callFor(run);
    if (call.kind !== 'convert') continue;
    const pal = run.outputs.find((o) => o.kind === 'pal')!;
    const perPalette = run.tool === 'rgbgfx' ? 2 * (call.options.coloursPerPalette ?? 1 << (call.options.bpp ?? 2)) : 2 * (1 << (call.options.bpp ?? (call.options.target === 'snes' || call.options.target === 'gba' || call.options.target === 'md' ? (call.options.target === 'gba' && call.options.bpp === 8 ? 8 : 4) : 2)));
    const key = `${run.case}|${call.options.target}|${call.options.bpp ?? ''}|${call.options.coloursPerPalette ?? ''}`;
    const count = Math.ceil(pal.bytes / perPalette);
    countFor.set(key, Math.min(countFor.get(key) ?? Infinity, count));
  }
  it('needs no more sub-palettes than the tools on any vector', () => {
    let compared = 0;
    for (const [key, toolCount] of countFor) {
      const [name, target, bpp, cpp] = key.split('|');
      // rgbgfx -d 1 is not a depth CGB backgrounds have.
      if (bpp === '1') continue;
      const png = decodePng(fixtureBytes(`inputs/${name}.png`));
      let ours: ConvertResult;
      try {
        ours = convertImage(png, { target: target as ConvertTarget, ...(bpp ? { bpp: Number(bpp) } : {}), ...(cpp ? { coloursPerPalette: Number(cpp) } : {}) });
      } catch (error) {
        // The tools pad partial tiles (20x16); romgfx refuses them. rgbgfx -n 32 allows more
        // palettes than the hardware's 8: romgfx refuses those too.
        if (toolCount > 8) expect(error).toBeInstanceOf(PaletteCountError);
        else expect(error).toBeInstanceOf(ImageSizeError);
        continue;
      }
      expect(ours.paletteCount, key).toBeLessThanOrEqual(toolCount);
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });
});

describe('convert (romgfx mode): images that cannot fit', () => {
  const solid = (width: number, height: number, colourAt: (x: number, y: number) => number): RgbaImage => {
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const c = colourAt(x, y);
      rgba.set([c >> 16, (c >> 8) & 0xff, c & 0xff, 255], (y * width + x) * 4);
    }
    return { width, height, rgba };
  };
  it('a tile with too many colours names the tile and its colours', () => {
    const image = solid(16, 8, (x, y) => (x >= 8 ? (expand5(x) << 16) | (expand5(y) << 8) : 0));
    const error = (() => {
      try {
        convertImage(image, { target: 'gbc' });
      } catch (e) {
        return e;
      }
    })() as TileColourCountError;
    expect(error).toBeInstanceOf(TileColourCountError);
    expect(error.details).toMatchObject({ x: 8, y: 0 });
    expect((error.details.colours as string[]).length).toBeGreaterThan(4);
    expect(error.message).toContain('(8, 0)');
  });
  it('too many sub-palettes names a tile', () => {
    // 9 tiles, each with 4 colours no other tile has: GBC has 8 palettes.
    const image = solid(72, 8, (x, y) => (expand5(Math.floor(x / 8) * 3 + ((x + y) & 3)) << 16) | 0x0808);
    expect(() => convertImage(image, { target: 'gbc' })).toThrow(PaletteCountError);
  });
  it('more tiles than the map index holds names the first tile past the limit', () => {
    // Tile t shows t in binary: bits 0-7 in row 0, bit 8 in row 1; 257 distinct tiles.
    const image = solid(8 * 257, 8, (x, y) => {
      const t = Math.floor(x / 8);
      const bit = y === 0 ? (t >> (x & 7)) & 1 : y === 1 && (x & 7) === 0 ? t >> 8 : 0;
      return bit ? 0xffffff : 0;
    });
    expect(() => convertImage(image, { target: 'gb' })).toThrow(TileCountError);
    try {
      convertImage(image, { target: 'gb' });
    } catch (error) {
      expect((error as TileCountError).details).toMatchObject({ x: 256 * 8, y: 0, tile: 256 });
    }
  });
  it('refuses an image that is not whole tiles', () => {
    expect(() => convertImage(solid(20, 16, () => 0), { target: 'snes' })).toThrow(ImageSizeError);
  });
  it('refuses NES colours outside the master palette instead of quantising', () => {
    expect(() => convertImage(solid(8, 8, () => 0x123456), { target: 'nes' })).toThrow(ColourNotRepresentableError);
  });
});

describe('reconvertScreen (for screen injection)', () => {
  it('keeps the original tile numbers of tiles the edited screen still uses', () => {
    const png = decodePng(fixtureBytes('inputs/snes4_2pal.png'));
    const original = convertImage(png, { target: 'snes' });
    // Reversed so tile order differs: the same screen converted with tiles in another order.
    const edited = { ...png } as typeof png;
    const result = reconvertScreen(edited, { tiles: original.tiles }, { target: 'snes' });
    expect(Buffer.from(result.tiles.subarray(0, original.tiles.length)).equals(Buffer.from(original.tiles))).toBe(true);
    expect(Buffer.from(result.map).equals(Buffer.from(original.map))).toBe(true);
    // An edited cell: its new tile goes into a free number or after the end; the rest stays.
    const rgba = png.kind === 'rgba' ? Uint8Array.from(png.rgba) : undefined;
    if (rgba) {
      rgba.set([255, 0, 255, 255], 0);
      const changed = reconvertScreen({ width: png.width, height: png.height, rgba }, { tiles: original.tiles, map: original.map, palette: original.palette }, { target: 'snes' });
      expect(changed.tileCount).toBeGreaterThanOrEqual(original.tileCount);
    }
  });
});

describe('convert (romgfx mode): every target round-trips through reverse', () => {
  const cases: { target: ConvertTarget; input: string }[] = [
    { target: 'md', input: 'md_4pal' },
    { target: 'pce', input: 'snes4_4pal_rgb' },
    { target: 'gb', input: 'dmg_gray' },
    { target: 'gbc', input: 'gbc_transparent' },
    { target: 'snes', input: 'snes4_8pal' },
  ];
  for (const { target, input } of cases) {
    it(`${target} (${input}): convert → reverse → convert gives the same bytes`, () => {
      const png = decodePng(fixtureBytes(`inputs/${input}.png`));
      const first = convertImage(png, { target });
      const back = reversedRgba(first);
      if (first.transparentColourZero) {
        // Colour 0 of every sub-palette is transparent: say so in the image, as a PNG's tRNS would.
        const { image } = reverseConvert({ target, bpp: first.bpp, mapFormat: first.mapFormat, tiles: first.tiles, map: first.map, palette: first.palette, attrmap: first.attrmap, widthInTiles: first.mapWidth });
        image.pixels.forEach((p, i) => {
          if (p % first.coloursPerPalette === 0) back.rgba[i * 4 + 3] = 0;
        });
      }
      const second = convertImage(back, { target });
      expect(Buffer.from(second.tiles).equals(Buffer.from(first.tiles))).toBe(true);
      expect(Buffer.from(second.map).equals(Buffer.from(first.map))).toBe(true);
      expect(Buffer.from(second.palette).equals(Buffer.from(first.palette))).toBe(true);
      if (first.attrmap) expect(Buffer.from(second.attrmap!).equals(Buffer.from(first.attrmap))).toBe(true);
    });
  }
  it('nes: 16x16 attribute areas share a palette; the attribute table and master-palette bytes round-trip', () => {
    // Four 16x16 areas, each in two colours of the master palette over a shared black.
    const colours = [0x0078f8, 0xf83800, 0x00b800, 0xf8b800];
    const width = 32;
    const height = 32;
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const area = (y >> 4) * 2 + (x >> 4);
      const c = (x + y) % 3 === 0 ? 0 : colours[area]!;
      rgba.set([c >> 16, (c >> 8) & 0xff, c & 0xff, 255], (y * width + x) * 4);
    }
    const result = convertImage({ width, height, rgba }, { target: 'nes' });
    // Four one-colour areas over a shared black: two sub-palettes of three colours hold them all.
    expect(result.paletteCount).toBe(2);
    expect(result.attrmap!.length).toBe(1);
    expect(result.flippedCells).toEqual([]);
    const back = reversedRgba(result);
    expect(Buffer.from(back.rgba).equals(Buffer.from(rgba))).toBe(true);
  });
});
