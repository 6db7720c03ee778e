import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/index.js';
import { TOTP_STEP_MS, createTotpSecret, matchTotp, totpCode, totpStep, totpUri } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII text "12345678901234567890", here in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totpCode', () => {
  it('matches the RFC 6238 SHA-1 test vectors (their last 6 digits)', () => {
    // Time (s) and the RFC's 8-digit TOTP; a 6-digit code is the same number mod 10^6.
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1_111_111_109, '07081804'],
      [1_111_111_111, '14050471'],
      [1_234_567_890, '89005924'],
      [2_000_000_000, '69279037'],
      [20_000_000_000, '65353130'],
    ];
    for (const [seconds, expected] of vectors)
      expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(expected.slice(-6));
  });

  it('matches the RFC 4226 HOTP test vectors, step by step', () => {
    const hotp = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    hotp.forEach((expected, counter) =>
      expect(totpCode(RFC_SECRET, counter * TOTP_STEP_MS)).toBe(expected),
    );
  });

  it('reads lower-case and padded base32, and refuses what is not base32', () => {
    expect(totpCode(RFC_SECRET.toLowerCase(), 59_000)).toBe('287082');
    expect(totpCode(`${RFC_SECRET}======`, 59_000)).toBe('287082');
    expect(() => totpCode('NOT-BASE32!', 0)).toThrow(
      expect.objectContaining({ code: 'input.invalid' }),
    );
    expect(() => totpCode('', 0)).toThrow(expect.objectContaining({ code: 'input.invalid' }));
  });
});

describe('createTotpSecret', () => {
  it('makes 20 random bytes as 32 base32 characters that round-trip', () => {
    const secret = createTotpSecret(new SeededRandom('totp'));
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(createTotpSecret(new SeededRandom('other'))).not.toBe(secret);
    expect(totpCode(secret, 0)).toMatch(/^\d{6}$/);
  });
});

describe('totpUri', () => {
  it('is the otpauth URI authenticator apps read', () => {
    expect(totpUri({ issuer: 'Airlock', account: 'bob', secret: RFC_SECRET })).toBe(
      `otpauth://totp/Airlock:bob?secret=${RFC_SECRET}&issuer=Airlock&algorithm=SHA1&digits=6&period=30`,
    );
    expect(totpUri({ issuer: 'Airlock', account: 'a b&c', secret: 'AB' })).toContain(
      'Airlock:a%20b%26c?',
    );
  });
});

describe('matchTotp', () => {
  const now = 1_234_567_890_000;
  const step = totpStep(now);

  it('accepts the current step and one step of drift either way, returning the step', () => {
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now, 0)).toBe(step);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - TOTP_STEP_MS), now, 0)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + TOTP_STEP_MS), now, 0)).toBe(step + 1);
  });

  it('refuses codes two steps away', () => {
    expect(
      matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 2 * TOTP_STEP_MS), now, 0),
    ).toBeUndefined();
    expect(
      matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 2 * TOTP_STEP_MS), now, 0),
    ).toBeUndefined();
  });

  it('refuses a replay: a step at or before the last accepted one', () => {
    const code = totpCode(RFC_SECRET, now);
    expect(matchTotp(RFC_SECRET, code, now, step)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, code, now, step + 1)).toBeUndefined();
    expect(
      matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - TOTP_STEP_MS), now, step - 1),
    ).toBeUndefined();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + TOTP_STEP_MS), now, step)).toBe(
      step + 1,
    );
  });

  it('refuses malformed codes and secrets without throwing', () => {
    const code = totpCode(RFC_SECRET, now);
    for (const bad of [
      '',
      '12345',
      '1234567',
      ` ${code}`,
      `${code}\n`,
      '12a456',
      '１２３４５６',
      '-12345',
    ]) {
      expect(matchTotp(RFC_SECRET, bad, now, 0)).toBeUndefined();
    }
    expect(matchTotp('', code, now, 0)).toBeUndefined();
    expect(matchTotp('not base32!', code, now, 0)).toBeUndefined();
  });

  it('refuses the right code of another secret', () => {
    const other = createTotpSecret(new SeededRandom('someone else'));
    expect(matchTotp(other, totpCode(RFC_SECRET, now), now, 0)).toBeUndefined();
  });
});
