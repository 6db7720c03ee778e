import type { Approval, ApprovalEvent, ApprovalRules, ApprovalState, Approver, ApproverScope, Clock, RandomSource, Store } from '../core/index.js';
import { FirewallError, applyApprovalEvent, approverScopeViolations, targetsNeedingConfirmation } from '../core/index.js';
import { audit, compareAndSet } from './approval-gate.js';
import { UNKNOWN_APPROVER_HASH, assertUsableCredential, hashApproverCredential, verifyApproverCredential } from './approver-credential.js';

/** What the approval service needs. */
export interface ApprovalServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly rules: ApprovalRules;
  /** Environment names that count as production, for type-to-confirm. */
  readonly productionEnvironments: readonly string[];
}

/** An approver as shown: never the credential, nor its hash. */
export interface ShownApprover {
  readonly name: string;
  readonly scope: ApproverScope;
  readonly createdAt: number;
}

/** What adding an approver takes; the credential is hashed and forgotten. */
export interface NewApprover extends ApproverScope {
  readonly name: string;
  readonly credential: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CAS_ATTEMPTS = 5;

/**
 * The human side of holds: approvers vote on approvals. Every transition goes through the one
 * state machine, is stored by compare-and-set, and is audited naming who.
 */
export class ApprovalService {
  readonly #options: ApprovalServiceOptions;

  constructor(options: ApprovalServiceOptions) {
    this.#options = options;
  }

  /** Adds an approver with a hashed credential; returns nothing secret. */
  async addApprover(request: NewApprover, actor: string): Promise<ShownApprover> {
    const { store, clock, random } = this.#options;
    if (!NAME.test(request.name)) throw new FirewallError('input.invalid', `\`${request.name}\` is not an approver name (letters, digits, . _ -)`);
    if (request.upstreams.length === 0 || request.environments.length === 0) {
      throw new FirewallError('input.invalid', 'an approver needs at least one upstream and one environment (`*` for any)');
    }
    assertUsableCredential(request.credential);
    const approver: Approver = {
      name: request.name,
      credentialHash: hashApproverCredential(request.credential, random),
      scope: { upstreams: [...request.upstreams], environments: [...request.environments] },
      createdAt: clock.now(),
    };
    await store.insertApprover(approver);
    await store.appendAudit({ kind: 'approver.added', actor, at: approver.createdAt, data: { name: approver.name, upstreams: [...approver.scope.upstreams], environments: [...approver.scope.environments] } });
    return toShown(approver);
  }

  /** Removes an approver; their past votes stay on the record. */
  async removeApprover(name: string, actor: string): Promise<void> {
    await this.#options.store.removeApprover(name);
    await this.#options.store.appendAudit({ kind: 'approver.removed', actor, at: this.#options.clock.now(), data: { name } });
  }

