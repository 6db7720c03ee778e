export type { Classifier } from './classifier.js';
export { CLASSIFIERS, classifierFor } from './classifier.js';
