export type { CedarPolicyEngineOptions } from './cedar-policy-engine.js';
export {
  CedarPolicyEngine,
  DEFAULT_MAX_CACHED_ANSWERS,
  DEFAULT_MAX_SLICES,
} from './cedar-policy-engine.js';
export type { CompiledPolicy, CompiledPolicySet } from './compile-policy-set.js';
export { compilePolicySet } from './compile-policy-set.js';
export {
  DEFAULT_POLICY_DIR,
  loadDefaultPolicy,
  loadDefaultPolicyFiles,
  loadPolicyDir,
  loadPolicyFiles,
} from './load-policy-dir.js';
export { RESERVED_POLICY_ID_PREFIX } from './parse-policy-file.js';
export type { PolicyFile, PolicyProblem } from './policy-problem.js';
export { formatPolicyProblem } from './policy-problem.js';
export { airlockSchemaText } from './schema.js';
