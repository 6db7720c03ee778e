import { describe, expect, it, vi } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { PolicyEngine, Principal, Store } from '../core/index.js';
import {
  EFFECTS,
  FirewallError,
  SeededRandom,
  TOKEN_ENTROPY_BYTES,
  createToken,
  hashToken,
} from '../core/index.js';
import { MemoryStore } from '../stores/index.js';
import type { JudgeRequest } from './firewall.js';
import type { Firewall } from './firewall.js';
import { AUTHENTICATION_RECHECK_MS } from './agent-session.js';
import type { GrantRequest } from './grant-service.js';
import { createTestFirewall, testAction } from './test-harness.js';

const FULL: GrantRequest = {
  agent: 'deploy-bot',
  owner: 'alice',
  upstreams: ['railway'],
  environments: ['*'],
  effects: [...EFFECTS],
  resources: ['*'],
  ttlMs: 3_600_000,
};

async function setup(
  options: Parameters<typeof createTestFirewall>[1] = {},
  store: Store = new MemoryStore(),
) {
  const harness = createTestFirewall(store, options);
  const issued = await harness.grants.issue(FULL, 'human:alice');
  return { ...harness, store, token: issued.token, grant: issued.grant };
}

/** A one-action request and the token it is judged for, as `judge`'s two arguments. */
function request(
  token: string,
  action = testAction('read', 'staging'),
): readonly [JudgeRequest, string] {
  return [{ surface: 'graphql', digest: action.digest, actions: [action] }, token];
}

