import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import type { Action } from '../../core/index.js';
import { shellClassifier } from './index.js';
import { classifySqlText } from '../sql/index.js';

interface CorpusCase {
  readonly id: string;
  readonly surface: string;
  readonly input: { command: string; cwd: string };
  readonly expect: 'block' | 'allow';
  readonly technique: string;
}

// The corpus' folder (/repo) does not exist on this machine: a reader that finds no file, as `airlock check` here would.
const SHELL_CLASSIFIER = shellClassifier({
  files: { read: () => Promise.resolve({ kind: 'missing' }) },
});

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'test', 'corpus', 'public.jsonl');
const CASES = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusCase)
  .filter((item) => item.surface === 'shell');

/** What a case's actions mean for the gate: block needs something a human must see. */
function outcome(actions: readonly Action[]): 'block' | 'allow' {
  const risky = actions.some(
    (action) => action.effect === 'destructive' || action.effect === 'unknown',
  );
  return actions.length === 0 || risky ? 'block' : 'allow';
}

// SQL inside psql is judged by the SQL classifier; until it lands it answers `unknown` for
// everything, and a benign SELECT through psql cannot be allowed yet.
const sqlReady = (await classifySqlText('SELECT 1', 'shell')).every(
  (action) => action.effect === 'read',
);

describe('shell corpus cases', () => {
  it('holds every shell case of the corpus', () => {
    verifies('shell.corpus-exact');
    expect(CASES.length).toBe(78);
  });

  it.each(CASES.map((item) => [item.id, item.technique, item] as const))(
    '%s (%s) is judged as the corpus expects',
    async (_id, technique, item) => {
      const actions = await (SHELL_CLASSIFIER(item.input) as Promise<Action[]>);
      if (!sqlReady && technique === 'benign-sql-in-shell') {
        expect(outcome(actions)).toBe('block');
        return;
      }
      expect(
        outcome(actions),
        JSON.stringify(
          actions.map((action) => [
            action.operation,
            action.effect,
            action.targets.map((target) => target.id),
          ]),
        ),
      ).toBe(item.expect);
      for (const action of actions) expect(action.surface).toBe('shell');
    },
  );
});
