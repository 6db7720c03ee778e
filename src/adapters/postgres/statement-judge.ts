import type { Action, Decision } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Firewall } from '../../firewall/index.js';
import { toShownRequest } from '../shared/index.js';

/** Classifies SQL text into actions; `classifySqlText` from the SQL classifier in production. */
export type SqlClassifier = (sql: string, upstream: string) => Promise<Action[]>;

/** A statement text as judged: its actions and the digest an approval binds to. */
export interface ClassifiedText {
  readonly sql: string;
  readonly digest: string;
  readonly actions: readonly Action[];
  /** Something in it may destroy data (or cannot be known not to): snapshot before it runs. */
  readonly destroys: boolean;
}

/** The outcome of judging one statement text for one session. */
export interface StatementJudgment {
  readonly classified: ClassifiedText;
  readonly decision: Decision;
}

const CLASSIFICATION_CACHE_SIZE = 4096;

/**
 * Classifies statement texts (cached by exact text: the classifier is pure, so the same text
 * always gives the same actions) and judges them through the firewall. One per upstream.
 */
export class StatementJudge {
  readonly #cache = new Map<string, Promise<ClassifiedText>>();

  constructor(
    private readonly upstream: string,
    private readonly firewall: Firewall,
    private readonly classify: SqlClassifier,
  ) {}

  /** The cached classification of a text. */
  classified(sql: string): Promise<ClassifiedText> {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    const fresh = this.#classifyNow(sql);
    if (this.#cache.size >= CLASSIFICATION_CACHE_SIZE) this.#cache.clear();
    this.#cache.set(sql, fresh);
    // A failed classification is not cached: the next attempt tries again.
    fresh.catch(() => this.#cache.delete(sql));
    return fresh;
  }

  /** Classifies and judges `sql` for the session holding `token`; never throws. */
  async judge(token: string, sql: string): Promise<StatementJudgment | undefined> {
    let classified: ClassifiedText;
    try {
      classified = await this.classified(sql);
    } catch {
      return undefined;
    }
    const shown = () => toShownRequest(classified.actions, { sql }, [token]);
    const { decision } = await this.firewall.judge({ token, surface: 'sql', digest: classified.digest, actions: classified.actions, shown });
    return { classified, decision };
  }

  /** Judges an opaque request (a fast-path FunctionCall) as one action of unknown effect. */
  async judgeOpaque(token: string, operation: string, payload: Buffer): Promise<Decision> {
    const digest = digestRequest({ surface: 'sql', upstream: this.upstream, operation, payload: payload.toString('base64') });
    const action: Action = { upstream: this.upstream, surface: 'sql', operation, effect: 'unknown', reversible: false, targets: [], digest };
    return (await this.firewall.judge({ token, surface: 'sql', digest, actions: [action] })).decision;
  }

  async #classifyNow(sql: string): Promise<ClassifiedText> {
    // INVARIANT: actions name the upstream as configured, which is what grants list.
    const actions = (await this.classify(sql, this.upstream)).map((action) => ({ ...action, upstream: this.upstream }));
    const destroys = actions.some((action) => action.effect === 'destructive' || action.effect === 'unknown');
    // The approval binds to this upstream and this exact text.
    const digest = digestRequest({ surface: 'sql', upstream: this.upstream, sql });
    return { sql, digest, actions, destroys };
  }
}
