/**
 * Palettes: console colour formats (BGR555, Mega Drive 9-bit, NES master palette, DMG shades),
 * palette files (JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555, SNES CGRAM dumps) and the
 * index-preserving grayscale ramp. Spec: tiles-and-palettes.md, "Palettes".
 *
 * A Palette is RGB triples in a fixed order; the order is what editors preserve in PNG PLTE
 * chunks, so nothing here ever sorts, merges or de-duplicates colours.
 */
import { PaletteFormatError } from '../errors.js';

/** A palette of up to 256 colours as RGB bytes: what images are drawn with and what ROM palettes decode to. */
export interface Palette {
  /** RGB triples, `count * 3` bytes, in palette order. */
  readonly rgb: Uint8Array;
  readonly count: number;
}

/** A PNG PLTE holds at most 256 entries, and so does every console palette here. */
export const maximumPaletteColourCount = 256;
/** JASC-PAL / GPL text palettes larger than this are refused before parsing. */
export const maximumPaletteTextSizeInBytes = 1 << 20;
/** SNES CGRAM: 256 colours × 2 bytes. */
export const cgramSizeInBytes = 512;
/** Adobe .act: 256 RGB triples, optionally followed by a 4-byte count / transparent-index trailer. */
export const actSizeInBytes = 768;
/** Size of an Adobe .act file with the 4-byte trailer that gives the colour count. */
export const actWithTrailerSizeInBytes = 772;

function checkCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 1 || count > maximumPaletteColourCount) {
    throw new PaletteFormatError(`${what}: ${count} colours; a palette holds 1 to ${maximumPaletteColourCount}`, { count });
  }
}

/** A palette from RGB triples (copied). */
export function paletteFromRgb(rgb: ArrayLike<number>, what = 'palette'): Palette {
  if (rgb.length % 3 !== 0) throw new PaletteFormatError(`${what}: ${rgb.length} channel values is not a whole number of RGB colours`, { length: rgb.length });
  const count = rgb.length / 3;
  checkCount(count, what);
  const bytes = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) {
    const v = rgb[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new PaletteFormatError(`${what}: colour ${Math.floor(i / 3)} has channel value ${v} outside 0-255`, { colour: Math.floor(i / 3), value: v });
    bytes[i] = v;
  }
  return { rgb: bytes, count };
}

/** Colour i as 0xRRGGBB. */
export function paletteColour(palette: Palette, index: number): number {
  const o = index * 3;
  return (palette.rgb[o]! << 16) | (palette.rgb[o + 1]! << 8) | palette.rgb[o + 2]!;
}

/** `#rrggbb` for messages and JSON. */
export function colourHex(rgb24: number): string {
  return '#' + rgb24.toString(16).padStart(6, '0');
}

/** Sub-palette `index` of `colourCount` colours (e.g. CGRAM palette 9 of 16 colours). */
export function subPalette(palette: Palette, index: number, colourCount: number): Palette {
  if (!Number.isInteger(index) || index < 0 || !Number.isInteger(colourCount) || colourCount < 1 || (index + 1) * colourCount > palette.count) {
    throw new PaletteFormatError(`sub-palette ${index} of ${colourCount} colours is outside a ${palette.count}-colour palette`, { index, colourCount, count: palette.count });
  }
  return { rgb: palette.rgb.slice(index * colourCount * 3, (index + 1) * colourCount * 3), count: colourCount };
}

/**
 * The default palette when none is given: a grayscale ramp, index × 255 / (2^bpp − 1) rounded,
 * so the index is recoverable from the gray value (what SpritePal's editors expect).
 */
export function grayscalePalette(bpp: number): Palette {
  if (!Number.isInteger(bpp) || bpp < 1 || bpp > 8) throw new PaletteFormatError(`no grayscale ramp for ${bpp} bpp`, { bpp });
  const count = 1 << bpp;
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) rgb.fill(Math.round((i * 255) / (count - 1)), i * 3, i * 3 + 3);
  return { rgb, count };
}

/** Tile formats whose hardware shows index 0 as the lightest shade (the Game Boy's BGP at power-on, $E4: 0 white … 3 black). */
const lightFirstFormatNames: ReadonlySet<string> = new Set(['gb2bpp']);

/**
 * The palette used when none is given, for tiles of `format`: the grayscale ramp, reversed for
 * Game Boy tiles so index 0 is the lightest shade as on the hardware (pandocs, "BGP": the
 * usual $E4 maps 0 → white, 3 → black). Either way every index has its own gray, so the index
 * stays recoverable from the pixel.
 */
