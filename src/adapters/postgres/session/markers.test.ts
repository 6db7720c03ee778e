import { describe, expect, it } from 'vitest';
import type { ResponseSink, SlotKind } from '../response-router.js';
import { OwnSink, ReplaceErrorSink } from '../response-sinks.js';
import { BodyReader, errorResponse } from '../wire.js';
import { Markers, SAVEPOINT, undoSql } from './markers.js';

interface Sent {
  readonly type: string;
  /** The first C string of the body: a Query's text, a Parse's or Close's name, a Bind's portal. */
  readonly text: string;
  readonly kind: SlotKind | undefined;
  readonly sink: ResponseSink | undefined;
}

/** Markers whose sent messages are kept, in order, instead of going upstream. */
function recording(): { markers: Markers; sent: Sent[] } {
  const sent: Sent[] = [];
  const markers = new Markers((bytes, kind, sink) => {
    const type = String.fromCharCode(bytes[0] ?? 0);
    const body = bytes.subarray(5);
    const text =
      type === 'C' ? new BodyReader(body.subarray(1)).cstring() : new BodyReader(body).cstring();
    sent.push({ type, text, kind, sink });
  });
  return { markers, sent };
}

const ERROR = errorResponse({ sqlstate: 'ZA001', message: 'held' });

describe('Markers', () => {
  it("sends Airlock's own Query with a sink that keeps its answer from the client", () => {
    const { markers, sent } = recording();
    const sink = markers.ownQuery('SELECT 1', true);
    expect(sent).toEqual([{ type: 'Q', text: 'SELECT 1', kind: 'query', sink }]);
    expect(sink).toBeInstanceOf(OwnSink);
  });

  it('parses an own statement once per text, then binds, executes and closes its own portal each time', () => {
    const { markers, sent } = recording();
    markers.ownExecute('SAVEPOINT x');
    markers.ownExecute('SAVEPOINT x');
    expect(sent.map((message) => [message.type, message.kind])).toEqual([
      ['P', 'parse'],
      ['B', 'bind'],
      ['E', 'execute'],
      ['C', 'close'],
      ['B', 'bind'],
      ['E', 'execute'],
      ['C', 'close'],
    ]);
    expect(sent[0]?.text.startsWith('airlock_')).toBe(true);
    markers.forgetOwnStatements();
    markers.ownExecute('SAVEPOINT x');
    expect(sent[7]?.type).toBe('P');
  });

  it('releases the savepoint of a counted statement that stood in the same message that opens the next', () => {
    const { markers, sent } = recording();
    expect(markers.savepointSql()).toBe(`SAVEPOINT ${SAVEPOINT}`);
    markers.keepSavepoint();
    expect(markers.releasePending).toBe(true);
    expect(markers.savepointSql()).toBe(`RELEASE SAVEPOINT ${SAVEPOINT}; SAVEPOINT ${SAVEPOINT}`);
    expect(markers.releasePending).toBe(false);
    markers.keepSavepoint();
    markers.releaseSavepoint();
    expect(sent.map((message) => message.text)).toEqual([`RELEASE SAVEPOINT ${SAVEPOINT}`]);
    markers.keepSavepoint();
    markers.savepointGone();
    expect(markers.releasePending).toBe(false);
  });

  it('plants a message that fails upstream for each refusal, its error swapped for the refusal', () => {
    const { markers, sent } = recording();
    markers.refuseQuery(ERROR);
    markers.refuseParse(ERROR);
    markers.refuseBind(ERROR);
    markers.refuseExecute(ERROR);
    expect(sent.map((message) => [message.type, message.kind])).toEqual([
      ['Q', 'query'],
      ['P', 'parse'],
      ['B', 'bind'],
      ['E', 'execute'],
    ]);
    for (const message of sent) expect(message.sink).toBeInstanceOf(ReplaceErrorSink);
  });
});

describe('undoSql', () => {
  it("rolls back Airlock's own transaction, or only its savepoint inside the client's", () => {
    expect(undoSql(true)).toBe('ROLLBACK');
    expect(undoSql(false)).toBe(
      `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`,
    );
  });
});
