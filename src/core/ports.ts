import type { Action, Target } from './action.js';
import type { Approval, ApprovalState, DelayedActionStatus, DelayedActionV1 } from './approval.js';
import type { Approver } from './approver.js';
import type { AuditDraft, AuditHead, AuditRecord } from './audit.js';
import type { Grant } from './grant.js';

/** The time source; injected so that tests move time by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The id source; injected so that tests get predictable ids. */
export interface Ids {
  /** A new unique id starting with `prefix` and an underscore, e.g. `dec_…`. */
  next(prefix: string): string;
}

/** The randomness source for secrets; injected so that core draws none of its own. */
export interface RandomSource {
  bytes(count: number): Uint8Array;
}

/** Fields of a grant that change after issue. `null` clears a field. */
export interface GrantPatch {
  readonly revokedAt?: number;
  readonly frozenAt?: number | null;
}

/** Fields of an approver that change after it is added; `lastTotpStep` moves only by `useTotpStep`. */
export interface ApproverPatch {
  readonly credentialHash?: string;
  readonly credentialChangedAt?: number;
  readonly totpSecret?: string;
}

/** Where a webhook delivery is: `pending` (due at `nextAttemptAt`), `delivered`, or `failed` (gave up). */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one webhook endpoint, with its attempts: the delivery log. */
export interface WebhookDeliveryV1 {
  readonly id: string;
  /** The endpoint's name in config. */
  readonly endpoint: string;
  /** The audit record the event was made from; one delivery per endpoint and record. */
  readonly auditSeq: number;
  readonly event: string;
  readonly approvalId: string;
  /** The exact JSON text that is posted (and signed, with the time of each attempt). */
  readonly body: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
  readonly lastAttemptAt?: number;
  /** The HTTP status of the last attempt, when one came back. */
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: number;
}

/** Persistence of grants and of the denials counted against them: the grant contract's part. */
export interface GrantStore {
  /** Stores a new grant under the hash of its token; `store.conflict` if the id or hash exists. */
  insertGrant(grant: Grant, tokenHash: string): Promise<void>;
  getGrant(id: string): Promise<Grant | undefined>;
  /** The grant whose token has this hash (compared in constant time after lookup). */
  findGrantByTokenHash(tokenHash: string): Promise<Grant | undefined>;
  /** Every grant, oldest first. */
  listGrants(): Promise<Grant[]>;
  /** Direct children of a grant, oldest first. */
  listChildGrants(parentId: string): Promise<Grant[]>;
  /** Applies a patch and returns the new grant; `grant.not-found` if there is none. */
  updateGrant(id: string, patch: GrantPatch): Promise<Grant>;

  /** Records one denial of a grant's request at a time. */
  recordDenial(grantId: string, at: number): Promise<void>;
  /** How many denials a grant has had at or after `since`. */
  countDenialsSince(grantId: string, since: number): Promise<number>;
  /** Forgets a grant's denials (when a human unfreezes it). */
  clearDenials(grantId: string): Promise<void>;
}

/** The append-only, hash-chained audit log: the audit contract's part. */
export interface AuditLog {
  /**
   * Appends a record after the current head, atomically; `audit.write` on failure. The draft is
   * stored as `prepareAuditDraft` renders it, whatever the implementation.
   */
  appendAudit(draft: AuditDraft): Promise<AuditRecord>;
  /** Records in sequence order from `fromSeq` (default 1), at most `limit` of them. */
  readAudit(options?: { fromSeq?: number; limit?: number }): Promise<AuditRecord[]>;
  /** The last `count` records, in sequence order. */
  tailAudit(count: number): Promise<AuditRecord[]>;
  /** The recorded head of the chain, undefined when nothing was appended. */
  auditHead(): Promise<AuditHead | undefined>;
  /**
   * The random id this store was created with, kept in the store itself: signed audit
   * checkpoints name it, so a deleted, recreated or swapped-in store shows as another store.
   */
  storeId(): Promise<string>;
}

/**
 * Persistence of approvals and of the delayed (undo-window) actions that carry approved ones
 * out: the approval contract's part. They share a part because claiming a delayed action
 * moves its approval in the same transaction.
 */
export interface ApprovalStore {
  /**
   * Stores a new approval as given (its version included); `store.conflict` if the id exists or
   * another approval for the same grant and request digest is still pending.
   */
  insertApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  /** Approvals, oldest first, optionally only those in one state. */
  listApprovals(filter?: { state?: ApprovalState }): Promise<Approval[]>;
  /**
   * Compare-and-set: stores `next` with version `expectedVersion + 1` only if the stored version
   * is `expectedVersion`, and returns what was stored; `store.conflict` if it is stale,
   * `approval.not-found` if there is none. Two approvers or two replicas cannot both apply.
   */
  updateApproval(next: Approval, expectedVersion: number): Promise<Approval>;
  /** The latest approval for this grant and request digest. */
  findApprovalForRequest(grantId: string, requestDigest: string): Promise<Approval | undefined>;

