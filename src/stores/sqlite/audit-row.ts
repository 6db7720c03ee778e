import type { AuditHead, AuditRecord, JsonValue } from '../../core/index.js';
import { MalformedColumnError, RowReader, malformedRowError } from './row-reader.js';

/** The bind parameters of one `audit` row. */
export interface AuditRowParams {
  readonly seq: number;
  readonly v: number;
  readonly at: number;
  readonly kind: string;
  readonly actor: string;
  readonly data: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * Converts a record to the parameters of an insert, given the JSON text its data was parsed
 * from (stored as is, so that parsing it back yields exactly the value that was hashed).
 */
export function toAuditRowParams(record: AuditRecord, dataJson: string): AuditRowParams {
  return {
    seq: record.seq,
    v: record.v,
    at: record.at,
    kind: record.kind,
    actor: record.actor,
    data: dataJson,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

/**
 * Checks a row read from `audit` and builds the record. A row whose columns have the wrong type
 * is refused with `store.unavailable` naming its seq; a row with the right types but altered
 * content is returned as it is, for `verifyAuditChain` to catch.
 */
export function parseAuditRow(row: unknown): AuditRecord {
  const fields = new RowReader(row);
  try {
    return buildRecord(fields);
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    const seq = fields.raw('seq');
    const which = typeof seq === 'number' ? `audit record ${seq}` : 'an audit record';
    throw malformedRowError(which, error);
  }
}

/** Checks the `audit_head` row, if there is one. */
export function parseAuditHeadRow(row: unknown): AuditHead | undefined {
  if (row === undefined) return undefined;
  const fields = new RowReader(row);
  try {
    return { seq: fields.integer('seq'), hash: fields.text('hash') };
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    throw malformedRowError('the audit head', error);
  }
}

function buildRecord(fields: RowReader): AuditRecord {
  const v = fields.integer('v');
  if (v !== 1) throw new MalformedColumnError(`version ${v} is not one this build reads`);
  const data = fields.json('data');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MalformedColumnError('data is not a JSON object');
  }
  return {
    v,
    seq: fields.integer('seq'),
    at: fields.number('at'),
    kind: fields.text('kind'),
    actor: fields.text('actor'),
    data: data as { [key: string]: JsonValue },
    prevHash: fields.text('prev_hash'),
    hash: fields.text('hash'),
  };
}
