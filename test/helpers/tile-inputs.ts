/**
 * Structured tile-like inputs for codec property tests: 8×8 4bpp tiles (32 bytes of packed
 * pixels, left pixel in the high nybble, as the Mega Drive stores them) built from a few
 * colours, then laid out as a sheet that repeats, flips and blanks
 * tiles, with an optional odd tail. These are the shapes real graphics codecs meet: long
 * zero runs, repeated rows, repeated whole tiles at word-aligned distances.
 */
import fc from 'fast-check';

const bytesPerTile = 32;
const bytesPerRow = 4;

function tileFrom(pattern: number, colours: readonly number[], seed: number): Uint8Array {
  const tile = new Uint8Array(bytesPerTile);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      let index: number;
      if (pattern === 0) index = 0;
      else if (pattern === 1) index = (x + y) & 1;
      else if (pattern === 2) index = y >> 1;
      else if (pattern === 3) index = (x * x + y * y) < 20 ? 1 : 0;
      else index = ((seed >> ((x + 8 * y) % 29)) ^ (x * 3 + y)) & 3;
      const colour = colours[index % colours.length]! & 0x0f;
      const at = y * bytesPerRow + (x >> 1);
      tile[at] = tile[at]! | (x % 2 === 0 ? colour << 4 : colour);
    }
  }
  return tile;
}

function flipRows(tile: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytesPerTile);
  for (let y = 0; y < 8; y++) out.set(tile.subarray(y * bytesPerRow, (y + 1) * bytesPerRow), (7 - y) * bytesPerRow);
  return out;
}

/** Options: how many tiles the sheet has at most, and whether an odd tail byte may follow. */
export interface TileSheetOptions {
  maxTiles: number;
  oddTail: boolean;
}

/** A tile sheet of 0…maxTiles tiles from a small tile set (plus an optional odd last byte). */
export function tileSheet(options: TileSheetOptions): fc.Arbitrary<Uint8Array> {
  const tileSet = fc.array(
    fc.record({ pattern: fc.integer({ min: 0, max: 4 }), colours: fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 4 }), seed: fc.nat() }),
    { minLength: 1, maxLength: 6 },
  );
  const layout = fc.array(fc.record({ tile: fc.nat(), flip: fc.boolean(), repeat: fc.integer({ min: 1, max: 4 }) }), { maxLength: options.maxTiles });
  const tail = options.oddTail ? fc.option(fc.integer({ min: 0, max: 255 })) : fc.constant(null);
  return fc.tuple(tileSet, layout, tail).map(([set, cells, last]) => {
    const tiles = set.map((t) => tileFrom(t.pattern, t.colours, t.seed));
    const chosen: Uint8Array[] = [];
    for (const cell of cells) {
      const tile = tiles[cell.tile % tiles.length]!;
      for (let k = 0; k < cell.repeat && chosen.length < options.maxTiles; k++) chosen.push(cell.flip ? flipRows(tile) : tile);
    }
    const out = new Uint8Array(chosen.length * bytesPerTile + (last === null ? 0 : 1));
    chosen.forEach((tile, i) => out.set(tile, i * bytesPerTile));
    if (last !== null) out[out.length - 1] = last;
    return out;
  });
}

/** Tile sheets, raw bytes and byte runs mixed: structured and unstructured inputs in one arbitrary. */
export function codecInputs(maxTiles: number, maxBytes: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: tileSheet({ maxTiles, oddTail: true }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: maxBytes }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 600 })), { maxLength: 12 })
        .map((runs) => new Uint8Array(runs.flatMap(([v, n]) => Array<number>(n).fill(v)))),
    },
  );
}
