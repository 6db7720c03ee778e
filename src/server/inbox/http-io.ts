import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';

/** The session cookie's name over plain HTTP (development on a loopback address). */
export const SESSION_COOKIE = 'airlock_inbox';
/**
 * The session cookie's name over TLS: the `__Host-` prefix makes the browser refuse it unless it
 * is Secure, host-only and Path=/, so no other host name (and no plain-HTTP page) can set or see it.
 */
export const SECURE_SESSION_COOKIE = '__Host-airlock_inbox';

/** Where the inbox lives on the gateway. */
export const INBOX_PREFIX = '/inbox';

const MAX_FORM_BYTES = 16 * 1024;

// SECURITY: no inline script or style, nothing from elsewhere, never framed, forms post only here.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers on every inbox answer: strict CSP, no framing, no sniffing, no caching, no referrer to other sites. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // `same-origin`, not `no-referrer`: the latter makes browsers send `Origin: null` on our own forms.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** A form the client sent that the inbox will not read. */
export class BadFormError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a whole HTML page. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  page: SafeHtml,
  headers: Record<string, string | string[]> = {},
): void {
  const body = page.toString();
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Sends a static asset (CSS, JS) with the inbox's headers. */
export function sendAsset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Sends JSON (what the passkey script fetches) with the inbox's headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Redirects with 303 (See Other): after a POST the browser GETs the next page. */
export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, { ...SECURITY_HEADERS, ...headers, location, 'content-length': 0 });
  res.end();
}

/** The value of one cookie of the request. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * `Set-Cookie` for the session: HttpOnly and SameSite=Strict always; over TLS `__Host-` with
 * Secure and Path=/ (a browser keeps it from plain-HTTP pages on other ports of the same host
 * name, though not from `http://localhost`: see docs/inbox.md), else scoped to the inbox path.
 */
export function sessionCookie(value: string, maxAgeMs: number, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  if (secure)
    return `${SECURE_SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`;
  return `${SESSION_COOKIE}=${value}; Path=${INBOX_PREFIX}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict`;
}

/** The session cookie the request carries: only the `__Host-` one over TLS, only the plain one otherwise. */
export function readSessionCookie(req: IncomingMessage): string | undefined {
  return readCookie(req, isSecureRequest(req) ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
}

/** Whether the browser reached us over TLS (directly, or as a proxy in front says). */
export function isSecureRequest(req: IncomingMessage): boolean {
  // Trusting the header can only add `Secure` to the cookie, never weaken anything.
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return encrypted || req.headers['x-forwarded-proto'] === 'https';
}

/**
 * Whether a POST comes from another site, by the browser's own word (`Sec-Fetch-Site`, `Origin`).
 * Requests with neither header (curl, old browsers) are left to the CSRF token.
 */
export function isCrossSite(req: IncomingMessage): boolean {
  // Browsers that send Sec-Fetch-Site are believed on it alone (their `Origin` may be `null`).
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** Reads an `application/x-www-form-urlencoded` body of at most 16 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new BadFormError(415, 'forms must be sent as application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new BadFormError(413, 'the form is too large');
    chunks.push(chunk);
  }
  try {
    return new URLSearchParams(
      new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)),
    );
  } catch {
    throw new BadFormError(400, 'the form is not valid UTF-8');
  }
}
