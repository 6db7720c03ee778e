let enginesCreated = 0;

/**
 * Names for policy sets preparsed into Cedar's module-wide store. Cedar offers no way to drop a
 * preparsed set, only to replace one under the same name, so names are recycled: memory stays
 * bounded by the number of slots in use however many slices and reloads come and go.
 */
export class PreparsedSlots {
  readonly #prefix: string;
  readonly #free: string[] = [];
  #created = 0;

  constructor() {
    enginesCreated += 1;
    // Each engine has its own names, so two engines in one process never overwrite each other.
    this.#prefix = `airlock-policy-${enginesCreated}-`;
  }

  /** A name no live slice uses; the caller must preparse into it before evaluating. */
  acquire(): string {
    return this.#free.pop() ?? `${this.#prefix}${this.#created++}`;
  }

  /** Returns a name whose slice is gone. */
  release(name: string): void {
    this.#free.push(name);
  }
}
