import type { Config } from './schema.js';

/**
 * The config as it may be shown (logs, UI, CLI): secrets appear only as the name of the
 * variable that holds them and whether it is set, never as their value.
 */
export function redactConfig(config: Config, env: NodeJS.ProcessEnv): unknown {
  const upstreams = Object.fromEntries(
    Object.entries(config.upstreams).map(([name, upstream]) => [
      name,
      {
        ...upstream,
        ...(upstream.credentialEnv === undefined
          ? {}
          : { credential: env[upstream.credentialEnv] === undefined ? 'unset' : '[redacted]' }),
      },
    ]),
  );
  return { ...config, upstreams };
}
