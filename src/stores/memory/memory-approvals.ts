import type { Approval, ApprovalState, Approver, ApproverPatch } from '../../core/index.js';
import { FirewallError } from '../../core/index.js';

/**
 * Approvals and approvers held in memory, for `MemoryStore`. Copies go in and out through JSON
 * text, as in the SQLite store, so explicit undefineds vanish and no caller shares state.
 */
export class MemoryApprovals {
  // Map iteration follows insertion order, which breaks ties in "oldest first".
  readonly #approvals = new Map<string, Approval>();
  readonly #approvers = new Map<string, Approver>();

  insertApproval(approval: Approval): void {
    if (this.#approvals.has(approval.id)) {
      throw new FirewallError('store.conflict', `approval \`${approval.id}\` exists already`);
    }
    if (
      approval.state === 'pending' &&
      this.#pendingFor(approval.grantId, approval.requestDigest) !== undefined
    ) {
      throw new FirewallError(
        'store.conflict',
        `an approval for this request of grant \`${approval.grantId}\` is pending already`,
      );
    }
    this.#approvals.set(approval.id, copy(approval));
  }

  getApproval(id: string): Approval | undefined {
    const found = this.#approvals.get(id);
    return found === undefined ? undefined : copy(found);
  }

  listApprovals(filter: { state?: ApprovalState }): Approval[] {
    const all = [...this.#approvals.values()].filter(
      (a) => filter.state === undefined || a.state === filter.state,
    );
    // Array.prototype.sort is stable, so equal times keep insertion order.
    return all.sort((a, b) => a.createdAt - b.createdAt).map(copy);
  }

  updateApproval(next: Approval, expectedVersion: number): Approval {
    const current = this.#approvals.get(next.id);
    if (current === undefined)
      throw new FirewallError('approval.not-found', `approval \`${next.id}\` not found`);
    // INVARIANT: compare-and-set; a stale writer never overwrites a newer state.
    if (current.version !== expectedVersion) {
      throw new FirewallError(
        'store.conflict',
        `approval \`${next.id}\` changed since version ${expectedVersion}`,
      );
    }
    const stored = copy({ ...next, version: expectedVersion + 1 });
    this.#approvals.set(next.id, stored);
    return copy(stored);
  }

  findApprovalForRequest(grantId: string, requestDigest: string): Approval | undefined {
    const matching = this.listApprovals({}).filter(
      (a) => a.grantId === grantId && a.requestDigest === requestDigest,
    );
    return matching.at(-1);
  }

  insertApprover(approver: Approver): void {
    if (this.#approvers.has(approver.name)) {
      throw new FirewallError('store.conflict', `approver \`${approver.name}\` exists already`);
    }
    this.#approvers.set(approver.name, copy(approver));
  }

  getApprover(name: string): Approver | undefined {
    const found = this.#approvers.get(name);
    return found === undefined ? undefined : copy(found);
  }

  listApprovers(): Approver[] {
    return [...this.#approvers.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(copy);
  }

  removeApprover(name: string): void {
    if (!this.#approvers.delete(name))
      throw new FirewallError('approver.not-found', `approver \`${name}\` not found`);
  }

  updateApprover(name: string, patch: ApproverPatch): Approver {
    const current = this.#approvers.get(name);
    if (current === undefined)
      throw new FirewallError('approver.not-found', `approver \`${name}\` not found`);
    const { credentialHash, credentialChangedAt, totpSecret } = patch;
    const next: Approver = {
      ...current,
      ...(credentialHash === undefined ? {} : { credentialHash }),
      ...(credentialChangedAt === undefined ? {} : { credentialChangedAt }),
      ...(totpSecret === undefined ? {} : { totpSecret }),
    };
    this.#approvers.set(name, copy(next));
    return copy(next);
  }

  useTotpStep(name: string, step: number): boolean {
    const current = this.#approvers.get(name);
    // INVARIANT: the step only moves up; a step at or below the stored one is a replay.
    if (current === undefined || step <= current.lastTotpStep) return false;
    this.#approvers.set(name, { ...current, lastTotpStep: step });
    return true;
  }

  #pendingFor(grantId: string, requestDigest: string): Approval | undefined {
    return [...this.#approvals.values()].find(
      (a) => a.state === 'pending' && a.grantId === grantId && a.requestDigest === requestDigest,
    );
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
