/**
 * The golden-vector part of the codec benchmark: for every registered codec with vectors under
 * fixtures/codecs/<folder>/, decode MB/s of each compressed vector beside zlib inflate of the
 * same data in the same run, and the `max` level's size and time per input beside the smallest
 * reference size from the folder README's size table. Codecs not registered are skipped, so the
 * table grows as codecs land.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { getCodec, hasCodec } from '../../src/codecs/registry.js';
import { isRomgfxError } from '../../src/errors.js';

/** Codec name → vector folder under fixtures/codecs (the table). */
export const vectorFolderByCodec: Readonly<Record<string, string>> = {
  'lc-lz1': 'lz1',
  'lc-lz2': 'lz2',
  'lc-lz3': 'lz3',
  'lc-lz5': 'lz5',
  konami1: 'konami1',
  'gen1-pic': 'pic',
  nemesis: 'nemesis',
  kosinski: 'kosinski',
  'kosinski-moduled': 'kosm',
  enigma: 'enigma',
  saxman: 'saxman',
  comper: 'comper',
  lz4w: 'lz4w',
};

const numberCell = /^[\d,]+$/;

/**
 * The smallest reference output per input from a README's "Output sizes" table (any table whose
 * first header cell is "input" when no section has that name). Numbers may carry thousands
 * separators or backticks; a column headed "… bytes" that is the input size is left out. An
 * input without a numeric cell, or a README without a table, gives no entry.
 */
export function smallestReferenceSizes(readme: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const sections = readme.split(/^#+ /m);
  const preferred = sections.filter((section) => /^output sizes/i.test(section));
  for (const section of preferred.length > 0 ? preferred : sections) {
    let header: string[] | null = null;
    for (const line of section.split('\n')) {
      if (!line.trim().startsWith('|')) {
        header = null;
        continue;
      }
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/`/g, ''));
      if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
      if (header === null) {
        header = cells.map((cell) => cell.toLowerCase());
        if (header[0] !== 'input') header = ['-'];
        continue;
      }
      if (header[0] !== 'input' || cells.length < 2) continue;
      const values: number[] = [];
      cells.forEach((cell, k) => {
        if (k === 0 || /bytes/.test(header![k] ?? '') || !numberCell.test(cell)) return;
        values.push(Number(cell.replace(/,/g, '')));
      });
      if (values.length > 0) sizes.set(cells[0]!, Math.min(...values, sizes.get(cells[0]!) ?? Number.POSITIVE_INFINITY));
    }
    if (sizes.size > 0) break;
  }
  return sizes;
}

type Rate = (fn: () => unknown, bytes: number, runs: number) => Promise<number>;

/** The decode and max-size tables for every registered codec that has a vector folder. */
export async function vectorTables(fixtures: string, rate: Rate): Promise<{ decode: (string | number)[][]; max: (string | number)[][] }> {
  const decode: (string | number)[][] = [['codec', 'vector', 'packed', 'unpacked', 'decode MB/s', 'zlib inflate MB/s', 'decode / inflate']];
  const max: (string | number)[][] = [['codec', 'input', 'bytes', 'max size', 'max ms', 'smallest reference', 'max / reference']];
  for (const [name, folder] of Object.entries(vectorFolderByCodec)) {
    const dir = join(fixtures, 'codecs', folder);
    if (!hasCodec(name) || !existsSync(dir)) continue;
    const codec = getCodec(name);
    const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
    const references = smallestReferenceSizes(readme);
    const files = readdirSync(dir).filter((file) => statSync(join(dir, file)).isFile());
    const inputs = files.filter((file) => file.endsWith('.bin'));
    for (const file of files) {
      if (file.endsWith('.bin') || file.endsWith('.md') || file === 'SHA256SUMS') continue;
      const packed = new Uint8Array(readFileSync(join(dir, file)));
      let size: number;
      try {
        size = codec.decompress(packed).data.length;
      } catch (error) {
        decode.push([name, file, packed.length, isRomgfxError(error) ? error.code : String(error), '—', '—', '—']);
        continue;
      }
      if (size === 0) {
        decode.push([name, file, packed.length, 0, '—', '—', '—']);
        continue;
      }
      const decodeRate = await rate(() => codec.decompress(packed), size, 9);
      const original = inputs.find((input) => file.startsWith(input.replace(/\.bin$/, '.')));
      const data = original ? new Uint8Array(readFileSync(join(dir, original))) : codec.decompress(packed).data;
      const deflated = deflateSync(data, { level: 6 });
      const inflateRate = await rate(() => inflateSync(deflated), data.length, 9);
      decode.push([name, file, packed.length, size, decodeRate, inflateRate, decodeRate / inflateRate]);
    }
    const level = codec.levels.includes('max') ? 'max' : codec.defaultLevel;
    for (const input of inputs) {
      const data = new Uint8Array(readFileSync(join(dir, input)));
      const stem = input.replace(/\.bin$/, '');
      const reference = references.get(stem);
      if (!codec.canCompress) continue;
      try {
        const times: number[] = [];
        let out = codec.compress(data, { level });
        for (let k = 0; k < 3; k++) {
          const start = performance.now();
          out = codec.compress(data, { level });
          times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        max.push([name, stem, data.length, out.length, times[1]!, reference ?? '—', reference ? out.length / reference : '—']);
      } catch (error) {
        max.push([name, stem, data.length, isRomgfxError(error) ? error.code : String(error), '—', reference ?? '—', '—']);
      }
    }
  }
  return { decode, max };
}
