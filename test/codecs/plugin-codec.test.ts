/**
 * A plug-in codec registered through the public API works through the whole path: extraction
 * (extractAll, in-process), injection (a definition naming the codec, re-packed by it) and the
 * scanner (its probe, in-process), then is unregistered.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../src/gfx/png.js';
import {
  decodeTiles,
  encodeTiles,
  extractAll,
  getCodec,
  getTileFormat,
  parseGameDefinition,
  registerCodec,
  romFromBytes,
  scanRomReport,
  unregisterCodec,
  type Codec,
} from '../../src/index.js';
import { buildSnesRom } from '../../src/entries/rom.js';
import { injectIntoBytes } from '../../src/entries/inject.js';
import { CodecStreamCorruptError, CodecStreamTruncatedError } from '../../src/errors.js';
import { spriteArt } from '../inject/fixtures.js';

const magic = 0xc7;
const key = 0x5a;
const headerSizeInBytes = 3;

/** A toy format: 0xC7, a 16-bit little-endian size, then the bytes XOR 0x5A. */
const xorCodec: Codec = {
  name: 'test-xor',
  description: 'toy plug-in: 0xC7, 16-bit size, bytes XOR 0x5A',
  platforms: ['snes'],
  levels: ['1'],
  defaultLevel: '1',
  canCompress: true,
  decompress(bytes, offset = 0) {
    if (bytes[offset] !== magic) throw new CodecStreamCorruptError('test-xor', offset, 'no 0xC7 magic byte');
    if (bytes.length - offset < headerSizeInBytes) throw new CodecStreamTruncatedError('test-xor', offset, 'no size');
    const size = bytes[offset + 1]! | (bytes[offset + 2]! << 8);
    if (bytes.length - offset - headerSizeInBytes < size) throw new CodecStreamTruncatedError('test-xor', bytes.length, 'data runs past the input');
    const data = bytes.slice(offset + headerSizeInBytes, offset + headerSizeInBytes + size).map((b) => b ^ key);
    return { data, packedLength: headerSizeInBytes + size };
  },
  compress(data) {
    const out = new Uint8Array(headerSizeInBytes + data.length);
    out.set([magic, data.length & 0xff, data.length >> 8]);
    for (let i = 0; i < data.length; i++) out[headerSizeInBytes + i] = data[i]! ^ key;
    return out;
  },
  probe(bytes, offset = 0) {
    if (bytes[offset] !== magic || bytes.length - offset < headerSizeInBytes) return null;
    const size = bytes[offset + 1]! | (bytes[offset + 2]! << 8);
    if (size === 0 || bytes.length - offset - headerSizeInBytes < size) return null;
    return { packedLength: headerSizeInBytes + size, unpackedLength: size };
  },
};

const work = mkdtempSync(join(tmpdir(), 'romgfx-plugin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a registered plug-in codec through extract, inject and scan', () => {
  it('works wherever a codec name is accepted, and is gone after unregisterCodec', async () => {
    registerCodec(xorCodec);
    try {
      const format = getTileFormat('snes4bpp');
      const tileCount = 32;
      const indices = spriteArt(tileCount, 4, 7);
      const packed = getCodec('test-xor').compress(encodeTiles(format, indices));
      const offset = 0x20000;
      // Zero filler: the scanner finds the stream, not random bytes that happen to start with 0xC7.
      const bytes = buildSnesRom({ size: 0x40000, filler: 'zero', payloads: [{ offset, bytes: packed }], title: 'PLUGIN TEST' });
      const romPath = join(work, 'plugin.sfc');
      writeFileSync(romPath, bytes);
      const definition = parseGameDefinition(
        {
          formatVersion: 1,
          id: 'plugin-test',
          name: 'Plug-in codec test',
          platform: 'snes',
          variants: [{ id: 'us', title: 'PLUGIN TEST' }],
          sprites: [{ name: 'xor-art', offset: '0x' + offset.toString(16), codec: 'test-xor', tileFormat: 'snes4bpp', tileCount }],
        },
        'plugin-test.json',
      );

      // Extract: the PNG holds the planted tiles.
      const extracted = await extractAll(romPath, definition, join(work, 'out'), { threads: 0 });
      expect(extracted.failed).toBe(0);
      expect(extracted.succeeded).toBe(1);
      const png = decodePng(new Uint8Array(readFileSync(join(work, 'out', 'xor-art.png'))));
      expect(png.width * png.height).toBe(tileCount * 64);
      const sidecar = JSON.parse(readFileSync(join(work, 'out', 'xor-art.json'), 'utf8')) as { codec?: string };
      expect(JSON.stringify(sidecar)).toContain('test-xor');

      // Inject: an edited tile set is re-packed with the plug-in and lands where the definition says.
      const edited = indices.slice();
      edited[0] = (edited[0]! + 1) & 15;
      const result = injectIntoBytes(romFromBytes(bytes), definition, [{ sprite: 'xor-art', indices: edited }]);
      expect(result.plan.changes).toBe(true);
      const written = getCodec('test-xor').decompress(result.output, offset);
      expect(decodeTiles(format, written.data)).toEqual(edited);

      // Scan: the probe finds the stream at its offset, in-process (workers would not know the codec).
      const report = await scanRomReport(romFromBytes(bytes), { codecs: ['test-xor'], formats: ['snes4bpp'], cache: false });
      const found = report.candidates.find((c) => c.codec === 'test-xor');
      expect(found).toMatchObject({ offset, packedLength: packed.length, unpackedLength: tileCount * 32, codec: 'test-xor' });
    } finally {
      expect(unregisterCodec('test-xor')).toBe(true);
    }
    await expect(scanRomReport(romFromBytes(buildSnesRom({ size: 0x40000 })), { codecs: ['test-xor'], cache: false })).rejects.toMatchObject({ code: 'ERR_SCAN_OPTION' });
  });
});
