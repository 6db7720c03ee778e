import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStraceLine } from './strace-line.js';
import { readTrace } from './trace-effects.js';

describe('strace lines', () => {
  it('splits a call into decoded strings, fds with their -y paths, flags and the result', () => {
    const call = parseStraceLine(
      '1796670538.79 openat(AT_FDCWD</repo>, "a, \\"b\\"\\x41\\n", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</repo/a, "b"A>',
    );
    expect(call?.name).toBe('openat');
    expect(call?.args).toEqual([
      { kind: 'fd', fd: 'AT_FDCWD', path: '/repo' },
      { kind: 'string', text: 'a, "b"A\n' },
      { kind: 'other', text: 'O_WRONLY|O_CREAT|O_TRUNC' },
      { kind: 'other', text: '0666' },
    ]);
    expect(call?.result).toBe(3);
    expect(call?.resultPath).toBe('/repo/a, "b"A');
    expect(parseStraceLine('1.2 ftruncate(4</dev/shm/pym-1>(deleted), 4096) = 0')?.args[0]).toEqual(
      { kind: 'fd', fd: '4', path: '/dev/shm/pym-1' },
    );
  });

  it('keeps the errno of a failed call and skips what is not a finished call', () => {
    expect(parseStraceLine('1.5 unlink("/usr/x") = -1 EROFS (Read-only file system)')?.errno).toBe(
      'EROFS',
    );
    expect(parseStraceLine('1.5 --- SIGCHLD {si_signo=SIGCHLD} ---')).toBeUndefined();
    expect(parseStraceLine('1.5 +++ exited with 0 +++')).toBeUndefined();
    expect(
      parseStraceLine('1.5 openat(AT_FDCWD</repo>, "x", O_RDONLY <unfinished ...>'),
    ).toBeUndefined();
  });
});

describe('a run read from its trace', () => {
  const trace = (
    files: Record<string, string>,
    existed: (path: string) => boolean = () => false,
  ) => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-trace-test-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      return readTrace(dir, '/repo', existed).effects.map(
        (effect) =>
          `${effect.kind} ${effect.path}${effect.from === undefined ? '' : ` from ${effect.from}`} by ${effect.programs.join('>')}`,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  };

  it('places relative paths in the cwd a child inherited, and names the programs that ran', () => {
    const effects = trace({
      't.5': [
        '1.0 execve("/bin/bash", ["bash"], 0x0) = 0',
        '1.1 chdir("/tmp") = 0',
        '1.2 clone(child_stack=NULL, flags=SIGCHLD) = 6',
        '1.4 chdir("/repo") = 0',
        '1.5 mkdir("d", 0777) = 0',
      ].join('\n'),
      't.6': ['1.3 execve("/usr/bin/rm", ["rm", "x"], 0x0) = 0', '1.35 unlink("x") = 0'].join('\n'),
    });
    expect(effects).toEqual([
      'exec /bin/bash by bash',
      'exec /usr/bin/rm by bash>rm',
      'delete /tmp/x by bash>rm',
      'create /repo/d by bash',
    ]);
  });

  it('drops a temporary file made and renamed into place (or a socket bound and removed), keeping the rename; keeps refused attempts', () => {
    const effects = trace(
      {
        't.5': [
          '1.0 execve("/usr/bin/sed", ["sed"], 0x0) = 0',
          '1.1 openat(AT_FDCWD</repo>, "src/sedX", O_RDWR|O_CREAT|O_EXCL, 0600) = 3</repo/src/sedX>',
          '1.2 fchmod(3</repo/src/sedX>, 0644) = 0',
          '1.3 rename("src/sedX", "src/app.ts") = 0',
          '1.4 openat(AT_FDCWD</repo>, "/etc/passwd", O_WRONLY|O_TRUNC) = -1 EROFS (Read-only file system)',
          '1.5 openat(AT_FDCWD</repo>, "/nope", O_WRONLY|O_CREAT) = -1 ENOENT (No such file or directory)',
          '1.6 bind(3<socket:[1]>, {sa_family=AF_UNIX, sun_path="/tmp/pymp-1/listener"}, 110) = 0',
          '1.7 unlink("/tmp/pymp-1/listener") = 0',
          '1.8 bind(4<socket:[2]>, {sa_family=AF_UNIX, sun_path="kept.sock"}, 110) = 0',
        ].join('\n'),
      },
      (path) => path === '/repo/src/app.ts' || path === '/etc/passwd',
    );
    expect(effects).toEqual([
      'exec /usr/bin/sed by sed',
      'rename /repo/src/app.ts by sed',
      'truncate /etc/passwd by sed',
      'create /repo/kept.sock by sed',
    ]);
  });
});
