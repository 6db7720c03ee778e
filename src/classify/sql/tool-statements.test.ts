import { beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '../../core/index.js';
import { verifies } from '../../../test/requirements.js';
import { analyzeSql } from './index.js';
import { loadSqlParser } from './sql-parser.js';

// Statements exactly as PostgreSQL 15's pg_dump, pg_restore and psql send them (captured on the
// wire), judged without a server. test/postgres-tools.test.ts runs the tools themselves.

beforeAll(async () => {
  await loadSqlParser();
});

function effects(sql: string): Effect[] {
  return analyzeSql(sql).statements.map((statement) => statement.effect);
}

const DUMP_FUNC = `PREPARE dumpFunc(pg_catalog.oid) AS
SELECT
proretset,
prosrc,
probin,
provolatile,
proisstrict,
prosecdef,
lanname,
proconfig,
procost,
prorows,
pg_catalog.pg_get_function_arguments(p.oid) AS funcargs,
pg_catalog.pg_get_function_identity_arguments(p.oid) AS funciargs,
pg_catalog.pg_get_function_result(p.oid) AS funcresult,
proleakproof,
array_to_string(protrftypes, ' ') AS protrftypes,
proparallel,
prokind,
prosupport,
pg_get_function_sqlbody(p.oid) AS prosqlbody
FROM pg_catalog.pg_proc p, pg_catalog.pg_language l
WHERE p.oid = $1 AND l.oid = p.prolang`;

// Each was held before the built-in catalog came from pg_proc (acldefault,
// pg_encoding_to_char, pg_get_statisticsobjdef_columns, pg_tablespace_location,
// pg_get_function_sqlbody, pg_partition_ancestors, pg_relation_is_publishable).
const CATALOG_READS = [
  "SELECT n.tableoid, n.oid, n.nspname, n.nspowner, n.nspacl, acldefault('n', n.nspowner) AS acldefault FROM pg_namespace n",
  "SELECT tableoid, oid, datname, datdba, pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, datfrozenxid, datacl, acldefault('d', datdba) AS acldefault, datistemplate, datconnlimit, datminmxid, datlocprovider, daticulocale, datcollversion, (SELECT spcname FROM pg_tablespace t WHERE t.oid = dattablespace) AS tablespace, shobj_description(oid, 'pg_database') AS description FROM pg_database WHERE datname = current_database()",
  `SELECT d.datname as "Name",
       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
       d.daticulocale as "ICU Locale",
       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
       pg_catalog.array_to_string(d.datacl, E'\\n') AS "Access privileges"
FROM pg_catalog.pg_database d
ORDER BY 1;`,
  `SELECT spcname AS "Name",
  pg_catalog.pg_get_userbyid(spcowner) AS "Owner",
  pg_catalog.pg_tablespace_location(oid) AS "Location"
FROM pg_catalog.pg_tablespace
ORDER BY 1;`,
  `SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,
pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,
  'd' = any(stxkind) AS ndist_enabled,
  'f' = any(stxkind) AS deps_enabled,
  'm' = any(stxkind) AS mcv_enabled,
stxstattarget
FROM pg_catalog.pg_statistic_ext
WHERE stxrelid = '16490'
ORDER BY nsp, stxname;`,
  `SELECT conname, conrelid::pg_catalog.regclass AS ontable,
       pg_catalog.pg_get_constraintdef(oid, true) AS condef
  FROM pg_catalog.pg_constraint c
 WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('16490')
                     UNION ALL VALUES ('16490'::pg_catalog.regclass))
       AND contype = 'f' AND conparentid = 0
ORDER BY conname;`,
  `SELECT pubname
     , NULL
     , NULL
FROM pg_catalog.pg_publication p
WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('16490')
ORDER BY 1;`,
  `SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3;`,
  DUMP_FUNC,
];

describe('what PostgreSQL tools send', () => {
  it('reads the catalog as pg_dump and psql query it', () => {
    verifies('sql.opaque-code-unknown');
    for (const sql of CATALOG_READS) expect(effects(sql), sql).toEqual(['read']);
  });

  it("reads pg_dump's EXECUTE of its own prepared catalog query once the session knows the PREPARE", () => {
    verifies('sql.opaque-code-unknown');
    expect(effects("EXECUTE dumpFunc('16509')")).toEqual(['unknown']);
    // The session's PREPARE text and the EXECUTE, classified as one string (as the guard does).
    expect(effects(`${DUMP_FUNC};\nEXECUTE dumpFunc('16509')`).slice(1)).toEqual(['read']);
  });

  it("judges pg_restore's statements as the writes they are, and its ownership changes as destructive", () => {
    verifies('sql.destruction-classified');
    const cases: readonly (readonly [string, Effect])[] = [
      [
        'CREATE TABLE public.customers (\n    id integer NOT NULL,\n    name text NOT NULL,\n    email text\n);\n',
        'write',
      ],
      ['COPY public.customers (id, name, email) FROM stdin;\n', 'write'],
      ["SELECT pg_catalog.setval('public.customers_id_seq', 2, true);\n", 'write'],
      [
        'ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);\n',
        'write',
      ],
      [
        "ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass);\n",
        'write',
      ],
      [
        'CREATE INDEX customers_name_trgm ON public.customers USING gin (name public.gin_trgm_ops);\n',
        'write',
      ],
      ['CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\n', 'write'],
      ["COMMENT ON TABLE public.customers IS 'people who buy';\n", 'write'],
      ['REFRESH MATERIALIZED VIEW public.order_counts;\n', 'write'],
      ['ALTER TABLE public.customers OWNER TO postgres;\n', 'destructive'],
      ['ALTER FUNCTION public.order_total(cid integer) OWNER TO postgres;\n', 'destructive'],
    ];
    for (const [sql, effect] of cases) expect(effects(sql), sql).toEqual([effect]);
  });

  it('keeps stable built-ins that read past the tables policies name unknown', () => {
    verifies('sql.opaque-code-unknown');
    expect(effects("SELECT table_to_xml('users', true, false, '')")).toEqual(['unknown']);
    expect(effects('SELECT pg_catalog.pg_stat_get_backend_activity(1)')).toEqual(['unknown']);
    expect(effects("SELECT database_to_xml(true, false, '')")).toEqual(['unknown']);
  });
});
