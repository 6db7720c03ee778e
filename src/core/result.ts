/** The answer of a trust boundary (config, policies, wire input): a value or the reasons it was refused. */
export type Result<T, E = string[]> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps an error as a failed result. */
export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
