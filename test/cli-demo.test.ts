import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, jsonLines, runCli } from './run-cli.js';

interface Step {
  step: string;
  verdict?: string;
  forwarded?: boolean;
  volumeStillThere?: boolean;
  approvalId?: string | null;
  verified?: boolean;
}

describe('airlock demo', () => {
  it('replays the incident on the stand-in: scope deny, environment deny, hold, approved once, replay refused, audit verified', () => {
    const home = freshHome();
    const run = runCli(['demo', '--json'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const steps = jsonLines(run.stdout) as Step[];
    expect(steps.map((s) => s.step)).toEqual(['scope', 'environment', 'hold', 'approved-once', 'replay', 'audit']);
    const [scope, environment, hold, once, replay, audit] = steps;
    expect(scope).toMatchObject({ verdict: 'deny', forwarded: false, volumeStillThere: true });
    expect(environment).toMatchObject({ verdict: 'deny', forwarded: false, volumeStillThere: true });
    expect(hold).toMatchObject({ verdict: 'hold', forwarded: false, approvalId: expect.any(String) });
    expect(once).toMatchObject({ verdict: 'allow', forwarded: true, volumeStillThere: false });
    expect(replay).toMatchObject({ forwarded: false });
    expect(audit).toMatchObject({ verified: true });
    // --home keeps the state, the stand-in's world and the audit there.
    expect(existsSync(join(home, 'airlock.db'))).toBe(true);
    expect(existsSync(join(home, 'railway-standin.json'))).toBe(true);
  });

  it('tells the story in plain words', () => {
    const run = runCli(['demo'], { home: freshHome() });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\(a\) a token made for domain management/);
    expect(run.stdout).toMatch(/HTTP 403 DENY/);
    expect(run.stdout).toMatch(/HTTP 409 HOLD/);
    expect(run.stdout).toMatch(/chain verified: \d+ records intact/);
  });
});
