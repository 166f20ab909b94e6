/**
 * Reading and checking game definition files. Every field is checked by hand here, mirroring
 * docs/game-definition.schema.json rule for rule (a test keeps the two in step), so a bad file
 * fails with a `DefinitionError` naming the field (`/sprites/3/offset`) and what was expected.
 */
import { arrangementKinds, maximumBlockSideInTiles, maximumSheetTilesPerRow } from '../vocabulary.js';
import { getCodec } from '../codecs/registry.js';
import { convertTargets } from '../convert/targets.js';
import { DefinitionError, DefinitionPathError } from '../errors.js';
import { parseBusAddress, parseOffset } from '../rom/address.js';
import { maximumRomSizeInBytes, readFileBytes } from '../rom/source.js';
import { findJsonSyntaxError } from '../util/json-syntax.js';
import { definitionFilePathProblem } from './paths.js';
import {
  definitionCodecNames,
  definitionPlatforms,
  gameDefinitionFormatVersion,
  paletteFormats,
  pointerForms,
  sheetOrders,
  tileFormatBytesPerTile,
  tileFormatNames,
  type Arrangement,
  type CodecName,
  type DefLocation,
  type DefinitionPlatform,
  type FreeRange,
  type GameDefinition,
  type PaletteSource,
  type PointerDef,
  type PointerForm,
  type PointerLocation,
  type ScreenDef,
  type SpriteDef,
  type TileFormatName,
  type Variant,
} from './types.js';

/** A definition file larger than this is not a hand-written description of one game. */
export const maximumDefinitionFileSizeInBytes = 16 * 1024 * 1024;
export const maximumVariantsPerDefinition = 256;
export const maximumSpritesPerDefinition = 65_536;
export const maximumPointersPerDefinition = 65_536;
export const maximumFreeRangesPerDefinition = 65_536;
/** Screens a definition may declare. */
export const maximumScreensPerDefinition = 65_536;
export const maximumNameLengthInCharacters = 200;
export const maximumNotesLengthInCharacters = 10_000;
/** A sprite or block has at most this many tiles (a whole 64 MiB ROM of 8bpp tiles is 1 Mi tiles). */
export const maximumTileCount = 1 << 20;
/** Bus addresses are at most 32 bits (GBA); SNES ones 24. */
export const maximumBusAddress = 0xffffffff;

