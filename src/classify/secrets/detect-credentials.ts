import { createHash } from 'node:crypto';
import type { CredentialRule } from './credential-rules.js';
import { CREDENTIAL_RULES } from './credential-rules.js';

/**
 * Finds provider credentials in a text, without I/O: what `airlock scan` reports and what the
 * hooks refuse to hand an agent. A match names the rule, the line and a fingerprint; the secret
 * itself never leaves this module (SECURITY: not in a match, a message or an error).
 */

/** One credential found in a text. */
export interface CredentialMatch {
  readonly rule: string;
  readonly platform: string;
  readonly kind: string;
  readonly can: string;
  /** 1-based line and column of the secret's first character. */
  readonly line: number;
  readonly column: number;
  /** The first 8 hex digits of the secret's SHA-256: tells two findings of one secret apart, reveals nothing usable. */
  readonly fingerprint: string;
}

/** What the text is, when a caller knows: a CLI's own config file turns on its generic names (`token`). */
export interface DetectOptions {
  /** `railway`, `vercel`, `fly`, `neon`, `pgpass`…: the `onlyIn` of the rules to apply as well. */
  readonly hint?: string;
}

/** Longest line looked at; longer lines (minified bundles) are looked at up to here. */
const MAX_LINE_CHARS = 16 * 1024;
/** A name, then `=`, `:` or `:=` (quoted or not, `export` or not), then the value up to a delimiter. */
const ASSIGNMENT =
  /(?:^|[\s{,;(])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?::=|=|:)\s*["'`]?([^\s"'`,;}]+)/g;
const POSTGRES_URL = /\bpostgres(?:ql)?:\/\/[^\s:/@"'`]*:([^\s@"'`]+)@([^\s/:?"'`,]+)/g;
/** Words that mark a documented example or a template, not a credential. */
const PLACEHOLDER_WORDS =
  /example|placeholder|your|dummy|sample|changeme|redacted|replace|insert|secret_here|token_here|xxxx|\*\*\*|\.\.\.|<|>|\{\{|\$\{|^\$/i;
/** Passwords that are a template's, not anyone's. */
const PLACEHOLDER_PASSWORDS = new Set([
  'password',
  'pass',
  'passwd',
  'secret',
  'pwd',
  'postgres',
  'user',
  'changeme',
  'x',
  'xxx',
]);
/** Shorter PostgreSQL passwords are taken for a test's or a template's (`app:pw@db`). */
const MIN_PASSWORD_CHARS = 6;
/** Hosts of a developer's own machine: a password there is not a provider credential. */
const LOCAL_HOSTS =
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1|0\.0\.0\.0|host\.docker\.internal)$/i;

/** Every credential in `text`, in order of appearance, each secret once per line. */
export function detectCredentials(text: string, options: DetectOptions = {}): CredentialMatch[] {
  const matches: CredentialMatch[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((full, index) => {
    const line = full.length > MAX_LINE_CHARS ? full.slice(0, MAX_LINE_CHARS) : full;
    const seen = new Set<string>();
    const add = (
      rule: Pick<CredentialRule, 'id' | 'platform' | 'kind' | 'can'>,
      secret: string,
      at: number,
    ): void => {
      if (seen.has(secret) || isPlaceholder(secret)) return;
      seen.add(secret);
      matches.push({
        rule: rule.id,
        platform: rule.platform,
        kind: rule.kind,
        can: rule.can,
        line: index + 1,
        column: at + 1,
        fingerprint: fingerprintOf(secret),
      });
    };
    tokenMatches(line, add);
    namedMatches(line, options.hint, add);
    postgresMatches(line, options.hint, add);
  });
  return matches;
}

/** The fingerprint findings carry: first 8 hex digits of SHA-256. */
export function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

type Add = (
  rule: Pick<CredentialRule, 'id' | 'platform' | 'kind' | 'can'>,
  secret: string,
  at: number,
) => void;

/** Every token rule's pattern at once: a line none of them matches is skipped in one test. */
const ANY_TOKEN = new RegExp(
  CREDENTIAL_RULES.flatMap((rule) =>
    rule.pattern === undefined ? [] : [rule.pattern.source],
  ).join('|'),
);

function tokenMatches(line: string, add: Add): void {
  if (!ANY_TOKEN.test(line)) return;
  for (const rule of CREDENTIAL_RULES) {
    if (rule.pattern === undefined) continue;
    for (const match of line.matchAll(rule.pattern)) {
      const secret = match[1] ?? match[0];
      add(rule, secret, (match.index ?? 0) + match[0].indexOf(secret));
    }
  }
}

function namedMatches(line: string, hint: string | undefined, add: Add): void {
  for (const match of line.matchAll(ASSIGNMENT)) {
    const [whole, name = '', value = ''] = match;
    const at = (match.index ?? 0) + whole.lastIndexOf(value);
    const rule = CREDENTIAL_RULES.find(
      (candidate) =>
        candidate.names !== undefined &&
        (candidate.onlyIn === undefined || candidate.onlyIn === hint) &&
        candidate.names.test(name) &&
        candidate.value?.test(value) === true,
    );
    if (rule !== undefined) add(rule, value, at);
  }
}

function postgresMatches(line: string, hint: string | undefined, add: Add): void {
  for (const match of line.matchAll(POSTGRES_URL)) {
    const [whole, password = '', host = ''] = match;
    if (LOCAL_HOSTS.test(host) || /[${]/.test(host) || isTemplatePassword(password)) continue;
    add(postgresRule(host), password, (match.index ?? 0) + whole.indexOf(`:${password}@`) + 1);
  }
  // ~/.pgpass: host:port:database:user:password, one entry a line.
  if (hint === 'pgpass' && !line.startsWith('#')) {
    const fields = line.split(/(?<!\\):/);
    const password = fields.slice(4).join(':');
    const host = fields[0] ?? '';
    if (fields.length >= 5 && !LOCAL_HOSTS.test(host) && !isTemplatePassword(password)) {
      add(postgresRule(host), password, line.length - password.length);
    }
  }
}

/**
 * A password in a template or a test rather than a credential: a known default, shorter than
 * MIN_PASSWORD_CHARS, or one upper-case word (`TOKEN`, `PASSWORD`) standing for the value.
 */
function isTemplatePassword(password: string): boolean {
  return (
    password.length < MIN_PASSWORD_CHARS ||
    PLACEHOLDER_PASSWORDS.has(password.toLowerCase()) ||
    /^[A-Z_]+$/.test(password)
  );
}

/** The platform a PostgreSQL host belongs to, as its domain tells. */
function postgresRule(host: string): Pick<CredentialRule, 'id' | 'platform' | 'kind' | 'can'> {
  const platform = /\.neon\.tech$/i.test(host)
    ? 'neon'
    : /supabase\.(co|com)$/i.test(host)
      ? 'supabase'
      : /(rlwy\.net|railway\.app|railway\.internal)$/i.test(host)
        ? 'railway'
        : 'postgres';
  return {
    id: 'postgres-password',
    platform,
    kind: 'PostgreSQL password (in a connection string or .pgpass)',
    can: 'whatever the database role may do on that server',
  };
}

/**
 * A documented example or a template value rather than a credential: placeholder words, one
 * character repeated, or too little variety for a generated secret (`sk_live_000000000000…`).
 */
function isPlaceholder(secret: string): boolean {
  if (PLACEHOLDER_WORDS.test(secret)) return true;
  const body = secret.replace(/^[a-z]{2,10}_(live_|test_|secret_|pat_)?/i, '');
  if (/(.)\1{5,}/.test(body)) return true;
  return body.length >= 16 && entropyBits(body) < 3;
}

/** Shannon entropy in bits per character. */
function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