export function defaultGrayscalePalette(format: { readonly name: string; readonly bpp: number }): Palette {
  const ramp = grayscalePalette(format.bpp);
  if (!lightFirstFormatNames.has(format.name)) return ramp;
  const rgb = new Uint8Array(ramp.rgb.length);
  for (let i = 0; i < ramp.count; i++) rgb.set(ramp.rgb.subarray((ramp.count - 1 - i) * 3, (ramp.count - i) * 3), i * 3);
  return { rgb, count: ramp.count };
}

// ---- BGR555 (SNES, GBA, GBC) --------------------------------------------------------------

/** 5-bit channel → 8-bit, `(c << 3) | (c >> 2)` (spec), so 0 → 0 and 31 → 255. */
const expand5 = new Uint8Array(32);
for (let c = 0; c < 32; c++) expand5[c] = (c << 3) | (c >> 2);

/**
 * Decodes little-endian BGR555 colours (bits 0–4 red, 5–9 green, 10–14 blue). Bit 15 is unused
 * by the hardware (spec) and so carries no colour; it is ignored as the console ignores it.
 */
export function decodeBgr555(bytes: Uint8Array, count = bytes.length >> 1): Palette {
  checkCount(count, 'BGR555 palette');
  if (bytes.length < count * 2) throw new PaletteFormatError(`BGR555 palette: ${count} colours need ${count * 2} bytes, got ${bytes.length}`, { count, length: bytes.length });
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const word = bytes[i * 2]! | (bytes[i * 2 + 1]! << 8);
    rgb[i * 3] = expand5[word & 31]!;
    rgb[i * 3 + 1] = expand5[(word >> 5) & 31]!;
    rgb[i * 3 + 2] = expand5[(word >> 10) & 31]!;
  }
  return { rgb, count };
}

/** Encodes a palette as little-endian BGR555 (each channel's top 5 bits; exact for decoded colours). */
export function encodeBgr555(palette: Palette): Uint8Array {
  const bytes = new Uint8Array(palette.count * 2);
  for (let i = 0; i < palette.count; i++) {
    const word = (palette.rgb[i * 3]! >> 3) | ((palette.rgb[i * 3 + 1]! >> 3) << 5) | ((palette.rgb[i * 3 + 2]! >> 3) << 10);
    bytes[i * 2] = word & 0xff;
    bytes[i * 2 + 1] = word >> 8;
  }
  return bytes;
}

// ---- Mega Drive 9-bit ---------------------------------------------------------------------

/** 3-bit channel → 8-bit by bit replication: 0 → 0, 7 → 255. */
const expand3 = new Uint8Array(8);
for (let c = 0; c < 8; c++) expand3[c] = (c << 5) | (c << 2) | (c >> 1);

/**
 * Decodes Mega Drive CRAM colours: 16-bit big-endian `0000 BBB0 GGG0 RRR0`. The zero bits are
 * not wired to the DAC; like the console, the decoder does not read them.
 */
export function decodeMdPalette(bytes: Uint8Array, count = bytes.length >> 1): Palette {
  checkCount(count, 'Mega Drive palette');
  if (bytes.length < count * 2) throw new PaletteFormatError(`Mega Drive palette: ${count} colours need ${count * 2} bytes, got ${bytes.length}`, { count, length: bytes.length });
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const word = (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!;
    rgb[i * 3] = expand3[(word >> 1) & 7]!;
    rgb[i * 3 + 1] = expand3[(word >> 5) & 7]!;
    rgb[i * 3 + 2] = expand3[(word >> 9) & 7]!;
  }
  return { rgb, count };
}

/** Encodes a palette as Mega Drive 9-bit big-endian words (each channel's top 3 bits). */
export function encodeMdPalette(palette: Palette): Uint8Array {
  const bytes = new Uint8Array(palette.count * 2);
  for (let i = 0; i < palette.count; i++) {
    const word = ((palette.rgb[i * 3]! >> 5) << 1) | ((palette.rgb[i * 3 + 1]! >> 5) << 5) | ((palette.rgb[i * 3 + 2]! >> 5) << 9);
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  }
  return bytes;
}

// ---- NES ----------------------------------------------------------------------------------

