import type { Action } from './action.js';

/**
 * What a classifier makes of one request: the actions it would take, the digest an approval of
 * it binds to, and the key under which an allow of it may be reused (see `Firewall.judge`).
 */
export interface ClassifiedRequest {
  /**
   * `digestRequest` of the request's canonical form, as the classifier defines it for its
   * language; an approval binds to exactly this value.
   * INVARIANT: every action of the request carries this same digest.
   */
  readonly digest: string;
  readonly actions: readonly Action[];
  /**
   * Set only when nothing the key leaves out can change the judgment (a read's whole request, a
   * SQL shape whose constants are data): two requests with one key have the same actions up to
   * where their targets are placed. Absent: every request is judged in full.
   */
  readonly reuseKey?: string;
}
