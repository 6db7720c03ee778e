import { resolvePath } from '../paths.js';
import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { found } from '../types.js';
import type { ScriptRun } from './package-scripts.js';
import {
  findPackage,
  folderVisible,
  packagePrograms,
  runPackageProgram,
  runScripts,
} from './package-scripts.js';

/**
 * npm, yarn, pnpm and bun: running a package script judges its text (package-scripts.ts);
 * installing runs lifecycle scripts (the project's, judged, and the dependencies', unseen:
 * `execute`); `npx X` and friends run a package's program; looking things up is a read.
 */

/** The command line split into the tool's options, its words, and what follows `--`. */
interface ToolArgs {
  readonly options: ReadonlySet<string>;
  readonly words: readonly string[];
  readonly passed: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  /** Where each of `words` is in the arguments. */
  readonly wordAt: readonly number[];
}

/** Options whose value is the next word (when not given as `--name=value`). */
const VALUE_OPTIONS = new Set([
  '--loglevel',
  '--prefix',
  '-C',
  '--dir',
  '--cwd',
  '--workspace',
  '-w',
  '--filter',
  '-F',
  '--registry',
  '--cache',
  '--userconfig',
  '--globalconfig',
  '--script-shell',
  '--node-options',
  '--tag',
  '--otp',
  '--scope',
  '--omit',
  '--include',
  '--before',
  '--access',
  '--call',
  '-c',
  '--package',
  '-p',
]);
/** Options that run scripts somewhere Airlock does not resolve, or with another shell or config. */
const UNRESOLVED = [
  '--prefix',
  '-C',
  '--dir',
  '--workspace',
  '-w',
  '--workspaces',
  '-ws',
  '--filter',
  '-F',
  '-r',
  '--recursive',
  '--script-shell',
  '--shell',
  '--node-options',
  '--userconfig',
  '--globalconfig',
  '-g',
  '--global',
  '--location',
];
const INSTALL_SCRIPTS = [
  'preinstall',
  'install',
  'postinstall',
  'prepublish',
  'preprepare',
  'prepare',
  'postprepare',
];

/**
 * Splits the arguments; undefined when one is known only at run time. `interspersed`: options may
 * follow words (npm's own options); otherwise the first word and everything after it are words
 * (`npx eslint --fix`: `--fix` is eslint's).
 */
function splitArgs(args: readonly Arg[], interspersed = true): ToolArgs | undefined {
  const options = new Set<string>();
  const values = new Map<string, string>();
  const words: string[] = [];
  const wordAt: number[] = [];
  const texts = args.map((arg) =>
    arg.value.known && !arg.value.glob ? arg.value.text : undefined,
  );
  if (texts.some((text) => text === undefined)) return undefined;
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] as string;
    if (text === '--')
      return { options, words, values, wordAt, passed: texts.slice(index + 1) as string[] };
    if (!text.startsWith('-') || text === '-' || (!interspersed && words.length > 0)) {
      words.push(text);
      wordAt.push(index);
      continue;
    }
    const equals = text.startsWith('--') ? text.indexOf('=') : -1;
    const name = equals > 0 ? text.slice(0, equals) : text;
    options.add(name);
    if (equals > 0) values.set(name, text.slice(equals + 1));
    else if (VALUE_OPTIONS.has(name) && index + 1 < texts.length) {
      values.set(name, texts[index + 1] as string);
      index++;
    }
  }
  return { options, words, values, wordAt, passed: [] };
}

/** The arguments after the word at `word` (a subcommand), split again as a package runner's. */
function afterWord(inv: Invocation, parsed: ToolArgs, word: number): ToolArgs | undefined {
  return splitArgs(inv.args.slice((parsed.wordAt[word] ?? inv.args.length) + 1), false);
}

/** What yarn, pnpm and bun pass to a script: every argument after the word at `word`, options too. */
function tail(inv: Invocation, parsed: ToolArgs, word: number): string[] | undefined {
  const texts = inv.args
    .slice((parsed.wordAt[word] ?? inv.args.length) + 1)
    .map((arg) => (arg.value.known && !arg.value.glob ? arg.value.text : undefined));
  return texts.some((text) => text === undefined) ? undefined : (texts as string[]);
}

