import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { totpCode } from '../../../firewall/index.js';
import { systemClock } from '../../../platform/index.js';

// The demo's people at the shell: an administrator and approver using the real CLI, the demo
// itself playing their phones (it computes TOTP codes from the secrets enrolment printed), and
// the agent trying the same commands without a phone.

const BIN = fileURLToPath(new URL('../../../../bin/airlock.js', import.meta.url));
const ADMIN = 'dana';
/** The approver of the story. */
export const DEMO_APPROVER = 'carol';

/** What one CLI run printed. */
export interface ShellRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

// INVARIANT: asynchronous, so the gateway in this process keeps serving (and closing idle
// connections on time) while the command runs.
function airlock(
  home: string,
  actor: string,
  args: readonly string[],
  input: string,
): Promise<ShellRun> {
  return new Promise((done) => {
    const env = { ...process.env, AIRLOCK_ACTOR: actor };
    const child = execFile(
      process.execPath,
      [BIN, '--home', home, ...args],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) => done({ ok: error === null, stdout, stderr }),
    );
    // Codes go on stdin, as a person types them: never in argv or the environment.
    child.stdin?.end(input);
  });
}

function said(run: ShellRun): string[] {
  return (run.ok ? run.stdout : run.stderr)
    .trim()
    .split('\n')
    .map((line) => `      ${line}`);
}

/** The secret `--json` enrolment printed; the demo's stand-in for scanning the QR code. */
function enrolledSecret(run: ShellRun): string {
  if (!run.ok) throw new Error(`enrolment failed: ${run.stderr.trim()}`);
  return (JSON.parse(run.stdout) as { totp: { secret: string } }).totp.secret;
}

/**
 * The first administrator is bootstrapped, enrols the approver (with the administrator's code),
 * and the approver approves with a code from their phone. Returns the lines to show.
 */
export async function enrolAndApprove(home: string, approvalId: string): Promise<string[]> {
  const dana = enrolledSecret(
    await airlock(home, 'airlock', ['admin', 'bootstrap', ADMIN, '--json'], ''),
  );
  const enrol = [
    'approver',
    'add',
    DEMO_APPROVER,
    '--upstream',
    'railway',
    '--env',
    '*',
    '--as',
    ADMIN,
    '--json',
  ];
  const carol = enrolledSecret(
    await airlock(home, ADMIN, enrol, `${totpCode(dana, systemClock.now())}\n`),
  );
  const approved = await airlock(
    home,
    DEMO_APPROVER,
    ['approvals', 'approve', approvalId, '--as', DEMO_APPROVER],
    `${totpCode(carol, systemClock.now())}\n`,
  );
  return [
    `    $ airlock admin bootstrap ${ADMIN}            (the service user, once: ${ADMIN}'s phone scans the secret)`,
    `    $ airlock approver add ${DEMO_APPROVER} --upstream railway --env '*' --as ${ADMIN}   (${ADMIN} types a code from her phone)`,
    `    $ airlock approvals approve ${approvalId} --as ${DEMO_APPROVER}   (${DEMO_APPROVER} types a code from her phone)`,
    ...said(approved),
  ];
}

/** One attempt of the agent to approve from the shell. */
export interface SelfApproval {
  readonly code: 'made-up' | 'none';
  readonly refused: boolean;
  readonly lines: readonly string[];
}

/** The agent, with the developer's shell but no phone, tries to approve its own held request. */
export async function agentApprovesItself(
  home: string,
  approvalId: string,
  confirm: readonly string[],
): Promise<SelfApproval[]> {
  const args = [
    'approvals',
    'approve',
    approvalId,
    '--as',
    DEMO_APPROVER,
    ...(confirm.length === 0 ? [] : ['--confirm', ...confirm]),
  ];
  const shown = `    agent $ airlock approvals approve ${approvalId} --as ${DEMO_APPROVER}${confirm.length === 0 ? '' : ` --confirm ${confirm.join(' ')}`}`;
  const attempts: SelfApproval[] = [];
  for (const [code, input] of [
    ['made-up', '123456\n'],
    ['none', ''],
  ] as const) {
    const run = await airlock(home, 'agent:cursor-agent', args, input);
    attempts.push({
      code,
      refused: !run.ok,
      lines: [
        `${shown}   (${code === 'none' ? 'no code' : 'a made-up code'} on stdin)`,
        ...said(run),
      ],
    });
  }
  return attempts;
}
