import type { Approver, ApproverScope, Clock, RandomSource, Store } from '../core/index.js';
import { FirewallError } from '../core/index.js';
import {
  UNKNOWN_APPROVER_HASH,
  assertUsableCredential,
  hashApproverCredential,
  verifyApproverCredential,
} from './approver-credential.js';
import { createTotpSecret, totpUri } from './totp.js';

/** An approver as shown: never the credential, its hash, nor the TOTP secret. */
export interface ShownApprover {
  readonly name: string;
  readonly scope: ApproverScope;
  readonly createdAt: number;
  readonly admin: boolean;
  /** Whether the approver has a TOTP secret, without which they cannot vote by code. */
  readonly totpEnrolled: boolean;
}

/**
 * What adding an approver takes. The inbox login credential is hashed and forgotten; without
 * one the approver cannot log in to the inbox until `setCredential`.
 */
export interface NewApprover extends ApproverScope {
  readonly name: string;
  readonly credential?: string;
  readonly admin?: boolean;
}

/** The first administrator: every upstream and environment. */
export interface NewAdmin {
  readonly name: string;
  readonly credential?: string;
}

/** A new approver and their TOTP enrolment, which is shown this once and never again. */
export interface EnrolledApprover {
  readonly approver: ShownApprover;
  readonly totp: { readonly secret: string; readonly uri: string };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOTP_ISSUER = 'Airlock';

/** Adds, lists, changes and removes approvers; each change is audited naming the actor. */
export class ApproverDirectory {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #random: RandomSource;

  constructor(options: {
    readonly store: Store;
    readonly clock: Clock;
    readonly random: RandomSource;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#random = options.random;
  }

  /** Adds an approver with a TOTP secret made here (server side), returned once. */
  async add(request: NewApprover, actor: string): Promise<EnrolledApprover> {
    if (!NAME.test(request.name))
      throw new FirewallError(
        'input.invalid',
        `\`${request.name}\` is not an approver name (letters, digits, . _ -)`,
      );
    if (request.upstreams.length === 0 || request.environments.length === 0) {
      throw new FirewallError(
        'input.invalid',
        'an approver needs at least one upstream and one environment (`*` for any)',
      );
    }
    if (request.credential !== undefined) assertUsableCredential(request.credential);
    const now = this.#clock.now();
    const secret = createTotpSecret(this.#random);
    const approver: Approver = {
      name: request.name,
      credentialHash:
        request.credential === undefined
          ? ''
          : await hashApproverCredential(request.credential, this.#random),
      scope: { upstreams: [...request.upstreams], environments: [...request.environments] },
      createdAt: now,
      admin: request.admin ?? false,
      totpSecret: secret,
      lastTotpStep: 0,
      credentialChangedAt: now,
    };
    await this.#store.insertApprover(approver);
    const { upstreams, environments } = approver.scope;
    await this.#audit('approver.added', actor, {
      name: approver.name,
      upstreams: [...upstreams],
      environments: [...environments],
      admin: approver.admin,
    });
    return {
      approver: toShownApprover(approver),
      totp: { secret, uri: totpUri({ issuer: TOTP_ISSUER, account: approver.name, secret }) },
    };
  }

  /** Adds the first administrator; `store.conflict` once any administrator exists. */
  async bootstrapAdmin(request: NewAdmin, actor: string): Promise<EnrolledApprover> {
    // SECURITY: bootstrap is one-time: afterwards only an administrator adds approvers.
    if ((await this.#store.listApprovers()).some((approver) => approver.admin)) {
      throw new FirewallError(
        'store.conflict',
        'an administrator exists already: an administrator adds further approvers',
      );
    }
    const credential = request.credential === undefined ? {} : { credential: request.credential };
    return this.add(
      { name: request.name, ...credential, upstreams: ['*'], environments: ['*'], admin: true },
      actor,
    );
  }

  /** Sets an approver's inbox login credential; sessions started before now end. */
  async setCredential(name: string, credential: string, actor: string): Promise<void> {
    assertUsableCredential(credential);
    const credentialHash = await hashApproverCredential(credential, this.#random);
    await this.#store.updateApprover(name, {
      credentialHash,
      credentialChangedAt: this.#clock.now(),
    });
    await this.#audit('approver.credential-changed', actor, { name });
  }

  /** Removes an approver; their past votes stay on the record. */
  async remove(name: string, actor: string): Promise<void> {
    await this.#store.removeApprover(name);
    await this.#audit('approver.removed', actor, { name });
  }

  /** Every approver, by name, without secrets. */
  async list(): Promise<ShownApprover[]> {
    return (await this.#store.listApprovers()).map(toShownApprover);
  }

  /**
   * The approver if the inbox credential is theirs. An unknown name, or an approver with no
   * credential, costs the same scrypt as a wrong credential, so neither is told apart by time.
   */
  async verifyCredential(name: string, credential: string): Promise<Approver | undefined> {
    const approver = await this.#store.getApprover(name);
    const stored =
      approver === undefined || approver.credentialHash === ''
        ? UNKNOWN_APPROVER_HASH
        : approver.credentialHash;
    const matches = await verifyApproverCredential(credential, stored);
    return matches && approver !== undefined && approver.credentialHash !== ''
      ? approver
      : undefined;
  }

  async #audit(
    kind: string,
    actor: string,
    data: Record<string, string | boolean | string[]>,
  ): Promise<void> {
    await this.#store.appendAudit({ kind, actor, at: this.#clock.now(), data });
  }
}

/** An approver as shown. */
function toShownApprover(approver: Approver): ShownApprover {
  return {
    name: approver.name,
    scope: approver.scope,
    createdAt: approver.createdAt,
    admin: approver.admin,
    totpEnrolled: approver.totpSecret !== '',
  };
}
