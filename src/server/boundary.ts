import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/index.js';
import { credentialPathOf, fromSystemd, secretRefOf } from '../config/index.js';
import { FirewallError } from '../core/index.js';
import type { BoundaryProblem } from '../platform/index.js';
import { checkHomePlacement, checkServerUser, checkServiceHome } from '../platform/index.js';

/** How `airlock serve` was asked to treat the boundary. */
export interface BoundaryFlags {
  /** Development: problems are warnings, and a banner says the shell reaches everything. */
  readonly dev?: boolean;
  /** Running as root is accepted. */
  readonly allowRoot?: boolean;
}

/** Every credential file the config names (`credentialFile`, AWS key files, MCP `envFiles`, webhook URL and secret files), as written. */
export function credentialFilesOf(config: LoadedConfig['config']): string[] {
  const files: string[] = [];
  const fileOf = (section: object, base: string): void => {
    const ref = secretRefOf(section, base);
    if (ref !== undefined && 'file' in ref) files.push(ref.file);
  };
  for (const upstream of Object.values(config.upstreams)) {
    fileOf(upstream, 'credential');
    if (upstream.kind === 'http' && upstream.aws !== undefined) {
      for (const base of ['accessKeyId', 'secretAccessKey', 'sessionToken'])
        fileOf(upstream.aws, base);
    }
    if (upstream.kind === 'mcp') files.push(...Object.values(upstream.envFiles));
  }
  for (const endpoint of Object.values(config.webhooks.endpoints)) {
    fileOf(endpoint, 'url');
    fileOf(endpoint, 'secret');
  }
  return files;
}

/** The postgres vault folders the config names, absolute. */
export function vaultDirsOf(loaded: LoadedConfig): string[] {
  return Object.values(loaded.config.upstreams).flatMap((upstream) =>
    upstream.kind === 'postgres' && upstream.vault !== undefined
      ? [resolve(loaded.home, upstream.vault.dir)]
      : [],
  );
}

/**
 * The state paths the server reads besides its home (which is walked whole): the config file,
 * the policy folder, the database and its WAL and shared-memory files, each postgres vault, the
 * TLS key, and every credential file the config names (resolved as the server resolves them).
 */
export function statePathsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string[] {
  const tlsKey =
    loaded.config.server.tls === undefined
      ? []
      : [resolve(loaded.home, loaded.config.server.tls.keyFile)];
  const paths = [
    ...(loaded.file === undefined ? [] : [loaded.file]),
    loaded.policyDir,
    ...vaultDirsOf(loaded),
    ...tlsKey,
  ];
  if (loaded.config.store.kind === 'sqlite')
    paths.push(loaded.storeFile, `${loaded.storeFile}-wal`, `${loaded.storeFile}-shm`);
  const secrets = { env, home: loaded.home };
  // Files systemd hands over are root's with an ACL for the service; systemd keeps them private, and the resolver checks them.
  return [
    ...paths,
    ...credentialFilesOf(loaded.config)
      .filter((file) => !fromSystemd(file, secrets))
      .map((file) => credentialPathOf(file, secrets)),
  ];
}

/** Everything that lets another user reach the state of a server running as `uid` from `cwd`. */
export function boundaryProblemsOf(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  server: { uid: number; cwd: string; allowRoot: boolean },
): BoundaryProblem[] {
  const identity = { uid: server.uid };
  return [
    ...checkServerUser(identity, server.allowRoot),
    ...checkHomePlacement(loaded.home, server.cwd, identity),
    ...checkServiceHome(loaded.home, statePathsOf(loaded, env), identity),
  ];
}

/** The banner `serve --dev` prints: what development mode gives away. */
export const DEV_MODE_BANNER = [
  'airlock: DEVELOPMENT MODE (--dev): boundary checks are warnings only.',
  'airlock: an agent with this shell can reach everything: the database, the policy, the credentials in this',
  'airlock: environment, and approvals. For real credentials run the service (`airlock setup`, docs/deployment.md).',
];

/**
 * Checks the boundary before `airlock serve` opens anything: refuses with every problem listed,
 * or under `--dev` prints them as warnings beneath the development banner.
 */
export function enforceBoundary(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  flags: BoundaryFlags,
  write: (text: string) => void,
): void {
  const uid = process.getuid?.() ?? -1;
  const problems = boundaryProblemsOf(loaded, env, {
    uid,
    cwd: process.cwd(),
    allowRoot: flags.allowRoot === true,
  });
  if (flags.dev === true) {
    write(
      [...DEV_MODE_BANNER, ...problems.map((problem) => `airlock: warning: ${problem.text}`)].join(
        '\n',
      ) + '\n',
    );
    return;
  }
  if (problems.length > 0) {
    const message = `refusing to start: other users could reach the server's state in \`${loaded.home}\`; fix each, or pass --dev for a local trial`;
    throw new FirewallError('config.invalid', message, {
      details: problems.map((problem) => problem.text),
    });
  }
}
