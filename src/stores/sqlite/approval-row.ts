import type { Approval, ApprovalState, Approver } from '../../core/index.js';
import { isFinalApprovalState, isSurfaceKind } from '../../core/index.js';
import { MalformedColumnError, RowReader, malformedRowError } from './row-reader.js';

const STATES: readonly ApprovalState[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'executed',
];

/** Bind parameters of one `approvals` row; everything but the queried columns travels in `data`. */
export interface ApprovalRowParams {
  readonly id: string;
  readonly version: number;
  readonly grant_id: string;
  readonly request_digest: string;
  readonly state: string;
  readonly created_at: number;
  readonly data: string;
}

/** Converts an approval to row parameters, with the version it is to be stored under. */
export function toApprovalRowParams(approval: Approval, version: number): ApprovalRowParams {
  const { version: _ignored, ...rest } = approval;
  return {
    id: approval.id,
    version,
    grant_id: approval.grantId,
    request_digest: approval.requestDigest,
    state: approval.state,
    created_at: approval.createdAt,
    data: JSON.stringify(rest),
  };
}

/**
 * Checks a row read from `approvals` and builds the approval. The columns win over `data` for
 * the fields they hold, so a hand edit of one but not the other cannot revive a final state.
 */
export function parseApprovalRow(row: unknown): Approval {
  const fields = new RowReader(row);
  try {
    const data = fields.json('data');
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new MalformedColumnError('data is not an object');
    const state = fields.text('state');
    if (!STATES.includes(state as ApprovalState))
      throw new MalformedColumnError('state is not an approval state');
    const approval = {
      ...(data as Approval),
      id: fields.text('id'),
      version: fields.integer('version'),
      grantId: fields.text('grant_id'),
      requestDigest: fields.text('request_digest'),
      state: state as ApprovalState,
      createdAt: fields.number('created_at'),
    };
    assertShape(approval);
    return approval;
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    const id = fields.raw('id');
    throw malformedRowError(typeof id === 'string' ? `approval \`${id}\`` : 'an approval', error);
  }
}

function assertShape(approval: Approval): void {
  const lists = [
    approval.actions,
    approval.approvals,
    approval.denials,
    approval.policyIds,
    approval.reasons,
  ];
  if (!lists.every(Array.isArray)) throw new MalformedColumnError('data is missing a list');
  if (typeof approval.needed !== 'number' || typeof approval.expiresAt !== 'number') {
    throw new MalformedColumnError('data is missing needed or expiresAt');
  }
  if (!isSurfaceKind(approval.surface))
    throw new MalformedColumnError('data holds an unknown surface');
  if (isFinalApprovalState(approval.state) && typeof approval.decidedAt !== 'number') {
    throw new MalformedColumnError('a final approval has no decidedAt');
  }
}

/** Bind parameters of one `approvers` row. */
export interface ApproverRowParams {
  readonly name: string;
  readonly credential_hash: string;
  readonly upstreams: string;
  readonly environments: string;
  readonly created_at: number;
  readonly admin: number;
  readonly totp_secret: string;
  readonly last_totp_step: number;
  readonly credential_changed_at: number;
}

/** Converts an approver to row parameters. */
export function toApproverRowParams(approver: Approver): ApproverRowParams {
  return {
    name: approver.name,
    credential_hash: approver.credentialHash,
    upstreams: JSON.stringify(approver.scope.upstreams),
    environments: JSON.stringify(approver.scope.environments),
    created_at: approver.createdAt,
    admin: approver.admin ? 1 : 0,
    totp_secret: approver.totpSecret,
    last_totp_step: approver.lastTotpStep,
    credential_changed_at: approver.credentialChangedAt,
  };
}

/** Checks a row read from `approvers` and builds the approver. */
export function parseApproverRow(row: unknown): Approver {
  const fields = new RowReader(row);
  try {
    return {
      name: fields.text('name'),
      credentialHash: fields.text('credential_hash'),
      scope: {
        upstreams: fields.textList('upstreams'),
        environments: fields.textList('environments'),
      },
      createdAt: fields.number('created_at'),
      admin: parseAdminFlag(fields.integer('admin')),
      totpSecret: fields.text('totp_secret'),
      lastTotpStep: fields.integer('last_totp_step'),
      credentialChangedAt: fields.number('credential_changed_at'),
    };
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    throw malformedRowError('an approver', error);
  }
}

function parseAdminFlag(value: number): boolean {
  // SECURITY: only an exact 1 makes an administrator; anything else in a tampered row is refused.
  if (value !== 0 && value !== 1) throw new MalformedColumnError('admin is not 0 or 1');
  return value === 1;
}
