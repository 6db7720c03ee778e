import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { RailwayStandin } from '../src/standins/index.js';
import { startRailwayStandin } from '../src/standins/index.js';
import { volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';
import { startServeAs } from './serve-process.js';
import { sharedCheckout } from './shared-checkout.js';
import { TotpPhone } from './totp-phone.js';

// Issue 14's acceptance test: Airlock as a service of its own OS user, and an "agent" that holds
// the shell of the human who administers it (same OS user, in the service's group so it reaches
// the admin socket, exactly as that human does). Every attack seen against the old deployment is
// tried as the agent and must fail; a human with the TOTP codes from their phones then approves
// and the held request passes once. Creating OS users needs root.
const isRoot = process.getuid?.() === 0;
if (!isRoot)
  console.warn('test/two-users.test.ts skipped: it creates two OS users (useradd) and needs root');

// The project as the two users can run it (a copy when this checkout is out of their reach).
const checkout = isRoot ? sharedCheckout() : undefined;
const BIN = checkout?.bin ?? join(import.meta.dirname, '..', 'bin', 'airlock.js');
const suffix = randomBytes(3).toString('hex');
const SERVICE = `alksrv${suffix}`;
const AGENT = `alkdev${suffix}`;

afterAll(() => {
  checkout?.remove();
  if (!isRoot) return;
  for (const user of [SERVICE, AGENT]) spawnSync('userdel', [user]);
  for (const group of [SERVICE, AGENT]) spawnSync('groupdel', [group]);
});

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command as an OS user with its supplementary groups, from a neutral folder, umask 077. */
function runAs(
  user: string,
  argv: readonly string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Run {
  const result = spawnSync(
    'setpriv',
    [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', ...argv],
    {
      cwd: '/',
      input,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/', AIRLOCK_ACTOR: user, ...env },
      timeout: 90_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The real `airlock` CLI as an OS user. */
function airlockAs(
  user: string,
  home: string,
  args: readonly string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Run {
  return runAs(user, [process.execPath, BIN, '--home', home, ...args], input, env);
}

function parseJson<T>(run: Run): T {
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as T;
}

interface GraphqlReply {
  readonly status: number;
  readonly body: {
    data?: unknown;
    errors?: { message?: string; extensions?: Record<string, unknown> }[];
  };
}

async function sendAsAgent(url: string, token: string, body: unknown): Promise<GraphqlReply> {
  // A connection of its own each time: the CLI runs between requests outlast the server's
  // keep-alive, and a POST on a socket the server is closing is not retried.
  const response = await request(`${url}/graphql/railway`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    reset: true,
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as GraphqlReply['body'],
  };
}

function codeOf(reply: GraphqlReply): unknown {
  return reply.body.errors?.[0]?.extensions?.['code'];
}

describe.skipIf(!isRoot)(
  'Airlock as a service the agent cannot reconfigure, approve for, or read',
  () => {
    let railway: RailwayStandin | undefined;
    afterAll(async () => railway?.close());

    it('every attack of the agent with the developer’s shell fails; a human with TOTP approves and the request passes once', async () => {
      verifies('boundary.two-users');
      const secret = `railway_${randomBytes(20).toString('hex')}`;
      railway = await startRailwayStandin({ port: 0, tokens: { account: [secret] }, seed: true });

      // --- the deployment: setup as root, the credential in a file, the first admin bootstrapped ---
      const parent = mkdtempSync(join(tmpdir(), 'airlock-two-users-'));
      chmodSync(parent, 0o755);
      const home = join(parent, 'home');
      const unitDir = mkdtempSync(join(tmpdir(), 'airlock-two-users-units-'));
      expect(
        spawnSync('useradd', [
          '--create-home',
          '--home-dir',
          join(parent, AGENT),
          '--shell',
          '/bin/sh',
          AGENT,
        ]).status,
      ).toBe(0);
      const setup = spawnSync(
        process.execPath,
        [
          BIN,
          '--home',
          home,
          'setup',
          '--user',
          SERVICE,
          '--admin-user',
          AGENT,
          '--unit-dir',
          unitDir,
        ],
        { encoding: 'utf8', cwd: '/' },
      );
      expect(setup.status, setup.stderr).toBe(0);
      writeFileSync(
        join(home, 'airlock.yaml'),
        [
          'version: 1',
          'upstreams:',
          '  railway:',
          '    kind: graphql',
          `    url: ${railway.url}`,
          '    credentialFile: railway',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      writeFileSync(join(home, 'credentials', 'railway'), `${secret}\n`, { mode: 0o600 });
      const uid = Number(spawnSync('id', ['-u', SERVICE], { encoding: 'utf8' }).stdout.trim());
      // Where a PostgreSQL guard keeps its snapshots: the service's alone, like everything here.
      mkdirSync(join(home, 'vault'), { mode: 0o700 });
      writeFileSync(join(home, 'vault', 'snapshot.sql'), 'copy of a table\n', { mode: 0o600 });
      for (const path of [
        join(home, 'airlock.yaml'),
        join(home, 'credentials', 'railway'),
        join(home, 'vault'),
        join(home, 'vault', 'snapshot.sql'),
      ])
        chownSync(path, uid, uid);

      const carolLogin = `carol-inbox-${randomBytes(8).toString('hex')}`;
      const carolEnrolled = parseJson<{ totp: { secret: string } }>(
        airlockAs(
          SERVICE,
          home,
          ['admin', 'bootstrap', 'carol', '--inbox-login', '--json'],
          `${carolLogin}\n`,
        ),
      );
      const carol = new TotpPhone(carolEnrolled.totp.secret);
      const served = await startServeAs(SERVICE, BIN, home);
      if (served.ready === undefined)
        throw new Error(`serve exited with ${String(served.code)}: ${served.stderr()}`);
      const server = { ...served, url: String(served.ready['url']) };
      try {
        // The human (the agent's OS user, who is in the service group) enrols a second admin and
        // issues the agent's token, each with a code from carol's phone.
        const daveEnrolled = parseJson<{ totp: { secret: string } }>(
          airlockAs(
            AGENT,
            home,
            [
              'approver',
              'add',
              'dave',
              '--upstream',
              'railway',
              '--env',
              '*',
              '--admin',
              '--as',
              'carol',
              '--json',
            ],
            carol.line(),
          ),
        );
        const dave = new TotpPhone(daveEnrolled.totp.secret);
        const issued = parseJson<{ token: string; grant: { id: string } }>(
          airlockAs(
            AGENT,
            home,
            [
              'token',
              'issue',
              '--agent',
              'cursor',
              '--owner',
              'alice',
              '--upstream',
              'railway',
              '--env',
              '*',
              '--effect',
              'read',
              'write',
              'destructive',
              '--ttl',
              '1h',
              '--as',
              'dave',
              '--json',
            ],
            dave.line(),
          ),
        );

        // The incident's request: held for two humans.
        const held = await sendAsAgent(server.url, issued.token, volumeDelete('vol_prod_db'));
        expect(codeOf(held)).toBe('AIRLOCK_HELD');
        const approvalId = String(held.body.errors?.[0]?.extensions?.['approvalId']);

        // --- the attacks, as the agent ---
        // 1. The home's files: read, write, list.
        for (const file of [
          'airlock.db',
          'airlock.yaml',
          'credentials/railway',
          'audit-signing.key',
          'policies/default.cedar',
          'vault/snapshot.sql',
        ]) {
          expect(runAs(AGENT, ['cat', join(home, file)]).status, file).not.toBe(0);
        }
        expect(runAs(AGENT, ['ls', home]).status).not.toBe(0);
        expect(
          runAs(AGENT, [
            'sh',
            '-c',
            `echo 'permit (principal, action, resource);' > ${join(home, 'policies', 'allow-all.cedar')}`,
          ]).status,
        ).not.toBe(0);
        expect(runAs(AGENT, ['sh', '-c', `echo x >> ${join(home, 'airlock.db')}`]).status).not.toBe(
          0,
        );
        expect(
          runAs(AGENT, ['sh', '-c', `: > ${join(home, 'vault', 'snapshot.sql')}`]).status,
        ).not.toBe(0);

        // 2. The server's environment and memory.
        expect(runAs(AGENT, ['cat', `/proc/${String(server.child.pid)}/environ`]).status).not.toBe(
          0,
        );
        const servePid =
          spawnSync('pgrep', ['-u', SERVICE, '-f', 'serve --port 0'], { encoding: 'utf8' })
            .stdout.trim()
            .split('\n')[0] ?? '';
        expect(servePid).toMatch(/^\d+$/);
        const environ = runAs(AGENT, ['cat', `/proc/${servePid}/environ`]);
        expect(environ.status).not.toBe(0);
        expect(environ.stdout).not.toContain(secret);

        // 3. Approving its own request through the CLI: no code, a made-up code, a code of its own.
        const noCode = airlockAs(AGENT, home, [
          'approvals',
          'approve',
          approvalId,
          '--as',
          'carol',
          '--confirm',
          'vol_prod_db',
        ]);
        expect(noCode.status).not.toBe(0);
        const guessed = airlockAs(
          AGENT,
          home,
          ['approvals', 'approve', approvalId, '--as', 'carol', '--confirm', 'vol_prod_db'],
          `${carol.wrong()}\n`,
        );
        expect(guessed.status).not.toBe(0);
        expect(guessed.stderr).toMatch(/unauthorized|wrong|refused/i);

        // 4. The admin API itself, spoken by a script of the agent's.
        const socket = join(home, 'admin.sock');
        const script = (path: string, body: unknown) =>
          `const http=require('node:http');const r=http.request({socketPath:${JSON.stringify(socket)},path:${JSON.stringify(path)},method:'POST',headers:{'content-type':'application/json'}},(res)=>{let t='';res.on('data',(c)=>t+=c);res.on('end',()=>{console.log(res.statusCode+' '+t)})});r.end(${JSON.stringify(JSON.stringify(body))});`;
        for (const [path, body] of [
          ['/v1/approvals/approve', { id: approvalId, confirm: ['vol_prod_db'] }],
          [
            '/v1/approvals/approve',
            {
              id: approvalId,
              confirm: ['vol_prod_db'],
              auth: { as: 'carol', totp: carol.wrong() },
            },
          ],
          [
            '/v1/approvers/add',
            { name: 'mallory', upstreams: ['*'], environments: ['*'], admin: true },
          ],
          [
            '/v1/tokens/issue',
            {
              agent: 'x',
              owner: 'x',
              upstreams: ['*'],
              environments: ['*'],
              effects: ['destructive'],
              resources: ['*'],
              auth: { as: 'dave', totp: dave.wrong() },
            },
          ],
          ['/v1/tokens/unfreeze', { grantId: issued.grant.id }],
        ] as const) {
          const answer = runAs(AGENT, [process.execPath, '-e', script(path, body)]);
          expect(answer.status, answer.stderr).toBe(0);
          expect(answer.stdout, path).toMatch(/^4\d\d /);
        }

        // 5. Enrolling an approver of its own, issuing itself a token, unfreezing itself.
        expect(
          airlockAs(
            AGENT,
            home,
            ['approver', 'add', 'mallory', '--upstream', '*', '--env', '*', '--as', 'carol'],
            `${carol.wrong()}\n`,
          ).status,
        ).not.toBe(0);
        expect(
          airlockAs(
            AGENT,
            home,
            [
              'token',
              'issue',
              '--agent',
              'x',
              '--owner',
              'x',
              '--upstream',
              '*',
              '--env',
              '*',
              '--effect',
              'destructive',
              '--as',
              'dave',
            ],
            `${dave.wrong()}\n`,
          ).status,
        ).not.toBe(0);
        expect(
          airlockAs(AGENT, home, ['token', 'unfreeze', issued.grant.id, '--as', 'dave']).status,
        ).not.toBe(0);
        const approvers = airlockAs(AGENT, home, ['approver', 'list', '--json']);
        expect(approvers.status, approvers.stderr).toBe(0);
        expect(approvers.stdout).not.toContain('mallory');

        // 6. A collected inbox session: carol logs in, the agent gets her cookie and votes with it.
        const login = await fetch(`${server.url}/inbox/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            approver: 'carol',
            credential: carolLogin,
            next: '/inbox',
          }).toString(),
          redirect: 'manual',
        });
        expect(login.status).toBe(303);
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        expect(cookie).toMatch(/^airlock_inbox=./);
        const detail = await fetch(`${server.url}/inbox/approvals/${approvalId}`, {
          headers: { cookie },
        });
        expect(detail.status).toBe(200);
        const csrf = /name="csrf" value="([^"]+)"/.exec(await detail.text())?.[1] ?? '';
        expect(csrf).not.toBe('');
        const stolenVote = await fetch(`${server.url}/inbox/approvals/${approvalId}/approve`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf, confirm: 'vol_prod_db' }).toString(),
          redirect: 'manual',
        });
        expect(stolenVote.status).toBe(403);

        // 7. What the agent may do itself: narrow its own token for a sub-agent, through the
        // gateway with the token it holds; never widen it, never from a grant id alone.
        const asHolder = { AIRLOCK_TOKEN: issued.token, AIRLOCK_URL: server.url };
        const narrowed = parseJson<{ token: string; grant: { effects: string[] } }>(
          airlockAs(
            AGENT,
            home,
            ['token', 'derive', '--agent', 'sub', '--effect', 'read', '--json'],
            '',
            asHolder,
          ),
        );
        expect(narrowed.grant.effects).toEqual(['read']);
        const widened = airlockAs(
          AGENT,
          home,
          ['token', 'derive', '--agent', 'sub', '--upstream', '*', '--json'],
          '',
          { AIRLOCK_TOKEN: narrowed.token, AIRLOCK_URL: server.url },
        );
        expect(widened.status).toBe(2);
        expect(widened.stderr).toContain('exceed');
        expect(
          airlockAs(AGENT, home, ['token', 'derive', '--agent', 'sub', '--parent', issued.grant.id])
            .status,
        ).not.toBe(0);

        // Still held: nothing the agent did counted.
        expect(
          codeOf(await sendAsAgent(server.url, issued.token, volumeDelete('vol_prod_db'))),
        ).toBe('AIRLOCK_HELD');
        expect(railway.state.state.volumes.some((volume) => volume.id === 'vol_prod_db')).toBe(
          true,
        );

        // --- the humans, with their phones ---
        const byCarol = airlockAs(
          AGENT,
          home,
          ['approvals', 'approve', approvalId, '--as', 'carol', '--confirm', 'vol_prod_db'],
          carol.line(),
        );
        expect(byCarol.status, byCarol.stderr).toBe(0);
        const byDave = airlockAs(
          AGENT,
          home,
          ['approvals', 'approve', approvalId, '--as', 'dave', '--confirm', 'vol_prod_db'],
          dave.line(),
        );
        expect(byDave.status, byDave.stderr).toBe(0);
        const once = await sendAsAgent(server.url, issued.token, volumeDelete('vol_prod_db'));
        expect(once.status, JSON.stringify(once.body)).toBe(200);
        expect(railway.state.state.volumes.some((volume) => volume.id === 'vol_prod_db')).toBe(
          false,
        );
        expect(
          codeOf(await sendAsAgent(server.url, issued.token, volumeDelete('vol_prod_db'))),
        ).toBe('AIRLOCK_HELD');

        // Every refused factor is on the record.
        const tail = airlockAs(AGENT, home, ['audit', 'tail', '--json', '-n', '500']);
        expect(tail.status, tail.stderr).toBe(0);
        expect(tail.stdout).toContain('approver.factor-failed');
        expect(tail.stdout).not.toContain(secret);
        // The human cannot read the home, so the server checks its log for them, checkpoints too.
        const checked = parseJson<{ ok: boolean; checkpoints: { count: number } }>(
          airlockAs(AGENT, home, ['audit', 'verify', '--json']),
        );
        expect(checked.ok).toBe(true);
        expect(checked.checkpoints.count).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }

      // 6. Root (or the service user) shortens the audit log: verify reports it.
      const intact = spawnSync(
        process.execPath,
        [BIN, '--home', home, 'audit', 'verify', '--json'],
        { encoding: 'utf8', cwd: '/' },
      );
      expect(intact.status, intact.stdout + intact.stderr).toBe(0);
      const db = new Database(join(home, 'airlock.db'));
      try {
        db.exec(
          `DELETE FROM audit WHERE seq > 5; UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit WHERE seq = 5)`,
        );
      } finally {
        db.close();
      }
      const cut = spawnSync(process.execPath, [BIN, '--home', home, 'audit', 'verify'], {
        encoding: 'utf8',
        cwd: '/',
      });
      expect(cut.status).toBe(1);
      expect(cut.stdout + cut.stderr).toMatch(/checkpoint/i);
      expect(readFileSync(join(home, 'audit-checkpoints.jsonl'), 'utf8')).not.toContain(secret);
    }, 300_000);
  },
);
