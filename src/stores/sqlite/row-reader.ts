import { FirewallError } from '../../core/index.js';

/** Raised by `RowReader` when a column holds the wrong type; callers add which row it was. */
export class MalformedColumnError extends Error {
  override readonly name = 'MalformedColumnError';
}

/** The `store.unavailable` error for a row that `RowReader` refused, naming the row. */
export function malformedRowError(which: string, error: MalformedColumnError): FirewallError {
  const message = `${which} in the store is malformed: ${error.message}`;
  return new FirewallError('store.unavailable', message, { cause: error });
}

/**
 * Typed access to the columns of one row read back from SQLite. Rows can be edited by hand
 * outside Airlock, so nothing read is trusted to have the type the schema suggests.
 */
export class RowReader {
  readonly #row: Readonly<Record<string, unknown>>;

  constructor(row: unknown) {
    if (typeof row !== 'object' || row === null) {
      throw new FirewallError('store.unavailable', 'the store returned a value that is not a row');
    }
    this.#row = row as Record<string, unknown>;
  }

  /** The column's raw value, for messages that name a row by a column that may be malformed. */
  raw(column: string): unknown {
    return this.#row[column];
  }

  text(column: string): string {
    const value = this.#row[column];
    if (typeof value !== 'string') throw new MalformedColumnError(`${column} is not text`);
    return value;
  }

  optionalText(column: string): string | undefined {
    return this.#row[column] === null ? undefined : this.text(column);
  }

  number(column: string): number {
    const value = this.#row[column];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new MalformedColumnError(`${column} is not a number`);
    }
    return value;
  }

  optionalNumber(column: string): number | undefined {
    return this.#row[column] === null ? undefined : this.number(column);
  }

  integer(column: string): number {
    const value = this.number(column);
    if (!Number.isSafeInteger(value)) throw new MalformedColumnError(`${column} is not an integer`);
    return value;
  }

  /** A column holding JSON text, parsed; the caller checks the shape of the result. */
  json(column: string): unknown {
    const text = this.text(column);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MalformedColumnError(`${column} is not valid JSON`);
    }
  }

  textList(column: string): string[] {
    const value = this.json(column);
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new MalformedColumnError(`${column} is not a list of text`);
    }
    return value;
  }
}
