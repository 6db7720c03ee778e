import { describe, expect, it } from 'vitest';
import { REDACTED, createScrub, scrubText } from './scrub.js';

// Feeds chunks through a scrub the way the relay does: push each, then end.
async function scrubChunks(chunks: readonly string[], secrets: readonly string[]): Promise<string> {
  const scrub = createScrub(secrets);
  const out = chunks.map((chunk) => scrub.push(Buffer.from(chunk)));
  out.push(scrub.end());
  return Buffer.concat(out).toString('utf8');
}

describe('createScrub', () => {
  const secret = 'tok_5ecret"value';
  const text = `{"a":"${secret}","b":${JSON.stringify(secret)},"c":"end"}`;

  it('replaces a secret split across every possible chunk boundary, raw and JSON-escaped', async () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const result = await scrubChunks([text.slice(0, cut), text.slice(cut)], [secret]);
      expect(result).toBe(scrubText(text, [secret]));
      expect(result).not.toContain('5ecret');
    }
    expect(scrubText(text, [secret])).toBe(`{"a":"${REDACTED}","b":"${REDACTED}","c":"end"}`);
  });

  it('passes text with no secret through unchanged, byte by byte', async () => {
    const plain = '{"data":{"me":{"id":"u1"}}}';
    expect(await scrubChunks([...plain], [secret])).toBe(plain);
  });
});
