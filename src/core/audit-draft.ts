import type { AuditDraft } from './audit.js';
import type { JsonValue } from './canonical.js';
import { toCanonicalJson } from './canonical.js';
import { FirewallError } from './errors.js';

/** A draft whose data has been rendered to the canonical JSON text that is stored and hashed. */
export interface PreparedAuditDraft {
  /** The draft to chain: its data is the value parsed back from `text`, shared with no caller. */
  readonly draft: AuditDraft;
  /** The canonical JSON text of `draft.data`: what a store keeps, and what the hash covers. */
  readonly text: string;
}

/**
 * Renders a draft the one way every store records it: its data becomes its canonical JSON text
 * (what `verifyAuditChain` hashes again), and the data kept is that text parsed back. Throws
 * `input.invalid` for a time that is not a finite number or data that is not a JSON object; a
 * value JSON cannot hold at all (a bigint, a cycle) throws as `JSON.stringify` does.
 */
export function prepareAuditDraft(draft: AuditDraft): PreparedAuditDraft {
  if (!Number.isFinite(draft.at))
    throw new FirewallError('input.invalid', 'audit time is not a finite number');
  const text = canonicalDataText(draft.data);
  // INVARIANT: the record is hashed over the value parsed back from the stored text, whose
  // canonical form is that text again, so that what is stored reads back as exactly the value
  // that was hashed; it also shares nothing with the caller's draft.
  const data = toAuditData(JSON.parse(text));
  const { kind, actor, at } = draft;
  return { draft: { kind, actor, at, data }, text };
}

// The data's canonical text, which is also what its hash covers. A value JSON cannot carry
// exactly (NaN, a hole, undefined in a list) is first taken through JSON: stored as
// JSON.stringify writes it (null).
function canonicalDataText(data: AuditDraft['data']): string {
  try {
    return toCanonicalJson(data);
  } catch {
    return toCanonicalJson(JSON.parse(JSON.stringify(data)) as unknown);
  }
}

function toAuditData(value: unknown): { [key: string]: JsonValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FirewallError('input.invalid', 'audit data is not a JSON object');
  }
  return value as { [key: string]: JsonValue };
}
