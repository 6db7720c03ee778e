import type { Action, ApprovalRequestV1, JsonValue } from '../../core/index.js';
import { scrubText } from '../shared/index.js';
import type { AgentRequest } from './read-request.js';

/**
 * A held GraphQL request as approvers read it: the document (pretty when it is JSON), its
 * variables and operation name, and the URL's query parameters, with Airlock's upstream
 * credential and the agent's token scrubbed out wherever they appear.
 */
export function toShownGraphqlRequest(request: AgentRequest, actions: readonly Action[], secrets: readonly string[]): ApprovalRequestV1 {
  const input = request.classifierInput;
  const details: Record<string, JsonValue> = { method: request.method };
  const query = input['query'];
  if (query !== undefined) details['urlQuery'] = query as JsonValue;
  const body = typeof input['body'] === 'string' ? input['body'] : undefined;
  if (body !== undefined) details['body'] = parsedOrText(body);
  const summary = actions.map((action) => `${action.operation} (${action.effect})`).join(', ');
  // SECURITY: scrubbed as text, so a secret inside any string (escaped or not) goes too.
  const scrubbed = JSON.parse(scrubText(JSON.stringify(details), secrets.filter((secret) => secret !== ''))) as Record<string, JsonValue>;
  return { summary: scrubText(summary, secrets.filter((secret) => secret !== '')), details: scrubbed };
}

function parsedOrText(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}
