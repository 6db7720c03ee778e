import type {
  AdminAnswer,
  AdminOperation,
  AdminParsedRequest,
  AdminAuthV1,
} from '../../api/index.js';
import { ADMIN_ROUTES, describeIssues } from '../../api/index.js';
import type { ApprovalRules, Clock, Ids, RandomSource, Store } from '../../core/index.js';
import { FirewallError, verifyAuditChain } from '../../core/index.js';
import type { FactorThrottle } from '../../firewall/index.js';
import { ApprovalService, GrantService } from '../../firewall/index.js';
import { withAuditChannel } from './channel-store.js';

/** What a policy reload reports once the new set is in force. */
export interface PolicyReload {
  readonly policyFiles: number;
  readonly loadedFrom: string;
}

/** What the admin operations run on: the store, the services' settings, and the reload hook. */
export interface AdminOperationsOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly random: RandomSource;
  readonly rules: ApprovalRules;
  readonly productionEnvironments: readonly string[];
  readonly tokens: { readonly defaultTtlMs: number; readonly maxTtlMs: number };
  /**
   * Compiles the whole policy folder and swaps it in; throws `policy.invalid` (and changes
   * nothing) when any of it is wrong.
   */
  readonly reloadPolicy: () => Promise<PolicyReload>;
  /** Recorded as `data.channel` on every audit record these operations cause. */
  readonly channel: string;
  /**
   * Who a change without `auth` is by: the home's owner, running without a server (LocalAdmin),
   * who can write the store anyway. Left out on the server, which refuses such changes.
   */
  readonly ownerActor?: string;
  /** Failed TOTP codes, shared with the server's other channels; default: counted here alone. */
  readonly factorThrottle?: FactorThrottle;
  /**
   * The whole audit check (chain, signed checkpoints, store id), run where the home is readable;
   * default: the hash chain alone.
   */
  readonly verifyAudit?: () => Promise<unknown>;
}

// Handlers answer with core values (readonly, exact optional fields); the API's inferred types
// are their mutable twins. Clients parse every answer with its schema, local and remote alike.
type Handlers = {
  readonly [K in AdminOperation]: (request: AdminParsedRequest<K>) => Promise<unknown>;
};

/**
 * Every administrative act on a home, in one place: the server's admin socket and the CLI's
 * local mode both call these, so both validate, authorize and audit alike. Admin changes need an
 * administrator's TOTP code (`ApprovalService.authorizeAdmin`); votes need the voter's own code,
 * which the approval service checks; reads need nothing beyond reaching this.
 */
export class AdminOperations {
  readonly #options: AdminOperationsOptions;
  readonly #store: Store;
  readonly #approvals: ApprovalService;
  readonly #grants: GrantService;
  readonly #handlers: Handlers;

