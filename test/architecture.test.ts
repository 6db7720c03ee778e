import { posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { SourceText } from './source-files.js';
import { parseSource, readSourceFiles } from './source-files.js';

// The dependency rule of STYLE.md, checked on the import specifiers of every file under src/.

/** Project folders a layered folder may import besides its own; unlisted folders are free. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  policy: ['core'],
  // Only core, so stores never reach the firewall or an adapter.
  stores: ['core'],
  classify: ['core'],
  firewall: ['core'],
  // The admin API's schemas: shared by the server and its clients, so nothing but core and zod.
  api: ['core'],
};

/** Node modules that do I/O or schedule work; core gets such things injected through ports. */
const IO_MODULES = new Set([
  'child_process',
  'dgram',
  'dns',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'timers',
  'timers/promises',
  'tls',
]);

/** Globals that read the clock, randomness, the environment or the terminal. */
const IMPURE_OBJECTS = new Set(['console', 'process']);
const IMPURE_MEMBERS = new Set(['Date.now', 'Math.random', 'performance.now']);
const TIMERS = new Set(['setImmediate', 'setInterval', 'setTimeout']);

/**
 * Violations the code has today, listed so that the test passes while they are reported. The
 * test fails when one goes away, so that the list only ever shrinks.
 */
const KNOWN_EXCEPTIONS: readonly string[] = [
  // The firewall tests run on MemoryStore, the fake STYLE.md ships in src; core has no store fake.
  'src/firewall/firewall.test.ts: imports ../stores/index.js',
  // The policy-case runner is tested against the shipped Cedar default policy.
  'src/firewall/policy-cases.test.ts: imports ../policy/index.js',
];

/** The folder a src/ path belongs to; each adapter counts as a folder of its own. */
function folderOf(path: string): string {
  const [, folder, sub, ...rest] = path.split('/');
  return folder === 'adapters' && rest.length > 0 ? `adapters/${sub}` : (folder ?? '');
}

/** Whether folder `from` may import folder `to`, a different folder. */
function mayImport(from: string, to: string): boolean {
  const layer = MAY_IMPORT[from];
  if (layer !== undefined) return layer.includes(to);
  // Adapters never import stores or each other (`to` is never the adapter's own folder here);
  // `adapters/shared` holds protocol-free plumbing (scrubbing secrets from answers) they all use.
  if (from.startsWith('adapters'))
    return to !== 'stores' && (!to.startsWith('adapters') || to === 'adapters/shared');
  return true;
}

/** What is wrong with one import of a file, if anything. */
function importProblem(path: string, specifier: string, isTestCode: boolean): string | undefined {
  const from = folderOf(path);
  const problem = `${path}: imports ${specifier}`;
  if (!specifier.startsWith('.')) {
    const io = from === 'core' && !isTestCode && IO_MODULES.has(specifier.replace(/^node:/, ''));
    return io ? problem : undefined;
  }
  const target = posix.join(posix.dirname(path), specifier);
  // Only tests reach outside src/, for the helpers in test/ such as the requirements registry.
  if (!target.startsWith('src/')) return isTestCode ? undefined : problem;
  const to = folderOf(target);
  if (to === from) return undefined;
  if (!mayImport(from, to)) return problem;
  const deep = target !== `src/${to}/index.js`;
  return deep && !isTestCode ? problem : undefined;
}

/** Uses of impure globals in a file, as `file: uses X`. */
function impureUses(file: SourceText): string[] {
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    const use = impureUse(node);
    if (use !== undefined) uses.push(use);
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file));
  return uses.map((use) => `${file.path}: uses ${use}`);
}

/** The impure global a node uses, if it is one. */
function impureUse(node: ts.Node): string | undefined {
  const access = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node);
  if (access && ts.isIdentifier(node.expression)) {
    const object = node.expression.text;
    const member = ts.isPropertyAccessExpression(node) ? `${object}.${node.name.text}` : object;
    return IMPURE_OBJECTS.has(object) || IMPURE_MEMBERS.has(member) ? node.getText() : undefined;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    return TIMERS.has(node.expression.text) ? node.expression.text : undefined;
  }
  // `new Date()` with no argument reads the clock; `new Date(ms)` and `Date.UTC` do not.
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const now = node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0;
    return now ? 'new Date()' : undefined;
  }
  return undefined;
}

/**
 * Every breach of the dependency rule in the given src/ files. Test code (`*.test.ts`, and
 * shared suites such as the store contract, which import vitest and so never load in
 * production) may import test/ helpers and deep paths, but not across layers.
 */
function checkArchitecture(files: readonly SourceText[]): string[] {
  return files.flatMap((file) => {
    // preProcessFile reads static, dynamic and `import type` specifiers without a full parse;
    // a dynamic import of a computed specifier escapes it, and src/ has none.
    const { importedFiles } = ts.preProcessFile(file.text, true, true);
    const specifiers = importedFiles.map((imported) => imported.fileName);
    const isTestCode = file.path.endsWith('.test.ts') || specifiers.includes('vitest');
    const problems = specifiers.flatMap((spec) => importProblem(file.path, spec, isTestCode) ?? []);
    const checksPurity = folderOf(file.path) === 'core' && !isTestCode;
    return checksPurity ? [...problems, ...impureUses(file)] : problems;
  });
}