/** Runs a script family (`npm run X` with preX and postX) of the nearest package.json. */
async function scriptFamily(
  inv: Invocation,
  tool: string,
  name: string,
  parsed: ToolArgs,
  rest: readonly string[],
  from: string | undefined,
  explicitRun = true,
): Promise<Finding[]> {
  const operation = `${tool} run ${name}`;
  const lookup = await findPackage(inv, tool, from);
  if (lookup.kind === 'stop') return lookup.findings;
  if (lookup.kind === 'none')
    return noPackage(
      inv,
      operation,
      tool,
      from,
      NPM_SHORT_SCRIPTS[name] !== undefined && !explicitRun,
    );
  const hooks = parsed.options.has('--ignore-scripts')
    ? [name]
    : [`pre${name}`, name, `post${name}`];
  const run: ScriptRun = { operation, names: hooks, extra: { name, args: rest } };
  if (!Object.hasOwn(lookup.pkg.scripts, name)) {
    if (name === 'start')
      return found.execute(`${operation} (no start script: node server.js)`, [
        { type: 'path', id: `${lookup.pkg.dir}/server.js` },
      ]);
    return found.read(
      `${operation} (no such script in ${lookup.pkg.path}: ${tool} fails and runs nothing)`,
      [{ type: 'path', id: lookup.pkg.path }],
    );
  }
  const judged = await runScripts(inv, lookup.pkg, run);
  return judged === 'absent' ? found.read(operation) : judged;
}

/**
 * No package.json from `from` up to `/`: the tool fails and runs nothing, if this reader sees the
 * folder at all. If it does not (the server's view differs), the conventional `npm test`/`start`/
 * `stop` is a program Airlock cannot see into (`execute`); any other script is `unknown`.
 */
async function noPackage(
  inv: Invocation,
  operation: string,
  tool: string,
  from: string | undefined,
  conventional: boolean,
): Promise<Finding[]> {
  if (from !== undefined && (await folderVisible(inv, from)))
    return found.read(`${operation} (no package.json up to /: ${tool} fails and runs nothing)`);
  const why = `the folder ${from ?? ''} is not visible to Airlock`;
  return conventional
    ? found.execute(`${operation} (${why}: runs whatever its script says)`)
    : found.unknown(operation, why);
}

/** `npm install`, `npm ci`, `yarn`, `pnpm install`…: the project's lifecycle scripts, judged, and the dependencies', unseen. */
async function installFamily(
  inv: Invocation,
  tool: string,
  operation: string,
  parsed: ToolArgs,
  from: string | undefined,
): Promise<Finding[]> {
  const target = from === undefined ? [] : [{ type: 'path', id: `${from}/node_modules` }];
  if (parsed.options.has('--ignore-scripts'))
    return found.write(`${operation} (no lifecycle scripts)`, target);
  const findings = found.execute(
    `${operation} (runs the dependencies' lifecycle scripts, which Airlock cannot see)`,
    target,
  );
  const lookup = await findPackage(inv, tool, from);
  if (lookup.kind === 'stop') return [...findings, ...lookup.findings];
  if (lookup.kind === 'none') return findings;
  const judged = await runScripts(inv, lookup.pkg, { operation, names: INSTALL_SCRIPTS });
  return judged === 'absent' ? findings : [...findings, ...judged];
}

