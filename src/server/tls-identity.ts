import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LoadedConfig } from '../config/index.js';
import { FirewallError } from '../core/index.js';
import type { TlsIdentity } from './listener.js';

/** The TLS flags of `airlock serve`. */
export interface TlsFlags {
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/**
 * The certificate and key `airlock serve` speaks HTTPS with: `--tls-cert`/`--tls-key` (paths
 * from the working folder), else `server.tls` of the config (paths from the home); none: HTTP.
 */
export function tlsIdentityOf(flags: TlsFlags, loaded: LoadedConfig): TlsIdentity | undefined {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new FirewallError('config.invalid', 'cannot start the gateway', {
      details: ['give both --tls-cert and --tls-key, or neither'],
    });
  }
  const fromHome = (path: string) => (isAbsolute(path) ? path : join(loaded.home, path));
  const files =
    flags.tlsCert !== undefined && flags.tlsKey !== undefined
      ? { certFile: flags.tlsCert, keyFile: flags.tlsKey }
      : loaded.config.server.tls === undefined
        ? undefined
        : {
            certFile: fromHome(loaded.config.server.tls.certFile),
            keyFile: fromHome(loaded.config.server.tls.keyFile),
          };
  if (files === undefined) return undefined;
  try {
    return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  } catch (error) {
    // SECURITY: the path and the reason only, never the file's content.
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FirewallError('config.invalid', 'cannot start the gateway', {
      details: [
        `TLS certificate or key: ${reason}: \`${(error as { path?: string }).path ?? files.certFile}\``,
      ],
    });
  }
}
