/** The consoles romgfx identifies; 'unknown' is a loose file opened on purpose (allowUnknown). */
export type Platform = 'snes' | 'gb' | 'gbc' | 'gba' | 'nes' | 'md' | 'unknown';

/** Every platform romgfx identifies (`unknown`, for loose files, aside). */
export const platforms: readonly Platform[] = ['snes', 'gb', 'gbc', 'gba', 'nes', 'md'];

/** Display names of the platforms, for messages and reports. */
export const platformNames: Readonly<Record<Platform, string>> = {
  snes: 'Super Nintendo',
  gb: 'Game Boy',
  gbc: 'Game Boy Color',
  gba: 'Game Boy Advance',
  nes: 'NES / Famicom',
  md: 'Mega Drive / Genesis',
  unknown: 'unidentified data',
};

/** True when `value` is a platform name (or `unknown`): checks a `--platform` the user typed. */
export function isPlatform(value: string): value is Platform {
  return (platforms as readonly string[]).includes(value) || value === 'unknown';
}
