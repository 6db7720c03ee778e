import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Approval } from '../../core/index.js';
import { SECURITY_HEADERS } from './http-io.js';
import type { InboxContext } from './inbox-context.js';
import { viewerOf } from './inbox-context.js';
import { pendingInScope } from './approval-handlers.js';
import { toPendingItem } from './pending-list.js';

interface Listener {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The last list sent, as JSON; only a change is sent again. */
  last: string;
  idleTicks: number;
}

/** Default: look for changes once a second. */
export const DEFAULT_LIVE_INTERVAL_MS = 1000;
// A comment line now and then keeps proxies from closing a quiet stream.
const HEARTBEAT_TICKS = 15;

/**
 * The live pending list: Server-Sent Events with the viewer's pending approvals as JSON, sent on
 * connect and whenever the list changes. One timer serves every listener and runs only while
 * someone listens; each tick re-checks every listener's session, so logout or expiry ends it.
 */
export class LivePending {
  readonly #context: InboxContext;
  readonly #listeners = new Set<Listener>();
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(context: InboxContext) {
    this.#context = context;
  }

  /** GET /inbox/events. */
  async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((await viewerOf(this.#context, req)) === undefined) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('log in first');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    const listener: Listener = { req, res, last: '', idleTicks: 0 };
    this.#listeners.add(listener);
    req.once('close', () => this.#remove(listener));
    await this.#push(listener);
    this.#timer ??= setInterval(
      () => void this.#tick(),
      this.#context.options.liveIntervalMs ?? DEFAULT_LIVE_INTERVAL_MS,
    ).unref();
  }

  /** Ends every stream and stops the timer. */
  close(): void {
    for (const listener of this.#listeners) listener.res.end();
    this.#listeners.clear();
    this.#stop();
  }

  async #tick(): Promise<void> {
    // A slow store must not pile up overlapping ticks.
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      // One read of the pending approvals per tick, however many approvers listen.
      const pending = await this.#context.options.store.listApprovals({ state: 'pending' });
      for (const listener of [...this.#listeners]) await this.#push(listener, pending);
    } catch {
      // The store failed this tick; the streams stay, and the next tick tries again.
    } finally {
      this.#ticking = false;
    }
  }

  async #push(listener: Listener, pending?: readonly Approval[]): Promise<void> {
    try {
      const viewer = await viewerOf(this.#context, listener.req);
      if (viewer === undefined) {
        // SECURITY: a stream outlives no session; the page reloads to the login form.
        listener.res.end('event: logout\ndata: {}\n\n');
        return this.#remove(listener);
      }
      const items = (await pendingInScope(this.#context, viewer.approver, pending)).map((a) =>
        toPendingItem(a, viewer.approver.name, this.#context.options.productionEnvironments),
      );
      const json = JSON.stringify(items);
      if (json !== listener.last) {
        listener.last = json;
        listener.idleTicks = 0;
        listener.res.write(`event: pending\ndata: ${json}\n\n`);
      } else if (++listener.idleTicks >= HEARTBEAT_TICKS) {
        listener.idleTicks = 0;
        listener.res.write(': still here\n\n');
      }
    } catch {
      // The store failed this tick; the stream stays, and the next tick tries again.
    }
  }

  #remove(listener: Listener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#stop();
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
