import { describe, expect, it } from 'vitest';
import { classifyShellCommand } from './classify.js';
import { GUARDED_TARGET_TYPE } from '../../core/index.js';
import { guardFindings, guardInvocation } from './guard.js';
import { couldMatch, expandBraces } from './guard-paths.js';
import type { GuardSettings, Invocation } from './types.js';
import { DYNAMIC_ARG, knownArg } from './types.js';

// Every route an agent could take to change what keeps Airlock in force, in every spelling,
// beside look-alikes that must stay as they were. Judged as the hooks judge: from /home/dev/proj.

const AIRLOCK_PID = 4242;
const GUARD: GuardSettings = {
  paths: [
    '/var/lib/airlock',
    '/opt/airlock',
    '/etc/systemd/system/airlock.service',
    '~/.claude/settings.json',
    '~/.codex/config.toml',
    '/etc/claude-code',
    '/etc/codex',
  ],
  names: [
    '.claude/settings.json',
    '.claude/settings.local.json',
    '.cursor/hooks.json',
    '.codex/hooks.json',
    '.codex/config.toml',
    '.gemini/settings.json',
    '.airlock',
  ],
  unreadable: ['/var/lib/airlock'],
  userHome: '/home/dev',
  processes: () => [
    {
      pid: AIRLOCK_PID,
      pgid: 4240,
      name: 'node',
      commandLine: 'node /opt/airlock/bin/airlock.js serve',
    },
    {
      pid: 5151,
      pgid: 5151,
      name: 'airlock-hook',
      commandLine: '/opt/airlock/dist/hook/airlock-hook claude',
    },
  ],
};

/** The guarded targets of a command line, or [] when nothing guarded is touched. */
async function guarded(command: string, cwd = '/home/dev/proj'): Promise<string[]> {
  const actions = await classifyShellCommand(command, cwd, 'shell', { guard: GUARD });
  return actions.flatMap((action) =>
    action.targets
      .filter((target) => target.type === GUARDED_TARGET_TYPE)
      .map((target) => target.id),
  );
}

/** An invocation of `name` with known arguments, for the commands the walker does not hand to the guard. */
function invocation(name: string, args: readonly string[]): Invocation {
  return {
    name,
    args: args.map(knownArg),
    cwd: '/home/dev/proj',
    project: '/home/dev/proj',
    stdin: { kind: 'none' },
    upstream: 'shell',
    files: undefined,
    mayHaveWritten: () => false,
    shell: () => Promise.resolve([]),
    exec: () => Promise.resolve([]),
  };
}

const WRITE_ROUTES = [
  'echo x > .claude/settings.json',
  'echo x >> .claude/settings.json',
  'echo x >| .claude/settings.json',
  'echo x &> .claude/settings.json',
  'echo x | tee .claude/settings.json',
  'echo x | tee -a .cursor/hooks.json',
  'sed -i s/airlock/true/ .claude/settings.json',
  'sed -i.bak -e s/a/b/ .codex/hooks.json',
  'mv .claude/settings.json /tmp/x',
  'mv /tmp/x .claude/settings.json',
  'mv -t .claude /tmp/settings.json',
  'cp /tmp/x .claude/settings.json',
  'install -m 644 /tmp/x .gemini/settings.json',
  'rm .claude/settings.json',
  'rm -f .claude/settings.local.json',
  'unlink .cursor/hooks.json',
  'ln -sf /tmp/x .claude/settings.json',
  'ln -s ~/.claude /tmp/claude',
  'truncate -s 0 .gemini/settings.json',
  'dd if=/dev/null of=.codex/config.toml',
  'chmod 000 .claude/settings.json',
  'chown nobody .cursor/hooks.json',
  'touch .claude/settings.json',
  'find .claude -delete',
  'find . -name settings.json -delete',
  'find ~/.claude -name "*.json" -exec rm {} +',
  "find . -name '*' -delete",
  "find . -name 'settings*' -exec rm {} +",
  'rsync -a /tmp/x/ .claude/',
  'git checkout -- .claude/settings.json',
  'git restore .claude/settings.json',
  'git -C /home/dev/proj/.claude checkout -- settings.json',
  'perl -pi -e s/a/b/ .claude/settings.json',
  'vim -es -c wq .claude/settings.json',
  'shred -u .codex/hooks.json',
  'patch .claude/settings.json < fix.diff',
  'sudo rm /etc/claude-code/managed-settings.json',
  'env rm .claude/settings.json',
  "bash -c 'rm .claude/settings.json'",
  "sh -c 'echo {} > .cursor/hooks.json'",
  'xargs rm .claude/settings.json < /dev/null',
  'echo $(rm .claude/settings.json)',
  'rm -rf /opt/airlock/dist',
  'echo pwned > /opt/airlock/bin/airlock-hook.cjs',
  'rm -rf /var/lib/airlock',
  'cp x /etc/systemd/system/airlock.service',
  'echo {} > /etc/codex/managed_config.toml',
];

