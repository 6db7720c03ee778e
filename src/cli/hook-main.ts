import type { HookAnswer, HookClient } from '../adapters/hooks/protocols.js';
import { formatAnswer, HOOK_CLIENTS } from '../adapters/hooks/protocols.js';
import { forwardHook, HOOK_URL_ENV } from './hook-client.js';

/**
 * The fast hook entry (`bin/airlock-hook.js`): what agent clients run before every tool call.
 * It imports only what answering needs, so it starts in a few tens of milliseconds when bundled:
 * - client mode (`--url URL` or $AIRLOCK_URL): forward the client's JSON to a running
 *   `airlock serve` (one small HTTP request; the server's parsers and policy are warm);
 * - standalone: judge here from the Airlock home (loads the policy engine and the store).
 * Usage: `airlock-hook.js [--home DIR] [--url URL] [--dry-run] CLIENT` with the client's JSON on stdin.
 */

interface HookArgs {
  readonly client: HookClient | undefined;
  readonly home: string | undefined;
  readonly url: string | undefined;
  readonly dryRun: boolean;
  readonly problem: string | undefined;
}

/** Parses the hook's arguments; never throws (a problem is reported as a deny). */
export function parseHookArgs(argv: readonly string[]): HookArgs {
  let client: HookClient | undefined;
  let home: string | undefined;
  let url: string | undefined;
  let dryRun = false;
  let problem: string | undefined;
  for (let at = 0; at < argv.length; at += 1) {
    const arg = argv[at] as string;
    if (arg === '--home' || arg === '--url') {
      const value = argv[at + 1];
      if (value === undefined) problem ??= `${arg} needs a value`;
      else if (arg === '--home') home = value;
      else url = value;
      at += 1;
    } else if (arg === '--dry-run') dryRun = true;
    else if ((HOOK_CLIENTS as readonly string[]).includes(arg) && client === undefined) client = arg as HookClient;
    else problem ??= `unexpected argument \`${arg}\``;
  }
  if (client === undefined) problem ??= `name the client: one of ${HOOK_CLIENTS.join(', ')}`;
  return { client, home, url, dryRun, problem };
}

/** Answers one hook call; every failure becomes the client's deny. */
export async function answerHook(args: HookArgs, input: string, env: NodeJS.ProcessEnv): Promise<HookAnswer> {
  const { client } = args;
  // Without a client the answer shape is unknown; exit 2 blocks in every client.
  if (client === undefined) return { stdout: '', stderr: `airlock hook: ${args.problem ?? 'no client'}\n`, exitCode: 2 };
  if (args.problem !== undefined) return formatAnswer(client, { verdict: 'deny', message: `Airlock denied this call: ${args.problem}. Nothing was run.` });
  const url = args.url ?? nonEmpty(env[HOOK_URL_ENV]);
  if (url !== undefined) return forwardHook(client, input, { url, token: env.AIRLOCK_TOKEN, dryRun: args.dryRun });
  try {
    const [{ runStandaloneHook }, { resolveHome }] = await Promise.all([import('./hook-standalone.js'), import('../config/load.js')]);
    return await runStandaloneHook(client, input, { home: resolveHome(args.home, env), dryRun: args.dryRun, env });
  } catch {
    return formatAnswer(client, { verdict: 'deny', message: 'Airlock denied this call: Airlock failed to start. Nothing was run.' });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process entry: read stdin, answer, exit with the answer's code. */
export async function main(argv: readonly string[]): Promise<void> {
  let answer: HookAnswer;
  try {
    answer = await answerHook(parseHookArgs(argv), await readStdin(), process.env);
  } catch {
    answer = { stdout: '', stderr: 'airlock hook: failed; denying\n', exitCode: 2 };
  }
  process.stdout.write(answer.stdout);
  process.stderr.write(answer.stderr);
  process.exitCode = answer.exitCode;
}
