import { classifyGraphqlRequest } from '../../graphql/index.js';
import { RAILWAY_CATALOG } from '../../catalogs/railway-catalog.js';
import { classifySqlText } from '../../sql/index.js';
import { hasAny, parseOptions } from '../options.js';
import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { DYNAMIC_ARG, found, knownArg } from '../types.js';
import { writeFinding } from './files.js';

/**
 * Cloud, platform and database CLIs. Their subcommands are verbs, so each CLI is judged by the
 * verbs among its words (`railway volume delete`, `aws ec2 terminate-instances`,
 * `heroku apps:destroy`), plus the flags that turn a harmless verb destructive.
 */

const DESTROY_VERBS = new Set([
  'delete',
  'del',
  'destroy',
  'rm',
  'remove',
  'purge',
  'prune',
  'drop',
  'terminate',
  'wipe',
  'erase',
  'uninstall',
  'un',
  'flush',
  'truncate',
  'reset',
  'rb',
  'nuke',
  'unset',
  'taint',
  'force-unlock',
  'detach',
]);
const DESTROY_PREFIXES = [
  'delete-',
  'terminate-',
  'remove-',
  'purge-',
  'deregister-',
  'release-',
  'destroy-',
  'drop-',
  'reset-',
  'batch-delete-',
];
const READ_VERBS = new Set([
  'list',
  'ls',
  'get',
  'describe',
  'status',
  'show',
  'logs',
  'log',
  'whoami',
  'view',
  'info',
  'inspect',
  'plan',
  'version',
  'help',
  'top',
  'diff',
  'validate',
  'explain',
  'output',
  'history',
  'search',
  'ps',
  'images',
  'preview',
  'graph',
  'providers',
  'template',
  'lint',
  'verify',
  'can-i',
  'api-resources',
  'api-versions',
  'cluster-info',
  'current',
  'config',
  'events',
  'watch',
  'tail',
  'open',
  'docs',
  'check',
]);
const READ_PREFIXES = [
  'describe-',
  'list-',
  'get-',
  'head-',
  'lookup-',
  'search-',
  'batch-get-',
  'filter-',
  'wait',
  'scan',
  'query',
];
const WRITE_VERBS = new Set([
  'create',
  'deploy',
  'up',
  'apply',
  'set',
  'update',
  'add',
  'link',
  'unlink',
  'login',
  'logout',
  'init',
  'push',
  'pull',
  'build',
  'start',
  'stop',
  'restart',
  'scale',
  'rollout',
  'patch',
  'edit',
  'label',
  'annotate',
  'install',
  'upgrade',
  'rollback',
  'import',
  'tag',
  'redeploy',
  'promote',
  'cp',
  'copy',
  'sync',
  'mv',
  'put',
  'modify',
  'attach',
  'associate',
  'enable',
  'disable',
  'cordon',
  'uncordon',
  'expose',
  'autoscale',
  'use',
  'switch',
  'select',
  'refresh',
  'new',
  'generate',
  'fmt',
  'format',
  'restore',
  'clone',
  'fork',
  'merge',
  'close',
  'reopen',
  'comment',
  'review',
  'checkout',
  'release',
  'pause',
  'resume',
  'suspend',
  'rename',
  'move',
  'tail',
  'auth',
  'mb',
  'rotate',
]);
const WRITE_PREFIXES = [
  'create-',
  'put-',
  'update-',
  'modify-',
  'start-',
  'stop-',
  'run-',
  'tag-',
  'untag-',
  'attach-',
  'associate-',
  'enable-',
  'disable-',
  'add-',
  'copy-',
  'upload-',
  'send-',
  'publish-',
  'invoke',
  'register-',
  'reboot-',
  'set-',
  'import-',
  'restore-',
  'authorize-',
  'revoke-',
  'detach-',
  'disassociate-',
  'cancel-',
  'import-',
  'export-',
  'rotate-',
];
/** Subcommands that open a shell or run a command somewhere we cannot see. */
const REMOTE_EXEC = new Set([
  'exec',
  'ssh',
  'shell',
  'run',
  'connect',
  'console',
  'psql',
  'pg:psql',
  'debug',
  'attach',
  'eval',
  'execute',
]);

/** The verbs of a CLI's words: positional words, split on `:` (heroku, firebase) — options skipped. */
function verbsOf(args: readonly Arg[]): string[] {
  const verbs: string[] = [];
  for (const arg of args) {
    const text = arg.value.text;
    if (text === undefined || text.startsWith('-')) continue;
    verbs.push(...text.split(':').map((part) => part.toLowerCase()));
  }
  return verbs;
}

