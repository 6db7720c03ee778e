import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';

function initHome(): { home: string; policies: string } {
  const home = freshHome();
  const init = runCli(['init'], { home });
  expect(init.status).toBe(0);
  return { home, policies: join(home, 'policies') };
}

describe('airlock init and policy test', () => {
  it('init writes a config and the default policy whose cases pass, and refuses to overwrite', () => {
    verifies('policy.default-pinned-by-cases');
    const { home, policies } = initHome();
    const run = runCli(['policy', 'test', policies], { home });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(runCli(['init'], { home }).status).toBe(2);
    expect(runCli(['config', 'show'], { home }).status).toBe(0);
    // The server's alone: files 0600, folders 0700.
    expect(
      [join(home, 'airlock.yaml'), join(policies, 'default.cedar'), policies].map((path) =>
        (statSync(path).mode & 0o777).toString(8),
      ),
    ).toEqual(['600', '600', '700']);
  });

  it('exits 1 when a case fails, naming the difference', () => {
    const { home, policies } = initHome();
    const file = join(policies, 'default.test.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/verdict: hold, needed: 1/, 'verdict: hold, needed: 2'),
    );
    const run = runCli(['policy', 'test', policies], { home });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL/);
    expect(run.stdout).toMatch(/needed: expected .*2.*, got .*1/);
  });

  it('refuses an invalid policy set with exit 2, listing each error with file and line', () => {
    verifies('policy.invalid-refused-with-lines');
    const { home, policies } = initHome();
    writeFileSync(
      join(policies, 'broken.cedar'),
      '@id("ok")\npermit(principal, action, resource);\n\n@id("bad")\npermit(principal, action, resource)\nwhen { resource.nope == 1 };\n',
    );
    writeFileSync(join(policies, 'syntax.cedar'), '@id("s")\nforbid(principal, action\n');
    const run = runCli(['policy', 'test', policies], { home });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.cedar:6:\d+: /);
    expect(run.stderr).toMatch(/syntax\.cedar:\d+:\d+: /);
  });

  it('check refuses a policy folder that does not exist instead of falling back', () => {
    verifies('policy.no-silent-fallback');
    const home = freshHome();
    mkdirSync(join(home, 'x'));
    const run = runCli(['check', '--policy', join(home, 'missing')], { home, input: '' });
    expect(run.status).toBe(2);
  });
});
