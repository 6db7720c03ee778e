import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Fake credentials in the platforms' real formats, built at test time from a seeded generator so
 * that this repository holds no string a secret scanner (ours, or GitHub's push protection) would
 * flag: every prefix is split, every body generated.
 */

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${BASE62}+/`;

/** A deterministic generator of random-looking text (mulberry32). */
export function fakeSource(seed = 24): (alphabet: string, length: number) => string {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet, length) =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** Prefixes, split so no literal in this file has a credential's shape. */
const p = (...parts: string[]): string => parts.join('');

/** One planted credential: the file it goes in, the line's text, and the rule that must report it. */
export interface Plant {
  readonly file: string;
  readonly text: string;
  readonly rule: string;
  readonly platform: string;
  /** The secret itself, to check that no output ever contains it. */
  readonly secret: string;
  /** Under the fake home rather than the repository. */
  readonly home?: boolean;
}

/** Every supported format, planted where agents find them, and the near-misses that must stay silent. */
export function credentialFixtures(seed = 24): {
  plants: Plant[];
  nearMisses: { file: string; text: string }[];
} {
  const r = fakeSource(seed);
  const uuid = (): string => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`;
  const plant = (
    file: string,
    rule: string,
    platform: string,
    secret: string,
    line: (s: string) => string,
    home = false,
  ): Plant => ({ file, text: line(secret), rule, platform, secret, ...(home ? { home } : {}) });
  const awsSecret = r(BASE64, 40);
  const plants: Plant[] = [
    plant(
      '.env',
      'stripe-secret-live',
      'stripe',
      p('sk', '_live_', r(BASE62, 24)),
      (s) => `STRIPE_KEY=${s}`,
    ),
    plant(
      '.env.local',
      'stripe-secret-test',
      'stripe',
      p('sk', '_test_', r(BASE62, 24)),
      (s) => `STRIPE_SECRET_KEY="${s}"`,
    ),
    plant(
      'config/payments.ts',
      'stripe-restricted-live',
      'stripe',
      p('rk', '_live_', r(BASE62, 30)),
      (s) => `export const key = '${s}';`,
    ),
    plant(
      '.github/workflows/deploy.yml',
      'github-classic-pat',
      'github',
      p('gh', 'p_', r(BASE62, 36)),
      (s) => `      GH_TOKEN: ${s}`,
    ),
    plant(
      'scripts/release.sh',
      'github-fine-grained-pat',
      'github',
      p('github', '_pat_', r(BASE62, 22), '_', r(BASE62, 59)),
      (s) => `curl -H "Authorization: Bearer ${s}" https://api.github.com`,
    ),
    plant(
      '.gitlab-ci.yml',
      'railway-api-token',
      'railway',
      uuid(),
      (s) => `  RAILWAY_API_TOKEN: "${s}"`,
    ),
    plant('.env', 'railway-project-token', 'railway', uuid(), (s) => `RAILWAY_TOKEN=${s}`),
    plant(
      'infra/terraform.tfstate',
      'aws-access-key-id',
      'aws',
      p('AK', 'IA', r(BASE32, 16)),
      (s) => `      "access_key": "${s}",`,
    ),
    plant(
      'infra/terraform.tfstate',
      'aws-secret-access-key',
      'aws',
      awsSecret,
      (s) => `      "aws_secret_access_key": "${s}",`,
    ),
    plant(
      '.env.production',
      'postgres-password',
      'neon',
      r(BASE62, 20),
      (s) =>
        `DATABASE_URL=postgresql://app:${s}@ep-cool-${r(HEX, 6)}.eu-central-1.aws.neon.tech/main?sslmode=require`,
    ),
    plant(
      'docker/.env',
      'supabase-service-role',
      'supabase',
      `eyJ${r(BASE62, 30)}.eyJ${r(BASE62, 60)}.${r(BASE62, 43)}`,
      (s) => `SUPABASE_SERVICE_ROLE_KEY=${s}`,
    ),
    plant(
      'notes.md',
      'neon-api-key',
      'neon',
      p('na', 'pi_', r(HEX + 'ghijklmnopqrstuvwxyz', 64)),
      (s) => `neon key: ${s}`,
    ),
    plant(
      '.env.staging',
      'fly-macaroon',
      'fly',
      p('fm', '2_', r(BASE64, 80)),
      (s) => `FLY_API_TOKEN="FlyV1 ${s}"`,
    ),
    plant(
      '.env.staging',
      'fly-user-token',
      'fly',
      p('fo', '1_', r(BASE62, 43)),
      (s) => `FLY_OLD=${s}`,
    ),
    plant('.env.staging', 'fly-named-env', 'fly', r(BASE62, 43), (s) => `FLY_ACCESS_TOKEN=${s}`),
    plant('.env.staging', 'neon-named', 'neon', r(BASE62, 64), (s) => `NEON_API_KEY=${s}`),
    plant(
      '.env.staging',
      'supabase-secret-key',
      'supabase',
      p('sb', '_secret_', r(BASE62, 32)),
      (s) => `SUPABASE_SECRET=${s}`,
    ),
    plant(
      '.env.staging',
      'supabase-access-token-file',
      'supabase',
      r(BASE62, 40),
      (s) => `SUPABASE_ACCESS_TOKEN=${s}`,
    ),
    plant(
      'ci/app.yml',
      'github-app-user',
      'github',
      p('gh', 'u_', r(BASE62, 36)),
      (s) => `user: ${s}`,
    ),
    plant(
      'ci/app.yml',
      'github-app-installation',
      'github',
      p('gh', 's_', r(BASE62, 36)),
      (s) => `installation: ${s}`,
    ),
    plant(
      'ci/app.yml',
      'github-refresh',
      'github',
      p('gh', 'r_', r(BASE62, 36)),
      (s) => `refresh: ${s}`,
    ),
    plant('.envrc', 'vercel-named', 'vercel', r(BASE62, 24), (s) => `export VERCEL_TOKEN=${s}`),
    // The user's CLI logins.
    plant(
      '.railway/config.json',
      'railway-cli-login',
      'railway',
      r(BASE62, 32),
      (s) => `{ "user": { "token": "${s}" } }`,
      true,
    ),
    plant(
      '.aws/credentials',
      'aws-temporary-key-id',
      'aws',
      p('AS', 'IA', r(BASE32, 16)),
      (s) => `aws_access_key_id = ${s}`,
      true,
    ),
    plant(
      '.config/gh/hosts.yml',
      'github-oauth',
      'github',
      p('gh', 'o_', r(BASE62, 36)),
      (s) => `    oauth_token: ${s}`,
      true,
    ),
    plant(
      '.config/stripe/config.toml',
      'stripe-restricted-test',
      'stripe',
      p('rk', '_test_', r(BASE62, 99)),
      (s) => `test_mode_api_key = '${s}'`,
      true,
    ),
    plant(
      '.local/share/com.vercel.cli/auth.json',
      'vercel-cli-login',
      'vercel',
      r(BASE62, 24),
      (s) => `{ "token": "${s}" }`,
      true,
    ),
    plant('.fly/config.yml', 'fly-named', 'fly', r(BASE62, 43), (s) => `access_token: ${s}`, true),
    plant(
      '.supabase/access-token',
      'supabase-personal-token',
      'supabase',
      p('sb', 'p_', r(HEX, 40)),
      (s) => s,
      true,
    ),
    plant(
      '.config/neonctl/credentials.json',
      'neon-cli-login',
      'neon',
      r(BASE62, 40),
      (s) => `{"access_token":"${s}"}`,
      true,
    ),
    plant(
      '.pgpass',
      'postgres-password',
      'postgres',
      r(BASE62, 18),
      (s) => `db.internal.example.org:5432:app:app:${s}`,
      true,
    ),
  ];
  const nearMisses = [
    { file: '.env.example', text: p('STRIPE_KEY=sk', '_live_', 'x'.repeat(24)) },
    { file: '.env.example', text: p('STRIPE_KEY=sk', '_live_your_key_here_000000') },
    { file: 'docs/aws.md', text: p('aws_access_key_id = AK', 'IAIOSFODNN7EXAMPLE') },
    {
      file: 'docs/aws.md',
      text: p('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'),
    },
    { file: 'docs/stripe.md', text: p('publishable: pk', '_live_', r(BASE62, 24)) },
    { file: 'docs/stripe.md', text: p('sk', '_test_', '0'.repeat(24)) },
    { file: '.env.example', text: p('GH_TOKEN=gh', 'p_', 'x'.repeat(36)) },
    { file: 'railway.env', text: `RAILWAY_PROJECT_ID=${uuid()}` },
    { file: 'railway.env', text: `RAILWAY_ENVIRONMENT_ID=${uuid()}` },
    {
      file: 'docker-compose.yml',
      text: 'DATABASE_URL: postgres://postgres:postgres@localhost:5432/app',
    },
    {
      file: 'docker-compose.yml',
      text: `DATABASE_URL: postgres://app:${r(BASE62, 16)}@127.0.0.1:5432/app`,
    },
    {
      file: 'config/database.yml',
      text: 'url: postgresql://app:${DB_PASSWORD}@db.example.org/app',
    },
    { file: 'config/database.yml', text: 'url: postgresql://app:<password>@db.example.org/app' },
    { file: 'config/database.yml', text: 'test: postgresql://app:pw@db/app' },
    { file: 'src/proxy.ts', text: 'const url = `postgres://AGENT:TOKEN@${host}:${port}/${db}`;' },
    { file: 'package.json', text: `{ "token": "${r(BASE62, 32)}", "name": "x" }` },
    { file: 'src/ids.ts', text: `export const requestId = '${uuid()}';` },
  ];
  return { plants, nearMisses };
}

/** Writes plants and near-misses: repository files under `repo`, home files under `home`. */
export function writeFixtures(repo: string, home: string, fixtures = credentialFixtures()): void {
  const byFile = new Map<string, string[]>();
  for (const item of [...fixtures.plants, ...fixtures.nearMisses]) {
    const path = join('home' in item && item.home === true ? home : repo, item.file);
    byFile.set(path, [...(byFile.get(path) ?? []), item.text]);
  }
  for (const [path, lines] of byFile) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.join('\n')}\n`);
  }
}