/** The 2C02's 64-colour master palette, as commonly used by NES tools (0xRRGGBB). */
export const nesMasterPalette: readonly number[] = Object.freeze([
  0x7c7c7c, 0x0000fc, 0x0000bc, 0x4428bc, 0x940084, 0xa80020, 0xa81000, 0x881400, 0x503000, 0x007800, 0x006800, 0x005800, 0x004058, 0x000000, 0x000000, 0x000000,
  0xbcbcbc, 0x0078f8, 0x0058f8, 0x6844fc, 0xd800cc, 0xe40058, 0xf83800, 0xe45c10, 0xac7c00, 0x00b800, 0x00a800, 0x00a844, 0x008888, 0x000000, 0x000000, 0x000000,
  0xf8f8f8, 0x3cbcfc, 0x6888fc, 0x9878f8, 0xf878f8, 0xf85898, 0xf87858, 0xfca044, 0xf8b800, 0xb8f818, 0x58d854, 0x58f898, 0x00e8d8, 0x787878, 0x000000, 0x000000,
  0xfcfcfc, 0xa4e4fc, 0xb8b8f8, 0xd8b8f8, 0xf8b8f8, 0xf8a4c0, 0xf0d0b0, 0xfce0a8, 0xf8d878, 0xd8f878, 0xb8f8b8, 0xb8f8d8, 0x00fcfc, 0xf8d8f8, 0x000000, 0x000000,
]);

/** Decodes NES palette RAM bytes: 6-bit indices into the master palette; a byte over 0x3F is an error. */
export function decodeNesPalette(bytes: Uint8Array): Palette {
  checkCount(bytes.length, 'NES palette');
  const rgb = new Uint8Array(bytes.length * 3);
  for (let i = 0; i < bytes.length; i++) {
    const index = bytes[i]!;
    if (index > 0x3f) throw new PaletteFormatError(`NES palette entry ${i} is ${index}; master palette indices are 0-63`, { entry: i, value: index });
    const colour = nesMasterPalette[index]!;
    rgb[i * 3] = colour >> 16;
    rgb[i * 3 + 1] = (colour >> 8) & 0xff;
    rgb[i * 3 + 2] = colour & 0xff;
  }
  return { rgb, count: bytes.length };
}

// ---- Game Boy (DMG) -----------------------------------------------------------------------

/** DMG shades 0–3 (white → black) as gray levels. */
export const dmgShades: readonly number[] = Object.freeze([0xff, 0xaa, 0x55, 0x00]);

/** The 4-colour palette a BGP/OBP0/OBP1 register value selects: colour i = shade (reg >> 2i) & 3. */
export function decodeDmgPalette(register = 0xe4): Palette {
  if (!Number.isInteger(register) || register < 0 || register > 0xff) throw new PaletteFormatError(`DMG palette register value ${register} is not a byte`, { register });
  const rgb = new Uint8Array(12);
  for (let i = 0; i < 4; i++) rgb.fill(dmgShades[(register >> (2 * i)) & 3]!, i * 3, i * 3 + 3);
  return { rgb, count: 4 };
}

// ---- Files --------------------------------------------------------------------------------

/** The palette file formats romgfx reads and writes: JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555, a CGRAM dump and a PNG's palette. */
export type PaletteFileFormat = 'jasc' | 'gpl' | 'act' | 'bgr555' | 'cgram' | 'png';

function textOf(bytes: Uint8Array, what: string): string {
  if (bytes.length > maximumPaletteTextSizeInBytes) throw new PaletteFormatError(`${what} is ${bytes.length} bytes; text palettes up to ${maximumPaletteTextSizeInBytes} bytes are read`, { length: bytes.length });
  return new TextDecoder('utf-8').decode(bytes);
}

function parseChannel(text: string, line: number, what: string): number {
  if (!/^\d{1,3}$/u.test(text)) throw new PaletteFormatError(`${what} line ${line}: "${text}" is not a colour channel value`, { line });
  const value = Number(text);
  if (value > 255) throw new PaletteFormatError(`${what} line ${line}: channel value ${value} is over 255`, { line, value });
  return value;
}

/** Parses a JASC-PAL file (`JASC-PAL` / `0100` / count / `R G B` lines). */
export function parseJascPal(bytes: Uint8Array): Palette {
  const lines = textOf(bytes, 'JASC-PAL file').split(/\r?\n/u);
  if (lines[0]?.trim() !== 'JASC-PAL') throw new PaletteFormatError('JASC-PAL file does not start with "JASC-PAL"', { line: 1 });
  if (lines[1]?.trim() !== '0100') throw new PaletteFormatError(`JASC-PAL line 2 is "${lines[1] ?? ''}", expected version "0100"`, { line: 2 });
  const countText = lines[2]?.trim() ?? '';
  if (!/^\d{1,3}$/u.test(countText)) throw new PaletteFormatError(`JASC-PAL line 3 is "${countText}", expected the colour count`, { line: 3 });
  const count = Number(countText);
  checkCount(count, 'JASC-PAL file');
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const lineNumber = i + 4;
    const fields = (lines[i + 3] ?? '').trim().split(/\s+/u);
    // Some tools add a fourth (alpha) column; romgfx reads only the colour.
    if (fields.length < 3 || fields.length > 4) throw new PaletteFormatError(`JASC-PAL line ${lineNumber}: expected "R G B", got "${lines[i + 3] ?? '(end of file)'}"`, { line: lineNumber });
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = parseChannel(fields[c]!, lineNumber, 'JASC-PAL');
  }
  return { rgb, count };
}

