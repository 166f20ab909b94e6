/**
 * Commands no encoder writes, in LC_LZ and konami1 streams (nintendo-lz.md §0, §5): the sign of
 * bytes read as a stream. Every encoder of these formats, greedy or optimal (Lunar Compress,
 * sfc-comp, pret's lzcomp, ours), writes the cheaper of two encodings of the same output, so a
 * stream that spends bytes for nothing was not written by one:
 *
 * - two literal commands in a row whose merged literal would be shorter (LC_LZ: together at most
 *   32 bytes, one short header instead of two; konami1: together at most 31);
 * - an LC_LZ long (2-byte) header for a count that fits the short form (commands 0–6);
 * - a fill or copy that costs more bytes than a literal of its output (a 1-byte copy);
 * - a literal holding a run of literalRunAnEncoderFillsInBytes or more equal bytes, counted once
 *   per run: the byte fill (command 1 in every variant) writes any run for 2 bytes (3 in long
 *   form), and splitting the literal around it costs one more literal header, so such a run is
 *   cheaper as a fill by at least 3 bytes and every encoder, greedy or optimal, writes it so.
 *   Padding or an `$FF`-filled memory image read as one long literal is full of them.
 * - LC_LZ: two fills in a row of the same byte (a byte fill `v` and a byte fill `v`; in LZ3 a
 *   zero fill or a byte fill of 0 next to a zero fill) whose run one fill would write in fewer
 *   bytes: an encoder takes a run whole (up to the long form's 1,024 bytes), it never splits it.
 *   Text read as LZ3 is made of these (every lowercase letter is a zero fill with no operand,
 *   nintendo-lz.md §1), and so is code full of small constants.
 *
 * Code and tile data read as LC_LZ are full of these (a byte below 0x20 is a short literal, and
 * runs of them follow each other); a stream from an encoder has none. The scanner rejects a
 * reading with more than nonEncoderLzCommandsTolerated of them.
 */
import type { LcLzVariant } from '../codecs/nintendo/lc-lz-common.js';

/**
 * A literal holding this many equal bytes in a row was not written by an encoder (see the module
 * comment): the fill costs at most 3 bytes and the split literal at most 2 more, so from 6 bytes
 * on the fill is strictly cheaper; 8 leaves a margin for encoders that look for runs only at
 * some positions.
 */
export const literalRunAnEncoderFillsInBytes = 8;

/** Runs of literalRunAnEncoderFillsInBytes or more equal bytes in `data[from, to)`, each counted once. */
export function equalRunsInLiteral(data: Uint8Array, from: number, to: number): number {
  let runs = 0;
  let length = 1;
  for (let i = from + 1; i < to; i++) {
    if (data[i] === data[i - 1]) {
      if (++length === literalRunAnEncoderFillsInBytes) runs++;
    } else length = 1;
  }
  return runs;
}

/**
 * Runs an encoder would have filled (equalRunsInLiteral) inside the literals of the HAL stream
 * from `start` to `end` (hal.md: HAL's byte fill, command 1, makes the same argument hold; inhal
 * at levels 1–4 and our encoder at every level write none, fixtures/hal and test). The count stops
 * once over `stopAbove`.
 */
export function equalRunsInHalLiterals(data: Uint8Array, start: number, end: number, stopAbove = Number.POSITIVE_INFINITY): number {
  let p = start;
  let runs = 0;
  // Each command consumes its header byte at least, so the walk advances.
  while (runs <= stopAbove && parseLcLzCommand(halLayoutVariant, data, p, end)) {
    p += parsedCommand[2]!;
    if (parsedCommand[0] === 0) runs += equalRunsInLiteral(data, p, Math.min(end, p + parsedCommand[1]!));
    p += parsedCommand[3]!;
  }
  return runs;
}

/**
 * The LC_LZ variant whose command layout HAL shares (nintendo-lz.md §0, hal.md): the same headers
 * (short and 2-byte long form), fills with the same operands, 2-byte copy sources. The walks
 * below that only tell literals, fills and copies apart read HAL streams through it.
 */
const halLayoutVariant: LcLzVariant = 1;

/** Non-encoder commands a reading may have and still be taken for a stream. */
export const nonEncoderLzCommandsTolerated = 1;

/** The last command parseLcLzCommand read: its command number, count, header and operand bytes. */
const parsedCommand = new Int32Array(4);

/**
 * Reads the LC_LZ`variant` command at `p` (nintendo-lz.md §0–§4) into parsedCommand; false at
 * the terminator or when its header runs past `end`. Operands are not checked against `end`.
 */
