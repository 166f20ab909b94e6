/**
 * The bytes `romgfx decompress` reads a block from, without ROM identification where it cannot
 * change them (issue #18, start-up: identification is ~40 KB of header parsers to compile and run
 * for a command that, on a plain file, reads it as it is). Identifying a file changes what an
 * offset means only when the file is an iNES ROM, an .smd dump (de-interleaved, header dropped)
 * or has a SNES copier header (dropped), when `--platform` is given, or when the location is a
 * bus or PPU address; otherwise every outcome (GBA, GB, Mega Drive binary, headerless SNES,
 * unknown) reads the file's own bytes at the offset given. The caller identifies the rest.
 */
import { parseLocation } from './address.js';
import { checkedRomOffset, type RomOffset } from './offsets.js';
import { hasInesMagic, hasSnesCopierHeader, looksLikeSmd } from './signatures.js';
import { oneShotRomOpenMode, readRomFile } from './source.js';

/** A block's input read as it is: the file's bytes and the ROM offset in them. */
export interface PlainBlockInput {
  data: Uint8Array;
  offset: RomOffset;
}

/**
 * The file's bytes and the offset `location` names in them, when identifying the file as a ROM
 * could change neither; undefined when it could (the caller then opens it with `openRom`). Read
 * errors and an offset past the end are the errors `openRom` and `Rom.resolveLocation` give.
 */
export function plainBlockInput(path: string, location: string, platformGiven: boolean): PlainBlockInput | undefined {
  if (platformGiven || /^ppu:/iu.test(location.trim())) return undefined;
  let parsed;
  try {
    parsed = parseLocation(location);
  } catch {
    // openRom then resolveLocation report it, after any error opening the file, as before.
    return undefined;
  }
  if (parsed.kind !== 'offset') return undefined;
  // Large files are mapped, as openRom maps them; those go through identification.
  if (oneShotRomOpenMode(path) !== 'memory') return undefined;
  const source = readRomFile(path);
  const data = source.view(0, source.size);
  if (hasInesMagic(data) || looksLikeSmd(data) || hasSnesCopierHeader(data.length)) return undefined;
  return { data, offset: checkedRomOffset(parsed.value, parsed.value, data.length) };
}