/** Serialises a palette as JASC-PAL text (CRLF line ends, as Paint Shop Pro writes them). */
export function formatJascPal(palette: Palette): string {
  const lines = ['JASC-PAL', '0100', String(palette.count)];
  for (let i = 0; i < palette.count; i++) lines.push(`${palette.rgb[i * 3]} ${palette.rgb[i * 3 + 1]} ${palette.rgb[i * 3 + 2]}`);
  return lines.join('\r\n') + '\r\n';
}

/** Parses a GIMP palette (`GIMP Palette`, optional Name:/Columns:, `#` comments, `R G B name` lines). */
export function parseGpl(bytes: Uint8Array): Palette {
  const lines = textOf(bytes, 'GIMP palette').split(/\r?\n/u);
  if (lines[0]?.trim() !== 'GIMP Palette') throw new PaletteFormatError('GIMP palette does not start with "GIMP Palette"', { line: 1 });
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || /^(Name|Columns):/u.test(line)) continue;
    const fields = line.split(/\s+/u);
    if (fields.length < 3) throw new PaletteFormatError(`GIMP palette line ${i + 1}: expected "R G B [name]", got "${line}"`, { line: i + 1 });
    for (let c = 0; c < 3; c++) values.push(parseChannel(fields[c]!, i + 1, 'GIMP palette'));
    if (values.length / 3 > maximumPaletteColourCount) throw new PaletteFormatError(`GIMP palette has more than ${maximumPaletteColourCount} colours`, { line: i + 1 });
  }
  return paletteFromRgb(values, 'GIMP palette');
}

/** The palette as a GIMP .gpl text file. */
export function formatGpl(palette: Palette, name = 'romgfx'): string {
  const lines = ['GIMP Palette', `Name: ${name}`, 'Columns: 16', '#'];
  for (let i = 0; i < palette.count; i++) {
    const r = palette.rgb[i * 3]!;
    const g = palette.rgb[i * 3 + 1]!;
    const b = palette.rgb[i * 3 + 2]!;
    lines.push(`${String(r).padStart(3)} ${String(g).padStart(3)} ${String(b).padStart(3)}\tIndex ${i}`);
  }
  return lines.join('\n') + '\n';
}

/** Parses an Adobe .act: 256 RGB triples, with an optional trailer (colour count, transparent index; big-endian u16 each). */
export function parseAct(bytes: Uint8Array): Palette {
  if (bytes.length !== actSizeInBytes && bytes.length !== actWithTrailerSizeInBytes) {
    throw new PaletteFormatError(`Adobe .act palette is ${bytes.length} bytes; expected ${actSizeInBytes} or ${actWithTrailerSizeInBytes}`, { length: bytes.length });
  }
  let count = 256;
  if (bytes.length === actWithTrailerSizeInBytes) {
    count = (bytes[768]! << 8) | bytes[769]!;
    // Photoshop writes 0 to mean "all 256".
    if (count === 0) count = 256;
    checkCount(count, 'Adobe .act palette');
  }
  return { rgb: bytes.slice(0, count * 3), count };
}

/** The palette as an Adobe .act file (772 bytes, with the colour-count trailer). */
export function formatAct(palette: Palette): Uint8Array {
  const bytes = new Uint8Array(actWithTrailerSizeInBytes);
  bytes.set(palette.rgb);
  bytes[768] = palette.count >> 8;
  bytes[769] = palette.count & 0xff;
  bytes[770] = 0xff; // no transparent index
  bytes[771] = 0xff;
  return bytes;
}

/** The PNG signature (PNG spec 5.2). */
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
/** Bytes of a chunk around its data: length, type, CRC (PNG spec 5.3). */
const pngChunkOverheadInBytes = 12;
/** Chunks walked looking for PLTE before giving up (PLTE comes before IDAT; a real file has a handful first). */
const maximumPngChunksBeforePalette = 4096;

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= pngSignature.length && pngSignature.every((b, i) => bytes[i] === b);
}

