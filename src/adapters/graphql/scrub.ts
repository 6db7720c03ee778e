import { Transform } from 'node:stream';

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
    for (const form of secretForms(secret)) scrubbed = scrubbed.split(form.toString('utf8')).join(REDACTED);
  }
  return scrubbed;
}

/**
 * A stream that replaces every occurrence of the secrets, even one split across chunks: it holds
 * back the last `longest - 1` bytes of each chunk until it knows they start no secret.
 */
export function createScrubber(secrets: readonly string[]): Transform {
  const forms = secrets.flatMap(secretForms);
  const keep = Math.max(0, ...forms.map((form) => form.length - 1));
  const replacement = Buffer.from(REDACTED, 'utf8');
  let pending: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const scrubbed = replaceAll(Buffer.concat([pending, chunk]), forms, replacement);
      // A match ends inside what is emitted, so holding the tail back never splits one.
      const cut = Math.max(0, scrubbed.length - keep);
      pending = scrubbed.subarray(cut);
      callback(null, scrubbed.subarray(0, cut));
    },
    flush(callback) {
      callback(null, pending);
    },
  });
}

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
