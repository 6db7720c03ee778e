import type {
  Action,
  Approval,
  ClassifiedRequest,
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
  LruCache,
  describeError,
  toDecision,
} from '../core/index.js';
import { AgentSession } from './agent-session.js';
import type { ApprovalOptions } from './approval-gate.js';
import { resolveHold, returnExecuted } from './approval-gate.js';
import type { UndoRule } from './undo-rules.js';
import { toAuditActions, toAuditDecision, toAuditPrincipal } from './audit-data.js';
import type { Authentication } from './authenticate.js';
import { authenticate } from './authenticate.js';
import { DecisionReuse } from './decision-reuse.js';
import type { DecideOptions } from './decide-action.js';
import { decideAction } from './decide-action.js';
import type { FreezePolicy } from './freeze.js';
import { recordDenialAndMaybeFreeze } from './freeze.js';

/**
 * One request as an adapter hands it over: classified (`ClassifiedRequest`), with what the
 * firewall needs beside it to hold it for a human.
 */
export interface JudgeRequest extends ClassifiedRequest {
  readonly surface: SurfaceKind;
  /**
   * How the audit log names the requests that reuse an allow of `reuseKey` (scrubbed of secrets,
   * free of values); default the actions' operations.
   */
  readonly reuseShape?: string;
  /** The request as Airlock could run it itself after an undo window (see `UndoRule`). */
  readonly replay?: () => HeldRequestV1;
  /** What will run, decoded for approvers; built only when the request is held. */
  readonly shown?: () => ApprovalRequestV1;
}

/**
 * Where reused decisions of one adapter live: requests of one surface to one upstream (as
 * configured: what the actions name). Keys of different scopes never meet.
 */
export interface ReuseScope {
  readonly surface: SurfaceKind;
  readonly upstream: string;
}

/** Who a request is from: the connection's session (`Firewall.authenticate`), or a one-shot request's token. */
export type Caller = AgentSession | string;

/**
 * The outcome of `Firewall.authenticate`: the connection's session, or why there is none.
 * `unavailable` says Airlock could not check the token (its store failed), so the caller can
 * answer "try again later" rather than "bad password"; `refused` says the token is not live.
 */
export type SessionAuthentication =
  | { readonly ok: true; readonly session: AgentSession }
  | { readonly ok: false; readonly failure: 'refused' | 'unavailable'; readonly reason: string };

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

/** The approval a decision executed, at the version its execution stored. */
interface Returnable {
  readonly approvalId: string;
  readonly version: number;
}

/**
 * The pipeline's middle: authenticate → decide → audit. It fails closed: any error is a deny
 * with an error id, and a decision that cannot be written to the audit log is a deny too.
 *
 * @example
 * const who = await firewall.authenticate(token); // once per connection
 * if (!who.ok) return refuse(who.reason);
 * const { decision } = await firewall.judge({ surface: 'graphql', ...classified, shown }, who.session);
 */
export class Firewall {
  readonly #options: FirewallOptions;
  readonly #returnable = new LruCache<string, Returnable>(MAX_RETURNABLE_DECISIONS);
  // Decision reuse, by surface then upstream (two lookups of strings the caller already holds).
  readonly #reuse = new Map<SurfaceKind, Map<string, DecisionReuse>>();

  constructor(options: FirewallOptions) {
    this.#options = options;
  }

  /**
   * Authenticates a connection's token once: the session it gives is passed to every `judge`
   * of the connection, which asks the store again only when the check is older than
   * `AUTHENTICATION_RECHECK_MS` (or the grant expired, or this firewall froze it). Never throws:
   * a store failure is a failed authentication.
   */
  async authenticate(token: string): Promise<SessionAuthentication> {
    const now = this.#options.clock.now();
    try {
      const found = await authenticate(this.#options.store, token, now);
      return found.ok
        ? { ok: true, session: new AgentSession(token, found.principal, now) }
        : { ok: false, failure: 'refused', reason: found.reason };
    } catch {
      return { ok: false, failure: 'unavailable', reason: 'airlock could not check the token' };
    }
  }

  /**
   * Judges a request for `who` (the connection's session, or the token of a one-shot request);
   * never throws, never allows what it could not record. A request with a `reuseKey` whose
   * allow was recorded for the same token within `DECISION_REUSE_LIFETIME_MS`, under the same
   * policy and with its targets placed the same way, reuses that allow and is counted on the
   * audit log (`decision.reused`) instead of judged anew; an allowed one is remembered so.
   */
  async judge(request: JudgeRequest, who: Caller): Promise<Judgment> {
    const token = typeof who === 'string' ? who : who.token;
    const scope = request.reuseKey === undefined ? undefined : this.#scopeOf(request);
    if (scope !== undefined && request.reuseKey !== undefined) {
      const reused = scope.reuse(token, request.reuseKey, placementOf(request.actions));
      if (reused !== undefined) return reused;
    }
    const judgment = await this.#judgeInFull(request, who);
    if (scope !== undefined && request.reuseKey !== undefined && reusableActions(request.actions)) {
      const shape =
        request.reuseShape ?? request.actions.map((action) => action.operation).join(', ');
      scope.remember(
        token,
        request.reuseKey,
        shape,
        judgment.decision,
        judgment.principal,
        placementOf(request.actions),
      );
    }
    return judgment;
  }

  /**
   * The hot path, synchronous: the allow recorded in `scope` for requests of `reuseKey` that
   * `who` may reuse now, counted on the audit log; undefined when the request must go to
   * `judge`. The caller guarantees that where targets are placed cannot differ between requests
   * of one key in the scope (a PostgreSQL upstream's environment is configured, not resolved).
   */
  reused(scope: ReuseScope, reuseKey: string, who: Caller): Judgment | undefined {
    return this.#reuse
      .get(scope.surface)
      ?.get(scope.upstream)
      ?.reuse(typeof who === 'string' ? who : who.token, reuseKey);
  }

  /**
   * Counts one more run allowed by an earlier recorded `judgment` that needs no new one (an
   * Execute of a prepared statement within its recheck interval), written with the reuse counts
   * of `scope`; `describe` gives the audit log's text for `key`, asked once per record. False
   * when it cannot be counted (the audit log failed since): judge it in full.
   */
  tally(
    scope: ReuseScope,
    key: string,
    describe: () => string,
    judgment: Judgment,
    who: Caller,
  ): boolean {
    const token = typeof who === 'string' ? who : who.token;
    return this.#reuseIn(scope.surface, scope.upstream).tally(
      token,
      key,
      describe,
      judgment.decision,
      judgment.principal,
    );
  }

