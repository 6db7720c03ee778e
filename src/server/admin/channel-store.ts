import type { AuditDraft, Store } from '../../core/index.js';

/**
 * The store, with every audit record appended through it saying which channel caused it
 * (`data.channel`: `admin-api`, `cli-local`). A record that names its channel already (a
 * factor failure names the factor) keeps its own.
 */
export function withAuditChannel(store: Store, channel: string): Store {
  const appendAudit = (draft: AuditDraft) =>
    store.appendAudit({ ...draft, data: { channel, ...draft.data } });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendAudit') return appendAudit;
      // Bound to the real store: its methods use private fields a proxy receiver would not have.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
