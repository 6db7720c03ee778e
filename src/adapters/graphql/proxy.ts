import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Action, ClassifiedRequest } from '../../core/index.js';
import type { GraphqlCatalog } from '../../classify/index.js';
import { classifyGraphql } from '../../classify/index.js';
import type { ScrubSecrets } from '../shared/index.js';
import { toScrubSecrets } from '../shared/index.js';
import type { Firewall } from '../../firewall/index.js';
import type { GraphqlUpstream } from './config.js';
import { forwardGraphql } from './forward.js';
import { toHeldRequest } from './held-request.js';
import { toShownGraphqlRequest } from './shown-request.js';
import { ClassificationCache } from './classification-cache.js';
import type { AgentRequest, RequestRefusal } from './read-request.js';
import { readAgentRequest } from './read-request.js';
import type { TargetResolver } from './resolver.js';
import type { AgentAnswer } from './respond.js';
import {
  badRequestAnswer,
  toAgentAnswer,
  unavailableAnswer,
  upstreamFailedAnswer,
} from './respond.js';

/** What one GraphQL upstream's proxy needs. */
export interface GraphqlProxyOptions {
  /** The upstream's configured name; actions carry it, and grants name it. */
  readonly name: string;
  readonly upstream: GraphqlUpstream;
  readonly firewall: Firewall;
  /** What its operations do: the catalog of the upstream's platform (`platform: railway`). */
  readonly catalog: GraphqlCatalog;
  readonly resolver: TargetResolver;
  readonly dispatcher: Dispatcher;
  /** Base of the URLs a held agent polls, e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
}

/** One GraphQL upstream's proxy. */
export interface GraphqlProxy {
  /** Handles one agent request. Never throws. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Writes the reuse counts still pending to the audit log. */
  close(): Promise<void>;
}

/**
 * The pipeline for one GraphQL upstream: read → classify → resolve → judge → forward only on
 * allow. Never throws; any failure before forwarding is a 503 and nothing reaches the upstream.
 * A request whose every action reads carries a reuse key (`classifyGraphql`): the firewall
 * reuses the recorded allow of an identical request the same token made within
 * `DECISION_REUSE_LIFETIME_MS`, with its targets placed the same, and counts it on the audit
 * log instead of judging anew: an agent polling one query does not pay a judgment and an audit
 * commit per poll.
 */
export function createGraphqlProxy(options: GraphqlProxyOptions): GraphqlProxy {
  const classifications = new ClassificationCache<ClassifiedRequest>();
  const secrets = toScrubSecrets([options.upstream.credential]);
  return {
    async handle(req, res, url) {
      let judged = false;
      try {
        const request = await readAgentRequest(req, url);
        if (typeof request === 'string') return sendAnswer(res, refusalAnswer(request));
        const classified = await placedRequest(options, classifications, request);
        const { decision } = await options.firewall.judge(
          {
            surface: 'graphql',
            ...classified,
            // Built only if held under an undo rule: Airlock then runs it itself once approved.
            // (Methods, not arrow properties: tsx names each of those with a defineProperty per request.)
            replay() {
              return toHeldRequest(options.name, request);
            },
            shown() {
              return toShownGraphqlRequest(request, classified.actions, [
                options.upstream.credential,
                request.token,
              ]);
            },
          },
          // One request, one token: a reused allow needs no store; anything else authenticates.
          request.token,
        );
        judged = true;
        if (decision.verdict !== 'allow')
          return sendAnswer(res, toAgentAnswer(decision, options.approvalsUrl));
        await forwardAllowed(options, request, classified.actions, res, secrets);
      } catch {
        // SECURITY: a failure before the decision, or in it, forwards nothing and says nothing.
        if (!res.headersSent)
          sendAnswer(res, judged ? upstreamFailedAnswer() : unavailableAnswer());
        else res.destroy();
      }
    },
    close() {
      return options.firewall.endReuse({ surface: 'graphql', upstream: options.name });
    },
  };
}

/** The request classified (cached by input) and its targets placed by the resolver (never cached). */
async function placedRequest(
  options: GraphqlProxyOptions,
  classifications: ClassificationCache<ClassifiedRequest>,
  request: AgentRequest,
): Promise<ClassifiedRequest> {
  const classified = await classifications.classify(request.classifierInput, async (input) => {
    const { actions, ...rest } = classifyGraphql(input, options.catalog);
    // INVARIANT: actions name the upstream as configured, which is what grants list.
    return { ...rest, actions: actions.map((action) => ({ ...action, upstream: options.name })) };
  });
  try {
    // Never cached: where targets live changes, and the resolver keeps its own brief cache.
    return {
      ...classified,
      actions: await options.resolver.resolve(options.name, classified.actions),
    };
  } catch {
    // SECURITY: a resolver failure leaves targets unplaced, which counts as production.
    return classified;
  }
}

async function forwardAllowed(
  options: GraphqlProxyOptions,
  request: AgentRequest,
  actions: readonly Action[],
  res: ServerResponse,
  secrets: ScrubSecrets,
): Promise<void> {
  const moves = actions.some((action) => action.effect !== 'read');
  try {
    await forwardGraphql(options.upstream, request, res, options.dispatcher, secrets);
  } finally {
    // What this request changed may have moved things; the next decision asks again.
    if (moves) options.resolver.invalidate(options.name);
  }
}

function refusalAnswer(refusal: RequestRefusal): AgentAnswer {
  if (refusal === 'method')
    return badRequestAnswer(405, 'Airlock accepts GraphQL over GET and POST only.');
  if (refusal === 'too-large')
    return badRequestAnswer(413, 'The request body is larger than Airlock accepts (1 MiB).');
  return badRequestAnswer(400, 'The request body is not valid UTF-8.');
}

/** Writes an answer Airlock built itself. */
export function sendAnswer(res: ServerResponse, answer: AgentAnswer): void {
  const text = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  };
  if (answer.status === 405) headers['allow'] = 'GET, POST';
  // An unread body may still be arriving; closing is cheaper than draining it.
  if (answer.status === 413) headers['connection'] = 'close';
  res.writeHead(answer.status, headers);
  res.end(text);
}