const SPELLINGS = [
  'rm ~/.claude/settings.json',
  'rm $HOME/.claude/settings.json',
  'rm "${HOME}/.claude/settings.json"',
  'rm /home/dev/.claude/settings.json',
  'rm ../.claude/settings.json',
  'rm ./../../dev/.claude/./settings.json',
  'rm //home/dev//.claude/settings.json',
  'rm /proc/self/root/home/dev/.claude/settings.json',
  'rm .CLAUDE/Settings.json',
  'rm -rf ~/.claude',
  'rm -rf ~/.claude/',
  'rm -rf ~',
  'rm -rf .cursor',
  'rm -rf .c*',
  'rm .claude/*',
  'rm .claude/s*',
  'mv .c*/settings.json x',
  'rm .[c]laude/settings.json',
  'rm .{claude,x}/settings.json',
  'rm .claude/settings.{json,bak}',
  'rm -rf .*',
  'cd ~ && rm .codex/config.toml',
  'cd .. && rm proj/.claude/settings.json',
  'cd /home/dev/.claude && rm settings.json',
  'rm /home/dev/proj/sub/.claude/settings.json',
  'rm -rf .airlock',
];

const MUST_PASS = [
  'cat .claude/settings.json',
  'jq .hooks .claude/settings.json',
  'grep -n airlock .cursor/hooks.json',
  'cp .claude/settings.json /tmp/settings-backup.json',
  'git diff .claude/settings.json',
  'git add .claude/settings.json',
  'echo x > notes/claude-settings.json',
  'echo x > .claude/notes.md',
  'touch .claude/commands/review.md',
  'rm -rf dist/*',
  'rm -rf ?claude',
  // bash: a leading dot is matched only by a literal dot, never by `[.]`.
  'rm [.]claude/settings.json',
  'find . -name "*.pyc" -delete',
  'find dist -name "*.json" -delete',
  "find . -name 'settings*' -exec cat {} +",
  'echo /proc/1/environ',
  'cat /proc/self/environ',
  'cat /proc/$$/environ',
  'cat /proc/1/status',
  'ls /var/lib',
  'kill %1',
  'kill 1234',
  'kill $!',
  'npm run dev & sleep 1; kill $!',
  'pkill -f vitest',
  "pkill -f 'node server.js'",
  'killall vitest',
  'pgrep -f airlock',
  'ps aux | grep airlock',
  'systemctl status airlock',
  'systemctl stop nginx',
  'kill -l',
];

describe('guard: writes to what Airlock guards', () => {
  it.each(WRITE_ROUTES)('denies `%s`', async (command) => {
    expect(await guarded(command)).not.toEqual([]);
  });

  it.each(SPELLINGS)('denies the spelling `%s`', async (command) => {
    expect(await guarded(command)).not.toEqual([]);
  });

  it.each(MUST_PASS)('leaves `%s` to the policy', async (command) => {
    expect(await guarded(command)).toEqual([]);
  });

  it('names what is guarded and why, for the approver and the agent', async () => {
    const actions = await classifyShellCommand('rm -rf ~/.claude', '/home/dev/proj', 'shell', {
      guard: GUARD,
    });
    const target = actions
      .flatMap((action) => action.targets)
      .find((item) => item.type === GUARDED_TARGET_TYPE);
    expect(target).toEqual({
      type: GUARDED_TARGET_TYPE,
      id: '~/.claude/settings.json',
      attrs: { why: "an agent client's hook configuration" },
    });
    expect(actions.find((action) => action.targets.includes(target as never))?.effect).toBe(
      'destructive',
    );
  });

  it('guards nothing without guard settings', async () => {
    const actions = await classifyShellCommand(
      'rm .claude/settings.json',
      '/home/dev/proj',
      'shell',
    );
    expect(
      actions
        .flatMap((action) => action.targets)
        .some((target) => target.type === GUARDED_TARGET_TYPE),
    ).toBe(false);
  });
});

