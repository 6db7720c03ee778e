import type { Action, JsonValue } from '../../core/index.js';
import { classifyGraphqlRequest } from './graphql-classifier.js';
import { TEST_CATALOG } from './test-catalog.js';

/** A JSON POST request carrying one GraphQL document, shaped as in the corpus. */
export function post(
  query: string,
  extra: Record<string, JsonValue> = {},
): Record<string, JsonValue> {
  return { method: 'POST', contentType: 'application/json', body: { query, ...extra } };
}

/** Classifies a request against the test catalog. */
export function classify(request: unknown): Action[] {
  return classifyGraphqlRequest(request, TEST_CATALOG);
}

/** `operation:effect` for each action, the short form the tests compare. */
export function summary(request: unknown): string[] {
  return classify(request).map((action) => `${action.operation}:${action.effect}`);
}

/** `type:id` of every target of every action. */
export function targetKeys(request: unknown): string[] {
  return classify(request).flatMap((action) =>
    action.targets.map((target) => `${target.type}:${target.id}`),
  );
}
