export type { Action, ActionV1, Effect, SurfaceKind, Target } from './action.js';
export {
  EFFECTS,
  GUARDED_TARGET_TYPE,
  SURFACE_KINDS,
  isEffect,
  isSurfaceKind,
  toResourceKey,
  worseEffect,
} from './action.js';
export type {
  Approval,
  ApprovalActionV1,
  ApprovalDenial,
  ApprovalEvent,
  ApprovalRefusal,
  ApprovalRawRequestV1,
  ApprovalRequestV1,
  ApprovalRules,
  ApprovalState,
  ApprovalTargetV1,
  ApprovalV1,
  ApprovalVote,
  DelayedActionResultV1,
  DelayedActionStatus,
  DelayedActionV1,
  HeldRequestV1,
} from './approval.js';
export {
  DEFAULT_APPROVAL_RULES,
  MAX_APPROVAL_RAW_CHARS,
  MAX_APPROVAL_REQUEST_CHARS,
  boundApprovalRequest,
  TERMINAL_APPROVAL_STATES,
  applyApprovalEvent,
  distinctApprovers,
  humanName,
  isFinalApprovalState,
  targetsNeedingConfirmation,
} from './approval.js';
export type { Approver, ApproverScope, ApproverV1 } from './approver.js';
export { approverScopeViolations } from './approver.js';
export type {
  AuditDraft,
  AuditHead,
  AuditRecord,
  AuditRecordV1,
  AuditVerification,
} from './audit.js';
export { GENESIS_HASH, chainAuditRecord, hashAuditRecord, verifyAuditChain } from './audit.js';
export type { PreparedAuditDraft } from './audit-draft.js';
export { prepareAuditDraft } from './audit-draft.js';
export type {
  AuditCheckpointV1,
  CheckpointSignatureCheck,
  SignedAuditCheckpointV1,
} from './audit-checkpoint.js';
export {
  checkpointDigest,
  checkpointSigningText,
  createAuditCheckpoint,
  isSameCheckpointedHead,
  parseCheckpointLine,
  toCheckpointLine,
} from './audit-checkpoint.js';
export type {
  CheckpointProblem,
  CheckpointProblemKind,
  CheckpointSource,
  CheckpointVerification,
  CheckpointedStore,
  TrustedCheckpoint,
} from './audit-checkpoint-verify.js';
export { compareWitness, verifyAuditCheckpoints } from './audit-checkpoint-verify.js';
export type { JsonValue } from './canonical.js';
export { digestRequest, sha256Hex, toCanonicalJson } from './canonical.js';
export type { ActionVerdict, Decision, DecisionV1, Verdict } from './decision.js';
export {
  APPROVAL_POLICY_ID,
  PENDING_CAP_POLICY_ID,
  AUTHENTICATION_POLICY_ID,
  DEFAULT_DENY_POLICY_ID,
  FAIL_CLOSED_POLICY_ID,
  GRANT_SCOPE_POLICY_ID,
  GUARD_POLICY_ID,
  NO_ADAPTER_POLICY_ID,
  combineActionVerdicts,
  mostRestrictive,
  toDecision,
} from './decision.js';
export type { FirewallErrorCode } from './errors.js';
export { FirewallError, describeError, isFirewallError } from './errors.js';
export type { Grant, GrantScope, GrantV1, Principal } from './grant.js';
export {
  grantInactiveReason,
  principalScopeViolations,
  scopeExcess,
  scopeViolations,
} from './grant.js';
export { isPatternWithin, matchesPattern } from './pattern.js';
export type {
  ApprovalStore,
  ApproverPatch,
  ApproverStore,
  AuditLog,
  Clock,
  GrantPatch,
  GrantStore,
  Ids,
  PolicyAnswer,
  PolicyEngine,
  PolicyInput,
  RandomSource,
  Store,
  WebhookDeliveryStatus,
  WebhookDeliveryV1,
  WebhookOutbox,
} from './ports.js';
export {
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  isDangerousAction,
  isProductionAction,
  isProductionTarget,
  toBatchSummary,
  toReviewOrder,
} from './approval-review.js';
export { FixedClock, SeededRandom, SequentialIds } from './fakes.js';
export type { ShortText, VisibleLine } from './visible-text.js';
export {
  groupDigits,
  hasHiddenCharacters,
  toShortText,
  toVisibleBlock,
  toVisibleLines,
  toVisibleText,
} from './visible-text.js';
export type { ClassifiedRequest } from './classified-request.js';
export { LruCache } from './lru-cache.js';
export type { Result } from './result.js';
export { err, ok } from './result.js';
export {
  TOKEN_ENTROPY_BYTES,
  TOKEN_PREFIX,
  assertWellFormedToken,
  createToken,
  hashToken,
  isWellFormedToken,
  tokenHashesEqual,
} from './token.js';
