/**
 * `code` is a string-literal union and `details` is typed per code: a `switch (error.code)`
 * narrows `details`. The type assertions are checked by `tsc -p tsconfig.test.json` (npm test
 * runs it); the runtime assertions check that the codes and JSON round trip did not change.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { RomgfxError, UsageError, isRomgfxError, type AnyRomgfxError, type ErrorDetails, type RomgfxErrorCode, type RomgfxErrorDetails, type RomgfxErrorJson } from '../../src/index.js';
// Every class is in romgfx/errors (the root keeps the base class, the guard and the code types).
import { BatchFailedError, BpsChecksumError, CodecOutputLimitError, FileNotFoundError, InjectionDoesNotFitError, RomChangedError, ServiceClosedError } from '../../src/entries/errors.js';
import { applyBps, createBps } from '../../src/entries/patch.js';

/** What an editor does with a failure: switch on the code, read that code's details. */
function describeFailure(error: unknown): string {
  if (!isRomgfxError(error)) return 'not ours';
  switch (error.code) {
    case 'ERR_DOES_NOT_FIT':
      expectTypeOf(error.details.packedSize).toEqualTypeOf<number>();
      expectTypeOf(error.details.suggestion).toEqualTypeOf<string>();
      // @ts-expect-error ERR_DOES_NOT_FIT has no `offset`: the wrong field does not compile
      void error.details.offset;
      return `${error.details.sprite}: ${error.details.packedSize} > ${error.details.slotSize}`;
    case 'ERR_CODEC_OUTPUT_LIMIT':
      expectTypeOf(error.details).toEqualTypeOf<Readonly<{ codec: string; offset: number; size: number; limit: number }>>();
      return `${error.details.codec} at ${error.details.offset}`;
    case 'ERR_BPS_SOURCE_CRC':
      expectTypeOf(error.details.which).toEqualTypeOf<'source'>();
      return `source ${error.details.expected} != ${error.details.actual}`;
    case 'ERR_FILE_NOT_FOUND':
      // @ts-expect-error `path` is a string, not a number
      error.details.path satisfies number;
      return error.details.path;
    case 'ERR_BATCH_FAILED':
      expectTypeOf(error.details.failures).toEqualTypeOf<readonly RomgfxErrorJson[] | undefined>();
      return `${error.details.failures?.length ?? 0} failed`;
    case 'ERR_USAGE':
      // Message-and-details constructors keep free-form details.
      expectTypeOf(error.details).toEqualTypeOf<ErrorDetails>();
      return error.message;
    default:
      return error.code;
  }
}

describe('typed error codes', () => {
  it('narrows details by code and reads them at run time', () => {
    expect(describeFailure(new InjectionDoesNotFitError('hero', 300, 256, 64, 'free space'))).toBe('hero: 300 > 256');
    expect(describeFailure(new CodecOutputLimitError('lz77', 0x10, 9999, 100))).toBe('lz77 at 16');
    expect(describeFailure(new FileNotFoundError('/nope.sfc'))).toBe('/nope.sfc');
    expect(describeFailure(new UsageError('bad flag'))).toBe('bad flag');
    expect(describeFailure(new BatchFailedError('2 failed', { failures: [new UsageError('a').toJSON().error, new UsageError('b').toJSON().error] }))).toBe('2 failed');
    expect(describeFailure(new Error('x'))).toBe('not ours');
  });

  it('keeps every code string, including the three BPS checksum codes', () => {
    expect(new BpsChecksumError('source', 1, 2).code).toBe('ERR_BPS_SOURCE_CRC');
    expect(new BpsChecksumError('target', 1, 2).code).toBe('ERR_BPS_TARGET_CRC');
    expect(new BpsChecksumError('patch', 1, 2).code).toBe('ERR_BPS_PATCH_CRC');
    expect(new BpsChecksumError('patch', 1, 2).details).toEqual({ which: 'patch', expected: '0x00000001', actual: '0x00000002' });
    expect(new ServiceClosedError().details).toEqual({});
    expect(new RomChangedError('a.sfc', 'size').details).toEqual({ path: 'a.sfc', change: 'size' });
  });

  it('a BPS patch applied to another ROM fails with a code the switch names', () => {
    const source = new Uint8Array(64).fill(1);
    const target = source.slice();
    target[10] = 7;
    const patch = createBps(source, target);
    const otherRom = new Uint8Array(64).fill(2);
    let caught: unknown;
    try {
      applyBps(patch, otherRom);
    } catch (error) {
      caught = error;
    }
    expect(describeFailure(caught)).toMatch(/^source 0x[0-9A-F]{8} != 0x[0-9A-F]{8}$/);
  });

  it('fromJSON rebuilds what toJSON wrote: name, code, category, details', () => {
    const original = new CodecOutputLimitError('lz77', 0x10, 9999, 100);
    const rebuilt = RomgfxError.fromJSON(original.toJSON().error);
    expect(rebuilt).toBeInstanceOf(RomgfxError);
    expect(rebuilt.toJSON()).toEqual(original.toJSON());
    expect(rebuilt.name).toBe('CodecOutputLimitError');
    // The class too, so an error that crossed a worker thread still matches `instanceof`.
    expect(rebuilt).toBeInstanceOf(CodecOutputLimitError);
    expect(rebuilt.stack).toBeDefined();
    const bps = new BpsChecksumError('source', 1, 2);
    const rebuiltBps = RomgfxError.fromJSON(structuredClone(bps.toJSON().error));
    expect(rebuiltBps).toBeInstanceOf(BpsChecksumError);
    expect((rebuiltBps as BpsChecksumError).which).toBe('source');
    // An unknown name stays a plain RomgfxError.
    expect(Object.getPrototypeOf(RomgfxError.fromJSON({ name: 'NotOurs', code: 'ERR_IO', category: 'io', message: 'm' }))).toBe(RomgfxError.prototype);
    expect(RomgfxError.fromJSON({ code: 'ERR_IO', category: 'io', message: 'm' }).details).toEqual({});
    expectTypeOf(rebuilt).toEqualTypeOf<AnyRomgfxError>();
  });

  it('codes are a closed union; details are looked up by code', () => {
    expectTypeOf<'ERR_USAGE'>().toExtend<RomgfxErrorCode>();
    expectTypeOf<'ERR_NOT_A_CODE'>().not.toExtend<RomgfxErrorCode>();
    expectTypeOf<RomgfxErrorDetails<'ERR_QUEUE_FULL'>>().toEqualTypeOf<Readonly<{ limit: number }>>();
    expectTypeOf(new UsageError('x').code).toEqualTypeOf<'ERR_USAGE'>();
    // A subclass is still a RomgfxError of the general type.
    expectTypeOf<InjectionDoesNotFitError>().toExtend<RomgfxError>();
    // @ts-expect-error a code's details must have that code's fields
    new RomgfxError('ERR_QUEUE_FULL', 'internal', 'full', { size: 3 });
  });
});
