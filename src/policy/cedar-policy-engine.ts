import type { AuthorizationAnswer, DetailedError, Response } from '@cedar-policy/cedar-wasm/nodejs';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyAnswer, PolicyEngine, PolicyInput, Result } from '../core/index.js';
import { FirewallError, describeError, err, ok } from '../core/index.js';
import type { CedarRequestParts } from './cedar-request.js';
import { toAuthorizationCall, toCedarRequestParts } from './cedar-request.js';
import type { CompiledPolicySet } from './compile-policy-set.js';
import { compilePolicySet } from './compile-policy-set.js';
import { LruCache } from '../core/index.js';
import { describeCedarError } from './parse-policy-file.js';
import type { PolicyFile, PolicyProblem } from './policy-problem.js';
import type { PolicySlice } from './policy-slices.js';
import { PolicySliceIndex, projectReads } from './policy-slices.js';
import { PreparsedSlots } from './preparsed-slots.js';

/** Bounds on what the engine keeps between requests. */
export interface CedarPolicyEngineOptions {
  /** Most policy slices kept preparsed at once (default 256, at least 1). */
  readonly maxSlices?: number;
  /** Most answers cached (default 10 000); 0 turns the answer cache off. */
  readonly maxCachedAnswers?: number;
}

/** Default bound on preparsed slices. */
export const DEFAULT_MAX_SLICES = 256;
/** Default bound on cached answers. */
export const DEFAULT_MAX_CACHED_ANSWERS = 10_000;

interface PreparedSlice {
  readonly slice: PolicySlice;
  /** The preparsed set's name; undefined for an empty slice, which Cedar need not see. */
  readonly name: string | undefined;
}

/** One loaded policy set with everything derived from it; replaced whole on reload. */
interface LoadedSet {
  readonly version: string;
  readonly index: PolicySliceIndex;
  /** Each policy's position in the set (to order answers) and its `@reason`. */
  readonly policies: ReadonlyMap<string, { readonly order: number; readonly reason?: string }>;
  readonly slices: LruCache<string, PreparedSlice>;
  readonly answers: LruCache<string, PolicyAnswer>;
}

// What Cedar answers when no policy applies: deny, with nothing determining it.
const NO_POLICY_APPLIES: PolicyAnswer = Object.freeze({
  allowed: false,
  policyIds: Object.freeze([]),
  reasons: Object.freeze([]),
  errors: Object.freeze([]),
});

/**
 * The Cedar policy engine. Each request is judged against only the policies whose scope can
 * match it (its slice, preparsed once), and answers are cached under every input the slice can
 * read, so a repeated question costs a map lookup. A reload compiles the new set completely
 * before swapping it in; until then, and if it fails, the old set stays in force.
 *
 * @example
 * const engine = CedarPolicyEngine.create(loadPolicyFiles('./policies'));
 * if (!engine.ok) throw new Error(engine.error.map(formatPolicyProblem).join('; '));
 * engine.value.evaluate(input);
 */
export class CedarPolicyEngine implements PolicyEngine {
  readonly #slots = new PreparsedSlots();
  readonly #maxSlices: number;
  readonly #maxCachedAnswers: number;
  #generation = 0;
  #loaded: LoadedSet;

  constructor(compiled: CompiledPolicySet, options: CedarPolicyEngineOptions = {}) {
    // At least one slice: the slice being evaluated must not be evicted while in use.
    this.#maxSlices = Math.max(1, options.maxSlices ?? DEFAULT_MAX_SLICES);
    this.#maxCachedAnswers = Math.max(0, options.maxCachedAnswers ?? DEFAULT_MAX_CACHED_ANSWERS);
    this.#loaded = this.#load(compiled);
  }

  /** Compiles a set of files into a new engine: the engine, or every problem in the files. */
  static create(
    files: readonly PolicyFile[],
    options: CedarPolicyEngineOptions = {},
  ): Result<CedarPolicyEngine, PolicyProblem[]> {
    const compiled = compilePolicySet(files);
    return compiled.ok ? ok(new CedarPolicyEngine(compiled.value, options)) : compiled;
  }

  /** Identifies the loaded set (digest of its files and a load counter). */
  get version(): string {
    return this.#loaded.version;
  }

