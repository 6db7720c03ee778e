import { posix } from 'node:path';
import type { Arg, Finding, Invocation } from '../types.js';
import { found } from '../types.js';

/**
 * package.json scripts as npm, yarn, pnpm and bun run them: the nearest package.json up from the
 * working directory, each script's text judged as shell code in the package's folder, with the
 * package's node_modules/.bin on PATH. What cannot be read is `unknown`.
 */

/** A package.json that was found and read. */
export interface PackageFile {
  readonly dir: string;
  readonly path: string;
  readonly scripts: Readonly<Record<string, string>>;
}

/** Where a lookup ended: a package, no package.json up to `/` (the tool fails), or findings that end the matter. */
export type PackageLookup =
  | { readonly kind: 'found'; readonly pkg: PackageFile }
  | { readonly kind: 'none' }
  | { readonly kind: 'stop'; readonly findings: Finding[] };

/** What running one or more of a package's scripts means. */
export interface ScriptRun {
  /** The tool's words for the operation, e.g. `npm run build`. */
  readonly operation: string;
  /** Script names in the order they run; absent ones are skipped. */
  readonly names: readonly string[];
  /** Arguments appended to the main script's text (npm, yarn and pnpm append them, quoted). */
  readonly extra?: { readonly name: string; readonly args: readonly string[] };
}

/** Config keys that change how scripts run (another shell, Node options, another config or prefix). */
const RISKY_CONFIG =
  /^\s*(script-shell|shell|node-options|userconfig|globalconfig|prefix|onload-script|shell-emulator)\s*=/m;
const NOT_KNOWN = / \(not a command Airlock knows\)$/;

/** The nearest package.json from `inv.cwd` up to `/`, as npm finds it (yarn, pnpm and bun alike). */
export async function findPackage(
  inv: Invocation,
  tool: string,
  from: string | undefined = inv.cwd,
): Promise<PackageLookup> {
  if (from === undefined || !from.startsWith('/'))
    return stop(found.unknown(tool, 'working directory unknown'));
  if (inv.files === undefined) return stop(found.unknown(tool, 'package.json cannot be read here'));
  for (let dir = from; ; dir = posix.dirname(dir)) {
    const path = dir === '/' ? '/package.json' : `${dir}/package.json`;
    // SECURITY: a package.json written earlier in this line is not the one on disk now.
    if (inv.mayHaveWritten(path))
      return stop(
        found.unknown(tool, 'package.json is written earlier in this command line', [
          { type: 'path', id: path },
        ]),
      );
    const read = await inv.files.read(path);
    if (read.kind === 'unreadable')
      return stop(
        found.unknown(tool, `cannot read ${path}: ${read.why}`, [{ type: 'path', id: path }]),
      );
    if (read.kind === 'text') {
      const scripts = scriptsOf(read.text);
      if (scripts === undefined)
        return stop(
          found.unknown(tool, `${path} is not a package.json it can read`, [
            { type: 'path', id: path },
          ]),
        );
      const config = await riskyConfig(inv, tool, dir);
      return config === undefined ? { kind: 'found', pkg: { dir, path, scripts } } : stop(config);
    }
    if (dir === '/') return { kind: 'none' };
  }
}

/**
 * Whether `folder` exists in the reader's view. `missing` files are taken to mean that the tool
 * runs nothing only where the folder is seen: `airlock serve` may run with a private /tmp
 * (PrivateTmp=yes), where the agent's /tmp/project is missing but real.
 */
export async function folderVisible(inv: Invocation, folder: string): Promise<boolean> {
  const read = await inv.files?.read(folder);
  return read !== undefined && read.kind !== 'missing';
}

/** Judges the scripts of `run` that the package has, in order; none present gives `absent`. */
export async function runScripts(
  inv: Invocation,
  pkg: PackageFile,
  run: ScriptRun,
): Promise<Finding[] | 'absent'> {
  const present = run.names.filter((name) => Object.hasOwn(pkg.scripts, name));
  if (present.length === 0) return 'absent';
  const findings: Finding[] = [];
  for (const name of present) {
    const text = pkg.scripts[name] ?? '';
    const args = run.extra?.name === name ? run.extra.args : [];
    const code = args.length === 0 ? text : `${text} ${args.map(shellQuote).join(' ')}`;
    // The script runs in the package's folder; `cd` there first so that its paths land right.
    const judged = await inv.shell(
      pkg.dir === inv.cwd ? code : `cd ${shellQuote(pkg.dir)}\n${code}`,
    );
    findings.push(...(await packagePrograms(inv, pkg.dir, judged)));
  }
  return findings;
}

