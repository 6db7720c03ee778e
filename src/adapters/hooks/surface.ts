import type { ServerResponse } from 'node:http';
import { ok } from '../../core/index.js';
import type { Surface, SurfaceRoute } from '../shared/index.js';
import { readBoundedBody } from '../shared/index.js';
import type { HookClassifiers } from './config.js';
import { loadHookClassifiers } from './config.js';
import type { HookAnswer, HookClient } from './protocols.js';
import { formatAnswer, HOOK_CLIENTS, HOOK_ROUTE_PREFIX } from './protocols.js';
import type { HookDeps } from './run-hook.js';
import { dryRunJudge, runHook } from './run-hook.js';

/** A hook input larger than this is not a tool call: refused (as the client's deny). */
const MAX_HOOK_INPUT_BYTES = 1024 * 1024;

/**
 * `POST /hooks/CLIENT` on `airlock serve`: the agent hooks' client mode. The fast hook entry
 * forwards the client's JSON unchanged with the agent's token (`Authorization: Bearer`); the
 * server judges it exactly as the standalone hook would, with parsers and policy already warm,
 * and answers `{stdout, stderr, exitCode}` for the hook to print. `?dry-run=1` judges without a
 * token and records nothing (what `airlock doctor` probes with). Served even with no upstream.
 */
export const hooksSurface: Surface<never, HookClassifiers> = {
  name: 'agent hooks',
  async validate(_sections, settings) {
    const classify = await loadHookClassifiers(settings);
    // Warm the shell parsers (mvdan/sh's WebAssembly and syntax tree load on first use) before the first hook call.
    await classify.classifyShell('true', '/');
    return ok(classify);
  },
  async start(classify, deps) {
    // The engine is read per call: `policy reload` may have swapped it since serve started.
    const depsFor = (token: string | undefined, dryRun: boolean): HookDeps =>
      dryRun
        ? {
            token: undefined,
            dryRun: true,
            ...classify,
            judge: dryRunJudge(deps.engine(), deps.decide),
          }
        : { token, ...classify, judge: (request) => deps.firewall.judge(request, request.token) };
    const route: SurfaceRoute = {
      prefix: HOOK_ROUTE_PREFIX,
      async handle(req, res, url) {
        const client = url.pathname.slice(HOOK_ROUTE_PREFIX.length + 1) as HookClient;
        if (!HOOK_CLIENTS.includes(client))
          return send(res, 404, { error: `no hook for \`${url.pathname}\`` });
        if (req.method !== 'POST') return send(res, 405, { error: "POST the client's hook input" });
        const bytes = await readBoundedBody(req, MAX_HOOK_INPUT_BYTES);
        const body = bytes?.toString('utf8');
        const raw = url.searchParams.get('format') === 'raw';
        if (body === undefined)
          return sendAnswer(
            res,
            formatAnswer(client, {
              verdict: 'deny',
              message: 'Airlock denied this call: the hook input is too large. Nothing was run.',
            }),
            raw,
          );
        const token = bearer(req.headers.authorization);
        const answer = await runHook(client, body, async () =>
          depsFor(token, url.searchParams.get('dry-run') === '1'),
        );
        sendAnswer(res, answer, raw);
      },
    };
    return { routes: [route], lines: [], close: async () => undefined };
  },
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
  const body = Buffer.concat([
    Buffer.from(`${answer.exitCode} ${Buffer.byteLength(answer.stdout)}\n`),
    Buffer.from(answer.stdout),
    Buffer.from(answer.stderr),
  ]);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  res.end(body);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
