import type { SurfaceKind } from './action.js';
import type { JsonValue } from './canonical.js';
import type { Result } from './result.js';
import { err, ok } from './result.js';

/**
 * Where an approval is in its life. `denied`, `expired`, `cancelled` and `executed` are final,
 * but for one way back: `return`, from `executed` to `approved`, when the request never ran.
 */
export type ApprovalState =
  'pending' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'executed';

/** States from which nothing moves. */
export const TERMINAL_APPROVAL_STATES: readonly ApprovalState[] = [
  'denied',
  'expired',
  'cancelled',
  'executed',
];

/** One target of a held action, as the approver sees it. */
export interface ApprovalTargetV1 {
  readonly type: string;
  readonly id: string;
  /** Resolved environment; undefined means unknown, which counts as production. */
  readonly environment?: string;
}

/** One held action, in the audit form: what and where, never attrs that might carry secrets. */
export interface ApprovalActionV1 {
  readonly upstream: string;
  readonly operation: string;
  readonly effect: string;
  readonly reversible: boolean;
  readonly targets: readonly ApprovalTargetV1[];
}

/**
 * The request as it came, for approvers to read when Airlock could not read it one way: the
 * method, the query string and the body text, exactly as sent (scrubbed, and cut when huge).
 */
export interface ApprovalRawRequestV1 {
  /** `POST ?query=…` then a blank line and the body as UTF-8 text. */
  readonly text: string;
  /** Characters in the whole raw request; greater than `text.length` when it was cut. */
  readonly length: number;
}

/**
 * What will run, decoded for the humans who decide: the adapter's rendition of the held request
 * (a GraphQL document and its variables, a SQL statement, a shell command and its folder, a tool
 * call's arguments). Display only: the approval binds to the request digest, never to this.
 * SECURITY: adapters scrub Airlock's credentials and the agent's token out of it.
 */
export interface ApprovalRequestV1 {
  /** One line: `mutation VolumeDelete`, `DROP TABLE bookings`, `rm -rf build`. */
  readonly summary: string;
  /**
   * The decoded arguments, as the upstream would receive them. Empty when the request is
   * ambiguous and `raw` is kept: one parsed reading would hide what else the upstream may read.
   */
  readonly details: { readonly [key: string]: JsonValue };
  /** The request as sent, kept by adapters that read bytes (GraphQL, HTTP). */
  readonly raw?: ApprovalRawRequestV1;
  /**
   * Why Airlock could not read the request one way (duplicate JSON keys, two query sources, a
   * repeated argument): approvers are shown `raw` and these instead of a decoded reading.
   */
  readonly ambiguity?: readonly string[];
}

/** Largest `details` kept on an approval, in characters of JSON; larger ones are cut, saying so. */
export const MAX_APPROVAL_REQUEST_CHARS = 65_536;

/** Largest raw request kept on an approval, in characters; the length of the whole is kept. */
export const MAX_APPROVAL_RAW_CHARS = 65_536;

const MAX_AMBIGUITY_REASONS = 20;
const MAX_REASON_CHARS = 500;

