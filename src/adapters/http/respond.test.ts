import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/index.js';
import type { RestAnswer } from './respond.js';
import {
  REST_HELD_MESSAGE,
  badRestRequest,
  sendRestAnswer,
  toRestAnswer,
  unavailableRestAnswer,
  upstreamFailedRestAnswer,
} from './respond.js';

const decision = (overrides: Partial<Decision>): Decision => ({
  id: 'dec_1',
  verdict: 'deny',
  reasons: [],
  policyIds: [],
  errors: [],
  ...overrides,
});
const APPROVALS = 'https://airlock.local/approvals';

describe('toRestAnswer', () => {
  it('answers a hold 409 with the approval id, count and where to poll', () => {
    const answer = toRestAnswer(
      decision({ verdict: 'hold', approval: { needed: 2, id: 'apr_1/x' } }),
      APPROVALS,
    );
    expect(answer).toEqual({
      status: 409,
      body: {
        error: {
          code: 'AIRLOCK_HELD',
          message: REST_HELD_MESSAGE,
          approvalId: 'apr_1/x',
          approvalsNeeded: 2,
          pollUrl: `${APPROVALS}/apr_1%2Fx`,
        },
      },
    });
  });

  it('answers a deny 403 with its reasons and policy ids', () => {
    const answer = toRestAnswer(
      decision({ reasons: ['production is read-only', 'no deletes'], policyIds: ['p1', 'p2'] }),
      APPROVALS,
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error).toEqual({
      code: 'AIRLOCK_DENIED',
      message:
        'Airlock denied this request: production is read-only; no deletes. Do not retry with other credentials.',
      policyIds: ['p1', 'p2'],
      reasons: ['production is read-only', 'no deletes'],
    });
  });

  it('says no rule permits it when a deny has no reason', () => {
    expect(toRestAnswer(decision({}), APPROVALS).body.error.message).toBe(
      'Airlock denied this request: no rule permits it. Do not retry with other credentials.',
    );
  });

  it('fails closed with 503 for a hold without an approval and for an allow', () => {
    expect(toRestAnswer(decision({ verdict: 'hold', approval: { needed: 1 } }), APPROVALS)).toEqual(
      unavailableRestAnswer(),
    );
    expect(toRestAnswer(decision({ verdict: 'allow' }), APPROVALS)).toEqual(
      unavailableRestAnswer(),
    );
    expect(unavailableRestAnswer().status).toBe(503);
  });
});

describe('the other answers', () => {
  it('has one code each, and only the message given', () => {
    expect(upstreamFailedRestAnswer()).toMatchObject({
      status: 502,
      body: { error: { code: 'AIRLOCK_UPSTREAM_FAILED' } },
    });
    expect(badRestRequest(413, 'body over 10 MiB')).toEqual({
      status: 413,
      body: { error: { code: 'AIRLOCK_BAD_REQUEST', message: 'body over 10 MiB' } },
    });
  });
});

describe('sendRestAnswer', () => {
  function capture(reply: RestAnswer): {
    status: number;
    headers: Record<string, unknown>;
    text: string;
  } {
    const sent = { status: 0, headers: {} as Record<string, unknown>, text: '' };
    const res = {
      writeHead(status: number, headers: Record<string, unknown>) {
        Object.assign(sent, { status, headers });
        return res;
      },
      end(text: string) {
        sent.text = text;
        return res;
      },
    };
    sendRestAnswer(res as unknown as ServerResponse, reply);
    return sent;
  }

  it('writes the JSON body with its exact length, never cached', () => {
    const sent = capture(badRestRequest(400, 'bad `ü`'));
    expect(JSON.parse(sent.text)).toEqual(badRestRequest(400, 'bad `ü`').body);
    expect(sent).toMatchObject({
      status: 400,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(sent.text),
        'cache-control': 'no-store',
      },
    });
    expect(sent.headers['connection']).toBeUndefined();
  });

  it('closes the connection after a 413: the rest of the body was not read', () => {
    expect(capture(badRestRequest(413, 'too large')).headers['connection']).toBe('close');
  });
});
