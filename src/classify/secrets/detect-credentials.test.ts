import { describe, expect, it } from 'vitest';
import { credentialFixtures } from '../../../test/credential-fixtures.js';
import { CREDENTIAL_RULES } from './credential-rules.js';
import { detectCredentials, fingerprintOf } from './detect-credentials.js';

const { plants, nearMisses } = credentialFixtures();
const hintOf = (file: string): string | undefined =>
  ({
    '.railway/config.json': 'railway',
    '.local/share/com.vercel.cli/auth.json': 'vercel',
    '.fly/config.yml': 'fly',
    '.config/neonctl/credentials.json': 'neon',
    '.pgpass': 'pgpass',
  })[file];

describe('detectCredentials', () => {
  it.each(plants.map((plant) => [plant.rule, plant] as const))(
    'reports a planted %s with its platform and a fingerprint only',
    (_rule, plant) => {
      const hint = plant.home === true ? hintOf(plant.file) : undefined;
      const matches = detectCredentials(
        `first line\n${plant.text}\n`,
        hint === undefined ? {} : { hint },
      );
      expect(matches.map((match) => [match.rule, match.platform, match.line])).toEqual([
        [plant.rule, plant.platform, 2],
      ]);
      expect(matches[0]?.fingerprint).toBe(fingerprintOf(plant.secret));
      expect(JSON.stringify(matches)).not.toContain(plant.secret);
      expect(plant.text.slice((matches[0]?.column ?? 0) - 1)).toMatch(
        new RegExp(`^${plant.secret.slice(0, 6).replace(/[+/.]/g, '\\$&')}`),
      );
    },
  );

  it.each(nearMisses.map((miss) => [miss.text, miss] as const))(
    'stays silent on the near-miss %s',
    (_text, miss) => {
      expect(detectCredentials(miss.text)).toEqual([]);
    },
  );

  it('tells what each key can do where the format says: Stripe live or test, secret or restricted; GitHub classic or fine-grained', () => {
    const kinds = (rule: string) =>
      CREDENTIAL_RULES.find((candidate) => candidate.id === rule)?.kind;
    expect([kinds('stripe-secret-live'), kinds('stripe-restricted-test')]).toEqual([
      'secret key, live mode',
      'restricted key, test mode',
    ]);
    expect([kinds('github-classic-pat'), kinds('github-fine-grained-pat')]).toEqual([
      'classic personal access token',
      'fine-grained personal access token',
    ]);
    expect([kinds('railway-project-token'), kinds('railway-cli-login')]).toEqual([
      'project token',
      'account token (CLI login)',
    ]);
  });

  it('covers every rule with a plant', () => {
    const planted = new Set(plants.map((plant) => plant.rule));
    const untested = CREDENTIAL_RULES.map((rule) => rule.id).filter((id) => !planted.has(id));
    expect(untested).toEqual([]);
  });
});
