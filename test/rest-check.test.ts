import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'public.jsonl');
const VENDORED = join(import.meta.dirname, 'corpus', 'public.jsonl');
const CORPUS = existsSync(SHARED) ? SHARED : VENDORED;

interface Case {
  readonly id: string;
  readonly surface: string;
  readonly expect: 'block' | 'allow';
}

describe('airlock check on the http cases', () => {
  it('gives every http case of the corpus exactly its expected verdict under the default policy', () => {
    verifies('check.http-corpus-exact');
    const lines = readFileSync(CORPUS, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const http = lines.filter((line) => (JSON.parse(line) as Case).surface === 'http');
    expect(http).toHaveLength(29);
    const run = runCli(['check'], { home: freshHome(), input: `${http.join('\n')}\n` });
    expect(run.status).toBe(0);
    const verdicts = jsonLines(run.stdout) as { id: string; verdict: string }[];
    const misses = http
      .map((line) => JSON.parse(line) as Case)
      .filter(
        (c, i) =>
          (c.expect === 'allow') !== (verdicts[i]?.verdict === 'allow') || verdicts[i]?.id !== c.id,
      );
    expect(misses.map((c) => c.id)).toEqual([]);
  });
});
