import { describe, expect, it } from 'vitest';
import { EFFECTS, SeededRandom } from '../src/core/index.js';
import type { GrantRequest } from '../src/firewall/index.js';
import {
  ApprovalService,
  FactorThrottle,
  PASSKEY_FACTOR_MAX_AGE_MS,
  TOTP_STEP_MS,
  totpCode,
} from '../src/firewall/index.js';
import { TestAuthenticator, createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { MemoryStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';

// Adversarial checks of approvers' second factors, as an agent holding the approver's shell would try.

const FULL: GrantRequest = {
  agent: 'deploy-bot',
  owner: 'alice',
  upstreams: ['railway'],
  environments: ['*'],
  effects: [...EFFECTS],
  resources: ['*'],
  ttlMs: 86_400_000,
};
const CREDENTIAL = 'correct horse battery staple';

async function setup() {
  const store = new MemoryStore();
  const harness = createTestFirewall(store, { approvals: { ttlMs: 86_400_000 } });
  const { token } = await harness.grants.issue(FULL, 'human:alice');
  const service = new ApprovalService({
    store,
    clock: harness.clock,
    random: new SeededRandom('factors'),
    rules: { denyEndsIt: true, ownerMayApprove: false },
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service, store, clock: harness.clock });
  for (const name of ['bob', 'carol'])
    await phones.enrol({
      name,
      credential: `${CREDENTIAL} ${name}`,
      upstreams: ['railway'],
      environments: ['*'],
    });
  let volume = 0;
  /** Holds a new staging volumeDelete and returns its approval id. */
  const hold = async () => {
    const action = testAction('destructive', 'staging', `vol_${++volume}`);
    const judged = await harness.firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action] },
      token,
    );
    return judged.decision.approval?.id ?? '';
  };
  /** The code bob's phone shows now. */
  const codeOf = (name: string) => totpCode(phones.secretOf(name), harness.clock.now());
  const failures = async () =>
    (await store.readAudit()).filter((r) => r.kind === 'approver.factor-failed');
  return { store, clock: harness.clock, service, phones, hold, codeOf, failures };
}

