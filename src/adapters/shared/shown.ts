import type { Action, ApprovalRequestV1, JsonValue } from '../../core/index.js';
import { scrubText } from './scrub.js';

/**
 * What approvers read of a held request: a one-line summary of its actions and the adapter's
 * decoded details, with every given secret (Airlock's upstream credentials, the agent's token)
 * scrubbed out of any string, escaped or not.
 */
export function toShownRequest(
  actions: readonly Action[],
  details: { readonly [key: string]: JsonValue },
  secrets: readonly string[],
): ApprovalRequestV1 {
  const present = secrets.filter((secret) => secret !== '');
  const summary = actions.map((action) => `${action.operation} (${action.effect})`).join(', ');
  // SECURITY: scrubbed as JSON text, so a secret inside any string (escaped or not) goes too.
  const scrubbed = JSON.parse(scrubText(JSON.stringify(details), present)) as { [key: string]: JsonValue };
  return { summary: scrubText(summary, present), details: scrubbed };
}

/** A body as approvers should read it: parsed when it is JSON, else the text itself. */
export function readableBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
