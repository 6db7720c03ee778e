import { z } from 'zod';
import { EFFECTS, SURFACE_KINDS } from '../core/index.js';

// The admin API of `airlock serve`, spoken over `HOME/admin.sock`: one schema per request and
// answer, and one route table. Requests are strict (an unknown field is refused, never ignored);
// answers are loose, so an older CLI still reads a newer server's additions.

/** Largest request body the admin API reads, in bytes; larger ones are refused unread. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** The admin socket's file name inside the server's home. */
export const ADMIN_SOCKET_FILE = 'admin.sock';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const name = z.string().regex(NAME, 'letters, digits, `.`, `_` and `-`, at most 64');
const id = z.string().min(1).max(200);
const patterns = z.array(z.string().min(1).max(200)).min(1).max(100);

/**
 * Who asks for a change, with a code from their authenticator app. Admin operations need an
 * administrator's code; votes need the voter's own. The service judges the code (and audits and
 * throttles failures), so any short string passes the schema.
 */
export const adminAuthV1 = z.strictObject({ as: name, totp: z.string().max(16) });
export type AdminAuthV1 = z.infer<typeof adminAuthV1>;

// A change made by the home's owner without a server (LocalAdmin) may leave `auth` out; the
// server refuses a change without it.
const auth = adminAuthV1.optional();

/** `POST /v1/tokens/issue`: a new grant and its token, shown once. */
export const issueTokenRequestV1 = z.strictObject({
  auth,
  agent: name,
  owner: z.string().min(1).max(200),
  upstreams: patterns,
  environments: patterns,
  effects: z
    .array(z.enum(EFFECTS as ['read', 'write', 'execute', 'destructive', 'unknown']))
    .min(1),
  resources: patterns,
  /** Lifetime; the server's `tokens.defaultTtl` when left out. */
  ttlMs: z.number().int().positive().optional(),
});
export type IssueTokenRequestV1 = z.infer<typeof issueTokenRequestV1>;

/** `POST /v1/tokens/revoke` and `/v1/tokens/unfreeze`. */
export const grantChangeRequestV1 = z.strictObject({ auth, grantId: id });
export type GrantChangeRequestV1 = z.infer<typeof grantChangeRequestV1>;

/** `POST /v1/approvers/add`: the TOTP secret is in the answer, once. */
export const addApproverRequestV1 = z.strictObject({
  auth,
  name,
  upstreams: patterns,
  environments: patterns,
  admin: z.boolean().default(false),
  /** The web inbox login credential; without one the approver uses the CLI only. */
  credential: z.string().min(1).max(1024).optional(),
});
export type AddApproverRequestV1 = z.input<typeof addApproverRequestV1>;

/** `POST /v1/approvers/remove`. */
export const removeApproverRequestV1 = z.strictObject({ auth, name });
export type RemoveApproverRequestV1 = z.infer<typeof removeApproverRequestV1>;

/** `POST /v1/approvers/set-credential`: an administrator, or the approver with their own code. */
export const setCredentialRequestV1 = z.strictObject({
  auth,
  name,
  credential: z.string().min(1).max(1024),
});
export type SetCredentialRequestV1 = z.infer<typeof setCredentialRequestV1>;

const APPROVAL_STATES = [
  'pending',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'executed',
] as const;

/** `GET /v1/approvals?state=`. */
export const listApprovalsRequestV1 = z.strictObject({ state: z.enum(APPROVAL_STATES).optional() });
export type ListApprovalsRequestV1 = z.infer<typeof listApprovalsRequestV1>;

/** `GET /v1/approvals/show?id=`. */
export const showApprovalRequestV1 = z.strictObject({ id });
export type ShowApprovalRequestV1 = z.infer<typeof showApprovalRequestV1>;

/** `POST /v1/approvals/approve`: irreversible production targets are typed in `confirm`. */
export const approveRequestV1 = z.strictObject({
  auth: adminAuthV1,
  id,
  confirm: z.array(id).max(100).default([]),
});
export type ApproveRequestV1 = z.input<typeof approveRequestV1>;

/** `POST /v1/approvals/deny`. */
export const denyRequestV1 = z.strictObject({
  auth: adminAuthV1,
  id,
  reason: z.string().max(2000).optional(),
});
export type DenyRequestV1 = z.infer<typeof denyRequestV1>;

/** `POST /v1/approvals/cancel`. */
export const cancelRequestV1 = z.strictObject({ auth: adminAuthV1, id });
export type CancelRequestV1 = z.infer<typeof cancelRequestV1>;

/** `POST /v1/policy/reload`: compiles the whole policy folder, then swaps; on failure nothing changes. */
export const reloadPolicyRequestV1 = z.strictObject({ auth });
export type ReloadPolicyRequestV1 = z.infer<typeof reloadPolicyRequestV1>;

