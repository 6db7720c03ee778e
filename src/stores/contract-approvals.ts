import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { Approval, Approver, Store } from '../core/index.js';
import { expectFirewallError, tryToMutate, useStore } from './contract-fixtures.js';

/** A plausible pending approval for grant `grt_1`; overrides replace fields. */
export function sampleApproval(id: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id,
    version: 1,
    requestDigest: 'd'.repeat(64),
    grantId: 'grt_1',
    agent: 'deploy-bot',
    owner: 'alice',
    surface: 'graphql',
    actions: [
      {
        upstream: 'railway',
        operation: 'volumeDelete',
        effect: 'destructive',
        reversible: false,
        targets: [{ type: 'volume', id: 'vol_1', environment: 'production' }, { type: 'volume', id: 'vol_2' }],
      },
    ],
    needed: 2,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: 1_000,
    expiresAt: 61_000,
    policyIds: ['needs-two-in-production'],
    reasons: ['held for 2 human approvals'],
    ...overrides,
  };
}

/** A plausible approver; the hash is a placeholder, not a real scrypt output. */
export function sampleApprover(name: string): Approver {
  return {
    name,
    credentialHash: `scrypt$16384$8$1$salt-${name}$hash-${name}`,
    scope: { upstreams: ['railway'], environments: ['*'] },
    createdAt: 2_000,
    admin: false,
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    lastTotpStep: 0,
    credentialChangedAt: 2_000,
  };
}

