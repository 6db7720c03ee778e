import { graphqlUpstreamsOf } from '../src/adapters/graphql/index.js';
import { restUpstreamsOf as restOf } from '../src/adapters/http/index.js';
import { mcpUpstreamsOf as mcpOf } from '../src/adapters/mcp/index.js';
import { postgresUpstreamsOf as postgresOf } from '../src/adapters/postgres/index.js';
import type { LoadedConfig } from '../src/config/index.js';
import { upstreamSections } from '../src/config/index.js';
import type { Result } from '../src/core/index.js';
import { FirewallError } from '../src/core/index.js';
import { surfaceSettingsOf } from '../src/server/index.js';

// What each surface's `validate` reads from a loaded config, as the tests call it: the value, or a
// `config.invalid` error whose `details` list every problem (what `airlock serve` refuses with).

function orThrow<T>(result: Result<T, string[]>): T {
  if (!result.ok)
    throw new FirewallError('config.invalid', 'invalid upstream configuration', {
      details: result.error,
    });
  return result.value;
}

/** The GraphQL upstreams of a config, credentials read. */
export const upstreamsOf = (loaded: LoadedConfig, env: NodeJS.ProcessEnv) =>
  orThrow(
    graphqlUpstreamsOf(upstreamSections(loaded.config, 'graphql'), { env, home: loaded.home }),
  );

/** The REST upstreams of a config, credentials read and catalogs loaded. */
export const restUpstreamsOf = (loaded: LoadedConfig, env: NodeJS.ProcessEnv) =>
  orThrow(restOf(upstreamSections(loaded.config, 'http'), surfaceSettingsOf(loaded, env)));

/** The MCP upstreams of a config (all, or those named). */
export const mcpUpstreamsOf = (
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  only?: readonly string[],
) => orThrow(mcpOf(upstreamSections(loaded.config, 'mcp'), { env, home: loaded.home }, only));

/** The postgres upstreams of a config; `needCredential: false` as `snapshots list` reads them. */
export const postgresUpstreamsOf = (
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  needCredential = true,
) =>
  orThrow(
    postgresOf(
      upstreamSections(loaded.config, 'postgres'),
      { env, home: loaded.home },
      needCredential,
    ),
  );
