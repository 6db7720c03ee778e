import type { Effect } from '../../core/index.js';
import { PG_CATALOG_NON_VOLATILE_FUNCTIONS } from './pg-catalog-functions.js';

// The effect of a call to a built-in function, by its name. Anything not known here (user
// functions, extension functions, built-ins not vetted) is `unknown`: a function body can do
// anything, so a call to it cannot be judged from the call site. Names are as the parser gives
// them: unquoted identifiers are folded to lower case, so `"LOWER"(x)` is not `lower`.
//
// The rule for PostgreSQL's own functions: a pg_catalog function whose every overload is
// IMMUTABLE or STABLE is a read. That is PostgreSQL's contract, not our guess: a non-volatile
// function may not change the database (the server enforces it for SQL and PL/pgSQL bodies; its
// own C functions are marked so by its developers, and sequences, locks and the like are
// VOLATILE). pg-catalog-functions.ts records those names from a real server's pg_proc, and a
// test proves it current. Two kinds of exception:
// - non-volatile built-ins that are no reads for Airlock (OPAQUE_FUNCTIONS below, with reasons);
// - VOLATILE built-ins, which stay unknown unless reviewed into a list below one by one.
//
// judgment: trust by name assumes the name resolves to pg_catalog's function. Calls that could
// reach something else are judged where they are made: a schema other than pg_catalog
// (`public.lower(x)`) is unknown here; a search_path that puts a schema before pg_catalog, and
// creating or renaming a function to a trusted name (an overload on a new type captures calls),
// are judged in ddl-judges.ts. Objects that existed before Airlock are outside what it can see.

/**
 * Volatile built-ins reviewed as reads: volatile because their answer changes within a
 * statement (time, randomness, sizes, the server's WAL position) or because they take session
 * locks, not because they change data. A test fails when a volatile built-in is a read and is
 * not listed here.
 */
export const VOLATILE_READ_FUNCTIONS: ReadonlySet<string> = words(`
random clock_timestamp timeofday gen_random_uuid currval lastval
pg_sleep pg_sleep_for pg_sleep_until
pg_advisory_lock pg_advisory_unlock pg_advisory_xact_lock pg_try_advisory_lock
pg_try_advisory_xact_lock pg_advisory_lock_shared pg_advisory_unlock_shared pg_advisory_unlock_all
pg_try_advisory_lock_shared pg_advisory_xact_lock_shared pg_try_advisory_xact_lock_shared
pg_relation_size pg_table_size pg_indexes_size pg_total_relation_size pg_database_size
pg_tablespace_size pg_blocking_pids pg_safe_snapshot_blocking_pids pg_lock_status
pg_notification_queue_usage pg_xact_status txid_status pg_xact_commit_timestamp pg_jit_available
pg_is_in_recovery pg_is_wal_replay_paused pg_get_wal_replay_pause_state pg_current_wal_lsn
pg_current_wal_flush_lsn pg_current_wal_insert_lsn pg_last_wal_receive_lsn pg_last_wal_replay_lsn
pg_last_xact_replay_timestamp pg_partition_ancestors pg_partition_tree pg_sequence_last_value
`);

/**
 * Core functions newer than the PostgreSQL the catalog was generated from (16 to 18), reviewed
 * by hand: none changes data. libpg-query parses the newest grammar, so these names reach us.
 */
export const NEWER_CORE_READ_FUNCTIONS: ReadonlySet<string> = words(`
any_value array_reverse array_sample array_shuffle array_sort casefold date_add date_subtract erf
erfc random_normal system_user to_bin to_oct uuid_extract_timestamp uuid_extract_version uuidv4
uuidv7
`);

/**
 * Functions of common extensions (pg_trgm, pgcrypto, uuid-ossp, unaccent, fuzzystrmatch): none
 * changes data. They live in whatever schema the extension was created in, so, like every name
 * here, they are trusted only unqualified or qualified with pg_catalog.
 */
export const EXTENSION_READ_FUNCTIONS: ReadonlySet<string> = words(`
similarity word_similarity strict_word_similarity show_trgm digest hmac crypt gen_salt
gen_random_bytes pgp_sym_encrypt pgp_sym_decrypt uuid_generate_v1 uuid_generate_v1mc
uuid_generate_v4 uuid_nil unaccent levenshtein soundex metaphone dmetaphone difference
`);

// Built-ins that change data, though not destructively.
const WRITE_FUNCTIONS = `
nextval setval lo_create lo_creat lo_from_bytea lo_put lowrite lo_open loread lo_close lo_get
pg_notify pg_stat_reset pg_stat_reset_single_table_counters pg_logical_emit_message
`;

