import type { Action } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import { asObject } from './parse-node.js';
import { analyzeSql, classifySqlTextSync, digestSqlText, toSqlActions } from './sql-classifier.js';
import { loadSqlParser } from './sql-parser.js';

/** The upstream name actions of the corpus input shape carry (the shape names none). */
export const SQL_CORPUS_UPSTREAM = 'postgres';

function unknownAction(operation: string, digest: string): Action {
  return {
    upstream: SQL_CORPUS_UPSTREAM,
    surface: 'sql',
    operation,
    effect: 'unknown',
    reversible: false,
    targets: [],
    digest,
  };
}

function safeDigest(input: unknown): string {
  try {
    return digestRequest(input);
  } catch {
    return digestRequest({ undigestible: true });
  }
}

/**
 * Classifies the sql surface's corpus input: `{ sql }` (simple query protocol) or
 * `{ extended: [{ parse, name }, { bind, params, portal? }, { execute }, { close }, …] }`
 * (extended protocol messages in order). Every statement prepared through Parse is judged,
 * whether or not it is executed; an Execute of a portal that no Bind of a prepared statement
 * created is unknown. Parameters are data and never parsed. Never throws.
 */
export async function classifySqlCorpusInput(input: unknown): Promise<Action[]> {
  try {
    await loadSqlParser();
    const record = asObject(input);
    if (typeof record?.['sql'] === 'string' && Object.keys(record).length === 1) {
      return classifySqlTextSync(record['sql'], SQL_CORPUS_UPSTREAM);
    }
    const messages = record?.['extended'];
    if (Array.isArray(messages) && messages.length > 0 && Object.keys(record ?? {}).length === 1) {
      return classifyExtended(messages);
    }
    return [unknownAction('SQL', safeDigest(input))];
  } catch {
    // SECURITY: a classifier failure still yields one held action.
    return [unknownAction('SQL', safeDigest(input))];
  }
}

/** Replays extended-protocol messages the way the server keeps statements and portals. */
function classifyExtended(messages: readonly unknown[]): Action[] {
  const statements = new Map<string, string>();
  const portals = new Map<string, string>();
  const actions: Action[] = [];
  for (const item of messages) {
    const message = asObject(item);
    if (message === undefined) return [unknownAction('SQL', safeDigest(messages))];
    if (typeof message['parse'] === 'string') {
      const text = message['parse'];
      const name = typeof message['name'] === 'string' ? message['name'] : '';
      // The server refuses to redefine a named statement; the unnamed one is replaced.
      if (name === '' || !statements.has(name)) statements.set(name, text);
      actions.push(...toSqlActions(analyzeSql(text), SQL_CORPUS_UPSTREAM, digestSqlText(text)));
    } else if (typeof message['bind'] === 'string') {
      const portal = typeof message['portal'] === 'string' ? message['portal'] : '';
      const text = statements.get(message['bind']);
      if (text === undefined) portals.delete(portal);
      else portals.set(portal, text);
    } else if (typeof message['execute'] === 'string') {
      if (!portals.has(message['execute']))
        actions.push(unknownAction('EXECUTE', safeDigest(message)));
    } else if (typeof message['close'] === 'string') {
      statements.delete(message['close']);
    } else if (!('describe' in message || 'sync' in message || 'flush' in message)) {
      actions.push(unknownAction('SQL', safeDigest(message)));
    }
  }
  return actions.length > 0 ? actions : [unknownAction('SQL', safeDigest(messages))];
}
