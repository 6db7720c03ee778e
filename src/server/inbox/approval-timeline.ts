import type { Approval, AuditRecord, Store } from '../../core/index.js';

/** One step in the life of a request, as the detail page lists it. */
export interface TimelineEntry {
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly kind: string;
  /** One short line of what the record says: verdict, state, reason. */
  readonly summary: string;
}

const PAGE = 1000;

/**
 * The audit records of one approval: its transitions (by approval id) and the firewall's
 * decisions on the same request (same grant and digest, before and after it). Reads the chain in
 * pages; the store has no index by approval, so this costs a walk over the log.
 */
export async function readApprovalTimeline(
  store: Pick<Store, 'readAudit'>,
  approval: Approval,
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  for (let fromSeq = 1; ;) {
    const records = await store.readAudit({ fromSeq, limit: PAGE });
    for (const record of records) if (belongsTo(record, approval)) entries.push(toEntry(record));
    const last = records.at(-1);
    if (records.length < PAGE || last === undefined) return entries;
    fromSeq = last.seq + 1;
  }
}

function belongsTo(record: AuditRecord, approval: Approval): boolean {
  const { data } = record;
  if (data['approvalId'] === approval.id) return true;
  // Decisions on the same request by the same grant: the retry that ran it, or a replay.
  return (
    record.kind === 'decision' &&
    data['grantId'] === approval.grantId &&
    data['requestDigest'] === approval.requestDigest &&
    record.at >= approval.createdAt
  );
}

function toEntry(record: AuditRecord): TimelineEntry {
  const { data } = record;
  const parts: string[] = [];
  if (typeof data['verdict'] === 'string') parts.push(`verdict ${data['verdict']}`);
  if (typeof data['state'] === 'string') parts.push(`now ${data['state']}`);
  if (Array.isArray(data['approvedBy']) && data['approvedBy'].length > 0)
    parts.push(`approved by ${data['approvedBy'].join(', ')}`);
  if (typeof data['reason'] === 'string') parts.push(`reason: ${data['reason']}`);
  if (record.kind === 'decision' && Array.isArray(data['reasons']))
    parts.push(...data['reasons'].filter((r): r is string => typeof r === 'string'));
  return {
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    kind: record.kind,
    summary: parts.join('; '),
  };
}
