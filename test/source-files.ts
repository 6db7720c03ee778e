import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

// Paths are reported from the repository root, as `src/core/audit.ts`.
const ROOT = join(import.meta.dirname, '..');

/** One TypeScript file of the repository, its path relative to the root with `/` separators. */
export interface SourceText {
  readonly path: string;
  readonly text: string;
}

/** Every `.ts` file under the given root folders, in path order. */
export function readSourceFiles(...folders: string[]): SourceText[] {
  return folders
    .flatMap((folder) =>
      readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) =>
          relative(ROOT, join(ROOT, folder, name))
            .split(sep)
            .join('/'),
        ),
    )
    .sort()
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

/** Parses a file's text; the tests read syntax only, so no program or type checker is built. */
export function parseSource(file: SourceText): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
}

/** The 1-based line of a node, for reports. */
export function lineOf(node: ts.Node): number {
  const source = node.getSourceFile();
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}
