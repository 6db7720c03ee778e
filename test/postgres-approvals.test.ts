import { rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RestoreRefused,
  SQLSTATE,
  listSnapshots,
  restoreSnapshot,
  withEnvironment,
} from '../src/adapters/postgres/index.js';
import { refusalFor, snapshotFailedError } from '../src/adapters/postgres/respond.js';
import { parseErrorFields } from '../src/adapters/postgres/wire.js';
import { classifySqlText } from '../src/classify/sql/index.js';
import { postgresUpstreamsOf } from './upstreams-of.js';
import { loadConfig } from '../src/config/index.js';
import type { Decision } from '../src/core/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import type { GuardedPostgresOptions } from './pg-proxy-harness.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';
import { freshHome } from './run-cli.js';

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Guarded = Awaited<ReturnType<typeof startGuardedPostgres>>;

/** A guarded proxy with a direct session and an agent session through it, for `body`; all closed after. */
async function withGuardedSessions(
  options: GuardedPostgresOptions,
  body: (guarded: Guarded, direct: pg.Client, agent: pg.Client) => Promise<void>,
): Promise<void> {
  const guarded = await startGuardedPostgres(server, classifySqlText, options);
  try {
    await guarded.withDirect((direct) =>
      guarded.withAgent((agent) => body(guarded, direct, agent)),
    );
  } finally {
    await guarded.proxy.close();
  }
}

/** The error a statement through Airlock failed with (the test fails if it ran); prepared (extended protocol) when named. */
async function refusal(
  client: pg.Client,
  sql: string,
  preparedAs?: string,
): Promise<pg.DatabaseError> {
  const error = await client
    .query(preparedAs === undefined ? sql : { name: preparedAs, text: sql })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (error === undefined) throw new Error(`\`${sql}\` ran`);
  return error as pg.DatabaseError;
}

function approvalIdIn(error: Error): string {
  const id = /approval id (apr_[A-Za-z0-9_]+)/.exec(error.message)?.[1];
  if (id === undefined) throw new Error(`no approval id in ${error.message}`);
  return id;
}

async function seed(client: pg.Client, table: string, rows: number): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
  await client.query(
    `INSERT INTO ${table} SELECT g, 'row ' || g FROM generate_series(1, ${rows}) g`,
  );
}

