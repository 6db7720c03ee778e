/**
 * Airlock's credential rules, as data: one entry per credential format, written from each
 * platform's documented format (sources beside each rule). Two kinds: a `token` rule matches
 * the credential by its own shape anywhere (a prefix such as `sk_live_` makes it unambiguous);
 * a `named` rule matches a value only where it is assigned to a name that says what it is
 * (`RAILWAY_TOKEN=…`, `aws_secret_access_key = …`, `"token": …` in a CLI's own config), because
 * the value alone (a UUID, 40 base64 characters) could be anything.
 *
 * Why not secretlint's or gitleaks' rule sets: secretlint 13 needs Node 22 (Airlock runs on 20),
 * its 9.x line is the previous major, its messages carry the matched text, and neither set tells
 * Railway's tokens or a key's reach (live or test, secret or restricted, classic or fine-grained).
 */

/** What one rule recognizes and what a credential of that shape can do. */
export interface CredentialRule {
  /** Stable id, cited by findings (`stripe-secret-live`). */
  readonly id: string;
  readonly platform: string;
  /** What the credential is, in a few words (`secret key, live mode`). */
  readonly kind: string;
  /** What it lets its holder do, as far as the format tells. */
  readonly can: string;
  /** `token`: the pattern finds the credential itself; its first capture group is the secret. */
  readonly pattern?: RegExp;
  /**
   * `named`: names (case-insensitive, whole) a value is assigned to (`NAME=v`, `NAME: v`,
   * `"NAME": "v"`, `NAME = 'v'`), and the shape the value must have to count.
   */
  readonly names?: RegExp;
  readonly value?: RegExp;
  /** Only in files of this hint (a CLI's own config file, see HOME_LOCATIONS), for names too generic elsewhere (`token`). */
  readonly onlyIn?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A token of a platform whose format is not published: at least 20 token characters. */
const OPAQUE = /^[A-Za-z0-9_\-.=+/]{20,}$/;

/** Every rule, token rules first (a value both rules would report is reported once, by the first). */
export const CREDENTIAL_RULES: readonly CredentialRule[] = [
  // Stripe (docs.stripe.com/keys): sk_ secret, rk_ restricted, live or test mode. pk_ is public.
  {
    id: 'stripe-secret-live',
    platform: 'stripe',
    kind: 'secret key, live mode',
    can: 'every API call on the live account: charges, refunds, payouts, customer data',
    pattern: /\b(sk_live_[0-9A-Za-z]{20,247})\b/g,
  },
  {
    id: 'stripe-secret-test',
    platform: 'stripe',
    kind: 'secret key, test mode',
    can: "every API call on the account's test data",
    pattern: /\b(sk_test_[0-9A-Za-z]{20,247})\b/g,
  },
  {
    id: 'stripe-restricted-live',
    platform: 'stripe',
    kind: 'restricted key, live mode',
    can: 'the live-mode permissions it was created with',
    pattern: /\b(rk_live_[0-9A-Za-z]{20,247})\b/g,
  },
  {
    id: 'stripe-restricted-test',
    platform: 'stripe',
    kind: 'restricted key, test mode',
    can: 'the test-mode permissions it was created with',
    pattern: /\b(rk_test_[0-9A-Za-z]{20,247})\b/g,
  },
  // GitHub (github.blog 2021-04-05 "new authentication token formats"; fine-grained PATs 2022).
  {
    id: 'github-classic-pat',
    platform: 'github',
    kind: 'classic personal access token',
    can: 'every repository and organization the user can reach, within the scopes it was given',
    pattern: /\b(ghp_[A-Za-z0-9]{36})\b/g,
  },
  {
    id: 'github-fine-grained-pat',
    platform: 'github',
    kind: 'fine-grained personal access token',
    can: 'only the repositories and permissions it was given',
    pattern: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g,
  },
  {
    id: 'github-oauth',
    platform: 'github',
    kind: 'OAuth user token (such as the gh CLI login)',
    can: 'acts as the user within its OAuth scopes',
    pattern: /\b(gho_[A-Za-z0-9]{36})\b/g,
  },
  {
    id: 'github-app-user',
    platform: 'github',
    kind: 'GitHub App user token',
    can: "acts as the user within the app's permissions",
    pattern: /\b(ghu_[A-Za-z0-9]{36})\b/g,
  },
  {
    id: 'github-app-installation',
    platform: 'github',
    kind: 'GitHub App installation token',
    can: "the installation's repositories and permissions (expires after an hour)",
    pattern: /\b(ghs_[A-Za-z0-9]{36})\b/g,
  },
  {
    id: 'github-refresh',
    platform: 'github',
    kind: 'GitHub App refresh token',
    can: 'mints new user tokens for the app',
    pattern: /\b(ghr_[A-Za-z0-9]{36})\b/g,
  },
  // AWS (docs.aws.amazon.com IAM "unique identifiers"): AKIA long-term, ASIA temporary (STS).
  {
    id: 'aws-access-key-id',
    platform: 'aws',
    kind: 'long-term access key id (IAM user)',
    can: "with its secret key, whatever the IAM user's policies allow",
    pattern: /\b(AKIA[A-Z2-7]{16})\b/g,
  },
  {
    id: 'aws-temporary-key-id',
    platform: 'aws',
    kind: 'temporary access key id (STS)',
    can: 'with its secret key and session token, whatever the assumed role allows until it expires',
    pattern: /\b(ASIA[A-Z2-7]{16})\b/g,
  },
  {
    id: 'aws-secret-access-key',
    platform: 'aws',
    kind: 'secret access key',
    can: 'signs requests for its access key id',
    names: /^(aws_secret_access_key|aws_secret_key|secret_access_key|aws_secret)$/i,
    value: /^[A-Za-z0-9/+]{40}$/,
  },
  // Supabase (supabase.com/docs: personal access tokens `sbp_`, secret API keys `sb_secret_`).
  {
    id: 'supabase-personal-token',
    platform: 'supabase',
    kind: 'personal access token',
    can: 'the Management API for every organization and project of the user',
    pattern: /\b(sbp_[a-f0-9]{40})\b/g,
  },
  {
    id: 'supabase-secret-key',
    platform: 'supabase',
    kind: 'secret API key',
    can: "bypasses row-level security on the project's data",
    pattern: /\b(sb_secret_[A-Za-z0-9_-]{20,})\b/g,
  },
  {
    id: 'supabase-service-role',
    platform: 'supabase',
    kind: 'service_role key (JWT)',
    can: "bypasses row-level security on the project's data",
    names: /^(SUPABASE_SERVICE_ROLE_KEY|SUPABASE_SERVICE_KEY|service_role_key)$/i,
    value: /^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}$/,
  },
  {
    id: 'supabase-access-token-file',
    platform: 'supabase',
    kind: 'personal access token (CLI login)',
    can: 'the Management API for every organization and project of the user',
    names: /^(SUPABASE_ACCESS_TOKEN)$/i,
    value: OPAQUE,
  },
  // Fly.io (fly.io/docs/security/tokens): macaroon tokens `FlyV1 fm2_…`, older `fo1_` user tokens.
  {
    id: 'fly-macaroon',
    platform: 'fly',
    kind: 'macaroon token',
    can: 'what its caveats allow: an organization, an app or a machine',
    pattern: /\b(fm[12][ar]?_[A-Za-z0-9+/=_-]{20,})/g,
  },
  {
    id: 'fly-user-token',
    platform: 'fly',
    kind: 'user token (CLI login)',
    can: 'every organization and app of the user',
    pattern: /\b(fo1_[A-Za-z0-9_-]{20,})\b/g,
  },
  {
    id: 'fly-named',
    platform: 'fly',
    kind: 'API token',
    can: 'what it was issued for (an organization, an app or the whole account)',
    names: /^(FLY_API_TOKEN|FLY_ACCESS_TOKEN|access_token)$/i,
    value: OPAQUE,
    onlyIn: 'fly',
  },
  {
    id: 'fly-named-env',
    platform: 'fly',
    kind: 'API token',
    can: 'what it was issued for (an organization, an app or the whole account)',
    names: /^(FLY_API_TOKEN|FLY_ACCESS_TOKEN)$/i,
    value: OPAQUE,
  },
  // Neon (neon.tech/docs/manage/api-keys): personal, organization and project-scoped API keys.
  {
    id: 'neon-api-key',
    platform: 'neon',
    kind: 'API key',
    can: 'the Neon API: projects, branches and databases the key reaches',
    pattern: /\b(napi_[a-z0-9]{60,})\b/g,
  },
  {
    id: 'neon-named',
    platform: 'neon',
    kind: 'API key',
    can: 'the Neon API: projects, branches and databases the key reaches',
    names: /^(NEON_API_KEY)$/i,
    value: OPAQUE,
  },
  {
    id: 'neon-cli-login',
    platform: 'neon',
    kind: 'CLI login token',
    can: 'every project of the user',
    names: /^(access_token|refresh_token)$/i,
    value: OPAQUE,
    onlyIn: 'neon',
  },
  // Vercel (vercel.com/docs/rest-api#authentication): opaque account tokens; the CLI's auth.json.
  {
    id: 'vercel-named',
    platform: 'vercel',
    kind: 'access token',
    can: 'the teams and projects of the account that issued it, within its scope',
    names: /^(VERCEL_TOKEN|VERCEL_ACCESS_TOKEN|VERCEL_API_TOKEN)$/i,
    value: OPAQUE,
  },
  {
    id: 'vercel-cli-login',
    platform: 'vercel',
    kind: 'CLI login token',
    can: 'every team and project of the account',
    names: /^(token)$/i,
    value: OPAQUE,
    onlyIn: 'vercel',
  },
  // Railway (docs.railway.com/guides/public-api): tokens are UUIDs. RAILWAY_TOKEN is read as a
  // project token, RAILWAY_API_TOKEN as an account or workspace token; the CLI login is the account's.
  {
    id: 'railway-project-token',
    platform: 'railway',
    kind: 'project token',
    can: 'one environment of one project: deploys, variables, volumes',
    names: /^(RAILWAY_TOKEN|RAILWAY_PROJECT_TOKEN)$/i,
    value: UUID,
  },
  {
    id: 'railway-api-token',
    platform: 'railway',
    kind: 'account or workspace token (the format does not tell which)',
    can: 'every project of the account or workspace, including deleting volumes',
    names:
      /^(RAILWAY_API_TOKEN|RAILWAY_ACCOUNT_TOKEN|RAILWAY_TEAM_TOKEN|RAILWAY_WORKSPACE_TOKEN|RAILWAY_[A-Z0-9_]*(TOKEN|KEY|SECRET))$/i,
    value: UUID,
  },
  {
    id: 'railway-cli-login',
    platform: 'railway',
    kind: 'account token (CLI login)',
    can: 'everything the account can do, in every workspace and project',
    names: /^(token|accessToken)$/i,
    value: /^[A-Za-z0-9_\-.*~+/=]{20,}$/,
    onlyIn: 'railway',
  },
];
