import type {
  Approval,
  ApprovalEvent,
  ApprovalRules,
  ApprovalState,
  Approver,
  Clock,
  RandomSource,
  Store,
} from '../core/index.js';
import {
  FirewallError,
  applyApprovalEvent,
  approverScopeViolations,
  targetsNeedingConfirmation,
} from '../core/index.js';
import { audit, compareAndSet } from './approval-gate.js';
import type { ApproverFactor } from './approver-factors.js';
import { ApproverFactors } from './approver-factors.js';
import type { FactorThrottle } from './factor-throttle.js';
import type {
  EnrolledApprover,
  NewAdmin,
  NewApprover,
  ShownApprover,
} from './approver-directory.js';
import { ApproverDirectory } from './approver-directory.js';

/** What the approval service needs. */
export interface ApprovalServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly rules: ApprovalRules;
  /** Environment names that count as production, for type-to-confirm. */
  readonly productionEnvironments: readonly string[];
  /**
   * Failed codes counted so far. One process's channels (admin API, inbox, background) share
   * one, so guesses on one channel count on every other; default: a throttle of its own.
   */
  readonly factorThrottle?: FactorThrottle;
}

const MAX_CAS_ATTEMPTS = 5;

/**
 * The human side of holds: approvers vote on approvals. Every transition goes through the one
 * state machine, is stored by compare-and-set, and is audited naming who.
 */
export class ApprovalService {
  readonly #options: ApprovalServiceOptions;
  readonly #approvers: ApproverDirectory;
  readonly #factors: ApproverFactors;

  constructor(options: ApprovalServiceOptions) {
    this.#options = options;
    this.#approvers = new ApproverDirectory(options);
    this.#factors = new ApproverFactors(options);
  }

  /**
   * Adds an approver with a TOTP secret made here; the secret and its otpauth URI are in the
   * answer this once. The inbox credential is optional (no inbox login until one is set).
   */
  async addApprover(request: NewApprover, actor: string): Promise<EnrolledApprover> {
    return this.#approvers.add(request, actor);
  }

  /** Adds the first administrator, once: `store.conflict` when an administrator exists. */
  async bootstrapAdmin(request: NewAdmin, actor: string): Promise<EnrolledApprover> {
    return this.#approvers.bootstrapAdmin(request, actor);
  }

  /** Sets an approver's inbox login credential and moves `credentialChangedAt`, ending older sessions. */
  async setCredential(name: string, credential: string, actor: string): Promise<void> {
    return this.#approvers.setCredential(name, credential, actor);
  }

  /** Removes an approver; their past votes stay on the record. */
  async removeApprover(name: string, actor: string): Promise<void> {
    return this.#approvers.remove(name, actor);
  }

  /** Every approver, by name, without credentials or secrets. */
  async listApprovers(): Promise<ShownApprover[]> {
    return this.#approvers.list();
  }

  /**
   * The approver if the inbox credential is theirs (async scrypt: never blocks the event loop);
   * an unknown name costs the same time as a wrong credential.
   */
  async verifyApprover(name: string, credential: string): Promise<Approver | undefined> {
    return this.#approvers.verifyCredential(name, credential);
  }

  /**
   * Checks a TOTP code once (replay refused), rate-limited per approver; audited on failure
   * (`approver.factor-failed`); throws approver.unauthorized / auth.throttled, and
   * approver.factor-required for an approver with no TOTP enrolled.
   */
  async verifyTotp(name: string, code: string): Promise<Approver> {
    return this.#factors.verifyTotp(name, code);
  }

  /** Requires verifyTotp AND approver.admin; throws admin.forbidden otherwise. */
  async authorizeAdmin(name: string, code: string): Promise<Approver> {
    const approver = await this.#factors.verifyTotp(name, code);
    if (!approver.admin)
      throw new FirewallError('admin.forbidden', `\`${approver.name}\` is not an administrator`);
    return approver;
  }

