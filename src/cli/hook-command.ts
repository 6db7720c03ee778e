import type { Command } from 'commander';
import type { HookClient, HookDeps } from '../adapters/hooks/index.js';
import { HOOK_CLIENTS, HOOK_SHELL_UPSTREAM, runHook } from '../adapters/hooks/index.js';
import { createFirewall, loadConfigOf, openContext } from './context.js';
import { loadEngineFor } from './policy-loading.js';

/** The environment variable the agent's Airlock token is read from (never argv: it would show in ps). */
export const HOOK_TOKEN_ENV = 'AIRLOCK_TOKEN';

/** Registers `airlock hook CLIENT`: the pre-tool hook each agent client calls. */
export function registerHookCommands(program: Command): void {
  const hook = program.command('hook').description(`answer an agent client's pre-tool hook (JSON on stdin; token from $${HOOK_TOKEN_ENV})`);
  for (const client of HOOK_CLIENTS) {
    hook
      .command(client)
      .description(`the ${client} hook: judge the shell command or MCP call on stdin, answer in ${client}'s format`)
      .action(async (_flags: unknown, command: Command) => {
        const input = await readStdin();
        const closers: (() => Promise<void>)[] = [];
        try {
          const answer = await runHook(client as HookClient, input, () => wireDeps(command, closers));
          process.stdout.write(answer.stdout);
          process.stderr.write(answer.stderr);
          process.exitCode = answer.exitCode;
        } finally {
          for (const close of closers) await close().catch(() => undefined);
        }
      });
  }
}

/** Wires classification and the firewall from the Airlock home (store, policy, config). */
async function wireDeps(command: Command, closers: (() => Promise<void>)[]): Promise<HookDeps> {
  const loaded = loadConfigOf(command);
  const context = await openContext(command);
  closers.push(() => context.close());
  const [engine, shell, mcp] = await Promise.all([loadEngineFor(loaded.policyDir), import('../classify/shell/index.js'), import('../classify/mcp/index.js')]);
  const firewall = createFirewall(loaded, context.store, engine);
  return {
    token: process.env[HOOK_TOKEN_ENV],
    classifyShell: (line, cwd) => shell.classifyShellCommand(line, cwd, HOOK_SHELL_UPSTREAM),
    classifyMcp: async (call) => mcp.MCP_CLASSIFIER({ ...call, annotations: {} }),
    judge: (request) => firewall.judge(request),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
