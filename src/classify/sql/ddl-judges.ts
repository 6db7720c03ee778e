import { isTrustedBuiltinName } from './builtin-functions.js';
import {
  asNode,
  asObject,
  dottedName,
  listField,
  relationName,
  stringField,
  stringValue,
} from './parse-node.js';
import { SET_CONFIG, judgeVariableSet } from './setting-change.js';
import type { StatementHandler } from './statement-handler.js';
import { walkTree } from './tree-walk.js';

/** `OBJECT_TABLE` → `table`, `OBJECT_MATVIEW` → `matview`. */
function objectType(objtype: string | undefined): string {
  return (objtype ?? 'OBJECT_UNKNOWN').replace(/^OBJECT_/, '').toLowerCase();
}

/** The name of one object of a DROP / COMMENT / ALTER … OWNER list, whatever its node shape. */
function objectName(item: unknown): string | undefined {
  const node = asNode(item);
  if (node === undefined) return undefined;
  switch (node.type) {
    case 'List':
      return dottedName(listField(node.body, 'items'));
    case 'String':
      return stringValue(item);
    case 'ObjectWithArgs':
      return dottedName(listField(node.body, 'objname'));
    case 'TypeName':
      return dottedName(listField(node.body, 'names'));
    default:
      return undefined;
  }
}

/** DROP of anything destroys it (and with CASCADE, what depends on it). */
const judgeDrop: StatementHandler = (body, findings) => {
  const type = objectType(stringField(body, 'removeType'));
  findings.raise('destructive');
  findings.loseRows();
  const cascade = stringField(body, 'behavior') === 'DROP_CASCADE';
  for (const item of listField(body, 'objects'))
    findings.touch(type, objectName(item) ?? '?', { cascade });
  return `DROP ${type.toUpperCase()}`;
};

const judgeDropDatabase: StatementHandler = (body, findings) => {
  findings.raise('destructive');
  findings.loseRows();
  findings.touch('database', stringField(body, 'dbname'));
  return 'DROP DATABASE';
};

// ALTER TABLE sub-commands that lose data or switch off a safeguard (triggers that audit or
// enforce, row-level security) or hand the table to another owner.
const DESTRUCTIVE_ALTER_TABLE = new Set([
  'AT_AlterColumnType', // rewrites every value through a cast (or a USING expression): can lose data
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
  'AT_DisableRule',
  'AT_DisableRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_ChangeOwner',
]);

/** ALTER TABLE: any `DROP …` sub-command is destructive, like the ones listed above. */
const judgeAlterTable: StatementHandler = (body, findings, context, depth) => {
  const table = relationName(asObject(body['relation']));
  findings.raise('write');
  for (const item of listField(body, 'cmds')) {
    const command = asNode(item)?.body;
    const subtype = stringField(command, 'subtype') ?? '';
    if (subtype.startsWith('AT_Drop') || DESTRUCTIVE_ALTER_TABLE.has(subtype)) {
      findings.raise('destructive');
      findings.loseRows();
      const name = stringField(command, 'name');
      if (name !== undefined && table !== undefined)
        findings.touch(alteredPart(subtype), `${table}.${name}`, { change: subtype });
    }
  }
  walkTree(body, findings, context, depth + 1);
  return `ALTER ${objectType(stringField(body, 'objtype')).toUpperCase()}`;
};

/** What the name of an ALTER TABLE sub-command names. */
function alteredPart(subtype: string): string {
  if (subtype.includes('Constraint')) return 'constraint';
  if (subtype.includes('Trig')) return 'trigger';
  if (subtype.includes('Rule')) return 'rule';
  return 'column';
}

// judgment: maintenance rewrites storage but keeps every row (VACUUM FULL included).
const judgeVacuum: StatementHandler = (body, findings, context, depth) => {
  findings.raise('write');
  walkTree(body, findings, context, depth + 1);
  return body['is_vacuumcmd'] === true ? 'VACUUM' : 'ANALYZE';
};

const judgeCreateSchema: StatementHandler = (body, findings, context, depth) => {
  findings.raise('write');
  findings.touch('schema', stringField(body, 'schemaname'));
  walkTree(body, findings, context, depth + 1);
  return 'CREATE SCHEMA';
};

/** ALTER DOMAIN … DROP CONSTRAINT / DROP NOT NULL ('X', 'N'). */
const judgeAlterDomain: StatementHandler = (body, findings, context, depth) => {
  const subtype = stringField(body, 'subtype');
  findings.raise(subtype === 'X' || subtype === 'N' ? 'destructive' : 'write');
  findings.touch('domain', dottedName(listField(body, 'typeName')));
  walkTree(body, findings, context, depth + 1);
  return 'ALTER DOMAIN';
};

/**
 * SET / RESET, judged as a setting change (setting-change.ts): becoming another role is
 * destructive, changing how statement text is read is denied by the guard.
 */
const judgeSet: StatementHandler = (body, findings) => {
  judgeVariableSet(body, findings);
  const kind = stringField(body, 'kind');
  return kind === 'VAR_RESET' || kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
};

