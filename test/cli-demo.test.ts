import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, jsonLines, runCli } from './run-cli.js';

// Five CLI processes (bootstrap, enrol, approve, and the agent's two tries) run inside the demo.
const DEMO_TIMEOUT_MS = 120_000;

interface Step {
  step: string;
  verdict?: string;
  forwarded?: boolean;
  volumeStillThere?: boolean;
  approvalId?: string | null;
  verified?: boolean;
  refused?: boolean;
  attempts?: { code: string; refused: boolean }[];
}

describe('airlock demo', () => {
  it(
    'replays the incident on the stand-in: scope deny, environment deny, hold, approved once, replay refused, the agent cannot approve itself, audit verified',
    () => {
      const home = freshHome();
      const run = runCli(['demo', '--json'], { home });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const steps = jsonLines(run.stdout) as Step[];
      expect(steps.map((s) => s.step)).toEqual([
        'scope',
        'environment',
        'hold',
        'approved-once',
        'replay',
        'self-approve',
        'audit',
      ]);
      const [scope, environment, hold, once, replay, self, audit] = steps;
      expect(scope).toMatchObject({ verdict: 'deny', forwarded: false, volumeStillThere: true });
      expect(environment).toMatchObject({
        verdict: 'deny',
        forwarded: false,
        volumeStillThere: true,
      });
      expect(hold).toMatchObject({
        verdict: 'hold',
        forwarded: false,
        approvalId: expect.any(String),
      });
      expect(once).toMatchObject({ verdict: 'allow', forwarded: true, volumeStillThere: false });
      expect(replay).toMatchObject({ forwarded: false });
      // The agent has the developer's shell but not the approver's phone: a made-up code and no code are both refused.
      expect(self).toMatchObject({
        verdict: 'hold',
        refused: true,
        volumeStillThere: true,
        attempts: [
          { code: 'made-up', refused: true },
          { code: 'none', refused: true },
        ],
      });
      expect(audit).toMatchObject({ verified: true });
      // --home keeps the state, the stand-in's world and the audit there.
      expect(existsSync(join(home, 'airlock.db'))).toBe(true);
      expect(existsSync(join(home, 'railway-standin.json'))).toBe(true);
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'tells the story in plain words',
    () => {
      const run = runCli(['demo'], { home: freshHome() });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/\(a\) a token made for domain management/);
      expect(run.stdout).toMatch(/HTTP 403 DENY/);
      expect(run.stdout).toMatch(/HTTP 409 HOLD/);
      expect(run.stdout).toMatch(
        /agent \$ airlock approvals approve \S+ --as carol[^\n]*\n\s+airlock: unknown approver or wrong code/,
      );
      expect(run.stdout).toMatch(/chain verified: \d+ records intact/);
    },
    DEMO_TIMEOUT_MS,
  );
});