interface CliRules {
  /** Extra destructive verbs for this CLI (`down` for railway). */
  readonly destroys?: readonly string[];
  /** Flags that make any command destructive (`--delete` for `aws s3 sync`). */
  readonly destroyFlags?: readonly string[];
  /** Extra read verbs. */
  readonly reads?: readonly string[];
}

/** Judges a verb-driven CLI. */
export function verbCli(rules: CliRules = {}): Handler {
  return (inv) => {
    const op = [inv.name, ...verbsOf(inv.args).slice(0, 3)].join(' ');
    if (inv.args.some((arg) => !arg.value.known)) {
      const verbs = verbsOf(inv.args);
      if (verbs.some((verb) => DESTROY_VERBS.has(verb))) return found.destroy(op);
      return found.unknown(op, 'arguments known only at run time');
    }
    const texts = inv.args.map((arg) => arg.value.text as string);
    if (
      texts.some((text) => text === '--help' || text === '-h' || text === '--version') ||
      texts.length === 0
    )
      return found.read(`${inv.name} help`);
    const verbs = verbsOf(inv.args);
    const destroyFlag = texts.find((text) =>
      (rules.destroyFlags ?? []).some((flag) => text === flag || text.startsWith(`${flag}=`)),
    );
    if (destroyFlag !== undefined) return found.destroy(`${op} ${destroyFlag}`);
    if (
      verbs.some(
        (verb) =>
          DESTROY_VERBS.has(verb) ||
          (rules.destroys ?? []).includes(verb) ||
          DESTROY_PREFIXES.some((prefix) => verb.startsWith(prefix)),
      )
    ) {
      return found.destroy(op, targetsOf(inv.args));
    }
    for (const verb of verbs) {
      if (REMOTE_EXEC.has(verb))
        return found.unknown(op, 'runs commands somewhere Airlock cannot see');
      if (
        READ_VERBS.has(verb) ||
        (rules.reads ?? []).includes(verb) ||
        READ_PREFIXES.some((prefix) => verb.startsWith(prefix))
      )
        return found.read(op);
      if (WRITE_VERBS.has(verb) || WRITE_PREFIXES.some((prefix) => verb.startsWith(prefix)))
        return found.write(op);
    }
    return found.unknown(op, 'not a known subcommand');
  };
}

function targetsOf(args: readonly Arg[]): { type: string; id: string }[] {
  return verbsOf(args)
    .filter((verb) => !DESTROY_VERBS.has(verb))
    .slice(-2)
    .map((id) => ({ type: 'resource', id }));
}

/** Terraform options whose value is a file it writes (`-out=tfplan`, `-out tfplan`; `-backup=-` writes none). */
const TERRAFORM_OUTPUTS = new Set(['out', 'state-out', 'backup', 'generate-config-out']);

/** The files a terraform command line writes through its options, judged by the loss rules. */
function terraformOutputs(inv: Invocation): Finding[] {
  const findings: Finding[] = [];
  inv.args.forEach((arg, index) => {
    const match = arg.value.known ? /^--?([a-z-]+)(=(.*))?$/s.exec(arg.value.text) : null;
    if (match === null || !TERRAFORM_OUTPUTS.has(match[1] ?? '')) return;
    const value = match[2] === undefined ? inv.args[index + 1] : knownArg(match[3] ?? '');
    if (value?.value.known === true && value.value.text === '-') return;
    findings.push(...writeFinding(`${inv.name} -${match[1]}`, inv, value ?? DYNAMIC_ARG, true));
  });
  return findings;
}

const terraform: Handler = async (inv) => [
  ...terraformOutputs(inv),
  ...(await terraformVerbs(inv)),
];

const terraformVerbs: Handler = (inv) => {
  const verbs = verbsOf(inv.args);
  const texts = inv.args.map((arg) => arg.value.text);
  if (verbs[0] === 'apply' && texts.some((text) => text === '-destroy' || text === '--destroy'))
    return found.destroy(`${inv.name} apply -destroy`);
  if (verbs[0] === 'apply' || verbs[0] === 'import') {
    // A plan may replace or destroy resources; what it will do is only known when it runs.
    return found.destroy(`${inv.name} ${verbs[0]}`);
  }
  if (verbs[0] === 'state' && ['rm', 'push', 'replace-provider'].includes(verbs[1] ?? ''))
    return found.destroy(`${inv.name} state ${verbs[1]}`);
  if (verbs[0] === 'workspace' && verbs[1] === 'delete')
    return found.destroy(`${inv.name} workspace delete`);
  if (verbs[0] === 'state' || verbs[0] === 'workspace')
    return found.read(`${inv.name} ${verbs[0]} ${verbs[1] ?? ''}`.trim());
  if (verbs[0] === 'init' || verbs[0] === 'fmt' || verbs[0] === 'get')
    return found.write(`${inv.name} ${verbs[0]}`);
  return verbCli()(inv);
};

