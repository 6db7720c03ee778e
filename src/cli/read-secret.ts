import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, readFileSync, writeSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';

// SECURITY: codes and credentials come from the terminal or stdin, never from argv (visible in
// `ps`) or the environment (readable from /proc by any process of the user, the agent's too).

/** Lines piped on stdin, read once and handed out in order (a code, then a credential). */
let piped: string[] | undefined;

/**
 * One line from the person at the terminal: prompted on /dev/tty when stdin is a terminal,
 * otherwise the next line of stdin. `hidden` turns echo off while a password is typed.
 */
export function readSecretLine(prompt: string, options: { hidden?: boolean } = {}): string {
  if (!process.stdin.isTTY) {
    piped ??= readFileSync(0, 'utf8').split(/\r?\n/);
    return piped.shift() ?? '';
  }
  return promptOnTerminal(prompt, options.hidden === true);
}

/** A TOTP code for `name`, six digits; refused before anything is sent when there is none. */
export function readTotpCode(name: string): string {
  const code = readSecretLine(`TOTP code for ${name} (from the authenticator app): `).trim();
  if (code === '') {
    throw new CliFailure(
      `a TOTP code for \`${name}\` is needed: type it at the prompt or pipe it on stdin (never an argument)`,
      EXIT.invalidInput,
    );
  }
  return code;
}

function promptOnTerminal(prompt: string, hidden: boolean): string {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new CliFailure(
      'no terminal to ask on: pipe the answer on stdin instead',
      EXIT.invalidInput,
    );
  }
  try {
    writeSync(fd, prompt);
    if (hidden) setEcho(fd, false);
    try {
      return readLine(fd);
    } finally {
      if (hidden) {
        setEcho(fd, true);
        writeSync(fd, '\n');
      }
    }
  } finally {
    closeSync(fd);
  }
}

function readLine(fd: number): string {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  while (readSync(fd, one, 0, 1, null) === 1) {
    if (one[0] === 0x0a) break;
    bytes.push(one[0] as number);
    // A line longer than any code or credential is not one; stop reading.
    if (bytes.length > 4096) break;
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
}

function setEcho(fd: number, on: boolean): void {
  spawnSync('stty', [on ? 'echo' : '-echo'], { stdio: [fd, 'ignore', 'ignore'] });
}
