/**
 * The addon must be built and in use: these tests fail (never skip) when it is missing. Also
 * checks the switch ROMGFX_NATIVE=0 through the real CLI (`romgfx version --json`, compiled dist/).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { halKernels, typescriptHalKernels } from '../../src/codecs/hal/kernels.js';
import { getCodec } from '../../src/codecs/registry.js';
import { activeHalImplementation, loadNative, nativeAbiVersion, nativeStatus, tileKernels, useNativeKernels, useTypescriptKernels, zlibDeflate } from '../../src/native/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';

const cli = join(PACKAGE_ROOT, 'bin', 'romgfx.js');

function versionJson(env: NodeJS.ProcessEnv): { version: string; native: boolean } {
  const result = spawnSync(process.execPath, [cli, 'version', '--json'], { env, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { version: string; native: boolean };
}

describe('native addon', () => {
  it('was built by node-gyp and loads', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'native/build/Release/romgfx_native.node'))).toBe(true);
    const status = nativeStatus();
    expect(status.reason).toBeUndefined();
    expect(status.loaded).toBe(true);
    const addon = loadNative();
    expect(addon).not.toBeNull();
    expect(addon!.abi()).toBe(nativeAbiVersion);
  });

  it('is what the engine runs: the HAL codec, the tile kernels and the PNG deflate are the native ones', () => {
    expect(activeHalImplementation()).toBe('native');
    expect(halKernels().implementation).toBe('native');
    expect(tileKernels().implementation).toBe('native');
    expect(zlibDeflate().implementation).toBe('native');
    // The registry's codec goes through the swapped kernels.
    const packed = getCodec('hal').compress(new Uint8Array([0x41]), { level: '2' });
    expect([...packed]).toEqual([0x00, 0x41, 0xff]);
  });

  it('can be switched off and on in-process', () => {
    useTypescriptKernels();
    expect(halKernels()).toBe(typescriptHalKernels);
    expect(useNativeKernels()).toBe(true);
    expect(activeHalImplementation()).toBe('native');
  });

  it('rejects bad arguments from a direct caller with a TypeError/RangeError, never a crash', () => {
    const addon = loadNative()!;
    const info = new Float64Array(7);
    const scratch = new Uint8Array(65536);
    expect(() => addon.halDecode([1, 2] as unknown as Uint8Array, 0, 65536, info, scratch)).toThrow(TypeError);
    expect(() => addon.halDecode(new Uint8Array(4), 5, 65536, info, scratch)).toThrow(RangeError);
    expect(() => addon.halDecode(new Uint8Array(4), 0, 65537, info, scratch)).toThrow(RangeError);
    expect(() => addon.halDecode(new Uint8Array(4), 0.5, 65536, info, scratch)).toThrow(RangeError);
    expect(() => addon.halDecode(new Uint8Array(4), 0, 100, new Float64Array(2), scratch)).toThrow(TypeError);
    expect(() => addon.halDecode(new Uint8Array(4), 0, 100, info, new Uint8Array(65535))).toThrow(RangeError);
    expect(() => addon.halDecode(scratch.subarray(0, 4), 0, 100, info, scratch)).toThrow(RangeError);
    // @ts-expect-error the scratch argument is missing on purpose: the addon must refuse, not crash
    expect(() => addon.halDecode(new Uint8Array(4), 0, 100, info)).toThrow(TypeError);
    expect(() => addon.halEncode(new Uint8Array(4), 0, info)).toThrow(RangeError);
    expect(() => addon.halEncode(new Uint8Array(4), 6, info)).toThrow(RangeError);
    expect(() => addon.halEncode(new Uint16Array(4) as unknown as Uint8Array, 1, info)).toThrow(TypeError);
    // Tile kernels re-check lengths and layouts themselves.
    const layout = Uint8Array.of(32, 4, 0, 0, 1, 16, 17, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0);
    expect(() => addon.tilesDecodePlanar(new Uint8Array(31), new Uint8Array(64), 1, layout)).toThrow(RangeError);
    expect(() => addon.tilesDecodePlanar(new Uint8Array(32), new Uint8Array(63), 1, layout)).toThrow(RangeError);
    const outside = Uint8Array.of(32, 4, 0, 0, 1, 16, 30, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0);
    expect(() => addon.tilesDecodePlanar(new Uint8Array(32), new Uint8Array(64), 1, outside)).toThrow(RangeError);
    expect(() => addon.tilesEncodePacked(new Uint8Array(64), new Uint8Array(31), 1, true)).toThrow(RangeError);
    expect(() => addon.tilesDecodePacked(new Uint8Array(32), new Uint8Array(64), 2 ** 60, true)).toThrow(RangeError);
  });
});

describe('romgfx version --json (compiled CLI)', () => {
  it('says native: true by default', () => {
    const env = { ...process.env };
    delete env.ROMGFX_NATIVE;
    const reply = versionJson(env);
    expect(reply).toEqual({ version: expect.any(String), native: true, mmap: true, romOpenMode: 'map' });
  });

  it('says native: false with ROMGFX_NATIVE=0, and logs why only at debug level', () => {
    expect(versionJson({ ...process.env, ROMGFX_NATIVE: '0' })).toEqual({ version: expect.any(String), native: false, mmap: true, romOpenMode: 'memory' });
    const debug = spawnSync(process.execPath, [cli, 'version', '--json'], { env: { ...process.env, ROMGFX_NATIVE: '0', ROMGFX_LOG_LEVEL: 'debug' }, encoding: 'utf8' });
    const lines = debug.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 20, msg: expect.stringContaining('ROMGFX_NATIVE=0') });
  });
});

describe('fallback when the addon is missing (a package copy without native/build)', () => {
  it('runs the TypeScript kernels, says native: false, logs the reason at debug level, and compresses the same bytes', () => {
    const root = mkdtempSync(join(tmpdir(), 'romgfx-no-native-'));
    try {
      cpSync(join(PACKAGE_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
      cpSync(join(PACKAGE_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
      writeFileSync(join(root, 'package.json'), readFileSync(join(PACKAGE_ROOT, 'package.json')));
      symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
      const copyCli = join(root, 'bin', 'romgfx.js');
      const env: NodeJS.ProcessEnv = { ...process.env, ROMGFX_LOG_LEVEL: 'debug' };
      delete env.ROMGFX_NATIVE;
      const version = spawnSync(process.execPath, [copyCli, 'version', '--json'], { env, encoding: 'utf8' });
      expect(version.status).toBe(0);
      expect(JSON.parse(version.stdout)).toEqual({ version: expect.any(String), native: false, mmap: true, romOpenMode: 'memory' });
      const lines = version.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 20, msg: expect.stringContaining('cannot load') });
      // Without the debug level the fallback is silent, and the engine still works.
      const input = join(PACKAGE_ROOT, 'fixtures', 'hal', 'varied16k.bin');
      const output = join(root, 'out.hal');
      const quiet = { ...env, ROMGFX_LOG_LEVEL: 'warn' };
      const compress = spawnSync(process.execPath, [copyCli, 'compress', input, '--codec', 'hal', '--level', '4', '-o', output], { env: quiet, encoding: 'utf8' });
      expect(compress.stderr).toBe('');
      expect(compress.status).toBe(0);
      expect(readFileSync(output).equals(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'hal', 'varied16k.L4.hal')))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
