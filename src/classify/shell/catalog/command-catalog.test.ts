import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { verifies } from '../../../../test/requirements.js';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../core/index.js';
import { classifyShellCommand } from '../index.js';
import { BUILTIN_HANDLERS } from './builtins.js';
import { COMMAND_CATALOG, namesOf } from './command-catalog.js';
import { parseCommandSpecs } from './command-schema.js';
import { EXEC_HANDLERS } from './exec.js';
import { CODE_HANDLERS, HANDLERS, PENDING_SCRIPT_TOOLS } from './index.js';
import { REVIEWED_PROGRAM_NAMES } from './reviewed-program-names.js';
import { SCRIPT_HANDLERS } from './scripts.js';

/** Every (name, package) pair the catalog declares. */
const PAIRS = COMMAND_CATALOG.flatMap((spec) => [
  { name: spec.name, pkg: spec.package },
  ...spec.aliases.map((alias) =>
    typeof alias === 'string'
      ? { name: alias, pkg: spec.package }
      : { name: alias.name, pkg: alias.package },
  ),
]);
const ORDER: readonly Effect[] = ['read', 'write', 'execute', 'destructive', 'unknown'];
const worst = (effects: readonly Effect[]): Effect =>
  effects.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'read');

/** A command's standard output, even when it exits non-zero (dpkg-query does for packages it does not know). */
function run(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return result.error === undefined ? result.stdout : undefined;
}

