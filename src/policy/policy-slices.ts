import type { CedarRequestParts, RequestShape } from './cedar-request.js';
import type { CompiledPolicy, CompiledPolicySet } from './compile-policy-set.js';
import type { RequestRead } from './policy-reads.js';
import type { RequestVariable } from './policy-scope.js';

/** One request value a slice's answer depends on: a variable's attribute, or the whole variable. */
export interface SliceRead {
  readonly variable: RequestVariable;
  readonly attribute: string | undefined;
}

/**
 * The policies whose scope can match a family of requests (same effect, and the same agent,
 * target and upstream as far as any policy's scope names them), and what they read.
 */
export interface PolicySlice {
  readonly key: string;
  readonly policies: readonly CompiledPolicy[];
  readonly reads: readonly SliceRead[];
  /** What a request to this slice must send Cedar: exactly what its policies can read. */
  readonly shape: RequestShape;
}

/**
 * Indexes a policy set by scope. Leaving out a policy whose scope cannot match a request
 * changes nothing (it neither applies nor errors), and Cedar's cost grows with every policy
 * it is given, so each request is judged against its slice only.
 */
export class PolicySliceIndex {
  readonly #policies: readonly CompiledPolicy[];
  readonly #agents = new Set<string>();
  readonly #targets = new Set<string>();
  readonly #upstreams = new Set<string>();

  constructor(set: CompiledPolicySet) {
    this.#policies = set.policies;
    for (const { scope } of set.policies) {
      if (scope.agent !== undefined) this.#agents.add(scope.agent);
      if (scope.resource !== undefined) this.#targets.add(scope.resource);
      if (scope.upstream !== undefined) this.#upstreams.add(scope.upstream);
    }
  }

  /**
   * The key of the slice a request falls in. A value no policy's scope names is replaced by
   * null, so every agent the set never names shares one slice.
   */
  keyOf(parts: CedarRequestParts): string {
    return JSON.stringify(this.#dimensions(parts));
  }

  /** The slice a request falls in; walks every policy, so callers keep the result. */
  sliceOf(parts: CedarRequestParts): PolicySlice {
    const [effect, agent, target, upstream] = this.#dimensions(parts);
    const policies = this.#policies.filter(({ scope }) => {
      if (scope.effects !== undefined && !scope.effects.includes(effect)) return false;
      // INVARIANT: a dimension is null only when no policy's scope names the request's value,
      // so a policy that names one cannot match it.
      if (scope.agent !== undefined && scope.agent !== agent) return false;
      if (scope.resource !== undefined && scope.resource !== target) return false;
      return scope.upstream === undefined || scope.upstream === upstream;
    });
    const reads = toSliceReads(policies);
    const key = JSON.stringify([effect, agent, target, upstream]);
    return { key, policies, reads, shape: toShape(reads) };
  }

  #dimensions(parts: CedarRequestParts): [string, string | null, string | null, string | null] {
    const agent = parts.principal.name;
    const upstream = parts.resource.upstream;
    return [
      parts.effect,
      this.#agents.has(agent) ? agent : null,
      this.#targets.has(parts.targetUid) ? parts.targetUid : null,
      this.#upstreams.has(upstream) ? upstream : null,
    ];
  }
}

/**
 * The request values a slice's answer depends on besides its key. A scope constraint the index
 * does not capture makes its whole variable count as read.
 */
function toSliceReads(policies: readonly CompiledPolicy[]): SliceRead[] {
  const reads = new Set<RequestRead>();
  for (const policy of policies) {
    for (const read of policy.reads) reads.add(read);
    for (const variable of policy.scope.opaque) reads.add(variable);
  }
  const whole = new Set([...reads].filter((read) => !read.includes('.')));
  return [...reads]
    .sort()
    .map((read) => {
      const dot = read.indexOf('.');
      const variable = (dot < 0 ? read : read.slice(0, dot)) as RequestVariable;
      return { variable, attribute: dot < 0 ? undefined : read.slice(dot + 1) };
    })
    .filter((read) => read.attribute === undefined || !whole.has(read.variable));
}

function toShape(reads: readonly SliceRead[]): RequestShape {
  const of = (variable: RequestVariable): readonly string[] | 'all' => {
    const mine = reads.filter((read) => read.variable === variable);
    if (mine.some((read) => read.attribute === undefined)) return 'all';
    return mine.map((read) => read.attribute ?? '');
  };
  return { principal: of('principal'), resource: of('resource'), context: of('context') };
}

/** The values of a request that a slice reads, in the slice's order. */
export function projectReads(reads: readonly SliceRead[], parts: CedarRequestParts): unknown[] {
  return reads.map(({ variable, attribute }) => {
    const values: object = parts[variable];
    return attribute === undefined ? values : (values as Record<string, unknown>)[attribute];
  });
}
