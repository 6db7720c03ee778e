import type {
  Action,
  Approval,
  ApprovalActionV1,
  ApprovalRequestV1,
  ApprovalRules,
  Clock,
  Decision,
  HeldRequestV1,
  Ids,
  Principal,
  Store,
  SurfaceKind,
} from '../core/index.js';
import {
  APPROVAL_POLICY_ID,
  applyApprovalEvent,
  boundApprovalRequest,
  distinctApprovers,
  isFirewallError,
} from '../core/index.js';
import {
  DEFAULT_MAX_PENDING_PER_GRANT,
  countPendingApprovals,
  inGrantQueue,
  refuseOverCap,
} from './pending-cap.js';
import type { UndoRule } from './undo-rules.js';
import { undoWindowFor } from './undo-rules.js';

/** How held requests become approvals. */
export interface ApprovalOptions extends ApprovalRules {
  /** How long a pending (or approved, unexecuted) approval lives. */
  readonly ttlMs: number;
  /**
   * Pending approvals one grant may have at once (default `DEFAULT_MAX_PENDING_PER_GRANT`); a
   * hold past it is denied and the grant frozen.
   */
  readonly maxPendingPerGrant?: number;
}

/** Defaults: an hour to decide and retry, one deny ends it, the owner may not approve. */
export const DEFAULT_APPROVAL_OPTIONS: ApprovalOptions = {
  ttlMs: 60 * 60 * 1000,
  denyEndsIt: true,
  ownerMayApprove: false,
};

/** What the gate needs from the firewall. */
export interface ApprovalGateContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly approvals: ApprovalOptions;
  /** Which held requests Airlock runs itself after an undo window, once approved. */
  readonly undo?: readonly UndoRule[];
}

/** The request a held decision was made for. */
export interface HeldRequest {
  readonly surface: SurfaceKind;
  readonly digest: string;
  readonly actions: readonly Action[];
  /**
   * The request as Airlock could run it itself; only adapters that can replay give it, and it
   * is built only when an undo rule makes the hold a delayed action.
   */
  readonly replay?: () => HeldRequestV1;
  /** What will run, decoded for approvers (see `ApprovalRequestV1`). */
  readonly shown?: () => ApprovalRequestV1;
}

/** A resolved hold: the decision, and the approval as it was executed when the decision allows once. */
export interface HoldResolution {
  readonly decision: Decision;
  readonly executed?: Approval;
}

/**
 * Turns a held decision into one bound to an approval. The latest approval for the same grant
 * and request digest decides: approved → allowed exactly once (marked executed by
 * compare-and-set first); pending → the same approval; denied → denied; none, executed,
 * expired or cancelled → a new pending approval. Throws on store failure: the caller denies.
 */
export async function resolveHold(
  context: ApprovalGateContext,
  principal: Principal,
  request: HeldRequest,
  decision: Decision,
): Promise<HoldResolution> {
  const needed = decision.approval?.needed ?? 1;
  const now = context.clock.now();
  const latest = await expireIfDue(
    context,
    await context.store.findApprovalForRequest(principal.grant.id, request.digest),
    now,
  );
  // SECURITY: a delayed action is run by Airlock after its undo window, never by the agent's retry.
  if (latest?.state === 'approved' && latest.undoWindowMs !== undefined)
    return { decision: scheduledHold(decision, latest) };
  if (latest?.state === 'approved' && distinctApprovers(latest).length >= needed) {
    const executed = await tryExecute(context, latest, now);
    if (executed !== undefined) return { decision: allowedOnce(decision, executed), executed };
  }
  if (latest?.state === 'pending') return { decision: bound(decision, latest) };
  if (latest?.state === 'denied') return { decision: deniedByHuman(decision, latest) };
  return { decision: await newHold(context, principal, request, decision, now) };
}

const MAX_RETURN_REASON_CHARS = 500;

/**
 * Returns an approval a request executed to `approved`, because that request never ran:
 * by compare-and-set on `executedVersion`, the version the request's execution stored, so a
 * return after anything else happened to the approval (another return, a later execution)
 * changes nothing. Audited as `approval.returned` with `reason`. True when it was returned.
 */
