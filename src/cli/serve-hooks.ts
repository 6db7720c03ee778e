import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HookAnswer, HookClient, HookDeps } from '../adapters/hooks/index.js';
import { dryRunJudge, formatAnswer, HOOK_CLIENTS, runHook } from '../adapters/hooks/index.js';
import { readBoundedBody } from '../adapters/shared/index.js';
import type { GatewayRoute } from '../server/index.js';
import { decideOptionsOf } from './context.js';
import { HOOK_ROUTE_PREFIX } from './hook/hook-client.js';
import { hookClassifiers } from './hook/hook-standalone.js';
import type { ServePartFactory } from './serve-part.js';

/** A hook input larger than this is not a tool call: refused (as the client's deny). */
const MAX_HOOK_INPUT_BYTES = 1024 * 1024;

/**
 * `POST /hooks/CLIENT` on `airlock serve`: the agent hooks' client mode. The fast hook entry
 * forwards the client's JSON unchanged with the agent's token (`Authorization: Bearer`); the
 * server judges it exactly as the standalone hook would, with parsers and policy already warm,
 * and answers `{stdout, stderr, exitCode}` for the hook to print. `?dry-run=1` judges without a
 * token and records nothing (what `airlock doctor` probes with).
 */
export const hooksServePart: ServePartFactory = async (context) => {
  const classify = hookClassifiers(await import('../classify/index.js'), context.loaded);
  // Warm the shell parsers (mvdan/sh's WebAssembly and syntax tree load on first use) before the first hook call.
  await classify.classifyShell('true', '/');
  const decide = decideOptionsOf(context.loaded);
  // The engine is read per call: `policy reload` may have swapped it since serve started.
  const depsFor = (token: string | undefined, dryRun: boolean): HookDeps =>
    dryRun ? { token: undefined, dryRun: true, ...classify, judge: dryRunJudge(context.engine(), decide) } : { token, ...classify, judge: (request) => context.firewall.judge(request) };

  const route: GatewayRoute = {
    prefix: HOOK_ROUTE_PREFIX,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      const client = url.pathname.slice(HOOK_ROUTE_PREFIX.length + 1) as HookClient;
      if (!HOOK_CLIENTS.includes(client)) return send(res, 404, { error: `no hook for \`${url.pathname}\`` });
      if (req.method !== 'POST') return send(res, 405, { error: 'POST the client\'s hook input' });
      const bytes = await readBoundedBody(req, MAX_HOOK_INPUT_BYTES);
      const body = bytes?.toString('utf8');
      const raw = url.searchParams.get('format') === 'raw';
      if (body === undefined) return sendAnswer(res, formatAnswer(client, { verdict: 'deny', message: 'Airlock denied this call: the hook input is too large. Nothing was run.' }), raw);
      const token = bearer(req.headers.authorization);
      const answer = await runHook(client, body, async () => depsFor(token, url.searchParams.get('dry-run') === '1'));
      sendAnswer(res, answer, raw);
    },
  };
  return { name: 'agent hooks', routes: () => [route] };
};

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1];
}


/**
 * A hook answer as JSON, or with `?format=raw` as `EXIT STDOUT_BYTES\n` + stdout + stderr: what the
 * native client (`native/airlock-hook.c`) prints without a JSON parser.
 */
function sendAnswer(res: ServerResponse, answer: HookAnswer, raw: boolean): void {
  if (!raw) return send(res, 200, answer);
  const body = Buffer.concat([Buffer.from(`${answer.exitCode} ${Buffer.byteLength(answer.stdout)}\n`), Buffer.from(answer.stdout), Buffer.from(answer.stderr)]);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
