import { Agent } from 'undici';
import type { GraphqlUpstream } from '../adapters/graphql/index.js';
import { runHeldGraphqlRequest } from '../adapters/graphql/index.js';
import type { Config, SecretContext } from '../config/index.js';
import { readSecretField } from '../config/index.js';
import type { WebhookEndpoint } from '../firewall/index.js';
import { UndoExecutor, WebhookDispatcher, createHttpPoster } from '../firewall/index.js';
import { randomIds, systemClock } from '../platform/index.js';
import { runEvery } from './background-loop.js';
import { approvalRulesOf, approvalServiceOf } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';
import type { ServePartFactory } from './serve-part.js';

/**
 * `airlock serve`'s background work on approvals: expiring lapsed ones (not only when someone
 * looks), running delayed actions after their undo window, and sending signed webhooks. All of
 * it runs off the request path, from what the store holds, so it resumes after a restart.
 */
export const approvalsServePart: ServePartFactory = async ({ loaded, store, env }) => {
  const { config } = loaded;
  if (Object.keys(config.upstreams).length === 0 && Object.keys(config.webhooks.endpoints).length === 0) return undefined;
  const secrets = { env, home: loaded.home };
  const endpoints = webhookEndpointsOf(config, secrets);
  const upstreams = graphqlUpstreamsOf(config, secrets);
  return {
    name: 'approvals background',
    start: async (urls) => {
      const dispatcher = new Agent({ keepAliveTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 120_000 });
      const rules = approvalRulesOf(config);
      const service = approvalServiceOf(loaded, store);
      const executor = new UndoExecutor({
        store,
        clock: systemClock,
        rules,
        runnerFor: (held) => {
          const upstream = upstreams[held.upstream];
          if (upstream === undefined || held.surface !== 'graphql') return undefined;
          return (request) => runHeldGraphqlRequest(upstream, request, dispatcher);
        },
      });
      // Before anything else runs: what a killed process left half-done is marked, never rerun.
      await executor.recover();
      const loops = [
        runEvery(
          config.approvals.sweepInterval,
          async () => {
            await service.expireDue();
            await executor.tick();
          },
          LOOP,
        ),
      ];
      if (endpoints.length > 0) {
        const webhooks = new WebhookDispatcher({
          store,
          clock: systemClock,
          ids: randomIds,
          endpoints,
          publicUrl: config.webhooks.publicUrl ?? urls.url,
          retry: { maxAttempts: config.webhooks.maxAttempts, initialDelayMs: config.webhooks.initialBackoff, maxDelayMs: config.webhooks.maxBackoff },
          post: createHttpPoster(config.webhooks.timeout),
        });
        loops.push(runEvery(Math.min(config.approvals.sweepInterval, 1_000), () => webhooks.tick(), LOOP));
      }
      return {
        lines: endpoints.length === 0 ? [] : [`webhooks: ${endpoints.map((e) => `${e.name} (${e.format})`).join(', ')}`],
        info: { webhooks: endpoints.map((e) => e.name), undoRules: config.approvals.undo.length },
        close: async () => {
          for (const loop of loops) await loop.stop();
          await dispatcher.close();
        },
      };
    },
  };
};

/** The configured webhook endpoints with their URLs and signing secrets read; refuses listing every problem. */
export function webhookEndpointsOf(config: Config, secrets: SecretContext): WebhookEndpoint[] {
  const problems: string[] = [];
  const endpoints: WebhookEndpoint[] = [];
  for (const [name, endpoint] of Object.entries(config.webhooks.endpoints)) {
    const where = `webhooks.endpoints.${name}`;
    const url = endpoint.url ?? readSecretField(endpoint, 'url', where, secrets, problems);
    const secret = readSecretField(endpoint, 'secret', where, secrets, problems, false);
    if (url === undefined) continue;
    endpoints.push({
      name,
      url,
      format: endpoint.format,
      ...(secret === undefined ? {} : { secret }),
      ...(endpoint.events === undefined ? {} : { events: endpoint.events }),
    });
  }
  if (problems.length > 0) throw new CliFailure('cannot start the gateway', EXIT.invalidInput, problems);
  return endpoints;
}

// Serve has already refused a GraphQL upstream without its credential; the rest are skipped.
function graphqlUpstreamsOf(config: Config, secrets: SecretContext): Record<string, GraphqlUpstream> {
  const upstreams: Record<string, GraphqlUpstream> = {};
  for (const [name, upstream] of Object.entries(config.upstreams)) {
    if (upstream.kind !== 'graphql' || upstream.url === undefined) continue;
    const credential = readSecretField(upstream, 'credential', `upstreams.${name}`, secrets, []);
    if (credential === undefined) continue;
    upstreams[name] = { kind: 'graphql', url: upstream.url, credential, credentialHeader: upstream.credentialHeader };
  }
  return upstreams;
}

// The first round at once (what a restart left due runs now); a failed round is said, not fatal.
const LOOP = {
  firstAfterMs: 0,
  onError: (error: unknown) => process.stderr.write(`airlock: background approvals work failed: ${error instanceof Error ? error.message : String(error)}\n`),
};
