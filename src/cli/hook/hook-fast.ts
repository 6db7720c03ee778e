import type { HookAnswer, HookClient } from '../../adapters/hooks/index.js';
import { formatAnswer, HOOK_CLIENTS } from '../../adapters/hooks/index.js';
import { forwardHook, HOOK_URL_ENV } from './hook-client.js';

/**
 * The first thing an agent client's hook runs (`bin/airlock-hook.cjs`, bundled as CommonJS:
 * Node starts CommonJS faster than ES modules). It parses the arguments and, in client mode
 * (`--url URL` or $AIRLOCK_URL), forwards the client's JSON to a running `airlock serve` with
 * nothing else loaded; otherwise it hands over to the standalone judge, loaded only then.
 * Usage: `airlock-hook.cjs [--home DIR] [--url URL] [--dry-run] CLIENT` with the client's JSON on stdin.
 */

/** The hook's arguments. */
export interface HookArgs {
  readonly client: HookClient | undefined;
  readonly home: string | undefined;
  readonly url: string | undefined;
  readonly dryRun: boolean;
  readonly problem: string | undefined;
}

/** Judges in this process (the standalone mode), loaded on demand. */
export type StandaloneAnswer = (
  client: HookClient,
  input: string,
  options: { home: string | undefined; dryRun: boolean; env: NodeJS.ProcessEnv },
) => Promise<HookAnswer>;

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
    else if ((HOOK_CLIENTS as readonly string[]).includes(arg) && client === undefined)
      client = arg as HookClient;
    else problem ??= `unexpected argument \`${arg}\``;
  }
  if (client === undefined) problem ??= `name the client: one of ${HOOK_CLIENTS.join(', ')}`;
  return { client, home, url, dryRun, problem };
}

/** Answers one hook call; every failure becomes the client's deny. */
export async function answerHookWith(
  args: HookArgs,
  input: string,
  env: NodeJS.ProcessEnv,
  standalone: () => Promise<StandaloneAnswer>,
): Promise<HookAnswer> {
  const { client } = args;
  // Without a client the answer shape is unknown; exit 2 blocks in every client.
  if (client === undefined)
    return { stdout: '', stderr: `airlock hook: ${args.problem ?? 'no client'}\n`, exitCode: 2 };
  if (args.problem !== undefined)
    return formatAnswer(client, {
      verdict: 'deny',
      message: `Airlock denied this call: ${args.problem}. Nothing was run.`,
    });
  const url = args.url ?? nonEmpty(env[HOOK_URL_ENV]);
  if (url !== undefined)
    return forwardHook(client, input, { url, token: env.AIRLOCK_TOKEN, dryRun: args.dryRun });
  try {
    return await (
      await standalone()
    )(client, input, { home: args.home, dryRun: args.dryRun, env });
  } catch {
    return formatAnswer(client, {
      verdict: 'deny',
      message: 'Airlock denied this call: Airlock failed to start. Nothing was run.',
    });
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
export async function main(
  argv: readonly string[],
  standalone: () => Promise<StandaloneAnswer>,
): Promise<void> {
  let answer: HookAnswer;
  try {
    answer = await answerHookWith(parseHookArgs(argv), await readStdin(), process.env, standalone);
  } catch {
    answer = { stdout: '', stderr: 'airlock hook: failed; denying\n', exitCode: 2 };
  }
  process.stdout.write(answer.stdout);
  process.stderr.write(answer.stderr);
  process.exitCode = answer.exitCode;
}
