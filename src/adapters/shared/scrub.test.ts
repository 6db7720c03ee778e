import { describe, expect, it } from 'vitest';
import type { ScrubSecrets } from './scrub.js';
import { REDACTED, createScrub, scrubText, toScrubSecrets } from './scrub.js';

// Feeds chunks through a scrub the way the relay does: push each, then end.
async function scrubChunks(
  chunks: readonly string[],
  secrets: readonly string[] | ScrubSecrets,
): Promise<string> {
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
      // The same with the forms worked out once, as a proxy does; reused, they carry no state.
      const once = toScrubSecrets([secret]);
      expect(await scrubChunks([text.slice(0, cut), text.slice(cut)], once)).toBe(result);
      expect(await scrubChunks([text.slice(cut), text.slice(0, cut)], once)).toBe(
        await scrubChunks([text.slice(cut), text.slice(0, cut)], [secret]),
      );
    }
    expect(scrubText(text, [secret])).toBe(`{"a":"${REDACTED}","b":"${REDACTED}","c":"end"}`);
  });

  it('passes text with no secret through unchanged, byte by byte', async () => {
    const plain = '{"data":{"me":{"id":"u1"}}}';
    expect(await scrubChunks([...plain], [secret])).toBe(plain);
  });
});
