import { request } from 'undici';
import type { Clock, Ids, Store, WebhookDeliveryV1 } from '../core/index.js';
import { describeError } from '../core/index.js';
import { approvalIdOf, toApprovalEvent } from './approval-events.js';
import type { WebhookFormat } from './webhook-payload.js';
import { toWebhookBody } from './webhook-payload.js';
import { WEBHOOK_SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

/** One configured receiver. */
export interface WebhookEndpoint {
  /** Its name in config; deliveries and logs name it, never its URL (a Slack URL is a secret). */
  readonly name: string;
  readonly url: string;
  readonly format: WebhookFormat;
  /** The HMAC-SHA256 signing secret; read from the environment variable config names. */
  readonly secret?: string;
  /** Only these audit kinds; default every approval event. */
  readonly events?: readonly string[];
}

/** Retries: exponential backoff from `initialDelayMs`, doubling up to `maxDelayMs`. */
export interface WebhookRetry {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Posts one body; resolves with the HTTP status, rejects when no answer came in time. */
export type WebhookPoster = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<number>;

/** What the dispatcher needs. */
export interface WebhookDispatcherOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly endpoints: readonly WebhookEndpoint[];
  /** The URL humans reach Airlock at; approval links point to `${publicUrl}/inbox/approvals/ID`. */
  readonly publicUrl: string;
  readonly retry: WebhookRetry;
  readonly post: WebhookPoster;
}

const BATCH = 200;
// Per tick, so that a burst of decisions cannot keep one round from ever delivering.
const MAX_COLLECT_ROUNDS = 25;
const PER_ENDPOINT_PER_ROUND = 16;

/**
 * Turns approval transitions into signed webhook deliveries and sends them, in the background.
 * The audit log is the outbox: `collect` reads records after a persisted cursor and queues one
 * delivery per endpoint in the same transaction that moves the cursor, so every transition made
 * by any process (gateway, CLI, inbox) goes out once, also after a restart. `deliver` posts
 * what is due and reschedules failures with backoff. Nothing here decides an approval.
 */
export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  /** Queues deliveries for the next batch of audit records; says whether more are waiting. */
  async collect(): Promise<'caught-up' | 'more'> {
    const { store, clock, ids, endpoints, publicUrl } = this.#options;
    const cursor = await store.getWebhookCursor();
    if (cursor === undefined) {
      // The first start sends what happens from now on, not the whole history.
      await store.enqueueWebhookDeliveries([], (await store.auditHead())?.seq ?? 0);
      return 'caught-up';
    }
    const records = await store.readAudit({ fromSeq: cursor + 1, limit: BATCH });
    const last = records.at(-1);
    if (last === undefined) return 'caught-up';
    const deliveries: WebhookDeliveryV1[] = [];
    for (const record of records) {
      const approvalId = approvalIdOf(record);
      const approval = approvalId === undefined ? undefined : await store.getApproval(approvalId);
      const event =
        approval === undefined ? undefined : toApprovalEvent(record, approval, publicUrl);
      if (event === undefined) continue;
      for (const endpoint of endpoints) {
        if (endpoint.events !== undefined && !endpoint.events.includes(event.event)) continue;
        const now = clock.now();
        const id = ids.next('whd');
        deliveries.push({
          id,
          endpoint: endpoint.name,
          auditSeq: record.seq,
          event: event.event,
          approvalId: event.approval.id,
          // The id receivers deduplicate on goes inside the signed body (the header is not signed).
          body: toWebhookBody(event, endpoint.format, id),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        });
      }
    }
    await store.enqueueWebhookDeliveries(deliveries, last.seq);
    return records.length < BATCH ? 'caught-up' : 'more';
  }

  /** Posts every due delivery, concurrently; returns how many were delivered. */
  async deliver(): Promise<number> {
    const { store, clock } = this.#options;
    const due = await store.listWebhookDeliveries({
      status: 'pending',
      dueBy: clock.now(),
      limit: BATCH,
    });
    // At most a few per endpoint per round, all at once: a burst does not crowd out the requests
    // this process serves, and a receiver that hangs costs the round one timeout, not one each.
    const taken = new Map<string, number>();
    const round = due.filter((delivery) => {
      const count = (taken.get(delivery.endpoint) ?? 0) + 1;
      taken.set(delivery.endpoint, count);
      return count <= PER_ENDPOINT_PER_ROUND;
    });
    const outcomes = await Promise.all(round.map((delivery) => this.#attempt(delivery)));
    return outcomes.filter(Boolean).length;
  }

  /** One round: collect until caught up with the audit log (bounded), then deliver. */
  async tick(): Promise<void> {
    for (let round = 0; round < MAX_COLLECT_ROUNDS; round++) {
      if ((await this.collect()) === 'caught-up') break;
    }
    await this.deliver();
  }

  async #attempt(delivery: WebhookDeliveryV1): Promise<boolean> {
    const { store, clock, retry, post } = this.#options;
    const endpoint = this.#options.endpoints.find((e) => e.name === delivery.endpoint);
    const at = clock.now();
    let status: number | undefined;
    let error: string | undefined;
    if (endpoint === undefined) {
      error = 'the endpoint is no longer configured';
    } else {
      try {
        status = await post(
          endpoint.url,
          headersFor(endpoint, delivery, Math.floor(at / 1000)),
          delivery.body,
        );
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch (failure) {
        // SECURITY: the URL may carry a secret (Slack); the message is scrubbed of it.
        error = describeError(failure).split(endpoint.url).join(`<${endpoint.name}>`);
      }
    }
    const attempts = delivery.attempts + 1;
    const done = error === undefined;
    const gaveUp = !done && (attempts >= retry.maxAttempts || endpoint === undefined);
    await store.updateWebhookDelivery({
      ...delivery,
      attempts,
      lastAttemptAt: at,
      status: done ? 'delivered' : gaveUp ? 'failed' : 'pending',
      nextAttemptAt:
        done || gaveUp ? delivery.nextAttemptAt : clock.now() + backoffMs(retry, attempts),
      ...(status === undefined ? {} : { lastStatus: status }),
      ...(error === undefined ? {} : { lastError: error }),
      ...(done ? { deliveredAt: clock.now() } : {}),
    });
    return done;
  }
}

/** The wait after the `attempts`-th failure: initial × 2^(attempts−1), at most the maximum. */
export function backoffMs(retry: WebhookRetry, attempts: number): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** Math.max(0, attempts - 1));
}

function headersFor(
  endpoint: WebhookEndpoint,
  delivery: WebhookDeliveryV1,
  unixSeconds: number,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'airlock-webhooks/1',
    'airlock-event': delivery.event,
    'airlock-delivery': delivery.id,
    ...(endpoint.secret === undefined
      ? {}
      : { [WEBHOOK_SIGNATURE_HEADER]: signWebhook(endpoint.secret, delivery.body, unixSeconds) }),
  };
}

/** Posts with undici; a receiver that does not answer within `timeoutMs` counts as failed. */
export function createHttpPoster(timeoutMs: number): WebhookPoster {
  return async (url, headers, body) => {
    const answer = await request(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    // Read and drop the body so the connection can be reused.
    await answer.body.dump();
    return answer.statusCode;
  };
}
