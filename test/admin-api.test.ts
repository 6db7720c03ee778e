import { mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFECTS } from '../src/core/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { openSqliteStore } from '../src/stores/index.js';
import { freshHome, runCli } from './run-cli.js';
import type { ServeProcess } from './serve-process.js';
import { startServe } from './serve-process.js';
import { TotpPhone, bootstrapAdmin } from './totp-phone.js';

// A real `airlock serve --dev` owns the home; the CLI runs from a second folder that holds only a
// link to the admin socket, so it cannot open the store even by mistake: every answer below came
// through the server. TOTP codes come from the approvers' "phones" (TotpPhone), on stdin.

const YEAR_MS = 365 * 86_400_000;

/** Seeds, before serve starts: two held requests, and a frozen grant. */
async function seed(home: string): Promise<{ frozen: string }> {
  const store = openSqliteStore({ path: join(home, 'airlock.db') });
  try {
    const { firewall, grants } = createTestFirewall(store, { approvals: { ttlMs: 20 * YEAR_MS } });
    const { token } = await grants.issue(
      {
        agent: 'deploy-bot',
        owner: 'alice',
        upstreams: ['railway'],
        environments: ['*'],
        effects: [...EFFECTS],
        resources: ['*'],
        ttlMs: 3_600_000,
      },
      'human:alice',
    );
    for (const id of ['vol_a', 'vol_b']) {
      const action = testAction('destructive', 'staging', id);
      await firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token);
    }
    const frozen = await grants.issue(
      {
        agent: 'hunter',
        owner: 'alice',
        upstreams: ['railway'],
        environments: ['staging'],
        effects: ['read'],
        resources: ['*'],
        ttlMs: 3_600_000,
      },
      'human:alice',
    );
    await store.updateGrant(frozen.grant.id, { frozenAt: Date.now() });
    return { frozen: frozen.grant.id };
  } finally {
    await store.close();
  }
}

/** One raw request on the admin socket. */
function raw(
  socketPath: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{
  status: number;
  json: { error?: { code: string; message: string; details: string[] } };
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        agent: false,
        method,
        path,
        headers:
          body === undefined
            ? {}
            : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never,
          }),
        );
      },
    );
    req.on('error', (error) => reject(new Error(`${method} ${path}: ${error.message}`)));
    req.end(body);
  });
}

