/**
 * SGDK's resource structures and the LZ4W rules that follow from rescomp (src/scan/sgdk.ts):
 * TileSet / TileMap structures declare LZ4W streams (reported whatever their size and score,
 * with the structure's kind); LZ4W readings end as SGDK's packer ends streams; in an SGDK ROM
 * every LZ4W stream is rescomp's (in its resource run, or pointed at). On the corpus's SGDK game
 * (through the CLI, as a user runs it) and on a synthetic SGDK-like ROM of another layout.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { getTileFormat } from '../../src/gfx/index.js';
import { scanRom } from '../../src/scan/index.js';
import { smallNumberOutput } from '../../src/scan/codec-streams.js';
import { lz4wCopiesFromRom, lz4wFinalWordRule, lz4wReadingRule, sgdkDeclaredStreams, sgdkResourceRunStarts } from '../../src/scan/sgdk.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { corpusDirectory, readCorpusTruth } from './helpers/corpus.js';
import { spriteTiles } from './helpers/sprite-art.js';

const read = (path: string) => new Uint8Array(readFileSync(path));
const corpusName = 'tictactoe-md.bin';
const corpusRom = read(join(corpusDirectory, corpusName));
const key = (c: { codec: string; offset: number; packedLength: number }) => `${c.codec}@${c.offset}+${c.packedLength}`;
/** The corpus game's data readings that decode as LZ4W tiles (tables of −1/0/1 and other data): no structure or pointer names them. */
const corpusFalseReadings = [
  { offset: 0x18fb8, packedLength: 236 },
  { offset: 0x18c5e, packedLength: 70 },
  { offset: 0x1c4b0, packedLength: 70 },
];

const dir = tempDir('romgfx-md-sgdk-');
afterAll(() => dir.cleanup());

describe('SGDK structures on the corpus game (tictactoe-md)', () => {
  const truth = readCorpusTruth()[corpusName]!;
  const lz4wBlocks = truth.blocks.filter((b) => b.codec === 'lz4w');

  test('every LZ4W TileSet and TileMap structure is read and checked by decoding to its declared size', () => {
    const declared = sgdkDeclaredStreams(corpusRom, 'md');
    expect(declared.map((d) => `${d.kind}@${d.offset}+${d.packedLength}`).sort()).toEqual(lz4wBlocks.map((b) => `${b.kind}@${b.offset}+${b.packedLength}`).sort());
    // Other platforms have no SGDK structures.
    expect(sgdkDeclaredStreams(corpusRom, 'snes')).toEqual([]);
  });

  test('`romgfx scan --json` reports every LZ4W block exactly with its kind (the 7-tile sets and the 4×4 map included) and none of the table readings', () => {
    const romPath = join(dir.path, corpusName);
    writeFileSync(romPath, corpusRom);
    const run = runCli(['scan', romPath, '--json', '--no-cache', '--workers', '2'], {});
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { offset: number; packedLength: number; codec: string; kind: string; format: string }[];
    for (const block of lz4wBlocks) {
      const found = list.find((c) => c.offset === block.offset);
      expect(found, `${block.name}`).toBeDefined();
      expect(key(found!)).toBe(key(block));
      expect(found!.kind).toBe(block.kind);
      expect(found!.format).toBe(block.format === 'md-tilemap' ? 'md-tilemap' : 'md4bpp');
    }
    for (const reading of corpusFalseReadings) expect(list.some((c) => c.offset < reading.offset + reading.packedLength && reading.offset < c.offset + c.packedLength)).toBe(false);
  }, 60_000);

  test('the table readings are LZ4W that decodes, and each is refused for a reason SGDK gives', () => {
    const lz4w = getCodec('lz4w');
    for (const reading of corpusFalseReadings) {
      expect(lz4w.probe(corpusRom, reading.offset)?.packedLength).toBe(reading.packedLength);
      expect(lz4wReadingRule(corpusRom, 'md', reading.offset, reading.packedLength)).not.toBe('');
    }
    // Two end on a final word the packer never writes; the third ends as a stream would, and is
    // refused only because this is an SGDK ROM and nothing points at it.
    expect(lz4wFinalWordRule(corpusRom, 0x18fb8, 236)).toContain('0201');
    expect(lz4wFinalWordRule(corpusRom, 0x1c4b0, 70)).toContain('00ff');
    expect(lz4wFinalWordRule(corpusRom, 0x18c5e, 70)).toBe('');
    expect(lz4wReadingRule(corpusRom, 'md', 0x18c5e, 70)).toContain('SGDK structures');
    // The real streams pass, those with ROM-source copies included.
    for (const block of lz4wBlocks) expect(lz4wReadingRule(corpusRom, 'md', block.offset, block.packedLength)).toBe('');
    expect(lz4wCopiesFromRom(corpusRom, 0x21188, 0x21188 + 30)).toBe(true);
    expect(lz4wCopiesFromRom(corpusRom, 0x211c4, 0x211c4 + 224)).toBe(false);
  });
});

