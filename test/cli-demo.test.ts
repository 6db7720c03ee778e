import { describe, expect, it } from 'vitest';
import { freshHome, runCli } from './run-cli.js';

describe('airlock demo', () => {
  it('replays the incident: out of scope denied, production delete held for two, token frozen, chain intact', () => {
    const run = runCli(['demo'], { home: freshHome() });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/volumeDelete for a volume that lives in production\n\s+→ DENY by airlock:grant-scope/);
    expect(run.stdout).toMatch(/→ HOLD \(2 human approval\(s\)\) by default:destructive-production/);
    expect(run.stdout).toMatch(/and now even a read\n\s+→ DENY by airlock:authentication: .* frozen/);
    expect(run.stdout).toMatch(/hash chain intact; the token appears nowhere in it: yes/);
  });
});
