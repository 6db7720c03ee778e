import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookEndpointsOf } from '../src/server/index.js';
import {
  mcpUpstreamsOf,
  postgresUpstreamsOf,
  restUpstreamsOf,
  upstreamsOf,
} from './upstreams-of.js';
import type { LoadedConfig } from '../src/config/index.js';
import { parseConfig, redactConfig } from '../src/config/index.js';
import { startRailwayStandin } from '../src/standins/index.js';
import { plantedSecret } from './gateway-harness.js';
import { verifies } from './requirements.js';
import { jsonLines, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

/** A home whose `credentials/` folder holds these files, 0600. */
function homeWith(files: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), 'airlock-credentials-'));
  mkdirSync(join(home, 'credentials'), { mode: 0o700 });
  for (const [name, value] of Object.entries(files))
    writeFileSync(join(home, 'credentials', name), value, { mode: 0o600 });
  return home;
}

function loaded(home: string, raw: Record<string, unknown>): LoadedConfig {
  const parsed = parseConfig({ version: 1, ...raw });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  return {
    config: parsed.value,
    home,
    file: undefined,
    storeFile: join(home, 'airlock.db'),
    policyDir: join(home, 'policies'),
  };
}

const failureOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('credentials from files, for every upstream kind', () => {
  it('graphql: reads credentialFile, trimmed, and names a missing one', () => {
    const home = homeWith({ railway: 'rw_file_token\n' });
    const config = loaded(home, {
      upstreams: {
        railway: { kind: 'graphql', url: 'https://x.test/graphql', credentialFile: 'railway' },
      },
    });
    expect(upstreamsOf(config, {})['railway']?.credential).toBe('rw_file_token');
    const missing = loaded(home, {
      upstreams: {
        railway: { kind: 'graphql', url: 'https://x.test/graphql', credentialFile: 'nope' },
      },
    });
    expect(failureOf(() => upstreamsOf(missing, {}))).toMatchObject({
      details: [
        `upstreams.railway.credentialFile: credential file \`${home}/credentials/nope\` cannot be read (ENOENT)`,
      ],
    });
  });

  it('http: reads a header credential and AWS keys from files', () => {
    const home = homeWith({
      github: 'ghp_file\n',
      'aws-id': 'AKIAFILE',
      'aws-secret': 'secretfile',
    });
    const config = loaded(home, {
      upstreams: {
        github: {
          kind: 'http',
          platform: 'github',
          url: 'https://api.github.com',
          credentialFile: 'github',
        },
        rds: {
          kind: 'http',
          platform: 'aws',
          url: 'https://rds.us-east-1.amazonaws.com',
          aws: {
            accessKeyIdFile: 'aws-id',
            secretAccessKeyFile: 'aws-secret',
            region: 'us-east-1',
            service: 'rds',
          },
        },
      },
    });
    const upstreams = restUpstreamsOf(config, {});
    expect(upstreams['github']?.credential).toMatchObject({ kind: 'header', secret: 'ghp_file' });
    expect(upstreams['rds']?.credential).toMatchObject({
      kind: 'aws',
      keys: { accessKeyId: 'AKIAFILE', secretAccessKey: 'secretfile' },
    });
  });

  it('postgres: reads the password from a file', () => {
    const home = homeWith({ pg: ' pg-password \n' });
    const config = loaded(home, {
      upstreams: {
        app: {
          kind: 'postgres',
          url: 'postgres://app@db:5432/app',
          credentialFile: 'pg',
          vault: { dir: '/vault' },
        },
      },
    });
    expect(postgresUpstreamsOf(config, {})[0]?.target.password).toBe('pg-password');
  });

  it('mcp: sends a bearer credential read from a file', () => {
    const home = homeWith({ mcp: 'mcp-token' });
    const config = loaded(home, {
      upstreams: { api: { kind: 'mcp', url: 'https://mcp.test/mcp', credentialFile: 'mcp' } },
    });
    expect(mcpUpstreamsOf(config, {})[0]?.transport).toEqual({
      kind: 'http',
      url: 'https://mcp.test/mcp',
      credential: 'mcp-token',
    });
  });

  it('mcp: hands a stdio child variables from files, also in ${NAME} arguments', () => {
    const home = homeWith({ 'db-url': 'postgresql://app:pw@db/app\n' });
    const config = loaded(home, {
      upstreams: {
        pg: {
          kind: 'mcp',
          command: 'npx',
          args: ['server-postgres', '${DATABASE_URL}'],
          env: ['PGSSLMODE'],
          envFiles: { DATABASE_URL: 'db-url' },
        },
      },
    });
    expect(
      mcpUpstreamsOf(config, { PGSSLMODE: 'require', DATABASE_URL: 'from-the-environment' })[0]
        ?.transport,
    ).toEqual({
      kind: 'stdio',
      command: 'npx',
      args: ['server-postgres', 'postgresql://app:pw@db/app'],
      env: { PGSSLMODE: 'require', DATABASE_URL: 'postgresql://app:pw@db/app' },
    });
    const missing = loaded(home, {
      upstreams: { pg: { kind: 'mcp', command: 'npx', envFiles: { TOKEN: 'gone' } } },
    });
    expect(failureOf(() => mcpUpstreamsOf(missing, {}))).toMatchObject({
      details: [
        `upstreams.pg.envFiles.TOKEN: credential file \`${home}/credentials/gone\` cannot be read (ENOENT)`,
      ],
    });
    expect(
      parseConfig({
        upstreams: {
          pg: { kind: 'mcp', command: 'npx', env: ['TOKEN'], envFiles: { TOKEN: 't' } },
        },
      }).ok,
    ).toBe(false);
  });

  it('webhooks: read the URL and the signing secret from files, or from $CREDENTIALS_DIRECTORY', () => {
    const home = homeWith({});
    const systemd = mkdtempSync(join(tmpdir(), 'airlock-systemd-'));
    writeFileSync(join(systemd, 'hook-url'), 'https://hooks.test/x\n', { mode: 0o400 });
    writeFileSync(join(systemd, 'hook-secret'), 'whsec_file', { mode: 0o400 });
    const config = loaded(home, {
      webhooks: { endpoints: { ops: { urlFile: 'hook-url', secretFile: 'hook-secret' } } },
    });
    expect(
      webhookEndpointsOf(config.config, { env: { CREDENTIALS_DIRECTORY: systemd }, home }),
    ).toEqual([{ name: 'ops', url: 'https://hooks.test/x', format: 'json', secret: 'whsec_file' }]);
    expect(failureOf(() => webhookEndpointsOf(config.config, { env: {}, home }))).toMatchObject({
      details: [
        expect.stringMatching(
          /^webhooks\.endpoints\.ops\.urlFile: credential file `.*\/credentials\/hook-url` cannot be read/,
        ),
        expect.stringMatching(/^webhooks\.endpoints\.ops\.secretFile: /),
      ],
    });
  });

  it('refuses a credential file others may read, without showing its value', () => {
    verifies('boundary.credential-file-private');
    const home = homeWith({});
    writeFileSync(join(home, 'credentials', 'railway'), 'leaky-secret', { mode: 0o644 });
    const config = loaded(home, {
      upstreams: {
        railway: { kind: 'graphql', url: 'https://x.test/graphql', credentialFile: 'railway' },
      },
    });
    const failure = failureOf(() => upstreamsOf(config, {}));
    expect(failure).toMatchObject({
      details: [expect.stringContaining('is open to other users (mode 0644): run `chmod 600')],
    });
    expect(JSON.stringify(failure)).not.toContain('leaky-secret');
  });

  it('config show says whether a credential file is there, never what it holds', () => {
    const home = homeWith({ railway: 'shown-nowhere' });
    const config = loaded(home, {
      upstreams: {
        railway: { kind: 'graphql', credentialFile: 'railway' },
        other: { kind: 'graphql', credentialFile: 'gone' },
      },
    });
    const shown = JSON.stringify(redactConfig(config.config, {}, home));
    expect(shown).not.toContain('shown-nowhere');
    expect(shown).toContain(
      '"credentialFile":"railway","credentialHeader":"authorization","credential":"[redacted]"',
    );
    expect(shown).toContain('"credential":"missing"');
  });
});

describe('airlock serve with a credential file', () => {
  it('forwards a graphql upstream with the credential read from HOME/credentials, never from the environment', async () => {
    const secret = plantedSecret();
    const railway = await startRailwayStandin({
      port: 0,
      tokens: { account: [secret] },
      seed: true,
    });
    const home = homeWith({ railway: `${secret}\n` });
    writeFileSync(
      join(home, 'airlock.yaml'),
      `upstreams:\n  railway:\n    kind: graphql\n    url: ${railway.url}\n    credentialFile: railway\n`,
    );
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'bot',
        '--owner',
        'alice',
        '--upstream',
        'railway',
        '--env',
        '*',
        '--effect',
        'read',
        '--resource',
        '*',
        '--json',
      ],
      { home },
    );
    const { token } = jsonLines(issued.stdout)[0] as { token: string };
    const serve = await startServe(home, { RAILWAY_TOKEN: '' });
    try {
      const reply = await fetch(`${serve.url}/graphql/railway`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      const text = await reply.text();
      expect(reply.status, text).toBe(200);
      expect(text).toContain('"email"');
      expect(text).not.toContain(secret);
    } finally {
      expect(await serve.stop()).toBe(0);
      await railway.close();
    }
  }, 60_000);
});
