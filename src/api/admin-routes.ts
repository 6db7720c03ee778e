import type { z } from 'zod';
import {
  addApproverRequestV1,
  addedApproverAnswerV1,
  approvalAnswerV1,
  approvalListAnswerV1,
  approveRequestV1,
  approverAnswerV1,
  approverListAnswerV1,
  auditTailAnswerV1,
  auditTailRequestV1,
  auditVerifyAnswerV1,
  cancelRequestV1,
  denyRequestV1,
  emptyRequestV1,
  grantAnswerV1,
  grantChangeRequestV1,
  grantListAnswerV1,
  issueTokenRequestV1,
  issuedTokenAnswerV1,
  listApprovalsRequestV1,
  reloadAnswerV1,
  reloadPolicyRequestV1,
  removeApproverRequestV1,
  removedApproverAnswerV1,
  revokedAnswerV1,
  setCredentialRequestV1,
  showApprovalRequestV1,
} from './admin-api.js';

/**
 * One operation of the admin API. A `GET` reads its request from the query string and needs only
 * socket access; a `POST` reads a JSON body and changes something, so it carries `auth`.
 */
export interface AdminRoute<Request extends z.ZodType, Answer extends z.ZodType> {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly request: Request;
  readonly answer: Answer;
}

function route<Request extends z.ZodType, Answer extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  request: Request,
  answer: Answer,
): AdminRoute<Request, Answer> {
  return { method, path, request, answer };
}

/** Every operation of the admin API, by name. `derive` is not here: the agent's own token authorizes it. */
export const ADMIN_ROUTES = {
  listTokens: route('GET', '/v1/tokens', emptyRequestV1, grantListAnswerV1),
  issueToken: route('POST', '/v1/tokens/issue', issueTokenRequestV1, issuedTokenAnswerV1),
  revokeToken: route('POST', '/v1/tokens/revoke', grantChangeRequestV1, revokedAnswerV1),
  unfreezeToken: route('POST', '/v1/tokens/unfreeze', grantChangeRequestV1, grantAnswerV1),
  listApprovers: route('GET', '/v1/approvers', emptyRequestV1, approverListAnswerV1),
  addApprover: route('POST', '/v1/approvers/add', addApproverRequestV1, addedApproverAnswerV1),
  removeApprover: route(
    'POST',
    '/v1/approvers/remove',
    removeApproverRequestV1,
    removedApproverAnswerV1,
  ),
  setApproverCredential: route(
    'POST',
    '/v1/approvers/set-credential',
    setCredentialRequestV1,
    approverAnswerV1,
  ),
  listApprovals: route('GET', '/v1/approvals', listApprovalsRequestV1, approvalListAnswerV1),
  showApproval: route('GET', '/v1/approvals/show', showApprovalRequestV1, approvalAnswerV1),
  approve: route('POST', '/v1/approvals/approve', approveRequestV1, approvalAnswerV1),
  deny: route('POST', '/v1/approvals/deny', denyRequestV1, approvalAnswerV1),
  cancel: route('POST', '/v1/approvals/cancel', cancelRequestV1, approvalAnswerV1),
  reloadPolicy: route('POST', '/v1/policy/reload', reloadPolicyRequestV1, reloadAnswerV1),
  auditTail: route('GET', '/v1/audit/tail', auditTailRequestV1, auditTailAnswerV1),
  auditVerify: route('GET', '/v1/audit/verify', emptyRequestV1, auditVerifyAnswerV1),
} as const;

/** The name of an admin operation. */
export type AdminOperation = keyof typeof ADMIN_ROUTES;

/** What a client sends for an operation (defaults not yet applied). */
export type AdminRequest<K extends AdminOperation> = z.input<(typeof ADMIN_ROUTES)[K]['request']>;

/** What an operation receives once its request is parsed (defaults applied). */
export type AdminParsedRequest<K extends AdminOperation> = z.output<
  (typeof ADMIN_ROUTES)[K]['request']
>;

/** What an operation answers. */
export type AdminAnswer<K extends AdminOperation> = z.output<(typeof ADMIN_ROUTES)[K]['answer']>;

/** The operation a method and path name, if any. */
export function findAdminRoute(method: string, path: string): AdminOperation | undefined {
  for (const [name, candidate] of Object.entries(ADMIN_ROUTES)) {
    if (candidate.method === method && candidate.path === path) return name as AdminOperation;
  }
  return undefined;
}

/** Zod's issues as `path: message` lines, for `input.invalid` details. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length === 0 ? '(request)' : issue.path.join('.')}: ${issue.message}`,
  );
}
