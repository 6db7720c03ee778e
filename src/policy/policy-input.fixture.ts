import type { Action, PolicyInput, Target } from '../core/index.js';

/** Describes a policy input for tests and the benchmark, with plain defaults for every field. */
export interface PolicyInputSketch {
  readonly agent?: string;
  readonly owner?: string;
  readonly grantId?: string;
  readonly action?: Partial<Omit<Action, 'targets'>>;
  /** Null for an action without targets. */
  readonly target?: Target | null;
  readonly production?: boolean;
  readonly approvals?: number;
}

/** A policy input: a read of a staging volume by `test-agent` unless the sketch says otherwise. */
export function toPolicyInput(sketch: PolicyInputSketch = {}): PolicyInput {
  const target =
    sketch.target === null
      ? undefined
      : (sketch.target ?? { type: 'volume', id: 'v1', environment: 'staging', attrs: {} });
  const action: Action = {
    upstream: 'railway',
    surface: 'graphql',
    operation: 'volumes',
    effect: 'read',
    reversible: false,
    digest: '0'.repeat(64),
    ...sketch.action,
    targets: target === undefined ? [] : [target],
  };
  return {
    grantId: sketch.grantId ?? 'grant_test',
    agent: sketch.agent ?? 'test-agent',
    owner: sketch.owner ?? 'test-owner',
    action,
    target,
    production: sketch.production ?? target?.environment !== 'staging',
    approvals: sketch.approvals ?? 0,
  };
}
