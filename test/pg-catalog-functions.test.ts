import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXTENSION_READ_FUNCTIONS,
  NEWER_CORE_READ_FUNCTIONS,
  OPAQUE_FUNCTIONS,
  VOLATILE_READ_FUNCTIONS,
  functionEffect,
} from '../src/classify/sql/builtin-functions.js';
import { isBuiltinOperator } from '../src/classify/sql/builtin-operators.js';
import type { CatalogSnapshot } from '../scripts/pg-catalog-source.js';
import {
  CATALOG_MODULE_PATH,
  readCatalogSnapshot,
  renderCatalogModule,
} from '../scripts/pg-catalog-source.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { verifies } from './requirements.js';

// The SQL classifier trusts PostgreSQL's own functions by what the server's pg_proc says of
// them; this proves the checked-in copy is what a real server says today.

let server: TestPostgres;
let snapshot: CatalogSnapshot;
let coreOperators: { name: string; volatile: boolean }[];
let extensionFunctions: Set<string>;

// The extensions whose functions builtin-functions.ts trusts by name.
const EXTENSIONS = ['pg_trgm', 'pgcrypto', 'uuid-ossp', 'unaccent', 'fuzzystrmatch'];

beforeAll(async () => {
  server = await startTestPostgres();
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
  });
  await client.connect();
  try {
    snapshot = await readCatalogSnapshot(client);
    const operators = await client.query<{ name: string; volatile: boolean }>(
      `SELECT o.oprname AS name, bool_or(p.provolatile = 'v') AS volatile
         FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
        WHERE o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace AND o.oid < 16384
        GROUP BY o.oprname`,
    );
    coreOperators = operators.rows;
    // In a transaction rolled back after, so a shared server ($DATABASE_URL) keeps nothing.
    await client.query('BEGIN');
    await client.query('CREATE SCHEMA trusted_extensions');
    for (const extension of EXTENSIONS)
      await client.query(`CREATE EXTENSION IF NOT EXISTS "${extension}" SCHEMA trusted_extensions`);
    const functions = await client.query<{ name: string }>(
      `SELECT DISTINCT p.proname AS name
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e'
         JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
        WHERE e.extname = ANY($1)`,
      [EXTENSIONS],
    );
    extensionFunctions = new Set(functions.rows.map((row) => row.name));
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const volatileNames = (): string[] =>
  snapshot.functions.filter((f) => !f.nonVolatile).map((f) => f.name);
const nonVolatileNames = (): Set<string> =>
  new Set(snapshot.functions.filter((f) => f.nonVolatile).map((f) => f.name));

describe('the built-in function catalog', () => {
  it('is exactly what the server reports (regenerate with scripts/generate-pg-functions.ts)', () => {
    verifies('sql.opaque-code-unknown');
    const checkedIn = readFileSync(join(import.meta.dirname, '..', CATALOG_MODULE_PATH), 'utf8');
    expect(checkedIn).toBe(renderCatalogModule(snapshot));
  });

  it('calls no volatile built-in a read unless it was reviewed as one', () => {
    verifies('sql.opaque-code-unknown');
    const unreviewed = volatileNames().filter(
      (name) => !VOLATILE_READ_FUNCTIONS.has(name) && functionEffect([name]) === 'read',
    );
    expect(unreviewed).toEqual([]);
    // The server has hundreds of volatile functions; most must be held.
    const held = volatileNames().filter(
      (name) => functionEffect(['pg_catalog', name]) === 'unknown',
    );
    expect(held).toContain('set_config');
    expect(held).toContain('pg_read_file');
    expect(held.length).toBeGreaterThan(100);
  });

  it('lists as reviewed volatile reads only functions the server does call volatile', () => {
    verifies('sql.opaque-code-unknown');
    const volatile = new Set(volatileNames());
    // A name here that the server calls stable is already a read by the catalog: a dead entry.
    expect([...VOLATILE_READ_FUNCTIONS].filter((name) => !volatile.has(name))).toEqual([]);
  });

  it('lists by hand only names the generated catalog cannot hold', () => {
    verifies('sql.opaque-code-unknown');
    const known = new Set(snapshot.functions.map((f) => f.name));
    // Newer than the server: PostgreSQL 15 has none of them (else the entry is dead or wrong).
    expect([...NEWER_CORE_READ_FUNCTIONS].filter((name) => known.has(name))).toEqual([]);
    // Each extension function is one the extensions define, and none is a core built-in.
    expect(
      [...EXTENSION_READ_FUNCTIONS].filter(
        (name) => !extensionFunctions.has(name) || known.has(name),
      ),
    ).toEqual([]);
  });

  it('keeps the reviewed opaque built-ins unknown, however they are called', () => {
    verifies('sql.opaque-code-unknown');
    for (const name of OPAQUE_FUNCTIONS) {
      expect(functionEffect([name]), name).toBe('unknown');
      expect(functionEffect(['pg_catalog', name]), name).toBe('unknown');
    }
    // The exclusions that matter: non-volatile on the server, so the catalog rule alone would pass them.
    const excluded = [...OPAQUE_FUNCTIONS].filter((name) => nonVolatileNames().has(name)).sort();
    expect(excluded).toEqual([
      'database_to_xml',
      'database_to_xml_and_xmlschema',
      'fmgr_c_validator',
      'fmgr_internal_validator',
      'fmgr_sql_validator',
      'pg_stat_get_activity',
      'pg_stat_get_backend_activity',
      'schema_to_xml',
      'schema_to_xml_and_xmlschema',
      'table_to_xml',
      'table_to_xml_and_xmlschema',
    ]);
  });

  it('reads the catalog functions pg_dump and psql call', () => {
    verifies('sql.opaque-code-unknown');
    for (const name of [
      'acldefault',
      'pg_encoding_to_char',
      'pg_get_statisticsobjdef_columns',
      'pg_tablespace_location',
      'pg_get_function_sqlbody',
      'pg_partition_ancestors',
      'pg_options_to_table',
    ]) {
      expect(functionEffect(['pg_catalog', name]), name).toBe('read');
    }
    // A built-in's name in another schema is a user function.
    expect(functionEffect(['public', 'acldefault'])).toBe('unknown');
  });
});

describe('the built-in operators', () => {
  it('trust every core operator symbol of the server, none of which runs a volatile function', () => {
    verifies('sql.opaque-code-unknown');
    expect(coreOperators.length).toBeGreaterThan(50);
    expect(
      coreOperators
        .filter((operator) => !isBuiltinOperator(['pg_catalog', operator.name]))
        .map((operator) => operator.name),
    ).toEqual([]);
    expect(
      coreOperators.filter((operator) => operator.volatile).map((operator) => operator.name),
    ).toEqual([]);
  });
});
