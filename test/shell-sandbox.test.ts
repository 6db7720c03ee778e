import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Action } from '../src/core/index.js';
import { corpusCases } from './corpus-cases.js';
import { verifies } from './requirements.js';
import { catalogCases } from './sandbox/catalog-cases.js';
import type { SandboxCase } from './sandbox/explicit-cases.js';
import { classCases } from './sandbox/explicit-cases.js';
import type { JudgeLine } from './sandbox/judge-line.js';
import { createJudge } from './sandbox/judge-line.js';
import type { SandboxRun, Seed } from './sandbox/sandbox-run.js';
import { runInSandbox, SANDBOX_TIME_LIMIT_MS, sandboxUnavailable } from './sandbox/sandbox-run.js';
import { createSeed, SANDBOX_HOME } from './sandbox/seed-project.js';
import { variantsOf } from './sandbox/variants.js';
import { contradictions, describeContradictions } from './sandbox/verdict-check.js';

// Runs every shell line Airlock allows (the corpus, issue 15's classes, variants, the command
// catalog's examples) in a bubblewrap sandbox under strace, and fails when the run did more than
// the verdict said. Skipped, with the reason printed, where the sandbox cannot start.
const UNAVAILABLE = sandboxUnavailable();
if (UNAVAILABLE !== undefined) console.warn(`shell sandbox tests skipped: ${UNAVAILABLE}`);

/** How many sandboxes run at once (the suite's other files share the machine). */
const PARALLEL_RUNS = 2;

/** Where traces go: memory when the host has it (the disk is shared with the rest of the suite). */
const TRACE_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

const root = mkdtempSync(join(tmpdir(), 'airlock-sandbox-'));
const seed = UNAVAILABLE === undefined ? createSeed(join(root, 'seed')) : undefined;
const judge: JudgeLine | undefined =
  seed === undefined ? undefined : await createJudge(join(root, 'airlock-home'), seed);
const cases =
  judge === undefined || seed === undefined ? [] : await collectCases(judge, seed.project);
const tally = {
  judged: 0,
  held: 0,
  ran: 0,
  passed: 0,
  failed: 0,
  notInstalled: [] as string[],
  timedOut: [] as string[],
  rerun: [] as string[],
  shared: 0,
  slowest: [] as [number, string][],
};
const started = Date.now();

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (UNAVAILABLE !== undefined) return;
  const missing =
    tally.notInstalled.length === 0 ? '' : ` (${[...new Set(tally.notInstalled)].join(', ')})`;
  console.log(
    `shell sandbox: ${tally.judged} lines judged, ${tally.held} not allowed, ${tally.ran} allowed and run (${tally.shared} variants judged as their line shared its run): ${tally.passed} did no more than their verdict, ${tally.failed} did more; ` +
      `${tally.notInstalled.length} skipped as not installed${missing}; ${tally.rerun.length} re-run after the time limit${listed(tally.rerun)}, ${tally.timedOut.length} cut off again${listed(tally.timedOut)}; ${((Date.now() - started) / 1000).toFixed(1)} s, ${(tally.slowest.reduce((sum, [ms]) => sum + ms, 0) / 1000).toFixed(1)} s in sandboxes ` +
      `(slowest runs: ${tally.slowest
        .sort((a, b) => b[0] - a[0])
        .slice(0, 5)
        .map(([ms, label]) => `${label} ${ms} ms`)
        .join(', ')})`,
  );
});

const SKIPPED = UNAVAILABLE === undefined ? '' : ` (skipped: ${UNAVAILABLE})`;