/** `npx -c TEXT`, `npm exec -c TEXT`, else the program named; `runner` is split as a package runner's. */
async function execFamily(
  inv: Invocation,
  tool: string,
  runner: ToolArgs | undefined,
  from: string | undefined,
): Promise<Finding[]> {
  if (runner === undefined) return found.unknown(tool, 'arguments known only at run time');
  const problem = unresolved(tool, runner);
  if (problem !== undefined) return problem;
  const code = runner.values.get('-c') ?? runner.values.get('--call');
  if (code !== undefined) {
    const lookup = await findPackage(inv, tool, from);
    if (lookup.kind === 'stop') return lookup.findings;
    return packagePrograms(
      inv,
      lookup.kind === 'found' ? lookup.pkg.dir : undefined,
      await inv.shell(code),
    );
  }
  const words = [...runner.words, ...runner.passed];
  if (words.length === 0) return found.unknown(`${tool} exec`, 'no program named');
  if (runner.options.has('--package') || runner.options.has('-p'))
    return found.execute(`${tool} exec ${words[0]} (a package's program)`);
  return runPackageProgram(
    inv,
    words.map((text) => ({ word: undefined, value: { known: true, text, glob: false } })),
  );
}

/** The folder a tool is told to work in (`--cwd`, `-C`, `--dir`), or the working directory. */
function workDir(
  inv: Invocation,
  parsed: ToolArgs,
  options: readonly string[],
): string | undefined {
  for (const option of options) {
    const value = parsed.values.get(option);
    if (value !== undefined) return resolvePath(value, inv.cwd);
  }
  return inv.cwd;
}

function unresolved(
  tool: string,
  parsed: ToolArgs,
  allowed: readonly string[] = [],
): Finding[] | undefined {
  const option = UNRESOLVED.find((name) => parsed.options.has(name) && !allowed.includes(name));
  return option === undefined ? undefined : found.unknown(tool, `\`${option}\` is not resolved`);
}

const NPM_READS = new Set([
  'ls',
  'list',
  'la',
  'll',
  'view',
  'v',
  'info',
  'show',
  'outdated',
  'config',
  'get',
  'help',
  'search',
  'whoami',
  'ping',
  'root',
  'bin',
  'prefix',
  'explain',
  'why',
  'doctor',
  'fund',
  'query',
  'sbom',
  'help-search',
  'completion',
]);
const NPM_RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const NPM_INSTALL = new Set([
  'install',
  'i',
  'add',
  'in',
  'ins',
  'inst',
  'insta',
  'instal',
  'isnt',
  'isntall',
  'ci',
  'clean-install',
  'ic',
  'install-clean',
  'isntall-clean',
  'update',
  'up',
  'upgrade',
  'rebuild',
  'rb',
  'dedupe',
  'ddp',
]);
const NPM_SHORT_SCRIPTS: Readonly<Record<string, string>> = {
  test: 'test',
  tst: 'test',
  t: 'test',
  start: 'start',
  stop: 'stop',
};

/** npm. */
export const npm: Handler = async (inv) => {
  const parsed = splitArgs(inv.args);
  if (parsed === undefined) return found.unknown('npm', 'arguments known only at run time');
  const [command, ...rest] = parsed.words;
  if (command === undefined)
    return found.read(
      parsed.options.has('--version') || parsed.options.has('-v') ? 'npm --version' : 'npm',
    );
  if (NPM_READS.has(command)) return found.read(`npm ${command}`);
  if (command === 'exec' || command === 'x')
    return unresolved('npm', parsed) ?? execFamily(inv, 'npm', afterWord(inv, parsed, 0), inv.cwd);
  const problem = unresolved('npm', parsed);
  if (problem !== undefined) return problem;
  if (NPM_RUN.has(command))
    return rest[0] === undefined
      ? found.read('npm run (lists the scripts)')
      : scriptFamily(inv, 'npm', rest[0], parsed, [...rest.slice(1), ...parsed.passed], inv.cwd);
  const script = NPM_SHORT_SCRIPTS[command];
  if (script !== undefined)
    return scriptFamily(inv, 'npm', script, parsed, [...rest, ...parsed.passed], inv.cwd, false);
  if (command === 'restart') return restart(inv, parsed);
  if (NPM_INSTALL.has(command)) return installFamily(inv, 'npm', `npm ${command}`, parsed, inv.cwd);
  if (
    command === 'install-test' ||
    command === 'it' ||
    command === 'install-ci-test' ||
    command === 'cit'
  ) {
    return [
      ...(await installFamily(inv, 'npm', `npm ${command}`, parsed, inv.cwd)),
      ...(await scriptFamily(inv, 'npm', 'test', parsed, [], inv.cwd)),
    ];
  }
  if (command === 'init' || command === 'create' || command === 'innit')
    return rest.length === 0
      ? found.write(
          'npm init',
          inv.cwd === undefined ? [] : [{ type: 'path', id: `${inv.cwd}/package.json` }],
        )
      : found.execute(`npm init ${rest[0]} (runs a package's program)`);
  if (
    command === 'publish' ||
    command === 'unpublish' ||
    command === 'deprecate' ||
    command === 'dist-tag' ||
    command === 'owner' ||
    command === 'access' ||
    command === 'token' ||
    command === 'adduser' ||
    command === 'login' ||
    command === 'logout'
  ) {
    return found.unknown(`npm ${command}`, 'changes the registry or credentials');
  }
  if (command === 'version' || command === 'pack') return versionOrPack(inv, command, parsed, rest);
  return found.write(`npm ${command}`);
};