function parseLcLzCommand(variant: LcLzVariant, data: Uint8Array, p: number, end: number): boolean {
  if (p >= end) return false;
  const h = data[p]!;
  if (h === 0xff) return false;
  let command: number;
  let count: number;
  let header = 1;
  if ((h & 0xe0) === 0xe0) {
    if (p + 1 >= end) return false;
    command = (h >> 2) & 7;
    count = (((h & 3) << 8) | data[p + 1]!) + 1;
    header = 2;
  } else {
    command = h >> 5;
    count = (h & 0x1f) + 1;
  }
  const q = p + header;
  let operands: number;
  switch (command) {
    case 0:
      operands = count;
      break;
    case 1:
      operands = 1;
      break;
    case 2:
      operands = 2;
      break;
    case 3:
      operands = variant === 3 ? 0 : 1;
      break;
    default:
      // LZ3: a relative source is 1 byte (bit 7 set), an absolute one 2; LZ5 6–7 are relative; others absolute.
      operands = variant === 3 ? (q < end && (data[q]! & 0x80) !== 0 ? 1 : 2) : variant === 5 && command >= 6 ? 1 : 2;
  }
  parsedCommand[0] = command;
  parsedCommand[1] = count;
  parsedCommand[2] = header;
  parsedCommand[3] = operands;
  return true;
}

/**
 * Commands of the LC_LZ`variant` stream from `start` to `end` that no encoder writes (see the
 * module comment); the count stops early once it exceeds `stopAbove` (the scanner only needs to
 * know that).
 */
export function nonEncoderLcLzCommands(variant: LcLzVariant, data: Uint8Array, start: number, end: number, stopAbove = Number.POSITIVE_INFINITY): number {
  let p = start;
  let found = 0;
  let previousLiteral = 0;
  // The byte and run length of the previous command when it was a fill of one byte, else −1.
  let previousFillByte = -1;
  let previousFillCount = 0;
  let previousFillCost = 0;
  // Each command consumes its header byte at least, so the walk advances.
  while (found <= stopAbove && parseLcLzCommand(variant, data, p, end)) {
    const command = parsedCommand[0]!;
    const count = parsedCommand[1]!;
    const header = parsedCommand[2]!;
    const operands = parsedCommand[3]!;
    p += header;
    if (header === 2 && count <= 32 && command !== 7) found++;
    // The byte a one-byte fill repeats (LZ3's zero fill: 0), or −1.
    const fillByte = command === 1 ? (p < end ? data[p]! : -1) : command === 3 && variant === 3 ? 0 : -1;
    const cost = header + operands;
    if (fillByte >= 0 && fillByte === previousFillByte) {
      const merged = previousFillCount + count;
      // The cheapest single fill of the merged run: LZ3's zero fill has no operand.
      const mergedCost = (merged <= 32 ? 1 : merged <= 1024 ? 2 : Number.POSITIVE_INFINITY) + (fillByte === 0 && variant === 3 ? 0 : 1);
      if (mergedCost < previousFillCost + cost) found++;
    }
    if (fillByte >= 0) {
      previousFillByte = fillByte;
      previousFillCount = count;
      previousFillCost = cost;
    } else previousFillByte = -1;
    if (command === 0) {
      found += equalRunsInLiteral(data, p, Math.min(end, p + count));
      if (previousLiteral > 0) {
        const separate = (previousLiteral <= 32 ? 1 : 2) + header;
        const merged = previousLiteral + count <= 32 ? 1 : previousLiteral + count <= 1024 ? 2 : separate;
        if (merged < separate) found++;
      }
      previousLiteral = count;
    } else {
      previousLiteral = 0;
      if (header + operands > (count <= 32 ? 1 : 2) + count) found++;
    }
    p += operands;
  }
  return found;
}

/** Whether the LC_LZ`variant` command walk from `from` lands on `to` (a reading at `to` is then in step with the one at `from`). */
export function onLcLzCommandChain(variant: LcLzVariant, data: Uint8Array, from: number, to: number): boolean {
  let p = from;
  // Each command moves p forward by at least its header byte.
  while (p < to && parseLcLzCommand(variant, data, p, data.length)) p += parsedCommand[2]! + parsedCommand[3]!;
  return p === to;
}

/**
 * Farthest back a 1-byte relative source reaches, per variant checked (LZ3: 1–128, nintendo-lz.md
 * §3); 0: not checked. LZ1 and LZ2 have no relative source. LZ5's command 6 reaches 255 back
 * (§4), but our greedy `fast` LZ5 encoder, whose hash chains are cut short, misses some of those
 * copies (test/scan/gb-lz3-start.test.ts found one), so LZ5 is not claimed.
 */
const relativeCopyReachByVariant: Readonly<Record<LcLzVariant, number>> = { 1: 0, 2: 0, 3: 128, 5: 0 };
/** The longest run lcLzCommandPairsACopyWrites compares: the long form's count. */
const longestLcLzCountInBytes = 1024;

/**
 * Pairs of consecutive commands, among those writing the first `outputLimit` bytes of `output`
 * (the decoding of the stream at `start`), whose output a single relative copy of the bytes
 * just written would write in fewer bytes. An optimal encoder never writes such a pair (the
 * copy is a cheaper encoding of the same output), nor does a greedy one whose match search is
 * complete (the copy is longer than the first command's output); a greedy encoder with a cut-
 * short search may (our `fast` level's hash chains do, now and then), so the scanner uses the
 * count to compare readings of the same bytes, never to reject one. Data read as a stream
 * repeats itself without copies (a table of records of a few bytes each, each record decoding
 * to the same run).
 * Variants without a checked relative source (relativeCopyReachByVariant) give 0: LZ1's and
 * LZ2's copies are absolute, and a search of the whole output per command would cost too much.
 */
