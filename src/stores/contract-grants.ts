import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { GrantPatch, GrantStore } from '../core/index.js';
import type { Opened } from './contract-fixtures.js';
import {
  expectFirewallError,
  sampleGrant,
  tokenHashOf,
  tryToMutate,
  useStore,
} from './contract-fixtures.js';

/** The `GrantStore` part of the store contract: grants and the denials counted against them. */
export function runGrantContract(makeStore: () => Promise<Opened<GrantStore>>): void {
  const store = useStore(makeStore);

  describe('grants', () => {
    it('reads back an inserted grant by id, without optional fields it did not have', async () => {
      const grant = sampleGrant('grt_1');
      await store().insertGrant(grant, tokenHashOf('grt_1'));
      const read = await store().getGrant('grt_1');
      expect(read).toEqual(grant);
      expect(Object.keys(read ?? {}).sort()).toEqual(Object.keys(grant).sort());
      expect(await store().getGrant('grt_missing')).toBeUndefined();
    });

    it('keeps every optional field', async () => {
      await store().insertGrant(sampleGrant('grt_p'), tokenHashOf('grt_p'));
      const child = sampleGrant('grt_c', { parentId: 'grt_p', revokedAt: 5_000, frozenAt: 4_000 });
      await store().insertGrant(child, tokenHashOf('grt_c'));
      expect(await store().getGrant('grt_c')).toEqual(child);
    });

    it('finds a grant by the exact hash of its token only', async () => {
      verifies('store.token-lookup-exact');
      const grant = sampleGrant('grt_1');
      await store().insertGrant(grant, tokenHashOf('grt_1'));
      expect(await store().findGrantByTokenHash(tokenHashOf('grt_1'))).toEqual(grant);
      expect(await store().findGrantByTokenHash(tokenHashOf('grt_other'))).toBeUndefined();
      const upper = tokenHashOf('grt_1').toUpperCase();
      expect(await store().findGrantByTokenHash(upper)).toBeUndefined();
      expect(await store().findGrantByTokenHash('')).toBeUndefined();
    });

    it('lists grants oldest first, insertion order breaking ties', async () => {
      await store().insertGrant(sampleGrant('grt_late', { createdAt: 3_000 }), tokenHashOf('a'));
      await store().insertGrant(sampleGrant('grt_early', { createdAt: 1_000 }), tokenHashOf('b'));
      await store().insertGrant(sampleGrant('grt_tie', { createdAt: 3_000 }), tokenHashOf('c'));
      const ids = (await store().listGrants()).map((grant) => grant.id);
      expect(ids).toEqual(['grt_early', 'grt_late', 'grt_tie']);
    });

    it('lists only the direct children of a grant, oldest first', async () => {
      await store().insertGrant(sampleGrant('grt_root'), tokenHashOf('root'));
      const b = sampleGrant('grt_b', { parentId: 'grt_root', createdAt: 2_000 });
      const a = sampleGrant('grt_a', { parentId: 'grt_root', createdAt: 1_500 });
      await store().insertGrant(b, tokenHashOf('b'));
      await store().insertGrant(a, tokenHashOf('a'));
      await store().insertGrant(sampleGrant('grt_grand', { parentId: 'grt_a' }), tokenHashOf('g'));
      const ids = (await store().listChildGrants('grt_root')).map((grant) => grant.id);
      expect(ids).toEqual(['grt_a', 'grt_b']);
      expect(await store().listChildGrants('grt_grand')).toEqual([]);
    });

    it('refuses a duplicate id with store.conflict and keeps the first grant', async () => {
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
      await expectFirewallError(
        store().insertGrant(sampleGrant('grt_1', { agent: 'other' }), tokenHashOf('two')),
        'store.conflict',
      );
      expect((await store().getGrant('grt_1'))?.agent).toBe('deploy-bot');
      expect(await store().findGrantByTokenHash(tokenHashOf('two'))).toBeUndefined();
    });

    it('refuses a duplicate token hash with store.conflict', async () => {
      verifies('store.token-lookup-exact');
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('same'));
      const second = store().insertGrant(sampleGrant('grt_2'), tokenHashOf('same'));
      await expectFirewallError(second, 'store.conflict');
      expect(await store().getGrant('grt_2')).toBeUndefined();
      expect((await store().findGrantByTokenHash(tokenHashOf('same')))?.id).toBe('grt_1');
    });

    it('refuses a grant whose parent does not exist with grant.not-found', async () => {
      const orphan = sampleGrant('grt_orphan', { parentId: 'grt_nobody' });
      const insert = store().insertGrant(orphan, tokenHashOf('orphan'));
      await expectFirewallError(insert, 'grant.not-found');
      expect(await store().listGrants()).toEqual([]);
    });

    it('revokes a grant and leaves fields the patch omits alone', async () => {
      await store().insertGrant(sampleGrant('grt_1', { frozenAt: 2_000 }), tokenHashOf('one'));
      const updated = await store().updateGrant('grt_1', { revokedAt: 7_000 });
      expect(updated).toEqual(sampleGrant('grt_1', { frozenAt: 2_000, revokedAt: 7_000 }));
      expect(await store().getGrant('grt_1')).toEqual(updated);
    });

    it('never clears a revocation, whatever the patch holds', async () => {
      verifies('store.revocation-permanent');
      await store().insertGrant(sampleGrant('grt_1', { revokedAt: 7_000 }), tokenHashOf('one'));
      const patch = { revokedAt: null, frozenAt: null } as unknown as GrantPatch;
      expect((await store().updateGrant('grt_1', patch)).revokedAt).toBe(7_000);
      expect((await store().getGrant('grt_1'))?.revokedAt).toBe(7_000);
    });

    it('freezes a grant and unfreezes it with frozenAt null', async () => {
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
      expect((await store().updateGrant('grt_1', { frozenAt: 3_000 })).frozenAt).toBe(3_000);
      expect((await store().getGrant('grt_1'))?.frozenAt).toBe(3_000);
      const unfrozen = await store().updateGrant('grt_1', { frozenAt: null });
      expect('frozenAt' in unfrozen).toBe(false);
      expect(await store().getGrant('grt_1')).toEqual(sampleGrant('grt_1'));
    });

    it('refuses to update an unknown grant with grant.not-found', async () => {
      const update = store().updateGrant('grt_missing', { revokedAt: 1 });
      await expectFirewallError(update, 'grant.not-found');
      expect(await store().getGrant('grt_missing')).toBeUndefined();
    });
  });

  describe('denials', () => {
    it("counts a grant's denials at or after the start of the window", async () => {
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
      await store().insertGrant(sampleGrant('grt_2'), tokenHashOf('two'));
      for (const at of [100, 200, 300]) await store().recordDenial('grt_1', at);
      await store().recordDenial('grt_2', 250);
      expect(await store().countDenialsSince('grt_1', 0)).toBe(3);
      expect(await store().countDenialsSince('grt_1', 200)).toBe(2);
      expect(await store().countDenialsSince('grt_1', 301)).toBe(0);
      expect(await store().countDenialsSince('grt_2', 0)).toBe(1);
      expect(await store().countDenialsSince('grt_missing', 0)).toBe(0);
    });

    it('clears the denials of one grant only', async () => {
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
      await store().insertGrant(sampleGrant('grt_2'), tokenHashOf('two'));
      await store().recordDenial('grt_1', 100);
      await store().recordDenial('grt_1', 100);
      await store().recordDenial('grt_2', 100);
      await store().clearDenials('grt_1');
      expect(await store().countDenialsSince('grt_1', 0)).toBe(0);
      expect(await store().countDenialsSince('grt_2', 0)).toBe(1);
    });

    it('refuses a denial of an unknown grant with grant.not-found', async () => {
      await expectFirewallError(store().recordDenial('grt_missing', 100), 'grant.not-found');
      expect(await store().countDenialsSince('grt_missing', 0)).toBe(0);
    });
  });

  describe('grant isolation', () => {
    it('keeps what was inserted when the caller later mutates its grant', async () => {
      verifies('store.isolated-copies');
      const grant = sampleGrant('grt_1');
      await store().insertGrant(grant, tokenHashOf('one'));
      tryToMutate(() => {
        (grant.upstreams as string[]).push('aws');
        (grant as { agent: string }).agent = 'intruder';
      });
      expect(await store().getGrant('grt_1')).toEqual(sampleGrant('grt_1'));
    });

    it('hands out copies: mutating a returned grant changes nothing stored', async () => {
      verifies('store.isolated-copies');
      await store().insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
      const returned = [
        await store().getGrant('grt_1'),
        await store().findGrantByTokenHash(tokenHashOf('one')),
        ...(await store().listGrants()),
        await store().updateGrant('grt_1', { frozenAt: null }),
      ];
      for (const grant of returned) {
        tryToMutate(() => {
          (grant?.effects as string[]).push('destructive');
          (grant as { expiresAt: number }).expiresAt = Number.MAX_SAFE_INTEGER;
        });
      }
      expect(await store().getGrant('grt_1')).toEqual(sampleGrant('grt_1'));
    });
  });
}
