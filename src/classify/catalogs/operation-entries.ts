import type { OperationEntry, TargetLocator } from '../graphql/graphql-catalog.js';

// Builders that keep a catalog to one readable line per operation. They only fill in the
// `effect`/`reversible` pair; every operation is still named and classified by hand.

/** A target id at `arg` (a dot path into the field's arguments) naming a thing of `type`. */
export function id(arg: string, type: string): TargetLocator {
  return { arg, type };
}

/** A list of target ids at `arg`; each one is a target. */
export function ids(arg: string, type: string): TargetLocator {
  return { arg, type, many: true };
}

/** An operation that changes nothing. */
export function read(targets: readonly TargetLocator[], note?: string): OperationEntry {
  return withNote({ effect: 'read', reversible: true, targets }, note);
}

/** An operation that changes state in a way that can be undone without lost data. */
export function write(targets: readonly TargetLocator[], note?: string): OperationEntry {
  return withNote({ effect: 'write', reversible: true, targets }, note);
}

/** An operation that can lose data or access for good: it must wait for a human. */
export function destructive(targets: readonly TargetLocator[], note?: string): OperationEntry {
  return withNote({ effect: 'destructive', reversible: false, targets }, note);
}

// exactOptionalPropertyTypes: leave `note` out rather than set it to undefined.
function withNote(entry: OperationEntry, note: string | undefined): OperationEntry {
  return note === undefined ? entry : { ...entry, note };
}
