/** What a scrubbed secret is replaced with. */
export const REDACTED = '[redacted by airlock]';

/** The byte forms a secret may take in a response: as is, and escaped inside a JSON string. */
export function secretForms(secret: string): Buffer[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, escaped]);
  // SECURITY: an empty form would match everywhere; a secret that short is refused by config.
  return [...forms].filter((form) => form.length > 0).map((form) => Buffer.from(form, 'utf8'));
}

/** Replaces every occurrence of the secrets in a whole text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    for (const form of secretForms(secret))
      scrubbed = scrubbed.split(form.toString('utf8')).join(REDACTED);
  }
  return scrubbed;
}

/** A scrubber's state for one body: `push` each chunk, then `end` once for the held-back tail. */
export interface Scrub {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
}

/** Secrets with their byte forms worked out once, for a proxy that scrubs every answer. */
export interface ScrubSecrets {
  readonly secrets: readonly string[];
  readonly forms: readonly Buffer[];
}

/** Works out the byte forms of `secrets` once (`createScrub` would on every call). */
export function toScrubSecrets(secrets: readonly string[]): ScrubSecrets {
  return Object.freeze({
    secrets: Object.freeze([...secrets]),
    forms: Object.freeze(secrets.flatMap(secretForms)),
  });
}

/**
 * Replaces every occurrence of the secrets, even one split across chunks: it holds back the last
 * `longest - 1` bytes of each chunk until it knows they start no secret.
 */
export function createScrub(secrets: readonly string[] | ScrubSecrets): Scrub {
  const forms = isSecretList(secrets) ? secrets.flatMap(secretForms) : secrets.forms;
  const keep = Math.max(0, ...forms.map((form) => form.length - 1));
  let pending: Buffer = EMPTY;
  return {
    push(chunk) {
      const scrubbed = replaceAll(
        pending.length === 0 ? chunk : Buffer.concat([pending, chunk]),
        forms,
        REPLACEMENT,
      );
      // A match ends inside what is emitted, so holding the tail back never splits one.
      const cut = Math.max(0, scrubbed.length - keep);
      // A copy: the caller may reuse the chunk's memory once it is handed on.
      pending = Buffer.from(scrubbed.subarray(cut));
      return scrubbed.subarray(0, cut);
    },
    end() {
      const tail = pending;
      pending = EMPTY;
      return tail;
    },
  };
}

const EMPTY = Buffer.alloc(0);
const REPLACEMENT = Buffer.from(REDACTED, 'utf8');

function replaceAll(data: Buffer, forms: readonly Buffer[], replacement: Buffer): Buffer {
  let current = data;
  for (const form of forms) {
    const parts: Buffer[] = [];
    let from = 0;
    let at = current.indexOf(form, from);
    if (at === -1) continue;
    while (at !== -1) {
      parts.push(current.subarray(from, at), replacement);
      from = at + form.length;
      at = current.indexOf(form, from);
    }
    parts.push(current.subarray(from));
    current = Buffer.concat(parts);
  }
  return current;
}

/** Whether `secrets` is a plain list (not yet worked out into byte forms). */
export function isSecretList(
  secrets: readonly string[] | ScrubSecrets,
): secrets is readonly string[] {
  return Array.isArray(secrets);
}
