import { afterEach, describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import { halKernels, setHalKernels, typescriptHalKernels, type HalKernels } from '../../src/codecs/hal/kernels.js';

// Loading the registry installs the native kernels when the addon is built; put back whatever was there.
const installed = halKernels();
afterEach(() => {
  setHalKernels(installed);
});

describe('HAL kernel indirection (for the native addon)', () => {
  it('the registry calls whatever kernels are installed', () => {
    const calls: string[] = [];
    const spy: HalKernels = {
      implementation: 'spy',
      decode: (bytes, offset, limits) => (calls.push('decode'), typescriptHalKernels.decode(bytes, offset, limits)),
      probe: (bytes, offset, limits) => (calls.push('probe'), typescriptHalKernels.probe(bytes, offset, limits)),
      encode: (data, level) => (calls.push(`encode${level}`), typescriptHalKernels.encode(data, level)),
      encodeOptimal: (data) => (calls.push('optimal'), typescriptHalKernels.encodeOptimal(data)),
    };
    expect(setHalKernels(spy)).toBe(installed);
    expect(halKernels().implementation).toBe('spy');
    const hal = getCodec('hal');
    const packed = hal.compress(new Uint8Array([1, 2, 3, 1, 2, 3]), { level: 3 });
    hal.compress(new Uint8Array([1]), {});
    hal.decompress(packed);
    hal.probe(packed);
    expect(calls).toEqual(['encode3', 'optimal', 'decode', 'probe']);
  });
});
