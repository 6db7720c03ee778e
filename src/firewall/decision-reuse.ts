import type { Decision, PolicyEngine, Principal, SurfaceKind } from '../core/index.js';
import type { Firewall, Judgment } from './firewall.js';

/**
 * How long a recorded allow may be reused, and how often reuse counts are written to the audit
 * log. Also the longest a revoked or frozen grant keeps running reads it ran before.
 */
export const DECISION_REUSE_LIFETIME_MS = 1_000;
/** The most (token, key) pairs a `DecisionReuse` remembers at once. */
export const DECISION_REUSE_MAX_ENTRIES = 4096;

/** How a `DecisionReuse` behaves. */
export interface DecisionReuseOptions {
  readonly surface: SurfaceKind;
  /** Default `DECISION_REUSE_LIFETIME_MS`; tests shorten or fake it. */
  readonly lifetimeMs?: number;
  /** Default `DECISION_REUSE_MAX_ENTRIES`. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly decision: Decision;
  readonly principal: Principal;
  /** The shape as the audit log shows it. */
  readonly shape: string;
  readonly policy: PolicyEngine;
  /** Where the judged request's targets were placed, when the caller said (see `Firewall.judge`). */
  readonly placement?: string | undefined;
  readonly until: number;
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * The firewall's own (one per reuse scope; adapters reach it through `Firewall.judge`, `reused`
 * and `tally`). Reuses a recorded allow for requests of the same shape by the same token for a short while,
 * counting them instead of judging and recording each one: the hot path of a database session
 * that runs one query shape thousands of times a second. Only allows are remembered, and only
 * for shapes whose judgment cannot depend on the values left out of the shape (the adapter
 * decides that). Every reuse is on the record: each `lifetimeMs` the counts are written as
 * `decision.reused` audit records naming the decision reused, and they are written before an
 * entry is dropped. An entry is valid until its lifetime or the grant's expiry, and only while
 * the same policy is in force; a count that cannot be written ends all reuse (fail closed: the
 * next request is judged and recorded in full, and is denied if the audit log is down).
 */
export class DecisionReuse {
  // By token, then by shape: a session's token is one string object, so its hash is computed once.
  readonly #entries = new Map<string, Map<string, Entry>>();
  #size = 0;
  // Runs counted by `tally`, by token, key and the decision they ran on; never reused, written
  // and forgotten at every flush. Keyed by decision too: sessions sharing a token each prepare
  // the same text under their own decision, and must not displace one another's counts (each
  // displacement wrote a record: one audit append per Execute under pgbench -M prepared).
  readonly #tallies = new Map<string, Map<string, Map<Decision, Entry>>>();
  readonly #timer: NodeJS.Timeout;
  readonly #surface: SurfaceKind;
  readonly #lifetimeMs: number;
  readonly #maxEntries: number;
  #closed = false;
  #failing = false;

  readonly #firewall: Firewall;
  constructor(firewall: Firewall, options: DecisionReuseOptions) {
    this.#firewall = firewall;
    this.#surface = options.surface;
    this.#lifetimeMs = options.lifetimeMs ?? DECISION_REUSE_LIFETIME_MS;
    this.#maxEntries = options.maxEntries ?? DECISION_REUSE_MAX_ENTRIES;
    this.#timer = setInterval(() => void this.flush(), this.#lifetimeMs);
    this.#timer.unref();
  }

