import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { PolicyAnswer, PolicyEngine } from '../core/index.js';
import { CedarPolicyEngine, DEFAULT_POLICY_DIR, loadDefaultPolicyFiles } from '../policy/index.js';
import type { PolicyCase } from './policy-cases.js';
import { parsePolicyCases, runPolicyCases } from './policy-cases.js';

function defaultEngine(): CedarPolicyEngine {
  const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
  if (!engine.ok) throw new Error('the default policy should compile');
  return engine.value;
}

function parse(text: string): PolicyCase[] {
  const cases = parsePolicyCases(text, 'cases.yaml');
  if (!cases.ok) throw new Error(cases.error.join('\n'));
  return cases.value;
}

const HOLD_IN_PRODUCTION = `
cases:
  - name: holds a production delete
    action:
      upstream: railway
      surface: graphql
      operation: volumeDelete
      effect: destructive
      targets: [{ type: volume, id: vol_1, environment: prod-eu }]
    expect: { verdict: hold, needed: 2 }
`;

describe('the shipped default policy cases', () => {
  it('all pass', () => {
    verifies('policy.default-pinned-by-cases');
    const text = readFileSync(join(DEFAULT_POLICY_DIR, 'default.test.yaml'), 'utf8');
    const results = runPolicyCases(defaultEngine(), parse(text));
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});

describe('runPolicyCases', () => {
  it('fails a wrong expectation with a readable difference', () => {
    const text = HOLD_IN_PRODUCTION.replace('environment: prod-eu', 'environment: staging').replace(
      '{ verdict: hold, needed: 2 }',
      '{ verdict: hold, needed: 2, policyIds: [default:destructive-production] }',
    );
    const [result] = runPolicyCases(defaultEngine(), parse(text));
    expect(result?.passed).toBe(false);
    expect(result?.differences).toEqual([
      'needed: expected 2 approvals, got 1',
      'policyIds: expected [`default:destructive-production`], ' +
        'got [`default:destructive-outside-production`]',
    ]);
  });

  it("uses the file's production environments over the runner's defaults", () => {
    const cases = parse(HOLD_IN_PRODUCTION);
    expect(runPolicyCases(defaultEngine(), cases)[0]?.passed).toBe(false);
    const withProd = parse(`productionEnvironments: [prod-eu]\n${HOLD_IN_PRODUCTION}`);
    expect(runPolicyCases(defaultEngine(), withProd)[0]?.passed).toBe(true);
    const defaults = { productionEnvironments: ['prod-eu'], approvalsObtainable: 2 };
    expect(runPolicyCases(defaultEngine(), cases, defaults)[0]?.passed).toBe(true);
  });

  it('fails a case whose engine throws, and runs the rest', () => {
    const broken: PolicyEngine = {
      version: 'broken',
      evaluate(): PolicyAnswer {
        throw new Error('boom');
      },
    };
    const [result] = runPolicyCases(broken, parse(HOLD_IN_PRODUCTION));
    expect(result).toMatchObject({
      passed: false,
      actual: undefined,
      differences: ['the policy engine failed: Error: boom'],
    });
  });

  it('builds the principal from the case with defaults', () => {
    const principal = '    principal: { agent: bot, effects: [read] }\n    action:';
    const [policyCase] = parse(HOLD_IN_PRODUCTION.replace('    action:', principal));
    expect(policyCase?.principal.grant).toMatchObject({
      id: 'grant_test',
      agent: 'bot',
      owner: 'test-owner',
      upstreams: ['*'],
      effects: ['read'],
    });
    expect(policyCase?.action).toMatchObject({
      reversible: false,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});

describe('parsePolicyCases', () => {
  it('names the case and field of each error', () => {
    const text = HOLD_IN_PRODUCTION.replace('effect: destructive', 'effect: delete').replace(
      'expect:',
      'expected:',
    );
    const result = parsePolicyCases(text, 'team.test.yaml');
    expect(result.ok).toBe(false);
    const prefix = 'team.test.yaml: case 1 `holds a production delete`: ';
    const errors = result.ok ? [] : result.error;
    expect(errors.every((e) => e.startsWith(prefix))).toBe(true);
    expect(errors.map((e) => e.slice(prefix.length))).toEqual([
      expect.stringMatching(/^action\.effect: invalid option/),
      expect.stringMatching(/^expect: invalid input/),
      expect.stringMatching(/^unrecognized key.*expected/),
    ]);
  });

  it('names the position of a YAML syntax error', () => {
    const result = parsePolicyCases('cases:\n  - name: [unclosed\n', 'bad.yaml');
    expect(!result.ok && result.error[0]).toMatch(/^bad\.yaml:\d+:\d+: /);
  });

  it('refuses approvals needed on a verdict that is not a hold, and duplicate names', () => {
    const allow = HOLD_IN_PRODUCTION.replace('verdict: hold', 'verdict: allow');
    const needed = parsePolicyCases(allow, 'a.yaml');
    expect(!needed.ok && needed.error).toEqual([
      'a.yaml: case 1 `holds a production delete`: expect.needed: only a hold needs approvals',
    ]);
    const twice = HOLD_IN_PRODUCTION + HOLD_IN_PRODUCTION.replace('cases:\n', '');
    expect(parsePolicyCases(twice, 'a.yaml')).toEqual({
      ok: false,
      error: ['a.yaml: case name `holds a production delete` is used more than once'],
    });
  });

  it('reads the same cases from JSON', () => {
    const json = JSON.stringify({
      cases: [
        {
          name: 'reads',
          action: { upstream: 'u', surface: 'sql', operation: 'SELECT', effect: 'read' },
          expect: { verdict: 'allow' },
        },
      ],
    });
    expect(runPolicyCases(defaultEngine(), parse(json))[0]?.passed).toBe(true);
  });
});
