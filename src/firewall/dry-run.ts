import type {
  Action,
  Effect,
  Grant,
  JsonValue,
  PolicyEngine,
  Principal,
  SurfaceKind,
} from '../core/index.js';
import {
  EFFECTS,
  FAIL_CLOSED_POLICY_ID,
  NO_ADAPTER_POLICY_ID,
  combineActionVerdicts,
  describeError,
  isSurfaceKind,
} from '../core/index.js';
import type { DecideOptions } from './decide-action.js';
import { decideAction } from './decide-action.js';

/** One line of `airlock check` output. */
export interface CheckVerdict {
  readonly id: string | null;
  readonly verdict: 'allow' | 'hold' | 'deny';
  readonly actions: JsonValue[];
  readonly reasons: string[];
  readonly policyIds: string[];
  readonly error?: string;
}

/** What a dry run needs: no store, no network. */
export interface DryRunOptions {
  readonly engine: PolicyEngine;
  readonly decide: DecideOptions;
  /** The classifier for a surface, or undefined when no adapter exists for it yet. */
  readonly classify: (
    surface: SurfaceKind,
  ) => ((input: unknown) => Action[] | Promise<Action[]>) | undefined;
}

/** The principal a dry run judges for: granted every upstream, environment and effect. */
export const DRY_RUN_PRINCIPAL: Principal = {
  grant: {
    id: 'grant_dry_run',
    agent: 'dry-run',
    owner: 'dry-run',
    upstreams: ['*'],
    environments: ['*'],
    effects: [...EFFECTS] as Effect[],
    resources: ['*'],
    createdAt: 0,
    expiresAt: Number.MAX_SAFE_INTEGER,
  } satisfies Grant,
  ancestors: [],
};

/**
 * Judges one corpus-format line (`{"id", "surface", "input", …}`) with classification and
 * policy only. A line that cannot be judged is a deny with an error, never a crash.
 */
export async function dryRunLine(line: string, options: DryRunOptions): Promise<CheckVerdict> {
  let id: string | null = null;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return failed(id, 'a case must be a JSON object');
    }
    const record = parsed as Record<string, unknown>;
    id = typeof record['id'] === 'string' ? record['id'] : null;
    const surface = record['surface'];
    if (!isSurfaceKind(surface)) return failed(id, `unknown surface \`${String(surface)}\``);
    if (!('input' in record)) return failed(id, 'a case needs an `input`');
    const classify = options.classify(surface);
    if (classify === undefined) {
      return {
        id,
        verdict: 'deny',
        actions: [],
        reasons: [`no adapter for the ${surface} surface yet`],
        policyIds: [NO_ADAPTER_POLICY_ID],
      };
    }
    return judge(id, await classify(record['input']), options);
  } catch (error) {
    return failed(id, describeError(error));
  }
}

function judge(id: string | null, actions: Action[], options: DryRunOptions): CheckVerdict {
  const verdicts = actions.map((action) =>
    decideAction(options.engine, DRY_RUN_PRINCIPAL, action, options.decide),
  );
  const combined = combineActionVerdicts(verdicts);
  return {
    id,
    verdict: combined.verdict,
    actions: actions.map((action) => ({
      upstream: action.upstream,
      operation: action.operation,
      effect: action.effect,
      reversible: action.reversible,
      targets: action.targets.map((t) => ({
        type: t.type,
        id: t.id,
        environment: t.environment ?? null,
      })),
    })),
    reasons: [...combined.reasons],
    policyIds: [...combined.policyIds],
  };
}

function failed(id: string | null, error: string): CheckVerdict {
  return {
    id,
    verdict: 'deny',
    actions: [],
    reasons: ['the case could not be judged, so it is denied'],
    policyIds: [FAIL_CLOSED_POLICY_ID],
    error,
  };
}
