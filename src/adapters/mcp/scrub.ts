import { REDACTED } from '../shared/index.js';

// Shorter values are too likely to be ordinary words; secrets are longer than this.
const MIN_SECRET_LENGTH = 8;

/** The secrets an upstream was given that must never reach an agent, longest first. */
export function secretsOf(values: readonly (string | undefined)[]): string[] {
  return [
    ...new Set(
      values.filter(
        (value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH,
      ),
    ),
  ].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of a secret in a JSON answer (strings at any depth, keys included).
 * SECURITY: a server may echo its credential or environment (the everything server's `get-env`
 * does); the agent must never see what Airlock holds for it. It walks the value rather than
 * replacing in its JSON text (`scrubText`), so a secret holding JSON punctuation cannot match
 * across two strings and break the answer's structure.
 */
export function scrubSecrets<T>(answer: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return answer;
  const text = JSON.stringify(answer);
  if (!secrets.some((secret) => text.includes(JSON.stringify(secret).slice(1, -1)))) return answer;
  return scrubValue(answer, secrets) as T;
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string')
    return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        scrubValue(key, secrets) as string,
        scrubValue(item, secrets),
      ]),
    );
  }
  return value;
}