/** Every route with every spelling: `{}` stands for the path. */
const ROUTE_TEMPLATES = [
  'rm {}',
  'rm -rf {}',
  'echo x > {}',
  'echo x >> {}',
  'tee {} < /dev/null',
  'sed -i s/a/b/ {}',
  'mv {} /tmp/x',
  'mv /tmp/x {}',
  'cp /tmp/x {}',
  'install /tmp/x {}',
  'ln -sf /tmp/x {}',
  'truncate -s0 {}',
  'dd if=/dev/null of={}',
  'chmod 600 {}',
  'touch {}',
  'git checkout -- {}',
  'sudo rm {}',
  "bash -c 'rm {}'",
  'env rm {}',
  'find {} -delete',
  'rsync /tmp/x {}',
  'perl -pi -e s/a/b/ {}',
  'shred {}',
  'python3 fix.py {}',
];
const PATH_SPELLINGS = [
  '~/.claude/settings.json',
  '$HOME/.claude/settings.json',
  '/home/dev/.claude/settings.json',
  '../.claude/settings.json',
  '.claude/settings.json',
  '.claude/../.claude/settings.json',
  '.c*/settings.json',
  '.claude/*.json',
  '.claude/settings.{json,x}',
  '/home/dev/proj/.cursor/hooks.json',
  '.CURSOR/HOOKS.JSON',
  '/proc/self/root/home/dev/.codex/config.toml',
  '/etc/claude-code/managed-settings.json',
  '/var/lib/airlock/airlock.yaml',
  '/opt/airlock/bin/airlock-hook.cjs',
  '.gemini/settings.json',
  '~/.codex/hooks.json',
];