describe('the admin API of airlock serve', { timeout: 180_000 }, () => {
  const home = freshHome();
  // The CLI's side: only the socket, as a member of group airlock sees the service's home.
  const client = mkdtempSync(join(tmpdir(), 'airlock-client-'));
  const socket = join(home, 'admin.sock');
  const cli = (args: readonly string[], input = '') => runCli(args, { home: client, input });
  let serve: ServeProcess;
  let dana: TotpPhone;
  let frozen: string;
  let bobSecret = '';
  let seqAtStart = 0;
  const records = async () => {
    const store = openSqliteStore({ path: join(home, 'airlock.db') });
    try {
      return await store.readAudit();
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    ({ frozen } = await seed(home));
    // The service user bootstraps the first administrator, once, before the server owns the home.
    dana = bootstrapAdmin(home, 'dana');
    seqAtStart = (await records()).length;
    serve = await startServe(home);
    symlinkSync(socket, join(client, 'admin.sock'));
  }, 120_000);

  afterAll(async () => {
    if (serve?.child.exitCode === null && serve.child.signalCode === null) await serve.stop();
  });

  it('listens on HOME/admin.sock, mode 0660', () => {
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o660);
    expect(
      (serve.ready['surfaces'] as { surface?: string; socket?: string }[]).find(
        (s) => s.surface === 'admin',
      ),
    ).toMatchObject({ socket });
  });

  it("enrols an approver only with an administrator's TOTP code", () => {
    const args = ['approver', 'add', 'bob', '--upstream', 'railway', '--env', '*', '--json'];
    const unnamed = cli(args);
    expect(unnamed.status).toBe(2);
    expect(unnamed.stderr).toMatch(
      /a server owns this home: name an administrator with `--as NAME`/,
    );
    const wrong = cli([...args, '--as', 'dana'], '000000\n');
    expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    const added = cli([...args, '--as', 'dana'], dana.line());
    expect(added.stderr).toBe('');
    const enrolled = JSON.parse(added.stdout) as { totp: { secret: string } };
    expect(enrolled).toMatchObject({
      approver: { name: 'bob', admin: false, totpEnrolled: true },
      totp: { uri: expect.stringMatching(/^otpauth:\/\/totp\/Airlock:bob\?/) },
    });
    bobSecret = enrolled.totp.secret;
    const listed = cli(['approver', 'list', '--json']);
    expect(listed.stdout).toMatch(/"name":"bob"/);
    expect(listed.stdout).not.toMatch(/secret|otpauth/);
  });

  it('refuses a vote without a code or with a wrong one (audited, then throttled), takes the right code once, and refuses it replayed', async () => {
    const erin = JSON.parse(
      cli(
        [
          'approver',
          'add',
          'erin',
          '--upstream',
          'railway',
          '--env',
          '*',
          '--json',
          '--as',
          'dana',
        ],
        dana.line(),
      ).stdout,
    ) as { totp: { secret: string } };
    expect(erin.totp.secret).toMatch(/^[A-Z2-7]+$/);
    const noCode = cli(['approvals', 'approve', 'apr_1', '--as', 'erin', '--json']);
    expect(noCode.status).toBe(2);
    expect(noCode.stderr).toMatch(/TOTP code for `erin` is needed/);
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = cli(['approvals', 'approve', 'apr_1', '--as', 'erin', '--json'], '123456\n');
      expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    }
    const throttled = await raw(
      socket,
      'POST',
      '/v1/approvals/approve',
      JSON.stringify({ auth: { as: 'erin', totp: '654321' }, id: 'apr_1' }),
    );
    expect(throttled).toMatchObject({ status: 429, json: { error: { code: 'auth.throttled' } } });
    const failures = (await records()).filter(
      (r) => r.kind === 'approver.factor-failed' && r.data['name'] === 'erin',
    );
    expect(failures.map((r) => r.data['reason'])).toEqual([
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'throttled',
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/123456|654321/);

    const bob = new TotpPhone(bobSecret);
    const code = bob.line();
    const approved = cli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--json'], code);
    expect(approved.stderr).toBe('');
    expect(JSON.parse(approved.stdout)).toMatchObject({
      id: 'apr_1',
      state: 'approved',
      approvals: [{ approver: 'human:bob' }],
    });
    const replayed = cli(['approvals', 'approve', 'apr_2', '--as', 'bob', '--json'], code);
    expect(JSON.parse(replayed.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    expect(JSON.parse(cli(['approvals', 'show', 'apr_2', '--json']).stdout)).toMatchObject({
      state: 'pending',
      approvalsSoFar: 0,
    });
  });

  it("issues and unfreezes tokens only with an administrator's code, audited as that human over the admin API", async () => {
    const issue = [
      'token',
      'issue',
      '--agent',
      'ci',
      '--owner',
      'alice',
      '--upstream',
      'railway',
      '--env',
      'staging',
      '--json',
    ];
    expect(cli(issue).status).toBe(2);
    const bob = cli([...issue, '--as', 'bob'], '000000\n');
    expect(JSON.parse(bob.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    const issued = cli([...issue, '--as', 'dana'], dana.line());
    expect(issued.stderr).toBe('');
    expect(JSON.parse(issued.stdout)).toMatchObject({
      token: expect.stringMatching(/^alk_/),
      grant: { agent: 'ci', status: 'active' },
    });
    expect(cli(['token', 'unfreeze', frozen, '--json']).status).toBe(2);
    const unfrozen = cli(['token', 'unfreeze', frozen, '--as', 'dana', '--json'], dana.line());
    expect(unfrozen.stderr).toBe('');
    // The seeding firewall's clock is fixed in the past, so the grant shows as expired: no longer frozen.
    expect(JSON.parse(unfrozen.stdout)).toMatchObject({ grant: { id: frozen, status: 'expired' } });
    const changes = (await records())
      .filter(
        (r) =>
          r.kind === 'grant.issued' || r.kind === 'grant.unfrozen' || r.kind === 'approver.added',
      )
      .slice(-4);
    expect(changes.map((r) => [r.kind, r.actor, r.data['channel']])).toEqual([
      ['approver.added', 'human:dana', 'admin-api'],
      ['approver.added', 'human:dana', 'admin-api'],
      ['grant.issued', 'human:dana', 'admin-api'],
      ['grant.unfrozen', 'human:dana', 'admin-api'],
    ]);
  });

  it('answers bad input with a typed 400 and changes nothing', async () => {
    const before = await records();
    const issue = {
      auth: { as: 'dana', totp: '000000' },
      agent: 'x',
      owner: 'o',
      upstreams: ['*'],
      environments: ['*'],
      effects: ['destructive'],
      resources: ['*'],
    };
    const malformed = await raw(socket, 'POST', '/v1/tokens/issue', '{"agent": ');
    expect(malformed).toMatchObject({
      status: 400,
      json: { error: { code: 'input.invalid', message: 'the request body is not JSON' } },
    });
    const unknown = await raw(
      socket,
      'POST',
      '/v1/tokens/issue',
      JSON.stringify({ ...issue, admin: true }),
    );
    expect(unknown).toMatchObject({ status: 400, json: { error: { code: 'input.invalid' } } });
    expect(unknown.json.error?.details.join(' ')).toMatch(/admin/);
    const badEffect = await raw(
      socket,
      'POST',
      '/v1/tokens/issue',
      JSON.stringify({ ...issue, effects: ['everything'] }),
    );
    expect(badEffect).toMatchObject({
      status: 400,
      json: { error: { code: 'input.invalid', details: [expect.stringMatching(/^effects\.0: /)] } },
    });
    const oversized = await raw(
      socket,
      'POST',
      '/v1/approvers/add',
      JSON.stringify({ ...issue, name: 'x'.repeat(70_000) }),
    );
    expect(oversized).toMatchObject({
      status: 400,
      json: {
        error: { code: 'input.invalid', message: expect.stringMatching(/larger than 65536 bytes/) },
      },
    });
    const notJson = await raw(socket, 'POST', '/v1/tokens/issue', 'agent=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(notJson).toMatchObject({ status: 400, json: { error: { code: 'input.invalid' } } });
    const twice = await raw(socket, 'GET', '/v1/audit/tail?count=1&count=2');
    expect(twice).toMatchObject({ status: 400, json: { error: { code: 'input.invalid' } } });
    expect(await raw(socket, 'GET', '/v1/nothing')).toMatchObject({
      status: 404,
      json: { error: { code: 'input.invalid' } },
    });
    // Nothing reached the services: no record at all, not even a failed code.
    expect((await records()).length).toBe(before.length);
  });

  it('never opens the store from the CLI while the server owns the home', async () => {
    expect(readdirSync(client)).toEqual(['admin.sock']);
    // Every change a human made since serve started came through the admin API.
    const made = (await records()).slice(seqAtStart).filter((r) => r.actor.startsWith('human:'));
    expect(made.map((r) => r.kind)).toEqual([
      'approver.added',
      'approver.added',
      'approval.approved',
      'grant.issued',
      'grant.unfrozen',
    ]);
    expect(new Set(made.map((r) => r.data['channel']))).toEqual(new Set(['admin-api']));
  });

  it('fails clearly, without opening the store, when the socket is left by a server that died', async () => {
    serve.child.kill('SIGKILL');
    await new Promise((resolve) => serve.child.once('exit', resolve));
    const run = cli(['approvals', 'list', '--json']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /no Airlock server answers on `[^`]*admin\.sock`: start `airlock serve`/,
    );
    expect(readdirSync(client)).toEqual(['admin.sock']);
  });
});
