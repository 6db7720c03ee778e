import { describe, expect, it } from 'vitest';
import { toCredentialHeader, toUpstreamHeaders } from './config.js';

describe('upstream credential headers', () => {
  it('sends an account token as a bearer and a project token in Project-Access-Token', () => {
    expect(toCredentialHeader({ kind: 'graphql', url: 'http://x', credential: 'acct' })).toEqual([
      'authorization',
      'Bearer acct',
    ]);
    expect(
      toCredentialHeader({
        kind: 'graphql',
        url: 'http://x',
        credential: 'proj',
        credentialHeader: 'project-access-token',
      }),
    ).toEqual(['project-access-token', 'proj']);
  });

  it('drops every header an agent sends except harmless ones', () => {
    const headers = toUpstreamHeaders(
      {
        authorization: 'Bearer alk_agent',
        'project-access-token': 'stolen',
        cookie: 'c',
        'x-api-key': 'k',
        'content-type': 'application/json',
      },
      {
        kind: 'graphql',
        url: 'http://x',
        credential: 'proj',
        credentialHeader: 'project-access-token',
      },
    );
    const text = JSON.stringify(headers);
    expect(text).not.toContain('alk_agent');
    expect(text).not.toContain('stolen');
    expect(text).toContain('proj');
  });
});
