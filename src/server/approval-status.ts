import type { Approval, ApprovalState } from '../core/index.js';
import { distinctApprovers } from '../core/index.js';

/** Where the gateway reads approvals from for agents to poll; a `Store` is one. */
export interface ApprovalLookup {
  getApproval(id: string): Promise<Approval | undefined>;
}

/** What a held agent may learn by polling: no approver names, no reasons, no grant. */
export interface ApprovalStatusV1 {
  readonly id: string;
  readonly state: ApprovalState;
  readonly needed: number;
  readonly approvals: number;
  readonly expiresAt: string;
}

/** The agent-facing status of an approval; a pending one past its expiry reads as expired. */
export function toApprovalStatus(approval: Approval, now: number): ApprovalStatusV1 {
  const lapsed = approval.state === 'pending' && now >= approval.expiresAt;
  return {
    id: approval.id,
    state: lapsed ? 'expired' : approval.state,
    needed: approval.needed,
    approvals: distinctApprovers(approval).length,
    expiresAt: new Date(approval.expiresAt).toISOString(),
  };
}
