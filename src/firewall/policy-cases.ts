/**
 * Policy cases: unit tests for a policy set, written as data and run through the same decision
 * path as live requests (`decideAction`: grant scope first, then Cedar, then the hold search).
 *
 * A case file is YAML (or JSON, which is YAML too):
 *
 * ```yaml
 * productionEnvironments: [production]   # optional, default [production]
 * approvalsObtainable: 2                 # optional, default 2
 * cases:
 *   - name: holds a volume delete in production for two approvals
 *     principal:                         # optional, and so is each field:
 *       agent: deploy-bot                #   default test-agent
 *       owner: alice                     #   default test-owner
 *       upstreams: ['*']                 #   default ['*']
 *       environments: ['*']              #   default ['*']
 *       effects: [read, write]           #   default every effect
 *       resources: ['volume:*']          #   default ['*']
 *     action:
 *       upstream: railway
 *       surface: graphql                 # graphql, http, sql, mcp or shell
 *       operation: volumeDelete
 *       effect: destructive              # read, write, execute, destructive or unknown
 *       reversible: false                # optional, default false
 *       targets:                         # optional, default [] (the upstream itself)
 *         - { type: volume, id: vol_1, environment: production, attrs: {} }
 *     expect:
 *       verdict: hold                    # allow, hold or deny
 *       needed: 2                        # optional, holds only: approvals needed
 *       policyIds: [default:destructive-production]   # optional, compared as a set
 * ```
 *
 * A target without `environment` is one the resolver could not place, which counts as
 * production. The principal's grant has id `grant_test` and never expires. Unknown keys are
 * errors, so a misspelt `expect` field cannot pass silently.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type {
  Action,
  ActionVerdict,
  PolicyEngine,
  Principal,
  Result,
  Verdict,
} from '../core/index.js';
import { EFFECTS, SURFACE_KINDS, describeError, digestRequest, err, ok } from '../core/index.js';
import type { DecideOptions } from './decide-action.js';
import { decideAction } from './decide-action.js';

/** Decide options for cases whose file does not set them. */
export const DEFAULT_POLICY_CASE_OPTIONS: DecideOptions = Object.freeze({
  productionEnvironments: Object.freeze(['production']),
  approvalsObtainable: 2,
});

/** The grant id every case's principal holds. */
export const TEST_GRANT_ID = 'grant_test';

// Far enough ahead that no case ever meets an expired grant; a constant keeps cases deterministic.
const TEST_GRANT_EXPIRES_AT_MS = Date.UTC(9999, 0, 1);

/** What a case expects of the decision. */
export interface PolicyCaseExpectation {
  readonly verdict: Verdict;
  /** For a hold: how many approvals it needs. */
  readonly needed?: number;
  /** The deciding policy ids, compared as a set. */
  readonly policyIds?: readonly string[];
}

/** One parsed case: a principal, an action and what deciding it should give. */
export interface PolicyCase {
  readonly name: string;
  readonly principal: Principal;
  readonly action: Action;
  readonly expect: PolicyCaseExpectation;
  /** Options the case's file set; the rest come from the runner's defaults. */
  readonly options: Partial<DecideOptions>;
}

/** The outcome of one case. */
export interface PolicyCaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** The verdict decided; undefined when the engine failed. */
  readonly actual: ActionVerdict | undefined;
  /** One line per way the verdict differs from the expectation, `field: expected …, got …`. */
  readonly differences: readonly string[];
}

const names = z.array(z.string().min(1)).min(1);

const targetSchema = z.strictObject({
  type: z.string().min(1),
  id: z.string().min(1),
  environment: z.string().min(1).optional(),
  attrs: z.record(z.string(), z.json()).default({}),
});

const caseSchema = z.strictObject({
  name: z.string().min(1),
  principal: z
    .strictObject({
      agent: z.string().min(1).default('test-agent'),
      owner: z.string().min(1).default('test-owner'),
      upstreams: names.default(['*']),
      environments: names.default(['*']),
      effects: z.array(z.enum(EFFECTS)).default([...EFFECTS]),
      resources: names.default(['*']),
    })
    .default({
      agent: 'test-agent',
      owner: 'test-owner',
      upstreams: ['*'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
    }),
  action: z.strictObject({
    upstream: z.string().min(1),
    surface: z.enum(SURFACE_KINDS),
    operation: z.string().min(1),
    effect: z.enum(EFFECTS),
    reversible: z.boolean().default(false),
    targets: z.array(targetSchema).default([]),
  }),
  expect: z
    .strictObject({
      verdict: z.enum(['allow', 'hold', 'deny']),
      needed: z.number().int().positive().optional(),
      policyIds: z.array(z.string().min(1)).optional(),
    })
    .refine((expect) => expect.needed === undefined || expect.verdict === 'hold', {
      message: 'only a hold needs approvals',
      path: ['needed'],
    }),
});

const fileSchema = z.strictObject({
  productionEnvironments: z.array(z.string().min(1)).optional(),
  approvalsObtainable: z.number().int().nonnegative().optional(),
  cases: z.array(caseSchema).min(1),
});

type RawCase = z.infer<typeof caseSchema>;

/**
 * Parses a case file, checking every field. Each error names the file, the case (by number and
 * name) and the field: ``default.test.yaml: case 3 `holds deletes`: action.effect: …``.
 */
export function parsePolicyCases(text: string, fileName: string): Result<PolicyCase[], string[]> {
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return err(
      document.errors.map((error) => {
        const at = lines.linePos(error.pos[0]);
        return `${fileName}:${at.line}:${at.col}: ${lowerFirst(error.message)}`;
      }),
    );
  }
  const raw: unknown = document.toJS();
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    return err(parsed.error.issues.map((issue) => describeIssue(issue, raw, fileName)));
  }
  const duplicates = findDuplicates(parsed.data.cases.map((c) => c.name));
  if (duplicates.length > 0) {
    return err(
      duplicates.map((name) => `${fileName}: case name \`${name}\` is used more than once`),
    );
  }
  const options: Partial<DecideOptions> = {
    ...(parsed.data.productionEnvironments === undefined
      ? {}
      : { productionEnvironments: parsed.data.productionEnvironments }),
    ...(parsed.data.approvalsObtainable === undefined
      ? {}
      : { approvalsObtainable: parsed.data.approvalsObtainable }),
  };
  return ok(parsed.data.cases.map((raw) => toPolicyCase(raw, options)));
}

