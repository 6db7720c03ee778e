import { Buffer } from 'node:buffer';

/** A 1-based line and column (counted in characters) inside a source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Finds lines and columns in one source text; built once per file, asked many times. */
export class SourceLines {
  readonly #text: string;
  readonly #lineStarts: number[] = [0];
  #bytes: Buffer | undefined;

  constructor(text: string) {
    this.#text = text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.#lineStarts.push(i + 1);
    }
  }

  /** The position of a character index (a JavaScript string index). */
  positionOfChar(index: number): SourcePosition {
    const clamped = Math.max(0, Math.min(index, this.#text.length));
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    const lineStart = this.#lineStarts[low] ?? 0;
    // Count code points, not UTF-16 units, so a column matches what an editor shows.
    const column = Array.from(this.#text.slice(lineStart, clamped)).length + 1;
    return { line: low + 1, column };
  }

  /**
   * The position of a UTF-8 byte offset. Cedar reports source spans in bytes, so a policy with
   * any non-ASCII character before an error would otherwise be misplaced.
   */
  positionOfByte(byteOffset: number): SourcePosition {
    this.#bytes ??= Buffer.from(this.#text, 'utf8');
    const clamped = Math.max(0, Math.min(byteOffset, this.#bytes.length));
    return this.positionOfChar(this.#bytes.subarray(0, clamped).toString('utf8').length);
  }
}