describe("SGDK's packer framing", () => {
  test('every SGDK reference stream and every stream of our encoder ends with a final word the rule accepts; another word is refused', () => {
    const directory = 'fixtures/codecs/lz4w';
    const lz4w = getCodec('lz4w');
    for (const file of readdirSync(directory).filter((f) => f.endsWith('.sgdk.lz4w'))) {
      const bytes = read(join(directory, file));
      expect(lz4wFinalWordRule(bytes, 0, lz4w.probe(bytes, 0)!.packedLength), file).toBe('');
      const input = read(join(directory, file.replace('.sgdk.lz4w', '.bin')));
      for (const level of lz4w.levels) {
        const ours = lz4w.compress(input, { level });
        expect(lz4wFinalWordRule(ours, 0, ours.length), `${file} ${level}`).toBe('');
      }
    }
    const stream = lz4w.compress(spriteTiles('md4bpp', 8, 3), { level: 'max' });
    const stained = stream.slice();
    stained[stained.length - 1] = 0x12;
    // The decoder still accepts it (it tests bit 15 only); the packer never writes it.
    expect(lz4w.probe(stained, 0)?.packedLength).toBe(stream.length);
    expect(lz4wFinalWordRule(stained, 0, stained.length)).toContain('0012');
  });
});

/**
 * A synthetic SGDK-like ROM, laid out unlike the corpus game: the corpus game's header and
 * 68000 code, then the game's data (a −1/0/1 table copied from the corpus game), then rescomp's
 * resource blocks back to back at even offsets (LZ4W tile sets of 3, 20 and 12 tiles, an LZ4W
 * 12×6 map, an uncompressed 6-tile set, a `BIN`-like LZ4W stream no structure names), then the
 * structures. `withStructures: false` zeroes the structures (a ROM of another toolchain).
 */
function sgdkLikeRom(withStructures: boolean): { bytes: Uint8Array; blocks: { offset: number; packedLength: number; kind: 'tiles' | 'tilemap'; codec: string }[]; table: { offset: number; packedLength: number } } {
  const size = 0x40000;
  const bytes = new Uint8Array(size);
  bytes.set(corpusRom.subarray(0, 0x10000), 0);
  // The game's own data: the table region read as LZ4W in the corpus game (its bytes, moved).
  const tableSource = 0x18c3e;
  const tableAt = 0x13000;
  bytes.set(corpusRom.subarray(tableSource, tableSource + 0x200), tableAt);
  const table = { offset: tableAt + (0x18c5e - tableSource), packedLength: 70 };
  const lz4w = getCodec('lz4w');
  const tileSet = (tiles: number, seed: number) => spriteTiles('md4bpp', tiles, seed);
  // A 12×6 map over the 20-tile set: rows of ordered indices and a repeated blank entry, palette 1.
  const map = new Uint8Array(12 * 6 * 2);
  for (let i = 0; i < 72; i++) {
    const entry = (1 << 13) | (i % 12 < 10 ? (i % 20) : 0);
    map[2 * i] = entry >> 8;
    map[2 * i + 1] = entry & 0xff;
  }
  const resources: { name: string; packed: Uint8Array; unpacked: number; kind: 'tiles' | 'tilemap'; codec: string; structure: 'tileset' | 'tilemap' | 'none'; compression: number; w?: number; h?: number }[] = [
    { name: 'tiny', packed: lz4w.compress(tileSet(3, 21), { level: 'fast' }), unpacked: 96, kind: 'tiles', codec: 'lz4w', structure: 'tileset', compression: 2 },
    { name: 'set20', packed: lz4w.compress(tileSet(20, 22), { level: 'max' }), unpacked: 640, kind: 'tiles', codec: 'lz4w', structure: 'tileset', compression: 2 },
    { name: 'map', packed: lz4w.compress(map, { level: 'max' }), unpacked: map.length, kind: 'tilemap', codec: 'lz4w', structure: 'tilemap', compression: 2, w: 12, h: 6 },
    { name: 'raw6', packed: tileSet(6, 23), unpacked: 192, kind: 'tiles', codec: 'raw', structure: 'tileset', compression: 0 },
    { name: 'bin', packed: lz4w.compress(tileSet(12, 24), { level: 'fast' }), unpacked: 384, kind: 'tiles', codec: 'lz4w', structure: 'none', compression: 2 },
  ];
  const blocks: { offset: number; packedLength: number; kind: 'tiles' | 'tilemap'; codec: string }[] = [];
  let at = 0x2a402;
  const placed: number[] = [];
  for (const r of resources) {
    bytes.set(r.packed, at);
    placed.push(at);
    blocks.push({ offset: at, packedLength: r.packed.length, kind: r.kind, codec: r.codec });
    at = (at + r.packed.length + 1) & ~1;
  }
  // $FF fill after the resource data, as the linker pads.
  bytes.fill(0xff, at, at + 0x100);
  const put16 = (p: number, v: number) => {
    bytes[p] = v >> 8;
    bytes[p + 1] = v & 0xff;
  };
  const put32 = (p: number, v: number) => {
    put16(p, v >>> 16);
    put16(p + 2, v & 0xffff);
  };
  let s = 0x17e40;
  resources.forEach((r, i) => {
    if (r.structure === 'none' || !withStructures) return;
    put16(s, r.compression);
    if (r.structure === 'tileset') {
      put16(s + 2, r.unpacked / 32);
      put32(s + 4, placed[i]!);
      s += 8;
    } else {
      put16(s + 2, r.w!);
      put16(s + 4, r.h!);
      put32(s + 6, placed[i]!);
      s += 10;
    }
  });
  return { bytes, blocks, table };
}

