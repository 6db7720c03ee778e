import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DERIVE_TOKEN_PATH } from '../../api/index.js';
import { envSecret, parseDurationMs } from '../../config/index.js';
import type { Effect, Grant } from '../../core/index.js';
import { isEffect } from '../../core/index.js';
import type { DeriveRequest, IssuedToken } from '../../firewall/index.js';
import { systemClock } from '../../platform/index.js';
import { adminAuthOf, adminSocketPath, withAdmin } from '../admin-client.js';
import { homeOf, withContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

interface ScopeFlags {
  agent: string;
  owner?: string;
  upstream?: string[];
  env?: string[];
  effect?: string[];
  resource?: string[];
  ttl?: string;
  json?: boolean;
}

/** The `--as` option of an admin change. */
const AS_ADMIN = [
  '--as <admin>',
  'the administrator making the change; their TOTP code is read from the terminal (needed when a server owns the home)',
] as const;

/** Registers `airlock token issue | derive | list | revoke | unfreeze`. */
export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('issue and manage agent tokens (deny-by-default grants)');
  withScopeFlags(token.command('issue').description('issue a token to an agent; it is shown once'))
    .requiredOption('--owner <human>', 'the human answerable for the agent')
    .option(...AS_ADMIN)
    .action(async (flags: ScopeFlags & { as?: string }, command: Command) => issue(flags, command));
  withScopeFlags(token.command('derive').description('derive a narrower token for a sub-agent'))
    .option('--parent <grant-id>', 'parent grant id (default: the token in $AIRLOCK_TOKEN)')
    .option('--owner <human>', "owner (default: the parent's)")
    .option(
      '--url <gateway>',
      'derive through the gateway at this URL with the token in $AIRLOCK_TOKEN (default: $AIRLOCK_URL); what an agent does when a server owns the home',
    )
    .action(async (flags: ScopeFlags & { parent?: string; url?: string }, command: Command) =>
      derive(flags, command),
    );
  token
    .command('list')
    .description('list grants (never tokens: only their hashes are stored)')
    .option('--json', 'one JSON object per grant')
    .action(async (flags: { json?: boolean }, command: Command) => list(flags, command));
  token
    .command('revoke <grant-id>')
    .description('revoke a grant and every grant derived from it')
    .option(...AS_ADMIN)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const { revoked } = await admin.call('revokeToken', {
          auth: adminAuthOf(admin, flags.as),
          grantId: id,
        });
        if (flags.json) printJson({ revoked });
        else
          printLines(
            `revoked ${revoked.length} grant(s): ${revoked.join(', ') || '(already revoked)'}`,
          );
      }),
    );
  token
    .command('unfreeze <grant-id>')
    .description('lift a freeze caused by repeated denials, after a human has looked')
    .option(...AS_ADMIN)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const { grant } = await admin.call('unfreezeToken', {
          auth: adminAuthOf(admin, flags.as),
          grantId: id,
        });
        if (flags.json) printJson({ grant: toShownGrant(grant as Grant, systemClock.now()) });
        else printLines(`unfroze ${grant.id} (${grant.agent})`);
      }),
    );
}

function withScopeFlags(command: Command): Command {
  return command
    .requiredOption('--agent <name>', 'the agent the token is for')
    .option('--upstream <names...>', 'upstreams it may reach (`*` for any)')
    .option('--env <names...>', 'environments it may touch (`*` for any)')
    .option(
      '--effect <effects...>',
      'effects it may perform: read write execute destructive unknown',
    )
    .option('--resource <patterns...>', 'resource patterns over `type:id` (`*` for any)')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h (default: tokens.defaultTtl)')
    .option('--json', 'print JSON');
}

async function issue(flags: ScopeFlags & { as?: string }, command: Command): Promise<void> {
  // Checked before the code is asked for: a typo should not cost an administrator a code.
  const scope = {
    agent: flags.agent,
    owner: flags.owner ?? '',
    upstreams: required(flags.upstream, '--upstream'),
    environments: required(flags.env, '--env'),
    effects: parseEffects(flags.effect ?? ['read']),
    resources: flags.resource ?? ['*'],
    // Left out: the server's `tokens.defaultTtl`.
    ...(flags.ttl === undefined ? {} : { ttlMs: parseTtl(flags.ttl) }),
  };
  await withAdmin(command, async (admin) => {
    const issued = await admin.call('issueToken', { auth: adminAuthOf(admin, flags.as), ...scope });
    printIssued({ token: issued.token, grant: issued.grant as Grant }, flags.json === true);
  });
}

