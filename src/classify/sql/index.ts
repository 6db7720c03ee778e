import type { Action } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Classifier } from '../classifier.js';

/** The sql surface's classifier (corpus input shape); undefined until it is built. */
export const SQL_CLASSIFIER: Classifier | undefined = undefined;

/**
 * Classifies PostgreSQL text (one or several statements) with the real parser. Shared by the
 * PostgreSQL guard, the shell classifier (`psql -c`) and the MCP proxy (SQL arguments).
 * PLACEHOLDER until the SQL classifier lands: everything is `unknown`.
 */
export async function classifySqlText(sql: string, upstream: string): Promise<Action[]> {
  return [{ upstream, surface: 'sql', operation: 'SQL', effect: 'unknown', reversible: false, targets: [], digest: digestRequest({ sql }) }];
}
