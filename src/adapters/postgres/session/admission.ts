import { APPROVAL_POLICY_ID } from '../../../core/index.js';
import type { Decision } from '../../../core/index.js';
import type { AgentSession } from '../../../firewall/index.js';
import { scrubText } from '../../shared/index.js';
import { refusalFor, snapshotFailedError, unavailableError } from '../respond.js';
import type { GatedStatement, StatementGate } from './gate.js';
import type { SessionOptions } from './relay.js';

/**
 * Whether a statement the gate judged may run now, for one session: the error that answers a
 * statement that may not (a hold's HINT says how to approve it), or the snapshot taken first of
 * what an allowed destructive statement will destroy, after the session drained what it sent.
 */
export class Admission {
  readonly #drain: () => Promise<void>;
  readonly #agent: AgentSession;
  readonly #gate: StatementGate;
  readonly #options: SessionOptions;
  constructor(
    options: SessionOptions,
    gate: StatementGate,
    agent: AgentSession,
    /** Sends what the session holds and waits until the server answered everything sent. */
    drain: () => Promise<void>,
  ) {
    this.#drain = drain;
    this.#agent = agent;
    this.#gate = gate;
    this.#options = options;
  }

  /** The error answering a decision that is not an allow, naming the statement's actions. */
  refusal(gated: GatedStatement): Buffer {
    return refusalFor(gated.decision, this.#options.approvalsUrl, {
      ...this.#options.hint,
      actions: gated.classified.actions,
    });
  }

  /** The error answering an opaque request (a FunctionCall) that was not allowed or not judged. */
  refusalOfOpaque(decision: Decision | undefined): Buffer {
    return decision === undefined
      ? unavailableError()
      : refusalFor(decision, this.#options.approvalsUrl, this.#options.hint);
  }

  /** Undefined when the statement may run now (its snapshot taken if it destroys); else the error to answer. */
  async refusalOrSnapshot(gated: GatedStatement | undefined): Promise<Buffer | undefined> {
    if (gated === undefined) return unavailableError();
    if (gated.decision.verdict !== 'allow') return this.refusal(gated);
    if (!gated.classified.destroys) return undefined;
    const snapshot = this.#options.snapshot;
    try {
      // SECURITY: without a vault nothing destructive runs; a snapshot that fails blocks the statement.
      if (snapshot === undefined) throw new Error('no vault');
      // What the session sent before this statement is committed (or not) before the dump looks.
      await this.#drain();
      await snapshot(gated);
      return undefined;
    } catch (error) {
      // The statement does not run, so an approval it spent is given back for the retry.
      const why = error instanceof Error ? error.message : 'the snapshot failed';
      const returned = await this.#gate.returnApproval(
        gated.decision,
        `its snapshot failed (${scrubText(why, [this.#agent.token])}), so it did not run`,
      );
      const approved = gated.decision.policyIds.includes(APPROVAL_POLICY_ID);
      return snapshotFailedError(returned ? 'kept' : approved ? 'used' : 'none');
    }
  }
}
