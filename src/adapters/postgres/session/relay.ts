import type { Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import type { Decision } from '../../../core/index.js';
import type { AgentSession } from '../../../firewall/index.js';
import type { BlastRadius } from '../blast-radius.js';
import { destructionProbe } from '../destroys-nothing.js';
import { decodeStatementText, parameterStatusProblem } from '../reading-settings.js';
import type { HoldHintContext } from '../respond.js';
import {
  invalidTextError,
  readingSettingsChangedError,
  unsureReadingError,
  unavailableError,
  unmeasurableError,
  unpreparedError,
} from '../respond.js';
import { ResponseRouter } from '../response-router.js';
import type { ResponseSink, SlotKind, TransactionStatus } from '../response-router.js';
import { DropSink, HoldingSink, OwnSink, WatchSink } from '../response-sinks.js';
import { TRANSACTION_CHANGES_SQL } from '../row-counts.js';
import type { UpstreamSession } from '../upstream-connection.js';
import { BodyReader, MessageFramer, WireError, readyForQuery, typedMessage } from '../wire.js';
import type { WireMessage } from '../wire.js';
import type { ClassifiedText } from './classified-text.js';
import { TRANSACTION_OPERATIONS } from './classified-text.js';
import type { GatedStatement, StatementGate } from './gate.js';
import { CommitAtSync, Markers, SAVEPOINT, undoSql } from './markers.js';
import type { BoundPortal } from './statements.js';
import {
  PREPARE_PATTERN,
  RESERVED_NAME_PREFIX,
  StatementTable,
  sqlPrepareName,
} from './statements.js';
import { Admission } from './admission.js';
import { TableKnowledge, countedChanges } from './table-knowledge.js';

/** What a session needs from its proxy. */
export interface SessionOptions {
  readonly gate: StatementGate;
  /** Base of the URLs a held agent polls, e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
  /** Dumps what an allowed destructive statement will destroy; throws when it cannot. */
  readonly snapshot: ((request: SnapshotRequest) => Promise<void>) | undefined;
  /** How many rows one statement may change before it is held. */
  readonly blastRadius: BlastRadius;
  /** What a hold's HINT needs beside the statement's actions (production names, the inbox). */
  readonly hint?: Omit<HoldHintContext, 'actions'>;
}

/** What a snapshot is asked to save before a statement runs. */
export interface SnapshotRequest {
  readonly classified: ClassifiedText;
  readonly decision: Decision;
}

/**
 * One agent connection, after it authenticated: relays the protocol between the agent and its
 * own upstream session, judging every statement on the way. A statement that must not run is
 * replaced by one that fails upstream; the upstream's error is swapped for Airlock's on the way
 * back. So the upstream itself keeps the protocol faithful: the rest of an extended-protocol
 * batch is skipped until Sync, and a transaction block is aborted.
 *
 * A statement that overwrites or deletes rows runs under a savepoint of Airlock's (inside a
 * transaction of Airlock's when the client has none); its answer waits until Airlock has read
 * how many rows it changed in which tables. Within the limits it stands and its answer is
 * relayed; over them it is rolled back and held for a human, like a DROP.
 *
 * The relay dispatches messages and runs each statement's flow; its parts do the rest: the
 * statements table (`StatementTable`), the gate that judges (`StatementGate`, shared by the
 * upstream's sessions), the refusal or snapshot before a statement runs (`Admission`),
 * Airlock's own statements, savepoint and refusals (`Markers`), and what it knows of tables and
 * counts (`TableKnowledge`).
 */
export class SessionRelay {
  readonly #statements = new StatementTable();
  readonly #framer = new MessageFramer();
  readonly #outgoing: Buffer[] = [];
  readonly #router: ResponseRouter;
  readonly #markers: Markers;
  readonly #tables: TableKnowledge;
  readonly #gate: StatementGate;
  readonly #admission: Admission;
  #status: TransactionStatus = 'I';
  // Since the last Sync sent: a statement executed (an implicit transaction may be open), one of
  // them controlled the transaction, Airlock opened a transaction of its own to count in.
  #controlSinceSync = false;
  #ownTransaction = false;
  // A statement ran code Airlock cannot read: what comes next waits for the server's report
  // ('settle') or, inside a batch, is refused until Sync ('batch').
  #readingUnsure: 'none' | 'settle' | 'batch' = 'none';
  // The transaction status once everything sent is answered, when Airlock knows it already.
  #statusAfterSent: TransactionStatus | undefined;
  #pumping = false;
  #closed = false;

  readonly #unregister: () => void;
  readonly #agent: AgentSession;
  readonly #upstream: UpstreamSession;
  readonly #client: Socket;
  constructor(
    client: Socket,
    upstream: UpstreamSession,
    agent: AgentSession,
    options: SessionOptions,
    unregister: () => void,
  ) {
    this.#unregister = unregister;
    this.#agent = agent;
    this.#upstream = upstream;
    this.#client = client;
    this.#gate = options.gate;
    this.#markers = new Markers((bytes, kind, sink) => this.#send(bytes, kind, sink));
    this.#tables = new TableKnowledge(options.gate, this.#markers, options.blastRadius, () =>
      this.#flush(),
    );
    this.#admission = new Admission(options, options.gate, agent, () => {
      this.#flush();
      return this.#router.settled();
    });
    this.#router = new ResponseRouter({
      relay: (bytes) => {
        if (!this.#closed) this.#client.write(bytes);
      },
      parameterStatus: (body) => this.#onParameterStatus(body),
      protocolError: () => this.close(),
      ready: (status) => {
        this.#status = status;
        // A failed or ended block took Airlock's savepoint with it.
        if (status !== 'T') this.#markers.savepointGone();
      },
    });
  }

  /** Starts relaying; `pending` holds agent bytes that arrived before the session was ready. */
  start(pending: Buffer): void {
    const client = this.#client;
    const upstream = this.#upstream;
    upstream.socket.on('data', (chunk: Buffer) => this.#router.push(chunk));
    client.on('data', (chunk: Buffer) => this.#onClientData(chunk));
    for (const socket of [client, upstream.socket]) {
      socket.on('close', () => this.close());
      socket.on('error', () => this.close());
    }
    if (upstream.leftover.length > 0) this.#router.push(upstream.leftover);
    if (pending.length > 0) this.#onClientData(pending);
  }

  /** Ends both connections; `last` is sent to the client first (a FATAL error). */
  close(last?: Buffer): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister();
    if (last === undefined) this.#client.destroy();
    else this.#client.end(last);
    this.#upstream.socket.destroy();
    this.#router.abandon();
  }

  #onClientData(chunk: Buffer): void {
    this.#framer.push(chunk);
    if (!this.#pumping) this.#pump();
  }

  /**
   * Handles the agent's messages in order. Synchronous until a message must wait (to be judged,
   * counted, or for a snapshot); then the rest wait for it, and the pump resumes when it is done.
   */
  #pump(): void {
    try {
      for (
        let message = this.#framer.next();
        message !== undefined && !this.#closed;
        message = this.#framer.next()
      ) {
        const pending = this.#handle(message);
        if (pending !== undefined) {
          this.#pumping = true;
          this.#flush();
          pending.then(
            () => {
              this.#pumping = false;
              this.#flush();
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

  /** Handles one agent message; returns a promise only when it must wait. */
  #handle(message: WireMessage): Promise<void> | undefined {
    if (this.#readingUnsure !== 'none' && READS_TEXT.has(message.type))
      return this.#afterUnreadCode(message);
    return this.#handleNow(message);
  }

  /**
   * A message that the server will read as text, after a statement ran code Airlock could not
   * read (an approved DO block or function): it may have changed how the server reads text, which
   * the server says (ParameterStatus) only at ReadyForQuery. In the simple protocol the message
   * waits for that; inside an extended-protocol batch it is refused until Sync.
   */
  #afterUnreadCode(message: WireMessage): Promise<void> | undefined {
    if (this.#readingUnsure === 'batch') {
      const error = unsureReadingError();
      if (message.type === 0x51) this.#markers.refuseQuery(error);
      else if (message.type === 0x50)
        this.#refuseParse(new BodyReader(message.body).cstring(), error);
      else this.#markers.refuseExecute(error);
      return undefined;
    }
    this.#flush();
    return this.#router.settled().then(() => {
      this.#readingUnsure = 'none';
      if (this.#closed) return;
      const pending = this.#handleNow(message);
      this.#flush();
      return pending;
    });
  }

  #handleNow(message: WireMessage): Promise<void> | undefined {
    // An extended-protocol message may name savepoints Airlock cannot see: release its own first.
    if (this.#markers.releasePending && message.type !== 0x51) this.#markers.releaseSavepoint();
    switch (message.type) {
      case 0x51 /* Q */: {
        const sql = statementText(message.body, 0);
        if (sql !== undefined) return this.#query(message, sql);
        this.#markers.refuseQuery(invalidTextError());
        return undefined;
      }
      case 0x50 /* P */: {
        const name = new BodyReader(message.body).cstring();
        const sql = statementText(message.body, Buffer.byteLength(name) + 1);
        if (sql === undefined) return this.#refuseParse(name, invalidTextError());
        return this.#parse(message, name, sql);
      }
      case 0x42 /* B */:
        return this.#bind(message);
      case 0x45 /* E */:
        return this.#execute(message);
      case 0x43 /* C */:
        this.#closeStatementOrPortal(message);
        return undefined;
      case 0x44 /* D */:
        this.#send(message.raw, 'describe');
        return undefined;
      case 0x53 /* S */:
        return this.#sync(message);
      case 0x46 /* F */:
        return this.#functionCall(message);
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
    if (PREPARE_PATTERN.test(sql)) this.#taint(sql);
    // The hot path: a statement whose shape this token ran a moment ago passes without waiting.
    const reused = this.#gate.reused(this.#agent, sql);
    if (reused !== undefined && this.#tables.needsNoCount(reused.classified)) {
      this.#send(message.raw, 'query');
      return undefined;
    }
    return this.#judgeQuery(message, sql, reused);
  }

  async #judgeQuery(
    message: WireMessage,
    sql: string,
    reused: GatedStatement | undefined,
  ): Promise<void> {
    if (reused === undefined) {
      const probed = await this.#probedQuery(message, sql);
      if (probed) return;
    }
    const judgment =
      reused ?? (await this.#gate.judge(this.#agent, sql, this.#statements.sqlPrepared(sql)));
    const refusal = await this.#admission.refusalOrSnapshot(judgment);
    if (refusal !== undefined || judgment === undefined)
      return this.#markers.refuseQuery(refusal ?? unavailableError());
    const { counting } = judgment.classified;
    if (
      this.#markers.releasePending &&
      judgment.classified.actions.some(
        (action) => action.effect === 'unknown' || SAVEPOINT_OPERATIONS.has(action.operation),
      )
    )
      this.#markers.releaseSavepoint();
    if (counting.by === 'none') return this.#sendQuery(message, judgment.classified);
    if (counting.by === 'unmeasurable')
      return this.#markers.refuseQuery(unmeasurableError(counting.why));
    if (this.#tables.boundedToOneRow(counting))
      return this.#sendQuery(message, judgment.classified);
    return this.#countedQuery(message, judgment);
  }

  /**
   * A destructive Query that may destroy nothing (see `destructionProbe`): asked of the server
   * inside a transaction (or savepoint) of Airlock's, run there as a write when it destroys
   * nothing. False when it must be judged as usual (then nothing of the probe is left behind).
   */
  async #probedQuery(message: WireMessage, sql: string): Promise<boolean> {
    let classified: ClassifiedText;
    try {
      classified = await this.#gate.classified(sql);
    } catch {
      return false;
    }
    const probe = classified.destroys ? destructionProbe(classified.actions, sql) : undefined;
    if (probe === undefined) return false;
    await this.#router.settled();
    if (this.#closed || this.#status === 'E') return false;
    const own = this.#status === 'I';
    const undo = undoSql(own);
    this.#markers.ownQuery(own ? 'BEGIN' : this.#markers.savepointSql());
    if (probe.lock !== undefined) this.#markers.ownQuery(probe.lock);
    const check = this.#markers.ownQuery(probe.check, true);
    this.#flush();
    const answer = await check.answer;
    const judgment =
      answer.error === undefined && answer.rows[0]?.[0] === 't'
        ? await this.#gate.judgeDestroyingNothing(this.#agent, classified, probe.found)
        : undefined;
    if (judgment === undefined) {
      this.#markers.ownQuery(undo);
      this.#flush();
      return false;
    }
    if (judgment.decision.verdict !== 'allow') {
      this.#markers.ownQuery(undo);
      this.#markers.refuseQuery(this.#admission.refusal(judgment));
      return true;
    }
    if (!own) {
      this.#send(message.raw, 'query');
      this.#markers.ownQuery(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return true;
    }
    const statement = new HoldingSink();
    this.#send(message.raw, 'query', statement);
    await this.#commitThenRelay(statement);
    return true;
  }

  /**
   * Commits the transaction Airlock opened for a client's autocommit statement, then relays the
   * statement's held answer with the status the commit left; a commit that fails (a deferred
   * constraint) reports its error, as autocommit would.
   */
  async #commitThenRelay(statement: HoldingSink): Promise<void> {
    const commit = this.#markers.ownQuery('COMMIT');
    this.#flush();
    await statement.answer;
    const committed = await commit.answer;
    this.#relayHeld(statement, committed.status ?? 'I', committed.error);
  }

  /**
   * A Query, forwarded. A lone SQL-level `PREPARE name AS …` is remembered once the server
   * accepted it, so that a later `EXECUTE name` is judged as what it runs.
   */
  #sendQuery(message: WireMessage, classified: ClassifiedText): void {
    if (runsUnreadCode(classified)) this.#readingUnsure = 'settle';
    const name = sqlPrepareName(classified);
    if (name === undefined) return this.#send(message.raw, 'query');
    const watch = new WatchSink();
    this.#send(message.raw, 'query', watch);
    void watch.answer.then((answer) => {
      if (answer.how === 'done' && answer.error === undefined)
        this.#statements.rememberSqlPrepare(name, classified.sql);
    });
  }

  /**
   * Runs a Query whose statements overwrite or delete rows under Airlock's savepoint (or in a
   * transaction of Airlock's when the client is in none, committed once counted), and keeps its
   * answer until the rows it changed are counted.
   */
  async #countedQuery(message: WireMessage, judgment: GatedStatement): Promise<void> {
    // The transaction status must be known: predicted when only Airlock's own RELEASE is still
    // unanswered, else waited for.
    let status = this.#statusAfterSent;
    if (status === undefined) {
      await this.#router.settled();
      if (this.#closed) return;
      status = this.#status;
    }
    // A failed transaction block runs nothing: the server answers with its error.
    if (status === 'E') return this.#send(message.raw, 'query');
    const own = status === 'I';
    const statistics = this.#tables.countsByStatistics(judgment.classified, false);
    const opening = own ? 'BEGIN' : this.#markers.savepointSql();
    let statement: HoldingSink;
    let before: OwnSink | undefined;
    if (statistics) {
      this.#markers.ownQuery(opening);
      before = this.#markers.ownQuery(TRANSACTION_CHANGES_SQL, true);
      statement = new HoldingSink();
      this.#send(message.raw, 'query', statement);
    } else {
      // The hot path: Airlock's statements go in front of the client's text, in one Query, so
      // the server answers both in one round. The client's text starts where the lexer starts
      // afresh (after `; `), so the server reads it exactly as Airlock judged it alone.
      const prefix = `${opening}; `;
      statement = new HoldingSink(prefix.split(';').length - 1, prefix.length);
      this.#send(
        typedMessage('Q', Buffer.concat([Buffer.from(prefix, 'utf8'), message.body])),
        'query',
        statement,
      );
    }
    const after = statistics ? this.#markers.ownQuery(TRANSACTION_CHANGES_SQL, true) : undefined;
    this.#flush();
    const answer = await statement.answer;
    const changes = countedChanges(
      judgment.classified,
      answer,
      statement.heldBytes,
      await before?.answer,
      await after?.answer,
    );
    if (answer.error !== undefined || answer.status !== 'T') {
      // It failed: the client sees its error as PostgreSQL gave it, and an autocommit statement
      // that failed leaves no transaction behind.
      if (own) this.#markers.ownQuery('ROLLBACK');
      return this.#relayHeld(statement, own ? 'I' : undefined);
    }
    const overs = changes === undefined ? undefined : await this.#tables.overLimits(changes, false);
    if (overs !== undefined && overs.length === 0) {
      if (!own) {
        this.#relayHeld(statement);
        // Released with the next savepoint, or before anything that could name it.
        this.#markers.keepSavepoint();
        this.#statusAfterSent = 'T';
        return;
      }
      return this.#commitThenRelay(statement);
    }
    this.#markers.ownQuery(undoSql(own));
    if (overs === undefined)
      return this.#markers.refuseQuery(
        unmeasurableError('the server did not say how many rows it changed'),
      );
    const escalated = await this.#gate.judgeOverLimit(this.#agent, judgment.classified, overs);
    const refusal = await this.#admission.refusalOrSnapshot(escalated);
    if (refusal !== undefined) return this.#markers.refuseQuery(refusal);
    // Approved by a human for what it changes, and snapshotted: it runs again, as sent.
    this.#send(message.raw, 'query');
  }

  #parse(message: WireMessage, name: string, sql: string): Promise<void> | undefined {
    if (name.startsWith(RESERVED_NAME_PREFIX))
      return this.#refuseParse(
        name,
        unpreparedError(
          `statement \`${name}\`: names starting with ${RESERVED_NAME_PREFIX} are airlock's`,
        ),
      );
    if (PREPARE_PATTERN.test(sql)) this.#taint(sql);
    const reused = this.#gate.reused(this.#agent, sql);
    if (reused !== undefined) {
      this.#prepared(message, name, reused);
      return undefined;
    }
    return this.#judgeParse(message, name, sql);
  }

  async #judgeParse(message: WireMessage, name: string, sql: string): Promise<void> {
    const judgment = await this.#gate.judge(this.#agent, sql);
    if (judgment === undefined || judgment.decision.verdict !== 'allow') {
      return this.#refuseParse(
        name,
        judgment === undefined ? unavailableError() : this.#admission.refusal(judgment),
      );
    }
    this.#prepared(message, name, judgment);
  }

  #refuseParse(name: string, refusal: Buffer): undefined {
    this.#statements.refuse(name);
    this.#markers.refuseParse(refusal);
    return undefined;
  }

  /** Records an allowed statement under its name and passes its Parse on. */
  #prepared(message: WireMessage, name: string, judgment: GatedStatement): void {
    this.#statements.allow(name, judgment, this.#gate.now());
    this.#send(message.raw, 'parse');
  }

  #bind(message: WireMessage): undefined {
    const reader = new BodyReader(message.body);
    const portal = reader.cstring();
    const name = reader.cstring();
    // INVARIANT: only a statement Airlock judged and allowed can be bound.
    if (this.#statements.bind(portal, name, message.raw) === undefined) {
      this.#markers.refuseBind(
        unpreparedError(name === '' ? 'the unnamed statement' : `statement \`${name}\``),
      );
      return undefined;
    }
    this.#send(message.raw, 'bind');
    return undefined;
  }

  /** The statement that executes is the statement that was judged: its record travels with the portal. */
  #execute(message: WireMessage): Promise<void> | undefined {
    const reader = new BodyReader(message.body);
    const name = reader.cstring();
    const portal = this.#statements.portal(name);
    if (portal === undefined) {
      this.#markers.refuseExecute(
        unpreparedError(name === '' ? 'the unnamed portal' : `portal \`${name}\``),
      );
      return undefined;
    }
    const { statement } = portal;
    const { classified } = statement;
    const firstRun = statement.executions === 0;
    const firstApprovedRun = statement.approvedOnce && firstRun;
    statement.executions++;
    // Synchronous when it can be: a message that waits splits the client's batch in two writes.
    // The first run of a Parse judged or counted a moment ago is on the record with that Parse;
    // every later run is counted.
    const recorded = firstRun && this.#gate.recentlyJudged(statement);
    if (
      !classified.destroys &&
      this.#tables.needsNoCount(classified) &&
      (recorded || this.#gate.runsOnEarlierDecision(this.#agent, statement))
    ) {
      this.#sendExecute(message, classified);
      return undefined;
    }
    return this.#judgeExecute(message, portal, firstApprovedRun, reader.int32());
  }

  async #judgeExecute(
    message: WireMessage,
    portal: BoundPortal,
    firstApprovedRun: boolean,
    maxRows: number,
  ): Promise<void> {
    const { statement } = portal;
    const { classified } = statement;
    let judgment: GatedStatement | undefined;
    if (firstApprovedRun) judgment = { classified, decision: statement.decision };
    else if (!classified.destroys && this.#gate.runsOnEarlierDecision(this.#agent, statement))
      judgment = { classified, decision: statement.decision, principal: statement.principal };
    else judgment = await this.#gate.judge(this.#agent, classified.sql);
    // An approval covers one execution; any other run of a destructive statement is judged again.
    const refusal = await this.#admission.refusalOrSnapshot(judgment);
    if (refusal !== undefined || judgment === undefined)
      return this.#markers.refuseExecute(refusal ?? unavailableError());
    this.#gate.markJudged(statement);
    const { counting } = judgment.classified;
    if (counting.by === 'none') return this.#sendExecute(message, classified);
    if (counting.by === 'unmeasurable')
      return this.#markers.refuseExecute(unmeasurableError(counting.why));
    // A row limit makes the server stop midway; the count comes only with the last part.
    if (this.#tables.boundedToOneRow(counting)) return this.#sendExecute(message, classified);
    if (maxRows > 0)
      return this.#markers.refuseExecute(
        unmeasurableError('it is fetched in parts (an Execute with a row limit)'),
      );
    return this.#countedExecute(message, portal, judgment);
  }

  /** An Execute, forwarded, remembering what it tells about the transaction. */
  #sendExecute(message: WireMessage, classified: ClassifiedText): void {
    if (runsUnreadCode(classified)) this.#readingUnsure = 'batch';
    if (classified.actions.some((action) => TRANSACTION_OPERATIONS.has(action.operation)))
      this.#controlSinceSync = true;
    this.#send(message.raw, 'execute');
  }

  /** The extended-protocol twin of `#countedQuery`: one Execute under Airlock's savepoint, counted. */
  async #countedExecute(
    message: WireMessage,
    portal: BoundPortal,
    judgment: GatedStatement,
  ): Promise<void> {
    await this.#router.settled();
    if (this.#closed) return;
    if (this.#status === 'E') return this.#sendExecute(message, judgment.classified);
    // After BEGIN or COMMIT earlier in this batch, whether a transaction is open is not known here.
    if (this.#controlSinceSync)
      return this.#markers.refuseExecute(
        unmeasurableError(
          'it follows a transaction command in the same batch; send Sync between them',
        ),
      );
    if (this.#status === 'I' && !this.#ownTransaction) {
      // BEGIN also turns an implicit transaction (statements since the last Sync) into a block;
      // Airlock commits it at the client's Sync.
      this.#markers.ownExecute('BEGIN');
      this.#ownTransaction = true;
    }
    const statistics = this.#tables.countsByStatistics(judgment.classified, true);
    this.#markers.ownExecute(`SAVEPOINT ${SAVEPOINT}`);
    const before = statistics ? this.#markers.ownExecute(TRANSACTION_CHANGES_SQL, true) : undefined;
    const statement = new HoldingSink();
    this.#send(message.raw, 'execute', statement);
    const after = statistics ? this.#markers.ownExecute(TRANSACTION_CHANGES_SQL, true) : undefined;
    // Without Sync the server keeps its answers until asked: Flush asks.
    this.#markers.askFlush();
    this.#flush();
    const answer = await statement.answer;
    const changes = countedChanges(
      judgment.classified,
      answer,
      statement.heldBytes,
      await before?.answer,
      await after?.answer,
    );
    // It failed (the server now skips to Sync) or was skipped: its answer is the client's as is.
    if (answer.how !== 'done') return this.#relayHeld(statement);
    const overs = changes === undefined ? undefined : await this.#tables.overLimits(changes, true);
    if (overs !== undefined && overs.length === 0) {
      this.#relayHeld(statement);
      this.#markers.ownExecute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return;
    }
    this.#markers.ownExecute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    this.#markers.ownExecute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    if (overs === undefined)
      return this.#markers.refuseExecute(
        unmeasurableError('the server did not say how many rows it changed'),
      );
    const escalated = await this.#gate.judgeOverLimit(this.#agent, judgment.classified, overs);
    const refusal = await this.#admission.refusalOrSnapshot(escalated);
    if (refusal !== undefined) return this.#markers.refuseExecute(refusal);
    // Approved for what it changes: the portal ran (and was rolled back), so it is bound again.
    this.#send(
      serialize.close({ type: 'P', name: new BodyReader(message.body).cstring() }),
      'close',
      new DropSink(),
    );
    this.#send(portal.bind, 'bind', new DropSink());
    this.#send(message.raw, 'execute');
  }

  /**
   * A Sync; a transaction Airlock opened to count in is committed first, as the implicit one
   * would have been, and nothing else is sent until the server said how that went.
   */
  #sync(message: WireMessage): Promise<void> | undefined {
    if (this.#readingUnsure === 'batch') this.#readingUnsure = 'settle';
    const own = this.#ownTransaction;
    this.#controlSinceSync = false;
    this.#ownTransaction = false;
    if (!own) {
      this.#send(message.raw, 'sync');
      return undefined;
    }
    const sync = new CommitAtSync(this.#markers.ownExecute('COMMIT'));
    this.#send(message.raw, 'sync', sync);
    return sync.ended.then((failed) => {
      // The COMMIT was skipped after an error: the block Airlock opened is rolled back.
      if (failed) this.#markers.ownQuery('ROLLBACK');
    });
  }

  #closeStatementOrPortal(message: WireMessage): void {
    const reader = new BodyReader(message.body);
    const kind = reader.byte();
    this.#statements.close(kind, reader.cstring());
    this.#send(message.raw, 'close');
  }

  async #functionCall(message: WireMessage): Promise<void> {
    const decision: Decision | undefined = await this.#gate.judgeOpaque(
      this.#agent,
      'FunctionCall',
      message.body,
    );
    if (decision?.verdict !== 'allow')
      return this.#markers.refuseQuery(this.#admission.refusalOfOpaque(decision));
    this.#readingUnsure = 'settle';
    this.#send(message.raw, 'function');
  }

  /** Relays a held answer; `status` replaces its ReadyForQuery, `error` goes just before it. */
  #relayHeld(held: HoldingSink, status?: TransactionStatus, error?: Buffer): void {
    const messages = [...held.held];
    const last = messages[messages.length - 1];
    if (status !== undefined && last?.[0] === 0x5a)
      messages[messages.length - 1] = readyForQuery(status);
    if (error !== undefined) messages.splice(Math.max(0, messages.length - 1), 0, error);
    if (messages.length > 0)
      this.#client.write(messages.length === 1 ? (messages[0] as Buffer) : Buffer.concat(messages));
    this.#flush();
  }

  /** After a text that may prepare or remove statements behind Airlock's back (`PREPARE_PATTERN`). */
  #taint(sql: string): void {
    this.#statements.taint(sql);
    this.#markers.forgetOwnStatements();
  }

  #onParameterStatus(body: Buffer): void {
    const problem = parameterStatusProblem(body);
    // SECURITY: from here the server would read text differently from Airlock; nothing more runs.
    if (problem !== undefined) this.close(readingSettingsChangedError(problem));
  }

  #send(bytes: Buffer, kind?: SlotKind, sink?: ResponseSink): void {
    // Anything of the client's may change the transaction status.
    if (kind !== undefined && !(sink instanceof OwnSink)) this.#statusAfterSent = undefined;
    // Messages forwarded as they came lie side by side in the client's chunk: one view of them
    // all is written, not a copy.
    const last = this.#outgoing[this.#outgoing.length - 1];
    if (
      last !== undefined &&
      last.buffer === bytes.buffer &&
      last.byteOffset + last.length === bytes.byteOffset
    ) {
      this.#outgoing[this.#outgoing.length - 1] = Buffer.from(
        last.buffer,
        last.byteOffset,
        last.length + bytes.length,
      );
    } else this.#outgoing.push(bytes);
    if (kind !== undefined) this.#router.expect(kind, sink);
  }

  #flush(): void {
    if (this.#outgoing.length === 0 || this.#closed) return;
    const bytes = this.#outgoing.length === 1 ? this.#outgoing[0] : Buffer.concat(this.#outgoing);
    this.#outgoing.length = 0;
    if (bytes !== undefined) this.#upstream.socket.write(bytes);
  }
}

/** The statement text starting at `offset` of a Query or Parse body, read as the server reads it. */
function statementText(body: Buffer, offset: number): string | undefined {
  const end = body.indexOf(0, offset);
  if (end < 0) throw new WireError('string is not terminated');
  return decodeStatementText(body.subarray(offset, end));
}

// Messages whose text or execution the server reads under the session's settings.
const READS_TEXT: ReadonlySet<number> = new Set([
  0x51 /* Q */, 0x50 /* P */, 0x45 /* E */, 0x46 /* F */,
]);

/** Whether a statement runs code Airlock did not read (a DO block, a user function, an unknown). */
function runsUnreadCode(classified: ClassifiedText): boolean {
  return classified.actions.some((action) => action.effect === 'unknown');
}

// Statements that name savepoints: Airlock's own open one is released before them, so that the
// client's RELEASE or ROLLBACK TO of an earlier savepoint cannot take it along unseen.
const SAVEPOINT_OPERATIONS: ReadonlySet<string> = new Set([
  'SAVEPOINT',
  'RELEASE',
  'ROLLBACK TO',
  'PREPARE',
  'COMMIT PREPARED',
  'ROLLBACK PREPARED',
  'EXECUTE',
  'DO',
  'CALL',
]);