  /** Stores a new delayed action; `store.conflict` if one exists for the approval. */
  insertDelayedAction(action: DelayedActionV1): Promise<void>;
  getDelayedAction(approvalId: string): Promise<DelayedActionV1 | undefined>;
  /** Delayed actions in one status, oldest first. */
  listDelayedActions(filter: { status: DelayedActionStatus }): Promise<DelayedActionV1[]>;
  /**
   * In one transaction: stores `executed` (compare-and-set on `expectedVersion`, as
   * `updateApproval`) and moves its delayed action from `waiting` to `running` at `startedAt`.
   * `store.conflict` if either changed: then neither did. This is what makes it run once.
   */
  claimDelayedAction(
    executed: Approval,
    expectedVersion: number,
    startedAt: number,
  ): Promise<Approval>;
  /**
   * Moves a delayed action from `from` to `next.status` with its result or note; `store.conflict`
   * if it is no longer in `from`, `approval.not-found` if there is none.
   */
  finishDelayedAction(
    approvalId: string,
    from: DelayedActionStatus,
    next: Pick<DelayedActionV1, 'status' | 'finishedAt' | 'result' | 'note'>,
  ): Promise<DelayedActionV1>;
}

/** Persistence of the humans who may approve: the approver contract's part. */
export interface ApproverStore {
  /** Stores a new approver; `store.conflict` if the name exists. */
  insertApprover(approver: Approver): Promise<void>;
  getApprover(name: string): Promise<Approver | undefined>;
  /** Every approver, by name. */
  listApprovers(): Promise<Approver[]>;
  /** Removes an approver; `approver.not-found` if there is none. */
  removeApprover(name: string): Promise<void>;
  /** Applies a patch and returns the new approver; `approver.not-found` if there is none. */
  updateApprover(name: string, patch: ApproverPatch): Promise<Approver>;
  /**
   * Compare-and-set of the last accepted TOTP step: stores `step` and answers true only if it
   * is above the stored one; false otherwise, and for an unknown name. A code is used once.
   */
  useTotpStep(name: string, step: number): Promise<boolean>;
}

/**
 * Webhook deliveries and how far the audit log has been turned into them: the outbox
 * contract's part.
 */
export interface WebhookOutbox {
  /** The last audit seq turned into deliveries; undefined before the first time. */
  getWebhookCursor(): Promise<number | undefined>;
  /**
   * In one transaction: inserts the deliveries (one already there for the same endpoint and
   * audit seq is kept, not doubled) and sets the cursor to `cursor`.
   */
  enqueueWebhookDeliveries(deliveries: readonly WebhookDeliveryV1[], cursor: number): Promise<void>;
  /** Deliveries oldest first: in one status, and/or due by a time, at most `limit`. */
  listWebhookDeliveries(filter?: {
    status?: WebhookDeliveryStatus;
    dueBy?: number;
    limit?: number;
  }): Promise<WebhookDeliveryV1[]>;
  /** Replaces a delivery's attempt fields; `store.conflict` if there is no such delivery. */
  updateWebhookDelivery(delivery: WebhookDeliveryV1): Promise<void>;
}

/**
 * Everything Airlock persists: the five parts, each proven by its own contract file
 * (`stores/contract-*.ts`), and `close`. Each method is atomic on its own; no caller needs a
 * transaction across calls. Implementations: memory (tests), SQLite (embedded default), later
 * PostgreSQL. Every implementation must pass the store contract suite.
 */
export interface Store extends GrantStore, AuditLog, ApprovalStore, ApproverStore, WebhookOutbox {
  close(): Promise<void>;
}

/** What the policy engine judges: one action on one target (or none), by one principal. */
export interface PolicyInput {
  readonly grantId: string;
  readonly agent: string;
  readonly owner: string;
  readonly action: Action;
  /** Undefined for an action with no targets: the upstream itself is the resource. */
  readonly target: Target | undefined;
  /** Whether the target counts as production (unknown environments do). */
  readonly production: boolean;
  /** Distinct human approvals the request would carry. */
  readonly approvals: number;
}

/** A policy engine's answer: Cedar's allow/deny with the policies that determined it. */
export interface PolicyAnswer {
  readonly allowed: boolean;
  /** Policies that determined the answer (permits when allowed, forbids when denied). */
  readonly policyIds: readonly string[];
  /** Sentences from the determining policies' `@reason` annotations. */
  readonly reasons: readonly string[];
  /** Policies that failed to evaluate; Cedar skips them, Airlock treats any as a deny. */
  readonly errors: readonly string[];
}

/** Judges policy inputs against a loaded, compiled policy set. Throws only on engine failure. */
export interface PolicyEngine {
  /** Identifies the loaded set; changes on every successful reload. */
  readonly version: string;
  evaluate(input: PolicyInput): PolicyAnswer;
}