  /** Approvals, oldest first; those past their expiry are expired first. */
  async list(filter: { state?: ApprovalState } = {}): Promise<Approval[]> {
    const all = await this.#options.store.listApprovals();
    const current = await Promise.all(all.map((approval) => this.#expireIfDue(approval)));
    return current.filter(
      (approval) => filter.state === undefined || approval.state === filter.state,
    );
  }

  /**
   * Expires every pending or approved approval past its expiry (audited as `system`); what the
   * background timer of `airlock serve` runs. Returns those it expired.
   */
  async expireDue(): Promise<Approval[]> {
    const { store, clock } = this.#options;
    const open = [
      ...(await store.listApprovals({ state: 'pending' })),
      ...(await store.listApprovals({ state: 'approved' })),
    ];
    const due = open.filter((approval) => clock.now() >= approval.expiresAt);
    const after = await Promise.all(due.map((approval) => this.#expireIfDue(approval)));
    return after.filter((approval) => approval.state === 'expired');
  }

  /** One approval (expired first if due); `approval.not-found` if there is none. */
  async get(id: string): Promise<Approval> {
    return this.#expireIfDue(await this.#read(id));
  }

  /**
   * Records `approverName`'s approval, proven by a fresh second factor. Irreversible production
   * targets must be named in `confirm`.
   */
  async approve(
    id: string,
    approverName: string,
    factor: ApproverFactor,
    options: { confirm?: readonly string[] } = {},
  ): Promise<Approval> {
    // Confirmation is checked before the factor, so a forgotten --confirm does not use up a code.
    const pending = await this.get(id);
    const missing = targetsNeedingConfirmation(
      pending,
      this.#options.productionEnvironments,
    ).filter((t) => !(options.confirm ?? []).includes(t));
    if (missing.length > 0) {
      const named = missing.map((t) => `\`${t}\``).join(', ');
      throw new FirewallError(
        'approval.confirm-required',
        `approval \`${id}\` deletes or changes irreversibly in production: confirm by typing the target id ${named}`,
        { details: missing },
      );
    }
    const approver = await this.#factors.verify(approverName, factor);
    // The actions an approval covers never change, so the scope is checked on what was read.
    const violations = approverScopeViolations(approver.scope, pending);
    if (violations.length > 0) {
      throw new FirewallError(
        'approval.refused',
        `\`${approverName}\` may not approve \`${id}\`: ${violations.join('; ')}`,
        { details: violations },
      );
    }
    return this.#transition(
      id,
      { type: 'approve', actor: `human:${approver.name}` },
      'approval.approved',
    );
  }

  /** Records `approverName`'s denial, proven by a fresh second factor; by default it ends the approval. */
  async deny(
    id: string,
    approverName: string,
    factor: ApproverFactor,
    reason?: string,
  ): Promise<Approval> {
    const approver = await this.#factors.verify(approverName, factor);
    const event: ApprovalEvent = {
      type: 'deny',
      actor: `human:${approver.name}`,
      ...(reason === undefined ? {} : { reason }),
    };
    return this.#transition(id, event, 'approval.denied', reason);
  }

  /**
   * Cancels as an approver, proven by a fresh second factor: any approver may (stopping is the
   * safe direction), within the undo window of a delayed action too.
   */
  async cancelAsApprover(
    id: string,
    approverName: string,
    factor: ApproverFactor,
  ): Promise<Approval> {
    const approver = await this.#factors.verify(approverName, factor);
    return this.cancel(id, `human:${approver.name}`);
  }

  /** Cancels a pending or approved approval. */
  async cancel(id: string, actor: string): Promise<Approval> {
    return this.#transition(id, { type: 'cancel', actor }, 'approval.cancelled');
  }

  async #transition(
    id: string,
    event: ApprovalEvent & { actor: string },
    kind: string,
    reason?: string,
  ): Promise<Approval> {
    const { clock, rules } = this.#options;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      const now = clock.now();
      const next = applyApprovalEvent(current, event, now, rules);
      if (!next.ok) {
        const expired = next.error.code === 'expired' || current.state === 'expired';
        const code = expired ? 'approval.expired' : 'approval.refused';
        throw new FirewallError(code, next.error.message);
      }
      // Another approver or replica changed it meanwhile: re-read and re-apply.
      const stored = await compareAndSet(this.#options, next.value, current.version);
      if (stored === undefined) continue;
      await this.#auditOrUndo(kind, event.actor, stored, now, reason);
      return stored;
    }
    throw new FirewallError('store.conflict', `approval \`${id}\` kept changing; try again`);
  }

  async #auditOrUndo(
    kind: string,
    actor: string,
    approval: Approval,
    now: number,
    reason: string | undefined,
  ): Promise<void> {
    try {
      await audit(
        this.#options,
        kind,
        actor,
        approval,
        now,
        reason === undefined ? {} : { reason },
      );
    } catch (error) {
      // SECURITY: a vote that is not on the record must not count; cancel the approval.
      const cancelled = applyApprovalEvent(
        approval,
        { type: 'cancel', actor: 'system' },
        now,
        this.#options.rules,
      );
      if (cancelled.ok)
        await compareAndSet(this.#options, cancelled.value, approval.version).catch(
          () => undefined,
        );
      throw error;
    }
  }

  async #expireIfDue(approval: Approval): Promise<Approval> {
    const now = this.#options.clock.now();
    const expired = applyApprovalEvent(approval, { type: 'expire' }, now, this.#options.rules);
    if (!expired.ok) return approval;
    const stored = await compareAndSet(this.#options, expired.value, approval.version);
    if (stored === undefined) return this.#read(approval.id);
    await audit(this.#options, 'approval.expired', 'system', stored, now);
    return stored;
  }

  async #read(id: string): Promise<Approval> {
    const approval = await this.#options.store.getApproval(id);
    if (approval === undefined)
      throw new FirewallError('approval.not-found', `no approval \`${id}\``);
    return approval;
  }
}