/**
 * The PLTE of a PNG as a palette (PNG spec 11.2.3: 1–256 RGB triples, before the first IDAT),
 * so an indexed PNG — an extracted sprite, an editor's swatch — can be passed as a palette file.
 * Only the chunk walk is done here (no pixels are decoded); every length is checked.
 */
export function parsePngPalette(bytes: Uint8Array): Palette {
  if (!isPng(bytes)) throw new PaletteFormatError('not a PNG file (bad signature)', {});
  let at = pngSignature.length;
  for (let chunks = 0; chunks < maximumPngChunksBeforePalette && at + pngChunkOverheadInBytes <= bytes.length; chunks++) {
    const length = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (length > bytes.length - at - pngChunkOverheadInBytes) throw new PaletteFormatError(`PNG chunk ${type} at 0x${at.toString(16).toUpperCase()} claims ${length} bytes; only ${bytes.length - at - pngChunkOverheadInBytes} follow`, { offset: at, length });
    if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > maximumPaletteColourCount * 3) throw new PaletteFormatError(`PNG PLTE chunk is ${length} bytes; expected 3 to ${maximumPaletteColourCount * 3} in whole RGB triples`, { offset: at, length });
      return { rgb: bytes.slice(at + 8, at + 8 + length), count: length / 3 };
    }
    if (type === 'IDAT' || type === 'IEND') break;
    at += length + pngChunkOverheadInBytes;
  }
  throw new PaletteFormatError('the PNG has no palette (PLTE): only an indexed PNG can serve as a palette file; pass its colours as a .pal/.gpl/.act instead', {});
}

/** Guesses a palette file's format from its content and name. */
export function detectPaletteFileFormat(bytes: Uint8Array, fileName = ''): PaletteFileFormat {
  if (isPng(bytes)) return 'png';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
  if (head.startsWith('JASC-PAL')) return 'jasc';
  if (head.startsWith('GIMP Palette')) return 'gpl';
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.act')) return 'act';
  if (lower.endsWith('.gpl')) return 'gpl';
  if (bytes.length === cgramSizeInBytes) return 'cgram';
  if ((bytes.length === actSizeInBytes || bytes.length === actWithTrailerSizeInBytes) && !lower.endsWith('.bin')) return 'act';
  return 'bgr555';
}

/** Reads a palette file: JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555 (.pal/.bin), a 512-byte SNES CGRAM dump, or an indexed PNG (its PLTE). */
export function parsePaletteFile(bytes: Uint8Array, fileName = '', format: PaletteFileFormat = detectPaletteFileFormat(bytes, fileName)): Palette {
  switch (format) {
    case 'jasc':
      return parseJascPal(bytes);
    case 'gpl':
      return parseGpl(bytes);
    case 'act':
      return parseAct(bytes);
    case 'png':
      return parsePngPalette(bytes);
    case 'cgram':
      if (bytes.length !== cgramSizeInBytes) throw new PaletteFormatError(`CGRAM dump is ${bytes.length} bytes; expected ${cgramSizeInBytes}`, { length: bytes.length });
      return decodeBgr555(bytes, 256);
    case 'bgr555':
      if (bytes.length === 0 || bytes.length % 2 !== 0) throw new PaletteFormatError(`raw BGR555 palette is ${bytes.length} bytes; expected a non-zero even length`, { length: bytes.length });
      if (bytes.length > maximumPaletteColourCount * 2) throw new PaletteFormatError(`raw BGR555 palette is ${bytes.length} bytes; at most ${maximumPaletteColourCount} colours (${maximumPaletteColourCount * 2} bytes) are read`, { length: bytes.length });
      return decodeBgr555(bytes);
  }
}

/** Bytes per colour of each console's palette memory format. */
export function consolePaletteBytesPerColour(platform: string): number {
  return platform === 'nes' ? 1 : 2;
}

/**
 * Decodes `count` colours of palette memory in the console's own format: BGR555 for SNES, GBA
 * and GB/GBC (and unknown files), Mega Drive 9-bit for md, master-palette indices for nes.
 */
export function decodeConsolePalette(platform: string, bytes: Uint8Array, count: number): Palette {
  checkCount(count, `${platform} palette`);
  const needed = count * consolePaletteBytesPerColour(platform);
  if (bytes.length < needed) throw new PaletteFormatError(`${platform} palette: ${count} colours need ${needed} bytes, got ${bytes.length}`, { count, length: bytes.length });
  if (platform === 'md') return decodeMdPalette(bytes, count);
  if (platform === 'nes') return decodeNesPalette(bytes.subarray(0, count));
  return decodeBgr555(bytes, count);
}
