import { CodecOptionError } from '../../errors.js';
import type { Codec, CompressOptions } from '../types.js';
import { halKernels } from './kernels.js';

const halLevels = ['1', '2', '3', '4', 'max'] as const;

/** HAL Laboratory (exhal/inhal, Lunar Compress LZ19). Levels 1–4 = inhal -1…-4; max = optimal parse. */
export const halCodec: Codec = {
  name: 'hal',
  description: 'HAL Laboratory LZ (exhal/inhal; Kirby, EarthBound); levels 1-4 = inhal -1..-4, max = optimal parse',
  levels: halLevels,
  defaultLevel: 'max',
  platforms: ['snes'],
  canCompress: true,
  decompress: (bytes, offset = 0, limits) => halKernels().decode(bytes, offset, limits),
  probe: (bytes, offset = 0, limits) => halKernels().probe(bytes, offset, limits),
  compress(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
    const level = String(options.level ?? 'max');
    if (level === 'max') return halKernels().encodeOptimal(data);
    if (level === '1' || level === '2' || level === '3' || level === '4') return halKernels().encode(data, Number(level) as 1 | 2 | 3 | 4);
    throw new CodecOptionError('hal', `unknown level "${level}"; levels: ${halLevels.join(', ')}`, { level });
  },
};
