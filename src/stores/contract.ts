import { describe, expect, it } from 'vitest';
import type { Store } from '../core/index.js';
import { runApprovalContract } from './contract-approvals.js';
import { runApproverContract } from './contract-approvers.js';
import { runAuditContract } from './contract-audit.js';
import { expectFirewallError, sampleDraft, sampleGrant, tokenHashOf } from './contract-fixtures.js';
import { runGrantContract } from './contract-grants.js';
import { runOutboxContract } from './contract-outbox.js';

/**
 * The suite every `Store` must pass: one contract file per part of the port (grants, audit,
 * approvals, approvers, outbox) and the lifecycle. Call it from a test file with a factory that
 * returns a fresh, empty store each time; the suite closes each store after its test.
 * Kept out of `index.ts` because it imports vitest, which production code must not load.
 *
 * @example
 * runStoreContract('memory', async () => new MemoryStore());
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    runGrantContract(makeStore);
    runAuditContract(makeStore);
    runApprovalContract(makeStore);
    runApproverContract(makeStore);
    runOutboxContract(makeStore);

    describe('lifecycle', () => {
      it('refuses use after close: store.unavailable, and audit.write for appends', async () => {
        const store = await makeStore();
        await store.insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
        await store.close();
        await expectFirewallError(store.getGrant('grt_1'), 'store.unavailable');
        await expectFirewallError(store.countDenialsSince('grt_1', 0), 'store.unavailable');
        await expectFirewallError(store.appendAudit(sampleDraft(1)), 'audit.write');
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
