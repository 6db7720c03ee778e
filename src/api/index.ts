export type {
  AddApproverRequestV1,
  AdminAuthV1,
  AdminErrorAnswerV1,
  ApproveRequestV1,
  AuditTailRequestV1,
  CancelRequestV1,
  DenyRequestV1,
  GrantChangeRequestV1,
  IssueTokenRequestV1,
  ListApprovalsRequestV1,
  ReloadPolicyRequestV1,
  RemoveApproverRequestV1,
  SetCredentialRequestV1,
  ShowApprovalRequestV1,
} from './admin-api.js';
export { ADMIN_SOCKET_FILE, MAX_ADMIN_BODY_BYTES, adminErrorAnswerV1 } from './admin-api.js';
export type {
  AdminAnswer,
  AdminOperation,
  AdminParsedRequest,
  AdminRequest,
  AdminRoute,
} from './admin-routes.js';
export { ADMIN_ROUTES, describeIssues, findAdminRoute } from './admin-routes.js';
export type { DeriveTokenRequestV1 } from './token-api.js';
export { DERIVE_TOKEN_PATH, MAX_DERIVE_BODY_BYTES, deriveTokenRequestV1 } from './token-api.js';
