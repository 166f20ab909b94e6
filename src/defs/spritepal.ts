/**
 * Importer for SpritePal's `sprite_locations.json` (a SNES sprite tool: ROM sprites are HAL
 * compressed, 4bpp). The shape, as SpritePal writes it:
 *
 *   { "format_version": "1.1", "games": {
 *       "KIRBY SUPER STAR": {                         ← the header title
 *         "checksums": { "USA": "0x8A5C", … },        ← region → SNES header checksum
 *         "sprites": { "Name": { "offset": "0x200000", "expected_size": 7744, "compressed"?: bool, "notes"? }, … },
 *         "offset_variants": { "Europe": ["0x200000", …] }   ← per region, offsets by sprite order
 *   } } }
 *
 * Variations are accepted and mapped (docs/game-definitions.md lists them): games at the top level
 * instead of under "games"; sprites as an array of objects with "name"; checksums given as
 * "crc32"/"sha1" keys, as per-region objects, or as 8/40-hex-digit values; per-sprite alternate
 * offsets keyed by region; offset variants keyed by sprite name. Keys starting with "_" are
 * comments. Every value is checked and a bad one fails with a `DefinitionError` whose field path
 * points into the SpritePal document; the result is run through `parseGameDefinition`.
 */
import { DefinitionError } from '../errors.js';
import { FieldChecker, gameDefinitionToJson, parseGameDefinition, pointerSegment } from './parse.js';
import { gameDefinitionFormatVersion, type GameDefinition } from './types.js';

/** SpritePal's ROM sprites are HAL-compressed SNES 4bpp; this is the sheet width its previews use. */
const spritePalTileFormat = 'snes4bpp';
const spritePalTilesPerRow = 16;
const maximumGamesPerImport = 10_000;
const maximumSpritesPerGame = 65_536;

type Json = unknown;
type JsonObject = Record<string, Json>;

const offsetKeys = ['offset', 'rom_offset', 'address'];
const sizeKeys = ['expected_size', 'size', 'length', 'decompressed_size'];
const notesKeys = ['notes', 'description'];
const spriteAlternateKeys = ['offset_variants', 'alternate_offsets', 'variants', 'offsets'];
const crcKeys = ['crc32', 'crc'];
const sha1Keys = ['sha1'];
const headerChecksumKeys = ['checksum', 'header_checksum', 'headerchecksum', 'header'];

/** "Europe_Alt" → "europe-alt": a definition identifier. */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
  return slug.length > 0 ? slug : fallback;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function firstKey(o: JsonObject, keys: readonly string[]): string | undefined {
  for (const key of Object.keys(o)) if (keys.includes(key.toLowerCase())) return key;
  return undefined;
}

interface VariantDraft {
  id: string;
  region?: string;
  crc32?: string;
  sha1?: string;
  headerChecksum?: number;
}

/** One checksum value: ≤ 4 hex digits is a header checksum, 8 a CRC-32, 40 a SHA-1. */
function classifyChecksum(c: FieldChecker, value: Json, path: string, draft: VariantDraft): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) c.fail(path, `expected a checksum (16-bit header checksum or CRC-32), got ${value}`);
    if (value <= 0xffff) draft.headerChecksum = value;
    else draft.crc32 = value.toString(16).padStart(8, '0');
    return;
  }
  if (typeof value !== 'string') c.fail(path, `expected a checksum string such as "0x8A5C", got ${c.describe(value)}`);
  const digits = value.trim().replace(/^0x/iu, '');
  if (!/^[0-9a-fA-F]+$/u.test(digits)) c.fail(path, `expected hex digits, got ${JSON.stringify(value)}`);
  if (digits.length <= 4) draft.headerChecksum = Number.parseInt(digits, 16);
  else if (digits.length === 8) draft.crc32 = digits.toLowerCase();
  else if (digits.length === 40) draft.sha1 = digits.toLowerCase();
  else c.fail(path, `expected 1–4 hex digits (header checksum), 8 (CRC-32) or 40 (SHA-1), got ${digits.length}`);
}