/** `npm restart`: the restart script, else stop then start, each with pre and post. */
async function restart(inv: Invocation, parsed: ToolArgs): Promise<Finding[]> {
  const lookup = await findPackage(inv, 'npm');
  if (lookup.kind === 'stop') return lookup.findings;
  if (lookup.kind === 'none') return noPackage(inv, 'npm restart', 'npm', inv.cwd, true);
  if (Object.hasOwn(lookup.pkg.scripts, 'restart'))
    return scriptFamily(inv, 'npm', 'restart', parsed, [], inv.cwd);
  return [
    ...(await scriptFamily(inv, 'npm', 'stop', parsed, [], inv.cwd)),
    ...(await scriptFamily(inv, 'npm', 'start', parsed, [], inv.cwd)),
  ];
}

/** `npm version X` and `npm pack`: their lifecycle scripts, and what they write. */
async function versionOrPack(
  inv: Invocation,
  command: string,
  parsed: ToolArgs,
  rest: readonly string[],
): Promise<Finding[]> {
  if (command === 'version' && rest.length === 0) return found.read('npm version');
  if (parsed.options.has('--ignore-scripts')) return found.write(`npm ${command}`);
  const lookup = await findPackage(inv, 'npm');
  if (lookup.kind === 'stop') return lookup.findings;
  if (lookup.kind === 'none') return noPackage(inv, `npm ${command}`, 'npm', inv.cwd, false);
  const names =
    command === 'version'
      ? ['preversion', 'version', 'postversion']
      : ['prepack', 'prepare', 'postpack'];
  const judged = await runScripts(inv, lookup.pkg, { operation: `npm ${command}`, names });
  return [
    ...found.write(`npm ${command}`, [{ type: 'path', id: lookup.pkg.dir }]),
    ...(judged === 'absent' ? [] : judged),
  ];
}

const YARN_READS = new Set([
  'info',
  'list',
  'why',
  'outdated',
  'licenses',
  'bin',
  'config',
  'help',
  'versions',
  'explain',
  'search',
  'npm',
  'constraints',
  'owner',
  'check',
  'audit',
]);
const YARN_INSTALL = new Set([
  'install',
  'add',
  'remove',
  'upgrade',
  'up',
  'rebuild',
  'dedupe',
  'upgrade-interactive',
  'import',
  'link',
  'unlink',
  'unplug',
  'global',
]);
const YARN_BUILTINS = new Set([
  ...YARN_READS,
  ...YARN_INSTALL,
  'access',
  'autoclean',
  'cache',
  'create',
  'dlx',
  'exec',
  'generate-lock-entry',
  'init',
  'login',
  'logout',
  'node',
  'pack',
  'patch',
  'patch-commit',
  'plugin',
  'policy',
  'publish',
  'run',
  'set',
  'stage',
  'tag',
  'team',
  'version',
  'workspace',
  'workspaces',
]);

