import type { Action, Target } from './action.js';
import type { Approval, ApprovalState } from './approval.js';
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

/**
 * Everything Airlock persists. Each method is atomic on its own; no caller needs a transaction
 * across calls. Implementations: memory (tests), SQLite (embedded default), later PostgreSQL.
 * Every implementation must pass the store contract suite.
 */
export interface Store {
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

  /** Appends a record after the current head, atomically; `audit.write` on failure. */
  appendAudit(draft: AuditDraft): Promise<AuditRecord>;
  /** Records in sequence order from `fromSeq` (default 1), at most `limit` of them. */
  readAudit(options?: { fromSeq?: number; limit?: number }): Promise<AuditRecord[]>;
  /** The last `count` records, in sequence order. */
  tailAudit(count: number): Promise<AuditRecord[]>;
  /** The recorded head of the chain, undefined when nothing was appended. */
  auditHead(): Promise<AuditHead | undefined>;

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

  /** Stores a new approver; `store.conflict` if the name exists. */
  insertApprover(approver: Approver): Promise<void>;
  getApprover(name: string): Promise<Approver | undefined>;
  /** Every approver, by name. */
  listApprovers(): Promise<Approver[]>;
  /** Removes an approver; `approver.not-found` if there is none. */
  removeApprover(name: string): Promise<void>;

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
