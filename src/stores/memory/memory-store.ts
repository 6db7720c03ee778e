import { randomBytes } from 'node:crypto';
import type {
  Approval,
  ApprovalState,
  DelayedActionStatus,
  DelayedActionV1,
  WebhookDeliveryStatus,
  WebhookDeliveryV1,
  Approver,
  ApproverPatch,
  AuditDraft,
  AuditHead,
  AuditRecord,
  Grant,
  GrantPatch,
  Store,
} from '../../core/index.js';
import {
  FirewallError,
  chainAuditRecord,
  describeError,
  prepareAuditDraft,
  tokenHashesEqual,
} from '../../core/index.js';
import { checkPaging } from '../paging.js';
import { MemoryApprovals } from './memory-approvals.js';
import { MemoryOutbox } from './memory-outbox.js';

/** A grant as callers may build it at run time: optional fields possibly set to undefined. */
type LooseGrant = Omit<Grant, 'parentId' | 'revokedAt' | 'frozenAt'> & {
  readonly parentId?: string | undefined;
  readonly revokedAt?: number | undefined;
  readonly frozenAt?: number | undefined;
};

interface StoredGrant {
  readonly grant: Grant;
  readonly tokenHash: string;
}

/**
 * A store held in memory, for tests and the in-process harnesses. Everything goes in and comes
 * out as a deep copy, and what is kept is frozen, so no caller can change stored state by
 * mutating an object it holds. It behaves like the SQLite store, down to its error codes.
 *
 * @example
 * runStoreContract('memory', async () => new MemoryStore());
 */
export class MemoryStore implements Store {
  // Map iteration follows insertion order, which breaks ties in "oldest first".
  readonly #grants = new Map<string, StoredGrant>();
  readonly #idsByTokenHash = new Map<string, string>();
  readonly #denials = new Map<string, number[]>();
  readonly #audit: AuditRecord[] = [];
  #head: AuditHead | undefined;
  readonly #approvalData = new MemoryApprovals();
  readonly #outbox = new MemoryOutbox(this.#approvalData);
  #closed = false;
  // Random like the SQLite store's, so two memory stores are two stores.
  readonly #id = `sto_${randomBytes(16).toString('hex')}`;

  async insertGrant(grant: Grant, tokenHash: string): Promise<void> {
    this.#assertOpen();
    if (this.#grants.has(grant.id) || this.#idsByTokenHash.has(tokenHash)) {
      const message = `grant \`${grant.id}\` or its token hash exists already`;
      throw new FirewallError('store.conflict', message);
    }
    if (grant.parentId !== undefined && !this.#grants.has(grant.parentId)) {
      throw new FirewallError('grant.not-found', `parent grant \`${grant.parentId}\` not found`);
    }
    this.#grants.set(grant.id, { grant: deepFreeze(copyGrant(grant)), tokenHash });
    this.#idsByTokenHash.set(tokenHash, grant.id);
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    this.#assertOpen();
    const stored = this.#grants.get(id);
    return stored === undefined ? undefined : copyGrant(stored.grant);
  }

  async findGrantByTokenHash(tokenHash: string): Promise<Grant | undefined> {
    this.#assertOpen();
    const id = this.#idsByTokenHash.get(tokenHash);
    const stored = id === undefined ? undefined : this.#grants.get(id);
    // SECURITY: confirm in constant time, as the SQLite store does after its index lookup.
    if (stored === undefined || !tokenHashesEqual(stored.tokenHash, tokenHash)) return undefined;
    return copyGrant(stored.grant);
  }

  async listGrants(): Promise<Grant[]> {
    this.#assertOpen();
    return this.#oldestFirst(() => true);
  }

  async listChildGrants(parentId: string): Promise<Grant[]> {
    this.#assertOpen();
    return this.#oldestFirst((grant) => grant.parentId === parentId);
  }