/** yarn (classic and berry). */
export const yarn: Handler = async (inv) => {
  const parsed = splitArgs(inv.args);
  if (parsed === undefined) return found.unknown('yarn', 'arguments known only at run time');
  const problem = unresolved('yarn', parsed);
  if (problem !== undefined) return problem;
  const from = workDir(inv, parsed, ['--cwd']);
  const [command, ...rest] = parsed.words;
  if (command === undefined)
    return parsed.options.has('--version') ||
      parsed.options.has('-v') ||
      parsed.options.has('--help')
      ? found.read('yarn --version')
      : installFamily(inv, 'yarn', 'yarn install', parsed, from);
  if (YARN_READS.has(command)) return found.read(`yarn ${command}`);
  if (YARN_INSTALL.has(command)) return installFamily(inv, 'yarn', `yarn ${command}`, parsed, from);
  if (command === 'dlx' || command === 'exec')
    return execFamily(inv, 'yarn', afterWord(inv, parsed, 0), from);
  if (command === 'create')
    return found.execute(`yarn create ${rest[0] ?? ''} (runs a package's program)`);
  if (command === 'node') return found.execute('yarn node (a program Airlock does not look into)');
  if (command === 'workspace' || command === 'workspaces')
    return found.unknown(`yarn ${command}`, 'workspace scripts are not resolved');
  if (
    command === 'publish' ||
    command === 'login' ||
    command === 'logout' ||
    command === 'tag' ||
    command === 'team' ||
    command === 'access' ||
    command === 'policy'
  )
    return found.unknown(`yarn ${command}`, 'changes the registry or credentials');
  if (command === 'run')
    return rest[0] === undefined
      ? found.read('yarn run (lists the scripts)')
      : scriptOrProgram(inv, 'yarn', rest[0], parsed, tail(inv, parsed, 1), from);
  if (YARN_BUILTINS.has(command)) return found.write(`yarn ${command}`);
  return scriptOrProgram(inv, 'yarn', command, parsed, tail(inv, parsed, 0), from);
};

/** `yarn X`, `pnpm X`, `bun run X`: the script X, else the package's program X (or the tool fails). */
async function scriptOrProgram(
  inv: Invocation,
  tool: string,
  name: string,
  parsed: ToolArgs,
  rest: readonly string[] | undefined,
  from: string | undefined,
): Promise<Finding[]> {
  if (rest === undefined) return found.unknown(tool, 'arguments known only at run time');
  const lookup = await findPackage(inv, tool, from);
  if (lookup.kind === 'stop') return lookup.findings;
  if (lookup.kind === 'found' && Object.hasOwn(lookup.pkg.scripts, name))
    return scriptFamily(inv, tool, name, parsed, rest, from);
  return found.execute(
    `${tool} ${name} (no such script: a package's program or file, if there is one)`,
  );
}

const PNPM_READS = new Set([
  'list',
  'ls',
  'll',
  'la',
  'outdated',
  'why',
  'licenses',
  'root',
  'bin',
  'config',
  'help',
  'store',
  'doctor',
  'search',
  'view',
  'info',
]);
const PNPM_INSTALL = new Set([
  'install',
  'i',
  'add',
  'update',
  'up',
  'upgrade',
  'remove',
  'rm',
  'uninstall',
  'un',
  'rebuild',
  'rb',
  'import',
  'link',
  'ln',
  'unlink',
  'fetch',
  'install-test',
  'it',
  'dedupe',
]);
const PNPM_BUILTINS = new Set([
  ...PNPM_READS,
  ...PNPM_INSTALL,
  'audit',
  'create',
  'deploy',
  'dlx',
  'env',
  'exec',
  'init',
  'pack',
  'patch',
  'patch-commit',
  'prune',
  'publish',
  'run',
  'server',
  'setup',
  'start',
  'test',
  't',
  'tst',
]);

