import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A certificate chain and its private key, PEM. */
export interface TlsIdentity {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** An HTTP server, or an HTTPS one when `tls` is given. */
export function createListener(
  tls: TlsIdentity | undefined,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  // The HTTPS server is an HTTP server underneath: the same handler, the same close().
  return tls === undefined
    ? createServer(handler)
    : createTlsServer({ cert: tls.cert, key: tls.key }, handler);
}

/** `http(s)://address:port` of a listening server. */
export function listenerUrl(address: AddressInfo, tls: boolean): string {
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

/** Starts listening on `port` and `host`; resolves to the URL it listens at. */
export async function listenOn(
  server: Server,
  port: number,
  host: string,
  tls: boolean,
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return listenerUrl(server.address() as AddressInfo, tls);
}

/** Stops accepting, ends open connections (idle keep-alive ones too), and resolves once closed. */
export function closeListener(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