export async function returnExecuted(
  context: ApprovalGateContext,
  approvalId: string,
  executedVersion: number,
  reason: string,
): Promise<boolean> {
  const approval = await context.store.getApproval(approvalId);
  if (approval === undefined || approval.version !== executedVersion) return false;
  const now = context.clock.now();
  const next = applyApprovalEvent(approval, { type: 'return' }, now, context.approvals);
  if (!next.ok) return false;
  const stored = await compareAndSet(context, next.value, executedVersion);
  if (stored === undefined) return false;
  const bounded =
    reason.length > MAX_RETURN_REASON_CHARS
      ? `${reason.slice(0, MAX_RETURN_REASON_CHARS)}…`
      : reason;
  try {
    await audit(context, 'approval.returned', 'system', stored, now, { reason: bounded });
  } catch (error) {
    // SECURITY: a return the audit log does not show did not happen: spend the approval again.
    await compareAndSet(context, approval, stored.version).catch(() => undefined);
    throw error;
  }
  return true;
}

/** A new pending approval, unless the grant has as many pending as it may (then a deny and a freeze). */
async function newHold(
  context: ApprovalGateContext,
  principal: Principal,
  request: HeldRequest,
  decision: Decision,
  now: number,
): Promise<Decision> {
  const cap = context.approvals.maxPendingPerGrant ?? DEFAULT_MAX_PENDING_PER_GRANT;
  const { grant } = principal;
  return inGrantQueue(context.store, grant.id, async () => {
    // SECURITY: counted and inserted in one queue per grant, so a burst of holds cannot slip past.
    if ((await countPendingApprovals(context.store, grant.id)) >= cap)
      return refuseOverCap(context.store, grant, decision, cap, now);
    return bound(decision, await createPending(context, principal, request, decision, now));
  });
}

async function expireIfDue(
  context: ApprovalGateContext,
  approval: Approval | undefined,
  now: number,
): Promise<Approval | undefined> {
  if (approval === undefined) return undefined;
  const expired = applyApprovalEvent(approval, { type: 'expire' }, now, context.approvals);
  if (!expired.ok) return approval;
  const stored = await compareAndSet(context, expired.value, approval.version);
  if (stored === undefined) return context.store.getApproval(approval.id);
  await audit(context, 'approval.expired', 'system', stored, now);
  return stored;
}

async function tryExecute(
  context: ApprovalGateContext,
  approval: Approval,
  now: number,
): Promise<Approval | undefined> {
  const next = applyApprovalEvent(approval, { type: 'execute' }, now, context.approvals);
  if (!next.ok) return undefined;
  // SECURITY: compare-and-set first: of two identical requests racing, exactly one passes.
  const stored = await compareAndSet(context, next.value, approval.version);
  if (stored === undefined) return undefined;
  await audit(context, 'approval.executed', `agent:${approval.agent}`, stored, now);
  return stored;
}

async function createPending(
  context: ApprovalGateContext,
  principal: Principal,
  request: HeldRequest,
  decision: Decision,
  now: number,
): Promise<Approval> {
  const { grant } = principal;
  const undoWindowMs =
    request.replay === undefined ? undefined : undoWindowFor(context.undo ?? [], request.actions);
  const approval: Approval = {
    id: context.ids.next('apr'),
    version: 1,
    requestDigest: request.digest,
    grantId: grant.id,
    agent: grant.agent,
    owner: grant.owner,
    surface: request.surface,
    actions: request.actions.map(toApprovalAction),
    ...(request.shown === undefined ? {} : { request: boundApprovalRequest(request.shown()) }),
    needed: decision.approval?.needed ?? 1,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: now,
    expiresAt: now + context.approvals.ttlMs,
    policyIds: [...decision.policyIds],
    reasons: [...decision.reasons],
    ...(undoWindowMs === undefined ? {} : { undoWindowMs }),
  };
  try {
    await context.store.insertApproval(approval);
  } catch (error) {
    // Another replica or request created the pending approval first: share it.
    if (!isFirewallError(error, 'store.conflict')) throw error;
    const existing = await context.store.findApprovalForRequest(grant.id, request.digest);
    if (existing?.state !== 'pending') throw error;
    return existing;
  }
  if (undoWindowMs !== undefined && request.replay !== undefined)
    await storeDelayedAction(context, approval, request.replay, now);
  await audit(context, 'approval.created', `agent:${grant.agent}`, approval, now);
  return approval;
}

