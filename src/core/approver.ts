import type { Approval } from './approval.js';
import { matchesPattern } from './pattern.js';

/** What an approver may approve for; `*` means any. */
export interface ApproverScope {
  readonly upstreams: readonly string[];
  readonly environments: readonly string[];
}

/** A human who may approve held requests, with a credential of their own (never an agent token). */
export interface ApproverV1 {
  /** The name after `human:` in audit records. */
  readonly name: string;
  /** Inbox login password as `scrypt$N$r$p$salt$hash`; '' = none set (cannot log in). Never the credential itself. */
  readonly credentialHash: string;
  readonly scope: ApproverScope;
  readonly createdAt: number;
  /** May administer: tokens, approvers, policy reload. */
  readonly admin: boolean;
  /** Base32 RFC 6238 secret; '' = not enrolled (cannot vote with a TOTP code). */
  readonly totpSecret: string;
  /** Highest 30 s step accepted; a code is accepted once. */
  readonly lastTotpStep: number;
  /** Inbox sessions started before this are dead. */
  readonly credentialChangedAt: number;
}

/** The current version of an approver. */
export type Approver = ApproverV1;

/**
 * Every way an approval falls outside an approver's scope; empty when it is inside. A target in
 * an unknown environment is inside only a scope that covers every environment.
 */
export function approverScopeViolations(scope: ApproverScope, approval: Approval): string[] {
  const problems: string[] = [];
  for (const action of approval.actions) {
    if (!scope.upstreams.some((pattern) => matchesPattern(pattern, action.upstream))) {
      problems.push(`upstream \`${action.upstream}\` is outside the approver's scope`);
    }
    for (const target of action.targets) {
      // SECURITY: an unresolved environment could be production; only "*" covers it.
      const environment = target.environment ?? '*';
      if (!scope.environments.some((pattern) => matchesPattern(pattern, environment))) {
        const shown = target.environment ?? 'an unknown environment';
        problems.push(
          `\`${target.type}:${target.id}\` is in ${shown}, outside the approver's scope`,
        );
      }
    }
  }
  return [...new Set(problems)];
}
