import type { DetailedError, PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { checkParsePolicySet, policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { Buffer } from 'node:buffer';
import type { PolicyFile, PolicyProblem } from './policy-problem.js';
import { toOneLine } from './policy-problem.js';
import type { PolicySource } from './split-policies.js';
import { splitPolicies } from './split-policies.js';
import { SourceLines } from './source-position.js';

/** Policy ids with this prefix name Airlock's built-in rules (`airlock:grant-scope`, …). */
export const RESERVED_POLICY_ID_PREFIX = 'airlock:';

/** One policy as parsed from its file, before validation against the schema. */
export interface ParsedPolicy {
  readonly id: string;
  readonly file: string;
  readonly lines: SourceLines;
  /** The policy's text from its first annotation through its `;`. */
  readonly text: string;
  /** UTF-8 byte offset of `text` in its file, to place Cedar's byte spans. */
  readonly byteOffset: number;
  readonly line: number;
  readonly json: PolicyJson;
  readonly reason: string | undefined;
}

/**
 * Parses one file into its policies, adding a problem for every syntax error, template and bad
 * annotation. The id of a policy is its `@id` annotation, or `FILE:INDEX` (0-based) without one.
 */
export function parsePolicyFile(file: PolicyFile, problems: PolicyProblem[]): ParsedPolicy[] {
  const lines = new SourceLines(file.text);
  const check = checkParsePolicySet({ staticPolicies: file.text });
  if (check.type === 'failure') {
    const located = check.errors.flatMap(flattenError).every((e) => firstSpan(e) !== undefined);
    // Cedar locates syntax errors in the file; some refusals (a template) it does not locate,
    // and parsing policy by policy below finds where they are.
    if (located) {
      for (const error of check.errors) addErrors(problems, file.name, lines, 0, error);
      return [];
    }
  }
  const before = problems.length;
  const parsed = parseEach(file, lines, problems);
  if (check.type === 'failure' && problems.length === before) {
    for (const error of check.errors) addErrors(problems, file.name, lines, 0, error);
  }
  return parsed;
}

function parseEach(
  file: PolicyFile,
  lines: SourceLines,
  problems: PolicyProblem[],
): ParsedPolicy[] {
  const parsed: ParsedPolicy[] = [];
  let byteOffset = 0;
  let charOffset = 0;
  splitPolicies(file.text).forEach((source, index) => {
    // Byte offsets are summed as the file is walked: recounting from the start is quadratic.
    byteOffset += Buffer.byteLength(file.text.slice(charOffset, source.bodyStart), 'utf8');
    charOffset = source.bodyStart;
    const text = file.text.slice(source.bodyStart, source.start + source.text.length);
    const answer = policyToJson(text);
    if (answer.type === 'failure') {
      for (const error of answer.errors) addErrors(problems, file.name, lines, byteOffset, error);
      return;
    }
    const policy = toParsedPolicy(file, lines, source, index, {
      text,
      byteOffset,
      json: answer.json,
    });
    if (checkAnnotations(policy, problems)) parsed.push(policy);
  });
  return parsed;
}

function toParsedPolicy(
  file: PolicyFile,
  lines: SourceLines,
  source: PolicySource,
  index: number,
  parsed: { text: string; byteOffset: number; json: PolicyJson },
): ParsedPolicy {
  const annotations: Record<string, string | null> = parsed.json.annotations ?? {};
  const id = annotations['id'];
  const reason = annotations['reason'];
  return {
    id: id === undefined ? `${file.name}:${index}` : (id ?? ''),
    file: file.name,
    lines,
    text: parsed.text,
    byteOffset: parsed.byteOffset,
    line: lines.positionOfChar(source.bodyStart).line,
    json: parsed.json,
    // A bare `@reason` (null) becomes '' so that checkAnnotations refuses it.
    reason: reason === undefined ? undefined : (reason ?? ''),
  };
}

/** Adds a problem for each bad annotation; true when the policy has none. */
function checkAnnotations(policy: ParsedPolicy, problems: PolicyProblem[]): boolean {
  const messages: string[] = [];
  if (policy.id.trim() === '') messages.push('`@id` needs a non-empty value');
  // SECURITY: a user policy must not pass for a built-in rule in decisions and the audit log.
  if (policy.id.startsWith(RESERVED_POLICY_ID_PREFIX)) {
    messages.push(
      `policy id \`${policy.id}\` is reserved: ids starting with \`airlock:\` name built-in rules`,
    );
  }
  if (policy.reason !== undefined && policy.reason.trim() === '') {
    messages.push('`@reason` needs a sentence a human can read');
  }
  for (const message of messages) problems.push(problemAtPolicy(policy, message));
  return messages.length === 0;
}

/** A problem placed at the first line of a policy. */
export function problemAtPolicy(policy: ParsedPolicy, message: string): PolicyProblem {
  const position = policy.lines.positionOfByte(policy.byteOffset);
  return { file: policy.file, line: position.line, column: position.column, message };
}

/**
 * Adds a problem for a Cedar error and each of its related errors, placed at the error's first
 * source span (byte offsets relative to a text that starts `byteOffset` bytes into the file).
 */
export function addErrors(
  problems: PolicyProblem[],
  file: string,
  lines: SourceLines,
  byteOffset: number,
  error: DetailedError,
): void {
  for (const each of flattenError(error)) {
    const span = firstSpan(each);
    const position = lines.positionOfByte(byteOffset + (span?.start ?? 0));
    const message = describeCedarError(each, span?.label);
    problems.push({ file, line: position.line, column: position.column, message });
  }
}

/** One line describing a Cedar error with its label and help, when it has them. */
export function describeCedarError(error: DetailedError, label?: string | null): string {
  const parts = [error.message, label, error.help].filter((part): part is string => !!part);
  return toOneLine(parts.join(': '));
}

function flattenError(error: DetailedError): DetailedError[] {
  return [error, ...(error.related ?? []).flatMap(flattenError)];
}

function firstSpan(error: DetailedError): { start: number; label: string | null } | undefined {
  return error.sourceLocations?.[0];
}
