import type { Effect } from '../../core/index.js';

// Built-in functions whose effect is known. Anything not listed here (user functions,
// extension functions, built-ins we have not vetted) is `unknown`: a function body can do
// anything, so a call to it cannot be judged from the call site. Names are as the parser
// gives them: unquoted identifiers are folded to lower case, so `"LOWER"(x)` is not `lower`.

const READ_FUNCTIONS = `
count sum avg min max array_agg string_agg json_agg jsonb_agg json_object_agg jsonb_object_agg
bool_and bool_or every bit_and bit_or bit_xor stddev stddev_pop stddev_samp variance var_pop
var_samp corr covar_pop covar_samp regr_slope regr_intercept regr_count regr_r2 regr_avgx regr_avgy
percentile_cont percentile_disc mode rank dense_rank percent_rank cume_dist row_number ntile lag
lead first_value last_value nth_value any_value range_agg range_intersect_agg xmlagg grouping
lower upper initcap length char_length character_length octet_length bit_length substr substring
trim btrim ltrim rtrim replace concat concat_ws format left right lpad rpad position strpos
split_part regexp_replace regexp_match regexp_matches regexp_split_to_array regexp_split_to_table
regexp_like regexp_count regexp_instr regexp_substr repeat reverse md5 sha224 sha256 sha384 sha512
encode decode to_char to_number to_date to_timestamp quote_ident quote_literal quote_nullable
translate ascii chr starts_with string_to_array string_to_table array_to_string overlay
convert_from convert_to to_hex to_bin to_oct normalize unistr casefold parse_ident
abs ceil ceiling floor round trunc mod power pow sqrt cbrt exp ln log log10 sign pi random
random_normal div gcd lcm width_bucket degrees radians sin cos tan asin acos atan atan2 sind cosd
tand asind acosd atand atan2d sinh cosh tanh asinh acosh atanh factorial scale min_scale
trim_scale erf erfc
now clock_timestamp statement_timestamp transaction_timestamp timeofday date_trunc date_part
extract age make_date make_time make_timestamp make_timestamptz make_interval date_bin
justify_days justify_hours justify_interval isfinite timezone date_add date_subtract
json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
row_to_json array_to_json json_object jsonb_object json_array_elements jsonb_array_elements
json_array_elements_text jsonb_array_elements_text json_each jsonb_each json_each_text
jsonb_each_text json_extract_path jsonb_extract_path json_extract_path_text
jsonb_extract_path_text jsonb_set jsonb_set_lax jsonb_insert jsonb_strip_nulls json_strip_nulls
jsonb_pretty json_typeof jsonb_typeof jsonb_array_length json_array_length jsonb_object_keys
json_object_keys jsonb_path_query jsonb_path_query_array jsonb_path_query_first
jsonb_path_exists jsonb_path_match json_populate_record jsonb_populate_record
json_populate_recordset jsonb_populate_recordset json_to_record jsonb_to_record
json_to_recordset jsonb_to_recordset
array_length array_append array_prepend array_cat array_position array_positions array_remove
array_replace unnest cardinality array_dims array_lower array_upper array_ndims array_fill
array_reverse array_sample array_shuffle array_sort trim_array generate_series
generate_subscripts
gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp uuid_extract_version uuid_generate_v4
uuid_generate_v1
version current_database current_schema current_schemas current_setting pg_backend_pid
pg_typeof format_type pg_size_pretty pg_size_bytes pg_total_relation_size pg_relation_size
pg_table_size pg_indexes_size pg_database_size pg_column_size has_table_privilege
has_column_privilege has_schema_privilege has_database_privilege has_function_privilege
has_sequence_privilege pg_has_role pg_get_viewdef pg_get_functiondef pg_get_indexdef
pg_get_constraintdef pg_get_triggerdef pg_get_ruledef pg_get_expr pg_get_userbyid
pg_get_serial_sequence pg_get_function_arguments pg_get_function_result
pg_get_function_identity_arguments obj_description col_description shobj_description
pg_is_in_recovery inet_server_addr inet_server_port inet_client_addr inet_client_port
pg_postmaster_start_time pg_conf_load_time pg_current_wal_lsn pg_last_wal_replay_lsn
pg_last_xact_replay_timestamp pg_table_is_visible pg_function_is_visible pg_type_is_visible
to_regclass to_regtype to_regproc to_regprocedure to_regnamespace to_regrole num_nulls
num_nonnulls pg_sleep pg_sleep_for pg_sleep_until pg_jit_available pg_trigger_depth
txid_current txid_current_if_assigned txid_snapshot_xmin pg_current_xact_id
pg_current_snapshot pg_snapshot_xmin pg_snapshot_xmax pg_xact_status pg_blocking_pids
pg_relation_filenode pg_get_keywords pg_listening_channels pg_notification_queue_usage
pg_advisory_lock pg_advisory_unlock pg_advisory_xact_lock pg_try_advisory_lock
pg_try_advisory_xact_lock pg_advisory_lock_shared pg_advisory_unlock_shared
pg_advisory_unlock_all pg_try_advisory_lock_shared pg_advisory_xact_lock_shared
to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd
ts_headline setweight strip numnode querytree tsvector_to_array array_to_tsvector ts_lexize
currval lastval
date time timestamp timestamptz interval text int2 int4 int8 float4 float8 numeric bool varchar
similarity word_similarity strict_word_similarity show_trgm digest hmac crypt gen_salt
gen_random_bytes pgp_sym_encrypt pgp_sym_decrypt uuid_generate_v1mc uuid_nil unaccent
levenshtein soundex metaphone dmetaphone difference
host hostmask masklen netmask network broadcast family abbrev set_masklen inet_merge
xpath xpath_exists xmlexists xml_is_well_formed
similar_to_escape overlaps pg_collation_for is_normalized system_user
`;

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

