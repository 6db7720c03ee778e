import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { readSecretField, resolveSecret } from './secrets.js';

function homeWithCredential(name: string, value: string, mode = 0o600): string {
  const home = mkdtempSync(join(tmpdir(), 'airlock-secret-'));
  mkdirSync(join(home, 'credentials'), { mode: 0o700 });
  writeFileSync(join(home, 'credentials', name), value, { mode });
  chmodSync(join(home, 'credentials', name), mode);
  return home;
}

describe('resolveSecret', () => {
  it('reads a variable, trimmed, and names an unset or blank one without a value', () => {
    expect(resolveSecret({ env: 'TOKEN' }, { env: { TOKEN: '  abc\n' }, home: '/x' })).toEqual({
      ok: true,
      value: 'abc',
    });
    expect(resolveSecret({ env: 'TOKEN' }, { env: { TOKEN: ' \n' }, home: '/x' })).toEqual({
      ok: false,
      error: '$TOKEN is unset',
    });
    expect(resolveSecret({ env: 'TOKEN' }, { env: {}, home: '/x' })).toEqual({
      ok: false,
      error: '$TOKEN is unset',
    });
  });

  it('reads a relative file under HOME/credentials, trimmed', () => {
    const home = homeWithCredential('railway', 'rw_secret_value\n');
    expect(resolveSecret({ file: 'railway' }, { env: {}, home })).toEqual({
      ok: true,
      value: 'rw_secret_value',
    });
  });

  it('reads a relative file under $CREDENTIALS_DIRECTORY when systemd hands one over', () => {
    const home = homeWithCredential('railway', 'from-home');
    const systemd = mkdtempSync(join(tmpdir(), 'airlock-creds-'));
    writeFileSync(join(systemd, 'railway'), 'from-systemd', { mode: 0o400 });
    expect(
      resolveSecret({ file: 'railway' }, { env: { CREDENTIALS_DIRECTORY: systemd }, home }),
    ).toEqual({ ok: true, value: 'from-systemd' });
    // As systemd leaves them: root's, 0400 plus an ACL for the service user, which stat shows as group read.
    chmodSync(join(systemd, 'railway'), 0o440);
    expect(
      resolveSecret({ file: 'railway' }, { env: { CREDENTIALS_DIRECTORY: systemd }, home }),
    ).toEqual({ ok: true, value: 'from-systemd' });
    chmodSync(join(systemd, 'railway'), 0o444);
    expect(
      resolveSecret({ file: 'railway' }, { env: { CREDENTIALS_DIRECTORY: systemd }, home }).ok,
    ).toBe(false);
  });

  it('refuses a file others may read, a missing one and an empty one, naming the file and never the value', () => {
    const home = homeWithCredential('open', 'visible-secret', 0o644);
    const open = resolveSecret({ file: 'open' }, { env: {}, home });
    expect(open).toEqual({
      ok: false,
      error: `credential file \`${home}/credentials/open\` is open to other users (mode 0644): run \`chmod 600 ${home}/credentials/open\``,
    });
    expect(JSON.stringify(open)).not.toContain('visible-secret');
    expect(resolveSecret({ file: 'gone' }, { env: {}, home })).toEqual({
      ok: false,
      error: `credential file \`${home}/credentials/gone\` cannot be read (ENOENT)`,
    });
    const empty = homeWithCredential('empty', '\n');
    expect(resolveSecret({ file: 'empty' }, { env: {}, home: empty })).toEqual({
      ok: false,
      error: `credential file \`${empty}/credentials/empty\` is empty`,
    });
  });

  it('lists a problem under the field it came from', () => {
    const problems: string[] = [];
    expect(
      readSecretField(
        { credentialEnv: 'A' },
        'credential',
        'upstreams.x',
        { env: {}, home: '/x' },
        problems,
      ),
    ).toBeUndefined();
    expect(
      readSecretField(
        { credentialFile: '/nonexistent/b' },
        'credential',
        'upstreams.y',
        { env: {}, home: '/x' },
        problems,
      ),
    ).toBeUndefined();
    expect(
      readSecretField({}, 'credential', 'upstreams.z', { env: {}, home: '/x' }, problems),
    ).toBeUndefined();
    expect(
      readSecretField(
        {},
        'secret',
        'webhooks.endpoints.w',
        { env: {}, home: '/x' },
        problems,
        false,
      ),
    ).toBeUndefined();
    expect(problems).toEqual([
      'upstreams.x.credentialEnv: $A is unset',
      'upstreams.y.credentialFile: credential file `/nonexistent/b` cannot be read (ENOENT)',
      'upstreams.z.credentialEnv: required (or credentialFile)',
    ]);
  });
});

describe('credentialFile in the config', () => {
  it('is taken by every upstream kind and webhook, and refused beside its variable', () => {
    const kinds = {
      g: { kind: 'graphql', url: 'https://x.test/graphql', credentialFile: 'g' },
      h: { kind: 'http', platform: 'github', url: 'https://api.github.com', credentialFile: 'h' },
      a: {
        kind: 'http',
        platform: 'aws',
        url: 'https://rds.test',
        aws: {
          accessKeyIdFile: 'k',
          secretAccessKeyFile: 's',
          region: 'us-east-1',
          service: 'rds',
        },
      },
      p: {
        kind: 'postgres',
        url: 'postgres://app@db:5432/app',
        credentialFile: 'p',
        vault: { dir: '/v' },
      },
      m: { kind: 'mcp', url: 'https://mcp.test/mcp', credentialFile: 'm' },
    };
    const webhooks = { endpoints: { ops: { urlFile: 'hook-url', secretFile: 'hook-secret' } } };
    expect(parseConfig({ upstreams: kinds, webhooks }).ok).toBe(true);
    for (const [name, upstream] of Object.entries(kinds)) {
      if (!('credentialFile' in upstream)) continue;
      const both = parseConfig({ upstreams: { [name]: { ...upstream, credentialEnv: 'TOKEN' } } });
      expect(both.ok ? '' : both.error.join('\n')).toContain(
        'give one of `credentialEnv` and `credentialFile`, not both',
      );
    }
    const awsTwice = parseConfig({
      upstreams: { a: { ...kinds.a, aws: { ...kinds.a.aws, accessKeyIdEnv: 'K' } } },
    });
    expect(awsTwice.ok ? '' : awsTwice.error.join('\n')).toContain(
      'upstreams.a.aws.accessKeyIdFile: give one of',
    );
    const urlTwice = parseConfig({
      webhooks: { endpoints: { ops: { urlFile: 'u', urlEnv: 'U', secretFile: 's' } } },
    });
    expect(urlTwice.ok).toBe(false);
    expect(
      parseConfig({ upstreams: { g: { ...kinds.g, credentialFile: '../../etc/shadow' } } }).ok,
    ).toBe(false);
  });
});