/**
 * Commands the catalog does not know that are programs in the package's node_modules/.bin
 * (npm puts it first on PATH): `execute`, a package's program, not `unknown`.
 */
export async function packagePrograms(
  inv: Invocation,
  dir: string | undefined,
  findings: readonly Finding[],
): Promise<Finding[]> {
  const judged: Finding[] = [];
  for (const finding of findings) {
    const name =
      finding.effect === 'unknown' &&
      finding.targets.length === 0 &&
      NOT_KNOWN.test(finding.operation)
        ? finding.operation.replace(NOT_KNOWN, '')
        : undefined;
    if (name === undefined || dir === undefined || inv.files === undefined || name.includes('/')) {
      judged.push(finding);
      continue;
    }
    const path = `${dir}/node_modules/.bin/${name}`;
    const read = await inv.files.read(path);
    const exists =
      read.kind === 'text' || (read.kind === 'unreadable' && !read.why.startsWith('read budget'));
    judged.push(
      ...(exists
        ? found.execute(`${name} (a package's program in node_modules/.bin)`, [
            { type: 'path', id: path },
          ])
        : [finding]),
    );
  }
  return judged;
}

/**
 * `npx X`, `npm exec X`, `pnpm dlx X`, `bunx X`: the command is judged like any other; a name the
 * catalog does not know is a package's program (fetched from the registry if need be): `execute`.
 */
export async function runPackageProgram(inv: Invocation, argv: readonly Arg[]): Promise<Finding[]> {
  const first = argv[0]?.value;
  if (first === undefined || !first.known)
    return found.unknown(inv.name, 'program known only at run time');
  const name = binName(first.text);
  const judged = await inv.exec([
    { word: undefined, value: { known: true, text: name, glob: false } },
    ...argv.slice(1),
  ]);
  return judged.map((finding) =>
    finding.effect === 'unknown' &&
    finding.targets.length === 0 &&
    finding.operation === `${name} (not a command Airlock knows)`
      ? (found.execute(`${inv.name} ${name} (a package's program)`)[0] as Finding)
      : finding,
  );
}

/** `@scope/tool@1.2` → `tool`: the program a package spec names by default. */
function binName(spec: string): string {
  const scoped = spec.startsWith('@') ? spec.slice(spec.indexOf('/') + 1) : spec;
  const at = scoped.indexOf('@');
  return at > 0 ? scoped.slice(0, at) : scoped;
}

/** The package folder's .npmrc/.yarnrc may make scripts run with another shell or Node options. */
async function riskyConfig(
  inv: Invocation,
  tool: string,
  dir: string,
): Promise<Finding[] | undefined> {
  for (const name of ['.npmrc', '.yarnrc']) {
    const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
    if (inv.mayHaveWritten(path))
      return found.unknown(tool, `${name} is written earlier in this command line`, [
        { type: 'path', id: path },
      ]);
    const read = await inv.files?.read(path);
    if (read === undefined || read.kind === 'missing') continue;
    if (read.kind === 'unreadable')
      return found.unknown(tool, `cannot read ${path}: ${read.why}`, [{ type: 'path', id: path }]);
    if (RISKY_CONFIG.test(read.text) || /^\s*script-shell\s/m.test(read.text))
      return found.unknown(tool, `${path} changes how scripts run`, [{ type: 'path', id: path }]);
  }
  return undefined;
}

/** The `scripts` of a package.json text; undefined when it is not a JSON object. */
function scriptsOf(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const scripts = (parsed as { scripts?: unknown }).scripts;
  if (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)) return {};
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(scripts))
    if (typeof value === 'string') result[name] = value;
  return result;
}

/** Single-quotes `text` for the shell. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./=:@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function stop(findings: Finding[]): PackageLookup {
  return { kind: 'stop', findings };
}
