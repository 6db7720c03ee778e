import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { Approver, ApproverStore } from '../core/index.js';
import type { Opened } from './contract-fixtures.js';
import { expectFirewallError, useStore } from './contract-fixtures.js';

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

/** The `ApproverStore` part of the store contract. */
export function runApproverContract(makeStore: () => Promise<Opened<ApproverStore>>): void {
  const store = useStore(makeStore);

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
      const admin = {
        ...sampleApprover('root'),
        admin: true,
        totpSecret: '',
        lastTotpStep: 7,
        credentialHash: '',
      };
      await store().insertApprover(admin);
      expect(await store().getApprover('root')).toEqual(admin);
      expect(await store().listApprovers()).toEqual([admin]);
    });

    it('patches the credential and TOTP secret only, and says when the approver is missing', async () => {
      await store().insertApprover(sampleApprover('bob'));
      const changed = await store().updateApprover('bob', {
        credentialHash: 'scrypt$new',
        credentialChangedAt: 9_000,
      });
      expect(changed).toEqual({
        ...sampleApprover('bob'),
        credentialHash: 'scrypt$new',
        credentialChangedAt: 9_000,
      });
      const enrolled = await store().updateApprover('bob', { totpSecret: 'MFRGG' });
      expect(enrolled).toEqual({ ...changed, totpSecret: 'MFRGG' });
      expect(await store().getApprover('bob')).toEqual(enrolled);
      await expectFirewallError(
        store().updateApprover('nobody', { totpSecret: 'MFRGG' }),
        'approver.not-found',
      );
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
      const raced = await Promise.all(
        [101, 101, 101].map((step) => store().useTotpStep('bob', step)),
      );
      expect(raced.filter(Boolean)).toHaveLength(1);
    });
  });
}
