import type { Approval, ApprovalActionV1, AuditRecord } from '../core/index.js';
import { distinctApprovers } from '../core/index.js';

/** The audit kinds that become approval events: a new pending approval and every decision. */
export const APPROVAL_EVENT_KINDS: readonly string[] = [
  'approval.created',
  'approval.approved',
  'approval.denied',
  'approval.expired',
  'approval.cancelled',
  'approval.executed',
  'approval.returned',
  'approval.ran',
  'approval.outcome-unknown',
  'approval.not-run',
];

/**
 * One approval event as webhook receivers get it. No secrets: no token, no credential, no
 * request body; approver names are in it (receivers are the humans' channels, not agents').
 */
export interface ApprovalEventV1 {
  readonly version: 1;
  /** The audit kind, e.g. `approval.created`, `approval.denied`. */
  readonly event: string;
  /** The audit record's seq: unique, and increasing in the order things happened. */
  readonly seq: number;
  readonly at: string;
  /** `agent:NAME`, `human:NAME` or `system`. */
  readonly actor: string;
  readonly reason?: string;
  readonly approval: {
    readonly id: string;
    /** The state right after this event. */
    readonly state: string;
    readonly agent: string;
    readonly owner: string;
    readonly needed: number;
    readonly approvedBy: readonly string[];
    readonly deniedBy: readonly string[];
    readonly expiresAt: string;
    readonly runAt?: string;
    readonly actions: readonly ApprovalActionV1[];
    readonly reasons: readonly string[];
  };
  /** The inbox page of the approval; it asks the human to log in and never decides by itself. */
  readonly link: string;
  /**
   * The delivery id (the same on every retry of one delivery), set in each posted JSON body:
   * inside what the signature covers, so receivers deduplicate on a value no one can forge.
   */
  readonly delivery?: string;
}

/** The event an audit record stands for, or undefined when it is not an approval event. */
export function toApprovalEvent(
  record: AuditRecord,
  approval: Approval,
  publicUrl: string,
): ApprovalEventV1 | undefined {
  if (!APPROVAL_EVENT_KINDS.includes(record.kind)) return undefined;
  const data = record.data;
  const state = typeof data['state'] === 'string' ? data['state'] : approval.state;
  const list = (key: string): string[] =>
    Array.isArray(data[key]) ? data[key].filter((v): v is string => typeof v === 'string') : [];
  return {
    version: 1,
    event: record.kind,
    seq: record.seq,
    at: new Date(record.at).toISOString(),
    actor: record.actor,
    ...(typeof data['reason'] === 'string' ? { reason: data['reason'] } : {}),
    approval: {
      id: approval.id,
      state,
      agent: approval.agent,
      owner: approval.owner,
      needed: approval.needed,
      approvedBy: 'approvedBy' in data ? list('approvedBy') : distinctApprovers(approval),
      deniedBy: list('deniedBy'),
      expiresAt: new Date(approval.expiresAt).toISOString(),
      ...(approval.runAt === undefined ? {} : { runAt: new Date(approval.runAt).toISOString() }),
      actions: approval.actions,
      reasons: approval.reasons,
    },
    link: approvalLink(publicUrl, approval.id),
  };
}

/** The inbox page of an approval: `${publicUrl}/inbox/approvals/ID`. */
export function approvalLink(publicUrl: string, approvalId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/inbox/approvals/${encodeURIComponent(approvalId)}`;
}

/** The approval id an audit record is about, if any. */
export function approvalIdOf(record: AuditRecord): string | undefined {
  const id = record.data['approvalId'];
  return typeof id === 'string' ? id : undefined;
}
