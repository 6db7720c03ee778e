import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { PolicyEngine } from '../core/index.js';
import { NO_ADAPTER_POLICY_ID } from '../core/index.js';
import { dryRunLine } from './dry-run.js';

// Every surface has a classifier now, so the no-adapter path is reached through a registry
// that lacks one: a surface added to the model before its adapter must still be denied.
const ENGINE_NEVER_ASKED: PolicyEngine = {
  version: 'never-asked',
  evaluate: () => {
    throw new Error('a surface without an adapter must not reach the policy engine');
  },
};

describe('dryRunLine', () => {
  it('denies a surface that has no classifier, naming the missing adapter', async () => {
    verifies('check.no-adapter-denies');
    const line =
      '{"id":"a","surface":"http","input":{"method":"DELETE","path":"/v1/volumes/1","headers":{},"body":null}}';
    const verdict = await dryRunLine(line, {
      engine: ENGINE_NEVER_ASKED,
      decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
      classify: () => undefined,
    });
    expect(verdict).toMatchObject({ id: 'a', verdict: 'deny', policyIds: [NO_ADAPTER_POLICY_ID] });
    expect(verdict.reasons[0]).toMatch(/no adapter for the http surface/);
  });
});
