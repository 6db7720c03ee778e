import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `maxBytes`: undefined (and the rest left unread, the request
 * destroyed) when it is larger, whether it says so in Content-Length or only by what arrives.
 * Rejects when the request errors or closes before its body ended, so no caller waits forever.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve(undefined);
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        // As `for await` did when left early: the rest of the body is not read.
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    }
    function onError(error: Error): void {
      done();
      reject(error);
    }
    function onClose(): void {
      done();
      reject(new Error('the request closed before its body ended'));
    }
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}
