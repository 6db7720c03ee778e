import type { Classifier } from '../classifier.js';

/** The sql surface's classifier (corpus input shape); undefined until it is built. */
export const SQL_CLASSIFIER: Classifier | undefined = undefined;
