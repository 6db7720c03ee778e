import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApprovalService } from '../../firewall/index.js';
import type { GatewayRoute } from '../gateway.js';
import { showApproval, showPendingList, submitVote } from './approval-handlers.js';
import { BadFormError, INBOX_PREFIX, redirect, sendAsset, sendHtml } from './http-io.js';
import type { InboxContext, InboxOptions } from './inbox-context.js';
import { viewerOf } from './inbox-context.js';
import { messagePage } from './layout.js';
import { LivePending } from './live-pending.js';
import { showLogin, submitLogin, submitLogout } from './login-handlers.js';
import { LoginThrottle } from './login-throttle.js';
import {
  enrolmentOptions,
  showPasskeys,
  submitEnrolment,
  voteOptions,
} from './passkey-handlers.js';
import { InboxPasskeys, toPasskeyOrigin } from './passkeys.js';
import { InboxSessions } from './sessions.js';

// Read once at start: served as files, so the CSP can forbid every inline script and style.
const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  '/assets/inbox.css': {
    type: 'text/css',
    body: readFileSync(new URL('./assets/inbox.css', import.meta.url), 'utf8'),
  },
  '/assets/inbox.js': {
    type: 'text/javascript',
    body: readFileSync(new URL('./assets/inbox.js', import.meta.url), 'utf8'),
  },
  '/assets/favicon.svg': {
    type: 'image/svg+xml',
    body: readFileSync(new URL('./assets/favicon.svg', import.meta.url), 'utf8'),
  },
  '/assets/inbox-passkey.js': {
    type: 'text/javascript',
    body: readFileSync(new URL('./assets/inbox-passkey.js', import.meta.url), 'utf8'),
  },
  // @simplewebauthn/browser's own bundle, from the installed package: a file, like ours.
  '/assets/webauthn.js': {
    type: 'text/javascript',
    body: readFileSync(webauthnBundlePath(), 'utf8'),
  },
};

const APPROVAL_PATH =
  /^\/approvals\/([A-Za-z0-9_-]{1,128})(?:\/(approve|deny|cancel)(\/options)?)?$/;

/** The browser bundle (UMD, global `SimpleWebAuthnBrowser`) of the installed @simplewebauthn/browser. */
function webauthnBundlePath(): URL {
  // The package exports only its module entry; the bundle sits beside it in dist/.
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return new URL('../dist/bundle/index.umd.min.js', pathToFileURL(entry));
}

/**
 * The web inbox at `/inbox`: approver login, the live pending list, an approval's detail page
 * with approve / deny, and its audit timeline. Every GET only reads; every POST needs a session
 * and its CSRF token, and approve and deny a fresh passkey assertion too. Sessions live in this
 * process: a restart logs everyone out; passkeys live in `options.passkeys`.
 * @example
 * startGateway({ ..., routes: (urls) => [createInboxRoute({ store, clock: systemClock, random: cryptoRandom, rules, productionEnvironments, publicUrl: urls.url, passkeys: new MemoryPasskeyStore() })] });
 */
export function createInboxRoute(options: InboxOptions): GatewayRoute {
  const context: InboxContext = {
    options,
    service: new ApprovalService({
      store: options.store,
      clock: options.clock,
      random: options.random,
      rules: options.rules,
      productionEnvironments: options.productionEnvironments,
      ...(options.factorThrottle === undefined ? {} : { factorThrottle: options.factorThrottle }),
    }),
    sessions: new InboxSessions(options.clock, options.sessionTtlMs),
    throttle: new LoginThrottle(options.clock, options.loginThrottle),
    passkeys: new InboxPasskeys({
      store: options.passkeys,
      clock: options.clock,
      origin: toPasskeyOrigin(options.publicUrl),
    }),
  };
  const live = new LivePending(context);
  return {
    prefix: INBOX_PREFIX,
    handle: async (req, res, url) => {
      try {
        await dispatch(context, live, req, res, url);
      } catch (error) {
        if (res.headersSent) return void res.destroy();
        if (error instanceof BadFormError)
          return sendHtml(res, error.status, messagePage('Bad request', error.message, undefined));
        // SECURITY: no internal detail reaches the browser; nothing was decided.
        sendHtml(
          res,
          503,
          messagePage(
            'Unavailable',
            'Airlock could not complete this. Nothing was approved or denied. Try again shortly.',
            undefined,
          ),
        );
      }
    },
    close: async () => live.close(),
  };
}

async function dispatch(
  context: InboxContext,
  live: LivePending,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(INBOX_PREFIX.length) || '/';
  const method = req.method ?? 'GET';
  const asset = ASSETS[path];
  if (asset !== undefined)
    return method === 'GET' ? sendAsset(res, asset.type, asset.body) : notAllowed(res, 'GET');
  if (path === '/login') {
    if (method === 'GET') return showLogin(context, req, res, url);
    return method === 'POST' ? submitLogin(context, req, res) : notAllowed(res, 'GET, POST');
  }
  if (path === '/logout')
    return method === 'POST' ? submitLogout(context, req, res) : notAllowed(res, 'POST');
  if (path === '/events') return method === 'GET' ? live.open(req, res) : notAllowed(res, 'GET');
  const approval = APPROVAL_PATH.exec(path);
  if (path !== '/' && path !== '/passkeys' && path !== '/passkeys/options' && approval === null)
    return sendHtml(
      res,
      404,
      messagePage('Not found', 'There is no such page in the inbox.', undefined),
    );
  const viewer = await viewerOf(context, req);
  // An approval link (from a webhook, say) leads to the login first, then back to the approval.
  if (viewer === undefined) {
    if (method !== 'GET') return redirect(res, `${INBOX_PREFIX}/login`);
    return redirect(res, `${INBOX_PREFIX}/login?next=${encodeURIComponent(url.pathname)}`);
  }
  if (path === '/passkeys') {
    if (method === 'GET') return showPasskeys(context, viewer, res, url);
    return method === 'POST'
      ? submitEnrolment(context, viewer, req, res)
      : notAllowed(res, 'GET, POST');
  }
  if (path === '/passkeys/options')
    return method === 'POST'
      ? enrolmentOptions(context, viewer, req, res)
      : notAllowed(res, 'POST');
  const [, id, vote, options] = approval ?? [];
  if (id === undefined)
    return method === 'GET' ? showPendingList(context, viewer, res) : notAllowed(res, 'GET');
  if (vote === undefined)
    return method === 'GET' ? showApproval(context, viewer, res, id, url) : notAllowed(res, 'GET');
  if (method !== 'POST') return notAllowed(res, 'POST');
  if (options !== undefined) {
    if (vote === 'cancel')
      return sendHtml(
        res,
        404,
        messagePage('Not found', 'There is no such page in the inbox.', undefined),
      );
    return voteOptions(context, viewer, req, res, {
      kind: 'vote',
      approvalId: id,
      vote: vote === 'approve' ? 'approve' : 'deny',
    });
  }
  return submitVote(
    context,
    viewer,
    req,
    res,
    id,
    vote === 'approve' || vote === 'deny' ? vote : 'cancel',
  );
}

function notAllowed(res: ServerResponse, allow: string): void {
  sendHtml(
    res,
    405,
    messagePage('Method not allowed', 'This page does not take that kind of request.', undefined),
    { allow },
  );
}
