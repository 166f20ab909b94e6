/** The consoles romgfx identifies; 'unknown' is a loose file opened on purpose (allowUnknown). */
export type Platform = 'snes' | 'gb' | 'gbc' | 'gba' | 'nes' | 'md' | 'unknown';

export const platforms: readonly Platform[] = ['snes', 'gb', 'gbc', 'gba', 'nes', 'md'];

export const platformNames: Readonly<Record<Platform, string>> = {
  snes: 'Super Nintendo',
  gb: 'Game Boy',
  gbc: 'Game Boy Color',
  gba: 'Game Boy Advance',
  nes: 'NES / Famicom',
  md: 'Mega Drive / Genesis',
  unknown: 'unidentified data',
};

export function isPlatform(value: string): value is Platform {
  return (platforms as readonly string[]).includes(value) || value === 'unknown';
}