async function rowsOf(client: pg.Client, table: string): Promise<number> {
  return (
    (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1
  );
}

async function auditKinds(guarded: Guarded): Promise<string[]> {
  return (await guarded.store.readAudit())
    .map((record) => record.kind)
    .filter((kind) => kind.startsWith('approval.') || kind === 'snapshot.taken');
}

describe('snapshots of what does not exist', () => {
  it('runs an approved DROP SCHEMA IF EXISTS of a missing schema, recording a snapshot that nothing existed, which restore refuses', async () => {
    verifies('pg.snapshot-before-destruction');
    // (A DROP TABLE of missing tables is asked of the server first and runs as a write: see
    // postgres-pgbench-init.test.ts. A schema is not probed, so it reaches the snapshot.)
    await withGuardedSessions({}, async (guarded, direct, agent) => {
      await direct.query('DROP SCHEMA IF EXISTS never_there');
      const held = await refusal(agent, 'DROP SCHEMA IF EXISTS never_there');
      expect(held.code).toBe(SQLSTATE.held);
      await guarded.approveAll(approvalIdIn(held));
      await agent.query('DROP SCHEMA IF EXISTS never_there');

      expect(guarded.snapshots).toHaveLength(1);
      const [snapshot] = guarded.snapshots;
      if (snapshot === undefined) throw new Error('no snapshot');
      expect(snapshot).toMatchObject({
        nothingExisted: true,
        missing: ['never_there'],
        dumped: [],
        file: '',
        bytes: 0,
        scope: { kind: 'schemas', names: ['never_there'] },
      });
      const audit = (await guarded.store.readAudit()).find(
        (record) => record.kind === 'snapshot.taken',
      );
      expect(audit?.data).toMatchObject({
        snapshotId: snapshot.id,
        nothingExisted: true,
        missing: ['never_there'],
        approvalId: approvalIdIn(held),
      });
      expect(await guarded.approvals.get(approvalIdIn(held))).toMatchObject({ state: 'executed' });
      // Readers of the vault still read it; restore says plainly there is nothing to bring back.
      expect(listSnapshots(guarded.vaultDir).map((s) => s.id)).toEqual([snapshot.id]);
      await expect(restoreSnapshot(guarded.vaultDir, snapshot.id, guarded.target)).rejects.toThrow(
        RestoreRefused,
      );
      await expect(restoreSnapshot(guarded.vaultDir, snapshot.id, guarded.target)).rejects.toThrow(
        /has no dump to restore: nothing existed when it was taken \(`never_there`\)/,
      );
    });
  });

  it('runs an approved DROP TABLE IF EXISTS of a missing table sent as a prepared statement', async () => {
    await withGuardedSessions({}, async (guarded, direct, agent) => {
      await direct.query('DROP TABLE IF EXISTS never_there');
      const held = await refusal(agent, 'DROP TABLE IF EXISTS never_there', 'drop_held');
      expect(held.code).toBe(SQLSTATE.held);
      await guarded.approveAll(approvalIdIn(held));
      await agent.query({ name: 'drop_approved', text: 'DROP TABLE IF EXISTS never_there' });
      expect(guarded.snapshots).toEqual([
        expect.objectContaining({
          nothingExisted: true,
          missing: ['never_there'],
          scope: { kind: 'tables', names: ['never_there'] },
        }),
      ]);
    });
  });

  it('dumps the tables that exist, in whatever schema the session may mean, and names the missing ones', async () => {
    await withGuardedSessions({}, async (guarded, direct, agent) => {
      await direct.query('DROP SCHEMA IF EXISTS side CASCADE');
      await direct.query('CREATE SCHEMA side');
      await seed(direct, 'side.only_here', 30);
      await seed(direct, 'public.kept_here', 20);
      // The agent's search_path finds side.only_here; Airlock's own session would not.
      await agent.query('SET search_path = side, public');
      const sql = 'DROP TABLE IF EXISTS only_here, kept_here, gone_already';
      const held = await refusal(agent, sql);
      await guarded.approveAll(approvalIdIn(held));
      await agent.query(sql);

      const [snapshot] = guarded.snapshots;
      expect(snapshot).toMatchObject({
        dumped: ['public.kept_here', 'side.only_here'],
        missing: ['gone_already'],
      });
      expect(snapshot?.nothingExisted).toBeUndefined();
      expect(snapshot?.sha256).toMatch(/^[0-9a-f]{64}$/);
      await restoreSnapshot(guarded.vaultDir, snapshot?.id ?? '', guarded.target);
      expect(await rowsOf(direct, 'side.only_here')).toBe(30);
      expect(await rowsOf(direct, 'public.kept_here')).toBe(20);
    });
  });

  it('does not take a table renamed in an open transaction for a missing one', async () => {
    await withGuardedSessions({}, async (guarded, direct, agent) => {
      await seed(direct, 'precious', 50);
      const attempt = async (): Promise<pg.DatabaseError> => {
        await agent.query('BEGIN');
        await agent.query('ALTER TABLE precious RENAME TO looks_new');
        const error = await refusal(agent, 'DROP TABLE looks_new');
        await agent.query('ROLLBACK');
        return error;
      };
      const held = await attempt();
      expect(held.code).toBe(SQLSTATE.held);
      await guarded.approveAll(approvalIdIn(held));
      // Outside that transaction `looks_new` does not exist, yet inside it is `precious`.
      const failed = await attempt();
      expect(failed.code).toBe(SQLSTATE.snapshotFailed);
      expect(await rowsOf(direct, 'precious')).toBe(50);
      expect(guarded.snapshots).toHaveLength(0);
      expect(await guarded.approvals.get(approvalIdIn(held))).toMatchObject({ state: 'approved' });
    });
  });
});

describe('a failed snapshot keeps the approval', () => {
  it('leaves the approval approved when the vault cannot be written, and runs the statement once after it is fixed', async () => {
    verifies('pg.snapshot-failure-blocks');
    verifies('pg.approved-once');
    // A file where the vault folder should be: no snapshot folder can be made in it, not even by root.
    const vaultDir = join(mkdtempSync(join(tmpdir(), 'airlock-vault-')), 'vault');
    writeFileSync(vaultDir, 'not a folder');
    await withGuardedSessions({ vaultDir }, async (guarded, direct, agent) => {
      await seed(direct, 'ledger', 40);
      const held = await refusal(agent, 'DROP TABLE ledger');
      const id = approvalIdIn(held);
      await guarded.approveAll(id);

      const failed = await refusal(agent, 'DROP TABLE ledger');
      expect(failed.code).toBe(SQLSTATE.snapshotFailed);
      expect(failed.message).toMatch(/the approval is kept/);
      expect(await rowsOf(direct, 'ledger')).toBe(40);
      expect(await guarded.approvals.get(id)).toMatchObject({ state: 'approved' });
      const returned = (await guarded.store.readAudit()).filter(
        (record) => record.kind === 'approval.returned',
      );
      expect(returned).toEqual([
        expect.objectContaining({
          actor: 'system',
          data: expect.objectContaining({ approvalId: id, state: 'approved' }),
        }),
      ]);

      rmSync(vaultDir);
      await agent.query('DROP TABLE ledger');
      await expect(direct.query('SELECT 1 FROM ledger')).rejects.toMatchObject({ code: '42P01' });
      expect(guarded.snapshots).toHaveLength(1);
      expect(await guarded.approvals.get(id)).toMatchObject({ state: 'executed' });
      // Once: the identical statement is a new hold.
      await seed(direct, 'ledger', 1);
      const again = await refusal(agent, 'DROP TABLE ledger');
      expect(again.code).toBe(SQLSTATE.held);
      expect(approvalIdIn(again)).not.toBe(id);
      expect(await auditKinds(guarded)).toEqual([
        'approval.created',
        'approval.approved',
        'approval.approved',
        'approval.executed',
        'approval.returned',
        'approval.executed',
        'snapshot.taken',
        'approval.created',
      ]);
    });
  });

  it('leaves the approval approved when pg_dump cannot run', async () => {
    await withGuardedSessions(
      { pgDump: '/nonexistent/pg_dump' },
      async (guarded, direct, agent) => {
        await seed(direct, 'accounts', 10);
        const held = await refusal(agent, 'TRUNCATE accounts');
        const id = approvalIdIn(held);
        await guarded.approveAll(id);
        expect((await refusal(agent, 'TRUNCATE accounts')).code).toBe(SQLSTATE.snapshotFailed);
        expect(await rowsOf(direct, 'accounts')).toBe(10);
        expect(await guarded.approvals.get(id)).toMatchObject({ state: 'approved' });
        expect(
          (await auditKinds(guarded)).filter((kind) => kind === 'approval.returned'),
        ).toHaveLength(1);
      },
    );
  });
});

describe('the hold names the exact way to approve', () => {
  it('gives the approve command in the HINT of a held statement', async () => {
    verifies('pg.held-on-the-wire');
    await withGuardedSessions({}, async (_guarded, direct, agent) => {
      await seed(direct, 'invoices', 3);
      const held = await refusal(agent, 'DROP TABLE invoices');
      const id = approvalIdIn(held);
      expect(held.hint).toMatch(
        new RegExp(
          `^2 humans approve it, each with \`airlock approvals approve ${id} --as <approver>`,
        ),
      );
      expect(held.hint).toMatch(/--confirm/);
    });
  });

  it('names --confirm with the target ids in production, none elsewhere, and the inbox page when there is one', async () => {
    const actions = await classifySqlText('DROP TABLE invoices, "Odd Name"', 'app');
    const decision: Decision = {
      id: 'dec_1',
      verdict: 'hold',
      reasons: [],
      policyIds: [],
      errors: [],
      approval: { needed: 2, id: 'apr_7' },
    };
    const hintOf = (buffer: Buffer): string => parseErrorFields(buffer.subarray(5)).get('H') ?? '';
    expect(
      hintOf(
        refusalFor(decision, 'http://a/approvals', {
          actions,
          productionEnvironments: ['production'],
          approvalPagesUrl: 'http://a/inbox/approvals/',
        }),
      ),
    ).toBe(
      "2 humans approve it, each with `airlock approvals approve apr_7 --as <approver> --confirm invoices 'Odd Name'`, or in the inbox at http://a/inbox/approvals/apr_7.",
    );
    const staging = withEnvironment(actions, 'staging');
    expect(
      hintOf(
        refusalFor({ ...decision, approval: { needed: 1, id: 'apr_7' } }, 'http://a/approvals', {
          actions: staging,
          productionEnvironments: ['production'],
        }),
      ),
    ).toBe('A human approves it with `airlock approvals approve apr_7 --as <approver>`.');
    // A target id that hides characters is never spelled out to paste.
    const hidden = await classifySqlText('DROP TABLE "inv\u202Eoices"', 'app');
    expect(hintOf(refusalFor(decision, 'http://a/approvals', { actions: hidden }))).toContain(
      '--confirm <the target ids `airlock approvals show apr_7` lists>',
    );
    expect(hintOf(refusalFor(decision, 'http://a/approvals'))).toContain(
      '--as <approver> [--confirm <target ids>]',
    );
    const message = (buffer: Buffer): string => parseErrorFields(buffer.subarray(5)).get('M') ?? '';
    expect(message(snapshotFailedError())).toMatch(
      /the approval is kept: send the identical statement again/,
    );
    expect(message(snapshotFailedError('used'))).toMatch(/a human must approve it again/);
  });
});

describe('environment on postgres upstreams', () => {
  it('places every target in the configured environment, and leaves them unknown without one', async () => {
    const actions = await classifySqlText('DROP TABLE a; TRUNCATE b', 'app');
    expect(
      withEnvironment(actions, 'development').flatMap((action) =>
        action.targets.map((target) => target.environment),
      ),
    ).toEqual(['development', 'development']);
    expect(
      withEnvironment(actions, undefined).flatMap((action) =>
        action.targets.map((target) => target.environment),
      ),
    ).toEqual([undefined, undefined]);
  });

  it('resolves environment and the blast radius from airlock.yaml, with the defaults', () => {
    const home = freshHome();
    const upstream = (name: string, extra: string[]) => [
      `  ${name}:`,
      '    kind: postgres',
      '    url: postgres://app@127.0.0.1:5432/app',
      '    vault: { dir: vault }',
      ...extra,
    ];
    writeFileSync(
      join(home, 'airlock.yaml'),
      [
        'version: 1',
        'upstreams:',
        ...upstream('dev', [
          '    environment: development',
          '    blastRadius: { rows: 5, tables: { users: { share: 0.1 } } }',
        ]),
        ...upstream('prod', []),
        '',
      ].join('\n'),
    );
    const loaded = loadConfig(home);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const [dev, prod] = postgresUpstreamsOf(loaded.value, {}, false);
    expect(dev).toMatchObject({
      name: 'dev',
      environment: 'development',
      blastRadius: { rows: 5, share: 0.5, shareFloor: 10, tables: { users: { share: 0.1 } } },
    });
    expect(dev?.blastRadius.tables?.['users']).toEqual({ share: 0.1 });
    expect(prod?.environment).toBeUndefined();
    expect(prod?.blastRadius).toEqual({ rows: 1000, share: 0.5, shareFloor: 10 });
  });

  it('needs one approver and no confirmation on a development upstream', async () => {
    verifies('hold.destructive-needs-approval');
    await withGuardedSessions({ environment: 'development' }, async (guarded, direct, agent) => {
      await seed(direct, 'scratch', 5);
      const held = await refusal(agent, 'DROP TABLE scratch');
      expect(held.message).toMatch(/1 approval needed/);
      const id = approvalIdIn(held);
      expect(await guarded.approvals.get(id)).toMatchObject({
        needed: 1,
        actions: [{ targets: [{ id: 'scratch', environment: 'development' }] }],
      });
      await guarded.approveAs(id, 'bob');
      await agent.query('DROP TABLE scratch');
      await expect(direct.query('SELECT 1 FROM scratch')).rejects.toMatchObject({ code: '42P01' });
    });
  });
});
