import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_FILE_BYTES, nodeFileReader } from './shell-file-reader.js';

const reader = nodeFileReader();
const dir = mkdtempSync(join(tmpdir(), 'airlock-reader-'));
const isRoot = process.getuid?.() === 0;

describe('nodeFileReader', () => {
  it('reads a regular text file', async () => {
    writeFileSync(join(dir, 'a.sh'), 'echo hi\n');
    expect(await reader.read(join(dir, 'a.sh'))).toEqual({ kind: 'text', text: 'echo hi\n' });
  });

  it('missing for ENOENT and ENOTDIR', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(await reader.read(join(dir, 'nope'))).toEqual({ kind: 'missing' });
    expect(await reader.read(join(dir, 'file', 'below'))).toEqual({ kind: 'missing' });
  });

  it('a file of exactly the bound is read; one byte more is unreadable', async () => {
    writeFileSync(join(dir, 'max'), 'x'.repeat(MAX_SCRIPT_FILE_BYTES));
    writeFileSync(join(dir, 'over'), 'x'.repeat(MAX_SCRIPT_FILE_BYTES + 1));
    expect((await reader.read(join(dir, 'max'))).kind).toBe('text');
    expect(await reader.read(join(dir, 'over'))).toEqual({
      kind: 'unreadable',
      why: `larger than ${MAX_SCRIPT_FILE_BYTES} bytes`,
    });
  });

  it('binary files are unreadable; compiled programs say so, however large', async () => {
    writeFileSync(join(dir, 'blob'), Buffer.from([0x61, 0x00, 0x62]));
    expect(await reader.read(join(dir, 'blob'))).toEqual({
      kind: 'unreadable',
      why: 'binary file',
    });
    writeFileSync(
      join(dir, 'elf'),
      Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
        Buffer.alloc(MAX_SCRIPT_FILE_BYTES * 2),
      ]),
    );
    expect(await reader.read(join(dir, 'elf'))).toEqual({
      kind: 'unreadable',
      why: 'compiled program (ELF)',
    });
    expect(await reader.read(process.execPath)).toMatchObject({
      kind: 'unreadable',
      why: expect.stringMatching(/^compiled program/),
    });
  });

  it('folders, FIFOs, /proc, /dev and links into them are unreadable, without hanging', async () => {
    mkdirSync(join(dir, 'folder'));
    expect(await reader.read(join(dir, 'folder'))).toEqual({
      kind: 'unreadable',
      why: 'not a regular file',
    });
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(await reader.read(join(dir, 'fifo'))).toEqual({
      kind: 'unreadable',
      why: 'not a regular file',
    });
    expect(await reader.read('/proc/self/environ')).toEqual({
      kind: 'unreadable',
      why: 'a device or process file',
    });
    expect(await reader.read('/dev/zero')).toEqual({
      kind: 'unreadable',
      why: 'a device or process file',
    });
    symlinkSync('/proc/self/environ', join(dir, 'environ'));
    expect(await reader.read(join(dir, 'environ'))).toEqual({
      kind: 'unreadable',
      why: 'a link to a device or process file',
    });
  });

  it('relative and ~ paths are unreadable (the home folder of the agent is not known here)', async () => {
    expect(await reader.read('a.sh')).toEqual({ kind: 'unreadable', why: 'not an absolute path' });
    expect(await reader.read('~/x.sh')).toEqual({
      kind: 'unreadable',
      why: 'not an absolute path',
    });
  });

  it.skipIf(isRoot)('permission denied is unreadable', async () => {
    writeFileSync(join(dir, 'secret'), 'x');
    chmodSync(join(dir, 'secret'), 0o000);
    expect(await reader.read(join(dir, 'secret'))).toEqual({
      kind: 'unreadable',
      why: 'permission denied',
    });
  });
});
