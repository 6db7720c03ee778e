import type { Approver, Clock, Store } from '../core/index.js';
import { FirewallError } from '../core/index.js';
import { FactorThrottle } from './factor-throttle.js';
import { matchTotp } from './totp.js';

/**
 * The second factor that comes with each vote: a TOTP code (CLI, admin API, webhooks), or a
 * passkey assertion the inbox verified at `verifiedAt` just before passing the vote on.
 */
export type ApproverFactor =
  | { readonly kind: 'totp'; readonly code: string }
  | { readonly kind: 'passkey'; readonly verifiedAt: number };

/** How long after the inbox verified a passkey assertion it may still carry a vote. */
export const PASSKEY_FACTOR_MAX_AGE_MS = 2 * 60_000;

// Longest name written to the audit log for a failure; real names are at most 64 characters.
const MAX_AUDITED_NAME_CHARS = 64;

/** Why a factor was refused, as recorded in `approver.factor-failed` (never the code). */
type FactorFailure =
  'wrong-code' | 'replayed' | 'throttled' | 'not-enrolled' | 'stale' | 'unknown-approver';

/**
 * Checks approvers' second factors: each TOTP step is accepted once (compare-and-set in the
 * store, so two replicas cannot both take it), failed codes are throttled per approver, and
 * every refusal is audited as `approver.factor-failed` with the name and channel only.
 */
export class ApproverFactors {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #throttle: FactorThrottle;

  constructor(options: {
    readonly store: Store;
    readonly clock: Clock;
    readonly factorThrottle?: FactorThrottle;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#throttle = options.factorThrottle ?? new FactorThrottle({ clock: options.clock });
  }

  /** The approver if `factor` is theirs and fresh; throws a FirewallError otherwise. */
  async verify(name: string, factor: ApproverFactor): Promise<Approver> {
    return factor.kind === 'totp'
      ? this.verifyTotp(name, factor.code)
      : this.#verifyPasskey(name, factor.verifiedAt);
  }

  /** The approver if `code` is their current TOTP code, not used before; see ApprovalService.verifyTotp. */
  async verifyTotp(name: string, code: string): Promise<Approver> {
    // SECURITY: once throttled even the right code is refused, so guessing cannot go on.
    if (this.#throttle.isThrottled(name)) {
      await this.#refuse(name, 'totp', 'throttled');
      throw new FirewallError(
        'auth.throttled',
        'too many wrong codes for this approver: wait, then try again',
      );
    }
    const approver = await this.#store.getApprover(name);
    if (approver === undefined) throw await this.#unauthorized(name, 'totp', 'unknown-approver');
    if (approver.totpSecret === '') {
      await this.#refuse(name, 'totp', 'not-enrolled');
      throw new FirewallError(
        'approver.factor-required',
        `\`${name}\` has no TOTP enrolled: an administrator must enrol one first`,
      );
    }
    const step = matchTotp(approver.totpSecret, code, this.#clock.now(), approver.lastTotpStep);
    if (step === undefined) {
      this.#throttle.recordFailure(name);
      throw await this.#unauthorized(name, 'totp', 'wrong-code');
    }
    // INVARIANT: the step is taken by compare-and-set; of two votes with one code, one wins.
    if (!(await this.#store.useTotpStep(name, step))) {
      this.#throttle.recordFailure(name);
      throw await this.#unauthorized(name, 'totp', 'replayed');
    }
    return { ...approver, lastTotpStep: step };
  }

  async #verifyPasskey(name: string, verifiedAt: number): Promise<Approver> {
    const approver = await this.#store.getApprover(name);
    if (approver === undefined) throw await this.#unauthorized(name, 'passkey', 'unknown-approver');
    const age = this.#clock.now() - verifiedAt;
    // SECURITY: a stale (or future-dated) assertion could be a session replayed later.
    if (!Number.isFinite(age) || age < 0 || age > PASSKEY_FACTOR_MAX_AGE_MS) {
      await this.#refuse(name, 'passkey', 'stale');
      throw new FirewallError(
        'approver.factor-required',
        'the passkey check is no longer fresh: verify with the passkey again',
      );
    }
    return approver;
  }

  async #unauthorized(
    name: string,
    channel: ApproverFactor['kind'],
    reason: FactorFailure,
  ): Promise<FirewallError> {
    await this.#refuse(name, channel, reason);
    // SECURITY: one message for an unknown name, a wrong code and a used one, so none is probed.
    return new FirewallError('approver.unauthorized', 'unknown approver or wrong code');
  }

  async #refuse(
    name: string,
    channel: ApproverFactor['kind'],
    reason: FactorFailure,
  ): Promise<void> {
    const data = { name: name.slice(0, MAX_AUDITED_NAME_CHARS), channel, reason };
    await this.#store.appendAudit({
      kind: 'approver.factor-failed',
      actor: 'system',
      at: this.#clock.now(),
      data,
    });
  }
}
