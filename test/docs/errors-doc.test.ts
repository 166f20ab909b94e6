/**
 * docs/errors.md lists every error code: its class(es), category, CLI exit code and what
 * `details` holds. The table is generated here from src/errors.ts (the RomgfxErrorDetailsByCode
 * registry and each class's `super(code, category, …)` call), so a code added without updating
 * the doc fails this test. To regenerate the table after adding a code:
 *
 *   ROMGFX_UPDATE_ERRORS_DOC=1 npx vitest run test/docs/errors-doc.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import type { ErrorCategory } from '../../src/errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docPath = path.join(root, 'docs/errors.md');
const beginMarker = '<!-- BEGIN GENERATED: test/docs/errors-doc.test.ts -->';
const endMarker = '<!-- END GENERATED -->';

interface CodeRow {
  code: string;
  section: string;
  details: string;
  note: string;
  classes: { name: string; category: string; summary: string }[];
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

function docText(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ');
}

/** Reads the registry and the classes out of src/errors.ts, in file order. */
function readErrorCodes(): CodeRow[] {
  const file = path.join(root, 'src/errors.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const rows = new Map<string, CodeRow>();
  const text = source.getFullText();
  const sectionAt = (position: number): string => {
    const before = text.slice(0, position);
    const matches = [...before.matchAll(/\/\/ -{20,}\n\/\/ (.+)\n\/\/ -{20,}/g)];
    return matches.at(-1)?.[1]?.trim() ?? 'Base';
  };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === 'RomgfxErrorDetailsByCode') {
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const code = member.name.getText(source);
        rows.set(code, { code, section: sectionAt(statement.getStart()), details: member.type.getText(source).replace(/\s+/g, ' '), note: docText(member), classes: [] });
      }
    }
  }
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const heritage = statement.heritageClauses?.[0]?.types[0];
    if (!heritage || heritage.expression.getText(source) !== 'RomgfxError' || !heritage.typeArguments?.[0]) continue;
    const codes = heritage.typeArguments[0].getText(source).match(/ERR_[A-Z0-9_]+/g) ?? [];
    let category = '';
    statement.forEachChild(function visit(node): void {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const argument = node.arguments[1];
        if (argument && ts.isStringLiteral(argument)) category = argument.text;
      }
      node.forEachChild(visit);
    });
    for (const code of codes) {
      const row = rows.get(code);
      if (!row) throw new Error(`${statement.name.text} throws ${code}, which RomgfxErrorDetailsByCode does not list`);
      row.classes.push({ name: statement.name.text, category, summary: firstSentence(docText(statement)) });
    }
  }
  return [...rows.values()];
}

function renderTable(rows: CodeRow[]): string {
  const out: string[] = [];
  let section = '';
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      out.push('', `### ${section}`, '', '| Code | Class | Category (exit) | `details` | What it means |', '| --- | --- | --- | --- | --- |');
    }
    const classes = row.classes.map((c) => `\`${c.name}\``).join(', ');
    const categories = [...new Set(row.classes.map((c) => `${c.category} (${exitCodeFor(c.category as ErrorCategory)})`))].join(', ');
    const details = row.details === 'ErrorDetails' ? 'free-form (`ErrorDetails`)' : `\`${cell(row.details)}\``;
    const meaning = [...row.classes.map((c) => c.summary), row.note].filter((s) => s !== '').join(' ');
    out.push(`| \`${row.code}\` | ${classes} | ${categories} | ${details} | ${cell(meaning)} |`);
  }
  return out.join('\n').trim();
}

describe('docs/errors.md', () => {
  it('lists every error code with its class, category, exit code and details, as src/errors.ts has them', () => {
    const rows = readErrorCodes();
    expect(rows.length).toBeGreaterThan(70);
    for (const row of rows) expect(row.classes.length, `${row.code} has no class that throws it`).toBeGreaterThan(0);
    const table = renderTable(rows);
    const doc = readFileSync(docPath, 'utf8');
    const begin = doc.indexOf(beginMarker);
    const end = doc.indexOf(endMarker);
    expect(begin, 'docs/errors.md has no generated block').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    const expected = `${doc.slice(0, begin + beginMarker.length)}\n${table}\n${doc.slice(end)}`;
    if (process.env.ROMGFX_UPDATE_ERRORS_DOC === '1') writeFileSync(docPath, expected);
    expect(doc, 'docs/errors.md is out of date: run ROMGFX_UPDATE_ERRORS_DOC=1 npx vitest run test/docs/errors-doc.test.ts').toBe(expected);
  });
});