/** Identifiers: ids of definitions and variants. */
export const identifierPattern = /^[a-z0-9][a-z0-9._-]*$/u;
const hexOffsetPattern = /^0x[0-9a-fA-F]{1,8}$/u;
const busAddressPattern = /^(\$[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,4}|\$[0-9a-fA-F]{1,8})$/u;
const crc32Pattern = /^(0x)?[0-9a-fA-F]{8}$/u;
const sha1Pattern = /^[0-9a-fA-F]{40}$/u;

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/gu, '~0').replace(/\//gu, '~1');
}

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Field paths and errors for one document. */
export class FieldChecker {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }

  fail(path: string, problem: string): never {
    throw new DefinitionError(this.source, path, problem);
  }

  /** `json` as a value: parsed when it is JSON text (a syntax error names the document), else as given. */
  document(json: unknown): unknown {
    if (typeof json !== 'string') return json;
    try {
      return JSON.parse(json) as unknown;
    } catch (error) {
      // Where it broke, as an editor shows it: line and column (details carry them for programs).
      const where = findJsonSyntaxError(json);
      if (where === undefined) return this.fail('', `not valid JSON: ${(error as Error).message}`);
      throw new DefinitionError(this.source, '', `not valid JSON at line ${where.line}, column ${where.column}: ${where.problem}`, { file: this.source, line: where.line, column: where.column });
    }
  }

  describe(value: Json): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    if (typeof value === 'object') return 'an object';
    return `${typeof value} ${String(value)}`;
  }

  object(value: Json, path: string): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected an object, got ${this.describe(value)}`);
    return value as JsonObject;
  }

  array(value: Json, path: string, maximumItems: number): Json[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${this.describe(value)}`);
    if (value.length > maximumItems) this.fail(path, `expected at most ${maximumItems} items, got ${value.length}`);
    return value;
  }

  /** Rejects properties not in `allowed` (keys starting with "_" are comments and always allowed). */
  onlyKnownKeys(object: JsonObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (key.startsWith('_') || allowed.includes(key)) continue;
      this.fail(`${path}/${pointerSegment(key)}`, `unknown property; expected one of ${allowed.join(', ')}`);
    }
  }

  string(value: Json, path: string, maximumLength: number): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${this.describe(value)}`);
    if (value.length === 0) this.fail(path, 'expected a non-empty string');
    if (value.length > maximumLength) this.fail(path, `expected at most ${maximumLength} characters, got ${value.length}`);
    return value;
  }

  identifier(value: Json, path: string): string {
    const text = this.string(value, path, maximumNameLengthInCharacters);
    if (!identifierPattern.test(text)) this.fail(path, `expected an identifier (lowercase letters, digits, ".", "_", "-"; starting with a letter or digit), got ${JSON.stringify(text)}`);
    return text;
  }

  integer(value: Json, path: string, minimum: number, maximum: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(path, `expected an integer, got ${this.describe(value)}`);
    if (value < minimum || value > maximum) this.fail(path, `expected an integer from ${minimum} to ${maximum}, got ${value}`);
    return value;
  }

  /** An integer written as a number or a "0x…" string. */
  integerOrHex(value: Json, path: string, minimum: number, maximum: number): number {
    if (typeof value === 'string') {
      if (!hexOffsetPattern.test(value)) this.fail(path, `expected a number or a "0x…" hex string, got ${this.describe(value)}`);
      return this.integer(Number.parseInt(value.slice(2), 16), path, minimum, maximum);
    }
    return this.integer(value, path, minimum, maximum);
  }

  oneOf<T extends string>(value: Json, path: string, allowed: readonly T[], what: string): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(path, `expected a ${what}: one of ${allowed.join(', ')}; got ${this.describe(value)}`);
    }
    return value as T;
  }

  /** A ROM offset (number or "0x…") or, when `allowBus`, a bus address ("$C0:1234", "C0:1234", "$C01234"). */
  location(value: Json, path: string, allowBus: boolean): DefLocation {
    if (typeof value === 'number') {
      const offset = this.integer(value, path, 0, maximumRomSizeInBytes - 1);
      return { kind: 'offset', value: offset, text: '0x' + offset.toString(16).toUpperCase() };
    }
    if (typeof value !== 'string') this.fail(path, `expected a ROM offset (number or "0x…")${allowBus ? ' or a bus address ("$C0:1234")' : ''}, got ${this.describe(value)}`);
    if (hexOffsetPattern.test(value)) {
      const offset = parseOffset(value);
      if (offset > maximumRomSizeInBytes - 1) this.fail(path, `ROM offset ${value} is past the largest ROM romgfx opens (${maximumRomSizeInBytes} bytes)`);
      return { kind: 'offset', value: offset, text: value };
    }
    if (busAddressPattern.test(value)) {
      if (!allowBus) this.fail(path, `expected a ROM offset (number or "0x…"), not a bus address: got ${JSON.stringify(value)}`);
      return { kind: 'bus', value: parseBusAddress(value), text: value };
    }
    return this.fail(path, `expected a ROM offset (number or "0x…")${allowBus ? ' or a bus address ("$C0:1234", "C0:1234", "$C01234")' : ''}, got ${this.describe(value)}`);
  }
}

function parseVariant(c: FieldChecker, value: Json, path: string): Variant {
  const o = c.object(value, path);
  c.onlyKnownKeys(o, path, ['id', 'name', 'region', 'crc32', 'sha1', 'headerChecksum', 'title', 'size']);
  const variant: Variant = { id: c.identifier(o.id, `${path}/id`) };
  if (o.name !== undefined) variant.name = c.string(o.name, `${path}/name`, maximumNameLengthInCharacters);
  if (o.region !== undefined) variant.region = c.string(o.region, `${path}/region`, maximumNameLengthInCharacters);
  if (o.crc32 !== undefined) {
    if (typeof o.crc32 !== 'string' || !crc32Pattern.test(o.crc32)) c.fail(`${path}/crc32`, `expected 8 hex digits (optionally "0x"-prefixed), got ${c.describe(o.crc32)}`);
    variant.crc32 = Number.parseInt(o.crc32.replace(/^0x/iu, ''), 16) >>> 0;
  }
  if (o.sha1 !== undefined) {
    if (typeof o.sha1 !== 'string' || !sha1Pattern.test(o.sha1)) c.fail(`${path}/sha1`, `expected 40 hex digits, got ${c.describe(o.sha1)}`);
    variant.sha1 = o.sha1.toLowerCase();
  }
  if (o.headerChecksum !== undefined) variant.headerChecksum = c.integerOrHex(o.headerChecksum, `${path}/headerChecksum`, 0, 0xffff);
  if (o.title !== undefined) variant.title = c.string(o.title, `${path}/title`, maximumNameLengthInCharacters);
  if (o.size !== undefined) variant.size = c.integer(o.size, `${path}/size`, 1, maximumRomSizeInBytes);
  if (variant.crc32 === undefined && variant.sha1 === undefined && variant.headerChecksum === undefined && variant.title === undefined) {
    c.fail(path, 'a variant needs at least one of crc32, sha1, headerChecksum, title to be recognised by');
  }
  return variant;
}

function parseArrangement(c: FieldChecker, value: Json, path: string): Arrangement {
  const o = c.object(value, path);
  const kind = c.oneOf(o.kind, `${path}/kind`, arrangementKinds, 'arrangement kind');
  switch (kind) {
    case 'sheet': {
      c.onlyKnownKeys(o, path, ['kind', 'tilesPerRow', 'order']);
      const arrangement: Arrangement = { kind };
      if (o.tilesPerRow !== undefined) arrangement.tilesPerRow = c.integer(o.tilesPerRow, `${path}/tilesPerRow`, 1, maximumSheetTilesPerRow);
      if (o.order !== undefined) arrangement.order = c.oneOf(o.order, `${path}/order`, sheetOrders, 'tile order');
      return arrangement;
    }
    case 'snes-obj': {
      c.onlyKnownKeys(o, path, ['kind', 'size']);
      if (o.size !== 16 && o.size !== 32 && o.size !== 64) c.fail(`${path}/size`, `expected 16, 32 or 64 (pixels), got ${c.describe(o.size)}`);
      return { kind, size: o.size };
    }
    case 'gb-8x16':
      c.onlyKnownKeys(o, path, ['kind']);
      return { kind };
    case 'block':
      c.onlyKnownKeys(o, path, ['kind', 'width', 'height']);
      return { kind, width: c.integer(o.width, `${path}/width`, 1, maximumBlockSideInTiles), height: c.integer(o.height, `${path}/height`, 1, maximumBlockSideInTiles) };
  }
}

function parsePalette(c: FieldChecker, value: Json, path: string): PaletteSource {
  const o = c.object(value, path);
  if (o.rom !== undefined) {
    c.onlyKnownKeys(o, path, ['rom', 'count', 'format']);
    const palette: PaletteSource = { rom: c.location(o.rom, `${path}/rom`, true) };
    if (o.count !== undefined) palette.count = c.integer(o.count, `${path}/count`, 1, 256);
    if (o.format !== undefined) palette.format = c.oneOf(o.format, `${path}/format`, paletteFormats, 'palette format');
    return palette;
  }
  if (o.file !== undefined) {
    c.onlyKnownKeys(o, path, ['file']);
    const file = c.string(o.file, `${path}/file`, 4096);
    // Only files inside the definition's folder (docs/file-safety.md); links are checked on read.
    const problem = definitionFilePathProblem(file);
    if (problem !== undefined) throw new DefinitionPathError(c.source, `${path}/file`, file, problem);
    return { file };
  }
  if (o.cgram !== undefined) {
    c.onlyKnownKeys(o, path, ['cgram']);
    return { cgram: c.integer(o.cgram, `${path}/cgram`, 0, 15) };
  }
  return c.fail(path, 'expected one of { "rom": offset, "count"?, "format"? }, { "file": path }, { "cgram": row 0–15 }');
}

/** A pinned level must be one the sprite's codec has, checked against the registry now, not at injection time. */
function parseLevel(c: FieldChecker, value: Json, path: string, codec: CodecName): string {
  const level = c.string(value, path, maximumNameLengthInCharacters);
  const levels = codec === 'none' ? [] : getCodec(codec).levels;
  if (levels.length === 0) c.fail(path, `codec ${JSON.stringify(codec)} has no compression levels to choose from`);
  if (!levels.includes(level)) c.fail(path, `codec ${JSON.stringify(codec)} has no level ${JSON.stringify(level)} (levels: ${levels.join(', ')})`);
  return level;
}

function parseSprite(c: FieldChecker, value: Json, path: string, variantIds: ReadonlySet<string>): SpriteDef {
  const o = c.object(value, path);
  c.onlyKnownKeys(o, path, ['name', 'kind', 'offset', 'variantOffsets', 'codec', 'tileFormat', 'tileCount', 'byteLength', 'storedLength', 'level', 'arrangement', 'palette', 'notes']);
  const sprite: SpriteDef = {
    name: c.string(o.name, `${path}/name`, maximumNameLengthInCharacters),
    kind: o.kind === undefined ? 'sprite' : c.oneOf(o.kind, `${path}/kind`, ['sprite', 'graphics'] as const, 'kind'),
    offset: c.location(o.offset, `${path}/offset`, true),
    variantOffsets: {},
    codec: o.codec === undefined ? 'none' : c.oneOf<CodecName>(o.codec, `${path}/codec`, definitionCodecNames(), 'codec name'),
  };
  if (o.variantOffsets !== undefined) {
    const offsets = c.object(o.variantOffsets, `${path}/variantOffsets`);
    for (const [id, location] of Object.entries(offsets)) {
      const at = `${path}/variantOffsets/${pointerSegment(id)}`;
      if (!variantIds.has(id)) c.fail(at, `no variant has id ${JSON.stringify(id)} (variants: ${[...variantIds].join(', ')})`);
      sprite.variantOffsets[id] = c.location(location, at, true);
    }
  }
  if (o.tileFormat !== undefined) sprite.tileFormat = c.oneOf<TileFormatName>(o.tileFormat, `${path}/tileFormat`, tileFormatNames, 'tile format');
  if (o.tileCount !== undefined) sprite.tileCount = c.integer(o.tileCount, `${path}/tileCount`, 1, maximumTileCount);
  if (o.byteLength !== undefined) sprite.byteLength = c.integer(o.byteLength, `${path}/byteLength`, 1, maximumRomSizeInBytes);
  if (o.storedLength !== undefined) sprite.storedLength = c.integer(o.storedLength, `${path}/storedLength`, 1, maximumRomSizeInBytes);
  if (o.level !== undefined) sprite.level = parseLevel(c, o.level, `${path}/level`, sprite.codec);
  if (o.arrangement !== undefined) sprite.arrangement = parseArrangement(c, o.arrangement, `${path}/arrangement`);
  if (o.palette !== undefined) sprite.palette = parsePalette(c, o.palette, `${path}/palette`);
  if (o.notes !== undefined) sprite.notes = c.string(o.notes, `${path}/notes`, maximumNotesLengthInCharacters);
  if (sprite.codec === 'none' && sprite.tileCount === undefined && sprite.byteLength === undefined) {
    c.fail(path, 'a raw (codec "none") block needs tileCount or byteLength: nothing else says where it ends');
  }
  if (sprite.tileCount !== undefined && sprite.byteLength !== undefined && sprite.tileFormat !== undefined) {
    const expected = sprite.tileCount * tileFormatBytesPerTile[sprite.tileFormat];
    if (expected !== sprite.byteLength) {
      c.fail(`${path}/byteLength`, `${sprite.tileCount} ${sprite.tileFormat} tiles are ${expected} bytes, but byteLength is ${sprite.byteLength}`);
    }
  }
  return sprite;
}

function parseScreen(c: FieldChecker, value: Json, path: string, spriteNames: ReadonlySet<string>): ScreenDef {
  const o = c.object(value, path);
  c.onlyKnownKeys(o, path, ['name', 'target', 'bpp', 'tiles', 'map', 'palette', 'notes']);
  const entry = (field: 'tiles' | 'map' | 'palette'): string => {
    const name = c.string(o[field], `${path}/${field}`, maximumNameLengthInCharacters);
    if (!spriteNames.has(name)) c.fail(`${path}/${field}`, `no sprite or graphics entry is named ${JSON.stringify(name)}`);
    return name;
  };
  const screen: ScreenDef = {
    name: c.string(o.name, `${path}/name`, maximumNameLengthInCharacters),
    target: c.oneOf(o.target, `${path}/target`, convertTargets, 'convert target'),
    tiles: entry('tiles'),
    map: entry('map'),
  };
  if (o.bpp !== undefined) {
    const bpp = c.integer(o.bpp, `${path}/bpp`, 1, 8);
    if (![1, 2, 3, 4, 8].includes(bpp)) c.fail(`${path}/bpp`, `expected 1, 2, 3, 4 or 8 bits per pixel, got ${bpp}`);
    screen.bpp = bpp;
  }
  if (o.palette !== undefined) screen.palette = entry('palette');
  if (o.notes !== undefined) screen.notes = c.string(o.notes, `${path}/notes`, maximumNotesLengthInCharacters);
  if (screen.map === screen.tiles || screen.palette === screen.tiles || screen.palette === screen.map) c.fail(path, 'tiles, map and palette must be three different entries');
  return screen;
}

const snesPointerForms: readonly PointerForm[] = ['snes-lorom24', 'snes24', 'snes16+bank'];

function parsePointer(c: FieldChecker, value: Json, path: string, platform: DefinitionPlatform, spriteNames: ReadonlySet<string>, variantIds: ReadonlySet<string>): PointerDef {
  const o = c.object(value, path);
  c.onlyKnownKeys(o, path, ['name', 'target', 'form', 'at', 'bankAt', 'variantAt', 'notes']);
  const form = c.oneOf(o.form, `${path}/form`, pointerForms, 'pointer form');
  if (snesPointerForms.includes(form) && platform !== 'snes') c.fail(`${path}/form`, `${form} pointers are SNES bus addresses; this definition is for ${platform}`);
  if (form === 'gba32' && platform !== 'gba') c.fail(`${path}/form`, `gba32 pointers are GBA bus addresses; this definition is for ${platform}`);
  const target = c.string(o.target, `${path}/target`, maximumNameLengthInCharacters);
  if (!spriteNames.has(target)) c.fail(`${path}/target`, `no sprite is named ${JSON.stringify(target)}`);
  const needsBank = form === 'snes16+bank';
  const pointer: PointerDef = { target, form, at: c.location(o.at, `${path}/at`, true), variantAt: {} };
  if (o.name !== undefined) pointer.name = c.string(o.name, `${path}/name`, maximumNameLengthInCharacters);
  if (needsBank) {
    if (o.bankAt === undefined) c.fail(`${path}/bankAt`, 'required for form "snes16+bank": where the bank byte is stored');
    pointer.bankAt = c.location(o.bankAt, `${path}/bankAt`, true);
  } else if (o.bankAt !== undefined) {
    c.fail(`${path}/bankAt`, `only used with form "snes16+bank" (this pointer is ${form})`);
  }
  if (o.variantAt !== undefined) {
    const overrides = c.object(o.variantAt, `${path}/variantAt`);
    for (const [id, entry] of Object.entries(overrides)) {
      const at = `${path}/variantAt/${pointerSegment(id)}`;
      if (!variantIds.has(id)) c.fail(at, `no variant has id ${JSON.stringify(id)} (variants: ${[...variantIds].join(', ')})`);
      const e = c.object(entry, at);
      c.onlyKnownKeys(e, at, needsBank ? ['at', 'bankAt'] : ['at']);
      const location: PointerLocation = { at: c.location(e.at, `${at}/at`, true) };
      if (needsBank) {
        if (e.bankAt === undefined) c.fail(`${at}/bankAt`, 'required for form "snes16+bank"');
        location.bankAt = c.location(e.bankAt, `${at}/bankAt`, true);
      }
      pointer.variantAt[id] = location;
    }
  }
  if (o.notes !== undefined) pointer.notes = c.string(o.notes, `${path}/notes`, maximumNotesLengthInCharacters);
  return pointer;
}

function parseFreeRange(c: FieldChecker, value: Json, path: string, variantIds: ReadonlySet<string>): FreeRange {
  const o = c.object(value, path);
  c.onlyKnownKeys(o, path, ['start', 'end', 'variants', 'notes']);
  const start = c.location(o.start, `${path}/start`, false).value;
  const endValue = o.end;
  const end = typeof endValue === 'number' ? c.integer(endValue, `${path}/end`, 1, maximumRomSizeInBytes) : c.integerOrHex(endValue, `${path}/end`, 1, maximumRomSizeInBytes);
  if (end <= start) c.fail(`${path}/end`, `expected end (exclusive) greater than start ${'0x' + start.toString(16).toUpperCase()}, got ${'0x' + end.toString(16).toUpperCase()}`);
  const range: FreeRange = { start, end };
  if (o.variants !== undefined) {
    const list = c.array(o.variants, `${path}/variants`, maximumVariantsPerDefinition);
    if (list.length === 0) c.fail(`${path}/variants`, 'expected at least one variant id (leave the field out for all variants)');
    range.variants = list.map((id, i) => {
      const text = c.identifier(id, `${path}/variants/${i}`);
      if (!variantIds.has(text)) c.fail(`${path}/variants/${i}`, `no variant has id ${JSON.stringify(text)}`);
      return text;
    });
  }
  if (o.notes !== undefined) range.notes = c.string(o.notes, `${path}/notes`, maximumNotesLengthInCharacters);
  return range;
}

function appliesTogether(a: FreeRange, b: FreeRange): boolean {
  if (!a.variants || !b.variants) return true;
  return a.variants.some((v) => b.variants!.includes(v));
}

/**
 * Checks a parsed JSON value (or JSON text) as a game definition and returns it in its checked
 * form. `sourceName` names the document in errors (a path, usually).
 */
export function parseGameDefinition(json: unknown, sourceName: string): GameDefinition {
  const c = new FieldChecker(sourceName);
  const o = c.object(c.document(json), '');
  c.onlyKnownKeys(o, '', ['$schema', 'formatVersion', 'id', 'name', 'platform', 'notes', 'variants', 'sprites', 'pointers', 'freeSpace', 'screens']);
  if (o.$schema !== undefined) c.string(o.$schema, '/$schema', 4096);
  if (o.formatVersion !== gameDefinitionFormatVersion) c.fail('/formatVersion', `expected ${gameDefinitionFormatVersion}, got ${c.describe(o.formatVersion)}`);
  const id = c.identifier(o.id, '/id');
  const name = c.string(o.name, '/name', maximumNameLengthInCharacters);
  const platform = c.oneOf(o.platform, '/platform', definitionPlatforms, 'platform');

  const variantList = c.array(o.variants, '/variants', maximumVariantsPerDefinition);
  if (variantList.length === 0) c.fail('/variants', 'expected at least one variant (how to recognise the ROM)');
  const variants: Variant[] = [];
  const variantIds = new Set<string>();
  variantList.forEach((v, i) => {
    const variant = parseVariant(c, v, `/variants/${i}`);
    if (variantIds.has(variant.id)) c.fail(`/variants/${i}/id`, `duplicate variant id ${JSON.stringify(variant.id)}`);
    variantIds.add(variant.id);
    variants.push(variant);
  });

  const sprites: SpriteDef[] = [];
  const spriteNames = new Set<string>();
  c.array(o.sprites, '/sprites', maximumSpritesPerDefinition).forEach((s, i) => {
    const sprite = parseSprite(c, s, `/sprites/${i}`, variantIds);
    if (spriteNames.has(sprite.name)) c.fail(`/sprites/${i}/name`, `duplicate sprite name ${JSON.stringify(sprite.name)}`);
    spriteNames.add(sprite.name);
    sprites.push(sprite);
  });

  const pointers: PointerDef[] =
    o.pointers === undefined ? [] : c.array(o.pointers, '/pointers', maximumPointersPerDefinition).map((p, i) => parsePointer(c, p, `/pointers/${i}`, platform, spriteNames, variantIds));

  const freeSpace: FreeRange[] =
    o.freeSpace === undefined ? [] : c.array(o.freeSpace, '/freeSpace', maximumFreeRangesPerDefinition).map((r, i) => parseFreeRange(c, r, `/freeSpace/${i}`, variantIds));
  // Overlapping free ranges would let an injector hand out the same bytes twice.
  const order = freeSpace.map((_, i) => i).sort((a, b) => freeSpace[a]!.start - freeSpace[b]!.start);
  for (let i = 0; i < order.length; i++) {
    const a = freeSpace[order[i]!]!;
    for (let j = i + 1; j < order.length; j++) {
      const b = freeSpace[order[j]!]!;
      if (b.start >= a.end) break;
      if (appliesTogether(a, b)) c.fail(`/freeSpace/${order[j]}`, `overlaps /freeSpace/${order[i]} ([0x${a.start.toString(16).toUpperCase()}, 0x${a.end.toString(16).toUpperCase()}))`);
    }
  }

  const definition: GameDefinition = { formatVersion: gameDefinitionFormatVersion, id, name, platform, variants, sprites, pointers, freeSpace, source: sourceName };
  if (o.screens !== undefined) {
    const screenNames = new Set<string>();
    definition.screens = c.array(o.screens, '/screens', maximumScreensPerDefinition).map((value, i) => {
      const screen = parseScreen(c, value, `/screens/${i}`, spriteNames);
      if (screenNames.has(screen.name)) c.fail(`/screens/${i}/name`, `duplicate screen name ${JSON.stringify(screen.name)}`);
      screenNames.add(screen.name);
      return screen;
    });
  }
  if (o.notes !== undefined) definition.notes = c.string(o.notes, '/notes', maximumNotesLengthInCharacters);
  return definition;
}

/** Reads and checks a definition file. */
export function loadGameDefinition(path: string): GameDefinition {
  const bytes = readFileBytes(path, maximumDefinitionFileSizeInBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DefinitionError(path, '', 'not UTF-8 text');
  }
  return parseGameDefinition(text, path);
}

function locationJson(location: DefLocation): string {
  return location.text;
}

/** The JSON document for a definition (what `parseGameDefinition` reads back to an equal definition). */
export function gameDefinitionToJson(definition: GameDefinition, schemaPath?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (schemaPath !== undefined) out.$schema = schemaPath;
  out.formatVersion = definition.formatVersion;
  out.id = definition.id;
  out.name = definition.name;
  out.platform = definition.platform;
  if (definition.notes !== undefined) out.notes = definition.notes;
  out.variants = definition.variants.map((v) => {
    const o: Record<string, unknown> = { id: v.id };
    if (v.name !== undefined) o.name = v.name;
    if (v.region !== undefined) o.region = v.region;
    if (v.crc32 !== undefined) o.crc32 = v.crc32.toString(16).padStart(8, '0');
    if (v.sha1 !== undefined) o.sha1 = v.sha1;
    if (v.headerChecksum !== undefined) o.headerChecksum = '0x' + v.headerChecksum.toString(16).toUpperCase().padStart(4, '0');
    if (v.title !== undefined) o.title = v.title;
    if (v.size !== undefined) o.size = v.size;
    return o;
  });
  out.sprites = definition.sprites.map((s) => {
    const o: Record<string, unknown> = { name: s.name };
    if (s.kind !== 'sprite') o.kind = s.kind;
    o.offset = locationJson(s.offset);
    if (Object.keys(s.variantOffsets).length > 0) o.variantOffsets = Object.fromEntries(Object.entries(s.variantOffsets).map(([k, v]) => [k, locationJson(v)]));
    if (s.codec !== 'none') o.codec = s.codec;
    if (s.tileFormat !== undefined) o.tileFormat = s.tileFormat;
    if (s.tileCount !== undefined) o.tileCount = s.tileCount;
    if (s.byteLength !== undefined) o.byteLength = s.byteLength;
    if (s.storedLength !== undefined) o.storedLength = s.storedLength;
    if (s.level !== undefined) o.level = s.level;
    if (s.arrangement !== undefined) o.arrangement = s.arrangement;
    if (s.palette !== undefined) o.palette = 'rom' in s.palette ? { ...s.palette, rom: locationJson(s.palette.rom) } : s.palette;
    if (s.notes !== undefined) o.notes = s.notes;
    return o;
  });
  if (definition.pointers.length > 0) {
    out.pointers = definition.pointers.map((p) => {
      const o: Record<string, unknown> = {};
      if (p.name !== undefined) o.name = p.name;
      o.target = p.target;
      o.form = p.form;
      o.at = locationJson(p.at);
      if (p.bankAt !== undefined) o.bankAt = locationJson(p.bankAt);
      if (Object.keys(p.variantAt).length > 0) {
        o.variantAt = Object.fromEntries(
          Object.entries(p.variantAt).map(([k, v]) => [k, v.bankAt ? { at: locationJson(v.at), bankAt: locationJson(v.bankAt) } : { at: locationJson(v.at) }]),
        );
      }
      if (p.notes !== undefined) o.notes = p.notes;
      return o;
    });
  }
  if (definition.screens !== undefined) {
    out.screens = definition.screens.map((screen) => {
      const o: Record<string, unknown> = { name: screen.name, target: screen.target };
      if (screen.bpp !== undefined) o.bpp = screen.bpp;
      o.tiles = screen.tiles;
      o.map = screen.map;
      if (screen.palette !== undefined) o.palette = screen.palette;
      if (screen.notes !== undefined) o.notes = screen.notes;
      return o;
    });
  }
  if (definition.freeSpace.length > 0) {
    out.freeSpace = definition.freeSpace.map((r) => {
      const o: Record<string, unknown> = { start: '0x' + r.start.toString(16).toUpperCase(), end: '0x' + r.end.toString(16).toUpperCase() };
      if (r.variants) o.variants = r.variants;
      if (r.notes !== undefined) o.notes = r.notes;
      return o;
    });
  }
  return out;
}