/**
 * ALTER DATABASE … SET and ALTER SYSTEM SET change every later session of the database (or
 * server); Airlock's own sessions pin the reading settings at startup, which outranks both, but
 * the guard denies such a change anyway.
 */
function settingsChange(operation: string): StatementHandler {
  return (body, findings, context, depth) => {
    findings.raise('destructive');
    // ALTER SYSTEM names no database.
    findings.touch('database', stringField(body, 'dbname'));
    judgeVariableSet(asObject(body['setstmt']), findings);
    walkTree(body, findings, context, depth + 1);
    return operation;
  };
}

/**
 * CREATE FUNCTION / PROCEDURE: defining code runs nothing (calls to it are judged unknown),
 * but replacing a function changes what existing triggers, views and callers run, and a new
 * function named like a trusted built-in can capture calls to it.
 */
const judgeCreateFunction: StatementHandler = (body, findings, context, depth) => {
  const name = listField(body, 'funcname').map((item) => stringValue(item) ?? '?');
  const shortName = name[name.length - 1] ?? '?';
  const replaces = body['replace'] === true;
  findings.raise(replaces || isTrustedName(shortName) ? 'unknown' : 'write');
  findings.touch('function', name.join('.'));
  // The body (AS '…' or BEGIN ATOMIC …) runs only when called.
  walkTree(body, findings, context, depth + 1, new Set(['sql_body', 'options']));
  return body['is_procedure'] === true ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
};

const ROUTINE_TYPES = new Set([
  'OBJECT_FUNCTION',
  'OBJECT_PROCEDURE',
  'OBJECT_ROUTINE',
  'OBJECT_AGGREGATE',
]);

/**
 * RENAME keeps every row (judgment: a write), but a function renamed to a trusted built-in's
 * name can capture calls to it, as creating one by that name can.
 */
const judgeRename: StatementHandler = (body, findings, context, depth) => {
  const newName = stringField(body, 'newname') ?? '';
  const routine = ROUTINE_TYPES.has(stringField(body, 'renameType') ?? '');
  findings.raise(routine && isTrustedName(newName) ? 'unknown' : 'write');
  if (routine) findings.touch('function', objectName(body['object']));
  walkTree(body, findings, context, depth + 1);
  return 'RENAME';
};

const judgeTransaction: StatementHandler = (body, findings) => {
  const kind = stringField(body, 'kind') ?? '';
  // COMMIT PREPARED makes durable whatever an earlier session did; Airlock cannot see it.
  if (kind === 'TRANS_STMT_COMMIT_PREPARED') findings.raise('unknown');
  if (kind === 'TRANS_STMT_ROLLBACK_PREPARED') findings.raise('write');
  return kind.replace(/^TRANS_STMT_/, '').replace(/_/g, ' ') || 'TRANSACTION';
};

const judgeCall: StatementHandler = (body, findings, context, depth) => {
  findings.raise('unknown');
  findings.touch('procedure', dottedName(listField(asObject(body['funccall']), 'funcname')));
  walkTree(body, findings, context, depth + 1);
  return 'CALL';
};

/** Role statements: the role is the target; ALTER ROLE … SET is also a setting change. */
function roleChange(operation: string): StatementHandler {
  return (body, findings, context, depth) => {
    findings.raise('destructive');
    const role = asObject(body['role']);
    findings.touch('role', stringField(role, 'rolename') ?? stringField(body, 'role'));
    for (const item of listField(body, 'roles'))
      findings.touch('role', stringField(asNode(item)?.body, 'rolename'));
    if (body['setstmt'] !== undefined) judgeVariableSet(asObject(body['setstmt']), findings);
    walkTree(body, findings, context, depth + 1);
    return operation;
  };
}

/**
 * A name whose functions Airlock trusts by name: a vetted built-in, or set_config (judged by its
 * arguments). A function created or renamed to one can capture calls meant for it.
 */
function isTrustedName(name: string): boolean {
  return isTrustedBuiltinName(name) || name === SET_CONFIG;
}

/** Handlers of statements whose judgment depends on their details. */
export const DDL_HANDLERS: Readonly<Record<string, StatementHandler>> = {
  DropStmt: judgeDrop,
  DropdbStmt: judgeDropDatabase,
  VacuumStmt: judgeVacuum,
  CreateSchemaStmt: judgeCreateSchema,
  AlterTableStmt: judgeAlterTable,
  AlterDomainStmt: judgeAlterDomain,
  VariableSetStmt: judgeSet,
  CreateFunctionStmt: judgeCreateFunction,
  TransactionStmt: judgeTransaction,
  RenameStmt: judgeRename,
  CallStmt: judgeCall,
  CreateRoleStmt: roleChange('CREATE ROLE'),
  AlterRoleStmt: roleChange('ALTER ROLE'),
  AlterRoleSetStmt: roleChange('ALTER ROLE SET'),
  DropRoleStmt: roleChange('DROP ROLE'),
  AlterDatabaseSetStmt: settingsChange('ALTER DATABASE SET'),
  AlterSystemStmt: settingsChange('ALTER SYSTEM'),
};
