import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { Approval, ApprovalEvent, ApprovalRules, ApprovalState } from './approval.js';
import { applyApprovalEvent, distinctApprovers, targetsNeedingConfirmation } from './approval.js';

const RULES: ApprovalRules = { denyEndsIt: true, ownerMayApprove: false };

function pending(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'apr_1',
    version: 1,
    requestDigest: 'd',
    grantId: 'grt_1',
    agent: 'deploy-bot',
    owner: 'alice',
    surface: 'graphql',
    actions: [
      {
        upstream: 'railway',
        operation: 'volumeDelete',
        effect: 'destructive',
        reversible: false,
        targets: [{ type: 'volume', id: 'vol_1', environment: 'production' }],
      },
    ],
    needed: 2,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: 0,
    expiresAt: 100,
    policyIds: ['p'],
    reasons: ['r'],
    ...overrides,
  };
}

function run(start: Approval, events: readonly ApprovalEvent[], now = 10, rules = RULES): Approval {
  return events.reduce((approval, event) => {
    const next = applyApprovalEvent(approval, event, now, rules);
    return next.ok ? next.value : approval;
  }, start);
}

describe('approval state machine', () => {
  it('approves once `needed` distinct humans approved; a second vote by one human is refused', () => {
    verifies('approval.distinct-approvers');
    const once = run(pending(), [{ type: 'approve', actor: 'human:bob' }]);
    const twice = applyApprovalEvent(once, { type: 'approve', actor: 'human:bob' }, 11, RULES);
    expect(twice).toMatchObject({ ok: false, error: { code: 'already-voted' } });
    expect(once.state).toBe('pending');
    const done = run(once, [{ type: 'approve', actor: 'human:carol' }]);
    expect(done.state).toBe('approved');
    expect(distinctApprovers(done)).toEqual(['human:bob', 'human:carol']);
  });

  it('never lets an agent, the requesting agent or (by default) the owner approve', () => {
    verifies('approval.agent-never-approves');
    const refusal = (actor: string, rules = RULES) => {
      const result = applyApprovalEvent(pending(), { type: 'approve', actor }, 10, rules);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(refusal('agent:other-bot')).toBe('not-human');
    expect(refusal('agent:deploy-bot')).toBe('not-human');
    expect(refusal('system')).toBe('not-human');
    expect(refusal('human:deploy-bot')).toBe('requester');
    expect(refusal('human:alice')).toBe('owner');
    expect(refusal('human:alice', { ...RULES, ownerMayApprove: true })).toBe('ok');
  });

  it('ends on one deny by default, and only records it when configured not to', () => {
    verifies('approval.deny-ends-it');
    const denied = run(pending(), [{ type: 'deny', actor: 'human:alice', reason: 'no' }]);
    expect(denied).toMatchObject({
      state: 'denied',
      denials: [{ approver: 'human:alice', reason: 'no' }],
    });
    const kept = run(pending(), [{ type: 'deny', actor: 'human:bob' }], 10, {
      ...RULES,
      denyEndsIt: false,
    });
    expect(kept.state).toBe('pending');
  });

  it('refuses everything but expire after expiry, and everything once final; executes once', () => {
    verifies('approval.expired-never-passes');
    verifies('approval.passes-once');
    const approved = run(pending({ needed: 1 }), [{ type: 'approve', actor: 'human:bob' }]);
    expect(applyApprovalEvent(approved, { type: 'execute' }, 100, RULES)).toMatchObject({
      ok: false,
      error: { code: 'expired' },
    });
    expect(applyApprovalEvent(approved, { type: 'expire' }, 99, RULES)).toMatchObject({
      ok: false,
      error: { code: 'not-due' },
    });
    const executed = run(approved, [{ type: 'execute' }]);
    expect(executed.state).toBe('executed');
    expect(applyApprovalEvent(executed, { type: 'execute' }, 11, RULES)).toMatchObject({
      ok: false,
      error: { code: 'final' },
    });
  });

  it('returns an executed approval to approved with the votes it had, and nothing else', () => {
    verifies('approval.passes-once');
    const approved = run(
      pending(),
      [
        { type: 'approve', actor: 'human:bob' },
        { type: 'approve', actor: 'human:carol' },
      ],
      7,
    );
    const executed = run(approved, [{ type: 'execute' }], 9);
    const back = applyApprovalEvent(executed, { type: 'return' }, 12, RULES);
    expect(back).toMatchObject({
      ok: true,
      value: { state: 'approved', decidedAt: 7, approvals: approved.approvals },
    });
    // Only from executed: not twice, not from pending, denied or a delayed action Airlock runs itself.
    if (!back.ok) throw new Error('not returned');
    expect(applyApprovalEvent(back.value, { type: 'return' }, 13, RULES)).toMatchObject({
      ok: false,
      error: { code: 'not-executed' },
    });
    expect(applyApprovalEvent(pending(), { type: 'return' }, 13, RULES)).toMatchObject({
      ok: false,
      error: { code: 'not-executed' },
    });
    const denied = run(pending(), [{ type: 'deny', actor: 'human:bob' }]);
    expect(applyApprovalEvent(denied, { type: 'return' }, 13, RULES)).toMatchObject({
      ok: false,
      error: { code: 'not-executed' },
    });
    const delayed = { ...executed, undoWindowMs: 5 };
    expect(applyApprovalEvent(delayed, { type: 'return' }, 13, RULES)).toMatchObject({
      ok: false,
      error: { code: 'not-executed' },
    });
    // Past its expiry it still goes back (the request never ran), and then it only expires.
    const late = applyApprovalEvent(executed, { type: 'return' }, 150, RULES);
    if (!late.ok) throw new Error('not returned');
    expect(applyApprovalEvent(late.value, { type: 'execute' }, 150, RULES)).toMatchObject({
      ok: false,
      error: { code: 'expired' },
    });
    expect(applyApprovalEvent(late.value, { type: 'expire' }, 150, RULES)).toMatchObject({
      ok: true,
      value: { state: 'expired' },
    });
  });

  it('asks to confirm the targets of irreversible actions in production or unknown environments', () => {
    verifies('approval.confirm-irreversible-production');
    const action = {
      upstream: 'railway',
      operation: 'volumeDelete',
      effect: 'destructive',
      reversible: false,
    };
    const approval = pending({
      actions: [
        {
          ...action,
          targets: [
            { type: 'volume', id: 'prod-vol', environment: 'production' },
            { type: 'volume', id: 'stg', environment: 'staging' },
            { type: 'volume', id: 'mystery' },
          ],
        },
        {
          ...action,
          reversible: true,
          targets: [{ type: 'volume', id: 'undoable', environment: 'production' }],
        },
      ],
    });
    expect(targetsNeedingConfirmation(approval, ['production'])).toEqual(['prod-vol', 'mystery']);
  });
});

// The reference model: a few lines that say what the machine should do, with no refusals.
interface Model {
  state: ApprovalState;
  approvers: Set<string>;
  voters: Set<string>;
  denials: number;
  executions: number;
  returns: number;
}

const ACTORS = [
  'human:bob',
  'human:carol',
  'human:dave',
  'human:alice',
  'human:deploy-bot',
  'agent:deploy-bot',
  'agent:x',
  'system',
];

function modelStep(
  model: Model,
  event: ApprovalEvent,
  now: number,
  needed: number,
  rules: ApprovalRules,
): void {
  if (event.type === 'return') {
    if (model.state === 'executed') {
      model.state = 'approved';
      model.returns++;
    }
    return;
  }
  const final = ['denied', 'expired', 'cancelled', 'executed'].includes(model.state);
  if (final) return;
  if (now >= 100) {
    if (event.type === 'expire') model.state = 'expired';
    return;
  }
  const actor = 'actor' in event ? event.actor : '';
  const human = actor.startsWith('human:') && actor !== 'human:deploy-bot';
  if (event.type === 'approve' && model.state === 'pending' && human && !model.voters.has(actor)) {
    if (actor === 'human:alice' && !rules.ownerMayApprove) return;
    model.voters.add(actor);
    model.approvers.add(actor);
    if (model.approvers.size >= needed) model.state = 'approved';
  } else if (event.type === 'deny' && actor.startsWith('human:') && !model.voters.has(actor)) {
    model.voters.add(actor);
    model.denials++;
    if (rules.denyEndsIt) model.state = 'denied';
  } else if (
    event.type === 'cancel' &&
    (actor.startsWith('human:') || actor === 'system' || actor === 'agent:deploy-bot')
  ) {
    model.state = 'cancelled';
  } else if (event.type === 'execute' && model.state === 'approved') {
    model.state = 'executed';
    model.executions++;
  }
}

const eventArb: fc.Arbitrary<ApprovalEvent> = fc.oneof(
  fc.constantFrom(...ACTORS).map((actor) => ({ type: 'approve' as const, actor })),
  fc.constantFrom(...ACTORS).map((actor) => ({ type: 'deny' as const, actor })),
  fc.constantFrom(...ACTORS).map((actor) => ({ type: 'cancel' as const, actor })),
  fc.constant({ type: 'expire' as const }),
  fc.constant({ type: 'execute' as const }),
  fc.constant({ type: 'return' as const }),
);

describe('approval state machine against a model', () => {
  it('agrees on state and counts; runs at most once (executions less returns); never approved short of `needed`', () => {
    verifies('approval.state-machine-model');
    const stepArb = fc.record({ event: eventArb, advanceMs: fc.nat(15) });
    const rulesArb = fc.record({ denyEndsIt: fc.boolean(), ownerMayApprove: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        rulesArb,
        (steps, needed, rules) => {
          let approval = pending({ needed });
          const model: Model = {
            state: 'pending',
            approvers: new Set(),
            voters: new Set(),
            denials: 0,
            executions: 0,
            returns: 0,
          };
          let now = 0;
          let executions = 0;
          let returns = 0;
          for (const { event, advanceMs } of steps) {
            now += advanceMs;
            const result = applyApprovalEvent(approval, event, now, rules);
            if (result.ok) {
              if (result.value.state === 'executed' && approval.state !== 'executed') executions++;
              if (event.type === 'return') returns++;
              approval = result.value;
            }
            modelStep(model, event, now, needed, rules);
            expect(approval.state).toBe(model.state);
            expect(distinctApprovers(approval).length).toBe(model.approvers.size);
            expect(approval.approvals.length).toBe(model.approvers.size);
            expect(approval.denials.length).toBe(model.denials);
            if (approval.state === 'approved' || approval.state === 'executed') {
              expect(distinctApprovers(approval).length).toBeGreaterThanOrEqual(needed);
            }
          }
          expect(executions).toBe(model.executions);
          expect(returns).toBe(model.returns);
          // Every execution but the last was returned: the request ran at most once.
          expect(executions - returns).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
