import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import { APPROVAL_POLICY_ID } from '../../core/index.js';
import type { Decision } from '../../core/index.js';
import { refusalFor, snapshotFailedError, unavailableError, unpreparedError } from './respond.js';
import type { AllowedStatement, Injection, PreparedStatement } from './session-state.js';
import { INJECTION_MARKER, PREPARE_PATTERN } from './session-state.js';
import type { StatementJudge, StatementJudgment } from './statement-judge.js';
import type { UpstreamSession } from './upstream-connection.js';
import { BodyReader, MessageFramer, parseErrorFields } from './wire.js';
import type { WireMessage } from './wire.js';

/** What a session needs from its proxy. */
export interface SessionOptions {
  readonly judge: StatementJudge;
  /** Base of the URLs a held agent polls, e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
  /** Dumps what an allowed destructive statement will destroy; throws when it cannot. */
  readonly snapshot: ((request: SnapshotRequest) => Promise<void>) | undefined;
}

/** What a snapshot is asked to save before a statement runs. */
export interface SnapshotRequest {
  readonly classified: StatementJudgment['classified'];
  readonly decision: Decision;
}

// A read or write statement prepared once is judged again at Execute after this long, so that a
// revoked or expired token stops a long-lived session's prepared statements too.
const RECHECK_AFTER_MS = 1_000;

/**
 * One agent connection, after it authenticated: relays the protocol between the agent and its
 * own upstream session, judging every statement on the way. A statement that must not run is
 * replaced by one that fails upstream with a marker; the upstream's error is swapped for
 * Airlock's on the way back. So the upstream itself keeps the protocol faithful: the rest of an
 * extended-protocol batch is skipped until Sync, and a transaction block is aborted.
 */
export class GuardedSession {
  readonly #statements = new Map<string, PreparedStatement>();
  readonly #portals = new Map<string, PreparedStatement>();
  readonly #injections = new Map<string, Injection>();
  readonly #framer = new MessageFramer();
  readonly #outgoing: Buffer[] = [];
  #backendTail: Buffer | undefined;
  #pumping = false;
  #unitsSent = 0;
  #unitsDone = 0;
  #drainWaiters: (() => void)[] = [];
  #closed = false;

  constructor(
    private readonly client: Socket,
    private readonly upstream: UpstreamSession,
    private readonly token: string,
    private readonly options: SessionOptions,
    private readonly unregister: () => void,
  ) {}

  /** Starts relaying; `pending` holds agent bytes that arrived before the session was ready. */
  start(pending: Buffer): void {
    const { client, upstream } = this;
    upstream.socket.on('data', (chunk: Buffer) => this.#onUpstreamData(chunk));
    client.on('data', (chunk: Buffer) => this.#onClientData(chunk));
    for (const socket of [client, upstream.socket]) {
      socket.on('close', () => this.close());
      socket.on('error', () => this.close());
    }
    if (upstream.leftover.length > 0) this.#onUpstreamData(upstream.leftover);
    if (pending.length > 0) this.#onClientData(pending);
  }

  /** Ends both connections. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.unregister();
    this.client.destroy();
    this.upstream.socket.destroy();
    for (const waiter of this.#drainWaiters) waiter();
  }

  #onClientData(chunk: Buffer): void {
    this.#framer.push(chunk);
    if (!this.#pumping) this.#pump();
  }

  /**
   * Handles the agent's messages in order. Synchronous until a message must wait (to be judged,
   * or for a snapshot); then the rest wait for it, and the pump resumes when it is done.
   */
  #pump(): void {
    try {
      for (let message = this.#framer.next(); message !== undefined && !this.#closed; message = this.#framer.next()) {
        const pending = this.#handle(message);
        if (pending !== undefined) {
          this.#pumping = true;
          this.#flush();
          pending.then(
            () => {
              this.#pumping = false;
              this.#pump();
            },
            () => this.close(),
          );
          return;
        }
      }
      this.#flush();
    } catch {
      // SECURITY: a malformed message ends the session; nothing more is forwarded.
      this.close();
    }
  }

  /** Handles one agent message; returns a promise only when it must wait (to judge). */
  #handle(message: WireMessage): Promise<void> | undefined {
    switch (message.type) {
      case 0x51 /* Q */:
        return this.#query(message, new BodyReader(message.body).cstring());
      case 0x50 /* P */: {
        const reader = new BodyReader(message.body);
        const name = reader.cstring();
        return this.#parse(message, name, reader.cstring());
      }
      case 0x42 /* B */:
        return this.#bind(message);
      case 0x45 /* E */:
        return this.#execute(message);
      case 0x43 /* C */:
        this.#closeStatementOrPortal(message);
        return undefined;
      case 0x53 /* S */:
      case 0x46 /* F */:
        if (message.type === 0x46) return this.#functionCall(message);
        this.#send(message.raw);
        this.#unitsSent++;
        return undefined;
      case 0x44 /* D */:
      case 0x48 /* H */:
      case 0x64 /* d */:
      case 0x63 /* c */:
      case 0x66 /* f */:
        this.#send(message.raw);
        return undefined;
      case 0x58 /* X */:
        this.#send(message.raw);
        this.#flush();
        this.close();
        return undefined;
      default:
        throw new Error('unexpected frontend message');
    }
  }

