import type { Effect } from '../../core/index.js';
import { DDL_HANDLERS } from './ddl-judges.js';
import { DML_HANDLERS } from './dml-judges.js';
import { Findings } from './findings.js';
import type { SqlTarget } from './findings.js';
import type { PgNode, PgObject } from './parse-node.js';
import { asNode, stringField } from './parse-node.js';
import { STATEMENT_EFFECTS } from './statement-effects.js';
import type { StatementHandler } from './statement-handler.js';
import type { WalkContext } from './tree-walk.js';
import { walkTree } from './tree-walk.js';

/** What one statement does, as its parse tree shows it. */
export interface StatementAnalysis {
  /** The statement's SQL name: `SELECT`, `DROP TABLE`, `EXECUTE`, … */
  readonly operation: string;
  readonly effect: Effect;
  readonly reversible: boolean;
  readonly targets: readonly SqlTarget[];
}

const NO_CTES: ReadonlySet<string> = new Set();

// The findings of what a `PREPARE` prepared; `null` once deallocated.
type PreparedEntry = Findings | null;

/**
 * Analyzes the statements of one SQL string in order. It remembers what a `PREPARE` earlier in
 * the same string prepared, so `PREPARE p AS DELETE …; EXECUTE p` is analyzed as the DELETE; an
 * `EXECUTE` of a name prepared elsewhere is unknown (the PostgreSQL guard classifies the
 * session's `PREPARE` text and the `EXECUTE` together, as one string).
 */
export class StatementAnalyzer {
  readonly #prepared = new Map<string, PreparedEntry>();

  /** Analyzes one statement (a parse tree root). Never throws. */
  analyze(node: PgNode): StatementAnalysis {
    const findings = new Findings();
    let operation: string;
    try {
      operation = this.#analyzeInto(node, findings, 0);
    } catch {
      // SECURITY: a tree too deep (TreeTooDeepError), or any bug, must still give a
      // judgeable statement, and one that is held.
      findings.raise('unknown');
      operation = operationName(node.type);
    }
    return {
      operation,
      effect: findings.effect,
      reversible: findings.reversible,
      targets: findings.targets,
    };
  }

  #analyzeInto(node: PgNode, findings: Findings, depth: number): string {
    const context: WalkContext = {
      cteNames: NO_CTES,
      judgeNested: (nested, into, nestedDepth, nestedContext) => {
        this.#dispatch(nested, into, nestedContext, nestedDepth);
      },
    };
    return this.#dispatch(node, findings, context, depth);
  }

  #dispatch(node: PgNode, findings: Findings, context: WalkContext, depth: number): string {
    const handler =
      DML_HANDLERS[node.type] ?? DDL_HANDLERS[node.type] ?? this.#sessionHandler(node.type);
    if (handler !== undefined) return handler(node.body, findings, context, depth);
    const known = STATEMENT_EFFECTS[node.type];
    findings.raise(known?.[1] ?? 'unknown');
    walkTree(node.body, findings, context, depth + 1);
    return known?.[0] ?? operationName(node.type);
  }

  // Statements whose judgment depends on what came before them in the session.
  #sessionHandler(type: string): StatementHandler | undefined {
    switch (type) {
      case 'PrepareStmt':
        return (body, findings, context, depth) =>
          this.#analyzePrepare(body, findings, context, depth);
      case 'ExecuteStmt':
        return (body, findings, context, depth) =>
          this.#analyzeExecute(body, findings, context, depth);
      case 'DeallocateStmt':
        return (body) => this.#analyzeDeallocate(body);
      default:
        return undefined;
    }
  }

  #analyzePrepare(body: PgObject, findings: Findings, context: WalkContext, depth: number): string {
    const prepared = new Findings();
    const query = asNode(body['query']);
    if (query === undefined) prepared.raise('unknown');
    else context.judgeNested(query, prepared, depth + 1, context);
    // Preparing runs nothing, but a PREPARE is held like what it prepares, so a
    // destructive statement cannot be staged without a human seeing it.
    findings.absorb(prepared);
    const name = stringField(body, 'name');
    if (name !== undefined) this.#prepared.set(name, prepared);
    return 'PREPARE';
  }

  #analyzeExecute(body: PgObject, findings: Findings, context: WalkContext, depth: number): string {
    const name = stringField(body, 'name') ?? '';
    const prepared = this.#preparedFindings(name);
    if (prepared === undefined) {
      findings.raise('unknown');
      findings.touch('prepared_statement', name);
    } else {
      findings.absorb(prepared);
    }
    walkTree(body['params'], findings, context, depth + 1);
    return 'EXECUTE';
  }

  #analyzeDeallocate(body: PgObject): string {
    const name = stringField(body, 'name');
    if (name === undefined || body['isall'] === true) {
      this.#prepared.clear();
    } else {
      this.#prepared.set(name, null);
    }
    return 'DEALLOCATE';
  }

  /** What `EXECUTE name` runs, if known: prepared earlier in this string. */
  #preparedFindings(name: string): Findings | undefined {
    return this.#prepared.get(name) ?? undefined;
  }
}

/** `AlterTableSpaceOptionsStmt` → `ALTER TABLE SPACE OPTIONS`: a readable name for kinds without one. */
function operationName(type: string): string {
  return type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}
