/** A command line the sandbox test runs, with where it comes from. */
export interface SandboxCase {
  /** Unique, stable: `corpus sh-057`, `class sort -o #2`, `variant sh-057 bash -c`, `catalog sort #1`. */
  readonly label: string;
  readonly command: string;
  readonly cwd: string;
  /** A program that must be installed for the case to mean anything; skipped (and counted) otherwise. */
  readonly needs?: string;
  /** For a spelling that runs exactly what this line runs (a wrapper, a glob): the line. */
  readonly sameAs?: string;
}

/**
 * The classes of issue 15, one or more spellings each, run against the seeded project: every one
 * of them, if Airlock allows it, must do no more than its verdict says. `scripts/cleanup.sh` and
 * `bin/ls` (see seed-project.ts) delete `.env`.
 */
const CLASSES: Record<string, readonly string[]> = {
  'sort -o': [
    'sort -o notes.sorted notes.txt',
    'sort --output=README.md notes.txt',
    'sort notes.txt -o src/app.ts',
  ],
  'uniq IN OUT': ['uniq notes.txt notes.uniq', 'uniq notes.txt README.md'],
  'tar checkpoint-action': [
    "tar --checkpoint=1 --checkpoint-action=exec='rm -f .env' -cf /dev/null README.md",
  ],
  'vim -c': ["vim -es -c '!rm -f .env' -c 'qa!' README.md"],
  'make --eval': ["make --eval='x := $(shell rm -f .env)' test"],
  'sed runs or writes': [
    "sed -n '1e rm -f .env' README.md",
    "sed 's/Never/Always/w .env' README.md",
  ],
  'awk system': ['awk \'BEGIN { system("rm -f .env") }\''],
  'find -fprint': ['find . -maxdepth 0 -fprint .env'],
  'git log --output': ['git log --output=README.md -1'],
  trap: ["trap 'rm -f .env' EXIT", "trap 'rm -f .env' EXIT; ls"],
  alias: ["shopt -s expand_aliases\nalias ls='rm -f .env'\nls"],
  'hash -p': ['hash -p /usr/bin/rm ls; ls -f .env'],
  'mapfile -C': ["mapfile -C 'rm -f .env #' -c 1 < notes.txt"],
  'compgen -C': ["compgen -C 'rm -f .env' x"],
  'arithmetic subscript': [
    "test -v 'a[$(rm -f .env)]'",
    "[[ -v 'a[$(rm -f .env)]' ]]",
    "let 'x=a[$(rm -f .env)]'",
    "printf -v 'a[$(rm -f .env)]' x",
    "read 'a[$(rm -f .env)]' <<< x",
  ],
  'npx -c': ["npx -c 'rm -f .env'", "npm exec -c 'rm -f .env'"],
  'npm scripts': ['npm run clean', 'npm run build', 'npm test', 'npm run lint'],
  'make targets': ['make clean', 'make build', 'make test'],
  'environment prefix': [
    'PATH=./bin:$PATH ls',
    'BASH_ENV=./scripts/cleanup.sh bash -c true',
    'GIT_EXTERNAL_DIFF=./scripts/cleanup.sh git diff',
    'GIT_EDITOR=./scripts/cleanup.sh git commit --allow-empty',
    'PAGER=./scripts/cleanup.sh git -p log -1',
  ],
  'project scripts': [
    './scripts/deploy.sh',
    'sh scripts/deploy.sh',
    'bash scripts/cleanup.sh',
    'source scripts/cleanup.sh',
    './node_modules/.bin/hello',
  ],
  'write then run': [
    "echo 'rm -f .env' > tidy.sh && bash tidy.sh",
    "printf 'rm -f .env\\n' > t.sh; sh t.sh",
    "cat > run.sh <<'EOF'\nrm -f .env\nEOF\nchmod +x run.sh && ./run.sh",
  ],
  'precious globs': [
    'rm -f .env*',
    'rm data/app.d[b]',
    'rm -f .en?',
    'rm -f ./.e*v',
    'rm -f data/*.db',
    'rm -f data/app.*',
    'rm -f */app.db',
    'rm -f .[e]nv .env.loca?',
  ],
  'precious writes': [
    'cp notes.txt .env',
    'mv README.md .env.bak',
    'ln -sf /dev/null .env',
    'echo x > data/app.db',
    'truncate -s 0 data/app.db',
  ],
  signals: ['kill -9 1', 'kill -TERM -1'],
};

// Programs a class needs beyond coreutils and bash (skipped and counted where absent).
const NEEDS: Record<string, string> = { 'vim -c': 'vim', 'npx -c': 'npx', 'npm scripts': 'npm' };

/** Every explicit class case, in the project at /repo. */
export function classCases(cwd = '/repo'): SandboxCase[] {
  return Object.entries(CLASSES).flatMap(([name, commands]) =>
    commands.map((command, index) => ({
      label: `class ${name} #${index + 1}`,
      command,
      cwd,
      ...(NEEDS[name] === undefined ? {} : { needs: NEEDS[name] }),
    })),
  );
}
