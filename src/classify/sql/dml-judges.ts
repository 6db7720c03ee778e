import { Findings } from './findings.js';
import type { PgObject } from './parse-node.js';
import { asNode, asObject, listField, relationName, stringField } from './parse-node.js';
import type { RowReach } from './row-reach.js';
import { predicateReach } from './row-reach.js';
import { createRowScope } from './row-scope.js';
import type { RowScope } from './row-scope.js';
import type { StatementHandler } from './statement-handler.js';
import { walkTree } from './tree-walk.js';

/** SELECT, TABLE, VALUES; `SELECT … INTO t` creates a table. */
const judgeSelect: StatementHandler = (body, findings, context, depth) => {
  const into = asObject(body['intoClause']);
  if (into !== undefined) {
    findings.raise('write');
    findings.touch('table', relationName(asObject(into['rel'])));
  }
  walkTree(body, findings, context, depth + 1);
  return into === undefined ? 'SELECT' : 'SELECT INTO';
};

const judgeInsert: StatementHandler = (body, findings, context, depth) => {
  findings.raise('write');
  // ON CONFLICT DO UPDATE overwrites the rows that conflict.
  if (stringField(asObject(body['onConflictClause']), 'action') === 'ONCONFLICT_UPDATE')
    findings.loseRows();
  walkTree(body, findings, context, depth + 1);
  return 'INSERT';
};

/** UPDATE and DELETE: destructive when the WHERE clause can select every row. */
function rowChange(operation: 'UPDATE' | 'DELETE', otherItemsKey: string): StatementHandler {
  return (body, findings, context, depth) => {
    const relation = asObject(body['relation']);
    const scope = createRowScope(relation, listField(body, otherItemsKey));
    const reach = predicateReach(body['whereClause'], scope);
    findings.raise(reach === 'all' ? 'destructive' : 'write');
    findings.loseRows();
    findings.touch('table', relationName(relation), { rows: reach });
    walkTree(body, findings, context, depth + 1);
    return operation;
  };
}

/**
 * MERGE: each WHEN clause that updates or deletes is judged like UPDATE / DELETE over the rows
 * it can reach (the join condition and its own condition for MATCHED; only its own condition
 * for NOT MATCHED BY SOURCE, which reaches every target row absent from the source).
 */
const judgeMerge: StatementHandler = (body, findings, context, depth) => {
  const relation = asObject(body['relation']);
  const scope = createRowScope(relation, [body['sourceRelation']]);
  const joinReach = predicateReach(body['joinCondition'], scope);
  let worst: RowReach = 'none';
  findings.raise('write');
  for (const item of listField(body, 'mergeWhenClauses')) {
    const clause = asNode(item)?.body;
    const command = stringField(clause, 'commandType');
    if (command !== 'CMD_UPDATE' && command !== 'CMD_DELETE') continue;
    findings.loseRows();
    const reach = clauseReach(clause, joinReach, scope);
    if (reach === 'all' || (reach === 'some' && worst === 'none')) worst = reach;
  }
  if (worst === 'all') findings.raise('destructive');
  findings.touch('table', relationName(relation), { rows: worst });
  walkTree(body, findings, context, depth + 1);
  return 'MERGE';
};

function clauseReach(clause: PgObject | undefined, joinReach: RowReach, scope: RowScope): RowReach {
  const own = predicateReach(clause?.['condition'], scope);
  if (stringField(clause, 'matchKind') === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE') return own;
  if (own === 'none' || joinReach === 'none') return 'none';
  return own === 'all' && joinReach === 'all' ? 'all' : 'some';
}

const judgeTruncate: StatementHandler = (body, findings, context, depth) => {
  findings.raise('destructive');
  findings.loseRows();
  walkTree(body, findings, context, depth + 1);
  return 'TRUNCATE';
};

/**
 * COPY: from the client (STDIN) writes rows, to the client (STDOUT) reads them. A server file
 * or program is the database host's filesystem or shell: writing one is destructive, reading
 * one can be anything.
 */
const judgeCopy: StatementHandler = (body, findings, context, depth) => {
  const isFrom = body['is_from'] === true;
  const filename = stringField(body, 'filename');
  if (body['is_program'] === true) {
    findings.raise('destructive');
    findings.touch('program', filename ?? '');
  } else if (filename !== undefined) {
    findings.raise(isFrom ? 'unknown' : 'destructive');
    findings.touch('server_file', filename);
  } else {
    findings.raise(isFrom ? 'write' : 'read');
  }
  walkTree(body, findings, context, depth + 1);
  return isFrom ? 'COPY FROM' : 'COPY TO';
};

/** Whether EXPLAIN's options ask to run the statement (`ANALYZE`, `(ANALYZE)`, `(ANALYZE on)`). */
function explainRuns(body: PgObject): boolean {
  return listField(body, 'options').some((item) => {
    const option = asNode(item)?.body;
    if (stringField(option, 'defname') !== 'analyze') return false;
    const arg = asNode(option?.['arg']);
    if (arg === undefined) return true;
    const value = arg.body['sval'] ?? arg.body['boolval'] ?? arg.body['ival'];
    // Protobuf omits false and 0: an empty Boolean or Integer is off.
    if (value === undefined) return arg.type === 'String';
    return !['off', 'false', 'no', '0', 'f', 'n'].includes(String(value).toLowerCase());
  });
}

/**
 * EXPLAIN ANALYZE runs the statement, so it is judged as the statement. Plain EXPLAIN only
 * plans it; planning can still run functions (constant folding of immutable ones), so a
 * statement calling an unknown function stays unknown.
 */
const judgeExplain: StatementHandler = (body, findings, context, depth) => {
  const query = asNode(body['query']);
  if (query === undefined) {
    findings.raise('unknown');
    return 'EXPLAIN';
  }
  if (explainRuns(body)) {
    context.judgeNested(query, findings, depth + 1, context);
    return 'EXPLAIN ANALYZE';
  }
  const planned = new Findings();
  context.judgeNested(query, planned, depth + 1, context);
  findings.raise(planned.effect === 'unknown' ? 'unknown' : 'read');
  for (const target of planned.targets) findings.touch(target.type, target.id, { ...target.attrs });
  return 'EXPLAIN';
};

/** Handlers of statements that read or change rows. */
export const DML_HANDLERS: Readonly<Record<string, StatementHandler>> = {
  SelectStmt: judgeSelect,
  InsertStmt: judgeInsert,
  UpdateStmt: rowChange('UPDATE', 'fromClause'),
  DeleteStmt: rowChange('DELETE', 'usingClause'),
  MergeStmt: judgeMerge,
  TruncateStmt: judgeTruncate,
  CopyStmt: judgeCopy,
  ExplainStmt: judgeExplain,
};
