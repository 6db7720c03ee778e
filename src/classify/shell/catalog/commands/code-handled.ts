import type { CommandSpecInput } from '../command-schema.js';

/**
 * Commands judged by code (files.ts, git.ts, platforms.ts) because data cannot say what they do:
 * their operands pair up (`mv SRC… DEST`), they carry other languages (SQL, GraphQL), or their
 * subcommands are verbs. Each is declared here once, with why, so that every command Airlock
 * knows has one entry.
 */
type Entry = Omit<CommandSpecInput, 'otherOptions' | 'reversible'> & { reversible?: boolean };
const coded = (
  module: 'files' | 'git' | 'platforms',
  entries: readonly Entry[],
): CommandSpecInput[] =>
  entries.map((entry) => ({
    reversible: entry.effect === 'read' || entry.effect === 'write',
    otherOptions: 'unknown',
    ...entry,
    handler: module,
  }));

const FILES = coded('files', [
  {
    name: 'rm',
    aliases: ['unlink'],
    package: 'coreutils',
    effect: 'write',
    why: 'deletes; each operand is judged by the loss rules (a tree, a precious file or anything outside the project is destructive)',
    examples: [
      { command: 'touch /tmp/x && rm -f /tmp/x', effect: 'write' },
      { command: 'rm --help', effect: 'read' },
    ],
  },
  {
    name: 'srm',
    package: 'secure-delete',
    effect: 'destructive',
    why: 'overwrites then deletes: nothing can be recovered',
    examples: [{ command: 'srm --help || true', effect: 'read' }],
  },
  {
    name: 'shred',
    aliases: ['truncate'],
    package: 'coreutils',
    effect: 'destructive',
    why: 'overwrites content in place, judged like deleting a tree',
    examples: [
      { command: 'shred --help', effect: 'read' },
      { command: 'truncate -s 0 /tmp/t.txt', effect: 'write' },
    ],
  },
  {
    name: 'wipe',
    package: 'wipe',
    effect: 'destructive',
    why: 'overwrites then deletes files',
    examples: [{ command: 'wipe -h || true', effect: 'read' }],
  },
  {
    name: 'dd',
    package: 'coreutils',
    effect: 'write',
    why: '`of=` is overwritten (devices are destructive)',
    examples: [{ command: 'dd if=package.json of=/tmp/p.json', effect: 'write' }],
  },
  {
    name: 'mv',
    aliases: ['cp', 'install'],
    package: 'coreutils',
    effect: 'write',
    why: 'the destination is replaced and mv takes sources away: judged by the loss rules (`-t`, `-n` understood)',
    examples: [
      { command: 'cp package.json /tmp/p.json', effect: 'write' },
      { command: 'cp package.json p2.json && mv p2.json p3.json', effect: 'write' },
    ],
  },
  {
    name: 'ln',
    package: 'coreutils',
    effect: 'write',
    why: 'creates links; `-f` replaces the destination',
    examples: [{ command: 'ln -s package.json /tmp/p-link', effect: 'write' }],
  },
  {
    name: 'rsync',
    package: 'rsync',
    effect: 'write',
    why: 'copies trees; `--delete` and `--remove-source-files` lose files, `-e` runs a program to reach the other side',
    examples: [{ command: 'rsync -a src/ /tmp/src-copy/', effect: 'write' }],
  },
  {
    name: 'find',
    package: 'findutils',
    effect: 'read',
    why: 'searches; `-delete`, `-exec`/`-ok` (the command is judged), `-fprint`/`-fls` write files',
    examples: [
      { command: "find . -name '*.ts' -print", effect: 'read' },
      { command: 'find . -maxdepth 1 -fprint /tmp/list.txt', effect: 'write' },
    ],
  },
  {
    name: 'tee',
    package: 'coreutils',
    effect: 'write',
    why: 'writes standard input to files (truncating unless -a)',
    examples: [{ command: 'echo hi | tee /tmp/hi.txt', effect: 'write' }],
  },
  {
    name: 'sed',
    package: 'sed',
    aliases: [{ name: 'gsed', package: 'brew:gnu-sed' }],
    effect: 'read',
    why: 'edits text; `-i` rewrites files in place, and the script’s `w`, `e` and `s///e` write files or run commands',
    examples: [
      { command: "sed -n '1p' package.json", effect: 'read' },
      { command: "cp package.json /tmp/p.json && sed -i 's/a/b/' /tmp/p.json", effect: 'write' },
    ],
  },
  {
    name: 'crontab',
    package: 'cron',
    effect: 'write',
    why: 'installs or removes the user’s scheduled commands (`-r` destroys them)',
    examples: [{ command: 'crontab -l || true', effect: 'read' }],
  },
  {
    name: 'mkfs',
    aliases: [
      { name: 'mkfs.ext4', package: 'e2fsprogs' },
      { name: 'mke2fs', package: 'e2fsprogs' },
    ],
    package: 'util-linux',
    effect: 'destructive',
    why: 'creates a file system, erasing the device',
    examples: [{ command: 'mkfs --help || true', effect: 'read' }],
  },
  {
    name: 'mkfs.xfs',
    package: 'xfsprogs',
    effect: 'destructive',
    why: 'creates a file system, erasing the device',
    examples: [{ command: 'mkfs.xfs --help || true', effect: 'read' }],
  },
  {
    name: 'mkfs.vfat',
    package: 'dosfstools',
    effect: 'destructive',
    why: 'creates a file system, erasing the device',
    examples: [{ command: 'mkfs.vfat --help || true', effect: 'read' }],
  },
  {
    name: 'fdisk',
    aliases: ['sfdisk'],
    package: 'fdisk',
    effect: 'destructive',
    why: 'rewrites partition tables',
    examples: [{ command: 'fdisk --help', effect: 'read' }],
  },
  {
    name: 'parted',
    package: 'parted',
    effect: 'destructive',
    why: 'rewrites partition tables',
    examples: [{ command: 'parted --help', effect: 'read' }],
  },
  {
    name: 'wipefs',
    aliases: ['blkdiscard'],
    package: 'util-linux',
    effect: 'destructive',
    why: 'erases file system signatures or discards a device’s blocks',
    examples: [{ command: 'wipefs --help', effect: 'read' }],
  },
  {
    name: 'sgdisk',
    package: 'gdisk',
    effect: 'destructive',
    why: 'rewrites GPT partition tables',
    examples: [{ command: 'sgdisk --help || true', effect: 'read' }],
  },
  {
    name: 'shutdown',
    aliases: ['reboot', 'halt', 'poweroff'],
    package: 'systemd-sysv',
    effect: 'destructive',
    why: 'stops the machine and everything on it',
    examples: [{ command: 'shutdown --help', effect: 'read' }],
  },
]);

