import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { SeededRandom } from './fakes.js';
import {
  assertWellFormedToken,
  createToken,
  hashToken,
  isWellFormedToken,
  tokenHashesEqual,
} from './token.js';

describe('airlock tokens', () => {
  const random = new SeededRandom('tokens');

  it('carry the alk_ prefix and a checksum that catches any single changed character', () => {
    verifies('token.checksum');
    const token = createToken(random.bytes(32));
    expect(token).toMatch(/^alk_[0-9A-Za-z]{49}$/);
    expect(isWellFormedToken(token)).toBe(true);
    for (let i = 4; i < token.length; i++) {
      const swapped = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
      expect(isWellFormedToken(swapped)).toBe(false);
    }
  });

  it('keep the checksums of tokens issued by earlier versions', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    const issued = [
      [new Uint8Array(32).fill(0), 'alk_00000000000000000000000000000000000000000003O9xIA'],
      [new Uint8Array(32).fill(1), 'alk_0El6XFXwsUFD8J2vGxsaboW7rZYnQRBP5d9erwRwd293g9EQc'],
      [new Uint8Array(32).fill(0x7f), 'alk_UEUO6qXbbx9u10zJkeozSTo6jqHF9gMOXCmiUjF5xOR0z8Vgq'],
      [new Uint8Array(32).fill(0xff), 'alk_yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp114zifR'],
      [bytes, 'alk_2eUwG5VtttVn7JL0USGLl77WLbEz76RYn7kQpV8htm234ZTgq'],
    ] as const;
    for (const [random, token] of issued) {
      expect(createToken(random)).toBe(token);
      expect(isWellFormedToken(token)).toBe(true);
    }
  });

  it('differ for different randomness', () => {
    expect(createToken(random.bytes(32))).not.toBe(createToken(random.bytes(32)));
  });

  it('are stored as hashes compared in constant time', () => {
    verifies('token.stored-hashed');
    const token = createToken(random.bytes(32));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token.slice(4, 20));
    expect(tokenHashesEqual(hashToken(token), hashToken(token))).toBe(true);
    expect(tokenHashesEqual(hashToken(token), hashToken(`${token}x`))).toBe(false);
  });

  it('refuses a malformed value without echoing it', () => {
    verifies('token.not-echoed');
    const secret = 'rw_live_SECRET_VALUE_1234';
    expect(() => assertWellFormedToken(secret)).toThrow(
      expect.objectContaining({ code: 'token.malformed' }),
    );
    try {
      assertWellFormedToken(secret);
    } catch (error) {
      expect(String(error)).not.toContain('SECRET');
    }
  });
});
