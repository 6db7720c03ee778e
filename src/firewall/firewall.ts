import type {
  Action,
  Approval,
  ApprovalRequestV1,
  Clock,
  Decision,
  HeldRequestV1,
  Ids,
  PolicyEngine,
  Principal,
  Store,
  SurfaceKind,
} from '../core/index.js';
import {
  AUTHENTICATION_POLICY_ID,
  FAIL_CLOSED_POLICY_ID,
  describeError,
  toDecision,
} from '../core/index.js';
import type { ApprovalOptions } from './approval-gate.js';
import { resolveHold, returnExecuted } from './approval-gate.js';
import type { UndoRule } from './undo-rules.js';
import { toAuditActions, toAuditDecision, toAuditPrincipal } from './audit-data.js';
import { authenticate } from './authenticate.js';
import type { DecideOptions } from './decide-action.js';
import { decideAction } from './decide-action.js';
import type { FreezePolicy } from './freeze.js';
import { recordDenialAndMaybeFreeze } from './freeze.js';

/** One request as an adapter hands it over: already parsed into actions. */
export interface JudgeRequest {
  /** The Airlock token the agent presented. Never stored, logged or echoed. */
  readonly token: string;
  readonly surface: SurfaceKind;
  /** SHA-256 of the canonical request; an approval will bind to it. */
  readonly digest: string;
  readonly actions: readonly Action[];
  /** The request as Airlock could run it itself after an undo window (see `UndoRule`). */
  readonly replay?: () => HeldRequestV1;
  /** What will run, decoded for approvers; built only when the request is held. */
  readonly shown?: () => ApprovalRequestV1;
}

/** What the firewall needs; wired by the server or the CLI. */
export interface FirewallOptions {
  readonly store: Store;
  /** Returns the engine in force now, so a reload is seen by the next request. */
  readonly engine: () => PolicyEngine;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly decide: DecideOptions;
  readonly freeze: FreezePolicy;
  /** How held requests become approvals, and how approvals are decided. */
  readonly approvals: ApprovalOptions;
  /** Held requests Airlock runs itself after an undo window, once approved; default none. */
  readonly undo?: readonly UndoRule[];
}

/** Requests that reused one recorded allow, counted (see `DecisionReuse`). */
export interface ReuseSummary {
  readonly decision: Decision;
  readonly principal: Principal;
  readonly surface: SurfaceKind;
  /** What the reused requests had in common, free of their values (e.g. a SQL shape). */
  readonly shape: string;
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** A judged request: the decision, and who it was judged for (undefined when nobody). */
export interface Judgment {
  readonly decision: Decision;
  readonly principal: Principal | undefined;
}

// Decisions allowed once by an approval that may still give it back (see `returnApproval`).
// Each needed human approval, so there are few; the oldest are forgotten past this many.
const MAX_RETURNABLE_DECISIONS = 1024;

/**
 * The pipeline's middle: authenticate → decide → audit. It fails closed: any error is a deny
 * with an error id, and a decision that cannot be written to the audit log is a deny too.
 */
export class Firewall {
  readonly #options: FirewallOptions;
  /** Decision id → the approval it executed, at the version its execution stored. */
  readonly #returnable = new Map<string, { readonly approvalId: string; readonly version: number }>();

  constructor(options: FirewallOptions) {
    this.#options = options;
  }

