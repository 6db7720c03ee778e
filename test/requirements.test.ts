import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from './requirements.js';
import type { SourceText } from './source-files.js';
import { lineOf, parseSource, readSourceFiles } from './source-files.js';

/** What the `verifies(…)` calls of some files cite. */
interface Citations {
  /** Each cited id, with the `file:line` of every citation. */
  readonly ids: ReadonlyMap<string, readonly string[]>;
  /** Calls whose id is not a string literal, which a source scan cannot read. */
  readonly unreadable: readonly string[];
}

/** Whether a node calls the function of that name directly. */
function isCallOf(node: ts.Node, name: string): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  return ts.isIdentifier(node.expression) && node.expression.text === name;
}

/**
 * Finds every `verifies(…)` call by parsing, not by pattern matching, so that a call in a
 * comment or a string does not count as coverage. Vitest runs each test file in its own
 * worker, so ids recorded at run time in one file are invisible here; the source is shared.
 */
function citationsIn(files: readonly SourceText[]): Citations {
  const ids = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (isCallOf(node, 'verifies')) {
        const where = `${file.path}:${lineOf(node)}`;
        const [id] = node.arguments;
        if (id === undefined || !ts.isStringLiteralLike(id)) unreadable.push(where);
        else ids.set(id.text, [...(ids.get(id.text) ?? []), where]);
      }
      ts.forEachChild(node, visit);
    };
    visit(parseSource(file));
  }
  return { ids, unreadable };
}

describe('security requirements', () => {
  const listed = Object.keys(REQUIREMENTS);
  const cited = citationsIn(readSourceFiles('src', 'test'));

  it('every listed requirement is verified by at least one test', () => {
    expect(listed.filter((id) => !cited.ids.has(id))).toEqual([]);
  });

  it('every cited requirement is listed', () => {
    const unknown = [...cited.ids].filter(([id]) => !(id in REQUIREMENTS));
    expect(unknown.map(([id, where]) => `${where.join(', ')}: cites \`${id}\``)).toEqual([]);
  });

  it('every citation names its id as a string literal', () => {
    expect(cited.unreadable).toEqual([]);
  });

  it('counts calls only, not mentions in comments or strings', () => {
    const text = [
      "// verifies('audit.detects-edit')",
      'const s = "verifies(\'audit.detects-deletion\')";',
      "it('x', () => { verifies('audit.detects-reorder'); verifies(someId); });",
    ].join('\n');
    const scanned = citationsIn([{ path: 'example.test.ts', text }]);
    expect([...scanned.ids.keys()]).toEqual(['audit.detects-reorder']);
    expect(scanned.unreadable).toEqual(['example.test.ts:3']);
  });
});
