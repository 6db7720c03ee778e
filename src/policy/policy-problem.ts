/** One policy source file: its name (as shown in problems) and its text. */
export interface PolicyFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Why a policy set was refused, pointing at a place in one file. `line` and `column` are
 * 1-based; both are 0 when the problem concerns the file (or folder) as a whole, and `file` is
 * empty when it concerns the set as a whole.
 */
export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A problem as one line, `file:line:column: message`, the form editors and CI logs link. */
export function formatPolicyProblem(problem: PolicyProblem): string {
  if (problem.file === '') return problem.message;
  if (problem.line === 0) return `${problem.file}: ${problem.message}`;
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** A message safe to show on one line: Cedar's texts may carry line breaks. */
export function toOneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
