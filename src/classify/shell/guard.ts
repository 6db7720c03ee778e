import { GUARDED_TARGET_TYPE } from '../../core/index.js';
import { guardedArgumentRead, guardedCodeMention, guardedOperandWrite } from './guard-commands.js';
import type { GuardHit } from './guard-paths.js';
import { guardedRead, guardedWrite, isOtherEnviron } from './guard-paths.js';
import { signalOf } from './guard-signals.js';
import type { Finding, FindingTarget, GuardSettings, Invocation } from './types.js';

/**
 * What Airlock guards from the agent (issue 15 part 6): its home, its installed code, the agent
 * clients' hook configuration, its processes, other processes' environments. A finding that
 * touches one gets a target of type `airlock-guarded`, which the firewall denies before any
 * policy: no grant and no approval lets it through (an agent that may rewrite the hook
 * configuration or stop Airlock is an agent without Airlock).
 */

/** Marks a command that signals a pid only the run knows, or looks Airlock's pids up; paired in `guardFindings`. */
const SIGNAL_MARK = 'airlock-guard-mark';
/** Why Airlock's processes are guarded. */
const SIGNAL_WHY = 'stopping or attaching to them would switch the firewall off';
/** Programs run by path (not written): what the walker reports for a program outside the standard folders. */
const RUNS_PROGRAM = /\(runs a program outside the standard folders\)$/;

/** Extra findings for one command (reads of /proc/PID/environ and the Airlock home, signals to Airlock's processes). */
export function guardInvocation(inv: Invocation, guard: GuardSettings | undefined): Finding[] {
  if (guard === undefined) return [];
  const findings: Finding[] = [];
  const read = guardedArgumentRead(inv, guard);
  if (read !== undefined) findings.push(guarded(inv.name, read));
  const write = guardedOperandWrite(inv, guard) ?? guardedCodeMention(inv, guard);
  if (write !== undefined) findings.push(guarded(inv.name, write));
  const signal = signalOf(inv, guard);
  if (signal.kind === 'signals')
    findings.push(guarded(inv.name, { guarded: signal.what, why: SIGNAL_WHY }));
  else if (signal.kind !== 'none')
    findings.push({
      operation: inv.name,
      effect: 'read',
      targets: [{ type: SIGNAL_MARK, id: signal.kind }],
    });
  return findings;
}

/** Every finding that writes, moves, deletes or reads a guarded path, turned into one Airlock denies. */
export function guardFindings(
  findings: readonly Finding[],
  guard: GuardSettings | undefined,
): Finding[] {
  const marks = new Set(
    findings.flatMap((finding) =>
      finding.targets.filter((target) => target.type === SIGNAL_MARK).map((target) => target.id),
    ),
  );
  const judged = findings
    .filter((finding) => !finding.targets.some((target) => target.type === SIGNAL_MARK))
    .map((finding) => guardFinding(finding, guard));
  // `pgrep airlock | xargs kill`, `kill $(pidof airlock-hook)`: the pid comes from a lookup of Airlock's processes.
  if (marks.has('lookup') && marks.has('dynamic'))
    judged.push(
      guarded('kill', { guarded: "pids looked up among Airlock's processes", why: SIGNAL_WHY }),
    );
  return judged;
}

function guardFinding(finding: Finding, guard: GuardSettings | undefined): Finding {
  if (guard === undefined || finding.targets.some((target) => target.type === GUARDED_TARGET_TYPE))
    return finding;
  const changes =
    finding.effect === 'write' ||
    finding.effect === 'destructive' ||
    (finding.effect === 'unknown' && !RUNS_PROGRAM.test(finding.operation));
  for (const target of finding.targets) {
    if (target.type !== 'path') continue;
    const hit =
      (changes ? guardedWrite(target.id, guard) : undefined) ??
      guardedRead(target.id, guard) ??
      (isOtherEnviron(target.id)
        ? { guarded: target.id, why: "another process's environment, which holds its secrets" }
        : undefined);
    if (hit !== undefined)
      return {
        ...guarded(finding.operation, hit),
        targets: [...finding.targets, guardTarget(hit)],
      };
  }
  return finding;
}

/** A finding the firewall denies: what it touches and why that is guarded. */
function guarded(operation: string, hit: GuardHit): Finding {
  return { operation, effect: 'destructive', targets: [guardTarget(hit)] };
}

function guardTarget(hit: GuardHit): FindingTarget {
  return { type: GUARDED_TARGET_TYPE, id: hit.guarded, attrs: { why: hit.why } };
}
