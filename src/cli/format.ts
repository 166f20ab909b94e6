/** How the CLI writes numbers for people (text output; `--json` keeps the raw numbers). */

const sizeUnits = ['KiB', 'MiB', 'GiB'] as const;

/**
 * A byte count for a person: `79 bytes`, `8 KiB`, `1.5 KiB (1563 bytes)` (binary units). A size
 * that is not a whole number of units keeps its exact count too: ROM work needs the exact size.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || Math.abs(bytes) < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < sizeUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (Number.isInteger(value)) return `${value} ${sizeUnits[unit]}`;
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${sizeUnits[unit]} (${bytes} bytes)`;
}