const pulumi: Handler = (inv) => {
  const verbs = verbsOf(inv.args);
  if (verbs[0] === 'up' || verbs[0] === 'update') return found.destroy(`pulumi ${verbs[0]}`);
  return verbCli()(inv);
};

/** docker and docker compose: removing volumes destroys data; run/exec run unseen commands. */
const docker: Handler = (inv) => {
  const verbs = verbsOf(inv.args);
  const texts = inv.args.map((arg) => arg.value.text ?? '');
  const compose = verbs[0] === 'compose';
  const sub = compose ? verbs[1] : verbs[0];
  const withVolumes = texts.some(
    (text) => text === '--volumes' || text === '-v' || /^-[a-z]*v[a-z]*$/.test(text),
  );
  if (compose && (sub === 'down' || sub === 'rm'))
    return withVolumes
      ? found.destroy(`docker compose ${sub} --volumes`)
      : found.write(`docker compose ${sub}`);
  if (
    sub === 'system' ||
    sub === 'volume' ||
    sub === 'container' ||
    sub === 'image' ||
    sub === 'network' ||
    sub === 'builder' ||
    sub === 'buildx'
  ) {
    const action = compose ? verbs[2] : verbs[1];
    if (action === 'prune' || action === 'rm' || action === 'remove')
      return found.destroy(`docker ${sub} ${action}`);
    if (
      action === 'ls' ||
      action === 'list' ||
      action === 'inspect' ||
      action === 'df' ||
      action === 'info'
    )
      return found.read(`docker ${sub} ${action}`);
  }
  if (sub === 'rm' || sub === 'rmi' || sub === 'kill') return found.destroy(`docker ${sub}`);
  if (sub === 'run' || sub === 'exec')
    return found.unknown(`docker ${sub}`, 'runs commands in a container');
  return verbCli()(inv);
};

/** railway: `api` carries raw GraphQL, judged by the Railway catalog; `run` runs a local command. */
const railway: Handler = async (inv) => {
  const verbs = verbsOf(inv.args);
  if (verbs[0] === 'api') {
    const query = inv.args.slice(1).find((arg) => !arg.value.text?.startsWith('-'));
    if (query === undefined || !query.value.known)
      return found.unknown('railway api', 'query known only at run time');
    return graphqlFindings('railway api', { query: query.value.text });
  }
  if (verbs[0] === 'run')
    return inv.exec(inv.args.slice(inv.args.findIndex((arg) => arg.value.text === 'run') + 1));
  if (verbs[0] === 'variables' || verbs[0] === 'variable' || verbs[0] === 'vars') {
    return inv.args.some((arg) => arg.value.text?.startsWith('--set') === true)
      ? found.write('railway variables --set')
      : found.read('railway variables');
  }
  return verbCli({ destroys: ['down'] })(inv);
};

/** GraphQL sent to Railway, judged by the GraphQL classifier on the Railway catalog. */
export function graphqlFindings(operation: string, body: Record<string, unknown>): Finding[] {
  const actions = classifyGraphqlRequest(
    { method: 'POST', contentType: 'application/json', body },
    RAILWAY_CATALOG,
  );
  if (actions.length === 0) return found.unknown(operation, 'no operation');
  return actions.map((action) => ({
    operation: `${operation}: ${action.operation}`,
    effect: action.effect,
    targets: action.targets.map((target) => ({ type: target.type, id: target.id })),
  }));
}