/** `GET /v1/audit/tail?count=`. */
export const auditTailRequestV1 = z.strictObject({
  count: z.coerce.number().int().min(1).max(10_000).default(20),
});
export type AuditTailRequestV1 = z.input<typeof auditTailRequestV1>;

/** Reads without parameters: `GET /v1/tokens`, `/v1/approvers`, `/v1/audit/verify`. */
export const emptyRequestV1 = z.strictObject({});

const json = z.json();

/** A grant as the API shows it (never its token: only a hash is stored). */
export const grantV1 = z.looseObject({
  id: z.string(),
  agent: z.string(),
  owner: z.string(),
  upstreams: z.array(z.string()),
  environments: z.array(z.string()),
  effects: z.array(z.enum(EFFECTS as ['read', 'write', 'execute', 'destructive', 'unknown'])),
  resources: z.array(z.string()),
  createdAt: z.number(),
  expiresAt: z.number(),
  parentId: z.string().optional(),
  revokedAt: z.number().optional(),
  frozenAt: z.number().optional(),
});

/** An approver as shown: never a credential, its hash or the TOTP secret. */
export const shownApproverV1 = z.looseObject({
  name: z.string(),
  scope: z.looseObject({ upstreams: z.array(z.string()), environments: z.array(z.string()) }),
  createdAt: z.number(),
  admin: z.boolean().optional(),
  totpEnrolled: z.boolean().optional(),
});

const vote = z.looseObject({ approver: z.string(), at: z.number(), reason: z.string().optional() });

/** An approval, as stored (`ApprovalV1`). */
export const approvalV1 = z.looseObject({
  id: z.string(),
  version: z.number(),
  requestDigest: z.string(),
  grantId: z.string(),
  agent: z.string(),
  owner: z.string(),
  surface: z.enum(SURFACE_KINDS as ['graphql', 'http', 'sql', 'mcp', 'shell']),
  actions: z.array(
    z.looseObject({
      upstream: z.string(),
      operation: z.string(),
      effect: z.string(),
      reversible: z.boolean(),
      targets: z.array(
        z.looseObject({ type: z.string(), id: z.string(), environment: z.string().optional() }),
      ),
    }),
  ),
  request: z.looseObject({ summary: z.string(), details: z.record(z.string(), json) }).optional(),
  needed: z.number(),
  approvals: z.array(vote),
  denials: z.array(vote),
  state: z.enum(APPROVAL_STATES),
  createdAt: z.number(),
  expiresAt: z.number(),
  policyIds: z.array(z.string()),
  reasons: z.array(z.string()),
  decidedAt: z.number().optional(),
  undoWindowMs: z.number().optional(),
  runAt: z.number().optional(),
});

/** An audit record (`AuditRecordV1`). */
export const auditRecordV1 = z.looseObject({
  v: z.literal(1),
  seq: z.number(),
  prevHash: z.string(),
  hash: z.string(),
  kind: z.string(),
  actor: z.string(),
  at: z.number(),
  data: z.record(z.string(), json),
});

/** Answers, one per operation. Approvals carry the production names so clients show them alike. */
export const grantListAnswerV1 = z.looseObject({ grants: z.array(grantV1) });
export const issuedTokenAnswerV1 = z.looseObject({ token: z.string(), grant: grantV1 });
export const revokedAnswerV1 = z.looseObject({ revoked: z.array(z.string()) });
export const grantAnswerV1 = z.looseObject({ grant: grantV1 });
export const approverListAnswerV1 = z.looseObject({ approvers: z.array(shownApproverV1) });
export const addedApproverAnswerV1 = z.looseObject({
  approver: shownApproverV1,
  /** Shown once: the authenticator app's secret and its `otpauth://` URI. */
  totp: z.looseObject({ secret: z.string(), uri: z.string() }),
});
export const removedApproverAnswerV1 = z.looseObject({ removed: z.string() });
export const approverAnswerV1 = z.looseObject({ approver: shownApproverV1 });
export const approvalListAnswerV1 = z.looseObject({
  approvals: z.array(approvalV1),
  productionEnvironments: z.array(z.string()),
});
export const approvalAnswerV1 = z.looseObject({
  approval: approvalV1,
  productionEnvironments: z.array(z.string()),
});
export const reloadAnswerV1 = z.looseObject({ policyFiles: z.number(), loadedFrom: z.string() });
export const auditTailAnswerV1 = z.looseObject({ records: z.array(auditRecordV1) });
export const auditVerifyAnswerV1 = z.looseObject({
  ok: z.boolean(),
  count: z.number().optional(),
  badSeq: z.number().optional(),
  problem: z.string().optional(),
});

/** The typed error every non-2xx answer carries. */
export const adminErrorAnswerV1 = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.string()).default([]),
  }),
});
export type AdminErrorAnswerV1 = z.infer<typeof adminErrorAnswerV1>;
