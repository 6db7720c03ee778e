import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsSigningKeys } from './config.js';
import type { SignableRequest } from './sigv4.js';
import { NodeSha256, signAwsRequest } from './sigv4.js';

// The worked examples of AWS's "Signature Calculations for the Authorization Header" page for S3
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): their keys, their
// time, their requests, and the signatures AWS publishes for them.
const EXAMPLE_KEYS: AwsSigningKeys = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 's3',
};
const EXAMPLE_TIME = Date.UTC(2013, 4, 24, 0, 0, 0);
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CREDENTIAL = 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request';

function exampleRequest(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  body = '',
): SignableRequest {
  return {
    method,
    url: new URL(`https://examplebucket.s3.amazonaws.com${pathAndQuery}`),
    pathAndQuery,
    headers,
    body: Buffer.from(body),
  };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('signAwsRequest', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: EXAMPLE_TIME, toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("signs AWS's GET Object example to its published signature", async () => {
    const headers = await signAwsRequest(
      exampleRequest('GET', '/test.txt', { range: 'bytes=0-9' }),
      EXAMPLE_KEYS,
    );
    expect(headers['authorization']).toBe(
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`,
    );
    expect(headers).toMatchObject({
      'x-amz-date': '20130524T000000Z',
      'x-amz-content-sha256': EMPTY_SHA256,
      range: 'bytes=0-9',
      host: 'examplebucket.s3.amazonaws.com',
    });
  });

  it("hashes the body of AWS's PUT Object example as published, and leaves a Date header unsigned", async () => {
    // AWS's example also signs its Date header; the signer drops Date (x-amz-date replaces it),
    // and the proxy never forwards one, so only the payload hash is compared with the published one.
    const request = exampleRequest(
      'PUT',
      '/test%24file.text',
      { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      'Welcome to Amazon S3.',
    );
    const headers = await signAwsRequest(request, EXAMPLE_KEYS);
    expect(headers['x-amz-content-sha256']).toBe(
      '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    );
    expect(headers['authorization']).toContain(
      `Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=`,
    );
    expect(headers['date']).toBeUndefined();
  });

  it("signs AWS's query examples: a bare parameter (?lifecycle) and two sorted ones", async () => {
    const lifecycle = await signAwsRequest(exampleRequest('GET', '/?lifecycle'), EXAMPLE_KEYS);
    expect(lifecycle['authorization']).toBe(
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543`,
    );
    // Sent in the other order: the canonical query sorts them, so the signature is the same.
    for (const query of ['?max-keys=2&prefix=J', '?prefix=J&max-keys=2']) {
      const list = await signAwsRequest(exampleRequest('GET', `/${query}`), EXAMPLE_KEYS);
      expect(list['authorization']).toBe(
        `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7`,
      );
    }
  });

  it('adds the session token of temporary keys, and signs it', async () => {
    const headers = await signAwsRequest(exampleRequest('GET', '/test.txt'), {
      ...EXAMPLE_KEYS,
      sessionToken: 'session-token',
    });
    expect(headers['x-amz-security-token']).toBe('session-token');
    expect(headers['authorization']).toContain('x-amz-security-token');
  });

  it('keeps every value of a repeated query parameter in the signature', async () => {
    const once = await signAwsRequest(exampleRequest('GET', '/?tag=a'), EXAMPLE_KEYS);
    const twice = await signAwsRequest(exampleRequest('GET', '/?tag=a&tag=b'), EXAMPLE_KEYS);
    expect(twice['authorization']).not.toBe(once['authorization']);
  });
});

describe('NodeSha256', () => {
  it('hashes, and starts over on reset', async () => {
    const hash = new NodeSha256();
    hash.update(new TextEncoder().encode('ignored'));
    hash.reset();
    expect(hex(await hash.digest())).toBe(EMPTY_SHA256);
    hash.reset();
    hash.update(new TextEncoder().encode('abc'));
    expect(hex(await hash.digest())).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('is HMAC-SHA256 with a secret, given as text or bytes (RFC 4231 test case 2)', async () => {
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    for (const secret of [
      'Jefe',
      new TextEncoder().encode('Jefe'),
      new TextEncoder().encode('Jefe').buffer,
    ]) {
      const hmac = new NodeSha256(secret);
      hmac.update(new TextEncoder().encode('what do ya want for nothing?'));
      expect(hex(await hmac.digest())).toBe(expected);
    }
  });
});
