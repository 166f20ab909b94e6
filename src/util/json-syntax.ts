/**
 * Where a JSON text first breaks the grammar (RFC 8259), as an offset, a line and a column.
 * JSON.parse's messages do not say where in every case (Node 20: "Unexpected token '}', … is
 * not valid JSON"), and a hand-written definition needs "line 12, column 5". Only run after
 * JSON.parse failed: it validates, it builds nothing.
 */

/** Where a JSON text breaks, and how. */
export interface JsonSyntaxProblem {
  /** UTF-16 offset of the first character that cannot continue a JSON text. */
  offset: number;
  /** 1-based line (lines end at LF). */
  line: number;
  /** 1-based column, in characters from the start of the line. */
  column: number;
  problem: string;
}

const containerObject = 0;
const containerArray = 1;
const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/uy;
const escapeCharacters = '"\\/bfnrtu';
const hexDigitPattern = /^[0-9a-fA-F]{4}$/u;

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const n = text.length;
  const stack: number[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'afterValue' = 'value';
  const at = (offset: number, problem: string): JsonSyntaxProblem => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < offset && k < n; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    return { offset, line, column: offset - lineStart + 1, problem };
  };
  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  /** Scans a string at text[i] === '"'; returns a problem or undefined (i then past the closing quote). */
  const scanString = (): JsonSyntaxProblem | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) return at(start, 'this string is never closed');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return at(i, 'a control character (such as a line break) inside a string; write it as an escape');
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === undefined || !escapeCharacters.includes(next)) return at(i, `invalid escape "\\${next ?? ''}"`);
        if (next === 'u' && !hexDigitPattern.test(text.slice(i + 2, i + 6))) return at(i, 'invalid \\u escape: four hex digits must follow');
        i += next === 'u' ? 6 : 2;
        continue;
      }
      i++;
    }
  };
  // Every pass of the loop advances i, or moves from one state to another that advances next.
  for (;;) {
    skipWhitespace();
    if (state === 'value') {
      if (i >= n) return at(i, stack.length === 0 ? 'the text is empty: a JSON value is expected' : 'the text ends where a value is expected');
      const c = text[i]!;
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? containerObject : containerArray);
        i++;
        skipWhitespace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          stack.pop();
          state = 'afterValue';
        } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') {
        const problem = scanString();
        if (problem) return problem;
        state = 'afterValue';
        continue;
      }
      if (c === '-' || (c >= '0' && c <= '9')) {
        numberPattern.lastIndex = i;
        const match = numberPattern.exec(text);
        if (!match) return at(i, 'a malformed number');
        i += match[0].length;
        state = 'afterValue';
        continue;
      }
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal) {
        i += literal.length;
        state = 'afterValue';
        continue;
      }
      return at(i, `unexpected ${JSON.stringify(c)} where a value is expected${c === "'" ? ' (JSON strings take double quotes)' : c === ']' || c === '}' ? ' (a trailing comma?)' : ''}`);
    }
    if (state === 'key') {
      if (i >= n) return at(i, 'the text ends inside an object');
      if (text[i] !== '"') return at(i, `expected a double-quoted property name, got ${JSON.stringify(text[i])}${text[i] === '}' ? ' (a trailing comma?)' : ''}`);
      const problem = scanString();
      if (problem) return problem;
      skipWhitespace();
      if (text[i] !== ':') return at(i, `expected ":" after the property name${i >= n ? ', got the end of the text' : `, got ${JSON.stringify(text[i])}`}`);
      i++;
      state = 'value';
      continue;
    }
    // After a value.
    if (stack.length === 0) return i < n ? at(i, 'unexpected text after the end of the JSON value') : undefined;
    const top = stack[stack.length - 1]!;
    const close = top === containerObject ? '}' : ']';
    if (i >= n) return at(i, `the text ends before this ${top === containerObject ? 'object' : 'array'} is closed with "${close}"`);
    if (text[i] === ',') {
      i++;
      state = top === containerObject ? 'key' : 'value';
      continue;
    }
    if (text[i] === close) {
      i++;
      stack.pop();
      continue;
    }
    return at(i, `expected "," or "${close}", got ${JSON.stringify(text[i])}${top === containerObject ? ' (a missing comma?)' : ''}`);
  }
}
