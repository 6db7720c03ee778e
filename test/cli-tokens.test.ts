import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';
import { bootstrapAdmin, enrolApprover } from './totp-phone.js';

interface IssuedJson {
  token: string;
  grant: { id: string; status: string; effects: string[]; parentId: string | null };
}

describe('airlock token', () => {
  const home = freshHome();
  const issue = (...extra: string[]) =>
    runCli(
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
        'staging',
        '--effect',
        'read',
        'write',
        '--json',
        ...extra,
      ],
      { home },
    );

  it('issues a token once, stores only its hash, and derives narrower children', () => {
    verifies('token.stored-hashed');
    verifies('grant.derived-within-parent');
    verifies('grant.revoke-cascades');
    const issued = issue();
    expect(issued.status).toBe(0);
    const parent = JSON.parse(issued.stdout) as IssuedJson;
    expect(parent.token).toMatch(/^alk_/);

    const derived = runCli(
      [
        'token',
        'derive',
        '--parent',
        parent.grant.id,
        '--agent',
        'sub',
        '--effect',
        'read',
        '--json',
      ],
      { home },
    );
    expect(derived.status).toBe(0);
    const child = JSON.parse(derived.stdout) as IssuedJson;
    expect(child.grant).toMatchObject({ parentId: parent.grant.id, effects: ['read'] });

    const wider = runCli(
      ['token', 'derive', '--agent', 'sub2', '--effect', 'destructive', '--json'],
      { home, env: { AIRLOCK_TOKEN: parent.token } },
    );
    expect(wider.status).toBe(2);
    expect(JSON.parse(wider.stderr)).toMatchObject({ error: { code: 'grant.exceeds-parent' } });

    const listed = runCli(['token', 'list', '--json'], { home });
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toContain(parent.token);
    expect(jsonLines(listed.stdout)).toHaveLength(2);

    const revoked = runCli(['token', 'revoke', parent.grant.id, '--json'], { home });
    expect(JSON.parse(revoked.stdout)).toEqual({
      revoked: expect.arrayContaining([parent.grant.id, child.grant.id]),
    });
    const after = jsonLines(
      runCli(['token', 'list', '--json'], { home }).stdout,
    ) as IssuedJson['grant'][];
    expect(after.map((grant) => grant.status)).toEqual(['revoked', 'revoked']);
  });

  it('refuses a token with no environments rather than granting all of them', () => {
    verifies('grant.environments-required');
    const run = runCli(
      ['token', 'issue', '--agent', 'a', '--owner', 'o', '--upstream', 'railway'],
      { home },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--env is required/);
  });

  it('checks an administrator named with --as exactly as the server would, even with no server', () => {
    const dana = bootstrapAdmin(home, 'dana');
    const bob = enrolApprover(home, 'bob', ['--upstream', '*', '--env', '*']);
    const wrong = runCli(
      [
        'token',
        'issue',
        '--agent',
        'a',
        '--owner',
        'o',
        '--upstream',
        'railway',
        '--env',
        'staging',
        '--as',
        'dana',
        '--json',
      ],
      { home, input: '000000\n' },
    );
    expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    const notAdmin = runCli(
      [
        'token',
        'issue',
        '--agent',
        'a',
        '--owner',
        'o',
        '--upstream',
        'railway',
        '--env',
        'staging',
        '--as',
        'bob',
        '--json',
      ],
      { home, input: bob.line() },
    );
    expect(JSON.parse(notAdmin.stderr)).toMatchObject({ error: { code: 'admin.forbidden' } });
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'a',
        '--owner',
        'o',
        '--upstream',
        'railway',
        '--env',
        'staging',
        '--as',
        'dana',
        '--json',
      ],
      { home, input: dana.line() },
    );
    expect(issued.status).toBe(0);
    const tail = runCli(['audit', 'tail', '-n', '1', '--json'], { home });
    expect(JSON.parse(tail.stdout)).toMatchObject({
      kind: 'grant.issued',
      actor: 'human:dana',
      data: { channel: 'cli-local' },
    });
  }, 120_000);

  it('names an unknown grant with a typed error and exit 2', () => {
    const run = runCli(['token', 'unfreeze', 'grt_nope', '--json'], { home });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'grant.not-found' } });
  });
});