describe('TOTP votes', () => {
  it('accepts a code once: the same code again is refused, for another vote or another approval', async () => {
    verifies('approver.totp-once');
    verifies('approver.factor-required');
    const { service, hold, codeOf, clock } = await setup();
    const first = await hold();
    const second = await hold();
    const code = codeOf('bob');
    expect((await service.approve(first, 'bob', { kind: 'totp', code })).state).toBe('approved');
    await expect(service.approve(second, 'bob', { kind: 'totp', code })).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    await expect(service.deny(second, 'bob', { kind: 'totp', code })).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    await expect(service.verifyTotp('bob', code)).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    // Still refused a step later, while it is inside the drift window.
    clock.advance(TOTP_STEP_MS);
    await expect(service.approve(second, 'bob', { kind: 'totp', code })).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    expect((await service.get(second)).state).toBe('pending');
  });

  it('lets exactly one of two racing votes with one code through', async () => {
    verifies('approver.totp-once');
    const { service, hold, codeOf } = await setup();
    const [a, b] = [await hold(), await hold()];
    const code = codeOf('bob');
    const results = await Promise.allSettled([
      service.approve(a, 'bob', { kind: 'totp', code }),
      service.approve(b, 'bob', { kind: 'totp', code }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses the right code of another approver, and an unknown approver, alike', async () => {
    const { service, hold, codeOf } = await setup();
    const id = await hold();
    await expect(
      service.approve(id, 'carol', { kind: 'totp', code: codeOf('bob') }),
    ).rejects.toMatchObject({
      code: 'approver.unauthorized',
      message: 'unknown approver or wrong code',
    });
    await expect(
      service.approve(id, 'nobody', { kind: 'totp', code: codeOf('bob') }),
    ).rejects.toMatchObject({
      code: 'approver.unauthorized',
      message: 'unknown approver or wrong code',
    });
    expect((await service.get(id)).state).toBe('pending');
  });

  it('refuses every code after 5 wrong ones within 15 minutes, the right one too, then recovers', async () => {
    verifies('approver.factor-throttled');
    const { service, hold, codeOf, clock } = await setup();
    const id = await hold();
    const right = codeOf('bob');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await expect(service.approve(id, 'bob', { kind: 'totp', code: wrong })).rejects.toMatchObject(
        { code: 'approver.unauthorized' },
      );
    await expect(service.approve(id, 'bob', { kind: 'totp', code: right })).rejects.toMatchObject({
      code: 'auth.throttled',
    });
    await expect(service.authorizeAdmin('bob', right)).rejects.toMatchObject({
      code: 'auth.throttled',
    });
    // Another approver is not held up by bob's failures.
    expect((await service.verifyTotp('carol', codeOf('carol'))).name).toBe('carol');
    clock.advance(15 * 60_000);
    expect((await service.approve(id, 'bob', { kind: 'totp', code: codeOf('bob') })).state).toBe(
      'approved',
    );
  });

  it('counts wrong codes once for every channel that shares a throttle, as the admin API and inbox of one serve do', async () => {
    verifies('approver.factor-throttled');
    const { store, hold, codeOf, clock } = await setup();
    const shared = new FactorThrottle({ clock });
    const options = {
      store,
      clock,
      random: new SeededRandom('channels'),
      rules: { denyEndsIt: true, ownerMayApprove: false },
      productionEnvironments: ['production'],
      factorThrottle: shared,
    };
    const [adminApi, inbox] = [new ApprovalService(options), new ApprovalService(options)];
    const id = await hold();
    const right = codeOf('bob');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++)
      await expect(
        adminApi.approve(id, 'bob', { kind: 'totp', code: wrong }),
      ).rejects.toMatchObject({ code: 'approver.unauthorized' });
    for (let i = 0; i < 2; i++)
      await expect(inbox.verifyTotp('bob', wrong)).rejects.toMatchObject({
        code: 'approver.unauthorized',
      });
    await expect(adminApi.approve(id, 'bob', { kind: 'totp', code: right })).rejects.toMatchObject({
      code: 'auth.throttled',
    });
    await expect(inbox.verifyTotp('bob', right)).rejects.toMatchObject({ code: 'auth.throttled' });
  });

  it('audits every refused factor with the name and channel, never the code', async () => {
    verifies('approver.factor-audited');
    const { service, hold, codeOf, failures, clock } = await setup();
    const id = await hold();
    const used = codeOf('bob');
    await service.approve(id, 'bob', { kind: 'totp', code: used });
    const wrongCodes = ['999999', '123456', 'abcdef'].filter((c) => c !== used);
    for (const code of wrongCodes)
      await expect(service.verifyTotp('bob', code)).rejects.toMatchObject({
        code: 'approver.unauthorized',
      });
    await expect(service.verifyTotp('bob', used)).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    await expect(
      service.cancelAsApprover(id, 'carol', {
        kind: 'passkey',
        verifiedAt: clock.now() - PASSKEY_FACTOR_MAX_AGE_MS - 1,
      }),
    ).rejects.toMatchObject({ code: 'approver.factor-required' });
    const records = await failures();
    expect(records.map((r) => r.data)).toEqual([
      ...wrongCodes.map(() => ({ name: 'bob', channel: 'totp', reason: 'wrong-code' })),
      { name: 'bob', channel: 'totp', reason: 'wrong-code' },
      { name: 'carol', channel: 'passkey', reason: 'stale' },
    ]);
    const text = JSON.stringify(records);
    for (const code of [used, ...wrongCodes]) expect(text).not.toContain(code);
  });
});

describe('approvers without a usable factor', () => {
  it('refuses a TOTP vote from an approver with no TOTP enrolled (as after an upgrade)', async () => {
    verifies('approver.factor-required');
    const { service, store, hold, failures } = await setup();
    const bob = await store.getApprover('bob');
    if (bob === undefined) throw new Error('missing bob');
    await store.insertApprover({ ...bob, name: 'olga', totpSecret: '' });
    const id = await hold();
    await expect(
      service.approve(id, 'olga', { kind: 'totp', code: '123456' }),
    ).rejects.toMatchObject({ code: 'approver.factor-required' });
    expect((await service.listApprovers()).find((a) => a.name === 'olga')).toMatchObject({
      totpEnrolled: false,
    });
    expect((await failures()).at(-1)?.data).toEqual({
      name: 'olga',
      channel: 'totp',
      reason: 'not-enrolled',
    });
    expect((await service.get(id)).state).toBe('pending');
  });

  it('takes a passkey factor only while fresh: at most 2 minutes old, never from the future', async () => {
    verifies('approver.factor-required');
    const { service, hold, clock } = await setup();
    const id = await hold();
    const now = clock.now();
    await expect(
      service.approve(id, 'bob', {
        kind: 'passkey',
        verifiedAt: now - PASSKEY_FACTOR_MAX_AGE_MS - 1,
      }),
    ).rejects.toMatchObject({ code: 'approver.factor-required' });
    await expect(
      service.approve(id, 'bob', { kind: 'passkey', verifiedAt: now + 1 }),
    ).rejects.toMatchObject({ code: 'approver.factor-required' });
    await expect(
      service.approve(id, 'bob', { kind: 'passkey', verifiedAt: Number.NaN }),
    ).rejects.toMatchObject({ code: 'approver.factor-required' });
    await expect(
      service.approve(id, 'nobody', { kind: 'passkey', verifiedAt: now }),
    ).rejects.toMatchObject({ code: 'approver.unauthorized' });
    expect(
      (
        await service.approve(id, 'bob', {
          kind: 'passkey',
          verifiedAt: now - PASSKEY_FACTOR_MAX_AGE_MS,
        })
      ).state,
    ).toBe('approved');
  });
});

describe('administrators', () => {
  it('authorizes only an administrator with their own fresh code', async () => {
    verifies('admin.needs-admin-factor');
    const { service, phones, codeOf, clock } = await setup();
    await expect(service.authorizeAdmin('bob', codeOf('bob'))).rejects.toMatchObject({
      code: 'admin.forbidden',
    });
    await phones.enrol({ name: 'root', upstreams: ['*'], environments: ['*'], admin: true });
    await expect(service.authorizeAdmin('root', codeOf('carol'))).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    const code = codeOf('root');
    expect((await service.authorizeAdmin('root', code)).name).toBe('root');
    await expect(service.authorizeAdmin('root', code)).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    clock.advance(TOTP_STEP_MS);
    expect((await service.authorizeAdmin('root', codeOf('root'))).admin).toBe(true);
  });

  it('bootstraps the first administrator once, with every scope and a TOTP shown once', async () => {
    verifies('admin.needs-admin-factor');
    const store = new MemoryStore();
    const { clock } = createTestFirewall(store);
    const service = new ApprovalService({
      store,
      clock,
      random: new SeededRandom('boot'),
      rules: { denyEndsIt: true, ownerMayApprove: false },
      productionEnvironments: ['production'],
    });
    const first = await service.bootstrapAdmin({ name: 'root' }, 'system:setup');
    expect(first.approver).toEqual({
      name: 'root',
      scope: { upstreams: ['*'], environments: ['*'] },
      createdAt: clock.now(),
      admin: true,
      totpEnrolled: true,
    });
    expect(first.totp.uri).toBe(
      `otpauth://totp/Airlock:root?secret=${first.totp.secret}&issuer=Airlock&algorithm=SHA1&digits=6&period=30`,
    );
    expect(
      (await service.authorizeAdmin('root', totpCode(first.totp.secret, clock.now()))).name,
    ).toBe('root');
    await expect(service.bootstrapAdmin({ name: 'mallory' }, 'system:setup')).rejects.toMatchObject(
      { code: 'store.conflict' },
    );
    expect((await service.listApprovers()).map((a) => a.name)).toEqual(['root']);
    expect(JSON.stringify(await service.listApprovers())).not.toContain(first.totp.secret);
    expect(JSON.stringify(await store.readAudit())).not.toContain(first.totp.secret);
  });
});

describe('inbox credentials', () => {
  it('lets an approver added without a credential log in only once one is set, and ends older sessions', async () => {
    const { service, phones, store, clock } = await setup();
    await phones.enrol({ name: 'dana', upstreams: ['railway'], environments: ['*'] });
    expect(await service.verifyApprover('dana', '')).toBeUndefined();
    expect(await service.verifyApprover('dana', `${CREDENTIAL} dana`)).toBeUndefined();
    clock.advance(1_000);
    await service.setCredential('dana', `${CREDENTIAL} dana`, 'human:root');
    expect((await service.verifyApprover('dana', `${CREDENTIAL} dana`))?.credentialChangedAt).toBe(
      clock.now(),
    );
    await service.setCredential('dana', `${CREDENTIAL} new`, 'human:root');
    expect(await service.verifyApprover('dana', `${CREDENTIAL} dana`)).toBeUndefined();
    expect(await service.verifyApprover('nobody', `${CREDENTIAL} dana`)).toBeUndefined();
    await expect(service.setCredential('dana', 'short', 'human:root')).rejects.toMatchObject({
      code: 'input.invalid',
    });
    await expect(
      service.setCredential('nobody', `${CREDENTIAL} x`, 'human:root'),
    ).rejects.toMatchObject({ code: 'approver.not-found' });
    const changes = (await store.readAudit()).filter(
      (r) => r.kind === 'approver.credential-changed',
    );
    expect(changes.map((r) => [r.actor, r.data])).toEqual([
      ['human:root', { name: 'dana' }],
      ['human:root', { name: 'dana' }],
    ]);
    expect(JSON.stringify(changes)).not.toContain(CREDENTIAL);
  });

  it('verifies credentials off the event loop: other work runs while scrypt does', async () => {
    verifies('approver.login-never-blocks');
    const { service } = await setup();
    for (const name of ['bob', 'nobody']) {
      let done = false;
      let turns = 0;
      const verified = service
        .verifyApprover(name, `${CREDENTIAL} ${name}`)
        .finally(() => (done = true));
      while (!done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
      }
      expect((await verified)?.name).toBe(name === 'bob' ? 'bob' : undefined);
      // scrypt at N=2^14 takes milliseconds; the loop turned many times meanwhile.
      expect(turns).toBeGreaterThan(5);
    }
  });
});