describe('a synthetic SGDK-like ROM of another layout', () => {
  test('its structures declare its LZ4W streams; the BIN stream after them is in the resource run', () => {
    const { bytes, blocks } = sgdkLikeRom(true);
    const declared = sgdkDeclaredStreams(bytes, 'md');
    expect(declared.map((d) => `${d.kind}@${d.offset}+${d.packedLength}`)).toEqual(blocks.filter((b) => b.codec === 'lz4w').slice(0, 3).map((b) => `${b.kind}@${b.offset}+${b.packedLength}`));
    // The run goes on through the uncompressed tile set to the BIN stream no structure names.
    expect([...sgdkResourceRunStarts(bytes, 'md')].sort((a, b) => a - b)).toEqual(blocks.map((b) => b.offset));
  });

  test('the default scan reports every resource exactly with its kind (the 3-tile set under the minimum size too) and not the table', async () => {
    const { bytes, blocks, table } = sgdkLikeRom(true);
    const candidates = await scanRom(romFromBytes(bytes, { name: 'sgdk-like', platform: 'md' }), { cache: false, workers: 0 });
    for (const block of blocks) {
      const found = candidates.find((c) => c.offset === block.offset);
      expect(found, `${block.codec}@${block.offset.toString(16)}`).toBeDefined();
      expect(found!.packedLength).toBe(block.packedLength);
      expect(found!.kind).toBe(block.kind);
    }
    expect(candidates.some((c) => c.offset < table.offset + table.packedLength && table.offset < c.offset + c.packedLength)).toBe(false);
  }, 30_000);

  test('without the structures (another toolchain) the tiny set is not found, and the table passes the SGDK rules but is dropped as a table of small numbers', async () => {
    const { bytes, blocks, table } = sgdkLikeRom(false);
    expect(sgdkDeclaredStreams(bytes, 'md')).toEqual([]);
    // No SGDK rule refuses the table's LZ4W reading here (that is the SGDK ROM's evidence)...
    expect(lz4wReadingRule(bytes, 'md', table.offset, table.packedLength)).toBe('');
    // ...but what it decodes to is −1/0/1 bytes, not art (codec-streams.ts smallNumberOutput).
    expect(smallNumberOutput(getCodec('lz4w').decompress(bytes, table.offset).data, getTileFormat('md4bpp'))).toBe(true);
    const candidates = await scanRom(romFromBytes(bytes, { name: 'sgdk-like-bare', platform: 'md' }), { cache: false, workers: 0 });
    expect(candidates.some((c) => c.offset === blocks[0]!.offset)).toBe(false);
    expect(candidates.some((c) => c.offset < table.offset + table.packedLength && table.offset < c.offset + c.packedLength)).toBe(false);
  }, 30_000);
});
