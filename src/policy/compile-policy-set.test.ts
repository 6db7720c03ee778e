import { checkParseSchema } from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { compilePolicySet } from './compile-policy-set.js';
import { loadDefaultPolicy, loadDefaultPolicyFiles } from './load-policy-dir.js';
import type { PolicyFile, PolicyProblem } from './policy-problem.js';
import { formatPolicyProblem } from './policy-problem.js';
import { airlockSchemaText } from './schema.js';

function problemsOf(files: PolicyFile[]): PolicyProblem[] {
  const compiled = compilePolicySet(files);
  if (compiled.ok) throw new Error('expected the set to be refused');
  return compiled.error;
}

const READ = '@id("reads")\npermit (principal, action == Airlock::Action::"read", resource);\n';
const WRITE = 'permit (principal, action == Airlock::Action::"write", resource);';

describe('compilePolicySet', () => {
  it('parses the shipped schema', () => {
    expect(checkParseSchema(airlockSchemaText())).toEqual({ type: 'success' });
  });

  it('compiles the shipped default policy with its ids and reasons', () => {
    const compiled = loadDefaultPolicy();
    if (!compiled.ok) throw new Error(compiled.error.map(formatPolicyProblem).join('\n'));
    const policies = compiled.value.policies;
    expect(policies.map((p) => p.id)).toEqual([
      'default:read',
      'default:write',
      'default:execute',
      'default:destructive-outside-production',
      'default:destructive-production',
      'default:unknown-outside-production',
      'default:unknown-production',
    ]);
    for (const policy of policies) {
      expect(policy.reason).toMatch(/^[a-z].*[^.]$/);
      expect(policy.file).toBe('default.cedar');
    }
    expect(loadDefaultPolicyFiles().map((f) => f.name)).toEqual(['default.cedar']);
  });

  it('names a policy without @id after its file and index', () => {
    const compiled = compilePolicySet([{ name: 'a.cedar', text: `${READ}${WRITE}` }]);
    expect(compiled.ok && compiled.value.policies.map((p) => [p.id, p.line])).toEqual([
      ['reads', 1],
      ['a.cedar:1', 3],
    ]);
  });

  it('refuses a syntax error, pointing at its line and column', () => {
    verifies('policy.invalid-refused-with-lines');
    const broken = 'permit (principal, action, resource)\n  when { context.approvals >= };';
    const text = `${READ}\n// a comment\n${broken}`;
    const [problem, ...rest] = problemsOf([{ name: 'team.cedar', text }]);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'team.cedar', line: 6, column: 31 });
    expect(problem?.message).toContain('unexpected token');
  });

  it('refuses an attribute the schema does not declare', () => {
    verifies('policy.invalid-refused-with-lines');
    const text = `${READ}permit (principal, action, resource) when { resource.owner == "x" };`;
    expect(problemsOf([{ name: 'a.cedar', text }])).toEqual([
      expect.objectContaining({
        file: 'a.cedar',
        line: 3,
        column: 45,
        message: expect.stringContaining('`owner`'),
      }),
    ]);
  });

  it('places errors after non-ASCII text by characters, not bytes', () => {
    verifies('policy.invalid-refused-with-lines');
    const policy = 'permit (principal, action, resource) when { principal.bogus };';
    const text = `@id("é")\n@reason("règle équipe")\n${policy}`;
    expect(problemsOf([{ name: 'a.cedar', text }])).toEqual([
      expect.objectContaining({ line: 3, column: 45, message: expect.stringContaining('`bogus`') }),
    ]);
  });

  it('refuses duplicate ids across files and still validates the duplicate', () => {
    verifies('policy.invalid-refused-with-lines');
    const problems = problemsOf([
      { name: 'a.cedar', text: READ },
      {
        name: 'b.cedar',
        text: `\n${READ.replace('resource);', 'resource) when { resource.nope };')}`,
      },
    ]);
    expect(problems.map(formatPolicyProblem)).toEqual([
      'b.cedar:2:1: duplicate policy id `reads`: first defined at a.cedar:1',
      expect.stringMatching(/^b\.cedar:3:\d+: for policy `reads`, attribute `nope`/),
    ]);
  });

  it('lists every error across files, in file order', () => {
    verifies('policy.invalid-refused-with-lines');
    const problems = problemsOf([
      { name: 'a.cedar', text: `${READ}permit (principal, action, resource) when { context.x };` },
      { name: 'b.cedar', text: 'permit (principal, action, resource) when { 1 + };' },
      { name: 'c.cedar', text: 'permit (principal == ?principal, action, resource);' },
      { name: 'd.cedar', text: `@id("airlock:grant-scope")\n${WRITE}` },
    ]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['a.cedar', 3],
      ['b.cedar', 1],
      ['c.cedar', 1],
      ['d.cedar', 1],
    ]);
    expect(problems[2]?.message).toContain('template');
    expect(problems[3]?.message).toContain('reserved');
  });

  it('refuses a policy that can never apply, which Cedar only warns about', () => {
    const text = 'permit (principal, action, resource == Airlock::Upstream::"prod");';
    expect(
      problemsOf([{ name: 'a.cedar', text }])
        .map((p) => p.message)
        .join(' '),
    ).toContain('unable to find an applicable action');
  });

  it('refuses bare @id and @reason annotations', () => {
    const text = '@id\n@reason\npermit (principal, action, resource);';
    expect(problemsOf([{ name: 'a.cedar', text }]).map((p) => p.message)).toEqual([
      '`@id` needs a non-empty value',
      '`@reason` needs a sentence a human can read',
    ]);
  });

  it('refuses a set with no policies at all', () => {
    const problems = problemsOf([{ name: 'a.cedar', text: '// nothing yet\n' }]);
    expect(problems.map(formatPolicyProblem)).toEqual(['the policy set holds no policies']);
  });

  it('changes the digest when any file changes', () => {
    const one = compilePolicySet([{ name: 'a.cedar', text: READ }]);
    const two = compilePolicySet([{ name: 'a.cedar', text: `${READ}\n` }]);
    expect(one.ok && two.ok && one.value.digest !== two.value.digest).toBe(true);
  });
});