const isDebian = (pkg: string): boolean => !pkg.includes(':') && pkg !== 'macos';
const DEBIAN_PACKAGES = [...new Set(PAIRS.map((pair) => pair.pkg).filter(isDebian))];
/** Debian packages installed here (one dpkg-query for all). */
const INSTALLED = new Set(
  (run('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...DEBIAN_PACKAGES]) ?? '')
    .split('\n')
    .filter((line) => line.endsWith('install ok installed'))
    .map((line) => line.split(' ')[0]),
);
const dpkgFiles = new Map<string, string[]>();
function installedFiles(pkg: string): string[] | undefined {
  if (!INSTALLED.has(pkg)) return undefined;
  if (!dpkgFiles.has(pkg)) dpkgFiles.set(pkg, (run('dpkg', ['-L', pkg]) ?? '').split('\n'));
  return dpkgFiles.get(pkg);
}
/** Packages the apt archive knows (one apt-cache call), or undefined without apt lists. */
function archivePackages(packages: readonly string[]): Set<string> | undefined {
  if (
    !existsSync('/var/lib/apt/lists') ||
    !readdirSync('/var/lib/apt/lists').some((file) => file.includes('Packages'))
  )
    return undefined;
  const shown = run('apt-cache', ['show', '--no-all-versions', ...packages]) ?? '';
  return new Set([...shown.matchAll(/^Package: (\S+)$/gm)].map((match) => match[1] as string));
}
/** True when `name` is a file in a bin folder of the package, or an alternative pointing at one of its files. */
function isProgramOf(name: string, files: readonly string[]): boolean {
  const alternative = `/etc/alternatives/${name}`;
  return (
    files.some((file) => /\/s?bin\/[^/]+$/.test(file) && file.endsWith(`/${name}`)) ||
    (existsSync(alternative) && files.includes(readlinkSync(alternative)))
  );
}
const NODE_MODULES = join(import.meta.dirname, '..', '..', '..', '..', 'node_modules');

describe('the shell command catalog', () => {
  it('gives every entry a reason and examples, each example a known effect', () => {
    expect(COMMAND_CATALOG.length).toBeGreaterThan(150);
    for (const spec of COMMAND_CATALOG) {
      expect(spec.why.length, spec.name).toBeGreaterThanOrEqual(10);
      expect(spec.examples.length, spec.name).toBeGreaterThan(0);
      for (const example of spec.examples)
        expect(ORDER, `${spec.name}: ${example.command}`).toContain(example.effect);
      for (const option of spec.options)
        expect(option.why.length, `${spec.name} ${option.names[0]}`).toBeGreaterThan(0);
    }
  });

  it(
    'judges every example as the effect it states (the sandbox harness holds the run to that effect)',
    { timeout: 120_000 },
    async () => {
      verifies('shell.catalog-as-data');
      for (const spec of COMMAND_CATALOG) {
        for (const example of spec.examples) {
          const actions = await classifyShellCommand(example.command, '/repo', 'shell');
          expect(
            worst(actions.map((action) => action.effect)),
            `${example.command} → ${JSON.stringify(actions.map((a) => [a.operation, a.effect]))}`,
          ).toBe(example.effect);
        }
      }
    },
  );

  it('has no name twice, and no name that a builtin, a script tool or a wrapper also claims', () => {
    const names = PAIRS.map((pair) => pair.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    const others = new Set([
      ...Object.keys(BUILTIN_HANDLERS),
      ...Object.keys(SCRIPT_HANDLERS),
      ...Object.keys(EXEC_HANDLERS),
      ...PENDING_SCRIPT_TOOLS,
    ]);
    expect(names.filter((name) => others.has(name))).toEqual([]);
  });

  it('declares every code handler once, with the module that judges it, and the command table answers every name', () => {
    const declared = new Map(
      COMMAND_CATALOG.filter((spec) => spec.handler !== undefined).flatMap((spec) =>
        namesOf(spec).map((name) => [name, spec.handler] as const),
      ),
    );
    for (const [module, handlers] of Object.entries(CODE_HANDLERS)) {
      for (const name of Object.keys(handlers))
        expect(declared.get(name), `${module}: ${name}`).toBe(module);
    }
    for (const [name, module] of declared)
      expect(Object.keys(CODE_HANDLERS[module ?? ''] ?? {}), name).toContain(name);
    for (const { name } of PAIRS) expect(HANDLERS.has(name), name).toBe(true);
  });

  it(
    'lists only names that programs have: reviewed by package, and checked against the real files wherever the package is here',
    { timeout: 120_000 },
    () => {
      verifies('shell.catalog-as-data');
      const reviewed = new Map(
        Object.entries(REVIEWED_PROGRAM_NAMES).flatMap(([pkg, names]) =>
          names.map((name) => [`${pkg} ${name}`, true] as const),
        ),
      );
      for (const { name, pkg } of PAIRS)
        expect(
          reviewed.has(`${pkg} ${name}`),
          `\`${name}\` of \`${pkg}\` is not in reviewed-program-names.ts`,
        ).toBe(true);
      // No stale entries: the reviewed list says exactly what the catalog claims.
      expect(reviewed.size).toBe(PAIRS.length);
      let proven = 0;
      // Not installed: the package must at least exist in the archive when apt knows it.
      const archive = archivePackages(DEBIAN_PACKAGES.filter((pkg) => !INSTALLED.has(pkg)));
      for (const { name, pkg } of PAIRS) {
        if (isDebian(pkg)) {
          const files = installedFiles(pkg);
          if (files === undefined) {
            if (archive !== undefined) expect(archive.has(pkg), `apt-cache show ${pkg}`).toBe(true);
            continue;
          }
          expect(
            isProgramOf(name, files),
            `\`${name}\` is not a program of the installed package \`${pkg}\``,
          ).toBe(true);
          proven++;
        } else if (pkg.startsWith('npm:')) {
          const manifest = join(NODE_MODULES, pkg.slice(4), 'package.json');
          if (!existsSync(manifest)) continue;
          const bin = (
            JSON.parse(readFileSync(manifest, 'utf8')) as {
              name: string;
              bin?: string | Record<string, string>;
            }
          ).bin;
          const bins =
            typeof bin === 'string' ? [pkg.slice(4).split('/').pop()] : Object.keys(bin ?? {});
          expect(bins, `\`${name}\` is not a bin of ${pkg}`).toContain(name);
          proven++;
        }
      }
      // On a Debian machine most names are proven against real files, not only the reviewed list.
      if (existsSync('/var/lib/dpkg/status')) expect(proven).toBeGreaterThan(100);
    },
  );
});

describe('names no program has', () => {
  const MADE_UP = [
    'env-check',
    'tsc-version',
    'history-clear',
    'gunzip-check',
    'unzip-list',
    'split-check',
    'enable-check',
    'reset-terminal',
    'deno-fmt',
    'll',
    'gradlew',
  ];
  it('are gone from the command table (so they are unknown)', () => {
    for (const name of MADE_UP) expect(HANDLERS.has(name), name).toBe(false);
  });
  it('would fail the package check: not reviewed, and not in the files of the package they would claim', () => {
    const reviewed = new Set(Object.values(REVIEWED_PROGRAM_NAMES).flat());
    for (const name of MADE_UP) expect(reviewed.has(name), name).toBe(false);
    const files = installedFiles('coreutils');
    if (files === undefined) return; // not a Debian machine: the reviewed list alone decides
    expect(isProgramOf('sort', files)).toBe(true);
    for (const name of MADE_UP) expect(isProgramOf(name, files), name).toBe(false);
  });
});

describe('command catalog schema', () => {
  const base = {
    name: 'demo',
    package: 'coreutils',
    effect: 'read',
    reversible: true,
    why: 'a demonstration entry',
    otherOptions: 'harmless',
    examples: [{ command: 'demo', effect: 'read' }],
  };
  it('accepts a well-formed entry', () => {
    expect(parseCommandSpecs([base]).ok).toBe(true);
  });
  it.each([
    ['a misspelt key', { ...base, efect: 'read' }],
    ['no reason', { ...base, why: '' }],
    ['no examples', { ...base, examples: [] }],
    ['a name with a space', { ...base, name: 'env check' }],
    [
      'an option that is not an option',
      { ...base, options: [{ names: ['output'], does: 'writes', why: 'x' }] },
    ],
    [
      'an unknown option effect',
      { ...base, options: [{ names: ['-o'], takesValue: true, does: 'explodes', why: 'x' }] },
    ],
    ['a package that is neither Debian nor a registry', { ...base, package: 'Some Package' }],
    [
      'an option that disagrees with itself on its value',
      {
        ...base,
        options: [
          { names: ['-f'], takesValue: true, does: 'reads', why: 'x' },
          { names: ['-f'], does: 'harmless', when: ['-c'], why: 'y' },
        ],
      },
    ],
  ])('refuses %s', (_what, entry) => {
    const parsed = parseCommandSpecs([entry]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error[0]).toMatch(/^(demo|env check)[.:]/);
  });
});