async function storeDelayedAction(
  context: ApprovalGateContext,
  approval: Approval,
  replay: () => HeldRequestV1,
  now: number,
): Promise<void> {
  try {
    await context.store.insertDelayedAction({
      approvalId: approval.id,
      status: 'waiting',
      request: replay(),
      createdAt: now,
    });
  } catch (error) {
    // An approval whose request is not stored could never run: withdraw it, and fail closed.
    const cancelled = applyApprovalEvent(
      approval,
      { type: 'cancel', actor: 'system' },
      now,
      context.approvals,
    );
    if (cancelled.ok)
      await compareAndSet(context, cancelled.value, approval.version).catch(() => undefined);
    throw error;
  }
}

/** Stores `next` if nobody changed the approval since `version`; undefined when someone did. */
export async function compareAndSet(
  context: { readonly store: Store },
  next: Approval,
  version: number,
): Promise<Approval | undefined> {
  try {
    return await context.store.updateApproval(next, version);
  } catch (error) {
    if (isFirewallError(error, 'store.conflict')) return undefined;
    throw error;
  }
}

/** Appends the audit record of one approval transition, naming who caused it. */
export async function audit(
  context: { readonly store: Store },
  kind: string,
  actor: string,
  approval: Approval,
  at: number,
  extra: { reason?: string } = {},
): Promise<void> {
  await context.store.appendAudit({
    kind,
    actor,
    at,
    data: {
      approvalId: approval.id,
      state: approval.state,
      grantId: approval.grantId,
      agent: approval.agent,
      requestDigest: approval.requestDigest,
      needed: approval.needed,
      approvedBy: distinctApprovers(approval),
      deniedBy: approval.denials.map((d) => d.approver),
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    },
  });
}

function toApprovalAction(action: Action): ApprovalActionV1 {
  return {
    upstream: action.upstream,
    operation: action.operation,
    effect: action.effect,
    reversible: action.reversible,
    targets: action.targets.map((t) => ({
      type: t.type,
      id: t.id,
      ...(t.environment === undefined ? {} : { environment: t.environment }),
    })),
  };
}

function bound(decision: Decision, approval: Approval): Decision {
  return { ...decision, approval: { needed: approval.needed, id: approval.id } };
}

// SECURITY: what the agent is told names no approver and repeats no reason: the approval's
// audit records (`approval.approved`, `approval.denied`) keep them, for approvers only.
function allowedOnce(decision: Decision, approval: Approval): Decision {
  const count = distinctApprovers(approval).length;
  return {
    ...decision,
    verdict: 'allow',
    reasons: [
      `approved by ${count} human${count === 1 ? '' : 's'} (approval \`${approval.id}\`); allowed this once`,
    ],
    policyIds: [APPROVAL_POLICY_ID, ...decision.policyIds],
    approval: { needed: approval.needed, id: approval.id },
  };
}

function scheduledHold(decision: Decision, approval: Approval): Decision {
  const at =
    approval.runAt === undefined
      ? 'after its undo window'
      : `at ${new Date(approval.runAt).toISOString()}`;
  return {
    ...decision,
    reasons: [
      `approved (approval \`${approval.id}\`); Airlock itself runs it ${at} unless an approver cancels: fetch the result from the approval, do not send it again`,
    ],
    approval: { needed: approval.needed, id: approval.id },
  };
}

function deniedByHuman(decision: Decision, approval: Approval): Decision {
  return {
    ...decision,
    verdict: 'deny',
    reasons: [
      `denied: a human decided against it (approval \`${approval.id}\`); do not retry this request, and do not try another way`,
    ],
    policyIds: [APPROVAL_POLICY_ID],
    approval: { needed: approval.needed, id: approval.id },
  };
}
