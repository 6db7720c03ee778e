import type { Approval } from '../core/index.js';
import { distinctApprovers, targetsNeedingConfirmation } from '../core/index.js';

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
    denials: approval.denials.map((d) => ({ approver: d.approver, at: iso(d.at), reason: d.reason ?? null })),
    createdAt: iso(approval.createdAt),
    expiresAt: iso(approval.expiresAt),
    confirmTargets: targetsNeedingConfirmation(approval, productionEnvironments),
  };
}

/** One line per approval, for `approvals list`. */
export function approvalLine(approval: Approval): string {
  const what = approval.actions.map((a) => `${a.upstream} ${a.operation} ${a.targets.map((t) => `${t.id}@${t.environment ?? 'unknown'}`).join(',')}`).join('; ');
  const count = `${distinctApprovers(approval).length}/${approval.needed}`;
  return `${approval.id}  ${approval.state.padEnd(9)} ${count}  agent=${approval.agent}  ${what}  asked=${iso(approval.createdAt)}`;
}

/** What `approvals show` prints: exactly what will run, who asked, and what held it. */
export function approvalDetail(approval: Approval, productionEnvironments: readonly string[]): string[] {
  const shown = toShownApproval(approval, productionEnvironments);
  const lines = [
    `approval ${shown.id}: ${shown.state}, ${shown.approvalsSoFar} of ${shown.needed} approvals`,
    `asked by agent ${shown.agent} (owner ${shown.owner}, grant ${shown.grantId}) at ${shown.createdAt}; expires ${shown.expiresAt}`,
    `held by ${shown.policyIds.join(', ') || '(no policy id)'}:`,
    ...shown.reasons.map((r) => `  - ${r}`),
    `will run over ${shown.surface} (request digest ${shown.requestDigest}):`,
  ];
  for (const action of approval.actions) {
    lines.push(`  ${action.upstream} ${action.operation} (${action.effect}, ${action.reversible ? 'reversible' : 'irreversible'})`);
    for (const target of action.targets) {
      lines.push(`    ${target.type} ${target.id} in ${target.environment ?? 'an unknown environment (treated as production)'}`);
    }
  }
  if (approval.request !== undefined) {
    lines.push(`the request, decoded: ${approval.request.summary}`);
    lines.push(...JSON.stringify(approval.request.details, null, 2).split('\n').map((line) => `  ${line}`));
  } else {
    lines.push('the request itself was not kept by its adapter; the actions above are what it does');
  }
  for (const vote of shown.approvals) lines.push(`approved by ${vote.approver} at ${vote.at}`);
  for (const denial of shown.denials) lines.push(`denied by ${denial.approver} at ${denial.at}${denial.reason === null ? '' : `: ${denial.reason}`}`);
  if (approval.state === 'pending') {
    const confirm = shown.confirmTargets.length > 0 ? ` --confirm ${shown.confirmTargets.join(' ')}` : '';
    lines.push(`to approve: airlock approvals approve ${shown.id} --as NAME${confirm}`);
  }
  return lines;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
