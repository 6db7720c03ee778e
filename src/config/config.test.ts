import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { loadConfig, parseConfig } from './load.js';
import { redactConfig } from './redact.js';
import { STARTER_CONFIG } from './starter.js';
import type { Config } from './schema.js';

describe('config', () => {
  it('fills every default from an empty file', () => {
    const parsed = parseConfig({});
    expect(parsed.ok && parsed.value.freeze).toEqual({ maxDenials: 5, window: 600_000 });
    expect(parsed.ok && parsed.value.environments.production).toEqual(['production', 'prod']);
  });

  it('the starter config is valid and equals the defaults', () => {
    expect(parseConfig(parseYaml(STARTER_CONFIG))).toEqual(parseConfig({}));
  });

  it('reads a graphql upstream without a platform as Railway, and refuses a platform it does not know', () => {
    const parsed = parseConfig({
      upstreams: { railway: { kind: 'graphql', credentialEnv: 'RAILWAY_TOKEN' } },
    });
    expect(parsed.ok && parsed.value.upstreams['railway']).toMatchObject({
      kind: 'graphql',
      platform: 'railway',
    });
    expect(
      parseConfig({
        upstreams: { gh: { kind: 'graphql', platform: 'github', credentialEnv: 'GH_TOKEN' } },
      }).ok,
    ).toBe(false);
  });

  it('lists every problem, naming the field', () => {
    verifies('config.invalid-refused-listing-fields');
    const parsed = parseConfig({
      freeze: { window: 'soon' },
      approvals: { obtainable: 0 },
      extra: true,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toHaveLength(3);
    expect(parsed.error.join('\n')).toMatch(/^freeze\.window: /m);
    expect(parsed.error.join('\n')).toMatch(/^approvals\.obtainable: /m);
    expect(parsed.error.join('\n')).toMatch(/extra/);
  });

  it('refuses a secret written where a variable name belongs, without echoing it', () => {
    verifies('config.secrets-redacted');
    const parsed = parseConfig({
      upstreams: { railway: { kind: 'graphql', credentialEnv: 'rw_live_abc123' } },
    });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain('rw_live_abc123');
  });

  it('loads from the home folder, deeply frozen, with absolute paths', () => {
    const home = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(home, 'airlock.yaml'), 'policy:\n  dir: rules\n');
    const loaded = loadConfig(home);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.policyDir).toBe(join(home, 'rules'));
    expect(Object.isFrozen(loaded.value.config.environments.production)).toBe(true);
  });

  it('names the file when it is not YAML', () => {
    const home = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(home, 'airlock.yaml'), 'a: [unclosed\n');
    const loaded = loadConfig(home);
    expect(!loaded.ok && loaded.error[0]).toMatch(/airlock\.yaml: not valid YAML/);
  });

  it('shows credentials only as set or unset', () => {
    verifies('config.secrets-redacted');
    const parsed = parseConfig({
      upstreams: { railway: { kind: 'graphql', credentialEnv: 'RAILWAY_TOKEN' } },
    });
    if (!parsed.ok) throw new Error('expected valid config');
    const shown = JSON.stringify(
      redactConfig(parsed.value, { RAILWAY_TOKEN: 'super-secret-value' }, '/nonexistent'),
    );
    expect(shown).not.toContain('super-secret-value');
    expect(shown).toContain('[redacted]');
    expect(JSON.stringify(redactConfig(parsed.value, {}, '/nonexistent'))).toContain('unset');
  });

  it('names the header a credential travels in, and refuses any other', () => {
    const project = parseConfig({
      upstreams: {
        railway: {
          kind: 'graphql',
          credentialEnv: 'RAILWAY_PROJECT_TOKEN',
          credentialHeader: 'project-access-token',
        },
      },
    });
    expect(project.ok && headerOf(project.value.upstreams['railway'])).toBe('project-access-token');
    const byDefault = parseConfig({
      upstreams: { railway: { kind: 'graphql', credentialEnv: 'RAILWAY_API_TOKEN' } },
    });
    expect(byDefault.ok && headerOf(byDefault.value.upstreams['railway'])).toBe('authorization');
    const odd = parseConfig({
      upstreams: { railway: { kind: 'graphql', credentialHeader: 'cookie' } },
    });
    expect(!odd.ok && odd.error[0]).toMatch(/^upstreams\.railway\.credentialHeader: /);
  });
});

function headerOf(upstream: Config['upstreams'][string] | undefined): string | undefined {
  return upstream?.kind === 'graphql' ? upstream.credentialHeader : undefined;
}
