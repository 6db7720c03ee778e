import type { Config, SecretContext } from '../../config/index.js';
import { readSecretField } from '../../config/index.js';
import { FirewallError } from '../../core/index.js';
import type { WebhookEndpoint } from '../../firewall/index.js';
import { UndoExecutor, WebhookDispatcher, createHttpPoster } from '../../firewall/index.js';
import { randomIds, systemClock } from '../../platform/index.js';
import { runEvery } from '../background-loop.js';
import { approvalRulesOf, approvalServiceOf } from '../services.js';
import type { ServePartFactory } from './serve-part.js';

/**
 * `airlock serve`'s background work on approvals: expiring lapsed ones (not only when someone
 * looks), running delayed actions after their undo window, and sending signed webhooks. All of
 * it runs off the request path, from what the store holds, so it resumes after a restart.
 */
export const approvalsServePart: ServePartFactory = async ({
  loaded,
  store,
  env,
  runHeld,
  warn,
}) => {
  const { config } = loaded;
  if (
    Object.keys(config.upstreams).length === 0 &&
    Object.keys(config.webhooks.endpoints).length === 0
  )
    return undefined;
  const secrets = { env, home: loaded.home };
  const endpoints = webhookEndpointsOf(config, secrets);
  // The first round at once (what a restart left due runs now); a failed round is said, not fatal.
  const loop = {
    firstAfterMs: 0,
    onError: (error: unknown) =>
      warn(
        `background approvals work failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
  };
  return {
    name: 'approvals background',
    start: async (urls) => {
      const rules = approvalRulesOf(config);
      const service = approvalServiceOf(loaded, store);
      const executor = new UndoExecutor({
        store,
        clock: systemClock,
        rules,
        // The surface the request came through runs it again (GraphQL's, for now).
        runnerFor: runHeld,
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
          loop,
        ),
      ];
      if (endpoints.length > 0) {
        const webhooks = new WebhookDispatcher({
          store,
          clock: systemClock,
          ids: randomIds,
          endpoints,
          publicUrl: config.webhooks.publicUrl ?? urls.url,
          retry: {
            maxAttempts: config.webhooks.maxAttempts,
            initialDelayMs: config.webhooks.initialBackoff,
            maxDelayMs: config.webhooks.maxBackoff,
          },
          post: createHttpPoster(config.webhooks.timeout),
        });
        loops.push(
          runEvery(Math.min(config.approvals.sweepInterval, 1_000), () => webhooks.tick(), loop),
        );
      }
      return {
        lines:
          endpoints.length === 0
            ? []
            : [`webhooks: ${endpoints.map((e) => `${e.name} (${e.format})`).join(', ')}`],
        info: { webhooks: endpoints.map((e) => e.name), undoRules: config.approvals.undo.length },
        close: async () => {
          for (const running of loops) await running.stop();
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
  if (problems.length > 0)
    throw new FirewallError('config.invalid', 'cannot start the gateway', { details: problems });
  return endpoints;
}