/** The part of the store contract about approvals and approvers. */
export function runApprovalContract(makeStore: () => Promise<Store>): void {
  const store = useStore(makeStore);

  describe('approvals', () => {
    it('reads back an inserted approval, and lists by state oldest first', async () => {
      const first = sampleApproval('apr_1', { createdAt: 3_000 });
      const second = sampleApproval('apr_2', { createdAt: 2_000, state: 'denied', decidedAt: 2_500, requestDigest: 'e'.repeat(64) });
      await store().insertApproval(first);
      await store().insertApproval(second);
      expect(await store().getApproval('apr_1')).toEqual(first);
      expect(await store().getApproval('apr_missing')).toBeUndefined();
      expect((await store().listApprovals()).map((a) => a.id)).toEqual(['apr_2', 'apr_1']);
      expect((await store().listApprovals({ state: 'pending' })).map((a) => a.id)).toEqual(['apr_1']);
    });

    it('refuses a duplicate id, and a second pending approval for the same request', async () => {
      verifies('approval.one-pending-per-request');
      await store().insertApproval(sampleApproval('apr_1'));
      await expectFirewallError(store().insertApproval(sampleApproval('apr_1', { requestDigest: 'f'.repeat(64) })), 'store.conflict');
      await expectFirewallError(store().insertApproval(sampleApproval('apr_2')), 'store.conflict');
      await store().insertApproval(sampleApproval('apr_3', { grantId: 'grt_2' }));
      expect((await store().listApprovals()).map((a) => a.id)).toEqual(['apr_1', 'apr_3']);
    });

    it('updates by compare-and-set: the stale writer gets store.conflict', async () => {
      verifies('approval.compare-and-set');
      await store().insertApproval(sampleApproval('apr_1'));
      const read = await store().getApproval('apr_1');
      if (read === undefined) throw new Error('missing');
      const vote = { approver: 'human:bob', at: 5_000 };
      const updated = await store().updateApproval({ ...read, approvals: [vote] }, read.version);
      expect(updated).toMatchObject({ version: read.version + 1, approvals: [vote] });
      const other = { ...read, approvals: [{ approver: 'human:carol', at: 5_001 }] };
      await expectFirewallError(store().updateApproval(other, read.version), 'store.conflict');
      expect(await store().getApproval('apr_1')).toEqual(updated);
      await expectFirewallError(store().updateApproval(sampleApproval('apr_missing'), 1), 'approval.not-found');
    });

    it('finds the latest approval for a grant and request digest', async () => {
      await store().insertApproval(sampleApproval('apr_1', { state: 'executed', decidedAt: 1_500 }));
      await store().insertApproval(sampleApproval('apr_2', { createdAt: 4_000 }));
      await store().insertApproval(sampleApproval('apr_3', { createdAt: 5_000, grantId: 'grt_2' }));
      expect((await store().findApprovalForRequest('grt_1', 'd'.repeat(64)))?.id).toBe('apr_2');
      expect(await store().findApprovalForRequest('grt_1', 'e'.repeat(64))).toBeUndefined();
    });

    it('hands out copies: mutating a returned approval changes nothing stored', async () => {
      verifies('store.isolated-copies');
      const approval = sampleApproval('apr_1');
      await store().insertApproval(approval);
      tryToMutate(() => (approval.approvals as unknown[]).push({ approver: 'human:x', at: 1 }));
      const read = await store().getApproval('apr_1');
      tryToMutate(() => (read?.approvals as unknown[]).push({ approver: 'human:x', at: 1 }));
      expect(await store().getApproval('apr_1')).toEqual(sampleApproval('apr_1'));
    });
  });

  describe('approvers', () => {
    it('adds, lists by name, reads and removes approvers', async () => {
      await store().insertApprover(sampleApprover('carol'));
      await store().insertApprover(sampleApprover('bob'));
      expect(await store().getApprover('bob')).toEqual(sampleApprover('bob'));
      expect((await store().listApprovers()).map((a) => a.name)).toEqual(['bob', 'carol']);
      await expectFirewallError(store().insertApprover(sampleApprover('bob')), 'store.conflict');
      await store().removeApprover('bob');
      expect(await store().getApprover('bob')).toBeUndefined();
      await expectFirewallError(store().removeApprover('bob'), 'approver.not-found');
    });

    it('keeps the role and second-factor fields as given', async () => {
      const admin = { ...sampleApprover('root'), admin: true, totpSecret: '', lastTotpStep: 7, credentialHash: '' };
      await store().insertApprover(admin);
      expect(await store().getApprover('root')).toEqual(admin);
      expect(await store().listApprovers()).toEqual([admin]);
    });

    it('patches the credential and TOTP secret only, and says when the approver is missing', async () => {
      await store().insertApprover(sampleApprover('bob'));
      const changed = await store().updateApprover('bob', { credentialHash: 'scrypt$new', credentialChangedAt: 9_000 });
      expect(changed).toEqual({ ...sampleApprover('bob'), credentialHash: 'scrypt$new', credentialChangedAt: 9_000 });
      const enrolled = await store().updateApprover('bob', { totpSecret: 'MFRGG' });
      expect(enrolled).toEqual({ ...changed, totpSecret: 'MFRGG' });
      expect(await store().getApprover('bob')).toEqual(enrolled);
      await expectFirewallError(store().updateApprover('nobody', { totpSecret: 'MFRGG' }), 'approver.not-found');
    });

    it('takes each TOTP step once, only upwards, by compare-and-set', async () => {
      verifies('approver.totp-once');
      await store().insertApprover(sampleApprover('bob'));
      await store().insertApprover(sampleApprover('carol'));
      expect(await store().useTotpStep('bob', 100)).toBe(true);
      expect(await store().useTotpStep('bob', 100)).toBe(false);
      expect(await store().useTotpStep('bob', 99)).toBe(false);
      expect(await store().useTotpStep('nobody', 100)).toBe(false);
      expect((await store().getApprover('bob'))?.lastTotpStep).toBe(100);
      expect((await store().getApprover('carol'))?.lastTotpStep).toBe(0);
      // Of several racing uses of one step, exactly one wins.
      const raced = await Promise.all([101, 101, 101].map((step) => store().useTotpStep('bob', step)));
      expect(raced.filter(Boolean)).toHaveLength(1);
    });
  });
}