const GIT = coded('git', [
  {
    name: 'git',
    package: 'git',
    effect: 'write',
    why: 'subcommands judged one by one: force pushes, hard resets, cleans and branch deletions destroy; config keys and options that run programs (`core.pager`, `rebase --exec`, `--upload-pack`) are judged or unknown',
    examples: [
      { command: 'git status', effect: 'read' },
      { command: 'git log --oneline -3', effect: 'read' },
      { command: 'git diff --output=/tmp/d.txt', effect: 'write' },
    ],
  },
]);

const cli = (
  name: string,
  pkg: string,
  why: string,
  example = `${name} --version`,
  effect: CommandSpecInput['effect'] = 'write',
  aliases: CommandSpecInput['aliases'] = [],
): Entry => ({
  name,
  aliases,
  package: pkg,
  effect,
  why,
  examples: [{ command: example, effect: 'read' }],
});

const PLATFORMS = coded('platforms', [
  cli(
    'railway',
    'npm:@railway/cli',
    'Railway CLI: verbs judged; `api` GraphQL is classified by the Railway catalog; `run` runs a local command',
  ),
  cli('aws', 'awscli', 'AWS CLI: verbs (delete-*, terminate-*) and `--delete` judged'),
  cli('gcloud', 'vendor:google-cloud-cli', 'Google Cloud CLI: verbs judged'),
  cli('gsutil', 'vendor:google-cloud-cli', 'Cloud Storage CLI: verbs and `-d` judged'),
  cli('az', 'azure-cli', 'Azure CLI: verbs judged'),
  cli('fly', 'vendor:flyctl', 'Fly.io CLI: verbs judged', 'fly version', 'write', ['flyctl']),
  cli('vercel', 'npm:vercel', 'Vercel CLI: verbs judged'),
  cli('netlify', 'npm:netlify-cli', 'Netlify CLI: verbs judged'),
  cli('supabase', 'npm:supabase', 'Supabase CLI: verbs judged'),
  cli('neonctl', 'npm:neonctl', 'Neon CLI: verbs judged', 'neonctl --version', 'write', ['neon']),
  cli('heroku', 'npm:heroku', 'Heroku CLI: verbs judged (`apps:destroy`)'),
  cli('doctl', 'vendor:doctl', 'DigitalOcean CLI: verbs judged', 'doctl version'),
  cli('firebase', 'npm:firebase-tools', 'Firebase CLI: verbs judged'),
  cli('wrangler', 'npm:wrangler', 'Cloudflare Workers CLI: verbs judged'),
  cli('render', 'vendor:render-cli', 'Render CLI: verbs judged'),
  cli(
    'kubectl',
    'kubernetes-client',
    'Kubernetes CLI: verbs judged; `--prune`, `--force`, drain destroy',
    'kubectl version --client',
  ),
  cli('oc', 'vendor:openshift-client', 'OpenShift CLI: verbs judged', 'oc version --client'),
  cli('helm', 'vendor:helm', 'Helm: verbs judged', 'helm version'),
  cli(
    'terraform',
    'vendor:terraform',
    'Terraform: apply and import may destroy (only the plan knows); destroy destroys',
    'terraform version',
    'destructive',
    [
      { name: 'tofu', package: 'vendor:opentofu' },
      { name: 'terragrunt', package: 'vendor:terragrunt' },
    ],
  ),
  cli('pulumi', 'vendor:pulumi', 'Pulumi: up may destroy', 'pulumi version', 'destructive'),
  cli(
    'docker',
    'docker.io',
    'Docker: rm, prune and volume removal destroy; run and exec run unseen commands',
    'docker --version',
    'write',
    [{ name: 'podman', package: 'podman' }],
  ),
  cli('docker-compose', 'docker-compose', 'Compose v1: judged as `docker compose`'),
  cli('gh', 'gh', 'GitHub CLI: verbs judged; `api` by method'),
  cli('rclone', 'rclone', 'rclone: sync, purge and delete destroy'),
  cli('s3cmd', 's3cmd', 's3cmd: del and rb destroy'),
  cli(
    'prisma',
    'npm:prisma',
    'Prisma: migrate reset and --force-reset, --accept-data-loss destroy',
  ),
  cli('rails', 'gem:railties', 'Rails: db:drop, db:reset destroy'),
  cli('rake', 'rake', 'Rake: db:drop, db:reset destroy'),
  cli('sequelize', 'npm:sequelize-cli', 'Sequelize CLI: drop and undo destroy'),
  cli('knex', 'npm:knex', 'Knex CLI: rollback destroys'),
  cli('typeorm', 'npm:typeorm', 'TypeORM CLI: schema:drop destroys'),
  cli('drizzle-kit', 'npm:drizzle-kit', 'Drizzle Kit: drop destroys; push may lose data'),
  cli(
    'curl',
    'curl',
    'HTTP requests: GET reads, DELETE destroys, GraphQL bodies classified, other methods unknown; `-o` writes',
    'curl --version',
    'read',
  ),
  cli('wget', 'wget', 'downloads files; request bodies and methods are unknown', 'wget --version'),
  cli(
    'psql',
    'postgresql-client-common',
    'SQL given with -c, files or standard input, judged by the SQL classifier',
    'psql --version',
    'unknown',
  ),
  cli(
    'mysql',
    'mariadb-client-core',
    'SQL given with -e, judged by the SQL classifier',
    'mysql --version',
    'unknown',
    ['mariadb'],
  ),
  cli(
    'sqlite3',
    'sqlite3',
    'SQL given as an operand, judged by the SQL classifier',
    'sqlite3 --version',
    'unknown',
  ),
  cli(
    'redis-cli',
    'redis-tools',
    'Redis commands judged by name (FLUSHALL, DEL…)',
    'redis-cli --version',
    'unknown',
  ),
  cli(
    'mongosh',
    'npm:mongosh',
    'MongoDB shell: JavaScript against the database is unknown',
    'mongosh --version',
    'unknown',
    [{ name: 'mongo', package: 'vendor:mongodb-org-shell' }],
  ),
  cli('dropdb', 'postgresql-client-common', 'drops a database', 'dropdb --help', 'destructive', [
    'dropuser',
  ]),
  cli(
    'pg_restore',
    'postgresql-client-common',
    'restores a dump; `--clean` drops first',
    'pg_restore --version',
  ),
  cli(
    'pg_dump',
    'postgresql-client-common',
    'reads a database into a dump',
    'pg_dump --version',
    'read',
    ['pg_dumpall'],
  ),
  cli('mysqldump', 'mariadb-client', 'reads a database into a dump', 'mysqldump --version', 'read'),
  cli(
    'mysqladmin',
    'mariadb-client',
    'administers a server: verbs judged (drop destroys)',
    'mysqladmin --version',
  ),
  cli('createdb', 'postgresql-client-common', 'creates a database', 'createdb --help'),
]);

export const CODE_HANDLED_COMMANDS: readonly CommandSpecInput[] = [...FILES, ...GIT, ...PLATFORMS];
