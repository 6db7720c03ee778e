import type { Approval, ApprovalRequestV1 } from '../../core/index.js';
import {
  distinctApprovers,
  groupDigits,
  hasHiddenCharacters,
  isProductionTarget,
  targetsNeedingConfirmation,
  toBatchSummary,
  toReviewOrder,
} from '../../core/index.js';
import { terminalBlock, terminalText } from '../terminal-text.js';

/** An approval as the CLI shows it in JSON: ISO times, counts, and the targets to type. */
export function toShownApproval(approval: Approval, productionEnvironments: readonly string[]) {
  return {
    id: approval.id,
    state: approval.state,
    approvalsSoFar: distinctApprovers(approval).length,
    needed: approval.needed,
    agent: approval.agent,
    owner: approval.owner,
    grantId: approval.grantId,
    surface: approval.surface,
    requestDigest: approval.requestDigest,
    actions: approval.actions,
    request: approval.request ?? null,
    policyIds: approval.policyIds,
    reasons: approval.reasons,
    approvals: approval.approvals.map((v) => ({ approver: v.approver, at: iso(v.at) })),
    denials: approval.denials.map((d) => ({
      approver: d.approver,
      at: iso(d.at),
      reason: d.reason ?? null,
    })),
    createdAt: iso(approval.createdAt),
    expiresAt: iso(approval.expiresAt),
    confirmTargets: targetsNeedingConfirmation(approval, productionEnvironments),
  };
}

// SECURITY: agent-supplied values in a list line are cut short (their length said) and their
// controls written out, so one value cannot push other lines away or repaint the terminal.
const LIST_VALUE_CHARS = 60;
const LIST_TARGETS = 4;

/** One line per approval, for `approvals list`; production and destructive actions first. */
export function approvalLine(
  approval: Approval,
  productionEnvironments: readonly string[] = ['production', 'prod'],
): string {
  const ordered = toReviewOrder(approval.actions, productionEnvironments);
  const parts = ordered.map((a) => {
    const targets = a.targets.map(
      (t) =>
        `${terminalText(t.id, LIST_VALUE_CHARS)}@${t.environment === undefined ? 'unknown' : terminalText(t.environment, LIST_VALUE_CHARS)}`,
    );
    const more = targets.length > LIST_TARGETS ? ` and ${targets.length - LIST_TARGETS} more` : '';
    return `${terminalText(a.upstream, LIST_VALUE_CHARS)} ${terminalText(a.operation, LIST_VALUE_CHARS)} ${targets.slice(0, LIST_TARGETS).join(',')}${more}`;
  });
  const shown =
    parts.slice(0, LIST_TARGETS).join('; ') +
    (parts.length > LIST_TARGETS ? `; and ${parts.length - LIST_TARGETS} more actions` : '');
  const what =
    approval.actions.length > 1
      ? `[${toBatchSummary(approval.actions, productionEnvironments)}] ${shown}`
      : shown;
  const count = `${distinctApprovers(approval).length}/${approval.needed}`;
  return `${terminalText(approval.id, LIST_VALUE_CHARS)}  ${approval.state.padEnd(9)} ${count}  agent=${terminalText(approval.agent, LIST_VALUE_CHARS)}  ${what}  asked=${iso(approval.createdAt)}`;
}

/**
 * What `approvals show` prints: exactly what will run, who asked, and what held it. A batch
 * says what it holds at the top and lists production and destructive actions first; an
 * ambiguous request is shown as sent, with why, never as one parsed reading.
 */
export function approvalDetail(
  approval: Approval,
  productionEnvironments: readonly string[],
): string[] {
  const shown = toShownApproval(approval, productionEnvironments);
  const lines = [
    `approval ${terminalText(shown.id)}: ${shown.state}, ${shown.approvalsSoFar} of ${shown.needed} approvals`,
    `${toBatchSummary(approval.actions, productionEnvironments)}${approval.actions.length > 1 ? ' (production and destructive first)' : ''}`,
    `asked by agent ${terminalText(shown.agent)} (owner ${terminalText(shown.owner)}, grant ${terminalText(shown.grantId)}) at ${shown.createdAt}; expires ${shown.expiresAt}`,
    `held by ${shown.policyIds.map((id) => terminalText(id)).join(', ') || '(no policy id)'}:`,
    ...shown.reasons.map((r) => `  - ${terminalText(r, 500)}`),
    `will run over ${shown.surface} (request digest ${terminalText(shown.requestDigest)}):`,
  ];
  for (const action of toReviewOrder(approval.actions, productionEnvironments)) {
    lines.push(
      `  ${terminalText(action.upstream)} ${terminalText(action.operation)} (${action.effect}, ${action.reversible ? 'reversible' : 'irreversible'})`,
    );
    const targets = [...action.targets].sort(
      (a, b) =>
        Number(isProductionTarget(b, productionEnvironments)) -
        Number(isProductionTarget(a, productionEnvironments)),
    );
    for (const target of targets) {
      lines.push(
        `    ${terminalText(target.type)} ${terminalText(target.id)} in ${target.environment === undefined ? 'an unknown environment (treated as production)' : terminalText(target.environment)}`,
      );
    }
  }
  lines.push(...requestLines(approval.request));
  for (const vote of shown.approvals)
    lines.push(`approved by ${terminalText(vote.approver)} at ${vote.at}`);
  for (const denial of shown.denials)
    lines.push(
      `denied by ${terminalText(denial.approver)} at ${denial.at}${denial.reason === null ? '' : `: ${terminalText(denial.reason, 500)}`}`,
    );
  if (approval.state === 'pending') lines.push(...approveHint(shown.id, shown.confirmTargets));
  return lines;
}

function requestLines(request: ApprovalRequestV1 | undefined): string[] {
  if (request === undefined)
    return ['the request itself was not kept by its adapter; the actions above are what it does'];
  const ambiguity = request.ambiguity ?? [];
  const raw = request.raw;
  if (ambiguity.length > 0 && raw !== undefined) {
    return [
      `the request is AMBIGUOUS: Airlock could not read it one way, so it is shown as sent, not decoded: ${terminalText(request.summary, 500)}`,
      ...ambiguity.map((reason) => `  why: ${terminalText(reason, 500)}`),
      ...rawLines(raw),
    ];
  }
  return [
    `the request, decoded: ${terminalText(request.summary, 500)}`,
    ...terminalBlock(JSON.stringify(request.details, null, 2), '  ', Number.POSITIVE_INFINITY),
    ...(raw === undefined ? [] : rawLines(raw)),
  ];
}

function rawLines(raw: NonNullable<ApprovalRequestV1['raw']>): string[] {
  const cut =
    raw.length > raw.text.length
      ? ` (the first ${groupDigits(raw.text.length)} of ${groupDigits(raw.length)} characters)`
      : '';
  // What will run is never cut here (only the store bounds it): the lines before it are.
  return [`the request as sent${cut}:`, ...terminalBlock(raw.text, '  ', Number.POSITIVE_INFINITY)];
}

function approveHint(id: string, confirmTargets: readonly string[]): string[] {
  const confirm =
    confirmTargets.length > 0
      ? ` --confirm ${confirmTargets.map((t) => terminalText(t)).join(' ')}`
      : '';
  const hidden =
    confirmTargets.some(hasHiddenCharacters) || confirmTargets.some((t) => t.length > 200);
  return [
    `to approve: airlock approvals approve ${terminalText(id)} --as NAME${confirm}`,
    ...(hidden
      ? [
          'a target id above has hidden characters or is cut short: see `approvals show --json` for the exact id, and think twice',
        ]
      : []),
  ];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