  /** Writes the reuse counts of `scope` still pending and forgets its decisions (an adapter closing). */
  async endReuse(scope: ReuseScope): Promise<void> {
    const reuse = this.#reuse.get(scope.surface)?.get(scope.upstream);
    if (reuse === undefined) return;
    this.#reuse.get(scope.surface)?.delete(scope.upstream);
    await reuse.close();
  }

  /** Writes every reuse count still pending and stops reusing decisions. */
  async close(): Promise<void> {
    const all = [...this.#reuse.values()].flatMap((ofSurface) => [...ofSurface.values()]);
    this.#reuse.clear();
    await Promise.all(all.map((reuse) => reuse.close()));
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

  async #judgeInFull(request: JudgeRequest, who: Caller): Promise<Judgment> {
    const { clock, ids } = this.#options;
    const id = ids.next('dec');
    const now = clock.now();
    let principal: Principal | undefined;
    let decision: Decision;
    let executed: Approval | undefined;
    try {
      const authentication = await this.#authenticationOf(who, now);
      if (authentication.ok) {
        principal = authentication.principal;
        decision = this.#decide(id, principal, request.actions);
        if (decision.verdict === 'hold')
          ({ decision, executed } = await resolveHold(this.#options, principal, request, decision));
      } else {
        decision = denied(id, AUTHENTICATION_POLICY_ID, authentication.reason, []);
      }
    } catch (error) {
      decision = denied(
        id,
        FAIL_CLOSED_POLICY_ID,
        'airlock failed while deciding, so the request is denied',
        [`${ids.next('err')}: ${describeError(error)}`],
      );
    }
    decision = await this.#record(request, principal, decision, now);
    if (executed !== undefined && decision.verdict === 'allow') {
      this.#returnable.set(decision.id, { approvalId: executed.id, version: executed.version });
    }
    if (decision.verdict === 'deny' && principal !== undefined) {
      const froze = await this.#countDenial(principal, now);
      if (froze && who instanceof AgentSession) who.expire();
    }
    return { decision, principal };
  }

  /** Who `who` is now: a fresh session as it stands, anything else asked of the store. */
  async #authenticationOf(who: Caller, now: number): Promise<Authentication> {
    if (typeof who === 'string') return authenticate(this.#options.store, who, now);
    if (who.isFresh(now)) return { ok: true, principal: who.principal };
    const again = await authenticate(this.#options.store, who.token, now);
    who.renew(again, now);
    return again;
  }

  /** The reuse of the request's scope, made on first use; undefined when it names no one upstream. */
  #scopeOf(request: JudgeRequest): DecisionReuse | undefined {
    const upstream = request.actions[0]?.upstream;
    if (upstream === undefined || request.actions.some((action) => action.upstream !== upstream))
      return undefined;
    return this.#reuseIn(request.surface, upstream);
  }

  #reuseIn(surface: SurfaceKind, upstream: string): DecisionReuse {
    let ofSurface = this.#reuse.get(surface);
    if (ofSurface === undefined) this.#reuse.set(surface, (ofSurface = new Map()));
    let reuse = ofSurface.get(upstream);
    if (reuse === undefined)
      ofSurface.set(upstream, (reuse = new DecisionReuse(this, { surface })));
    return reuse;
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
      return denied(
        decision.id,
        FAIL_CLOSED_POLICY_ID,
        'the audit log could not record the decision, so the request is denied',
        [`${this.#options.ids.next('err')}: ${describeError(error)}`],
      );
    }
  }

  /** Counts a denial; true when it froze the grant. */
  async #countDenial(principal: Principal, now: number): Promise<boolean> {
    const { store, freeze } = this.#options;
    try {
      return (await recordDenialAndMaybeFreeze(store, principal.grant, now, freeze)) !== undefined;
    } catch {
      // The request is already denied; failing to count it must not turn into anything else.
      return false;
    }
  }
}

// SECURITY: only reads and writes are ever reused (a PostgreSQL write shape counts its rows on
// every run); anything destructive, unknown or running a program is judged every time, whatever
// a classifier's key says.
function reusableActions(actions: readonly Action[]): boolean {
  return (
    actions.length > 0 &&
    actions.every((action) => action.effect === 'read' || action.effect === 'write')
  );
}

/** Where a request's targets were placed: an allow is reused only for the same placement. */
function placementOf(actions: readonly Action[]): string {
  let placement = '';
  for (const action of actions) {
    for (const target of action.targets)
      placement += `\u0000${target.type}\u0000${target.id}\u0000${target.environment ?? ''}`;
  }
  return placement;
}

function denied(id: string, policyId: string, reason: string, errors: string[]): Decision {
  return { id, verdict: 'deny', reasons: [reason], policyIds: [policyId], errors };
}
