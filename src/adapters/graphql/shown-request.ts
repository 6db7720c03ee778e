import type { Action, ApprovalRequestV1, JsonValue } from '../../core/index.js';
import { readableBody, toRawRequestText, toShownRequest } from '../shared/index.js';
import type { AgentRequest } from './read-request.js';

/**
 * A held GraphQL request as approvers read it: the document (parsed when the body is JSON), its
 * variables and operation name, and the URL's query parameters, plus the raw request as sent,
 * all scrubbed of `secrets`. An ambiguous request (duplicate keys, a query in both the URL and
 * the body) keeps only the raw text and the reasons (see `toShownRequest`).
 */
export function toShownGraphqlRequest(
  request: AgentRequest,
  actions: readonly Action[],
  secrets: readonly string[],
): ApprovalRequestV1 {
  const input = request.classifierInput;
  const details: Record<string, JsonValue> = { method: request.method };
  if (input['query'] !== undefined) details['urlQuery'] = input['query'] as JsonValue;
  const body = typeof input['body'] === 'string' ? input['body'] : '';
  if (body !== '') details['body'] = readableBody(body);
  return toShownRequest(
    actions,
    details,
    secrets,
    toRawRequestText(request.method, request.search, body),
  );
}
