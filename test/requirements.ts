import { TestRunner } from 'vitest';

/**
 * The security invariants Airlock promises, each with the claim its tests check.
 * `test/requirements.test.ts` fails when an id here is verified by no test, or when a test
 * cites an id that is not here.
 */
export const REQUIREMENTS = {
  'audit.detects-edit': 'changing any field of an audit record fails verification at that record',
  'audit.detects-deletion':
    'removing an audit record, the last one included, fails verification at its seq',
  'audit.detects-reorder': 'swapping audit records fails verification at the first one moved',
  'audit.write-failure-denies':
    'a request whose decision cannot be audited is denied and not forwarded',
  'audit.checkpoint-store-id':
    'every store has a random id of its own; a recreated or swapped-in database is reported as another store',
  'audit.checkpoint-detects-truncation':
    'records removed after a signed checkpoint (head row rewritten too) fail `audit verify`, naming the checkpointed seq',
  'audit.checkpoint-signed':
    'an edited or forged checkpoint line fails its Ed25519 signature check',
  'audit.checkpoint-witness':
    'a witness copy of the checkpoints catches a deleted or cut checkpoint file in the home',
  'audit.checkpoint-bounded':
    'the server writes at most one checkpoint per N records under load, and one at shutdown',

  'fail-closed.policy-engine-throws':
    'a request is denied and not forwarded when the policy engine throws',
  'fail-closed.store-throws': 'a request is denied and not forwarded when the store throws',
  'fail-closed.policy-error':
    'a policy that errors during evaluation is reported, and the request denied',

  'grant.out-of-scope-denied': 'an action outside the grant is denied, citing the grant-scope rule',
  'grant.derived-within-parent':
    'a derived grant never allows what its parent would not, nor outlives it',
  'grant.checked-at-every-use':
    'each use re-checks that every ancestor is live and the grant within its parent',
  'grant.revoke-cascades': 'revoking a grant revokes every grant derived from it',
  'grant.freeze-after-denials': 'repeated denials freeze a grant until a human unfreezes it',
  'grant.unknown-environment-outside-scope':
    'a target in an unknown environment is outside a grant that lists environments',
  'grant.environments-required':
    'a grant without environments is refused, never widened to all of them',

  'token.invalid-denied': 'an unknown, malformed, expired or revoked token is denied',
  'token.stored-hashed':
    'a token is kept only as its hash, compared in constant time, and never listed back',
  'token.never-in-audit': 'no audit record or audit output contains a token',
  'token.checksum': 'any single changed character makes a token malformed',
  'token.not-echoed': 'a malformed credential is refused without echoing it',

  'digest.key-order-invariant': 'the request digest ignores key order and insignificant whitespace',
  'digest.value-sensitive': 'the request digest changes with any value, its JSON type included',

  'policy.default-deny': 'with no applicable permit the engine answers deny',
  'policy.engine-failure-throws':
    'a failure inside Cedar throws `policy.engine` instead of answering, and is not cached',
  'policy.cache-matches-whole-set':
    'slicing and caching never change an answer from what the whole set gives',
  'policy.invalid-refused-with-lines':
    'an invalid policy set is refused, listing every error with its file and line',
  'policy.reload-atomic':
    'a reload swaps in a whole new set or keeps the old one, with no stale answers',
  'policy.default-pinned-by-cases': 'the shipped default policy passes its shipped cases',
  'policy.no-silent-fallback':
    'a policy folder that does not exist is refused, not replaced by the default',

  'hold.destructive-needs-approval': 'a destructive action is held until a human approves it',
  'hold.production-needs-two':
    'a destructive action in production or an unknown environment needs two approvals',
  'hold.most-restrictive-wins': 'a request takes the most restrictive verdict of its actions',

  'approval.agent-never-approves':
    "no agent, nor a human bearing the requesting agent's name, can approve; the owner only when configured",
  'approval.distinct-approvers':
    'M-of-N counts distinct humans: one approver voting twice counts once',
  'approval.passes-once':
    'an approved request passes exactly once; a replay is held again as a new request',
  'approval.bound-to-request':
    'an approval lets through only the identical request (same grant and digest)',
  'approval.expired-never-passes': 'an expired approval lets nothing through and takes no votes',
  'approval.deny-ends-it': 'one deny ends an approval; the request is then denied, not held',
  'approval.audited-with-actor':
    'every approval transition is an audit record naming who caused it',
  'approval.state-machine-model':
    'the approval state machine agrees with a reference model on random event sequences',
  'approval.one-pending-per-request':
    'a store keeps at most one pending approval per grant and request digest',
  'approval.compare-and-set':
    'approval updates are compare-and-set: a stale writer is refused with store.conflict',
  'approval.approver-scope':
    'an approver may approve only within their upstreams and environments; unknown needs `*`',
  'approver.credential-hashed':
    'approver credentials are stored only as salted scrypt hashes, verified in constant time, never shown',
  'approver.totp-once':
    'a TOTP code is accepted once: its step is taken by compare-and-set, and a replay or an older step is refused',
  'approver.factor-required':
    'every vote needs a second factor: a TOTP code of that approver, or a passkey check at most 2 minutes old; no TOTP enrolled means no vote by code',
  'approver.factor-throttled':
    'after 5 wrong codes for an approver within 15 minutes every code is refused, the right one too, with auth.throttled',
  'approver.factor-audited':
    'every refused second factor is an `approver.factor-failed` audit record with the name and channel, never the code',
  'approver.login-never-blocks':
    'hashing and verifying approver credentials runs scrypt off the event loop',
  'admin.needs-admin-factor':
    "administering needs an administrator's own TOTP code (admin.forbidden otherwise); the first administrator is bootstrapped once",
  'approval.confirm-irreversible-production':
    'approving an irreversible production action requires typing its target ids',

  'check.corpus-block-never-allowed':
    '`airlock check` allows no block case of the adversarial corpus',
  'check.corpus-exact':
    '`airlock check` gives every case of the corpus, on every surface, its expected verdict',
  'check.graphql-corpus-exact':
    '`airlock check` gives every graphql case of the corpus its expected verdict',
  'graphql.ambiguous-is-unknown':
    'a GraphQL request a server could read differently (duplicate keys, two query sources, hidden persisted query) is unknown, never allowed',
  'check.no-adapter-denies': '`airlock check` denies a surface that has no adapter',
  'check.malformed-line-denies': '`airlock check` denies a line it cannot parse, with an error',

  'gateway.environment-resolved-from-upstream':
    "a destructive target's environment is asked of the upstream; one in several environments is judged in each",
  'gateway.resolution-failure-is-production':
    'a target whose environment the upstream cannot tell (down, failing or slow) counts as production, never allowed',
  'gateway.held-is-graphql-error':
    'a held request is not forwarded and answers 409 with a GraphQL error: AIRLOCK_HELD, approval id, poll url',
  'gateway.agent-credentials-stripped':
    'credentials an agent sends (Authorization, Project-Access-Token, Cookie) never reach the upstream',
  'gateway.reuse-only-identical-reads':
    'a gateway decision is reused only for a read identical in digest and target placement, from the same token, within a second; every reuse is counted in a decision.reused record',
  'gateway.credential-never-leaks':
    "Airlock's upstream credential never reaches an agent (body or headers) or the audit log, even when reflected",

  'config.secrets-redacted':
    'credentials show only as set or unset; an inlined secret is refused unechoed',
  'config.invalid-refused-listing-fields':
    'invalid config is refused, listing every problem with its field',

  'store.audit-chain-kept':
    'a store keeps one verifiable audit chain under concurrent appends and reopens',
  'store.token-lookup-exact':
    'a store finds a grant only by the exact hash of its token, which is unique',
  'store.revocation-permanent': 'no store update clears a revocation',
  'store.isolated-copies':
    'callers cannot change stored grants or audit records through objects they hold',
  'store.corrupt-rows-refused':
    'a corrupt row reads as `store.unavailable`, and a corrupt audit head blocks appends',

  // ---- approvals channels: web inbox, webhooks, undo window (issue 5) ----
  'inbox.login-requires-approver-credential':
    'the inbox logs in only with an approver name and its credential; a wrong one sets no cookie and says no more than that',
  'inbox.agent-token-never-logs-in':
    "an agent's Airlock token opens nothing in the inbox: not as credential, name or bearer header",
  'inbox.session-cookie':
    'the inbox session cookie is signed, HttpOnly, SameSite=Strict, scoped to /inbox and expiring',
  'inbox.session-expires':
    'an inbox session ends at its expiry, on logout (server-side, so a copied cookie dies too) and when its cookie is altered',
  'inbox.login-throttled':
    'repeated failed logins from one source, for a name from one source, or with one credential are refused for a while, without verifying',
  'inbox.login-no-lockout':
    'a login flood from one source locks no approver out from another source and does not stall the event loop',
  'inbox.csrf':
    "an inbox POST without the session's CSRF token, or from another site, is refused and changes nothing",
  'inbox.scope': 'an approver sees, and can vote on, only approvals within their scope',
  'inbox.agent-text-escaped':
    'agent-supplied text renders as inert text in every inbox page and stream',
  'inbox.security-headers':
    'inbox answers carry a CSP without inline script, no framing, nosniff and no-store',
  'inbox.link-never-approves':
    'an approval link leads to the login first; no GET changes an approval',
  'inbox.type-to-confirm':
    'the inbox approves an irreversible production action only with its target ids typed',
  'inbox.audit-timeline':
    "an approval's page shows its audit records: decisions and transitions, naming who",
  'inbox.live-list': 'the pending list is pushed to a logged-in approver as it changes',
  'inbox.browser-end-to-end':
    "in Chromium, approvers log in, see the held request live, confirm and approve; the agent's retry passes once",
  'inbox.vote-needs-passkey':
    'a session alone never votes in the inbox: approve and deny need a fresh passkey assertion (user verified, on the configured origin) bound to that approval and vote, used once; a refusal is audited',
  'inbox.passkey-enrol-needs-totp':
    'an approver enrols a passkey only after a current TOTP code, so a stolen session cannot enrol an authenticator of its own',
  'inbox.session-ends-on-credential-change':
    'an inbox session ends when its approver is removed (and re-added) or their credential changes, and so do their passkeys',
  'inbox.host-cookie-over-tls':
    'over TLS the session cookie is `__Host-`, Secure and Path=/; a page on another port of the same host name never receives it',
  'webhook.signed':
    'every webhook is signed with HMAC-SHA256 over `t.body` and verifies with the documented recipe',
  'webhook.every-event':
    'a webhook goes out for every new pending approval and every decision (approved, denied, expired, cancelled, executed)',
  'webhook.never-blocks':
    'a receiver that is down or slow delays no request and decides nothing; deliveries are retried with backoff from a persisted log',
  'webhook.link-never-approves':
    'the approval link in a webhook leads to the inbox login; following it changes nothing',
  'webhook.agent-text-inert':
    'agent-supplied text in a webhook carries no mention, link, line break or formatting, in the top-level text and in blocks',
  'webhook.dedupe-signed':
    'what receivers are told to deduplicate on (the delivery id) is inside the signed body',
  'approval.shows-raw-when-ambiguous':
    'an ambiguous held request (duplicate keys, two query sources) is shown to approvers as its raw bytes with the reason, never one parsed reading',
  'approval.view-visible-text':
    'agent text in the inbox and the CLI shows control and bidirectional characters visibly and isolated; an override cannot make an id read as another',
  'approval.view-bounded':
    'no agent value pushes other rows out of sight: long values are cut with their length, a batch lists production and destructive actions first, blank lines are folded',
  'approval.agent-learns-no-approver':
    'an agent told of a human decision (retry, poll, any surface) learns neither who decided nor why',
  'approval.pending-cap-freezes':
    'a hold past the per-grant cap of pending approvals is denied, the grant frozen and audited, and no webhook is sent for it',
  'agent.reads-own-approval-only':
    "an agent reads only approvals of its own grant; another's, or none, answers 404 alike",
  'approval.modified-request-held':
    "a request differing in one byte of its canonical form does not pass on another request's approval",
  'approval.expired-in-background':
    'pending approvals past their expiry are expired by `airlock serve` itself, audited',
  'undo.runs-after-window-once':
    "a delayed approved action is run by Airlock once, after its undo window, never by the agent's retry",
  'undo.cancel-stops-it':
    'an approver who cancels within the undo window stops the action from ever running',
  'undo.held-request-has-no-credential':
    'a stored held request carries neither the agent token nor any credential',
  'undo.crash-never-runs-twice':
    'after SIGKILL and restart, pending approvals and delayed actions resume, and nothing runs twice; a claimed action without a result is marked unknown, not rerun',

  // ---- shell and agent hooks (issue 7) ----
  'shell.corpus-exact':
    'the shell classifier gives every shell case of the corpus its expected verdict',
  'shell.random-spellings-never-allowed':
    'random spellings of destructive commands (quoting, escapes, wrappers, env prefixes, nested shells) are never allowed',
  'hook.client-protocols':
    "each client's hook answers its real input in the client's exact output format and exit code",
  'hook.fail-closed':
    "bad input, a missing token, a broken home or an unreachable Airlock server is the client's deny",
  'hook.held-then-once':
    'a held command is denied with the approval id; after approval the identical command in the same directory is allowed once',
  'hook.never-weakens-client':
    "an Airlock allow is no decision where the client's allow would skip its own permission prompt; a deny or hold always blocks (exit 2, non-empty stderr)",
  'hook.holds-keep-command':
    'a held hook call keeps the exact command line (or file paths, or tool call) and the folder it runs in, shown to approvers',
  'hook.installs-out-of-reach':
    "install-hooks writes the user's or the machine's managed client settings, never a project's shared files, with each client's fail-closed option",
  'hook.guard-denies':
    "writes to Airlock's home, config and code or any client's hook configuration, reads of other processes' environments and signals to Airlock are denied, never held",
  'shell.judged-by-what-runs':
    'builtins that run code, arithmetic that evaluates subscripts and variables that change what runs are judged by the code they run, each class proven against real bash',
  'shell.catalog-as-data':
    'every command is one catalog entry with its package, effect, options and why; each example is classified as its stated effect, and no name is one no program has',
  'shell.globs-judged-by-matches':
    'a glob that could match a precious file is judged as that file, for every spelling bash expands to it',
  'shell.looks-inside-scripts':
    'package scripts, script files and Makefile recipes are judged by their text; a file written earlier in the same line is unknown',
  'shell.sandbox-agrees':
    'every shell line Airlock allows does no more in a sandbox (strace) than its verdict says',
  'hook.install-merges':
    'install-hooks merges into existing client configs without clobbering, sets fail-closed options, and is idempotent',
  'hook.install-refuses-invalid':
    'install-hooks refuses an invalid or unreadable config file and changes nothing',
  'hook.doctor-probes':
    'doctor proves installed hooks stop a destructive probe and allow a harmless one, without recording approvals',
  'hook.server-mode':
    'the hook forwarded to airlock serve gets the same verdicts, and an unreachable server is a deny',
  'hook.credential-read-held':
    'a shell command or file tool that would read a file holding a provider credential is held, naming the finding (platform, file, line, fingerprint) and never the secret',
  'scan.finds-no-near-miss':
    'airlock scan finds every planted credential of every supported platform and reports no near-miss (documented examples, templates, ids)',
  'scan.never-prints-secret':
    'no output of airlock scan or doctor holds any part of a credential it found, only its fingerprint',
  'shell.parsers-agree-word-by-word':
    'every simple command must have the same words (literal text or dynamic) in our parser and in mvdan/sh, else the command is unknown',

  // ---- SQL and the PostgreSQL guard (issue 6) ----
  'pg.token-authenticates-session':
    'a PostgreSQL session through Airlock opens only with a live Airlock token, never with the upstream password',
  'pg.held-on-the-wire':
    'a held statement is answered with SQLSTATE ZA001 naming the approval, does not run, and the session stays usable',
  'pg.approved-once':
    'after approval the identical statement runs once through the proxy; the replay is held again',
  'pg.snapshot-before-destruction':
    'an approved destructive statement runs only after its snapshot is in the vault, checksummed and audited',
  'pg.snapshot-failure-blocks': 'a destructive statement whose snapshot fails does not run',
  'pg.restore-brings-rows-back': 'airlock restore brings back every row a dropped table had',
  'pg.reuse-only-plain-reads':
    'a decision is reused only for texts of one shape whose judgment cannot depend on their constants: plain reads, transaction control, plain INSERTs, and UPDATE/DELETE whose constants are data or compared with = to a column; no destruction, EXPLAIN, locking, unknown shape or constant-dependent predicate (id > 0, LIKE) is ever reused',
  'pg.blast-radius-by-result':
    'every statement that overwrites or deletes rows (UPDATE, DELETE, MERGE, ON CONFLICT DO UPDATE, data-modifying CTEs, prepared EXECUTEs, cascades) runs under an Airlock savepoint and is rolled back and held when the server reports more changed rows than the limits, saying what it would change; reused or not',
  'pg.one-reading':
    'the server reads statement text as Airlock does: the reading settings are pinned, every way of changing them is denied, non-UTF-8 text and startup options are refused, and a session whose server reports another reading is ended',
  'pg.real-tools-pass':
    'pg_dump, pg_restore, psql meta-commands and pgbench -i complete through Airlock; what destroys is held once with the exact approve command',
  'pg.reuse-on-the-record':
    "every statement that reused an allow is counted in a decision.reused audit record naming the decision; reuse ends with its lifetime, the grant's expiry, a policy change, or an audit failure",
  'check.sql-corpus-exact':
    'the sql classifier gives every sql case of the corpus its expected verdict',
  'sql.parse-tree-decides':
    "SQL is judged by PostgreSQL's parse tree, never its text: comments, quoting, case, dollar quotes and escapes change nothing",
  'sql.destruction-classified':
    'DROP, TRUNCATE, DELETE/UPDATE/MERGE reaching every row (tautologies included), ALTER … DROP, writable CTEs, EXPLAIN ANALYZE of them, COPY … PROGRAM and role or privilege changes are destructive',
  'sql.opaque-code-unknown':
    'DO, CALL, user or unvetted functions and operators, and EXECUTE of a statement not known to be prepared are never read or write',
  'sql.every-statement-judged':
    'every statement of a multi-statement string and every statement prepared through Parse is judged; text the parser rejects is unknown',

  // ---- MCP proxy (issue 8) ----
  'check.mcp-corpus-exact':
    '`airlock check` gives every mcp case of the corpus its expected verdict',
  'mcp.annotations-never-lower':
    "a tool annotation never makes a call safer than Airlock's catalog: an uncatalogued tool is never allowed on its hints",
  'mcp.confusable-names-refused':
    "tool names outside MCP's name format, or confusable with another listed name, are neither listed nor called",
  'mcp.paths-checked':
    'a path argument that climbs out (`..`, also encoded) or leaves the allowed folders is never allowed, nor an overwrite',
  'mcp.held-not-forwarded':
    'a held tool call never reaches the upstream and answers isError with the approval id; after approval it runs once',
  'mcp.upstream-secrets-scrubbed':
    'a credential or environment value Airlock hands an MCP server never reaches the agent, even when the server echoes it',

  // ---- REST adapter (issue 9) ----
  'check.http-corpus-exact':
    '`airlock check` gives every http case of the corpus its expected verdict',
  'http.catalogs-validated':
    'every shipped REST catalog passes the catalog schema; an invalid catalog is refused naming each field',
  'http.ambiguous-is-unknown':
    'a REST request a server could read differently (framing, host, method override, encoded or dot path, duplicate keys, untyped operation body) is unknown, never allowed',
  'http.unlisted-write-held':
    'on a known platform an endpoint the catalog does not list is a read for GET/HEAD/OPTIONS and held otherwise; an unknown host is unknown',
  'http.body-carries-operation':
    'where the body names the operation (force-moved refs, AWS Action/X-Amz-Target, S3 multi-delete, SkipFinalSnapshot) it decides the classification',
  'rest.held-not-forwarded':
    'a held or denied REST request never reaches the upstream; held answers 409 with approval id, poll url and a stop sentence',
  'rest.agent-credentials-stripped':
    "an allowed REST request reaches the upstream with the real credential and none of the agent's",
  'rest.sigv4-resigned':
    "an allowed AWS request reaches the upstream re-signed with SigV4 under the real keys; the agent's signature and token never do",
  'rest.credential-never-leaks':
    'the real upstream credential never reaches the agent, even when the upstream reflects it',

  // ---- the service boundary (issue 14) ----
  'boundary.serve-refuses-open-home':
    'serve refuses to start, naming each path and its fix, when its home or state is owned by another user or open to group or others, sits in a workspace, or when it runs as root',
  'boundary.credential-file-private':
    'a credential comes from a variable or a file only the server may read; a file open to others is refused, and no error shows a value',
  'boundary.two-users':
    "with the server as its own OS user and the agent as the human's, the agent cannot read or write the home, read the server's environment, enrol an approver, issue or unfreeze a token, or approve through the CLI or the admin API; a truncated audit log is reported; a human with TOTP codes approves and the request runs once",
  'boundary.doctor-reports':
    'doctor names the server running as the caller, credentials in readable environments (pid and name only), an open admin socket and missing factors',
} as const satisfies Record<string, string>;

/** The id of one security invariant; a misspelt id is a type error. */
export type RequirementId = keyof typeof REQUIREMENTS;

/**
 * Marks the running test as verifying `id`. Call it at the top of the test body, once per id,
 * with the id as a string literal: the coverage test finds the calls by reading the source.
 */
export function verifies(id: RequirementId): void {
  // A call outside a running test (in a describe body, say) would count as coverage in the
  // source scan while checking nothing.
  if (TestRunner.getCurrentTest() === undefined) {
    throw new Error(`verifies(\`${id}\`) must be called inside a test`);
  }
}
