import { randomInt, timingSafeEqual } from 'node:crypto';

/** What a cancel key stands for: a way to cancel the upstream session behind it. */
export type CancelTarget = () => void;

/**
 * Airlock's own cancel keys. An agent gets a key of Airlock's, never the upstream's; a
 * CancelRequest carrying it is turned into one for the upstream session it stands for.
 */
export class CancelRegistry {
  readonly #targets = new Map<number, { secret: number; cancel: CancelTarget }>();

  /** Issues a fresh key for a session; returns it and a function that withdraws it. */
  issue(cancel: CancelTarget): { processId: number; secretKey: number; withdraw: () => void } {
    let processId = randomInt(1, 2 ** 31 - 1);
    while (this.#targets.has(processId)) processId = randomInt(1, 2 ** 31 - 1);
    const secretKey = randomInt(-(2 ** 31), 2 ** 31 - 1);
    this.#targets.set(processId, { secret: secretKey, cancel });
    return { processId, secretKey, withdraw: () => this.#targets.delete(processId) };
  }

  /** Cancels the session a key stands for, when the key is right; silent otherwise, like PostgreSQL. */
  cancel(processId: number, secretKey: number): void {
    const target = this.#targets.get(processId);
    if (target === undefined) return;
    const expected = Buffer.alloc(4);
    expected.writeInt32BE(target.secret, 0);
    const given = Buffer.alloc(4);
    given.writeInt32BE(secretKey, 0);
    if (timingSafeEqual(expected, given)) target.cancel();
  }
}