// Built-ins listed for documentation only: they stay `unknown` as every unlisted name does,
// because their effect depends on text or files Airlock cannot see (remote SQL, server files,
// settings such as search_path or role that change what later statements mean).
export const OPAQUE_FUNCTIONS: ReadonlySet<string> = words(`
dblink dblink_exec dblink_send_query dblink_open dblink_fetch pg_read_file pg_read_binary_file
pg_ls_dir pg_stat_file lo_import lo_export set_config query_to_xml query_to_xml_and_xmlschema
cursor_to_xml table_to_xml
`);

function words(text: string): Set<string> {
  return new Set(text.split(/\s+/).filter((word) => word !== ''));
}

const KNOWN_FUNCTIONS: ReadonlyMap<string, Effect> = new Map<string, Effect>([
  ...[...words(READ_FUNCTIONS)].map((name) => [name, 'read'] as const),
  ...[...words(WRITE_FUNCTIONS)].map((name) => [name, 'write'] as const),
  ...[...words(DESTRUCTIVE_FUNCTIONS)].map((name) => [name, 'destructive'] as const),
]);

/**
 * The effect of calling a function by its parsed name (`["lower"]`, `["pg_catalog", "lower"]`).
 * Only unqualified or `pg_catalog`-qualified built-ins are known; a name qualified with any
 * other schema is a user function even when it is spelled like a built-in.
 */
export function functionEffect(name: readonly string[]): Effect {
  const [first, second] = name;
  if (name.length === 1 && first !== undefined) return KNOWN_FUNCTIONS.get(first) ?? 'unknown';
  if (name.length === 2 && first === 'pg_catalog' && second !== undefined) return KNOWN_FUNCTIONS.get(second) ?? 'unknown';
  return 'unknown';
}

/** Whether a name is one of the built-ins Airlock trusts (creating a function by that name shadows it). */
export function isTrustedBuiltinName(name: string): boolean {
  return KNOWN_FUNCTIONS.has(name);
}
