import { existsSync } from 'node:fs';
import type { Config } from './schema.js';
import { credentialPathOf, secretRefOf } from './secrets.js';

/**
 * The config as it may be shown (logs, UI, CLI): secrets appear only as the name of the
 * variable or file that holds them and whether it is there, never as their value.
 */
export function redactConfig(config: Config, env: NodeJS.ProcessEnv, home: string): unknown {
  const upstreams = Object.fromEntries(
    Object.entries(config.upstreams).map(([name, upstream]) => {
      const ref = secretRefOf(upstream, 'credential');
      if (ref === undefined) return [name, upstream];
      // SECURITY: whether it is there, never what it is; a file is not even opened.
      const there =
        'env' in ref
          ? env[ref.env] !== undefined
          : existsSync(credentialPathOf(ref.file, { env, home }));
      const credential = there ? '[redacted]' : 'env' in ref ? 'unset' : 'missing';
      return [name, { ...upstream, credential }];
    }),
  );
  return { ...config, upstreams };
}
