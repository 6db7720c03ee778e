import { describe, expect, it } from 'vitest';
import { classifierFor } from '../src/classify/index.js';
import { dryRunLine } from '../src/firewall/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { corpusCases } from './corpus-cases.js';
import { verifies } from './requirements.js';

const CASES = corpusCases('mcp');

const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
if (!engine.ok) throw new Error('the default policy does not load');
const options = {
  engine: engine.value,
  decide: { productionEnvironments: ['production', 'prod'], approvalsObtainable: 2 },
  classify: classifierFor,
};

describe('mcp corpus cases through the default policy', () => {
  it('holds every mcp case of the corpus', () => {
    expect(CASES.length).toBe(21);
  });

  for (const item of CASES) {
    it(`${item.id} (${item.technique}) gets ${item.expect}`, async () => {
      verifies('check.mcp-corpus-exact');
      const verdict = await dryRunLine(item.line, options);
      if (item.expect === 'allow') expect(verdict.verdict).toBe('allow');
      else expect(['hold', 'deny']).toContain(verdict.verdict);
      expect(verdict.error).toBeUndefined();
    });
  }
});
