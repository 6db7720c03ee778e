import type { Action, Surface } from '../core/index.js';
import { RAILWAY_CATALOG } from './catalogs/railway-catalog.js';
import { classifyGraphqlRequest } from './graphql/index.js';

/** Turns one request of a surface into normalized actions; never throws for bad input. */
export type Classifier = (input: unknown) => Action[];

/**
 * The classifiers that exist so far, by surface. A surface without one is judged `deny` with
 * reason "no adapter": what Airlock cannot understand is never allowed.
 */
export const CLASSIFIERS: Partial<Record<Surface, Classifier>> = {
  graphql: (input) => classifyGraphqlRequest(input, RAILWAY_CATALOG),
};

/** The classifier for a surface, if one exists. */
export function classifierFor(surface: Surface): Classifier | undefined {
  return CLASSIFIERS[surface];
}
