import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import type { Store } from '../../core/index.js';
import { FirewallError } from '../../core/index.js';
import type { FactorThrottle } from '../../firewall/index.js';
import { cryptoRandom, systemClock } from '../../platform/index.js';
import type { GatewayRoute } from '../gateway.js';
import type { PasskeyStore } from '../inbox/index.js';
import { FilePasskeyStore, createInboxRoute } from '../inbox/index.js';
import { startRouteListener } from '../route-listener.js';
import { approvalRulesOf } from '../services.js';
import type { ServePartFactory } from './serve-part.js';

/** Where `airlock serve` keeps enrolled passkeys, in its home. */
export const PASSKEYS_FILE_NAME = 'passkeys.json';

/**
 * `airlock serve`'s web inbox: approvers log in with their own credentials and decide held
 * requests, each vote confirmed with a passkey. At `/inbox` on the gateway, or with
 * `inbox.listen` on a listener (an origin) of its own, apart from the port agents use; over
 * HTTPS when `--tls-cert`/`server.tls` is given. Served whenever any upstream is configured,
 * since only upstreams produce holds. Sessions live in the serving process (a restart logs
 * every approver out); passkeys in `HOME/passkeys.json`.
 */
export const inboxServePart: ServePartFactory = async ({ loaded, store, tls, factorThrottle }) => {
  const { config } = loaded;
  if (Object.keys(config.upstreams).length === 0) return undefined;
  const passkeys = openPasskeys(join(loaded.home, PASSKEYS_FILE_NAME));
  const build = (listenUrl: string): GatewayRoute =>
    inboxRoute(config, store, passkeys, publicUrlOf(config, listenUrl), factorThrottle);
  const { listen } = config.inbox;
  if (listen === undefined) {
    return {
      name: 'web inbox',
      routes: (urls) => [build(urls.url)],
      start: async (urls) =>
        started(`${urls.url}/inbox`, publicUrlOf(config, urls.url), async () => undefined),
    };
  }
  return {
    name: 'web inbox',
    start: async () => {
      const listener = await startRouteListener({
        routes: (url) => [build(url)],
        host: listen.host,
        port: listen.port,
        ...(tls === undefined ? {} : { tls }),
      });
      return started(`${listener.url}/inbox`, publicUrlOf(config, listener.url), () =>
        listener.close(),
      );
    },
  };
};

function inboxRoute(
  config: Config,
  store: Store,
  passkeys: PasskeyStore,
  publicUrl: string,
  factorThrottle: FactorThrottle,
): GatewayRoute {
  return createInboxRoute({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: approvalRulesOf(config),
    productionEnvironments: config.environments.production,
    publicUrl,
    passkeys,
    factorThrottle,
  });
}

/** Where approvers' browsers open the inbox: `inbox.publicUrl`, `webhooks.publicUrl`, or where it listens. */
function publicUrlOf(config: Config, listenUrl: string): string {
  return config.inbox.publicUrl ?? config.webhooks.publicUrl ?? listenUrl;
}

function started(url: string, publicUrl: string, close: () => Promise<void>) {
  const { protocol, hostname } = new URL(publicUrl);
  // Browsers offer passkeys only to HTTPS origins and to localhost.
  const warning =
    protocol === 'https:' || hostname === 'localhost'
      ? []
      : [
          `web inbox: passkeys need HTTPS: give --tls-cert/--tls-key or put a TLS proxy in front and set inbox.publicUrl (docs/inbox.md)`,
        ];
  return {
    lines: [`web inbox: ${url}`, ...warning],
    info: { surface: 'inbox', url, publicUrl },
    close,
  };
}

function openPasskeys(path: string): PasskeyStore {
  try {
    return new FilePasskeyStore(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new FirewallError('config.invalid', 'cannot start the web inbox', {
      details: [`\`${path}\`: not a passkeys file: ${reason}`],
    });
  }
}