/** curl/wget: GET reads; DELETE destroys; GraphQL bodies are classified; other writes are unknown. */
const curl: Handler = (inv) => {
  const options = parseOptions(
    inv.args,
    new Set([
      '-X',
      '--request',
      '-d',
      '--data',
      '--data-raw',
      '--data-binary',
      '--data-urlencode',
      '--json',
      '-H',
      '--header',
      '-o',
      '--output',
      '-u',
      '--user',
      '-A',
      '-e',
      '-F',
      '--form',
      '-T',
      '--upload-file',
      '-w',
      '--connect-timeout',
      '-m',
      '--max-time',
      '--retry',
      '-b',
      '-c',
      '--cookie',
      '-x',
      '--proxy',
      '--url',
      '-K',
      '--config',
    ]),
  );
  if (options.dynamic && options.operands.some((arg) => !arg.value.known))
    return found.unknown('curl', 'URL known only at run time');
  if (options.values.has('-K') || options.values.has('--config'))
    return found.unknown('curl -K', 'options read from a file');
  const bodies = [
    '-d',
    '--data',
    '--data-raw',
    '--data-binary',
    '--data-urlencode',
    '--json',
    '-F',
    '--form',
    '-T',
    '--upload-file',
  ].flatMap((name) => options.values.get(name) ?? []);
  const method =
    (options.values.get('-X') ??
      options.values.get('--request') ?? [bodies.length > 0 ? 'POST' : 'GET'])[0]?.toUpperCase() ??
    'GET';
  const urls = [
    ...options.operands.map((arg) => arg.value.text ?? ''),
    ...(options.values.get('--url') ?? []),
  ];
  const findings: Finding[] = [];
  for (const output of [
    ...(options.values.get('-o') ?? []),
    ...(options.values.get('--output') ?? []),
  ]) {
    findings.push(
      ...writeFinding(
        'curl -o',
        inv,
        { word: undefined, value: { known: true, text: output, glob: false } },
        true,
      ),
    );
  }
  const targets = urls.map((url) => ({ type: 'url', id: url }));
  for (const body of bodies) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { query?: unknown }).query === 'string'
    ) {
      findings.push(
        ...graphqlFindings(`curl ${urls[0] ?? ''}`.trim(), parsed as Record<string, unknown>),
      );
    } else if (body.includes('\0dynamic') || body.startsWith('@'))
      findings.push(...found.unknown('curl', 'request body known only at run time', targets));
  }
  if (findings.some((finding) => finding.operation.includes(': '))) return findings;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS')
    return [...findings, ...found.read(`curl ${method}`, targets)];
  if (method === 'DELETE') return [...findings, ...found.destroy('curl DELETE', targets)];
  return [
    ...findings,
    ...found.unknown(`curl ${method}`, 'a request whose effect the API decides', targets),
  ];
};

const wget: Handler = (inv) => {
  const texts = inv.args.map((arg) => arg.value.text ?? '');
  if (
    texts.some(
      (text) =>
        text.startsWith('--post') || text.startsWith('--method') || text.startsWith('--body'),
    )
  )
    return found.unknown('wget', 'a request whose effect the API decides');
  return found.write('wget');
};

/** SQL carried by a database CLI, judged by the PostgreSQL classifier. */
async function sqlFindings(operation: string, sql: string, inv: Invocation): Promise<Finding[]> {
  const actions = await classifySqlText(sql, inv.upstream);
  if (actions.length === 0) return found.unknown(operation, 'no statement');
  return actions.map((action) => ({
    operation: `${operation}: ${action.operation}`,
    effect: action.effect,
    targets: action.targets.map((target) => ({ type: target.type, id: target.id })),
  }));
}

/** psql, mysql, sqlite3…: `-c`/`-e`/`--command` SQL, files, or SQL on standard input. */
function sqlClient(
  inline: readonly string[],
  files: readonly string[],
  takesValue: readonly string[],
  positionalSql = false,
): Handler {
  return async (inv) => {
    const options = parseOptions(inv.args, new Set([...inline, ...files, ...takesValue]));
    if (hasAny(options, '--help', '--version', '-V', '-l', '--list'))
      return found.read(`${inv.name} --help`);
    const statements = inline.flatMap((name) => options.values.get(name) ?? []);
    const sqlFiles = files.flatMap((name) => options.values.get(name) ?? []);
    if (positionalSql && options.operands.length >= 2) {
      const sql = options.operands[options.operands.length - 1];
      if (sql !== undefined) statements.push(sql.value.known ? sql.value.text : '\0dynamic');
    }
    const findings: Finding[] = [];
    for (const sql of statements) {
      if (sql.includes('\0dynamic'))
        findings.push(...found.unknown(`${inv.name} -c`, 'SQL known only at run time'));
      else findings.push(...(await sqlFindings(inv.name, sql, inv)));
    }
    for (const file of sqlFiles)
      findings.push(...found.unknown(`${inv.name} -f`, `SQL in a file (${file})`));
    if (statements.length > 0 || sqlFiles.length > 0) return findings;
    if (inv.stdin.kind === 'text') return sqlFindings(inv.name, inv.stdin.text, inv);
    return found.unknown(
      inv.name,
      inv.stdin.kind === 'none' ? 'interactive session' : 'SQL read from standard input',
    );
  };
}