  #query(message: WireMessage, sql: string): Promise<void> | undefined {
    if (PREPARE_PATTERN.test(sql)) this.#taintStatements();
    // The hot path: a read whose shape this token ran a moment ago passes without waiting.
    if (this.options.judge.reused(this.token, sql) !== undefined) {
      this.#send(message.raw);
      this.#unitsSent++;
      return undefined;
    }
    return this.#judgeQuery(message, sql);
  }

  async #judgeQuery(message: WireMessage, sql: string): Promise<void> {
    const judgment = await this.#judge(sql);
    const refusal = await this.#refusalOrSnapshot(judgment);
    if (refusal !== undefined) return this.#inject(refusal, (marker) => serialize.query(marker), true);
    this.#send(message.raw);
    this.#unitsSent++;
  }

  #parse(message: WireMessage, name: string, sql: string): Promise<void> | undefined {
    if (PREPARE_PATTERN.test(sql)) this.#taintStatements();
    const reused = this.options.judge.reused(this.token, sql);
    if (reused !== undefined) {
      this.#prepared(message, name, reused);
      return undefined;
    }
    return this.#judgeParse(message, name, sql);
  }

  async #judgeParse(message: WireMessage, name: string, sql: string): Promise<void> {
    const judgment = await this.#judge(sql);
    if (judgment === undefined || judgment.decision.verdict !== 'allow') {
      this.#statements.set(name, { state: 'refused' });
      const refusal = judgment === undefined ? unavailableError() : refusalFor(judgment.decision, this.options.approvalsUrl);
      return this.#inject(refusal, (marker) => serialize.parse({ name, text: marker, types: [] }), false);
    }
    this.#prepared(message, name, judgment);
  }

  /** Records an allowed statement under its name and passes its Parse on. */
  #prepared(message: WireMessage, name: string, judgment: StatementJudgment): void {
    this.#statements.set(name, {
      state: 'allowed',
      classified: judgment.classified,
      approvedOnce: judgment.decision.policyIds.includes(APPROVAL_POLICY_ID),
      decision: judgment.decision,
      principal: judgment.principal,
      executions: 0,
      judgedAt: Date.now(),
    });
    this.#send(message.raw);
  }

  #bind(message: WireMessage): undefined {
    const reader = new BodyReader(message.body);
    const portal = reader.cstring();
    const name = reader.cstring();
    const statement = this.#statements.get(name);
    // INVARIANT: only a statement Airlock judged and allowed can be bound.
    if (statement?.state !== 'allowed') {
      this.#portals.delete(portal);
      this.#inject(unpreparedError(name === '' ? 'the unnamed statement' : `statement \`${name}\``), (marker) => serialize.bind({ portal: '', statement: marker }), false);
      return undefined;
    }
    this.#portals.set(portal, statement);
    this.#send(message.raw);
    return undefined;
  }

  /** The statement that executes is the statement that was judged: its record travels with the portal. */
  #execute(message: WireMessage): Promise<void> | undefined {
    const portal = new BodyReader(message.body).cstring();
    const statement = this.#portals.get(portal);
    if (statement?.state !== 'allowed') {
      this.#failExecute(unpreparedError(portal === '' ? 'the unnamed portal' : `portal \`${portal}\``));
      return undefined;
    }
    const { classified } = statement;
    const firstApprovedRun = statement.approvedOnce && statement.executions === 0;
    statement.executions++;
    if (!classified.destroys && this.#runsOnEarlierDecision(statement)) {
      this.#send(message.raw);
      return undefined;
    }
    return this.#judgeExecute(message, statement, firstApprovedRun);
  }

  /**
   * Whether an Execute of a read or write may run on a decision already recorded, counted in the
   * audit log: the Parse's own, within the recheck interval, or a reused allow of its shape.
   */
  #runsOnEarlierDecision(statement: AllowedStatement): boolean {
    const { judge } = this.options;
    if (Date.now() - statement.judgedAt < RECHECK_AFTER_MS) {
      return judge.countExecution(this.token, statement.classified.sql, statement.decision, statement.principal);
    }
    if (judge.reused(this.token, statement.classified.sql) === undefined) return false;
    statement.judgedAt = Date.now();
    return true;
  }

  async #judgeExecute(message: WireMessage, statement: AllowedStatement, firstApprovedRun: boolean): Promise<void> {
    const { classified } = statement;
    // An approval covers one execution; any other run of a destructive statement is judged again.
    const judgment: StatementJudgment | undefined = firstApprovedRun ? { classified, decision: statement.decision } : await this.#judge(classified.sql);
    const refusal = await this.#refusalOrSnapshot(judgment);
    if (refusal !== undefined) return this.#failExecute(refusal);
    statement.judgedAt = Date.now();
    this.#send(message.raw);
  }

  #failExecute(error: Buffer): void {
    this.#inject(error, (marker) => serialize.execute({ portal: marker, rows: 0 }), false);
  }

  #closeStatementOrPortal(message: WireMessage): void {
    const reader = new BodyReader(message.body);
    const kind = reader.byte();
    const name = reader.cstring();
    if (kind === 0x53 /* S */) this.#statements.delete(name);
    else this.#portals.delete(name);
    this.#send(message.raw);
  }

  async #functionCall(message: WireMessage): Promise<void> {
    let decision: Decision | undefined;
    try {
      decision = await this.options.judge.judgeOpaque(this.token, 'FunctionCall', message.body);
    } catch {
      decision = undefined;
    }
    if (decision?.verdict !== 'allow') {
      const refusal = decision === undefined ? unavailableError() : refusalFor(decision, this.options.approvalsUrl);
      return this.#inject(refusal, (marker) => serialize.query(marker), true);
    }
    this.#send(message.raw);
    this.#unitsSent++;
  }

  async #judge(sql: string): Promise<StatementJudgment | undefined> {
    try {
      return await this.options.judge.judge(this.token, sql);
    } catch {
      return undefined;
    }
  }

  /** Undefined when the statement may run now (its snapshot taken if it destroys); else the error to answer. */
  async #refusalOrSnapshot(judgment: StatementJudgment | undefined): Promise<Buffer | undefined> {
    if (judgment === undefined) return unavailableError();
    if (judgment.decision.verdict !== 'allow') return refusalFor(judgment.decision, this.options.approvalsUrl);
    if (!judgment.classified.destroys) return undefined;
    const snapshot = this.options.snapshot;
    // SECURITY: without a vault nothing destructive runs; a snapshot that fails blocks the statement.
    if (snapshot === undefined) return snapshotFailedError();
    try {
      // What the session sent before this statement is committed (or not) before the dump looks.
      await this.#drain();
      await snapshot(judgment);
      return undefined;
    } catch {
      return snapshotFailedError();
    }
  }

  /**
   * Plants a statement that fails upstream carrying a marker, so the upstream answers in order
   * and keeps the transaction state as PostgreSQL would; the answer is swapped for `error`.
   */
  #inject(error: Buffer, build: (marker: string) => Buffer, endsUnit: boolean): void {
    const nonce = randomBytes(16).toString('hex');
    this.#injections.set(nonce, { error, unit: this.#unitsSent });
    this.#send(build(`airlock_${nonce}`));
    if (endsUnit) this.#unitsSent++;
  }

  #taintStatements(): void {
    for (const name of this.#statements.keys()) this.#statements.set(name, { state: 'tainted' });
    this.#portals.clear();
  }

  #send(bytes: Buffer): void {
    this.#outgoing.push(bytes);
  }

  #flush(): void {
    if (this.#outgoing.length === 0 || this.#closed) return;
    const bytes = this.#outgoing.length === 1 ? this.#outgoing[0] : Buffer.concat(this.#outgoing);
    this.#outgoing.length = 0;
    if (bytes !== undefined) this.upstream.socket.write(bytes);
  }

  #drain(): Promise<void> {
    if (this.#unitsDone >= this.#unitsSent || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Relays upstream bytes, whole messages at a time, swapping planted errors for Airlock's. */
  #onUpstreamData(chunk: Buffer): void {
    const data = this.#backendTail === undefined ? chunk : Buffer.concat([this.#backendTail, chunk]);
    let offset = 0;
    let relayedUpTo = 0;
    let out: Buffer[] | undefined;
    while (offset + 5 <= data.length) {
      const type = data[offset];
      const end = offset + 1 + data.readInt32BE(offset + 1);
      if (end > data.length) break;
      if (type === 0x5a /* Z */) this.#unitCompleted();
      else if (type === 0x45 /* E */ && this.#injections.size > 0) {
        const replacement = this.#replacementFor(data.subarray(offset + 5, end));
        if (replacement !== undefined) {
          (out ??= []).push(data.subarray(relayedUpTo, offset), replacement);
          relayedUpTo = end;
        }
      }
      offset = end;
    }
    this.#backendTail = offset < data.length ? Buffer.from(data.subarray(offset)) : undefined;
    // The common case: whole messages, nothing swapped; relay the bytes as they came.
    if (out === undefined && relayedUpTo === 0 && offset === data.length) {
      if (data.length > 0) this.client.write(data);
      return;
    }
    const parts = out ?? [];
    parts.push(data.subarray(relayedUpTo, offset));
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (bytes !== undefined && bytes.length > 0) this.client.write(bytes);
  }

  #replacementFor(body: Buffer): Buffer | undefined {
    const message = parseErrorFields(body).get('M') ?? '';
    const nonce = INJECTION_MARKER.exec(message)?.[1];
    if (nonce === undefined) return undefined;
    const injection = this.#injections.get(nonce);
    this.#injections.delete(nonce);
    return injection?.error;
  }

  #unitCompleted(): void {
    this.#unitsDone++;
    if (this.#injections.size > 0) {
      for (const [nonce, injection] of this.#injections) if (injection.unit < this.#unitsDone) this.#injections.delete(nonce);
    }
    if (this.#unitsDone >= this.#unitsSent && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }
}
