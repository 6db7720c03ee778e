import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardGraphql } from './forward.js';
import { REDACTED } from '../shared/index.js';

const CREDENTIAL = 'railway_secret_credential_42';
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

describe('forwardGraphql', () => {
  it('decodes a compressed answer and scrubs the credential from it', async () => {
    const seen: (string | undefined)[] = [];
    const upstreamUrl = await listen(
      createServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify({ data: { echo: `token ${CREDENTIAL} seen` } })));
      }),
    );
    const dispatcher = new Agent();
    const frontUrl = await listen(
      createServer((req, res) => {
        const upstream = { kind: 'graphql' as const, url: upstreamUrl, credential: CREDENTIAL };
        const request = {
          method: 'POST' as const,
          search: '',
          headers: req.headers,
          body: Buffer.from('{"query":"{ me { id } }"}'),
        };
        forwardGraphql(upstream, request, res, dispatcher).catch(() => res.destroy());
      }),
    );
    const response = await fetch(frontUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer alk_agent' },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(text).toContain(REDACTED);
    expect(text).not.toContain(CREDENTIAL);
    expect(seen).toEqual([`Bearer ${CREDENTIAL}`]);
    await dispatcher.close();
  });
});