describe('firewall', () => {
  it('allows a read within the grant and records it without the token', async () => {
    verifies('token.never-in-audit');
    const { firewall, store, token } = await setup();
    const { decision } = await firewall.judge(...request(token));
    expect(decision.verdict).toBe('allow');
    const records = await store.readAudit();
    expect(records.map((r) => r.kind)).toEqual(['grant.issued', 'decision']);
    expect(records[1]?.data).toMatchObject({
      verdict: 'allow',
      agent: 'deploy-bot',
      grantId: expect.stringMatching(/^grt_/),
    });
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it('holds a destructive action: 1 approval outside production, 2 in production or unknown', async () => {
    verifies('hold.destructive-needs-approval');
    verifies('hold.production-needs-two');
    const { firewall, token } = await setup();
    const staging = await firewall.judge(...request(token, testAction('destructive', 'staging')));
    expect(staging.decision).toMatchObject({ verdict: 'hold', approval: { needed: 1 } });
    const production = await firewall.judge(
      ...request(token, testAction('destructive', 'production')),
    );
    expect(production.decision).toMatchObject({ verdict: 'hold', approval: { needed: 2 } });
    const unknown = await firewall.judge(...request(token, testAction('destructive')));
    expect(unknown.decision).toMatchObject({ verdict: 'hold', approval: { needed: 2 } });
  });

  it('takes the most restrictive verdict of a request’s actions', async () => {
    verifies('hold.most-restrictive-wins');
    const { firewall, token } = await setup();
    const read = testAction('read', 'staging');
    const drop = testAction('destructive', 'production');
    const { decision } = await firewall.judge(
      { surface: 'graphql', digest: 'd', actions: [read, drop] },
      token,
    );
    expect(decision).toMatchObject({ verdict: 'hold', approval: { needed: 2 } });
  });

  it('denies outside the grant, naming the grant-scope rule', async () => {
    verifies('grant.out-of-scope-denied');
    const { firewall, grants } = await setup();
    const narrow = await grants.issue(
      { ...FULL, environments: ['staging'], effects: ['read'] },
      'human:alice',
    );
    const { decision } = await firewall.judge(
      ...request(narrow.token, testAction('destructive', 'production')),
    );
    expect(decision.verdict).toBe('deny');
    expect(decision.policyIds).toEqual(['airlock:grant-scope']);
    expect(decision.reasons.join(' ')).toMatch(/production, which is not granted/);
  });

  it('denies unknown, malformed, expired and revoked tokens', async () => {
    verifies('token.invalid-denied');
    verifies('token.checksum');
    const { firewall, grants, clock, token } = await setup();
    const other = await grants.issue(FULL, 'human:alice');
    await grants.revoke(other.grant.id, 'human:alice');
    const answers = [
      await firewall.judge(...request('alk_not-a-token')),
      await firewall.judge(...request(`${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`)),
      await firewall.judge(...request(other.token)),
    ];
    clock.advance(FULL.ttlMs);
    answers.push(await firewall.judge(...request(token)));
    expect(answers.map((a) => a.decision.verdict)).toEqual(['deny', 'deny', 'deny', 'deny']);
    expect(answers.map((a) => a.decision.policyIds[0])).toEqual(
      Array(4).fill('airlock:authentication'),
    );
    expect(answers[2]?.decision.reasons[0]).toMatch(/revoked/);
    expect(answers[3]?.decision.reasons[0]).toMatch(/expired/);
  });

  it('revoking a parent revokes its children, and a child is checked against its parent at every use', async () => {
    verifies('grant.revoke-cascades');
    const { firewall, grants, store, grant } = await setup();
    const child = await grants.derive(
      { id: grant.id },
      { agent: 'sub-agent', environments: ['staging'] },
      'agent:deploy-bot',
    );
    expect((await firewall.judge(...request(child.token))).decision.verdict).toBe('allow');
    await grants.revoke(grant.id, 'human:alice');
    expect((await store.getGrant(child.grant.id))?.revokedAt).toBeDefined();
    const { decision } = await firewall.judge(...request(child.token));
    expect(decision.verdict).toBe('deny');
  });

  it('denies a child while its parent is frozen, though the child itself is not', async () => {
    verifies('grant.checked-at-every-use');
    const { firewall, grants, store, grant } = await setup();
    const child = await grants.derive(
      { id: grant.id },
      { agent: 'sub-agent', environments: ['staging'] },
      'agent:deploy-bot',
    );
    // Freeze the parent's row only: nothing cascades, so only the ancestor check can deny.
    await store.updateGrant(grant.id, { frozenAt: 1 });
    const { decision } = await firewall.judge(...request(child.token));
    expect(decision.policyIds).toEqual(['airlock:authentication']);
    expect(decision.reasons[0]).toMatch(/^parent grant `grt_\w+` is frozen/);
    await store.updateGrant(grant.id, { frozenAt: null });
    expect((await firewall.judge(...request(child.token))).decision.verdict).toBe('allow');
  });

  it('denies a child stored wider than its parent, which derivation would have refused', async () => {
    verifies('grant.checked-at-every-use');
    const { firewall, grants, store } = await setup();
    const parent = await grants.issue({ ...FULL, environments: ['staging'] }, 'human:alice');
    // Written straight to the store, as a hand edit or a bad migration could leave it.
    const token = createToken(new SeededRandom('wide-child').bytes(TOKEN_ENTROPY_BYTES));
    const wide = {
      ...parent.grant,
      id: 'grt_wide',
      parentId: parent.grant.id,
      environments: ['*'],
    };
    await store.insertGrant(wide, hashToken(token));
    const { decision } = await firewall.judge(...request(token));
    expect(decision.policyIds).toEqual(['airlock:authentication']);
    expect(decision.reasons[0]).toMatch(/^grant `grt_wide` exceeds its parent: environments/);
  });

  it('refuses to derive a child wider than its parent', async () => {
    verifies('grant.derived-within-parent');
    const { grants } = await setup();
    const parent = await grants.issue(
      { ...FULL, effects: ['read'], environments: ['staging'] },
      'human:alice',
    );
    await expect(
      grants.derive(
        { token: parent.token },
        { agent: 'sub', effects: ['read', 'destructive'] },
        'agent:x',
      ),
    ).rejects.toMatchObject({ code: 'grant.exceeds-parent' });
    await expect(
      grants.derive({ token: parent.token }, { agent: 'sub', ttlMs: 10 * FULL.ttlMs }, 'agent:x'),
    ).rejects.toMatchObject({ code: 'grant.exceeds-parent' });
  });

  it('freezes a token after repeated denials until a human unfreezes it', async () => {
    verifies('grant.freeze-after-denials');
    const { firewall, grants } = await setup();
    const narrow = await grants.issue({ ...FULL, effects: ['read'] }, 'human:alice');
    for (let i = 0; i < 3; i++) {
      const { decision } = await firewall.judge(
        ...request(narrow.token, testAction('destructive', 'staging')),
      );
      expect(decision.policyIds).toEqual(['airlock:grant-scope']);
    }
    const frozen = await firewall.judge(...request(narrow.token));
    expect(frozen.decision.verdict).toBe('deny');
    expect(frozen.decision.reasons[0]).toMatch(/frozen/);
    await grants.unfreeze(narrow.grant.id, 'human:alice');
    expect((await firewall.judge(...request(narrow.token))).decision.verdict).toBe('allow');
  });
});

/** What every adapter does with a judgment: forward only an allow, with whom it was for. */
async function judgeThenForward<T>(
  firewall: Firewall,
  judged: readonly [JudgeRequest, string],
  forward: (principal: Principal) => Promise<T>,
) {
  const judgment = await firewall.judge(...judged);
  if (judgment.decision.verdict !== 'allow' || judgment.principal === undefined)
    return { ...judgment, forwarded: undefined };
  return { ...judgment, forwarded: await forward(judgment.principal) };
}

describe('firewall fails closed', () => {
  it('denies and forwards nothing when the policy engine throws', async () => {
    verifies('fail-closed.policy-engine-throws');
    const throwing: PolicyEngine = {
      version: 'broken',
      evaluate: () => {
        throw new FirewallError('policy.engine', 'wasm trapped');
      },
    };
    const { firewall, token, store } = await setup({ engine: throwing });
    const forward = vi.fn(async () => 'forwarded');
    const result = await judgeThenForward(firewall, request(token), forward);
    expect(result.decision.verdict).toBe('deny');
    expect(result.decision.policyIds).toEqual(['airlock:fail-closed']);
    expect(result.decision.errors[0]).toMatch(/^err_\d+: FirewallError: wasm trapped/);
    expect(forward).not.toHaveBeenCalled();
    const last = (await store.tailAudit(1))[0];
    expect(last?.data['errors']).toEqual(result.decision.errors);
  });

  it('denies and forwards nothing when a policy errors during evaluation', async () => {
    verifies('fail-closed.policy-error');
    const erroring: PolicyEngine = {
      version: 'erroring',
      evaluate: () => ({
        allowed: true,
        policyIds: ['p'],
        reasons: [],
        errors: ['policy `f` errored'],
      }),
    };
    const { firewall, token } = await setup({ engine: erroring });
    const forward = vi.fn(async () => 'forwarded');
    const result = await judgeThenForward(firewall, request(token), forward);
    expect(result.decision.verdict).toBe('deny');
    expect(forward).not.toHaveBeenCalled();
  });

  it('denies and forwards nothing when the store throws', async () => {
    verifies('fail-closed.store-throws');
    const store = new MemoryStore();
    const { firewall, token } = await setup({}, store);
    vi.spyOn(store, 'findGrantByTokenHash').mockRejectedValue(new Error('disk on fire'));
    const forward = vi.fn(async () => 'forwarded');
    const result = await judgeThenForward(firewall, request(token), forward);
    expect(result.decision).toMatchObject({ verdict: 'deny', policyIds: ['airlock:fail-closed'] });
    expect(forward).not.toHaveBeenCalled();
  });

  it('denies and forwards nothing when the audit append throws', async () => {
    verifies('audit.write-failure-denies');
    const store = new MemoryStore();
    const { firewall, token } = await setup({}, store);
    vi.spyOn(store, 'appendAudit').mockRejectedValue(new FirewallError('audit.write', 'disk full'));
    const forward = vi.fn(async () => 'forwarded');
    const result = await judgeThenForward(firewall, request(token), forward);
    expect(result.decision.verdict).toBe('deny');
    expect(result.decision.reasons[0]).toMatch(/audit log could not record/);
    expect(forward).not.toHaveBeenCalled();
  });

  it('forwards an allowed request exactly once', async () => {
    const { firewall, token } = await setup();
    const forward = vi.fn(async () => 'forwarded');
    const result = await judgeThenForward(firewall, request(token), forward);
    expect(result.forwarded).toBe('forwarded');
    expect(forward).toHaveBeenCalledTimes(1);
  });
});

describe('firewall sessions and reuse', () => {
  it('authenticates a connection once and asks the store again only after the recheck interval', async () => {
    const store = new MemoryStore();
    const { firewall, token, grants, clock } = await setup({}, store);
    const who = await firewall.authenticate(token);
    if (!who.ok) throw new Error(who.reason);
    const lookups = vi.spyOn(store, 'findGrantByTokenHash');
    const read = testAction('read', 'staging');
    const classified = { surface: 'graphql' as const, digest: read.digest, actions: [read] };
    expect((await firewall.judge(classified, who.session)).decision.verdict).toBe('allow');
    expect(lookups).not.toHaveBeenCalled();
    await grants.revoke(who.session.principal.grant.id, 'human:alice');
    clock.advance(AUTHENTICATION_RECHECK_MS);
    expect((await firewall.judge(classified, who.session)).decision.reasons[0]).toMatch(/revoked/);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect((await firewall.authenticate('alk_not-a-token')).ok).toBe(false);
  });

  it('reuses an allow of the same key, token and placement, and counts it on the audit log', async () => {
    const { firewall, token, store, clock } = await setup();
    const read = testAction('read', 'staging');
    const classified = {
      surface: 'graphql' as const,
      digest: read.digest,
      actions: [read],
      reuseKey: 'k',
    };
    const first = await firewall.judge(classified, token);
    expect((await firewall.judge(classified, token)).decision.id).toBe(first.decision.id);
    expect(
      firewall.reused({ surface: 'graphql', upstream: 'railway' }, 'k', token)?.decision.id,
    ).toBe(first.decision.id);
    const elsewhere = { ...classified, actions: [testAction('read', 'production')] };
    expect((await firewall.judge(elsewhere, token)).decision.id).not.toBe(first.decision.id);
    const held = { ...classified, actions: [testAction('destructive', 'staging')], reuseKey: 'h' };
    await firewall.judge(held, token);
    expect(
      firewall.reused({ surface: 'graphql', upstream: 'railway' }, 'h', token),
    ).toBeUndefined();
    clock.advance(1);
    await firewall.close();
    const reused = (await store.readAudit()).filter((record) => record.kind === 'decision.reused');
    expect(reused[0]?.data).toMatchObject({
      decisionId: first.decision.id,
      count: 2,
      surface: 'graphql',
      shape: 'volume',
    });
  });
});
