import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';

function homeWithRecords(count: number): string {
  const home = freshHome();
  for (let i = 0; i < count; i++) {
    const run = runCli(
      [
        'token',
        'issue',
        '--agent',
        `a${i}`,
        '--owner',
        'o',
        '--upstream',
        'railway',
        '--env',
        'staging',
      ],
      { home },
    );
    expect(run.status).toBe(0);
  }
  return home;
}

function tamper(home: string, sql: string): void {
  const db = new Database(join(home, 'airlock.db'));
  db.exec(sql);
  db.close();
}

describe('airlock audit', () => {
  it('verifies an intact chain and tails it without tokens', () => {
    verifies('token.never-in-audit');
    const home = homeWithRecords(3);
    const verify = runCli(['audit', 'verify'], { home });
    expect(verify).toMatchObject({ status: 0 });
    expect(verify.stdout).toMatch(/intact: 3 record/);
    const tail = runCli(['audit', 'tail', '--json'], { home });
    expect(tail.stdout.trim().split('\n')).toHaveLength(3);
    expect(tail.stdout).not.toMatch(/alk_/);
  });

  it.each([
    ['an edited row', `UPDATE audit SET data = replace(data, 'a1', 'zz') WHERE seq = 2`, 2],
    ['a deleted row', 'DELETE FROM audit WHERE seq = 2', 2],
    ['a deleted last row', 'DELETE FROM audit WHERE seq = 3', 3],
    [
      'reordered rows',
      'UPDATE audit SET seq = -1 WHERE seq = 1; UPDATE audit SET seq = 1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = -1',
      1,
    ],
  ])('exits 1 naming the first bad record after %s', (_name, sql, badSeq) => {
    verifies('audit.detects-edit');
    verifies('audit.detects-deletion');
    verifies('audit.detects-reorder');
    const home = homeWithRecords(3);
    tamper(home, sql);
    const verify = runCli(['audit', 'verify', '--json'], { home });
    expect(verify.status).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, badSeq });
  });
});