/**
 * Runs each case through `decideAction` and compares the verdict with its expectation. An
 * engine failure fails that case only. The file's options override `defaults`.
 */
export function runPolicyCases(
  engine: PolicyEngine,
  cases: readonly PolicyCase[],
  defaults: DecideOptions = DEFAULT_POLICY_CASE_OPTIONS,
): PolicyCaseResult[] {
  return cases.map((policyCase) => {
    const options = { ...defaults, ...policyCase.options };
    let actual: ActionVerdict;
    try {
      actual = decideAction(engine, policyCase.principal, policyCase.action, options);
    } catch (error) {
      const differences = [`the policy engine failed: ${describeError(error)}`];
      return { name: policyCase.name, passed: false, actual: undefined, differences };
    }
    const differences = compareVerdict(policyCase.expect, actual);
    return { name: policyCase.name, passed: differences.length === 0, actual, differences };
  });
}

function toPolicyCase(raw: RawCase, options: Partial<DecideOptions>): PolicyCase {
  const { principal: who, action: what } = raw;
  const principal: Principal = {
    grant: {
      id: TEST_GRANT_ID,
      agent: who.agent,
      owner: who.owner,
      upstreams: who.upstreams,
      environments: who.environments,
      effects: who.effects,
      resources: who.resources,
      createdAt: 0,
      expiresAt: TEST_GRANT_EXPIRES_AT_MS,
    },
    ancestors: [],
  };
  const targets = what.targets.map(({ type, id, environment, attrs }) => ({
    type,
    id,
    attrs,
    ...(environment === undefined ? {} : { environment }),
  }));
  const action: Action = {
    ...what,
    targets,
    // The case stands for one request; its digest binds nothing, but it is a real digest.
    digest: digestRequest({ case: raw.name, action: { ...what, targets } }),
  };
  const expect: PolicyCaseExpectation = {
    verdict: raw.expect.verdict,
    ...(raw.expect.needed === undefined ? {} : { needed: raw.expect.needed }),
    ...(raw.expect.policyIds === undefined ? {} : { policyIds: raw.expect.policyIds }),
  };
  return { name: raw.name, principal, action, expect, options };
}

function compareVerdict(expect: PolicyCaseExpectation, actual: ActionVerdict): string[] {
  const differences: string[] = [];
  if (actual.verdict !== expect.verdict) {
    differences.push(`verdict: expected \`${expect.verdict}\`, got \`${actual.verdict}\``);
  }
  if (expect.needed !== undefined && actual.approvalsNeeded !== expect.needed) {
    const got = actual.approvalsNeeded === undefined ? 'none' : String(actual.approvalsNeeded);
    differences.push(`needed: expected ${expect.needed} approvals, got ${got}`);
  }
  if (expect.policyIds !== undefined && !sameSet(expect.policyIds, actual.policyIds)) {
    differences.push(
      `policyIds: expected ${showList(expect.policyIds)}, got ${showList(actual.policyIds)}`,
    );
  }
  return differences;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, fileName: string): string {
  const [first, index, ...rest] = issue.path;
  if (first === 'cases' && typeof index === 'number') {
    const name = caseName(raw, index);
    const label = name === undefined ? `case ${index + 1}` : `case ${index + 1} \`${name}\``;
    const field = rest.length > 0 ? `${formatPath(rest)}: ` : '';
    return `${fileName}: ${label}: ${field}${lowerFirst(issue.message)}`;
  }
  const field = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  return `${fileName}: ${field}${lowerFirst(issue.message)}`;
}

function caseName(raw: unknown, index: number): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const cases = (raw as { cases?: unknown }).cases;
  const entry: unknown = Array.isArray(cases) ? cases[index] : undefined;
  const name =
    typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((step, i) =>
      typeof step === 'number' ? `[${step}]` : `${i > 0 ? '.' : ''}${String(step)}`,
    )
    .join('');
}

function findDuplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const item of items) (seen.has(item) ? duplicates : seen).add(item);
  return [...duplicates];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function showList(items: readonly string[]): string {
  return `[${items.map((item) => `\`${item}\``).join(', ')}]`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
