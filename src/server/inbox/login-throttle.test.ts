import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../core/index.js';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle } from './login-throttle.js';

const fail = async () => undefined;
const pass = async () => 'ok';

describe('LoginThrottle', () => {
  it('refuses a name from one source after its failures, never the same name from another source', async () => {
    const clock = new FixedClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < DEFAULT_LOGIN_THROTTLE.maxFailuresPerNameAndSource; i++) {
      expect(
        await throttle.attempt({ source: 'a', name: 'carol', credential: `guess ${i}` }, fail),
      ).toBeUndefined();
    }
    expect(await throttle.attempt({ source: 'a', name: 'carol', credential: 'right' }, pass)).toBe(
      'throttled',
    );
    expect(await throttle.attempt({ source: 'b', name: 'carol', credential: 'right' }, pass)).toBe(
      'ok',
    );
    clock.advance(DEFAULT_LOGIN_THROTTLE.windowMs);
    expect(await throttle.attempt({ source: 'a', name: 'carol', credential: 'right' }, pass)).toBe(
      'ok',
    );
  });

  it('refuses a source after its failures over any names, and a credential sprayed from anywhere', async () => {
    const throttle = new LoginThrottle(new FixedClock());
    for (let i = 0; i < DEFAULT_LOGIN_THROTTLE.maxFailuresPerSource; i++)
      await throttle.attempt({ source: 'a', name: `n${i}`, credential: `c${i}` }, fail);
    expect(await throttle.attempt({ source: 'a', name: 'dave', credential: 'right' }, pass)).toBe(
      'throttled',
    );
    for (let i = 0; i < DEFAULT_LOGIN_THROTTLE.maxFailuresPerCredential; i++)
      await throttle.attempt({ source: `s${i}`, name: `m${i}`, credential: 'sprayed' }, fail);
    expect(
      await throttle.attempt({ source: 'z', name: 'carol', credential: 'sprayed' }, pass),
    ).toBe('throttled');
    expect(await throttle.attempt({ source: 'z', name: 'carol', credential: 'right' }, pass)).toBe(
      'ok',
    );
  });

  it('runs one verification per source at a time, so one source cannot take every slot', async () => {
    const throttle = new LoginThrottle(new FixedClock());
    let release: () => void = () => undefined;
    const slow = throttle.attempt(
      { source: 'a', name: 'x', credential: 'y' },
      () => new Promise<undefined>((done) => (release = () => done(undefined))),
    );
    expect(await throttle.attempt({ source: 'a', name: 'x', credential: 'z' }, pass)).toBe(
      'throttled',
    );
    expect(await throttle.attempt({ source: 'b', name: 'carol', credential: 'right' }, pass)).toBe(
      'ok',
    );
    release();
    await slow;
    expect(await throttle.attempt({ source: 'a', name: 'carol', credential: 'right' }, pass)).toBe(
      'ok',
    );
  });
});
