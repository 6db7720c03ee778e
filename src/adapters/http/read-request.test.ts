import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_REST_BODY_BYTES } from './config.js';
import { agentToken, readRestRequest } from './read-request.js';

function incoming(url: string, body = '', headers: Record<string, string> = {}): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { url, method: 'POST', headers });
  stream.end(body);
  return stream as unknown as IncomingMessage;
}

describe('agentToken', () => {
  it('reads a bearer token, whatever the case of the scheme', () => {
    expect(agentToken('Bearer alk_abc')).toBe('alk_abc');
    expect(agentToken('bearer   alk_abc  ')).toBe('alk_abc');
  });

  it('reads the access key id of an AWS signature as the token', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=alk_abc/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
    expect(agentToken(header)).toBe('alk_abc');
  });

  it('is empty for no header and for any other scheme', () => {
    for (const header of [
      undefined,
      '',
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer a b',
      'token alk_abc',
      'AWS4-HMAC-SHA256 Credential=/x',
    ]) {
      expect(agentToken(header)).toBe('');
    }
  });
});

describe('readRestRequest', () => {
  it('keeps the path and query after the prefix byte for byte, with the body and token', async () => {
    const read = await readRestRequest(
      incoming('/http/github/repos/a/../b?q=%2e%2e', '{"x":1}', { authorization: 'Bearer alk_t' }),
      '/http/github',
    );
    expect(read).toMatchObject({
      method: 'POST',
      token: 'alk_t',
      target: '/repos/a/../b?q=%2e%2e',
    });
    expect(read).not.toBeTypeOf('string');
    if (typeof read !== 'string') expect(read.body.toString()).toBe('{"x":1}');
  });

  it('reads the bare prefix as `/`, and a query right after it as `/?…`', async () => {
    expect(await readRestRequest(incoming('/http/s3'), '/http/s3')).toMatchObject({ target: '/' });
    expect(await readRestRequest(incoming('/http/s3?list-type=2'), '/http/s3')).toMatchObject({
      target: '/?list-type=2',
    });
  });

  it('refuses a raw path outside the prefix, or one that only starts with its text', async () => {
    expect(await readRestRequest(incoming('/http/github-other/x'), '/http/github')).toBe(
      'wrong-prefix',
    );
    expect(await readRestRequest(incoming('/foo/../http/github/x'), '/http/github')).toBe(
      'wrong-prefix',
    );
  });

  it('refuses a presigned URL: the signature would travel upstream in it', async () => {
    expect(await readRestRequest(incoming('/http/s3/key?X-Amz-Signature=abc'), '/http/s3')).toBe(
      'presigned',
    );
    expect(
      await readRestRequest(incoming('/http/s3/key?a=1&x-amz-credential=abc'), '/http/s3'),
    ).toBe('presigned');
  });

  it('refuses a body over the limit, declared or not', async () => {
    const declared = incoming('/http/s3/key', '', {
      'content-length': String(MAX_REST_BODY_BYTES + 1),
    });
    expect(await readRestRequest(declared, '/http/s3')).toBe('too-large');
    const sent = incoming('/http/s3/key', 'x'.repeat(MAX_REST_BODY_BYTES + 1));
    expect(await readRestRequest(sent, '/http/s3')).toBe('too-large');
  });
});
