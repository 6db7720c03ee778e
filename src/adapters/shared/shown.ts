import type { Action, ApprovalRequestV1, JsonValue } from '../../core/index.js';
import { MAX_APPROVAL_RAW_CHARS } from '../../core/index.js';
import { scrubText } from './scrub.js';

/**
 * What approvers read of a held request: a one-line summary of its actions and the adapter's
 * decoded details, with every given secret (Airlock's upstream credentials, the agent's token)
 * scrubbed out of any string, escaped or not. When `raw` (the request as sent) is given and an
 * action is `unknown` for a stated reason (duplicate keys, two query sources), the decoded
 * details are dropped: approvers see the raw text and the reasons, never one parsed reading.
 */
export function toShownRequest(
  actions: readonly Action[],
  details: { readonly [key: string]: JsonValue },
  secrets: readonly string[],
  raw?: string,
): ApprovalRequestV1 {
  const present = secrets.filter((secret) => secret !== '');
  const summary = actions.map((action) => `${action.operation} (${action.effect})`).join(', ');
  const ambiguity = ambiguityOf(actions).map((reason) => scrubText(reason, present));
  const shownRaw = raw === undefined ? undefined : scrubText(raw, present);
  const ambiguous = ambiguity.length > 0 && shownRaw !== undefined;
  // SECURITY: scrubbed as JSON text, so a secret inside any string (escaped or not) goes too.
  const scrubbed = ambiguous
    ? {}
    : (JSON.parse(scrubText(JSON.stringify(details), present)) as { [key: string]: JsonValue });
  return {
    summary: scrubText(summary, present),
    details: scrubbed,
    ...(shownRaw === undefined
      ? {}
      : { raw: { text: shownRaw.slice(0, MAX_APPROVAL_RAW_CHARS), length: shownRaw.length } }),
    ...(ambiguity.length === 0 ? {} : { ambiguity }),
  };
}

/** The reasons classifiers gave for actions they could not read one way (`unknown` effect). */
function ambiguityOf(actions: readonly Action[]): string[] {
  const reasons = actions
    .filter((action) => action.effect === 'unknown')
    .flatMap((action) => action.targets.map((target) => target.attrs['reason']))
    .filter((reason): reason is string => typeof reason === 'string');
  return [...new Set(reasons)];
}

/** A request as sent, for approvers: `METHOD target` (path and query string), a blank line, the body. */
export function toRawRequestText(method: string, target: string, body: string | null): string {
  return `${target === '' ? method : `${method} ${target}`}\n\n${body ?? ''}`;
}

/** A body as approvers should read it: parsed when it is JSON, else the text itself. */
export function readableBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