  constructor(options: AdminOperationsOptions) {
    this.#options = options;
    this.#store = withAuditChannel(options.store, options.channel);
    const { clock, random, ids, rules, productionEnvironments } = options;
    this.#approvals = new ApprovalService({
      store: this.#store,
      clock,
      random,
      rules,
      productionEnvironments,
      ...(options.factorThrottle === undefined ? {} : { factorThrottle: options.factorThrottle }),
    });
    this.#grants = new GrantService({
      store: this.#store,
      clock,
      ids,
      random,
      limits: { maxTtlMs: options.tokens.maxTtlMs },
    });
    this.#handlers = this.#createHandlers();
  }

  /**
   * Validates `input` against the operation's schema and runs it. Bad input is `input.invalid`
   * with one detail per problem, and nothing is changed.
   */
  async dispatch<K extends AdminOperation>(operation: K, input: unknown): Promise<AdminAnswer<K>> {
    const parsed = ADMIN_ROUTES[operation].request.safeParse(input);
    if (!parsed.success)
      throw new FirewallError('input.invalid', `invalid request for \`${operation}\``, {
        details: describeIssues(parsed.error),
      });
    const handler = this.#handlers[operation] as (request: unknown) => Promise<AdminAnswer<K>>;
    return handler(parsed.data);
  }

  #createHandlers(): Handlers {
    const approvals = this.#approvals;
    const grants = this.#grants;
    const production = [...this.#options.productionEnvironments];
    const approvalAnswer = async (pending: Promise<unknown>) => ({
      approval: await pending,
      productionEnvironments: production,
    });
    return {
      listTokens: async () => ({ grants: await grants.list() }),
      issueToken: async ({ auth, ttlMs, ...scope }) => {
        const actor = await this.#admin(auth);
        const issued = await grants.issue(
          { ...scope, ttlMs: ttlMs ?? this.#options.tokens.defaultTtlMs },
          actor,
        );
        return issued;
      },
      revokeToken: async ({ auth, grantId }) => ({
        revoked: await grants.revoke(grantId, await this.#admin(auth)),
      }),
      unfreezeToken: async ({ auth, grantId }) => ({
        grant: await grants.unfreeze(grantId, await this.#admin(auth)),
      }),
      listApprovers: async () => ({ approvers: await approvals.listApprovers() }),
      addApprover: async ({ auth, credential, ...rest }) => {
        const actor = await this.#admin(auth);
        const added = await approvals.addApprover(
          { ...rest, ...(credential === undefined ? {} : { credential }) },
          actor,
        );
        return { approver: added.approver, totp: added.totp };
      },
      removeApprover: async ({ auth, name }) => {
        await approvals.removeApprover(name, await this.#admin(auth));
        return { removed: name };
      },
      setApproverCredential: async ({ auth, name, credential }) => {
        // An approver may change their own credential with their own code; anyone else's takes an admin.
        const actor =
          auth !== undefined && auth.as === name
            ? `human:${(await approvals.verifyTotp(name, auth.totp)).name}`
            : await this.#admin(auth);
        await approvals.setCredential(name, credential, actor);
        return {
          approver: (await approvals.listApprovers()).find((approver) => approver.name === name),
        };
      },
      listApprovals: async ({ state }) => ({
        approvals: await approvals.list(state === undefined ? {} : { state }),
        productionEnvironments: production,
      }),
      showApproval: async ({ id }) => approvalAnswer(approvals.get(id)),
      approve: async ({ auth, id, confirm }) =>
        approvalAnswer(
          approvals.approve(id, auth.as, { kind: 'totp', code: auth.totp }, { confirm }),
        ),
      deny: async ({ auth, id, reason }) =>
        approvalAnswer(approvals.deny(id, auth.as, { kind: 'totp', code: auth.totp }, reason)),
      cancel: async ({ auth, id }) =>
        approvalAnswer(approvals.cancelAsApprover(id, auth.as, { kind: 'totp', code: auth.totp })),
      reloadPolicy: async ({ auth }) => {
        const actor = await this.#admin(auth);
        const reload = await this.#options.reloadPolicy();
        await this.#store.appendAudit({
          kind: 'policy.reloaded',
          actor,
          at: this.#options.clock.now(),
          data: { policyFiles: reload.policyFiles, loadedFrom: reload.loadedFrom },
        });
        return { policyFiles: reload.policyFiles, loadedFrom: reload.loadedFrom };
      },
      auditTail: async ({ count }) => ({ records: await this.#store.tailAudit(count) }),
      auditVerify: async () =>
        this.#options.verifyAudit === undefined
          ? verifyAuditChain(await this.#readAllAudit(), await this.#store.auditHead())
          : this.#options.verifyAudit(),
    };
  }

  /** The actor of an admin change: a TOTP-proven administrator, or the home's owner in local mode. */
  async #admin(auth: AdminAuthV1 | undefined): Promise<string> {
    if (auth !== undefined)
      return `human:${(await this.#approvals.authorizeAdmin(auth.as, auth.totp)).name}`;
    // SECURITY: the server never takes a change without an administrator's code.
    if (this.#options.ownerActor === undefined) {
      throw new FirewallError(
        'approver.factor-required',
        'this change needs an administrator: name one with `--as NAME` and give their TOTP code',
      );
    }
    return this.#options.ownerActor;
  }

  async #readAllAudit() {
    const page = 5_000;
    const records = [];
    for (;;) {
      const fromSeq = (records.at(-1)?.seq ?? 0) + 1;
      const next = await this.#store.readAudit({ fromSeq, limit: page });
      records.push(...next);
      if (next.length < page) return records;
    }
  }
}
