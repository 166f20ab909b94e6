/**
 * The LZ copy of the Sega decoders: `length` bytes from `distance` back, overlap allowed (a
 * distance shorter than the length repeats the last `distance` bytes). Short copies go byte by
 * byte; longer ones use `copyWithin` in chunks that double, since once `distance` bytes are
 * copied the output is periodic and the bytes just written are a valid source.
 */
const byteLoopBelowLengthInBytes = 16;

/** Copies `length` bytes from `outPos − distance` to `outPos` in `out` (1 ≤ distance ≤ outPos). */
export function copyMatch(out: Uint8Array, outPos: number, distance: number, length: number): void {
  const source = outPos - distance;
  if (length < byteLoopBelowLengthInBytes) {
    for (let k = 0; k < length; k++) out[outPos + k] = out[source + k]!;
    return;
  }
  if (distance >= length) {
    out.copyWithin(outPos, source, source + length);
    return;
  }
  out.copyWithin(outPos, source, outPos);
  let done = distance;
  while (done < length) {
    const chunk = Math.min(done, length - done);
    out.copyWithin(outPos + done, outPos, outPos + chunk);
    done += chunk;
  }
}
