import { describe, expect, it } from 'vitest';
import { credentialHeaders, forwardableHeaders } from './outgoing-headers.js';

describe('forwardableHeaders', () => {
  it('keeps only allow-listed headers, lower-cased, and drops every credential', () => {
    const kept = forwardableHeaders(
      {
        'Content-Type': 'application/json',
        accept: 'application/json',
        'Idempotency-Key': 'key-1',
        'stripe-version': '2024-06-20',
        authorization: 'Bearer agent-token',
        cookie: 'session=1',
        'x-api-key': 'k',
        apikey: 'k',
        'proxy-authorization': 'Basic x',
        'x-http-method-override': 'DELETE',
        'x-forwarded-host': 'evil.example',
        host: 'airlock.local',
      },
      false,
    );
    expect(kept).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': 'key-1',
      'stripe-version': '2024-06-20',
    });
  });

  it('skips headers sent more than once (an array) and missing values', () => {
    expect(
      forwardableHeaders(
        { accept: ['a', 'b'] as unknown as string, 'user-agent': undefined, range: 'bytes=0-9' },
        false,
      ),
    ).toEqual({ range: 'bytes=0-9' });
  });

  it("passes AWS request parameters for an AWS upstream, never the signature's own headers", () => {
    const headers = {
      'x-amz-meta-owner': 'alice',
      'x-amz-acl': 'private',
      'x-amz-copy-source': 'bucket/key',
      'x-amz-target': 'DynamoDB_20120810.DeleteTable',
      'x-amz-date': '20130524T000000Z',
      'x-amz-security-token': 'agent-session',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-credential': 'c',
      'x-amz-signature': 's',
      'x-amz-user-agent': 'sdk',
    };
    expect(forwardableHeaders(headers, true)).toEqual({
      'x-amz-meta-owner': 'alice',
      'x-amz-acl': 'private',
      'x-amz-copy-source': 'bucket/key',
      'x-amz-target': 'DynamoDB_20120810.DeleteTable',
    });
    // Not an AWS upstream: only x-amz-target is on the allow-list.
    expect(forwardableHeaders(headers, false)).toEqual({
      'x-amz-target': 'DynamoDB_20120810.DeleteTable',
    });
  });
});

describe('credentialHeaders', () => {
  it('writes the real secret into each configured header with its scheme', () => {
    const headers = credentialHeaders('s3cr3t', [
      { name: 'Authorization', scheme: 'bearer' },
      { name: 'X-GitHub-Token', scheme: 'token' },
      { name: 'X-Api-Key', scheme: 'raw' },
    ]);
    expect(headers).toEqual({
      authorization: 'Bearer s3cr3t',
      'x-github-token': 'token s3cr3t',
      'x-api-key': 's3cr3t',
    });
  });

  it('writes nothing when no header is configured', () => {
    expect(credentialHeaders('s3cr3t', [])).toEqual({});
  });
});
