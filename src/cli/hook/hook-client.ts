import { request as httpRequest } from 'node:http';
import type { HookAnswer, HookClient } from '../../adapters/hooks/index.js';
import { HOOK_ROUTE_PREFIX, formatAnswer } from '../../adapters/hooks/index.js';

/** The environment variable naming a running `airlock serve` the hook forwards to. */
export const HOOK_URL_ENV = 'AIRLOCK_URL';

/** How long the hook waits for the server; clients' own timeouts would fail open, so this is shorter. */
export const HOOK_FORWARD_TIMEOUT_MS = 10_000;

/**
 * Client mode: forwards the client's JSON unchanged to `airlock serve`, which judges it with warm
 * parsers and policy and returns the exact answer to print. Unreachable server, timeout or any
 * answer that is not a well-formed hook answer → the client's deny.
 */
export async function forwardHook(
  client: HookClient,
  input: string,
  options: { url: string; token: string | undefined; dryRun: boolean },
): Promise<HookAnswer> {
  let target: URL;
  try {
    target = new URL(
      `${HOOK_ROUTE_PREFIX}/${client}${options.dryRun ? '?dry-run=1' : ''}`,
      options.url.endsWith('/') ? options.url : `${options.url}/`,
    );
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http');
  } catch {
    return deny(client, `the Airlock server URL \`${options.url}\` is not an http(s) URL`);
  }
  try {
    const { status, body } = await post(target, input, options.token);
    if (status !== 200) return deny(client, `the Airlock server answered HTTP ${status}`);
    const answer = JSON.parse(body) as Partial<HookAnswer>;
    if (
      typeof answer.stdout !== 'string' ||
      typeof answer.stderr !== 'string' ||
      (answer.exitCode !== 0 && answer.exitCode !== 2)
    ) {
      return deny(client, 'the Airlock server gave a malformed answer');
    }
    return { stdout: answer.stdout, stderr: answer.stderr, exitCode: answer.exitCode };
  } catch {
    // SECURITY: the URL is the user's own config, but the error text could carry more; say only what failed.
    return deny(client, `the Airlock server at ${target.origin} is unreachable`);
  }
}

function deny(client: HookClient, why: string): HookAnswer {
  return formatAnswer(client, {
    verdict: 'deny',
    message: `Airlock denied this call: ${why}. Nothing was run.`,
  });
}

async function post(
  url: URL,
  body: string,
  token: string | undefined,
): Promise<{ status: number; body: string }> {
  // TLS costs milliseconds to load: only an https URL pays for it.
  const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
    const req = send(url, { method: 'POST', headers, timeout: HOOK_FORWARD_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
