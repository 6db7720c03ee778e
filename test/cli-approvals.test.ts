import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EFFECTS } from '../src/core/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

const CREDENTIAL = 'a long approver secret';
const YEAR_MS = 365 * 86_400_000;

// Holds two requests through a firewall on the home's own store: one in production, one in staging.
async function seedHeldRequests(home: string): Promise<void> {
  const store = openSqliteStore({ path: join(home, 'airlock.db') });
  try {
    const { firewall, grants } = createTestFirewall(store, { approvals: { ttlMs: 20 * YEAR_MS } });
    const { token } = await grants.issue({ agent: 'deploy-bot', owner: 'alice', upstreams: ['railway'], environments: ['*'], effects: [...EFFECTS], resources: ['*'], ttlMs: 3_600_000 }, 'human:alice');
    for (const action of [testAction('destructive', 'production', 'vol_prod'), testAction('destructive', 'staging', 'vol_stg')]) {
      await firewall.judge({ token, surface: 'graphql', digest: action.digest, actions: [action] });
    }
  } finally {
    await store.close();
  }
}

describe('airlock approver and approvals', () => {
  const home = freshHome();
  const asBob = { home, env: { AIRLOCK_APPROVER_CREDENTIAL: CREDENTIAL } };

  beforeAll(async () => {
    await seedHeldRequests(home);
  });

  it('adds approvers from the environment or stdin, refuses weak credentials, and never lists them', () => {
    verifies('approver.credential-hashed');
    expect(runCli(['approver', 'add', 'bob', '--upstream', 'railway', '--env', '*', '--json'], asBob).status).toBe(0);
    const carol = runCli(['approver', 'add', 'carol', '--upstream', 'railway', '--env', 'staging'], { home, input: 'carol secret words\n' });
    expect(carol.status).toBe(0);
    const weak = runCli(['approver', 'add', 'eve', '--upstream', '*', '--env', '*'], { home, input: 'short\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/too weak/);
    const listed = runCli(['approver', 'list', '--json'], { home });
    expect(jsonLines(listed.stdout)).toMatchObject([{ name: 'bob' }, { name: 'carol' }]);
    expect(listed.stdout).not.toMatch(/secret|scrypt/);
  });

  it('lists and shows what will run, who asked, and the rule that held it', () => {
    const list = jsonLines(runCli(['approvals', 'list', '--state', 'pending', '--json'], { home }).stdout);
    expect(list).toMatchObject([{ id: 'apr_1', needed: 2 }, { id: 'apr_2', needed: 1 }]);
    const show = runCli(['approvals', 'show', 'apr_1'], { home });
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/pending, 0 of 2 approvals/);
    expect(show.stdout).toMatch(/asked by agent deploy-bot \(owner alice/);
    expect(show.stdout).toMatch(/held by needs-two-in-production/);
    expect(show.stdout).toMatch(/railway volumeDelete \(destructive, irreversible\)\n\s+volume vol_prod in production/);
    expect(show.stdout).toMatch(/--confirm vol_prod/);
  });

  it('requires typing the target of an irreversible production action, and a right credential', () => {
    verifies('approval.confirm-irreversible-production');
    const unconfirmed = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--json'], asBob);
    expect(unconfirmed.status).toBe(2);
    expect(JSON.parse(unconfirmed.stderr)).toMatchObject({ error: { code: 'approval.confirm-required', details: ['vol_prod'] } });
    const wrongTarget = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_other'], asBob);
    expect(wrongTarget.status).toBe(2);
    expect(wrongTarget.stderr).toMatch(/confirm by typing the target id `vol_prod`/);
    const badCredential = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'], { home, env: { AIRLOCK_APPROVER_CREDENTIAL: 'not the right one' } });
    expect(badCredential.status).toBe(2);
    expect(JSON.parse(badCredential.stderr)).toMatchObject({ error: { code: 'approver.unauthorized' } });
    const approved = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'], asBob);
    expect(approved.status).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ state: 'pending', approvalsSoFar: 1, needed: 2 });
    const again = runCli(['approvals', 'approve', 'apr_1', '--as', 'bob', '--confirm', 'vol_prod', '--json'], asBob);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'approval.refused' } });
  });

  it('denies with a reason, and the record names who', () => {
    verifies('approval.audited-with-actor');
    const denied = runCli(['approvals', 'deny', 'apr_2', '--as', 'bob', '--reason', 'not on a friday', '--json'], asBob);
    expect(denied.status).toBe(0);
    expect(JSON.parse(denied.stdout)).toMatchObject({ state: 'denied', denials: [{ approver: 'human:bob', reason: 'not on a friday' }] });
    const tail = runCli(['audit', 'tail', '--json'], { home }).stdout;
    expect(tail).toMatch(/"kind":"approval.denied"[^\n]*"actor":"human:bob"|"actor":"human:bob"[^\n]*"kind":"approval.denied"/);
    expect(tail).not.toContain(CREDENTIAL);
    const missing = runCli(['approvals', 'show', 'apr_9', '--json'], { home });
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'approval.not-found' } });
  });
});