describe.skipIf(UNAVAILABLE !== undefined)(
  `the sandbox harness sees what a run does${SKIPPED}`,
  () => {
    const act = (effect: Action['effect'], operation: string, paths: string[] = []): Action => ({
      upstream: 'shell',
      surface: 'shell',
      operation,
      effect,
      reversible: true,
      targets: paths.map((id) => ({ type: 'path', id, attrs: {} })),
      digest: 'test',
    });
    const check = async (command: string, actions: Action[], timeLimitMs?: number) => {
      const traces = mkdtempSync(join(TRACE_ROOT, 'airlock-trace-'));
      const run = await runInSandbox(command, '/repo', seed as Seed, traces, timeLimitMs);
      await rm(traces, { recursive: true, force: true });
      return {
        run,
        found: contradictions(actions, run.trace, { project: '/repo', home: SANDBOX_HOME }).map(
          (item) => item.why,
        ),
      };
    };

    it('finds nothing wrong with a read that reads, a named write, sed -i and git status', async () => {
      expect(
        (
          await check('cat README.md src/app.ts; ls -la; grep -r greeting src', [
            act('read', 'cat'),
          ])
        ).found,
      ).toEqual([]);
      expect(
        (await check('rm -rf dist build', [act('write', 'rm', ['/repo/dist', '/repo/build'])]))
          .found,
      ).toEqual([]);
      expect(
        (
          await check("sed -i 's/foo/bar/' src/app.ts", [
            act('write', 'sed -i', ['/repo/src/app.ts']),
          ])
        ).found,
      ).toEqual([]);
      expect((await check('git status', [act('read', 'git status')])).found).toEqual([]);
    });

    it('catches a delete, a truncation, a write through a symlink and a signal that the verdict did not declare', async () => {
      expect((await check('rm -f .env', [act('read', 'rm')])).found).toEqual([
        'delete /repo/.env under a read verdict',
      ]);
      expect(
        (await check('sort -o README.md notes.txt', [act('read', 'sort')])).found.join('\n'),
      ).toMatch(/README\.md under a read verdict/);
      const link = await check('ln -s data/app.db db-link && echo x > db-link', [
        act('write', 'ln', ['/repo/db-link']),
        act('write', 'redirect >', ['/repo/db-link']),
      ]);
      expect(link.found).toEqual(['truncate /repo/data/app.db: a precious file']);
      expect(
        (await check('rm -rf dist data/app.db', [act('write', 'rm', ['/repo/dist', '/repo/data'])]))
          .found,
      ).toEqual(['delete /repo/data/app.db: a precious file']);
      expect((await check('touch /tmp/x ~/y', [act('write', 'touch', ['/tmp/x'])])).found).toEqual([
        `create ${SANDBOX_HOME}/y: outside the project and /tmp`,
      ]);
      expect((await check('kill -9 1', [act('read', 'kill')])).found).toEqual([
        'sent SIGKILL to pid 1, a process outside this run, under a read verdict',
      ]);
    });

    it('sees what a program from the project does, forgives what an execute action starts, and kills a run at its time limit', async () => {
      expect((await check('PATH=./bin:$PATH ls', [act('read', 'ls')])).found).toEqual([
        'delete /repo/.env under a read verdict',
      ]);
      expect((await check('./bin/ls', [act('execute', './bin/ls')])).found).toEqual([]);
      const started = Date.now();
      const slow = await check('sleep 30', [act('read', 'sleep')], 500);
      expect(slow.run.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  },
);

describe.skipIf(UNAVAILABLE !== undefined)(
  `shell lines Airlock allows do no more in a sandbox than their verdict says${SKIPPED}`,
  () => {
    it('has the corpus, the issue classes and variants to run', () => {
      verifies('shell.sandbox-agrees');
      expect(cases.filter((item) => item.label.startsWith('corpus ')).length).toBe(
        corpusCases('shell').length,
      );
      expect(cases.filter((item) => item.label.startsWith('class ')).length).toBeGreaterThan(40);
      expect(cases.filter((item) => item.label.startsWith('variant ')).length).toBeGreaterThan(50);
    });

    // Room for a wait in the pool, a run and its re-run at the longer limit.
    it.concurrent.for(cases.map((item) => [title(item), item] as const))(
      '%s',
      { timeout: 60_000 },
      async ([, item], context) => {
        if (item.needs !== undefined && !installed(item.needs)) {
          tally.notInstalled.push(item.needs);
          context.skip(`\`${item.needs}\` is not installed`);
          return;
        }
        tally.judged += 1;
        const judged = await (judge as JudgeLine)(item.command, item.cwd);
        if (judged.verdict !== 'allow') {
          tally.held += 1;
          return;
        }
        // A spelling that runs exactly what its line runs, judged exactly as that line, would do
        // what that line's run did: its run stands for both.
        const same =
          item.sameAs !== undefined &&
          sameActions(judged.actions, (await (judge as JudgeLine)(item.sameAs, item.cwd)).actions);
        if (same) tally.shared += 1;
        const run = await runCached(
          same && item.sameAs !== undefined ? { ...item, command: item.sameAs } : item,
        );
        tally.ran += 1;
        if (run.timedOut) tally.timedOut.push(item.label);
        const found = contradictions(judged.actions, run.trace, {
          project: item.cwd,
          home: SANDBOX_HOME,
        });
        if (found.length === 0) tally.passed += 1;
        else tally.failed += 1;
        const label = `${item.label}: ${JSON.stringify(item.command)}`;
        context
          .expect(
            found.length === 0
              ? 'no contradiction'
              : describeContradictions(label, judged.actions, found),
          )
          .toBe('no contradiction');
      },
    );
  },
);

const runs = new Map<string, Promise<SandboxRun>>();

/**
 * Runs a line once per cwd. A run cut off by the time limit has an incomplete record (scratch
 * files not yet removed): it runs once more with a longer limit before it is judged.
 */
function runCached(item: SandboxCase): Promise<SandboxRun> {
  const key = `${item.cwd}\u0000${item.command}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = runOnce(item, SANDBOX_TIME_LIMIT_MS).then((first) => {
      if (!first.timedOut) return first;
      tally.rerun.push(item.label);
      return runOnce(item, 3 * SANDBOX_TIME_LIMIT_MS);
    });
    runs.set(key, run);
  }
  return run;
}

/** Whether two lines were judged the same: the same effects, operations and targets. */
function sameActions(a: readonly Action[], b: readonly Action[]): boolean {
  const key = (actions: readonly Action[]) =>
    JSON.stringify(
      actions.map((action) => [
        action.effect,
        action.operation,
        action.targets.map((target) => [target.type, target.id]),
      ]),
    );
  return key(a) === key(b);
}

/** Runs one case in a fresh sandbox, in the pool, recording how long it took. */
async function runOnce(item: SandboxCase, timeLimitMs: number): Promise<SandboxRun> {
  const traces = mkdtempSync(join(TRACE_ROOT, 'airlock-trace-'));
  try {
    return await inPool(async () => {
      const start = Date.now();
      const result = await runInSandbox(item.command, item.cwd, seed as Seed, traces, timeLimitMs);
      tally.slowest.push([Date.now() - start, item.label]);
      return result;
    });
  } finally {
    await rm(traces, { recursive: true, force: true });
  }
}

/** The corpus's shell cases, the issue's classes, variants of every allowed corpus line, the catalog's examples. */
async function collectCases(judgeLine: JudgeLine, seedProject: string): Promise<SandboxCase[]> {
  const corpus: SandboxCase[] = corpusCases('shell').map((item) => {
    const input = item.input as { command: string; cwd?: string };
    return { label: `corpus ${item.id}`, command: input.command, cwd: input.cwd ?? '/repo' };
  });
  const allowed: SandboxCase[] = [];
  for (const item of corpus)
    if ((await judgeLine(item.command, item.cwd)).verdict === 'allow') allowed.push(item);
  const all = [
    ...corpus,
    ...classCases(),
    ...allowed.flatMap((item) => variantsOf(item, seedProject)),
    ...((await catalogCases()) ?? []),
  ];
  const seen = new Set<string>();
  return all.filter((item) => {
    const key = `${item.cwd}\u0000${item.command}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than PARALLEL_RUNS sandboxes are running. */
async function inPool<T>(task: () => Promise<T>): Promise<T> {
  while (running >= PARALLEL_RUNS) await new Promise<void>((resume) => waiting.push(resume));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

const installedCache = new Map<string, boolean>();

function installed(program: string): boolean {
  let found = installedCache.get(program);
  if (found === undefined) {
    found =
      spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], {
        env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      }).status === 0;
    installedCache.set(program, found);
  }
  return found;
}

function listed(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` (${labels.join(', ')})`;
}

function title(item: SandboxCase): string {
  const command = item.command.replace(/\s*\n\s*/g, ' ⏎ ');
  return `${item.label}: ${command.length > 90 ? `${command.slice(0, 87)}...` : command}`;
}
