import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { toCedarUid } from './cedar-uid.js';
import type { RequestVariable } from './policy-scope.js';
import { CEDAR_TYPES } from './schema.js';

/**
 * Something a policy's conditions read from a request: `principal.owner`, `resource.production`,
 * `context.approvals`, or a whole variable (`principal`, `resource`, `context`) when the policy
 * uses it in a way this analysis does not follow. The action is left out: a request's effect is
 * always part of the engine's cache key.
 */
export type RequestRead = RequestVariable | `${RequestVariable}.${string}`;

/**
 * Every request input a policy's conditions can read. The analysis is conservative: it may list
 * more than a policy needs, never less, because the engine caches answers keyed by these reads.
 */
export function toPolicyReads(json: PolicyJson): RequestRead[] {
  const reads = new Set<RequestRead>();
  for (const clause of json.conditions) walk(clause.body, reads);
  return [...reads].sort();
}

function walk(expr: unknown, reads: Set<RequestRead>): void {
  if (typeof expr !== 'object' || expr === null) return;
  if (Array.isArray(expr)) {
    for (const item of expr) walk(item, reads);
    return;
  }
  const node = expr as Record<string, unknown>;
  if (typeof node['Var'] === 'string') {
    addWhole(node['Var'], reads);
  } else if ('Value' in node) {
    // SECURITY: an entity literal (`Airlock::Agent::"a".owner`, `… in Airlock::Upstream::"u"`)
    // reads whichever request entity it names, so both entities count as read whole. Action
    // literals are the exception: the effect is in every cache key and actions hold no data.
    if (containsEntity(node['Value'])) {
      reads.add('principal');
      reads.add('resource');
    }
  } else if ('Record' in node) {
    walkValues(node['Record'], reads);
  } else if (!walkAttributeAccess(node, reads)) {
    walkValues(node, reads);
  }
}

/** Handles `x.attr` and `x has attr`; false when the node is neither. */
function walkAttributeAccess(node: Record<string, unknown>, reads: Set<RequestRead>): boolean {
  const access = node['.'] ?? node['has'];
  if (typeof access !== 'object' || access === null) return false;
  const { left, attr } = access as { left?: unknown; attr?: unknown };
  // `x has a.b` names a path; its first step is the attribute read from the variable.
  const first = Array.isArray(attr) ? (attr[0] as unknown) : attr;
  const variable = varName(left);
  if (variable !== undefined && variable !== 'action' && typeof first === 'string') {
    reads.add(`${variable as RequestVariable}.${first}`);
  } else {
    walk(left, reads);
  }
  return true;
}

function walkValues(value: unknown, reads: Set<RequestRead>): void {
  if (typeof value !== 'object' || value === null) return;
  for (const item of Object.values(value)) walk(item, reads);
}

function varName(expr: unknown): string | undefined {
  if (typeof expr !== 'object' || expr === null) return undefined;
  const name = (expr as { Var?: unknown }).Var;
  return typeof name === 'string' ? name : undefined;
}

function addWhole(variable: string, reads: Set<RequestRead>): void {
  if (variable === 'principal' || variable === 'resource' || variable === 'context') {
    reads.add(variable);
  }
}

function containsEntity(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if ('__entity' in value) return toCedarUid(value)?.type !== CEDAR_TYPES.action;
  return Object.values(value).some(containsEntity);
}
