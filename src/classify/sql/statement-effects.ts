import type { Effect } from '../../core/index.js';

/**
 * Statements judged by their kind alone (their expressions are still walked for function
 * calls and nested statements). A statement kind in neither this table nor a handler is
 * `unknown`: new grammar is never allowed by default.
 */
export const STATEMENT_EFFECTS: Readonly<
  Record<string, readonly [operation: string, effect: Effect]>
> = {
  // Reads and session control.
  VariableShowStmt: ['SHOW', 'read'],
  DeclareCursorStmt: ['DECLARE CURSOR', 'read'],
  FetchStmt: ['FETCH', 'read'],
  ClosePortalStmt: ['CLOSE', 'read'],
  ListenStmt: ['LISTEN', 'read'],
  UnlistenStmt: ['UNLISTEN', 'read'],
  DiscardStmt: ['DISCARD', 'read'],
  ConstraintsSetStmt: ['SET CONSTRAINTS', 'read'],

  // Additive or reversible changes.
  CreateStmt: ['CREATE TABLE', 'write'],
  CreateTableAsStmt: ['CREATE TABLE AS', 'write'],
  ViewStmt: ['CREATE VIEW', 'write'],
  IndexStmt: ['CREATE INDEX', 'write'],
  CreateSeqStmt: ['CREATE SEQUENCE', 'write'],
  AlterSeqStmt: ['ALTER SEQUENCE', 'write'],
  CreatedbStmt: ['CREATE DATABASE', 'write'],
  CreateExtensionStmt: ['CREATE EXTENSION', 'write'],
  AlterExtensionStmt: ['ALTER EXTENSION', 'write'],
  CreateDomainStmt: ['CREATE DOMAIN', 'write'],
  CreateEnumStmt: ['CREATE TYPE', 'write'],
  AlterEnumStmt: ['ALTER TYPE', 'write'],
  CompositeTypeStmt: ['CREATE TYPE', 'write'],
  CreateRangeStmt: ['CREATE TYPE', 'write'],
  AlterTypeStmt: ['ALTER TYPE', 'write'],
  CreateTableSpaceStmt: ['CREATE TABLESPACE', 'write'],
  AlterTableSpaceOptionsStmt: ['ALTER TABLESPACE', 'write'],
  AlterTableMoveAllStmt: ['ALTER TABLE SET TABLESPACE', 'write'],
  CreateStatsStmt: ['CREATE STATISTICS', 'write'],
  AlterStatsStmt: ['ALTER STATISTICS', 'write'],
  CommentStmt: ['COMMENT', 'write'],
  // judgment: SET SCHEMA (like RENAME) keeps every row; callers break but nothing is lost.
  AlterObjectSchemaStmt: ['ALTER SET SCHEMA', 'write'],
  CreateForeignTableStmt: ['CREATE FOREIGN TABLE', 'write'],
  ImportForeignSchemaStmt: ['IMPORT FOREIGN SCHEMA', 'write'],
  CreatePublicationStmt: ['CREATE PUBLICATION', 'write'],
  AlterPublicationStmt: ['ALTER PUBLICATION', 'write'],
  AlterCollationStmt: ['ALTER COLLATION', 'write'],
  AlterTSDictionaryStmt: ['ALTER TEXT SEARCH DICTIONARY', 'write'],
  AlterTSConfigurationStmt: ['ALTER TEXT SEARCH CONFIGURATION', 'write'],
  // CREATE RULE is judged by its actions (walked as nested statements) on top of this.
  RuleStmt: ['CREATE RULE', 'write'],
  LockStmt: ['LOCK', 'write'],
  NotifyStmt: ['NOTIFY', 'write'],
  ClusterStmt: ['CLUSTER', 'write'],
  ReindexStmt: ['REINDEX', 'write'],
  RefreshMatViewStmt: ['REFRESH MATERIALIZED VIEW', 'write'],
  CheckPointStmt: ['CHECKPOINT', 'write'],

  // Destruction, and changes of who may do what.
  DropTableSpaceStmt: ['DROP TABLESPACE', 'destructive'],
  DropOwnedStmt: ['DROP OWNED', 'destructive'],
  DropSubscriptionStmt: ['DROP SUBSCRIPTION', 'destructive'],
  DropUserMappingStmt: ['DROP USER MAPPING', 'destructive'],
  GrantStmt: ['GRANT', 'destructive'],
  GrantRoleStmt: ['GRANT ROLE', 'destructive'],
  AlterDefaultPrivilegesStmt: ['ALTER DEFAULT PRIVILEGES', 'destructive'],
  AlterOwnerStmt: ['ALTER OWNER', 'destructive'],
  ReassignOwnedStmt: ['REASSIGN OWNED', 'destructive'],
  CreatePolicyStmt: ['CREATE POLICY', 'destructive'],
  AlterPolicyStmt: ['ALTER POLICY', 'destructive'],
  AlterSystemStmt: ['ALTER SYSTEM', 'destructive'],
  AlterDatabaseSetStmt: ['ALTER DATABASE SET', 'destructive'],
  // Connection limits, ALLOW_CONNECTIONS, tablespace: every session of the database at once.
  AlterDatabaseStmt: ['ALTER DATABASE', 'destructive'],
  AlterEventTrigStmt: ['ALTER EVENT TRIGGER', 'destructive'],
  SecLabelStmt: ['SECURITY LABEL', 'destructive'],

  // Code Airlock cannot see: it runs later, elsewhere, or as anything.
  DoStmt: ['DO', 'unknown'],
  CreateTrigStmt: ['CREATE TRIGGER', 'unknown'],
  CreateEventTrigStmt: ['CREATE EVENT TRIGGER', 'unknown'],
  AlterFunctionStmt: ['ALTER FUNCTION', 'unknown'],
  DefineStmt: ['CREATE', 'unknown'],
  CreateCastStmt: ['CREATE CAST', 'unknown'],
  CreateConversionStmt: ['CREATE CONVERSION', 'unknown'],
  CreateOpClassStmt: ['CREATE OPERATOR CLASS', 'unknown'],
  CreateOpFamilyStmt: ['CREATE OPERATOR FAMILY', 'unknown'],
  AlterOpFamilyStmt: ['ALTER OPERATOR FAMILY', 'unknown'],
  AlterOperatorStmt: ['ALTER OPERATOR', 'unknown'],
  CreatePLangStmt: ['CREATE LANGUAGE', 'unknown'],
  CreateTransformStmt: ['CREATE TRANSFORM', 'unknown'],
  CreateAmStmt: ['CREATE ACCESS METHOD', 'unknown'],
  LoadStmt: ['LOAD', 'unknown'],
  CreateFdwStmt: ['CREATE FOREIGN DATA WRAPPER', 'unknown'],
  AlterFdwStmt: ['ALTER FOREIGN DATA WRAPPER', 'unknown'],
  CreateForeignServerStmt: ['CREATE SERVER', 'unknown'],
  AlterForeignServerStmt: ['ALTER SERVER', 'unknown'],
  CreateUserMappingStmt: ['CREATE USER MAPPING', 'unknown'],
  AlterUserMappingStmt: ['ALTER USER MAPPING', 'unknown'],
  CreateSubscriptionStmt: ['CREATE SUBSCRIPTION', 'unknown'],
  AlterSubscriptionStmt: ['ALTER SUBSCRIPTION', 'unknown'],
};
