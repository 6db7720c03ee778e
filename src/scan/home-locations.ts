import { basename } from 'node:path';

/**
 * Where the CLIs agents commonly read keep their logins, relative to the user's home, each with
 * the detector hint that turns on that file's own key names (`token` in Railway's config.json).
 */
export interface HomeLocation {
  /** Relative to the user's home. */
  readonly path: string;
  readonly hint?: string;
}

/** The CLI configs `airlock scan` reads in the user's home (shell histories too: tokens get pasted there). */
export const HOME_LOCATIONS: readonly HomeLocation[] = [
  { path: '.railway/config.json', hint: 'railway' },
  { path: '.aws/credentials', hint: 'aws' },
  { path: '.aws/config', hint: 'aws' },
  { path: '.config/gh/hosts.yml', hint: 'github' },
  { path: '.config/stripe/config.toml', hint: 'stripe' },
  { path: '.local/share/com.vercel.cli/auth.json', hint: 'vercel' },
  { path: 'Library/Application Support/com.vercel.cli/auth.json', hint: 'vercel' },
  { path: '.fly/config.yml', hint: 'fly' },
  { path: '.supabase/access-token', hint: 'supabase' },
  { path: '.config/neonctl/credentials.json', hint: 'neon' },
  { path: '.pgpass', hint: 'pgpass' },
  { path: '.bash_history' },
  { path: '.zsh_history' },
];

/** The detector hint for a file, from where it lies: a CLI config's, or `pgpass` for any `.pgpass`. */
export function hintForPath(path: string): string | undefined {
  const normalized = path.replaceAll('\\', '/');
  const location = HOME_LOCATIONS.find((candidate) => normalized.endsWith(`/${candidate.path}`));
  if (location?.hint !== undefined) return location.hint;
  return basename(normalized) === '.pgpass' ? 'pgpass' : undefined;
}

/**
 * Names worth opening even where git ignores them: environment files, IaC state and variables,
 * package-registry and netrc logins. Matched against a file's base name.
 */
export function isSensitiveName(name: string): boolean {
  return /^\.env.*$|\.env$|\.tfstate(\.backup)?$|\.tfvars(\.json)?$|^\.(npmrc|pypirc|netrc|pgpass)$|^credentials(\.json)?$|^secrets?\.(json|ya?ml|toml|env)$/i.test(
    name,
  );
}
