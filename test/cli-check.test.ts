import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_FILE as CORPUS } from './corpus-cases.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

interface Case {
  id: string;
  surface: string;
  expect: 'block' | 'allow';
}
interface Verdict {
  id: string | null;
  verdict: string;
  actions: unknown[];
  reasons: string[];
  error?: string;
}

describe('airlock check', () => {
  it('never lets a block case of the adversarial corpus through, one verdict per case in order', () => {
    verifies('check.corpus-block-never-allowed');
    const text = readFileSync(CORPUS, 'utf8');
    const cases = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Case);
    expect(cases.length).toBeGreaterThan(200);
    const run = runCli(['check'], { home: freshHome(), input: text });
    expect(run.status).toBe(0);
    const verdicts = jsonLines(run.stdout) as Verdict[];
    expect(verdicts.map((v) => v.id)).toEqual(cases.map((c) => c.id));
    const bypasses = cases.filter(
      (c, i) => c.expect === 'block' && verdicts[i]?.verdict === 'allow',
    );
    expect(bypasses.map((c) => c.id)).toEqual([]);
    // Every surface has its adapter: every case, block or allow, must get exactly its expectation.
    verifies('check.graphql-corpus-exact');
    verifies('check.corpus-exact');
    const misses = cases.filter(
      (c, i) => (c.expect === 'allow') !== (verdicts[i]?.verdict === 'allow'),
    );
    expect(new Set(cases.map((c) => c.surface))).toEqual(
      new Set(['shell', 'sql', 'graphql', 'http', 'mcp']),
    );
    expect(misses.map((c) => `${c.surface}:${c.id}`)).toEqual([]);
    for (const verdict of verdicts) {
      expect(['allow', 'hold', 'deny']).toContain(verdict.verdict);
      expect(Array.isArray(verdict.actions) && Array.isArray(verdict.reasons)).toBe(true);
    }
  });

  it('denies with an error a line it cannot parse, an unknown surface and a case without input', () => {
    verifies('check.malformed-line-denies');
    const input = [
      'not json at all',
      '{"id":"b","surface":"telnet","input":{}}',
      '{"id":"c","surface":"sql"}',
    ].join('\n');
    const run = runCli(['check'], { home: freshHome(), input });
    const verdicts = jsonLines(run.stdout) as Verdict[];
    expect(verdicts.map((v) => [v.id, v.verdict])).toEqual([
      [null, 'deny'],
      ['b', 'deny'],
      ['c', 'deny'],
    ]);
    expect(verdicts[0]?.error).toBeTruthy();
    expect(verdicts[1]?.error).toMatch(/unknown surface `telnet`/);
    expect(verdicts[2]?.error).toMatch(/needs an `input`/);
  });

  it('writes no audit record', () => {
    const home = freshHome();
    runCli(['check'], { home, input: '{"id":"a","surface":"shell","input":{"command":"ls"}}\n' });
    expect(existsSync(join(home, 'airlock.db'))).toBe(false);
  });
});