describe('guard: every route with every spelling', () => {
  it('denies each of the routes for each of the spellings', async () => {
    const missed: string[] = [];
    for (const template of ROUTE_TEMPLATES) {
      for (const spelling of PATH_SPELLINGS) {
        const command = template.replace('{}', spelling);
        if ((await guarded(command)).length === 0) missed.push(command);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('guard: code Airlock cannot follow', () => {
  it.each([
    "python3 -c \"open('.claude/settings.json', 'w').write('{}')\"",
    "node -e \"require('fs').writeFileSync(process.env.HOME + '/.claude/settings.json', '{}')\"",
    'python3 -c "print(open(\'/proc/1/environ\').read())"',
    'awk \'{ print > ".cursor/hooks.json" }\' /dev/null',
    "python3 - <<'EOF'\nopen('/var/lib/airlock/airlock.db').read()\nEOF",
    'python3 scripts/fix.py .claude/settings.json',
  ])('denies `%s`', async (command) => {
    expect(await guarded(command)).not.toEqual([]);
  });

  it.each([
    'python3 -c "print(1)"',
    "awk '{print $1}' .claude/settings.json",
    'node build.js',
    'python3 -c "open(\'/proc/self/environ\').read()"',
  ])('leaves `%s` to the policy', async (command) => {
    expect(await guarded(command)).toEqual([]);
  });
});

describe('guard: reads of secrets', () => {
  it.each([
    'cat /proc/1/environ',
    'strings /proc/*/environ',
    'cat /proc/[0-9]*/environ',
    "tr '\\0' '\\n' < /proc/1/environ",
    'cat /proc/$PID/environ',
    'cat /proc/1/task/1/environ',
    'cd /proc/1 && cat environ',
    'sudo cat /proc/1/environ',
    "bash -c 'xxd /proc/1/environ'",
    'cat /proc/self/root/proc/1/environ',
    'cat /var/lib/airlock/airlock.yaml',
    'cp /var/lib/airlock/audit-signing.key /tmp/k',
    'cat < /var/lib/airlock/airlock.yaml',
    'grep -r token /var/lib/airlock',
  ])('denies `%s`', async (command) => {
    expect(await guarded(command)).not.toEqual([]);
  });
});

describe('guard: signals to Airlock', () => {
  it.each([
    `kill ${AIRLOCK_PID}`,
    `kill -9 ${AIRLOCK_PID}`,
    `kill -s KILL ${AIRLOCK_PID}`,
    `kill -KILL ${AIRLOCK_PID}`,
    'kill -- -4240',
    'kill -9 -1',
    `/bin/kill ${AIRLOCK_PID}`,
    `sudo kill ${AIRLOCK_PID}`,
    `bash -c 'kill ${AIRLOCK_PID}'`,
    'pkill node',
    'pkill -f airlock',
    "pkill -f 'airl.ck'",
    "pkill -f '[a]irlock'",
    'pkill -9 -f airlock.js',
    'pkill -x airlock-hook',
    'pkill -u dev',
    'killall node',
    'killall airlock-hook',
    'pgrep -f airlock | xargs kill',
    'kill $(pgrep -f airlock)',
    'kill `pidof airlock-hook`',
    "ps aux | grep airlock | awk '{print $2}' | xargs kill -9",
    'systemctl stop airlock',
    'systemctl --user restart airlock.service',
    'sudo systemctl mask airlock',
    'systemctl disable --now airlock',
    'service airlock stop',
  ])('denies `%s`', async (command) => {
    expect(await guarded(command)).not.toEqual([]);
  });

  // The walker calls the guard only for commands it knows; these are asked directly.
  it.each([
    ['strace', '-p', `${AIRLOCK_PID}`],
    ['gdb', '-p', `${AIRLOCK_PID}`],
  ])('denies attaching to an Airlock process: %s %s %s', (name, ...args) => {
    expect(guardInvocation(invocation(name, args), GUARD).map((finding) => finding.effect)).toEqual(
      ['destructive'],
    );
  });

  it('pairs `pidof airlock-hook` with a kill of a pid only the run knows', () => {
    const lookup = guardInvocation(invocation('pidof', ['airlock-hook']), GUARD);
    const dynamicKill = guardInvocation({ ...invocation('kill', []), args: [DYNAMIC_ARG] }, GUARD);
    expect(
      guardFindings([...lookup, ...dynamicKill], GUARD).flatMap((finding) =>
        finding.targets.map((target) => target.type),
      ),
    ).toEqual([GUARDED_TARGET_TYPE]);
    expect(guardFindings(lookup, GUARD)).toEqual([]);
    expect(guardFindings(guardInvocation(invocation('pidof', ['vitest']), GUARD), GUARD)).toEqual(
      [],
    );
  });

  it('tests pkill patterns against Airlock command lines even when none runs', async () => {
    const none: GuardSettings = { ...GUARD, processes: () => [] };
    const judge = async (command: string) =>
      (await classifyShellCommand(command, '/p', 'shell', { guard: none })).some((action) =>
        action.targets.some((target) => target.type === GUARDED_TARGET_TYPE),
      );
    expect(await judge("pkill -f 'airl.ck'")).toBe(true);
    expect(await judge('pkill node')).toBe(false);
    expect(await judge(`kill ${AIRLOCK_PID}`)).toBe(false);
  });
});

describe('guard: glob segments', () => {
  it('matches like bash: a leading dot only by a literal dot, classes, negation, extglob groups as anything', () => {
    expect(couldMatch('.c*', '.claude')).toBe(true);
    expect(couldMatch('*', '.claude')).toBe(false);
    expect(couldMatch('*', '.claude', true)).toBe(true);
    expect(couldMatch('.[a-d]laude', '.claude')).toBe(true);
    expect(couldMatch('.[!c]laude', '.claude')).toBe(false);
    expect(couldMatch('settings.[[:alpha:]]son', 'settings.json')).toBe(true);
    expect(couldMatch('@(settings|x).json', 'settings.json')).toBe(true);
    expect(couldMatch('SETTINGS.JSON', 'settings.json')).toBe(true);
  });

  it('expands braces, and judges ranges and too many alternatives as `*`', () => {
    expect(expandBraces('.{claude,cursor}/x')).toEqual(['.claude/x', '.cursor/x']);
    expect(expandBraces('a{1..9}')).toEqual(['a*']);
    expect(expandBraces(`{${Array.from({ length: 70 }, (_, i) => `n${i}`).join(',')}}/x`)).toEqual([
      '*/x',
    ]);
  });
});