  /** Judges one input; throws FirewallError `policy.engine` if Cedar itself fails. */
  evaluate(input: PolicyInput): PolicyAnswer {
    const loaded = this.#loaded;
    const parts = toCedarRequestParts(input);
    const { slice, name } = this.#prepare(loaded, parts);
    if (name === undefined) return NO_POLICY_APPLIES;
    if (this.#maxCachedAnswers === 0) return authorize(loaded, name, slice, parts);
    // INVARIANT: the key holds the slice key and every value the slice's policies can read.
    const key = JSON.stringify([slice.key, projectReads(slice.reads, parts)]);
    const cached = loaded.answers.get(key);
    if (cached !== undefined) return cached;
    const answer = authorize(loaded, name, slice, parts);
    loaded.answers.set(key, answer);
    return answer;
  }

  /**
   * Compiles a new policy set and, only if every file is valid, swaps it in and returns the new
   * version. On failure it returns every problem and the current set stays in force.
   */
  reload(files: readonly PolicyFile[]): Result<string, PolicyProblem[]> {
    const compiled = compilePolicySet(files);
    if (!compiled.ok) return err(compiled.error);
    const previous = this.#loaded;
    this.#loaded = this.#load(compiled.value);
    // Evaluation is synchronous, so nothing can still be reading the previous set's slices.
    previous.slices.clear();
    previous.answers.clear();
    return ok(this.#loaded.version);
  }

  #load(compiled: CompiledPolicySet): LoadedSet {
    this.#generation += 1;
    const policies = new Map(
      compiled.policies.map((policy, order) => [
        policy.id,
        policy.reason === undefined ? { order } : { order, reason: policy.reason },
      ]),
    );
    return {
      version: `${compiled.digest.slice(0, 12)}-${this.#generation}`,
      index: new PolicySliceIndex(compiled),
      policies,
      slices: new LruCache(this.#maxSlices, (prepared: PreparedSlice) => {
        if (prepared.name !== undefined) this.#slots.release(prepared.name);
      }),
      answers: new LruCache(this.#maxCachedAnswers),
    };
  }

  #prepare(loaded: LoadedSet, parts: CedarRequestParts): PreparedSlice {
    const key = loaded.index.keyOf(parts);
    const known = loaded.slices.get(key);
    if (known !== undefined) return known;
    const slice = loaded.index.sliceOf(parts);
    const prepared = { slice, name: slice.policies.length > 0 ? this.#preparse(slice) : undefined };
    loaded.slices.set(key, prepared);
    return prepared;
  }

  #preparse(slice: PolicySlice): string {
    const name = this.#slots.acquire();
    const staticPolicies = Object.fromEntries(slice.policies.map((p) => [p.id, p.text]));
    const answer = callCedar(() => preparsePolicySet(name, { staticPolicies }));
    if (answer.type === 'failure') {
      this.#slots.release(name);
      throw engineFailure('could not prepare a policy slice', answer.errors);
    }
    return name;
  }
}

function authorize(
  loaded: LoadedSet,
  name: string,
  slice: PolicySlice,
  parts: CedarRequestParts,
): PolicyAnswer {
  const answer: AuthorizationAnswer = callCedar(() =>
    statefulIsAuthorized(toAuthorizationCall(parts, name, slice.shape)),
  );
  if (answer.type === 'failure') {
    throw engineFailure('could not evaluate the request', answer.errors);
  }
  return toPolicyAnswer(loaded, answer.response);
}

function toPolicyAnswer(loaded: LoadedSet, response: Response): PolicyAnswer {
  const order = (id: string): number => loaded.policies.get(id)?.order ?? Number.MAX_SAFE_INTEGER;
  // Cedar reports determining policies as a set; the set's own order makes answers stable.
  const policyIds = [...response.diagnostics.reason].sort((a, b) => order(a) - order(b));
  const reasons = policyIds.flatMap((id) => loaded.policies.get(id)?.reason ?? []);
  const errors = response.diagnostics.errors.map(
    ({ policyId, error }) => `policy \`${policyId}\`: ${describeCedarError(error)}`,
  );
  return Object.freeze({
    allowed: response.decision === 'allow',
    policyIds: Object.freeze(policyIds),
    reasons: Object.freeze(reasons),
    errors: Object.freeze(errors),
  });
}

function callCedar<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw new FirewallError('policy.engine', `cedar failed: ${describeError(error)}`, {
      cause: error,
    });
  }
}

function engineFailure(what: string, errors: readonly DetailedError[]): FirewallError {
  const details = errors.map((error) => describeCedarError(error));
  return new FirewallError('policy.engine', `cedar ${what}: ${details.join('; ')}`, { details });
}
