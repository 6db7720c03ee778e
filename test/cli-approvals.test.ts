import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EFFECTS } from '../src/core/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';
import type { TotpPhone } from './totp-phone.js';
import { enrolApprover } from './totp-phone.js';

const CREDENTIAL = 'a long approver secret';
const YEAR_MS = 365 * 86_400_000;

// Holds two requests through a firewall on the home's own store: one in production, one in staging.
async function seedHeldRequests(home: string): Promise<void> {
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
    for (const action of [
      testAction('destructive', 'production', 'vol_prod'),
      testAction('destructive', 'staging', 'vol_stg'),
    ]) {
      await firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token);
    }
  } finally {
    await store.close();
  }
}

// Each vote uses up a TOTP step (two are valid at a time), so a test may wait for the clock.
describe('airlock approver and approvals', { timeout: 150_000 }, () => {
  const home = freshHome();
  let bob: TotpPhone;

  beforeAll(async () => {
    await seedHeldRequests(home);
  });

  it('enrols approvers with a TOTP secret shown once, takes an inbox credential from stdin only, refuses weak ones, and never lists secrets', () => {
    verifies('approver.credential-hashed');
    bob = enrolApprover(home, 'bob', ['--upstream', 'railway', '--env', '*']);
    const carol = runCli(
      ['approver', 'add', 'carol', '--upstream', 'railway', '--env', 'staging', '--inbox-login'],
      { home, input: `${CREDENTIAL}\n` },
    );
    expect(carol.status).toBe(0);
    expect(carol.stdout).toMatch(
      /shown this once[\s\S]*secret: [A-Z2-7]{16,}[\s\S]*uri: {4}otpauth:\/\/totp\/Airlock:carol\?secret=/,
    );
    const weak = runCli(
      ['approver', 'add', 'eve', '--upstream', '*', '--env', '*', '--inbox-login'],
      { home, input: 'short\n' },
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/too weak/);
    const listed = runCli(['approver', 'list', '--json'], { home });
    expect(jsonLines(listed.stdout)).toMatchObject([
      { name: 'bob', totpEnrolled: true },
      { name: 'carol', totpEnrolled: true },
    ]);
    expect(listed.stdout).not.toMatch(/secret|scrypt|otpauth/);
    expect(listed.stdout).not.toContain(bob.secret);
  });

  it('lists and shows what will run, who asked, and the rule that held it', () => {
    const listed = runCli(['approvals', 'list', '--state', 'pending', '--json'], { home });
    expect(listed.stderr).toBe('');
    const list = jsonLines(listed.stdout);
    expect(list).toMatchObject([
      { id: 'apr_1', needed: 2 },
      { id: 'apr_2', needed: 1 },
    ]);
    const show = runCli(['approvals', 'show', 'apr_1'], { home });
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/pending, 0 of 2 approvals/);
    expect(show.stdout).toMatch(/asked by agent deploy-bot \(owner alice/);
    expect(show.stdout).toMatch(/held by needs-two-in-production/);
    expect(show.stdout).toMatch(
      /railway volumeDelete \(destructive, irreversible\)\n\s+volume vol_prod in production/,
    );
    expect(show.stdout).toMatch(/--confirm vol_prod/);
  });

  it("requires typing the target of an irreversible production action, and the approver's own TOTP code, once", () => {
    verifies('approval.confirm-irreversible-production');
    const unconfirmed = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--json'], {
      home,
      input: bob.line(),
    });
    expect(unconfirmed.status).toBe(2);
    expect(JSON.parse(unconfirmed.stderr)).toMatchObject({
      error: { code: 'approval.confirm-required', details: ['vol_prod'] },
    });
    const wrongTarget = runCli(
      ['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_other'],
      { home, input: bob.line() },
    );
    expect(wrongTarget.status).toBe(2);
    expect(wrongTarget.stderr).toMatch(/confirm by typing the target id `vol_prod`/);
    const noCode = runCli(
      ['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'],
      { home, input: '' },
    );
    expect(noCode.status).toBe(2);
    expect(noCode.stderr).toMatch(/TOTP code for `bob` is needed/);
    const badCode = runCli(
      ['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'],
      { home, input: '000000\n' },
    );
    expect(badCode.status).toBe(2);
    expect(JSON.parse(badCode.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    const code = bob.line();
    const approved = runCli(
      ['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'],
      { home, input: code },
    );
    expect(approved.status).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      state: 'pending',
      approvalsSoFar: 1,
      needed: 2,
    });
    const again = runCli(
      ['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'],
      { home, input: bob.line() },
    );
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'approval.refused' } });
  });

  it('denies with a reason, and the record names who', () => {
    verifies('approval.audited-with-actor');
    const denied = runCli(
      ['approvals', 'deny', 'apr_2', '--as', 'bob', '--reason', 'not on a friday', '--json'],
      { home, input: bob.line() },
    );
    expect(denied.status).toBe(0);
    expect(JSON.parse(denied.stdout)).toMatchObject({
      state: 'denied',
      denials: [{ approver: 'human:bob', reason: 'not on a friday' }],
    });
    const tail = runCli(['audit', 'tail', '--json'], { home }).stdout;
    expect(tail).toMatch(
      /"kind":"approval.denied"[^\n]*"actor":"human:bob"|"actor":"human:bob"[^\n]*"kind":"approval.denied"/,
    );
    expect(tail).not.toContain(CREDENTIAL);
    expect(tail).not.toContain(bob.secret);
    const missing = runCli(['approvals', 'show', 'apr_9', '--json'], { home });
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'approval.not-found' } });
  });
});
