import type { Effect, JsonValue } from '../../core/index.js';
import { worseEffect } from '../../core/index.js';

/** Something a statement touches, before an environment is resolved. */
export interface SqlTarget {
  readonly type: string;
  readonly id: string;
  readonly attrs: Readonly<Record<string, JsonValue>>;
}

/**
 * What the judgment of one statement found so far: the worst effect of anything in it, the
 * objects it touches, and whether what it writes can be undone. Nested statements (CTEs,
 * subqueries, rule actions) add to the same findings.
 */
export class Findings {
  #worst: Effect = 'read';
  #undoable = true;
  readonly #touched = new Map<string, SqlTarget>();

  /** The worst effect found. */
  get effect(): Effect {
    return this.#worst;
  }

  /** Whether everything found can be undone (false once rows are deleted or overwritten). */
  get reversible(): boolean {
    return this.#undoable && (this.#worst === 'read' || this.#worst === 'write');
  }

  /** The objects touched, each once. */
  get targets(): SqlTarget[] {
    return [...this.#touched.values()];
  }

  /** Records an effect; the findings keep the worst one (in the order of core's `EFFECTS`). */
  raise(effect: Effect): void {
    this.#worst = worseEffect(this.#worst, effect);
  }

  /** Records that some rows are deleted or overwritten, even if the statement is a scoped write. */
  loseRows(): void {
    this.#undoable = false;
  }

  /** Records a touched object; the first sighting's attrs win. */
  touch(type: string, id: string | undefined, attrs: Record<string, JsonValue> = {}): void {
    if (id === undefined) return;
    const key = `${type}:${id}`;
    if (!this.#touched.has(key)) this.#touched.set(key, { type, id, attrs });
  }

  /** Adds everything another set of findings holds. */
  absorb(other: Findings): void {
    this.raise(other.effect);
    if (!other.#undoable) this.#undoable = false;
    for (const target of other.targets) this.touch(target.type, target.id, { ...target.attrs });
  }
}
