/**
 * "Did you mean …" for names a user types: codecs, tile formats, commands, platforms, palette
 * formats. One small edit distance (Levenshtein, with an adjacent swap counted as one edit, as
 * typos usually are) so every lookup suggests the same way.
 */

/** Longest name compared; longer input gets no suggestion (a name is a word, not a paragraph). */
const maximumComparedNameLength = 64;

/**
 * Edits (insert, delete, substitute, swap two neighbours) between `a` and `b`, compared without
 * case. Optimal string alignment distance: three rows of integers, no allocation per cell.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let before = new Uint16Array(t.length + 1);
  let previous = new Uint16Array(t.length + 1);
  let current = new Uint16Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) previous[j] = j;
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s.charCodeAt(i - 1) === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === t.charCodeAt(j - 1)) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[t.length]!;
}

/**
 * The known name closest to `name`, when it is close enough to be a typo: at most a third of
 * the name's length in edits (at least one), or a known name that starts with what was typed.
 * Undefined when nothing is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const typed = name.trim();
  if (typed.length === 0 || typed.length > maximumComparedNameLength) return undefined;
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate.length > maximumComparedNameLength) continue;
    const distance = editDistance(typed, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  const prefixed = typed.length >= 2 ? known.filter((candidate) => candidate.toLowerCase().startsWith(typed.toLowerCase())) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** `; did you mean "x"?` for an unknown name, or '' when no known name is close. */
export function didYouMean(name: string, known: readonly string[]): string {
  const closest = closestName(name, known);
  return closest === undefined ? '' : `; did you mean "${closest}"?`;
}
