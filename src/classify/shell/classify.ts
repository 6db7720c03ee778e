import type { Action, Effect } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Classifier } from '../classifier.js';
import { budgetedReader } from './catalog/read-budget.js';
import { guardFindings } from './guard.js';
import type { Finding, ShellContext } from './types.js';
import { classifyCode } from './walker.js';

export type { Action, Finding, ShellContext };

/** The digest an approval of a command line binds to: this exact line in this exact folder. */
export function digestShellCommand(command: string, cwd: string): string {
  return digestRequest({ command, cwd });
}

/** The upstream name shell actions carry when the caller names none (the corpus, `airlock check`). */
export const SHELL_UPSTREAM = 'shell';

/**
 * Classifies one shell command line run in `cwd` with a real shell parser: one action for every
 * command that would run (and every file a redirection overwrites). Never throws; what cannot be
 * understood is one `unknown` action. Shared by the agent hooks and the MCP proxy.
 */
export async function classifyShellCommand(
  command: string,
  cwd: string,
  upstream: string,
  context: ShellContext = {},
): Promise<Action[]> {
  const digest = digestShellCommand(command, cwd);
  const project = cwd.startsWith('/') ? stripSlash(cwd) : undefined;
  let findings: Finding[];
  try {
    // Each command line gets its own read budget and cache (catalog/read-budget.ts): a hostile
    // project's scripts that call each other cannot make the hook read and walk without end.
    const bounded: ShellContext =
      context.files === undefined ? context : { ...context, files: budgetedReader(context.files) };
    findings = guardFindings(
      await classifyCode(command, project, { project, upstream, context: bounded }),
      context.guard,
    );
  } catch (error) {
    // SECURITY: a classifier bug on hostile input must still produce a judgeable, held action.
    findings = [
      {
        operation: `shell (classifier failed: ${error instanceof Error ? error.name : 'error'})`,
        effect: 'unknown',
        targets: [],
      },
    ];
  }
  if (findings.length === 0)
    findings = [{ operation: 'shell (nothing to run)', effect: 'read', targets: [] }];
  return dedupe(findings).map((finding) => toAction(finding, upstream, digest));
}

/** The shell surface's classifier: corpus input `{command, cwd}`, consulting what `context` allows. */
export function shellClassifier(context: ShellContext = {}): Classifier {
  return (input) => classifyShellInput(input, context);
}

/** The shell classifier with nothing to consult: what would need a file is `unknown`. */
export const SHELL_CLASSIFIER: Classifier = shellClassifier();

function classifyShellInput(input: unknown, context: ShellContext): Promise<Action[]> | Action[] {
  const shape = input as { command?: unknown; cwd?: unknown } | null;
  if (
    typeof shape !== 'object' ||
    shape === null ||
    typeof shape.command !== 'string' ||
    (shape.cwd !== undefined && typeof shape.cwd !== 'string')
  ) {
    return [
      toAction(
        { operation: 'shell (invalid request)', effect: 'unknown', targets: [] },
        SHELL_UPSTREAM,
        digestRequest(input ?? null),
      ),
    ];
  }
  return classifyShellCommand(shape.command, shape.cwd ?? '', SHELL_UPSTREAM, context);
}

/** A finding as the shell surface's action (shared by the file tools, judged like the shell's writes). */
export function toAction(finding: Finding, upstream: string, digest: string): Action {
  const effect: Effect = finding.effect;
  return {
    upstream,
    surface: 'shell',
    operation: finding.operation,
    effect,
    reversible: effect === 'read' || effect === 'write',
    targets: finding.targets.map((target) => ({
      type: target.type,
      id: target.id,
      attrs: target.attrs ?? {},
    })),
    digest,
  };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = JSON.stringify(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
