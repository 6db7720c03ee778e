import { policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import { toPolicyReads } from './policy-reads.js';
import { toPolicyScope } from './policy-scope.js';

function json(text: string): PolicyJson {
  const answer = policyToJson(text);
  if (answer.type === 'failure') throw new Error(answer.errors[0]?.message);
  return answer.json;
}

function readsOf(condition: string): string[] {
  return toPolicyReads(json(`permit (principal, action, resource) when { ${condition} };`));
}

describe('toPolicyReads', () => {
  it('lists the attributes a policy reads', () => {
    const condition = 'resource.production && context.approvals >= 2 && principal has owner';
    expect(readsOf(condition)).toEqual([
      'context.approvals',
      'principal.owner',
      'resource.production',
    ]);
  });

  it('reads nothing from an unconditional policy or from the action', () => {
    expect(toPolicyReads(json('permit (principal, action, resource);'))).toEqual([]);
    expect(readsOf('action == Airlock::Action::"read"')).toEqual([]);
  });

  it('counts a variable used as a whole as read whole', () => {
    expect(readsOf('resource in Airlock::Upstream::"u"')).toContain('resource');
    expect(readsOf('context == { approvals: 1 }')).toContain('context');
    expect(readsOf('if context.reversible then principal == principal else false')).toEqual([
      'context.reversible',
      'principal',
    ]);
  });

  it('counts an entity literal as reading the principal and the resource whole', () => {
    expect(readsOf('Airlock::Agent::"a".owner == "x"')).toEqual(['principal', 'resource']);
  });

  it('follows records, sets, extension calls and attribute chains', () => {
    expect(readsOf('{ a: context.operation }.a == "x"')).toEqual(['context.operation']);
    const calls = '[resource.id].contains("v") && ip("10.0.0.1").isInRange(ip(context.surface))';
    expect(readsOf(calls)).toEqual(['context.surface', 'resource.id']);
    expect(readsOf('resource.id like "v*" && (context has operation)')).toEqual([
      'context.operation',
      'resource.id',
    ]);
  });
});

describe('toPolicyScope', () => {
  it('indexes principal, action and resource constraints', () => {
    const scope = toPolicyScope(
      json(`permit (
        principal == Airlock::Agent::"bot",
        action in [Airlock::Action::"write", Airlock::Action::"destructive"],
        resource in Airlock::Upstream::"railway"
      );`),
    );
    expect(scope).toEqual({
      effects: ['write', 'destructive'],
      agent: 'bot',
      resource: undefined,
      upstream: 'railway',
      opaque: [],
    });
  });

  it('indexes a target and `is … in` an upstream', () => {
    const target = 'permit (principal, action, resource == Airlock::Target::"volume:v1");';
    expect(toPolicyScope(json(target))).toMatchObject({ resource: 'volume:v1' });
    const isIn = `permit (
      principal is Airlock::Agent,
      action,
      resource is Airlock::Target in Airlock::Upstream::"u"
    );`;
    expect(toPolicyScope(json(isIn))).toMatchObject({ upstream: 'u', opaque: [] });
  });

  it('leaves constraints it cannot index as opaque', () => {
    const text = `permit (
      principal in Airlock::Upstream::"u",
      action,
      resource == Airlock::Upstream::"u"
    );`;
    expect(toPolicyScope(json(text)).opaque).toEqual(['principal', 'resource']);
  });
});
