import type {
  Approval,
  ApprovalRules,
  Clock,
  DelayedActionResultV1,
  DelayedActionV1,
  HeldRequestV1,
  Store,
} from '../core/index.js';
import { applyApprovalEvent, describeError, isFirewallError } from '../core/index.js';
import { audit, compareAndSet } from './approval-gate.js';
import { MAX_GRANT_DEPTH } from './authenticate.js';

/** Sends a held request to its upstream with Airlock's credential; throws when no answer came. */
export type HeldRequestRunner = (request: HeldRequestV1) => Promise<DelayedActionResultV1>;

/** What the undo executor needs. */
export interface UndoExecutorOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly rules: ApprovalRules;
  /** The runner for a held request's upstream and surface; undefined when none is configured. */
  readonly runnerFor: (request: HeldRequestV1) => HeldRequestRunner | undefined;
}

/**
 * Runs delayed actions once their undo window has passed: claim (approval `approved` →
 * `executed` and action `waiting` → `running`, one compare-and-set transaction), audit, send,
 * record the answer. Driven by a timer in `airlock serve`; tests call `tick` with a fake clock.
 *
 * Exactly once, even across crashes: an action is claimed before it is sent, and a claimed
 * action is never sent again. One that was claimed but has no recorded answer (the process died,
 * or the connection failed) becomes `unknown` and is audited as `approval.outcome-unknown`: it
 * may or may not have run, and a human must look. Assumes one executor per store. Revoking or
 * freezing the agent's grant during the window cancels the action instead.
 */
export class UndoExecutor {
  readonly #options: UndoExecutorOptions;

  constructor(options: UndoExecutorOptions) {
    this.#options = options;
  }

  /** At start: actions a previous process claimed but never finished become `unknown`. */
  async recover(): Promise<DelayedActionV1[]> {
    const { store } = this.#options;
    const interrupted = await store.listDelayedActions({ status: 'running' });
    const marked: DelayedActionV1[] = [];
    for (const action of interrupted) {
      const note =
        'airlock stopped while this ran: it may or may not have reached the upstream, so it is not run again';
      marked.push(
        await this.#finish(
          action.approvalId,
          'running',
          { status: 'unknown', note },
          'approval.outcome-unknown',
        ),
      );
    }
    return marked;
  }

  /** Runs every delayed action whose undo window has passed; returns the approval ids it ran. */
  async tick(): Promise<string[]> {
    const { store, clock } = this.#options;
    const approved = await store.listApprovals({ state: 'approved' });
    const due = approved.filter(
      (a) => a.undoWindowMs !== undefined && a.runAt !== undefined && clock.now() >= a.runAt,
    );
    const ran: string[] = [];
    for (const approval of due) if (await this.#runOne(approval)) ran.push(approval.id);
    return ran;
  }

  async #runOne(approval: Approval): Promise<boolean> {
    const { store, clock, rules } = this.#options;
    const now = clock.now();
    const action = await store.getDelayedAction(approval.id);
    if (action === undefined)
      return this.#withdraw(
        approval,
        now,
        'the held request was not stored, so airlock cannot run it',
      );
    // SECURITY: revoking or freezing the agent's grant during the undo window stops the action.
    const stopped = await this.#grantStopped(approval.grantId);
    if (stopped !== undefined)
      return this.#withdraw(approval, now, `${stopped}, so airlock does not run it`);
    const executed = applyApprovalEvent(approval, { type: 'execute' }, now, rules);
    if (!executed.ok || action.status !== 'waiting') return false;
    let claimed: Approval;
    try {
      claimed = await store.claimDelayedAction(executed.value, approval.version, now);
    } catch (error) {
      // Cancelled, expired or claimed meanwhile: then it is not ours to run.
      if (isFirewallError(error, 'store.conflict')) return false;
      throw error;
    }
    try {
      await audit(this.#options, 'approval.executed', 'system', claimed, now, {
        reason: 'the undo window passed; airlock runs it',
      });
    } catch (error) {
      // SECURITY: what is not on the record does not run.
      await this.#finish(approval.id, 'running', {
        status: 'not-run',
        note: `not run: ${describeError(error)}`,
      });
      return false;
    }
    await this.#send(action);
    return true;
  }

  async #send(action: DelayedActionV1): Promise<void> {
    const runner = this.#options.runnerFor(action.request);
    if (runner === undefined) {
      const note = `not run: no upstream \`${action.request.upstream}\` is configured to run it`;
      await this.#finish(
        action.approvalId,
        'running',
        { status: 'not-run', note },
        'approval.not-run',
      );
      return;
    }
    let result: DelayedActionResultV1;
    try {
      result = await runner(action.request);
    } catch (error) {
      const note = `no answer from the upstream (${describeError(error)}): it may or may not have run, so it is not run again`;
      await this.#finish(
        action.approvalId,
        'running',
        { status: 'unknown', note },
        'approval.outcome-unknown',
      );
      return;
    }
    await this.#finish(
      action.approvalId,
      'running',
      { status: 'done', result },
      'approval.ran',
      `the upstream answered HTTP ${result.status}`,
    );
  }

  async #finish(
    approvalId: string,
    from: 'running',
    next: { status: 'done' | 'unknown' | 'not-run'; result?: DelayedActionResultV1; note?: string },
    kind?: string,
    reason?: string,
  ): Promise<DelayedActionV1> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const finished = await store.finishDelayedAction(approvalId, from, {
      ...next,
      finishedAt: now,
    });
    const approval = await store.getApproval(approvalId);
    if (kind !== undefined && approval !== undefined)
      await audit(this.#options, kind, 'system', approval, now, {
        reason: reason ?? next.note ?? '',
      });
    return finished;
  }

  // Why the grant (or an ancestor) no longer stands behind its request: revoked or frozen.
  async #grantStopped(grantId: string): Promise<string | undefined> {
    let id: string | undefined = grantId;
    for (let depth = 0; id !== undefined && depth <= MAX_GRANT_DEPTH; depth++) {
      const grant = await this.#options.store.getGrant(id);
      if (grant === undefined) return `grant \`${id}\` no longer exists`;
      if (grant.revokedAt !== undefined) return `grant \`${grant.id}\` was revoked`;
      if (grant.frozenAt !== undefined) return `grant \`${grant.id}\` is frozen`;
      id = grant.parentId;
    }
    return undefined;
  }

  // An approval that can no longer run is cancelled by the system, audited with why.
  async #withdraw(approval: Approval, now: number, reason: string): Promise<false> {
    const cancelled = applyApprovalEvent(
      approval,
      { type: 'cancel', actor: 'system' },
      now,
      this.#options.rules,
    );
    if (!cancelled.ok) return false;
    const stored = await compareAndSet(this.#options, cancelled.value, approval.version);
    if (stored !== undefined)
      await audit(this.#options, 'approval.cancelled', 'system', stored, now, { reason });
    return false;
  }
}
