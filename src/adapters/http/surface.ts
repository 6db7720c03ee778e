import { Agent } from 'undici';
import { ok } from '../../core/index.js';
import type { Surface, SurfaceRoute } from '../shared/index.js';
import type { RestUpstream, RestUpstreamConfig } from './config.js';
import { restUpstreamsOf } from './config.js';
import { createRestProxy } from './proxy.js';

/** Where REST upstreams are served: `/http/NAME`. */
export const REST_PREFIX = '/http';

/**
 * REST upstreams (`kind: http`), each at `/http/NAME`. Agents send `Authorization: Bearer
 * alk_…`; AWS SDKs use their Airlock token as access key id.
 */
export const restSurface: Surface<RestUpstreamConfig, Record<string, RestUpstream>> = {
  name: 'rest upstreams',
  async validate(sections, settings) {
    const upstreams = restUpstreamsOf(sections, settings);
    if (!upstreams.ok)
      return { ok: false, error: { title: 'cannot start the gateway', problems: upstreams.error } };
    return ok(Object.keys(upstreams.value).length === 0 ? undefined : upstreams.value);
  },
  async start(upstreams, { firewall, urls }) {
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    const names = Object.keys(upstreams);
    const routes = Object.entries(upstreams).map(([name, upstream]): SurfaceRoute => {
      const proxy = createRestProxy({
        name,
        upstream,
        firewall,
        dispatcher,
        approvalsUrl: urls.approvalsUrl,
      });
      return { prefix: `${REST_PREFIX}/${name}`, handle: (req, res) => proxy(req, res) };
    });
    return {
      routes,
      lines: names.map((name) => `rest ${name}: ${urls.url}${REST_PREFIX}/${name}`),
      info: {
        surface: 'http',
        upstreams: names.map((name) => `${urls.url}${REST_PREFIX}/${name}`),
      },
      // Closed once the gateway stops listening: the routes' one dispatcher.
      close: () => dispatcher.close(),
    };
  },
};