// Built-ins that destroy data, end sessions or change the server.
const DESTRUCTIVE_FUNCTIONS = `
pg_terminate_backend pg_cancel_backend pg_drop_replication_slot pg_replication_origin_drop
lo_unlink lo_truncate pg_reload_conf pg_rotate_logfile pg_promote pg_switch_wal
pg_create_restore_point pg_backup_start pg_backup_stop pg_wal_replay_pause pg_wal_replay_resume
pg_truncate_visibility_map pg_replication_slot_advance pg_log_backend_memory_contexts
`;

// Remote SQL (dblink) and SQL passed as text: what runs is a string, not the tree judged here.
const TEXT_AS_SQL = `
dblink dblink_exec dblink_send_query dblink_open dblink_fetch query_to_xml
query_to_xml_and_xmlschema cursor_to_xml
`;

// The server's own files (its keys, its configuration, other databases' storage) and file I/O.
const SERVER_FILES = `pg_read_file pg_read_binary_file pg_ls_dir pg_stat_file lo_import lo_export`;

// STABLE, yet they return every row of a table, schema or database named by a string: the tables
// read are no target a policy can name, where `SELECT * FROM t` names `t`.
const TABLES_BY_STRING = `
table_to_xml table_to_xml_and_xmlschema schema_to_xml schema_to_xml_and_xmlschema database_to_xml
database_to_xml_and_xmlschema
`;

// STABLE, yet they return other sessions' SQL text, which may carry a password (ALTER ROLE …
// PASSWORD): the pg_stat_activity view shows the same as a table policies can name; these do not.
const OTHER_SESSIONS_TEXT = `pg_stat_get_activity pg_stat_get_backend_activity`;

// STABLE language validators, never meant to be called by hand: fmgr_c_validator loads the
// function's shared library into the backend (running its initialisation code, as LOAD does);
// fmgr_sql_validator parses a stored body under the session's settings.
const VALIDATORS = `fmgr_c_validator fmgr_sql_validator fmgr_internal_validator`;

/**
 * Built-ins that stay `unknown` whatever the catalog says of them. (`set_config` is judged by
 * the statement walker, by the setting it names, so it is in no list here.)
 */
export const OPAQUE_FUNCTIONS: ReadonlySet<string> = words(
  [TEXT_AS_SQL, SERVER_FILES, TABLES_BY_STRING, OTHER_SESSIONS_TEXT, VALIDATORS].join(' '),
);

function words(text: string): Set<string> {
  return new Set(text.split(/\s+/).filter((word) => word !== ''));
}

const KNOWN_FUNCTIONS: ReadonlyMap<string, Effect> = new Map<string, Effect>([
  ...[...PG_CATALOG_NON_VOLATILE_FUNCTIONS].map((name) => [name, 'read'] as const),
  ...[...VOLATILE_READ_FUNCTIONS, ...NEWER_CORE_READ_FUNCTIONS, ...EXTENSION_READ_FUNCTIONS].map(
    (name) => [name, 'read'] as const,
  ),
  ...[...words(WRITE_FUNCTIONS)].map((name) => [name, 'write'] as const),
  ...[...words(DESTRUCTIVE_FUNCTIONS)].map((name) => [name, 'destructive'] as const),
  // SECURITY: last, so an opaque name is unknown even where a list above names it.
  ...[...OPAQUE_FUNCTIONS].map((name) => [name, 'unknown'] as const),
]);

/**
 * The effect of calling a function by its parsed name (`["lower"]`, `["pg_catalog", "lower"]`).
 * Only unqualified or `pg_catalog`-qualified built-ins are known; a name qualified with any
 * other schema is a user function even when it is spelled like a built-in.
 */
export function functionEffect(name: readonly string[]): Effect {
  const [first, second] = name;
  if (name.length === 1 && first !== undefined) return KNOWN_FUNCTIONS.get(first) ?? 'unknown';
  if (name.length === 2 && first === 'pg_catalog' && second !== undefined)
    return KNOWN_FUNCTIONS.get(second) ?? 'unknown';
  return 'unknown';
}

/** Whether a name is one of the built-ins Airlock trusts (creating a function by that name shadows it). */
export function isTrustedBuiltinName(name: string): boolean {
  const effect = KNOWN_FUNCTIONS.get(name);
  return effect !== undefined && effect !== 'unknown';
}
