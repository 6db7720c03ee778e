import { cryptoRandom, systemClock } from '../platform/index.js';
import { createInboxRoute } from '../server/index.js';
import type { ServePartFactory } from './serve-part.js';

/**
 * `airlock serve`'s web inbox at `/inbox`: approvers log in with their own credentials and decide
 * held requests. Served whenever any upstream is configured, since only upstreams produce holds.
 * Sessions live in the serving process: restarting `airlock serve` logs every approver out.
 */
export const inboxServePart: ServePartFactory = async ({ loaded, store }) => {
  const { config } = loaded;
  if (Object.keys(config.upstreams).length === 0) return undefined;
  const route = createInboxRoute({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: { denyEndsIt: config.approvals.denyEndsIt, ownerMayApprove: config.approvals.ownerMayApprove },
    productionEnvironments: config.environments.production,
  });
  return {
    name: 'web inbox',
    routes: () => [route],
    start: async (urls) => ({
      lines: [`web inbox: ${urls.url}/inbox`],
      info: { surface: 'inbox', url: `${urls.url}/inbox` },
      close: async () => undefined,
    }),
  };
};
