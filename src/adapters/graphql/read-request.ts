import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { readBoundedBody } from '../shared/index.js';
import { MAX_REQUEST_BODY_BYTES } from './config.js';

/** An agent's request as the adapter keeps it: the exact bytes, and the classifier's view of them. */
export interface AgentRequest {
  readonly method: 'GET' | 'POST';
  /** The Airlock token from `Authorization: Bearer`, or empty when there is none. */
  readonly token: string;
  /** The query string as it came (`?…` or empty), forwarded unchanged. */
  readonly search: string;
  /** The body bytes as they came, forwarded unchanged. */
  readonly body: Buffer;
  /** The agent's headers; only harmless ones are forwarded. */
  readonly headers: IncomingHttpHeaders;
  /** The request in the classifier's shape: `{ method, contentType, body, query }`. */
  readonly classifierInput: Readonly<Record<string, unknown>>;
}

// SECURITY: fatal, so a lossy decode never judges other text than the upstream receives. Reused:
// a decode without `stream` keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Why a request was refused before judging. */
export type RequestRefusal = 'method' | 'too-large' | 'not-utf8';

/**
 * Reads a request into the classifier's shape. The body stays raw text: the classifier parses it
 * strictly, so duplicate keys or a body that is not JSON are judged `unknown`, never guessed at.
 */
export async function readAgentRequest(
  req: IncomingMessage,
  url: URL,
): Promise<AgentRequest | RequestRefusal> {
  const method = req.method;
  if (method !== 'GET' && method !== 'POST') return 'method';
  const body = await readBoundedBody(req, MAX_REQUEST_BODY_BYTES);
  if (body === undefined) return 'too-large';
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return 'not-utf8';
  }
  const contentType = req.headers['content-type'];
  return {
    method,
    token: bearerToken(req.headers.authorization),
    search: url.search,
    body,
    headers: req.headers,
    classifierInput: {
      method,
      ...(contentType === undefined ? {} : { contentType }),
      ...(text === '' ? {} : { body: text }),
      query: toQueryParams(url.searchParams),
    },
  };
}

/** The bearer token of an Authorization header, or empty. */
export function bearerToken(header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

// A repeated parameter becomes a list, which the classifier refuses as ambiguous. fromEntries
// defines own properties, so a `__proto__` parameter is data, not a prototype.
function toQueryParams(params: URLSearchParams): Record<string, string | string[]> {
  return Object.fromEntries(
    [...new Set(params.keys())].map((key) => {
      const values = params.getAll(key);
      return [key, values.length === 1 ? (values[0] ?? '') : values];
    }),
  );
}

// Plain listeners rather than `for await`: the async iterator costs more than the read itself.
