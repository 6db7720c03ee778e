export type { ApprovalOptions } from './approval-gate.js';
export { DEFAULT_APPROVAL_OPTIONS } from './approval-gate.js';
export type { ApprovalServiceOptions } from './approval-service.js';
export { ApprovalService } from './approval-service.js';
export { FactorThrottle } from './factor-throttle.js';
export { MIN_APPROVER_CREDENTIAL_LENGTH } from './approver-credential.js';
export type {
  EnrolledApprover,
  NewAdmin,
  NewApprover,
  ShownApprover,
} from './approver-directory.js';
export type { ApproverFactor } from './approver-factors.js';
export { PASSKEY_FACTOR_MAX_AGE_MS } from './approver-factors.js';
export { TOTP_STEP_MS, totpCode } from './totp.js';
export type {
  AuditCheckpointerOptions,
  CheckpointLineSink,
  CheckpointSigner,
} from './audit-checkpointer.js';
export { AuditCheckpointer, MAX_WITNESS_BACKLOG } from './audit-checkpointer.js';
export type { Authentication } from './authenticate.js';
export { MAX_GRANT_DEPTH, authenticate } from './authenticate.js';
export type { DecideOptions } from './decide-action.js';
export { decideAction, isProductionTarget } from './decide-action.js';
export type { CheckVerdict, DryRunOptions } from './dry-run.js';
export { DRY_RUN_PRINCIPAL, dryRunLine } from './dry-run.js';
export { DECISION_REUSE_LIFETIME_MS } from './decision-reuse.js';
export type { AgentSession } from './agent-session.js';
export { AUTHENTICATION_RECHECK_MS } from './agent-session.js';
export type {
  Caller,
  FirewallOptions,
  JudgeRequest,
  Judgment,
  ReuseScope,
  ReuseSummary,
  SessionAuthentication,
} from './firewall.js';
export { Firewall } from './firewall.js';
export type { FreezePolicy } from './freeze.js';
export { DEFAULT_FREEZE_POLICY, recordDenialAndMaybeFreeze } from './freeze.js';
export type { PolicyCase, PolicyCaseExpectation, PolicyCaseResult } from './policy-cases.js';
export { DEFAULT_POLICY_CASE_OPTIONS, parsePolicyCases, runPolicyCases } from './policy-cases.js';
export type {
  DeriveRequest,
  GrantRequest,
  GrantServiceOptions,
  IssuedToken,
  TokenLimits,
} from './grant-service.js';
export { GrantService } from './grant-service.js';
export type { ApprovalEventV1 } from './approval-events.js';
export { APPROVAL_EVENT_KINDS, approvalLink, toApprovalEvent } from './approval-events.js';
export type { UndoRule } from './undo-rules.js';
export { undoWindowFor } from './undo-rules.js';
export type { HeldRequestRunner, UndoExecutorOptions } from './undo-executor.js';
export { UndoExecutor } from './undo-executor.js';
export type {
  WebhookDispatcherOptions,
  WebhookEndpoint,
  WebhookPoster,
  WebhookRetry,
} from './webhook-dispatcher.js';
export { WebhookDispatcher, backoffMs, createHttpPoster } from './webhook-dispatcher.js';
export type { WebhookFormat } from './webhook-payload.js';
export { toSlackMessage, toWebhookBody } from './webhook-payload.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_S,
  WEBHOOK_SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature.js';