const REDIS_DESTROY = new Set([
  'FLUSHALL',
  'FLUSHDB',
  'DEL',
  'UNLINK',
  'SHUTDOWN',
  'SWAPDB',
  'RESTORE',
  'MIGRATE',
  'GETDEL',
  'HDEL',
  'SREM',
  'ZREM',
  'LREM',
  'XDEL',
  'XTRIM',
  'LTRIM',
  'EXPIRE',
  'PEXPIRE',
  'RENAME',
  'FUNCTION',
  'SCRIPT',
  'CONFIG',
  'DEBUG',
  'REPLICAOF',
  'SLAVEOF',
  'CLUSTER',
  'MODULE',
  'ACL',
]);
const REDIS_READ = new Set([
  'GET',
  'MGET',
  'KEYS',
  'SCAN',
  'INFO',
  'PING',
  'TTL',
  'PTTL',
  'EXISTS',
  'TYPE',
  'HGET',
  'HGETALL',
  'HKEYS',
  'LRANGE',
  'LLEN',
  'SMEMBERS',
  'SCARD',
  'ZRANGE',
  'ZCARD',
  'DBSIZE',
  'STRLEN',
  'MONITOR',
  'CLIENT',
  'MEMORY',
  'LATENCY',
  'SLOWLOG',
  'TIME',
  'ECHO',
  'XRANGE',
  'XLEN',
  'HLEN',
  'SSCAN',
  'HSCAN',
  'ZSCAN',
  'OBJECT',
  'DUMP',
]);

const redisCli: Handler = (inv) => {
  const options = parseOptions(
    inv.args,
    new Set([
      '-h',
      '-p',
      '-a',
      '-n',
      '-u',
      '-s',
      '--user',
      '--pass',
      '--tls',
      '--cacert',
      '--cert',
      '--key',
      '-r',
      '-i',
      '-d',
      '--pattern',
      '--count',
    ]),
    false,
  );
  if (
    hasAny(
      options,
      '--scan',
      '--bigkeys',
      '--memkeys',
      '--stat',
      '--latency',
      '--help',
      '--version',
    )
  )
    return found.read('redis-cli');
  if (options.operands.some((arg) => !arg.value.known))
    return found.unknown('redis-cli', 'command known only at run time');
  const name = options.operands[0]?.value.text?.toUpperCase();
  if (name === undefined)
    return found.unknown(
      'redis-cli',
      inv.stdin.kind === 'none' ? 'interactive session' : 'commands read from standard input',
    );
  if (REDIS_DESTROY.has(name))
    return found.destroy(
      `redis-cli ${name}`,
      options.operands.slice(1).map((arg) => ({ type: 'redis-key', id: arg.value.text ?? '' })),
    );
  if (REDIS_READ.has(name)) return found.read(`redis-cli ${name}`);
  if (name === 'EVAL' || name === 'EVALSHA' || name === 'FCALL')
    return found.unknown(`redis-cli ${name}`, 'runs a script');
  return found.write(`redis-cli ${name}`);
};

const mongosh: Handler = (inv) => {
  const texts = inv.args.map((arg) => arg.value.text);
  if (texts.some((text) => text === '--help' || text === '--version'))
    return found.read(`${inv.name} --help`);
  if (
    texts.some(
      (text) =>
        text === '--eval' || text?.startsWith('--eval=') || text === '--file' || text === '-f',
    )
  )
    return found.unknown(`${inv.name} --eval`, 'JavaScript run against the database');
  return found.unknown(inv.name, 'interactive session or script');
};

const gh: Handler = (inv) => {
  const verbs = verbsOf(inv.args);
  if (verbs[0] === 'api') {
    const texts = inv.args.map((arg) => arg.value.text ?? '');
    const method =
      texts[texts.findIndex((text) => text === '-X' || text === '--method') + 1]?.toUpperCase();
    if (texts.includes('-X') || texts.includes('--method'))
      return method === 'GET'
        ? found.read('gh api')
        : method === 'DELETE'
          ? found.destroy('gh api DELETE')
          : found.unknown(`gh api ${method ?? ''}`, 'a request whose effect the API decides');
    if (texts.some((text) => ['-f', '-F', '--field', '--raw-field', '--input'].includes(text)))
      return found.unknown('gh api', 'a request whose effect the API decides');
    return found.read('gh api');
  }
  return verbCli({ reads: ['diff', 'checks', 'browse'] })(inv);
};

