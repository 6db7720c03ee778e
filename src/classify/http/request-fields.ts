import type { Effect, JsonValue, Result, Target } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { CatalogClassification, CatalogTarget } from './catalog-schema.js';
import type { HttpProblem, HttpRequestView } from './request-view.js';
import { httpProblem, isFormType, isRecord, parseQuery } from './request-view.js';

/** A body as fields can be looked up in it. */
export type BodyFields =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: JsonValue }
  | { readonly kind: 'form'; readonly pairs: readonly (readonly [string, string])[] }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Where an entry's fields are looked up: path parameters, query, body. */
export interface FieldSource {
  readonly params: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly body: BodyFields;
}

/**
 * Reads the body as the upstream would when it carries fields: JSON when it says so (or, for a
 * JSON API, says nothing), a form when it says so. Any other type is unreadable, so an entry
 * whose meaning depends on the body becomes `unknown`.
 */
export function toBodyFields(view: HttpRequestView, format: 'json' | 'form'): BodyFields {
  const { body, contentType } = view;
  if (body.kind === 'none') return { kind: 'none' };
  if (body.kind === 'json') return { kind: 'json', value: body.value };
  if (isFormType(contentType) || (contentType === undefined && format === 'form')) {
    const pairs = parseQuery(body.text);
    return pairs === undefined
      ? { kind: 'unreadable', reason: 'the form body has an invalid escape' }
      : { kind: 'form', pairs };
  }
  if (contentType === undefined && format === 'json') {
    try {
      return { kind: 'json', value: JSON.parse(body.text) as JsonValue };
    } catch {
      return { kind: 'unreadable', reason: 'the body has no content type and is not JSON' };
    }
  }
  return {
    kind: 'unreadable',
    reason: `a \`${contentType ?? 'untyped'}\` body cannot be read for the fields that decide the operation`,
  };
}

/** What a field lookup found: its values (several for lists), or why it cannot be known. */
export type FieldLookup = Result<readonly JsonValue[], string>;

/** Looks up `param`, `query.NAME` or `body.PATH`. Form lists (`Name.1`, `Name.member.1`) count as values. */
export function lookupField(field: string, source: FieldSource): FieldLookup {
  if (field.startsWith('query.')) {
    const name = field.slice('query.'.length);
    return ok(source.query.filter(([key]) => key === name).map(([, value]) => value));
  }
  if (field.startsWith('body.')) return lookupBody(field.slice('body.'.length), source.body);
  const value = Object.hasOwn(source.params, field) ? source.params[field] : undefined;
  return ok(value === undefined ? [] : [value]);
}

function lookupBody(path: string, body: BodyFields): FieldLookup {
  switch (body.kind) {
    case 'none':
      return ok([]);
    case 'unreadable':
      return err(body.reason);
    case 'form': {
      const list = new RegExp(`^${escapeRegExp(path)}(\\.member)?\\.\\d+$`);
      return ok(
        body.pairs.filter(([key]) => key === path || list.test(key)).map(([, value]) => value),
      );
    }
    case 'json':
      return ok(walkJson(body.value, path.split('.')));
  }
}

function walkJson(value: JsonValue, steps: readonly string[]): JsonValue[] {
  if (Array.isArray(value)) return value.flatMap((item) => walkJson(item, steps));
  if (steps.length === 0) return [value];
  if (!isRecord(value)) return [];
  const [step, ...rest] = steps as [string, ...string[]];
  // SECURITY: own keys only, so `constructor` or `__proto__` never reach the prototype.
  return Object.hasOwn(value, step) ? walkJson(value[step] as JsonValue, rest) : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An entry's meaning for one request, after its rules. */
export interface Resolved {
  readonly operation: string;
  readonly effect: Effect;
  readonly reversible: boolean;
}

/**
 * Applies the first rule whose condition holds. A condition on a field that appears more than
 * once, or on a body Airlock cannot read, is a problem: the upstream might read it either way.
 */
export function resolveRules(
  entry: CatalogClassification,
  operation: string,
  source: FieldSource,
): Result<Resolved, HttpProblem> {
  for (const rule of entry.rules) {
    const found = lookupField(rule.when.field, source);
    if (!found.ok) return err(httpProblem('unreadable-body', found.error));
    const values = found.value;
    if (values.length > 1)
      return err(
        httpProblem('ambiguous-parameter', `\`${rule.when.field}\` is given more than once`),
      );
    if (holds(rule.when, values[0])) {
      return ok({
        operation: rule.operation ?? operation,
        effect: rule.effect,
        reversible: rule.reversible ?? entry.reversible,
      });
    }
  }
  return ok({ operation, effect: entry.effect, reversible: entry.reversible });
}

type Scalar = string | number | boolean | null;

function holds(
  when: CatalogClassification['rules'][number]['when'],
  value: JsonValue | undefined,
): boolean {
  if (when.present !== undefined) return (value !== undefined) === when.present;
  if (value === undefined) return false;
  if (when.oneOf !== undefined) return when.oneOf.some((expected) => looselyEqual(value, expected));
  return looselyEqual(value, when.equals ?? null);
}

// Forms carry everything as text, and servers coerce `"true"`, `"TRUE"` and `true` alike; the
// comparison does too, so no spelling of a dangerous value slips past a rule.
function looselyEqual(value: JsonValue, expected: Scalar): boolean {
  if (value !== null && typeof value === 'object') return false;
  return String(value).trim().toLowerCase() === String(expected).toLowerCase();
}

const MAX_TARGETS = 1000;

/** The targets an entry names, one per value of a list field; an id Airlock cannot see is `?`. */
export function buildTargets(
  specs: readonly CatalogTarget[],
  source: FieldSource,
  caseInsensitiveIds: boolean,
  attrs: Readonly<Record<string, JsonValue>>,
): Target[] {
  const targets: Target[] = [];
  for (const spec of specs) {
    let ids = [''];
    let unresolved = false;
    for (const piece of spec.id.split(/(\{[^}]*\})/)) {
      if (!piece.startsWith('{')) {
        ids = ids.map((id) => id + piece);
        continue;
      }
      const found = lookupField(piece.slice(1, -1), source);
      const values = found.ok ? found.value.map(idText) : [];
      if (values.length === 0) unresolved = true;
      const choices = values.length === 0 ? ['?'] : values;
      ids = ids.flatMap((id) => choices.map((choice) => id + choice)).slice(0, MAX_TARGETS);
    }
    for (const id of ids) {
      targets.push({
        type: spec.type,
        id: caseInsensitiveIds ? id.toLowerCase() : id,
        attrs: unresolved ? { ...attrs, unresolved: true } : attrs,
      });
    }
  }
  return targets;
}

function idText(value: JsonValue): string {
  return value !== null && typeof value === 'object' ? '?' : String(value);
}