  async updateGrant(id: string, patch: GrantPatch): Promise<Grant> {
    this.#assertOpen();
    const stored = this.#grants.get(id);
    if (stored === undefined) {
      throw new FirewallError('grant.not-found', `grant \`${id}\` not found`);
    }
    const current = stored.grant;
    const grant = copyGrant({
      ...current,
      // SECURITY: only a time sets revokedAt; nothing in a patch can clear a revocation.
      revokedAt: typeof patch.revokedAt === 'number' ? patch.revokedAt : current.revokedAt,
      // null clears the field; undefined leaves it as it was.
      frozenAt: patch.frozenAt === undefined ? current.frozenAt : (patch.frozenAt ?? undefined),
    });
    this.#grants.set(id, { grant: deepFreeze(grant), tokenHash: stored.tokenHash });
    return copyGrant(grant);
  }

  async recordDenial(grantId: string, at: number): Promise<void> {
    this.#assertOpen();
    if (!this.#grants.has(grantId)) {
      throw new FirewallError('grant.not-found', `grant \`${grantId}\` not found`);
    }
    const times = this.#denials.get(grantId) ?? [];
    times.push(at);
    this.#denials.set(grantId, times);
  }

  async countDenialsSince(grantId: string, since: number): Promise<number> {
    this.#assertOpen();
    return (this.#denials.get(grantId) ?? []).filter((at) => at >= since).length;
  }

  async clearDenials(grantId: string): Promise<void> {
    this.#assertOpen();
    this.#denials.delete(grantId);
  }

  async appendAudit(draft: AuditDraft): Promise<AuditRecord> {
    let record: AuditRecord;
    try {
      this.#assertOpen();
      // Prepared as the SQLite store prepares it, so both keep and return the same value.
      const prepared = prepareAuditDraft(draft);
      record = chainAuditRecord(this.#head, prepared.draft, prepared.text);
    } catch (error) {
      const message = `while appending an audit record: ${describeError(error)}`;
      throw new FirewallError('audit.write', message, { cause: error });
    }
    this.#audit.push(deepFreeze(structuredClone(record)));
    this.#head = { seq: record.seq, hash: record.hash };
    return record;
  }

  async readAudit(options: { fromSeq?: number; limit?: number } = {}): Promise<AuditRecord[]> {
    this.#assertOpen();
    const { fromSeq, limit } = checkPaging(options);
    const from = this.#audit.filter((record) => record.seq >= fromSeq);
    const page = limit === undefined ? from : from.slice(0, limit);
    return page.map((record) => structuredClone(record));
  }

  async tailAudit(count: number): Promise<AuditRecord[]> {
    this.#assertOpen();
    const { limit = 0 } = checkPaging({ limit: count });
    const tail = limit === 0 ? [] : this.#audit.slice(-limit);
    return tail.map((record) => structuredClone(record));
  }

  async auditHead(): Promise<AuditHead | undefined> {
    this.#assertOpen();
    return this.#head === undefined ? undefined : { ...this.#head };
  }

  async storeId(): Promise<string> {
    this.#assertOpen();
    return this.#id;
  }

  async insertApproval(approval: Approval): Promise<void> {
    this.#assertOpen();
    this.#approvalData.insertApproval(approval);
  }

  async getApproval(id: string): Promise<Approval | undefined> {
    this.#assertOpen();
    return this.#approvalData.getApproval(id);
  }

  async listApprovals(filter: { state?: ApprovalState } = {}): Promise<Approval[]> {
    this.#assertOpen();
    return this.#approvalData.listApprovals(filter);
  }

  async updateApproval(next: Approval, expectedVersion: number): Promise<Approval> {
    this.#assertOpen();
    return this.#approvalData.updateApproval(next, expectedVersion);
  }

  async findApprovalForRequest(
    grantId: string,
    requestDigest: string,
  ): Promise<Approval | undefined> {
    this.#assertOpen();
    return this.#approvalData.findApprovalForRequest(grantId, requestDigest);
  }

  async insertApprover(approver: Approver): Promise<void> {
    this.#assertOpen();
    this.#approvalData.insertApprover(approver);
  }

  async getApprover(name: string): Promise<Approver | undefined> {
    this.#assertOpen();
    return this.#approvalData.getApprover(name);
  }

  async listApprovers(): Promise<Approver[]> {
    this.#assertOpen();
    return this.#approvalData.listApprovers();
  }

  async removeApprover(name: string): Promise<void> {
    this.#assertOpen();
    this.#approvalData.removeApprover(name);
  }

  async updateApprover(name: string, patch: ApproverPatch): Promise<Approver> {
    this.#assertOpen();
    return this.#approvalData.updateApprover(name, patch);
  }

  async useTotpStep(name: string, step: number): Promise<boolean> {
    this.#assertOpen();
    return this.#approvalData.useTotpStep(name, step);
  }

  async insertDelayedAction(action: DelayedActionV1): Promise<void> {
    this.#assertOpen();
    this.#outbox.insertDelayedAction(action);
  }

  async getDelayedAction(approvalId: string): Promise<DelayedActionV1 | undefined> {
    this.#assertOpen();
    return this.#outbox.getDelayedAction(approvalId);
  }

  async listDelayedActions(filter: { status: DelayedActionStatus }): Promise<DelayedActionV1[]> {
    this.#assertOpen();
    return this.#outbox.listDelayedActions(filter);
  }

  async claimDelayedAction(
    executed: Approval,
    expectedVersion: number,
    startedAt: number,
  ): Promise<Approval> {
    this.#assertOpen();
    return this.#outbox.claimDelayedAction(executed, expectedVersion, startedAt);
  }

  async finishDelayedAction(
    approvalId: string,
    from: DelayedActionStatus,
    next: Pick<DelayedActionV1, 'status' | 'finishedAt' | 'result' | 'note'>,
  ): Promise<DelayedActionV1> {
    this.#assertOpen();
    return this.#outbox.finishDelayedAction(approvalId, from, next);
  }

  async getWebhookCursor(): Promise<number | undefined> {
    this.#assertOpen();
    return this.#outbox.getWebhookCursor();
  }

  async enqueueWebhookDeliveries(
    deliveries: readonly WebhookDeliveryV1[],
    cursor: number,
  ): Promise<void> {
    this.#assertOpen();
    this.#outbox.enqueueWebhookDeliveries(deliveries, cursor);
  }

  async listWebhookDeliveries(
    filter: { status?: WebhookDeliveryStatus; dueBy?: number; limit?: number } = {},
  ): Promise<WebhookDeliveryV1[]> {
    this.#assertOpen();
    return this.#outbox.listWebhookDeliveries(filter);
  }

  async updateWebhookDelivery(delivery: WebhookDeliveryV1): Promise<void> {
    this.#assertOpen();
    this.#outbox.updateWebhookDelivery(delivery);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #oldestFirst(include: (grant: Grant) => boolean): Grant[] {
    const grants = [...this.#grants.values()].map((stored) => stored.grant).filter(include);
    // Array.prototype.sort is stable, so equal times keep insertion order.
    return grants.sort((a, b) => a.createdAt - b.createdAt).map(copyGrant);
  }

  #assertOpen(): void {
    if (this.#closed) throw new FirewallError('store.unavailable', 'the memory store is closed');
  }
}

// Field by field, so that stray properties and explicit undefineds are not kept.
function copyGrant(grant: LooseGrant): Grant {
  return {
    id: grant.id,
    agent: grant.agent,
    owner: grant.owner,
    upstreams: [...grant.upstreams],
    environments: [...grant.environments],
    effects: [...grant.effects],
    resources: [...grant.resources],
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    ...(grant.parentId === undefined ? {} : { parentId: grant.parentId }),
    ...(grant.revokedAt === undefined ? {} : { revokedAt: grant.revokedAt }),
    ...(grant.frozenAt === undefined ? {} : { frozenAt: grant.frozenAt }),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