  /**
   * The allow remembered for `token` and `shape` (and whom it was for), counting this use;
   * undefined when none is valid, or when `placement` is given and differs from the remembered.
   */
  reuse(token: string, shape: string, placement?: string): Judgment | undefined {
    const entry = this.#entries.get(token)?.get(shape);
    if (entry === undefined || (placement !== undefined && placement !== entry.placement))
      return undefined;
    const now = this.#firewall.now();
    if (now >= entry.until || entry.policy !== this.#firewall.policyInForce()) return undefined;
    countUse(entry, now);
    return entry;
  }

  /**
   * Counts one more run allowed by an earlier recorded `decision` that needs no new judgment
   * (an Execute of a prepared statement within its recheck interval), to be written with the
   * reuse counts. `describe` gives the audit log's text for it, asked once per record.
   */
  tally(
    token: string,
    key: string,
    describe: () => string,
    decision: Decision,
    principal: Principal | undefined,
  ): boolean {
    // SECURITY: after a count failed to reach the audit log, nothing is counted until a full
    // judgment was recorded again: the caller judges in full, which fails closed.
    if (this.#closed || this.#failing || principal === undefined) return false;
    const now = this.#firewall.now();
    let ofToken = this.#tallies.get(token);
    if (ofToken === undefined) this.#tallies.set(token, (ofToken = new Map()));
    let ofKey = ofToken.get(key);
    if (ofKey === undefined) ofToken.set(key, (ofKey = new Map()));
    let entry = ofKey.get(decision);
    if (entry === undefined) {
      entry = {
        decision,
        principal,
        shape: describe(),
        policy: this.#firewall.policyInForce(),
        until: Infinity,
        count: 0,
        firstAt: now,
        lastAt: now,
      };
      ofKey.set(decision, entry);
    }
    countUse(entry, now);
    return true;
  }

  /**
   * Remembers a recorded allow for later requests of `shape` by `token`; ignores anything else.
   * `recordedAs` is the shape as the audit log may show it (scrubbed of secrets).
   */
  remember(
    token: string,
    shape: string,
    recordedAs: string,
    decision: Decision,
    principal: Principal | undefined,
    placement?: string,
  ): void {
    if (this.#closed || decision.verdict !== 'allow' || principal === undefined) return;
    // A full judgment was just recorded: the audit log takes writes again.
    this.#failing = false;
    const earlier = this.#entries.get(token)?.get(shape);
    if (earlier !== undefined && earlier.count > 0) void this.#write([earlier]);
    if (earlier === undefined && this.#size >= this.#maxEntries) void this.flush(true);
    let ofToken = this.#entries.get(token);
    if (ofToken === undefined) this.#entries.set(token, (ofToken = new Map()));
    if (earlier === undefined) this.#size++;
    const now = this.#firewall.now();
    ofToken.set(shape, {
      decision,
      principal,
      shape: recordedAs,
      policy: this.#firewall.policyInForce(),
      placement,
      until: Math.min(now + this.#lifetimeMs, principal.grant.expiresAt),
      count: 0,
      firstAt: now,
      lastAt: now,
    });
  }

  /** Writes the counts gathered so far; drops expired entries (and all of them with `everything`). */
  async flush(everything = false): Promise<void> {
    const now = this.#firewall.now();
    const counted: Entry[] = [];
    for (const [token, ofToken] of this.#entries) {
      for (const [shape, entry] of ofToken) {
        if (entry.count > 0) counted.push({ ...entry });
        entry.count = 0;
        if (everything || now >= entry.until) {
          ofToken.delete(shape);
          this.#size--;
        }
      }
      if (ofToken.size === 0) this.#entries.delete(token);
    }
    for (const ofToken of this.#tallies.values()) {
      for (const ofKey of ofToken.values())
        for (const entry of ofKey.values()) if (entry.count > 0) counted.push(entry);
    }
    this.#tallies.clear();
    await this.#write(counted);
  }

  /** Writes what is counted and stops reusing. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.flush(true);
  }

  async #write(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    // All at once, in order: the store writes the appends of one event-loop turn in one
    // transaction, where one at a time took a transaction and a turn each.
    const written = await Promise.allSettled(
      entries.map((entry) => this.#firewall.recordReuse({ ...entry, surface: this.#surface })),
    );
    if (written.every((result) => result.status === 'fulfilled')) return;
    // SECURITY: reuse that cannot be recorded must stop; what was counted is lost with the
    // audit log's failure, and every later request goes through the full, recorded path.
    this.#entries.clear();
    this.#size = 0;
    this.#tallies.clear();
    this.#failing = true;
  }
}

function countUse(entry: Entry, now: number): void {
  if (entry.count === 0) entry.firstAt = now;
  entry.count++;
  entry.lastAt = now;
}