describe('dependency rule', () => {
  it('holds for src/, apart from the known exceptions', () => {
    const files = readSourceFiles('src');
    // Guards against a wrong root making the check pass on nothing.
    expect(files.length).toBeGreaterThan(50);
    expect(checkArchitecture(files)).toEqual(KNOWN_EXCEPTIONS);
  });

  it('reports each kind of breach, and lets tests reach test/ helpers', () => {
    const file = (path: string, ...lines: string[]): SourceText => ({
      path,
      text: lines.join('\n'),
    });
    const files = [
      file(
        'src/core/a.ts',
        "import { x } from '../stores/index.js';",
        "import { readFileSync } from 'node:fs';",
        'export const t = Date.now() + Math.random() + new Date().getTime();',
        "console.log(process.env['HOME']);",
      ),
      file('src/core/a.test.ts', "import { verifies } from '../../test/helper.js';", 'Date.now();'),
      file('src/policy/b.ts', "export type { F } from '../firewall/index.js';"),
      file('src/firewall/c.ts', "const audit = await import('../core/audit.js');"),
      file(
        'src/adapters/http/d.ts',
        "import type { S } from '../../stores/index.js';",
        "import { g } from '../graphql/index.js';",
      ),
      file('src/stores/e.ts', "import { h } from '../../test/helper.js';"),
      file('src/stores/suite.ts', "import { it } from 'vitest';", "import '../../test/helper.js';"),
      file('src/cli/f.ts', "import { y } from '../policy/x.js';", "import '../stores/index.js';"),
    ];
    expect(checkArchitecture(files)).toEqual([
      'src/core/a.ts: imports ../stores/index.js',
      'src/core/a.ts: imports node:fs',
      'src/core/a.ts: uses Date.now',
      'src/core/a.ts: uses Math.random',
      'src/core/a.ts: uses new Date()',
      'src/core/a.ts: uses console.log',
      'src/core/a.ts: uses process.env',
      'src/policy/b.ts: imports ../firewall/index.js',
      'src/firewall/c.ts: imports ../core/audit.js',
      'src/adapters/http/d.ts: imports ../../stores/index.js',
      'src/adapters/http/d.ts: imports ../graphql/index.js',
      'src/stores/e.ts: imports ../../test/helper.js',
      'src/cli/f.ts: imports ../policy/x.js',
    ]);
  });
});

/** Breaches of the surface rules: adapters never import the server; only server/surfaces.ts lists surfaces. */
function checkSurfaceRules(files: readonly SourceText[]): string[] {
  return files.flatMap((file) => {
    const from = folderOf(file.path);
    const problems: string[] = [];
    const { importedFiles } = ts.preProcessFile(file.text, true, true);
    for (const { fileName } of importedFiles) {
      const target = fileName.startsWith('.') ? posix.join(posix.dirname(file.path), fileName) : '';
      if (from.startsWith('adapters') && folderOf(target) === 'server')
        problems.push(`${file.path}: imports ${fileName}`);
    }
    // A surface is listed where its `Surface` value (`graphqlSurface`, …) is imported from its adapter.
    for (const statement of parseSource(file).statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
        continue;
      const target = posix.join(posix.dirname(file.path), statement.moduleSpecifier.text);
      const bindings = statement.importClause?.namedBindings;
      if (
        !folderOf(target).startsWith('adapters') ||
        bindings === undefined ||
        !ts.isNamedImports(bindings)
      )
        continue;
      const surfaces = bindings.elements.filter(
        (element) => !element.isTypeOnly && /^[a-z]\w*Surface$/.test(element.name.text),
      );
      if (
        surfaces.length > 0 &&
        file.path !== 'src/server/surfaces.ts' &&
        folderOf(file.path) !== folderOf(target)
      ) {
        problems.push(
          `${file.path}: lists ${surfaces.map((element) => element.name.text).join(', ')}`,
        );
      }
    }
    return problems;
  });
}

describe('surfaces', () => {
  it('adapters never import the server, and only server/surfaces.ts lists surfaces', () => {
    expect(checkSurfaceRules(readSourceFiles('src'))).toEqual([]);
  });

  it('reports an adapter importing the server and a surface listed elsewhere', () => {
    const file = (path: string, ...lines: string[]): SourceText => ({
      path,
      text: lines.join('\n'),
    });
    const files = [
      file('src/adapters/http/a.ts', "import type { GatewayRoute } from '../../server/index.js';"),
      file('src/cli/b.ts', "import { restSurface } from '../adapters/http/index.js';"),
      file('src/server/surfaces.ts', "import { restSurface } from '../adapters/http/index.js';"),
      file(
        'src/adapters/http/index.ts',
        "export { restSurface } from './surface.js';",
        "import { restSurface } from './surface.js';",
      ),
    ];
    expect(checkSurfaceRules(files)).toEqual([
      'src/adapters/http/a.ts: imports ../../server/index.js',
      'src/cli/b.ts: lists restSurface',
    ]);
  });
});