  /** Judges a request; never throws, never allows what it could not record. */
  async judge(request: JudgeRequest): Promise<Judgment> {
    const { clock, ids } = this.#options;
    const id = ids.next('dec');
    const now = clock.now();
    let principal: Principal | undefined;
    let decision: Decision;
    let executed: Approval | undefined;
    try {
      const authentication = await authenticate(this.#options.store, request.token, now);
      if (authentication.ok) {
        principal = authentication.principal;
        decision = this.#decide(id, principal, request.actions);
        if (decision.verdict === 'hold') ({ decision, executed } = await resolveHold(this.#options, principal, request, decision));
      } else {
        decision = denied(id, AUTHENTICATION_POLICY_ID, authentication.reason, []);
      }
    } catch (error) {
      decision = denied(id, FAIL_CLOSED_POLICY_ID, 'airlock failed while deciding, so the request is denied', [
        `${ids.next('err')}: ${describeError(error)}`,
      ]);
    }
    decision = await this.#record(request, principal, decision, now);
    if (executed !== undefined && decision.verdict === 'allow') this.#rememberReturnable(decision, executed);
    if (decision.verdict === 'deny' && principal !== undefined) {
      await this.#countDenial(principal, now);
    }
    return { decision, principal };
  }

  /**
   * Judges a request and runs `forward` only when it is allowed. Holds and denials never reach
   * the upstream; the adapter turns the decision into its protocol's answer.
   */
  async guard<T>(
    request: JudgeRequest,
    forward: (principal: Principal) => Promise<T>,
  ): Promise<Judgment & { readonly forwarded?: T }> {
    const judgment = await this.judge(request);
    if (judgment.decision.verdict !== 'allow' || judgment.principal === undefined) return judgment;
    return { ...judgment, forwarded: await forward(judgment.principal) };
  }

  /**
   * Gives back the approval `decision` used up, because the request it allowed never reached
   * the upstream (the snapshot taken before a destructive statement failed): the approval is
   * `approved` again (audited `approval.returned` with `reason`), so the identical request
   * passes once more when it is sent again. True when it was returned; false (and nothing
   * changed) when `decision` was not an allow-once of this firewall, was returned already, or
   * the approval changed since this decision executed it. Never throws.
   *
   * SECURITY: one approval still runs once. Only the decision that executed the approval can
   * return it, once, by compare-and-set on the version that execution stored, so after a return
   * a retry executes it anew and this decision can no longer return it. The caller guarantees
   * the rest by construction: it calls this only on the path that answers the agent with an
   * error instead of forwarding, before anything of the request was sent, and never after
   * forwarding (the PostgreSQL session: where a failed snapshot answers ZA003 in place of the
   * statement).
   */
  async returnApproval(decision: Decision, reason: string): Promise<boolean> {
    const entry = this.#returnable.get(decision.id);
    if (entry === undefined || entry.approvalId !== decision.approval?.id) return false;
    // One try per decision, whatever its outcome.
    this.#returnable.delete(decision.id);
    try {
      return await returnExecuted(this.#options, entry.approvalId, entry.version, reason);
    } catch {
      // The approval stays used up: the safe direction, and the agent is told it did not run.
      return false;
    }
  }

  #rememberReturnable(decision: Decision, executed: Approval): void {
    if (this.#returnable.size >= MAX_RETURNABLE_DECISIONS) {
      const oldest = this.#returnable.keys().next();
      if (oldest.done !== true) this.#returnable.delete(oldest.value);
    }
    this.#returnable.set(decision.id, { approvalId: executed.id, version: executed.version });
  }

  /** Now, on the firewall's clock. */
  now(): number {
    return this.#options.clock.now();
  }

  /** The policy engine in force; a reused decision is valid only while this stays the same. */
  policyInForce(): PolicyEngine {
    return this.#options.engine();
  }

  /**
   * Records that an earlier allow was reused for `count` more requests (see `DecisionReuse`).
   * Throws when the audit log cannot take it, so that the caller stops reusing.
   */
  async recordReuse(summary: ReuseSummary): Promise<void> {
    await this.#options.store.appendAudit({
      kind: 'decision.reused',
      actor: `agent:${summary.principal.grant.agent}`,
      at: summary.lastAt,
      data: {
        decisionId: summary.decision.id,
        ...toAuditPrincipal(summary.principal),
        surface: summary.surface,
        shape: summary.shape,
        count: summary.count,
        firstAt: summary.firstAt,
        lastAt: summary.lastAt,
      },
    });
  }

  #decide(id: string, principal: Principal, actions: readonly Action[]): Decision {
    const engine = this.#options.engine();
    return toDecision(
      id,
      actions.map((action) => decideAction(engine, principal, action, this.#options.decide)),
    );
  }

  async #record(
    request: JudgeRequest,
    principal: Principal | undefined,
    decision: Decision,
    now: number,
  ): Promise<Decision> {
    try {
      await this.#options.store.appendAudit({
        kind: 'decision',
        actor: principal === undefined ? 'unknown' : `agent:${principal.grant.agent}`,
        at: now,
        data: {
          ...toAuditDecision(decision),
          ...toAuditPrincipal(principal),
          surface: request.surface,
          requestDigest: request.digest,
          actions: toAuditActions(request.actions),
        },
      });
      return decision;
    } catch (error) {
      // SECURITY: what was not recorded did not happen; an unrecorded allow would be a blind spot.
      return denied(decision.id, FAIL_CLOSED_POLICY_ID, 'the audit log could not record the decision, so the request is denied', [
        `${this.#options.ids.next('err')}: ${describeError(error)}`,
      ]);
    }
  }

  async #countDenial(principal: Principal, now: number): Promise<void> {
    const { store, freeze } = this.#options;
    try {
      await recordDenialAndMaybeFreeze(store, principal.grant, now, freeze);
    } catch {
      // The request is already denied; failing to count it must not turn into anything else.
    }
  }
}

function denied(id: string, policyId: string, reason: string, errors: string[]): Decision {
  return { id, verdict: 'deny', reasons: [reason], policyIds: [policyId], errors };
}