/** An offset as SpritePal writes it: "0x200000", a decimal number or string, or a "$C0:1234" bus address. */
function spritePalOffset(c: FieldChecker, value: Json, path: string): string | number {
  if (typeof value === 'string' && /^[0-9]+$/u.test(value.trim())) return c.location(Number.parseInt(value.trim(), 10), path, true).value;
  const location = c.location(value, path, true);
  return location.kind === 'offset' ? location.value : location.text;
}

function importGame(c: FieldChecker, title: string, game: JsonObject, path: string, takenIds: Set<string>, formatVersion: string | undefined): GameDefinition {
  const variantIds = new Set<string>();
  const drafts: VariantDraft[] = [];
  const byRegion = new Map<string, VariantDraft>();
  let defaultDraft: VariantDraft | undefined;
  const getDefault = (): VariantDraft => {
    if (!defaultDraft) {
      defaultDraft = { id: uniqueId('default', variantIds) };
      drafts.unshift(defaultDraft);
    }
    return defaultDraft;
  };
  const regionDraft = (region: string): VariantDraft => {
    let draft = byRegion.get(region) ?? byRegion.get(slugify(region, 'region'));
    if (!draft) {
      draft = { id: uniqueId(slugify(region, 'region'), variantIds), region };
      byRegion.set(region, draft);
      byRegion.set(draft.id, draft);
      drafts.push(draft);
    }
    return draft;
  };

  const checksumsKey = firstKey(game, ['checksums', 'checksum']);
  if (checksumsKey !== undefined) {
    const value = game[checksumsKey];
    const at = `${path}/${pointerSegment(checksumsKey)}`;
    if (typeof value === 'string' || typeof value === 'number') classifyChecksum(c, value, at, getDefault());
    else {
      const checksums = c.object(value, at);
      for (const [key, entry] of Object.entries(checksums)) {
        if (key.startsWith('_')) continue;
        const entryPath = `${at}/${pointerSegment(key)}`;
        const lower = key.toLowerCase();
        if (crcKeys.includes(lower) || sha1Keys.includes(lower) || headerChecksumKeys.includes(lower)) {
          classifyChecksum(c, entry, entryPath, getDefault());
        } else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
          const draft = regionDraft(key);
          for (const [field, fieldValue] of Object.entries(entry as JsonObject)) {
            if (field.startsWith('_')) continue;
            const f = field.toLowerCase();
            if (!crcKeys.includes(f) && !sha1Keys.includes(f) && !headerChecksumKeys.includes(f)) {
              c.fail(`${entryPath}/${pointerSegment(field)}`, 'unknown checksum kind; expected crc32, sha1 or checksum');
            }
            classifyChecksum(c, fieldValue, `${entryPath}/${pointerSegment(field)}`, draft);
          }
        } else {
          classifyChecksum(c, entry, entryPath, regionDraft(key));
        }
      }
    }
  }
  for (const key of Object.keys(game)) {
    const lower = key.toLowerCase();
    if (crcKeys.includes(lower) || sha1Keys.includes(lower) || lower === 'header_checksum') classifyChecksum(c, game[key], `${path}/${pointerSegment(key)}`, getDefault());
  }

  // Sprites: an object keyed by name, or an array of objects with "name".
  const spritesKey = firstKey(game, ['sprites']);
  if (spritesKey === undefined) c.fail(`${path}/sprites`, 'expected the game\u2019s sprites (an object keyed by sprite name, or an array)');
  const spritesPath = `${path}/${pointerSegment(spritesKey)}`;
  const spritesValue = game[spritesKey];
  const entries: { name: string; value: JsonObject; path: string }[] = [];
  if (Array.isArray(spritesValue)) {
    c.array(spritesValue, spritesPath, maximumSpritesPerGame).forEach((item, i) => {
      const o = c.object(item, `${spritesPath}/${i}`);
      const nameKey = firstKey(o, ['name', 'id']);
      if (nameKey === undefined) c.fail(`${spritesPath}/${i}/name`, 'expected a sprite name');
      entries.push({ name: c.string(o[nameKey], `${spritesPath}/${i}/${nameKey}`, 200), value: o, path: `${spritesPath}/${i}` });
    });
  } else {
    const o = c.object(spritesValue, spritesPath);
    for (const [name, value] of Object.entries(o)) {
      if (name.startsWith('_')) continue;
      if (entries.length >= maximumSpritesPerGame) c.fail(spritesPath, `expected at most ${maximumSpritesPerGame} sprites`);
      entries.push({ name, value: c.object(value, `${spritesPath}/${pointerSegment(name)}`), path: `${spritesPath}/${pointerSegment(name)}` });
    }
  }

  const sprites = entries.map(({ name, value, path: spritePath }) => {
    const offsetKey = firstKey(value, offsetKeys);
    if (offsetKey === undefined) c.fail(`${spritePath}/offset`, 'expected the sprite\u2019s ROM offset');
    const sprite: Record<string, unknown> = { name, offset: spritePalOffset(c, value[offsetKey], `${spritePath}/${offsetKey}`) };
    const compressionKey = firstKey(value, ['compression', 'codec']);
    const compressedKey = firstKey(value, ['compressed']);
    let codec = 'hal';
    if (compressionKey !== undefined) {
      codec = c.oneOf(value[compressionKey], `${spritePath}/${compressionKey}`, ['hal', 'none'] as const, 'compression');
    } else if (compressedKey !== undefined) {
      const flag = value[compressedKey];
      if (typeof flag !== 'boolean') c.fail(`${spritePath}/${compressedKey}`, `expected true or false, got ${c.describe(flag)}`);
      codec = flag ? 'hal' : 'none';
    }
    if (codec !== 'none') sprite.codec = codec;
    sprite.tileFormat = spritePalTileFormat;
    const sizeKey = firstKey(value, sizeKeys);
    if (sizeKey !== undefined) sprite.byteLength = c.integer(value[sizeKey], `${spritePath}/${sizeKey}`, 1, 64 * 1024 * 1024);
    else if (codec === 'none') c.fail(`${spritePath}/expected_size`, 'an uncompressed sprite needs its size: nothing else says where it ends');
    sprite.arrangement = { kind: 'sheet', tilesPerRow: spritePalTilesPerRow };
    const notes: string[] = [];
    const notesKey = firstKey(value, notesKeys);
    if (notesKey !== undefined) notes.push(c.string(value[notesKey], `${spritePath}/${notesKey}`, 10_000));
    const alternateKey = firstKey(value, spriteAlternateKeys);
    if (alternateKey !== undefined) {
      const alternates = value[alternateKey];
      const at = `${spritePath}/${alternateKey}`;
      if (Array.isArray(alternates)) {
        // Offsets without a region cannot be tied to a variant: kept as a note for a person to sort out.
        const list = c.array(alternates, at, 256).map((v, i) => spritePalOffset(c, v, `${at}/${i}`));
        notes.push(`alternate offsets (no region given): ${list.map((v) => (typeof v === 'number' ? '0x' + v.toString(16).toUpperCase() : v)).join(', ')}`);
      } else {
        const byRegionOffsets: Record<string, string | number> = {};
        for (const [region, offset] of Object.entries(c.object(alternates, at))) {
          if (region.startsWith('_')) continue;
          byRegionOffsets[regionDraft(region).id] = spritePalOffset(c, offset, `${at}/${pointerSegment(region)}`);
        }
        sprite.variantOffsets = byRegionOffsets;
      }
    }
    if (notes.length > 0) sprite.notes = notes.join('; ');
    return sprite;
  });

  // Game-level offset variants: per region, a list in sprite order or an object by sprite name.
  const variantsKey = firstKey(game, ['offset_variants']);
  if (variantsKey !== undefined) {
    const at = `${path}/${pointerSegment(variantsKey)}`;
    for (const [region, value] of Object.entries(c.object(game[variantsKey], at))) {
      if (region.startsWith('_')) continue;
      const regionPath = `${at}/${pointerSegment(region)}`;
      const variantId = regionDraft(region).id;
      const setOffset = (index: number, offset: string | number): void => {
        const sprite = sprites[index]!;
        sprite.variantOffsets = { ...(sprite.variantOffsets as Record<string, unknown> | undefined), [variantId]: offset };
      };
      if (Array.isArray(value)) {
        const list = c.array(value, regionPath, maximumSpritesPerGame);
        if (list.length > sprites.length) c.fail(`${regionPath}/${sprites.length}`, `the game has ${sprites.length} sprite(s), so there is no sprite for offset ${sprites.length}`);
        list.forEach((offset, i) => setOffset(i, spritePalOffset(c, offset, `${regionPath}/${i}`)));
      } else {
        for (const [name, offset] of Object.entries(c.object(value, regionPath))) {
          if (name.startsWith('_')) continue;
          const index = entries.findIndex((e) => e.name === name);
          if (index < 0) c.fail(`${regionPath}/${pointerSegment(name)}`, `no sprite is named ${JSON.stringify(name)}`);
          setOffset(index, spritePalOffset(c, offset, `${regionPath}/${pointerSegment(name)}`));
        }
      }
    }
  }

  if (drafts.length === 0) getDefault();
  const titleKey = firstKey(game, ['title', 'rom_title']);
  const romTitle = titleKey !== undefined ? c.string(game[titleKey], `${path}/${titleKey}`, 200) : title;
  const noteParts = [`Imported from SpritePal sprite_locations.json${formatVersion ? ` (format_version ${formatVersion})` : ''}.`];
  for (const key of ['_status', '_note', 'notes', 'description']) if (typeof game[key] === 'string') noteParts.push(game[key] as string);

  const document = {
    formatVersion: gameDefinitionFormatVersion,
    id: uniqueId(slugify(title, 'game'), takenIds),
    name: title,
    platform: 'snes',
    notes: noteParts.join(' '),
    variants: drafts.map((d) => {
      const v: Record<string, unknown> = { id: d.id };
      if (d.region !== undefined) {
        v.name = `${title} (${d.region})`;
        v.region = d.region;
      }
      if (d.crc32 !== undefined) v.crc32 = d.crc32;
      if (d.sha1 !== undefined) v.sha1 = d.sha1;
      if (d.headerChecksum !== undefined) v.headerChecksum = d.headerChecksum;
      v.title = romTitle;
      return v;
    }),
    sprites,
  };
  return parseGameDefinition(document, `${c.source}#${path}`);
}