/** Bounds what an approval keeps of a request, so an agent cannot bloat the store through it. */
export function boundApprovalRequest(request: ApprovalRequestV1): ApprovalRequestV1 {
  const text = JSON.stringify(request.details);
  const summary = cut(request.summary, 500);
  const details =
    text.length <= MAX_APPROVAL_REQUEST_CHARS
      ? request.details
      : {
          truncated: `${text.slice(0, MAX_APPROVAL_REQUEST_CHARS)}…`,
          note: `cut at ${MAX_APPROVAL_REQUEST_CHARS} of ${text.length} characters`,
        };
  const { raw, ambiguity } = request;
  return {
    summary,
    details,
    ...(raw === undefined
      ? {}
      : {
          raw: {
            text: raw.text.slice(0, MAX_APPROVAL_RAW_CHARS),
            length: Math.max(raw.length, raw.text.length),
          },
        }),
    ...(ambiguity === undefined
      ? {}
      : {
          ambiguity: ambiguity
            .slice(0, MAX_AMBIGUITY_REASONS)
            .map((reason) => cut(reason, MAX_REASON_CHARS)),
        }),
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** One human's vote. */
export interface ApprovalVote {
  /** `human:NAME`. */
  readonly approver: string;
  readonly at: number;
}

/** One human's refusal. */
export interface ApprovalDenial extends ApprovalVote {
  readonly reason?: string;
}

/** A held request waiting for (or past) human approval; bound to one request digest and grant. */
export interface ApprovalV1 {
  readonly id: string;
  /** Compare-and-set counter; the store bumps it on every update. */
  readonly version: number;
  readonly requestDigest: string;
  readonly grantId: string;
  readonly agent: string;
  readonly owner: string;
  readonly surface: SurfaceKind;
  readonly actions: readonly ApprovalActionV1[];
  /** What will run, decoded, when the adapter could say (see `ApprovalRequestV1`). */
  readonly request?: ApprovalRequestV1;
  /** Distinct human approvals that move it to `approved`. */
  readonly needed: number;
  readonly approvals: readonly ApprovalVote[];
  readonly denials: readonly ApprovalDenial[];
  readonly state: ApprovalState;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The rules that held the request, and their reasons. */
  readonly policyIds: readonly string[];
  readonly reasons: readonly string[];
  /** When it left `pending` (or `approved`, for the final states). */
  readonly decidedAt?: number;
  /**
   * Set for a delayed (undo-window) action: once approved, Airlock itself runs the stored request
   * this long after approval unless an approver cancels; the agent's own retry never passes.
   */
  readonly undoWindowMs?: number;
  /** When Airlock runs a delayed action; set at approval. */
  readonly runAt?: number;
}

/** The current version of an approval. */
export type Approval = ApprovalV1;

/** What can happen to an approval. `actor` is `human:NAME`, `agent:NAME` or `system`. */
export type ApprovalEvent =
  | { readonly type: 'approve'; readonly actor: string }
  | { readonly type: 'deny'; readonly actor: string; readonly reason?: string }
  | { readonly type: 'cancel'; readonly actor: string }
  | { readonly type: 'expire' }
  | { readonly type: 'execute' }
  /**
   * The request that executed the approval never ran (its snapshot failed before anything was
   * sent): the approval is approved again, for the identical request to pass once more.
   */
  | { readonly type: 'return' };

/** How approvals are decided; comes from config. */
export interface ApprovalRules {
  /** Whether one deny ends the approval (true), or is only recorded (false). */
  readonly denyEndsIt: boolean;
  /**
   * Whether the human who owns the agent may approve its actions. Default false: the owner
   * directed the agent, so a second pair of eyes is the point of the hold.
   */
  readonly ownerMayApprove: boolean;
}

/** Defaults: one deny ends it; the owner may not approve their own agent's actions. */
export const DEFAULT_APPROVAL_RULES: ApprovalRules = { denyEndsIt: true, ownerMayApprove: false };

/** Why a transition was refused; `code` is stable, `message` is for people. */
export interface ApprovalRefusal {
  readonly code:
    | 'final' // the approval is denied, expired, cancelled or executed
    | 'expired' // past its expiry; the caller should apply `expire`
    | 'not-due' // `expire` before the expiry time
    | 'not-human' // the actor is not `human:NAME`
    | 'requester' // the actor is the grant's own agent
    | 'owner' // the actor owns the agent and the rules forbid that
    | 'already-voted' // this human has approved or denied already
    | 'not-pending' // approve on an approved approval
    | 'not-approved' // execute before approval
    | 'not-executed'; // return of an approval that is not executed, or that Airlock runs itself (delayed)
  readonly message: string;
}

const HUMAN = /^human:(.+)$/;

/** The human name of an actor `human:NAME`, or undefined for agents and the system. */
export function humanName(actor: string): string | undefined {
  return HUMAN.exec(actor)?.[1];
}

/** Whether a state is final. */
export function isFinalApprovalState(state: ApprovalState): boolean {
  return TERMINAL_APPROVAL_STATES.includes(state);
}

/**
 * The one approval state machine: returns the approval after `event` at `now`, or why not.
 * Pure; the version is left for the store to bump.
 */
export function applyApprovalEvent(
  approval: Approval,
  event: ApprovalEvent,
  now: number,
  rules: ApprovalRules = DEFAULT_APPROVAL_RULES,
): Result<Approval, ApprovalRefusal> {
  if (event.type === 'return') return returned(approval);
  if (isFinalApprovalState(approval.state)) {
    return refuse('final', `approval \`${approval.id}\` is ${approval.state}`);
  }
  const due = now >= approval.expiresAt;
  if (event.type === 'expire') {
    if (!due) return refuse('not-due', `approval \`${approval.id}\` has not expired yet`);
    return ok({ ...approval, state: 'expired', decidedAt: now });
  }
  // INVARIANT: nothing but `expire` happens to an approval past its expiry.
  if (due) return refuse('expired', `approval \`${approval.id}\` expired`);
  switch (event.type) {
    case 'approve':
      return approve(approval, event.actor, now, rules);
    case 'deny':
      return deny(approval, event, now, rules);
    case 'cancel':
      return cancel(approval, event.actor, now);
    case 'execute':
      if (approval.state !== 'approved')
        return refuse('not-approved', `approval \`${approval.id}\` is ${approval.state}`);
      // INVARIANT: a delayed action runs only once its undo window has passed.
      if (approval.runAt !== undefined && now < approval.runAt)
        return refuse('not-due', `approval \`${approval.id}\` runs at ${approval.runAt}`);
      return ok({ ...approval, state: 'executed', decidedAt: now });
  }
}

// INVARIANT: only `executed` goes back, and only to `approved` with the votes it had: a return
// never adds approvals, never revives a pending, denied, expired or cancelled approval. It is
// allowed past the expiry (it records that the request never ran), and the approval then
// expires like any approved one. A delayed action's run is Airlock's own and is never returned.
function returned(approval: Approval): Result<Approval, ApprovalRefusal> {
  if (approval.state !== 'executed' || approval.undoWindowMs !== undefined) {
    return refuse(
      'not-executed',
      `approval \`${approval.id}\` is ${approval.state === 'executed' ? 'a delayed action' : approval.state}, not executed by a request`,
    );
  }
  // It left `pending` when the last vote reached `needed`.
  const approvedAt = Math.max(...approval.approvals.map((vote) => vote.at));
  return ok({
    ...approval,
    state: 'approved',
    ...(Number.isFinite(approvedAt) ? { decidedAt: approvedAt } : {}),
  });
}

/** Distinct humans who approved; the count M-of-N is measured in. */
export function distinctApprovers(approval: Approval): string[] {
  return [...new Set(approval.approvals.map((vote) => vote.approver))];
}

function approve(
  approval: Approval,
  actor: string,
  now: number,
  rules: ApprovalRules,
): Result<Approval, ApprovalRefusal> {
  const refusal = voterRefusal(approval, actor, rules);
  if (refusal !== undefined) return err(refusal);
  if (approval.state !== 'pending')
    return refuse('not-pending', `approval \`${approval.id}\` is ${approval.state}`);
  const approvals = [...approval.approvals, { approver: actor, at: now }];
  // INVARIANT: approved only once `needed` distinct humans approved.
  const reached = new Set(approvals.map((vote) => vote.approver)).size >= approval.needed;
  if (!reached) return ok({ ...approval, approvals });
  return ok({
    ...approval,
    approvals,
    state: 'approved',
    decidedAt: now,
    ...scheduled(approval, now),
  });
}

// A delayed action is scheduled when approved; it stays approved (not expired) for one more ttl
// after its run time, so a window longer than what was left of the ttl does not expire it unrun.
function scheduled(approval: Approval, now: number): { runAt?: number; expiresAt?: number } {
  if (approval.undoWindowMs === undefined) return {};
  const runAt = now + approval.undoWindowMs;
  return {
    runAt,
    expiresAt: Math.max(approval.expiresAt, runAt + (approval.expiresAt - approval.createdAt)),
  };
}

function deny(
  approval: Approval,
  event: { readonly actor: string; readonly reason?: string },
  now: number,
  rules: ApprovalRules,
): Result<Approval, ApprovalRefusal> {
  // Refusing is always the safe direction, so any human may deny, the owner included.
  const refusal =
    humanRefusal(approval, event.actor, 'deny') ?? alreadyVoted(approval, event.actor);
  if (refusal !== undefined) return err(refusal);
  const denial: ApprovalDenial = {
    approver: event.actor,
    at: now,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
  };
  const denials = [...approval.denials, denial];
  return ok({
    ...approval,
    denials,
    ...(rules.denyEndsIt ? { state: 'denied', decidedAt: now } : {}),
  });
}

function cancel(approval: Approval, actor: string, now: number): Result<Approval, ApprovalRefusal> {
  // A human, the system, or the requesting agent withdrawing its own request may cancel.
  const allowed =
    humanName(actor) !== undefined || actor === 'system' || actor === `agent:${approval.agent}`;
  if (!allowed)
    return refuse('not-human', `\`${actor}\` may not cancel approval \`${approval.id}\``);
  return ok({ ...approval, state: 'cancelled', decidedAt: now });
}

function voterRefusal(
  approval: Approval,
  actor: string,
  rules: ApprovalRules,
): ApprovalRefusal | undefined {
  const refusal = humanRefusal(approval, actor, 'approve');
  if (refusal !== undefined) return refusal;
  const name = humanName(actor);
  if (name === approval.agent) {
    return {
      code: 'requester',
      message: `\`${actor}\` bears the name of the agent that asked, and may not approve its request`,
    };
  }
  if (name === approval.owner && !rules.ownerMayApprove) {
    return {
      code: 'owner',
      message: `\`${actor}\` owns the agent that asked; another human must approve`,
    };
  }
  return alreadyVoted(approval, actor);
}

function humanRefusal(
  approval: Approval,
  actor: string,
  verb: 'approve' | 'deny',
): ApprovalRefusal | undefined {
  // SECURITY: agents never vote; only humans with their own credentials do.
  if (humanName(actor) !== undefined) return undefined;
  return {
    code: 'not-human',
    message: `only humans may ${verb} approval \`${approval.id}\`: \`${actor}\` is not one`,
  };
}

function alreadyVoted(approval: Approval, actor: string): ApprovalRefusal | undefined {
  const voted = [...approval.approvals, ...approval.denials].some(
    (vote) => vote.approver === actor,
  );
  // SECURITY: one human counts once; a second vote would let one person meet M-of-N alone.
  if (voted)
    return {
      code: 'already-voted',
      message: `\`${actor}\` has already voted on approval \`${approval.id}\``,
    };
  return undefined;
}

function refuse(
  code: ApprovalRefusal['code'],
  message: string,
): { ok: false; error: ApprovalRefusal } {
  return err({ code, message });
}

/**
 * Ids of targets an approver must type to confirm: those of irreversible actions in a
 * production environment, or an unknown one (which could be production).
 */
export function targetsNeedingConfirmation(
  approval: Pick<Approval, 'actions'>,
  productionEnvironments: readonly string[],
): string[] {
  const ids = approval.actions
    .filter((action) => !action.reversible)
    .flatMap((action) => action.targets)
    .filter(
      (target) =>
        target.environment === undefined || productionEnvironments.includes(target.environment),
    )
    .map((target) => target.id);
  return [...new Set(ids)];
}

/**
 * A held request as Airlock keeps it to run itself after an undo window: the bytes the agent
 * sent and allow-listed harmless headers. SECURITY: never the agent's token or any credential;
 * the upstream's real credential is added only when it runs.
 */
export interface HeldRequestV1 {
  readonly upstream: string;
  readonly surface: SurfaceKind;
  readonly method: 'GET' | 'POST';
  /** The query string as it came, `?…` or empty. */
  readonly search: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text (adapters refuse bodies that are not). */
  readonly body: string;
}

/**
 * Where a delayed action is. `waiting`: not run (its approval decides whether it will);
 * `running`: claimed and sent, no answer recorded yet; `done`: the upstream answered, the answer
 * is kept; `unknown`: claimed but no answer was recorded (a crash or a failed connection), so it
 * may or may not have run, and it is never run again; `not-run`: claimed but never sent.
 */
export type DelayedActionStatus = 'waiting' | 'running' | 'done' | 'unknown' | 'not-run';

/** The upstream's answer to a delayed action, scrubbed of Airlock's credential. */
export interface DelayedActionResultV1 {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
}

/** A request Airlock runs itself once its approval is approved and the undo window has passed. */
export interface DelayedActionV1 {
  readonly approvalId: string;
  readonly status: DelayedActionStatus;
  readonly request: HeldRequestV1;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly result?: DelayedActionResultV1;
  /** Why it is `unknown` or `not-run`. */
  readonly note?: string;
}
