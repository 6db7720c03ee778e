import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { AuditDraft, AuditHead, AuditLog, AuditRecord } from '../core/index.js';
import {
  GENESIS_HASH,
  chainAuditRecord,
  hashAuditRecord,
  prepareAuditDraft,
  verifyAuditChain,
} from '../core/index.js';
import type { Opened } from './contract-fixtures.js';
import {
  edgeDrafts,
  expectFirewallError,
  sampleDraft,
  tryToMutate,
  useStore,
} from './contract-fixtures.js';

/** The `AuditLog` part of the store contract: the hash-chained audit log and the store id. */
export function runAuditContract(makeStore: () => Promise<Opened<AuditLog>>): void {
  const store = useStore(makeStore);

  async function appendMany(count: number): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for (let n = 1; n <= count; n++) records.push(await store().appendAudit(sampleDraft(n)));
    return records;
  }

  async function verify(): Promise<ReturnType<typeof verifyAuditChain>> {
    return verifyAuditChain(await store().readAudit(), await store().auditHead());
  }

  describe('audit', () => {
    it('starts empty, with no head, and verifies', async () => {
      expect(await store().auditHead()).toBeUndefined();
      expect(await store().readAudit()).toEqual([]);
      expect(await store().tailAudit(3)).toEqual([]);
      expect(await verify()).toEqual({ ok: true, count: 0 });
    });

    it('chains appended records: seq 1..n, each pointing at the one before', async () => {
      verifies('store.audit-chain-kept');
      const appended = await appendMany(4);
      expect(appended.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
      expect(appended[0]?.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < appended.length; i++) {
        expect(appended[i]?.prevHash).toBe(appended[i - 1]?.hash);
      }
      expect(appended[2]).toMatchObject({ v: 1, ...sampleDraft(3) });
      expect(await store().readAudit()).toEqual(appended);
      expect(await store().auditHead()).toEqual({ seq: 4, hash: appended[3]?.hash });
      expect(await verify()).toEqual({ ok: true, count: 4 });
    });

    it('has a random store id of its own that stays the same', async () => {
      verifies('audit.checkpoint-store-id');
      const id = await store().storeId();
      expect(id).toMatch(/^sto_[0-9a-f]{32}$/);
      await appendMany(2);
      expect(await store().storeId()).toBe(id);
      const other = await makeStore();
      try {
        expect(await other.storeId()).not.toBe(id);
      } finally {
        await other.close();
      }
    });

    it('reads back nested and non-ascii data exactly as it was hashed', async () => {
      const data = {
        nested: { list: [1, 'two', null, true, -0.5], '10': 'a', '9': 'b' },
        text: 'ünï 🚀',
      };
      const draft = { kind: 'grant.issued', actor: 'human:alice', at: 5, data };
      const appended = await store().appendAudit(draft);
      const [read] = await store().readAudit();
      expect(read?.data).toEqual(data);
      expect(read).toEqual(appended);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('keeps a chain when appends are issued concurrently', async () => {
      verifies('store.audit-chain-kept');
      const drafts = Array.from({ length: 20 }, (_, i) => sampleDraft(i + 1));
      await Promise.all(drafts.map((draft) => store().appendAudit(draft)));
      const records = await store().readAudit();
      expect(records.map((record) => record.seq)).toEqual(drafts.map((_, i) => i + 1));
      expect(await verify()).toEqual({ ok: true, count: 20 });
    });

    it('refuses a draft JSON cannot hold with audit.write, leaving the chain intact', async () => {
      verifies('store.audit-chain-kept');
      await appendMany(1);
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      for (const data of [{ big: 1n }, cyclic, [1, 2], null]) {
        const bad = { ...sampleDraft(2), data } as unknown as AuditDraft;
        await expectFirewallError(store().appendAudit(bad), 'audit.write');
      }
      const badTime = store().appendAudit({ ...sampleDraft(2), at: Number.NaN });
      await expectFirewallError(badTime, 'audit.write');
      expect((await store().auditHead())?.seq).toBe(1);
      expect((await store().appendAudit(sampleDraft(2))).seq).toBe(2);
      expect(await verify()).toEqual({ ok: true, count: 2 });
    });

    it('records data as JSON renders it, and returns what it recorded', async () => {
      const data = { missing: undefined, notANumber: Number.NaN, list: [undefined] };
      const appended = await store().appendAudit({ ...sampleDraft(1), data: data as never });
      expect(appended.data).toEqual({ notANumber: null, list: [null] });
      expect('missing' in appended.data).toBe(false);
      expect(await store().readAudit()).toEqual([appended]);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('records every draft exactly as prepareAuditDraft prepares it, so all stores agree', async () => {
      verifies('store.audit-chain-kept');
      let head: AuditHead | undefined;
      for (const draft of edgeDrafts()) {
        const prepared = prepareAuditDraft(draft);
        const expected = chainAuditRecord(head, prepared.draft, prepared.text);
        expect(await store().appendAudit(draft)).toEqual(expected);
        head = { seq: expected.seq, hash: expected.hash };
      }
      const read = await store().readAudit();
      expect(read.map((record) => record.hash)).toEqual(
        read.map((record) => hashAuditRecord(record)),
      );
      expect(await verify()).toEqual({ ok: true, count: edgeDrafts().length });
    });

    it('pages with fromSeq and limit', async () => {
      await appendMany(5);
      const seqs = async (options: { fromSeq?: number; limit?: number }): Promise<number[]> =>
        (await store().readAudit(options)).map((record) => record.seq);
      expect(await seqs({ fromSeq: 2, limit: 2 })).toEqual([2, 3]);
      expect(await seqs({ fromSeq: 4 })).toEqual([4, 5]);
      expect(await seqs({ limit: 3 })).toEqual([1, 2, 3]);
      expect(await seqs({ limit: 0 })).toEqual([]);
      expect(await seqs({ fromSeq: 6 })).toEqual([]);
      expect(await seqs({ fromSeq: -3, limit: 1 })).toEqual([1]);
    });

    it('tails the last records in sequence order', async () => {
      await appendMany(5);
      const seqs = async (count: number): Promise<number[]> =>
        (await store().tailAudit(count)).map((record) => record.seq);
      expect(await seqs(2)).toEqual([4, 5]);
      expect(await seqs(10)).toEqual([1, 2, 3, 4, 5]);
      expect(await seqs(0)).toEqual([]);
    });

    it('refuses paging that is not a whole number with input.invalid', async () => {
      await appendMany(2);
      await expectFirewallError(store().readAudit({ limit: -1 }), 'input.invalid');
      await expectFirewallError(store().readAudit({ fromSeq: 1.5 }), 'input.invalid');
      await expectFirewallError(store().tailAudit(-1), 'input.invalid');
      await expectFirewallError(store().tailAudit(Number.NaN), 'input.invalid');
    });
  });

  describe('audit isolation', () => {
    it('keeps what was appended when the caller later mutates its draft', async () => {
      verifies('store.isolated-copies');
      const draft = sampleDraft(1);
      await store().appendAudit(draft);
      tryToMutate(() => {
        (draft.data as { verdict: string }).verdict = 'forged';
        (draft.data['reasons'] as string[]).push('forged');
      });
      expect((await store().readAudit())[0]?.data).toEqual(sampleDraft(1).data);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('hands out copies: mutating returned records or the head changes nothing', async () => {
      verifies('store.isolated-copies');
      const appended = await store().appendAudit(sampleDraft(1));
      const returned = [appended, ...(await store().readAudit()), ...(await store().tailAudit(1))];
      for (const record of returned) {
        tryToMutate(() => {
          (record.data as { verdict: string }).verdict = 'forged';
          (record as { kind: string }).kind = 'forged';
        });
      }
      const head = await store().auditHead();
      tryToMutate(() => {
        (head as { seq: number }).seq = 99;
      });
      const [read] = await store().readAudit();
      expect(read).toMatchObject({ v: 1, seq: 1, ...sampleDraft(1) });
      expect((await store().auditHead())?.seq).toBe(1);
      expect(await verify()).toMatchObject({ ok: true });
    });
  });
}