/**
 * Converts a SpritePal `sprite_locations.json` document (parsed, or its text) into one game
 * definition per game.
 */
export function importSpritePalLocations(json: unknown, sourceName = 'sprite_locations.json'): GameDefinition[] {
  const c = new FieldChecker(sourceName);
  const root = c.object(c.document(json), '');
  const formatVersion = typeof root.format_version === 'string' || typeof root.format_version === 'number' ? String(root.format_version) : undefined;
  let games: [string, JsonObject, string][] = [];
  if (root.games !== undefined) {
    const o = c.object(root.games, '/games');
    for (const [title, game] of Object.entries(o)) {
      if (title.startsWith('_')) continue;
      games.push([title, c.object(game, `/games/${pointerSegment(title)}`), `/games/${pointerSegment(title)}`]);
    }
  } else {
    // No "games" wrapper: games are the top-level objects that have sprites or checksums.
    games = Object.entries(root)
      .filter(([key, value]) => !key.startsWith('_') && value !== null && typeof value === 'object' && !Array.isArray(value) && ('sprites' in value || 'checksums' in value))
      .map(([key, value]) => [key, value as JsonObject, `/${pointerSegment(key)}`]);
  }
  if (games.length === 0) throw new DefinitionError(sourceName, root.games !== undefined ? '/games' : '', 'no games found (expected games keyed by title, each with "checksums" and "sprites")');
  if (games.length > maximumGamesPerImport) c.fail('/games', `expected at most ${maximumGamesPerImport} games, got ${games.length}`);
  const taken = new Set<string>();
  return games.map(([title, game, path]) => importGame(c, title, game, path, taken, formatVersion));
}

/** The definition file documents for imported definitions, for writing out. */
export function spritePalDefinitionsToJson(definitions: readonly GameDefinition[], schemaPath?: string): Record<string, unknown>[] {
  return definitions.map((d) => gameDefinitionToJson(d, schemaPath));
}
