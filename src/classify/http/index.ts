import type { Classifier } from '../classifier.js';

/** The http surface's classifier (corpus input shape); undefined until it is built. */
export const HTTP_CLASSIFIER: Classifier | undefined = undefined;
