import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `maxBytes`: undefined (and the rest left unread, the request
 * destroyed) when it is larger, whether it says so in Content-Length or only by what arrives.
 * Rejects when the request errors or closes before its body ended, so no caller waits forever.
 */
export function readBoundedBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve(undefined);
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Methods rather than named closures: under tsx (keepNames) each named closure costs a
    // defineProperty per request, more than the rest of this function.
    const on = {
      data(chunk: Buffer): void {
        size += chunk.length;
        if (size > maxBytes) {
          on.off();
          // As `for await` did when left early: the rest of the body is not read.
          req.destroy();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      },
      end(): void {
        on.off();
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
      },
      error(error: Error): void {
        on.off();
        reject(error);
      },
      close(): void {
        on.off();
        reject(new Error('the request closed before its body ended'));
      },
      off(): void {
        req.off('data', on.data);
        req.off('end', on.end);
        req.off('error', on.error);
        req.off('close', on.close);
      },
    };
    req.on('data', on.data);
    req.once('end', on.end);
    req.once('error', on.error);
    req.once('close', on.close);
  });
}
