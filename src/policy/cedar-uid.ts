/** An entity uid as Cedar's JSON writes it, in either of its two shapes. */
export type CedarUidJson = { readonly __entity: CedarUid } | CedarUid;

/** A Cedar entity uid: its type name and id. */
export interface CedarUid {
  readonly type: string;
  readonly id: string;
}

/** The uid inside either JSON shape, or undefined when the value is not an entity uid. */
export function toCedarUid(value: unknown): CedarUid | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = '__entity' in value ? (value as { __entity: unknown }).__entity : value;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const { type, id } = inner as { type?: unknown; id?: unknown };
  return typeof type === 'string' && typeof id === 'string' ? { type, id } : undefined;
}
