import type {
  Action,
  Clock,
  Effect,
  PolicyAnswer,
  PolicyEngine,
  PolicyInput,
  Store,
} from '../core/index.js';
import { FixedClock, SeededRandom, SequentialIds, digestRequest } from '../core/index.js';
import type { ApprovalOptions } from './approval-gate.js';
import { DEFAULT_APPROVAL_OPTIONS } from './approval-gate.js';
import type { ApprovalService } from './approval-service.js';
import type { EnrolledApprover, NewApprover } from './approver-directory.js';
import type { ApproverFactor } from './approver-factors.js';
import { Firewall } from './firewall.js';
import type { FreezePolicy } from './freeze.js';
import { GrantService } from './grant-service.js';
import { TOTP_STEP_MS, totpCode, totpStep } from './totp.js';

/**
 * A stand-in for the shipped default policy, written in TypeScript so that firewall tests do
 * not depend on Cedar: reads and writes allowed; destructive and unknown need 1 approval
 * outside production and 2 in it.
 */
export class DefaultRulesEngine implements PolicyEngine {
  readonly version = 'default-rules';

  evaluate(input: PolicyInput): PolicyAnswer {
    const { effect } = input.action;
    if (effect === 'read' || effect === 'write') {
      return {
        allowed: true,
        policyIds: [`${effect}-allowed`],
        reasons: [`${effect}s are allowed`],
        errors: [],
      };
    }
    const needed = input.production ? 2 : 1;
    const id = input.production ? 'needs-two-in-production' : 'needs-one';
    if (input.approvals >= needed)
      return { allowed: true, policyIds: [id], reasons: [`${needed} approvals given`], errors: [] };
    return { allowed: false, policyIds: [], reasons: [], errors: [] };
  }
}

/** A firewall wired on fakes: fixed clock, sequential ids, seeded randomness. */
export function createTestFirewall(
  store: Store,
  options: {
    engine?: PolicyEngine;
    freeze?: FreezePolicy;
    approvals?: Partial<ApprovalOptions>;
  } = {},
): { firewall: Firewall; grants: GrantService; clock: FixedClock } {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const engine = options.engine ?? new DefaultRulesEngine();
  const firewall = new Firewall({
    store,
    engine: () => engine,
    clock,
    ids,
    decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
    freeze: options.freeze ?? { maxDenials: 3, windowMs: 60_000 },
    approvals: { ...DEFAULT_APPROVAL_OPTIONS, ttlMs: 600_000, ...options.approvals },
  });
  const grants = new GrantService({
    store,
    clock,
    ids,
    random: new SeededRandom(),
    limits: { maxTtlMs: 86_400_000 },
  });
  return { firewall, grants, clock };
}

/** Builds a GraphQL-flavoured action on one target, for tests. */
export function testAction(effect: Effect, environment?: string, id = 'vol_1'): Action {
  return {
    upstream: 'railway',
    surface: 'graphql',
    operation: effect === 'destructive' ? 'volumeDelete' : 'volume',
    effect,
    reversible: effect !== 'destructive',
    targets: [
      { type: 'volume', id, ...(environment === undefined ? {} : { environment }), attrs: {} },
    ],
    digest: digestRequest({ effect, environment: environment ?? null, id }),
  };
}

/**
 * The approvers' authenticator apps, for tests: `enrol` adds an approver through the service
 * and keeps the TOTP secret it shows once; `factor` gives a code the service accepts now.
 * A code is accepted once per 30 s step, so `factor` takes the first step the approver has not
 * used within the one-step drift window (this step, then the next): a third vote by the same
 * approver within one step throws, asking the test to move its clock by `TOTP_STEP_MS`.
 *
 * @example
 * const phones = new TestAuthenticator({ service, store, clock });
 * await phones.enrol({ name: 'bob', upstreams: ['*'], environments: ['*'] });
 * await service.approve(id, 'bob', await phones.factor('bob'));
 */
export class TestAuthenticator {
  readonly #options: {
    readonly service: ApprovalService;
    readonly store: Store;
    readonly clock: Clock;
  };
  readonly #secrets = new Map<string, string>();

  constructor(options: {
    readonly service: ApprovalService;
    readonly store: Store;
    readonly clock: Clock;
  }) {
    this.#options = options;
  }

  /** Adds an approver (as `human:root` unless told) and keeps their TOTP secret. */
  async enrol(request: NewApprover, actor = 'human:root'): Promise<EnrolledApprover> {
    const enrolled = await this.#options.service.addApprover(request, actor);
    this.#secrets.set(request.name, enrolled.totp.secret);
    return enrolled;
  }

  /** The TOTP secret of an enrolled approver, for tests that make codes of their own. */
  secretOf(name: string): string {
    const secret = this.#secrets.get(name);
    if (secret === undefined)
      throw new Error(`no approver \`${name}\` was enrolled through this authenticator`);
    return secret;
  }

  /** A TOTP factor for `name` that the service accepts now, once. */
  async factor(name: string): Promise<ApproverFactor> {
    const { store, clock } = this.#options;
    const now = totpStep(clock.now());
    const used = (await store.getApprover(name))?.lastTotpStep ?? 0;
    const step = Math.max(now, used + 1);
    if (step > now + 1)
      throw new Error(
        `\`${name}\` used every code valid now: advance the clock by ${TOTP_STEP_MS} ms`,
      );
    return { kind: 'totp', code: totpCode(this.secretOf(name), step * TOTP_STEP_MS) };
  }
}