/** pnpm. */
export const pnpm: Handler = async (inv) => {
  const parsed = splitArgs(inv.args);
  if (parsed === undefined) return found.unknown('pnpm', 'arguments known only at run time');
  const problem = unresolved('pnpm', parsed, ['-C', '--dir', '-w']);
  if (problem !== undefined) return problem;
  if (parsed.options.has('-w') || parsed.options.has('--workspace-root'))
    return found.unknown('pnpm -w', 'the workspace root is not resolved');
  const from = workDir(inv, parsed, ['-C', '--dir']);
  const [command, ...rest] = parsed.words;
  if (command === undefined) return found.read('pnpm');
  if (PNPM_READS.has(command)) return found.read(`pnpm ${command}`);
  if (PNPM_INSTALL.has(command)) return installFamily(inv, 'pnpm', `pnpm ${command}`, parsed, from);
  if (command === 'dlx' || command === 'exec')
    return execFamily(inv, 'pnpm', afterWord(inv, parsed, 0), from);
  if (command === 'create')
    return found.execute(`pnpm create ${rest[0] ?? ''} (runs a package's program)`);
  if (command === 'test' || command === 't' || command === 'tst')
    return scriptFamily(inv, 'pnpm', 'test', parsed, tail(inv, parsed, 0) ?? [], from, false);
  if (command === 'start')
    return scriptFamily(inv, 'pnpm', 'start', parsed, tail(inv, parsed, 0) ?? [], from, false);
  if (command === 'run')
    return rest[0] === undefined
      ? found.read('pnpm run (lists the scripts)')
      : scriptOrProgram(inv, 'pnpm', rest[0], parsed, tail(inv, parsed, 1), from);
  if (command === 'publish') return found.unknown('pnpm publish', 'changes the registry');
  if (PNPM_BUILTINS.has(command)) return found.write(`pnpm ${command}`);
  return scriptOrProgram(inv, 'pnpm', command, parsed, tail(inv, parsed, 0), from);
};

const BUN_INSTALL = new Set([
  'install',
  'i',
  'add',
  'a',
  'remove',
  'rm',
  'update',
  'link',
  'unlink',
]);

/** bun: a package manager, a test runner and a JavaScript runtime. */
export const bun: Handler = async (inv) => {
  const parsed = splitArgs(inv.args);
  if (parsed === undefined) return found.unknown('bun', 'arguments known only at run time');
  if (
    parsed.options.has('-e') ||
    parsed.options.has('--eval') ||
    parsed.options.has('-p') ||
    parsed.options.has('--print')
  )
    return found.unknown('bun -e', 'code in another language');
  const problem = unresolved('bun', parsed, ['--cwd']);
  if (problem !== undefined) return problem;
  const from = workDir(inv, parsed, ['--cwd']);
  const [command, ...rest] = parsed.words;
  if (command === undefined) return found.read('bun');
  if (BUN_INSTALL.has(command)) return installFamily(inv, 'bun', `bun ${command}`, parsed, from);
  if (command === 'x') return execFamily(inv, 'bun', afterWord(inv, parsed, 0), from);
  if (command === 'pm' || command === 'outdated' || command === 'help')
    return found.read(`bun ${command}`);
  if (
    command === 'test' ||
    command === 'create' ||
    command === 'build' ||
    command === 'upgrade' ||
    command === 'init'
  )
    return found.execute(`bun ${command} (a program Airlock does not look into)`);
  const name = command === 'run' ? rest[0] : command;
  if (name === undefined) return found.read('bun run (lists the scripts)');
  if (/[./]/.test(name))
    return found.execute(`bun ${name} (a program Airlock does not look into)`, [
      { type: 'path', id: resolvePath(name, from) ?? name },
    ]);
  return scriptOrProgram(
    inv,
    'bun',
    name,
    parsed,
    tail(inv, parsed, command === 'run' ? 1 : 0),
    from,
  );
};

/** npx, bunx, pnpx: run a package's program (`-c TEXT`: shell code). */
export function packageRunner(tool: string): Handler {
  return (inv) => {
    return execFamily(inv, tool, splitArgs(inv.args, false), inv.cwd);
  };
}