export function lcLzCommandPairsACopyWrites(variant: LcLzVariant, data: Uint8Array, start: number, output: Uint8Array, outputLimit: number): number {
  const reach = relativeCopyReachByVariant[variant];
  if (reach === 0) return 0;
  const limit = Math.min(outputLimit, output.length);
  let p = start;
  let o = 0;
  let found = 0;
  let previousOutput = -1;
  let previousCount = 0;
  let previousCost = 0;
  while (o < limit && parseLcLzCommand(variant, data, p, data.length)) {
    const count = parsedCommand[1]!;
    const cost = parsedCommand[2]! + parsedCommand[3]!;
    p += cost;
    const run = previousCount + count;
    if (previousOutput >= 0 && run <= longestLcLzCountInBytes && previousOutput + run <= output.length) {
      const copyCost = run <= 32 ? 2 : 3;
      if (copyCost < previousCost + cost && repeatsWithin(output, previousOutput, run, reach)) {
        found++;
        // The pair is counted once; the next pair starts after it.
        previousOutput = -1;
        o += count;
        continue;
      }
    }
    previousOutput = o;
    previousCount = count;
    previousCost = cost;
    o += count;
  }
  return found;
}

/** Whether `output[at, at + length)` equals the `length` bytes `distance` back, for some distance 1..reach. */
function repeatsWithin(output: Uint8Array, at: number, length: number, reach: number): boolean {
  const farthest = Math.min(reach, at);
  for (let distance = 1; distance <= farthest; distance++) {
    let k = 0;
    while (k < length && output[at + k] === output[at - distance + k]) k++;
    if (k === length) return true;
  }
  return false;
}

/** Commands of the konami1 stream at `start` (its size word included) that no encoder writes (stopping once over `stopAbove`). */
export function nonEncoderKonami1Commands(data: Uint8Array, start: number, stopAbove = Number.POSITIVE_INFINITY): number {
  const end = Math.min(data.length, start + (data[start]! | (data[start + 1]! << 8)));
  let p = start + 2;
  let found = 0;
  let previousLiteral = 0;
  while (p < end && found <= stopAbove) {
    const b = data[p]!;
    if (b >= 0x81 && b <= 0x9f) {
      const count = b - 0x80;
      if (previousLiteral > 0 && previousLiteral + count <= 31) found++;
      previousLiteral = count;
      p += 1 + count;
      continue;
    }
    previousLiteral = 0;
    if (b < 0x80) p += 2;
    else if (b < 0xc0) p += 1 + (b - 0xa0 + 2);
    else if (b < 0xe0) p += 2;
    else p += 1;
  }
  return found;
}

/**
 * Literal bytes a fills-only stream may carry (see fillsOnlyStream): fewer than one 2bpp row, the
 * least a drawn row that is not a run of one byte takes.
 */
export const fillsOnlyLiteralBytes = 1;

/**
 * Whether the HAL-layout stream (HAL, LC_LZ1/2/5: nintendo-lz.md §0) from `start` to `end` makes
 * its output with fill commands: no copy, and literals an encoder wrote carrying at most
 * fillsOnlyLiteralBytes. A drawn tile holds bytes that are not runs, and the first time an
 * encoder meets such bytes it can only write them as a literal (a copy repeats output already
 * written), so a fills-only stream is runs of equal bytes or words: sample data or a table read as
 * commands, never a tile set. libSFX's BRR samples read as 14 HAL fills made 265 bytes of
 * "mode7". A literal right after a literal short of the 1,024-byte cap is not an encoder's (it
 * extends its pending literal) and is not counted: zero padding before such a reading reads as
 * "literal: one 00" again and again, which carries nothing.
 */
export function fillsOnlyStream(data: Uint8Array, start: number, end: number): boolean {
  let p = start;
  let commands = 0;
  let literalBytes = 0;
  let previousLiteral = 0;
  // Each command consumes its header byte at least, so the walk advances.
  while (parseLcLzCommand(halLayoutVariant, data, p, end)) {
    const command = parsedCommand[0]!;
    const count = parsedCommand[1]!;
    if (command >= 4) return false;
    commands++;
    if (command === 0) {
      if (previousLiteral === 0 || previousLiteral >= maximumLiteralCountInBytes) literalBytes += count;
      if (literalBytes > fillsOnlyLiteralBytes) return false;
      previousLiteral = count;
    } else previousLiteral = 0;
    p += parsedCommand[2]! + parsedCommand[3]!;
  }
  return commands > 0;
}

/** The longest literal one command writes (long form: 10-bit count + 1). */
const maximumLiteralCountInBytes = 1024;