  /** Every approver, by name, without credentials. */
  async listApprovers(): Promise<ShownApprover[]> {
    return (await this.#options.store.listApprovers()).map(toShown);
  }

  /** The approver if the credential is theirs; an unknown name costs the same time as a wrong credential. */
  async verifyApprover(name: string, credential: string): Promise<Approver | undefined> {
    const approver = await this.#options.store.getApprover(name);
    const matches = verifyApproverCredential(credential, approver?.credentialHash ?? UNKNOWN_APPROVER_HASH);
    return matches ? approver : undefined;
  }

  /** Approvals, oldest first; those past their expiry are expired first. */
  async list(filter: { state?: ApprovalState } = {}): Promise<Approval[]> {
    const all = await this.#options.store.listApprovals();
    const current = await Promise.all(all.map((approval) => this.#expireIfDue(approval)));
    return current.filter((approval) => filter.state === undefined || approval.state === filter.state);
  }

  /**
   * Expires every pending or approved approval past its expiry (audited as `system`); what the
   * background timer of `airlock serve` runs. Returns those it expired.
   */
  async expireDue(): Promise<Approval[]> {
    const { store, clock } = this.#options;
    const open = [...(await store.listApprovals({ state: 'pending' })), ...(await store.listApprovals({ state: 'approved' }))];
    const due = open.filter((approval) => clock.now() >= approval.expiresAt);
    const after = await Promise.all(due.map((approval) => this.#expireIfDue(approval)));
    return after.filter((approval) => approval.state === 'expired');
  }

  /** One approval (expired first if due); `approval.not-found` if there is none. */
  async get(id: string): Promise<Approval> {
    return this.#expireIfDue(await this.#read(id));
  }

  /**
   * Records `approverName`'s approval. The credential is verified when given; leave it out only
   * where the caller has authenticated the approver already (a web session). Irreversible
   * production targets must be named in `confirm`.
   */
  async approve(id: string, approverName: string, credential?: string, options: { confirm?: readonly string[] } = {}): Promise<Approval> {
    const approver = await this.#authenticate(approverName, credential);
    const approval = await this.get(id);
    const violations = approverScopeViolations(approver.scope, approval);
    if (violations.length > 0) {
      throw new FirewallError('approval.refused', `\`${approverName}\` may not approve \`${id}\`: ${violations.join('; ')}`, { details: violations });
    }
    const missing = targetsNeedingConfirmation(approval, this.#options.productionEnvironments).filter((t) => !(options.confirm ?? []).includes(t));
    if (missing.length > 0) {
      const named = missing.map((t) => `\`${t}\``).join(', ');
      throw new FirewallError('approval.confirm-required', `approval \`${id}\` deletes or changes irreversibly in production: confirm by typing the target id ${named}`, { details: missing });
    }
    return this.#transition(id, { type: 'approve', actor: `human:${approver.name}` }, 'approval.approved');
  }

  /** Records `approverName`'s denial; by default it ends the approval. */
  async deny(id: string, approverName: string, reason?: string, credential?: string): Promise<Approval> {
    const approver = await this.#authenticate(approverName, credential);
    const event: ApprovalEvent = { type: 'deny', actor: `human:${approver.name}`, ...(reason === undefined ? {} : { reason }) };
    return this.#transition(id, event, 'approval.denied', reason);
  }

  /**
   * Cancels as an approver: any approver may (stopping is the safe direction), within the undo
   * window of a delayed action too. The credential is verified when given, as for `approve`.
   */
  async cancelAsApprover(id: string, approverName: string, credential?: string): Promise<Approval> {
    const approver = await this.#authenticate(approverName, credential);
    return this.cancel(id, `human:${approver.name}`);
  }

  /** Cancels a pending or approved approval. */
  async cancel(id: string, actor: string): Promise<Approval> {
    return this.#transition(id, { type: 'cancel', actor }, 'approval.cancelled');
  }

  async #authenticate(name: string, credential: string | undefined): Promise<Approver> {
    const approver = credential === undefined ? await this.#options.store.getApprover(name) : await this.verifyApprover(name, credential);
    // SECURITY: one message for an unknown name and a wrong credential, so neither is probed.
    if (approver === undefined) throw new FirewallError('approver.unauthorized', 'unknown approver or wrong credential');
    return approver;
  }

  async #transition(id: string, event: ApprovalEvent & { actor: string }, kind: string, reason?: string): Promise<Approval> {
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

  async #auditOrUndo(kind: string, actor: string, approval: Approval, now: number, reason: string | undefined): Promise<void> {
    try {
      await audit(this.#options, kind, actor, approval, now, reason === undefined ? {} : { reason });
    } catch (error) {
      // SECURITY: a vote that is not on the record must not count; cancel the approval.
      const cancelled = applyApprovalEvent(approval, { type: 'cancel', actor: 'system' }, now, this.#options.rules);
      if (cancelled.ok) await compareAndSet(this.#options, cancelled.value, approval.version).catch(() => undefined);
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
    if (approval === undefined) throw new FirewallError('approval.not-found', `no approval \`${id}\``);
    return approval;
  }
}

function toShown(approver: Approver): ShownApprover {
  return { name: approver.name, scope: approver.scope, createdAt: approver.createdAt };
}
