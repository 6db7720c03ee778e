import { createHash } from 'node:crypto';
import type { Clock, Ids, RandomSource } from './ports.js';

/** A clock that moves only when told: tests never sleep. */
export class FixedClock implements Clock {
  #now: number;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward. */
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Ids `prefix_1`, `prefix_2`, … per prefix: predictable in tests. */
export class SequentialIds implements Ids {
  readonly #counters = new Map<string, number>();

  next(prefix: string): string {
    const count = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, count);
    return `${prefix}_${count}`;
  }
}

/** Deterministic bytes from a seed (SHA-256 in counter mode). Tests only: not secret. */
export class SeededRandom implements RandomSource {
  #counter = 0;

  readonly #seed: string;
  constructor(seed: string = 'airlock-test') {
    this.#seed = seed;
  }

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let offset = 0; offset < count; offset += 32) {
      const block = createHash('sha256').update(`${this.#seed}:${this.#counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, count - offset)), offset);
    }
    return out;
  }
}
