import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../core/index.js';
import { classifyShellCommand } from '../index.js';

const ORDER: readonly Effect[] = ['read', 'write', 'execute', 'destructive', 'unknown'];

/** The line's worst effect and every path it names as written or destroyed. */
async function judged(command: string): Promise<{ effect: Effect; written: string[] }> {
  const actions = await classifyShellCommand(command, '/repo', 'shell');
  const effect = actions
    .map((action) => action.effect)
    .reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'read' as Effect);
  const written = actions
    .filter((action) => action.effect !== 'read')
    .flatMap((action) =>
      action.targets.filter((target) => target.type === 'path').map((target) => target.id),
    );
  return { effect, written: [...new Set(written)].sort() };
}

/** [command, worst effect, the paths it must name as written (all of them, sorted)]. */
type Case = readonly [string, Effect, readonly string[]];

// Each gap the shell sandbox found: a file the run writes that the verdict did not name.
const CASES: Record<string, readonly Case[]> = {
  'terraform output options': [
    ['terraform plan -out=tfplan', 'write', ['/repo/tfplan']],
    ['terraform plan -out tfplan', 'write', ['/repo/tfplan']],
    ['terraform plan -out=.env', 'destructive', ['/repo/.env']],
    ['terraform plan -out=/etc/plan', 'destructive', ['/etc/plan']],
    ['terraform refresh -state-out=terraform.tfstate', 'destructive', ['/repo/terraform.tfstate']],
    ['terraform plan -backup=-', 'read', []],
    ['terraform output -json', 'read', []],
  ],
  'sed -i backups': [
    ["sed -i.bak 's/foo/bar/' src/app.ts", 'write', ['/repo/src/app.ts', '/repo/src/app.ts.bak']],
    ["sed 's/foo/bar/' src/app.ts -i.bak", 'write', ['/repo/src/app.ts', '/repo/src/app.ts.bak']],
    [
      "sed --in-place=.bak 's/foo/bar/' src/app.ts",
      'write',
      ['/repo/src/app.ts', '/repo/src/app.ts.bak'],
    ],
    ["sed -i'*.orig' 's/a/b/' src/app.ts", 'write', ['/repo/src/app.ts', '/repo/src/app.ts.orig']],
    [
      "sed -i'bak/*' 's/a/b/' src/app.ts",
      'write',
      ['/repo/bak/app.ts', '/repo/src/app.ts', '/repo/src/bak/app.ts'],
    ],
    ["sed -i 's/a/b/' src/app.ts", 'write', ['/repo/src/app.ts']],
    // The suffix is not a cluster of options: `-i.env` is not `-i -e nv`, so the script stays a script.
    ["sed -i.env 's/a/b/' notes.txt", 'write', ['/repo/notes.txt', '/repo/notes.txt.env']],
    ["sed -i'.db' 's/a/b/' data/app", 'destructive', ['/repo/data/app', '/repo/data/app.db']],
  ],
  'compressors in place': [
    ['gzip src/app.ts', 'write', ['/repo/src/app.ts', '/repo/src/app.ts.gz']],
    ['gzip -k src/app.ts', 'write', ['/repo/src/app.ts.gz']],
    ['gzip -c src/app.ts', 'read', []],
    ['gzip -S .z notes.txt', 'write', ['/repo/notes.txt', '/repo/notes.txt.z']],
    ['gunzip x.gz', 'write', ['/repo/x', '/repo/x.gz']],
    ['gzip -d x.tgz', 'write', ['/repo/x.tar', '/repo/x.tgz']],
    ['gzip .env', 'destructive', ['/repo/.env', '/repo/.env.gz']],
    ['gzip /etc/passwd', 'destructive', ['/etc/passwd', '/etc/passwd.gz']],
    ['bzip2 notes.txt', 'write', ['/repo/notes.txt', '/repo/notes.txt.bz2']],
    ['bunzip2 a.bz2', 'write', ['/repo/a', '/repo/a.bz2']],
    ['xz notes.txt', 'write', ['/repo/notes.txt', '/repo/notes.txt.xz']],
    ['unxz a.xz', 'write', ['/repo/a', '/repo/a.xz']],
    ['lzma notes.txt', 'write', ['/repo/notes.txt', '/repo/notes.txt.lzma']],
    ['zstd notes.txt', 'write', ['/repo/notes.txt.zst']],
    ['zstd --rm notes.txt', 'write', ['/repo/notes.txt', '/repo/notes.txt.zst']],
    ['unzstd a.zst', 'write', ['/repo/a']],
    ['sort --compress-program=gzip src/app.ts', 'write', []],
  ],
  mktemp: [
    ['mktemp', 'write', ['/tmp/tmp.*']],
    ['mktemp -d', 'write', ['/tmp/tmp.*']],
    ['mktemp -p /var/tmp', 'write', ['/var/tmp/tmp.*']],
    ['mktemp --tmpdir=/tmp/w x.XXXX', 'write', ['/tmp/w/x.*']],
    ['mktemp --tmpdir foo.XXXX', 'write', ['/tmp/foo.*']],
    ['mktemp -t foo.XXXX', 'write', ['/tmp/foo.*']],
    ['mktemp build.XXXXXX', 'write', ['/repo/build.*']],
  ],
  'split and csplit': [
    ['split -l 10 src/app.ts /tmp/piece-', 'write', ['/tmp/piece-*']],
    ['split src/app.ts', 'write', ['/repo/x*']],
    ['split --additional-suffix=.db src/app.ts data/part', 'destructive', ['/repo/data/part*.db']],
    ['csplit -f /tmp/part- src/app.ts 2', 'write', ['/tmp/part-*']],
    ['csplit src/app.ts 2', 'write', ['/repo/xx*']],
    ['csplit --prefix=/etc/piece src/app.ts 2', 'destructive', ['/etc/piece*']],
  ],
  ln: [
    ['ln -s package.json /tmp/p-link', 'write', ['/tmp/p-link']],
    ['ln README.md copy.md', 'write', ['/repo/copy.md']],
    ['ln -s /opt/tool/bin/run', 'write', ['/repo/run']],
    ['ln -t /tmp a b', 'write', ['/tmp/a', '/tmp/b']],
    ['ln -s a b links', 'write', ['/repo/links/a', '/repo/links/b']],
    ['ln -sf /dev/null .env', 'destructive', ['/repo/.env']],
    ['ln -sf x /etc/hosts', 'destructive', ['/etc/hosts']],
    ['ln -sfb x y', 'write', ['/repo/y', '/repo/y~']],
  ],
};

describe('commands that name the files they write themselves', () => {
  for (const [group, cases] of Object.entries(CASES)) {
    describe(group, () => {
      it.each(cases.map((item) => [...item]))('%s → %s', async (command, effect, written) => {
        expect(await judged(command as string)).toEqual({ effect, written });
      });
    });
  }
});
