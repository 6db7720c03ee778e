import type { Classifier } from '../classifier.js';

/** The shell surface's classifier (corpus input shape); undefined until it is built. */
export const SHELL_CLASSIFIER: Classifier | undefined = undefined;
