import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Action } from '../../core/index.js';
import { createHttpClassifier } from '../../classify/index.js';
import type { Firewall } from '../../firewall/index.js';
import type { RestUpstream } from './config.js';
import { secretsOf } from './config.js';
import { readableBody, toRawRequestText, toShownRequest } from '../shared/index.js';
import { forwardRest } from './forward.js';
import { forwardableHeaders } from './outgoing-headers.js';
import type { RestAgentRequest } from './read-request.js';
import { readRestRequest } from './read-request.js';
import type { RestAnswer } from './respond.js';
import {
  badRestRequest,
  sendRestAnswer,
  toRestAnswer,
  unavailableRestAnswer,
  upstreamFailedRestAnswer,
} from './respond.js';

/** What one REST upstream's proxy needs. */
export interface RestProxyOptions {
  /** The upstream's configured name; actions carry it, and grants name it. */
  readonly name: string;
  readonly upstream: RestUpstream;
  readonly firewall: Firewall;
  readonly dispatcher: Dispatcher;
  /** Base of the URLs a held agent polls, e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
}

/** Handles one agent request under `/http/NAME`. */
export type RestProxy = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

// SECURITY: fatal, so a lossy decode never judges other text than the upstream receives.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The pipeline for one REST upstream: read → classify (as the upstream will receive it) → judge
 * → forward only on allow, with the real credential. Never throws; any failure before the
 * decision forwards nothing.
 */
export function createRestProxy(options: RestProxyOptions): RestProxy {
  const prefix = `/http/${options.name}`;
  const aws = options.upstream.credential.kind === 'aws';
  const classify = createHttpClassifier({
    catalogs: options.upstream.catalogs,
    upstream: options.name,
    ...catalogOption(options.upstream),
  });
  const host = classifierHost(options.upstream);
  return async (req, res) => {
    let judged = false;
    try {
      const request = await readRestRequest(req, prefix);
      if (typeof request === 'string') return sendRestAnswer(res, refusal(request));
      const headers = forwardableHeaders(request.headers, aws);
      const body = bodyForClassifier(request, headers['content-type']);
      if (body === undefined)
        return sendRestAnswer(
          res,
          badRestRequest(400, 'A JSON, form or XML body must be valid UTF-8.'),
        );
      // INVARIANT: the classifier sees the request as the upstream will: its host, the
      // forwarded headers only, the path and body unchanged.
      const input = {
        method: request.method,
        path: request.target,
        headers: { ...headers, host },
        body,
      };
      const classified = await classify(input);
      const actions = placed(classified.actions, options.upstream.environment);
      const shown = () =>
        toShownRequest(
          actions,
          {
            method: request.method,
            path: request.target,
            body: body === null ? null : readableBody(body),
          },
          [...secretsOf(options.upstream), request.token],
          toRawRequestText(request.method, request.target, body),
        );
      // One request, one token: authenticated with the judgment (no connection to keep it for).
      const { decision } = await options.firewall.judge(
        { surface: 'http', digest: classified.digest, actions, shown },
        request.token,
      );
      judged = true;
      if (decision.verdict !== 'allow')
        return sendRestAnswer(res, toRestAnswer(decision, options.approvalsUrl));
      await forwardRest(
        options.upstream,
        { method: request.method, target: request.target, headers, body: request.body },
        res,
        options.dispatcher,
      );
    } catch {
      // SECURITY: a failure before or in the decision forwards nothing and says nothing.
      if (!res.headersSent)
        sendRestAnswer(res, judged ? upstreamFailedRestAnswer() : unavailableRestAnswer());
      else res.destroy();
    }
  };
}

// The host is the configured one, so a catalog naming it judges; a catalog of the upstream's
// platform judges a host none names (a self-hosted or stand-in API).
function catalogOption(upstream: RestUpstream): {
  fallback?: NonNullable<RestUpstream['catalogs'][number]>;
} {
  const first = upstream.catalogs[0];
  return first === undefined ? {} : { fallback: first };
}

/** The body as the classifier takes it; a binary body is judged by its hash. */
function bodyForClassifier(
  request: RestAgentRequest,
  contentType: string | undefined,
): string | null | undefined {
  if (request.body.length === 0) return null;
  try {
    return UTF8.decode(request.body);
  } catch {
    if (/json|form|xml|text/i.test(contentType ?? '')) return undefined;
    return `binary body sha256:${createHash('sha256').update(request.body).digest('hex')}`;
  }
}

function placed(actions: readonly Action[], environment: string | undefined): readonly Action[] {
  if (environment === undefined) return actions;
  // The operator declared where this upstream lives; the agent cannot say otherwise.
  return actions.map((action) => ({
    ...action,
    targets: action.targets.map((target) => ({ ...target, environment })),
  }));
}

/**
 * The host the classifier judges by: the configured one; for an AWS upstream that is not at an
 * AWS host name (a stand-in or private endpoint), the configured service's own host name.
 */
function classifierHost(upstream: RestUpstream): string {
  const host = new URL(upstream.url).host;
  const credential = upstream.credential;
  if (credential.kind !== 'aws' || /\.amazonaws\.com(\.cn)?$/.test(new URL(upstream.url).hostname))
    return host;
  return `${credential.keys.service}.${credential.keys.region}.amazonaws.com`;
}

function refusal(reason: 'wrong-prefix' | 'too-large' | 'presigned'): RestAnswer {
  if (reason === 'too-large')
    return badRestRequest(413, 'The request body is larger than Airlock accepts (10 MiB).');
  if (reason === 'presigned')
    return badRestRequest(
      400,
      'Presigned (query-signed) AWS requests are not accepted; sign in the Authorization header.',
    );
  return badRestRequest(400, 'The request path is not under this upstream.');
}
