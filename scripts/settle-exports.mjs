// The bundle's export rewrite (scripts/bundle-cli.mjs), in its own module so that a test can hold it to its rules.

/**
 * esbuild's CommonJS form of an ES module exports each binding as a getter (live bindings), and
 * an importer reads `import_chunk.name` at every use: every call of a function from another
 * chunk goes through a getter, a call more in hot loops of code that V8 has not optimised yet
 * (most of a short CLI run). A binding that is never assigned after its declaration (functions,
 * classes, constants) cannot change, so it is exported as a plain value instead:
 * - a function declaration is hoisted, so its value is there before the file's body runs, and it
 *   is exported at the top, where the getter was (an importer that reads it in a cycle gets it,
 *   as it got it through the getter);
 * - a class or constant is exported at the end of the file's body. Before that, in a cycle, its
 *   getter would have thrown (temporal dead zone) or read undefined (`var`); an importer can only
 *   read it that early in a cycle, since esbuild puts every static import (a require() here) at
 *   the top of the file, before any declaration.
 * Exporting values once, rather than defining getters and then redefining each as a value, also
 * matters for start-up: V8 turned 100 redefinitions (the errors module) into 14 ms of work, as
 * each reconfigured property copies the object's map (measured here, issue #18).
 * Bindings assigned anywhere else keep their getters.
 */
export function settleExports(code, path) {
  const exportsBlock = /^__export\(stdin_exports, \{\n([^]*?)\n\}\);$/mu.exec(code);
  if (!exportsBlock) return code;
  if (!/__defProp\((target\d*), name, \{ get: all\[name\], enumerable: true \}\);/u.test(code)) throw new Error(`romgfx: ${path}: esbuild's __export is not the one expected`);
  const getters = [];
  const hoisted = [];
  const atEnd = [];
  for (const line of exportsBlock[1].split('\n')) {
    if (!/^ {2}[\w$]+: \(\) => [\w$.]+,?$/u.test(line)) throw new Error(`romgfx: ${path}: unexpected export line ${line}`);
    const entry = /^ {2}([\w$]+): \(\) => ([\w$]+),?$/u.exec(line);
    // A re-export (`name: () => import_chunk.name`) keeps its getter.
    if (!entry) {
      getters.push(line.replace(/,?$/u, ''));
      continue;
    }
    const [, exported, local] = entry;
    const escaped = local.replace(/\$/gu, '\\$');
    const assignments = code.match(new RegExp(`(?<![\\w$.])${escaped}\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=)|(?:\\+\\+|--)${escaped}(?![\\w$])|(?<![\\w$.])${escaped}(?:\\+\\+|--)`, 'gu')) ?? [];
    const declaredWithValue = new RegExp(`^(?:var|let|const) ${escaped} =`, 'mu').test(code);
    if (assignments.length > (declaredWithValue ? 1 : 0)) {
      getters.push(line.replace(/,?$/u, ''));
      continue;
    }
    const definition = `__defProp(stdin_exports, ${JSON.stringify(exported)}, { value: ${local}, enumerable: true });`;
    if (new RegExp(`^(?:async )?function\\*? ?${escaped}\\(`, 'mu').test(code)) hoisted.push(definition);
    else atEnd.push(definition);
  }
  const exportsCode = [...(getters.length > 0 ? [`__export(stdin_exports, {\n${getters.join(',\n')}\n});`] : []), ...hoisted].join('\n');
  return code.slice(0, exportsBlock.index) + exportsCode + code.slice(exportsBlock.index + exportsBlock[0].length) + (atEnd.length > 0 ? `\n${atEnd.join('\n')}\n` : '');
}
