import { validate } from '@cedar-policy/cedar-wasm/nodejs';
import type { Result } from '../core/index.js';
import { err, ok, sha256Hex, toCanonicalJson } from '../core/index.js';
import type { ParsedPolicy } from './parse-policy-file.js';
import {
  addErrors,
  describeCedarError,
  parsePolicyFile,
  problemAtPolicy,
} from './parse-policy-file.js';
import type { PolicyFile, PolicyProblem } from './policy-problem.js';
import type { RequestRead } from './policy-reads.js';
import { toPolicyReads } from './policy-reads.js';
import type { PolicyScope } from './policy-scope.js';
import { toPolicyScope } from './policy-scope.js';
import { airlockSchemaText } from './schema.js';

/** One validated policy, with what the engine needs to index and explain it. */
export interface CompiledPolicy {
  readonly id: string;
  readonly file: string;
  /** 1-based line of the policy's first annotation (or its effect) in its file. */
  readonly line: number;
  readonly effect: 'permit' | 'forbid';
  /** The policy's `@reason` annotation, a sentence for the humans reading a decision. */
  readonly reason: string | undefined;
  readonly text: string;
  readonly scope: PolicyScope;
  readonly reads: readonly RequestRead[];
}

/** A policy set that parsed and validated against Airlock's schema; ready for an engine. */
export interface CompiledPolicySet {
  /** Every policy, in file order and then source order. */
  readonly policies: readonly CompiledPolicy[];
  /** SHA-256 of the source files (names and texts), in the order given. */
  readonly digest: string;
}

/**
 * Parses every file, validates every policy against the shipped schema in strict mode, and
 * returns the compiled set, or every problem found across all files (never just the first).
 * Pure apart from reading the shipped schema once.
 *
 * @example
 * const compiled = compilePolicySet([{ name: 'team.cedar', text }]);
 * if (!compiled.ok) console.error(compiled.error.map(formatPolicyProblem).join('\n'));
 */
export function compilePolicySet(
  files: readonly PolicyFile[],
): Result<CompiledPolicySet, PolicyProblem[]> {
  const problems: PolicyProblem[] = [];
  const parsed = files.flatMap((file) => parsePolicyFile(file, problems));
  if (parsed.length === 0 && problems.length === 0) {
    // Cedar would deny every request; a set meant to do that says so with a `forbid`.
    problems.push({ file: '', line: 0, column: 0, message: 'the policy set holds no policies' });
  }
  for (const round of toValidationRounds(parsed, problems)) validatePolicies(round, problems);
  if (problems.length > 0) return err(sortProblems(problems, files));
  return ok({
    policies: Object.freeze(parsed.map(toCompiledPolicy)),
    digest: sha256Hex(toCanonicalJson(files.map((file) => [file.name, file.text]))),
  });
}

/**
 * Groups policies into rounds of unique ids for validation, adding a problem for each duplicate.
 * Cedar validates each policy on its own, so a duplicate is validated in a later round under its
 * own id, and its other errors are reported too.
 */
function toValidationRounds(
  parsed: readonly ParsedPolicy[],
  problems: PolicyProblem[],
): Map<string, ParsedPolicy>[] {
  const rounds: Map<string, ParsedPolicy>[] = [];
  for (const policy of parsed) {
    const round = rounds.find((each) => !each.has(policy.id));
    const first = rounds[0]?.get(policy.id);
    if (first !== undefined) {
      const where = `${first.file}:${first.line}`;
      const message = `duplicate policy id \`${policy.id}\`: first defined at ${where}`;
      problems.push(problemAtPolicy(policy, message));
    }
    if (round === undefined) rounds.push(new Map([[policy.id, policy]]));
    else round.set(policy.id, policy);
  }
  return rounds;
}

function validatePolicies(byId: Map<string, ParsedPolicy>, problems: PolicyProblem[]): void {
  const staticPolicies = Object.fromEntries([...byId].map(([id, policy]) => [id, policy.text]));
  const answer = validate({
    schema: airlockSchemaText(),
    validationSettings: { mode: 'strict' },
    policies: { staticPolicies },
  });
  if (answer.type === 'failure') {
    for (const error of answer.errors) {
      const message = describeCedarError(error);
      problems.push({ file: 'airlock.cedarschema', line: 0, column: 0, message });
    }
    return;
  }
  // SECURITY: Cedar's warnings (an impossible policy, confusable or bidirectional characters)
  // mean a policy does not do what it reads as doing; a firewall refuses them like errors.
  const found: PolicyProblem[] = [];
  for (const { policyId, error } of [...answer.validationErrors, ...answer.validationWarnings]) {
    const policy = byId.get(policyId);
    if (policy === undefined) {
      found.push({ file: '', line: 0, column: 0, message: describeCedarError(error) });
    } else {
      addErrors(found, policy.file, policy.lines, policy.byteOffset, error);
    }
  }
  problems.push(...firstAtEachPlace(found));
  for (const warning of answer.otherWarnings) {
    problems.push({ file: '', line: 0, column: 0, message: describeCedarError(warning) });
  }
}

/**
 * Cedar typechecks a policy once for each action it can apply to, so one mistake comes back
 * once per action; the first report at each place is kept.
 */
function firstAtEachPlace(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const place = `${problem.file}\u0000${problem.line}:${problem.column}`;
    if (seen.has(place)) return false;
    seen.add(place);
    return true;
  });
}

function toCompiledPolicy(policy: ParsedPolicy): CompiledPolicy {
  return Object.freeze({
    id: policy.id,
    file: policy.file,
    line: policy.line,
    effect: policy.json.effect,
    reason: policy.reason,
    text: policy.text,
    scope: toPolicyScope(policy.json),
    reads: Object.freeze(toPolicyReads(policy.json)),
  });
}

function sortProblems(problems: PolicyProblem[], files: readonly PolicyFile[]): PolicyProblem[] {
  const order = new Map(files.map((file, index) => [file.name, index]));
  const rank = (problem: PolicyProblem): number => order.get(problem.file) ?? -1;
  // Array.prototype.sort is stable, so problems at the same place keep the order found.
  return problems.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
}
