import type { Command } from 'commander';
import {
  mcpUpstreamsOf,
  refusedLines,
  serveMcpStdio,
  startMcpProxy,
} from '../../adapters/mcp/index.js';
import { envSecret, upstreamSections } from '../../config/index.js';
import { isWellFormedToken } from '../../core/index.js';
import { createFirewall, openContext, orRefuse } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure } from '../output.js';
import { loadEngineFor } from '../policy-loading.js';

/**
 * Registers `airlock mcp`: Airlock as a stdio MCP server for one agent, proxying the configured
 * `kind: mcp` upstreams. The agent's token comes from $AIRLOCK_TOKEN, never from argv (where
 * `ps` would show it). Nothing but MCP is written to stdout.
 */
export function registerMcpCommands(program: Command): void {
  program
    .command('mcp')
    .description(
      'serve the configured MCP upstreams to one agent over stdio (token from $AIRLOCK_TOKEN)',
    )
    .option('--upstream <name...>', 'serve only these mcp upstreams')
    .option(
      '--approvals-url <url>',
      "where held agents poll, e.g. the gateway's http://127.0.0.1:8080/approvals",
    )
    .action(async (flags: { upstream?: string[]; approvalsUrl?: string }, command: Command) => {
      const token = envSecret('AIRLOCK_TOKEN', process.env) ?? '';
      // SECURITY: the token is never echoed, even malformed.
      if (!isWellFormedToken(token))
        throw new CliFailure(
          "set $AIRLOCK_TOKEN to the agent's Airlock token (alk_…)",
          EXIT.invalidInput,
        );
      const context = await openContext(command);
      try {
        const { loaded, store } = context;
        const sections = upstreamSections(loaded.config, 'mcp');
        const upstreams = orRefuse(
          mcpUpstreamsOf(sections, { env: process.env, home: loaded.home }, flags.upstream),
          'cannot start the mcp upstreams',
        );
        if (upstreams.length === 0)
          throw new CliFailure('no mcp upstream is configured', EXIT.invalidInput);
        const engine = await loadEngineFor(context.loaded.policyDir);
        const proxy = await startMcpProxy(upstreams, createFirewall(loaded, store, engine));
        for (const line of refusedLines(proxy)) process.stderr.write(`airlock: ${line}\n`);
        try {
          await serveMcpStdio(proxy, {
            token,
            ...(flags.approvalsUrl === undefined
              ? {}
              : { approvalsUrl: flags.approvalsUrl.replace(/\/+$/, '') }),
          });
        } finally {
          await proxy.close();
        }
      } finally {
        await context.close();
      }
    });
}
