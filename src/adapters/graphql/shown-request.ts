import type { Action, ApprovalRequestV1, JsonValue } from '../../core/index.js';
import { readableBody, toShownRequest } from '../shared/index.js';
import type { AgentRequest } from './read-request.js';

/**
 * A held GraphQL request as approvers read it: the document (parsed when the body is JSON), its
 * variables and operation name, and the URL's query parameters, scrubbed of `secrets`.
 */
export function toShownGraphqlRequest(request: AgentRequest, actions: readonly Action[], secrets: readonly string[]): ApprovalRequestV1 {
  const input = request.classifierInput;
  const details: Record<string, JsonValue> = { method: request.method };
  if (input['query'] !== undefined) details['urlQuery'] = input['query'] as JsonValue;
  if (typeof input['body'] === 'string') details['body'] = readableBody(input['body']);
  return toShownRequest(actions, details, secrets);
}