async function derive(
  flags: ScopeFlags & { parent?: string; url?: string },
  command: Command,
): Promise<void> {
  const parentToken = envSecret('AIRLOCK_TOKEN', process.env);
  const request: DeriveRequest = {
    agent: flags.agent,
    ...(flags.owner === undefined ? {} : { owner: flags.owner }),
    ...(flags.upstream === undefined ? {} : { upstreams: flags.upstream }),
    ...(flags.env === undefined ? {} : { environments: flags.env }),
    ...(flags.effect === undefined ? {} : { effects: parseEffects(flags.effect) }),
    ...(flags.resource === undefined ? {} : { resources: flags.resource }),
    ...(flags.ttl === undefined ? {} : { ttlMs: parseTtl(flags.ttl) }),
  };
  const gateway = flags.url ?? process.env['AIRLOCK_URL'];
  if (gateway !== undefined && flags.parent === undefined) {
    if (parentToken === undefined)
      throw new CliFailure(
        'put the parent token in $AIRLOCK_TOKEN to derive through the gateway',
        EXIT.invalidInput,
      );
    printIssued(await deriveThroughGateway(gateway, parentToken, request), flags.json === true);
    return;
  }
  // SECURITY: while a server owns the home only it opens the store; the agent goes through it.
  if (existsSync(adminSocketPath(homeOf(command)))) {
    throw new CliFailure(
      'a server owns this home: derive through it with --url GATEWAY (or $AIRLOCK_URL) and the parent token in $AIRLOCK_TOKEN',
      EXIT.invalidInput,
    );
  }
  await withContext(command, async ({ grants, actor }) => {
    const parent =
      flags.parent !== undefined
        ? { id: flags.parent }
        : parentToken !== undefined
          ? { token: parentToken }
          : undefined;
    if (parent === undefined) {
      throw new CliFailure(
        'name the parent with --parent GRANT_ID or put its token in $AIRLOCK_TOKEN',
        EXIT.invalidInput,
      );
    }
    const derivedBy = 'token' in parent ? `${actor} (holding the parent token)` : actor;
    printIssued(await grants.derive(parent, request, derivedBy), flags.json === true);
  });
}

async function list(flags: { json?: boolean }, command: Command): Promise<void> {
  await withAdmin(command, async (admin) => {
    const now = systemClock.now();
    const shown = (await admin.call('listTokens', {})).grants.map((grant) =>
      toShownGrant(grant as Grant, now),
    );
    if (flags.json) {
      for (const grant of shown) printJson(grant);
      return;
    }
    if (shown.length === 0) printLines('no grants yet: `airlock token issue --help`');
    for (const g of shown) {
      printLines(
        `${g.id}  ${g.status.padEnd(8)} agent=${g.agent} owner=${g.owner} upstreams=${g.upstreams.join(',')} envs=${g.environments.join(',')} effects=${g.effects.join(',')} resources=${g.resources.join(',')} expires=${g.expiresAt}${g.parentId ? ` parent=${g.parentId}` : ''}`,
      );
    }
  });
}

function printIssued(issued: IssuedToken, json: boolean): void {
  const grant = toShownGrant(issued.grant, systemClock.now());
  if (json) {
    printJson({ token: issued.token, grant });
    return;
  }
  printLines(
    `token: ${issued.token}`,
    '  shown once: Airlock keeps only its hash. Give it to the agent as its only credential.',
    `grant: ${grant.id} agent=${grant.agent} owner=${grant.owner} upstreams=${grant.upstreams.join(',')} envs=${grant.environments.join(',')} effects=${grant.effects.join(',')} expires=${grant.expiresAt}`,
  );
}

/** A grant as the CLI shows it: ISO times and a status word. */
function toShownGrant(grant: Grant, now: number) {
  const status =
    grant.revokedAt !== undefined
      ? 'revoked'
      : grant.frozenAt !== undefined
        ? 'frozen'
        : now >= grant.expiresAt
          ? 'expired'
          : 'active';
  return {
    id: grant.id,
    status,
    agent: grant.agent,
    owner: grant.owner,
    upstreams: grant.upstreams,
    environments: grant.environments,
    effects: grant.effects,
    resources: grant.resources,
    createdAt: new Date(grant.createdAt).toISOString(),
    expiresAt: new Date(grant.expiresAt).toISOString(),
    parentId: grant.parentId ?? null,
  };
}

function required(list: string[] | undefined, flag: string): string[] {
  // SECURITY: deny-by-default: an omitted scope is an error, never "everything".
  if (list === undefined || list.length === 0) {
    throw new CliFailure(
      `${flag} is required: a token gets nothing that is not named`,
      EXIT.invalidInput,
    );
  }
  return list;
}

function parseEffects(values: string[]): Effect[] {
  const bad = values.filter((value) => !isEffect(value));
  if (bad.length > 0) {
    throw new CliFailure(
      `unknown effect ${bad.map((b) => `\`${b}\``).join(', ')}: use read, write, execute, destructive or unknown`,
      EXIT.invalidInput,
    );
  }
  return values as Effect[];
}

function parseTtl(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined)
    throw new CliFailure(`\`${text}\` is not a duration like 30m or 8h`, EXIT.invalidInput);
  return ms;
}

/** `POST /tokens/derive` on the gateway, authenticated by the parent token. */
async function deriveThroughGateway(
  gateway: string,
  parentToken: string,
  request: DeriveRequest,
): Promise<IssuedToken> {
  let response: Response;
  try {
    response = await fetch(new URL(DERIVE_TOKEN_PATH, gateway), {
      method: 'POST',
      headers: { authorization: `Bearer ${parentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (error) {
    throw new CliFailure(
      `no Airlock gateway answers at \`${gateway}\`: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.internal,
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    grant?: Grant;
    error?: { code?: string; message?: string; details?: string[] };
  };
  if (!response.ok || body.token === undefined || body.grant === undefined) {
    const exit = response.status >= 500 ? EXIT.internal : EXIT.invalidInput;
    throw new CliFailure(
      `the gateway refused: ${body.error?.message ?? `HTTP ${response.status}`}`,
      exit,
      body.error?.details ?? [],
    );
  }
  return { token: body.token, grant: body.grant };
}