/** ORM and framework CLIs whose verbs wipe databases. */
const migrations = verbCli({
  destroys: [
    'fresh',
    'wipe',
    'rollback',
    'drop',
    'reset',
    'flush',
    'schema:drop',
    'db:drop',
    'db:reset',
  ],
  destroyFlags: ['--force-reset', '--accept-data-loss'],
});

/** `PROG --help` / `--version` print and exit; anything else is `judge`d. */
function unlessHelp(judge: Handler): Handler {
  return (inv) => {
    const only = inv.args.length === 1 ? inv.args[0]?.value.text : undefined;
    return only === '--help' || only === '--version' || only === '-V'
      ? found.read(`${inv.name} ${only}`)
      : judge(inv);
  };
}

/** Platform and database CLIs by name. */
export const PLATFORM_HANDLERS: Readonly<Record<string, Handler>> = {
  railway,
  aws: verbCli({ destroyFlags: ['--delete'] }),
  gcloud: verbCli(),
  gsutil: verbCli({ destroyFlags: ['-d'] }),
  az: verbCli(),
  fly: verbCli(),
  flyctl: verbCli(),
  vercel: verbCli(),
  netlify: verbCli(),
  supabase: verbCli(),
  neonctl: verbCli(),
  neon: verbCli(),
  heroku: verbCli(),
  doctl: verbCli(),
  firebase: verbCli(),
  wrangler: verbCli(),
  render: verbCli(),
  kubectl: verbCli({
    destroys: ['drain'],
    destroyFlags: ['--prune', '--force', '--grace-period=0'],
  }),
  oc: verbCli({ destroys: ['drain'], destroyFlags: ['--prune', '--force'] }),
  helm: verbCli(),
  terraform,
  tofu: terraform,
  terragrunt: terraform,
  pulumi,
  docker,
  podman: docker,
  'docker-compose': (inv) =>
    docker({
      ...inv,
      args: [
        { word: undefined, value: { known: true, text: 'compose', glob: false } },
        ...inv.args,
      ],
    }),
  gh,
  rclone: verbCli({
    destroys: ['sync', 'purge', 'delete', 'deletefile', 'rmdir', 'rmdirs', 'cleanup'],
  }),
  s3cmd: verbCli({ destroys: ['del', 'rb'] }),
  prisma: migrations,
  rails: migrations,
  rake: migrations,
  sequelize: migrations,
  knex: migrations,
  typeorm: migrations,
  'drizzle-kit': migrations,
  curl,
  wget: unlessHelp(wget),
  psql: sqlClient(
    ['-c', '--command'],
    ['-f', '--file'],
    [
      '-h',
      '--host',
      '-p',
      '--port',
      '-U',
      '--username',
      '-d',
      '--dbname',
      '-v',
      '--set',
      '--variable',
      '-o',
      '--output',
      '-F',
      '-R',
      '-P',
      '-T',
      '-L',
    ],
  ),
  mysql: sqlClient(
    ['-e', '--execute'],
    [],
    ['-h', '--host', '-P', '--port', '-u', '--user', '-D', '--database', '-S', '--socket'],
  ),
  mariadb: sqlClient(
    ['-e', '--execute'],
    [],
    ['-h', '--host', '-P', '--port', '-u', '--user', '-D', '--database', '-S', '--socket'],
  ),
  sqlite3: sqlClient(['-cmd'], [], ['-separator', '-nullvalue', '-init'], true),
  'redis-cli': redisCli,
  mongosh,
  mongo: mongosh,
  dropdb: unlessHelp((inv) =>
    found.destroy(
      'dropdb',
      inv.args
        .filter((arg) => !arg.value.text?.startsWith('-'))
        .map((arg) => ({ type: 'database', id: arg.value.text ?? '?' })),
    ),
  ),
  dropuser: unlessHelp(() => found.destroy('dropuser')),
  pg_restore: unlessHelp((inv) =>
    inv.args.some(
      (arg) => arg.value.text === '-c' || arg.value.text === '--clean' || !arg.value.known,
    )
      ? found.destroy('pg_restore --clean')
      : found.write('pg_restore'),
  ),
  pg_dump: () => found.read('pg_dump'),
  pg_dumpall: () => found.read('pg_dumpall'),
  mysqldump: () => found.read('mysqldump'),
  mysqladmin: verbCli(),
  createdb: unlessHelp(() => found.write('createdb')),
};
