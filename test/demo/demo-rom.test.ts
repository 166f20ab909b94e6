import { describe, expect, it } from 'vitest';
import { buildDemoRom, demoDefinition, demoFreeSpace } from '../../src/demo/demo-rom.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { getCodec } from '../../src/codecs/index.js';
import { decodeTiles } from '../../src/gfx/formats.js';
import { parseGameDefinition } from '../../src/defs/index.js';

describe('the demo ROM', () => {
  const demo = buildDemoRom();
  const rom = romFromBytes(demo.bytes, { name: 'demo.sfc' });

  it('is a deterministic LoROM image with a valid checksum', () => {
    expect(rom.platform).toBe('snes');
    expect(rom.mapping).toBe('lorom');
    expect(rom.title()).toBe('ROMGFX DEMO');
    expect(rom.checksums()?.valid).toBe(true);
    expect(Buffer.from(buildDemoRom().bytes).equals(Buffer.from(demo.bytes))).toBe(true);
  });

  it('every sprite block decodes back to the art, through its pointer', () => {
    for (const s of demo.sprites) {
      const p = demo.bytes[s.pointerAt]! | (demo.bytes[s.pointerAt + 1]! << 8) | (demo.bytes[s.pointerAt + 2]! << 16);
      expect(rom.fromBusAddress(p)).toBe(s.offset);
      const raw = s.codec ? getCodec(s.codec).decompress(demo.bytes, s.offset) : { data: rom.read(s.offset, s.packedLength), packedLength: s.packedLength };
      expect(raw.packedLength).toBe(s.packedLength);
      expect(Buffer.from(decodeTiles('snes4bpp', raw.data)).equals(Buffer.from(s.tiles))).toBe(true);
    }
  });

  it('leaves its free space empty and its definition passes the validator', () => {
    expect(demo.bytes.subarray(demoFreeSpace.start, demoFreeSpace.end).every((b) => b === 0)).toBe(true);
    const def = parseGameDefinition(demoDefinition(demo, rom.identity()), 'demo.game.json');
    expect(def.sprites.map((s) => s.name)).toEqual(demo.sprites.map((s) => s.name));
  });
});
